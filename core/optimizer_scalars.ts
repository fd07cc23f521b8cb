/**
 * The per-step scalars of an optimizer, computed by the runtime before each
 * step and written into their slots (the compiled step reads them).
 *
 * @module
 */

import type { OptimizerConfig } from "./optimizers.ts";

/** Names of Adam's per-step scalar inputs, shared by the compiler (graph inputs) and the runtime. */
export const ADAM_SCALARS = { stepSize: "adam.stepSize", vScale: "adam.vScale" } as const;

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
  const out: Record<string, number> = {};
  writeOptimizerScalars(config, t, (name, value) => {
    out[name] = value;
  });
  return out;
}

/**
 * Hands each scalar of step `t` to `write`, allocating nothing: the form the
 * runtime uses on every training step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOptimizerScalars } from "./optimizer_scalars.ts";
 * const seen: string[] = [];
 * writeOptimizerScalars({ kind: "sgd", lr: 0.1, momentum: 0 }, 1, (name) => seen.push(name));
 * assert.equal(seen.length, 0);
 * ```
 */
export function writeOptimizerScalars(
  config: OptimizerConfig,
  t: number,
  write: (name: string, value: number) => void,
): void {
  if (config.kind !== "adam") return;
  write(ADAM_SCALARS.stepSize, config.lr / (1 - Math.pow(config.beta1, t)));
  write(ADAM_SCALARS.vScale, 1 / Math.sqrt(1 - Math.pow(config.beta2, t)));
}
