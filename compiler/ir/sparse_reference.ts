/**
 * The f64 reference evaluation of the index ops — rows gathered from a table
 * by integer ids, pooled into bags, multiplied by a sparse matrix — and of
 * their gradients, which scatter-add into the rows that occur. The op table
 * (`ops.ts`) calls these; the kernels (`codegen/emit_sparse.ts`) compute the
 * same sums in the same order, so f64 WebAssembly agrees with them exactly.
 *
 * Ids and bag ends are stored as floats of the model's element type (like
 * class labels) and read as integers the way the kernels read them:
 * truncated toward zero, NaN as 0 (`indexOf`). An id outside the table
 * contributes nothing; bag ends are clamped to [previous end, capacity]. The
 * runtime rejects such data before it reaches a kernel; the clamping only
 * keeps a misused module from reading or writing outside its buffers.
 *
 * A batch of bags is given PyTorch's `EmbeddingBag` way, flattened: the ids
 * of every bag one after another (`[capacity]`, the first `ends[n − 1]`
 * used), and `ends[i]`, the index one past bag i's last id (bag i holds ids
 * `ends[i − 1] .. ends[i]`, bag 0 starts at 0). An empty bag pools to zeros.
 *
 * @module
 */

import type { Tensor64 } from "./ops.ts";

/**
 * The integer a kernel reads from a stored id or bag end
 * (`i32.trunc_sat_f*_s`): truncated toward zero, NaN as 0, saturated to the
 * i32 range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexOf } from "./sparse_reference.ts";
 * assert.deepEqual([indexOf(3), indexOf(2.7), indexOf(-1.5), indexOf(NaN)], [3, 2, -1, 0]);
 * ```
 */
export function indexOf(v: number): number {
  if (Number.isNaN(v)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
}

/**
 * Where each bag starts and ends: `bounds[i] .. bounds[i + 1]` are bag i's
 * positions in the id buffer. Each end is clamped to [the previous end,
 * `capacity`].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bagBounds } from "./sparse_reference.ts";
 * assert.deepEqual([...bagBounds([2, 2, 5], 8)], [0, 2, 2, 5]); // bag 1 is empty
 * assert.deepEqual([...bagBounds([3, 1, 99], 8)], [0, 3, 3, 8]); // clamped
 * ```
 */
export function bagBounds(ends: ArrayLike<number>, capacity: number): Int32Array {
  const bounds = new Int32Array(ends.length + 1);
  for (let i = 0; i < ends.length; i++) {
    const end = Math.min(indexOf(ends[i]), capacity);
    bounds[i + 1] = Math.max(end, bounds[i]);
  }
  return bounds;
}

/** Whether `id` names a row of a table with `rows` rows. */
function inTable(id: number, rows: number): boolean {
  return id >= 0 && id < rows;
}

/** `[rows, cols]` of a matrix. */
function dims(t: Tensor64): [number, number] {
  return [t.shape[0], t.shape[1]];
}

/**
 * `gather`: row `ids[r]` of the table for each id, in order — `[n, L·D]` for
 * ids `[n, L]` (or `[n]`, L = 1); an id outside the table gives zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gather64 } from "./sparse_reference.ts";
 * const table = { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] };
 * const ids = { data: Float64Array.of(2, 0), shape: [2] };
 * assert.deepEqual([...gather64(table, ids)], [5, 6, 1, 2]);
 * ```
 */
export function gather64(table: Tensor64, ids: Tensor64): Float64Array {
  const [rows, d] = dims(table);
  const out = new Float64Array(ids.data.length * d);
  ids.data.forEach((v, r) => {
    const id = indexOf(v);
    if (inTable(id, rows)) out.set(table.data.subarray(id * d, id * d + d), r * d);
  });
  return out;
}

/**
 * `scatteradd`: the gradient of `gather` — row r of g (`[n, L·D]` seen as
 * `[n·L, D]`) added into row `ids[r]` of a zero `[rows, D]` table, in order
 * of r.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scatterAdd64 } from "./sparse_reference.ts";
 * const ids = { data: Float64Array.of(1, 1), shape: [2] };
 * const g = { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] };
 * assert.deepEqual([...scatterAdd64(ids, g, 3)], [0, 0, 4, 6, 0, 0]);
 * ```
 */
export function scatterAdd64(ids: Tensor64, g: Tensor64, rows: number): Float64Array {
  const d = g.data.length / Math.max(1, ids.data.length);
  const out = new Float64Array(rows * d);
  ids.data.forEach((v, r) => {
    const id = indexOf(v);
    if (!inTable(id, rows)) return;
    for (let j = 0; j < d; j++) out[id * d + j] += g.data[r * d + j];
  });
  return out;
}

/**
 * `bag` and `spmm`: for each bag i, Σ over its positions k of
 * `weights[k] · table[ids[k]]` (weights 1 without `weights`), accumulated in
 * order from zero; with `pool: "mean"`, divided by the bag's size (an empty
 * bag gives zeros). Result `[n, D]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bag64 } from "./sparse_reference.ts";
 * const table = { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] };
 * const ids = { data: Float64Array.of(0, 2, 1, 0), shape: [4] };
 * const ends = { data: Float64Array.of(2, 2, 3), shape: [3] };
 * assert.deepEqual([...bag64(table, ids, ends, "mean", null)], [3, 4, 0, 0, 3, 4]);
 * ```
 */
export function bag64(
  table: Tensor64,
  ids: Tensor64,
  ends: Tensor64,
  pool: "sum" | "mean",
  weights: Tensor64 | null,
): Float64Array {
  const [rows, d] = dims(table);
  const n = ends.data.length;
  const bounds = bagBounds(ends.data, ids.data.length);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = bounds[i]; k < bounds[i + 1]; k++) {
      const id = indexOf(ids.data[k]);
      if (!inTable(id, rows)) continue;
      for (let j = 0; j < d; j++) {
        const v = table.data[id * d + j];
        out[i * d + j] += weights === null ? v : v * weights.data[k];
      }
    }
    const count = bounds[i + 1] - bounds[i];
    if (pool === "mean" && count > 0) {
      for (let j = 0; j < d; j++) out[i * d + j] /= count;
    }
  }
  return out;
}

/**
 * `bagscatter` and `spmmscatter`: the gradient of `bag`/`spmm` with respect
 * to the table — for each bag i in order and each position k in it,
 * `g[i] · weights[k]` (or `g[i] / size` for a mean) added into row `ids[k]`
 * of a zero `[rows, D]` table. Rows no id names stay exactly zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bagScatter64 } from "./sparse_reference.ts";
 * const ids = { data: Float64Array.of(2, 2, 0), shape: [3] };
 * const ends = { data: Float64Array.of(2, 3), shape: [2] };
 * const g = { data: Float64Array.of(1, 2, 10, 20), shape: [2, 2] };
 * assert.deepEqual([...bagScatter64(ids, ends, g, "sum", null, 3)], [10, 20, 0, 0, 2, 4]);
 * ```
 */
export function bagScatter64(
  ids: Tensor64,
  ends: Tensor64,
  g: Tensor64,
  pool: "sum" | "mean",
  weights: Tensor64 | null,
  rows: number,
): Float64Array {
  const [n, d] = dims(g);
  const bounds = bagBounds(ends.data, ids.data.length);
  const out = new Float64Array(rows * d);
  for (let i = 0; i < n; i++) {
    const count = bounds[i + 1] - bounds[i];
    for (let k = bounds[i]; k < bounds[i + 1]; k++) {
      const id = indexOf(ids.data[k]);
      if (!inTable(id, rows)) continue;
      for (let j = 0; j < d; j++) {
        const gij = g.data[i * d + j];
        const term = weights !== null ? gij * weights.data[k] : pool === "mean" ? gij / count : gij;
        out[id * d + j] += term;
      }
    }
  }
  return out;
}

/**
 * `spmmdot`: the gradient of `spmm` with respect to its values — for each
 * position k of bag i, the dot product `g[i] · table[ids[k]]` (summed in
 * order); positions past the last bag's end, and ids outside the table, get
 * zero. Result `[capacity]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spmmDot64 } from "./sparse_reference.ts";
 * const table = { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] };
 * const cols = { data: Float64Array.of(1, 0, 0), shape: [3] };
 * const ends = { data: Float64Array.of(2), shape: [1] };
 * const g = { data: Float64Array.of(1, 10), shape: [1, 2] };
 * assert.deepEqual([...spmmDot64(table, cols, ends, g)], [43, 21, 0]);
 * ```
 */
export function spmmDot64(
  table: Tensor64,
  cols: Tensor64,
  ends: Tensor64,
  g: Tensor64,
): Float64Array {
  const [rows, d] = dims(table);
  const n = ends.data.length;
  const bounds = bagBounds(ends.data, cols.data.length);
  const out = new Float64Array(cols.data.length);
  for (let i = 0; i < n; i++) {
    for (let k = bounds[i]; k < bounds[i + 1]; k++) {
      const id = indexOf(cols.data[k]);
      if (!inTable(id, rows)) continue;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += g.data[i * d + j] * table.data[id * d + j];
      out[k] = dot;
    }
  }
  return out;
}
