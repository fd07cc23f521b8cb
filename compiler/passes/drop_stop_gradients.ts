/**
 * Drops `stopgrad` nodes: `stopgrad(x) == x` in value; it only tells
 * `differentiate` where no gradient flows. Run only on graphs that will not
 * be differentiated again (the training step); `grad` keeps them, so its
 * results can be differentiated further.
 *
 * Assumes a verified graph; guarantees a verified graph computing the same
 * values with no `stopgrad` node.
 *
 * @module
 */

import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph } from "../ir/ir.ts";

/**
 * Replaces each `stopgrad(x)` by `x`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropStopGradients } from "./drop_stop_gradients.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, stopGradient } from "../frontend/tensor.ts";
 * const g = dropStopGradients(trace({ y: stopGradient(input("x", [2])) }));
 * assert.ok(g.nodes.length === 1 && g.outputs[0].node === 0);
 * ```
 */
export function dropStopGradients(graph: Graph): Graph {
  const builder = new GraphBuilder(graph.dtype);
  const newId: number[] = [];
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((i) => newId[i]);
    newId[node.id] = node.op === "stopgrad"
      ? inputs[0]
      : builder.push(node.op, inputs, node.attrs, node.shape);
  }
  return builder.finish(
    graph.outputs.map((o) => ({ name: o.name, node: newId[o.node] })),
    graph.updates.map((u) => ({ target: u.target, node: newId[u.node] })),
  );
}
