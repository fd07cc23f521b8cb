/**
 * Losses, built from primitives so their gradients come from the op table.
 * Each says what labels it takes, so the runtime can check them.
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { formatShape, type Shape } from "../../core/shape.ts";
import {
  add,
  exp,
  log,
  mean,
  mul,
  neg,
  relu,
  softmaxCrossEntropyRows,
  square,
  stopGradient,
  sub,
  type Tensor,
} from "./tensor.ts";

/** A loss: a scalar expression of the model's output and the labels. */
export interface Loss {
  /** Name shown in printouts. */
  readonly name: string;
  /**
   * `"classes"`: one integer label per sample, in `0..classes-1`;
   * `"values"`: one float target per output element.
   */
  readonly labels: "classes" | "values";
  /** Allowed range of float targets, if any (checked by the runtime). */
  readonly targetRange?: readonly [number, number];
  /** Shape of the labels for a given prediction shape. */
  labelShape(prediction: Shape): Shape;
  /** The loss expression (a scalar). */
  apply(prediction: Tensor, labels: Tensor): Tensor;
  /**
   * The loss of each sample, shape `[batch]`, whose mean is `apply`'s value.
   * When a loss has it, the compiled loss is `mean(wᵢ·ℓᵢ)` with a per-sample
   * weight input, so `fit` can take `sampleWeight` and `classWeight`.
   */
  perSample?(prediction: Tensor, labels: Tensor): Tensor;
  /**
   * How the model's outputs turn into probabilities (`predictProba`):
   * `"softmax"` over each row, or an elementwise `"sigmoid"`. Absent for
   * losses whose outputs are not logits.
   */
  readonly probabilities?: "softmax" | "sigmoid";
}

function requireMatrix(loss: string, prediction: Shape): void {
  if (prediction.length !== 2) {
    throw new ShapeError(
      `${loss} expects predictions of shape [batch, outputs], got ${formatShape(prediction)}`,
    );
  }
}

/**
 * Softmax cross-entropy on integer class labels, averaged over the batch.
 * Uses a stable log-sum-exp, so large logits do not overflow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxCrossEntropy } from "./losses.ts";
 * assert.ok(softmaxCrossEntropy.labelShape(["batch", 10]).join() === "batch");
 * ```
 */
export const softmaxCrossEntropy: Loss = {
  name: "softmaxCrossEntropy",
  labels: "classes",
  probabilities: "softmax",
  labelShape(prediction) {
    requireMatrix("softmaxCrossEntropy", prediction);
    return [prediction[0]];
  },
  apply(logits, labels) {
    return mean(softmaxCrossEntropy.perSample!(logits, labels));
  },
  perSample(logits, labels) {
    const classes = logits.shape[1];
    if (typeof classes !== "number" || classes < 2) {
      throw new ShapeError(
        `softmaxCrossEntropy needs at least 2 classes: the model's output is ${
          formatShape(logits.shape)
        }`,
      );
    }
    // One fused primitive per row (stable log-sum-exp minus the label's logit).
    return softmaxCrossEntropyRows(logits, labels);
  },
};

/**
 * Mean squared error over all elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mse } from "./losses.ts";
 * assert.ok(mse.labelShape(["batch", 1]).join() === "batch,1");
 * ```
 */
export const mse: Loss = {
  name: "mse",
  labels: "values",
  labelShape(prediction) {
    requireMatrix("mse", prediction);
    return prediction;
  },
  apply(prediction, targets) {
    return mean(square(sub(prediction, targets)));
  },
  perSample(prediction, targets) {
    return mean(square(sub(prediction, targets)), { axis: 1 });
  },
};

/** `softplus(x) − x·y` per element, stable (see binaryCrossEntropyWithLogits). */
function elementwiseBce(logits: Tensor, targets: Tensor): Tensor {
  const m = stopGradient(relu(logits));
  const softplus = add(m, log(add(exp(neg(m)), exp(sub(logits, m)))));
  return sub(softplus, mul(logits, targets));
}

/**
 * Binary cross-entropy on logits (the sigmoid is part of the loss), with
 * targets in [0, 1], averaged over all elements: `softplus(x) − x·y`, where
 * `softplus(x) = log(1 + eˣ)` is computed stably as `m + log(e⁻ᵐ + eˣ⁻ᵐ)`
 * with `m = max(x, 0)` held constant for differentiation. The gradient is
 * then exactly `σ(x) − y` everywhere, including at x = 0 (a form built on
 * `relu(x)` and `|x|` would give `−y` there, from their subgradients).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryCrossEntropyWithLogits } from "./losses.ts";
 * assert.ok(binaryCrossEntropyWithLogits.labels === "values");
 * ```
 */
export const binaryCrossEntropyWithLogits: Loss = {
  name: "binaryCrossEntropyWithLogits",
  labels: "values",
  targetRange: [0, 1],
  probabilities: "sigmoid",
  labelShape(prediction) {
    requireMatrix("binaryCrossEntropyWithLogits", prediction);
    return prediction;
  },
  apply(logits, targets) {
    return mean(elementwiseBce(logits, targets));
  },
  perSample(logits, targets) {
    return mean(elementwiseBce(logits, targets), { axis: 1 });
  },
};
