/**
 * Shared vocabulary of the comparison benchmark (`bench/compare.ts`): the
 * model description every peer trainer receives, the trainer interface the
 * driver times, and a seeded initializer so that the peers that accept
 * external weights all start from the same parameters.
 *
 * Benchmark-only: nothing in the library imports this.
 *
 * @module
 */

/** Hidden-layer activation. */
export type Activation = "relu" | "tanh";

/** Loss function, named after the mlpc export. */
export type LossKind = "softmaxCrossEntropy" | "mse";

/** Optimizer and its hyper-parameters. */
export type OptimizerSpec =
  | { kind: "sgd"; lr: number; momentum?: number }
  | { kind: "adam"; lr: number };

/** A dense MLP: `sizes[0]` inputs, hidden layers, `sizes.at(-1)` outputs. */
export interface ModelSpec {
  /** Layer widths including input and output, e.g. `[784, 128, 10]`. */
  sizes: number[];
  /** Activation after every hidden layer (none after the last). */
  activation: Activation;
  /** Training loss; labels are class ids for cross-entropy, targets for MSE. */
  loss: LossKind;
  /** Parameter update rule. */
  optimizer: OptimizerSpec;
}

/** Inputs: `n*in` row-major values (on a plain, non-shared buffer). */
export type Inputs = Float32Array<ArrayBuffer>;

/** Labels: class ids (`Int32Array`, n) or regression targets (`Float32Array`, n*out). */
export type Labels = Int32Array<ArrayBuffer> | Float32Array<ArrayBuffer>;

/** A ready-to-time training loop for one model and batch size. */
export interface Trainer {
  /** One optimizer step on a batch (`x` is n*in row-major); returns the batch loss. */
  trainBatch(x: Inputs, y: Labels): number | Promise<number>;
  /** Forward pass; returns n*out outputs (logits for cross-entropy). */
  predict(x: Inputs): Float32Array | Promise<Float32Array>;
  /** Releases the trainer's memory. */
  dispose(): void | Promise<void>;
}

/** A benchmarked system: a name, a short note on how it runs, and a trainer factory. */
export interface Peer {
  /** System name as used by `--only`, e.g. `tfjs-wasm`. */
  name: string;
  /** Human-readable note (backend, threads) for the results table. */
  note: string;
  /** Builds a trainer for `spec` at a fixed batch size, seeded. */
  create(spec: ModelSpec, batchSize: number, seed: number): Promise<Trainer>;
}

/** One dense layer's parameters: `w` is in*out row-major, `b` has out entries. */
export interface DenseParams {
  w: Float32Array<ArrayBuffer>;
  b: Float32Array<ArrayBuffer>;
}

/** mulberry32: a small, fast, seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded initial weights: He-uniform for ReLU nets, Glorot-uniform for tanh
 * nets, zero biases.
 */
export function initParams(spec: ModelSpec, seed: number): DenseParams[] {
  const rand = mulberry32(seed);
  const layers: DenseParams[] = [];
  for (let i = 0; i + 1 < spec.sizes.length; i++) {
    const fanIn = spec.sizes[i], fanOut = spec.sizes[i + 1];
    const limit = spec.activation === "relu"
      ? Math.sqrt(6 / fanIn)
      : Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let j = 0; j < w.length; j++) w[j] = (2 * rand() - 1) * limit;
    layers.push({ w, b: new Float32Array(fanOut) });
  }
  return layers;
}
