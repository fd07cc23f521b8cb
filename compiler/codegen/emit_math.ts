/**
 * Code generation for elementwise arithmetic: three implementations of
 * `ElementMath<Expr>` (from `ops.ts`), one per element type —
 *
 * - `f32x4Math`: values are `v128` holding 4 × f32 (the SIMD loop bodies);
 * - `f32Math`: values are scalar `f32` (the loop tails). Its transcendentals
 *   splat the scalar, call the vector helper and extract lane 0, so a scalar
 *   tail gives exactly the bits the vector body would have given;
 * - `f64Math`: values are scalar `f64` (the precise mode used by gradient
 *   checks and reference comparisons).
 *
 * WebAssembly has no `exp`, `log`, `tanh` or `erf` instruction. In f32 mode
 * they are computed in wasm (never through `Math.*`, whose results differ
 * between engines), so a compiled f32 step gives the same bits everywhere.
 * Each one is emitted once per module as a helper function (`$exp_f32x4`,
 * `$log_f32x4`, `$tanh_f32x4`, `$sigmoid_f32x4` by `declareMathSupport`;
 * `$expm1_f32x4`, `$log1p_f32x4`, `$erf_f32x4` on first use; each
 * `(param v128) (result v128)`); the factories emit calls to them, which
 * Binaryen may inline. In f64 mode they are the imports `env.exp`,
 * `env.expm1`, `env.log`, `env.log1p`, `env.tanh`, `env.erf` (the runtime
 * passes `MATH_IMPORTS`; erf is mlpc's own, ~1 ulp), and `$sigmoid_f64` is a
 * helper.
 *
 * The f32 algorithms (Cephes / FreeBSD msun lineage):
 *
 * - **exp**: clamp x to [-104, 88.8]; x = k·ln2 + r with k = round(x·log₂e)
 *   and ln2 split in an exact high part and a low part (Cody–Waite), so
 *   |r| ≤ ln2/2; eʳ ≈ 1 + r + r²·P(r) with P of degree 5 (Cephes minimax);
 *   the result is scaled by 2ᵏ as two factors 2^⌊k/2⌋ · 2^(k−⌊k/2⌋) built from
 *   exponent bits, so both factors stay normal and results in the subnormal
 *   range round correctly. exp(x) = +Inf for x > 88.7228, 0 below −103.97.
 * - **log**: subnormal inputs are scaled by 2²³ first; the bits give x = 2ᵏ·m
 *   with m in [√½, √2); with f = m − 1 and s = f/(2+f),
 *   log m = f − ½f² + s·(½f² + R(s²)) where R is the msun degree-4 minimax
 *   polynomial. log(±0) = −Inf, log(x < 0) = NaN, log(+Inf) = +Inf.
 * - **tanh**: for |x| < 0.625 the odd Cephes polynomial x + x³·P(x²)
 *   (accurate relative to x near 0); otherwise sign(x)·(1 − 2/(e^{2|x|} + 1)),
 *   which saturates to ±1 (e^{2|x|} = +Inf gives exactly ±1, never NaN).
 * - **sigmoid**: with e = e^{−|x|} ≤ 1: 1/(1 + e) for x ≥ 0 and e/(1 + e) for
 *   x < 0 — no overflow, so large |x| gives 0 or 1 (and subnormals in
 *   between), never NaN.
 * - **expm1**: x = k·ln2 + r as in exp (x clamped to [−30, 88.8]);
 *   eˣ − 1 = 2ᵏ·((1 − 2⁻ᵏ) + r + r²·(½ + r·Q(r))) with Q of degree 4 (mlpc's
 *   minimax fit). The first sum is exact (Fast2Sum), so only a small
 *   remainder and the final sum round: relative accuracy near 0 and no
 *   cancellation for negative x. ±0 and NaN pass through.
 * - **log1p**: u = 1 + x rounded; log1p(x) = log(u) + (x − (u − 1))/u, the
 *   second term restoring what rounding 1 + x lost (Goldberg's correction),
 *   applied where 0 < u < 2²⁴. log1p(−1) = −Inf, log1p(x < −1) = NaN.
 * - **erf**: for |x| < 0.875, x + x·A(x²), A of degree 6; above,
 *   1 − e^{−x²}·B(|x| − 2.4125), B of degree 9 fitted to e^{x²}·erfc(x) on
 *   [0.875, 4] (mlpc's minimax fits); |x| is clamped to 4 (erf(4) rounds to 1)
 *   and the sign of x is copied onto the result (erf is exactly odd).
 *
 * Error bounds of the f32 implementations, against the exact value (computed
 * in f64 from the same f32 input). An ulp is that of the exact result rounded
 * to f32 (2⁻¹⁴⁹ for subnormal results); relative errors are over normal
 * results. Measured exhaustively over every f32 input of the ranges where
 * rounding is not trivial (exp: 2⁻²⁶ ≤ |x|, −104 ≤ x ≤ 88.8; tanh:
 * 2⁻²⁶ ≤ |x| ≤ 9.1; sigmoid: 2⁻²⁶ ≤ |x|, −104 ≤ x ≤ 17.5; expm1:
 * 2⁻²⁶ ≤ |x|, −17.5 ≤ x ≤ 88.8; erf: 2⁻²⁶ ≤ |x| ≤ 4 — outside them the
 * results are the correctly rounded 1, ±x, ±1, 0.5, 0, −1, +Inf), for log over
 * [2⁻¹⁰, 2¹⁰] and all subnormals (other binades differ only in the exact k·ln2
 * term), and for log1p over (−1, −2⁻²⁶] and [2⁻²⁶, 2¹⁰]; re-checked by `tests/emit_math_test.ts` on about 10⁶ inputs per
 * function spread over the whole range, edge cases included:
 *
 * | function | max error | max relative error | notes                         |
 * | -------- | --------- | ------------------ | ----------------------------- |
 * | exp      | 1.0 ulp   | 8.2e-8             | subnormal results within 1 ulp |
 * | log      | 0.9 ulp   | 8.2e-8             | absolute ≤ 4e-8 on [0.5, 2]   |
 * | tanh     | 1.4 ulp   | 1.5e-7             | worst just above 0.625        |
 * | sigmoid  | 2.5 ulp   | 1.8e-7             | worst for x < 0 (e/(1 + e))   |
 * | expm1    | 0.97 ulp  | 8.3e-8             | worst near ±ln2/2             |
 * | log1p    | 1.44 ulp  | 1.4e-7             | worst just below 0            |
 * | erf      | 1.2 ulp   | 9.1e-8             | worst just above 0.875        |
 *
 * Other semantics: `relu(a)` is `a < 0 ? 0 : a` in f32 (f32x4 `pmax`, one
 * instruction on x86 where wasm's `max` takes several) and `max(a, 0)` in f64,
 * so NaN propagates in all modes, and relu(−0) is −0 in f32, +0 in f64.
 * `step(a)` and `ge(a, b)` give 0 when a comparison involves NaN. NaN in, NaN
 * out for the transcendentals. With `relaxedSimd` enabled on the module, the f32
 * polynomials use fused multiply-add where the machine has it (faster, as
 * accurate, but no longer bit-reproducible across machines).
 *
 * @module
 */

import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";
import type { ElementMath } from "../ir/ops.ts";
import type { MathImport } from "../../core/contract.ts";

/**
 * Name of the mutable i32 global holding the run-time batch size, read by
 * `batchSize()`. Declared by `declareMathSupport`.
 *
 * @example
 * ```ts
 * import { BATCH_GLOBAL } from "./emit_math.ts";
 * import assert from "node:assert/strict";
 * assert.equal(BATCH_GLOBAL, "batch");
 * ```
 */
export const BATCH_GLOBAL = "batch";

// Helper function names (one of each per module).
const EXP_F32X4 = "exp_f32x4";
const EXPM1_F32X4 = "expm1_f32x4";
const LOG_F32X4 = "log_f32x4";
const LOG1P_F32X4 = "log1p_f32x4";
const TANH_F32X4 = "tanh_f32x4";
const SIGMOID_F32X4 = "sigmoid_f32x4";
const ERF_F32X4 = "erf_f32x4";
const SIGMOID_F64 = "sigmoid_f64";
// f64 imports: `env.<name>`, known inside the module by the same name.
const EXP_F64: MathImport = "exp";
const EXPM1_F64: MathImport = "expm1";
const LOG_F64: MathImport = "log";
const LOG1P_F64: MathImport = "log1p";
const TANH_F64: MathImport = "tanh";
const ERF_F64: MathImport = "erf";

// ------------------------------------------------------------ constants --

/** exp input clamp: below, the result rounds to 0; above, it is +Inf. */
const EXP_LO = -104;
const EXP_HI = 88.8;
const LOG2E = 1.44269504088896341;
/** 1.5·2²³ and its bits: x + ROUND_MAGIC rounds x to an integer for |x| < 2²². */
const ROUND_MAGIC = 12582912;
const ROUND_MAGIC_BITS = 0x4b400000;
/** ln 2 ≈ EXP_LN2_HI + EXP_LN2_LO; the high part has 9 significant bits: k·EXP_LN2_HI is exact. */
const EXP_LN2_HI = 0.693359375;
const EXP_LN2_LO = -2.12194440e-4;
/** Cephes expf: eʳ ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2; P highest degree first. */
const EXP_P = [
  1.9875691500e-4,
  1.3981999507e-3,
  8.3334519073e-3,
  4.1665795894e-2,
  1.6666665459e-1,
  5.0000001201e-1,
];

/** Bits of √½ as an f32: the mantissa is normalized to [√½, √2). */
const SQRT_HALF_BITS = 0x3f3504f3;
/** Smallest normal f32. */
const FLT_MIN = 1.1754943508222875e-38;
/** ln 2 = LOG_LN2_HI + LOG_LN2_LO; LOG_LN2_HI has 16 significant bits. */
const LOG_LN2_HI = 6.9313812256e-01;
const LOG_LN2_LO = 9.0580006145e-06;
/** FreeBSD msun logf: R(s²) coefficients (Lg1..Lg4). */
const LG1 = 0.66666662693;
const LG2 = 0.40000972152;
const LG3 = 0.28498786688;
const LG4 = 0.24279078841;

/** tanh: below this |x| the odd polynomial is used. */
const TANH_SMALL = 0.625;
/** Cephes tanhf: tanh x ≈ x + x³·P(x²) on |x| < 0.625; highest degree first. */
const TANH_P = [
  -5.70498872745e-3,
  2.06390887954e-2,
  -5.37397155531e-2,
  1.33314422036e-1,
  -3.33332819422e-1,
];

/** expm1: below this, e^x − 1 rounds to −1. */
const EXPM1_LO = -30;
/** expm1: from this k on, 1 − 2⁻ᵏ is not an f32. */
const EXPM1_BIG_K = 25;
/**
 * expm1(r) ≈ r + r²·(½ + r·Q(r)) on |r| ≤ ln2/2 (mlpc's minimax fit, relative
 * error 0.007 ulp before rounding); Q highest degree first.
 */
const EXPM1_Q = [
  1.9762451120186597e-4,
  1.3932319125160575e-3,
  8.333545178174973e-3,
  4.166649281978607e-2,
  1.666666567325592e-1,
];

/** erf: below this |x| the odd polynomial is used, above it 1 − e^(−x²)·R(x). */
const ERF_SMALL = 0.875;
/** erf: |x| is clamped here (erf(4) rounds to 1). */
const ERF_CLAMP = 4;
/** erf(x) ≈ x + x·A(x²) on |x| < 0.875 (mlpc's minimax fit); highest degree first. */
const ERF_A = [
  7.842241757316515e-5,
  -8.021723479032516e-4,
  5.1906355656683445e-3,
  -2.6855282485485077e-2,
  1.1283621937036514e-1,
  -3.761262893676758e-1,
  1.2837916612625122e-1,
];
/** erf: R is a polynomial in x − ERF_CENTER. */
const ERF_CENTER = 2.4124999046325684;
/** e^(x²)·erfc(x) ≈ B(x − 2.4125) on [0.875, 4] (mlpc's minimax fit); highest degree first. */
const ERF_B = [
  -3.806682798312977e-5,
  -8.438336226390675e-5,
  -1.8142112821806222e-4,
  2.727068786043674e-4,
  -7.257189718075097e-4,
  2.894454635679722e-3,
  -8.9239701628685e-3,
  2.714284136891365e-2,
  -7.890535891056061e-2,
  2.1750818192958832e-1,
];

// --------------------------------------------------------- small helpers --

/** Shorthands for building f32x4 helper bodies. */
function vec(w: WasmModule) {
  const f = w.f32x4;
  return {
    f,
    /** An f32 constant in every lane. */
    c: (value: number): Expr => f.splat(w.f32.const(value)),
    /** An i32 constant in every lane. */
    ci: (value: number): Expr => w.i32x4.splat(w.i32.const(value)),
    /** Horner evaluation of `coefficients` (highest degree first) at local `x`. */
    horner(fb: FunctionBuilder, x: number, coefficients: readonly number[]): Expr {
      let acc = f.splat(w.f32.const(coefficients[0]));
      for (const coefficient of coefficients.slice(1)) {
        acc = w.f32x4MulAdd(acc, fb.get(x), f.splat(w.f32.const(coefficient)));
      }
      return acc;
    },
  };
}

// ---------------------------------------------------- f32x4 helper bodies --

function addExpF32x4(w: WasmModule): void {
  const { f, c, ci, horner } = vec(w);
  const i = w.i32x4;
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const t = fb.addLocal("v128"); // x·log₂e + 1.5·2²³
  const kf = fb.addLocal("v128"); // k as floats
  const r = fb.addLocal("v128"); // reduced argument
  const k = fb.addLocal("v128"); // k as i32x4
  const half = fb.addLocal("v128"); // ⌊k/2⌋ as i32x4
  const body = w.block(null, [
    // Clamp with pmax/pmin (one instruction each on x86): pmax(x, lo) is
    // x < lo ? lo : x and pmin(x, hi) is hi < x ? hi : x, so NaN passes through.
    fb.set(x, f.pmin(f.pmax(fb.get(x), c(EXP_LO)), c(EXP_HI))),
    // k = nearest(x·log₂e) by the magic-bias trick: adding 1.5·2²³ rounds to an
    // integer (ties to even) and leaves k in the low mantissa bits.
    fb.set(t, f.add(f.mul(fb.get(x), c(LOG2E)), c(ROUND_MAGIC))),
    fb.set(kf, f.sub(fb.get(t), c(ROUND_MAGIC))),
    fb.set(
      r,
      f.sub(
        f.sub(fb.get(x), f.mul(fb.get(kf), c(EXP_LN2_HI))),
        f.mul(fb.get(kf), c(EXP_LN2_LO)),
      ),
    ),
    fb.set(k, i.sub(fb.get(t), ci(ROUND_MAGIC_BITS))),
    fb.set(half, i.shr_s(fb.get(k), w.i32.const(1))),
    // eʳ = (P(r)·r² + r) + 1, then · 2^half · 2^(k − half).
    f.mul(
      f.mul(
        f.add(
          w.f32x4MulAdd(horner(fb, r, EXP_P), f.mul(fb.get(r), fb.get(r)), fb.get(r)),
          c(1),
        ),
        i.shl(i.add(fb.get(half), ci(127)), w.i32.const(23)),
      ),
      i.shl(i.add(i.sub(fb.get(k), fb.get(half)), ci(127)), w.i32.const(23)),
    ),
  ], "v128");
  w.addFunction(EXP_F32X4, fb, "v128", body);
}

function addLogF32x4(w: WasmModule): void {
  const { f, c, ci } = vec(w);
  const i = w.i32x4;
  const v = w.v128;
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const tiny = fb.addLocal("v128"); // mask: x < FLT_MIN (subnormal, zero, negative)
  const ix = fb.addLocal("v128"); // bits of the scaled x, minus the bits of √½
  const k = fb.addLocal("v128"); // exponent as f32
  const fm = fb.addLocal("v128"); // f = m − 1
  const s = fb.addLocal("v128"); // s = f / (2 + f)
  const z = fb.addLocal("v128"); // s²
  const wz = fb.addLocal("v128"); // s⁴
  const hfsq = fb.addLocal("v128"); // ½f²
  const y = fb.addLocal("v128"); // result before the special cases
  const body = w.block(null, [
    fb.set(tiny, f.lt(fb.get(x), c(FLT_MIN))),
    // Subnormals: scale by 2²³ (exact) and take 23 off the exponent below.
    fb.set(
      ix,
      i.sub(
        v.bitselect(f.mul(fb.get(x), c(2 ** 23)), fb.get(x), fb.get(tiny)),
        ci(SQRT_HALF_BITS),
      ),
    ),
    fb.set(
      k,
      f.convert_i32x4_s(
        i.add(i.shr_s(fb.get(ix), w.i32.const(23)), v.and(fb.get(tiny), ci(-23))),
      ),
    ),
    // m = 2⁻ᵏ·x in [√½, √2); f = m − 1.
    fb.set(
      fm,
      f.sub(i.add(v.and(fb.get(ix), ci(0x007fffff)), ci(SQRT_HALF_BITS)), c(1)),
    ),
    fb.set(s, f.div(fb.get(fm), f.add(fb.get(fm), c(2)))),
    fb.set(z, f.mul(fb.get(s), fb.get(s))),
    fb.set(wz, f.mul(fb.get(z), fb.get(z))),
    fb.set(hfsq, f.mul(f.mul(fb.get(fm), fb.get(fm)), c(0.5))),
    // log x = k·ln2_hi − ((hfsq − (s·(hfsq + R) + k·ln2_lo)) − f), with
    // R = s²·(Lg1 + s⁴·Lg3) + s⁴·(Lg2 + s⁴·Lg4).
    fb.set(
      y,
      f.sub(
        f.mul(fb.get(k), c(LOG_LN2_HI)),
        f.sub(
          f.sub(
            fb.get(hfsq),
            w.f32x4MulAdd(
              fb.get(s),
              f.add(
                fb.get(hfsq),
                f.add(
                  f.mul(fb.get(z), w.f32x4MulAdd(fb.get(wz), c(LG3), c(LG1))),
                  f.mul(fb.get(wz), w.f32x4MulAdd(fb.get(wz), c(LG4), c(LG2))),
                ),
              ),
              f.mul(fb.get(k), c(LOG_LN2_LO)),
            ),
          ),
          fb.get(fm),
        ),
      ),
    ),
    // Special cases: x < 0 or NaN → NaN; ±0 → −Inf; +Inf → +Inf.
    fb.set(y, v.bitselect(fb.get(y), c(NaN), f.ge(fb.get(x), c(0)))),
    fb.set(y, v.bitselect(c(-Infinity), fb.get(y), f.eq(fb.get(x), c(0)))),
    v.bitselect(c(Infinity), fb.get(y), f.eq(fb.get(x), c(Infinity))),
  ], "v128");
  w.addFunction(LOG_F32X4, fb, "v128", body);
}

function addTanhF32x4(w: WasmModule): void {
  const { f, c, ci, horner } = vec(w);
  const v = w.v128;
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const a = fb.addLocal("v128"); // |x|
  const z = fb.addLocal("v128"); // x²
  const body = w.block(null, [
    fb.set(a, f.abs(fb.get(x))),
    fb.set(z, f.mul(fb.get(a), fb.get(a))),
    // tanh |x|, then the sign of x (so tanh is exactly odd, tanh(−0) = −0)
    v.or(
      v.bitselect(
        // |x| < 0.625: |x| + |x|·x²·P(x²)
        w.f32x4MulAdd(f.mul(horner(fb, z, TANH_P), fb.get(z)), fb.get(a), fb.get(a)),
        // otherwise: 1 − 2/(e^{2|x|} + 1)
        f.sub(
          c(1),
          f.div(c(2), f.add(w.call(EXP_F32X4, [f.add(fb.get(a), fb.get(a))], "v128"), c(1))),
        ),
        f.lt(fb.get(a), c(TANH_SMALL)),
      ),
      v.and(fb.get(x), ci(-0x80000000)),
    ),
  ], "v128");
  w.addFunction(TANH_F32X4, fb, "v128", body);
}

function addSigmoidF32x4(w: WasmModule): void {
  const { f, c } = vec(w);
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const e = fb.addLocal("v128"); // e^{−|x|}, in [0, 1]
  const body = w.block(null, [
    fb.set(e, w.call(EXP_F32X4, [f.neg(f.abs(fb.get(x)))], "v128")),
    // (x < 0 ? e : 1) / (1 + e)
    f.div(
      w.v128.bitselect(fb.get(e), c(1), f.lt(fb.get(x), c(0))),
      f.add(fb.get(e), c(1)),
    ),
  ], "v128");
  w.addFunction(SIGMOID_F32X4, fb, "v128", body);
}

function addExpm1F32x4(w: WasmModule): void {
  const { f, c, ci, horner } = vec(w);
  const i = w.i32x4;
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const xc = fb.addLocal("v128"); // x clamped to [EXPM1_LO, EXP_HI]
  const t = fb.addLocal("v128"); // x·log₂e + 1.5·2²³
  const kf = fb.addLocal("v128"); // k as floats
  const r = fb.addLocal("v128"); // reduced argument, |r| ≤ ln2/2
  const k = fb.addLocal("v128"); // k as i32x4
  const half = fb.addLocal("v128"); // ⌊k/2⌋ as i32x4
  const p2 = fb.addLocal("v128"); // 2^−min(k, 60)
  const big = fb.addLocal("v128"); // mask: k ≥ 25
  const cm = fb.addLocal("v128"); // 1 − 2⁻ᵏ for k < 25, else 1 (exact)
  const s = fb.addLocal("v128"); // cm + r, rounded
  const y = fb.addLocal("v128"); // result before the special cases
  const body = w.block(null, [
    fb.set(xc, f.pmin(f.pmax(fb.get(x), c(EXPM1_LO)), c(EXP_HI))),
    // x = k·ln2 + r, as in exp
    fb.set(t, f.add(f.mul(fb.get(xc), c(LOG2E)), c(ROUND_MAGIC))),
    fb.set(kf, f.sub(fb.get(t), c(ROUND_MAGIC))),
    fb.set(
      r,
      f.sub(
        f.sub(fb.get(xc), f.mul(fb.get(kf), c(EXP_LN2_HI))),
        f.mul(fb.get(kf), c(EXP_LN2_LO)),
      ),
    ),
    fb.set(k, i.sub(fb.get(t), ci(ROUND_MAGIC_BITS))),
    fb.set(half, i.shr_s(fb.get(k), w.i32.const(1))),
    // eˣ − 1 = 2ᵏ·((1 − 2⁻ᵏ) + r + r²·(½ + r·Q(r))). The first sum is taken
    // exactly (Fast2Sum: |1 − 2⁻ᵏ| ≥ ½ > |r|, or it is 0), so only the small
    // remainder and the final sum are rounded. For k ≥ 25, 1 − 2⁻ᵏ is not an
    // f32: 1 goes into the exact sum and −2⁻ᵏ into the remainder.
    fb.set(
      p2,
      i.shl(
        i.sub(ci(127), i.trunc_sat_f32x4_s(f.pmin(fb.get(kf), c(60)))),
        w.i32.const(23),
      ),
    ),
    fb.set(big, f.ge(fb.get(kf), c(EXPM1_BIG_K))),
    fb.set(cm, f.sub(c(1), w.v128.andnot(fb.get(p2), fb.get(big)))),
    fb.set(s, f.add(fb.get(cm), fb.get(r))),
    fb.set(
      y,
      f.add(
        fb.get(s),
        w.f32x4MulAdd(
          f.mul(fb.get(r), fb.get(r)),
          w.f32x4MulAdd(horner(fb, r, EXPM1_Q), fb.get(r), c(0.5)),
          f.sub(
            f.sub(fb.get(r), f.sub(fb.get(s), fb.get(cm))),
            w.v128.and(fb.get(p2), fb.get(big)),
          ),
        ),
      ),
    ),
    // · 2^half · 2^(k − half): two factors, both normal for k in [−43, 128]
    fb.set(
      y,
      f.mul(
        f.mul(fb.get(y), i.shl(i.add(fb.get(half), ci(127)), w.i32.const(23))),
        i.shl(i.add(i.sub(fb.get(k), fb.get(half)), ci(127)), w.i32.const(23)),
      ),
    ),
    // ±0 keeps its sign and NaN passes through (x ≠ x): the result is x itself.
    w.v128.bitselect(
      fb.get(x),
      fb.get(y),
      w.v128.or(f.eq(fb.get(x), c(0)), w.v128.not(f.eq(fb.get(x), fb.get(x)))),
    ),
  ], "v128");
  w.addFunction(EXPM1_F32X4, fb, "v128", body);
}

function addLog1pF32x4(w: WasmModule): void {
  const { f, c } = vec(w);
  const v = w.v128;
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const u = fb.addLocal("v128"); // 1 + x, rounded
  const body = w.block(null, [
    fb.set(u, f.add(fb.get(x), c(1))),
    // log(1 + x) = log(u) + log(1 + (x − (u − 1))/u) ≈ log(u) + (x − (u − 1))/u:
    // the correction restores what rounding 1 + x lost. It is applied where
    // 0 < u < 2²⁴ (beyond, it is below half an ulp of the result; at u = 0
    // and u = ∞ it would be NaN).
    v.bitselect(
      fb.get(x), // ±0 keeps its sign, NaN passes through
      f.add(
        w.call(LOG_F32X4, [fb.get(u)], "v128"),
        v.and(
          f.div(f.sub(fb.get(x), f.sub(fb.get(u), c(1))), fb.get(u)),
          v.and(f.gt(fb.get(u), c(0)), f.lt(fb.get(u), c(2 ** 24))),
        ),
      ),
      v.or(f.eq(fb.get(x), c(0)), v.not(f.eq(fb.get(x), fb.get(x)))),
    ),
  ], "v128");
  w.addFunction(LOG1P_F32X4, fb, "v128", body);
}

function addErfF32x4(w: WasmModule): void {
  const { f, c, ci, horner } = vec(w);
  const v = w.v128;
  const fb = new FunctionBuilder(w, ["v128"]);
  const x = 0;
  const a = fb.addLocal("v128"); // min(|x|, 4)
  const z = fb.addLocal("v128"); // a²
  const d = fb.addLocal("v128"); // a − ERF_CENTER
  const body = w.block(null, [
    fb.set(a, f.pmin(f.abs(fb.get(x)), c(ERF_CLAMP))),
    fb.set(z, f.mul(fb.get(a), fb.get(a))),
    fb.set(d, f.sub(fb.get(a), c(ERF_CENTER))),
    // erf |x|, then the sign of x (so erf is exactly odd, erf(−0) = −0)
    v.or(
      v.bitselect(
        // |x| < 0.875: a + a·A(a²)
        w.f32x4MulAdd(fb.get(a), horner(fb, z, ERF_A), fb.get(a)),
        // otherwise: 1 − e^(−a²)·B(a − c)
        f.sub(
          c(1),
          f.mul(w.call(EXP_F32X4, [f.neg(fb.get(z))], "v128"), horner(fb, d, ERF_B)),
        ),
        f.lt(fb.get(a), c(ERF_SMALL)),
      ),
      v.and(fb.get(x), ci(-0x80000000)),
    ),
  ], "v128");
  w.addFunction(ERF_F32X4, fb, "v128", body);
}

function addSigmoidF64(w: WasmModule): void {
  const d = w.f64;
  const fb = new FunctionBuilder(w, ["f64"]);
  const x = 0;
  const e = fb.addLocal("f64"); // e^{−|x|}, in [0, 1]
  const body = w.block(null, [
    fb.set(e, w.call(EXP_F64, [d.neg(d.abs(fb.get(x)))], "f64")),
    // (x < 0 ? e : 1) / (1 + e)
    d.div(
      w.select(d.lt(fb.get(x), d.const(0)), fb.get(e), d.const(1)),
      d.add(fb.get(e), d.const(1)),
    ),
  ], "f64");
  w.addFunction(SIGMOID_F64, fb, "f64", body);
}

// ----------------------------------------------------------------- public --

/**
 * Adds to `w` what the math factories of `dtype` call: the `batch` global
 * (`BATCH_GLOBAL`) and the transcendental helpers — wasm functions for f32,
 * the `env.exp`/`env.log`/`env.tanh` imports and a sigmoid helper for f64.
 * Call it once per module (and dtype) before using `f32x4Math`/`f32Math`
 * (dtype "f32") or `f64Math` (dtype "f64"). The rarer helpers (expm1,
 * log1p, erf, and their f64 imports) are added by the factories on first use.
 *
 * @example
 * ```ts
 * import { WasmModule } from "./wasm.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * w.finish(1);
 * ```
 */
export function declareMathSupport(w: WasmModule, dtype: "f32" | "f64"): void {
  w.addGlobal(BATCH_GLOBAL, "i32");
  if (dtype === "f32") {
    addExpF32x4(w);
    addLogF32x4(w);
    addTanhF32x4(w);
    addSigmoidF32x4(w);
  } else {
    w.addImport(EXP_F64, ["f64"], "f64");
    w.addImport(LOG_F64, ["f64"], "f64");
    w.addImport(TANH_F64, ["f64"], "f64");
    addSigmoidF64(w);
  }
}

/** The f32x4 helpers added on first use (so modules that do not use them stay as they were). */
const ON_DEMAND_F32X4: Readonly<Record<string, (w: WasmModule) => void>> = {
  [EXPM1_F32X4]: addExpm1F32x4,
  [LOG1P_F32X4]: addLog1pF32x4,
  [ERF_F32X4]: addErfF32x4,
};

/** Names `helper`, adding it to the module if this is its first use. */
function onDemand(w: WasmModule, helper: string): string {
  if (!w.hasFunction(helper)) ON_DEMAND_F32X4[helper](w);
  return helper;
}

/** Names the f64 import `name`, importing it if this is its first use. */
function importOnDemand(w: WasmModule, name: MathImport): string {
  if (!w.hasFunction(name)) w.addImport(name, ["f64"], "f64");
  return name;
}

/**
 * Element math on `v128` values holding 4 × f32. Needs
 * `declareMathSupport(w, "f32")`. Every method uses each operand exactly once;
 * `share`, and `min`/`max` in f64, keep a value in a local of `fb`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { declareMathSupport, f32x4Math } from "./emit_math.ts";
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * const fb = new FunctionBuilder(w, ["f32"]);
 * const m = f32x4Math(w, fb);
 * // exp(x) in every lane, returned from lane 2
 * const body = w.f32x4.extract_lane(m.exp(w.f32x4.splat(fb.get(0))), 2);
 * w.addFunction("exp", fb, "f32", body, true);
 * const instance = new WebAssembly.Instance(new WebAssembly.Module(w.finish(1).binary));
 * const exp = instance.exports.exp as (x: number) => number;
 * assert.ok(Math.abs(exp(1) - Math.E) < 1e-6);
 * ```
 */
export function f32x4Math(w: WasmModule, fb: FunctionBuilder): ElementMath<Expr> {
  const f = w.f32x4;
  const one = (): Expr => f.splat(w.f32.const(1));
  const zero = (): Expr => f.splat(w.f32.const(0));
  return {
    constant: (value) => f.splat(w.f32.const(value)),
    batchSize: () => f.splat(w.f32.convert_s.i32(w.globalGet(BATCH_GLOBAL, "i32"))),
    add: (a, b) => f.add(a, b),
    sub: (a, b) => f.sub(a, b),
    mul: (a, b) => f.mul(a, b),
    div: (a, b) => f.div(a, b),
    neg: (a) => f.neg(a),
    // pmax(a, 0) = a < 0 ? 0 : a: NaN and −0 pass through
    relu: (a) => f.pmax(a, zero()),
    // comparison masks are all-ones lanes: masking the bits of 1.0 gives 1 or 0
    step: (a) => w.v128.and(f.gt(a, zero()), one()),
    ge: (a, b) => w.v128.and(f.ge(a, b), one()),
    sqrt: (a) => f.sqrt(a),
    exp: (a) => w.call(EXP_F32X4, [a], "v128"),
    log: (a) => w.call(LOG_F32X4, [a], "v128"),
    tanh: (a) => w.call(TANH_F32X4, [a], "v128"),
    sigmoid: (a) => w.call(SIGMOID_F32X4, [a], "v128"),
    abs: (a) => f.abs(a),
    max: (a, b) => f.pmax(a, b),
    min: (a, b) => f.pmin(a, b),
    select: (c, a, b) => w.v128.bitselect(a, b, f.gt(c, zero())),
    expm1: (a) => w.call(onDemand(w, EXPM1_F32X4), [a], "v128"),
    log1p: (a) => w.call(onDemand(w, LOG1P_F32X4), [a], "v128"),
    erf: (a) => w.call(onDemand(w, ERF_F32X4), [a], "v128"),
    share: (value, body) => shareIn(w, fb, "v128", value, body),
  };
}

/**
 * Element math on scalar `f32` values, bit-identical to `f32x4Math` lane by
 * lane (the transcendentals run the vector helper on a splat and take lane 0).
 * Needs `declareMathSupport(w, "f32")`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { declareMathSupport, f32Math } from "./emit_math.ts";
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * const fb = new FunctionBuilder(w, ["f32"]);
 * const m = f32Math(w, fb);
 * w.addFunction("sigmoid", fb, "f32", m.sigmoid(fb.get(0)), true);
 * const instance = new WebAssembly.Instance(new WebAssembly.Module(w.finish(1).binary));
 * const sigmoid = instance.exports.sigmoid as (x: number) => number;
 * assert.deepEqual([sigmoid(0), sigmoid(-1000), sigmoid(1000)], [0.5, 0, 1]);
 * ```
 */
export function f32Math(w: WasmModule, fb: FunctionBuilder): ElementMath<Expr> {
  const s = w.f32;
  const viaVector = (helper: string) => (a: Expr): Expr =>
    w.f32x4.extract_lane(w.call(helper, [w.f32x4.splat(a)], "v128"), 0);
  // pmax/pmin as f32x4 (f32.max and f32.min treat NaN and −0 differently)
  const lanewise = (op: (a: Expr, b: Expr) => Expr) => (a: Expr, b: Expr): Expr =>
    w.f32x4.extract_lane(op(w.f32x4.splat(a), w.f32x4.splat(b)), 0);
  return {
    constant: (value) => s.const(value),
    batchSize: () => s.convert_s.i32(w.globalGet(BATCH_GLOBAL, "i32")),
    add: (a, b) => s.add(a, b),
    sub: (a, b) => s.sub(a, b),
    mul: (a, b) => s.mul(a, b),
    div: (a, b) => s.div(a, b),
    neg: (a) => s.neg(a),
    // as f32x4 (pmax keeps −0, f32.max would not): splat, pmax, lane 0
    relu: (a) => {
      const v = w.f32x4;
      return v.extract_lane(v.pmax(v.splat(a), v.splat(s.const(0))), 0);
    },
    step: (a) => s.convert_s.i32(s.gt(a, s.const(0))),
    ge: (a, b) => s.convert_s.i32(s.ge(a, b)),
    sqrt: (a) => s.sqrt(a),
    exp: viaVector(EXP_F32X4),
    log: viaVector(LOG_F32X4),
    tanh: viaVector(TANH_F32X4),
    sigmoid: viaVector(SIGMOID_F32X4),
    abs: (a) => s.abs(a),
    max: lanewise((a, b) => w.f32x4.pmax(a, b)),
    min: lanewise((a, b) => w.f32x4.pmin(a, b)),
    select: (c, a, b) => w.select(s.gt(c, s.const(0)), a, b),
    expm1: (a) => viaVector(onDemand(w, EXPM1_F32X4))(a),
    log1p: (a) => viaVector(onDemand(w, LOG1P_F32X4))(a),
    erf: (a) => viaVector(onDemand(w, ERF_F32X4))(a),
    share: (value, body) => shareIn(w, fb, "f32", value, body),
  };
}

/**
 * Element math on scalar `f64` values; exp, expm1, log, log1p, tanh and erf
 * call the imports `env.exp`, `env.expm1`, … (see `MATH_IMPORTS`). Needs
 * `declareMathSupport(w, "f64")`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { declareMathSupport, f64Math } from "./emit_math.ts";
 * import { MATH_IMPORTS } from "../../core/contract.ts";
 * const w = new WasmModule();
 * declareMathSupport(w, "f64");
 * const fb = new FunctionBuilder(w, ["f64"]);
 * const m = f64Math(w, fb);
 * w.addFunction("softplus", fb, "f64", m.log(m.add(m.constant(1), m.exp(fb.get(0)))), true);
 * const module = new WebAssembly.Module(w.finish(1).binary);
 * const instance = new WebAssembly.Instance(module, { env: MATH_IMPORTS });
 * const softplus = instance.exports.softplus as (x: number) => number;
 * assert.equal(softplus(0), Math.log(2));
 * ```
 */
export function f64Math(w: WasmModule, fb: FunctionBuilder): ElementMath<Expr> {
  const d = w.f64;
  const share = (value: Expr, body: (read: () => Expr) => Expr) =>
    shareIn(w, fb, "f64", value, body);
  return {
    constant: (value) => d.const(value),
    batchSize: () => d.convert_s.i32(w.globalGet(BATCH_GLOBAL, "i32")),
    add: (a, b) => d.add(a, b),
    sub: (a, b) => d.sub(a, b),
    mul: (a, b) => d.mul(a, b),
    div: (a, b) => d.div(a, b),
    neg: (a) => d.neg(a),
    relu: (a) => d.max(a, d.const(0)),
    step: (a) => d.convert_s.i32(d.gt(a, d.const(0))),
    ge: (a, b) => d.convert_s.i32(d.ge(a, b)),
    sqrt: (a) => d.sqrt(a),
    exp: (a) => w.call(EXP_F64, [a], "f64"),
    log: (a) => w.call(LOG_F64, [a], "f64"),
    tanh: (a) => w.call(TANH_F64, [a], "f64"),
    sigmoid: (a) => w.call(SIGMOID_F64, [a], "f64"),
    abs: (a) => d.abs(a),
    // a < b ? b : a, as pmax (f64.max would turn a NaN in b into NaN)
    max: (a, b) => share(a, (ra) => share(b, (rb) => w.select(d.lt(ra(), rb()), rb(), ra()))),
    min: (a, b) => share(a, (ra) => share(b, (rb) => w.select(d.lt(rb(), ra()), rb(), ra()))),
    select: (c, a, b) => w.select(d.gt(c, d.const(0)), a, b),
    expm1: (a) => w.call(importOnDemand(w, EXPM1_F64), [a], "f64"),
    log1p: (a) => w.call(importOnDemand(w, LOG1P_F64), [a], "f64"),
    erf: (a) => w.call(importOnDemand(w, ERF_F64), [a], "f64"),
    share,
  };
}

/** `ElementMath.share`: the value goes to a fresh local, read by `body` as often as it likes. */
function shareIn(
  w: WasmModule,
  fb: FunctionBuilder,
  type: "v128" | "f32" | "f64",
  value: Expr,
  body: (read: () => Expr) => Expr,
): Expr {
  const local = fb.addLocal(type);
  return w.block(null, [fb.set(local, value), body(() => fb.get(local))], type);
}
