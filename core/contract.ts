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
 * Name of the one-element output in which the training step reports whether
 * it wrote a non-finite value into a parameter or optimizer-state buffer: 0
 * when every value it wrote is finite, NaN otherwise. The kernels that write
 * the updates accumulate it as they store (Σ (x − x) over the stored values).
 */
export const NONFINITE_OUTPUT = "nonfinite";
/**
 * Name of the random-key input of training steps that draw random numbers
 * (dropout): two u32 words, the trainer's seed and the step number, which the
 * runtime writes before each step (see `InputKind` "rng").
 */
export const RNG_INPUT = "rng";

/**
 * Names of the exported functions of a compiled module: each takes the
 * run-time batch size; `train` and `evaluate` return the batch's mean loss.
 */
export const EXPORTS = { train: "train", evaluate: "evaluate", predict: "predict" } as const;

/**
 * The exports a module compiled for several threads has besides its
 * programs (see `Artifact.threads`): such a module imports its memory,
 * shared, as `env.memory` (of `memoryPages(artifact.memoryBytes)` pages,
 * initial and maximum), and exports it as `memory` too.
 *
 * - `setup(enabled, mayWait)`: `enabled` 1 lets calls use the workers (call
 *   it once every worker runs `loop`); `mayWait` 0 where the thread may not
 *   block (a browser's main thread), so it spins instead.
 * - `loop(index)`: a worker's whole life: runs its share of every call as
 *   thread `index` (1, 2, …), returns after `exit`.
 * - `exit()`: stops calls from using the workers and tells them to leave
 *   `loop`.
 * - `calls()`: how many calls have used the workers so far (the command
 *   counter; `exit` counts as one).
 */
export const THREAD_EXPORTS = {
  setup: "threads_setup",
  loop: "thread_loop",
  exit: "threads_exit",
  calls: "threads_calls",
} as const;

/** The command number that makes the workers leave `thread_loop`. */
export const THREAD_EXIT = -1;

/**
 * The 64 KiB pages of a module's memory of `bytes` bytes: its initial and
 * maximum size (at least one page).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryPages } from "./contract.ts";
 * assert.equal(memoryPages(1), 1);
 * assert.equal(memoryPages(65537), 2);
 * ```
 */
export function memoryPages(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 65536));
}

/**
 * What an input node stands for:
 *
 * - `param`: a trainable parameter (the optimizer updates it);
 * - `state`: optimizer state (Adam's moments, momentum);
 * - `running`: a running statistic a layer keeps (batch norm's running mean
 *   and variance): updated by the training step, read in inference, saved
 *   with the model, never touched by the optimizer;
 * - `data`, `label`: the batch of samples and of labels;
 * - `scalar`: a number the runtime writes before each step (such as Adam's
 *   bias-corrected step size);
 * - `rng`: the step's random key — two u32 words (seed, step) written by the
 *   runtime before each training step and read as integers, whatever the
 *   element type (`RNG_INPUT`).
 */
export type InputKind = "param" | "state" | "running" | "data" | "label" | "scalar" | "rng";

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
