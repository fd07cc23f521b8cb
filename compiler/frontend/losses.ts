/**
 * Losses, with PyTorch's definitions, built from primitives so their
 * gradients come from the op table. Each says what labels it takes, so the
 * runtime can check them.
 *
 * Every loss is a value you pass as it is (`loss: mse`) and has a `with`
 * method that returns the same loss with options changed
 * (`huber.with({ delta: 0.5 })`, `softmaxCrossEntropy.with({ labelSmoothing:
 * 0.1, weights: [1, 2, 1] })`); `with` can be chained, later options win.
 * All take `reduction: "mean"` (the default: mean over samples, or over all
 * elements for value losses, or the weighted mean for class weights) or
 * `"sum"`.
 *
 * @module
 */

import { InputError, ShapeError } from "../../core/errors.ts";
import { formatShape, type Shape } from "../../core/shape.ts";
import { softplus } from "./activations.ts";
import {
  abs,
  add,
  div,
  literal,
  mean,
  mul,
  neg,
  oneHot,
  softmaxCrossEntropyRows,
  square,
  sub,
  sum,
  type Tensor,
  where,
} from "./tensor.ts";

/** How per-sample (or per-element) losses are combined into one number. */
export type Reduction = "mean" | "sum";

/** A loss: a scalar expression of the model's output and the labels. */
export interface Loss {
  /** Name of the kind of loss (`"huber"`), shown in printouts. */
  readonly name: string;
  /** Name with the options that differ from the defaults (`"huber({ delta: 0.5 })"`). */
  readonly description?: string;
  /**
   * `"classes"`: one integer label per sample, in `0..classes-1`;
   * `"values"`: one float target per output element.
   */
  readonly labels: "classes" | "values";
  /** Allowed range of float targets, if any (checked by the runtime). */
  readonly targetRange?: readonly [number, number];
  /** How the runtime combines batch losses over a data set: as means (default) or sums. */
  readonly reduction?: Reduction;
  /** Shape of the labels for a given prediction shape. */
  labelShape(prediction: Shape): Shape;
  /** The loss expression (a scalar). */
  apply(prediction: Tensor, labels: Tensor): Tensor;
  /**
   * The loss of each sample, shape `[batch]`, whose mean is `apply`'s value.
   * When a loss has it, the compiled loss is `mean(wᵢ·ℓᵢ)` with a per-sample
   * weight input, so `fit` can take `sampleWeight` and `classWeight`. (The
   * built-in losses have it unless they sum or weigh classes themselves.)
   */
  perSample?(prediction: Tensor, labels: Tensor): Tensor;
  /**
   * How the model's outputs turn into probabilities (`predictProba`):
   * `"softmax"` over each row, or an elementwise `"sigmoid"`. Absent for
   * losses whose outputs are not logits.
   */
  readonly probabilities?: "softmax" | "sigmoid";
}

/** A built-in loss: a `Loss` with its options and a way to change them. */
export interface ConfigurableLoss<O extends { readonly reduction?: Reduction }> extends Loss {
  /** The options this loss was made with (only those given). */
  readonly options: Readonly<O>;
  /** The same loss with `options` changed (merged over the current ones). */
  with(options: O): ConfigurableLoss<O>;
}

/** Options every loss takes. */
export interface ReductionOptions {
  /** `"mean"` (default) or `"sum"`. */
  readonly reduction?: Reduction;
}

interface LossSpec<O extends ReductionOptions> {
  readonly name: string;
  readonly labels: "classes" | "values";
  readonly targetRange?: readonly [number, number];
  readonly probabilities?: "softmax" | "sigmoid";
  check(options: O): void;
  labelShape(prediction: Shape): Shape;
  /** The loss of each sample (or, for value losses, of each element), before reduction. */
  unreduced(options: O, prediction: Tensor, labels: Tensor): Tensor;
  /**
   * The reduced loss when it is not the plain mean or sum of `unreduced`
   * (class weights); the loss then has no `perSample`.
   */
  weighted?(options: O, prediction: Tensor, labels: Tensor): Tensor | undefined;
}

function describeOptions(options: object): string {
  const entries = Object.entries(options).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "";
  return `({ ${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")} })`;
}

function checkReduction(loss: string, reduction: unknown): void {
  if (reduction !== undefined && reduction !== "mean" && reduction !== "sum") {
    throw new InputError(`${loss}: reduction must be "mean" or "sum", got ${String(reduction)}`);
  }
}

function configurable<O extends ReductionOptions>(
  spec: LossSpec<O>,
  options: O,
): ConfigurableLoss<O> {
  checkReduction(spec.name, options.reduction);
  spec.check(options);
  const frozen = Object.freeze({ ...options });
  const summed = frozen.reduction === "sum";
  const weighs = (frozen as { weights?: unknown }).weights !== undefined;
  // Per sample: the unreduced loss, or its mean over a row of elements.
  const perSample = (prediction: Tensor, labels: Tensor): Tensor => {
    const l = spec.unreduced(frozen, prediction, labels);
    return l.shape.length === 2 ? mean(l, { axis: 1 }) : l;
  };
  return Object.freeze({
    name: spec.name,
    description: `${spec.name}${describeOptions(frozen)}`,
    labels: spec.labels,
    ...(spec.targetRange === undefined ? {} : { targetRange: spec.targetRange }),
    ...(spec.probabilities === undefined ? {} : { probabilities: spec.probabilities }),
    reduction: frozen.reduction ?? "mean",
    options: frozen,
    labelShape: (prediction: Shape) => spec.labelShape(prediction),
    apply: (prediction: Tensor, labels: Tensor) => {
      const weighted = spec.weighted?.(frozen, prediction, labels);
      if (weighted !== undefined) return weighted;
      const l = spec.unreduced(frozen, prediction, labels);
      return summed ? sum(l) : mean(l);
    },
    ...(summed || weighs ? {} : { perSample }),
    with: (more: O) => configurable(spec, { ...frozen, ...more }),
  });
}

function requireMatrix(loss: string, prediction: Shape): void {
  if (prediction.length !== 2) {
    throw new ShapeError(
      `${loss} expects predictions of shape [batch, outputs], got ${formatShape(prediction)}`,
    );
  }
}

function requireClasses(loss: string, prediction: Shape, minimum: number): number {
  const classes = prediction[1];
  if (typeof classes !== "number" || classes < minimum) {
    throw new ShapeError(
      `${loss} needs at least ${minimum} classes: the model's output is ${formatShape(prediction)}`,
    );
  }
  return classes;
}

function checkFinite(loss: string, name: string, value: unknown, minimum: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < minimum) {
    throw new InputError(`${loss}: ${name} must be a finite number ≥ ${minimum}, got ${value}`);
  }
}

function checkWeights(loss: string, weights: readonly number[] | undefined): void {
  if (weights === undefined) return;
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new InputError(`${loss}: weights must be a non-empty array of numbers, got ${weights}`);
  }
  weights.forEach((w, i) => checkFinite(loss, `weights[${i}]`, w, 0));
}

/** The class weights as a tensor, checked against the number of classes. */
function classWeights(loss: string, weights: readonly number[], classes: number): Tensor {
  if (weights.length !== classes) {
    throw new ShapeError(
      `${loss}: ${weights.length} class weights for a model with ${classes} outputs`,
    );
  }
  return literal(weights);
}

/** x[i, label[i]] for each row, as [n] (exact: a selection, not a product). */
function gather(x: Tensor, hot: Tensor): Tensor {
  return sum(where(hot, x, 0), { axis: 1 });
}

const sameAsPrediction = (loss: string) => (prediction: Shape): Shape => {
  requireMatrix(loss, prediction);
  return prediction;
};

const onePerRow = (loss: string) => (prediction: Shape): Shape => {
  requireMatrix(loss, prediction);
  return [prediction[0]];
};

// ------------------------------------------------------------ regression --

/**
 * Mean squared error: the mean (or sum) over all elements of (p − y)².
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mse } from "./losses.ts";
 * assert.ok(mse.labelShape(["batch", 1]).join() === "batch,1");
 * assert.equal(mse.with({ reduction: "sum" }).reduction, "sum");
 * ```
 */
export const mse: ConfigurableLoss<ReductionOptions> = configurable<ReductionOptions>({
  name: "mse",
  labels: "values",
  check: () => {},
  labelShape: sameAsPrediction("mse"),
  unreduced: (_o, p, y) => square(sub(p, y)),
}, {});

/**
 * L1 (mean absolute error): the mean (or sum) of |p − y|; derivative 0 where
 * p = y (PyTorch's sign(0) = 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { l1 } from "./losses.ts";
 * assert.equal(l1.labels, "values");
 * ```
 */
export const l1: ConfigurableLoss<ReductionOptions> = configurable<ReductionOptions>({
  name: "l1",
  labels: "values",
  check: () => {},
  labelShape: sameAsPrediction("l1"),
  unreduced: (_o, p, y) => abs(sub(p, y)),
}, {});

/** Options of `huber`. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; > 0). */
  readonly delta?: number;
}

/**
 * Huber loss (PyTorch's `HuberLoss`): with z = |p − y|, ½z² for z < δ and
 * δ·(z − ½δ) beyond (default δ = 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { huber } from "./losses.ts";
 * assert.equal(huber.with({ delta: 0.5 }).description, "huber({ delta: 0.5 })");
 * ```
 */
export const huber: ConfigurableLoss<HuberOptions> = configurable<HuberOptions>({
  name: "huber",
  labels: "values",
  check: (o) => {
    checkFinite("huber", "delta", o.delta ?? 1, 0);
    if ((o.delta ?? 1) === 0) throw new InputError("huber: delta must be > 0, got 0");
  },
  labelShape: sameAsPrediction("huber"),
  unreduced: (o, p, y) => {
    const delta = o.delta ?? 1;
    const d = sub(p, y);
    const z = abs(d);
    return where(sub(delta, z), mul(0.5, square(d)), mul(delta, sub(z, 0.5 * delta)));
  },
}, {});

/** Options of `smoothL1`. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives L1). */
  readonly beta?: number;
}

/**
 * Smooth L1 loss (PyTorch's `SmoothL1Loss`): with z = |p − y|, ½z²/β for
 * z < β and z − ½β beyond (default β = 1; β = 0 is L1, except that the
 * derivative at p = y is −1, PyTorch's convention there, where `l1` has 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { smoothL1 } from "./losses.ts";
 * assert.equal(smoothL1.with({ beta: 0.1 }).options.beta, 0.1);
 * ```
 */
export const smoothL1: ConfigurableLoss<SmoothL1Options> = configurable<SmoothL1Options>({
  name: "smoothL1",
  labels: "values",
  check: (o) => checkFinite("smoothL1", "beta", o.beta ?? 1, 0),
  labelShape: sameAsPrediction("smoothL1"),
  unreduced: (o, p, y) => {
    const beta = o.beta ?? 1;
    const d = sub(p, y);
    // β = 0 is L1, with PyTorch's smooth-L1 derivative at d = 0: −1 (its
    // kernel tests d ≤ −β first), where `l1` has 0.
    if (beta === 0) return where(d, d, neg(d));
    const z = abs(d);
    return where(sub(beta, z), div(mul(0.5, square(d)), beta), sub(z, 0.5 * beta));
  },
}, {});

// -------------------------------------------------------- classification --

/** Options of `softmaxCrossEntropy`. */
export interface SoftmaxCrossEntropyOptions extends ReductionOptions {
  /**
   * ε in [0, 1] (default 0): the target is (1 − ε)·onehot + ε/classes, as
   * PyTorch's `label_smoothing`.
   */
  readonly labelSmoothing?: number;
  /**
   * A weight per class (≥ 0): sample i counts w[yᵢ]; the mean is
   * Σ w[yᵢ]·ℓᵢ / Σ w[yᵢ] (PyTorch's weighted mean). With label smoothing the
   * smoothing term is Σ_c w[c]·(−log p_c), over the same denominator.
   */
  readonly weights?: readonly number[];
}

/**
 * Softmax cross-entropy on integer class labels (PyTorch's
 * `CrossEntropyLoss` on logits), averaged over the batch by default. Each
 * row's `log Σ eˣ − x[label]` is one fused, stable primitive; label smoothing
 * and class weights are built on top of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxCrossEntropy } from "./losses.ts";
 * assert.ok(softmaxCrossEntropy.labelShape(["batch", 10]).join() === "batch");
 * const smoothed = softmaxCrossEntropy.with({ labelSmoothing: 0.1, weights: [1, 2, 1] });
 * assert.equal(smoothed.name, "softmaxCrossEntropy");
 * ```
 */
export const softmaxCrossEntropy: ConfigurableLoss<SoftmaxCrossEntropyOptions> = configurable<
  SoftmaxCrossEntropyOptions
>({
  name: "softmaxCrossEntropy",
  labels: "classes",
  probabilities: "softmax",
  check: (o) => {
    const e = o.labelSmoothing ?? 0;
    if (typeof e !== "number" || !(e >= 0 && e <= 1)) {
      throw new InputError(`softmaxCrossEntropy: labelSmoothing must be in [0, 1], got ${e}`);
    }
    checkWeights("softmaxCrossEntropy", o.weights);
  },
  labelShape: onePerRow("softmaxCrossEntropy"),
  unreduced: (o, logits, labels) => softmaxCrossEntropySamples(o, logits, labels).perSample,
  weighted: (o, logits, labels) => {
    if (o.weights === undefined) return undefined;
    const { perSample, wy } = softmaxCrossEntropySamples(o, logits, labels);
    // PyTorch's weighted mean: Σ w[yᵢ]·ℓᵢ / Σ w[yᵢ] (the weights are already in ℓᵢ)
    return o.reduction === "sum" ? sum(perSample) : div(sum(perSample), sum(wy!));
  },
}, {});

/**
 * Per-sample smoothed, weighted cross-entropy, and the label weights w[yᵢ]
 * (when there are class weights; each sample's loss already carries its own).
 */
function softmaxCrossEntropySamples(
  o: SoftmaxCrossEntropyOptions,
  logits: Tensor,
  labels: Tensor,
): { perSample: Tensor; wy?: Tensor } {
  const classes = requireClasses("softmaxCrossEntropy", logits.shape, 2);
  // ℓᵢ = log Σ e^x − x[yᵢ], one fused primitive per row.
  const nll = softmaxCrossEntropyRows(logits, labels);
  const epsilon = o.labelSmoothing ?? 0;
  if (o.weights === undefined && epsilon === 0) return { perSample: nll };
  const hot = oneHot(labels, classes);
  const w = o.weights === undefined
    ? undefined
    : classWeights("softmaxCrossEntropy", o.weights, classes);
  const wy = w === undefined ? undefined : gather(w, hot);
  let perSample = wy === undefined ? nll : mul(wy, nll);
  if (epsilon > 0) {
    // Σ_c w_c·(−log p_c) = Σ_c w_c·(ℓᵢ + x[yᵢ] − x_c): built from ℓᵢ and logit
    // differences, so it does not change when every logit is shifted.
    const total = o.weights === undefined ? classes : o.weights.reduce((a, b) => a + b, 0);
    const xy = sum(where(hot, logits, 0), { axis: 1, keepdims: true });
    const gaps = sub(xy, logits);
    const weighted = sum(w === undefined ? gaps : mul(gaps, w), { axis: 1 });
    const smooth = add(mul(total, nll), weighted);
    perSample = add(mul(1 - epsilon, perSample), mul(epsilon / classes, smooth));
  }
  return wy === undefined ? { perSample } : { perSample, wy };
}

/** Options of `nllLoss`. */
export interface NllLossOptions extends ReductionOptions {
  /** A weight per class (≥ 0); the mean is Σ w[yᵢ]·ℓᵢ / Σ w[yᵢ], as PyTorch's. */
  readonly weights?: readonly number[];
}

/**
 * Negative log-likelihood of integer class labels, on log-probabilities
 * (PyTorch's `NLLLoss`): −x[i, yᵢ], averaged over the batch. Pair it with a
 * `logSoftmax` output (`chain(…, dense(h, 10), logSoftmax)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nllLoss } from "./losses.ts";
 * assert.equal(nllLoss.labels, "classes");
 * ```
 */
export const nllLoss: ConfigurableLoss<NllLossOptions> = configurable<NllLossOptions>({
  name: "nllLoss",
  labels: "classes",
  probabilities: "softmax", // of log-probabilities: the probabilities themselves
  check: (o) => checkWeights("nllLoss", o.weights),
  labelShape: onePerRow("nllLoss"),
  unreduced: (_o, logProbabilities, labels) => {
    const classes = requireClasses("nllLoss", logProbabilities.shape, 1);
    return neg(gather(logProbabilities, oneHot(labels, classes)));
  },
  weighted: (o, logProbabilities, labels) => {
    if (o.weights === undefined) return undefined;
    const classes = requireClasses("nllLoss", logProbabilities.shape, 1);
    const hot = oneHot(labels, classes);
    const wy = gather(classWeights("nllLoss", o.weights, classes), hot);
    const weighted = mul(wy, neg(gather(logProbabilities, hot)));
    return o.reduction === "sum" ? sum(weighted) : div(sum(weighted), sum(wy));
  },
}, {});

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /**
   * The weight of positive targets (≥ 0): one number, or one per output
   * (PyTorch's `pos_weight`). Default 1.
   */
  readonly posWeight?: number | readonly number[];
}

/**
 * Binary cross-entropy on logits (the sigmoid is part of the loss), with
 * targets in [0, 1], averaged over all elements (PyTorch's
 * `BCEWithLogitsLoss`): −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], p the
 * positive weight. Computed as `lw·softplus(x) − p·y·x` for x ≤ 0 and
 * `(1 − y)·x + lw·softplus(−x)` for x > 0, with lw = 1 + (p − 1)·y: every
 * term is non-negative, so the value keeps full precision (also for losses
 * near 0), and the gradient is exactly PyTorch's `lw·σ(x) − p·y`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryCrossEntropyWithLogits } from "./losses.ts";
 * assert.ok(binaryCrossEntropyWithLogits.labels === "values");
 * assert.equal(binaryCrossEntropyWithLogits.with({ posWeight: 3 }).options.posWeight, 3);
 * ```
 */
export const binaryCrossEntropyWithLogits: ConfigurableLoss<BinaryCrossEntropyOptions> =
  configurable<BinaryCrossEntropyOptions>({
    name: "binaryCrossEntropyWithLogits",
    labels: "values",
    targetRange: [0, 1],
    probabilities: "sigmoid",
    check: (o) => {
      const p = o.posWeight;
      if (p === undefined) return;
      if (typeof p === "number") {
        checkFinite("binaryCrossEntropyWithLogits", "posWeight", p, 0);
      } else {
        checkWeights("binaryCrossEntropyWithLogits", p);
      }
    },
    labelShape: sameAsPrediction("binaryCrossEntropyWithLogits"),
    unreduced: (o, x, y) => {
      const p = o.posWeight ?? 1;
      let weight: Tensor | number = 1;
      if (typeof p !== "number") {
        const outputs = x.shape[1];
        if (p.length !== outputs) {
          throw new ShapeError(
            `binaryCrossEntropyWithLogits: ${p.length} posWeight values for a model with ${outputs} outputs`,
          );
        }
        weight = literal(p);
      } else {
        weight = p;
      }
      const lw = weight === 1 ? 1 : add(1, mul(sub(weight, 1), y));
      const weigh = (t: Tensor) => (lw === 1 ? t : mul(lw, t));
      const py = weight === 1 ? y : mul(weight, y);
      const up = softplus(x, 1, Infinity);
      const down = softplus(neg(x), 1, Infinity);
      const negative = sub(weigh(up), mul(py, x));
      const positive = add(mul(sub(1, y), x), weigh(down));
      return where(x, positive, negative);
    },
  }, {});
