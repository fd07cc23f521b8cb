/**
 * Static shapes. A dimension is a number, or `"batch"`: the leading dimension
 * whose size is chosen at run time, up to the compiled maximum. Ranks 0 to 2
 * are supported (scalars, vectors, matrices), which is all an MLP needs.
 *
 * @module
 */

/** One dimension: a fixed size, or the run-time batch size. */
export type Dim = number | "batch";

/** A static shape, outermost dimension first. */
export type Shape = readonly Dim[];

/** Element type of every tensor in a compiled graph. */
export type DType = "f32" | "f64";

/** The highest rank the compiler lowers. */
export const MAX_RANK = 2;

/**
 * Formats a shape the way error messages and printed graphs show it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatShape } from "./shape.ts";
 * assert.ok(formatShape(["batch", 784]) === "f32[batch,784]");
 * ```
 */
export function formatShape(shape: Shape, dtype: DType = "f32"): string {
  return `${dtype}[${shape.join(",")}]`;
}

/**
 * True when both shapes are the same, dimension by dimension.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameShape } from "./shape.ts";
 * assert.ok(sameShape(["batch", 3], ["batch", 3]) && !sameShape([3], [1, 3]));
 * ```
 */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The shape two operands broadcast to (NumPy rules, aligned at the trailing
 * dimension), or `null` when they do not broadcast.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { broadcastShapes } from "./shape.ts";
 * assert.ok(broadcastShapes(["batch", 10], [10])?.join() === "batch,10");
 * assert.ok(broadcastShapes([3, 4], [5]) === null);
 * ```
 */
export function broadcastShapes(a: Shape, b: Shape): Shape | null {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else return null;
  }
  return out;
}

/**
 * Number of elements of a shape when the batch dimension has size `batch`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { elementCount } from "./shape.ts";
 * assert.ok(elementCount(["batch", 10], 32) === 320);
 * assert.ok(elementCount([], 32) === 1);
 * ```
 */
export function elementCount(shape: Shape, batch: number): number {
  let n = 1;
  for (const d of shape) n *= d === "batch" ? batch : d;
  return n;
}

/**
 * Resolves the batch dimension to a concrete size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concreteShape } from "./shape.ts";
 * assert.ok(concreteShape(["batch", 2], 5).join() === "5,2");
 * ```
 */
export function concreteShape(shape: Shape, batch: number): number[] {
  return shape.map((d) => (d === "batch" ? batch : d));
}
