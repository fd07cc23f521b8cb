/**
 * Speech recognition: which digit, "zero" … "nine", an utterance says, from
 * 20 frames × 13 MFCCs, tested on voices never heard in training.
 *
 * The corpus is synthesized (no recorded speech corpus is reachable from
 * where mlpc is developed): Debian's espeak-ng speaking the ten words in 101
 * voice variants, 8 accents, two rates and pitches, with white noise at
 * 0–20 dB SNR — see `examples/data/README.md` and `examples/speech/`.
 * Synthetic voices are far more alike than people: the accuracy says
 * nothing about recorded speech.
 *
 * The split is by speaker: every fifth voice (speaker id ≡ 0 mod 5) is the
 * test set, the next fifth (≡ 1) the validation set, the rest trains. A
 * `standardScaler` fit on the training voices is the trainers'
 * preprocessing. Three models are compared on the test voices: the majority
 * class, a logistic regression (260 → 10, softmax) and an MLP
 * (260-256-128-10 with batch norm, ReLU and dropout, AdamW and a cosine
 * schedule); both trained ones stop once the validation accuracy has not
 * improved for 8 epochs and keep their best epoch. The run writes the MLP's
 * learning curve and its test confusion matrix as SVG.
 *
 * Run (about 4 s of CPU; longer on a busy machine):
 *
 *     deno run --allow-read --allow-write=examples/out examples/spoken_digits.ts
 *
 * Options: `--epochs 40` (the most each model trains), `--seed 1`,
 * `--out examples/out/spoken_digits`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  accuracy,
  adam,
  adamw,
  batchNorm,
  chain,
  compile,
  cosineAnnealing,
  dense,
  dropout,
  type Evaluation,
  type History,
  type Model,
  type OptimizerConfig,
  relu,
  type Schedule,
  softmaxCrossEntropy,
} from "../mod.ts";
import { standardScaler } from "../data/mod.ts";
import { confusionMatrix, learningCurve } from "../plot/mod.ts";
import { loadSpokenDigits, type SpokenDigits } from "./speech/data.ts";
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

/** Options of `runSpokenDigits`. */
export interface SpokenDigitsOptions {
  /** The most epochs each model trains (early stopping may end it sooner; default 40). */
  readonly epochs?: number;
  /** Seed of the parameters and the shuffling (default 1). */
  readonly seed?: number;
  /** Folder for the SVGs (default `examples/out/spoken_digits/`); `null` writes nothing. */
  readonly outDir?: string | URL | null;
  /** Receives the report, line by line (default: nothing is printed). */
  readonly log?: (line: string) => void;
}

/** One trained model's result. */
export interface ModelResult {
  /** The test voices' evaluation (accuracy, confusion matrix, F1, …). */
  readonly test: Evaluation;
  /** The training history (loss, valLoss, accuracy, valAccuracy per epoch). */
  readonly history: History;
  /** Seconds of training (`fit`, validation included), CPU and wall clock. */
  readonly seconds: Seconds;
}

/** What a run measured. */
export interface SpokenDigitsResult {
  /** Utterances in each part of the split. */
  readonly sizes: { readonly train: number; readonly validation: number; readonly test: number };
  /** Test accuracy of predicting the training set's most frequent digit. */
  readonly majorityAccuracy: number;
  /** The logistic regression (260 → 10). */
  readonly logistic: ModelResult;
  /** The MLP. */
  readonly mlp: ModelResult;
  /** The words, by label (the confusion matrix's order). */
  readonly words: readonly string[];
  /** Paths of the files written (learning curve, confusion matrix). */
  readonly files: string[];
}

/** The rows of a part of the corpus, as a matrix, and their labels. */
function rowsOf(d: SpokenDigits, keep: (speaker: number) => boolean) {
  const rows: number[] = [];
  for (let i = 0; i < d.y.length; i++) if (keep(d.speaker[i])) rows.push(i);
  const x = new Float32Array(rows.length * d.features);
  rows.forEach((row, r) =>
    x.set(d.x.subarray(row * d.features, (row + 1) * d.features), r * d.features)
  );
  return {
    x: { data: x, shape: [rows.length, d.features] as [number, number] },
    y: Int32Array.from(rows, (row) => d.y[row]),
  };
}

/**
 * Loads the corpus, trains the logistic regression and the MLP, prints the
 * result table and writes the SVGs.
 *
 * @example
 * ```ts ignore
 * import { runSpokenDigits } from "./spoken_digits.ts";
 * const r = await runSpokenDigits({ epochs: 5, outDir: null });
 * console.log(r.mlp.test.accuracy, r.logistic.test.accuracy, r.majorityAccuracy);
 * ```
 */
export async function runSpokenDigits(
  options: SpokenDigitsOptions = {},
): Promise<SpokenDigitsResult> {
  const epochs = options.epochs ?? 40;
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => {});
  const d = await loadSpokenDigits();
  const train = rowsOf(d, (s) => s % 5 >= 2);
  const validation = rowsOf(d, (s) => s % 5 === 1);
  const test = rowsOf(d, (s) => s % 5 === 0);
  const sizes = { train: train.y.length, validation: validation.y.length, test: test.y.length };
  log(
    `spoken digits (synthesized with espeak-ng): ${d.y.length} utterances of ${d.speakers.length} ` +
      `voices, ${d.features} features (20 frames × 13 MFCCs)`,
  );
  log(
    `split by voice: train ${sizes.train}, validation ${sizes.validation}, ` +
      `test ${sizes.test} (test voices never heard in training)`,
  );
  const scaler = standardScaler(train.x); // the training voices' statistics only

  const counts = new Array(10).fill(0);
  for (const label of train.y) counts[label]++;
  const majority = counts.indexOf(Math.max(...counts));
  const majorityAccuracy = accuracy(test.y, new Int32Array(test.y.length).fill(majority));

  const fitModel = async (
    model: Model,
    optimizer: OptimizerConfig,
    schedule?: Schedule,
  ): Promise<ModelResult> => {
    const trainer = await compile(model, {
      loss: softmaxCrossEntropy,
      optimizer,
      batchSize: 64,
      seed,
      inputFeatures: d.features,
    });
    trainer.preprocessing = scaler;
    const elapsed = stopwatch();
    const history = trainer.fit(train.x, train.y, {
      epochs,
      seed,
      validationData: [validation.x, validation.y],
      earlyStopping: { monitor: "valAccuracy", patience: 8, restoreBest: true },
      schedule,
      verbose: 0,
    });
    const seconds = elapsed();
    return { test: trainer.evaluate(test.x, test.y), history, seconds };
  };

  const logistic = await fitModel(dense(d.features, 10), adam({ lr: 1e-3 }));
  const mlp = await fitModel(
    chain(
      dense(d.features, 256),
      batchNorm(256),
      relu,
      dropout(0.3),
      dense(256, 128),
      batchNorm(128),
      relu,
      dropout(0.3),
      dense(128, 10),
    ),
    adamw({ lr: 1e-3, weightDecay: 0.05 }),
    cosineAnnealing({ tMax: epochs }),
  );

  const percent = (v: number | undefined) => `${((v ?? NaN) * 100).toFixed(1)} %`;
  const trained = (r: ModelResult) => [
    percent(r.test.accuracy),
    percent(r.test.f1Macro),
    `${r.history.loss.length} (best ${r.history.bestEpoch})`,
    formatSeconds(r.seconds),
  ];
  log("");
  log(table(["model", "test accuracy", "macro F1", "epochs", "fit s, CPU / wall"], [
    ["majority class", percent(majorityAccuracy), "", "", ""],
    ["logistic regression 260-10", ...trained(logistic)],
    ["MLP 260-256-128-10", ...trained(mlp)],
  ]));

  let files: string[] = [];
  const dir = options.outDir === null ? null : options.outDir ?? outputFolder("spoken_digits");
  if (dir !== null && !(await writableFolder(dir))) {
    log("");
    log("(no SVG written: run with --allow-write=examples/out to get the charts)");
  } else if (dir !== null) {
    files = await writeFiles(dir, {
      "learning_curve.svg": await learningCurve(curveSeries(mlp.history, ["accuracy"]), {
        title: "spoken digits: MLP, train and validation voices",
      }),
      "confusion_matrix.svg": await confusionMatrix(mlp.test.confusionMatrix!, d.words, {
        title: `MLP on unseen voices: ${percent(mlp.test.accuracy)} correct`,
      }),
    });
    log("");
    for (const file of files) log(`wrote ${file}`);
  }
  log("");
  log(lossChart(mlp.history));
  return { sizes, majorityAccuracy, logistic, mlp, words: d.words, files };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      epochs: { type: "string", default: "40" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
    },
  });
  await runSpokenDigits({
    epochs: Number(values.epochs),
    seed: Number(values.seed),
    outDir: values.out,
    log: console.log,
  });
}
