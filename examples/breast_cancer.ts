/**
 * Binary classification on real data: the Breast Cancer Wisconsin
 * (Diagnostic) set (569 samples, 30 features; see `examples/data/README.md`).
 *
 * The whole recipe with the library's own pieces: `readCsv` reads the file,
 * `trainTestSplit` holds out a stratified 20 % test set, a `standardScaler`
 * fit on the training set becomes the trainer's preprocessing (so the model
 * takes raw measurements, also after `save`/`load`), and `fit` trains a
 * 30-16-1 tanh MLP with binary cross-entropy on logits and Adam — gradient
 * descent over epochs until a stopping criterion holds: at most `epochs`
 * epochs, or early stopping once the validation loss (on a stratified 20 %
 * `validationSplit`) has improved by less than `minDelta` for `patience`
 * epochs, keeping the best epoch's parameters. `evaluate` reports the test
 * metrics, sensitivity and specificity included (class 1 = benign).
 *
 * Run: `deno run --allow-read examples/breast_cancer.ts`
 *
 * @module
 */

import { adam, binaryCrossEntropyWithLogits, chain, compile, dense, tanh } from "../mod.ts";
import type { Evaluation, History } from "../mod.ts";
import { readCsv, standardScaler, trainTestSplit } from "../data/mod.ts";

/** What `trainBreastCancer` returns. */
export interface BreastCancerResult {
  /** Accuracy on the held-out test set. */
  readonly testAccuracy: number;
  /** Training loss of each epoch run. */
  readonly loss: number[];
  /** The test set's evaluation (accuracy, ROC AUC, sensitivity, specificity, …). */
  readonly evaluation: Evaluation;
  /** The training history (validation loss, stop reason, best epoch). */
  readonly history: History;
}

/** The data set split 80/20 (stratified, seeded) and standardized, as plain rows. */
export interface Split {
  /** Training rows, standardized with the training set's statistics. */
  readonly trainX: number[][];
  /** Training targets (0 = malignant, 1 = benign), one per row. */
  readonly trainY: number[][];
  /** Test rows, standardized with the training set's statistics. */
  readonly testX: number[][];
  /** Test targets. */
  readonly testY: number[][];
}

/**
 * Reads the CSV, splits it 80/20 with `trainTestSplit` (stratified, seeded)
 * and standardizes both parts with a `standardScaler` fit on the training
 * part; plain rows, for pages and scripts that want the data alone.
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
  const data = await readCsv(new URL("./data/breast_cancer.csv", import.meta.url), {
    label: "label",
  });
  const split = trainTestSplit(data.x, data.y, { testSize: 0.2, stratify: true, seed });
  const scaler = standardScaler(split.xTrain);
  const rows = (m: { data: Float64Array; shape: readonly [number, number] }) =>
    Array.from(
      { length: m.shape[0] },
      (_, r) => Array.from(m.data.subarray(r * m.shape[1], (r + 1) * m.shape[1])),
    );
  return {
    trainX: rows(scaler.transform(split.xTrain)),
    trainY: Array.from(split.yTrain, (v) => [v]),
    testX: rows(scaler.transform(split.xTest)),
    testY: Array.from(split.yTest, (v) => [v]),
  };
}

/**
 * Trains the classifier; `log` receives the report's lines.
 *
 * @example
 * ```ts ignore
 * import { trainBreastCancer } from "./breast_cancer.ts";
 * console.log((await trainBreastCancer({ epochs: 5 })).testAccuracy);
 * ```
 */
export async function trainBreastCancer(
  options: { epochs?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<BreastCancerResult> {
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => {});
  const data = await readCsv(new URL("./data/breast_cancer.csv", import.meta.url), {
    label: "label",
  });
  const split = trainTestSplit(data.x, data.y, { testSize: 0.2, stratify: true, seed });
  const trainer = await compile(chain(dense(30, 16), tanh, dense(16, 1)), {
    loss: binaryCrossEntropyWithLogits,
    optimizer: adam({ lr: 1e-2 }),
    batchSize: 32,
    seed,
  });
  trainer.preprocessing = standardScaler(split.xTrain); // fit on the training set only
  const history = trainer.fit(split.xTrain, split.yTrain, {
    epochs: options.epochs ?? 100,
    seed,
    validationSplit: 0.2,
    earlyStopping: { monitor: "valLoss", minDelta: 1e-3, patience: 5, restoreBest: true },
    verbose: 0,
    onEpoch: ({ epoch, loss, valLoss }) =>
      log(
        `epoch ${String(epoch).padStart(3)}  loss ${loss.toFixed(4)}  valLoss ${
          valLoss?.toFixed(4)
        }`,
      ),
  });
  log(
    `stopped: ${history.stopReason} after ${history.loss.length} epochs; ` +
      `best validation loss at epoch ${history.bestEpoch}, whose parameters were restored`,
  );
  const e = trainer.evaluate(split.xTest, split.yTest);
  const percent = (v: number | undefined) => `${((v ?? NaN) * 100).toFixed(1)} %`;
  log(`test samples ${split.xTest.shape[0]}  loss ${e.loss.toFixed(4)}`);
  log(`accuracy    ${percent(e.accuracy)}  ROC AUC ${e.rocAuc?.toFixed(4)}`);
  log(`sensitivity ${percent(e.sensitivity)}  (benign found among benign)`);
  log(`specificity ${percent(e.specificity)}  (malignant found among malignant)`);
  log(`F1 (macro)  ${e.f1Macro?.toFixed(4)}`);
  const [[tn, fp], [fn, tp]] = e.confusionMatrix!;
  log(
    `confusion   true malignant: ${tn} right, ${fp} wrong; true benign: ${tp} right, ${fn} wrong`,
  );
  return { testAccuracy: e.accuracy ?? 0, loss: history.loss, evaluation: e, history };
}

if (import.meta.main) await trainBreastCancer({ log: console.log });
