/**
 * A trained model's tensors as a safetensors file, and back.
 *
 * What is written:
 * - every parameter, under its mlpc name (`"0.weight"`, `"0.bias"`, …);
 * - every state buffer of the model itself (running statistics of layers
 *   that keep them), under its own name;
 * - with `optimizer: true`, the optimizer's state (`"exp_avg/0.weight"`,
 *   `"momentum_buffer/0.weight"`, …: a state buffer named `<slot>/<parameter>`) and,
 *   in the metadata, the step and epoch counts, so training resumes exactly;
 * - metadata (strings): `mlpc.version`, `mlpc.layout`, `mlpc.architecture`
 *   (the model described), `mlpc.dtype`, the optimizer, and your own.
 *
 * `layout: "torch"` writes the state dict of the equivalent
 * `torch.nn.Sequential` of `nn.Linear` layers, so that
 * `model.load_state_dict(safetensors.torch.load_file(path))` works:
 *
 * | mlpc                                  | PyTorch                                 |
 * | ------------------------------------- | --------------------------------------- |
 * | `chain(dense(4, 8), relu, dense(8, 3))` | `Sequential(Linear(4, 8), ReLU(), Linear(8, 3))` |
 * | `"0.weight"`, f32[4, 8] (x · W)       | `"0.weight"`, [8, 4] (x · Wᵀ): transposed |
 * | `"0.bias"`, f32[8]                    | `"0.bias"`, [8]: as is                   |
 * | `"2.weight"`, `"2.bias"`              | `"2.weight"`, `"2.bias"` (activations keep their index) |
 *
 * A weight is transposed when the model multiplies by it from the right
 * (`matmul(x, W)`, read from the model's graph); every other tensor is
 * written as it is. The metadata then holds `format: "pt"`, as PyTorch
 * tooling expects. Optimizer state has no place in a PyTorch state dict, so
 * the torch layout refuses `optimizer: true`. BatchNorm layers get PyTorch's
 * `num_batches_tracked` counter too (the step count; read past on loading).
 *
 * Loading checks everything against the model before changing anything:
 * every parameter present with its shape (strict by default), no unknown
 * tensor, a floating-point dtype (F16, BF16, F32, F64 are converted to the
 * model's precision), finite values; each problem is a `SafetensorsError`
 * naming the tensor.
 *
 * @module
 */

import type { Trainer } from "../runtime/trainer.ts";
import { writeFileAtomic } from "../runtime/write_atomic.ts";
import { FileError } from "../core/errors.ts";
import { MLPC_VERSION } from "../core/version.ts";
import { graphFromPlain } from "../compiler/ir/from_plain.ts";
import { optimizerStateBuffers } from "../core/optimizer/table.ts";
import {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  floatBytes,
  floatValues,
  type RawTensor,
  SafetensorsError,
} from "./safetensors_format.ts";

/** Names and weight layouts of the file. */
export type SafetensorsLayout = "mlpc" | "torch";

/** Options of `saveSafetensors` / `toSafetensors`. */
export interface SaveSafetensorsOptions {
  /** `"mlpc"` (default): mlpc's names and layouts; `"torch"`: a `torch.nn.Sequential` state dict. */
  readonly layout?: SafetensorsLayout;
  /** Also write the optimizer's state and the step count (mlpc layout only; default false). */
  readonly optimizer?: boolean;
  /** More metadata (string to string), written next to mlpc's own keys. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Options of `loadSafetensors` / `fromSafetensors`. */
export interface LoadSafetensorsOptions extends DecodeOptions {
  /** The file's layout (default: the file's `mlpc.layout` metadata, else `"mlpc"`). */
  readonly layout?: SafetensorsLayout;
  /** Require every parameter and refuse unknown tensors (default true). */
  readonly strict?: boolean;
  /**
   * Restore the optimizer's state and the step and epoch counts (default:
   * when the file has them). Requires all of them.
   */
  readonly optimizer?: boolean;
}

/** What loading found in the file besides the tensors. */
export interface LoadedSafetensors {
  /** The file's metadata. */
  readonly metadata: ReadonlyMap<string, string>;
  /** Names (in the file) of the tensors loaded. */
  readonly loaded: readonly string[];
}

/** Metadata keys mlpc writes. */
export const METADATA_KEYS = {
  version: "mlpc.version",
  layout: "mlpc.layout",
  architecture: "mlpc.architecture",
  dtype: "mlpc.dtype",
  optimizer: "mlpc.optimizer",
  step: "mlpc.step",
  epoch: "mlpc.epoch",
  learningRate: "mlpc.learningRate",
} as const;

/** One buffer of the model and how it appears in a file. */
interface Entry {
  /** The buffer's name in the model. */
  readonly slot: string;
  /** The tensor's name in the file. */
  readonly name: string;
  /** The buffer's shape in the model. */
  readonly shape: readonly number[];
  /** Whether the file holds the transpose (a 2-D buffer). */
  readonly transposed: boolean;
  /** Parameter, the model's own state, or the optimizer's. */
  readonly role: "param" | "state" | "optimizer";
}

function transpose(values: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  }
  return out;
}

/**
 * Parameters the model multiplies by from the right without transposing
 * (`x · W`). Token lists and sparse rows are refused: a table multiplied by
 * them may stand for `nn.Linear` (`dense`, stored transposed in PyTorch) or
 * `nn.EmbeddingBag` (stored as is), and the graph does not say which.
 */
function rightFactors(trainer: Trainer): Set<string> {
  const inputs = trainer.artifact.inputs?.inputs ?? [];
  const bags = inputs.filter((e) => e.kind === "tokens" || e.kind === "sparse");
  if (bags.length > 0) {
    throw new SafetensorsError(
      `The torch layout cannot tell dense(…) over token lists or sparse rows (nn.Linear, its ` +
        `weight transposed) from embeddingBag (nn.EmbeddingBag, as is), and this model reads ` +
        `${bags.map((e) => `"${e.name}"`).join(", ")}: use layout "mlpc"`,
    );
  }
  const plain = trainer.artifact.graphs?.predict;
  if (plain === undefined) {
    throw new SafetensorsError(
      "The torch layout reads the model's graph, which this model lacks (it was loaded from a " +
        "file saved before graphs were recorded): compile it again, or save it with this version",
    );
  }
  const graph = graphFromPlain(plain, "predict");
  const found = new Set<string>();
  for (const node of graph.nodes) {
    if (node.op !== "matmul" || node.attrs.transB) continue;
    const b = graph.nodes[node.inputs[1]];
    if (b.op === "input" && b.attrs.kind === "param") found.add(b.attrs.name ?? "");
  }
  return found;
}

/** The model's buffers as the file names them. */
function entries(trainer: Trainer, layout: SafetensorsLayout): Entry[] {
  const { artifact } = trainer;
  const optimizerState = new Set(
    optimizerStateBuffers(artifact.optimizer, artifact.params.map((p) => p.name)).map((b) =>
      b.buffer
    ),
  );
  const right = layout === "torch" ? rightFactors(trainer) : new Set<string>();
  const out: Entry[] = [];
  for (const slot of artifact.slots) {
    // Running statistics (batch norm's running_mean, running_var) are the model's own state.
    if (slot.kind !== "param" && slot.kind !== "state" && slot.kind !== "running") continue;
    const shape = slot.shape.map((d) => (d === "batch" ? 1 : d));
    const role = slot.kind === "param"
      ? "param"
      : optimizerState.has(slot.name)
      ? "optimizer"
      : "state";
    const transposed = role === "param" && shape.length === 2 && right.has(slot.name);
    out.push({ slot: slot.name, name: slot.name, shape, transposed, role });
  }
  return out;
}

const RUNNING_MEAN = "running_mean";
const BATCHES_TRACKED = "num_batches_tracked";

/**
 * PyTorch's BatchNorm keeps a counter of the batches it normalized,
 * `<layer>.num_batches_tracked` (an I64 scalar), next to its running
 * statistics: the torch layout writes it (mlpc's step count) for every layer
 * with a `running_mean`, and reads past it.
 */
function batchCounters(trainer: Trainer): string[] {
  return trainer.artifact.slots
    .filter((s) => s.kind === "running" && s.name.endsWith(RUNNING_MEAN))
    .map((s) => `${s.name.slice(0, -RUNNING_MEAN.length)}${BATCHES_TRACKED}`);
}

function fileShape(e: Entry): number[] {
  return e.transposed ? [e.shape[1], e.shape[0]] : [...e.shape];
}

/**
 * A trainer's tensors as the bytes of a safetensors file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { decodeSafetensors, toSafetensors } from "./mod.ts";
 * const t = await compile(dense(3, 2), { loss: mse, batchSize: 4 });
 * const file = decodeSafetensors(toSafetensors(t, { layout: "torch" }));
 * assert.deepEqual(file.tensors.get("weight")?.shape, [2, 3]); // [out, in], as nn.Linear
 * assert.equal(file.metadata.get("format"), "pt");
 * ```
 */
export function toSafetensors(
  trainer: Trainer,
  options: SaveSafetensorsOptions = {},
): Uint8Array<ArrayBuffer> {
  const layout = options.layout ?? "mlpc";
  if (layout !== "mlpc" && layout !== "torch") {
    throw new SafetensorsError(`layout must be "mlpc" or "torch", got ${String(layout)}`);
  }
  if (layout === "torch" && options.optimizer === true) {
    throw new SafetensorsError(
      'A PyTorch state dict has no place for optimizer state: save it with layout "mlpc"',
    );
  }
  const { artifact } = trainer;
  const dtype = artifact.dtype === "f64" ? "F64" : "F32";
  const state = trainer.trainingState();
  const tensors = new Map<string, RawTensor>();
  for (const e of entries(trainer, layout)) {
    if (e.role === "optimizer" && options.optimizer !== true) continue;
    const values = state.buffers[e.slot];
    const data = e.transposed ? transpose(values, e.shape[0], e.shape[1]) : values;
    tensors.set(e.name, { dtype, shape: fileShape(e), data: floatBytes(data, dtype) });
  }
  if (layout === "torch") {
    for (const name of batchCounters(trainer)) {
      const data = new Uint8Array(8);
      new DataView(data.buffer).setBigInt64(0, BigInt(state.step), true);
      tensors.set(name, { dtype: "I64", shape: [], data });
    }
  }
  const metadata = new Map<string, string>(Object.entries(options.metadata ?? {}));
  if (layout === "torch") metadata.set("format", "pt");
  metadata.set(METADATA_KEYS.version, MLPC_VERSION);
  metadata.set(METADATA_KEYS.layout, layout);
  metadata.set(METADATA_KEYS.architecture, artifact.description ?? artifact.inputLayer);
  metadata.set(METADATA_KEYS.dtype, artifact.dtype);
  metadata.set(METADATA_KEYS.optimizer, JSON.stringify(artifact.optimizer));
  if (options.optimizer === true) {
    metadata.set(METADATA_KEYS.step, String(state.step));
    metadata.set(METADATA_KEYS.epoch, String(state.epoch ?? 0));
    if (state.learningRate !== undefined) {
      metadata.set(METADATA_KEYS.learningRate, String(state.learningRate));
    }
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Writes a trainer's tensors to a safetensors file, atomically (a temporary
 * file renamed over the target); a file that cannot be written is a
 * `FileError` naming the path and the cause.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { loadSafetensors, saveSafetensors } from "./mod.ts";
 * const a = await compile(dense(3, 2), { loss: mse, batchSize: 4, seed: 1 });
 * const b = await compile(dense(3, 2), { loss: mse, batchSize: 4, seed: 2 });
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveSafetensors(a, path);
 * await loadSafetensors(b, path);
 * assert.deepEqual(b.getParams(), a.getParams());
 * await Deno.remove(path);
 * ```
 */
export async function saveSafetensors(
  trainer: Trainer,
  path: string,
  options: SaveSafetensorsOptions = {},
): Promise<void> {
  await writeFileAtomic(path, toSafetensors(trainer, options)); // a FileError when it fails
}

function parseCount(metadata: ReadonlyMap<string, string>, key: string): number {
  const text = metadata.get(key);
  const value = text === undefined ? NaN : Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || String(value) !== text) {
    throw new SafetensorsError(
      `The file has optimizer state but its metadata ${key} is ${JSON.stringify(text)}, ` +
        "not a non-negative integer",
    );
  }
  return value;
}

/**
 * Loads tensors from the bytes of a safetensors file into a trainer. Nothing
 * changes unless every check passes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { fromSafetensors, toSafetensors } from "./mod.ts";
 * const a = await compile(dense(3, 2), { loss: mse, batchSize: 4, seed: 1 });
 * const b = await compile(dense(3, 2), { loss: mse, batchSize: 4, seed: 2 });
 * fromSafetensors(b, toSafetensors(a, { layout: "torch" })); // layout read from the metadata
 * assert.deepEqual(b.getParams(), a.getParams());
 * ```
 */
export function fromSafetensors(
  trainer: Trainer,
  bytes: Uint8Array,
  options: LoadSafetensorsOptions = {},
): LoadedSafetensors {
  const file = decodeSafetensors(bytes, options);
  const written = file.metadata.get(METADATA_KEYS.layout);
  const layout = options.layout ?? (written === "torch" ? "torch" : "mlpc");
  if (layout !== "mlpc" && layout !== "torch") {
    throw new SafetensorsError(`layout must be "mlpc" or "torch", got ${String(layout)}`);
  }
  if (written !== undefined && written !== layout) {
    throw new SafetensorsError(
      `The file was written with layout "${written}", but layout "${layout}" was asked for`,
    );
  }
  const strict = options.strict ?? true;
  const all = entries(trainer, layout);
  const byName = new Map(all.map((e) => [e.name, e]));
  const hasOptimizer = file.metadata.has(METADATA_KEYS.step) ||
    all.some((e) => e.role === "optimizer" && file.tensors.has(e.name));
  const withOptimizer = options.optimizer ?? hasOptimizer;
  const wanted = all.filter((e) => e.role !== "optimizer" || withOptimizer);

  const counters = new Set(layout === "torch" ? batchCounters(trainer) : []);
  if (strict) {
    const unknown = [...file.tensors.keys()].filter((name) => {
      if (counters.has(name)) return false; // PyTorch's batch counter: nothing to load
      const e = byName.get(name);
      return e === undefined || (e.role === "optimizer" && !withOptimizer);
    });
    if (unknown.length > 0) {
      throw new SafetensorsError(
        `The file has tensors the model does not: ${unknown.map((n) => `"${n}"`).join(", ")} ` +
          `(the model's are ${wanted.map((e) => `"${e.name}"`).join(", ")})`,
        unknown[0],
      );
    }
  }
  const required = wanted.filter((e) => strict || e.role === "optimizer");
  const missing = required.filter((e) => !file.tensors.has(e.name));
  if (missing.length > 0) {
    throw new SafetensorsError(
      `The file lacks ${missing.map((e) => `"${e.name}"`).join(", ")}, which the model has`,
      missing[0].name,
    );
  }

  const dtype = trainer.artifact.dtype;
  const values = new Map<string, Float32Array | Float64Array>();
  for (const e of wanted) {
    const t = file.tensors.get(e.name);
    if (t === undefined) continue;
    const expected = fileShape(e);
    if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
      throw new SafetensorsError(
        `Tensor "${e.name}" has shape [${t.shape}]; the model's needs [${expected}]` +
          (e.transposed ? ` (the ${layout} layout of [${e.shape}])` : ""),
        e.name,
      );
    }
    const numbers = floatValues(e.name, t);
    const inModel = e.transposed ? transpose(numbers, expected[0], expected[1]) : numbers;
    const typed = dtype === "f64" ? Float64Array.from(inModel) : Float32Array.from(inModel);
    const bad = typed.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new SafetensorsError(
        `Tensor "${e.name}" has the value ${
          numbers[bad]
        } at element ${bad}, not finite in ${dtype}`,
        e.name,
      );
    }
    values.set(e.slot, typed);
  }

  const state = trainer.trainingState();
  const buffers: Record<string, ArrayLike<number>> = { ...state.buffers };
  for (const [slot, v] of values) buffers[slot] = v;
  const step = withOptimizer ? parseCount(file.metadata, METADATA_KEYS.step) : state.step;
  const epoch = withOptimizer ? parseCount(file.metadata, METADATA_KEYS.epoch) : state.epoch;
  const lrText = withOptimizer ? file.metadata.get(METADATA_KEYS.learningRate) : undefined;
  const learningRate = lrText === undefined ? undefined : Number(lrText);
  if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new SafetensorsError(
      `The file's metadata ${METADATA_KEYS.learningRate} is ${JSON.stringify(lrText)}, ` +
        "not a positive number",
    );
  }
  trainer.restoreTrainingState({
    step,
    epoch,
    buffers,
    ...(learningRate === undefined ? {} : { learningRate }),
  });
  return {
    metadata: file.metadata,
    loaded: wanted.filter((e) => values.has(e.slot)).map((e) => e.name),
  };
}

/**
 * Loads a safetensors file into a trainer (see `fromSafetensors`); a file
 * that cannot be read is a `FileError` naming the path and the cause.
 *
 * @example
 * ```ts ignore
 * import { loadSafetensors } from "./mod.ts";
 * await loadSafetensors(trainer, "model.safetensors", { layout: "torch" });
 * ```
 */
export async function loadSafetensors(
  trainer: Trainer,
  path: string,
  options: LoadSafetensorsOptions = {},
): Promise<LoadedSafetensors> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new FileError("read", path, e);
  }
  return fromSafetensors(trainer, bytes, options);
}
