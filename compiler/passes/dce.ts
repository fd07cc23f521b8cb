/**
 * Dead-code elimination: keeps the nodes that some output or update needs,
 * plus every input (the runtime binds inputs by name, so they stay even when
 * unused, e.g. labels in a prediction graph are never created in the first
 * place, but a parameter the loss ignores still has a buffer).
 *
 * Assumes a verified graph; guarantees a verified graph with the same outputs
 * and updates.
 *
 * @module
 */

import { keepNodes } from "../ir/graph_builder.ts";
import type { Graph } from "../ir/ir.ts";

/**
 * Removes the nodes nothing needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dce } from "./dce.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { exp, input, neg } from "../frontend/tensor.ts";
 * const x = input("x", [2]);
 * const g = trace({ y: neg(x), z: exp(x) });
 * const pruned = dce({ ...g, outputs: [g.outputs[0]] });
 * assert.ok(pruned.nodes.length === 2);
 * ```
 */
export function dce(graph: Graph): Graph {
  const live = graph.nodes.map((n) => n.op === "input");
  const stack = [...graph.outputs.map((o) => o.node), ...graph.updates.map((u) => u.node)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live[id] && graph.nodes[id].op !== "input") continue;
    live[id] = true;
    for (const operand of graph.nodes[id].inputs) if (!live[operand]) stack.push(operand);
  }
  return keepNodes(graph, live);
}
