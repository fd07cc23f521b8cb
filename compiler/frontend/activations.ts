/**
 * Activations with PyTorch's definitions (`torch.nn.functional`): the same
 * values, the same derivatives, and the same derivative at every kink, so a
 * model moved between the two computes the same function and trains the same.
 *
 * Every activation is a plain function of a tensor, usable directly in
 * `chain(dense(4, 8), gelu, dense(8, 2))`. One with parameters also takes
 * them after the tensor, PyTorch's order (`leakyRelu(x, 0.1)`), or without the
 * tensor, returning the configured activation (`chain(dense(4, 8),
 * leakyRelu(0.1), …)`).
 *
 * Primitives of the op table (one fused SIMD lowering each, derivative from
 * the output where possible so the pre-activation need not be stored):
 * `leakyRelu`, `elu`/`selu`/`celu` (one `elu` op, with e^x − 1 from a SIMD
 * expm1), `softplus` (and `logSigmoid`), `hardTanh`, `hardSwish`. Composites of
 * primitives, whose derivatives by the chain rule are PyTorch's: `gelu` (erf
 * or tanh), `silu`, `mish`, `hardSigmoid`, `softsign`, `logSoftmax`.
 *
 * @module
 */

import { InputError } from "../../core/errors.ts";
import { abs, add, div, erf, mul, primitive, sigmoid, tanh, type Tensor } from "./tensor.ts";

/** A function from a tensor to a tensor: what `chain` composes. */
export type Activation = (x: Tensor) => Tensor;

/** SELU's α (Klambauer et al., 2017; PyTorch's constant). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** SELU's scale λ (Klambauer et al., 2017; PyTorch's constant). */
export const SELU_SCALE = 1.0507009873554804934193349852946;

function isTensor(x: unknown): x is Tensor {
  return typeof x === "object" && x !== null && "op" in x && "shape" in x;
}

function finiteParameter(activation: string, name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(`${activation}: ${name} must be a finite number, got ${value}`);
  }
  return value;
}

/** An activation with its parameters bound, named for printouts (`leakyRelu(0.1)`). */
function configured(name: string, f: Activation): Activation {
  Object.defineProperty(f, "name", { value: name });
  return f;
}

/**
 * Leaky ReLU: `x > 0 ? x : α·x` (default α = 0.01). Its derivative at 0 is α,
 * as PyTorch's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { leakyRelu } from "./activations.ts";
 * const x = input("x", [3]);
 * assert.deepEqual(Array.from(evaluateF64(leakyRelu(x, 0.1), { x: [-2, 0, 3] })), [-0.2, 0, 3]);
 * assert.equal(leakyRelu(0.1).name, "leakyRelu(0.1)"); // chain(dense(4, 8), leakyRelu(0.1), …)
 * ```
 */
export function leakyRelu(x: Tensor, alpha?: number): Tensor;
/** The leaky ReLU with slope `alpha` (default 0.01) as an activation. */
export function leakyRelu(alpha?: number): Activation;
export function leakyRelu(first?: Tensor | number, second?: number): Tensor | Activation {
  if (isTensor(first)) {
    const alpha = finiteParameter("leakyRelu", "alpha", second ?? 0.01);
    return primitive("leakyrelu", [first], { alpha });
  }
  const alpha = finiteParameter("leakyRelu", "alpha", first ?? 0.01);
  return configured(`leakyRelu(${alpha})`, (x) => leakyRelu(x, alpha));
}

/**
 * ELU: `x > 0 ? x : α·(eˣ − 1)` (default α = 1), with eˣ − 1 computed
 * accurately near 0. Derivative at 0 is α (PyTorch's convention).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { elu } from "./activations.ts";
 * const [y] = evaluateF64(elu(input("x", [1]), 2), { x: [-1] });
 * assert.ok(Math.abs(y - 2 * Math.expm1(-1)) < 1e-15);
 * ```
 */
export function elu(x: Tensor, alpha?: number): Tensor;
/** ELU with `alpha` (default 1) as an activation. */
export function elu(alpha?: number): Activation;
export function elu(first?: Tensor | number, second?: number): Tensor | Activation {
  if (isTensor(first)) {
    const alpha = finiteParameter("elu", "alpha", second ?? 1);
    return primitive("elu", [first], { alpha, scale: 1, inputScale: 1 });
  }
  const alpha = finiteParameter("elu", "alpha", first ?? 1);
  return configured(`elu(${alpha})`, (x) => elu(x, alpha));
}

/**
 * SELU: `λ·(x > 0 ? x : α·(eˣ − 1))` with PyTorch's α ≈ 1.6733 and λ ≈ 1.0507
 * (`SELU_ALPHA`, `SELU_SCALE`); pair it with `"lecunNormal"` weights.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { selu, SELU_SCALE } from "./activations.ts";
 * assert.equal(evaluateF64(selu(input("x", [1])), { x: [2] })[0], 2 * SELU_SCALE);
 * ```
 */
export function selu(x: Tensor): Tensor {
  return primitive("elu", [x], { alpha: SELU_ALPHA, scale: SELU_SCALE, inputScale: 1 });
}

/**
 * CELU: `x > 0 ? x : α·(e^(x/α) − 1)` (default α = 1; α must not be 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { celu } from "./activations.ts";
 * const [y] = evaluateF64(celu(input("x", [1]), 2), { x: [-1] });
 * assert.ok(Math.abs(y - 2 * Math.expm1(-0.5)) < 1e-15);
 * ```
 */
export function celu(x: Tensor, alpha?: number): Tensor;
/** CELU with `alpha` (default 1) as an activation. */
export function celu(alpha?: number): Activation;
export function celu(first?: Tensor | number, second?: number): Tensor | Activation {
  const alpha = finiteParameter("celu", "alpha", (isTensor(first) ? second : first) ?? 1);
  if (alpha === 0) throw new InputError("celu: alpha must not be 0 (it divides x)");
  if (isTensor(first)) {
    // PyTorch: elu(x, α, scale 1, input scale 1/α)
    return primitive("elu", [first], { alpha, scale: 1, inputScale: 1 / alpha });
  }
  return configured(`celu(${alpha})`, (x) => celu(x, alpha));
}

/** Options of `gelu`. */
export interface GeluOptions {
  /**
   * `"none"` (default): x·Φ(x) with the exact normal distribution function
   * Φ(x) = ½(1 + erf(x/√2)); `"tanh"`: PyTorch's tanh approximation
   * ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
   */
  readonly approximate?: "none" | "tanh";
}

const SQRT_HALF = Math.SQRT1_2;
const GELU_TANH_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5; // √(2/π), as PyTorch computes it
const GELU_TANH_KAPPA = 0.044715;

/**
 * GELU: x·Φ(x) (default) or its tanh approximation, with PyTorch's formulas.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { gelu } from "./activations.ts";
 * const x = input("x", [1]);
 * assert.ok(Math.abs(evaluateF64(gelu(x), { x: [1] })[0] - 0.8413447460685429) < 1e-15);
 * const approx = gelu({ approximate: "tanh" }); // chain(dense(4, 8), approx, …)
 * assert.ok(Math.abs(evaluateF64(approx(x), { x: [1] })[0] - 0.8411919906082768) < 1e-15);
 * ```
 */
export function gelu(x: Tensor, options?: GeluOptions): Tensor;
/** GELU with `options` as an activation. */
export function gelu(options?: GeluOptions): Activation;
export function gelu(first?: Tensor | GeluOptions, second?: GeluOptions): Tensor | Activation {
  const options = (isTensor(first) ? second : first) ?? {};
  const approximate = options.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") {
    throw new InputError(`gelu: approximate must be "none" or "tanh", got "${approximate}"`);
  }
  if (!isTensor(first)) {
    return configured(
      approximate === "none" ? "gelu" : `gelu(${approximate})`,
      (x) => gelu(x, { approximate }),
    );
  }
  const x = first;
  const half = mul(x, 0.5);
  if (approximate === "none") return mul(half, add(1, erf(mul(x, SQRT_HALF))));
  const cube = mul(mul(x, x), x);
  const inner = mul(GELU_TANH_BETA, add(x, mul(GELU_TANH_KAPPA, cube)));
  return mul(half, add(1, tanh(inner)));
}

/**
 * SiLU (swish): x·σ(x).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { silu } from "./activations.ts";
 * assert.equal(evaluateF64(silu(input("x", [1])), { x: [0] })[0], 0);
 * ```
 */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoid(x));
}

/**
 * Swish: the same function as `silu`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { silu, swish } from "./activations.ts";
 * assert.equal(swish, silu);
 * ```
 */
export const swish: (x: Tensor) => Tensor = silu;

/**
 * Softplus: log(1 + e^(βx))/β, and x itself where βx > threshold (PyTorch's
 * defaults β = 1, threshold = 20; `Infinity` for no linear regime). Computed
 * without overflow for any x. Its derivative is σ(βx), and 1 in the linear
 * regime; without a threshold it is computed from the output alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { softplus } from "./activations.ts";
 * const x = input("x", [3]);
 * const y = evaluateF64(softplus(x), { x: [-40, 0, 30] });
 * assert.deepEqual([y[0], y[1], y[2]], [Math.exp(-40), Math.LN2, 30]);
 * assert.equal(softplus(2, 10).name, "softplus(2, 10)"); // an activation
 * ```
 */
export function softplus(x: Tensor, beta?: number, threshold?: number): Tensor;
/** Softplus with `beta` and `threshold` as an activation. */
export function softplus(beta?: number, threshold?: number): Activation;
export function softplus(
  first?: Tensor | number,
  second?: number,
  third?: number,
): Tensor | Activation {
  const [b, t] = isTensor(first) ? [second, third] : [first, second];
  const beta = finiteParameter("softplus", "beta", b ?? 1);
  if (beta === 0) throw new InputError("softplus: beta must not be 0 (it divides the result)");
  const threshold = t ?? 20;
  if (typeof threshold !== "number" || Number.isNaN(threshold)) {
    throw new InputError(`softplus: threshold must be a number, got ${threshold}`);
  }
  if (!isTensor(first)) {
    return configured(`softplus(${beta}, ${threshold})`, (x) => softplus(x, beta, threshold));
  }
  return primitive(
    "softplus",
    [first],
    threshold === Infinity ? { beta } : { beta, threshold },
  );
}

/**
 * log σ(x) = −softplus(−x), accurate for every x (PyTorch's
 * `min(x, 0) − log1p(e^(−|x|))`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { logSigmoid } from "./activations.ts";
 * const y = evaluateF64(logSigmoid(input("x", [2])), { x: [40, -40] });
 * assert.deepEqual([y[0], y[1]], [-Math.exp(-40), -40 - Math.exp(-40)]);
 * ```
 */
export function logSigmoid(x: Tensor): Tensor {
  return mul(primitive("softplus", [mul(x, -1)], { beta: 1 }), -1);
}

/**
 * Mish: x·tanh(softplus(x)).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { mish } from "./activations.ts";
 * const [y] = evaluateF64(mish(input("x", [1])), { x: [1] });
 * assert.ok(Math.abs(y - Math.tanh(Math.log1p(Math.E))) < 1e-15);
 * ```
 */
export function mish(x: Tensor): Tensor {
  return mul(x, tanh(primitive("softplus", [x], { beta: 1 })));
}

/**
 * HardTanh: x clamped to [min, max] (default [−1, 1]); derivative 1 strictly
 * inside, 0 outside and at the ends (PyTorch's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { hardTanh } from "./activations.ts";
 * const y = evaluateF64(hardTanh(input("x", [3]), 0, 6), { x: [-1, 3, 9] }); // relu6
 * assert.deepEqual(Array.from(y), [0, 3, 6]);
 * ```
 */
export function hardTanh(x: Tensor, min?: number, max?: number): Tensor;
/** HardTanh clamping to [min, max] as an activation. */
export function hardTanh(min?: number, max?: number): Activation;
export function hardTanh(
  first?: Tensor | number,
  second?: number,
  third?: number,
): Tensor | Activation {
  const [lo, hi] = isTensor(first) ? [second, third] : [first, second];
  const low = finiteParameter("hardTanh", "min", lo ?? -1);
  const high = finiteParameter("hardTanh", "max", hi ?? 1);
  if (!(low <= high)) {
    throw new InputError(`hardTanh: min ${low} must not be greater than max ${high}`);
  }
  if (!isTensor(first)) {
    return configured(`hardTanh(${low}, ${high})`, (x) => hardTanh(x, low, high));
  }
  return primitive("hardtanh", [first], { low, high });
}

/**
 * HardSigmoid: relu6(x + 3)/6, i.e. 0 below −3, 1 above 3, x/6 + ½ between;
 * derivative 1/6 strictly inside (−3, 3), else 0 (PyTorch's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { hardSigmoid } from "./activations.ts";
 * assert.deepEqual(Array.from(evaluateF64(hardSigmoid(input("x", [3])), { x: [-4, 0, 4] })), [0, 0.5, 1]);
 * ```
 */
export function hardSigmoid(x: Tensor): Tensor {
  return div(primitive("hardtanh", [add(x, 3)], { low: 0, high: 6 }), 6);
}

/**
 * HardSwish: x·relu6(x + 3)/6. Derivative as PyTorch's (vectorized) kernel:
 * 0 below −3, x/3 + ½ on [−3, 3) (so −½ at −3), 1 from 3 on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { hardSwish } from "./activations.ts";
 * const y = evaluateF64(hardSwish(input("x", [3])), { x: [-4, 1, 4] });
 * assert.deepEqual(Array.from(y), [-0, 2 / 3, 4]); // (−4)·0/6 = −0, as in PyTorch
 * ```
 */
export function hardSwish(x: Tensor): Tensor {
  return primitive("hardswish", [x]);
}

/**
 * Softsign: x/(1 + |x|).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input } from "./tensor.ts";
 * import { softsign } from "./activations.ts";
 * assert.deepEqual(Array.from(evaluateF64(softsign(input("x", [2])), { x: [1, -3] })), [0.5, -0.75]);
 * ```
 */
export function softsign(x: Tensor): Tensor {
  return div(x, add(abs(x), 1));
}
