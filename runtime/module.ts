/**
 * An instantiated module and what the runtime's other files need of it: its
 * named buffers (by the artifact's slots), writing a batch into them without
 * allocating, and running one program on one batch. The step and epoch
 * counters live here too, since every training path advances them, and so
 * does the last good state: a step whose loss, or any parameter or
 * optimizer-state value it wrote, is not finite is undone here before the
 * `DivergenceError` leaves, so non-finite state never escapes.
 *
 * Internal to the runtime: users hold a `Trainer`, which wraps one of these.
 *
 * @module
 */

import type { Artifact, ArtifactSlot } from "../core/artifact.ts";
import {
  LABEL_INPUT,
  NONFINITE_OUTPUT,
  PREDICTION_OUTPUT,
  RNG_INPUT,
  SAMPLE_WEIGHT_INPUT,
} from "../core/contract.ts";
import { InputError } from "../core/errors.ts";
import type { OptimizerDef } from "../core/optimizer/def.ts";
import {
  type OptimizerConfig,
  optimizerEntry,
  optimizerScalarNames,
  optimizerStateBuffers,
  type StateBuffer,
} from "../core/optimizer/table.ts";
import { type DType, elementCount } from "../core/shape.ts";
import { type DataSpec, type LabelArray, representable } from "./data.ts";
import type { Feed } from "./feed.ts";
import { checkInputs } from "./verify_artifact.ts";
import { firstNonFinite, stepDiverged } from "./divergence.ts";

/** The functions a compiled module exports (see `EXPORTS` in core/contract.ts). */
export interface ModuleExports {
  /** The module's one memory. */
  readonly memory: WebAssembly.Memory;
  /** One training step on `n` samples; returns their mean loss. */
  train(n: number): number;
  /** The mean loss of `n` samples, parameters unchanged. */
  evaluate(n: number): number;
  /** Writes the predictions of `n` samples into the prediction buffer. */
  predict(n: number): void;
}

/**
 * Checks a learning rate: a number ≥ 0 (PyTorch's rule; 0 freezes the
 * parameters), finite at the model's precision.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLearningRate } from "./module.ts";
 * assert.equal(checkLearningRate(0.1, "f32"), 0.1);
 * assert.throws(() => checkLearningRate(-1, "f32"), /learning rate must be/);
 * assert.throws(() => checkLearningRate(1e39, "f32"), /finite in f32/);
 * ```
 */
export function checkLearningRate(value: number, dtype: DType): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new InputError(`The learning rate must be a number ≥ 0, got ${value}`);
  }
  if (!representable(value, dtype)) {
    throw new InputError(`The learning rate must be finite in ${dtype}, got ${value}`);
  }
  return value;
}

/** A typed view of the module's memory at the model's precision. */
export type View = Float32Array | Float64Array;

/**
 * One instantiated artifact.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { MATH_IMPORTS } from "../core/contract.ts";
 * import { CompiledModule, type ModuleExports } from "./module.ts";
 * const { artifact } = compileArtifact(dense(2, 1), { loss: mse, batchSize: 2 });
 * const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
 * const m = new CompiledModule(artifact, instance.exports as unknown as ModuleExports);
 * assert.equal(m.read("weight").length, 2);
 * ```
 */
export class CompiledModule {
  /** The artifact it was instantiated from. */
  readonly artifact: Artifact;
  /** The module's exports. */
  readonly exports: ModuleExports;
  /** What data fed to it must look like. */
  readonly spec: DataSpec;
  /** Training steps taken (Adam's bias correction depends on it). */
  step = 0;
  /** Epochs `fit` has run (each epoch's shuffle depends on it). */
  epoch = 0;
  /** The trainer's seed: its parameters were drawn from it, and dropout masks are. */
  seed = 0;
  #learningRate: number;
  readonly #view: View;
  /** The same memory as 32-bit words, for the random key (`RNG_INPUT`). */
  readonly #words: Uint32Array;
  /** Word index of the random key, or -1 when the module draws no random numbers. */
  readonly #rng: number;
  readonly #optimizer: OptimizerDef<OptimizerConfig>;
  /** Per-step scalars: their element indices in `view`, and room for their values. */
  readonly #scalarIndex: Int32Array;
  readonly #scalarValues: Float64Array;
  readonly #stateBuffers: readonly StateBuffer[];
  readonly #slots: ReadonlyMap<string, ArtifactSlot>;
  /** Element index of the step's non-finite flag, or -1 for a module without one. */
  readonly #flag: number;
  /** Every buffer a step writes: name, kind and a view of its values in memory. */
  readonly #state: { name: string; kind: string; live: View }[];
  /**
   * The same buffers as runs of adjacent slots (parameters are laid out
   * together, and so is optimizer state), each with room for its last good
   * values: a checkpoint is one copy per run.
   */
  readonly #runs: { live: View; saved: View }[];
  #savedStep = 0;
  #savedEpoch = 0;
  #savedLearningRate = 0;

  /** Wraps an instance's exports. */
  constructor(artifact: Artifact, exports: ModuleExports) {
    this.artifact = artifact;
    this.exports = exports;
    this.#view = artifact.dtype === "f64"
      ? new Float64Array(exports.memory.buffer)
      : new Float32Array(exports.memory.buffer);
    this.#slots = new Map(artifact.slots.map((s) => [s.name, s]));
    checkInputs(artifact);
    this.#words = new Uint32Array(exports.memory.buffer);
    const rng = this.#slots.get(RNG_INPUT);
    this.#rng = rng === undefined ? -1 : rng.offset / 4;
    this.#learningRate = checkLearningRate(artifact.optimizer.lr, artifact.dtype);
    this.#optimizer = optimizerEntry(artifact.optimizer);
    const scalarNames = optimizerScalarNames(artifact.optimizer);
    for (const name of scalarNames) {
      if (this.#slots.get(name)?.kind !== "scalar") {
        throw new InputError(
          `The module has no per-step scalar "${name}", which its optimizer ` +
            `(${artifact.optimizer.kind}) needs: the module and its metadata do not match`,
        );
      }
    }
    this.#scalarIndex = Int32Array.from(scalarNames, (name) => this.index(name));
    this.#scalarValues = new Float64Array(scalarNames.length);
    this.#stateBuffers = optimizerStateBuffers(
      artifact.optimizer,
      artifact.params.map((p) => p.name),
    );
    for (const { buffer } of this.#stateBuffers) {
      if (this.#slots.get(buffer)?.kind !== "state") {
        throw new InputError(
          `The module has no optimizer state buffer "${buffer}", which its optimizer ` +
            `(${artifact.optimizer.kind}) keeps: the module and its metadata do not match`,
        );
      }
    }
    this.spec = {
      features: artifact.inputFeatures,
      layer: `The model's first layer, ${artifact.inputLayer},`,
      labels: artifact.labels,
      width: artifact.outputs,
      dtype: artifact.dtype,
      ...(artifact.targetRange === undefined ? {} : { targetRange: artifact.targetRange }),
    };
    this.#flag = this.#slots.has(NONFINITE_OUTPUT) ? this.index(NONFINITE_OUTPUT) : -1;
    // What a step writes: parameters, optimizer state, running statistics.
    const isState = (s: ArtifactSlot) =>
      s.kind === "param" || s.kind === "state" || s.kind === "running";
    const bounds = (s: ArtifactSlot) => {
      const start = this.index(s.name);
      return [start, start + elementCount(s.shape, 1)];
    };
    this.#state = artifact.slots.filter(isState).map((s) => ({
      name: s.name,
      kind: s.kind,
      live: this.#view.subarray(...bounds(s)),
    }));
    const runs: [number, number][] = [];
    let open = false;
    for (const s of [...artifact.slots].sort((a, b) => a.offset - b.offset)) {
      if (!isState(s)) {
        open = false;
        continue;
      }
      const [start, end] = bounds(s);
      if (open) runs[runs.length - 1][1] = end;
      else runs.push([start, end]);
      open = true;
    }
    this.#runs = runs.map(([start, end]) => ({
      live: this.#view.subarray(start, end),
      saved: this.#view.slice(start, end),
    }));
  }

  /**
   * The learning rate the next training step uses (initially the
   * optimizer's `lr`). Setting it is checked by `checkLearningRate`.
   */
  get learningRate(): number {
    return this.#learningRate;
  }

  set learningRate(value: number) {
    this.#learningRate = checkLearningRate(value, this.artifact.dtype);
  }

  /** The memory, at the model's precision. */
  get view(): View {
    return this.#view;
  }

  /** Whether the module has a buffer of that name. */
  has(name: string): boolean {
    return this.#slots.has(name);
  }

  /** The element index of a named buffer in `view`. */
  index(name: string): number {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw new InputError(`The model has no buffer named "${name}"`);
    return slot.offset / this.#view.BYTES_PER_ELEMENT;
  }

  /** Writes values into a named buffer (from its start). */
  write(name: string, values: ArrayLike<number>): void {
    this.#view.set(values, this.index(name));
  }

  /** A copy of a named buffer of fixed size (a parameter or state buffer), at the model's precision. */
  read(name: string): View {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw new InputError(`The model has no buffer named "${name}"`);
    const i = this.index(name);
    return this.#view.slice(i, i + elementCount(slot.shape, 1));
  }

  /**
   * Writes samples `from..from+n` of the inputs (through their `Feed`), of
   * y and of the per-sample weights — or samples `order[from..from+n)` when
   * shuffling — into the batch buffers. Without weights, a module whose loss
   * takes them gets 1s. Allocates nothing.
   */
  writeBatch(
    x: Feed,
    y: LabelArray | null,
    order: Uint32Array | null,
    from: number,
    n: number,
    weights: Float64Array | null = null,
  ): void {
    x.write(this, order, from, n);
    const view = this.#view;
    const perLabel = this.artifact.labels === "classes" ? 1 : this.artifact.outputs;
    // A custom loss may ignore the labels: then the module has no label buffer.
    if (!this.#slots.has(LABEL_INPUT)) y = null;
    const yi = y === null ? 0 : this.index(LABEL_INPUT);
    const wi = this.#slots.has(SAMPLE_WEIGHT_INPUT) ? this.index(SAMPLE_WEIGHT_INPUT) : -1;
    if (wi >= 0) {
      for (let r = 0; r < n; r++) {
        view[wi + r] = weights === null ? 1 : weights[order === null ? from + r : order[from + r]];
      }
    }
    if (y === null) return;
    if (order === null) {
      view.set(y.subarray(from * perLabel, (from + n) * perLabel), yi);
      return;
    }
    for (let r = 0; r < n; r++) {
      const row = order[from + r];
      for (let c = 0; c < perLabel; c++) view[yi + r * perLabel + c] = y[row * perLabel + c];
    }
  }

  /**
   * Sets every optimizer-state buffer to its value before the first step
   * (0, or Adagrad's initial accumulator value).
   */
  resetOptimizerState(): void {
    for (const { buffer, initial } of this.#stateBuffers) {
      const slot = this.#slots.get(buffer)!;
      const i = this.index(buffer);
      this.#view.fill(initial, i, i + elementCount(slot.shape, 1));
    }
  }

  /** Whether the compiled loss takes per-sample weights. */
  get takesSampleWeights(): boolean {
    return this.#slots.has(SAMPLE_WEIGHT_INPUT);
  }

  /**
   * Records the current parameters, optimizer state, counters and learning
   * rate as the last good state, the one a diverging `trainStep` restores.
   * Copies into buffers allocated once; call it before the steps it should
   * protect.
   */
  checkpoint(): void {
    for (const r of this.#runs) r.saved.set(r.live);
    this.#savedStep = this.step;
    this.#savedEpoch = this.epoch;
    this.#savedLearningRate = this.#learningRate;
  }

  /** Puts the last good state (see `checkpoint`) back. */
  rollback(): void {
    for (const r of this.#runs) r.live.set(r.saved);
    this.step = this.#savedStep;
    this.epoch = this.#savedEpoch;
    this.#learningRate = this.#savedLearningRate;
  }

  /**
   * One training step on the `n` samples in the batch buffers; returns their
   * mean loss. When the loss, or any parameter or optimizer-state value the
   * step wrote, is not finite (the compiled step reports the latter in its
   * non-finite flag), restores the last good state and throws a
   * `DivergenceError` naming what diverged.
   */
  trainStep(n: number): number {
    this.step++;
    // The optimizer's per-step scalars (learning rate, bias corrections…),
    // computed at f64 and written into their slots: no allocation.
    const values = this.#scalarValues;
    this.#optimizer.scalarValues(this.artifact.optimizer, this.step, this.#learningRate, values);
    for (let i = 0; i < values.length; i++) this.#view[this.#scalarIndex[i]] = values[i];
    if (this.#rng >= 0) {
      // The random key: (seed, step) as u32 words, whatever the element type.
      this.#words[this.#rng] = this.seed;
      this.#words[this.#rng + 1] = this.step;
    }
    const loss = this.exports.train(n);
    if (Number.isFinite(loss) && (this.#flag < 0 || this.#view[this.#flag] === 0)) return loss;
    const step = this.step;
    const reason = Number.isFinite(loss)
      ? this.nonFinite() ?? "a value the step wrote"
      : `the loss (${loss})`;
    this.rollback();
    throw stepDiverged(step, reason, this.step);
  }

  /** The first non-finite value a step writes (a parameter, state, statistic), described. */
  nonFinite(): string | undefined {
    return firstNonFinite(this.#state.map((s) => [s.name, s.kind, s.live]));
  }

  /** The mean loss of the `n` samples in the batch buffers. */
  evaluateBatch(n: number): number {
    return this.exports.evaluate(n);
  }

  /** Computes the predictions of the `n` samples in the batch buffer; returns a view of them. */
  predictBatch(n: number): View {
    this.exports.predict(n);
    return this.predictions(n);
  }

  /** A view of the prediction buffer's first `n` rows, as the last `predict` or `evaluate` left it. */
  predictions(n: number): View {
    const pi = this.index(PREDICTION_OUTPUT);
    return this.#view.subarray(pi, pi + n * this.artifact.outputs);
  }
}
