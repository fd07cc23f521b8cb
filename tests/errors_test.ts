// Bad input raises a typed error naming the op or layer and the shapes or
// values involved — never a wasm trap, a NaN or an undefined.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  chain,
  compile,
  CompileError,
  dense,
  input,
  InputError,
  matmul,
  mse,
  relu,
  sgd,
  ShapeError,
  softmaxCrossEntropy,
} from "../mod.ts";
import { SEED } from "./helpers.ts";

const classifier = () =>
  compile(chain(dense(4, 8), relu, dense(8, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 4,
  });

Deno.test("a dense layer fed the wrong number of features (in the model) names the layer and shapes", async () => {
  await assert.rejects(
    () => compile(chain(dense(4, 8), relu, dense(6, 3)), { loss: mse, batchSize: 4 }),
    (e: Error) =>
      e instanceof ShapeError &&
      /Dense layer "2" dense\(6 → 3\) expects 6 input features, got f32\[batch,8\]/.test(e.message),
  );
});

Deno.test("a dense layer fed the wrong number of features (in the data) names the layer and counts", async () => {
  const t = await classifier();
  assert.throws(
    () => t.trainBatch([[1, 2, 3]], [0]),
    (e: Error) =>
      e instanceof InputError &&
      /dense\(4 → 8\).*expects 4 input features.*row 0 of x has 3/.test(e.message),
  );
  assert.throws(
    () => t.predict(new Float32Array(7)),
    (e: Error) =>
      e instanceof InputError &&
      /expects 4 input features.*7 values, not a multiple of 4/.test(e.message),
  );
  assert.throws(
    () => t.evaluate({ data: new Float32Array(10), shape: [2, 5] }, [0, 1]),
    (e: Error) =>
      e instanceof InputError && /expects 4 input features.*shape \[2,5\]/.test(e.message),
  );
});

Deno.test("labels whose count differs from the batch are rejected with both counts", async () => {
  const t = await classifier();
  assert.throws(
    () => t.trainBatch([[1, 2, 3, 4], [5, 6, 7, 8]], [0]),
    (e: Error) =>
      e instanceof InputError &&
      /number of labels \(1\) differs from the number of samples in the batch \(2\)/.test(
        e.message,
      ),
  );
  assert.throws(() => t.fit([[1, 2, 3, 4]], [0, 1, 2]), InputError);
});

Deno.test("a label out of range or not an integer names the label, its index and the range", async () => {
  const t = await classifier();
  fc.assert(
    fc.property(
      fc.oneof(
        fc.constantFrom(3, -1), // the boundary (3 classes: labels 0..2), drawn explicitly
        fc.integer({ min: 3, max: 1000 }),
        fc.integer({ min: -1000, max: -1 }),
        fc.constant(1.5),
      ),
      (bad) => {
        assert.throws(
          () => t.trainBatch([[1, 2, 3, 4], [1, 1, 1, 1]], [0, bad]),
          (e: Error) =>
            e instanceof InputError &&
            e.message.includes(
              `Label ${bad} at index 1 is ${
                Number.isInteger(bad) ? "out of range" : "not an integer"
              }`,
            ) &&
            e.message.includes("0..2"),
        );
      },
    ),
    { seed: SEED, numRuns: 30 },
  );
  // Parameters were not touched by the rejected batches.
  assert.ok(Object.values(t.getParams()).every((p) => p.every(Number.isFinite)));
  assert.equal(t.steps, 0);
});

Deno.test("a non-finite value in the input data names the row and column", async () => {
  const t = await classifier();
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => t.fit([[1, 2, 3, 4], [1, 2, bad, 4]], [0, 1]),
      (e: Error) =>
        e instanceof InputError && e.message.includes(`non-finite value ${bad} at row 1, column 2`),
    );
  }
  const r = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
  assert.throws(
    () => r.trainBatch([[1, 2]], [[NaN]]),
    (e: Error) => e instanceof InputError && /y has a non-finite value NaN/.test(e.message),
  );
});

Deno.test("other misuse gets typed errors too", async () => {
  assert.throws(
    () => matmul(input("a", [2, 3]), input("b", [4, 5])),
    (e: Error) =>
      e instanceof ShapeError &&
      e.message === "Cannot matmul f32[2,3] by f32[4,5]: inner dimensions 3 and 4 differ",
  );
  await assert.rejects(() => compile(dense(2, 2), { loss: mse, batchSize: 0 }), CompileError);
  await assert.rejects(
    () => compile((x) => relu(x), { loss: mse, batchSize: 4 }),
    (e: Error) => e instanceof CompileError && /pass inputFeatures/.test(e.message),
  );
  assert.throws(
    () => sgd({ lr: -1 }),
    (e: Error) =>
      e instanceof CompileError && /sgd: lr must be a number in \[0, ∞\), got -1/.test(e.message),
  );
  const t = await classifier();
  assert.throws(
    () => t.trainBatch(Array.from({ length: 5 }, () => [0, 0, 0, 0]), [0, 0, 0, 0, 0]),
    (e: Error) => e instanceof InputError && /1\.\.4 samples/.test(e.message),
  );
  assert.throws(
    () => t.setParams({ "0.weight": new Float32Array(3) }),
    (e: Error) =>
      e instanceof InputError &&
      /"0.weight" of shape \[4,8\] needs 32 values, got 3/.test(e.message),
  );
  assert.throws(
    () => t.setParams({ nope: [] }),
    (e: Error) => e instanceof InputError && /No parameter "nope"/.test(e.message),
  );
});
