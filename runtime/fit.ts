/**
 * The training loop: epochs of shuffled batches over in-memory data, one
 * compiled step per batch.
 *
 * @module
 */

import { DivergenceError, InputError } from "../core/errors.ts";
import { type Labels, type Samples, toLabels, toSamples } from "./data.ts";
import type { CompiledModule } from "./module.ts";
import { permutation } from "./prng.ts";
import { captureState, restoreState } from "./state.ts";

/** Options of `fit`. */
export interface FitOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** Shuffle samples each epoch (default true). */
  shuffle?: boolean;
  /** Called after each epoch, e.g. to print progress. */
  onEpoch?: (info: EpochInfo) => void;
}

/** What `onEpoch` receives. */
export interface EpochInfo {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /**
   * Training loss over the epoch's samples: the mean of the batch losses
   * weighted by batch size, or their sum for a loss with `reduction: "sum"`.
   */
  readonly loss: number;
  /** Seconds the epoch took. */
  readonly seconds: number;
}

/** What `fit` returns. */
export interface History {
  /** Training loss of each epoch (as `EpochInfo.loss`). */
  readonly loss: number[];
  /** Seconds of each epoch. */
  readonly seconds: number[];
}

/**
 * Checks a seed: an integer in 0..2³²−1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSeed } from "./fit.ts";
 * assert.equal(checkSeed(7), 7);
 * assert.throws(() => checkSeed(-1));
 * ```
 */
export function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InputError(`A seed must be an integer in 0..4294967295, got ${seed}`);
  }
  return seed;
}

/**
 * One training step on one batch (at most `maxBatch` samples); returns the
 * batch's mean loss, or throws a `DivergenceError` when it is not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse, sgd } from "../mod.ts";
 * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 2 });
 * assert.ok(Number.isFinite(t.trainBatch([[1], [2]], [[2], [4]])));
 * ```
 */
export function trainOneBatch(m: CompiledModule, x: Samples, y: Labels): number {
  const samples = toSamples(x, m.spec);
  const labels = toLabels(y, samples.rows, m.spec);
  if (samples.rows < 1 || samples.rows > m.artifact.maxBatch) {
    throw new InputError(
      `A batch must have 1..${m.artifact.maxBatch} samples (the compiled batchSize), got ${samples.rows}`,
    );
  }
  m.writeBatch(samples.data, labels, null, 0, samples.rows);
  const loss = m.trainStep(samples.rows);
  if (!Number.isFinite(loss)) {
    throw new DivergenceError(
      `The loss became ${loss} at step ${m.step}, so the parameters now hold non-finite values: ` +
        `restore a state taken before (trainingState / restoreTrainingState, or load) ` +
        `and try a smaller learning rate`,
    );
  }
  return loss;
}

/**
 * Trains for a number of epochs over in-memory data, in batches of the
 * compiled size (the last one may be smaller), shuffled with `seed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse, sgd } from "../mod.ts";
 * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 2 });
 * const h = t.fit([[0], [1], [2]], [[1], [3], [5]], { epochs: 50, seed: 1 });
 * assert.ok(h.loss[49] < h.loss[0]);
 * ```
 */
export function fitLoop(
  m: CompiledModule,
  x: Samples,
  y: Labels,
  options: FitOptions = {},
): History {
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new InputError(`epochs must be a non-negative integer, got ${epochs}`);
  }
  const samples = toSamples(x, m.spec);
  const labels = toLabels(y, samples.rows, m.spec);
  if (samples.rows === 0) throw new InputError("fit needs at least one sample");
  const seed = checkSeed(options.seed ?? 0);
  const history: History = { loss: [], seconds: [] };
  const batch = m.artifact.maxBatch;
  const summed = m.artifact.lossReduction === "sum";
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    // Taken at the start of each epoch, so a divergence can be rolled back.
    const before = captureState(m);
    m.epoch++;
    // The shuffle depends on the epoch count since the trainer was created (or
    // the state was restored), so repeated fit calls and resumed training
    // never repeat an order.
    const order = options.shuffle === false ? null : permutation(samples.rows, seed, m.epoch);
    let total = 0;
    for (let from = 0; from < samples.rows; from += batch) {
      const n = Math.min(batch, samples.rows - from);
      m.writeBatch(samples.data, labels, order, from, n);
      const loss = m.trainStep(n);
      if (!Number.isFinite(loss)) {
        const step = m.step;
        restoreState(m, before);
        throw new DivergenceError(
          `The loss became ${loss} at epoch ${epoch}, step ${step}; the parameters and optimizer ` +
            `state were restored to the start of that epoch. Try a smaller learning rate`,
        );
      }
      total += summed ? loss : loss * n;
    }
    const info = {
      epoch,
      loss: summed ? total : total / samples.rows,
      seconds: (performance.now() - start) / 1000,
    };
    history.loss.push(info.loss);
    history.seconds.push(info.seconds);
    options.onEpoch?.(info);
  }
  return history;
}
