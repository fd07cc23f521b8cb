// The learning rate is a per-step scalar of the compiled step: changing it
// between steps needs no recompilation and takes effect at the next step.
// Checked at f64 against the plain-number reference optimizers on a dense
// layer whose MSE gradient is known in closed form.

import assert from "node:assert/strict";
import { adam, compile, dense, deserialize, InputError, mse, serialize, sgd } from "../mod.ts";
import type { OptimizerConfig } from "../mod.ts";
import {
  linearMseGradient,
  type ReferenceConfig,
  ReferenceOptimizer,
} from "./optimizer_reference.ts";
import { uniformStream } from "./helpers.ts";

const F = 3;
const O = 2;
const N = 4;

function batch(seed: number): { x: number[][]; y: number[][] } {
  const u = uniformStream(seed);
  const x = Array.from({ length: N }, () => Array.from({ length: F }, () => 2 * u() - 1));
  const y = Array.from({ length: N }, () => Array.from({ length: O }, () => 2 * u() - 1));
  return { x, y };
}

/** Largest |got − want| / max(1, |want|). */
function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  }
  return worst;
}

async function runSchedule(
  optimizer: OptimizerConfig,
  reference: ReferenceConfig,
  rates: readonly number[],
): Promise<void> {
  const trainer = await compile(dense(F, O), {
    loss: mse,
    optimizer,
    batchSize: N,
    dtype: "f64",
    seed: 5,
  });
  const artifact = trainer.artifact;
  const start = trainer.getParams();
  const ref = new ReferenceOptimizer(reference, { weight: start.weight, bias: start.bias });
  for (let step = 0; step < rates.length; step++) {
    trainer.learningRate = rates[step];
    ref.lr = rates[step];
    const { x, y } = batch(100 + step);
    const g = linearMseGradient(ref.params.weight, ref.params.bias, x, y);
    const loss = trainer.trainBatch(x, y);
    ref.step({ weight: g.weight, bias: g.bias });
    assert.ok(Math.abs(loss - g.loss) <= 1e-14 * Math.max(1, g.loss), `step ${step + 1} loss`);
    const params = trainer.getParams();
    for (const name of ["weight", "bias"]) {
      const e = relError(params[name], ref.params[name]);
      assert.ok(e <= 1e-14, `${optimizer.kind} step ${step + 1} lr ${rates[step]} ${name}: ${e}`);
    }
  }
  // The same compiled module all along: no recompilation.
  assert.equal(trainer.artifact, artifact);
  assert.equal(trainer.artifact.wasm, artifact.wasm);
}

const RATES = [0.1, 0.1, 0.03, 0.3, 0, 0.05];

Deno.test("SGD: the learning rate changes between steps without recompiling (f64, vs reference)", async () => {
  await runSchedule(sgd({ lr: 0.1 }), { kind: "sgd", lr: 0.1 }, RATES);
});

Deno.test("SGD with momentum: a changed learning rate scales the step, not the buffer (f64, vs reference)", async () => {
  await runSchedule(
    sgd({ lr: 0.1, momentum: 0.9 }),
    { kind: "sgd", lr: 0.1, momentum: 0.9 },
    RATES,
  );
});

Deno.test("Adam: the learning rate changes between steps without recompiling (f64, vs reference)", async () => {
  await runSchedule(
    adam({ lr: 0.01 }),
    { kind: "adam", lr: 0.01 },
    RATES.map((r) => r / 10),
  );
});

Deno.test("learningRate starts at the optimizer's lr and is validated", async () => {
  const trainer = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.25 }),
    batchSize: 1,
  });
  assert.equal(trainer.learningRate, 0.25);
  for (const bad of [-0.1, NaN, Infinity, -Infinity, 1e39]) {
    assert.throws(
      () => (trainer.learningRate = bad),
      (e: unknown) =>
        e instanceof InputError && e.message.includes("learning rate") &&
        e.message.includes(String(bad)),
      `learningRate = ${bad}`,
    );
  }
  assert.throws(
    () => (trainer.learningRate = "0.1" as unknown as number),
    (e: unknown) => e instanceof InputError && /number ≥ 0, got 0.1/.test(e.message),
  );
  assert.equal(trainer.learningRate, 0.25); // a refused value changes nothing
  trainer.learningRate = 0;
  const before = trainer.getParams();
  trainer.trainBatch([[1]], [[3]]);
  assert.deepEqual(trainer.getParams(), before); // lr 0 freezes the parameters
  const wide = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.25 }),
    batchSize: 1,
    dtype: "f64",
  });
  wide.learningRate = 1e39; // finite in f64
  assert.equal(wide.learningRate, 1e39);
});

Deno.test("the learning rate is part of the training state and of saved files", async () => {
  const trainer = await compile(dense(2, 1), {
    loss: mse,
    optimizer: adam({ lr: 0.01 }),
    batchSize: 2,
  });
  trainer.learningRate = 0.002;
  const state = trainer.trainingState();
  assert.equal(state.learningRate, 0.002);
  trainer.learningRate = 0.5;
  trainer.restoreTrainingState(state);
  assert.equal(trainer.learningRate, 0.002);
  trainer.learningRate = 0.004;
  trainer.restoreTrainingState({ step: state.step, buffers: state.buffers }); // absent: kept
  assert.equal(trainer.learningRate, 0.004);
  assert.throws(
    () => trainer.restoreTrainingState({ ...state, learningRate: -1 }),
    (e: unknown) => e instanceof InputError && e.message.includes("-1"),
  );
  assert.equal(trainer.learningRate, 0.004);
  const copy = await deserialize(serialize(trainer));
  assert.equal(copy.learningRate, 0.004);
  const x = [[1, 2], [3, 4]];
  const y = [[1], [0]];
  assert.equal(copy.trainBatch(x, y), trainer.trainBatch(x, y));
  assert.deepEqual(copy.getParams(), trainer.getParams());
});
