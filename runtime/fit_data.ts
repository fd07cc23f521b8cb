/**
 * The data side of `fit`: the validation split (taken before any shuffling,
 * stratified for classifiers, deterministic), and the per-sample weights from
 * `sampleWeight` and `classWeight`.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { describeValue } from "../core/options.ts";
import type { LabelArray } from "./data.ts";
import type { Feed } from "./feed.ts";
import type { CompiledModule } from "./module.ts";

/** Training or validation data after checking: flat samples and labels. */
export interface FitData {
  /** The inputs of every sample. */
  readonly x: Feed;
  /** Labels, one per sample (class ids) or `outputs` per sample (targets). */
  readonly y: LabelArray;
  /** Number of samples. */
  readonly rows: number;
  /** Per-sample weights, or null for all 1. */
  readonly weights: Float64Array | null;
}

/** The class a label row stands for, for stratification and class weights; null for regression. */
export function classOfRow(m: CompiledModule, y: LabelArray): ((row: number) => number) | null {
  if (m.artifact.labels === "classes") return (row) => y[row];
  const sigmoid = (m.artifact.probabilities ??
    (m.artifact.loss === "binaryCrossEntropyWithLogits" ? "sigmoid" : undefined)) === "sigmoid";
  if (sigmoid && m.artifact.outputs === 1) return (row) => (y[row] >= 0.5 ? 1 : 0);
  return null;
}

function take(data: FitData, rows: readonly number[]): FitData {
  const per = data.y.length / data.rows;
  const x = data.x.take(rows);
  const y = new Float64Array(rows.length * per);
  const weights = data.weights === null ? null : new Float64Array(rows.length);
  rows.forEach((row, i) => {
    for (let c = 0; c < per; c++) y[i * per + c] = data.y[row * per + c];
    if (weights !== null) weights[i] = data.weights![row];
  });
  return { x, y, rows: rows.length, weights };
}

/**
 * Splits off the validation part, before any shuffling: the last
 * ⌊fraction·n⌋ samples (Keras's `validation_split`) — or, for classifiers,
 * the last ⌊fraction·n_c⌋ samples of each class c, so both parts keep the
 * class proportions. The same data always gives the same split.
 */
export function splitValidation(
  m: CompiledModule,
  data: FitData,
  fraction: number,
): { train: FitData; validation: FitData } {
  const classOf = classOfRow(m, data.y);
  const inValidation = new Uint8Array(data.rows);
  if (classOf === null) {
    const count = Math.floor(fraction * data.rows);
    for (let r = data.rows - count; r < data.rows; r++) inValidation[r] = 1;
  } else {
    const byClass = new Map<number, number[]>();
    for (let r = 0; r < data.rows; r++) {
      const c = classOf(r);
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(r);
    }
    for (const rows of byClass.values()) {
      const count = Math.floor(fraction * rows.length);
      for (const r of rows.slice(rows.length - count)) inValidation[r] = 1;
    }
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (let r = 0; r < data.rows; r++) (inValidation[r] ? validation : train).push(r);
  if (validation.length === 0 || train.length === 0) {
    throw new InputError(
      `validationSplit ${fraction} of ${data.rows} samples leaves ${validation.length} for ` +
        `validation and ${train.length} for training${
          classOf === null ? "" : " (split per class)"
        }: both need at least one`,
    );
  }
  return { train: take(data, train), validation: take(data, validation) };
}

/**
 * Per-sample weights: `sampleWeight` times the weight of each sample's class
 * (Keras multiplies the two). Null when neither is given.
 */
export function sampleWeights(
  m: CompiledModule,
  y: LabelArray,
  rows: number,
  sampleWeight: unknown,
  classWeight: unknown,
): Float64Array | null {
  if (sampleWeight === undefined && classWeight === undefined) return null;
  if (!m.takesSampleWeights) {
    throw new InputError(
      `sampleWeight and classWeight need a model compiled with per-sample weights: ` +
        `compile(model, { …, sampleWeights: true })`,
    );
  }
  const weights = new Float64Array(rows).fill(1);
  if (sampleWeight !== undefined) {
    const w = sampleWeight as ArrayLike<unknown>;
    if (typeof w !== "object" || w === null || typeof w.length !== "number") {
      throw new InputError(
        `fit option sampleWeight must be an array of ${rows} numbers, got ${
          describeValue(sampleWeight)
        }`,
      );
    }
    if (w.length !== rows) {
      throw new InputError(
        `fit option sampleWeight has ${w.length} values for ${rows} samples`,
      );
    }
    for (let r = 0; r < rows; r++) {
      const v = w[r];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new InputError(
          `sampleWeight must hold finite numbers ≥ 0, got ${describeValue(v)} at index ${r}`,
        );
      }
      weights[r] = v;
    }
  }
  if (classWeight !== undefined) {
    const classOf = classOfRow(m, y);
    if (classOf === null) {
      throw new InputError(
        `fit option classWeight needs a classifier (class labels, or one sigmoid output); ` +
          `the loss ${m.artifact.loss} has none: use sampleWeight`,
      );
    }
    const classes = m.artifact.labels === "classes" ? m.artifact.outputs : 2;
    if (typeof classWeight !== "object" || classWeight === null) {
      throw new InputError(
        `fit option classWeight must map class ids to weights ({ 0: 1, 1: 5 } or [1, 5]), got ${
          describeValue(classWeight)
        }`,
      );
    }
    const perClass = new Float64Array(classes).fill(1);
    for (const [key, value] of Object.entries(classWeight)) {
      const c = Number(key);
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new InputError(
          `classWeight has a weight for class ${key}, but the classes are 0..${classes - 1}`,
        );
      }
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new InputError(
          `classWeight of class ${key} must be a finite number ≥ 0, got ${describeValue(value)}`,
        );
      }
      perClass[c] = value;
    }
    for (let r = 0; r < rows; r++) weights[r] *= perClass[classOf(r)];
  }
  return weights;
}
