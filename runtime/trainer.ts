/**
 * The runtime: instantiates a compiled artifact and trains, evaluates and
 * predicts with it. A batch is written straight into the module's memory (no
 * allocation per step); one call runs a whole training step — forward, loss,
 * backward and optimizer update — and returns the loss.
 *
 * @module
 */

import { DivergenceError, InputError } from "../core/errors.ts";
import type { Shape } from "../core/shape.ts";
import type { Artifact, ArtifactSlot, Inspection } from "../core/artifact.ts";
import {
  type DataSpec,
  type LabelArray,
  type Labels,
  representable,
  type Samples,
  toLabels,
  toSamples,
} from "./data.ts";
import { initParam } from "./init_params.ts";
import { DATA_INPUT, LABEL_INPUT, MATH_IMPORTS, PREDICTION_OUTPUT } from "../core/contract.ts";
import { writeOptimizerScalars } from "../core/optimizer_scalars.ts";
import { permutation } from "./prng.ts";

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

/** Parameters, optimizer state and step count: what training changes. */
export interface TrainingState {
  /** Training steps taken (Adam's bias correction depends on it). */
  readonly step: number;
  /** Epochs `fit` has run (each epoch's shuffle depends on it). Default 0. */
  readonly epoch?: number;
  /** Every parameter and optimizer-state buffer, by name. */
  readonly buffers: Readonly<Record<string, ArrayLike<number>>>;
}

/** What `evaluate` returns. */
export interface Evaluation {
  /**
   * Loss over the samples: the mean of the batch losses weighted by batch
   * size (for class weights, each batch's weighted mean), or their sum for a
   * loss with `reduction: "sum"`.
   */
  readonly loss: number;
  /**
   * Fraction of correct predictions, for classifiers only: the arg-max class
   * for class labels; for binary cross-entropy on logits, a sample counts when
   * every output's sign matches its target (exact-match accuracy).
   */
  readonly accuracy?: number;
}

interface Exports {
  readonly memory: WebAssembly.Memory;
  train(n: number): number;
  evaluate(n: number): number;
  predict(n: number): void;
}

type View = Float32Array | Float64Array;

/** Checks a buffer's size against its static shape and that every value is finite. */
function checkValues(
  what: string,
  name: string,
  shape: Shape,
  values: ArrayLike<number>,
  dtype: "f32" | "f64",
): void {
  const size = shape.reduce<number>((n, d) => n * (d === "batch" ? 1 : d), 1);
  if (values.length !== size) {
    throw new InputError(
      `${what} "${name}" of shape [${shape}] needs ${size} values, got ${values.length}`,
    );
  }
  for (let i = 0; i < size; i++) {
    if (!representable(values[i], dtype)) {
      throw new InputError(
        `${what} "${name}" has a value ${values[i]} at ${i} that is not finite in ${dtype}`,
      );
    }
  }
}

/** Checks a seed: an integer in 0..2³²−1. */
function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InputError(`A seed must be an integer in 0..4294967295, got ${seed}`);
  }
  return seed;
}

/**
 * Instantiates an artifact. Parameters start from `seed` (default 0).
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
  options: { seed?: number; inspection?: Inspection } = {},
): Promise<Trainer> {
  const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
  return new Trainer(
    artifact,
    instance.exports as unknown as Exports,
    options.seed ?? 0,
    options.inspection,
  );
}

/**
 * A compiled model, ready to train. Create one with `compile` (or
 * `instantiate` for an artifact compiled earlier).
 */
export class Trainer {
  /** The compiled artifact (plain data). */
  readonly artifact: Artifact;
  readonly #exports: Exports;
  readonly #view: View;
  readonly #slots: ReadonlyMap<string, ArtifactSlot>;
  readonly #spec: DataSpec;
  readonly #inspection: Inspection | undefined;
  #step = 0;
  #epoch = 0;

  /** Use `compile` or `instantiate` rather than this constructor. */
  constructor(artifact: Artifact, exports: Exports, seed: number, inspection?: Inspection) {
    this.artifact = artifact;
    this.#exports = exports;
    this.#view = artifact.dtype === "f64"
      ? new Float64Array(exports.memory.buffer)
      : new Float32Array(exports.memory.buffer);
    this.#slots = new Map(artifact.slots.map((s) => [s.name, s]));
    this.#spec = {
      features: artifact.inputFeatures,
      layer: `The model's first layer, ${artifact.inputLayer},`,
      labels: artifact.labels,
      width: artifact.outputs,
      dtype: artifact.dtype,
      ...(artifact.targetRange === undefined ? {} : { targetRange: artifact.targetRange }),
    };
    this.#inspection = inspection;
    checkSeed(seed);
    for (const p of artifact.params) this.#write(p.name, initParam(p, seed));
  }

  #index(name: string): number {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw new InputError(`The model has no buffer named "${name}"`);
    return slot.offset / this.#view.BYTES_PER_ELEMENT;
  }

  #write(name: string, values: ArrayLike<number>): void {
    this.#view.set(values, this.#index(name));
  }

  /**
   * Copies rows `from..from+n` of x (and y) — or rows `order[from..from+n)`
   * when shuffling — into the batch buffers. Allocates nothing.
   */
  #writeBatch(
    x: Float32Array | Float64Array,
    y: LabelArray | null,
    order: Uint32Array | null,
    from: number,
    n: number,
  ): void {
    const f = this.artifact.inputFeatures;
    const xi = this.#index(DATA_INPUT);
    const view = this.#view;
    const perLabel = this.artifact.labels === "classes" ? 1 : this.artifact.outputs;
    // A custom loss may ignore the labels: then the module has no "y" buffer.
    if (!this.#slots.has(LABEL_INPUT)) y = null;
    const yi = y === null ? 0 : this.#index(LABEL_INPUT);
    if (order === null) {
      view.set(x.subarray(from * f, (from + n) * f), xi);
      if (y !== null) view.set(y.subarray(from * perLabel, (from + n) * perLabel), yi);
      return;
    }
    for (let r = 0; r < n; r++) {
      const row = order[from + r];
      view.set(x.subarray(row * f, row * f + f), xi + r * f);
      if (y !== null) {
        for (let c = 0; c < perLabel; c++) view[yi + r * perLabel + c] = y[row * perLabel + c];
      }
    }
  }

  /** Writes one per-step scalar into its slot (created once: no allocation per step). */
  readonly #writeScalar = (name: string, value: number): void => {
    this.#view[this.#index(name)] = value;
  };

  #trainStep(n: number): number {
    this.#step++;
    writeOptimizerScalars(this.artifact.optimizer, this.#step, this.#writeScalar);
    return this.#exports.train(n);
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
  trainBatch(x: Samples, y: Labels): number {
    const samples = toSamples(x, this.#spec);
    const labels = toLabels(y, samples.rows, this.#spec);
    if (samples.rows < 1 || samples.rows > this.artifact.maxBatch) {
      throw new InputError(
        `A batch must have 1..${this.artifact.maxBatch} samples (the compiled batchSize), got ${samples.rows}`,
      );
    }
    this.#writeBatch(samples.data, labels, null, 0, samples.rows);
    const loss = this.#trainStep(samples.rows);
    if (!Number.isFinite(loss)) {
      throw new DivergenceError(
        `The loss became ${loss} at step ${this.#step}, so the parameters now hold non-finite values: ` +
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
  fit(x: Samples, y: Labels, options: FitOptions = {}): History {
    const epochs = options.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InputError(`epochs must be a non-negative integer, got ${epochs}`);
    }
    const samples = toSamples(x, this.#spec);
    const labels = toLabels(y, samples.rows, this.#spec);
    if (samples.rows === 0) throw new InputError("fit needs at least one sample");
    const seed = checkSeed(options.seed ?? 0);
    const history: History = { loss: [], seconds: [] };
    const batch = this.artifact.maxBatch;
    const summed = this.artifact.lossReduction === "sum";
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const start = performance.now();
      // Taken at the start of each epoch, so a divergence can be rolled back.
      const before = this.trainingState();
      this.#epoch++;
      // The shuffle depends on the epoch count since the trainer was created (or
      // the state was restored), so repeated fit calls and resumed training
      // never repeat an order.
      const order = options.shuffle === false ? null : permutation(samples.rows, seed, this.#epoch);
      let total = 0;
      for (let from = 0; from < samples.rows; from += batch) {
        const n = Math.min(batch, samples.rows - from);
        this.#writeBatch(samples.data, labels, order, from, n);
        const loss = this.#trainStep(n);
        if (!Number.isFinite(loss)) {
          const step = this.#step;
          this.restoreTrainingState(before);
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

  /**
   * Mean loss (and accuracy, for classifiers) over a data set; parameters
   * are not changed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, softmaxCrossEntropy } from "../mod.ts";
   * const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
   * const e = t.evaluate([[1, 0], [0, 1]], [0, 2]);
   * assert.ok(e.accuracy !== undefined && e.loss > 0);
   * ```
   */
  evaluate(x: Samples, y: Labels): Evaluation {
    const samples = toSamples(x, this.#spec);
    const labels = toLabels(y, samples.rows, this.#spec);
    if (samples.rows === 0) throw new InputError("evaluate needs at least one sample");
    const outputs = this.artifact.outputs;
    const pi = this.#index(PREDICTION_OUTPUT);
    let total = 0;
    let correct = 0;
    for (let from = 0; from < samples.rows; from += this.artifact.maxBatch) {
      const n = Math.min(this.artifact.maxBatch, samples.rows - from);
      this.#writeBatch(samples.data, labels, null, from, n);
      const batchLoss = this.#exports.evaluate(n);
      total += this.artifact.lossReduction === "sum" ? batchLoss : batchLoss * n;
      for (let r = 0; r < n; r++) {
        const base = pi + r * outputs;
        if (this.artifact.labels === "classes") {
          let best = 0;
          for (let c = 1; c < outputs; c++) {
            if (this.#view[base + c] > this.#view[base + best]) best = c;
          }
          if (best === labels[from + r]) correct++;
        } else {
          let all = true;
          for (let c = 0; c < outputs; c++) {
            const predicted = this.#view[base + c] > 0 ? 1 : 0;
            if (predicted !== (labels[(from + r) * outputs + c] >= 0.5 ? 1 : 0)) all = false;
          }
          if (all) correct++;
        }
      }
    }
    const loss = this.artifact.lossReduction === "sum" ? total : total / samples.rows;
    const classifier = this.artifact.labels === "classes" ||
      this.artifact.loss === "binaryCrossEntropyWithLogits";
    return classifier ? { loss, accuracy: correct / samples.rows } : { loss };
  }

  /**
   * The model's outputs for each sample, row-major (`rows × outputs`), at the
   * model's precision (Float32Array, or Float64Array for dtype "f64").
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 3), { loss: mse, batchSize: 4 });
   * assert.ok(t.predict([[1, 2], [3, 4]]).length === 6);
   * ```
   */
  predict(x: Samples): Float32Array | Float64Array {
    const samples = toSamples(x, this.#spec);
    const outputs = this.artifact.outputs;
    // At the model's precision: Float64Array for a model compiled with dtype "f64".
    const result = this.artifact.dtype === "f64"
      ? new Float64Array(samples.rows * outputs)
      : new Float32Array(samples.rows * outputs);
    const pi = this.#index(PREDICTION_OUTPUT);
    for (let from = 0; from < samples.rows; from += this.artifact.maxBatch) {
      const n = Math.min(this.artifact.maxBatch, samples.rows - from);
      this.#writeBatch(samples.data, null, null, from, n);
      this.#exports.predict(n);
      result.set(this.#view.subarray(pi, pi + n * outputs), from * outputs);
    }
    return result;
  }

  /**
   * Copies of the parameters, by name (`"0.weight"`, `"0.bias"`, …), at the
   * model's precision (Float32Array, or Float64Array for dtype "f64").
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
    for (const p of this.artifact.params) {
      const size = p.shape.reduce((a, b) => a * b, 1);
      const i = this.#index(p.name);
      out[p.name] = this.#view.slice(i, i + size); // at the model's precision
    }
    return out;
  }

  /**
   * Sets some or all parameters, by name; each must have the parameter's
   * size and only finite values. Optimizer state is left as it is.
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
    for (const [name, values] of Object.entries(params)) this.#write(name, values);
  }

  /** Number of training steps taken so far. */
  get steps(): number {
    return this.#step;
  }

  /**
   * Everything training has changed: parameters, optimizer state and the
   * step count (what `save` writes). Copies, at the model's precision.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { adam, compile, dense, mse } from "../mod.ts";
   * const t = await compile(dense(2, 1), { loss: mse, optimizer: adam(), batchSize: 2 });
   * assert.ok("m/weight" in t.trainingState().buffers);
   * ```
   */
  trainingState(): TrainingState {
    const buffers: Record<string, Float32Array | Float64Array> = {};
    for (const slot of this.artifact.slots) {
      if (slot.kind !== "param" && slot.kind !== "state") continue;
      const size = slot.shape.reduce<number>((n, d) => n * (d === "batch" ? 1 : d), 1);
      const i = this.#index(slot.name);
      buffers[slot.name] = this.#view.slice(i, i + size);
    }
    return { step: this.#step, epoch: this.#epoch, buffers };
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
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new InputError(`The step count must be a non-negative integer, got ${state.step}`);
    }
    const writes: [number, ArrayLike<number>][] = [];
    for (const slot of this.artifact.slots) {
      if (slot.kind !== "param" && slot.kind !== "state") continue;
      const values = state.buffers[slot.name];
      if (values === undefined) {
        throw new InputError(`The saved state has no buffer "${slot.name}"`);
      }
      checkValues("Buffer", slot.name, slot.shape, values, this.artifact.dtype);
      writes.push([this.#index(slot.name), values]);
    }
    const epoch = state.epoch ?? 0;
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new InputError(`The epoch count must be a non-negative integer, got ${epoch}`);
    }
    for (const [index, values] of writes) this.#view.set(values, index);
    this.#step = state.step;
    this.#epoch = epoch;
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
}
