/**
 * The per-step scalars of an optimizer, computed by the runtime before each
 * step and written into their slots (the compiled step reads them). The
 * learning rate is one of them for every optimizer, so it can change between
 * steps without recompiling.
 *
 * @module
 */

import type { OptimizerConfig } from "./optimizers.ts";

/**
 * Names of the per-step scalar inputs, shared by the compiler (graph inputs)
 * and the runtime. `lr` is the learning rate (SGD); Adam folds it into its
 * bias-corrected step size.
 */
export const OPTIMIZER_SCALARS = {
  lr: "optimizer.lr",
  stepSize: "optimizer.stepSize",
  vScale: "optimizer.vScale",
} as const;

/** Prefix of every per-step scalar's name (reserved: no parameter may start with it). */
export const OPTIMIZER_SCALAR_PREFIX = "optimizer.";

/**
 * Scalars for step `t` (1-based) at learning rate `lr`, by input name. SGD:
 * `optimizer.lr` = lr. Adam: `optimizer.stepSize` = lr / (1 − β₁ᵗ) and
 * `optimizer.vScale` = 1 / √(1 − β₂ᵗ).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerScalars } from "./optimizer_scalars.ts";
 * const adam = { kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
 * const s = optimizerScalars(adam, 1, 1e-3);
 * assert.ok(Math.abs(s["optimizer.stepSize"] - 1e-2) < 1e-12);
 * ```
 */
export function optimizerScalars(
  config: OptimizerConfig,
  t: number,
  lr: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  writeOptimizerScalars(config, t, lr, (name, value) => {
    out[name] = value;
  });
  return out;
}

/**
 * Hands each scalar of step `t` at learning rate `lr` to `write`, allocating
 * nothing: the form the runtime uses on every training step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOptimizerScalars } from "./optimizer_scalars.ts";
 * const seen: string[] = [];
 * writeOptimizerScalars({ kind: "sgd", lr: 0.1, momentum: 0 }, 1, 0.05, (name, value) => {
 *   seen.push(`${name}=${value}`);
 * });
 * assert.deepEqual(seen, ["optimizer.lr=0.05"]);
 * ```
 */
export function writeOptimizerScalars(
  config: OptimizerConfig,
  t: number,
  lr: number,
  write: (name: string, value: number) => void,
): void {
  if (config.kind === "sgd") {
    write(OPTIMIZER_SCALARS.lr, lr);
    return;
  }
  write(OPTIMIZER_SCALARS.stepSize, lr / (1 - Math.pow(config.beta1, t)));
  write(OPTIMIZER_SCALARS.vScale, 1 / Math.sqrt(1 - Math.pow(config.beta2, t)));
}
