// Every optimizer of the table, with every option combination that changes
// its arithmetic, against the plain-number references of
// optimizer_reference.ts (written from PyTorch's documented algorithms), over
// 6 steps at f64 through the real compiled step: compile(…, { dtype: "f64" }),
// trainBatch, getParams and trainingState. Gradients come from closed form
// (a dense layer under MSE) or from the f64 interpreter (a two-layer tanh
// MLP), never from the code under test. Then the f32 step of each optimizer
// against its f64 step.

import assert from "node:assert/strict";
import {
  adagrad,
  adam,
  adamw,
  chain,
  compile,
  dense,
  interpret,
  lion,
  mse,
  rmsprop,
  sgd,
  tanh,
  type Trainer,
} from "../mod.ts";
import type { OptimizerConfig } from "../mod.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { GRAD_PREFIX } from "../compiler/passes/differentiate.ts";
import {
  linearMseGradient,
  type ReferenceConfig,
  ReferenceOptimizer,
} from "./optimizer_reference.ts";
import { maxAbs, uniformStream } from "./helpers.ts";

/** One case: the mlpc configuration and the same options for the reference. */
type Case = readonly [label: string, optimizer: OptimizerConfig, reference: ReferenceConfig];

const CASES: readonly Case[] = [
  ["sgd", sgd({ lr: 0.1 }), { kind: "sgd", lr: 0.1 }],
  ["sgd weightDecay", sgd({ lr: 0.1, weightDecay: 0.05 }), {
    kind: "sgd",
    lr: 0.1,
    weightDecay: 0.05,
  }],
  ["sgd momentum", sgd({ lr: 0.1, momentum: 0.9 }), { kind: "sgd", lr: 0.1, momentum: 0.9 }],
  ["sgd momentum dampening", sgd({ lr: 0.1, momentum: 0.8, dampening: 0.3 }), {
    kind: "sgd",
    lr: 0.1,
    momentum: 0.8,
    dampening: 0.3,
  }],
  ["sgd nesterov", sgd({ lr: 0.1, momentum: 0.9, nesterov: true }), {
    kind: "sgd",
    lr: 0.1,
    momentum: 0.9,
    nesterov: true,
  }],
  [
    "sgd nesterov weightDecay",
    sgd({ lr: 0.05, momentum: 0.7, nesterov: true, weightDecay: 0.1 }),
    { kind: "sgd", lr: 0.05, momentum: 0.7, nesterov: true, weightDecay: 0.1 },
  ],
  [
    "sgd momentum dampening weightDecay",
    sgd({ lr: 0.05, momentum: 0.5, dampening: 0.5, weightDecay: 0.2 }),
    { kind: "sgd", lr: 0.05, momentum: 0.5, dampening: 0.5, weightDecay: 0.2 },
  ],
  ["adam", adam({ lr: 0.01 }), { kind: "adam", lr: 0.01 }],
  ["adam betas eps", adam({ lr: 0.02, betas: [0.5, 0.8], eps: 1e-3 }), {
    kind: "adam",
    lr: 0.02,
    beta1: 0.5,
    beta2: 0.8,
    eps: 1e-3,
  }],
  ["adam weightDecay (L2)", adam({ lr: 0.01, weightDecay: 0.3 }), {
    kind: "adam",
    lr: 0.01,
    weightDecay: 0.3,
  }],
  ["adam amsgrad", adam({ lr: 0.01, amsgrad: true }), { kind: "adam", lr: 0.01, amsgrad: true }],
  ["adam amsgrad weightDecay", adam({ lr: 0.01, amsgrad: true, weightDecay: 0.1 }), {
    kind: "adam",
    lr: 0.01,
    amsgrad: true,
    weightDecay: 0.1,
  }],
  ["adamw", adamw({ lr: 0.01 }), { kind: "adamw", lr: 0.01 }],
  ["adamw weightDecay amsgrad", adamw({ lr: 0.01, weightDecay: 0.3, amsgrad: true }), {
    kind: "adamw",
    lr: 0.01,
    weightDecay: 0.3,
    amsgrad: true,
  }],
  ["adamw no decay", adamw({ lr: 0.01, weightDecay: 0 }), {
    kind: "adamw",
    lr: 0.01,
    weightDecay: 0,
  }],
  ["rmsprop", rmsprop({ lr: 0.01 }), { kind: "rmsprop", lr: 0.01 }],
  ["rmsprop alpha eps", rmsprop({ lr: 0.01, alpha: 0.7, eps: 1e-2 }), {
    kind: "rmsprop",
    lr: 0.01,
    alpha: 0.7,
    eps: 1e-2,
  }],
  ["rmsprop centered", rmsprop({ lr: 0.01, centered: true }), {
    kind: "rmsprop",
    lr: 0.01,
    centered: true,
  }],
  ["rmsprop momentum", rmsprop({ lr: 0.01, momentum: 0.9 }), {
    kind: "rmsprop",
    lr: 0.01,
    momentum: 0.9,
  }],
  [
    "rmsprop centered momentum weightDecay",
    rmsprop({ lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.1 }),
    { kind: "rmsprop", lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.1 },
  ],
  ["adagrad", adagrad({ lr: 0.1 }), { kind: "adagrad", lr: 0.1 }],
  [
    "adagrad lrDecay initialAccumulatorValue",
    adagrad({ lr: 0.1, lrDecay: 0.3, initialAccumulatorValue: 0.2 }),
    { kind: "adagrad", lr: 0.1, lrDecay: 0.3, initialAccumulatorValue: 0.2 },
  ],
  ["adagrad weightDecay eps", adagrad({ lr: 0.1, weightDecay: 0.2, eps: 1e-2 }), {
    kind: "adagrad",
    lr: 0.1,
    weightDecay: 0.2,
    eps: 1e-2,
  }],
  ["lion", lion({ lr: 0.01 }), { kind: "lion", lr: 0.01 }],
  ["lion betas weightDecay", lion({ lr: 0.01, betas: [0.5, 0.9], weightDecay: 0.5 }), {
    kind: "lion",
    lr: 0.01,
    beta1: 0.5,
    beta2: 0.9,
    weightDecay: 0.5,
  }],
  ["sgd clipNorm", sgd({ lr: 0.1, clipNorm: 0.5 }), { kind: "sgd", lr: 0.1, clipNorm: 0.5 }],
  ["sgd momentum clipValue", sgd({ lr: 0.1, momentum: 0.9, clipValue: 0.2 }), {
    kind: "sgd",
    lr: 0.1,
    momentum: 0.9,
    clipValue: 0.2,
  }],
  ["adam clipNorm", adam({ lr: 0.01, clipNorm: 0.5 }), { kind: "adam", lr: 0.01, clipNorm: 0.5 }],
  ["rmsprop clipValue", rmsprop({ lr: 0.01, clipValue: 0.1 }), {
    kind: "rmsprop",
    lr: 0.01,
    clipValue: 0.1,
  }],
];

const STEPS = 6;
/** Input scales per step: gradients grow and shrink, so AMSGrad's maximum and clipping both engage and release. */
const SCALES = [1, 2.5, 0.3, 1.5, 0.1, 0.6];

function batch(step: number, rows: number, features: number, outputs: number) {
  const u = uniformStream(1000 + step);
  const s = SCALES[step % SCALES.length];
  const x = Array.from(
    { length: rows },
    () => Array.from({ length: features }, () => s * (2 * u() - 1)),
  );
  const y = Array.from({ length: rows }, () => Array.from({ length: outputs }, () => 2 * u() - 1));
  return { x, y };
}

/** max|got − want| / max(1e-300, max|want|): normwise relative error of a buffer. */
function normwise(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst / Math.max(1e-300, maxAbs(want));
}

/** At f64 the compiled step and the reference differ by rounding only. */
const TOLERANCE = 1e-14;

/** Compares parameters and every optimizer-state buffer with the reference. */
function compareState(trainer: Trainer, ref: ReferenceOptimizer, where: string): number {
  const buffers = trainer.trainingState().buffers;
  let worst = 0;
  for (const [param, values] of Object.entries(ref.params)) {
    const e = normwise(buffers[param], values);
    assert.ok(e <= TOLERANCE, `${where}: parameter ${param} off by ${e} (relative)`);
    worst = Math.max(worst, e);
    for (const [slot, state] of Object.entries(ref.state[param])) {
      const buffer = buffers[`${slot}/${param}`];
      assert.ok(buffer !== undefined, `${where}: no state buffer ${slot}/${param}`);
      const es = normwise(buffer, state);
      assert.ok(es <= TOLERANCE, `${where}: state ${slot}/${param} off by ${es} (relative)`);
      worst = Math.max(worst, es);
    }
  }
  return worst;
}

/** Which state buffers the module has beyond the parameters: exactly the reference's. */
function assertSameStateNames(trainer: Trainer, ref: ReferenceOptimizer, label: string): void {
  const params = new Set(Object.keys(ref.params));
  const got = Object.keys(trainer.trainingState().buffers).filter((n) => !params.has(n)).sort();
  const want = Object.entries(ref.state).flatMap(([p, s]) => Object.keys(s).map((k) => `${k}/${p}`))
    .sort();
  assert.deepEqual(got, want, `${label}: state buffers`);
}

for (const [label, optimizer, reference] of CASES) {
  Deno.test(`${label}: ${STEPS} compiled f64 steps = PyTorch's algorithm (dense layer, closed-form gradient)`, async () => {
    const [F, O, N] = [3, 2, 5];
    const trainer = await compile(dense(F, O), {
      loss: mse,
      optimizer,
      batchSize: N,
      dtype: "f64",
      seed: 11,
    });
    const start = trainer.getParams();
    const ref = new ReferenceOptimizer(reference, { weight: start.weight, bias: start.bias });
    for (let step = 0; step < STEPS; step++) {
      const { x, y } = batch(step, N, F, O);
      const g = linearMseGradient(ref.params.weight, ref.params.bias, x, y);
      const loss = trainer.trainBatch(x, y);
      ref.step({ weight: g.weight, bias: g.bias });
      assert.ok(Math.abs(loss - g.loss) <= 1e-13 * g.loss, `${label} step ${step + 1}: loss`);
      if (step === 0) assertSameStateNames(trainer, ref, label);
      compareState(trainer, ref, `${label} step ${step + 1}`);
    }
    assert.ok(
      normwise(trainer.getParams().weight, start.weight) > 1e-4,
      `${label}: the parameters moved`,
    );
  });
}

// The same over a two-layer tanh MLP, gradients from the f64 interpreter of
// the model's gradient graph (the optimizer is not part of that graph).
const MLP_CASES = CASES.filter(([label]) =>
  [
    "sgd nesterov weightDecay",
    "adam amsgrad weightDecay",
    "adamw",
    "rmsprop centered momentum weightDecay",
    "adagrad lrDecay initialAccumulatorValue",
    "lion betas weightDecay",
    "sgd clipNorm",
    "adam clipNorm",
    "rmsprop clipValue",
  ]
    .includes(label)
);
for (const [label, optimizer, reference] of MLP_CASES) {
  Deno.test(`${label}: ${STEPS} compiled f64 steps = PyTorch's algorithm (tanh MLP, interpreter gradients)`, async () => {
    const [F, H, O, N] = [4, 6, 3, 7];
    const model = () => chain(dense(F, H), tanh, dense(H, O));
    const trainer = await compile(model(), {
      loss: mse,
      optimizer,
      batchSize: N,
      dtype: "f64",
      seed: 4,
    });
    const gradient = buildGraphs(model(), mse, sgd(), F, "f64").gradient;
    const ref = new ReferenceOptimizer(reference, trainer.getParams());
    for (let step = 0; step < STEPS; step++) {
      const { x, y } = batch(step, N, F, O);
      const out = interpret(gradient, { x: x.flat(), y: y.flat(), ...ref.params }, N);
      const grads: Record<string, Float64Array> = {};
      for (const name of Object.keys(ref.params)) grads[name] = out.outputs[GRAD_PREFIX + name];
      const loss = trainer.trainBatch(x, y);
      ref.step(grads);
      assert.ok(
        Math.abs(loss - out.outputs.loss[0]) <= 1e-13 * out.outputs.loss[0],
        `step ${step + 1}: loss`,
      );
      if (step === 0) assertSameStateNames(trainer, ref, label);
      compareState(trainer, ref, `${label} (MLP) step ${step + 1}`);
    }
  });
}

Deno.test("the references exercise what they test: AMSGrad's maximum, clipping engaged and released", () => {
  // Guards against cases that would pass without the option doing anything.
  const run = (config: ReferenceConfig) => {
    const ref = new ReferenceOptimizer(config, {
      weight: [0.5, -0.3, 0.2, 0.1, -0.4, 0.3],
      bias: [0, 0],
    });
    const seen = { clipped: 0, unclipped: 0 };
    for (let step = 0; step < STEPS; step++) {
      const { x, y } = batch(step, 5, 3, 2);
      const g = linearMseGradient(ref.params.weight, ref.params.bias, x, y);
      const norm = Math.hypot(...g.weight, ...g.bias);
      if (config.clipNorm !== undefined) seen[norm > config.clipNorm ? "clipped" : "unclipped"]++;
      if (config.clipValue !== undefined) {
        const big = [...g.weight, ...g.bias].some((v) => Math.abs(v) > config.clipValue!);
        seen[big ? "clipped" : "unclipped"]++;
      }
      ref.step({ weight: g.weight, bias: g.bias });
    }
    return { ref, seen };
  };
  const ams = run({ kind: "adam", lr: 0.01, amsgrad: true }).ref.state.weight;
  assert.ok(ams.max_exp_avg_sq.some((v, i) => v > ams.exp_avg_sq[i]), "the maximum differs from v");
  for (const clip of [{ clipNorm: 0.5 }, { clipValue: 0.2 }, { clipValue: 0.1 }]) {
    const { seen } = run({ kind: "sgd", lr: 0.1, ...clip });
    assert.ok(
      seen.clipped > 0 && seen.unclipped > 0,
      `${JSON.stringify(clip)}: ${JSON.stringify(seen)}`,
    );
  }
});

// f32 against f64: the same optimizer, same initial parameters and batches.
// Per element, after 5 steps:
//   |p₃₂ − p₆₄| ≤ 2⁻²⁰·|p₆₄| + 1e-4·Σₜ|Δp₆₄|
// — room for one f32 rounding of the parameter per step (5·2⁻²⁴ < 2⁻²⁰), and
// for a relative error of 1e-4 in each step's size (f32 gradients through
// two small layers are good to ~1e-6 relative; see testing/precision.ts).
const F32_CASES: readonly OptimizerConfig[] = [
  sgd({ lr: 0.1 }),
  sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  adam({ lr: 0.01, amsgrad: true }),
  adamw({ lr: 0.01 }),
  rmsprop({ lr: 0.01, centered: true, momentum: 0.5 }),
  adagrad({ lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1 }),
  lion({ lr: 0.01, weightDecay: 0.1 }),
  sgd({ lr: 0.1, clipNorm: 0.5 }),
  adam({ lr: 0.01, clipValue: 0.05 }),
];
for (const optimizer of F32_CASES) {
  Deno.test(`f32 step = f64 step within rounding, 5 steps: ${JSON.stringify(optimizer)}`, async () => {
    const [F, H, O, N] = [4, 8, 3, 8];
    const model = () => chain(dense(F, H), tanh, dense(H, O));
    const options = { loss: mse, optimizer, batchSize: N, seed: 9 };
    const t32 = await compile(model(), { ...options, dtype: "f32" });
    const t64 = await compile(model(), { ...options, dtype: "f64" });
    t64.setParams(t32.getParams());
    const movement: Record<string, Float64Array> = {};
    let previous = t64.getParams();
    for (const [name, p] of Object.entries(previous)) movement[name] = new Float64Array(p.length);
    for (let step = 0; step < 5; step++) {
      const { x, y } = batch(step, N, F, O);
      const l32 = t32.trainBatch(x, y);
      const l64 = t64.trainBatch(x, y);
      assert.ok(
        Math.abs(l32 - l64) <= 1e-6 + 1e-4 * l64,
        `step ${step + 1}: loss ${l32} vs ${l64}`,
      );
      const now = t64.getParams();
      for (const [name, p] of Object.entries(now)) {
        for (let i = 0; i < p.length; i++) movement[name][i] += Math.abs(p[i] - previous[name][i]);
      }
      previous = now;
    }
    const p32 = t32.getParams();
    for (const [name, p64] of Object.entries(previous)) {
      assert.ok(maxAbs(movement[name]) > 0, `${name} moved`);
      for (let i = 0; i < p64.length; i++) {
        const tolerance = 2 ** -20 * Math.abs(p64[i]) + 1e-4 * movement[name][i];
        assert.ok(
          Math.abs(p32[name][i] - p64[i]) <= tolerance,
          `${name}[${i}]: f32 ${p32[name][i]}, f64 ${p64[i]}, tolerance ${tolerance}`,
        );
      }
    }
  });
}
