/**
 * Normalization layers with PyTorch's semantics and parameter names:
 * `layerNorm` (`nn.LayerNorm` over the last dimension) and `batchNorm`
 * (`nn.BatchNorm1d` on `[batch, features]`). Both normalize with the fused
 * `normalize` primitive (statistics per row or per column in one kernel,
 * forward and backward).
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { formatShape } from "../../core/shape.ts";
import type { Layer } from "./layers.ts";
import { type ApplyContext, INFERENCE, markMode } from "./modes.ts";
import {
  add,
  count,
  div,
  mean,
  mul,
  normalize,
  param,
  running,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
} from "./tensor.ts";

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale `weight` (ones) and shift `bias` (zeros) (default true). */
  affine?: boolean;
}

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /**
   * Weight of the batch statistic in the running estimate (default 0.1):
   * running = (1 − momentum)·running + momentum·batch, as PyTorch.
   */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale `weight` (ones) and shift `bias` (zeros) (default true). */
  affine?: boolean;
}

function checkFeatures(layer: string, features: number): void {
  if (!Number.isInteger(features) || features < 1) {
    throw new ShapeError(`${layer}: features must be a positive integer, got ${features}`);
  }
}

function checkNumber(layer: string, what: string, value: number, low: number, high: number) {
  if (!(value >= low && value <= high) || !Number.isFinite(value)) {
    throw new ShapeError(`${layer}: ${what} must be in [${low}, ${high}], got ${value}`);
  }
}

function checkInput(description: string, features: number, x: Tensor, prefix: string): void {
  if (x.shape.length !== 2 || x.shape[1] !== features) {
    const where = prefix === "" ? "" : ` "${prefix.slice(0, -1)}"`;
    throw new ShapeError(
      `Layer${where} ${description} expects [batch, ${features}], got ${formatShape(x.shape)}`,
    );
  }
}

function affineOf(xhat: Tensor, features: number, prefix: string, affine: boolean): Tensor {
  if (!affine) return xhat;
  const weight = param(`${prefix}weight`, [features], "ones");
  const bias = param(`${prefix}bias`, [features], "zeros");
  return add(mul(xhat, weight), bias);
}

/**
 * Layer normalization over the features of each sample, as PyTorch's
 * `nn.LayerNorm(features)`: `(x − mean) / √(var + eps) · weight + bias`, with
 * the mean and the biased variance of each row. The same in training and
 * inference. Parameters `weight` (ones) and `bias` (zeros) unless `affine` is
 * false.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, layerNorm, mse, relu } from "../../mod.ts";
 * const trainer = await compile(chain(dense(3, 8), layerNorm(8), relu, dense(8, 1)), {
 *   loss: mse,
 *   batchSize: 4,
 * });
 * assert.deepEqual(Object.keys(trainer.getParams()), [
 *   "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias",
 * ]);
 * ```
 */
export function layerNorm(features: number, options: LayerNormOptions = {}): Layer {
  checkFeatures("layerNorm", features);
  const eps = options.eps ?? 1e-5;
  checkNumber("layerNorm", "eps", eps, 0, Infinity);
  const description = `layerNorm(${features})`;
  return {
    kind: "layer",
    description,
    inputFeatures: features,
    inputLayer: description,
    apply(x: Tensor, prefix: string): Tensor {
      checkInput(description, features, x, prefix);
      return affineOf(normalize(x, { axis: -1, eps }), features, prefix, options.affine ?? true);
    },
  };
}

/**
 * Batch normalization of each feature, as PyTorch's `nn.BatchNorm1d(features)`
 * on `[batch, features]` inputs:
 *
 * - training: `(x − mean) / √(var + eps) · weight + bias` with the mean and
 *   the biased variance of the batch's rows (the actual rows of a partial
 *   batch); each step also updates the running statistics, with the unbiased
 *   variance: `running_mean ← (1 − momentum)·running_mean + momentum·mean`,
 *   `running_var ← (1 − momentum)·running_var + momentum·Σ(x − mean)²/(n − 1)`;
 * - inference (`predict`, `evaluate`): the same formula with `running_mean`
 *   and `running_var` in place of the batch's statistics.
 *
 * The running statistics (`running_mean`, zeros; `running_var`, ones) are
 * saved with the model and never touched by the optimizer. A training batch
 * needs at least 2 samples. Parameters `weight` (ones) and `bias` (zeros)
 * unless `affine` is false.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchNorm, chain, compile, dense, mse, sgd } from "../../mod.ts";
 * const trainer = await compile(chain(dense(2, 4), batchNorm(4), dense(4, 1)), {
 *   loss: mse,
 *   optimizer: sgd({ lr: 0.1 }),
 *   batchSize: 4,
 * });
 * trainer.trainBatch([[1, 2], [3, 4], [5, 7]], [[1], [2], [3]]);
 * const { "1.running_mean": mean } = trainer.getRunningStats();
 * assert.equal(mean.length, 4);
 * assert.ok(mean.some((v) => v !== 0)); // moved 10 % of the way to the batch's mean
 * ```
 */
export function batchNorm(features: number, options: BatchNormOptions = {}): Layer {
  checkFeatures("batchNorm", features);
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.1;
  checkNumber("batchNorm", "eps", eps, 0, Infinity);
  checkNumber("batchNorm", "momentum", momentum, 0, 1);
  const description = `batchNorm(${features})`;
  return {
    kind: "layer",
    description,
    inputFeatures: features,
    inputLayer: description,
    apply(x: Tensor, prefix: string, context: ApplyContext = INFERENCE): Tensor {
      checkInput(description, features, x, prefix);
      const runningMean = running(`${prefix}running_mean`, [features], "zeros");
      const runningVar = running(`${prefix}running_var`, [features], "ones");
      let xhat: Tensor;
      if (context.mode === "train") {
        xhat = markMode("train", normalize(x, { axis: 0, eps }), [x]);
        const batchMean = mean(x, { axis: 0 });
        const squares = sum(square(sub(x, batchMean)), { axis: 0 });
        const unbiased = div(squares, sub(count(x, { axis: 0 }), 1));
        const blend = (old: Tensor, batch: Tensor) =>
          markMode("train", add(mul(old, 1 - momentum), mul(batch, momentum)), [old, x]);
        context.update(runningMean, blend(runningMean, batchMean));
        context.update(runningVar, blend(runningVar, unbiased));
      } else {
        xhat = markMode(
          "inference",
          div(sub(x, runningMean), sqrt(add(runningVar, eps))),
          [x],
        );
      }
      return affineOf(xhat, features, prefix, options.affine ?? true);
    },
  };
}
