/**
 * The functions an f64 module imports as `env.*` (f32 modules compute their
 * transcendentals in WebAssembly and import nothing).
 *
 * @module
 */

/**
 * The `env` imports of compiled modules.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MATH_IMPORTS } from "./math_imports.ts";
 * assert.ok(MATH_IMPORTS.exp(0) === 1);
 * ```
 */
export const MATH_IMPORTS: Readonly<Record<"exp" | "log" | "tanh", (x: number) => number>> = Object
  .freeze({
    exp: Math.exp,
    log: Math.log,
    tanh: Math.tanh,
  });
