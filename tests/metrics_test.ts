// Metrics: hand-computed cases (scikit-learn's documented examples) and laws
// (AUC is the Mann–Whitney U statistic over n₊·n₋, micro scores equal the
// accuracy, …); evaluate reports what the plain functions give on predict's
// outputs; predictProba and predictClasses read outputs as the loss does.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  accuracy,
  binaryCrossEntropyWithLogits,
  chain,
  compile,
  confusionMatrix,
  dense,
  InputError,
  meanAbsoluteError,
  meanSquaredError,
  mse,
  precisionRecallF1,
  r2Score,
  rocAuc,
  rootMeanSquaredError,
  sensitivity,
  softmaxCrossEntropy,
  specificity,
  tanh,
  topKAccuracy,
} from "../mod.ts";
import { SEED } from "./helpers.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("precision/recall/F1: scikit-learn's documented cat/dog/pig example", () => {
  // y_true = [cat, dog, pig, cat, dog, pig], y_pred = [cat, pig, dog, cat, cat, dog]
  const s = precisionRecallF1([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]);
  // cat: 2 of 3 predicted cats are cats, both cats found; dog and pig: none right.
  assert.deepEqual(s.precision, [2 / 3, 0, 0]);
  assert.deepEqual(s.recall, [1, 0, 0]);
  close(s.f1[0], 0.8);
  close(s.macro.precision, 0.2222222222222222);
  close(s.macro.recall, 0.3333333333333333);
  close(s.macro.f1, 0.26666666666666666);
  close(s.micro.f1, 1 / 3);
  assert.deepEqual(s.support, [2, 2, 2]);
  assert.deepEqual(confusionMatrix([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]), [
    [2, 0, 0],
    [1, 0, 1],
    [0, 2, 0],
  ]);
});

Deno.test("binary scores by hand: sensitivity, specificity, accuracy, precision/recall/F1", () => {
  //            0  1  2  3  4  5  6  7  8  9
  const yTrue = [1, 1, 1, 1, 0, 0, 0, 1, 0, 0];
  const yPred = [1, 0, 1, 1, 0, 1, 0, 0, 0, 0];
  // Positives 0,1,2,3,7: found 0,2,3 (TP 3), missed 1,7 (FN 2). Negatives 4,5,6,8,9: 5 called
  // positive (FP 1), the other four right (TN 4).
  assert.equal(sensitivity(yTrue, yPred), 3 / 5);
  assert.equal(specificity(yTrue, yPred), 4 / 5);
  assert.equal(accuracy(yTrue, yPred), 7 / 10);
  assert.deepEqual(confusionMatrix(yTrue, yPred), [[4, 1], [2, 3]]);
  const s = precisionRecallF1(yTrue, yPred);
  // Class 1: precision 3/4, recall 3/5, F1 2·(3/4)(3/5)/(3/4 + 3/5) = 2/3.
  // Class 0: precision 4/6, recall 4/5, F1 2·(2/3)(4/5)/(2/3 + 4/5) = 8/11.
  close(s.precision[1], 3 / 4);
  close(s.recall[1], sensitivity(yTrue, yPred));
  close(s.recall[0], specificity(yTrue, yPred));
  close(s.f1[1], 2 / 3);
  close(s.f1[0], 8 / 11);
  close(s.macro.f1, (2 / 3 + 8 / 11) / 2);
  // No positive (or no negative) sample: 0, as scikit-learn's zero_division=0.
  assert.equal(sensitivity([0, 0], [1, 0]), 0);
  assert.equal(specificity([1, 1], [1, 0]), 0);
  assert.throws(
    () => sensitivity([0, 2], [0, 1]),
    (e: Error) =>
      e instanceof InputError &&
      /sensitivity: true label 2 at index 1 is not 0 or 1/.test(e.message),
  );
  assert.throws(
    () => specificity([0, 1], [0, 0.5]),
    (e: Error) =>
      e instanceof InputError &&
      /specificity: predicted label 0.5 at index 1 is not 0 or 1/.test(e.message),
  );
  assert.throws(
    () => specificity([0, 1], [0]),
    (e: Error) => e instanceof InputError && /different lengths, 2 and 1/.test(e.message),
  );
});

Deno.test("macro averages skip classes absent from both arrays (scikit-learn's label set)", () => {
  const s = precisionRecallF1([0, 0, 1], [0, 1, 1], 4);
  assert.deepEqual(s.support, [2, 1, 0, 0]);
  close(s.macro.recall, (0.5 + 1) / 2); // classes 2 and 3 occur nowhere
});

Deno.test("regression metrics: scikit-learn's documented examples", () => {
  const yTrue = [3, -0.5, 2, 7];
  const yPred = [2.5, 0.0, 2, 8];
  close(meanSquaredError(yTrue, yPred), 0.375);
  close(meanAbsoluteError(yTrue, yPred), 0.5);
  close(rootMeanSquaredError(yTrue, yPred), Math.sqrt(0.375));
  close(r2Score(yTrue, yPred), 0.9486081370449679);
  // Two outputs, uniform average: [[0.5, 1], [-1, 1], [7, -6]] vs [[0, 2], [-1, 2], [8, -5]].
  close(r2Score([0.5, 1, -1, 1, 7, -6], [0, 2, -1, 2, 8, -5], 2), 0.9368005266622779);
  assert.equal(r2Score([2, 2], [2, 2]), 1); // constant column predicted exactly
  assert.equal(r2Score([2, 2], [1, 2]), 0); // constant column missed
});

Deno.test("ROC AUC: the documented example and the Mann–Whitney U statistic by pairs", () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: -4, max: 4 })), {
        minLength: 2,
        maxLength: 40,
      }).filter((rows) => rows.some((r) => r[0] === 1) && rows.some((r) => r[0] === 0)),
      (rows) => {
        // U = #(positive > negative) + ½·#(ties), over every positive-negative pair.
        let u = 0;
        let pairs = 0;
        for (const [lp, sp] of rows) {
          for (const [ln, sn] of rows) {
            if (lp !== 1 || ln !== 0) continue;
            pairs++;
            u += sp > sn ? 1 : sp === sn ? 0.5 : 0;
          }
        }
        close(rocAuc(rows.map((r) => r[0]), rows.map((r) => r[1])), u / pairs);
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
  assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), /needs both classes/);
});

Deno.test("laws: micro scores equal accuracy; confusion rows count the classes; top-1 is accuracy", () => {
  const labelled = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4 * n, maxLength: 4 * n }),
    )
  );
  fc.assert(
    fc.property(labelled, ([yTrue, yPred, scores]) => {
      const acc = accuracy(yTrue, yPred);
      const s = precisionRecallF1(yTrue, yPred, 4);
      close(s.micro.precision, acc);
      close(s.micro.recall, acc);
      close(s.micro.f1, acc);
      const m = confusionMatrix(yTrue, yPred, 4);
      for (let c = 0; c < 4; c++) {
        assert.equal(m[c].reduce((a, b) => a + b, 0), yTrue.filter((v) => v === c).length);
      }
      // Top-1 accuracy is the accuracy of the arg-max when no two scores tie.
      const distinct = new Set(scores).size === scores.length;
      if (distinct) {
        const argmax = yTrue.map((_, r) => {
          const row = scores.slice(4 * r, 4 * r + 4);
          return row.indexOf(Math.max(...row));
        });
        close(topKAccuracy(yTrue, scores, 4, 1), accuracy(yTrue, argmax));
      }
      assert.equal(topKAccuracy(yTrue, scores, 4, 4), 1);
      for (let k = 1; k < 4; k++) {
        assert.ok(topKAccuracy(yTrue, scores, 4, k) <= topKAccuracy(yTrue, scores, 4, k + 1));
      }
    }),
    { seed: SEED, numRuns: 200 },
  );
});

Deno.test("metrics reject mismatched or invalid input with an InputError", () => {
  assert.throws(
    () => accuracy([0, 1], [0]),
    (e: Error) => e instanceof InputError && /different lengths, 2 and 1/.test(e.message),
  );
  assert.throws(
    () => confusionMatrix([0, 1.5], [0, 1], 2),
    (e: Error) => e instanceof InputError && /class id 1.5 at index 1/.test(e.message),
  );
  assert.throws(() => rocAuc([0, 2], [0, 1]), /label 2 at index 1 is not 0 or 1/);
});

const rows = [[0.5, -1], [1, 2], [-2, 0.3], [0.1, 0.1], [3, -1], [-1, -1], [2, 2]];

Deno.test("evaluate's classifier metrics are the plain functions on predict's outputs", async () => {
  const t = await compile(chain(dense(2, 8), tanh, dense(8, 6)), {
    loss: softmaxCrossEntropy,
    batchSize: 3,
    seed: 4,
  });
  const y = [0, 5, 2, 2, 1, 4, 3];
  const e = t.evaluate(rows, y, { topK: 2 });
  const out = t.predict(rows);
  const predicted = Array.from(y, (_, r) => {
    const row = Array.from(out.subarray(6 * r, 6 * r + 6));
    return row.indexOf(Math.max(...row));
  });
  assert.equal(e.accuracy, accuracy(y, predicted));
  const s = precisionRecallF1(y, predicted, 6);
  assert.equal(e.f1Macro, s.macro.f1);
  assert.equal(e.precisionMacro, s.macro.precision);
  assert.deepEqual(e.confusionMatrix, confusionMatrix(y, predicted, 6));
  assert.equal(e.topK, 2);
  assert.equal(e.topKAccuracy, topKAccuracy(y, out, 6, 2));
  assert.deepEqual([...t.predictClasses(rows)], predicted);
  // predictProba: softmax of each row, computed here from the logits.
  const p = t.predictProba(rows);
  for (let r = 0; r < rows.length; r++) {
    const logits = Array.from(out.subarray(6 * r, 6 * r + 6));
    const z = logits.reduce((a, v) => a + Math.exp(v), 0);
    logits.forEach((v, c) => close(p[6 * r + c], Math.exp(v) / z, 1e-12));
  }
  // A single sample (1-D array) gives the same outputs as its row in a batch.
  assert.deepEqual([...t.predict(rows[1])], [...out.subarray(6, 12)]);
  assert.throws(
    () => t.evaluate(rows, y, { topk: 2 } as never),
    (e: Error) =>
      e instanceof InputError &&
      /Unknown evaluate option "topk": did you mean "topK"\?/.test(e.message),
  );
});

Deno.test("evaluate on a binary problem: AUC, sensitivity and specificity from the outputs", async () => {
  const t = await compile(dense(2, 1), { loss: binaryCrossEntropyWithLogits, batchSize: 4 });
  t.setParams({ weight: [1, -0.5], bias: [0.1] });
  const y = [[1], [0], [0], [1], [1], [0], [1]];
  const e = t.evaluate(rows, y);
  const logits = Array.from(t.predict(rows));
  const labels = y.map((r) => r[0]);
  const predicted = logits.map((v) => (v > 0 ? 1 : 0));
  assert.equal(e.rocAuc, rocAuc(labels, logits));
  const tp = labels.filter((l, i) => l === 1 && predicted[i] === 1).length;
  const tn = labels.filter((l, i) => l === 0 && predicted[i] === 0).length;
  assert.equal(e.sensitivity, tp / 4);
  assert.equal(e.specificity, tn / 3);
  assert.equal(e.sensitivity, sensitivity(labels, predicted));
  assert.equal(e.specificity, specificity(labels, predicted));
  assert.equal(e.accuracy, (tp + tn) / 7);
  const proba = t.predictProba(rows);
  logits.forEach((v, i) => close(proba[i], 1 / (1 + Math.exp(-v))));
  assert.deepEqual([...t.predictClasses(rows)], predicted);
});

Deno.test("evaluate on regression: MSE equals the mse loss; RMSE, MAE, R² from predict", async () => {
  const t = await compile(dense(2, 2), { loss: mse, batchSize: 4, dtype: "f64", seed: 2 });
  const y = rows.map(([a, b]) => [a + b, a - 2 * b]);
  const e = t.evaluate(rows, y);
  const out = t.predict(rows);
  const flat = y.flat();
  close(e.loss, meanSquaredError(flat, out), 1e-12);
  close(e.mse!, e.loss, 1e-12);
  close(e.rmse!, rootMeanSquaredError(flat, out));
  close(e.mae!, meanAbsoluteError(flat, out));
  close(e.r2!, r2Score(flat, out, 2));
  assert.equal(e.accuracy, undefined);
  assert.throws(
    () => t.predictProba(rows),
    (e: Error) =>
      e instanceof InputError && /does not say how outputs become probabilities/.test(e.message),
  );
  assert.throws(() => t.predictClasses(rows), /not a classification loss/);
});
