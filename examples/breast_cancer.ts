/**
 * Healthcare diagnostics on real data: the Breast Cancer Wisconsin
 * (Diagnostic) set (569 fine-needle aspirates, 30 features; see
 * `examples/data/README.md`). Which masses are malignant?
 *
 * The whole recipe with the library's own pieces: `readCsv` reads the file
 * (the positive class, id 1, is **malignant**, so sensitivity is the share
 * of malignant masses found), `trainTestSplit` holds out a stratified 20 %
 * test set, a `standardScaler` fit on the training set becomes the trainer's
 * preprocessing (so the model takes raw measurements, also after
 * `save`/`load`), and `fit` trains with binary cross-entropy on logits and
 * Adam until early stopping: the validation loss (on a stratified 20 %
 * `validationSplit`) has improved by less than `minDelta` for `patience`
 * epochs; the best epoch's parameters are kept. Two models go through the
 * same recipe: a 30-16-1 tanh MLP and, as the baseline, logistic regression
 * (the 30-1 model), next to the majority class. `evaluate` gives the test
 * metrics: accuracy, sensitivity, specificity, ROC AUC.
 *
 * Run (about 1 s of CPU):
 *
 *     deno run --allow-read --allow-write=examples/out examples/breast_cancer.ts
 *
 * It writes the MLP's learning curve to `examples/out/breast_cancer/` (without
 * `--allow-write` it says so and writes nothing).
 *
 * @module
 */

import {
  accuracy,
  adam,
  binaryCrossEntropyWithLogits,
  chain,
  compile,
  dense,
  type Model,
  precisionRecallF1,
  rocAuc,
  tanh,
} from "../mod.ts";
import type { Evaluation, History } from "../mod.ts";
import { readCsv, standardScaler, trainTestSplit } from "../data/mod.ts";
import { learningCurve } from "../plot/mod.ts";
import {
  curveSeries,
  formatSeconds,
  lossChart,
  outputFolder,
  type Seconds,
  stopwatch,
  table,
  writableFolder,
  writeFiles,
} from "./report.ts";

/** Test metrics of one model (positive class: malignant). */
export interface Diagnosis {
  /** Share of test masses classified right. */
  readonly accuracy: number;
  /** Share of malignant test masses classified malignant (true-positive rate). */
  readonly sensitivity: number;
  /** Share of benign test masses classified benign (true-negative rate). */
  readonly specificity: number;
  /** Area under the ROC curve of the model's scores. */
  readonly rocAuc: number;
}

/** What `trainBreastCancer` returns. */
export interface BreastCancerResult {
  /** The MLP's accuracy on the held-out test set. */
  readonly testAccuracy: number;
  /** The MLP's training loss of each epoch run. */
  readonly loss: number[];
  /** The MLP's test evaluation (accuracy, ROC AUC, sensitivity, specificity, …). */
  readonly evaluation: Evaluation;
  /** The MLP's training history (validation loss, stop reason, best epoch). */
  readonly history: History;
  /** The baseline, logistic regression (30-1) trained the same way: its test evaluation. */
  readonly logistic: Evaluation;
  /** The logistic regression's training history. */
  readonly logisticHistory: History;
  /** Predicting the training set's majority class (benign) for every mass. */
  readonly majority: Diagnosis;
  /** Seconds of training (`fit`, validation included): MLP, logistic regression. */
  readonly seconds: { readonly mlp: Seconds; readonly logistic: Seconds };
  /** Paths of the files written. */
  readonly files: string[];
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
 * Trains the MLP and the logistic regression; `log` receives the report's
 * lines (each epoch of the MLP, the result table, the files written, the
 * terminal loss chart).
 *
 * @example
 * ```ts ignore
 * import { trainBreastCancer } from "./breast_cancer.ts";
 * const r = await trainBreastCancer({ epochs: 5, outDir: null });
 * console.log(r.evaluation.rocAuc, r.logistic.rocAuc);
 * ```
 */
export async function trainBreastCancer(
  options: {
    epochs?: number;
    seed?: number;
    log?: (line: string) => void;
    /** Folder for the SVG (default `examples/out/breast_cancer/`); `null` writes nothing. */
    outDir?: string | URL | null;
  } = {},
): Promise<BreastCancerResult> {
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => {});
  // The file's label is 1 = benign, 0 = malignant; class names in this order
  // make id 0 benign and id 1 malignant, the positive class of a diagnosis.
  const data = await readCsv(new URL("./data/breast_cancer.csv", import.meta.url), {
    label: "label",
    labels: "classes",
    classes: ["1", "0"],
  });
  const split = trainTestSplit(data.x, data.y, { testSize: 0.2, stratify: true, seed });
  const scaler = standardScaler(split.xTrain); // fit on the training set only

  const train = async (model: Model, echo: boolean) => {
    const trainer = await compile(model, {
      loss: binaryCrossEntropyWithLogits,
      optimizer: adam({ lr: 1e-2 }),
      batchSize: 32,
      seed,
    });
    trainer.preprocessing = scaler;
    const elapsed = stopwatch();
    const history = trainer.fit(split.xTrain, split.yTrain, {
      epochs: options.epochs ?? 100,
      seed,
      validationSplit: 0.2,
      earlyStopping: { monitor: "valLoss", minDelta: 1e-3, patience: 5, restoreBest: true },
      verbose: 0,
      onEpoch: ({ epoch, loss, valLoss }) => {
        if (echo) {
          log(
            `epoch ${String(epoch).padStart(3)}  loss ${loss.toFixed(4)}  valLoss ${
              valLoss?.toFixed(4)
            }`,
          );
        }
      },
    });
    const seconds = elapsed();
    return { history, evaluation: trainer.evaluate(split.xTest, split.yTest), seconds };
  };
  const mlp = await train(chain(dense(30, 16), tanh, dense(16, 1)), true);
  log(
    `stopped: ${mlp.history.stopReason} after ${mlp.history.loss.length} epochs; ` +
      `best validation loss at epoch ${mlp.history.bestEpoch}, whose parameters were restored`,
  );
  const logistic = await train(dense(30, 1), false);

  // The majority class of the training set, predicted for every test mass.
  const yTest = Array.from(split.yTest);
  const benign = split.yTrain.filter((v) => v === 0).length;
  const majorityClass = benign * 2 >= split.yTrain.length ? 0 : 1;
  const constant = yTest.map(() => majorityClass);
  const recall = precisionRecallF1(yTest, constant, 2).recall;
  const majority: Diagnosis = {
    accuracy: accuracy(yTest, constant),
    sensitivity: recall[1],
    specificity: recall[0],
    rocAuc: rocAuc(yTest, constant), // one score for all: 0.5
  };

  const percent = (v: number | undefined) => `${((v ?? NaN) * 100).toFixed(1)} %`;
  const row = (name: string, e: Diagnosis | Evaluation, epochs: string, seconds: string) => [
    name,
    percent(e.accuracy),
    percent(e.sensitivity),
    percent(e.specificity),
    (e.rocAuc ?? NaN).toFixed(4),
    epochs,
    seconds,
  ];
  const epochsOf = (h: History) => `${h.loss.length} (best ${h.bestEpoch ?? h.loss.length})`;
  const malignant = yTest.filter((v) => v === 1).length;
  log("");
  log(
    `test set: ${yTest.length} masses, ${malignant} malignant (positive) and ${
      yTest.length - malignant
    } benign`,
  );
  log(table(
    ["model", "accuracy", "sensitivity", "specificity", "ROC AUC", "epochs", "fit s, CPU / wall"],
    [
      row("majority class (benign)", majority, "", ""),
      row(
        "logistic regression 30-1",
        logistic.evaluation,
        epochsOf(logistic.history),
        formatSeconds(logistic.seconds, 2),
      ),
      row("MLP 30-16-1 tanh", mlp.evaluation, epochsOf(mlp.history), formatSeconds(mlp.seconds, 2)),
    ],
  ));
  log("sensitivity: malignant masses found; specificity: benign masses cleared");

  let files: string[] = [];
  if (options.outDir !== null) {
    const dir = options.outDir ?? outputFolder("breast_cancer");
    if (await writableFolder(dir)) {
      files = await writeFiles(dir, {
        "learning_curve.svg": await learningCurve(
          curveSeries(mlp.history, ["accuracy", "rocAuc"]),
          { title: "breast cancer: MLP 30-16-1, training and validation" },
        ),
      });
      log("");
      for (const file of files) log(`wrote ${file}`);
    } else {
      log("");
      log("(no SVG written: run with --allow-write=examples/out to get the learning curve)");
    }
  }
  log("");
  log(lossChart(mlp.history));
  return {
    testAccuracy: mlp.evaluation.accuracy ?? 0,
    loss: mlp.history.loss,
    evaluation: mlp.evaluation,
    history: mlp.history,
    logistic: logistic.evaluation,
    logisticHistory: logistic.history,
    majority,
    seconds: { mlp: mlp.seconds, logistic: logistic.seconds },
    files,
  };
}

if (import.meta.main) await trainBreastCancer({ log: console.log });
