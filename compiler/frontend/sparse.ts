/**
 * The index primitives of the DSL: rows of a table picked by integer ids
 * (`gather`), pooled per bag (`bag`, PyTorch's `embedding_bag`), and a
 * sparse matrix in CSR form times a dense one (`sparseMatmul`). Their
 * gradients with respect to the table are scatter-adds into the rows that
 * occur (`ir/sparse_reference.ts`): no one-hot matrix, no (batch × rows)
 * buffer.
 *
 * Ids and bag ends are tensors of integers stored as floats (like class
 * labels); no gradient flows to them. The layers (`embedding`,
 * `embeddingBag`, `dense` over sparse rows) and the model inputs that
 * provide these tensors are in `inputs.ts` and `embedding.ts`.
 *
 * @module
 */

import type { Attrs, OpName } from "../ir/ir.ts";
import { inferShape } from "../ir/ops.ts";
import type { Tensor } from "./tensor.ts";

function make(op: OpName, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  const shape = inferShape(op, inputs.map((t) => t.shape), attrs);
  return Object.freeze({
    op,
    inputs: Object.freeze([...inputs]),
    shape,
    attrs: Object.freeze(attrs),
  });
}

/** How a bag's rows are pooled: their sum or their mean (an empty bag gives zeros either way). */
export type Pool = "sum" | "mean";

/**
 * Rows of `table` (`[V, D]`) picked by integer ids: ids `[n]` give `[n, D]`;
 * ids `[n, L]` give `[n, L·D]`, each sample's L rows side by side (PyTorch's
 * `embedding` output `[n, L, D]`, flattened). An id outside `0..V−1` gives
 * zeros. The table's gradient is a scatter-add of the rows of the cotangent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gather } from "./sparse.ts";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * const y = gather(input("table", [3, 2]), input("ids", [2]));
 * const values = evaluateF64(y, { table: [1, 2, 3, 4, 5, 6], ids: [2, 0] });
 * assert.deepEqual([...values], [5, 6, 1, 2]);
 * ```
 */
export function gather(table: Tensor, ids: Tensor): Tensor {
  return make("gather", [table, ids]);
}

/**
 * Bags of rows of `table` (`[V, D]`), pooled: `ids` (`[T]`) holds every bag's
 * ids one after another and `ends` (`[n]`) where each bag ends — bag i holds
 * `ids[ends[i−1] .. ends[i]]` (bag 0 from 0) — so the result `[n, D]` is
 * PyTorch's `embedding_bag(ids, table, offsets, mode)` with
 * `offsets[i] = ends[i−1]`. `pool` is `"mean"` (default) or `"sum"`; an
 * empty bag gives zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bag } from "./sparse.ts";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * const y = bag(input("table", [3, 1]), input("ids", [4]), input("ends", [3]));
 * const values = evaluateF64(y, { table: [10, 20, 30], ids: [0, 2, 1, 0], ends: [2, 2, 4] });
 * assert.deepEqual([...values], [20, 0, 15]); // mean of rows 0 and 2; empty; mean of rows 1 and 0
 * ```
 */
export function bag(table: Tensor, ids: Tensor, ends: Tensor, pool: Pool = "mean"): Tensor {
  return make("bag", [table, ids, ends], { pool });
}

/**
 * A sparse matrix times a dense one: row i of the sparse matrix holds
 * `values[k]` in column `columns[k]` for k in `ends[i−1] .. ends[i]` (CSR
 * form, `[T]`, `[T]`, `[n]`); the result `[n, D]` is Σₖ values[k]·w[columns[k]]
 * per row — also PyTorch's `embedding_bag` with `per_sample_weights` and
 * mode `"sum"`. Gradients flow to `w` (a scatter-add into the rows that
 * occur) and to `values`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sparseMatmul } from "./sparse.ts";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * const y = sparseMatmul(input("v", [3]), input("c", [3]), input("e", [2]), input("w", [4, 1]));
 * const values = evaluateF64(y, { v: [2, 1, 5], c: [0, 3, 1], e: [2, 3], w: [1, 10, 100, 1000] });
 * assert.deepEqual([...values], [1002, 50]); // 2·w[0] + 1·w[3]; 5·w[1]
 * ```
 */
export function sparseMatmul(
  values: Tensor,
  columns: Tensor,
  ends: Tensor,
  w: Tensor,
): Tensor {
  return make("spmm", [w, columns, ends, values]);
}
