// Misuse found in review, each with a typed error naming the values — or,
// where the input is legitimate, the behaviour a user would expect.
import assert from "node:assert/strict";
import {
  adam,
  binaryCrossEntropyWithLogits,
  chain,
  compile,
  CompileError,
  dense,
  DivergenceError,
  evaluateF64,
  grad,
  input,
  InputError,
  type Loss,
  max,
  mean,
  mse,
  mul,
  param,
  relu,
  sgd,
  ShapeError,
  softmaxCrossEntropy,
  square,
  stopGradient,
  sum,
  tanh,
  type Tensor,
} from "../mod.ts";

Deno.test("values that overflow f32 are rejected before they reach the model", async () => {
  const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
  assert.throws(
    () => t.predict([[1e39, 0]]),
    (e: Error) =>
      e instanceof InputError &&
      /value 1e\+39 \(beyond the range of f32\) at row 0, column 0/.test(e.message),
  );
  assert.throws(
    () => t.trainBatch([[1, 0]], [[-1e39]]),
    (e: Error) =>
      e instanceof InputError &&
      /y has a value -1e\+39 \(beyond the range of f32\)/.test(e.message),
  );
  assert.throws(
    () => t.setParams({ weight: [1e39, 0] }),
    (e: Error) => e instanceof InputError && /not finite in f32/.test(e.message),
  );
  const f64 = await compile(dense(2, 1), { loss: mse, batchSize: 2, dtype: "f64" });
  assert.equal(f64.predict([[1e39, 0]]).length, 1); // fine at f64
});

Deno.test("reserved parameter names and inputs training cannot feed are compile errors", async () => {
  const scaled = (name: string) => (x: Tensor) => mul(x, param(name, [], "ones"));
  // "x" collides with the data input itself: a ShapeError from tracing names both definitions.
  await assert.rejects(
    () => compile(chain(dense(2, 1), scaled("x")), { loss: mse, batchSize: 2 }),
    (e: Error) =>
      e instanceof ShapeError && /Input "x" is used with two different definitions/.test(e.message),
  );
  for (
    const name of ["loss", "prediction", "optimizer.stepSize", "exp_avg/0.weight", "exp_avg_sq/w"]
  ) {
    await assert.rejects(
      () => compile(chain(dense(2, 1), scaled(name)), { loss: mse, batchSize: 2 }),
      (e: Error) =>
        e instanceof CompileError && e.message.includes(`Parameter name "${name}" is reserved`),
    );
  }
  const extra = (x: Tensor) => mul(x, input("z", ["batch", 1]));
  await assert.rejects(
    () => compile(chain(dense(2, 1), extra), { loss: mse, batchSize: 2 }),
    (e: Error) => e instanceof CompileError && /reads input "z"/.test(e.message),
  );
});

Deno.test("a custom loss that ignores the labels trains", async () => {
  const energy: Loss = {
    name: "energy",
    labels: "values",
    labelShape: (p) => p,
    apply: (p) => mean(square(p)),
  };
  const t = await compile(dense(2, 1), {
    loss: energy,
    optimizer: sgd({ lr: 0.01 }),
    batchSize: 2,
  });
  const h = t.fit([[1, 2], [3, 4]], [[0], [0]], { epochs: 20 });
  assert.ok(h.loss[19] < h.loss[0] / 2, `${h.loss}`);
  assert.ok(Number.isFinite(t.evaluate([[1, 2]], [[0]]).loss));
});

Deno.test("shape and data edge cases get typed errors", async () => {
  await assert.rejects(
    () => compile(dense(3, 1), { loss: softmaxCrossEntropy, batchSize: 2 }),
    (e: Error) => e instanceof ShapeError && /at least 2 classes/.test(e.message),
  );
  assert.throws(
    () => param("w", [2, -3]),
    (e: Error) => e instanceof ShapeError && /positive integers/.test(e.message),
  );
  assert.throws(() => param("w", [2, 2.5]), ShapeError);
  const t = await compile(dense(2, 1), { loss: binaryCrossEntropyWithLogits, batchSize: 2 });
  assert.throws(
    () => t.trainBatch([[1, 2]], [[5]]),
    (e: Error) =>
      e instanceof InputError &&
      /Target 5 at index 0 is out of range: targets must be in \[0, 1\]/.test(e.message),
  );
  assert.throws(
    () => t.evaluate([], []),
    (e: Error) => e instanceof InputError && /at least one sample/.test(e.message),
  );
  assert.throws(() => t.predict({ data: new Float32Array(10), shape: [2.5, 4] }), InputError);
  assert.throws(
    () => t.fit([[1, 2]], [[1]], { seed: -1 }),
    (e: Error) => e instanceof InputError && /seed/.test(e.message),
  );
  await assert.rejects(
    () => compile(dense(2, 1, { init: "bogus" as never }), { loss: mse, batchSize: 2 }),
    (e: Error) => e instanceof InputError && /unknown initializer "bogus"/.test(e.message),
  );
  await assert.rejects(
    () => compile(dense(2048, 1), { loss: mse, batchSize: 1 << 20 }),
    (e: Error) => e instanceof CompileError && /more than wasm32's 4 GiB/.test(e.message),
  );
});

Deno.test("a divergence inside fit rolls the epoch back", async () => {
  const t = await compile(chain(dense(1, 8), tanh, dense(8, 1)), {
    loss: mse,
    optimizer: sgd({ lr: 1e30 }),
    batchSize: 2,
  });
  const before = t.trainingState();
  assert.throws(
    () => t.fit([[1], [2], [3], [4]], [[1e30], [-1e30], [1e30], [1]], { epochs: 3 }),
    (e: Error) =>
      e instanceof DivergenceError &&
      /restored to the last good state, step \d+ at the start of that epoch/.test(e.message),
  );
  const after = t.trainingState();
  assert.ok(Object.values(after.buffers).every((b) => Array.from(b).every(Number.isFinite)));
  // Rolled back to an epoch boundary: 4 samples in batches of 2 make 2 steps per epoch.
  assert.equal(before.step, 0);
  assert.equal(after.step, 2 * (after.epoch ?? -1));
});

Deno.test("two fit calls of one epoch equal one fit call of two epochs (shuffles continue)", async () => {
  const make = () =>
    compile(chain(dense(2, 4), relu, dense(4, 1)), {
      loss: mse,
      optimizer: adam({ lr: 0.01 }),
      batchSize: 2,
      seed: 3,
    });
  const x = [[0, 1], [1, 0], [1, 1], [0, 0], [2, 1]];
  const y = [[1], [1], [0], [0], [3]];
  const a = await make();
  const b = await make();
  a.fit(x, y, { epochs: 2, seed: 5 });
  b.fit(x, y, { epochs: 1, seed: 5 });
  b.fit(x, y, { epochs: 1, seed: 5 });
  assert.deepEqual(b.getParams(), a.getParams());
});

Deno.test("grad keeps stopGradient, so gradients can be differentiated again; max shares ties", () => {
  const x = input("x", [3]);
  const [dx] = grad((x) => sum(mul(x, stopGradient(x))))(x);
  assert.deepEqual(Array.from(evaluateF64(dx, { x: [1, 2, 3] })), [1, 2, 3]);
  const [ddx] = grad(() => sum(dx))(x);
  assert.deepEqual(Array.from(evaluateF64(ddx, { x: [1, 2, 3] })), [0, 0, 0]);
  const [dm] = grad((x) => max(x))(x);
  assert.deepEqual(Array.from(evaluateF64(dm, { x: [2, 2, 1] })), [0.5, 0.5, 0]);
});
