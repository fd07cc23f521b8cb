/**
 * RMSprop, as `torch.optim.RMSprop` documents it:
 *
 * ```text
 * if λ ≠ 0: g ← g + λθ
 * v ← αv + (1 − α)g²
 * ṽ ← v
 * centered: g_ave ← αg_ave + (1 − α)g;  ṽ ← ṽ − g_ave²
 * μ > 0: b ← μb + g / (√ṽ + ε);  θ ← θ − γb
 * else:  θ ← θ − γg / (√ṽ + ε)
 * ```
 *
 * ε is added after the square root, as PyTorch does.
 *
 * @module
 */

import type { BaseConfig, OptimizerDef, StateSlot } from "./def.ts";
import {
  compileFail,
  NON_NEGATIVE,
  type OptionSpecs,
  readOptions,
  UNIT,
  UNIT_OPEN,
} from "./options.ts";

/** RMSprop (`torch.optim.RMSprop`). */
export interface RmspropConfig extends BaseConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "rmsprop";
  /** Smoothing constant α of the squared-gradient average. */
  readonly alpha: number;
  /** ε, added to √ṽ in the denominator. */
  readonly eps: number;
  /** L2 penalty λ, added to the gradient as λθ. */
  readonly weightDecay: number;
  /** Momentum factor μ (0: none). */
  readonly momentum: number;
  /** Normalize by the estimated variance (subtract the squared mean gradient). */
  readonly centered: boolean;
}

const SPECS: OptionSpecs<RmspropConfig> = {
  lr: { type: "number", default: 1e-2, range: NON_NEGATIVE },
  alpha: { type: "number", default: 0.99, range: UNIT },
  eps: { type: "number", default: 1e-8, range: NON_NEGATIVE },
  weightDecay: { type: "number", default: 0, range: NON_NEGATIVE },
  momentum: { type: "number", default: 0, range: UNIT_OPEN },
  centered: { type: "boolean", default: false },
};

function state(c: RmspropConfig): readonly StateSlot[] {
  return [
    { name: "square_avg", initial: 0 },
    ...(c.centered ? [{ name: "grad_avg", initial: 0 }] : []),
    ...(c.momentum > 0 ? [{ name: "momentum_buffer", initial: 0 }] : []),
  ];
}

/** The table entry of RMSprop. */
export const RMSPROP: OptimizerDef<RmspropConfig> = {
  configure: (options, fail) => readOptions<RmspropConfig>("rmsprop", options, SPECS, fail),
  state,
  scalars: () => ["lr"],
  scalarValues(_c, _t, lr, out) {
    out[0] = lr;
  },
  update(e, c, { param, grad, state }) {
    const alpha = e.constant(c.alpha);
    const oneMinusAlpha = e.constant(1 - c.alpha);
    let g = grad;
    if (c.weightDecay !== 0) g = e.add(g, e.mul(param, e.constant(c.weightDecay)));
    const v = e.add(e.mul(state.square_avg, alpha), e.mul(e.mul(g, g), oneMinusAlpha));
    const next: Record<string, typeof v> = { square_avg: v };
    let variance = v;
    if (c.centered) {
      const mean = e.add(e.mul(state.grad_avg, alpha), e.mul(g, oneMinusAlpha));
      next.grad_avg = mean;
      variance = e.sub(variance, e.mul(mean, mean));
    }
    const scaled = e.div(g, e.add(e.sqrt(variance), e.constant(c.eps)));
    let step = scaled;
    if (c.momentum > 0) {
      step = e.add(e.mul(state.momentum_buffer, e.constant(c.momentum)), scaled);
      next.momentum_buffer = step;
    }
    return { param: e.sub(param, e.mul(step, e.scalar("lr"))), state: next };
  },
};

/** Options of `rmsprop` (PyTorch's names, camelCase; all optional). */
export type RmspropOptions = Partial<Omit<RmspropConfig, "kind">>;

/**
 * RMSprop, as `torch.optim.RMSprop` (defaults: lr 1e-2, alpha 0.99,
 * eps 1e-8, no weight decay, no momentum, not centered).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rmsprop } from "./rmsprop.ts";
 * assert.equal(rmsprop({ centered: true }).alpha, 0.99);
 * assert.throws(() => rmsprop({ centered: 1 } as never), /centered must be true or false, got 1/);
 * ```
 */
export function rmsprop(options: RmspropOptions = {}): RmspropConfig {
  return RMSPROP.configure(options, compileFail);
}
