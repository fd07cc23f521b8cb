/**
 * `trainTestSplit`: a seeded random split into training and test sets, as
 * scikit-learn's `train_test_split` (the test set has ⌈testSize·n⌉ samples),
 * stratified by class when asked.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { checkNumber, checkOptionNames, describeValue } from "../core/options.ts";
import { permutation } from "../runtime/prng.ts";
import type { Matrix } from "./csv.ts";
import { type MatrixLike, toMatrix } from "./matrix.ts";

/** Options of `trainTestSplit`. */
export interface SplitOptions {
  /** Fraction of the samples in the test set, in (0, 1) (default 0.25). */
  readonly testSize?: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Keep each class's proportion in both sets (y holds class ids). Default false. */
  readonly stratify?: boolean;
  /** Shuffle before splitting (default true); without it the test set is the last samples. */
  readonly shuffle?: boolean;
}

/** The two sets, and which original rows went where. */
export interface Split {
  /** Training samples. */
  readonly xTrain: Matrix;
  /** Training labels (one value, or a row of values, per sample). */
  readonly yTrain: Float64Array;
  /** Test samples. */
  readonly xTest: Matrix;
  /** Test labels. */
  readonly yTest: Float64Array;
  /** Original row of each training sample. */
  readonly trainIndex: Int32Array;
  /** Original row of each test sample. */
  readonly testIndex: Int32Array;
}

/**
 * How many test samples each class gets: ⌈testSize·n⌉ in all, shared by
 * largest remainders of testSize·n_c (ties to the smaller class id).
 */
function quotas(counts: number[], total: number): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (c * total) / n);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((_, i) => i).sort((a, b) =>
    (exact[b] - Math.floor(exact[b])) - (exact[a] - Math.floor(exact[a])) || a - b
  );
  for (const i of order) {
    if (left === 0) break;
    if (out[i] < counts[i]) {
      out[i]++;
      left--;
    }
  }
  return out;
}

function rowsOf(m: Matrix, index: Int32Array): Matrix {
  const columns = m.shape[1];
  const data = new Float64Array(index.length * columns);
  index.forEach((row, i) =>
    data.set(m.data.subarray(row * columns, row * columns + columns), i * columns)
  );
  return { data, shape: [index.length, columns] };
}

function labelsOf(y: Float64Array, per: number, index: Int32Array): Float64Array {
  const out = new Float64Array(index.length * per);
  index.forEach((row, i) => out.set(y.subarray(row * per, row * per + per), i * per));
  return out;
}

/**
 * Splits samples and labels into training and test sets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainTestSplit } from "./split.ts";
 * const x = [[0], [1], [2], [3], [4], [5], [6], [7]];
 * const y = [0, 0, 0, 0, 0, 0, 1, 1];
 * const s = trainTestSplit(x, y, { testSize: 0.5, stratify: true, seed: 1 });
 * assert.equal(s.xTest.shape[0], 4);
 * assert.deepEqual([...s.yTest].sort(), [0, 0, 0, 1]); // the classes' proportions
 * ```
 */
export function trainTestSplit(
  x: MatrixLike,
  y: ArrayLike<number> | readonly ArrayLike<number>[],
  options: SplitOptions = {},
): Split {
  checkOptionNames(
    "trainTestSplit",
    options,
    ["testSize", "seed", "stratify", "shuffle"],
    InputError,
  );
  const m = toMatrix(x);
  const n = m.shape[0];
  const labels = Array.isArray(y) && y.length > 0 && typeof y[0] === "object"
    ? toMatrix(y as readonly ArrayLike<number>[], "y").data
    : Float64Array.from(y as ArrayLike<number>);
  if (n < 2 || labels.length % n !== 0 || labels.length === 0) {
    throw new InputError(
      `trainTestSplit needs at least 2 samples and labels for each: got ${n} samples and ${labels.length} label values`,
    );
  }
  const per = labels.length / n;
  const testSize = checkNumber("trainTestSplit", "testSize", options.testSize ?? 0.25, {
    min: 0,
    minOpen: true,
    max: 1,
  }, InputError);
  const seed = checkNumber("trainTestSplit", "seed", options.seed ?? 0, {
    integer: true,
    min: 0,
    max: 0xffffffff,
  }, InputError);
  for (const flag of ["stratify", "shuffle"] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== "boolean") {
      throw new InputError(
        `trainTestSplit option ${flag} must be a boolean, got ${describeValue(options[flag])}`,
      );
    }
  }
  const shuffle = options.shuffle ?? true;
  const nTest = Math.ceil(testSize * n);
  if (nTest >= n) {
    throw new InputError(`testSize ${testSize} of ${n} samples leaves no training samples`);
  }
  let test: number[];
  if (options.stratify) {
    if (!shuffle) throw new InputError("trainTestSplit: stratify needs shuffle (as scikit-learn)");
    if (per !== 1) throw new InputError("trainTestSplit: stratify needs one class id per sample");
    const byClass = new Map<number, number[]>();
    labels.forEach((c, i) => {
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(i);
    });
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const counts = classes.map((c) => byClass.get(c)!.length);
    const take = quotas(counts, nTest);
    test = [];
    classes.forEach((c, k) => {
      const members = byClass.get(c)!;
      const order = permutation(members.length, seed, k + 1);
      for (let i = 0; i < take[k]; i++) test.push(members[order[i]]);
    });
  } else if (shuffle) {
    test = Array.from(permutation(n, seed, 0).subarray(0, nTest));
  } else {
    test = Array.from({ length: nTest }, (_, i) => n - nTest + i);
  }
  const isTest = new Uint8Array(n);
  for (const i of test) isTest[i] = 1;
  let train = Array.from({ length: n }, (_, i) => i).filter((i) => !isTest[i]);
  if (shuffle) {
    // Both sets in a seeded random order, not grouped by class.
    const a = permutation(train.length, seed, 1_000_001);
    const b = permutation(test.length, seed, 1_000_002);
    train = Array.from(a, (i) => train[i]);
    test = Array.from(b, (i) => test[i]);
  }
  const trainIndex = Int32Array.from(train);
  const testIndex = Int32Array.from(test);
  return {
    xTrain: rowsOf(m, trainIndex),
    yTrain: labelsOf(labels, per, trainIndex),
    xTest: rowsOf(m, testIndex),
    yTest: labelsOf(labels, per, testIndex),
    trainIndex,
    testIndex,
  };
}
