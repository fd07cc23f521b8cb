/**
 * One training run of the playground, the same in the browser's worker and
 * in Deno: runs the model code, compiles it with the form's hyper-parameters,
 * trains in slices of epochs (so the caller can report progress and stop
 * between slices) and records per-epoch metrics. Only mlpc's public entry
 * points are used.
 *
 * @module
 */

import * as mlpc from "../mod.ts";
import { exportOnnx, inferenceModule, toSafetensors } from "../interchange/mod.ts";
import type { Labels, Loss, Model, OptimizerConfig, Trainer } from "../mod.ts";
import type { Dataset, ViewBox } from "./datasets.ts";
import type { Hyper } from "./presets.ts";
import type { SaveFormat } from "./protocol.ts";

/** What a run needs: the model code and the form's hyper-parameters. */
export interface TrainRequest extends Hyper {
  /** Model code (see `presets.ts` for what it may use and must return). */
  readonly code: string;
}

/** Metrics of one epoch. */
export interface EpochRecord {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Mean training loss of the epoch (while the parameters changed). */
  readonly loss: number;
  /** Loss on the held-out rows after the epoch. */
  readonly testLoss: number;
  /** Accuracy on the training rows after the epoch (classifiers only). */
  readonly trainAccuracy?: number;
  /** Accuracy on the held-out rows after the epoch (classifiers only). */
  readonly testAccuracy?: number;
  /** Seconds of training in the epoch (metrics not included). */
  readonly seconds: number;
  /**
   * Training rows per second over the run so far (all rows of all epochs over
   * the summed training seconds): steady even where one epoch is shorter than
   * the clock's resolution (a browser's `performance.now()` is coarsened).
   */
  readonly samplesPerSecond: number;
}

/** What the compiler produced, with sizes. */
export interface CompiledInfo {
  /** Forward graph. */
  readonly graph: string;
  /** Loss graph with its symbolic gradient. */
  readonly gradientGraph: string;
  /** Optimized training-step graph. */
  readonly trainGraph: string;
  /** Kernels after fusion. */
  readonly fusion: string;
  /** Memory plan. */
  readonly memoryPlan: string;
  /** WebAssembly text. */
  readonly wat: string;
  /** Milliseconds from model to instantiated module. */
  readonly compileMs: number;
  /** Bytes of the WebAssembly module. */
  readonly wasmBytes: number;
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
  /** Number of trainable values. */
  readonly parameters: number;
  /** Model outputs per sample. */
  readonly outputs: number;
  /** Loss name. */
  readonly loss: string;
  /** Optimizer, as compiled. */
  readonly optimizer: string;
}

/** A file for the page to offer as a download. */
export interface DownloadFile {
  /** File name. */
  readonly name: string;
  /** Media type. */
  readonly mime: string;
  /** Contents. */
  readonly data: string | Uint8Array<ArrayBuffer>;
}

/** Error in the user's model code (not in mlpc). */
export class ModelCodeError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ModelCodeError";
  }
}

/** What the model code returns. */
export interface ModelSpec {
  /** The model. */
  readonly model: Model;
  /** The loss. */
  readonly loss: Loss;
  /** An optimizer replacing the form's. */
  readonly optimizer?: OptimizerConfig;
}

/** Names of mlpc's exports the model code sees, with their values. */
const SCOPE = Object.entries(mlpc).filter(([name]) => /^[A-Za-z_$][\w$]*$/.test(name));

/**
 * Runs model code with mlpc's exports and `data` in scope; checks that it
 * returned `{ model, loss }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runModelCode } from "./session.ts";
 * import { xorDataset } from "./datasets.ts";
 * const spec = runModelCode("return { model: dense(data.features, 1), loss: mse };", xorDataset());
 * assert.equal(spec.loss.name, "mse");
 * ```
 */
export function runModelCode(code: string, data: Dataset): ModelSpec {
  let body: (...args: unknown[]) => unknown;
  try {
    // The code runs in a block of its own, so its declarations may shadow
    // mlpc's names (a user's own `const swish = …` next to mlpc's `swish`).
    body = new Function(...SCOPE.map(([name]) => name), "data", `"use strict"; {\n${code}\n}`) as (
      ...args: unknown[]
    ) => unknown;
  } catch (e) {
    throw new ModelCodeError(`The model code does not parse: ${(e as Error).message}`);
  }
  const info = { id: data.id, features: data.features, classes: data.classes };
  const result = body(...SCOPE.map(([, value]) => value), Object.freeze(info));
  const spec = result as Partial<ModelSpec> | undefined;
  if (spec === null || typeof spec !== "object") {
    throw new ModelCodeError(
      `The model code must return { model, loss }; it returned ${String(result)}`,
    );
  }
  const model = spec.model as unknown;
  if (typeof model !== "function" && (typeof model !== "object" || model === null)) {
    throw new ModelCodeError(
      "The model code's result has no model: return { model: chain(…), loss }",
    );
  }
  const loss = spec.loss as Partial<Loss> | undefined;
  if (loss === undefined || typeof loss.apply !== "function") {
    throw new ModelCodeError(
      "The model code's result has no loss: return { model, loss: softmaxCrossEntropy } " +
        "(or mse, binaryCrossEntropyWithLogits, or a loss object of your own)",
    );
  }
  return spec as ModelSpec;
}

/** The form's optimizer as an mlpc optimizer. */
export function optimizerOf(hyper: Hyper): OptimizerConfig {
  switch (hyper.optimizer) {
    case "adam":
      return mlpc.adam({ lr: hyper.lr });
    case "adamw":
      return mlpc.adamw({ lr: hyper.lr });
    case "sgd":
      return mlpc.sgd({ lr: hyper.lr });
    case "momentum":
      return mlpc.sgd({ lr: hyper.lr, momentum: 0.9 });
    case "rmsprop":
      return mlpc.rmsprop({ lr: hyper.lr });
    case "adagrad":
      return mlpc.adagrad({ lr: hyper.lr });
    case "lion":
      return mlpc.lion({ lr: hyper.lr });
  }
}

/**
 * Labels in the form the loss takes: class indices for losses on classes;
 * for losses on values, the class as a 0/1 target when the model has one
 * output, one-hot rows when it has one output per class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labelsFor } from "./session.ts";
 * const y = Int32Array.of(2, 0);
 * assert.deepEqual(Array.from(labelsFor("values", 3, 3, y)), [0, 0, 1, 1, 0, 0]);
 * ```
 */
export function labelsFor(
  kind: "classes" | "values",
  outputs: number,
  classes: number,
  y: Int32Array,
): Int32Array | Float32Array {
  if (kind === "classes") return y;
  if (outputs === 1 && classes === 2) return Float32Array.from(y);
  if (outputs === classes) {
    const targets = new Float32Array(y.length * outputs);
    y.forEach((c, r) => targets[r * outputs + c] = 1);
    return targets;
  }
  throw new ModelCodeError(
    `The model has ${outputs} outputs, but this data set has ${classes} classes: ` +
      `give it ${classes === 2 ? "1 or 2 outputs" : `${classes} outputs`}`,
  );
}

/**
 * An optimizer config for people: its kind, then its settings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeOptimizer } from "./session.ts";
 * import { sgd } from "../mod.ts";
 * assert.match(describeOptimizer(sgd({ lr: 0.1 })), /^sgd \(lr 0\.1, momentum 0\b/);
 * ```
 */
export function describeOptimizer(config: OptimizerConfig): string {
  const { kind, ...settings } = config;
  return `${kind} (${Object.entries(settings).map(([k, v]) => `${k} ${v}`).join(", ")})`;
}

/** Probability of class 1 from a row of outputs (logit, logits or a regressed value). */
function classOneScore(row: Float32Array | Float64Array, loss: string): number {
  if (row.length === 1) {
    return loss === "mse" ? Math.min(1, Math.max(0, row[0])) : 1 / (1 + Math.exp(-row[0]));
  }
  if (loss === "mse") return Math.min(1, Math.max(0, row[1]));
  const top = Math.max(...row);
  let total = 0;
  for (const v of row) total += Math.exp(v - top);
  return Math.exp(row[1] - top) / total;
}

/** A compiled model training on a data set. */
export class Session {
  /** The trainer (public mlpc API). */
  readonly trainer: Trainer;
  /** What the compiler produced. */
  readonly info: CompiledInfo;
  /** The data set. */
  readonly data: Dataset;
  /** The request. */
  readonly request: TrainRequest;
  /** Every epoch so far. */
  readonly records: EpochRecord[] = [];
  readonly #trainLabels: Labels;
  readonly #testLabels: Labels;
  #trainingSeconds = 0;

  private constructor(trainer: Trainer, spec: ModelSpec, data: Dataset, request: TrainRequest) {
    this.trainer = trainer;
    this.data = data;
    this.request = request;
    const inspection = trainer.inspect();
    const artifact = trainer.artifact;
    const outputs = artifact.outputs;
    this.info = {
      graph: inspection.graph,
      gradientGraph: inspection.gradientGraph,
      trainGraph: inspection.trainGraph,
      fusion: inspection.fusion,
      memoryPlan: inspection.memoryPlan,
      wat: inspection.wat,
      compileMs: inspection.compileMs,
      wasmBytes: artifact.wasm.byteLength,
      memoryBytes: artifact.memoryBytes,
      parameters: artifact.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
      outputs,
      loss: spec.loss.name,
      optimizer: describeOptimizer(artifact.optimizer),
    };
    this.#trainLabels = labelsFor(spec.loss.labels, outputs, data.classes, data.train.y);
    this.#testLabels = labelsFor(spec.loss.labels, outputs, data.classes, data.test.y);
  }

  /** Runs the model code and compiles it. */
  static async create(request: TrainRequest, data: Dataset): Promise<Session> {
    const spec = runModelCode(request.code, data);
    const trainer = await mlpc.compile(spec.model, {
      loss: spec.loss,
      optimizer: spec.optimizer ?? optimizerOf(request),
      batchSize: request.batchSize,
      inputFeatures: data.features,
      seed: request.seed,
    });
    return new Session(trainer, spec, data, request);
  }

  /** Whether every requested epoch has run. */
  get finished(): boolean {
    return this.records.length >= this.request.epochs;
  }

  /**
   * Trains epoch after epoch until `budgetMs` milliseconds have passed (at
   * least one epoch) or the run is finished; returns the new records. An
   * epoch is one `fit` call of one epoch: the trainer's shuffle continues
   * across calls, so the run equals one `fit` of all epochs.
   */
  trainFor(budgetMs: number): EpochRecord[] {
    const start = performance.now();
    const fresh: EpochRecord[] = [];
    const { train, test, features } = this.data;
    const trainX = { data: train.x, shape: [train.rows, features] as [number, number] };
    const testX = { data: test.x, shape: [test.rows, features] as [number, number] };
    while (!this.finished && (fresh.length === 0 || performance.now() - start < budgetMs)) {
      const history = this.trainer.fit(trainX, this.#trainLabels, {
        epochs: 1,
        seed: this.request.seed,
      });
      const seconds = history.seconds[0];
      this.#trainingSeconds += seconds;
      const evaluation = this.trainer.evaluate(testX, this.#testLabels);
      const record: EpochRecord = {
        epoch: this.records.length + 1,
        loss: history.loss[0],
        testLoss: evaluation.loss,
        seconds,
        samplesPerSecond: train.rows * (this.records.length + 1) /
          Math.max(this.#trainingSeconds, 1e-9),
        // evaluate reports an accuracy for classifiers only.
        ...(evaluation.accuracy !== undefined
          ? {
            trainAccuracy: this.trainer.evaluate(trainX, this.#trainLabels).accuracy,
            testAccuracy: evaluation.accuracy,
          }
          : {}),
      };
      this.records.push(record);
      fresh.push(record);
    }
    return fresh;
  }

  /**
   * For 2-D data sets: the probability of class 1 on a `size × size` grid
   * over the data set's view box, row by row from the top (largest second
   * coordinate) down; null for other data sets.
   */
  boundary(size: number): Float32Array | null {
    const view: ViewBox | undefined = this.data.view;
    if (view === undefined || this.data.features !== 2) return null;
    const grid = new Float32Array(size * size * 2);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const i = (r * size + c) * 2;
        grid[i] = view.x0 + (view.x1 - view.x0) * (c + 0.5) / size;
        grid[i + 1] = view.y1 - (view.y1 - view.y0) * (r + 0.5) / size;
      }
    }
    const outputs = this.info.outputs;
    const predictions = this.trainer.predict({ data: grid, shape: [size * size, 2] });
    const scores = new Float32Array(size * size);
    for (let i = 0; i < scores.length; i++) {
      scores[i] = classOneScore(
        predictions.subarray(i * outputs, (i + 1) * outputs),
        this.info.loss,
      );
    }
    return scores;
  }

  /**
   * The trained model as files: mlpc's save format (`serialize`),
   * safetensors in mlpc's layout (with the optimizer state) or PyTorch's, the
   * ONNX inference graph, or the standalone predict-only `.wasm` with its ES
   * module loader (interchange/).
   */
  save(format: SaveFormat): DownloadFile[] {
    const base = `mlpc-${this.data.id}`;
    const binary = "application/octet-stream";
    switch (format) {
      case "mlpc":
        return [{
          name: `${base}.json`,
          mime: "application/json",
          data: mlpc.serialize(this.trainer),
        }];
      case "safetensors":
        return [{
          name: `${base}.safetensors`,
          mime: binary,
          data: toSafetensors(this.trainer, { layout: "mlpc", optimizer: true }),
        }];
      case "torch":
        return [{
          name: `${base}-torch.safetensors`,
          mime: binary,
          data: toSafetensors(this.trainer, { layout: "torch" }),
        }];
      case "onnx":
        return [{
          name: `${base}.onnx`,
          mime: binary,
          data: new Uint8Array(exportOnnx(this.trainer)),
        }];
      case "standalone": {
        const built = inferenceModule(this.trainer, { name: base });
        return [
          { name: `${base}.wasm`, mime: "application/wasm", data: built.wasm },
          { name: `${base}.js`, mime: "text/javascript", data: built.source },
        ];
      }
    }
  }
}
