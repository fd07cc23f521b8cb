/**
 * Optimizers, as plain configuration. `train_step.ts` turns a configuration
 * into update nodes of the training graph; the runtime computes the few
 * scalars that change with the step count (Adam's bias corrections).
 *
 * @module
 */

import { CompileError } from "./errors.ts";

/** Stochastic gradient descent with optional (heavy-ball) momentum. */
export interface SgdConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "sgd";
  /** Learning rate. */
  readonly lr: number;
  /** Momentum μ: v ← μv + g, p ← p − lr·v (PyTorch's form). 0 disables it. */
  readonly momentum: number;
}

/** Adam (Kingma & Ba), with PyTorch's placement of ε. */
export interface AdamConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "adam";
  /** Learning rate. */
  readonly lr: number;
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment. */
  readonly beta2: number;
  /** Added to √v̂ in the denominator. */
  readonly epsilon: number;
}

/** Any optimizer configuration. */
export type OptimizerConfig = SgdConfig | AdamConfig;

function check(name: string, value: number, low: number, high: number, lowOpen = false): number {
  const ok = Number.isFinite(value) && (lowOpen ? value > low : value >= low) && value < high;
  if (!ok) {
    throw new CompileError(
      `${name} must be in ${lowOpen ? "(" : "["}${low}, ${high}), got ${value}`,
    );
  }
  return value;
}

/**
 * SGD with optional momentum.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgd } from "./optimizers.ts";
 * assert.ok(sgd({ lr: 0.1 }).momentum === 0);
 * ```
 */
export function sgd(options: { lr?: number; momentum?: number } = {}): SgdConfig {
  return {
    kind: "sgd",
    lr: check("sgd lr", options.lr ?? 0.01, 0, Infinity, true),
    momentum: check("sgd momentum", options.momentum ?? 0, 0, 1),
  };
}

/**
 * Adam.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adam } from "./optimizers.ts";
 * assert.ok(adam({ lr: 1e-3 }).beta2 === 0.999);
 * ```
 */
export function adam(
  options: { lr?: number; beta1?: number; beta2?: number; epsilon?: number } = {},
): AdamConfig {
  return {
    kind: "adam",
    lr: check("adam lr", options.lr ?? 1e-3, 0, Infinity, true),
    beta1: check("adam beta1", options.beta1 ?? 0.9, 0, 1),
    beta2: check("adam beta2", options.beta2 ?? 0.999, 0, 1),
    epsilon: check("adam epsilon", options.epsilon ?? 1e-8, 0, Infinity, true),
  };
}
