// Clipping by global norm needs every gradient before any update. The graph
// carries that dependency (every update reads the clipping coefficient, which
// reads every gradient), so update hoisting and the fusion of SGD updates
// into the weight-gradient product's epilogue cannot run an update early.
// The numbers are checked against PyTorch's clip_grad_norm_ in
// optimizers_test.ts; here, the structure.

import assert from "node:assert/strict";
import { adam, chain, dense, mse, relu, sgd, tanh } from "../mod.ts";
import type { OptimizerConfig } from "../mod.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { optimize } from "../compiler/passes/pipeline.ts";
import { fuse, kernelOutputs } from "../compiler/schedule/fuse.ts";
import type { Graph } from "../compiler/ir/ir.ts";
import { GRAD_PREFIX } from "../compiler/passes/differentiate.ts";

const model = () => chain(dense(5, 8), relu, dense(8, 6), tanh, dense(6, 3));

function ancestors(graph: Graph, id: number): Set<number> {
  const seen = new Set<number>();
  const stack = [id];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...graph.nodes[n].inputs);
  }
  return seen;
}

/** For each update, whether it depends on the gradient of every parameter. */
function dependsOnEveryGradient(optimizer: OptimizerConfig): boolean[] {
  const { gradient, train } = buildGraphs(model(), mse, optimizer, 5, "f32");
  // appendOptimizer extends the gradient graph, so its node ids carry over.
  const grads = gradient.outputs.filter((o) => o.name.startsWith(GRAD_PREFIX)).map((o) => o.node);
  assert.equal(grads.length, 6);
  return train.updates.map((u) => {
    const deps = ancestors(train, u.node);
    return grads.every((g) => deps.has(g));
  });
}

/**
 * Whether every kernel that writes an update runs after every matrix product
 * and every reduction — i.e. after the whole backward pass (an MLP's
 * gradients are products and reductions) and the norm's sums.
 */
function updatesAfterBackward(optimizer: OptimizerConfig): boolean {
  const { train } = buildGraphs(model(), mse, optimizer, 5, "f32");
  const program = fuse(optimize(train));
  const updates = new Set(program.graph.updates.map((u) => u.node));
  const writesUpdate = program.kernels.map((k) => kernelOutputs(k).some((o) => updates.has(o)));
  const backward = program.kernels.map((k) =>
    (k.kind === "matmul" && !writesUpdateOf(k)) || k.kind === "reduce"
  );
  function writesUpdateOf(k: (typeof program.kernels)[number]): boolean {
    return kernelOutputs(k).some((o) => updates.has(o));
  }
  const firstUpdate = writesUpdate.indexOf(true);
  const lastBackward = backward.lastIndexOf(true);
  // A product whose epilogue writes an update is an update run inside the backward pass.
  const fusedUpdate = program.kernels.some((k) => k.kind === "matmul" && writesUpdateOf(k));
  return !fusedUpdate && firstUpdate > lastBackward;
}

for (
  const optimizer of [
    sgd({ lr: 0.1, clipNorm: 1 }),
    adam({ clipNorm: 1 }),
    sgd({ momentum: 0.9, clipNorm: 2 }),
  ]
) {
  Deno.test(`clipNorm: every update depends on every gradient and runs after them (${optimizer.kind})`, () => {
    const deps = dependsOnEveryGradient(optimizer);
    assert.ok(deps.length > 0 && deps.every(Boolean), JSON.stringify(deps));
    assert.ok(updatesAfterBackward(optimizer));
  });
}

Deno.test("without clipNorm the checks above fail: updates are hoisted into the backward pass", () => {
  // The control: the same checks distinguish a schedule that updates early.
  for (const optimizer of [sgd({ lr: 0.1 }), adam()]) {
    assert.ok(dependsOnEveryGradient(optimizer).some((d) => !d), optimizer.kind);
    assert.ok(!updatesAfterBackward(optimizer), optimizer.kind);
  }
  // clipValue is elementwise: it keeps the updates local (and fused, for SGD).
  assert.ok(!updatesAfterBackward(sgd({ lr: 0.1, clipValue: 1 })));
});
