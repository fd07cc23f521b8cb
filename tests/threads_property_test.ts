// Property: for random models (depth, widths, activations, the library's
// layers, losses), optimizers, precisions, maximum batch sizes, seeds and
// thread counts, a trainer on N threads gives the bits of a trainer on one —
// losses step by step, then parameters, optimizer state, running statistics,
// predictions and the evaluation — on full batches and on smaller ones that
// the thread count does not divide. The threaded artifact is compiled with
// free synchronization, so every kernel that can split does, however small.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  adagrad,
  adam,
  adamw,
  compile,
  compileArtifact,
  instantiate,
  lion,
  rmsprop,
  sgd,
} from "../mod.ts";
import type { Trainer } from "../mod.ts";
import { architectures } from "../testing/arbitraries.ts";
import { relaxedSimdSupported } from "../compiler/codegen/wasm.ts";
import { SEED, uniformStream } from "./helpers.ts";

const OPTIMIZERS = [
  () => sgd({ lr: 0.05 }),
  () => sgd({ lr: 0.05, momentum: 0.9, nesterov: true, clipNorm: 1 }),
  () => adam({ lr: 1e-2 }),
  () => adamw({ lr: 1e-2, clipValue: 0.5 }),
  () => rmsprop({ lr: 1e-3 }),
  () => adagrad({ lr: 1e-2 }),
  () => lion({ lr: 1e-3 }),
];

const FREE_SYNC = { barrierNs: 0, wakeNs: 0 };

/** Bit-for-bit equality, naming the first difference. */
function sameBits(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} with one thread, ${b[i]}`);
  }
}

const cases = fc.record({
  architecture: architectures({ maxDepth: 3, minWidth: 1, maxWidth: 70 }),
  optimizer: fc.integer({ min: 0, max: OPTIMIZERS.length - 1 }),
  dtype: fc.constantFrom("f32" as const, "f32" as const, "f64" as const),
  relaxedSimd: fc.boolean(),
  batchSize: fc.integer({ min: 2, max: 41 }),
  threads: fc.integer({ min: 2, max: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  // The rows of each of the 4 batches, as a fraction of the maximum batch.
  fractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
});

Deno.test("threads property: N threads give one thread's bits over random models, seeds and batch sizes", async () => {
  let indivisible = 0;
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const a = c.architecture;
      const options = {
        loss: a.loss,
        optimizer: OPTIMIZERS[c.optimizer](),
        batchSize: c.batchSize,
        dtype: c.dtype,
        relaxedSimd: c.relaxedSimd && c.dtype === "f32" && relaxedSimdSupported(),
      };
      const { artifact } = compileArtifact(a.model, { ...options, threads: c.threads }, {
        relaxedSimd: relaxedSimdSupported(),
        threadCosts: FREE_SYNC,
      });
      const reference: Trainer = await compile(a.model, { ...options, seed: c.seed });
      const many = await instantiate(artifact, { seed: c.seed });
      try {
        // Some tiny models have no kernel that can split; the rest must use every thread.
        if (artifact.threads !== undefined) assert.equal(many.threads, c.threads);
        const next = uniformStream(c.seed);
        const outputs = reference.predict([Array(a.inputFeatures).fill(0)]).length;
        const rows = c.fractions.map((f) =>
          Math.max(a.minBatch, Math.round(a.minBatch + f * (c.batchSize - a.minBatch)))
        );
        rows[0] = c.batchSize;
        for (const [step, n] of rows.entries()) {
          if (n % c.threads !== 0) indivisible++;
          const x = Array.from(
            { length: n },
            () => Array.from({ length: a.inputFeatures }, () => 2 * next() - 1),
          );
          const y = a.loss.labels === "classes"
            ? Array.from({ length: n }, () => Math.floor(next() * outputs))
            : Array.from({ length: n }, () => Array.from({ length: outputs }, next));
          const one = reference.trainBatch(x, y);
          const two = many.trainBatch(x, y);
          assert.ok(Object.is(one, two), `step ${step} (${n} rows): loss ${one}, ${two}`);
          if (step === rows.length - 1) {
            sameBits(`predict (${n} rows)`, reference.predict(x), many.predict(x));
            const e1 = reference.evaluate(x, y).loss;
            const e2 = many.evaluate(x, y).loss;
            assert.ok(Object.is(e1, e2), `evaluate (${n} rows): ${e1}, ${e2}`);
          }
        }
        const left = reference.trainingState().buffers;
        const right = many.trainingState().buffers;
        assert.deepEqual(Object.keys(right).sort(), Object.keys(left).sort());
        for (const name of Object.keys(left)) sameBits(name, left[name], right[name]);
      } finally {
        await many.dispose();
      }
    }),
    { numRuns: 14, seed: SEED },
  );
  // The property saw batches the thread count does not divide.
  assert.ok(indivisible > 0);
});
