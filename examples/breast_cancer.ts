/**
 * Binary classification on real data: the Breast Cancer Wisconsin
 * (Diagnostic) set (569 samples, 30 features; see `examples/data/README.md`).
 * Features are standardized with the training split's statistics; a 30-16-1
 * tanh MLP is trained with binary cross-entropy on logits and Adam, on a
 * seeded 80/20 split. Prints the loss per epoch and the test accuracy.
 *
 * Run: `deno run --allow-read examples/breast_cancer.ts`
 *
 * @module
 */

import { adam, binaryCrossEntropyWithLogits, chain, compile, dense, tanh } from "../mod.ts";
import { permutation } from "../runtime/prng.ts";

/** The data set, standardized and split. */
export interface Split {
  /** Training rows. */
  readonly trainX: number[][];
  /** Training targets (0 = malignant, 1 = benign), one per row. */
  readonly trainY: number[][];
  /** Test rows. */
  readonly testX: number[][];
  /** Test targets. */
  readonly testY: number[][];
}

/**
 * Reads the CSV, shuffles with `seed`, splits 80/20 and standardizes every
 * feature with the training split's mean and standard deviation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadBreastCancer } from "./breast_cancer.ts";
 * const s = await loadBreastCancer(1);
 * assert.equal(s.trainX.length + s.testX.length, 569);
 * ```
 */
export async function loadBreastCancer(seed: number): Promise<Split> {
  const text = await Deno.readTextFile(new URL("./data/breast_cancer.csv", import.meta.url));
  const rows = text.trim().split("\n").slice(1).map((line) => line.split(",").map(Number));
  const order = permutation(rows.length, seed, 0);
  const shuffled = Array.from(order, (i) => rows[i]);
  const cut = Math.round(shuffled.length * 0.8);
  const features = shuffled[0].length - 1;
  const train = shuffled.slice(0, cut);
  const mean = Array.from(
    { length: features },
    (_, c) => train.reduce((s, r) => s + r[c], 0) / train.length,
  );
  const std = mean.map((m, c) =>
    Math.sqrt(train.reduce((s, r) => s + (r[c] - m) ** 2, 0) / train.length) || 1
  );
  const x = (r: number[]) => r.slice(0, features).map((v, c) => (v - mean[c]) / std[c]);
  const y = (r: number[]) => [r[features]];
  return {
    trainX: train.map(x),
    trainY: train.map(y),
    testX: shuffled.slice(cut).map(x),
    testY: shuffled.slice(cut).map(y),
  };
}

/**
 * Trains the classifier; `log` receives one line per epoch.
 *
 * @example
 * ```ts ignore
 * import { trainBreastCancer } from "./breast_cancer.ts";
 * console.log((await trainBreastCancer({ epochs: 5 })).testAccuracy);
 * ```
 */
export async function trainBreastCancer(
  options: { epochs?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<{ testAccuracy: number; loss: number[] }> {
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => {});
  const data = await loadBreastCancer(seed);
  const trainer = await compile(chain(dense(30, 16), tanh, dense(16, 1)), {
    loss: binaryCrossEntropyWithLogits,
    optimizer: adam({ lr: 1e-2 }),
    batchSize: 32,
    seed,
  });
  const history = trainer.fit(data.trainX, data.trainY, {
    epochs: options.epochs ?? 30,
    seed,
    onEpoch: ({ epoch, loss }) =>
      log(`epoch ${String(epoch).padStart(2)}  loss ${loss.toFixed(4)}`),
  });
  const { loss, accuracy } = trainer.evaluate(data.testX, data.testY);
  const testAccuracy = accuracy ?? 0;
  log(
    `test loss ${loss.toFixed(4)}  test accuracy ${
      (testAccuracy * 100).toFixed(1)
    } % (${data.testX.length} samples)`,
  );
  return { testAccuracy, loss: history.loss };
}

if (import.meta.main) await trainBreastCancer({ log: console.log });
