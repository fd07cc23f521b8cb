/**
 * The per-step scalars of an optimizer, computed by the runtime before each
 * step and written into their slots (the compiled step reads them).
 *
 * @module
 */

import type { OptimizerConfig } from "../compiler/optimizers.ts";

/**
 * Scalars for step `t` (1-based), by input name. Adam: `adam.stepSize` =
 * lr / (1 − β₁ᵗ) and `adam.vScale` = 1 / √(1 − β₂ᵗ); SGD has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerScalars } from "./optimizer_scalars.ts";
 * const s = optimizerScalars({ kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 1);
 * assert.ok(Math.abs(s["adam.stepSize"] - 1e-2) < 1e-12);
 * ```
 */
export function optimizerScalars(config: OptimizerConfig, t: number): Record<string, number> {
  if (config.kind !== "adam") return {};
  return {
    "adam.stepSize": config.lr / (1 - Math.pow(config.beta1, t)),
    "adam.vScale": 1 / Math.sqrt(1 - Math.pow(config.beta2, t)),
  };
}
