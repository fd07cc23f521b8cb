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
 * Loading trusts nothing in the file. In order, before anything runs or any
 * memory is allocated for the model: the format and version; a SHA-256
 * checksum of the content (canonical JSON, so key order and number spelling
 * do not matter), computed with WebCrypto; the metadata's consistency
 * (`verify_artifact.ts`: sizes within memory, no overlapping buffers, the
 * data, label and prediction buffers, parameters, optimizer state and
 * scalars) and the fingerprint against the saved graphs; every saved buffer's
 * name and size against its slot, before it is decoded; then the module's
 * imports, exports, memory and layout record. Each rule broken is an
 * `ArtifactError` that names it; a file that cannot be read or written is a
 * `FileError` naming the path and the cause.
 *
 * @module
 */

import { ArtifactError, FileError, MlpcError } from "../core/errors.ts";
import { checkScaler, PREPROCESSING_VERSION } from "../core/preprocessing.ts";
import type { Artifact } from "../core/artifact.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import { sha256Hex } from "../core/sha256.ts";
import { elementCount } from "../core/shape.ts";
import { instantiate, type Trainer } from "./trainer.ts";
import { firstNonFinite, notSavable } from "./divergence.ts";
import { checkFingerprint, checkMetadata } from "./verify_artifact.ts";
import { writeFileAtomic } from "./write_atomic.ts";

/** Format marker of saved files. */
export const SAVE_FORMAT = "mlpc-model";
/**
 * Version of the saved-file format: 4 since files carry a content checksum,
 * their artifact a fingerprint and their module a layout record.
 */
export const SAVE_VERSION = 4;
/** The largest file `load` reads (a JavaScript string holds at most about 512 MiB). */
export const MAX_SAVE_BYTES = 512 * 1024 * 1024;

const CHECKSUM_PREFIX = "sha256:";

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function fromBase64(what: string, text: string): Uint8Array<ArrayBuffer> {
  let raw: string;
  try {
    raw = atob(text);
  } catch {
    damaged(`${what} is not base64`);
  }
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function damaged(message: string): never {
  throw new ArtifactError(`The saved model is damaged: ${message}`);
}

/** The saved content without its checksum, in the order it is written. */
function content(trainer: Trainer): Record<string, unknown> {
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
  return {
    format: SAVE_FORMAT,
    version: SAVE_VERSION,
    artifact,
    wasm: toBase64(wasm),
    step: state.step,
    epoch: state.epoch ?? 0,
    seed: trainer.seed,
    learningRate: state.learningRate,
    buffers,
    // Input preprocessing, apart from the compiled artifact, with its own version.
    ...(trainer.preprocessing === null ? {} : {
      preprocessing: { version: PREPROCESSING_VERSION, scaler: trainer.preprocessing },
    }),
  };
}

/** `content` with its checksum (of the canonical JSON of the rest) second. */
function withChecksum(body: Record<string, unknown>, hex: string): string {
  const { format, ...rest } = body;
  return JSON.stringify({ format, checksum: CHECKSUM_PREFIX + hex, ...rest });
}

async function webCryptoSha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The saved form of a trainer, as a JSON string: the artifact, the wasm, the
 * trainer's seed (dropout masks depend on it), the step and epoch counts, the
 * learning rate, every parameter, optimizer-state and running-statistic
 * buffer, and a SHA-256 checksum of all of it. A state that is not finite is
 * refused with a `DivergenceError`: `load` could not restore it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { serialize } from "./save_load.ts";
 * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
 * const saved = JSON.parse(serialize(t));
 * assert.ok(saved.format === "mlpc-model" && /^sha256:[0-9a-f]{64}$/.test(saved.checksum));
 * ```
 */
export function serialize(trainer: Trainer): string {
  const body = content(trainer);
  return withChecksum(body, sha256Hex(new TextEncoder().encode(canonicalJson(body))));
}

interface SavedFile {
  format?: unknown;
  version?: unknown;
  checksum?: unknown;
  artifact?: unknown;
  wasm?: unknown;
  step?: unknown;
  epoch?: unknown;
  seed?: unknown;
  learningRate?: unknown;
  buffers?: unknown;
  preprocessing?: unknown;
}

/**
 * Rebuilds a trainer from `serialize`'s output, after checking everything in
 * it (see the module documentation); an `ArtifactError` names the first rule
 * it breaks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { deserialize, serialize } from "./save_load.ts";
 * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
 * const copy = await deserialize(serialize(t));
 * assert.ok(copy.predict([[1, 2]])[0] === t.predict([[1, 2]])[0]);
 * const edited = serialize(t).replace('"maxBatch":2', '"maxBatch":3');
 * await assert.rejects(() => deserialize(edited), /checksum/);
 * ```
 */
export async function deserialize(text: string): Promise<Trainer> {
  let saved: SavedFile;
  try {
    saved = JSON.parse(text);
  } catch (e) {
    throw new ArtifactError(
      `Not a saved mlpc model: the file is not JSON (${(e as Error).message})`,
    );
  }
  if (typeof saved !== "object" || saved === null || saved.format !== SAVE_FORMAT) {
    throw new ArtifactError(`Not a saved mlpc model (format ${String(saved?.format)})`);
  }
  if (saved.version !== SAVE_VERSION) {
    const older = typeof saved.version === "number" && saved.version < SAVE_VERSION;
    throw new ArtifactError(
      older
        ? `The file was saved in format version ${saved.version} by an older mlpc, before ` +
          `saves carried a checksum, a fingerprint and a layout record; this mlpc reads ` +
          `version ${SAVE_VERSION}. Load it with the mlpc that saved it, export its parameters ` +
          `(getParams or saveSafetensors) and set them into the model compiled with this one ` +
          `(setParams or loadSafetensors)`
        : `The file was saved in format version ${saved.version}; this mlpc reads version ` +
          `${SAVE_VERSION}: load it with a newer mlpc`,
    );
  }
  const { checksum, ...body } = saved;
  if (typeof checksum !== "string" || !checksum.startsWith(CHECKSUM_PREFIX)) {
    damaged(`it has no checksum (found ${JSON.stringify(checksum)})`);
  }
  const computed = CHECKSUM_PREFIX + await webCryptoSha256(canonicalJson(body));
  if (computed !== checksum) {
    damaged(
      `its content checksum is ${computed}, but the file says ${checksum}: it was changed ` +
        `or corrupted after it was saved`,
    );
  }
  try {
    const trainer = await rebuild(saved);
    if (saved.preprocessing !== undefined) {
      const p = saved.preprocessing as { version?: unknown; scaler?: unknown } | null;
      if (p?.version !== PREPROCESSING_VERSION) {
        damaged(
          `its preprocessing has version ${JSON.stringify(p?.version)}; this mlpc reads ` +
            `version ${PREPROCESSING_VERSION}`,
        );
      }
      try {
        trainer.preprocessing = checkScaler(p!.scaler, trainer.artifact.inputFeatures);
      } catch (e) {
        damaged(`its preprocessing is invalid: ${(e as Error).message}`);
      }
    }
    return trainer;
  } catch (e) {
    if (e instanceof MlpcError) throw e;
    // Typed-array and memory errors from a file that passed every check: name them as such.
    damaged((e as Error).message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function count(name: string, value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    damaged(`${name} ${JSON.stringify(value)} is not an integer in 0..${max}`);
  }
  return value;
}

async function rebuild(saved: SavedFile): Promise<Trainer> {
  if (!isRecord(saved.artifact)) damaged("it has no artifact");
  if (typeof saved.wasm !== "string") damaged("it has no module (wasm)");
  if (!isRecord(saved.buffers)) damaged("it has no buffers");
  const step = count("step", saved.step, Number.MAX_SAFE_INTEGER);
  const epoch = count("epoch", saved.epoch, Number.MAX_SAFE_INTEGER);
  const seed = count("seed", saved.seed, 0xffffffff);
  if (saved.learningRate !== undefined && typeof saved.learningRate !== "number") {
    damaged(`learningRate ${JSON.stringify(saved.learningRate)} is not a number`);
  }
  const meta = saved.artifact as unknown as Omit<Artifact, "wasm">;
  // Sizes and consistency first: nothing below allocates more than they allow.
  const optimizer = checkMetadata(meta);
  checkFingerprint(meta);
  const elementBytes = meta.dtype === "f64" ? 8 : 4;
  const encoded = saved.buffers as Record<string, unknown>;
  const stateSlots = meta.slots.filter((s) =>
    s.kind === "param" || s.kind === "state" || s.kind === "running"
  );
  for (const name of Object.keys(encoded)) {
    if (!stateSlots.some((s) => s.name === name)) {
      damaged(`it has a buffer "${name}", which is no parameter, state or statistic of the model`);
    }
  }
  const buffers: Record<string, ArrayLike<number>> = {};
  for (const slot of stateSlots) {
    const text = encoded[slot.name];
    if (typeof text !== "string") damaged(`the buffer of "${slot.name}" is missing`);
    const bytes = elementCount(slot.shape, 1) * elementBytes;
    if (text.length !== 4 * Math.ceil(bytes / 3)) {
      damaged(
        `the buffer of "${slot.name}" [${slot.shape}] holds ${text.length} base64 characters; ` +
          `its ${bytes} bytes take ${4 * Math.ceil(bytes / 3)}`,
      );
    }
    const raw = fromBase64(`the buffer of "${slot.name}"`, text);
    buffers[slot.name] = meta.dtype === "f64"
      ? new Float64Array(raw.buffer)
      : new Float32Array(raw.buffer);
  }
  const wasm = fromBase64("the module", saved.wasm);
  if (!WebAssembly.validate(wasm)) damaged("its WebAssembly module does not validate");
  // instantiate checks the module against the metadata before running it.
  const trainer = await instantiate({ ...meta, optimizer, wasm }, { seed });
  trainer.restoreTrainingState({
    step,
    epoch,
    buffers,
    architecture: meta.fingerprint,
    ...(saved.learningRate === undefined ? {} : { learningRate: saved.learningRate as number }),
  });
  return trainer;
}

/**
 * Saves a trainer to `path` (JSON). The file is written whole or not at all;
 * a state that is not finite is refused (`DivergenceError`), and a file that
 * cannot be written is a `FileError` naming the path and the cause.
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
  const body = content(trainer);
  const text = withChecksum(body, await webCryptoSha256(canonicalJson(body)));
  try {
    await writeFileAtomic(path, text);
  } catch (e) {
    throw new FileError("write", path, e);
  }
}

/**
 * Loads a trainer saved by `save`; training resumes where it stopped. The
 * file is checked whole first (see the module documentation): an
 * `ArtifactError` names the rule it breaks, a `FileError` the path and the
 * cause when it cannot be read.
 *
 * @example
 * ```ts ignore
 * import { load } from "./save_load.ts";
 * const trainer = await load("model.json");
 * ```
 */
export async function load(path: string): Promise<Trainer> {
  let text: string;
  try {
    const { size } = await Deno.stat(path);
    if (size > MAX_SAVE_BYTES) {
      throw new ArtifactError(
        `"${path}" has ${size} bytes, more than a saved model can have (${MAX_SAVE_BYTES})`,
      );
    }
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof MlpcError) throw e;
    throw new FileError("read", path, e);
  }
  try {
    return await deserialize(text);
  } catch (e) {
    if (e instanceof ArtifactError) throw new ArtifactError(`${path}: ${e.message}`);
    throw e;
  }
}
