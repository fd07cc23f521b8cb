/**
 * Class names to class ids and back, and one-hot encoding.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import type { Matrix } from "./csv.ts";

/**
 * Maps class names to ids `0..k−1`: by the order of `classes` when given,
 * otherwise by the sorted distinct names (scikit-learn's `LabelEncoder`).
 * Keep `classes` to turn predicted ids back into names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeLabels } from "./labels.ts";
 * const { ids, classes } = encodeLabels(["dog", "cat", "dog"]);
 * assert.deepEqual([...ids], [1, 0, 1]);
 * assert.deepEqual(classes, ["cat", "dog"]);
 * ```
 */
export function encodeLabels(
  names: readonly string[],
  classes?: readonly string[],
): { ids: Int32Array; classes: string[] } {
  const order = classes === undefined ? [...new Set(names)].sort() : [...classes];
  if (new Set(order).size !== order.length) {
    throw new InputError(`The class names repeat a name: ${order.join(", ")}`);
  }
  const index = new Map(order.map((name, i) => [name, i]));
  const ids = new Int32Array(names.length);
  names.forEach((name, i) => {
    const id = index.get(name);
    if (id === undefined) {
      throw new InputError(
        `Label "${name}" at index ${i} is not one of the classes ${order.join(", ")}`,
      );
    }
    ids[i] = id;
  });
  return { ids, classes: order };
}

/**
 * One-hot rows for class ids: row i has a 1 in column `ids[i]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneHot } from "./labels.ts";
 * const m = oneHot([2, 0], 3);
 * assert.deepEqual(m.shape, [2, 3]);
 * assert.deepEqual([...m.data], [0, 0, 1, 1, 0, 0]);
 * ```
 */
export function oneHot(ids: ArrayLike<number>, classes?: number): Matrix {
  let k = classes ?? 0;
  if (classes === undefined) { for (let i = 0; i < ids.length; i++) k = Math.max(k, ids[i] + 1); }
  if (!Number.isInteger(k) || k < 1) {
    throw new InputError(`oneHot needs a positive integer number of classes, got ${k}`);
  }
  const data = new Float64Array(ids.length * k);
  for (let i = 0; i < ids.length; i++) {
    const c = ids[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new InputError(`oneHot: class id ${c} at index ${i} is not an integer in 0..${k - 1}`);
    }
    data[i * k + c] = 1;
  }
  return { data, shape: [ids.length, k] };
}
