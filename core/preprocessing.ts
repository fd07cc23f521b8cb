/**
 * Input preprocessing that travels with a model: a feature scaler as plain
 * data (scikit-learn's fitted attributes), applied by the trainer to every
 * input, so a saved model predicts on raw inputs. The data entry point's
 * `standardScaler` and `minMaxScaler` fit them; saves keep them in their own
 * versioned field, apart from the compiled artifact.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { describeValue } from "./options.ts";

/** `(x − mean) / scale` per feature (scikit-learn's `StandardScaler`). */
export interface StandardScalerData {
  /** Discriminates scalers. */
  readonly kind: "standardScaler";
  /** Mean of each feature on the data it was fit on. */
  readonly mean: readonly number[];
  /** Standard deviation of each feature (population; 1 where it is 0). */
  readonly scale: readonly number[];
}

/** `x · scale + min` per feature (scikit-learn's `MinMaxScaler`). */
export interface MinMaxScalerData {
  /** Discriminates scalers. */
  readonly kind: "minMaxScaler";
  /** Offset of each feature: `low − dataMin · scale`. */
  readonly min: readonly number[];
  /** Factor of each feature: `(high − low) / (dataMax − dataMin)` (1 over a zero range). */
  readonly scale: readonly number[];
}

/** A fitted scaler, as plain data. */
export type ScalerData = StandardScalerData | MinMaxScalerData;

/** Version of the preprocessing field of saved models. */
export const PREPROCESSING_VERSION = 1;

/** The preprocessing field of a saved model. */
export interface SavedPreprocessing {
  /** `PREPROCESSING_VERSION`. */
  readonly version: number;
  /** The scaler applied to inputs. */
  readonly scaler: ScalerData;
}

function numbers(what: string, value: unknown, features: number): number[] {
  if (!Array.isArray(value) && !(value instanceof Float64Array)) {
    throw new InputError(
      `${what} must be an array of ${features} numbers, got ${describeValue(value)}`,
    );
  }
  const list = Array.from(value as ArrayLike<unknown>);
  if (list.length !== features) {
    throw new InputError(`${what} has ${list.length} values; the model takes ${features} features`);
  }
  list.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${what} has ${describeValue(v)} at ${i}: every value must be finite`);
    }
  });
  return list as number[];
}

/**
 * Checks a scaler against the model's feature count; returns a plain copy
 * (methods and other fields dropped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkScaler } from "./preprocessing.ts";
 * const s = checkScaler({ kind: "standardScaler", mean: [1], scale: [2] }, 1);
 * assert.deepEqual(s, { kind: "standardScaler", mean: [1], scale: [2] });
 * assert.throws(() => checkScaler({ kind: "standardScaler", mean: [1], scale: [2] }, 3), /3 features/);
 * ```
 */
export function checkScaler(value: unknown, features: number): ScalerData {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === "standardScaler") {
    const v = value as StandardScalerData;
    const scale = numbers("The scaler's scale", v.scale, features);
    if (scale.some((s) => s === 0)) throw new InputError("The scaler's scale has a 0");
    return { kind, mean: numbers("The scaler's mean", v.mean, features), scale };
  }
  if (kind === "minMaxScaler") {
    const v = value as MinMaxScalerData;
    return {
      kind,
      min: numbers("The scaler's min", v.min, features),
      scale: numbers("The scaler's scale", v.scale, features),
    };
  }
  throw new InputError(
    `A preprocessing scaler must be made by standardScaler or minMaxScaler (data entry point), ` +
      `got ${describeValue(value)}`,
  );
}

/**
 * Applies a scaler to `rows × features` values, into a new array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyScaler } from "./preprocessing.ts";
 * const s = { kind: "standardScaler", mean: [1, 0], scale: [2, 1] } as const;
 * assert.deepEqual([...applyScaler(s, [3, 5, 1, 1])], [1, 5, 0, 1]);
 * ```
 */
export function applyScaler(scaler: ScalerData, data: ArrayLike<number>): Float64Array {
  const features = scaler.scale.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = i % features;
    out[i] = scaler.kind === "standardScaler"
      ? (data[i] - scaler.mean[c]) / scaler.scale[c]
      : data[i] * scaler.scale[c] + scaler.min[c];
  }
  return out;
}
