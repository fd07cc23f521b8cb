/**
 * Ready-made fast-check properties: each is one line in a test,
 * `fc.assert(gradientsMatchFiniteDifferences(model))`. Every property keeps
 * its own cache of compiled gradient programs (created with the property, so
 * nothing is global), so a structure is compiled to WebAssembly once and
 * checked on many random values.
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import type { CompileCache } from "../compiler/driver/run_graph.ts";
import type { Arbitrary, AsyncProperty, Property } from "./fast_check_types.ts";
import {
  checkGradients,
  type CheckGradientsOptions,
  checkModelGradients,
} from "../compiler/driver/check_gradients.ts";
import type { Model } from "../compiler/frontend/layers.ts";
import type { Loss } from "../compiler/frontend/losses.ts";
import { input, mul, sum, type Tensor } from "../compiler/frontend/tensor.ts";
import {
  type Architecture,
  type ModelCase,
  type ModelCaseOptions,
  modelCases,
  type TensorData,
  tensors,
  type ValueOptions,
  values,
} from "./arbitraries.ts";
import { compareF32ToF64, type PrecisionOptions } from "./precision.ts";

/** Options of the gradient properties. */
export interface GradientPropertyOptions extends ModelCaseOptions {
  /**
   * Options of each check. Default: `{ samples: 8 }` for models (eight
   * random elements of each parameter), every element otherwise; the
   * `"wasm"` engine.
   */
  readonly check?: CheckGradientsOptions;
}

function withCache(check: CheckGradientsOptions | undefined, samples?: number) {
  return { samples, cache: new Map() as CompileCache, ...check };
}

/**
 * The gradient of a model's loss with respect to its parameters matches
 * finite differences (`checkModelGradients`), for a fixed model (with
 * `options.loss`, default `mse`) or for every architecture an arbitrary
 * draws (e.g. `architectures()`), on random batches, labels and parameters.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { gradientsMatchFiniteDifferences } from "./properties.ts";
 * import { chain, dense } from "../compiler/frontend/layers.ts";
 * import { mul, sigmoid, type Tensor } from "../compiler/frontend/tensor.ts";
 * const swish = (x: Tensor) => mul(x, sigmoid(x));
 * fc.assert(gradientsMatchFiniteDifferences(chain(dense(3, 4), swish, dense(4, 2))), { numRuns: 5 });
 * ```
 */
export function gradientsMatchFiniteDifferences(
  model: Model | Arbitrary<Architecture>,
  options: GradientPropertyOptions = {},
): Property<[ModelCase]> {
  const check = withCache(options.check, 8);
  return fc.property(modelCases(model, options), (c) => {
    checkModelGradients(c.model, c.data, check);
  });
}

/** Options of `activationGradientsMatch`. */
export interface ActivationPropertyOptions extends ValueOptions {
  /** Largest number of columns (default 8). */
  readonly maxCols?: number;
  /** Options of each check (default: every element, the `"wasm"` engine). */
  readonly check?: CheckGradientsOptions;
}

/**
 * The gradient of an activation (any function from a `[batch, n]` tensor to
 * a tensor) matches finite differences, for random shapes, inputs (as
 * `values` draws them: set `gap` to stay off kinks) and a random cotangent
 * `r`: the checked scalar is `Σ activation(x)·r`, so the full vector-Jacobian
 * product is exercised, not only its sum.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { activationGradientsMatch } from "./properties.ts";
 * import { add, exp, log, type Tensor } from "../compiler/frontend/tensor.ts";
 * const softplus = (x: Tensor) => log(add(1, exp(x)));
 * fc.assert(activationGradientsMatch(softplus), { numRuns: 10 });
 * ```
 */
export function activationGradientsMatch(
  activation: (x: Tensor) => Tensor,
  options: ActivationPropertyOptions = {},
): Property<[{ x: TensorData; r: number[] }]> {
  const check = withCache(options.check);
  const cases = fc.integer({ min: 1, max: options.maxCols ?? 8 }).chain((cols) =>
    tensors(["batch", cols], options).chain((x) => {
      const out = activation(input("x", ["batch", cols]));
      const rows = x.data.length / cols;
      const size = out.shape.reduce<number>((n, d) => n * (d === "batch" ? rows : d), 1);
      return values(size, { min: -1, max: 1 }).map((r) => ({ x, r }));
    })
  );
  return fc.property(cases, ({ x, r }) => {
    checkGradients(
      ({ x, r }) => sum(mul(activation(x), r)),
      { x, r: { shape: activation(input("x", x.shape)).shape, data: r } },
      { wrt: ["x"], ...check },
    );
  });
}

/** Options of `lossGradientsMatch`. */
export interface LossPropertyOptions {
  /** Largest number of outputs (default 8; class losses get at least 2). */
  readonly maxOutputs?: number;
  /** Largest batch (default 4). */
  readonly maxBatch?: number;
  /** Predictions are drawn in [-range, range] (default 3). */
  readonly range?: number;
  /** Keep predictions at least this far from 0 (default 0; see `values`). */
  readonly gap?: number;
  /** Options of each check (default: every element, the `"wasm"` engine). */
  readonly check?: CheckGradientsOptions;
}

/**
 * The gradient of a loss matches finite differences, with respect to the
 * predictions and, for value losses, the targets too; random batch, widths,
 * predictions and labels (class indices, or targets in [0, 1]).
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { lossGradientsMatch } from "./properties.ts";
 * import { softmaxCrossEntropy } from "../compiler/frontend/losses.ts";
 * fc.assert(lossGradientsMatch(softmaxCrossEntropy), { numRuns: 10 });
 * ```
 */
export function lossGradientsMatch(
  loss: Loss,
  options: LossPropertyOptions = {},
): Property<[{ prediction: TensorData; labels: number[] }]> {
  const check = withCache(options.check);
  const classes = loss.labels === "classes";
  const cases = fc.integer({ min: classes ? 2 : 1, max: Math.max(2, options.maxOutputs ?? 8) })
    .chain((outputs) =>
      tensors(["batch", outputs], {
        min: -(options.range ?? 3),
        max: options.range ?? 3,
        gap: options.gap,
        maxBatch: options.maxBatch,
      }).chain((prediction) => {
        const rows = prediction.data.length / outputs;
        const labels = classes
          ? fc.array(fc.integer({ min: 0, max: outputs - 1 }), {
            minLength: rows,
            maxLength: rows,
          })
          : values(rows * outputs, { min: 0, max: 1 });
        return labels.map((l) => ({ prediction, labels: l }));
      })
    );
  return fc.property(cases, ({ prediction, labels }) => {
    checkGradients(
      ({ prediction, labels }) => loss.apply(prediction, labels),
      {
        prediction,
        labels: { shape: loss.labelShape(prediction.shape), data: labels },
      },
      { wrt: classes ? ["prediction"] : ["prediction", "labels"], ...check },
    );
  });
}

/**
 * The gradient of any scalar expression of named inputs matches finite
 * differences, for inputs drawn from the given arbitraries (e.g.
 * `tensors(shapes(), { gap: 0.01 })`).
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { expressionGradientsMatch } from "./properties.ts";
 * import { tensors } from "./arbitraries.ts";
 * import { div, sum } from "../compiler/frontend/tensor.ts";
 * fc.assert(
 *   expressionGradientsMatch(({ a, b }) => sum(div(a, b)), {
 *     a: tensors([3]),
 *     b: tensors([3], { min: 0.5, max: 2 }),
 *   }),
 *   { numRuns: 10, seed: 42 },
 * );
 * ```
 */
export function expressionGradientsMatch(
  f: (inputs: Readonly<Record<string, Tensor>>) => Tensor,
  inputs: Readonly<Record<string, Arbitrary<TensorData>>>,
  options: { readonly check?: CheckGradientsOptions } = {},
): Property<[Record<string, TensorData>]> {
  const check = withCache(options.check);
  return fc.property(fc.record(inputs) as Arbitrary<Record<string, TensorData>>, (vs) => {
    checkGradients(f, vs, check);
  });
}

/** Options of `f32MatchesF64`. */
export interface PrecisionPropertyOptions extends ModelCaseOptions {
  /** Tolerances of each comparison (see `compareF32ToF64`). */
  readonly precision?: PrecisionOptions;
}

/**
 * An asynchronous property: one training step compiled at f32 agrees with
 * the same step compiled at f64 (`compareF32ToF64`), for a fixed model or
 * every architecture an arbitrary draws. Use with `await fc.assert(…)`.
 *
 * Give `fc.assert` a seed in a test suite: random draws include ill-conditioned
 * cases where f32 legitimately strays further than the tolerance allows, e.g.
 * batch norm over rows that are all equal (the variance is 0, and f32's
 * rounding of `x − mean` is divided by `√ε`).
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { f32MatchesF64 } from "./properties.ts";
 * import { architectures } from "./arbitraries.ts";
 * await fc.assert(f32MatchesF64(architectures({ maxDepth: 2, maxWidth: 8 })), {
 *   numRuns: 2,
 *   seed: 42,
 * });
 * ```
 */
export function f32MatchesF64(
  model: Model | Arbitrary<Architecture>,
  options: PrecisionPropertyOptions = {},
): AsyncProperty<[ModelCase]> {
  return fc.asyncProperty(modelCases(model, options), async (c) => {
    await compareF32ToF64(c.model, c.data, options.precision);
  });
}
