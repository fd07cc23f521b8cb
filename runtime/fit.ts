/**
 * The training loop: gradient descent over epochs, until a stopping
 * criterion holds — the maximum number of epochs, early stopping (the
 * monitored value improved by less than `minDelta` for `patience` epochs), a
 * target value, a callback returning `"stop"` or an aborted signal. Each
 * epoch runs shuffled batches (one compiled step each), with the learning
 * rate a schedule gives, then measures the validation data; the history
 * records losses, metrics and the learning rate of every epoch.
 *
 * The loop is one generator that yields after every batch: `fit` runs it
 * straight through; `fitAsync` lets the event loop run between batches, so
 * timers, signals and abort controllers work while training.
 *
 * @module
 */

import { DivergenceError, InputError } from "../core/errors.ts";
import { checkNumber, checkOptionNames, describeValue } from "../core/options.ts";
import { fitDiverged } from "./divergence.ts";
import { type Labels, toLabels } from "./data.ts";
import { type Inputs, readFeed } from "./feed.ts";
import { lossAndPredictions, metricNames, metricsOf } from "./evaluate.ts";
import { type FitData, sampleWeights, splitValidation } from "./fit_data.ts";
import type { CompiledModule } from "./module.ts";
import { permutation } from "./prng.ts";
import {
  lineReporter,
  type ProgressFactory,
  type ProgressReporter,
  silentReporter,
} from "./progress.ts";
import {
  checkSchedule,
  learningRateAt,
  type PlateauState,
  plateauStep,
  type Schedule,
} from "./schedules.ts";
import {
  EarlyStopping,
  type EarlyStoppingOptions,
  Target,
  type TargetOptions,
} from "./stopping.ts";

/** Validation data: `{ x, y }` or `[x, y]`. */
export type ValidationData =
  | { readonly x: Inputs; readonly y: Labels }
  | readonly [Inputs, Labels];

/** What a callback may return: `"stop"` ends training after the current batch or epoch. */
export type CallbackResult = void | "stop";

/** Options of `fit`. Unknown names and wrong types are `InputError`s. */
export interface FitOptions {
  /** The maximum number of passes over the data (default 1). */
  epochs?: number;
  /** Samples per step, up to the compiled `batchSize` (default: the compiled size). */
  batchSize?: number;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** Shuffle samples each epoch (default true). */
  shuffle?: boolean;
  /** Data to measure after each epoch (loss and metrics, recorded as `valLoss`, `valAccuracy`, …). */
  validationData?: ValidationData;
  /**
   * Fraction of the data, in (0, 1), to hold out for validation instead:
   * taken before shuffling — the last samples, or for classifiers the last
   * samples of each class (stratified) — so it is the same on every call.
   */
  validationSplit?: number;
  /** Stop when the monitored value improved by less than `minDelta` for `patience` epochs. */
  earlyStopping?: EarlyStoppingOptions;
  /** Stop as soon as a monitored value reaches a target (e.g. `{ monitor: "loss", value: 0.01 }`). */
  target?: TargetOptions;
  /** Learning-rate schedule (see `schedules.ts`), or a function `(step, epoch) => lr`. */
  schedule?: Schedule;
  /** Weight of each class's samples in the loss, by class id (needs `sampleWeights` at compile). */
  classWeight?: Readonly<Record<number, number>> | readonly number[];
  /** Weight of each sample in the loss (needs `sampleWeights` at compile). */
  sampleWeight?: ArrayLike<number>;
  /** Called after each epoch; returning `"stop"` ends training. */
  onEpoch?: (info: EpochInfo) => CallbackResult;
  /** Called after each batch; returning `"stop"` ends training after it. */
  onBatch?: (info: BatchInfo) => CallbackResult;
  /** Training stops before the next batch once this signal is aborted. */
  signal?: AbortSignal;
  /**
   * 0: silent; 1: a live progress bar on a terminal (one line per epoch when
   * stdout is not a terminal); 2: one line per epoch. Default: 1 when stdout
   * is a terminal, else 0.
   */
  verbose?: 0 | 1 | 2;
}

const FIT_OPTIONS = [
  "epochs",
  "batchSize",
  "seed",
  "shuffle",
  "validationData",
  "validationSplit",
  "earlyStopping",
  "target",
  "schedule",
  "classWeight",
  "sampleWeight",
  "onEpoch",
  "onBatch",
  "signal",
  "verbose",
];

/** What `onEpoch` receives. */
export interface EpochInfo {
  /** Epoch number within this `fit` call, from 1. */
  readonly epoch: number;
  /**
   * Training loss over the epoch's samples: the mean of the batch losses
   * weighted by batch size, or their sum for a loss with `reduction: "sum"`.
   */
  readonly loss: number;
  /** Seconds the epoch took. */
  readonly seconds: number;
  /** The learning rate of the epoch's first step. */
  readonly lr: number;
  /** Validation loss, with validation data. */
  readonly valLoss?: number;
  /** Every recorded value of the epoch, by history key (`loss`, `accuracy`, `valLoss`, …). */
  readonly logs: Readonly<Record<string, number>>;
}

/** What `onBatch` receives. */
export interface BatchInfo {
  /** Epoch number within this `fit` call, from 1. */
  readonly epoch: number;
  /** Batch number within the epoch, from 1. */
  readonly batch: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** Samples in this batch. */
  readonly size: number;
  /** This batch's loss (its mean, or its sum for a loss with `reduction: "sum"`). */
  readonly loss: number;
  /** The learning rate this step used. */
  readonly lr: number;
  /** Training steps taken by the trainer so far (this one included). */
  readonly step: number;
}

/**
 * Why `fit` stopped; `"diverged"` only in the history a `DivergenceError`
 * carries.
 */
export type StopReason =
  | "epochs"
  | "earlyStopping"
  | "target"
  | "callback"
  | "aborted"
  | "diverged";

/** What `fit` returns: one entry per epoch run, in every array. */
export interface History {
  /** Training loss of each epoch (as `EpochInfo.loss`). */
  readonly loss: number[];
  /** Validation loss of each epoch (empty without validation data). */
  readonly valLoss: number[];
  /**
   * Metrics of each epoch, by key: training metrics over the epoch's
   * batches (`accuracy`, `f1Macro`, `mae`, …, as `evaluate` names them) and
   * validation metrics (`valAccuracy`, `valF1Macro`, …).
   */
  readonly metrics: Record<string, number[]>;
  /** The learning rate of each epoch's first step. */
  readonly lr: number[];
  /** The learning rate of every step, in order. */
  readonly stepLr: number[];
  /** Seconds of each epoch. */
  readonly seconds: number[];
  /** Why training stopped. */
  stopReason: StopReason;
  /** With early stopping: the epoch (from 1) with the best monitored value. */
  bestEpoch?: number;
  /** With `restoreBest`: the epoch whose parameters were put back. */
  restoredEpoch?: number;
}

/** What the trainer hands the loop besides the data and options. */
export interface FitContext {
  /** The live progress bar, when the trainer has one (see `progress.ts`). */
  readonly progressBar?: ProgressFactory;
  /** Applied to every input (the trainer's preprocessing), if any. */
  readonly prepare?: (x: Inputs) => Inputs;
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
    throw new InputError(`A seed must be an integer in 0..4294967295, got ${describeValue(seed)}`);
  }
  return seed;
}

/**
 * One training step on one batch (at most `maxBatch` samples); returns the
 * batch's mean loss. When the loss or any value the step wrote into the
 * parameters or optimizer state is not finite, the state from before the
 * step is restored and a `DivergenceError` thrown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse, sgd } from "../mod.ts";
 * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 2 });
 * assert.ok(Number.isFinite(t.trainBatch([[1], [2]], [[2], [4]])));
 * ```
 */
export function trainOneBatch(m: CompiledModule, x: Inputs, y: Labels): number {
  const samples = readFeed(m, x);
  const labels = toLabels(y, samples.rows, m.spec);
  const min = m.artifact.minTrainBatch ?? 1;
  if (samples.rows < min || samples.rows > m.artifact.maxBatch) {
    throw new InputError(
      `A training batch must have ${min}..${m.artifact.maxBatch} samples (the compiled ` +
        `batchSize${min > 1 ? "; batch statistics need at least 2" : ""}), got ${samples.rows}`,
    );
  }
  m.writeBatch(samples, labels, null, 0, samples.rows);
  m.checkpoint();
  return m.trainStep(samples.rows);
}

/**
 * Refuses, before any step, data whose last batch (or every batch) would be
 * smaller than a model with batch statistics accepts (PyTorch raises on such
 * a batch too).
 */
function checkLastBatch(rows: number, batch: number, min: number): void {
  const last = rows % batch === 0 ? Math.min(rows, batch) : rows % batch;
  if (last >= min) return;
  throw new InputError(
    `The last batch of ${rows} samples in batches of ${batch} would have ${last} sample(s), but ` +
      `the model normalizes with batch statistics (batchNorm), which need at least ${min}: ` +
      `drop or add a sample, or use another batchSize`,
  );
}

function isTerminal(): boolean {
  try {
    return globalThis.Deno?.stdout?.isTerminal?.() ?? false;
  } catch {
    return false;
  }
}

function reporterFor(verbose: unknown, context: FitContext): ProgressReporter {
  if (verbose !== undefined && verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new InputError(`fit option verbose must be 0, 1 or 2, got ${describeValue(verbose)}`);
  }
  const terminal = isTerminal();
  const level = verbose ?? (terminal ? 1 : 0);
  if (level === 0) return silentReporter();
  if (level === 1 && terminal && context.progressBar !== undefined) return context.progressBar();
  return lineReporter((line) => console.log(line))();
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new InputError(`fit option ${name} must be a function, got ${describeValue(value)}`);
  }
}

function readData(m: CompiledModule, x: Inputs, y: Labels, context: FitContext, what = "x") {
  const feed = readFeed(m, context.prepare === undefined ? x : context.prepare(x), what);
  const labels = toLabels(y, feed.rows, m.spec);
  return { x: feed, y: labels, rows: feed.rows };
}

function readValidation(m: CompiledModule, data: unknown, context: FitContext): FitData {
  let x: unknown;
  let y: unknown;
  if (Array.isArray(data) && data.length === 2) {
    [x, y] = data;
  } else if (typeof data === "object" && data !== null && "x" in data && "y" in data) {
    ({ x, y } = data as { x: unknown; y: unknown });
  } else {
    throw new InputError(
      `fit option validationData must be { x, y } or [x, y], got ${describeValue(data)}`,
    );
  }
  const read = readData(m, x as Inputs, y as Labels, context, "validationData.x");
  if (read.rows === 0) throw new InputError("validationData needs at least one sample");
  return { ...read, weights: null };
}

const capitalized = (key: string) => key[0].toUpperCase() + key.slice(1);

/** Numeric metrics only (the history and monitors hold numbers). */
function numericMetrics(metrics: Record<string, unknown>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value !== "number" || key === "topK") continue;
    out[prefix === "" ? key : `${prefix}${capitalized(key)}`] = value;
  }
  return out;
}

/** The keys a fit's logs will have, to check monitors before training. */
function knownKeys(m: CompiledModule, validation: boolean, topK: number): string[] {
  const keys = ["loss", ...metricNames(m, topK)];
  return validation ? [...keys, ...keys.map((k) => `val${capitalized(k)}`), "lr"] : [...keys, "lr"];
}

function checkMonitor(what: string, monitor: string, known: readonly string[]): void {
  if (known.includes(monitor)) return;
  const hint = monitor.startsWith("val") && !known.includes("valLoss")
    ? ": fit has no validation data (give validationData or validationSplit)"
    : "";
  throw new InputError(
    `${what} monitors "${monitor}", which this fit does not record${hint}. ` +
      `It records ${known.join(", ")}`,
  );
}

/**
 * Trains over in-memory data until a stopping criterion holds (see the
 * module documentation and `FitOptions`); returns the history.
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
  x: Inputs,
  y: Labels,
  options: FitOptions = {},
  context: FitContext = {},
): History {
  const run = fitSteps(m, x, y, options, context);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/**
 * `fitLoop` that lets the event loop run between batches (at most every
 * 20 ms), so a timer or another task can abort `signal` while it trains.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse, sgd } from "../mod.ts";
 * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 2 });
 * const h = await t.fitAsync([[0], [1]], [[1], [3]], { epochs: 3 });
 * assert.equal(h.loss.length, 3);
 * ```
 */
export async function fitLoopAsync(
  m: CompiledModule,
  x: Inputs,
  y: Labels,
  options: FitOptions = {},
  context: FitContext = {},
): Promise<History> {
  const run = fitSteps(m, x, y, options, context);
  let last = performance.now();
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
    if (performance.now() - last >= 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
  }
}

/** The loop, yielding after every batch. */
function* fitSteps(
  m: CompiledModule,
  x: Inputs,
  y: Labels,
  options: FitOptions,
  context: FitContext,
): Generator<void, History> {
  checkOptionNames("fit", options, FIT_OPTIONS, InputError);
  const epochs = checkNumber(
    "fit",
    "epochs",
    options.epochs ?? 1,
    { integer: true, min: 0 },
    InputError,
  );
  const maxBatch = m.artifact.maxBatch;
  const batchSize = checkNumber(
    "fit",
    "batchSize",
    options.batchSize ?? maxBatch,
    { integer: true, min: 1, max: maxBatch },
    InputError,
  );
  const seed = checkSeed(options.seed ?? 0);
  if (options.shuffle !== undefined && typeof options.shuffle !== "boolean") {
    throw new InputError(
      `fit option shuffle must be a boolean, got ${describeValue(options.shuffle)}`,
    );
  }
  checkFunction("onEpoch", options.onEpoch);
  checkFunction("onBatch", options.onBatch);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new InputError(
      `fit option signal must be an AbortSignal, got ${describeValue(options.signal)}`,
    );
  }
  const schedule = options.schedule === undefined ? undefined : checkSchedule(options.schedule);
  if (options.validationData !== undefined && options.validationSplit !== undefined) {
    throw new InputError("fit takes validationData or validationSplit, not both");
  }

  const read = readData(m, x, y, context);
  if (read.rows === 0) throw new InputError("fit needs at least one sample");
  const weights = sampleWeights(m, read.y, read.rows, options.sampleWeight, options.classWeight);
  let train: FitData = { ...read, weights };
  let validation: FitData | null = null;
  if (options.validationSplit !== undefined) {
    const fraction = checkNumber(
      "fit",
      "validationSplit",
      options.validationSplit,
      { min: 0, minOpen: true, max: 1 },
      InputError,
    );
    if (fraction === 1) throw new InputError("fit option validationSplit must be below 1, got 1");
    ({ train, validation } = splitValidation(m, train, fraction));
  } else if (options.validationData !== undefined) {
    validation = readValidation(m, options.validationData, context);
  }

  const topK = 5;
  const fallback = validation === null ? "loss" : "valLoss";
  const known = knownKeys(m, validation !== null, topK);
  const early = options.earlyStopping === undefined
    ? null
    : new EarlyStopping(options.earlyStopping, fallback);
  const target = options.target === undefined ? null : new Target(options.target, fallback);
  if (early !== null) checkMonitor("earlyStopping", early.monitor, known);
  if (target !== null) checkMonitor("target", target.monitor, known);
  const plateau = schedule !== undefined && typeof schedule !== "function" &&
      schedule.kind === "reduceOnPlateau"
    ? schedule
    : null;
  if (plateau !== null) checkMonitor("reduceOnPlateau", plateau.monitor ?? fallback, known);
  const plateauState: PlateauState = {
    best: plateau?.mode === "max" ? -Infinity : Infinity,
    badEpochs: 0,
    cooldownLeft: 0,
  };

  const batches = Math.ceil(train.rows / batchSize);
  checkLastBatch(train.rows, batchSize, m.artifact.minTrainBatch ?? 1);
  // Token lists and sparse rows: any batchSize samples must fit the compiled capacity.
  train.x.checkBatchSize(batchSize);
  const baseLr = m.artifact.optimizer.lr;
  const totalSteps = m.step + epochs * batches; // the last step this fit may take, for oneCycle
  const lrFor = (position: "epoch" | "step"): number | null => {
    if (schedule === undefined || plateau !== null) return null;
    if (typeof schedule === "function") {
      if (position === "epoch") return null;
      const lr = schedule(m.step, m.epoch - 1);
      if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
        throw new InputError(
          `The schedule function returned ${describeValue(lr)} at step ${m.step}, epoch ${
            m.epoch - 1
          }: it must return a finite learning rate ≥ 0`,
        );
      }
      return lr;
    }
    if (schedule.kind === "reduceOnPlateau") return null;
    const unit = schedule.kind === "oneCycle" ? "step" : schedule.unit;
    if (unit !== position) return null;
    return learningRateAt(
      schedule,
      baseLr,
      position === "epoch" ? m.epoch - 1 : m.step,
      totalSteps,
    );
  };

  const history: History = {
    loss: [],
    valLoss: [],
    metrics: {},
    lr: [],
    stepLr: [],
    seconds: [],
    stopReason: "epochs",
  };
  const outputs = m.artifact.outputs;
  const perLabel = train.y.length / train.rows;
  const seenLabels = new Float64Array(train.y.length);
  const seenPredictions = new Float64Array(train.rows * outputs);
  let best: Record<string, Float32Array | Float64Array> | null = null;
  const reporter = reporterFor(options.verbose, context);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const start = performance.now();
      // The last good state, restored by a diverging step: the start of the epoch.
      m.checkpoint();
      const stepsBefore = history.stepLr.length;
      m.epoch++;
      // The shuffle depends on the epoch count since the trainer was created (or
      // the state was restored), so repeated fit calls and resumed training
      // never repeat an order.
      const order = options.shuffle === false ? null : permutation(train.rows, seed, m.epoch);
      const epochLr = lrFor("epoch");
      if (epochLr !== null) m.learningRate = epochLr;
      reporter.epochStart(epoch, epochs, batches);
      // The epoch's loss: the mean of batch losses weighted by batch size, or
      // their sum for a loss with reduction "sum".
      const summed = m.artifact.lossReduction === "sum";
      let total = 0;
      let seen = 0;
      let stop: StopReason | null = null;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          stop = "aborted";
          break;
        }
        const from = b * batchSize;
        const n = Math.min(batchSize, train.rows - from);
        const stepLr = lrFor("step");
        if (stepLr !== null) m.learningRate = stepLr;
        const lr = m.learningRate;
        m.writeBatch(train.x, train.y, order, from, n, train.weights);
        let loss: number;
        try {
          loss = m.trainStep(n);
        } catch (e) {
          if (!(e instanceof DivergenceError)) throw e;
          // The history of the epochs completed before, without the diverged epoch's entries.
          const done = history.loss.length;
          const before: History = {
            ...history,
            lr: history.lr.slice(0, done),
            stepLr: history.stepLr.slice(0, stepsBefore),
            stopReason: "diverged",
          };
          throw fitDiverged(e, before, epoch);
        }
        history.stepLr.push(lr);
        if (b === 0) history.lr.push(lr);
        // The batch's predictions (made before the update) and labels, for the epoch's metrics.
        seenPredictions.set(m.predictions(n), seen * outputs);
        for (let r = 0; r < n; r++) {
          const row = order === null ? from + r : order[from + r];
          for (let c = 0; c < perLabel; c++) {
            seenLabels[(seen + r) * perLabel + c] = train.y[row * perLabel + c];
          }
        }
        total += summed ? loss : loss * n;
        seen += n;
        const elapsed = (performance.now() - start) / 1000;
        reporter.batch({
          epoch,
          epochs,
          batch: b + 1,
          batches,
          loss: summed ? total : total / seen,
          samplesPerSecond: elapsed > 0 ? seen / elapsed : 0,
        });
        const said = options.onBatch?.({
          epoch,
          batch: b + 1,
          batches,
          size: n,
          loss,
          lr,
          step: m.step,
        });
        if (said === "stop") {
          stop = "callback";
          break;
        }
        yield;
      }
      if (seen === 0) {
        // Aborted before the epoch's first batch: nothing to record.
        m.epoch--;
        history.stopReason = stop ?? "aborted";
        break;
      }
      const logs: Record<string, number> = { loss: summed ? total : total / seen };
      Object.assign(
        logs,
        numericMetrics(
          metricsOf(
            m,
            seenLabels.subarray(0, seen * perLabel),
            seenPredictions.subarray(0, seen * outputs),
            seen,
            topK,
          ),
          "",
        ),
      );
      if (validation !== null) {
        const v = lossAndPredictions(m, validation.x, validation.y, validation.rows);
        logs.valLoss = v.loss;
        Object.assign(
          logs,
          numericMetrics(metricsOf(m, validation.y, v.predictions, validation.rows, topK), "val"),
        );
      }
      logs.lr = history.lr[history.lr.length - 1];
      const seconds = (performance.now() - start) / 1000;
      history.loss.push(logs.loss);
      if (logs.valLoss !== undefined) history.valLoss.push(logs.valLoss);
      history.seconds.push(seconds);
      for (const [key, value] of Object.entries(logs)) {
        if (key === "loss" || key === "valLoss" || key === "lr") continue;
        (history.metrics[key] ??= []).push(value);
      }
      reporter.epochEnd({
        epoch,
        epochs,
        seconds,
        logs,
        ...(logs.valAccuracy !== undefined
          ? { shown: "valAccuracy" }
          : logs.valLoss !== undefined
          ? { shown: "valLoss" }
          : {}),
      });
      const monitored = (what: string, key: string): number => {
        const value = logs[key];
        if (value === undefined) {
          throw new InputError(
            `${what} monitors "${key}", which epoch ${epoch} could not measure (ROC AUC needs ` +
              `both classes in the data)`,
          );
        }
        return value;
      };
      if (plateau !== null) {
        const key = plateau.monitor ?? fallback;
        m.learningRate = plateauStep(
          plateau,
          plateauState,
          m.learningRate,
          monitored("reduceOnPlateau", key),
        );
      }
      if (early !== null) {
        const value = monitored("earlyStopping", early.monitor);
        const improved = early.improves(value);
        const stopNow = early.update(value);
        if (improved && early.restoreBest) {
          best = {};
          for (const p of m.artifact.params) best[p.name] = m.read(p.name);
        }
        if (stopNow) stop ??= "earlyStopping";
        history.bestEpoch = early.bestEpoch;
      }
      if (target !== null && target.reached(monitored("target", target.monitor))) {
        stop ??= "target";
      }
      const info: EpochInfo = {
        epoch,
        loss: logs.loss,
        seconds,
        lr: logs.lr,
        ...(logs.valLoss === undefined ? {} : { valLoss: logs.valLoss }),
        logs,
      };
      if (options.onEpoch?.(info) === "stop") stop ??= "callback";
      if (stop !== null) {
        history.stopReason = stop;
        break;
      }
    }
  } finally {
    reporter.close();
  }
  if (best !== null && early !== null) {
    for (const [name, values] of Object.entries(best)) m.write(name, values);
    history.restoredEpoch = early.bestEpoch;
  }
  return history;
}
