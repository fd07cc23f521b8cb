// The f64 error function (core/erf.ts) against an independent 400-bit
// reference computed here with BigInt fixed-point arithmetic from the series
//
//     erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ·x^(2n+1) / (1·3·5···(2n+1)),
//
// whose terms are all positive (no cancellation), with π from Machin's
// formula and e^(x²) from its Taylor series. Errors are in ulps of the exact
// value. MLPC_HEAVY=1 checks 100,000 points instead of 3,000.
import assert from "node:assert/strict";
import { erf } from "../core/erf.ts";
import { MATH_IMPORTS } from "../core/contract.ts";
import { uniformStream } from "./helpers.ts";

const BITS = 400n;
const ONE = 1n << BITS;

/** atan(1/k) · 2^BITS by its alternating series. */
function atanInverse(k: bigint): bigint {
  let sum = 0n;
  let power = ONE / k; // 1/k^(2n+1)
  const k2 = k * k;
  for (let n = 0n; power !== 0n; n++) {
    const term = power / (2n * n + 1n);
    sum += n % 2n === 0n ? term : -term;
    power /= k2;
  }
  return sum;
}

function isqrt(n: bigint): bigint {
  let x = 1n << (BigInt(n.toString(2).length) / 2n + 1n);
  while (true) {
    const y = (x + n / x) / 2n;
    if (y >= x) return x;
    x = y;
  }
}

const PI = 16n * atanInverse(5n) - 4n * atanInverse(239n);
const SQRT_PI = isqrt(PI << BITS); // √π · 2^BITS

/** x (a double) as an exact fraction m / 2^BITS (x must be a multiple of 2^−BITS). */
function toFixed(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const shift = BigInt(Math.max(exponent, 1) - 1075) + BITS;
  assert.ok(shift >= 0n, `${x} is too small for the reference`);
  return (x < 0 ? -1n : 1n) * (mantissa << shift);
}

/** erf(x) · 2^BITS, for 0 ≤ x ≤ 7, to within a few units of 2^−BITS·2^20. */
function erfReference(x: number): bigint {
  const X = toFixed(x);
  const X2 = (X * X) >> BITS;
  // e^(x²) = Σ (x²)ⁿ/n!
  let exp = 0n;
  let term = ONE;
  for (let n = 1n; term !== 0n; n++) {
    exp += term;
    term = (term * X2 >> BITS) / n;
  }
  // Σ 2ⁿ x^(2n+1) / (2n+1)!!
  let series = 0n;
  term = X;
  for (let n = 0n; term !== 0n; n++) {
    series += term;
    term = ((term * X2 >> BITS) * 2n) / (2n * n + 3n);
  }
  // 2/√π · series / e^(x²)
  return ((2n * series << BITS) / SQRT_PI << BITS) / exp;
}

/** |got − exact| in ulps of the exact value (exact = ref / 2^BITS > 0). */
function ulpError(got: number, ref: bigint): number {
  const exponent = ref.toString(2).length - 1 - Number(BITS); // ⌊log₂ exact⌋
  const ulpShift = BigInt(exponent - 52) + BITS; // ulp = 2^(exponent−52)
  const diff = toFixed(got) - ref;
  const abs = diff < 0n ? -diff : diff;
  // abs / 2^ulpShift, in floating point (the quotient is small).
  return ulpShift >= 0n ? Number(abs) / 2 ** Number(ulpShift) : Number(abs << -ulpShift);
}

Deno.test("the reference itself: erf(1), erf(0.5) and π to 30 digits", () => {
  // erf(1) = 0.842700792949714869341220635082609259296066997966302908459937…
  const e1 = erfReference(1);
  const digits = (e1 * 10n ** 30n) >> BITS;
  assert.equal(digits, 842700792949714869341220635082n);
  assert.equal((PI * 10n ** 30n) >> BITS, 3141592653589793238462643383279n);
  // erf(0.5) = 0.520499877813046537682746653891964528736451575757963700058806…
  assert.equal((erfReference(0.5) * 10n ** 30n) >> BITS, 520499877813046537682746653891n);
});

Deno.test("f64 erf is within 1.1 ulp of the 400-bit reference", () => {
  const count = Deno.env.get("MLPC_HEAVY") === "1" ? 100_000 : 3_000;
  const r = uniformStream(11);
  const inputs = [
    2 ** -40,
    1e-8,
    0.1,
    0.5,
    0.8749999999999999,
    0.875,
    1,
    1.9999999999999998,
    2,
    3,
    5.999999999999999,
    ...Array.from(
      { length: count },
      (_, i) => i % 3 === 0 ? 2 ** (-30 * r()) : i % 3 === 1 ? 2 * r() : 6.5 * r(),
    ),
  ];
  let worst = 0;
  let worstAt = 0;
  for (const x of inputs) {
    if (x === 0) continue;
    const e = ulpError(erf(x), erfReference(x));
    if (e > worst) [worst, worstAt] = [e, x];
    // odd: erf(−x) = −erf(x) exactly
    assert.ok(Object.is(erf(-x), -erf(x)), `erf(${-x})`);
  }
  assert.ok(worst <= 1.1, `max error ${worst} ulp at x = ${worstAt}`);
});

Deno.test("f64 erf special values; env.erf is this erf", () => {
  assert.ok(Object.is(erf(0), 0) && Object.is(erf(-0), -0));
  assert.deepEqual([erf(6), erf(-6), erf(1e300), erf(Infinity), erf(-Infinity)], [1, -1, 1, 1, -1]);
  assert.ok(Number.isNaN(erf(NaN)));
  assert.equal(erf(5e-324), 5e-324); // the subnormal minimum: 2/√π·x rounds back to x
  assert.equal(MATH_IMPORTS.erf, erf);
});
