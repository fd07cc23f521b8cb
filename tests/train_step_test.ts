// Whole training graphs: (1) the symbolic gradient of model + loss agrees with
// central finite differences in f64, for random small MLPs with every
// activation and loss; (2) the compiled WebAssembly training step agrees with
// the f64 reference interpreter running the same training graph on the same
// parameters and batch, for SGD with momentum and for Adam — at f32 with
// relaxed SIMD forced off and forced on (whatever the engine's detection
// says; tests/relaxed_simd_test.ts checks the detection), and at f64.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { checkGraphGradients } from "../compiler/driver/check_gradients.ts";
import { compileArtifact } from "../compiler/driver/compile.ts";
import { wasmText } from "../compiler/codegen/wasm.ts";
import { instantiate } from "../runtime/trainer.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import { chain, dense, type Model } from "../compiler/frontend/layers.ts";
import {
  binaryCrossEntropyWithLogits,
  type Loss,
  mse,
  nllLoss,
  softmaxCrossEntropy,
} from "../compiler/frontend/losses.ts";
import { ACTIVATIONS, LOSSES } from "../testing/arbitraries.ts";
import { adam, type OptimizerConfig, sgd } from "../core/optimizers.ts";
import { mul, relu, sigmoid, softmax, tanh, type Tensor } from "../compiler/frontend/tensor.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { LOSS_OUTPUT } from "../core/contract.ts";
import { optimizerScalars } from "../core/optimizer/table.ts";
import { maxAbs, maxAbsDiff, SEED } from "./helpers.ts";

const swish = (x: Tensor) => mul(x, sigmoid(x));
const activations: [string, (x: Tensor) => Tensor][] = [
  ["tanh", tanh],
  ["sigmoid", sigmoid],
  ["swish (custom)", swish],
  ["relu", relu],
  ["softmax", (x) => softmax(x)],
];
const losses: Loss[] = [softmaxCrossEntropy, mse, binaryCrossEntropyWithLogits];

function labelsFor(loss: Loss, rows: number, outputs: number, draw: number[]): number[] {
  if (loss.labels === "classes") {
    return Array.from({ length: rows }, (_, i) => Math.floor(Math.abs(draw[i]) * 7) % outputs);
  }
  if (loss === binaryCrossEntropyWithLogits) {
    return draw.slice(0, rows * outputs).map((v) => (v > 0 ? 1 : 0));
  }
  return draw.slice(0, rows * outputs);
}

Deno.test("gradients of random MLP + loss graphs match finite differences (f64)", () => {
  const arb = fc.record({
    widths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
    activation: fc.integer({ min: 0, max: activations.length - 1 }),
    loss: fc.integer({ min: 0, max: losses.length - 1 }),
    batch: fc.integer({ min: 1, max: 4 }),
    values: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: 400,
      maxLength: 400,
    }),
  });
  fc.assert(
    fc.property(arb, ({ widths, activation, loss, batch, values }) => {
      const [name, act] = activations[activation];
      const layers: Model[] = [];
      for (let i = 0; i + 1 < widths.length; i++) {
        layers.push(dense(widths[i], widths[i + 1]));
        if (i + 2 < widths.length) layers.push(act);
      }
      const outputs = widths[widths.length - 1];
      const l = losses[loss];
      if (l === softmaxCrossEntropy && outputs < 2) return;
      const graphs = buildGraphs(chain(...layers), l, sgd(), widths[0], "f64");
      let cursor = 0;
      const take = (n: number) =>
        Array.from({ length: n }, () => values[cursor++ % values.length] * 1.5);
      const bindings: Record<string, number[]> = { x: take(batch * widths[0]) };
      bindings.y = labelsFor(l, batch, outputs, take(batch * outputs));
      const params = graphs.evaluate.nodes.filter((n) => n.attrs.kind === "param");
      for (const p of params) {
        bindings[p.attrs.name!] = take(p.shape.reduce<number>((a, d) => a * (d as number), 1));
      }
      const names = params.map((p) => p.attrs.name!);
      // Kinks (relu at 0) are handled by the checker: a subgradient passes there.
      for (
        const report of checkGraphGradients(graphs.evaluate, LOSS_OUTPUT, names, bindings, batch)
      ) {
        assert.ok(
          report.ok,
          `${name}/${l.name}: ${report.name}[${report.worstIndex}] expected ${report.expected}, got ${report.got}`,
        );
      }
    }),
    { seed: SEED, numRuns: 100 },
  );
});

/**
 * Runs three compiled steps (batches of 5, 1 and 8 samples: partial, single
 * and full) and the interpreter on the same data, carrying each side's own
 * parameters and optimizer state from step to step; returns both.
 */
async function stepBoth(
  model: Model,
  loss: Loss,
  optimizer: OptimizerConfig,
  features: number,
  dtype: "f32" | "f64",
  relaxedSimd = false,
) {
  // Relaxed SIMD forced on or off, whatever the engine's detection says.
  const { artifact } = compileArtifact(
    model,
    { loss, optimizer, batchSize: 8, seed: 3, dtype, relaxedSimd },
    { relaxedSimd },
  );
  assert.equal(artifact.relaxedSimd, relaxedSimd);
  const relaxedCode = /relaxed_madd/.test(wasmText(artifact.wasm));
  assert.equal(relaxedCode, relaxedSimd && dtype === "f32", "relaxed-SIMD code iff forced on");
  const trainer = await instantiate(artifact, { seed: 3 });
  const params = trainer.getParams();
  trainer.setParams(params); // the same (f32-rounded) values in both, also for dtype f64
  const outputs = trainer.artifact.outputs;
  const train = buildGraphs(model, loss, optimizer, features, "f64").train;
  const state: Record<string, ArrayLike<number>> = { ...params };
  for (const node of train.nodes) {
    if (node.attrs.kind === "state") {
      state[node.attrs.name!] = new Float64Array(
        node.shape.reduce<number>((a, d) => a * (d as number), 1),
      );
    }
  }
  const wasmLosses: number[] = [];
  const refLosses: number[] = [];
  let offset = 0;
  for (const [t, batch] of [[1, 5], [2, 1], [3, 8]]) {
    const x = Array.from(
      { length: batch * features },
      (_, i) => Math.sin((offset + i) * 1.7) * 1.3,
    );
    const y = loss.labels === "classes"
      ? Array.from({ length: batch }, (_, i) => (offset + i) % outputs)
      : Array.from(
        { length: batch * outputs },
        (_, i) => (loss === mse ? Math.cos(offset + i) : (offset + i) % 2),
      );
    offset += batch * features;
    const rows = Array.from({ length: batch }, (_, r) => x.slice(r * features, (r + 1) * features));
    const yRows = loss.labels === "classes"
      ? y
      : Array.from({ length: batch }, (_, r) => y.slice(r * outputs, (r + 1) * outputs));
    wasmLosses.push(trainer.trainBatch(rows, yRows));
    const bindings: Record<string, ArrayLike<number>> = { x, y, ...state };
    for (const [k, v] of Object.entries(optimizerScalars(optimizer, t, optimizer.lr))) {
      bindings[k] = [v];
    }
    const ref = interpret(train, bindings, batch);
    refLosses.push(ref.outputs[LOSS_OUTPUT][0]);
    Object.assign(state, ref.updates);
  }
  const refAfter: Record<string, ArrayLike<number>> = {};
  for (const name of Object.keys(params)) refAfter[name] = state[name];
  return { wasmLosses, refLosses, after: trainer.getParams(), refAfter, before: params };
}

const model = () => chain(dense(6, 16), tanh, dense(16, 12), relu, dense(12, 4));
const optimizers = [
  ["SGD (update fused into the weight-gradient product)", sgd({ lr: 0.1 })],
  ["SGD with momentum", sgd({ lr: 0.1, momentum: 0.9 })],
  ["Adam", adam({ lr: 1e-2 })],
] as const;
for (const [optName, optimizer] of optimizers) {
  for (const [loss, relaxedSimd] of losses.flatMap((l) => [[l, false], [l, true]] as const)) {
    const mode = relaxedSimd ? "f32 relaxed-SIMD" : "f32";
    Deno.test(`${mode} wasm training steps = f64 interpreter, 3 steps with carried state (${optName}, ${loss.name})`, async () => {
      const r = await stepBoth(model(), loss, optimizer, 6, "f32", relaxedSimd);
      // f32 has a 2⁻²⁴ ≈ 6e-8 unit roundoff; sums over ≤ 16 terms and our
      // exp/log/tanh approximations (≤ ~4 ulp) keep relative errors near 1e-6.
      // 1e-5 relative to the loss leaves a margin of 10 and fails on any real bug.
      r.wasmLosses.forEach((l, k) => {
        const ref = r.refLosses[k];
        assert.ok(Math.abs(l - ref) <= 1e-5 * Math.abs(ref), `step ${k + 1}: loss ${l} vs ${ref}`);
      });
      for (const [name, value] of Object.entries(r.after)) {
        const ref = r.refAfter[name];
        // Parameters are O(1) and the update is lr-sized: an error of 1e-5 of
        // the largest magnitude is ~100 f32 ulps of headroom, yet 1 % of a step.
        const tol = 1e-5 * Math.max(1, maxAbs(ref));
        assert.ok(
          maxAbsDiff(value, ref) <= tol,
          `${name}: max diff ${maxAbsDiff(value, ref)} > ${tol}`,
        );
        assert.ok(
          maxAbsDiff(value, r.before[name]) > 0 || name.endsWith("bias"),
          `${name} did not change`,
        );
      }
    });
  }
}

// Every activation and loss of the library (testing/arbitraries.ts), each in
// a compiled f32 step against the f64 interpreter, with the tolerances above.
async function assertStepsAgree(model: Model, loss: Loss, optimizer: OptimizerConfig) {
  const r = await stepBoth(model, loss, optimizer, 6, "f32");
  r.wasmLosses.forEach((l, k) => {
    const ref = r.refLosses[k];
    assert.ok(Math.abs(l - ref) <= 1e-5 * Math.abs(ref), `step ${k + 1}: loss ${l} vs ${ref}`);
  });
  for (const [name, value] of Object.entries(r.after)) {
    const ref = r.refAfter[name];
    const tol = 1e-5 * Math.max(1, maxAbs(ref));
    assert.ok(
      maxAbsDiff(value, ref) <= tol,
      `${name}: max diff ${maxAbsDiff(value, ref)} > ${tol}`,
    );
  }
}
for (const [name, act] of Object.entries(ACTIVATIONS)) {
  Deno.test(`f32 wasm training steps = f64 interpreter, activation ${name} (Adam, mse)`, async () => {
    await assertStepsAgree(
      chain(dense(6, 16), act, dense(16, 12), act, dense(12, 4)),
      mse,
      adam({ lr: 1e-2 }),
    );
  });
}
for (const loss of LOSSES) {
  Deno.test(`f32 wasm training steps = f64 interpreter, loss ${loss.description} (SGD, relu)`, async () => {
    await assertStepsAgree(model(), loss, sgd({ lr: 0.1 }));
  });
}
for (
  const loss of [
    softmaxCrossEntropy.with({ weights: [1, 2, 0.5, 3], labelSmoothing: 0.1 }),
    nllLoss.with({ weights: [1, 2, 0.5, 3] }),
    binaryCrossEntropyWithLogits.with({ posWeight: [1, 2, 0.5, 3] }),
  ]
) {
  Deno.test(`f32 wasm training steps = f64 interpreter, loss ${loss.description} (Adam, relu)`, async () => {
    await assertStepsAgree(model(), loss, adam({ lr: 1e-2 }));
  });
}

Deno.test("f64 wasm training steps = f64 interpreter to 1e-12 (Adam, softmax cross-entropy)", async () => {
  const r = await stepBoth(model(), softmaxCrossEntropy, adam({ lr: 1e-2 }), 6, "f64");
  r.wasmLosses.forEach((l, k) => {
    const ref = r.refLosses[k];
    assert.ok(Math.abs(l - ref) <= 1e-12 * Math.abs(ref), `step ${k + 1}: loss ${l} vs ${ref}`);
  });
  for (const [name, value] of Object.entries(r.after)) {
    // getParams returns f64 copies for an f64 model: the same arithmetic, in another order at most.
    const tol = 1e-12 * Math.max(1, maxAbs(r.refAfter[name]));
    assert.ok(maxAbsDiff(value, r.refAfter[name]) <= tol, name);
  }
});
