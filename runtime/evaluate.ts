/**
 * Evaluation and prediction over data sets of any size, one compiled batch
 * at a time; parameters are never changed.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { type Labels, type Samples, toLabels, toSamples } from "./data.ts";
import type { CompiledModule } from "./module.ts";

/** What `evaluate` returns. */
export interface Evaluation {
  /** Mean loss over the samples. */
  readonly loss: number;
  /**
   * Fraction of correct predictions, for classifiers only: the arg-max class
   * for class labels; for binary cross-entropy on logits, a sample counts when
   * every output's sign matches its target (exact-match accuracy).
   */
  readonly accuracy?: number;
}

/**
 * Mean loss (and accuracy, for classifiers) over a data set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
 * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
 * const e = t.evaluate([[1, 0], [0, 1]], [0, 2]);
 * assert.ok(e.accuracy !== undefined && e.loss > 0);
 * ```
 */
export function evaluateData(m: CompiledModule, x: Samples, y: Labels): Evaluation {
  const samples = toSamples(x, m.spec);
  const labels = toLabels(y, samples.rows, m.spec);
  if (samples.rows === 0) throw new InputError("evaluate needs at least one sample");
  const { outputs, maxBatch } = m.artifact;
  const classes = m.artifact.labels === "classes";
  let total = 0;
  let correct = 0;
  for (let from = 0; from < samples.rows; from += maxBatch) {
    const n = Math.min(maxBatch, samples.rows - from);
    m.writeBatch(samples.data, labels, null, from, n);
    total += m.evaluateBatch(n) * n;
    const p = m.predictions(n);
    for (let r = 0; r < n; r++) {
      const base = r * outputs;
      if (classes) {
        let best = 0;
        for (let c = 1; c < outputs; c++) if (p[base + c] > p[base + best]) best = c;
        if (best === labels[from + r]) correct++;
      } else {
        let all = true;
        for (let c = 0; c < outputs; c++) {
          const predicted = p[base + c] > 0 ? 1 : 0;
          if (predicted !== (labels[(from + r) * outputs + c] >= 0.5 ? 1 : 0)) all = false;
        }
        if (all) correct++;
      }
    }
  }
  const loss = total / samples.rows;
  const classifier = classes || m.artifact.loss === "binaryCrossEntropyWithLogits";
  return classifier ? { loss, accuracy: correct / samples.rows } : { loss };
}

/**
 * The model's outputs for each sample, row-major (`rows × outputs`), at the
 * model's precision.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * const t = await compile(dense(2, 3), { loss: mse, batchSize: 4 });
 * assert.ok(t.predict([[1, 2], [3, 4]]).length === 6);
 * ```
 */
export function predictData(m: CompiledModule, x: Samples): Float32Array | Float64Array {
  const samples = toSamples(x, m.spec);
  const { outputs, maxBatch } = m.artifact;
  const result = m.artifact.dtype === "f64"
    ? new Float64Array(samples.rows * outputs)
    : new Float32Array(samples.rows * outputs);
  for (let from = 0; from < samples.rows; from += maxBatch) {
    const n = Math.min(maxBatch, samples.rows - from);
    m.writeBatch(samples.data, null, null, from, n);
    result.set(m.predictBatch(n), from * outputs);
  }
  return result;
}
