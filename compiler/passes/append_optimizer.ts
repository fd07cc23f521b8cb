/**
 * Appends the optimizer update to a gradient graph: the training step's last
 * part, as graph nodes, so that fusion and code generation treat it like any
 * other computation. The update rules come from the optimizer table
 * (core/optimizer/table.ts); this pass implements the table's
 * `UpdateEmitter` over the graph builder, emits gradient clipping, and wires
 * each parameter's gradient, state inputs and per-step scalar inputs to its
 * entry's update.
 *
 * Assumes: the graph has a `loss` output and one `grad:<name>` output per
 * parameter. Guarantees: the result keeps only the `loss` and `prediction`
 * outputs (the runtime reads the predictions of each training batch for the
 * epoch's training metrics) and the graph's own updates, plus one update per
 * parameter and per optimizer state buffer (state first, then the parameter).
 *
 * @module
 */

import { LOSS_OUTPUT, PREDICTION_OUTPUT } from "../../core/contract.ts";
import type { UpdateEmitter } from "../../core/optimizer/def.ts";
import { clipGradients } from "../../core/optimizer/clip.ts";
import {
  type OptimizerConfig,
  optimizerEntry,
  scalarInputName,
  stateBufferName,
} from "../../core/optimizer/table.ts";
import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph, Node, Update } from "../ir/ir.ts";
import { GRAD_PREFIX } from "./differentiate.ts";

/**
 * The table's `UpdateEmitter` over a graph builder: node ids as handles;
 * each per-step scalar becomes one `scalar` input, created on first use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GraphBuilder } from "../ir/graph_builder.ts";
 * import { graphEmitter } from "./append_optimizer.ts";
 * const b = new GraphBuilder("f32");
 * const e = graphEmitter(b);
 * assert.equal(e.scalar("lr"), e.scalar("lr")); // one input node per scalar
 * assert.equal(b.node(e.scalar("lr")).attrs.name, "optimizer.lr");
 * ```
 */
export function graphEmitter(b: GraphBuilder): UpdateEmitter<number> {
  const scalars = new Map<string, number>();
  return {
    constant: (value) => b.emit("const", [], { value }),
    scalar: (name) => {
      let id = scalars.get(name);
      if (id === undefined) {
        id = b.emit("input", [], { name: scalarInputName(name), kind: "scalar", shape: [] });
        scalars.set(name, id);
      }
      return id;
    },
    add: (x, y) => b.emit("add", [x, y]),
    sub: (x, y) => b.emit("sub", [x, y]),
    mul: (x, y) => b.emit("mul", [x, y]),
    div: (x, y) => b.emit("div", [x, y]),
    sqrt: (x) => b.emit("sqrt", [x]),
    greaterEqual: (x, y) => b.emit("ge", [x, y]),
    positive: (x) => b.emit("step", [x]),
    sumAll: (x) => b.emit("sum", [x], { axis: null }),
  };
}

/**
 * Appends the optimizer update of every parameter to a gradient graph: the
 * result keeps only the loss and prediction outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendOptimizer } from "./append_optimizer.ts";
 * import { buildGraphs } from "../frontend/train_step.ts";
 * import { dense } from "../frontend/layers.ts";
 * import { mse } from "../frontend/losses.ts";
 * import { adam, sgd } from "../../core/optimizers.ts";
 * const g = buildGraphs(dense(2, 1), mse, sgd(), 2, "f32");
 * // weight and bias, each with Adam's exp_avg and exp_avg_sq
 * assert.equal(appendOptimizer(g.gradient, adam()).updates.length, 6);
 * ```
 */
export function appendOptimizer(gradient: Graph, optimizer: OptimizerConfig): Graph {
  const b = new GraphBuilder(gradient.dtype, gradient.nodes);
  const e = graphEmitter(b);
  const entry = optimizerEntry(optimizer);
  const slots = entry.state(optimizer);
  const params: { name: string; node: Node; grad: number }[] = [];
  for (const out of gradient.outputs) {
    if (!out.name.startsWith(GRAD_PREFIX)) continue;
    const name = out.name.slice(GRAD_PREFIX.length);
    const node = gradient.nodes.find((n: Node) => n.op === "input" && n.attrs.name === name)!;
    params.push({ name, node, grad: out.node });
  }
  const grads = clipGradients(e, optimizer, params.map((p) => p.grad));
  const updates: Update[] = [...gradient.updates];
  params.forEach((p, i) => {
    const state: Record<string, number> = {};
    for (const slot of slots) {
      const name = stateBufferName(slot.name, p.name);
      state[slot.name] = b.emit("input", [], { name, kind: "state", shape: p.node.shape });
    }
    const next = entry.update(e, optimizer, { param: p.node.id, grad: grads[i], state });
    for (const slot of slots) {
      const node = next.state[slot.name];
      if (node === undefined) {
        throw new Error(`internal: ${optimizer.kind} did not update its state "${slot.name}"`);
      }
      updates.push({ target: stateBufferName(slot.name, p.name), node });
    }
    updates.push({ target: p.name, node: next.param });
  });
  const kept = gradient.outputs.filter((o) =>
    o.name === LOSS_OUTPUT || o.name === PREDICTION_OUTPUT
  );
  return b.finish(kept, updates);
}
