/**
 * Initial parameter values, drawn from a seed with the counter-based
 * generator: the same seed gives the same bits everywhere.
 *
 * @module
 */

import type { Initializer } from "../core/contract.ts";
import { erf } from "../core/erf.ts";
import { InputError } from "../core/errors.ts";
import { checkInitializer } from "../core/initializers.ts";
import { normal, streamOf, uniform } from "./prng.ts";

/** A parameter to initialize. */
export interface ParamSpec {
  /** Name, e.g. `"0.weight"`. */
  readonly name: string;
  /** Concrete shape. */
  readonly shape: readonly number[];
  /** How values are drawn. */
  readonly init: Initializer;
}

/**
 * Draws the initial values of one parameter (see `Initializer` for each
 * distribution). Weights `[in, out]` have fan-in `in` and fan-out `out`; a
 * vector's fans are its length. Each element is drawn from its own counter
 * of the parameter's stream (the name's hash), so values do not depend on the
 * order parameters are drawn in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initParam } from "./init_params.ts";
 * const w = initParam({ name: "w", shape: [4, 2], init: "glorotUniform" }, 1);
 * assert.ok(w.length === 8 && w.every((v) => Math.abs(v) <= 1));
 * const t = initParam({ name: "t", shape: [100], init: { kind: "truncatedNormal", std: 0.02, a: -0.04, b: 0.04 } }, 1);
 * assert.ok(t.every((v) => Math.abs(v) <= 0.04));
 * ```
 */
export function initParam(spec: ParamSpec, seed: number): Float64Array {
  const init = checkInitializer(spec.init, spec.name);
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const fanIn = spec.shape[0] ?? 1;
  const fanOut = spec.shape[1] ?? spec.shape[0] ?? 1;
  const stream = streamOf(spec.name);
  const values = new Float64Array(size);
  const draw = (f: (i: number) => number) => {
    for (let i = 0; i < size; i++) values[i] = f(i);
  };
  const uniformIn = (a: number, b: number) => draw((i) => a + (b - a) * uniform(seed, stream, i));
  const symmetric = (bound: number) => uniformIn(-bound, bound);
  const normalWith = (mean: number, std: number) =>
    draw((i) => mean + std * normal(seed, stream, i));
  if (typeof init === "object") {
    switch (init.kind) {
      case "constant":
        values.fill(init.value);
        break;
      case "uniform":
        uniformIn(init.a, init.b);
        break;
      case "normal":
        normalWith(init.mean ?? 0, init.std);
        break;
      case "truncatedNormal": {
        const mean = init.mean ?? 0;
        const std = init.std ?? 1;
        const a = init.a ?? -2;
        const b = init.b ?? 2;
        const sampler = truncatedStandardNormal((a - mean) / std, (b - mean) / std, spec.name);
        draw((i) => Math.min(Math.max(mean + std * sampler(uniform(seed, stream, i)), a), b));
        break;
      }
    }
    return values;
  }
  switch (init) {
    case "zeros":
      break;
    case "ones":
      values.fill(1);
      break;
    case "glorotUniform":
      symmetric(Math.sqrt(6 / (fanIn + fanOut)));
      break;
    case "glorotNormal":
      normalWith(0, Math.sqrt(2 / (fanIn + fanOut)));
      break;
    case "heUniform":
      symmetric(Math.sqrt(6 / fanIn));
      break;
    case "heNormal":
      normalWith(0, Math.sqrt(2 / fanIn));
      break;
    case "lecunUniform":
      symmetric(Math.sqrt(3 / fanIn));
      break;
    case "lecunNormal":
      normalWith(0, Math.sqrt(1 / fanIn));
      break;
    case "torchLinear":
      symmetric(1 / Math.sqrt(fanIn));
      break;
  }
  return values;
}

/** Φ, the standard normal distribution function. */
function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x * Math.SQRT1_2));
}

/**
 * The inverse distribution function of the standard normal restricted to
 * [α, β], as a function of u in [0, 1): the root of Φ(x) = Φ(α) + u·(Φ(β) −
 * Φ(α)), found by Newton's method kept inside a shrinking bracket (bisection
 * when a step would leave it). This is the inverse-transform method of
 * PyTorch's `trunc_normal_`, without its final rounding through erfinv.
 */
function truncatedStandardNormal(
  alpha: number,
  beta: number,
  name: string,
): (u: number) => number {
  const low = normalCdf(alpha);
  const mass = normalCdf(beta) - low;
  if (!(mass > 1e-9)) {
    throw new InputError(
      `Parameter "${name}": truncatedNormal bounds lie ${alpha.toFixed(2)} to ` +
        `${beta.toFixed(2)} standard deviations from the mean, where the normal ` +
        `distribution has probability ${mass.toExponential(2)}: too small to sample`,
    );
  }
  return (u: number): number => {
    const p = low + u * mass;
    let lo = alpha;
    let hi = beta;
    // Start from the logistic approximation Φ⁻¹(p) ≈ √(π/8)·ln(p/(1−p)).
    let x = Math.min(Math.max(Math.sqrt(Math.PI / 8) * Math.log(p / (1 - p)), lo), hi);
    for (let iteration = 0; iteration < 100; iteration++) {
      const f = normalCdf(x) - p;
      if (f === 0) break;
      if (f > 0) hi = x;
      else lo = x;
      const next = x - f / (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI));
      const bisected = next <= lo || next >= hi || !Number.isFinite(next);
      const moved = bisected ? 0.5 * (lo + hi) : next;
      if (Math.abs(moved - x) <= 1e-15 * Math.max(1, Math.abs(x))) {
        x = moved;
        break;
      }
      x = moved;
    }
    return x;
  };
}
