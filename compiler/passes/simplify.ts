/**
 * Algebraic simplification. Each rule is one-way and never makes the graph
 * larger; a rule fires only when the result keeps the node's shape.
 *
 *   x * 1 == x        1 * x == x        x + 0 == x       0 + x == x
 *   x - 0 == x        x / 1 == x        -(-x) == x
 *   broadcast(x) to x's own shape == x  reshape(x) to x's own shape == x
 *   broadcast(broadcast(x)) == broadcast(x)
 *   reshape(broadcast(s)) == broadcast(s)    for a scalar s
 *   sum(reshape(x)) == sum(x)                over all axes
 *   op(const…) == const                 (scalar constant folding)
 *
 * Assumes a verified graph; guarantees a verified graph with the same
 * outputs and updates (by value).
 *
 * @module
 */

import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph, Node } from "../ir/ir.ts";
import { OPS } from "../ir/ops.ts";
import { sameShape } from "../../core/shape.ts";

/**
 * Applies the rewrite rules in one forward sweep.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simplify } from "./simplify.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mul } from "../frontend/tensor.ts";
 * const g = simplify(trace({ y: mul(input("x", [2]), 1) }));
 * assert.ok(g.outputs[0].node === 0);
 * ```
 */
export function simplify(graph: Graph): Graph {
  const builder = new GraphBuilder(graph.dtype);
  const newId: number[] = [];
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((i) => newId[i]);
    newId[node.id] = rewrite(builder, node, inputs) ??
      builder.push(node.op, inputs, node.attrs, node.shape);
  }
  return builder.finish(
    graph.outputs.map((o) => ({ name: o.name, node: newId[o.node] })),
    graph.updates.map((u) => ({ target: u.target, node: newId[u.node] })),
  );
}

function constValue(builder: GraphBuilder, id: number): number | undefined {
  const node = builder.node(id);
  return node.op === "const" ? node.attrs.value : undefined;
}

/** Returns the id that replaces `node`, or `undefined` to keep it. */
function rewrite(builder: GraphBuilder, node: Node, inputs: number[]): number | undefined {
  const keepsShape = (id: number) => sameShape(builder.shapeOf(id), node.shape);
  const [a, b] = inputs;
  const ca = a === undefined ? undefined : constValue(builder, a);
  const cb = b === undefined ? undefined : constValue(builder, b);
  const def = OPS[node.op];

  // op(const…) == const, for scalar elementwise ops over constants only.
  if (
    def.kind === "elementwise" && node.op !== "const" && node.op !== "count" && inputs.length > 0 &&
    node.shape.length === 0 && inputs.every((i) => constValue(builder, i) !== undefined)
  ) {
    const value = def.f64(inputs.map((i) => constValue(builder, i)!), node.attrs, 1);
    if (Number.isFinite(value)) return builder.emit("const", [], { value });
  }
  switch (node.op) {
    case "mul":
      if (cb === 1 && keepsShape(a)) return a; // x * 1 == x
      if (ca === 1 && keepsShape(b)) return b; // 1 * x == x
      return undefined;
    case "add":
      if (cb === 0 && keepsShape(a)) return a; // x + 0 == x
      if (ca === 0 && keepsShape(b)) return b; // 0 + x == x
      return undefined;
    case "sub":
      return cb === 0 && keepsShape(a) ? a : undefined; // x - 0 == x
    case "div":
      return cb === 1 && keepsShape(a) ? a : undefined; // x / 1 == x
    case "neg": {
      const inner = builder.node(a);
      return inner.op === "neg" ? inner.inputs[0] : undefined; // -(-x) == x
    }
    case "broadcast":
    case "reshape": {
      if (keepsShape(a)) return a; // to its own shape == x
      const inner = builder.node(a);
      const scalarBroadcast = inner.op === "broadcast" &&
        builder.shapeOf(inner.inputs[0]).length === 0;
      // broadcast(broadcast(x)) == broadcast(x); reshape(broadcast(s)) == broadcast(s)
      if (
        (node.op === "broadcast" && inner.op === "broadcast") ||
        (node.op === "reshape" && scalarBroadcast)
      ) {
        return builder.emit("broadcast", [inner.inputs[0]], { shape: node.shape });
      }
      return undefined;
    }
    case "sum": {
      // sum(reshape(x)) == sum(x) over all axes
      const inner = builder.node(a);
      const all = node.attrs.axis === null || node.attrs.axis === undefined;
      return all && inner.op === "reshape"
        ? builder.emit("sum", [inner.inputs[0]], { axis: null })
        : undefined;
    }
    default:
      return undefined;
  }
}
