/**
 * Common-subexpression elimination: two nodes with the same op, operands and
 * attributes compute the same value, so the later one is replaced by the
 * earlier. Inputs are unique by name already.
 *
 * Assumes a verified graph; guarantees a verified graph computing the same
 * outputs and updates.
 *
 * @module
 */

import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph, Node } from "../ir/ir.ts";

function key(node: Node, inputs: readonly number[]): string {
  return `${node.op}(${inputs.join(",")})${JSON.stringify(node.attrs)}`;
}

/**
 * Merges duplicate nodes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cse } from "./cse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { add, exp, input } from "../frontend/tensor.ts";
 * const x = input("x", [2]);
 * const g = cse(trace({ y: add(exp(x), exp(x)) }));
 * assert.ok(g.nodes.length === 3);
 * ```
 */
export function cse(graph: Graph): Graph {
  const builder = new GraphBuilder(graph.dtype);
  const newId: number[] = [];
  const seen = new Map<string, number>();
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((i) => newId[i]);
    const k = key(node, inputs);
    const existing = seen.get(k);
    if (existing !== undefined) {
      newId[node.id] = existing;
      continue;
    }
    newId[node.id] = builder.push(node.op, inputs, node.attrs, node.shape);
    seen.set(k, newId[node.id]);
  }
  return builder.finish(
    graph.outputs.map((o) => ({ name: o.name, node: newId[o.node] })),
    graph.updates.map((u) => ({ target: u.target, node: newId[u.node] })),
  );
}
