/**
 * Adam and AdamW, as `torch.optim.Adam` and `torch.optim.AdamW` document them:
 *
 * ```text
 * Adam:  if λ ≠ 0: g ← g + λθ            (L2 penalty on the gradient)
 * AdamW: θ ← θ − γλθ                      (decoupled weight decay)
 * m ← β₁m + (1 − β₁)g
 * v ← β₂v + (1 − β₂)g²
 * m̂ ← m / (1 − β₁ᵗ)
 * amsgrad: v_max ← max(v_max, v);  v̂ ← v_max / (1 − β₂ᵗ)
 * else:    v̂ ← v / (1 − β₂ᵗ)
 * θ ← θ − γ m̂ / (√v̂ + ε)
 * ```
 *
 * The step-dependent factors are per-step scalars: `stepSize` = γ / (1 − β₁ᵗ),
 * `vScale` = 1 / √(1 − β₂ᵗ), and for AdamW `decay` = 1 − γλ, so the update is
 * θ ← θ·decay − stepSize·m / (√v·vScale + ε).
 *
 * @module
 */

import type { BaseConfig, OptimizerDef, StateSlot } from "./def.ts";
import { maximum } from "./def.ts";
import { compileFail, NON_NEGATIVE, type OptionSpecs, readOptions, UNIT_OPEN } from "./options.ts";

/** Options shared by Adam and AdamW. */
export interface AdamFamilyConfig extends BaseConfig {
  /** β₁, β₂: decay rates of the first and second moments. */
  readonly betas: readonly [number, number];
  /** ε, added to √v̂ in the denominator. */
  readonly eps: number;
  /** Weight decay λ. */
  readonly weightDecay: number;
  /** Use the maximum of the second moments so far (AMSGrad). */
  readonly amsgrad: boolean;
}

/** Adam (`torch.optim.Adam`); `weightDecay` is an L2 penalty added to the gradient. */
export interface AdamConfig extends AdamFamilyConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "adam";
}

/** AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay θ ← θ − γλθ. */
export interface AdamWConfig extends AdamFamilyConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "adamw";
}

function specs(weightDecay: number): OptionSpecs<AdamFamilyConfig> {
  return {
    lr: { type: "number", default: 1e-3, range: NON_NEGATIVE },
    betas: { type: "pair", default: [0.9, 0.999], range: UNIT_OPEN },
    eps: { type: "number", default: 1e-8, range: NON_NEGATIVE },
    weightDecay: { type: "number", default: weightDecay, range: NON_NEGATIVE },
    amsgrad: { type: "boolean", default: false },
  };
}

function state(c: AdamFamilyConfig): readonly StateSlot[] {
  const slots = [{ name: "exp_avg", initial: 0 }, { name: "exp_avg_sq", initial: 0 }];
  return c.amsgrad ? [...slots, { name: "max_exp_avg_sq", initial: 0 }] : slots;
}

function adamFamily<C extends AdamConfig | AdamWConfig>(
  kind: C["kind"],
  defaultWeightDecay: number,
): OptimizerDef<C> {
  const decoupled = kind === "adamw";
  const hasDecay = (c: C) => decoupled && c.weightDecay !== 0;
  return {
    configure: (options, fail) =>
      readOptions<C>(kind, options, specs(defaultWeightDecay) as OptionSpecs<C>, fail),
    state,
    scalars: (c) => (hasDecay(c) ? ["stepSize", "vScale", "decay"] : ["stepSize", "vScale"]),
    scalarValues(c, t, lr, out) {
      out[0] = lr / (1 - Math.pow(c.betas[0], t));
      out[1] = 1 / Math.sqrt(1 - Math.pow(c.betas[1], t));
      if (hasDecay(c)) out[2] = 1 - lr * c.weightDecay;
    },
    update(e, c, { param, grad, state }) {
      const [beta1, beta2] = c.betas;
      let g = grad;
      let p = param;
      if (hasDecay(c)) p = e.mul(p, e.scalar("decay"));
      else if (c.weightDecay !== 0) g = e.add(g, e.mul(param, e.constant(c.weightDecay)));
      const m = e.add(e.mul(state.exp_avg, e.constant(beta1)), e.mul(g, e.constant(1 - beta1)));
      const v = e.add(
        e.mul(state.exp_avg_sq, e.constant(beta2)),
        e.mul(e.mul(g, g), e.constant(1 - beta2)),
      );
      const vMax = c.amsgrad ? maximum(e, state.max_exp_avg_sq, v) : v;
      const denominator = e.add(e.mul(e.sqrt(vMax), e.scalar("vScale")), e.constant(c.eps));
      const step = e.div(e.mul(m, e.scalar("stepSize")), denominator);
      const next = { exp_avg: m, exp_avg_sq: v };
      return {
        param: e.sub(p, step),
        state: c.amsgrad ? { ...next, max_exp_avg_sq: vMax } : next,
      };
    },
  };
}

/** The table entry of Adam. */
export const ADAM: OptimizerDef<AdamConfig> = adamFamily<AdamConfig>("adam", 0);
/** The table entry of AdamW. */
export const ADAMW: OptimizerDef<AdamWConfig> = adamFamily<AdamWConfig>("adamw", 1e-2);

/** Options of `adam` (PyTorch's names, camelCase; all optional). */
export type AdamOptions = Partial<Omit<AdamConfig, "kind">>;
/** Options of `adamw` (PyTorch's names, camelCase; all optional). */
export type AdamWOptions = Partial<Omit<AdamWConfig, "kind">>;

/**
 * Adam, as `torch.optim.Adam` (defaults: lr 1e-3, betas [0.9, 0.999],
 * eps 1e-8, no weight decay, no AMSGrad). `weightDecay` adds λθ to the
 * gradient; for decoupled weight decay use `adamw`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adam } from "./adam.ts";
 * assert.deepEqual(adam({ lr: 1e-3 }).betas, [0.9, 0.999]);
 * assert.throws(() => adam({ betas: [0.9, 1] }), /betas must be two numbers in \[0, 1\)/);
 * ```
 */
export function adam(options: AdamOptions = {}): AdamConfig {
  return ADAM.configure(options, compileFail);
}

/**
 * AdamW, as `torch.optim.AdamW` (defaults: lr 1e-3, betas [0.9, 0.999],
 * eps 1e-8, weightDecay 1e-2, no AMSGrad): before the Adam step, θ ← θ − γλθ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adamw } from "./adam.ts";
 * assert.equal(adamw().weightDecay, 0.01);
 * ```
 */
export function adamw(options: AdamWOptions = {}): AdamWConfig {
  return ADAMW.configure(options, compileFail);
}
