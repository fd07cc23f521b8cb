/**
 * Gradient checking: the symbolic gradient against central finite
 * differences, both in f64.
 *
 * What is compared with what:
 *
 * - **Expected** values are central finite differences of the f64 reference
 *   interpreter running the *traced forward graph* (no differentiation, no
 *   optimization pass): `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h`.
 * - **Got** values are the symbolic gradient produced by the same pipeline a
 *   training step uses: `differentiate` (the op table's VJP rules, or the
 *   `rules` option), then the optimization passes (simplify, CSE, DCE). With
 *   `engine: "wasm"` (the default of `checkGradients`) the gradient graph is
 *   then fused, memory-planned and emitted as an f64 WebAssembly module —
 *   the code generator a model trains with, at f64 — and the gradient is read
 *   from that module's memory. With `engine: "interpreter"` the optimized
 *   gradient graph is evaluated by the f64 interpreter instead (no Binaryen
 *   compile: much faster for thousands of tiny checks).
 *
 * Tolerance. Central differences have truncation error O(h²·|f'''|) and
 * rounding error O(ε·|f|/h); with h = 1e-6 and ε = 2.2e-16 both stay near
 * 1e-10 for the smooth, O(1)-scaled functions users check, so the default
 * per-element tolerance
 *
 *     |got − expected| ≤ atol + rtol·|expected| + 1000·ε·|f(x)|/h
 *     (atol = 1e-6, rtol = 1e-5)
 *
 * leaves about four orders of magnitude of margin, while a wrong rule (an
 * error of the order of |f'|) fails it. The last term (2.2e-7·|f(x)| at the
 * default h) only matters when the checked value |f(x)| is large (≳ 5): it
 * is a generous bound on the rounding error of the two evaluations of f.
 *
 * Kinks. Where f is not differentiable (relu at 0, ties of max, |x| at 0) the
 * derivative is not defined, and a central difference straddling the kink
 * gives the average of the two one-sided slopes `(f(x+h)−f(x))/h` and
 * `(f(x)−f(x−h))/h`. So an element passes when the symbolic value is within
 * tolerance of the central difference *or of the interval between the two
 * one-sided slopes*. At a kink that interval holds exactly the valid
 * subgradients (relu'(0) = 0 passes, 2 does not); for a smooth function it is
 * only ~h·|f''| wide around the central difference, so nothing is loosened
 * there. Points within h of a kink are handled the same way. An element
 * counts as a kink (`kinks` in its report) when its one-sided slopes differ by
 * more than 100 times the tolerance: a check where most elements are kinks
 * proves little, so draw values away from kinks where it matters (`gap` in
 * the testing arbitraries).
 *
 * A kink can also hide inside a composite that is smooth as a whole: the
 * subgradient conventions of its pieces need not add up to its derivative
 * (e.g. |x| built as relu(x) + relu(−x) gets 0 at 0, which is right, but
 * relu(x) + log(1 + e^−|x|) — smooth, slope ½ at 0 — gets 0 there too). The
 * checker reports such points as failures, as it should.
 *
 * @module
 */

import { initParam } from "../../runtime/init_params.ts";
import { streamOf, uniform } from "../../runtime/prng.ts";
import { differentiate, GRAD_PREFIX } from "../passes/differentiate.ts";
import { type CompileCache, runCompiled } from "./run_graph.ts";
import { CompileError, InputError, MlpcError } from "../../core/errors.ts";
import { type Bindings, interpret } from "../ir/interpret.ts";
import type { Graph, OpName } from "../ir/ir.ts";
import type { Model } from "../frontend/layers.ts";
import type { Loss } from "../frontend/losses.ts";
import { type OpDef, OPS } from "../ir/ops.ts";
import { sgd } from "../../core/optimizers.ts";
import { optimize } from "../passes/pipeline.ts";
import { elementCount, formatShape, type Shape } from "../../core/shape.ts";
import { type Inputs, readFeed } from "../../runtime/feed.ts";
import { declareInputs, type InputSpecs } from "../frontend/inputs.ts";
import { input, type Tensor } from "../frontend/tensor.ts";
import { trace } from "../frontend/trace.ts";
import { buildGraphs } from "../frontend/train_step.ts";
import { DATA_INPUT, LABEL_INPUT, LOSS_OUTPUT, RNG_INPUT } from "../../core/contract.ts";

/** Result of checking the gradient with respect to one input or parameter. */
export interface GradientReport {
  /** Input or parameter name. */
  readonly name: string;
  /** Its concrete shape (the batch dimension resolved). */
  readonly shape: readonly number[];
  /** Number of elements checked (all of them, or `samples`). */
  readonly checked: number;
  /**
   * Largest error over the checked elements: |got − expected| (the central
   * difference), or, where that exceeds the tolerance, the distance of `got`
   * from the interval between the one-sided slopes if smaller (kinks: see
   * the module documentation).
   */
  readonly maxAbsError: number;
  /** Largest error / max(|expected|, atol) over the checked elements. */
  readonly maxRelError: number;
  /** Flat (row-major) index of the element with the largest excess over its tolerance. */
  readonly worstIndex: number;
  /** The same element as a multi-index, e.g. `[3, 1]` (`[]` for a scalar). */
  readonly worstElement: readonly number[];
  /** Finite-difference (expected) derivative at the worst element. */
  readonly expected: number;
  /** Symbolic derivative at the worst element. */
  readonly got: number;
  /** The tolerance at the worst element. */
  readonly tolerance: number;
  /** Whether every checked element is within tolerance. */
  readonly ok: boolean;
  /** Checked elements where the function has a kink (one-sided slopes differ). */
  readonly kinks: number;
}

/** Options of `checkGraphGradients`. */
export interface GradientCheckOptions {
  /** Finite-difference step (default 1e-6). */
  readonly h?: number;
  /** Absolute tolerance (default 1e-6). */
  readonly atol?: number;
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /**
   * The VJP rules to differentiate with (default: the op table). A table
   * with a planted wrong rule shows that the check can fail.
   */
  readonly rules?: { readonly [K in OpName]: OpDef };
  /**
   * Check at most this many elements of each input, drawn at random (without
   * repetition) from `seed`; default: every element. Each checked element
   * costs two forward evaluations.
   */
  readonly samples?: number;
  /** Seed of the element sample (default 0). */
  readonly seed?: number;
}

/** Options of `checkGradients` and `checkModelGradients`. */
export interface CheckGradientsOptions extends GradientCheckOptions {
  /** The inputs to differentiate with respect to (default: all of them; for a model: its parameters). */
  readonly wrt?: readonly string[];
  /**
   * Where the symbolic gradient is evaluated: `"wasm"` (default) compiles the
   * optimized gradient graph to an f64 WebAssembly module; `"interpreter"`
   * evaluates it with the f64 reference interpreter.
   */
  readonly engine?: "wasm" | "interpreter";
  /**
   * Compiled gradient programs by graph, reused across calls (the caller owns
   * the map: pass the same one to a series of checks of the same structure,
   * e.g. inside a property, to compile once).
   */
  readonly cache?: CompileCache;
  /** Throw a `GradientCheckError` when an element fails (default `true`). */
  readonly throwOnFailure?: boolean;
}

/**
 * A concrete value of an input: a number (a scalar), an array (a vector), an
 * array of rows (a matrix) or flat data with a shape. A shape may start with
 * `"batch"`; the batch size is then taken from the data's length.
 */
export type TensorValue =
  | number
  | ArrayLike<number>
  | readonly (ArrayLike<number>)[]
  | { readonly data: ArrayLike<number>; readonly shape: Shape };

/**
 * A gradient check failed. The message names the input, the element, the
 * expected (finite-difference) and the symbolic value; `reports` holds every
 * report of the check.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGradients, GradientCheckError } from "./check_gradients.ts";
 * import { OPS } from "../ir/ops.ts";
 * import { sum, tanh } from "../frontend/tensor.ts";
 * const wrong = { ...OPS, tanh: { ...OPS.tanh, vjp: OPS.exp.vjp } }; // d tanh = tanh: wrong
 * try {
 *   checkGradients(({ x }) => sum(tanh(x)), { x: [0.5, -1] }, { rules: wrong });
 *   throw new Error("unreachable");
 * } catch (e) {
 *   assert.ok(e instanceof GradientCheckError && e.reports[0].name === "x");
 * }
 * ```
 */
export class GradientCheckError extends MlpcError {
  /** Every report of the failed check (at least one has `ok: false`). */
  readonly reports: readonly GradientReport[];
  /** Creates the error from the reports. */
  constructor(message: string, reports: readonly GradientReport[]) {
    super(message);
    this.name = "GradientCheckError";
    this.reports = reports;
  }
}

// ------------------------------------------------------- the element check --

interface Tolerances {
  readonly h: number;
  readonly atol: number;
  readonly rtol: number;
}

function tolerancesOf(options: GradientCheckOptions): Tolerances {
  const t = { h: options.h ?? 1e-6, atol: options.atol ?? 1e-6, rtol: options.rtol ?? 1e-5 };
  for (const [key, value] of Object.entries(t)) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new InputError(`checkGradients: ${key} must be a positive number, got ${value}`);
    }
  }
  return t;
}

/** The flat indices to check: all, or `samples` distinct ones drawn from `seed`. */
function sampleIndices(name: string, size: number, samples: number, seed: number): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (samples >= size) return all;
  const stream = streamOf(name);
  for (let i = 0; i < samples; i++) {
    const j = i + Math.floor(uniform(seed, stream, i) * (size - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, samples).sort((a, b) => a - b);
}

function unflatten(index: number, shape: readonly number[]): number[] {
  const position = new Array<number>(shape.length);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    position[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return position;
}

/** Compares `got` with central differences of `f` on the chosen elements of one input. */
function checkOne(
  name: string,
  shape: readonly number[],
  base: Float64Array,
  got: ArrayLike<number>,
  f: (values: Float64Array) => number,
  center: number,
  indices: readonly number[],
  t: Tolerances,
): GradientReport {
  const { h, atol, rtol } = t;
  const noise = Number.isFinite(center) ? (1000 * Number.EPSILON * Math.abs(center)) / h : 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  let worstIndex = indices[0] ?? 0;
  let worstExcess = -Infinity;
  let expectedAtWorst = 0;
  let toleranceAtWorst = atol;
  let kinks = 0;
  const probe = Float64Array.from(base);
  for (const i of indices) {
    probe[i] = base[i] + h;
    const fPlus = f(probe);
    probe[i] = base[i] - h;
    const fMinus = f(probe);
    probe[i] = base[i];
    const forward = (fPlus - center) / h;
    const backward = (center - fMinus) / h;
    const numeric = (fPlus - fMinus) / (2 * h);
    const finite = Number.isFinite(numeric) && Number.isFinite(got[i]);
    const tolerance = atol + (finite ? rtol * Math.abs(numeric) : 0) + noise;
    // Accepted: within tolerance of the central difference, or of the interval
    // between the one-sided slopes (at a kink: the subgradients; for a smooth
    // function an interval ~h·|f''| wide around the central difference).
    const low = Math.min(forward, backward);
    const high = Math.max(forward, backward);
    const outside = got[i] < low ? low - got[i] : got[i] > high ? got[i] - high : 0;
    const central = Math.abs(got[i] - numeric);
    // A non-finite value on either side (e.g. log at 0) always fails.
    const error = !finite ? Infinity : central <= tolerance ? central : Math.min(central, outside);
    // One-sided slopes of a smooth function differ by ~h·|f''|; far more means a kink.
    if (Math.abs(forward - backward) > 100 * tolerance) kinks++;
    maxAbsError = Math.max(maxAbsError, error);
    maxRelError = Math.max(maxRelError, error / Math.max(Math.abs(numeric), atol));
    const excess = error - tolerance;
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = i;
      expectedAtWorst = numeric;
      toleranceAtWorst = tolerance;
    }
  }
  return {
    name,
    shape,
    checked: indices.length,
    maxAbsError,
    maxRelError,
    worstIndex,
    worstElement: unflatten(worstIndex, shape),
    expected: expectedAtWorst,
    got: got[worstIndex] ?? 0,
    tolerance: toleranceAtWorst,
    ok: worstExcess <= 0,
    kinks,
  };
}

/**
 * Checks d(output `of`)/d(input) for every input in `wrt` of a traced graph,
 * evaluating the (unoptimized) symbolic gradient with the f64 interpreter.
 * Never throws on a failed element: read `ok` in the reports.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGraphGradients } from "./check_gradients.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, sum, tanh } from "../frontend/tensor.ts";
 * const g = trace({ loss: sum(tanh(input("x", [3]))) }, "f64");
 * const [report] = checkGraphGradients(g, "loss", ["x"], { x: [0.1, -0.5, 2] }, 1);
 * assert.ok(report.ok && report.maxAbsError < 1e-8);
 * ```
 */
export function checkGraphGradients(
  graph: Graph,
  of: string,
  wrt: readonly string[],
  bindings: Bindings,
  batch: number,
  options: GradientCheckOptions = {},
): GradientReport[] {
  const t = tolerancesOf(options);
  const withGrads = differentiate(graph, of, wrt, options.rules ?? OPS);
  const symbolic = interpret(withGrads, bindings, batch).outputs;
  return compareAll(graph, of, wrt, bindings, batch, symbolic, t, options);
}

function compareAll(
  forward: Graph,
  of: string,
  wrt: readonly string[],
  bindings: Bindings,
  batch: number,
  symbolic: Readonly<Record<string, ArrayLike<number>>>,
  t: Tolerances,
  options: GradientCheckOptions,
): GradientReport[] {
  const center = interpret(forward, bindings, batch).outputs[of][0];
  if (!Number.isFinite(center)) {
    throw new InputError(
      `checkGradients: the function's value at the given inputs is ${center}; ` +
        `gradients can only be checked where it is finite`,
    );
  }
  return wrt.map((name) => {
    const node = forward.nodes.find((n) => n.op === "input" && n.attrs.name === name)!;
    const shape = node.shape.map((d) => (d === "batch" ? batch : d));
    const base = Float64Array.from(bindings[name]);
    const f = (values: Float64Array) =>
      interpret(forward, { ...bindings, [name]: values }, batch).outputs[of][0];
    const indices = sampleIndices(
      name,
      base.length,
      options.samples ?? Infinity,
      options.seed ?? 0,
    );
    return checkOne(name, shape, base, symbolic[GRAD_PREFIX + name], f, center, indices, t);
  });
}

// ------------------------------------------------------------- public API --

interface Normalized {
  readonly shape: Shape;
  readonly data: Float64Array;
  readonly batch: number | null;
}

function normalizeValue(name: string, value: TensorValue): Normalized {
  const finite = (data: Float64Array) => {
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new InputError(
        `checkGradients: "${name}" has a non-finite value ${data[bad]} at ${bad}`,
      );
    }
    return data;
  };
  if (typeof value === "number") {
    return { shape: [], data: finite(Float64Array.of(value)), batch: null };
  }
  if (value !== null && typeof value === "object" && "shape" in value && "data" in value) {
    const data = finite(Float64Array.from(value.data));
    const fixed = value.shape.slice(value.shape[0] === "batch" ? 1 : 0);
    if (fixed.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 1)) {
      throw new InputError(
        `checkGradients: "${name}" has shape ${formatShape(value.shape)}; only the first ` +
          `dimension may be "batch", the others must be positive integers`,
      );
    }
    const rest = (fixed as number[]).reduce((a, b) => a * b, 1);
    const batch = value.shape[0] === "batch" ? data.length / rest : null;
    if (batch !== null ? !Number.isInteger(batch) || batch < 1 : data.length !== rest) {
      throw new InputError(
        `checkGradients: "${name}" of shape ${formatShape(value.shape)} cannot hold ` +
          `${data.length} values`,
      );
    }
    return { shape: value.shape, data, batch };
  }
  const rows = value as ArrayLike<number | ArrayLike<number>>;
  if (rows.length === 0) throw new InputError(`checkGradients: "${name}" is empty`);
  if (typeof rows[0] === "number") {
    return {
      shape: [rows.length],
      data: finite(Float64Array.from(rows as ArrayLike<number>)),
      batch: null,
    };
  }
  const matrix = Array.from(rows as ArrayLike<ArrayLike<number>>);
  const cols = matrix[0].length;
  matrix.forEach((row, r) => {
    if (row?.length !== cols) {
      throw new InputError(
        `checkGradients: "${name}" row ${r} has ${row?.length} values, row 0 has ${cols}`,
      );
    }
  });
  const data = new Float64Array(matrix.length * cols);
  matrix.forEach((row, r) => data.set(Array.from(row), r * cols));
  return { shape: [matrix.length, cols], data: finite(data), batch: null };
}

function failureMessage(reports: readonly GradientReport[], engine: string): string {
  const failed = reports.filter((r) => !r.ok);
  const lines = failed.map((r) =>
    `"${r.name}" ${formatShape(r.shape, "f64")} at element [${r.worstElement.join(", ")}] ` +
    `(flat index ${r.worstIndex}): expected ${r.expected} (central finite differences), ` +
    `got ${r.got} (symbolic gradient, ${engine}); |difference| ${
      Math.abs(r.got - r.expected).toPrecision(3)
    } > tolerance ${r.tolerance.toPrecision(3)}`
  );
  return `Gradient check failed for ${failed.map((r) => `"${r.name}"`).join(", ")}:\n  ` +
    lines.join("\n  ");
}

/** Differentiates, optimizes, evaluates the gradient, compares, and throws if asked. */
function runCheck(
  forward: Graph,
  of: string,
  wrt: readonly string[],
  bindings: Bindings,
  batch: number,
  options: CheckGradientsOptions,
): GradientReport[] {
  const t = tolerancesOf(options);
  const engine = options.engine ?? "wasm";
  if (engine !== "wasm" && engine !== "interpreter") {
    throw new InputError(`checkGradients: engine must be "wasm" or "interpreter", got ${engine}`);
  }
  const withGrads = differentiate(forward, of, wrt, options.rules ?? OPS);
  const gradients = optimize({
    ...withGrads,
    outputs: withGrads.outputs.filter((o) => o.name.startsWith(GRAD_PREFIX)),
    updates: [], // running-statistic updates: not part of the gradient
  });
  const symbolic = engine === "wasm"
    ? runCompiled(gradients, bindings, batch, options.cache)
    : interpret(gradients, bindings, batch).outputs;
  const reports = compareAll(forward, of, wrt, bindings, batch, symbolic, t, options);
  if ((options.throwOnFailure ?? true) && reports.some((r) => !r.ok)) {
    const where = engine === "wasm" ? "f64 wasm" : "f64 interpreter";
    throw new GradientCheckError(failureMessage(reports, where), reports);
  }
  return reports;
}

/**
 * Checks the symbolic gradient of a scalar function of named inputs against
 * central finite differences, at the given values, in f64.
 *
 * `f` receives one symbolic tensor per entry of `values` (with that value's
 * shape) and returns a scalar expression: a loss, a model and its loss, or
 * any expression. By default the gradient with respect to every input is
 * checked (`wrt` chooses), computed by the training pipeline — differentiate,
 * optimize, compile to f64 WebAssembly — and compared element by element with
 * finite differences of the f64 interpreter (see the module documentation for
 * the tolerance and the treatment of kinks such as relu at 0).
 *
 * Returns one report per input; when an element is out of tolerance, throws a
 * `GradientCheckError` naming the input, the element, the expected and the
 * symbolic value (unless `throwOnFailure: false`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGradients } from "./check_gradients.ts";
 * import { log, exp, add, sum, mul } from "../frontend/tensor.ts";
 * const softplus = (x: Parameters<typeof exp>[0]) => log(add(1, exp(x)));
 * const reports = checkGradients(({ x, w }) => sum(mul(softplus(x), w)), {
 *   x: [[0.5, -1, 2], [0, 0.1, -3]],
 *   w: [1, 2, 3],
 * });
 * assert.ok(reports.every((r) => r.ok) && reports[0].shape.join() === "2,3");
 * ```
 */
export function checkGradients(
  f: (inputs: Readonly<Record<string, Tensor>>) => Tensor,
  values: Readonly<Record<string, TensorValue>>,
  options: CheckGradientsOptions = {},
): GradientReport[] {
  const normalized = Object.entries(values).map(([name, v]) => [name, normalizeValue(name, v)]);
  const batches = new Set(normalized.map(([, v]) => (v as Normalized).batch).filter((b) => b));
  if (batches.size > 1) {
    throw new InputError(
      `checkGradients: inputs with a "batch" dimension disagree on its size: ${[...batches]}`,
    );
  }
  const batch = batches.size === 1 ? [...batches][0]! : 1;
  const tensors: Record<string, Tensor> = {};
  const bindings: Record<string, Float64Array> = {};
  for (const [name, v] of normalized as [string, Normalized][]) {
    tensors[name] = input(name, v.shape);
    bindings[name] = v.data;
  }
  const y = f(tensors);
  if (y === null || typeof y !== "object" || !("shape" in y) || y.shape.length !== 0) {
    throw new CompileError(
      `checkGradients: the function must return a scalar tensor, got ${
        y?.shape ? formatShape(y.shape) : String(y)
      }`,
    );
  }
  const forward = trace({ value: y }, "f64");
  const used = new Set(forward.nodes.filter((n) => n.op === "input").map((n) => n.attrs.name!));
  if (used.has(RNG_INPUT) && !(RNG_INPUT in bindings)) {
    // Train-mode dropout inside f: fix its mask (seed 0, step 1) unless given.
    bindings[RNG_INPUT] = Float64Array.of(0, 1);
  }
  const missing = [...used].filter((name) => !(name in bindings));
  if (missing.length > 0) {
    throw new InputError(
      `checkGradients: no value for ${missing.map((m) => `"${m}"`).join(", ")} ` +
        `(a model's parameters need values too; checkModelGradients draws them)`,
    );
  }
  const wrt = options.wrt ?? Object.keys(values);
  for (const name of wrt) {
    if (!(name in bindings)) {
      throw new InputError(
        `checkGradients: wrt names "${name}", which is not one of the inputs (${
          Object.keys(values).join(", ")
        })`,
      );
    }
  }
  const checked = runCheck(forward, "value", wrt.filter((n) => used.has(n)), bindings, batch, {
    ...options,
  });
  // An input the function does not use has a zero gradient, exactly: nothing to compare.
  return wrt.map((name) =>
    checked.find((r) => r.name === name) ?? {
      name,
      shape: (normalized.find(([n]) => n === name)![1] as Normalized).shape.map((d) =>
        d === "batch" ? batch : d
      ),
      checked: 0,
      maxAbsError: 0,
      maxRelError: 0,
      worstIndex: 0,
      worstElement: [],
      expected: 0,
      got: 0,
      tolerance: 0,
      ok: true,
      kinks: 0,
    }
  );
}

/** Data of `checkModelGradients`: the loss, a batch, and optionally the parameters. */
export interface ModelCheckData {
  /** The loss the model trains with. */
  readonly loss: Loss;
  /** A batch of inputs: rows of features. */
  readonly x: readonly (ArrayLike<number>)[];
  /**
   * Labels: one class index per row for class losses; rows of targets (or a
   * flat array) for value losses.
   */
  readonly y: ArrayLike<number> | readonly (ArrayLike<number>)[];
  /** Parameter values by name; missing ones are drawn from their initializers with `seed`. */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>;
  /** Seed of the drawn parameters (default 0). */
  readonly seed?: number;
}

/**
 * Data of `checkModelGradients` for a model compiled with `inputs` (token
 * ids, token lists, sparse rows, named inputs): `x` takes the form `fit`
 * takes for them.
 */
export interface InputsCheckData extends Omit<ModelCheckData, "x"> {
  /** What the model reads, as `compile`'s `inputs` option. */
  readonly inputs: InputSpecs;
  /** A batch of those inputs. */
  readonly x: Inputs;
}

/**
 * Checks the gradient of a model's loss with respect to its parameters (the
 * gradient a training step uses) against finite differences, in f64. The
 * graph is built exactly as `compile` builds it (`x` → model → loss with
 * labels `y`); parameters default to the values `compile` would draw with
 * the same seed, in f64. Add `"x"` to `wrt` to check the input gradient too.
 * Throws a `GradientCheckError` on failure, like `checkGradients`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkModelGradients } from "./check_gradients.ts";
 * import { chain, dense } from "../frontend/layers.ts";
 * import { softmaxCrossEntropy } from "../frontend/losses.ts";
 * import { tanh } from "../frontend/tensor.ts";
 * const reports = checkModelGradients(chain(dense(3, 5), tanh, dense(5, 4)), {
 *   loss: softmaxCrossEntropy,
 *   x: [[0.1, -0.2, 0.3], [1, 0.5, -1]],
 *   y: [2, 0],
 *   seed: 7,
 * });
 * assert.ok(reports.map((r) => r.name).join() === "0.weight,0.bias,2.weight,2.bias");
 * ```
 */
export function checkModelGradients(
  model: Model<never>,
  data: ModelCheckData | InputsCheckData,
  options: CheckGradientsOptions = {},
): GradientReport[] {
  const { rows, graphs, inputBindings } = "inputs" in data
    ? inputsBatch(model, data)
    : denseBatch(model, data);

  // x, y → loss, prediction in train mode: the function a training step differentiates.
  const forward = graphs.trainLoss;
  const yFlat = Float64Array.from(
    typeof data.y[0] === "number"
      ? Array.from(data.y as ArrayLike<number>)
      : Array.from(data.y as readonly ArrayLike<number>[]).flatMap((r) => Array.from(r)),
  );
  const labelCount = graphs.labelShape.reduce<number>(
    (n, d) => n * (d === "batch" ? rows : d),
    1,
  );
  if (yFlat.length !== labelCount) {
    throw new InputError(
      `checkModelGradients: ${data.loss.name} needs ${labelCount} label values for ${rows} ` +
        `rows, got ${yFlat.length}`,
    );
  }
  const bindings: Record<string, ArrayLike<number>> = {
    ...inputBindings,
    [LABEL_INPUT]: yFlat,
    // Dropout masks of step 1 under the data's seed; the masks stay fixed while
    // the finite differences move one value, so the loss is differentiable.
    [RNG_INPUT]: Float64Array.of(data.seed ?? 0, 1),
  };
  for (const r of forward.nodes.filter((n) => n.op === "input" && n.attrs.kind === "running")) {
    const shape = r.shape.map((d) => (d === "batch" ? rows : d));
    bindings[r.attrs.name!] = initParam(
      { name: r.attrs.name!, shape, init: r.attrs.init ?? "zeros" },
      0,
    );
  }
  const params = forward.nodes.filter((n) => n.op === "input" && n.attrs.kind === "param");
  for (const p of params) {
    const name = p.attrs.name!;
    const shape = p.shape.map((d) => (d === "batch" ? rows : d));
    const given = data.params?.[name];
    const size = shape.reduce((a, b) => a * b, 1);
    if (given !== undefined && given.length !== size) {
      throw new InputError(
        `checkModelGradients: parameter "${name}" of shape [${shape}] needs ${size} values, ` +
          `got ${given.length}`,
      );
    }
    bindings[name] = given ??
      initParam({ name, shape, init: p.attrs.init ?? "glorotUniform" }, data.seed ?? 0);
  }
  const wrt = options.wrt ?? params.map((p) => p.attrs.name!);
  return runCheck(forward, LOSS_OUTPUT, wrt, bindings, rows, options);
}

/** The graphs and the input bindings of a batch of rows of features (one dense input "x"). */
function denseBatch(model: Model<never>, data: ModelCheckData) {
  const xRows = data.x;
  const rows = xRows.length;
  const features = xRows[0]?.length ?? 0;
  if (!Array.isArray(xRows) || rows < 1 || features < 1) {
    throw new InputError("checkModelGradients: x needs at least one row of at least one feature");
  }
  const x = new Float64Array(rows * features);
  xRows.forEach((row, r) => {
    if (row.length !== features) {
      throw new InputError(
        `checkModelGradients: x row ${r} has ${row.length} features, row 0 has ${features}`,
      );
    }
    x.set(Array.from(row), r * features);
  });
  const graphs = buildGraphs(model, data.loss, sgd(), features, "f64");
  return { rows, graphs, inputBindings: { [DATA_INPUT]: x } as Record<string, Float64Array> };
}

/**
 * The graphs and the input bindings of a batch of `inputs` (token lists,
 * sparse rows, named inputs): the data checked and laid out by the runtime's
 * feed, as it would be in a module's buffers.
 */
function inputsBatch(model: Model<never>, data: InputsCheckData) {
  const signature = declareInputs(data.inputs).signature;
  const graphs = buildGraphs(model, data.loss, sgd(), signature, "f64");
  const source = {
    artifact: { inputs: graphs.signature, inputFeatures: 0, dtype: "f64" as const },
    spec: { features: 0, layer: "", labels: data.loss.labels, width: 1, dtype: "f64" as const },
  };
  const feed = readFeed(source, data.x, "x");
  if (feed.rows < 1) throw new InputError("checkModelGradients: x needs at least one sample");
  // One arena holding every input buffer at this batch's size.
  const sizes = graphs.trainLoss.nodes
    .filter((n) => n.op === "input" && n.attrs.kind === "data")
    .map((n) => [n.attrs.name!, elementCount(n.shape, feed.rows)] as const);
  const index = new Map<string, number>();
  let total = 0;
  for (const [name, size] of sizes) {
    index.set(name, total);
    total += size;
  }
  const view = new Float64Array(total);
  feed.write({ view, has: (n) => index.has(n), index: (n) => index.get(n)! }, null, 0, feed.rows);
  const inputBindings: Record<string, Float64Array> = {};
  for (const [name, size] of sizes) {
    inputBindings[name] = view.subarray(index.get(name)!, index.get(name)! + size);
  }
  return { rows: feed.rows, graphs, inputBindings };
}
