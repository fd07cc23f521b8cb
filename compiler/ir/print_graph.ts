/**
 * The graph printer: one stable line per node, then the outputs and updates.
 * Stable means a change in the compiler that alters the graph shows up as a
 * line diff in the snapshot tests.
 *
 * @module
 */

import type { Attrs, Graph, Node } from "./ir.ts";
import { formatShape } from "../../core/shape.ts";

function formatAttrs(node: Node): string {
  const a: Attrs = node.attrs;
  switch (node.op) {
    case "input":
      return ` ${a.kind} "${a.name}"${a.init !== undefined ? ` init=${formatInit(a.init)}` : ""}`;
    case "const":
      return ` ${a.value}`;
    case "count":
      return ` of ${formatShape(a.shape ?? [])}${
        a.axis === null || a.axis === undefined ? "" : ` axis=${a.axis}`
      }`;
    case "sum":
    case "max":
      return a.axis === null || a.axis === undefined ? "" : ` axis=${a.axis}`;
    case "matmul":
      return `${a.transA ? " transA" : ""}${a.transB ? " transB" : ""}`;
    case "onehot":
      return ` classes=${a.classes}`;
    case "leakyrelu":
      return ` alpha=${a.alpha}`;
    case "elu":
      return ` alpha=${a.alpha} scale=${a.scale} inputScale=${a.inputScale}`;
    case "softplus":
      return ` beta=${a.beta}${a.threshold === undefined ? "" : ` threshold=${a.threshold}`}`;
    case "hardtanh":
      return ` low=${a.low} high=${a.high}`;
    case "literal": {
      const values = a.values ?? [];
      const shown = values.slice(0, 8).join(", ");
      return ` [${shown}${values.length > 8 ? `, … (${values.length} values)` : ""}]`;
    }
    case "normalize":
    case "normalizegrad":
      return ` axis=${a.axis} eps=${a.eps}`;
    case "dropout":
      return ` p=${a.p} stream=${a.stream}`;
    case "slice":
      return ` start=${a.start} size=${a.size}`;
    case "bag":
      return ` pool=${a.pool}`;
    case "bagscatter":
      return ` pool=${a.pool} rows=${a.rows}`;
    case "scatteradd":
    case "spmmscatter":
      return ` rows=${a.rows}`;
    default:
      return "";
  }
}

function formatInit(init: NonNullable<Attrs["init"]>): string {
  if (typeof init === "string") return init;
  const { kind, ...rest } = init;
  return `${kind}(${Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(",")})`;
}

/** ` [train]` or ` [inference]` on nodes a layer computes differently in the other mode. */
function formatMode(node: Node): string {
  return node.attrs.mode === undefined ? "" : ` [${node.attrs.mode}]`;
}

/**
 * Formats one node: `%3 = matmul %0 %1 : f32[batch,128]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNode } from "./print_graph.ts";
 * const line = formatNode({ id: 1, op: "neg", inputs: [0], shape: [3], attrs: {} }, "f32");
 * assert.ok(line === "%1 = neg %0 : f32[3]");
 * ```
 */
export function formatNode(node: Node, dtype: Graph["dtype"]): string {
  const operands = node.inputs.map((i) => ` %${i}`).join("");
  return `%${node.id} = ${node.op}${operands}${formatAttrs(node)}${formatMode(node)} : ${
    formatShape(node.shape, dtype)
  }`;
}

/**
 * Prints a whole graph.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printGraph } from "./print_graph.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, neg } from "../frontend/tensor.ts";
 * const text = printGraph(trace({ y: neg(input("x", [2])) }));
 * assert.ok(text.includes('%0 = input data "x" : f32[2]'));
 * ```
 */
export function printGraph(graph: Graph): string {
  const lines = graph.nodes.map((node) => formatNode(node, graph.dtype));
  for (const o of graph.outputs) lines.push(`output ${o.name} = %${o.node}`);
  for (const u of graph.updates) lines.push(`update ${u.target} <- %${u.node}`);
  return lines.join("\n") + "\n";
}
