/**
 * The contract between the compiler and the runtime: the names of the
 * buffers and exports a compiled module has, the kinds of its inputs, the
 * initializers the runtime draws parameters with, and the functions an f64
 * module imports. Both sides import these names from here, so neither has to
 * know the other.
 *
 * @module
 */

import { erf } from "./erf.ts";

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

/**
 * How a parameter's initial values are drawn. For a weight `[in, out]`,
 * fan-in is `in` and fan-out is `out` (a vector's fans are its length):
 *
 * - `"glorotUniform"` (Xavier): U(±√(6/(in+out))); `"glorotNormal"`: N(0, 2/(in+out));
 * - `"heUniform"` (Kaiming, for ReLU): U(±√(6/in)); `"heNormal"`: N(0, 2/in);
 * - `"lecunUniform"`: U(±√(3/in)); `"lecunNormal"`: N(0, 1/in) (for SELU);
 * - `"torchLinear"`: PyTorch's default weight of `nn.Linear`,
 *   `kaiming_uniform_(a=√5)` = U(±1/√in);
 * - `"zeros"`, `"ones"`, `{ kind: "constant", value }`;
 * - `{ kind: "uniform", a, b }`: U(a, b); `{ kind: "normal", mean, std }`;
 * - `{ kind: "truncatedNormal", mean, std, a, b }`: N(mean, std²) restricted
 *   to [a, b] (absolute bounds, as PyTorch's `trunc_normal_`; defaults 0, 1,
 *   −2, 2).
 */
export type Initializer =
  | "glorotUniform"
  | "glorotNormal"
  | "heUniform"
  | "heNormal"
  | "lecunUniform"
  | "lecunNormal"
  | "torchLinear"
  | "zeros"
  | "ones"
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "uniform"; readonly a: number; readonly b: number }
  | { readonly kind: "normal"; readonly mean?: number; readonly std: number }
  | {
    readonly kind: "truncatedNormal";
    readonly mean?: number;
    readonly std?: number;
    readonly a?: number;
    readonly b?: number;
  };

/** The initializers given by name. */
export const NAMED_INITIALIZERS: readonly string[] = Object.freeze([
  "glorotUniform",
  "glorotNormal",
  "heUniform",
  "heNormal",
  "lecunUniform",
  "lecunNormal",
  "torchLinear",
  "zeros",
  "ones",
]);

/** Names of the functions an f64 module imports from `env`. */
export type MathImport = "exp" | "expm1" | "log" | "log1p" | "tanh" | "erf";

/**
 * The `env` imports of compiled modules: f64 modules call these for their
 * transcendentals (`erf` is mlpc's own, accurate to about one ulp: JavaScript
 * has no `Math.erf`); f32 modules compute them in WebAssembly and import nothing
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
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  erf,
});
