/**
 * `UpdateEmitter` over plain numbers (one element at a time): lets an entry's
 * update rule be evaluated on scalars, for documentation examples. The tests
 * never use it as a reference — their references are written separately from
 * PyTorch's documentation.
 *
 * @module
 */

import type { UpdateEmitter } from "./def.ts";

/**
 * An emitter computing on numbers; `scalars` are the per-step scalars by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberEmitter } from "./number_emitter.ts";
 * const e = numberEmitter({ lr: 0.5 });
 * assert.equal(e.sub(3, e.mul(e.scalar("lr"), 2)), 2);
 * ```
 */
export function numberEmitter(
  scalars: Readonly<Record<string, number>> = {},
): UpdateEmitter<number> {
  return {
    constant: (value) => value,
    scalar: (name) => {
      const value = scalars[name];
      if (value === undefined) throw new Error(`no per-step scalar "${name}" given`);
      return value;
    },
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    sqrt: (a) => Math.sqrt(a),
    greaterEqual: (a, b) => (a >= b ? 1 : 0),
    positive: (a) => (a > 0 ? 1 : 0),
    sumAll: (a) => a,
  };
}
