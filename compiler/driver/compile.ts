/**
 * `compile`: model → graphs → optimized, fused, planned → one WebAssembly
 * module → an instantiated `Trainer`.
 *
 * @module
 */

import { type Artifact, ARTIFACT_FORMAT, type Inspection } from "../../core/artifact.ts";
import { instantiate, type Trainer } from "../../runtime/trainer.ts";
import { CompileError } from "../../core/errors.ts";
import { checkOptionNames } from "../../core/options.ts";
import { printKernels } from "../schedule/fuse.ts";
import { describe, type Model } from "../frontend/layers.ts";
import type { Loss } from "../frontend/losses.ts";
import { adam, type OptimizerConfig } from "../../core/optimizers.ts";
import { lowerPrograms } from "./lower.ts";
import { printMemoryPlan } from "../schedule/plan_memory.ts";
import { printGraph } from "../ir/print_graph.ts";
import type { DType } from "../../core/shape.ts";
import { buildGraphs } from "../frontend/train_step.ts";
import { EXPORTS, LOSS_OUTPUT } from "../../core/contract.ts";
import { relaxedSimdSupported, wasmText } from "../codegen/wasm.ts";
import { type ThreadSupport, threadSupport } from "../../runtime/threads.ts";
import type { ThreadCosts } from "../schedule/split.ts";
import { describeValue } from "../../core/options.ts";
import {
  type DenseEntry,
  denseSignature,
  type InputSignature,
  isDenseSignature,
} from "../../core/inputs.ts";
import { declareInputs, type InputSpecs } from "../frontend/inputs.ts";

/** The `threads` text of the inspection: how many threads, why, and the plan. */
function describeThreads(
  option: unknown,
  asked: number,
  support: ThreadSupport,
  lowered: { readonly threads: number; readonly threadPlan?: string },
): string {
  const request = option === "auto" ? `"auto" (${asked} cores)` : String(asked);
  if (asked === 1) return "1 thread\n";
  if (!support.available) return `1 thread: ${request} asked, but ${support.reason}\n`;
  if (lowered.threads === 1) {
    return `1 thread: ${request} asked, but no kernel is large enough at this batchSize ` +
      `for splitting it to pay\n${lowered.threadPlan ?? ""}`;
  }
  return `${lowered.threads} threads (${request} asked)\n${lowered.threadPlan ?? ""}`;
}

/** Options of `compile`. */
export interface CompileOptions {
  /** The loss the training step minimizes. */
  loss: Loss;
  /** The optimizer compiled into the step (default `adam()`). */
  optimizer?: OptimizerConfig;
  /** Largest batch one step takes; smaller batches need no recompilation. */
  batchSize: number;
  /** Features per sample (default: the first dense layer's input size). */
  inputFeatures?: number;
  /**
   * What the model reads, when it is not one dense matrix: one input — a
   * number of features, `tokenIds({ length })`, `tokens({ maxTokens })` or
   * `sparse({ features, maxNonZeros })` — given to the model as it is, or a
   * record of them by name (`{ text: tokens({ maxTokens: 4096 }), numeric:
   * 12 }`), given to the model as a record. `fit`, `evaluate`, `predict` and
   * `trainBatch` then take data of the same form. Default: one dense input
   * of `inputFeatures` features.
   */
  inputs?: InputSpecs;
  /** Seed of the parameter initialization (default 0). */
  seed?: number;
  /** Element type (default `"f32"`; `"f64"` for reference checks). */
  dtype?: DType;
  /**
   * Fast mode: relaxed-SIMD fused multiply-add in the matrix products and
   * transcendentals — faster, but results may differ in the last bits between
   * machines. Ignored (the reproducible default is used) where the engine
   * lacks relaxed SIMD; `trainer.artifact.relaxedSimd` tells which ran.
   * Default false.
   */
  relaxedSimd?: boolean;
  /**
   * Compile the loss with a per-sample weight input, `mean(wᵢ·ℓᵢ)` (Keras's
   * `sample_weight` reduction), so that `fit` takes `sampleWeight` and
   * `classWeight`. Unweighted batches get wᵢ = 1 (the same loss as without).
   * Needs a loss with a per-sample form (the built-in ones have one). Default
   * false.
   */
  sampleWeights?: boolean;
  /**
   * Threads of the training step, `evaluate` and `predict`: 1 (the default),
   * a number, or `"auto"` (the available cores,
   * `navigator.hardwareConcurrency`). Each large kernel is split among the
   * threads — every value computed by one thread, in the same order as on
   * one — so results are the same bits with any number of threads; kernels
   * too small to pay stay on one thread. Where `SharedArrayBuffer` or
   * workers are unavailable, or no kernel pays, the step runs on one thread
   * and `inspect().threads` says why. Release the workers with
   * `trainer.dispose()` (a process also exits without it).
   */
  threads?: number | "auto";
}

/** Every key of `CompileOptions`: anything else is a misspelling, reported with the closest name. */
const COMPILE_OPTIONS = [
  "loss",
  "optimizer",
  "batchSize",
  "inputFeatures",
  "inputs",
  "seed",
  "dtype",
  "relaxedSimd",
  "sampleWeights",
  "threads",
] as const satisfies readonly (keyof CompileOptions)[];

function firstLayer(model: Model<never>): string {
  return typeof model === "function" ? describe(model) : model.inputLayer ?? model.description;
}

/**
 * Compiles a model into a trainer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, relu, sgd, softmaxCrossEntropy } from "../../mod.ts";
 * const trainer = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
 *   loss: softmaxCrossEntropy,
 *   optimizer: sgd({ lr: 0.1 }),
 *   batchSize: 16,
 * });
 * assert.ok(trainer.inspect().gradientGraph.includes("grad:0.weight"));
 * ```
 */
export async function compile(model: Model<never>, options: CompileOptions): Promise<Trainer> {
  const started = performance.now();
  const { artifact, inspection } = compileArtifact(model, options);
  let compileMs = NaN;
  // Copy property descriptors, not values, so the WAT stays lazy; compileMs is
  // read after instantiation, so it covers model → instantiated module.
  const full = Object.defineProperties(
    {
      get compileMs() {
        return compileMs;
      },
    },
    Object.getOwnPropertyDescriptors(inspection),
  ) as Inspection;
  const trainer = await instantiate(artifact, { seed: options.seed ?? 0, inspection: full });
  compileMs = performance.now() - started;
  return trainer;
}

/** What the engine that will run an artifact supports (see `compileArtifact`). */
export interface EngineSupport {
  /** Relaxed SIMD (`f32x4.relaxed_madd`). */
  readonly relaxedSimd: boolean;
  /** Workers on shared memory (default: as detected here). */
  readonly threads?: ThreadSupport;
  /** What synchronizing threads costs there (default `DEFAULT_THREAD_COSTS`). */
  readonly threadCosts?: ThreadCosts;
}

/** The largest thread count `compile` accepts. */
export const MAX_THREADS = 64;

/**
 * The thread count `threads` asks for: a number as is, `"auto"` the
 * available cores (`navigator.hardwareConcurrency`, at most `MAX_THREADS`).
 */
function askedThreads(threads: unknown): number {
  if (threads === undefined) return 1;
  if (threads === "auto") {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
      ?.hardwareConcurrency;
    return Math.min(MAX_THREADS, Math.max(1, Math.floor(cores ?? 1)));
  }
  if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 1) {
    throw new CompileError(
      `threads must be an integer in 1..${MAX_THREADS} or "auto", got ${describeValue(threads)}`,
    );
  }
  if (threads > MAX_THREADS) {
    throw new CompileError(`threads must be at most ${MAX_THREADS}, got ${threads}`);
  }
  return threads;
}

/**
 * Compiles a model into a plain-data artifact (and its inspection texts),
 * without instantiating it. `engine` says what the engine that will run the
 * artifact supports — by default this one, as detected; pass it to compile
 * for another engine (or, in tests, to force either relaxed-SIMD path, or
 * threads with other synchronization costs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact } from "./compile.ts";
 * import { dense } from "../frontend/layers.ts";
 * import { mse } from "../frontend/losses.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 8 });
 * assert.ok(WebAssembly.validate(artifact.wasm));
 * // For an engine without relaxed SIMD, fast mode falls back to the default code.
 * const portable = compileArtifact(dense(3, 1), { loss: mse, batchSize: 8, relaxedSimd: true }, {
 *   relaxedSimd: false,
 * });
 * assert.equal(portable.artifact.relaxedSimd, false);
 * ```
 */
export function compileArtifact(
  model: Model<never>,
  options: CompileOptions,
  engine: EngineSupport = { relaxedSimd: relaxedSimdSupported() },
): { artifact: Artifact; inspection: Omit<Inspection, "compileMs"> } {
  checkOptionNames("compile", options, COMPILE_OPTIONS, CompileError);
  const batchSize = options.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1 << 20) {
    throw new CompileError(`batchSize must be an integer in 1..${1 << 20}, got ${batchSize}`);
  }
  if (options.loss === undefined || typeof options.loss.apply !== "function") {
    throw new CompileError("compile needs a loss, e.g. { loss: softmaxCrossEntropy }");
  }
  const dtype = options.dtype ?? "f32";
  if (dtype !== "f32" && dtype !== "f64") {
    throw new CompileError(`dtype must be "f32" or "f64", got ${dtype}`);
  }
  const declared = declaredInputs(model, options);
  const optimizer = options.optimizer ?? adam();
  // Fast mode falls back to the reproducible default where the engine lacks relaxed SIMD.
  const relaxedSimd = (options.relaxedSimd ?? false) && engine.relaxedSimd;
  const asked = askedThreads(options.threads);
  const support = asked > 1 ? engine.threads ?? threadSupport() : { available: true as const };

  const graphs = buildGraphs(model, options.loss, optimizer, declared, dtype, {
    sampleWeights: options.sampleWeights ?? false,
  });
  const lowered = lowerPrograms([
    { name: EXPORTS.train, graph: graphs.train, returns: LOSS_OUTPUT },
    { name: EXPORTS.evaluate, graph: graphs.evaluate, returns: LOSS_OUTPUT },
    { name: EXPORTS.predict, graph: graphs.predict, returns: null },
  ], {
    maxBatch: batchSize,
    relaxedSimd,
    threads: support.available ? asked : 1,
    ...(engine.threadCosts === undefined ? {} : { threadCosts: engine.threadCosts }),
  });
  const { layout, memoryBytes } = lowered;
  const threadsText = describeThreads(options.threads, asked, support, lowered);
  const train = lowered.programs[0];

  const outputs = graphs.predictionShape[1];
  if (typeof outputs !== "number") throw new CompileError("The model's output width must be fixed");
  const inputsOf = (kind: "param" | "running") =>
    graphs.train.nodes
      .filter((n) => n.op === "input" && n.attrs.kind === kind)
      .map((n) => ({
        name: n.attrs.name ?? "",
        shape: n.shape.map((d) => (d === "batch" ? batchSize : d)),
        init: n.attrs.init ?? (kind === "param" ? "glorotUniform" : "zeros"),
      }));
  const params = inputsOf("param");
  const running = inputsOf("running");
  // Statistics over the batch (batch norm in training) need two samples.
  const batchStatistics = graphs.train.nodes.some((n) =>
    n.op === "normalize" && n.attrs.axis === 0 && n.shape.length === 2
  );
  if (batchStatistics && batchSize < 2) {
    throw new CompileError(
      "The model normalizes with batch statistics (batchNorm), which need a batchSize of at least 2",
    );
  }
  const artifact: Artifact = {
    format: ARTIFACT_FORMAT,
    fingerprint: lowered.fingerprint!,
    dtype,
    maxBatch: batchSize,
    inputFeatures: isDenseSignature(graphs.signature)
      ? (graphs.signature.inputs[0] as DenseEntry).features
      : 0,
    ...(isDenseSignature(graphs.signature) ? {} : { inputs: graphs.signature }),
    outputs,
    inputLayer: firstLayer(model),
    description: describe(model),
    loss: options.loss.name,
    labels: options.loss.labels,
    ...(options.loss.targetRange === undefined ? {} : { targetRange: options.loss.targetRange }),
    ...(options.loss.reduction === "sum" ? { lossReduction: "sum" as const } : {}),
    ...(options.loss.probabilities === undefined
      ? {}
      : { probabilities: options.loss.probabilities }),
    optimizer,
    memoryBytes,
    slots: layout.slots.map((s) => ({
      name: s.name,
      kind: s.kind as Artifact["slots"][number]["kind"],
      offset: s.offset,
      shape: s.shape,
    })),
    params,
    ...(running.length === 0 ? {} : { running }),
    ...(batchStatistics ? { minTrainBatch: 2 } : {}),
    relaxedSimd,
    ...(lowered.threads > 1 ? { threads: lowered.threads } : {}),
    wasm: lowered.binary,
    graphs: {
      predict: graphs.predict,
      evaluate: graphs.evaluate,
      gradient: graphs.gradient,
      train: graphs.train,
    },
  };
  let wat: string | undefined;
  const inspection = {
    graph: printGraph(graphs.predict),
    gradientGraph: printGraph(graphs.gradient),
    trainGraph: printGraph(train.program.graph),
    fusion: printKernels(train.program),
    memoryPlan: printMemoryPlan(layout, train.plan),
    threads: threadsText,
    /** The WebAssembly text, produced on first access (it costs ~20 ms). */
    get wat(): string {
      wat ??= wasmText(lowered.binary);
      return wat;
    },
  };
  return { artifact, inspection };
}

/** The signature from `inputs`, or one dense input of `inputFeatures` (given or the first layer's). */
function declaredInputs(model: Model<never>, options: CompileOptions): InputSignature {
  if (options.inputs !== undefined) {
    if (options.inputFeatures !== undefined) {
      throw new CompileError(
        "compile takes inputs or inputFeatures, not both (inputs: n declares n dense features)",
      );
    }
    return declareInputs(options.inputs).signature;
  }
  const inputFeatures = options.inputFeatures ??
    (typeof model === "function" ? undefined : model.inputFeatures);
  if (inputFeatures === undefined || !Number.isInteger(inputFeatures) || inputFeatures < 1) {
    throw new CompileError(
      `Cannot tell what the model (${describe(model)}) reads: pass inputFeatures (the number ` +
        `of features of one dense input), or inputs (e.g. tokens({ maxTokens }), or a record ` +
        `of named inputs)`,
    );
  }
  return denseSignature(inputFeatures);
}
