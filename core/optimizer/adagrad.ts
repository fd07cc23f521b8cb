/**
 * Adagrad, as `torch.optim.Adagrad` documents it:
 *
 * ```text
 * sum ← initialAccumulatorValue            (before the first step)
 * γ̃ ← γ / (1 + (t − 1)η)
 * if λ ≠ 0: g ← g + λθ
 * sum ← sum + g²
 * θ ← θ − γ̃ g / (√sum + ε)
 * ```
 *
 * γ̃ is the per-step scalar `clr`.
 *
 * @module
 */

import type { BaseConfig, OptimizerDef } from "./def.ts";
import { compileFail, NON_NEGATIVE, type OptionSpecs, readOptions } from "./options.ts";

/** Adagrad (`torch.optim.Adagrad`). */
export interface AdagradConfig extends BaseConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "adagrad";
  /** Learning-rate decay η: step t uses γ / (1 + (t − 1)η). */
  readonly lrDecay: number;
  /** L2 penalty λ, added to the gradient as λθ. */
  readonly weightDecay: number;
  /** The value the sum of squared gradients starts from. */
  readonly initialAccumulatorValue: number;
  /** ε, added to √sum in the denominator. */
  readonly eps: number;
}

const SPECS: OptionSpecs<AdagradConfig> = {
  lr: { type: "number", default: 1e-2, range: NON_NEGATIVE },
  lrDecay: { type: "number", default: 0, range: NON_NEGATIVE },
  weightDecay: { type: "number", default: 0, range: NON_NEGATIVE },
  initialAccumulatorValue: { type: "number", default: 0, range: NON_NEGATIVE },
  eps: { type: "number", default: 1e-10, range: NON_NEGATIVE },
};

/** The table entry of Adagrad. */
export const ADAGRAD: OptimizerDef<AdagradConfig> = {
  configure: (options, fail) => readOptions<AdagradConfig>("adagrad", options, SPECS, fail),
  state: (c) => [{ name: "sum", initial: c.initialAccumulatorValue }],
  scalars: () => ["clr"],
  scalarValues(c, t, lr, out) {
    out[0] = lr / (1 + (t - 1) * c.lrDecay);
  },
  update(e, c, { param, grad, state }) {
    let g = grad;
    if (c.weightDecay !== 0) g = e.add(g, e.mul(param, e.constant(c.weightDecay)));
    const sum = e.add(state.sum, e.mul(g, g));
    const step = e.div(e.mul(g, e.scalar("clr")), e.add(e.sqrt(sum), e.constant(c.eps)));
    return { param: e.sub(param, step), state: { sum } };
  },
};

/** Options of `adagrad` (PyTorch's names, camelCase; all optional). */
export type AdagradOptions = Partial<Omit<AdagradConfig, "kind">>;

/**
 * Adagrad, as `torch.optim.Adagrad` (defaults: lr 1e-2, no lr decay, no
 * weight decay, initial accumulator 0, eps 1e-10).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adagrad } from "./adagrad.ts";
 * assert.equal(adagrad({ initialAccumulatorValue: 0.1 }).eps, 1e-10);
 * ```
 */
export function adagrad(options: AdagradOptions = {}): AdagradConfig {
  return ADAGRAD.configure(options, compileFail);
}
