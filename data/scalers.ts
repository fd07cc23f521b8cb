/**
 * Feature scalers, fit on training data and applied to any data, with
 * scikit-learn's definitions: `standardScaler` (zero mean, unit population
 * variance) and `minMaxScaler` (each feature mapped to a range). A scaler is
 * plain data plus a `transform` method; set it as `trainer.preprocessing`
 * and the trainer scales every input itself, and saves the scaler with the
 * model, so a loaded model predicts on raw inputs.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import {
  applyScaler,
  type MinMaxScalerData,
  type StandardScalerData,
} from "../core/preprocessing.ts";
import { checkOptionNames, describeValue } from "../core/options.ts";
import type { Matrix } from "./csv.ts";
import { type MatrixLike, toMatrix } from "./matrix.ts";

/** A fitted scaler: its data, and a transform of new samples. */
export type Scaler<T> = T & {
  /** Scales samples with the fitted statistics (a new matrix). */
  transform(x: MatrixLike): Matrix;
};

function withTransform<T extends StandardScalerData | MinMaxScalerData>(data: T): Scaler<T> {
  return {
    ...data,
    transform(x: MatrixLike): Matrix {
      const m = toMatrix(x);
      if (m.shape[1] !== data.scale.length) {
        throw new InputError(
          `The scaler was fit on ${data.scale.length} features, x has ${m.shape[1]}`,
        );
      }
      return { data: applyScaler(data, m.data), shape: m.shape };
    },
  };
}

function columns(m: Matrix): number[][] {
  const [rows, cols] = m.shape;
  if (rows === 0) throw new InputError("A scaler needs at least one sample to fit");
  return Array.from(
    { length: cols },
    (_, c) => Array.from({ length: rows }, (_, r) => m.data[r * cols + c]),
  );
}

/**
 * Fits a standard scaler: `(x − mean) / std` per feature, with the
 * population standard deviation (1 for a constant feature), as scikit-learn's
 * `StandardScaler`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { standardScaler } from "./scalers.ts";
 * const s = standardScaler([[1, 5], [3, 5]]);
 * assert.deepEqual(s.mean, [2, 5]);
 * assert.deepEqual(s.scale, [1, 1]);
 * assert.deepEqual([...s.transform([[3, 6]]).data], [1, 1]);
 * ```
 */
export function standardScaler(x: MatrixLike): Scaler<StandardScalerData> {
  const cols = columns(toMatrix(x));
  const mean = cols.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const scale = cols.map((v, c) => {
    const variance = v.reduce((a, b) => a + (b - mean[c]) ** 2, 0) / v.length;
    return variance === 0 ? 1 : Math.sqrt(variance);
  });
  return withTransform({ kind: "standardScaler", mean, scale });
}

/**
 * Fits a min-max scaler: each feature's training range mapped to
 * `featureRange` (default [0, 1]) as `x · scale + min`, with scikit-learn's
 * `MinMaxScaler` attributes (a constant feature gets scale 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { minMaxScaler } from "./scalers.ts";
 * const s = minMaxScaler([[0, 10], [2, 20]]);
 * assert.deepEqual([...s.transform([[1, 15], [4, 10]]).data], [0.5, 0.5, 2, 0]);
 * ```
 */
export function minMaxScaler(
  x: MatrixLike,
  options: { featureRange?: readonly [number, number] } = {},
): Scaler<MinMaxScalerData> {
  checkOptionNames("minMaxScaler", options, ["featureRange"], InputError);
  const [low, high] = options.featureRange ?? [0, 1];
  if (!(typeof low === "number" && typeof high === "number" && low < high)) {
    throw new InputError(
      `minMaxScaler option featureRange must be [low, high] with low < high, got ${
        describeValue(options.featureRange)
      }`,
    );
  }
  const cols = columns(toMatrix(x));
  // A loop, not Math.min(...v): spreading a long column overflows the call stack.
  const least = cols.map((v) => v.reduce((a, b) => Math.min(a, b)));
  const scale = cols.map((v, c) => {
    const range = v.reduce((a, b) => Math.max(a, b)) - least[c];
    return (high - low) / (range === 0 ? 1 : range);
  });
  const min = cols.map((_, c) => low - least[c] * scale[c]);
  return withTransform({ kind: "minMaxScaler", min, scale });
}
