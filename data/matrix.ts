/**
 * Checking the matrices the data helpers take: rows of numbers, or
 * `{ data, shape: [rows, columns] }`.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { describeValue } from "../core/options.ts";
import type { Matrix } from "./csv.ts";

/** Rows of numbers, or a matrix (`{ data, shape }`). */
export type MatrixLike =
  | readonly ArrayLike<number>[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly number[] };

/**
 * A matrix as `{ data: Float64Array, shape }` (a copy), every value checked
 * to be a finite number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toMatrix } from "./matrix.ts";
 * assert.deepEqual(toMatrix([[1, 2], [3, 4]]).shape, [2, 2]);
 * ```
 */
export function toMatrix(x: MatrixLike, what = "x"): Matrix {
  let rows: number;
  let columns: number;
  let at: (r: number, c: number) => unknown;
  if (Array.isArray(x)) {
    const list = x as readonly ArrayLike<unknown>[];
    rows = list.length;
    columns = rows === 0 ? 0 : list[0]?.length ?? 0;
    list.forEach((row, r) => {
      if (row?.length !== columns) {
        throw new InputError(`${what}: row ${r} has ${row?.length} values, row 0 has ${columns}`);
      }
    });
    at = (r, c) => list[r][c];
  } else if (typeof x === "object" && x !== null && "data" in x && "shape" in x) {
    const { data, shape } = x as { data: ArrayLike<unknown>; shape: readonly number[] };
    if (shape.length !== 2 || shape[0] * shape[1] !== data.length) {
      throw new InputError(`${what}: shape [${shape}] does not fit ${data.length} values`);
    }
    [rows, columns] = shape;
    at = (r, c) => data[r * columns + c];
  } else {
    throw new InputError(
      `${what} must be rows of numbers or { data, shape }, got ${describeValue(x)}`,
    );
  }
  const data = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const v = at(r, c);
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InputError(
          `${what} has ${describeValue(v)} at row ${r}, column ${c}: expected a finite number`,
        );
      }
      data[r * columns + c] = v;
    }
  }
  return { data, shape: [rows, columns] };
}
