/**
 * SGD, as `torch.optim.SGD` documents it:
 *
 * ```text
 * g ← ∇f(θ)
 * if λ ≠ 0: g ← g + λθ
 * if μ ≠ 0:
 *   b ← g                      at the first step
 *   b ← μb + (1 − τ)g          afterwards
 *   g ← g + μb  (nesterov)  or  g ← b
 * θ ← θ − γg
 * ```
 *
 * The first-step rule is carried by two per-step scalars: `momentum` (0 at
 * step 1, μ after) and, with dampening, `gradScale` (1 at step 1, 1 − τ
 * after), so b ← momentum·b + gradScale·g is exactly g at step 1.
 *
 * @module
 */

import type { BaseConfig, OptimizerDef, UpdateEmitter, UpdateInputs } from "./def.ts";
import {
  compileFail,
  NON_NEGATIVE,
  type OptionSpecs,
  readOptions,
  UNIT,
  UNIT_OPEN,
} from "./options.ts";

/** Stochastic gradient descent (`torch.optim.SGD`). */
export interface SgdConfig extends BaseConfig {
  /** Discriminates optimizer configs. */
  readonly kind: "sgd";
  /** Momentum factor μ (0: none). */
  readonly momentum: number;
  /** Dampening τ of the momentum (the gradient enters the buffer as (1 − τ)g after the first step). */
  readonly dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  readonly nesterov: boolean;
  /** L2 penalty λ, added to the gradient as λθ. */
  readonly weightDecay: number;
}

const SPECS: OptionSpecs<SgdConfig> = {
  lr: { type: "number", default: 1e-3, range: NON_NEGATIVE },
  momentum: { type: "number", default: 0, range: UNIT_OPEN },
  dampening: { type: "number", default: 0, range: UNIT },
  nesterov: { type: "boolean", default: false },
  weightDecay: { type: "number", default: 0, range: NON_NEGATIVE },
};

/** The table entry of SGD. */
export const SGD: OptimizerDef<SgdConfig> = {
  configure(options, fail) {
    const c = readOptions<SgdConfig>("sgd", options, SPECS, fail);
    if (c.nesterov && (c.momentum === 0 || c.dampening !== 0)) {
      fail(
        `sgd: nesterov needs momentum > 0 and dampening 0, got momentum ${c.momentum} and ` +
          `dampening ${c.dampening}`,
      );
    }
    return c;
  },
  state: (c) => (c.momentum === 0 ? [] : [{ name: "momentum_buffer", initial: 0 }]),
  scalars: (c) =>
    c.momentum === 0 ? ["lr"] : c.dampening === 0 ? ["lr", "momentum"] : [
      "lr",
      "momentum",
      "gradScale",
    ],
  scalarValues(c, t, lr, out) {
    out[0] = lr;
    if (c.momentum === 0) return;
    out[1] = t === 1 ? 0 : c.momentum;
    if (c.dampening !== 0) out[2] = t === 1 ? 1 : 1 - c.dampening;
  },
  update<V>(e: UpdateEmitter<V>, c: SgdConfig, { param, grad, state }: UpdateInputs<V>) {
    let g = grad;
    if (c.weightDecay !== 0) g = e.add(g, e.mul(param, e.constant(c.weightDecay)));
    if (c.momentum === 0) {
      return { param: e.sub(param, e.mul(g, e.scalar("lr"))), state: {} as Record<string, V> };
    }
    const scaled = c.dampening === 0 ? g : e.mul(g, e.scalar("gradScale"));
    const b = e.add(e.mul(state.momentum_buffer, e.scalar("momentum")), scaled);
    const step = c.nesterov ? e.add(g, e.mul(b, e.constant(c.momentum))) : b;
    return { param: e.sub(param, e.mul(step, e.scalar("lr"))), state: { momentum_buffer: b } };
  },
};

/** Options of `sgd` (PyTorch's names, camelCase; all optional). */
export type SgdOptions = Partial<Omit<SgdConfig, "kind">>;

/**
 * SGD with optional momentum, dampening, Nesterov momentum and weight decay,
 * as `torch.optim.SGD` (defaults: lr 1e-3, no momentum). Throws a
 * `CompileError` naming the option for an unknown, mistyped or out-of-range
 * option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgd } from "./sgd.ts";
 * const o = sgd({ lr: 0.1, momentum: 0.9, nesterov: true });
 * assert.equal(o.dampening, 0);
 * assert.throws(() => sgd({ lr: 0.1, momentun: 0.9 } as never), /did you mean "momentum"/);
 * ```
 */
export function sgd(options: SgdOptions = {}): SgdConfig {
  return SGD.configure(options, compileFail);
}
