/**
 * The contract between the compiler and the runtime: the names of the
 * buffers and exports a compiled module has, the kinds of its inputs, the
 * initializers the runtime draws parameters with, and the functions an f64
 * module imports. Both sides import these names from here, so neither has to
 * know the other.
 *
 * @module
 */

/** Name of the data input (the batch of samples). */
export const DATA_INPUT = "x";
/** Name of the label input (the batch of labels or targets). */
export const LABEL_INPUT = "y";
/**
 * Name of the per-sample weight input (`[batch]`), present when the loss
 * computes per-sample losses: the loss is `mean(wᵢ·ℓᵢ)` (Keras's
 * `sample_weight` with its default reduction); the runtime writes 1s when no
 * weights are given.
 */
export const SAMPLE_WEIGHT_INPUT = "sampleWeight";
/** Name of the loss output. */
export const LOSS_OUTPUT = "loss";
/** Name of the prediction output. */
export const PREDICTION_OUTPUT = "prediction";

/**
 * Names of the exported functions of a compiled module: each takes the
 * run-time batch size; `train` and `evaluate` return the batch's mean loss.
 */
export const EXPORTS = { train: "train", evaluate: "evaluate", predict: "predict" } as const;

/**
 * What an input node stands for: a trainable parameter, optimizer state, the
 * batch of data, the batch of labels, or a scalar the runtime writes before
 * each step (such as Adam's bias-corrected step size).
 */
export type InputKind = "param" | "state" | "data" | "label" | "scalar";

/** How a parameter's initial values are drawn. */
export type Initializer =
  | "glorotUniform"
  | "glorotNormal"
  | "heUniform"
  | "heNormal"
  | "zeros"
  | "ones";

/** Names of the functions an f64 module imports from `env`. */
export type MathImport = "exp" | "log" | "tanh";

/**
 * The `env` imports of compiled modules: f64 modules call these for their
 * transcendentals; f32 modules compute them in WebAssembly and import nothing
 * (passing these to them is harmless).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MATH_IMPORTS } from "./contract.ts";
 * assert.ok(MATH_IMPORTS.exp(0) === 1);
 * // new WebAssembly.Instance(module, { env: MATH_IMPORTS })
 * ```
 */
export const MATH_IMPORTS: Readonly<Record<MathImport, (x: number) => number>> = Object.freeze({
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
});
