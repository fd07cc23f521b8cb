/**
 * A compiled model as plain data: the WebAssembly module, where every named
 * buffer lives in its memory, and what the runtime needs to feed it. The
 * runtime runs an artifact without loading the compiler or Binaryen.
 *
 * @module
 */

import type { Initializer, InputKind } from "./contract.ts";
import type { InputSignature } from "./inputs.ts";
import type { OptimizerConfig } from "./optimizers.ts";
import type { DType, Shape } from "./shape.ts";

/** A named buffer in the module's memory. */
export interface ArtifactSlot {
  /** Input or output name (`"x"`, `"y"`, `"loss"`, `"prediction"`, `"0.weight"`, `"exp_avg/0.weight"`…). */
  readonly name: string;
  /** Input kind, or `"output"`. */
  readonly kind: InputKind | "output";
  /** Byte offset. */
  readonly offset: number;
  /** Static shape (`"batch"` for the run-time batch dimension). */
  readonly shape: Shape;
}

/** A trainable parameter (or a running statistic) of the model. */
export interface ArtifactParam {
  /** Name. */
  readonly name: string;
  /** Concrete shape. */
  readonly shape: readonly number[];
  /** Initializer. */
  readonly init: Initializer;
}

/**
 * One node of a saved graph: the compiler's IR node (`compiler/ir/ir.ts`) as
 * plain JSON data. The runtime never reads graphs; inspection and export do,
 * after checking them (`graphFromPlain`).
 */
export interface PlainNode {
  /** Index of the node in its graph. */
  readonly id: number;
  /** The primitive op's name (a row of the op table). */
  readonly op: string;
  /** Ids of the operands. */
  readonly inputs: readonly number[];
  /** Static shape. */
  readonly shape: Shape;
  /** Op-specific attributes (`name`, `kind`, `axis`, `value`, …). */
  readonly attrs: object;
}

/** A saved graph: nodes in topological order, named outputs, state updates. */
export interface PlainGraph {
  /** Element type. */
  readonly dtype: DType;
  /** Nodes. */
  readonly nodes: readonly PlainNode[];
  /** Named results. */
  readonly outputs: readonly { readonly name: string; readonly node: number }[];
  /** New values of parameters and state, applied after the step. */
  readonly updates: readonly { readonly target: string; readonly node: number }[];
}

/**
 * The graphs a model was compiled from, before optimization. Lowering them
 * again (`lowerPrograms`) gives the same module; inspection prints them and
 * export translates them (ONNX, a predict-only module).
 */
export interface ArtifactGraphs {
  /** x → prediction, in inference mode. */
  readonly predict: PlainGraph;
  /** x, y → loss, prediction, in inference mode. */
  readonly evaluate: PlainGraph;
  /**
   * The train-mode loss graph with its symbolic gradient (`grad:<param>`
   * outputs) and the running-statistic updates.
   */
  readonly gradient: PlainGraph;
  /** One training step: forward, loss, backward and optimizer update. */
  readonly train: PlainGraph;
}

/** The current artifact format version. */
export const ARTIFACT_FORMAT = 2;

/** Everything needed to run a compiled model. */
export interface Artifact {
  /**
   * Format version: 2 since artifacts carry an architecture fingerprint and
   * their modules a layout record (`core/layout_record.ts`).
   */
  readonly format: 2;
  /**
   * The architecture fingerprint (`core/fingerprint.ts`): states and
   * parameters taken from a model with another one are refused.
   */
  readonly fingerprint: string;
  /** Element type. */
  readonly dtype: DType;
  /** Largest batch one call handles. */
  readonly maxBatch: number;
  /** Features per input sample (0 when the model's inputs are not one dense matrix: see `inputs`). */
  readonly inputFeatures: number;
  /**
   * What the model reads, when it is not one dense matrix of `inputFeatures`
   * (token ids, token lists, sparse rows, several named inputs). Absent: one
   * dense input `"x"`.
   */
  readonly inputs?: InputSignature;
  /** Values per predicted sample. */
  readonly outputs: number;
  /** The model's first layer, for error messages (e.g. `dense(784 → 128)`). */
  readonly inputLayer: string;
  /**
   * The model, described (e.g. `chain(dense(784 → 128), relu, dense(128 → 10))`);
   * absent from files saved before it was recorded.
   */
  readonly description?: string;
  /** Loss name. */
  readonly loss: string;
  /** Label form: class indices or float targets. */
  readonly labels: "classes" | "values";
  /** Allowed range of float targets, if the loss has one. */
  readonly targetRange?: readonly [number, number];
  /**
   * `"sum"` when the loss sums over a batch (then `fit` and `evaluate` report
   * sums over the data set); means otherwise.
   */
  readonly lossReduction?: "mean" | "sum";
  /** How outputs become probabilities (`predictProba`), if the loss says. */
  readonly probabilities?: "softmax" | "sigmoid";
  /** The optimizer compiled into the training step. */
  readonly optimizer: OptimizerConfig;
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
  /** Named buffers. */
  readonly slots: readonly ArtifactSlot[];
  /** Trainable parameters, in model order. */
  readonly params: readonly ArtifactParam[];
  /**
   * Running statistics (batch norm's `running_mean`, `running_var`), in model
   * order, with the values they start from. Absent when the model has none.
   */
  readonly running?: readonly ArtifactParam[];
  /**
   * The smallest batch a training step accepts (2 when a layer normalizes
   * with batch statistics, which are undefined for one sample). Absent: 1.
   */
  readonly minTrainBatch?: number;
  /** Whether the module uses relaxed-SIMD instructions. */
  readonly relaxedSimd: boolean;
  /**
   * Threads the module was built for (absent: 1). Above 1 the module
   * imports shared memory and runs with `threads − 1` workers (see
   * `THREAD_EXPORTS` in contract.ts); every result is the same bits as with
   * one thread.
   */
  readonly threads?: number;
  /** The module. */
  readonly wasm: Uint8Array<ArrayBuffer>;
  /**
   * The graphs the module was compiled from, for inspection and export
   * (absent from files saved before they were recorded).
   */
  readonly graphs?: ArtifactGraphs;
}

/** What the compiler produced, as text, for people to read. */
export interface Inspection {
  /** Forward graph (x → prediction). */
  readonly graph: string;
  /** Loss graph with its symbolic gradient, before optimization. */
  readonly gradientGraph: string;
  /** The optimized training-step graph (forward, loss, backward, update). */
  readonly trainGraph: string;
  /** The kernels of the training step, after fusion. */
  readonly fusion: string;
  /** The memory plan of the training step. */
  readonly memoryPlan: string;
  /** The WebAssembly text of the whole module. */
  readonly wat: string;
  /**
   * How many threads the step runs on and why; for several, each program's
   * kernels and how each is split among the threads.
   */
  readonly threads: string;
  /** Milliseconds from model to instantiated module. */
  readonly compileMs: number;
}
