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
 * WebAssembly has no `exp`, `log` or `tanh` instruction. In f32 mode they are
 * computed in wasm (never through `Math.*`, whose results differ between
 * engines), so a compiled f32 step gives the same bits everywhere. Each one is
 * emitted once per module as a helper function by `declareMathSupport`
 * (`$exp_f32x4`, `$log_f32x4`, `$tanh_f32x4`, `$sigmoid_f32x4`, each
 * `(param v128) (result v128)`); the factories emit calls to them, which
 * Binaryen may inline. In f64 mode `exp`, `log` and `tanh` are the imports
 * `env.exp`, `env.log`, `env.tanh` (the runtime passes `MATH_IMPORTS`), and
 * `$sigmoid_f64` is a helper.
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
 *
 * Error bounds of the f32 implementations, against the exact value (computed
 * in f64 from the same f32 input). An ulp is that of the exact result rounded
 * to f32 (2⁻¹⁴⁹ for subnormal results); relative errors are over normal
 * results. Measured exhaustively over every f32 input of the ranges where
 * rounding is not trivial (exp: 2⁻²⁶ ≤ |x|, −104 ≤ x ≤ 88.8; tanh:
 * 2⁻²⁶ ≤ |x| ≤ 9.1; sigmoid: 2⁻²⁶ ≤ |x|, −104 ≤ x ≤ 17.5 — outside them the
 * results are the correctly rounded 1, ±x, ±1, 0.5, 0, +Inf), and for log over
 * [2⁻¹⁰, 2¹⁰] and all subnormals (other binades differ only in the exact k·ln2
 * term); re-checked by `tests/emit_math_test.ts` on about 10⁶ inputs per
 * function spread over the whole range, edge cases included:
 *
 * | function | max error | max relative error | notes                         |
 * | -------- | --------- | ------------------ | ----------------------------- |
 * | exp      | 1.0 ulp   | 8.2e-8             | subnormal results within 1 ulp |
 * | log      | 0.9 ulp   | 8.2e-8             | absolute ≤ 4e-8 on [0.5, 2]   |
 * | tanh     | 1.4 ulp   | 1.5e-7             | worst just above 0.625        |
 * | sigmoid  | 2.5 ulp   | 1.8e-7             | worst for x < 0 (e/(1 + e))   |
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
const LOG_F32X4 = "log_f32x4";
const TANH_F32X4 = "tanh_f32x4";
const SIGMOID_F32X4 = "sigmoid_f32x4";
const SIGMOID_F64 = "sigmoid_f64";
// f64 imports: `env.<name>`, known inside the module by the same name.
const EXP_F64: MathImport = "exp";
const LOG_F64: MathImport = "log";
const TANH_F64: MathImport = "tanh";

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
 * (dtype "f32") or `f64Math` (dtype "f64"). Unused helpers are removed by the
 * optimizer.
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

/**
 * Element math on `v128` values holding 4 × f32. Needs
 * `declareMathSupport(w, "f32")`. Every method uses each operand exactly once
 * and allocates no locals (the function builder is taken for symmetry with
 * other emitters and for methods that may need locals later).
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
export function f32x4Math(w: WasmModule, _fb: FunctionBuilder): ElementMath<Expr> {
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
export function f32Math(w: WasmModule, _fb: FunctionBuilder): ElementMath<Expr> {
  const s = w.f32;
  const viaVector = (helper: string) => (a: Expr): Expr =>
    w.f32x4.extract_lane(w.call(helper, [w.f32x4.splat(a)], "v128"), 0);
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
  };
}

/**
 * Element math on scalar `f64` values; exp, log and tanh call the imports
 * `env.exp`, `env.log`, `env.tanh` (see `MATH_IMPORTS`). Needs
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
export function f64Math(w: WasmModule, _fb: FunctionBuilder): ElementMath<Expr> {
  const d = w.f64;
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
  };
}
