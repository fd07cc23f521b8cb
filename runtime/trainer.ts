/**
 * The runtime's public face: `instantiate` an artifact into a `Trainer`,
 * which trains, evaluates and predicts with it. A batch is written straight
 * into the module's memory (no allocation per step); one call runs a whole
 * training step — forward, loss, backward and optimizer update — and returns
 * the loss. The work is done by `module.ts` (buffers and one step),
 * `fit.ts` (the training loop), `evaluate.ts` and `state.ts`.
 *
 * @module
 */

import type { Artifact, Inspection } from "../core/artifact.ts";
import { MATH_IMPORTS } from "../core/contract.ts";
import { InputError } from "../core/errors.ts";
import { describeValue } from "../core/options.ts";
import { applyScaler, checkScaler, type ScalerData } from "../core/preprocessing.ts";
import { type Labels, type Samples, toSamples } from "./data.ts";
import type { Inputs } from "./feed.ts";
import { isDenseSignature } from "../core/inputs.ts";
import { signatureOf } from "./feed.ts";
import {
  evaluateData,
  type EvaluateOptions,
  type Evaluation,
  predictClassesData,
  predictData,
  predictProbaData,
} from "./evaluate.ts";
import {
  checkSeed,
  type FitContext,
  fitLoop,
  fitLoopAsync,
  type FitOptions,
  type History,
  trainOneBatch,
} from "./fit.ts";
import type { ProgressFactory } from "./progress.ts";
import { initParam } from "./init_params.ts";
import { CompiledModule, type ModuleExports } from "./module.ts";
import { verifyArtifact } from "./verify_artifact.ts";
import {
  ARCHITECTURE,
  captureState,
  checkArchitecture,
  checkValues,
  restoreState,
  type TrainingState,
} from "./state.ts";
import { instantiateThreaded, type ThreadPool } from "./threads.ts";

export type {
  BatchInfo,
  CallbackResult,
  EpochInfo,
  FitOptions,
  History,
  StopReason,
  ValidationData,
} from "./fit.ts";
export type { EvaluateOptions, Evaluation } from "./evaluate.ts";
export type { TrainingState } from "./state.ts";

/**
 * Instantiates an artifact. Parameters start from `seed` (default 0). The
 * artifact is verified first (`verify_artifact.ts`): metadata, module and
 * layout record must agree, or an `ArtifactError` says what does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, mse, sgd, tanh } from "../mod.ts";
 * import { instantiate } from "./trainer.ts";
 * const trainer = await compile(chain(dense(2, 4), tanh, dense(4, 1)), {
 *   loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 4,
 * });
 * const copy = await instantiate(trainer.artifact, { seed: 3 });
 * assert.ok(copy.predict([[0, 1]]).length === 1);
 * ```
 */
export async function instantiate(
  artifact: Artifact,
  options: InstantiateOptions = {},
): Promise<Trainer> {
  // Compiling allocates no memory: the artifact is checked before it runs.
  const module = await WebAssembly.compile(artifact.wasm);
  verifyArtifact(artifact, module);
  const built = artifact.threads ?? 1;
  const asked = options.threads ?? built;
  if (!Number.isInteger(asked) || asked < 1) {
    throw new InputError(`threads must be an integer ≥ 1, got ${describeValue(asked)}`);
  }
  if (asked !== 1 && asked !== built) {
    throw new InputError(
      `This artifact was compiled for ${built} thread${built === 1 ? "" : "s"}: ` +
        `it runs on ${built === 1 ? "1" : `${built} or 1`}, not ${asked}`,
    );
  }
  let exports: WebAssembly.Exports;
  let pool: ThreadPool | null = null;
  let note: string | undefined;
  if (built > 1) {
    ({ exports, pool, note } = await instantiateThreaded(
      artifact.wasm,
      artifact.memoryBytes,
      asked,
      { module },
    ));
  } else {
    ({ exports } = await WebAssembly.instantiate(module, { env: MATH_IMPORTS }));
  }
  const trainer = new Trainer(
    artifact,
    exports as unknown as ModuleExports,
    options.seed ?? 0,
    options.inspection,
    pool,
    note,
  );
  if (options.progressBar !== undefined) trainer.progressBar = options.progressBar;
  return trainer;
}

/** Ends the workers of trainers that were garbage-collected without `dispose`. */
const abandoned = new FinalizationRegistry<ThreadPool>((pool) => void pool.dispose());

/** Options of `instantiate`. */
export interface InstantiateOptions {
  /** Seed of the parameter initialization (default 0). */
  seed?: number;
  /** What the compiler generated, for `inspect`. */
  inspection?: Inspection;
  /**
   * The live progress bar `fit` shows on a terminal with `verbose: 1`
   * (`compile` and the `mod.ts` entry's `load` give one made with
   * `npm:cli-progress`; without it, fit prints one line per epoch).
   */
  progressBar?: ProgressFactory;
  /**
   * Threads to run an artifact compiled for several threads
   * (`artifact.threads`) on: its own count (the default) or 1, which runs it
   * on this thread alone (the same results, bit for bit). Where
   * `SharedArrayBuffer` or workers are unavailable it runs on one thread
   * anyway (`trainer.threads` tells).
   */
  threads?: number;
}

/**
 * A compiled model, ready to train. Create one with `compile` (or
 * `instantiate` for an artifact compiled earlier).
 */
export class Trainer {
  /** The compiled artifact (plain data). */
  readonly artifact: Artifact;
  readonly #m: CompiledModule;
  readonly #inspection: Inspection | undefined;
  readonly #pool: ThreadPool | null;
  readonly #threadsNote: string | undefined;
  #scaler: ScalerData | null = null;
  /** The progress bar `fit` shows on a terminal (see `InstantiateOptions`). */
  progressBar: ProgressFactory | undefined;

  /** Use `compile` or `instantiate` rather than this constructor. */
  constructor(
    artifact: Artifact,
    exports: ModuleExports,
    seed: number,
    inspection?: Inspection,
    pool: ThreadPool | null = null,
    threadsNote?: string,
  ) {
    this.artifact = artifact;
    this.#m = new CompiledModule(artifact, exports);
    this.#inspection = inspection;
    this.#pool = pool;
    this.#threadsNote = threadsNote;
    if (pool !== null) abandoned.register(this, pool, this);
    this.#m.seed = checkSeed(seed);
    for (const p of artifact.params) this.#m.write(p.name, initParam(p, seed));
    for (const r of artifact.running ?? []) this.#m.write(r.name, initParam(r, seed));
    this.#m.resetOptimizerState();
  }

  /**
   * One training step on one batch (at most `maxBatch` samples); returns the
   * batch's mean loss.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse, sgd } from "../mod.ts";
   * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 2 });
   * assert.ok(Number.isFinite(t.trainBatch([[1], [2]], [[2], [4]])));
   * ```
   */
  trainBatch(x: Inputs, y: Labels): number {
    return trainOneBatch(this.#m, this.#prepare(x), y);
  }

  /**
   * Trains by gradient descent over epochs, until a stopping criterion
   * holds: the maximum number of epochs, early stopping (the monitored value
   * improved by less than `minDelta` for `patience` epochs), a target value,
   * a callback returning `"stop"` or an aborted `signal`. Batches are
   * shuffled with `seed`; the learning rate follows `schedule`; validation
   * data (or a `validationSplit`) is measured after every epoch. Returns the
   * history: losses, metrics and learning rates per epoch. See `FitOptions`.
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
  fit(x: Inputs, y: Labels, options: FitOptions = {}): History {
    return fitLoop(this.#m, x, y, options, this.#context());
  }

  /**
   * `fit` that lets the event loop run between batches, so an `AbortSignal`
   * aborted by a timer, a signal handler or a user interface stops training.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse, sgd } from "../mod.ts";
   * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 1 });
   * const controller = new AbortController();
   * controller.abort();
   * const h = await t.fitAsync([[0], [1]], [[1], [3]], { epochs: 5, signal: controller.signal });
   * assert.equal(h.stopReason, "aborted");
   * ```
   */
  fitAsync(x: Inputs, y: Labels, options: FitOptions = {}): Promise<History> {
    return fitLoopAsync(this.#m, x, y, options, this.#context());
  }

  #context(): FitContext {
    return {
      ...(this.progressBar === undefined ? {} : { progressBar: this.progressBar }),
      ...(this.#scaler === null ? {} : { prepare: (x: Inputs) => this.#prepare(x) }),
    };
  }

  #prepare(x: Inputs): Inputs {
    if (this.#scaler === null) return x;
    const samples = toSamples(x as Samples, this.#m.spec);
    return {
      data: applyScaler(this.#scaler, samples.data),
      shape: [samples.rows, this.artifact.inputFeatures],
    };
  }

  /**
   * The scaler applied to every input before the model sees it (fit,
   * evaluate, predict…), or null. Set it to a scaler from the data entry
   * point (`standardScaler(xTrain)`) to train and predict on raw inputs; it
   * is saved with the model.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(1, 1), { loss: mse, batchSize: 2 });
   * t.setParams({ weight: [1], bias: [0] });
   * t.preprocessing = { kind: "standardScaler", mean: [10], scale: [2] };
   * assert.equal(t.predict([14])[0], 2); // (14 − 10) / 2
   * ```
   */
  get preprocessing(): ScalerData | null {
    return this.#scaler;
  }

  set preprocessing(scaler: ScalerData | null) {
    if (scaler !== null && !isDenseSignature(signatureOf(this.artifact))) {
      throw new InputError(
        "A preprocessing scaler applies to a model with one dense input; this model reads " +
          "token ids, token lists, sparse rows or named inputs: scale numeric inputs yourself",
      );
    }
    this.#scaler = scaler === null ? null : checkScaler(scaler, this.artifact.inputFeatures);
  }

  /**
   * The mean loss and the metrics that fit the loss, over a data set;
   * parameters are not changed. Classifiers get accuracy, precision, recall
   * and F1 (macro and micro), the confusion matrix, top-k accuracy (more than
   * `topK` classes) and, for binary problems, ROC AUC, sensitivity and
   * specificity; regression gets MSE, RMSE, MAE and R².
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
   * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
   * const e = t.evaluate([[1, 0], [0, 1]], [0, 2]);
   * assert.ok(e.accuracy !== undefined && e.loss > 0 && e.f1Macro !== undefined);
   * ```
   */
  evaluate(x: Inputs, y: Labels, options: EvaluateOptions = {}): Evaluation {
    return evaluateData(this.#m, this.#prepare(x), y, options);
  }

  /**
   * The model's outputs for each sample, row-major (`rows × outputs`), at the
   * model's precision (Float32Array, or Float64Array for dtype "f64"). `x` may
   * be a single sample: a 1-D array of the model's input features (in
   * general, a flat array of numbers holds samples one after another).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 3), { loss: mse, batchSize: 4 });
   * assert.ok(t.predict([[1, 2], [3, 4]]).length === 6);
   * assert.ok(t.predict([1, 2]).length === 3); // a single sample
   * ```
   */
  predict(x: Inputs): Float32Array | Float64Array {
    return predictData(this.#m, this.#prepare(x));
  }

  /**
   * Probabilities (`rows × outputs`, f64): softmax of each row for
   * `softmaxCrossEntropy`, sigmoid of each output for
   * `binaryCrossEntropyWithLogits`. Accepts a single sample like `predict`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { binaryCrossEntropyWithLogits, compile, dense } from "../mod.ts";
   * const t = await compile(dense(1, 1), { loss: binaryCrossEntropyWithLogits, batchSize: 2 });
   * t.setParams({ weight: [1], bias: [0] });
   * assert.equal(t.predictProba([0])[0], 0.5);
   * ```
   */
  predictProba(x: Inputs): Float64Array {
    return predictProbaData(this.#m, this.#prepare(x));
  }

  /**
   * Predicted classes: the arg-max class for class labels; for sigmoid
   * outputs 1 where the probability exceeds 0.5 (one value per output).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
   * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
   * t.setParams({ weight: [0, 1, 0, 0, 0, 1], bias: [0, 0, 0] });
   * assert.deepEqual([...t.predictClasses([[1, 0], [0, 1]])], [1, 2]);
   * ```
   */
  predictClasses(x: Inputs): Int32Array {
    return predictClassesData(this.#m, this.#prepare(x));
  }

  /**
   * Copies of the parameters, by name (`"0.weight"`, `"0.bias"`, …), at the
   * model's precision (Float32Array, or Float64Array for dtype "f64"). The
   * record also carries the model's architecture fingerprint, under the
   * symbol `ARCHITECTURE` (not enumerable), so that `setParams` of another
   * architecture refuses it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 3), { loss: mse, batchSize: 4 });
   * assert.ok(t.getParams()["weight"].length === 6);
   * ```
   */
  getParams(): Record<string, Float32Array | Float64Array> {
    const out: Record<string, Float32Array | Float64Array> = {};
    for (const p of this.artifact.params) out[p.name] = this.#m.read(p.name);
    Object.defineProperty(out, ARCHITECTURE, { value: this.artifact.fingerprint });
    return out;
  }

  /**
   * Sets some or all parameters, by name; each must have the parameter's
   * size and only finite values. The optimizer state (momentum, Adam's
   * moments) and the step count are kept, as PyTorch's and Keras's weight
   * setters do; they are always finite, since a diverging step is undone
   * before its error is thrown. To start the optimizer afresh as well, restore
   * a whole `trainingState` instead. Parameters that `getParams` took from a
   * model of another architecture (say tanh where this one has relu) are
   * refused, even when every size agrees.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(1, 1), { loss: mse, batchSize: 1 });
   * t.setParams({ weight: Float32Array.of(2), bias: Float32Array.of(1) });
   * assert.ok(t.predict([[3]])[0] === 7);
   * ```
   */
  setParams(params: Readonly<Record<string, ArrayLike<number>>>): void {
    const fingerprint = (params as { readonly [ARCHITECTURE]?: unknown })[ARCHITECTURE];
    checkArchitecture(
      "These parameters come",
      fingerprint === undefined ? undefined : String(fingerprint),
      this.artifact,
    );
    for (const [name, values] of Object.entries(params)) {
      const p = this.artifact.params.find((q) => q.name === name);
      if (p === undefined) {
        throw new InputError(
          `No parameter "${name}"; the parameters are ${
            this.artifact.params.map((q) => q.name).join(", ")
          }`,
        );
      }
      checkValues("Parameter", name, p.shape, values, this.artifact.dtype);
    }
    for (const [name, values] of Object.entries(params)) this.#m.write(name, values);
  }

  /**
   * Copies of the running statistics (batch norm's `running_mean` and
   * `running_var`), by name, at the model's precision; empty when the model
   * has none. Training steps update them; `predict` and `evaluate` use them.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { batchNorm, chain, compile, dense, mse } from "../mod.ts";
   * const t = await compile(chain(dense(2, 3), batchNorm(3)), { loss: mse, batchSize: 4 });
   * assert.deepEqual(Array.from(t.getRunningStats()["1.running_var"]), [1, 1, 1]);
   * ```
   */
  getRunningStats(): Record<string, Float32Array | Float64Array> {
    const out: Record<string, Float32Array | Float64Array> = {};
    for (const r of this.artifact.running ?? []) out[r.name] = this.#m.read(r.name);
    return out;
  }

  /**
   * Sets some or all running statistics, by name; each must have the
   * statistic's size and only finite values.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { batchNorm, compile, mse } from "../mod.ts";
   * const t = await compile(batchNorm(1), { loss: mse, batchSize: 2, inputFeatures: 1 });
   * t.setRunningStats({ running_mean: [1], running_var: [4] });
   * assert.ok(Math.abs(t.predict([[5]])[0] - 2) < 1e-5); // (5 − 1) / √4
   * ```
   */
  setRunningStats(stats: Readonly<Record<string, ArrayLike<number>>>): void {
    const running = this.artifact.running ?? [];
    for (const [name, values] of Object.entries(stats)) {
      const r = running.find((q) => q.name === name);
      if (r === undefined) {
        throw new InputError(
          `No running statistic "${name}"; the model has ${
            running.length === 0 ? "none" : running.map((q) => q.name).join(", ")
          }`,
        );
      }
      checkValues("Running statistic", name, r.shape, values, this.artifact.dtype);
    }
    for (const [name, values] of Object.entries(stats)) this.#m.write(name, values);
  }

  /**
   * The seed the trainer was created with: its parameters were drawn from it,
   * and dropout draws its masks from it (with the step number). `save` keeps it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2, seed: 7 });
   * assert.equal(t.seed, 7);
   * ```
   */
  get seed(): number {
    return this.#m.seed;
  }

  /** Number of training steps taken so far. */
  get steps(): number {
    return this.#m.step;
  }

  /**
   * The learning rate of the next training step: initially the optimizer's
   * `lr`. It is a per-step scalar of the compiled step (the runtime writes it
   * before each step), so setting it takes effect at the next step without
   * recompiling — the way learning-rate schedules work. Setting it to a
   * negative, NaN or (at the model's precision) infinite value throws an
   * `InputError`. Part of `trainingState` and of saved files.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse, sgd } from "../mod.ts";
   * const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: 1 });
   * assert.equal(t.learningRate, 0.1);
   * t.learningRate = 0.01; // the next step uses 0.01
   * t.trainBatch([[1]], [[2]]);
   * assert.throws(() => (t.learningRate = -1), /learning rate must be/);
   * ```
   */
  get learningRate(): number {
    return this.#m.learningRate;
  }

  set learningRate(value: number) {
    this.#m.learningRate = value;
  }

  /**
   * Everything training has changed: parameters, optimizer state, running
   * statistics, the step and epoch counts and the learning rate
   * (what `save` writes). Copies, at the model's precision.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { adam, compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 1), { loss: mse, optimizer: adam(), batchSize: 2 });
   * assert.ok("exp_avg/weight" in t.trainingState().buffers);
   * ```
   */
  trainingState(): TrainingState {
    return captureState(this.#m);
  }

  /**
   * Restores a state taken by `trainingState` (or read by `load`). Every
   * buffer is checked before anything is written, so a bad state changes
   * nothing.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
   * const before = t.trainingState();
   * t.trainBatch([[1, 2]], [[3]]);
   * t.restoreTrainingState(before);
   * assert.ok(t.steps === 0);
   * ```
   */
  restoreTrainingState(state: TrainingState): void {
    restoreState(this.#m, state);
  }

  /**
   * What the compiler generated: graphs, gradient graph, fusion, memory plan
   * and WebAssembly text.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 1), { loss: mse, batchSize: 4 });
   * assert.ok(t.inspect().wat.includes("(module"));
   * ```
   */
  inspect(): Inspection {
    if (this.#inspection === undefined) {
      throw new InputError(
        "This trainer was instantiated from an artifact without inspection data",
      );
    }
    return this.#inspection;
  }

  /**
   * Threads the trainer's steps, `evaluate` and `predict` run on now: the
   * count it was compiled for (`compile`'s `threads`), or 1 — compiled for
   * one, run on one (`instantiate`'s `threads: 1`, an environment without
   * shared memory: see `threadsNote`), or disposed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 1), { loss: mse, batchSize: 4 });
   * assert.equal(t.threads, 1);
   * ```
   */
  get threads(): number {
    return this.#pool?.threads ?? 1;
  }

  /** Why a trainer compiled for several threads runs on one, if it does for want of support. */
  get threadsNote(): string | undefined {
    return this.#threadsNote;
  }

  /**
   * Ends the trainer's worker threads (a trainer compiled for one thread has
   * none); the promise settles once they have ended. The trainer stays
   * usable: it runs on this thread from then on. Call it when done with a
   * threaded trainer — a process also exits without it (the workers do not
   * keep it alive), and a trainer that is garbage-collected ends its
   * workers, but only `dispose` ends them at a known time (as test
   * sanitizers want).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(256, 256), { loss: mse, batchSize: 256, threads: 2 });
   * await t.dispose();
   * assert.equal(t.threads, 1);
   * assert.equal(t.predict(new Float32Array(256)).length, 256); // still usable, on one thread
   * ```
   */
  async dispose(): Promise<void> {
    if (this.#pool === null) return;
    abandoned.unregister(this);
    await this.#pool.dispose();
  }
}
