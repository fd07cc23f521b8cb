/**
 * `compile`: model → graphs → optimized, fused, planned → one WebAssembly
 * module → an instantiated `Trainer`.
 *
 * @module
 */

import type { Artifact, Inspection } from "../runtime/artifact.ts";
import { instantiate, type Trainer } from "../runtime/trainer.ts";
import { emitModule, planPrograms } from "./emit_module.ts";
import { CompileError } from "./errors.ts";
import { fuse, printKernels } from "./fuse.ts";
import { describe, type Model } from "./layers.ts";
import type { Loss } from "./losses.ts";
import { adam, type OptimizerConfig } from "./optimizers.ts";
import { optimize } from "./pipeline.ts";
import { printMemoryPlan } from "./plan_memory.ts";
import { printGraph } from "./print_graph.ts";
import type { DType } from "./shape.ts";
import { buildGraphs, LOSS_OUTPUT } from "./train_step.ts";
import { relaxedSimdSupported, wasmText } from "./wasm.ts";

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
}

function firstLayer(model: Model): string {
  return typeof model === "function" ? describe(model) : model.inputLayer ?? model.description;
}

/**
 * Compiles a model into a trainer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, relu, sgd, softmaxCrossEntropy } from "../mod.ts";
 * const trainer = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
 *   loss: softmaxCrossEntropy,
 *   optimizer: sgd({ lr: 0.1 }),
 *   batchSize: 16,
 * });
 * assert.ok(trainer.inspect().gradientGraph.includes("grad:0.weight"));
 * ```
 */
export async function compile(model: Model, options: CompileOptions): Promise<Trainer> {
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

/**
 * Compiles a model into a plain-data artifact (and its inspection texts),
 * without instantiating it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact } from "./compile.ts";
 * import { dense } from "./layers.ts";
 * import { mse } from "./losses.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 8 });
 * assert.ok(WebAssembly.validate(artifact.wasm));
 * ```
 */
export function compileArtifact(
  model: Model,
  options: CompileOptions,
): { artifact: Artifact; inspection: Omit<Inspection, "compileMs"> } {
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
  const inputFeatures = options.inputFeatures ??
    (typeof model === "function" ? undefined : model.inputFeatures);
  if (inputFeatures === undefined || !Number.isInteger(inputFeatures) || inputFeatures < 1) {
    throw new CompileError(
      `Cannot tell how many features the model takes (${describe(model)}): pass inputFeatures`,
    );
  }
  const optimizer = options.optimizer ?? adam();
  // Fast mode falls back to the reproducible default where the engine lacks relaxed SIMD.
  const relaxedSimd = (options.relaxedSimd ?? false) && relaxedSimdSupported();

  const graphs = buildGraphs(model, options.loss, optimizer, inputFeatures, dtype);
  const train = fuse(optimize(graphs.train));
  const evaluate = fuse(optimize(graphs.evaluate));
  const predict = fuse(optimize(graphs.predict));
  const programs = [
    { name: "train", program: train, returns: LOSS_OUTPUT },
    { name: "evaluate", program: evaluate, returns: LOSS_OUTPUT },
    { name: "predict", program: predict, returns: null },
  ];
  const { layout, toEmit, memoryBytes } = planPrograms(programs, batchSize);
  const limit = 65536 * 65536; // 4 GiB, wasm32's whole address space
  if (memoryBytes > limit) {
    throw new CompileError(
      `The model needs ${memoryBytes} bytes of memory at batchSize ${batchSize}, more than wasm32's 4 GiB: ` +
        `use a smaller batchSize`,
    );
  }
  const emitted = emitModule(toEmit, layout, memoryBytes, dtype, relaxedSimd);

  const outputs = graphs.predictionShape[1];
  if (typeof outputs !== "number") throw new CompileError("The model's output width must be fixed");
  const params = graphs.train.nodes
    .filter((n) => n.op === "input" && n.attrs.kind === "param")
    .map((n) => ({
      name: n.attrs.name ?? "",
      shape: n.shape.map((d) => (d === "batch" ? batchSize : d)),
      init: n.attrs.init ?? "glorotUniform",
    }));
  const artifact: Artifact = {
    format: 1,
    dtype,
    maxBatch: batchSize,
    inputFeatures,
    outputs,
    inputLayer: firstLayer(model),
    loss: options.loss.name,
    labels: options.loss.labels,
    ...(options.loss.targetRange === undefined ? {} : { targetRange: options.loss.targetRange }),
    optimizer,
    memoryBytes,
    slots: layout.slots.map((s) => ({
      name: s.name,
      kind: s.kind as Artifact["slots"][number]["kind"],
      offset: s.offset,
      shape: s.shape,
    })),
    params,
    relaxedSimd,
    wasm: emitted.binary,
  };
  let wat: string | undefined;
  const inspection = {
    graph: printGraph(graphs.predict),
    gradientGraph: printGraph(graphs.gradient),
    trainGraph: printGraph(train.graph),
    fusion: printKernels(train),
    memoryPlan: printMemoryPlan(layout, toEmit[0].plan),
    /** The WebAssembly text, produced on first access (it costs ~20 ms). */
    get wat(): string {
      wat ??= wasmText(emitted.binary);
      return wat;
    },
  };
  return { artifact, inspection };
}
