/**
 * Natural-language processing on real text: which of Jane Austen's six
 * completed novels a line of text comes from (`examples/data/austen_lines.csv.gz`,
 * one printed line of each novel per row; see `examples/data/README.md`).
 *
 * The recipe, all of it from the library's pieces:
 * - the lines with at least 4 words, class ids by `encodeLabels`, a seeded
 *   80/20 `trainTestSplit` (stratified by novel);
 * - tokens: words (case kept), punctuation marks, `--` and a double space
 *   (the editions differ in typography: two spaces after a full stop are
 *   frequent in two of the six);
 * - vocabularies built on the training split only; test tokens never seen
 *   in training map to id 0;
 * - baselines: the majority class, and mlpc's own bag-of-words logistic
 *   regression (`dense(vocab, 6)` over token lists: the product of each
 *   line's word counts) whose learning rate and weight decay are chosen on a
 *   validation split of the training set (10 %, `validationSplit`), with
 *   early stopping on validation accuracy;
 * - the model: an embedding bag (PyTorch's `nn.EmbeddingBag`, mean of the
 *   rows) over the line's words, word bigrams and character 4-grams of each
 *   word (fastText's features), dropout, then dense layers; the same
 *   validation split and early stopping. With `hidden: 0` (the default, the
 *   best on the validation split) the layers after the bag are one
 *   `dense(dim, 6)`; `hidden: n` puts a ReLU layer of n units between.
 *
 * It prints a result table (test accuracy of each, seconds per epoch, module
 * memory), writes the SVG learning curves into `examples/out/authorship/`
 * and ends with a terminal chart of the loss.
 *
 * Run: `deno run --allow-read --allow-write=examples/out examples/authorship.ts`
 * (`--compare-features` also trains the logistic regression on the model's
 * features; `--hidden 64` the ReLU variant; `--seeds 3` averages the
 * probabilities of 3 models).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parse } from "npm:csv-parse@6.2.1/sync";
import {
  adam,
  adamw,
  chain,
  compile,
  dense,
  dropout,
  embeddingBag,
  type History,
  relu,
  softmaxCrossEntropy,
  tokens,
  type Trainer,
} from "../mod.ts";
import { encodeLabels, trainTestSplit } from "../data/mod.ts";
import { learningCurve } from "../plot/mod.ts";
import {
  curveSeries,
  lossChart,
  outputFolder,
  type Seconds,
  stopwatch,
  table,
  writableFolder,
  writeFiles,
} from "./report.ts";

/** The lines of the six novels that have at least `minWords` words, with their novel. */
export interface AustenLines {
  /** The text of each line, as printed. */
  readonly text: readonly string[];
  /** The novel of each line, as a class id. */
  readonly label: Int32Array;
  /** `novels[id]` is the title of class `id`. */
  readonly novels: readonly string[];
}

const WORD = /[a-z]+(?:'[a-z]+)?/g;
const TOKEN = /[A-Za-z]+(?:'[A-Za-z]+)?|--| {2}|[^\sA-Za-z0-9]/g;

/**
 * Reads `examples/data/austen_lines.csv.gz` and keeps the lines with at
 * least `minWords` words (default 4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAustenLines } from "./authorship.ts";
 * const lines = await readAustenLines();
 * assert.equal(lines.text.length, 59423);
 * assert.equal(lines.novels.length, 6);
 * ```
 */
export async function readAustenLines(minWords = 4): Promise<AustenLines> {
  const gz = await Deno.readFile(new URL("./data/austen_lines.csv.gz", import.meta.url));
  const csv = await new Response(
    new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const records = parse(csv, { columns: true }) as { text: string; book: string }[];
  const kept = records.filter((r) => (r.text.toLowerCase().match(WORD) ?? []).length >= minWords);
  const { ids, classes } = encodeLabels(kept.map((r) => r.book));
  return { text: kept.map((r) => r.text), label: ids, novels: classes };
}

/**
 * The tokens of a line: words with their case, punctuation marks, `--`, and
 * `"  "` for a double space.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./authorship.ts";
 * assert.deepEqual(tokenize("Mrs. Jennings's house--ah!  Elinor"), [
 *   "Mrs", ".", "Jennings's", "house", "--", "ah", "!", "  ", "Elinor",
 * ]);
 * ```
 */
export function tokenize(line: string): string[] {
  return line.match(TOKEN) ?? [];
}

/**
 * The features of the embedding bag: the tokens, the bigrams of adjacent
 * tokens (`"a b"`) and the character `n`-grams of each token marked by `<`
 * and `>` (`"#<Emm"`, …), as fastText builds them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bagFeatures } from "./authorship.ts";
 * assert.deepEqual(bagFeatures(["Emma", "."], 4), [
 *   "Emma", ".", "Emma .", "#<Emm", "#Emma", "#mma>", "#<.>",
 * ]);
 * ```
 */
export function bagFeatures(tokenList: readonly string[], n = 4): string[] {
  const out = [...tokenList];
  for (let i = 1; i < tokenList.length; i++) out.push(`${tokenList[i - 1]} ${tokenList[i]}`);
  for (const token of tokenList) {
    const marked = `<${token}>`;
    if (marked.length < n) out.push(`#${marked}`); // shorter than n: itself
    for (let i = 0; i + n <= marked.length; i++) out.push(`#${marked.slice(i, i + n)}`);
  }
  return out;
}

/** A vocabulary built on training lines: feature → id, id 0 for anything else. */
export interface Vocabulary {
  /** Ids 1…size−1 of the features kept. */
  readonly ids: ReadonlyMap<string, number>;
  /** Rows of an embedding table over it (the kept features and the unknown id 0). */
  readonly size: number;
}

/**
 * Counts the features of the training lines and keeps each that occurs at
 * least `minCount(feature)` times.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildVocabulary, toIds } from "./authorship.ts";
 * const v = buildVocabulary([["a", "b"], ["a"]], () => 2);
 * assert.equal(v.size, 2); // "a" and the unknown id
 * assert.deepEqual(toIds(v, ["a", "b", "zzz"]), [1, 0, 0]);
 * ```
 */
export function buildVocabulary(
  lines: Iterable<readonly string[]>,
  minCount: (feature: string) => number = () => 1,
): Vocabulary {
  const counts = new Map<string, number>();
  for (const line of lines) for (const f of line) counts.set(f, (counts.get(f) ?? 0) + 1);
  const ids = new Map<string, number>();
  for (const [f, c] of counts) if (c >= minCount(f)) ids.set(f, ids.size + 1);
  return { ids, size: ids.size + 1 };
}

/** A line's features as ids of the vocabulary (0 when not in it). */
export function toIds(vocabulary: Vocabulary, features: readonly string[]): number[] {
  return features.map((f) => vocabulary.ids.get(f) ?? 0);
}

/** Options of `trainAuthorship`. */
export interface AuthorshipOptions {
  /** Use every k-th line, k = ⌊59,423 / lines⌋, so that about this many remain (default: all). */
  readonly lines?: number;
  /** Most epochs of each training run (default 30); early stopping ends most sooner. */
  readonly epochs?: number;
  /** Epochs without a better validation accuracy before stopping (default 3). */
  readonly patience?: number;
  /** Seed of the split, the initial weights, dropout and shuffling (default 1). */
  readonly seed?: number;
  /** Learning rates tried for the logistic regression (default 0.001, 0.003, 0.01). */
  readonly lrGrid?: readonly number[];
  /** Weight decays (AdamW) tried for the logistic regression (default 0, 0.1). */
  readonly weightDecayGrid?: readonly number[];
  /** Columns of the embedding table (default 32). */
  readonly dim?: number;
  /** Units of a ReLU layer after the bag; 0 (default): none. */
  readonly hidden?: number;
  /** Dropout probability after the bag (and after the hidden layer) (default 0.3). */
  readonly dropout?: number;
  /** Learning rate of the model (Adam, default 0.003). */
  readonly lr?: number;
  /** Models averaged (their probabilities), each with its own seed (default 1). */
  readonly seeds?: number;
  /** Also train the logistic regression on the model's features (default false). */
  readonly compareFeatures?: boolean;
  /** Where to write the SVG learning curves; `null`: nowhere (default `examples/out/authorship/`). */
  readonly outDir?: string | URL | null;
  /** Receives the report's lines (default: nothing is printed). */
  readonly log?: (line: string) => void;
}

/** The result of one classifier. */
export interface ModelResult {
  /** What it is. */
  readonly name: string;
  /** Accuracy on the test split. */
  readonly testAccuracy: number;
  /** Best accuracy on the validation split (NaN for the majority class). */
  readonly valAccuracy: number;
  /** Median seconds of one training epoch (0 for the majority class). */
  readonly secondsPerEpoch: number;
  /** Epochs trained, over all runs (grid and seeds). */
  readonly epochs: number;
  /** Bytes of the compiled module's memory (parameters, gradients, optimizer state, buffers). */
  readonly memoryBytes: number;
  /** Hyper-parameters chosen or used. */
  readonly settings: string;
}

/** What `trainAuthorship` returns. */
export interface AuthorshipResult {
  /** Lines in the training and test splits. */
  readonly trainLines: number;
  /** Lines in the test split. */
  readonly testLines: number;
  /** Rows of the logistic regression's word vocabulary and of the model's feature vocabulary. */
  readonly vocabulary: { readonly words: number; readonly features: number };
  /** Majority class, logistic regression(s), then the model, in that order. */
  readonly results: readonly ModelResult[];
  /** The model's (first seed's) training history. */
  readonly history: History;
  /** The logistic regression's history (the chosen run). */
  readonly baselineHistory: History;
  /** SVG learning curves by file name. */
  readonly svgs: Readonly<Record<string, string>>;
  /** Paths written (none when `outDir` is `null` or writing is not permitted). */
  readonly written: readonly string[];
  /** Peak resident memory of the process (Linux's VmHWM; elsewhere the RSS at the end), bytes. */
  readonly rssBytes: number;
  /** Seconds of CPU and of wall clock for the whole run. */
  readonly seconds: Seconds;
}

const BATCH = 256;
const CLASSES = 6;

/** The process's peak resident set (VmHWM), or null where /proc is not there. */
function peakRss(): number | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = status.match(/^VmHWM:\s+(\d+) kB/m);
    return kb === null ? null : Number(kb[1]) * 1024;
  } catch {
    return null;
  }
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)];
}

function percent(v: number): string {
  return Number.isNaN(v) ? "—" : `${(100 * v).toFixed(1)} %`;
}

/** Accuracy of the arg-max of summed class probabilities. */
function accuracyOf(probabilities: Float64Array, labels: ArrayLike<number>): number {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) {
      if (probabilities[r * CLASSES + c] > probabilities[r * CLASSES + best]) best = c;
    }
    if (best === labels[r]) right++;
  }
  return right / labels.length;
}

interface Run {
  trainer: Trainer;
  history: History;
  valAccuracy: number;
}

/** Trains one compiled model with the validation split and early stopping on validation accuracy. */
function fitRun(
  trainer: Trainer,
  x: number[][],
  y: Float64Array,
  options: { epochs: number; patience: number; seed: number },
): Run {
  const history = trainer.fit(x, y, {
    epochs: options.epochs,
    seed: options.seed,
    validationSplit: 0.1,
    earlyStopping: { monitor: "valAccuracy", patience: options.patience, restoreBest: true },
    verbose: 0,
  });
  return { trainer, history, valAccuracy: Math.max(...history.metrics.valAccuracy) };
}

/**
 * The logistic regression on bags of ids: every (learning rate, weight
 * decay) of the grids, chosen by validation accuracy; one compilation per
 * weight decay, the learning rate set between runs from the same initial
 * state.
 */
async function logisticRegression(
  vocab: number,
  x: number[][],
  y: Float64Array,
  maxTokens: number,
  o: { lrGrid: readonly number[]; wdGrid: readonly number[]; epochs: number; patience: number },
  seed: number,
  log: (line: string) => void,
): Promise<Run & { settings: string; epochs: number; seconds: number[] }> {
  let best: (Run & { settings: string; state: ReturnType<Trainer["trainingState"]> }) | undefined;
  let epochs = 0;
  const seconds: number[] = [];
  for (const weightDecay of o.wdGrid) {
    const trainer = await compile(dense(vocab, CLASSES), {
      inputs: tokens({ maxTokens }),
      loss: softmaxCrossEntropy,
      optimizer: adamw({ lr: o.lrGrid[0], weightDecay }),
      batchSize: BATCH,
      seed,
    });
    const initial = trainer.trainingState();
    for (const lr of o.lrGrid) {
      trainer.restoreTrainingState(initial);
      trainer.learningRate = lr;
      const run = fitRun(trainer, x, y, { epochs: o.epochs, patience: o.patience, seed });
      epochs += run.history.loss.length;
      seconds.push(...run.history.seconds);
      const settings = `lr ${lr}, weight decay ${weightDecay}, ${run.history.bestEpoch} epochs`;
      log(`  ${settings}: validation accuracy ${percent(run.valAccuracy)}`);
      if (best === undefined || run.valAccuracy > best.valAccuracy) {
        best = { ...run, settings, state: trainer.trainingState() };
      }
    }
  }
  // the chosen run's parameters, back in its (possibly since reused) trainer
  best!.trainer.restoreTrainingState(best!.state);
  return { ...best!, epochs, seconds };
}

/**
 * Runs the whole comparison; `log` receives the report's lines.
 *
 * @example
 * ```ts ignore
 * import { trainAuthorship } from "./authorship.ts";
 * const r = await trainAuthorship({ lines: 3000, epochs: 3, outDir: null });
 * console.log(r.results.map((m) => `${m.name}: ${m.testAccuracy}`));
 * ```
 */
export async function trainAuthorship(options: AuthorshipOptions = {}): Promise<AuthorshipResult> {
  const elapsed = stopwatch();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 1;
  const epochs = options.epochs ?? 30;
  const patience = options.patience ?? 3;
  const dim = options.dim ?? 32;
  const hidden = options.hidden ?? 0;
  const p = options.dropout ?? 0.3;
  const seeds = options.seeds ?? 1;

  const all = await readAustenLines();
  const stride = Math.max(1, Math.floor(all.text.length / (options.lines ?? all.text.length)));
  const rows = Array.from({ length: Math.ceil(all.text.length / stride) }, (_, i) => i * stride);
  const labels = rows.map((r) => all.label[r]);
  const split = trainTestSplit(rows.map((r) => [r]), labels, {
    testSize: 0.2,
    stratify: true,
    seed,
  });
  const trainRows = Array.from(split.xTrain.data);
  const testRows = Array.from(split.xTest.data);
  const yTrain = split.yTrain;
  const yTest = split.yTest;
  const tokenLists = new Map(rows.map((r) => [r, tokenize(all.text[r])]));
  log(
    `${rows.length} lines with ≥ 4 words of ${all.novels.length} novels: ` +
      `${trainRows.length} to train (10 % of them to validate), ${testRows.length} to test`,
  );

  // Majority class of the training split.
  const counts = new Array(CLASSES).fill(0);
  yTrain.forEach((c) => counts[c]++);
  const majority = counts.indexOf(Math.max(...counts));
  const results: ModelResult[] = [{
    name: "majority class",
    testAccuracy: yTest.filter((c) => c === majority).length / yTest.length,
    valAccuracy: NaN,
    secondsPerEpoch: 0,
    epochs: 0,
    memoryBytes: 0,
    settings: `always "${all.novels[majority]}"`,
  }];

  // Vocabularies on the training split only. The features of a line are
  // made again where needed rather than kept: 59k lines × ~90 strings.
  const words = buildVocabulary(trainRows.map((r) => tokenLists.get(r)!));
  const featuresOf = (r: number) => bagFeatures(tokenLists.get(r)!);
  const features = buildVocabulary(
    (function* () {
      for (const r of trainRows) yield featuresOf(r);
    })(),
    (f) => (f.startsWith("#") ? 3 : f.includes(" ") ? 2 : 1),
  );
  log(
    `vocabularies from the training split: ${words.size} tokens; ${features.size} features ` +
      `(tokens, bigrams seen ≥ 2 times, character 4-grams seen ≥ 3 times)`,
  );
  const wordIds = (r: number) => toIds(words, tokenLists.get(r)!);
  const featureIds = (r: number) => toIds(features, featuresOf(r));
  const capacity = (lists: readonly number[][][]) =>
    BATCH * Math.max(1, ...lists.flatMap((l) => l.map((ids) => ids.length)));
  const grid = {
    lrGrid: options.lrGrid ?? [0.001, 0.003, 0.01],
    wdGrid: options.weightDecayGrid ?? [0, 0.1],
    epochs,
    patience,
  };

  const baselines: { name: string; ids: (r: number) => number[]; vocab: number }[] = [
    { name: "logistic regression, bag of words", ids: wordIds, vocab: words.size },
  ];
  if (options.compareFeatures) {
    baselines.push({
      name: "logistic regression, the model's features",
      ids: featureIds,
      vocab: features.size,
    });
  }
  let baselineHistory: History | undefined;
  for (const b of baselines) {
    log(`${b.name}: choosing the learning rate and weight decay on the validation split`);
    const x = trainRows.map(b.ids);
    const xTest = testRows.map(b.ids);
    const run = await logisticRegression(
      b.vocab,
      x,
      yTrain,
      capacity([x, xTest]),
      grid,
      seed,
      log,
    );
    baselineHistory ??= run.history;
    results.push({
      name: b.name,
      testAccuracy: run.trainer.evaluate(xTest, yTest).accuracy!,
      valAccuracy: run.valAccuracy,
      secondsPerEpoch: median(run.seconds),
      epochs: run.epochs,
      memoryBytes: run.trainer.artifact.memoryBytes,
      settings: run.settings,
    });
  }

  // The model.
  const model = chain(
    embeddingBag(features.size, dim),
    dropout(p),
    ...(hidden > 0
      ? [dense(dim, hidden), relu, dropout(p), dense(hidden, CLASSES)]
      : [dense(dim, CLASSES)]),
  );
  const name = `embedding bag ${features.size}×${dim} → dropout ${p} → ` +
    (hidden > 0 ? `dense ${hidden} → ReLU → dropout → dense ${CLASSES}` : `dense ${CLASSES}`) +
    (seeds > 1 ? `, mean of ${seeds} seeds` : "");
  log(`model: ${name}`);
  const xTrain = trainRows.map(featureIds);
  const xTest = testRows.map(featureIds);
  const probabilities = new Float64Array(xTest.length * CLASSES);
  let history: History | undefined;
  let memoryBytes = 0;
  const valAccuracies: number[] = [];
  const modelSeconds: number[] = [];
  let modelEpochs = 0;
  for (let k = 0; k < seeds; k++) {
    const trainer = await compile(model, {
      inputs: tokens({ maxTokens: capacity([xTrain, xTest]) }),
      loss: softmaxCrossEntropy,
      optimizer: adam({ lr: options.lr ?? 0.003 }),
      batchSize: BATCH,
      seed: seed + k,
    });
    const run = fitRun(trainer, xTrain, yTrain, { epochs, patience, seed: seed + k });
    log(
      `  seed ${seed + k}: ${run.history.loss.length} epochs, best ${run.history.bestEpoch}: ` +
        `validation accuracy ${percent(run.valAccuracy)}`,
    );
    history ??= run.history;
    memoryBytes = trainer.artifact.memoryBytes;
    valAccuracies.push(run.valAccuracy);
    modelSeconds.push(...run.history.seconds);
    modelEpochs += run.history.loss.length;
    trainer.predictProba(xTest).forEach((v, i) => (probabilities[i] += v));
  }
  results.push({
    name: `MLP: ${name}`,
    testAccuracy: accuracyOf(probabilities, yTest),
    valAccuracy: valAccuracies.reduce((a, b) => a + b) / valAccuracies.length,
    secondsPerEpoch: median(modelSeconds),
    epochs: modelEpochs,
    memoryBytes,
    settings: `Adam lr ${options.lr ?? 0.003}, batch ${BATCH}`,
  });

  // Learning curves.
  const svgs: Record<string, string> = {
    "learning_curve.svg": await learningCurve(curveSeries(history!, ["accuracy"]), {
      title: `Austen authorship: ${name}`,
    }),
    "baseline_learning_curve.svg": await learningCurve(
      curveSeries(baselineHistory!, ["accuracy"]),
      { title: "Austen authorship: bag-of-words logistic regression (chosen run)" },
    ),
  };
  let written: string[] = [];
  const dir = options.outDir === null ? null : options.outDir ?? outputFolder("authorship");
  if (dir !== null && !(await writableFolder(dir))) {
    log("(no SVG written: run with --allow-write=examples/out to get the charts)");
  } else if (dir !== null) {
    written = await writeFiles(dir, svgs);
  }

  const seconds = elapsed();
  const rssBytes = peakRss() ?? Deno.memoryUsage().rss;
  const mib = (b: number) => (b === 0 ? "—" : `${(b / 2 ** 20).toFixed(1)} MiB`);
  log("");
  log(report(results, mib));
  const lr = results[1];
  const mlp = results[results.length - 1];
  log(
    `MLP − bag-of-words logistic regression: ${
      (100 * (mlp.testAccuracy - lr.testAccuracy)).toFixed(1)
    } points of test accuracy`,
  );
  log(
    `peak process memory (RSS) ${mib(rssBytes)}; ${seconds.wall.toFixed(1)} s wall clock, ` +
      `${seconds.cpu.toFixed(1)} s CPU`,
  );
  for (const path of written) log(`wrote ${path}`);
  log("");
  log(`MLP: ${lossChart(history!)}`);
  return {
    trainLines: trainRows.length,
    testLines: testRows.length,
    vocabulary: { words: words.size, features: features.size },
    results,
    history: history!,
    baselineHistory: baselineHistory!,
    svgs,
    written,
    rssBytes,
    seconds,
  };
}

function report(results: readonly ModelResult[], mib: (b: number) => string): string {
  return table(
    ["model", "test acc.", "val. acc.", "s/epoch", "epochs run", "memory", "settings"],
    results.map((r) => [
      r.name,
      percent(r.testAccuracy),
      percent(r.valAccuracy),
      r.secondsPerEpoch === 0 ? "—" : r.secondsPerEpoch.toFixed(2),
      r.epochs,
      mib(r.memoryBytes),
      r.settings,
    ]),
  );
}

if (import.meta.main) {
  const args = parseArgs({
    args: Deno.args,
    options: {
      lines: { type: "string" },
      epochs: { type: "string" },
      hidden: { type: "string" },
      seeds: { type: "string" },
      "compare-features": { type: "boolean", default: false },
    },
  });
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  await trainAuthorship({
    lines: number(args.values.lines),
    epochs: number(args.values.epochs),
    hidden: number(args.values.hidden),
    seeds: number(args.values.seeds),
    compareFeatures: args.values["compare-features"],
    log: console.log,
  });
}
