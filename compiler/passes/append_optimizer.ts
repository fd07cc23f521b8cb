/**
 * Appends the optimizer update to a gradient graph: the training step's last
 * part, as graph nodes, so that fusion and code generation treat it like any
 * other computation.
 *
 * Assumes: the graph has a `loss` output and one `grad:<name>` output per
 * parameter. Guarantees: the result keeps only the `loss` and `prediction`
 * outputs (the runtime reads the predictions of each training batch for the
 * epoch's training metrics) and has one update per parameter and per
 * optimizer state tensor.
 *
 * @module
 */

import { LOSS_OUTPUT, PREDICTION_OUTPUT } from "../../core/contract.ts";
import { OPTIMIZER_SCALARS } from "../../core/optimizer_scalars.ts";
import type { OptimizerConfig } from "../../core/optimizers.ts";
import type { Shape } from "../../core/shape.ts";
import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph, Node, Update } from "../ir/ir.ts";
import { GRAD_PREFIX } from "./differentiate.ts";

/**
 * Appends the optimizer update of every parameter to a gradient graph: the
 * result keeps only the loss and prediction outputs and has one update per
 * parameter and per optimizer state tensor.
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
 * assert.ok(appendOptimizer(g.gradient, adam()).updates.length === 6);
 * ```
 */
export function appendOptimizer(gradient: Graph, optimizer: OptimizerConfig): Graph {
  const b = new GraphBuilder(gradient.dtype, gradient.nodes);
  const updates: Update[] = [];
  const c = (value: number) => b.emit("const", [], { value });
  const state = (name: string, shape: Shape) => b.emit("input", [], { name, kind: "state", shape });
  const scalar = (name: string) => b.emit("input", [], { name, kind: "scalar", shape: [] });
  // The learning rate (folded into Adam's step size) is a per-step scalar the
  // runtime writes before each step, so it can change without recompiling.
  const lr = optimizer.kind === "sgd" ? scalar(OPTIMIZER_SCALARS.lr) : -1;
  const stepSize = optimizer.kind === "adam" ? scalar(OPTIMIZER_SCALARS.stepSize) : -1;
  const vScale = optimizer.kind === "adam" ? scalar(OPTIMIZER_SCALARS.vScale) : -1;

  for (const out of gradient.outputs) {
    if (!out.name.startsWith(GRAD_PREFIX)) continue;
    const name = out.name.slice(GRAD_PREFIX.length);
    const p = gradient.nodes.find((n: Node) => n.op === "input" && n.attrs.name === name)!;
    const g = out.node;
    if (optimizer.kind === "sgd" && optimizer.momentum === 0) {
      // p ← p − lr·g
      updates.push({
        target: name,
        node: b.emit("sub", [p.id, b.emit("mul", [g, lr])]),
      });
    } else if (optimizer.kind === "sgd") {
      // v ← μv + g;  p ← p − lr·v
      const v = state(`velocity/${name}`, p.shape);
      const v2 = b.emit("add", [b.emit("mul", [v, c(optimizer.momentum)]), g]);
      updates.push({ target: `velocity/${name}`, node: v2 });
      updates.push({
        target: name,
        node: b.emit("sub", [p.id, b.emit("mul", [v2, lr])]),
      });
    } else {
      // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − α_t·m / (√v·s_t + ε)
      // with α_t = lr/(1−β₁ᵗ) and s_t = 1/√(1−β₂ᵗ) written by the runtime each step.
      const m = state(`m/${name}`, p.shape);
      const v = state(`v/${name}`, p.shape);
      const m2 = b.emit("add", [
        b.emit("mul", [m, c(optimizer.beta1)]),
        b.emit("mul", [g, c(1 - optimizer.beta1)]),
      ]);
      const v2 = b.emit("add", [
        b.emit("mul", [v, c(optimizer.beta2)]),
        b.emit("mul", [b.emit("mul", [g, g]), c(1 - optimizer.beta2)]),
      ]);
      const denom = b.emit("add", [
        b.emit("mul", [b.emit("sqrt", [v2]), vScale]),
        c(optimizer.epsilon),
      ]);
      const step = b.emit("div", [b.emit("mul", [m2, stepSize]), denom]);
      updates.push({ target: `m/${name}`, node: m2 });
      updates.push({ target: `v/${name}`, node: v2 });
      updates.push({ target: name, node: b.emit("sub", [p.id, step]) });
    }
  }
  const kept = gradient.outputs.filter((o) =>
    o.name === LOSS_OUTPUT || o.name === PREDICTION_OUTPUT
  );
  return b.finish(kept, updates);
}
