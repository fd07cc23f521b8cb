/**
 * fast-check arbitraries for mlpc: shapes, tensors with controllable value
 * ranges, random MLP architectures and ready-to-check model cases (an
 * architecture with a batch, labels and parameter values).
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import type { Arbitrary } from "./fast_check_types.ts";
import type { ModelCheckData } from "../compiler/driver/check_gradients.ts";
import { applyModel, chain, dense, type Layer, type Model } from "../compiler/frontend/layers.ts";
import { parallel, residual } from "../compiler/frontend/combinators.ts";
import { dropout } from "../compiler/frontend/dropout.ts";
import { batchNorm, layerNorm } from "../compiler/frontend/normalization.ts";
import {
  binaryCrossEntropyWithLogits,
  huber,
  l1,
  type Loss,
  mse,
  nllLoss,
  smoothL1,
  softmaxCrossEntropy,
} from "../compiler/frontend/losses.ts";
import {
  celu,
  elu,
  gelu,
  hardSigmoid,
  hardSwish,
  hardTanh,
  leakyRelu,
  logSigmoid,
  mish,
  selu,
  silu,
  softplus,
  softsign,
} from "../compiler/frontend/activations.ts";
import type { Shape } from "../core/shape.ts";
import {
  identity,
  input,
  logSoftmax,
  relu,
  sigmoid,
  softmax,
  tanh,
  type Tensor,
} from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { initParam } from "../runtime/init_params.ts";
import { streamOf, uniform } from "../runtime/prng.ts";

/**
 * The library's activations, by name (parameterized ones with their defaults
 * and with other parameters): what `architectures` draws from by default.
 */
export const ACTIVATIONS: Readonly<Record<string, (x: Tensor) => Tensor>> = Object.freeze({
  identity,
  relu,
  sigmoid,
  softmax: (x: Tensor) => softmax(x),
  logSoftmax: (x: Tensor) => logSoftmax(x),
  tanh,
  leakyRelu: leakyRelu(),
  "leakyRelu(0.2)": leakyRelu(0.2),
  elu: elu(),
  "elu(0.5)": elu(0.5),
  selu,
  "celu(2)": celu(2),
  gelu: gelu(),
  "gelu(tanh)": gelu({ approximate: "tanh" }),
  silu,
  mish,
  softplus: softplus(),
  logSigmoid,
  hardTanh: hardTanh(),
  "hardTanh(0, 6)": hardTanh(0, 6),
  hardSigmoid,
  hardSwish,
  softsign,
});

/**
 * The library's losses (some also with options): what `architectures` draws
 * from by default. Class weights need a fixed number of classes, so no
 * weighted loss is among them.
 */
export const LOSSES: readonly Loss[] = Object.freeze([
  softmaxCrossEntropy,
  softmaxCrossEntropy.with({ labelSmoothing: 0.1 }),
  nllLoss,
  mse,
  mse.with({ reduction: "sum" }),
  l1,
  huber,
  huber.with({ delta: 0.3 }),
  smoothL1.with({ beta: 0.5 }),
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogits.with({ posWeight: 2.5 }),
]);

/**
 * The layers `architectures` draws after hidden dense layers (by default all
 * of them): `layerNorm`, `batchNorm`, `dropout(0.25)`, a residual block
 * `residual(chain(dense(w, w), activation))` and a parallel block
 * `parallel(identity, dense(w, ⌈w/2⌉))` (which widens the next dense layer's input).
 */
export const LAYERS: readonly LayerName[] = Object.freeze([
  "layerNorm",
  "batchNorm",
  "dropout",
  "residual",
  "parallel",
]);

/** Name of one of the `LAYERS`. */
export type LayerName = "layerNorm" | "batchNorm" | "dropout" | "residual" | "parallel";

/** Options of `shapes`. */
export interface ShapeOptions {
  /** Smallest rank (default 0). */
  readonly minRank?: number;
  /** Largest rank (default 2, the largest the compiler lowers). */
  readonly maxRank?: number;
  /** Smallest dimension (default 1). */
  readonly minDim?: number;
  /** Largest dimension (default 4). */
  readonly maxDim?: number;
}

/**
 * Concrete shapes: `[]`, `[n]` or `[rows, cols]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { shapes } from "./arbitraries.ts";
 * for (const s of fc.sample(shapes({ minRank: 1, maxDim: 3 }), { numRuns: 20, seed: 1 })) {
 *   assert.ok(s.length >= 1 && s.length <= 2 && s.every((d) => d >= 1 && d <= 3));
 * }
 * ```
 */
export function shapes(options: ShapeOptions = {}): Arbitrary<number[]> {
  const minRank = options.minRank ?? 0;
  const maxRank = options.maxRank ?? 2;
  const dim = fc.integer({ min: options.minDim ?? 1, max: options.maxDim ?? 4 });
  return fc.integer({ min: minRank, max: maxRank }).chain((rank) =>
    fc.array(dim, { minLength: rank, maxLength: rank })
  );
}

/** Options of `tensors` and `values`. */
export interface ValueOptions {
  /** Smallest value (default -2). */
  readonly min?: number;
  /** Largest value (default 2). */
  readonly max?: number;
  /**
   * Keep every value at least this far from 0 (default 0): stays clear of the
   * kinks of relu and |x| at 0. Values closer are pushed out to ±gap.
   */
  readonly gap?: number;
  /**
   * Make the values pairwise distinct, at least (max − min)/1000 apart
   * (default false): stays clear of the ties of `max`.
   */
  readonly distinct?: boolean;
  /** Smallest batch, for shapes that start with `"batch"` (default 1). */
  readonly minBatch?: number;
  /** Largest batch, for shapes that start with `"batch"` (default 4). */
  readonly maxBatch?: number;
}

/**
 * `count` numbers in `[min, max]`, optionally away from 0 or pairwise distinct.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { values } from "./arbitraries.ts";
 * const [v] = fc.sample(values(5, { min: -1, max: 1, gap: 0.1 }), { numRuns: 1, seed: 2 });
 * assert.ok(v.length === 5 && v.every((x) => Math.abs(x) >= 0.1 && Math.abs(x) <= 1));
 * ```
 */
export function values(count: number, options: ValueOptions = {}): Arbitrary<number[]> {
  const min = options.min ?? -2;
  const max = options.max ?? 2;
  const gap = options.gap ?? 0;
  if (!(min <= max)) throw new RangeError(`values: min ${min} must not exceed max ${max}`);
  const awayFromZero = (v: number) => {
    if (Math.abs(v) >= gap) return v;
    const pushed = v < 0 || (v === 0 && max < gap) ? -gap : gap;
    return pushed >= min && pushed <= max ? pushed : v;
  };
  if (options.distinct) {
    if (count > 1001) throw new RangeError(`values: at most 1001 distinct values, asked ${count}`);
    return fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), {
      minLength: count,
      maxLength: count,
    }).map((ks) => ks.map((k) => awayFromZero(min + (k * (max - min)) / 1000)));
  }
  return fc.array(fc.double({ min, max, noNaN: true }).map(awayFromZero), {
    minLength: count,
    maxLength: count,
  });
}

/** A tensor value: flat row-major data with its shape (a `TensorValue` of `checkGradients`). */
export interface TensorData {
  /** Shape; it may start with `"batch"` (then `data` holds some number of rows). */
  readonly shape: Shape;
  /** Row-major values. */
  readonly data: readonly number[];
}

/**
 * Tensors of a given shape (or of shapes drawn from an arbitrary), with
 * values as `values` draws them. A shape starting with `"batch"` gets a
 * random number of rows and keeps `"batch"` in its shape, so a compiled
 * gradient program is reused across batch sizes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { shapes, tensors } from "./arbitraries.ts";
 * const [t] = fc.sample(tensors(["batch", 3], { maxBatch: 2 }), { numRuns: 1, seed: 3 });
 * assert.ok(t.shape[0] === "batch" && (t.data.length === 3 || t.data.length === 6));
 * const [u] = fc.sample(tensors(shapes(), { min: 0, max: 1 }), { numRuns: 1, seed: 3 });
 * assert.ok(u.data.length === u.shape.reduce((a: number, b) => a * (b as number), 1));
 * ```
 */
export function tensors(
  shape: Shape | Arbitrary<Shape>,
  options: ValueOptions = {},
): Arbitrary<TensorData> {
  const shapeArb = Array.isArray(shape) ? fc.constant(shape as Shape) : (shape as Arbitrary<Shape>);
  return shapeArb.chain((s) => {
    const rest = s.slice(s[0] === "batch" ? 1 : 0).reduce<number>((a, d) => a * (d as number), 1);
    const rows = s[0] === "batch"
      ? fc.integer({ min: options.minBatch ?? 1, max: options.maxBatch ?? 4 })
      : fc.constant(1);
    return rows.chain((n) => values(n * rest, options).map((data) => ({ shape: s, data })));
  });
}

/** Options of `architectures`. */
export interface ArchitectureOptions {
  /** Fewest dense layers (default 1). */
  readonly minDepth?: number;
  /** Most dense layers (default 4). */
  readonly maxDepth?: number;
  /** Narrowest layer, input included (default 1). */
  readonly minWidth?: number;
  /** Widest layer, input included (default 64). */
  readonly maxWidth?: number;
  /** Activations to draw between layers, by name (default `ACTIVATIONS`). */
  readonly activations?: Readonly<Record<string, (x: Tensor) => Tensor>>;
  /** Losses to draw (default `LOSSES`). */
  readonly losses?: readonly Loss[];
  /**
   * Layers to draw after each hidden dense layer and its activation (default
   * `LAYERS`; each position gets one with probability ½). `[]` draws plain MLPs.
   */
  readonly layers?: readonly LayerName[];
}

/** A random MLP: dense layers with activations between them, and a loss. */
export interface Architecture {
  /** Features of the input. */
  readonly inputFeatures: number;
  /** Output width of each dense layer. */
  readonly widths: readonly number[];
  /** Name of the activation after each dense layer but the last. */
  readonly activations: readonly string[];
  /** The layer drawn after each hidden dense layer and its activation, or `null`. */
  readonly layers: readonly (LayerName | null)[];
  /** Smallest batch the model trains on: 2 with batch norm (batch statistics), else 1. */
  readonly minBatch: number;
  /** The loss. */
  readonly loss: Loss;
  /** The model: `chain(dense, activation, [layer,] dense, …, dense)`. */
  readonly model: Layer;
  /** A one-line description, e.g. `"3 →dense 8 →tanh →layerNorm →dense 2, mse"`. */
  readonly description: string;
}

/**
 * Random MLP architectures: depth, widths, an activation between every two
 * dense layers, optionally one of the library's layers after it (`LAYERS`),
 * and a loss. Class losses get at least two outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { architectures } from "./arbitraries.ts";
 * const [a] = fc.sample(architectures({ maxDepth: 2, maxWidth: 8 }), { numRuns: 1, seed: 4 });
 * assert.ok(a.widths.length >= 1 && a.widths.length <= 2);
 * assert.ok(a.activations.length === a.widths.length - 1);
 * assert.ok(a.layers.length === a.widths.length - 1);
 * ```
 */
export function architectures(options: ArchitectureOptions = {}): Arbitrary<Architecture> {
  const activations = options.activations ?? ACTIVATIONS;
  const names = Object.keys(activations);
  const losses = options.losses ?? LOSSES;
  const layerNames = options.layers ?? LAYERS;
  if (names.length === 0 || losses.length === 0) {
    throw new RangeError("architectures: needs at least one activation and one loss");
  }
  const unknown = layerNames.filter((l) => !LAYERS.includes(l));
  if (unknown.length > 0) {
    throw new RangeError(`architectures: unknown layers ${unknown.join(", ")} (use ${LAYERS})`);
  }
  const width = fc.integer({ min: options.minWidth ?? 1, max: options.maxWidth ?? 64 });
  const extra: Arbitrary<LayerName | null> = layerNames.length === 0
    ? fc.constant(null)
    : fc.option(fc.constantFrom(...layerNames), { freq: 2 });
  return fc.record({
    depth: fc.integer({ min: options.minDepth ?? 1, max: options.maxDepth ?? 4 }),
    loss: fc.integer({ min: 0, max: losses.length - 1 }),
  }).chain(({ depth, loss }) =>
    fc.record({
      widths: fc.array(width, { minLength: depth + 1, maxLength: depth + 1 }),
      activations: fc.array(fc.constantFrom(...names), {
        minLength: depth - 1,
        maxLength: depth - 1,
      }),
      layers: fc.array(extra, { minLength: depth - 1, maxLength: depth - 1 }),
    }).map(({ widths, activations: acts, layers: extras }) => {
      const l = losses[loss];
      const sizes = [...widths];
      if (l.labels === "classes") sizes[depth] = Math.max(2, sizes[depth]);
      const layers: Model[] = [];
      let description = `${sizes[0]}`;
      let features = sizes[0]; // input width of the next dense layer
      for (let i = 0; i < depth; i++) {
        const w = sizes[i + 1];
        layers.push(dense(features, w));
        description += ` →dense ${w}`;
        features = w;
        if (i + 1 === depth) break;
        const act = activations[acts[i]];
        layers.push(act);
        description += ` →${acts[i]}`;
        const half = Math.ceil(w / 2);
        switch (extras[i]) {
          case null:
            break;
          case "layerNorm":
            layers.push(layerNorm(w));
            break;
          case "batchNorm":
            layers.push(batchNorm(w));
            break;
          case "dropout":
            layers.push(dropout(0.25));
            break;
          case "residual":
            layers.push(residual(chain(dense(w, w), act)));
            break;
          case "parallel":
            layers.push(parallel(identity, dense(w, half)));
            features = w + half;
            break;
        }
        if (extras[i] !== null) {
          description += extras[i] === "residual"
            ? ` →residual(dense ${w} →${acts[i]})`
            : extras[i] === "parallel"
            ? ` →parallel(identity, dense ${half})`
            : extras[i] === "dropout"
            ? " →dropout(0.25)"
            : ` →${extras[i]}`;
        }
      }
      description += `, ${l.description ?? l.name}`;
      return {
        inputFeatures: sizes[0],
        widths: sizes.slice(1),
        activations: acts,
        layers: extras,
        minBatch: extras.includes("batchNorm") ? 2 : 1,
        loss: l,
        model: chain(...layers),
        description,
        [fc.toStringMethod]: () => description,
      };
    })
  );
}

/** A model with everything a check needs: a batch, labels and parameter values. */
export interface ModelCase {
  /** The model. */
  readonly model: Model;
  /** Its description (for counterexamples). */
  readonly description: string;
  /** The architecture it was drawn from, when it was drawn from `architectures`. */
  readonly architecture?: Architecture;
  /** Loss, batch, labels and parameters, as `checkModelGradients` takes them. */
  readonly data: ModelCheckData & { readonly params: Readonly<Record<string, Float64Array>> };
}

/** Options of `modelCases`. */
export interface ModelCaseOptions {
  /** The loss of a fixed model (default `mse`); architectures bring their own. */
  readonly loss?: Loss;
  /** Features of a fixed model's input (default: its first dense layer's). */
  readonly inputFeatures?: number;
  /** Smallest batch (default 1; at least an architecture's `minBatch`). */
  readonly minBatch?: number;
  /** Largest batch (default 4). */
  readonly maxBatch?: number;
  /** Inputs are drawn in [-range, range] (default 1). */
  readonly range?: number;
}

/**
 * The parameters of a model drawn from a seed: matrices from Glorot uniform
 * (as `compile` draws them), vectors (biases) uniform in [-0.5, 0.5] rather
 * than zero, so that their effect on the gradients is exercised.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawParams } from "./arbitraries.ts";
 * import { dense } from "../compiler/frontend/layers.ts";
 * const p = drawParams(dense(3, 2), 3, 1);
 * assert.ok(p.weight.length === 6 && p.bias.some((b) => b !== 0));
 * ```
 */
export function drawParams(
  model: Model,
  inputFeatures: number,
  seed: number,
): Record<string, Float64Array> {
  const graph = trace({ y: applyModel(model, input("x", ["batch", inputFeatures])) }, "f64");
  const params: Record<string, Float64Array> = {};
  for (const node of graph.nodes) {
    if (node.op !== "input" || node.attrs.kind !== "param") continue;
    const name = node.attrs.name!;
    const shape = node.shape as number[];
    params[name] = shape.length === 2
      ? initParam({ name, shape, init: "glorotUniform" }, seed)
      : Float64Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        (_, i) => uniform(seed, streamOf(name), i) - 0.5,
      );
  }
  return params;
}

function outputsOf(model: Model, inputFeatures: number): number {
  const y = applyModel(model, input("x", ["batch", inputFeatures]));
  const outputs = y.shape[1];
  if (y.shape.length !== 2 || typeof outputs !== "number") {
    throw new RangeError(`modelCases: the model must map [batch, ${inputFeatures}] to [batch, n]`);
  }
  return outputs;
}

/**
 * Model cases: a fixed model (with `options.loss`) or models drawn from an
 * architecture arbitrary, each with a random batch `x` in [-range, range],
 * labels fitting its loss (class indices; targets in [0, 1] for value
 * losses) and parameters drawn from a random seed (`drawParams`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@4.11.0";
 * import { architectures, modelCases } from "./arbitraries.ts";
 * const [c] = fc.sample(modelCases(architectures({ maxWidth: 4 })), { numRuns: 1, seed: 5 });
 * assert.ok(c.data.x.length >= 1 && Object.keys(c.data.params).length >= 2);
 * ```
 */
export function modelCases(
  model: Model | Arbitrary<Architecture>,
  options: ModelCaseOptions = {},
): Arbitrary<ModelCase> {
  const range = options.range ?? 1;
  const archs: Arbitrary<{
    model: Model;
    loss: Loss;
    features: number;
    description: string;
    architecture?: Architecture;
  }> = isArbitrary<Architecture>(model)
    ? model.map((a) => ({
      model: a.model,
      loss: a.loss,
      features: a.inputFeatures,
      description: a.description,
      architecture: a,
    }))
    : fc.constant(fixedModel(model, options));
  return archs.chain((a) => {
    const outputs = outputsOf(a.model, a.features);
    // Batch statistics (batch norm) need two samples.
    const minBatch = Math.max(options.minBatch ?? 1, a.architecture?.minBatch ?? 1);
    return fc.record({
      rows: fc.integer({ min: minBatch, max: Math.max(minBatch, options.maxBatch ?? 4) }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }).chain(({ rows, seed }) => {
      const labels = a.loss.labels === "classes"
        ? fc.array(fc.integer({ min: 0, max: outputs - 1 }), { minLength: rows, maxLength: rows })
        : values(rows * outputs, { min: 0, max: 1 });
      return fc.record({
        x: values(rows * a.features, { min: -range, max: range }),
        y: labels,
      }).map(({ x, y }) => {
        const data = {
          loss: a.loss,
          x: Array.from({ length: rows }, (_, r) => x.slice(r * a.features, (r + 1) * a.features)),
          y,
          params: drawParams(a.model, a.features, seed),
          seed,
        };
        const description = `${a.description}, batch ${rows}, parameter seed ${seed}`;
        return {
          model: a.model,
          description,
          data,
          architecture: a.architecture,
          [fc.toStringMethod]: () => description,
        };
      });
    });
  });
}

function fixedModel(model: Model, options: ModelCaseOptions) {
  const features = options.inputFeatures ??
    (typeof model === "function" ? undefined : model.inputFeatures);
  if (features === undefined) {
    throw new RangeError("modelCases: cannot tell the model's input features; pass inputFeatures");
  }
  const loss = options.loss ?? mse;
  const name = typeof model === "function" ? model.name || "<function>" : model.description;
  return { model, loss, features, description: `${name}, ${loss.description ?? loss.name}` };
}

/**
 * True for a fast-check arbitrary (duck-typed, so arbitraries from another
 * copy of fast-check are recognized too).
 */
export function isArbitrary<T>(x: unknown): x is Arbitrary<T> {
  return typeof x === "object" && x !== null &&
    typeof (x as { generate?: unknown }).generate === "function" &&
    typeof (x as { shrink?: unknown }).shrink === "function";
}
