/**
 * The error function in f64: `erf(x) = 2/√π ∫₀ˣ e^(−t²) dt`. JavaScript has no
 * `Math.erf`; this one is accurate to about one ulp, for the f64 reference
 * interpreter and for f64 modules (which import it as `env.erf`).
 *
 * Method (coefficients computed for mlpc with 200-bit arithmetic; the
 * Chebyshev series are truncated where the next term is below 2⁻⁵⁸ of the
 * function):
 *
 * - |x| < 0.875: erf(x) = x + x·Q(x²), with Q(z) = erf(√z)/√z − 1 as a
 *   Chebyshev series on z ∈ [0, 0.765625], evaluated by Clenshaw's recurrence.
 *   Writing x + x·Q keeps the leading term exact.
 * - 0.875 ≤ |x| < 6: erf(x) = 1 − e^(−x²)·R(x), with R(x) = e^(x²)·erfc(x) as
 *   a Chebyshev series on [0.875, 2] and on [2, 6]. e^(−x²) is computed as
 *   e^(−z²)·e^(−(x−z)(x+z)) with z = x rounded to 24 significant bits, so z²
 *   is exact and the rounding of x² never reaches the exponential.
 * - |x| ≥ 6: ±1 (1 − erf(6) ≈ 2·10⁻¹⁷ is below half an ulp of 1).
 *
 * erf(±0) = ±0, erf(±∞) = ±1, erf(NaN) = NaN. Measured against a 400-bit
 * reference (tests/erf_test.ts): at most 1.1 ulp.
 *
 * @module
 */

/** Chebyshev coefficients of erf(√z)/√z − 1 on z ∈ [0, 0.765625] (c₀ halved). */
const Q = [
  0.005869670683803207,
  -0.11586435124792986,
  0.006352475024278402,
  -0.0002820205454094384,
  1.0321318596379593e-05,
  -3.1951881808095866e-07,
  8.551054553577366e-09,
  -2.0131325255450695e-10,
  4.2278810609072635e-12,
  -8.011292833655046e-14,
  1.3825519277117169e-15,
  -2.1901118494361946e-17,
  3.2058775275412384e-19,
];

/** Chebyshev coefficients of e^(x²)·erfc(x) on [0.875, 2]. */
const R_NEAR = [
  0.3457828998098489,
  -0.1027031129111073,
  0.013865677520241882,
  -0.0017321964153782102,
  0.0002026735708146475,
  -2.2405144640565373e-05,
  2.3558027877712015e-06,
  -2.3683213161575702e-07,
  2.2860410471303067e-08,
  -2.126073737830127e-09,
  1.9106861170629274e-10,
  -1.6633914592938123e-11,
  1.4057952979448118e-12,
  -1.1555288588566058e-13,
  9.252974284792385e-15,
  -7.228589849764484e-16,
  5.516448462620419e-17,
  -4.117220377577606e-18,
  3.008452640230027e-19,
];

/** Chebyshev coefficients of e^(x²)·erfc(x) on [2, 6]. */
const R_FAR = [
  0.15454893254411423,
  -0.07674006034821483,
  0.01849487416970198,
  -0.004337233595514166,
  0.0009916839077238056,
  -0.00022144890703087983,
  4.836760032122529e-05,
  -1.034609832664543e-05,
  2.1698719431920526e-06,
  -4.4664937548784355e-07,
  9.031674382673662e-08,
  -1.7955339488870227e-08,
  3.5120800624763815e-09,
  -6.763532420163472e-10,
  1.2831846446281688e-10,
  -2.3997023709710498e-11,
  4.425938010116817e-12,
  -8.054583827182102e-13,
  1.446990739131772e-13,
  -2.5671711791155715e-14,
  4.4996611900036674e-15,
  -7.794698095368683e-16,
  1.3349408666512418e-16,
  -2.261037766442396e-17,
  3.7885091975244464e-18,
  -6.281565255937608e-19,
  1.0309173951004107e-19,
];

/** Σ cⱼ·Tⱼ(t) for t in [−1, 1] (Clenshaw's recurrence). */
function chebyshev(c: readonly number[], t: number): number {
  let b1 = 0;
  let b2 = 0;
  for (let j = c.length - 1; j >= 1; j--) {
    const b0 = c[j] + 2 * t * b1 - b2;
    b2 = b1;
    b1 = b0;
  }
  return c[0] + t * b1 - b2;
}

/**
 * The error function, in f64, to about one ulp.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { erf } from "./erf.ts";
 * assert.equal(erf(0), 0);
 * assert.ok(Math.abs(erf(1) - 0.8427007929497149) < 2e-16);
 * assert.equal(erf(-10), -1);
 * ```
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 6)) return Number.isNaN(x) ? NaN : Math.sign(x);
  if (a < 0.875) {
    const z = a * a;
    return x + x * chebyshev(Q, z / 0.3828125 - 1);
  }
  const r = a < 2 ? chebyshev(R_NEAR, (2 * a - 2.875) / 1.125) : chebyshev(R_FAR, a / 2 - 2);
  const z = Math.fround(a);
  const e = Math.exp(-z * z) * Math.exp(-(a - z) * (a + z));
  const v = 1 - e * r;
  return x < 0 ? -v : v;
}

/**
 * JavaScript source defining this `erf` (with its coefficients and helper),
 * for generated code that must run without mlpc (the standalone inference
 * loader of an f64 model that uses erf).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { erf, erfSource } from "./erf.ts";
 * const copy = new Function(`${erfSource()}\nreturn erf;`)() as (x: number) => number;
 * assert.equal(copy(0.3), erf(0.3));
 * ```
 */
export function erfSource(): string {
  return [
    `const Q = ${JSON.stringify(Q)};`,
    `const R_NEAR = ${JSON.stringify(R_NEAR)};`,
    `const R_FAR = ${JSON.stringify(R_FAR)};`,
    chebyshev.toString(),
    erf.toString(),
  ].join("\n");
}
