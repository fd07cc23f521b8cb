/**
 * f32 against f64: the same model compiled at both element types takes one
 * training step from the same parameters on the same batch, and the losses
 * and updated parameters are compared.
 *
 * Tolerance (defaults; settable). With plain SGD (lr 1 by default, so the
 * update is the gradient itself) the parameters after the step must satisfy,
 * element by element,
 *
 *     |p₃₂ − p₆₄| ≤ 2⁻²²·|p₆₄| + gradientRtol·lr·max|g₆₄|     (gradientRtol = 1e-4)
 *
 * and the losses `|L₃₂ − L₆₄| ≤ 1e-6 + lossRtol·|L₆₄|` (lossRtol = 1e-4).
 * The first term allows two f32 roundings of the parameter itself (the f32
 * step's result, and the f64 result read back as f32 by `getParams`). The
 * second bounds the f32 error of the gradient: a dot product of k terms in
 * f32 has error ≤ k·u·Σ|terms| with u = 2⁻²⁴ ≈ 6e-8; a forward and backward
 * pass through ≤ 4 layers of ≤ 64 units over a batch of ≤ 8 compounds that to
 * about 8·72·u ≈ 3.4e-5, and the wasm exp/log/tanh approximations add a few
 * ulp. 1e-4 is three times that worst case (observed: ≤ 1e-6 over 150 random
 * models), yet a gradient element wrong by more than 0.01 % of the largest
 * gradient of its parameter fails.
 *
 * @module
 */

import type { InputsCheckData, ModelCheckData } from "../compiler/driver/check_gradients.ts";
import { compile } from "../compiler/driver/compile.ts";
import { MlpcError } from "../core/errors.ts";
import type { Model } from "../compiler/frontend/layers.ts";
import { sgd } from "../core/optimizers.ts";

/** Options of `compareF32ToF64`. */
export interface PrecisionOptions {
  /** Learning rate of the SGD step (default 1: the update is the gradient). */
  readonly lr?: number;
  /** Relative tolerance of the gradient part of the update (default 1e-4). */
  readonly gradientRtol?: number;
  /** Relative tolerance of the loss (default 1e-4). */
  readonly lossRtol?: number;
  /** Throw a `PrecisionError` when out of tolerance (default `true`). */
  readonly throwOnFailure?: boolean;
}

/** How one parameter's f32 update compares with its f64 update. */
export interface ParamPrecision {
  /** Parameter name. */
  readonly name: string;
  /** Largest |p₃₂ − p₆₄| after the step. */
  readonly maxAbsError: number;
  /** Largest |excess| over the tolerance (≤ 0 when within it). */
  readonly worstExcess: number;
  /** Flat index of the element with the largest excess. */
  readonly worstIndex: number;
  /** The f64 value there. */
  readonly expected: number;
  /** The f32 value there. */
  readonly got: number;
  /** Largest |g₆₄| of the parameter (its gradient scale). */
  readonly gradientScale: number;
  /** Whether every element is within tolerance. */
  readonly ok: boolean;
}

/** What `compareF32ToF64` found. */
export interface PrecisionReport {
  /** Loss of the f32 step. */
  readonly lossF32: number;
  /** Loss of the f64 step. */
  readonly lossF64: number;
  /** Whether the losses agree within tolerance. */
  readonly lossOk: boolean;
  /** One entry per parameter. */
  readonly params: readonly ParamPrecision[];
  /** Whether everything agrees within tolerance. */
  readonly ok: boolean;
}

/**
 * The f32 and f64 training steps disagree by more than the tolerance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PrecisionError } from "./precision.ts";
 * assert.ok(new PrecisionError("x", { lossF32: 0, lossF64: 0, lossOk: true, params: [], ok: true }).name === "PrecisionError");
 * ```
 */
export class PrecisionError extends MlpcError {
  /** The full comparison. */
  readonly report: PrecisionReport;
  /** Creates the error. */
  constructor(message: string, report: PrecisionReport) {
    super(message);
    this.name = "PrecisionError";
    this.report = report;
  }
}

/**
 * Compiles `model` at f32 and at f64 (with `compile`, plain SGD), sets the
 * same parameters in both (`data.params`, rounded to f32; or the f32
 * trainer's initial values), takes one training step on `data.x`, `data.y`
 * in each, and compares losses and updated parameters within the tolerance
 * documented in this module. Throws a `PrecisionError` naming the parameter
 * and element when out of tolerance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareF32ToF64 } from "./precision.ts";
 * import { chain, dense } from "../compiler/frontend/layers.ts";
 * import { mse } from "../compiler/frontend/losses.ts";
 * import { tanh } from "../compiler/frontend/tensor.ts";
 * const report = await compareF32ToF64(chain(dense(2, 8), tanh, dense(8, 1)), {
 *   loss: mse,
 *   x: [[0.5, -1], [0.25, 2]],
 *   y: [[1], [0]],
 * });
 * assert.ok(report.ok && Math.abs(report.lossF32 - report.lossF64) < 1e-5);
 * ```
 */
export async function compareF32ToF64(
  model: Model<never>,
  data: ModelCheckData | InputsCheckData,
  options: PrecisionOptions = {},
): Promise<PrecisionReport> {
  const lr = options.lr ?? 1;
  const gradientRtol = options.gradientRtol ?? 1e-4;
  const lossRtol = options.lossRtol ?? 1e-4;
  // With inputs, the batch is as large as the labels' count (one label or label row per sample).
  const compileOptions = {
    loss: data.loss,
    optimizer: sgd({ lr }),
    batchSize: "inputs" in data ? data.y.length : data.x.length,
    seed: data.seed ?? 0,
    ...("inputs" in data ? { inputs: data.inputs } : { inputFeatures: data.x[0]?.length }),
  };
  const t32 = await compile(model, { ...compileOptions, dtype: "f32" });
  const t64 = await compile(model, { ...compileOptions, dtype: "f64" });
  const before = t32.getParams();
  for (const [name, value] of Object.entries(data.params ?? {})) {
    before[name] = Float32Array.from(value);
  }
  t32.setParams(before);
  t64.setParams(before);
  const labels = typeof data.y[0] === "number"
    ? Array.from(data.y as ArrayLike<number>)
    : (data.y as readonly ArrayLike<number>[]);
  const lossF32 = t32.trainBatch(data.x, labels);
  const lossF64 = t64.trainBatch(data.x, labels);
  const after32 = t32.getParams();
  const after64 = t64.getParams();
  const params = Object.keys(before).map((name) => {
    const p0 = before[name];
    const p32 = after32[name];
    const p64 = after64[name];
    let gradientScale = 0;
    for (let i = 0; i < p0.length; i++) {
      gradientScale = Math.max(gradientScale, Math.abs(p0[i] - p64[i]) / lr);
    }
    let maxAbsError = 0;
    let worstExcess = -Infinity;
    let worstIndex = 0;
    for (let i = 0; i < p0.length; i++) {
      const error = Math.abs(p32[i] - p64[i]);
      const tolerance = 2 ** -22 * Math.abs(p64[i]) + gradientRtol * lr * gradientScale;
      maxAbsError = Math.max(maxAbsError, error);
      const excess = Number.isNaN(error) ? Infinity : error - tolerance;
      if (excess > worstExcess) {
        worstExcess = excess;
        worstIndex = i;
      }
    }
    return {
      name,
      maxAbsError,
      worstExcess,
      worstIndex,
      expected: p64[worstIndex],
      got: p32[worstIndex],
      gradientScale,
      ok: worstExcess <= 0,
    };
  });
  const lossOk = Math.abs(lossF32 - lossF64) <= 1e-6 + lossRtol * Math.abs(lossF64);
  const report = { lossF32, lossF64, lossOk, params, ok: lossOk && params.every((p) => p.ok) };
  if (!report.ok && (options.throwOnFailure ?? true)) {
    const lines = params.filter((p) => !p.ok).map((p) =>
      `"${p.name}" element ${p.worstIndex}: f64 step gives ${p.expected}, f32 step gives ${p.got} ` +
      `(excess ${p.worstExcess.toPrecision(3)} over the tolerance)`
    );
    if (!lossOk) lines.unshift(`loss: f64 ${lossF64}, f32 ${lossF32}`);
    throw new PrecisionError(
      `The f32 training step disagrees with the f64 one:\n  ${lines.join("\n  ")}`,
      report,
    );
  }
  return report;
}
