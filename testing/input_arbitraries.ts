/**
 * fast-check arbitraries for models that read token lists or sparse rows:
 * batches of token lists (empty lists and repeated ids included) and of
 * sparse rows, in the forms `fit`, `checkModelGradients` and
 * `compareF32ToF64` take.
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import type { Arbitrary } from "./fast_check_types.ts";

/** Options of `tokenLists`. */
export interface TokenListOptions {
  /** Ids are drawn from `0..vocab−1`. */
  readonly vocab: number;
  /** Fewest lists (samples), default 1. */
  readonly minRows?: number;
  /** Most lists, default 8. */
  readonly maxRows?: number;
  /** Longest list, default 6 (lists may be empty). */
  readonly maxLength?: number;
}

/**
 * Batches of token lists: one list of ids per sample, of length 0 to
 * `maxLength`, ids in `0..vocab−1` (repeats included).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { tokenLists } from "./input_arbitraries.ts";
 * fc.assert(fc.property(tokenLists({ vocab: 10 }), (lists) => {
 *   assert.ok(lists.length >= 1 && lists.every((l) => l.every((id) => id >= 0 && id < 10)));
 * }), { numRuns: 20, seed: 1 });
 * ```
 */
export function tokenLists(options: TokenListOptions): Arbitrary<number[][]> {
  const { vocab, minRows = 1, maxRows = 8, maxLength = 6 } = options;
  if (!Number.isInteger(vocab) || vocab < 1) {
    throw new RangeError(`tokenLists: vocab must be a positive integer, got ${vocab}`);
  }
  return fc.array(
    fc.array(fc.integer({ min: 0, max: vocab - 1 }), { maxLength }),
    { minLength: minRows, maxLength: maxRows },
  );
}

/** Options of `sparseRows`. */
export interface SparseRowOptions {
  /** Columns are drawn from `0..features−1`. */
  readonly features: number;
  /** Fewest rows (samples), default 1. */
  readonly minRows?: number;
  /** Most rows, default 8. */
  readonly maxRows?: number;
  /** Most values in a row, default 4 (rows may be empty). */
  readonly maxPerRow?: number;
  /** Values are drawn from [−range, range], default 2. */
  readonly range?: number;
}

/**
 * Batches of sparse rows, as `{ values, columns }` with one list per sample:
 * distinct, increasing columns per row, each with a finite value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { sparseRows } from "./input_arbitraries.ts";
 * fc.assert(fc.property(sparseRows({ features: 50 }), ({ values, columns }) => {
 *   assert.ok(values.length === columns.length && values.every((v, r) => v.length === columns[r].length));
 * }), { numRuns: 20, seed: 1 });
 * ```
 */
export function sparseRows(
  options: SparseRowOptions,
): Arbitrary<{ values: number[][]; columns: number[][] }> {
  const { features, minRows = 1, maxRows = 8, maxPerRow = 4, range = 2 } = options;
  if (!Number.isInteger(features) || features < 1) {
    throw new RangeError(`sparseRows: features must be a positive integer, got ${features}`);
  }
  const row = fc.uniqueArray(fc.integer({ min: 0, max: features - 1 }), {
    maxLength: Math.min(maxPerRow, features),
  }).chain((columns) =>
    fc.array(fc.double({ min: -range, max: range, noNaN: true }), {
      minLength: columns.length,
      maxLength: columns.length,
    }).map((values) => {
      const sorted = columns.map((c, k) => [c, values[k]] as const).sort((a, b) => a[0] - b[0]);
      return { columns: sorted.map(([c]) => c), values: sorted.map(([, v]) => v) };
    })
  );
  return fc.array(row, { minLength: minRows, maxLength: maxRows }).map((rows) => ({
    values: rows.map((r) => r.values),
    columns: rows.map((r) => r.columns),
  }));
}
