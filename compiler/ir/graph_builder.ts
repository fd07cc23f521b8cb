/**
 * A local, append-only node list used *inside* a pass to build the pass's
 * output graph. The mutation never escapes: a pass creates a builder, fills
 * it and returns the frozen `Graph`.
 *
 * @module
 */

import type { Attrs, Graph, Node, OpName, Output, Update } from "./ir.ts";
import { inferShape, type VjpEmitter } from "./ops.ts";
import type { DType, Shape } from "../../core/shape.ts";

/**
 * Appends nodes, computing each shape through the op table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GraphBuilder } from "./graph_builder.ts";
 * const b = new GraphBuilder("f32");
 * const x = b.emit("input", [], { name: "x", kind: "data", shape: [3] });
 * const y = b.emit("neg", [x]);
 * assert.ok(b.finish([{ name: "y", node: y }], []).nodes.length === 2);
 * ```
 */
export class GraphBuilder implements VjpEmitter {
  readonly #nodes: Node[] = [];
  readonly #dtype: DType;

  /** Starts an empty graph, or a copy of the nodes of `base`. */
  constructor(dtype: DType, base: readonly Node[] = []) {
    this.#dtype = dtype;
    this.#nodes.push(...base);
  }

  /** Appends a node and returns its id. */
  emit(op: OpName, inputs: readonly number[], attrs: Attrs = {}): number {
    const shape = inferShape(op, inputs.map((i) => this.shapeOf(i)), attrs);
    return this.push(op, inputs, attrs, shape);
  }

  /** Appends a node whose shape is already known (copying a checked node). */
  push(op: OpName, inputs: readonly number[], attrs: Attrs, shape: Shape): number {
    const id = this.#nodes.length;
    this.#nodes.push(Object.freeze({ id, op, inputs: Object.freeze([...inputs]), shape, attrs }));
    return id;
  }

  /** The shape of a node already added. */
  shapeOf(id: number): Shape {
    const node = this.#nodes[id];
    if (node === undefined) throw new Error(`internal: node %${id} does not exist yet`);
    return node.shape;
  }

  /** The node with this id. */
  node(id: number): Node {
    return this.#nodes[id];
  }

  /** Number of nodes so far. */
  get size(): number {
    return this.#nodes.length;
  }

  /** Freezes the nodes into a graph. */
  finish(outputs: readonly Output[], updates: readonly Update[]): Graph {
    return Object.freeze({
      dtype: this.#dtype,
      nodes: Object.freeze([...this.#nodes]),
      outputs: Object.freeze([...outputs]),
      updates: Object.freeze([...updates]),
    });
  }
}

/**
 * Rebuilds a graph keeping only the nodes marked, renumbering ids densely.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keepNodes } from "./graph_builder.ts";
 * import type { Graph } from "./ir.ts";
 * const g: Graph = { dtype: "f32", updates: [], nodes: [
 *   { id: 0, op: "input", inputs: [], shape: [2], attrs: { name: "x", kind: "data", shape: [2] } },
 *   { id: 1, op: "neg", inputs: [0], shape: [2], attrs: {} },
 *   { id: 2, op: "exp", inputs: [0], shape: [2], attrs: {} },
 * ], outputs: [{ name: "y", node: 2 }] };
 * assert.ok(keepNodes(g, [true, false, true]).nodes[1].op === "exp");
 * ```
 */
export function keepNodes(graph: Graph, keep: readonly boolean[]): Graph {
  const builder = new GraphBuilder(graph.dtype);
  const newId: number[] = [];
  for (const node of graph.nodes) {
    if (!keep[node.id]) continue;
    newId[node.id] = builder.push(
      node.op,
      node.inputs.map((i) => newId[i]),
      node.attrs,
      node.shape,
    );
  }
  return builder.finish(
    graph.outputs.map((o) => ({ name: o.name, node: newId[o.node] })),
    graph.updates.map((u) => ({ target: u.target, node: newId[u.node] })),
  );
}
