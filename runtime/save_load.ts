/**
 * Saving and loading a trained model as one JSON file: the compiled
 * WebAssembly, its memory layout, the parameters, the optimizer state and the
 * step count — and the graphs the module was compiled from (plain data, for
 * inspection and export; the runtime never reads them, and files without them
 * load as before). Loading needs only the runtime — never the compiler or
 * Binaryen — so inference and resumed training start fast.
 *
 * A save never leaves a half-written file: it writes a temporary file next
 * to the target and renames it over the target only once it is complete.
 *
 * @module
 */

import { InputError, MlpcError } from "../core/errors.ts";
import type { Artifact } from "../core/artifact.ts";
import { optimizerFromPlain } from "../core/optimizer/table.ts";
import { instantiate, type Trainer } from "./trainer.ts";
import { firstNonFinite, notSavable } from "./divergence.ts";

/** Format marker of saved files. */
export const SAVE_FORMAT = "mlpc-model";
/** Version of the saved-file format. */
export const SAVE_VERSION = 3;

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * The saved form of a trainer, as a JSON string: the artifact, the wasm, the
 * trainer's seed (dropout masks depend on it), the step and epoch counts, the
 * learning rate, and every parameter, optimizer-state and
 * running-statistic buffer. A state that is not finite
 * is refused with a `DivergenceError`: `load` could not restore it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { serialize } from "./save_load.ts";
 * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
 * assert.ok(JSON.parse(serialize(t)).format === "mlpc-model");
 * ```
 */
export function serialize(trainer: Trainer): string {
  const { wasm, ...artifact } = trainer.artifact;
  const state = trainer.trainingState();
  const kinds = new Map(artifact.slots.map((s) => [s.name, s.kind]));
  const bad = firstNonFinite(
    Object.entries(state.buffers).map(([name, values]) => [name, kinds.get(name) ?? "", values]),
  );
  if (bad !== undefined) throw notSavable(state.step, bad);
  const buffers: Record<string, string> = {};
  for (const [name, values] of Object.entries(state.buffers)) {
    const typed = values as Float32Array | Float64Array;
    buffers[name] = toBase64(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  }
  return JSON.stringify({
    format: SAVE_FORMAT,
    version: SAVE_VERSION,
    artifact,
    wasm: toBase64(wasm),
    step: state.step,
    epoch: state.epoch ?? 0,
    seed: trainer.seed,
    learningRate: state.learningRate,
    buffers,
  });
}

/**
 * Rebuilds a trainer from `serialize`'s output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { deserialize, serialize } from "./save_load.ts";
 * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
 * const copy = await deserialize(serialize(t));
 * assert.ok(copy.predict([[1, 2]])[0] === t.predict([[1, 2]])[0]);
 * ```
 */
export async function deserialize(text: string): Promise<Trainer> {
  let saved: {
    format?: unknown;
    version?: unknown;
    artifact?: Omit<Artifact, "wasm">;
    wasm?: string;
    step?: number;
    epoch?: number;
    seed?: number;
    learningRate?: number;
    buffers?: Record<string, string>;
  };
  try {
    saved = JSON.parse(text);
  } catch (e) {
    throw new InputError(`Not a saved mlpc model: the file is not JSON (${(e as Error).message})`);
  }
  if (saved?.format !== SAVE_FORMAT) {
    throw new InputError(`Not a saved mlpc model (format ${String(saved?.format)})`);
  }
  if (saved.version !== SAVE_VERSION) {
    throw new InputError(
      `Saved with format version ${saved.version}; this mlpc reads version ${SAVE_VERSION}`,
    );
  }
  if (
    saved.artifact === undefined || typeof saved.wasm !== "string" || saved.buffers === undefined
  ) {
    throw new InputError("The saved model is incomplete: artifact, wasm or buffers missing");
  }
  const { artifact: meta, wasm: encoded, buffers: encodedBuffers } = saved;
  try {
    return await rebuild(meta, encoded, encodedBuffers, {
      step: saved.step ?? 0,
      epoch: saved.epoch ?? 0,
      seed: saved.seed ?? 0,
      learningRate: saved.learningRate,
    });
  } catch (e) {
    if (e instanceof MlpcError) throw e;
    // Base64, typed-array and memory errors from a damaged file: name them as such.
    throw new InputError(`The saved model is damaged: ${(e as Error).message}`);
  }
}

async function rebuild(
  meta: Omit<Artifact, "wasm">,
  encoded: string,
  encodedBuffers: Record<string, string>,
  counters: { step: number; epoch: number; seed: number; learningRate: number | undefined },
): Promise<Trainer> {
  // Checked through the optimizer table: a known kind, its options only, each in range.
  const optimizer = optimizerFromPlain(meta.optimizer, (message) => {
    throw new InputError(
      `The saved model's optimizer is invalid (${message}): ${JSON.stringify(meta.optimizer)}`,
    );
  });
  const wasm = fromBase64(encoded);
  if (!WebAssembly.validate(wasm)) {
    throw new InputError("The saved model's WebAssembly does not validate");
  }
  const artifact: Artifact = { ...meta, optimizer, wasm };
  const { seed, ...state } = counters;
  // The seed is checked by the trainer (an InputError when it is not a u32).
  const trainer = await instantiate(artifact, { seed });
  const elementBytes = artifact.dtype === "f64" ? 8 : 4;
  const buffers: Record<string, ArrayLike<number>> = {};
  for (const [name, text] of Object.entries(encodedBuffers)) {
    const bytes = fromBase64(text);
    if (bytes.length % elementBytes !== 0) {
      throw new InputError(
        `Buffer "${name}" has ${bytes.length} bytes, not a whole number of ${artifact.dtype} values`,
      );
    }
    buffers[name] = artifact.dtype === "f64"
      ? new Float64Array(bytes.buffer)
      : new Float32Array(bytes.buffer);
  }
  const known = new Set(artifact.slots.map((slot) => slot.name));
  const unknown = Object.keys(buffers).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new InputError(`The saved model has unknown buffers: ${unknown.join(", ")}`);
  }
  trainer.restoreTrainingState({ ...state, buffers });
  return trainer;
}

/**
 * Saves a trainer to `path` (JSON). The file is written whole or not at all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { load, save } from "./save_load.ts";
 * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await save(t, path);
 * assert.ok((await load(path)).artifact.inputFeatures === 2);
 * await Deno.remove(path);
 * ```
 */
export async function save(trainer: Trainer, path: string): Promise<void> {
  const text = serialize(trainer);
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temporary, text);
    await Deno.rename(temporary, path);
  } catch (e) {
    await Deno.remove(temporary).catch(() => {});
    throw e;
  }
}

/**
 * Loads a trainer saved by `save`; training resumes where it stopped.
 *
 * @example
 * ```ts ignore
 * import { load } from "./save_load.ts";
 * const trainer = await load("model.json");
 * ```
 */
export async function load(path: string): Promise<Trainer> {
  return await deserialize(await Deno.readTextFile(path));
}
