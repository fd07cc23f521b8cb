/**
 * Gives every output of a graph its own buffer. The memory plan pins each
 * output's node to that output's slot, so an output that is an input, a
 * constant, a run-time count, or the same node as another output is routed
 * through a copy (`stopgrad`, an elementwise identity; constants are first
 * broadcast to their shape).
 *
 * Assumes: a valid graph. Guarantees: the same values under the same output
 * names, each output on a node of its own that no other output shares; the
 * updates are unchanged.
 *
 * @module
 */

import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph } from "../ir/ir.ts";

/**
 * Routes shared, input and constant outputs through copies (see the module
 * documentation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GraphBuilder } from "../ir/graph_builder.ts";
 * import { separateOutputs } from "./separate_outputs.ts";
 *
 * const b = new GraphBuilder("f64", []);
 * const x = b.emit("input", [], { name: "x", kind: "data", shape: [2] });
 * const g = separateOutputs(b.finish([{ name: "a", node: x }, { name: "b", node: x }], []));
 * const [a, c] = g.outputs.map((o) => o.node);
 * assert.notEqual(a, c);
 * assert.equal(g.nodes[a].op, "stopgrad");
 * ```
 */
export function separateOutputs(graph: Graph): Graph {
  const b = new GraphBuilder(graph.dtype, graph.nodes);
  const seen = new Set<number>();
  const outputs = graph.outputs.map((o) => {
    const op = graph.nodes[o.node].op;
    const shared = seen.has(o.node) || op === "input" || op === "const" || op === "count";
    seen.add(o.node);
    if (!shared) return o;
    const value = op === "const" || op === "count"
      ? b.emit("broadcast", [o.node], { shape: graph.nodes[o.node].shape })
      : o.node;
    return { name: o.name, node: b.emit("stopgrad", [value]) };
  });
  return b.finish(outputs, graph.updates);
}
