/**
 * Metrics as plain functions over plain arrays, with scikit-learn's
 * definitions: accuracy, top-k accuracy, the confusion matrix,
 * precision/recall/F1 (per class, macro and micro), sensitivity,
 * specificity and ROC AUC for binary problems; MSE, RMSE, MAE and R² for regression. `evaluate` reports the same
 * numbers through these functions.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";

function sameLength(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new InputError(`${what}: the arrays have different lengths, ${a.length} and ${b.length}`);
  }
  if (a.length === 0) throw new InputError(`${what} needs at least one value`);
}

function checkClassIds(what: string, ids: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new InputError(
        `${what}: class id ${v} at index ${i} is not an integer in 0..${classes - 1}`,
      );
    }
  }
}

/**
 * The number of classes implied by integer ids: the largest id plus one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classCount } from "./metrics.ts";
 * assert.equal(classCount([0, 2], [1, 1]), 3);
 * ```
 */
export function classCount(...ids: ArrayLike<number>[]): number {
  let most = 0;
  for (const list of ids) for (let i = 0; i < list.length; i++) most = Math.max(most, list[i] + 1);
  return most;
}

/**
 * Fraction of predictions equal to the true class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accuracy } from "./metrics.ts";
 * assert.equal(accuracy([0, 1, 2, 1], [0, 1, 1, 1]), 0.75);
 * ```
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength("accuracy", yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * Fraction of samples whose true class is among the `k` highest scores
 * (`scores` is row-major, `rows × classes`). A class tied with the k-th
 * highest score counts as in the top k (TensorFlow's `in_top_k` rule).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topKAccuracy } from "./metrics.ts";
 * const scores = [0.1, 0.5, 0.4, 0.7, 0.2, 0.1]; // 2 rows × 3 classes
 * // Class 2 is second in row 0 and third in row 1:
 * assert.equal(topKAccuracy([2, 2], scores, 3, 2), 0.5);
 * ```
 */
export function topKAccuracy(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  classes: number,
  k: number,
): number {
  if (!Number.isInteger(classes) || classes < 1 || scores.length !== yTrue.length * classes) {
    throw new InputError(
      `topKAccuracy: scores must hold ${yTrue.length} rows × ${classes} classes, got ${scores.length} values`,
    );
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new InputError(`topKAccuracy: k must be a positive integer, got ${k}`);
  }
  if (yTrue.length === 0) throw new InputError("topKAccuracy needs at least one sample");
  checkClassIds("topKAccuracy", yTrue, classes);
  let hits = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const own = scores[r * classes + yTrue[r]];
    let higher = 0;
    for (let c = 0; c < classes; c++) if (scores[r * classes + c] > own) higher++;
    if (higher < k) hits++;
  }
  return hits / yTrue.length;
}

/**
 * The confusion matrix: `m[t][p]` counts samples of true class `t`
 * predicted as `p` (scikit-learn's orientation). `classes` defaults to the
 * largest id plus one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { confusionMatrix } from "./metrics.ts";
 * assert.deepEqual(confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1]), [[1, 1], [0, 2]]);
 * ```
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes: number = classCount(yTrue, yPred),
): number[][] {
  sameLength("confusionMatrix", yTrue, yPred);
  checkClassIds("confusionMatrix (true)", yTrue, classes);
  checkClassIds("confusionMatrix (predicted)", yPred, classes);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** Precision, recall and F1 score: per class, macro- and micro-averaged. */
export interface ClassificationScores {
  /** Per class: true positives / predicted positives (0 when nothing was predicted). */
  readonly precision: readonly number[];
  /** Per class: true positives / actual positives (0 when the class never occurs). */
  readonly recall: readonly number[];
  /** Per class: harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: readonly number[];
  /** Per class: how many samples have it as their true class. */
  readonly support: readonly number[];
  /** Unweighted means over the classes that occur in the true or the predicted ids. */
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /**
   * From the total counts over all classes; with one label per sample, all
   * three equal the accuracy.
   */
  readonly micro: { readonly precision: number; readonly recall: number; readonly f1: number };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const harmonic = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Precision, recall and F1, as scikit-learn's `precision_recall_fscore_support`
 * with `zero_division=0`: per class, and averaged (`macro` over the classes
 * present in either array; `micro` from pooled counts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { precisionRecallF1 } from "./metrics.ts";
 * const s = precisionRecallF1([0, 0, 1, 1], [0, 1, 1, 1]);
 * assert.deepEqual(s.precision, [1, 2 / 3]);
 * assert.deepEqual(s.recall, [0.5, 1]);
 * assert.equal(s.micro.f1, 0.75); // the accuracy
 * ```
 */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes: number = classCount(yTrue, yPred),
): ClassificationScores {
  const m = confusionMatrix(yTrue, yPred, classes);
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  const present: number[] = [];
  let tpAll = 0;
  for (let c = 0; c < classes; c++) {
    const tp = m[c][c];
    let actual = 0;
    let predicted = 0;
    for (let o = 0; o < classes; o++) {
      actual += m[c][o];
      predicted += m[o][c];
    }
    tpAll += tp;
    precision.push(ratio(tp, predicted));
    recall.push(ratio(tp, actual));
    f1.push(harmonic(precision[c], recall[c]));
    support.push(actual);
    if (actual > 0 || predicted > 0) present.push(c);
  }
  const average = (values: number[]) => present.reduce((s, c) => s + values[c], 0) / present.length;
  const microP = tpAll / yTrue.length;
  return {
    precision,
    recall,
    f1,
    support,
    macro: { precision: average(precision), recall: average(recall), f1: average(f1) },
    micro: { precision: microP, recall: microP, f1: harmonic(microP, microP) },
  };
}

function binaryCounts(what: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>) {
  sameLength(what, yTrue, yPred);
  for (const [side, ids] of [["true", yTrue], ["predicted", yPred]] as const) {
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== 0 && ids[i] !== 1) {
        throw new InputError(`${what}: ${side} label ${ids[i]} at index ${i} is not 0 or 1`);
      }
    }
  }
  const [[tn, fp], [fn, tp]] = confusionMatrix(yTrue, yPred, 2);
  return { tn, fp, fn, tp };
}

/**
 * Sensitivity (true positive rate, recall of class 1) of a binary problem:
 * `TP / (TP + FN)`, 0 when there is no positive sample (scikit-learn's
 * `recall_score` with `zero_division=0`). Labels are 0 or 1; 1 is positive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sensitivity } from "./metrics.ts";
 * assert.equal(sensitivity([1, 1, 1, 1, 0], [1, 0, 1, 1, 1]), 0.75); // 3 of 4 positives found
 * ```
 */
export function sensitivity(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const { tp, fn } = binaryCounts("sensitivity", yTrue, yPred);
  return ratio(tp, tp + fn);
}

/**
 * Specificity (true negative rate, recall of class 0) of a binary problem:
 * `TN / (TN + FP)`, 0 when there is no negative sample. Labels are 0 or 1;
 * 0 is negative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { specificity } from "./metrics.ts";
 * assert.equal(specificity([0, 0, 0, 0, 1], [0, 1, 0, 0, 1]), 0.75); // 3 of 4 negatives found
 * ```
 */
export function specificity(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const { tn, fp } = binaryCounts("specificity", yTrue, yPred);
  return ratio(tn, tn + fp);
}

/**
 * Area under the ROC curve of a binary problem: the probability that a
 * random positive scores higher than a random negative, ties counting one
 * half (the Mann–Whitney U statistic divided by n₊·n₋). Computed from
 * average ranks in O(n log n). `labels` are 0 or 1; `scores` any numbers
 * (logits or probabilities).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rocAuc } from "./metrics.ts";
 * assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
 * ```
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  sameLength("rocAuc", labels, scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new InputError(`rocAuc: label ${labels[i]} at index ${i} is not 0 or 1`);
    }
    if (!Number.isFinite(scores[i])) {
      throw new InputError(`rocAuc: score ${scores[i]} at index ${i} is not finite`);
    }
    positives += labels[i];
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new InputError(
      `rocAuc needs both classes, got ${positives} positive and ${negatives} negative samples`,
    );
  }
  const order = Array.from({ length: labels.length }, (_, i) => i)
    .sort((a, b) => scores[a] - scores[b]);
  let positiveRanks = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average of ranks i+1..j+1
    for (let t = i; t <= j; t++) if (labels[order[t]] === 1) positiveRanks += rank;
    i = j + 1;
  }
  const u = positiveRanks - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/**
 * Mean of the squared differences.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanSquaredError } from "./metrics.ts";
 * assert.equal(meanSquaredError([1, 2, 3], [1, 2, 5]), 4 / 3);
 * ```
 */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength("meanSquaredError", yTrue, yPred);
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) total += (yTrue[i] - yPred[i]) ** 2;
  return total / yTrue.length;
}

/**
 * Square root of the mean squared error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rootMeanSquaredError } from "./metrics.ts";
 * assert.equal(rootMeanSquaredError([0, 0], [3, 4]), Math.sqrt(12.5));
 * ```
 */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/**
 * Mean of the absolute differences.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanAbsoluteError } from "./metrics.ts";
 * assert.equal(meanAbsoluteError([1, 2, 3], [2, 2, 1]), 1);
 * ```
 */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength("meanAbsoluteError", yTrue, yPred);
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) total += Math.abs(yTrue[i] - yPred[i]);
  return total / yTrue.length;
}

/**
 * Coefficient of determination, 1 − SS_res / SS_tot, per output column of
 * row-major `rows × outputs` arrays and averaged over the outputs
 * (scikit-learn's `r2_score`, `uniform_average`). A constant column scores 1
 * when predicted exactly and 0 otherwise (scikit-learn's `force_finite`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { r2Score } from "./metrics.ts";
 * assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
 * assert.equal(r2Score([1, 2, 3], [2, 2, 2]), 0); // predicting the mean
 * ```
 */
export function r2Score(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  outputs = 1,
): number {
  sameLength("r2Score", yTrue, yPred);
  if (!Number.isInteger(outputs) || outputs < 1 || yTrue.length % outputs !== 0) {
    throw new InputError(
      `r2Score: ${yTrue.length} values are not rows of ${outputs} output(s)`,
    );
  }
  const rows = yTrue.length / outputs;
  let sum = 0;
  for (let c = 0; c < outputs; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += yTrue[r * outputs + c];
    mean /= rows;
    let residual = 0;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const t = yTrue[r * outputs + c];
      residual += (t - yPred[r * outputs + c]) ** 2;
      total += (t - mean) ** 2;
    }
    sum += total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total;
  }
  return sum / outputs;
}
