/**
 * Initial parameter values, drawn from a seed with the counter-based
 * generator: the same seed gives the same bits everywhere.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import type { Initializer } from "../core/contract.ts";
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
 * Draws the initial values of one parameter. Weights `[in, out]` use fan-in
 * `in` and fan-out `out`: Glorot/Xavier uniform `U(±√(6/(in+out)))`, Glorot
 * normal `N(0, 2/(in+out))`, He/Kaiming uniform `U(±√(6/in))`, He normal
 * `N(0, 2/in)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initParam } from "./init_params.ts";
 * const w = initParam({ name: "w", shape: [4, 2], init: "glorotUniform" }, 1);
 * assert.ok(w.length === 8 && w.every((v) => Math.abs(v) <= 1));
 * ```
 */
export function initParam(spec: ParamSpec, seed: number): Float64Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const fanIn = spec.shape[0] ?? 1;
  const fanOut = spec.shape[1] ?? spec.shape[0] ?? 1;
  const stream = streamOf(spec.name);
  const values = new Float64Array(size);
  const draw = (f: (i: number) => number) => {
    for (let i = 0; i < size; i++) values[i] = f(i);
  };
  switch (spec.init) {
    case "zeros":
      break;
    case "ones":
      values.fill(1);
      break;
    case "glorotUniform": {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      draw((i) => (2 * uniform(seed, stream, i) - 1) * a);
      break;
    }
    case "glorotNormal": {
      const s = Math.sqrt(2 / (fanIn + fanOut));
      draw((i) => normal(seed, stream, i) * s);
      break;
    }
    case "heUniform": {
      const a = Math.sqrt(6 / fanIn);
      draw((i) => (2 * uniform(seed, stream, i) - 1) * a);
      break;
    }
    case "heNormal": {
      const s = Math.sqrt(2 / fanIn);
      draw((i) => normal(seed, stream, i) * s);
      break;
    }
    default:
      throw new InputError(
        `Parameter "${spec.name}": unknown initializer "${spec.init}" ` +
          `(use glorotUniform, glorotNormal, heUniform, heNormal, zeros or ones)`,
      );
  }
  return values;
}
