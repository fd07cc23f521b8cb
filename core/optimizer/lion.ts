/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2; not part of torch.optim):
 *
 * ```text
 * c ← β₁m + (1 − β₁)g
 * θ ← θ − γ(sign(c) + λθ)
 * m ← β₂m + (1 − β₂)g
 * ```
 *
 * computed as θ·decay − γ·sign(c) with the per-step scalar `decay` = 1 − γλ
 * (decoupled weight decay, as the authors' code does).
 *
 * @module
 */

import type { BaseConfig, OptimizerDef } from "./def.ts";
import { sign } from "./def.ts";
import { compileFail, NON_NEGATIVE, type OptionSpecs, readOptions, UNIT_OPEN } from "./options.ts";

/** Lion: the sign of an interpolated momentum, with decoupled weight decay. */
export interface LionConfig extends BaseConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "lion";
  /** β₁ (interpolation for the update) and β₂ (decay of the momentum). */
  readonly betas: readonly [number, number];
  /** Decoupled weight decay λ. */
  readonly weightDecay: number;
}

const SPECS: OptionSpecs<LionConfig> = {
  lr: { type: "number", default: 1e-4, range: NON_NEGATIVE },
  betas: { type: "pair", default: [0.9, 0.99], range: UNIT_OPEN },
  weightDecay: { type: "number", default: 0, range: NON_NEGATIVE },
};

/** The table entry of Lion. */
export const LION: OptimizerDef<LionConfig> = {
  configure: (options, fail) => readOptions<LionConfig>("lion", options, SPECS, fail),
  state: () => [{ name: "exp_avg", initial: 0 }],
  scalars: (c) => (c.weightDecay === 0 ? ["lr"] : ["lr", "decay"]),
  scalarValues(c, _t, lr, out) {
    out[0] = lr;
    if (c.weightDecay !== 0) out[1] = 1 - lr * c.weightDecay;
  },
  update(e, c, { param, grad, state }) {
    const [beta1, beta2] = c.betas;
    const m = state.exp_avg;
    const interpolated = e.add(e.mul(m, e.constant(beta1)), e.mul(grad, e.constant(1 - beta1)));
    const p = c.weightDecay === 0 ? param : e.mul(param, e.scalar("decay"));
    return {
      param: e.sub(p, e.mul(sign(e, interpolated), e.scalar("lr"))),
      state: {
        exp_avg: e.add(e.mul(m, e.constant(beta2)), e.mul(grad, e.constant(1 - beta2))),
      },
    };
  },
};

/** Options of `lion` (all optional). */
export type LionOptions = Partial<Omit<LionConfig, "kind">>;

/**
 * Lion (defaults: lr 1e-4, betas [0.9, 0.99], no weight decay). Its steps
 * have the size of the learning rate in every coordinate, so it wants a
 * learning rate 3–10× smaller than AdamW's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lion } from "./lion.ts";
 * assert.deepEqual(lion().betas, [0.9, 0.99]);
 * ```
 */
export function lion(options: LionOptions = {}): LionConfig {
  return LION.configure(options, compileFail);
}
