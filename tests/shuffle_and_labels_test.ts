// Two laws the audit's planted bugs broke without a test noticing:
// - class labels are accepted exactly when they are integers in
//   0..classes−1: the boundary (classes − 1 accepted, classes refused) is
//   drawn explicitly, not left to chance;
// - an epoch's shuffle is a permutation of all rows, and every row's label
//   (and target) travels with it into the batch.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  compile,
  compileArtifact,
  dense,
  InputError,
  mse,
  sgd,
  softmaxCrossEntropy,
} from "../mod.ts";
import { MATH_IMPORTS } from "../core/contract.ts";
import { CompiledModule, type ModuleExports } from "../runtime/module.ts";
import { permutation } from "../runtime/prng.ts";
import { toLabels } from "../runtime/data.ts";
import { readFeed } from "../runtime/feed.ts";
import { SEED } from "./helpers.ts";

Deno.test("class labels: accepted exactly when integers in 0..classes−1, the boundary drawn explicitly", async () => {
  for (const classes of [2, 3, 7]) {
    const t = await compile(dense(2, classes), { loss: softmaxCrossEntropy, batchSize: 2 });
    // The boundary itself, every time.
    assert.ok(Number.isFinite(t.trainBatch([[1, 2]], [classes - 1])));
    assert.throws(
      () => t.trainBatch([[1, 2]], [classes]),
      (e: Error) =>
        e instanceof InputError &&
        e.message.includes(`Label ${classes} at index 0 is out of range`) &&
        e.message.includes(`0..${classes - 1}`),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(classes - 1, classes, 0, -1),
          fc.integer({ min: -3, max: classes + 3 }),
          fc.double({ min: -1, max: classes + 1, noNaN: true }),
        ),
        (label) => {
          const steps = t.steps;
          const valid = Number.isInteger(label) && label >= 0 && label < classes;
          if (valid) {
            assert.ok(Number.isFinite(t.trainBatch([[1, 2], [0, 1]], [0, label])));
            assert.equal(t.steps, steps + 1);
            // evaluate and fit take the same rule.
            assert.ok(Number.isFinite(t.evaluate([[1, 2]], [label]).loss));
          } else {
            for (
              const run of [
                () => t.trainBatch([[1, 2], [0, 1]], [0, label]),
                () => t.evaluate([[1, 2]], [label]),
                () => t.fit([[1, 2]], [label]),
              ]
            ) {
              assert.throws(
                run,
                (e: Error) =>
                  e instanceof InputError && e.message.includes(`Label ${label} at index`),
              );
            }
            assert.equal(t.steps, steps);
          }
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  }
});

Deno.test("an epoch's shuffle is a permutation of all rows (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 1000 }),
      (n, seed, epoch) => {
        const order = permutation(n, seed, epoch);
        assert.equal(order.length, n);
        const seen = new Uint8Array(n);
        for (const i of order) {
          assert.ok(i < n && seen[i] === 0, `row ${i} twice or out of range in ${order}`);
          seen[i] = 1;
        }
        assert.deepEqual(permutation(n, seed, epoch), order); // and reproducible
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

Deno.test("shuffled batches keep every row with its own label or target (fast-check)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        rows: fc.integer({ min: 1, max: 40 }),
        batch: fc.integer({ min: 1, max: 9 }),
        features: fc.integer({ min: 1, max: 4 }),
        outputs: fc.integer({ min: 2, max: 4 }),
        classes: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1e6 }),
        epoch: fc.integer({ min: 1, max: 50 }),
      }),
      async ({ rows, batch, features, outputs, classes, seed, epoch }) => {
        const { artifact } = compileArtifact(dense(features, outputs), {
          loss: classes ? softmaxCrossEntropy : mse,
          batchSize: batch,
        });
        const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
        const m = new CompiledModule(artifact, instance.exports as unknown as ModuleExports);
        // Row i is recognizable by its first feature; its label/target is a function of i.
        const x = readFeed(
          m,
          Array.from(
            { length: rows },
            (_, i) => Array.from({ length: features }, (_, f) => i + f / 8),
          ),
        );
        const labelOf = (i: number) =>
          classes ? [(i * 7) % outputs] : Array.from({ length: outputs }, (_, c) => i * 10 + c);
        const y = toLabels(
          classes
            ? Array.from({ length: rows }, (_, i) => labelOf(i)[0])
            : Array.from({ length: rows }, (_, i) => labelOf(i)),
          rows,
          m.spec,
        );
        const order = permutation(rows, seed, epoch);
        const xAt = m.index("x");
        const yAt = m.index("y");
        const perLabel = classes ? 1 : outputs;
        const seen: number[] = [];
        for (let from = 0; from < rows; from += batch) {
          const n = Math.min(batch, rows - from);
          m.writeBatch(x, y, order, from, n);
          for (let r = 0; r < n; r++) {
            const i = m.view[xAt + r * features];
            assert.ok(Number.isInteger(i) && i >= 0 && i < rows, `row ${r} holds ${i}`);
            for (let f = 0; f < features; f++) {
              assert.equal(m.view[xAt + r * features + f], i + f / 8);
            }
            const label = Array.from(m.view.subarray(yAt + r * perLabel, yAt + (r + 1) * perLabel));
            assert.deepEqual(label, labelOf(i), `row ${i}'s label`);
            seen.push(i);
          }
        }
        assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: rows }, (_, i) => i));
      },
    ),
    { seed: SEED, numRuns: 40 },
  );
});

Deno.test("fit on shuffled noise-free linear data recovers the line (rows and targets stay paired)", async () => {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.2 }),
    batchSize: 4,
    seed: 3,
  });
  const x = Array.from({ length: 23 }, (_, i) => [i / 22]);
  const y = x.map(([v]) => [2 * v - 1]);
  const h = t.fit(x, y, { epochs: 400, seed: 9 });
  assert.ok(h.loss[399] < 1e-8, `final loss ${h.loss[399]}`);
  const { weight, bias } = t.getParams();
  assert.ok(Math.abs(weight[0] - 2) < 1e-3 && Math.abs(bias[0] + 1) < 1e-3, `${weight} ${bias}`);
});
