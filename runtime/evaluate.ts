/**
 * Evaluation and prediction over data sets of any size, one compiled batch
 * at a time; parameters are never changed. `evaluate` reports the metrics
 * that fit the loss (computed by the plain functions of `metrics.ts`);
 * `predictProba` and `predictClasses` turn outputs into probabilities and
 * classes the way the loss reads them.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { checkNumber, checkOptionNames } from "../core/options.ts";
import { type LabelArray, type Labels, toLabels } from "./data.ts";
import { type Feed, type Inputs, readFeed } from "./feed.ts";
import {
  accuracy,
  confusionMatrix,
  meanAbsoluteError,
  meanSquaredError,
  precisionRecallF1,
  r2Score,
  rocAuc,
  sensitivity,
  specificity,
  topKAccuracy,
} from "./metrics.ts";
import type { CompiledModule } from "./module.ts";

/** What `evaluate` returns: the loss and the metrics that fit it. */
export interface Evaluation {
  /**
   * Loss over the samples: the mean of the batch losses weighted by batch
   * size (for class weights, of each batch's weighted mean), or their sum
   * for a loss with `reduction: "sum"`.
   */
  readonly loss: number;
  /**
   * Classifiers: fraction of correct predictions — the arg-max class for
   * class labels; for binary cross-entropy on logits, a sample counts when
   * every output's sign matches its target ≥ 0.5 (exact match).
   */
  readonly accuracy?: number;
  /** Class labels with more than `topK` classes: fraction whose class is among the top k. */
  readonly topKAccuracy?: number;
  /** The k of `topKAccuracy`. */
  readonly topK?: number;
  /** Single-label classifiers: precision averaged over the classes (macro). */
  readonly precisionMacro?: number;
  /** Single-label classifiers: recall averaged over the classes (macro). */
  readonly recallMacro?: number;
  /** Single-label classifiers: F1 averaged over the classes (macro). */
  readonly f1Macro?: number;
  /** Single-label classifiers: precision from pooled counts (micro; equals the accuracy). */
  readonly precisionMicro?: number;
  /** Single-label classifiers: recall from pooled counts (micro; equals the accuracy). */
  readonly recallMicro?: number;
  /** Single-label classifiers: F1 from pooled counts (micro; equals the accuracy). */
  readonly f1Micro?: number;
  /** Single-label classifiers: `confusionMatrix[true][predicted]` counts. */
  readonly confusionMatrix?: number[][];
  /** Single-label classifiers: precision, recall, F1 and support of each class. */
  readonly perClass?: {
    readonly precision: readonly number[];
    readonly recall: readonly number[];
    readonly f1: readonly number[];
    readonly support: readonly number[];
  };
  /** Binary problems with both classes present: area under the ROC curve. */
  readonly rocAuc?: number;
  /** Binary problems: recall of class 1 (true-positive rate). */
  readonly sensitivity?: number;
  /** Binary problems: recall of class 0 (true-negative rate). */
  readonly specificity?: number;
  /** Regression: mean squared error over all outputs. */
  readonly mse?: number;
  /** Regression: its square root. */
  readonly rmse?: number;
  /** Regression: mean absolute error over all outputs. */
  readonly mae?: number;
  /** Regression: R², averaged over the outputs. */
  readonly r2?: number;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The k of `topKAccuracy` (default 5; reported when there are more classes than k). */
  readonly topK?: number;
}

/** How a model's outputs are read, from its loss. */
export type Task = "multiclass" | "binary" | "multilabel" | "regression";

/**
 * The kind of problem a compiled model solves, from its loss: class labels
 * are `multiclass`; sigmoid outputs (binary cross-entropy on logits) are
 * `binary` with one output and `multilabel` with several; anything else is
 * `regression`.
 */
export function taskOf(m: CompiledModule): Task {
  if (m.artifact.labels === "classes") return "multiclass";
  if (probabilitiesOf(m) === "sigmoid") return m.artifact.outputs === 1 ? "binary" : "multilabel";
  return "regression";
}

function probabilitiesOf(m: CompiledModule): "softmax" | "sigmoid" | undefined {
  const { artifact } = m;
  // Saves written before the artifact carried the field: the built-in losses by name.
  return artifact.probabilities ??
    (artifact.loss === "softmaxCrossEntropy"
      ? "softmax"
      : artifact.loss === "binaryCrossEntropyWithLogits"
      ? "sigmoid"
      : undefined);
}

function argmaxRows(p: ArrayLike<number>, rows: number, width: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (p[r * width + c] > p[r * width + best]) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * The metrics (all but the loss) of predictions against labels, for the
 * model's task. `predictions` are the raw outputs, `rows × outputs`.
 */
export function metricsOf(
  m: CompiledModule,
  labels: LabelArray,
  predictions: ArrayLike<number>,
  rows: number,
  topK = 5,
): Omit<Evaluation, "loss"> {
  const outputs = m.artifact.outputs;
  const task = taskOf(m);
  if (task === "regression") {
    const mse = meanSquaredError(labels, predictions);
    return {
      mse,
      rmse: Math.sqrt(mse),
      mae: meanAbsoluteError(labels, predictions),
      r2: r2Score(labels, predictions, outputs),
    };
  }
  if (task === "multilabel") {
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      let all = true;
      for (let c = 0; c < outputs; c++) {
        const i = r * outputs + c;
        if ((predictions[i] > 0 ? 1 : 0) !== (labels[i] >= 0.5 ? 1 : 0)) all = false;
      }
      if (all) correct++;
    }
    return { accuracy: correct / rows };
  }
  let yTrue: Int32Array;
  let yPred: Int32Array;
  let classes: number;
  let score: Float64Array | undefined; // binary problems: higher means class 1
  if (task === "binary") {
    classes = 2;
    yTrue = Int32Array.from(labels, (v) => (v >= 0.5 ? 1 : 0));
    yPred = Int32Array.from({ length: rows }, (_, r) => (predictions[r] > 0 ? 1 : 0));
    score = Float64Array.from({ length: rows }, (_, r) => predictions[r]);
  } else {
    classes = outputs;
    yTrue = Int32Array.from(labels);
    yPred = argmaxRows(predictions, rows, outputs);
    if (classes === 2) {
      score = Float64Array.from(
        { length: rows },
        (_, r) => predictions[2 * r + 1] - predictions[2 * r],
      );
    }
  }
  const scores = precisionRecallF1(yTrue, yPred, classes);
  const out: Record<string, unknown> = {
    accuracy: accuracy(yTrue, yPred),
    precisionMacro: scores.macro.precision,
    recallMacro: scores.macro.recall,
    f1Macro: scores.macro.f1,
    precisionMicro: scores.micro.precision,
    recallMicro: scores.micro.recall,
    f1Micro: scores.micro.f1,
    confusionMatrix: confusionMatrix(yTrue, yPred, classes),
    perClass: {
      precision: scores.precision,
      recall: scores.recall,
      f1: scores.f1,
      support: scores.support,
    },
  };
  if (task === "multiclass" && classes > topK) {
    out.topKAccuracy = topKAccuracy(yTrue, predictions, classes, topK);
    out.topK = topK;
  }
  if (score !== undefined) {
    out.sensitivity = sensitivity(yTrue, yPred);
    out.specificity = specificity(yTrue, yPred);
    const positives = yTrue.reduce((s, v) => s + v, 0);
    if (positives > 0 && positives < rows) out.rocAuc = rocAuc(yTrue, score);
  }
  return out as Omit<Evaluation, "loss">;
}

/**
 * The names of the numeric metrics `metricsOf` reports for a model (those
 * that depend on the data, such as ROC AUC with both classes present,
 * included).
 */
export function metricNames(m: CompiledModule, topK = 5): string[] {
  const task = taskOf(m);
  if (task === "regression") return ["mse", "rmse", "mae", "r2"];
  if (task === "multilabel") return ["accuracy"];
  const names = [
    "accuracy",
    "precisionMacro",
    "recallMacro",
    "f1Macro",
    "precisionMicro",
    "recallMicro",
    "f1Micro",
  ];
  const classes = task === "binary" ? 2 : m.artifact.outputs;
  if (task === "multiclass" && classes > topK) names.push("topKAccuracy");
  if (classes === 2) names.push("rocAuc", "sensitivity", "specificity");
  return names;
}

/**
 * Runs the evaluate program over a data set: the loss (the mean of the batch
 * losses weighted by batch size, or their sum for a loss with `reduction:
 * "sum"`) and a copy of every prediction (`rows × outputs`, f64).
 */
export function lossAndPredictions(
  m: CompiledModule,
  data: Feed,
  labels: LabelArray,
  rows: number,
): { loss: number; predictions: Float64Array } {
  const { outputs, maxBatch } = m.artifact;
  const predictions = new Float64Array(rows * outputs);
  const summed = m.artifact.lossReduction === "sum";
  let total = 0;
  for (let from = 0, n = 0; from < rows; from += n) {
    n = data.fitting(null, from, maxBatch); // as many samples as fit a call
    m.writeBatch(data, labels, null, from, n);
    const loss = m.evaluateBatch(n);
    total += summed ? loss : loss * n;
    predictions.set(m.predictions(n), from * outputs);
  }
  return { loss: summed ? total : total / rows, predictions };
}

/**
 * The mean loss and the metrics that fit the loss, over a data set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
 * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
 * const e = t.evaluate([[1, 0], [0, 1]], [0, 2]);
 * assert.ok(e.accuracy !== undefined && e.loss > 0 && e.confusionMatrix!.length === 3);
 * ```
 */
export function evaluateData(
  m: CompiledModule,
  x: Inputs,
  y: Labels,
  options: EvaluateOptions = {},
): Evaluation {
  checkOptionNames("evaluate", options, ["topK"], InputError);
  const topK = checkNumber(
    "evaluate",
    "topK",
    options.topK ?? 5,
    { integer: true, min: 1 },
    InputError,
  );
  const samples = readFeed(m, x);
  const labels = toLabels(y, samples.rows, m.spec);
  if (samples.rows === 0) throw new InputError("evaluate needs at least one sample");
  const { loss, predictions } = lossAndPredictions(m, samples, labels, samples.rows);
  return { loss, ...metricsOf(m, labels, predictions, samples.rows, topK) };
}

/**
 * The model's outputs for each sample, row-major (`rows × outputs`), at the
 * model's precision. `x` may be a single sample: a 1-D array of the model's
 * input features.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * const t = await compile(dense(2, 3), { loss: mse, batchSize: 4 });
 * assert.ok(t.predict([[1, 2], [3, 4]]).length === 6);
 * assert.ok(t.predict([1, 2]).length === 3); // one sample
 * ```
 */
export function predictData(m: CompiledModule, x: Inputs): Float32Array | Float64Array {
  const samples = readFeed(m, x);
  const { outputs, maxBatch } = m.artifact;
  const result = m.artifact.dtype === "f64"
    ? new Float64Array(samples.rows * outputs)
    : new Float32Array(samples.rows * outputs);
  for (let from = 0, n = 0; from < samples.rows; from += n) {
    n = samples.fitting(null, from, maxBatch);
    m.writeBatch(samples, null, null, from, n);
    result.set(m.predictBatch(n), from * outputs);
  }
  return result;
}

/**
 * Probabilities, row-major (`rows × outputs`, f64): a softmax over each row
 * for `softmaxCrossEntropy`, an elementwise sigmoid for
 * `binaryCrossEntropyWithLogits` (each loss says which in its
 * `probabilities` field).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
 * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
 * const p = t.predictProba([1, 2]);
 * assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-12);
 * ```
 */
export function predictProbaData(m: CompiledModule, x: Inputs): Float64Array {
  const kind = probabilitiesOf(m);
  if (kind === undefined) {
    throw new InputError(
      `The loss ${m.artifact.loss} does not say how outputs become probabilities: predictProba ` +
        `needs a softmax or sigmoid loss (softmaxCrossEntropy, binaryCrossEntropyWithLogits)`,
    );
  }
  const logits = predictData(m, x);
  const out = new Float64Array(logits.length);
  if (kind === "sigmoid") {
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i];
      out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
    return out;
  }
  const width = m.artifact.outputs;
  for (let r = 0; r < logits.length / width; r++) {
    let most = -Infinity;
    for (let c = 0; c < width; c++) most = Math.max(most, logits[r * width + c]);
    let total = 0;
    for (let c = 0; c < width; c++) {
      out[r * width + c] = Math.exp(logits[r * width + c] - most);
      total += out[r * width + c];
    }
    for (let c = 0; c < width; c++) out[r * width + c] /= total;
  }
  return out;
}

/**
 * Predicted classes: the arg-max class of each row for class labels; for
 * sigmoid outputs, 1 where the logit is positive (probability > 0.5) — one
 * value per sample with one output, `rows × outputs` values with several.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
 * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
 * t.setParams({ weight: [0, 1, 0, 0, 0, 1], bias: [0, 0, 0] });
 * assert.deepEqual([...t.predictClasses([[1, 0], [0, 1], [0, -1]])], [1, 2, 0]);
 * ```
 */
export function predictClassesData(m: CompiledModule, x: Inputs): Int32Array {
  const task = taskOf(m);
  if (task === "regression") {
    throw new InputError(
      `The loss ${m.artifact.loss} is not a classification loss: predictClasses needs class ` +
        `labels or sigmoid outputs; use predict for regression`,
    );
  }
  const logits = predictData(m, x);
  if (task === "multiclass") {
    return argmaxRows(logits, logits.length / m.artifact.outputs, m.artifact.outputs);
  }
  return Int32Array.from(logits, (v) => (v > 0 ? 1 : 0));
}
