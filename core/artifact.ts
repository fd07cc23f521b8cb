/**
 * A compiled model as plain data: the WebAssembly module, where every named
 * buffer lives in its memory, and what the runtime needs to feed it. The
 * runtime runs an artifact without loading the compiler or Binaryen.
 *
 * @module
 */

import type { Initializer, InputKind } from "./contract.ts";
import type { OptimizerConfig } from "./optimizers.ts";
import type { DType, Shape } from "./shape.ts";

/** A named buffer in the module's memory. */
export interface ArtifactSlot {
  /** Input or output name (`"x"`, `"y"`, `"loss"`, `"prediction"`, `"0.weight"`, `"m/0.weight"`…). */
  readonly name: string;
  /** Input kind, or `"output"`. */
  readonly kind: InputKind | "output";
  /** Byte offset. */
  readonly offset: number;
  /** Static shape (`"batch"` for the run-time batch dimension). */
  readonly shape: Shape;
}

/** A trainable parameter of the model. */
export interface ArtifactParam {
  /** Name. */
  readonly name: string;
  /** Concrete shape. */
  readonly shape: readonly number[];
  /** Initializer. */
  readonly init: Initializer;
}

/** Everything needed to run a compiled model. */
export interface Artifact {
  /** Format version. */
  readonly format: 1;
  /** Element type. */
  readonly dtype: DType;
  /** Largest batch one call handles. */
  readonly maxBatch: number;
  /** Features per input sample. */
  readonly inputFeatures: number;
  /** Values per predicted sample. */
  readonly outputs: number;
  /** The model's first layer, for error messages (e.g. `dense(784 → 128)`). */
  readonly inputLayer: string;
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
  /** The optimizer compiled into the training step. */
  readonly optimizer: OptimizerConfig;
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
  /** Named buffers. */
  readonly slots: readonly ArtifactSlot[];
  /** Trainable parameters, in model order. */
  readonly params: readonly ArtifactParam[];
  /** Whether the module uses relaxed-SIMD instructions. */
  readonly relaxedSimd: boolean;
  /** The module. */
  readonly wasm: Uint8Array<ArrayBuffer>;
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
  /** Milliseconds from model to instantiated module. */
  readonly compileMs: number;
}
