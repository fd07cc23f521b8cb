/**
 * Checks that an artifact's parts agree before anything of it runs or any
 * memory is allocated for it: the metadata (types and ranges, sizes within
 * the declared memory, buffers that do not overlap, the data, label and
 * prediction buffers against `inputFeatures` (or the input signature) and `outputs`, the parameters and
 * the optimizer's state and scalars against the slots), the WebAssembly
 * module (its imports, exports and memory size) and the layout record the
 * compiler wrote into the module (`core/layout_record.ts`), which must equal
 * the metadata. So a hand-edited `maxBatch` or `inputFeatures` cannot make
 * `predict` write over the parameters, another model's module is refused,
 * and so is an edit of the optimizer. Every rule raises an `ArtifactError`
 * naming what disagrees, with the values.
 *
 * @module
 */

import type { Artifact, ArtifactParam, ArtifactSlot, PlainGraph } from "../core/artifact.ts";
import { ARTIFACT_FORMAT } from "../core/artifact.ts";
import {
  DATA_INPUT,
  EXPORTS,
  LABEL_INPUT,
  LOSS_OUTPUT,
  MATH_IMPORTS,
  NONFINITE_OUTPUT,
  PREDICTION_OUTPUT,
  THREAD_EXPORTS,
} from "../core/contract.ts";
import { ArtifactError } from "../core/errors.ts";
import { architectureFingerprint, FINGERPRINT_PREFIX } from "../core/fingerprint.ts";
import { LAYOUT_SECTION, layoutRecordText } from "../core/layout_record.ts";
import {
  type OptimizerConfig,
  optimizerFromPlain,
  optimizerScalarNames,
  optimizerStateBuffers,
} from "../core/optimizer/table.ts";
import type { Dim, Shape } from "../core/shape.ts";
import {
  describeInput,
  inputBuffers,
  type InputEntry,
  type InputSignature,
  MAX_INDEX,
} from "../core/inputs.ts";

/** The largest memory a wasm32 module addresses. */
export const MAX_MEMORY_BYTES = 65536 * 65536;
/** The largest compiled batch (`compile` refuses more). */
const MAX_BATCH = 1 << 20;
/** The largest thread count (`compile` refuses more). */
const MAX_THREADS = 64;
const SLOT_KINDS = ["param", "state", "running", "data", "label", "scalar", "rng", "output"];

function fail(message: string): never {
  throw new ArtifactError(`The artifact is inconsistent: ${message}`);
}

function isInteger(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

function describe(v: unknown): string {
  return typeof v === "string" ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

function checkShape(what: string, shape: unknown): Shape {
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => d === "batch" || isInteger(d, 1, MAX_MEMORY_BYTES))
  ) {
    fail(`${what} has the shape ${describe(shape)}: dimensions are positive integers or "batch"`);
  }
  return shape as Dim[];
}

/** Elements of a shape at the maximum batch (exact: every factor is at most 2³²). */
function elements(shape: Shape, maxBatch: number): number {
  let n = 1;
  for (const d of shape) n *= d === "batch" ? maxBatch : d;
  return n;
}

/**
 * Checks the metadata of an artifact (everything but the module): the rules
 * in this module's documentation that need no WebAssembly. Returns the
 * optimizer configuration as the optimizer table reads it (options a file
 * leaves out take their defaults).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { checkMetadata } from "./verify_artifact.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 4 });
 * checkMetadata(artifact);
 * assert.throws(() => checkMetadata({ ...artifact, maxBatch: 5 }), /slots "x" .* and .* overlap/);
 * ```
 */
export function checkMetadata(artifact: Omit<Artifact, "wasm">): OptimizerConfig {
  const a = artifact as unknown as Record<string, unknown>;
  if (a.format !== ARTIFACT_FORMAT) {
    fail(`its format is ${describe(a.format)}; this mlpc runs format ${ARTIFACT_FORMAT}`);
  }
  if (a.dtype !== "f32" && a.dtype !== "f64") fail(`dtype ${describe(a.dtype)} is not f32 or f64`);
  if (!isInteger(a.maxBatch, 1, MAX_BATCH)) {
    fail(`maxBatch ${describe(a.maxBatch)} is not an integer in 1..${MAX_BATCH}`);
  }
  if (!isInteger(a.outputs, 1, MAX_MEMORY_BYTES)) {
    fail(`outputs ${describe(a.outputs)} is not a positive integer`);
  }
  if (!isInteger(a.memoryBytes, 1, MAX_MEMORY_BYTES)) {
    fail(`memoryBytes ${describe(a.memoryBytes)} is not an integer in 1..${MAX_MEMORY_BYTES}`);
  }
  if (a.labels !== "classes" && a.labels !== "values") {
    fail(`labels ${describe(a.labels)} is not "classes" or "values"`);
  }
  if (typeof a.relaxedSimd !== "boolean") {
    fail(`relaxedSimd ${describe(a.relaxedSimd)} is not a boolean`);
  }
  if (a.threads !== undefined && !isInteger(a.threads, 2, MAX_THREADS)) {
    fail(`threads ${describe(a.threads)} is not an integer in 2..${MAX_THREADS} (or absent: 1)`);
  }
  if (typeof a.fingerprint !== "string" || !/^sha256:[0-9a-f]{64}$/.test(a.fingerprint)) {
    fail(
      `the fingerprint ${describe(a.fingerprint)} is not ${FINGERPRINT_PREFIX} and 64 hex digits`,
    );
  }
  if (!Array.isArray(a.slots)) fail("slots is not a list");
  const { dtype, maxBatch, memoryBytes } = artifact;
  const elementBytes = dtype === "f64" ? 8 : 4;

  // Every slot: a known kind, an aligned offset, a shape whose bytes at the
  // largest batch fit in memory — checked before anything is allocated.
  const slots = new Map<string, { kind: string; offset: number; shape: Shape; end: number }>();
  for (const s of a.slots as unknown[]) {
    const slot = s as Record<string, unknown>;
    if (typeof slot?.name !== "string") fail(`a slot has no name: ${describe(s)}`);
    const name = slot.name;
    if (slots.has(name)) fail(`two slots are named "${name}"`);
    if (!SLOT_KINDS.includes(slot.kind as string)) {
      fail(`slot "${name}" has the kind ${describe(slot.kind)}`);
    }
    if (!isInteger(slot.offset, 0, MAX_MEMORY_BYTES) || slot.offset % 16 !== 0) {
      fail(
        `slot "${name}" has the offset ${describe(slot.offset)}, not a multiple of 16 in memory`,
      );
    }
    const shape = checkShape(`slot "${name}"`, slot.shape);
    const bytes = elements(shape, maxBatch) * elementBytes;
    const end = slot.offset + bytes;
    if (end > memoryBytes) {
      fail(
        `slot "${name}" [${shape}] needs ${bytes} bytes from byte ${slot.offset} at maxBatch ` +
          `${maxBatch}, past the end of memory (memoryBytes ${memoryBytes})`,
      );
    }
    slots.set(name, { kind: slot.kind as string, offset: slot.offset, shape, end });
  }
  const byOffset = [...slots].sort((x, y) => x[1].offset - y[1].offset);
  for (let i = 1; i < byOffset.length; i++) {
    const [prevName, prev] = byOffset[i - 1];
    const [name, slot] = byOffset[i];
    if (prev.end > slot.offset) {
      fail(
        `slots "${prevName}" (bytes ${prev.offset}..${prev.end} at maxBatch ${maxBatch}) and ` +
          `"${name}" (from byte ${slot.offset}) overlap`,
      );
    }
  }

  // The buffers every model has, against the numbers the runtime feeds by.
  const expect = (name: string, kind: string, shape: Shape | null, why: string) => {
    const slot = slots.get(name);
    if (slot === undefined) {
      if (shape === null) return;
      fail(`there is no slot "${name}" (${why})`);
    }
    if (slot.kind !== kind) fail(`slot "${name}" is of kind ${slot.kind}, not ${kind}`);
    if (shape !== null && slot.shape.join() !== shape.join()) {
      fail(`slot "${name}" has the shape [${slot.shape}], but ${why} needs [${shape}]`);
    }
  };
  checkInputs(artifact);
  expect(PREDICTION_OUTPUT, "output", ["batch", artifact.outputs], `outputs ${artifact.outputs}`);
  expect(LOSS_OUTPUT, "output", [], "the loss");
  if (slots.has(LABEL_INPUT)) {
    const labelShape = artifact.labels === "classes" ? ["batch"] : ["batch", artifact.outputs];
    expect(LABEL_INPUT, "label", labelShape as Shape, `labels "${artifact.labels}"`);
  }
  if (slots.has(NONFINITE_OUTPUT)) expect(NONFINITE_OUTPUT, "output", [], "the non-finite flag");

  // Parameters and running statistics: the lists against the slots.
  const listed = (field: "params" | "running", kind: string) => {
    const list = (a[field] ?? []) as unknown;
    if (!Array.isArray(list)) fail(`${field} is not a list`);
    const names = new Set<string>();
    for (const entry of list as ArtifactParam[]) {
      const name = String(entry?.name);
      names.add(name);
      const shape = checkShape(`${field} entry "${name}"`, entry?.shape);
      if (shape.includes("batch")) fail(`${field} entry "${name}" has a batch dimension`);
      expect(name, kind, shape, `${field} entry "${name}"`);
    }
    for (const [name, slot] of slots) {
      if (slot.kind === kind && !names.has(name)) {
        fail(`slot "${name}" (${kind}) is not in ${field}`);
      }
    }
    return list as ArtifactParam[];
  };
  const params = listed("params", "param");
  listed("running", "running");

  // The optimizer: a valid configuration, and exactly its state and scalars.
  const optimizer = optimizerFromPlain(a.optimizer, (message) => {
    fail(`the optimizer is invalid (${message}): ${describe(a.optimizer)}`);
  });
  const shapes = new Map(params.map((p) => [p.name, p.shape]));
  const state = optimizerStateBuffers(optimizer, params.map((p) => p.name));
  for (const { buffer, param } of state) {
    expect(buffer, "state", shapes.get(param) ?? null, `the ${optimizer.kind} state of "${param}"`);
  }
  const scalars = optimizerScalarNames(optimizer);
  for (const name of scalars) expect(name, "scalar", [], `the ${optimizer.kind} optimizer`);
  const wanted = new Set([...state.map((s) => s.buffer), ...scalars]);
  for (const [name, slot] of slots) {
    if ((slot.kind === "state" || slot.kind === "scalar") && !wanted.has(name)) {
      fail(
        `slot "${name}" (${slot.kind}) belongs to no part of the ${optimizer.kind} optimizer ` +
          `(its state and scalars are ${[...wanted].map((n) => `"${n}"`).join(", ") || "none"})`,
      );
    }
  }
  return optimizer;
}

/**
 * Memory pages (minimum, maximum) a module declares, read from its memory
 * section or, for a threaded module, its memory import; and whether the
 * memory is shared.
 */
function memoryPages(
  bytes: Uint8Array,
): [number, number | undefined, boolean] | undefined {
  let at = 8;
  const leb = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      if (byte === undefined) fail("the module ends inside a section");
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  };
  const limits = (): [number, number | undefined, boolean] => {
    const flags = bytes[at++];
    const min = leb();
    return [min, (flags & 1) === 1 ? leb() : undefined, (flags & 2) === 2];
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const next = at + size;
    if (id === 2) {
      // Imports: module name, field name, kind, then the kind's description.
      const count = leb();
      for (let i = 0; i < count; i++) {
        for (let name = 0; name < 2; name++) {
          const length = leb();
          at += length;
        }
        const kind = bytes[at++];
        if (kind === 2) return limits();
        if (kind === 0) leb();
        else if (kind === 1) {
          at++;
          limits();
        } else if (kind === 3) at += 2;
        else fail(`the module imports something of kind ${kind}`);
      }
    }
    if (id === 5) {
      const count = leb();
      if (count !== 1) fail(`the module declares ${count} memories`);
      return limits();
    }
    at = next;
  }
  return undefined;
}

/**
 * Checks a compiled module against an artifact's metadata (which
 * `checkMetadata` accepted): imports, exports, memory and layout record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse, tanh, chain } from "../mod.ts";
 * import { checkModule } from "./verify_artifact.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 4 });
 * const other = compileArtifact(chain(dense(3, 2), tanh, dense(2, 1)), { loss: mse, batchSize: 4 });
 * checkModule(artifact, new WebAssembly.Module(artifact.wasm));
 * assert.throws(() => checkModule(artifact, new WebAssembly.Module(other.artifact.wasm)), /layout record/);
 * ```
 */
export function checkModule(artifact: Artifact, module: WebAssembly.Module): void {
  const threaded = (artifact.threads ?? 1) > 1;
  const imports = WebAssembly.Module.imports(module);
  for (const i of imports) {
    const math = artifact.dtype === "f64" && i.module === "env" && i.kind === "function" &&
      Object.hasOwn(MATH_IMPORTS, i.name);
    const memory = threaded && i.module === "env" && i.name === "memory" && i.kind === "memory";
    if (!math && !memory) {
      fail(
        `the module imports ${i.kind} "${i.module}.${i.name}"; an ${artifact.dtype} module ` +
          (artifact.dtype === "f64"
            ? "imports only env.exp, env.log and env.tanh"
            : "imports nothing") +
          (threaded ? " besides its shared memory, env.memory" : ""),
      );
    }
  }
  if (threaded && !imports.some((i) => i.kind === "memory")) {
    fail(`threads is ${artifact.threads}, but the module does not import a shared memory`);
  }
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  const wanted: [string, string][] = [
    ["memory", "memory"],
    ...Object.values(EXPORTS).map((name) => [name, "function"] as [string, string]),
    ...(threaded ? Object.values(THREAD_EXPORTS) : []).map((name) =>
      [name, "function"] as [string, string]
    ),
  ];
  for (const [name, kind] of wanted) {
    if (exports.get(name) !== kind) fail(`the module does not export the ${kind} "${name}"`);
  }
  for (const [name, kind] of exports) {
    if (!wanted.some(([n]) => n === name)) {
      fail(`the module exports an unexpected ${kind} "${name}"`);
    }
  }
  const pages = memoryPages(artifact.wasm);
  const needed = Math.max(1, Math.ceil(artifact.memoryBytes / 65536));
  if (pages !== undefined && pages[2] !== threaded) {
    fail(
      `the module's memory is ${pages[2] ? "" : "not "}shared, but threads is ${
        artifact.threads ?? 1
      }`,
    );
  }
  if (pages === undefined || pages[0] !== needed || pages[1] !== needed) {
    fail(
      `the module's memory is ${
        pages === undefined ? "missing" : `${pages[0]}..${pages[1] ?? "∞"} pages`
      }, ` +
        `but memoryBytes ${artifact.memoryBytes} needs exactly ${needed} pages of 64 KiB`,
    );
  }
  const sections = WebAssembly.Module.customSections(module, LAYOUT_SECTION);
  if (sections.length !== 1) {
    fail(`the module has ${sections.length} layout records ("${LAYOUT_SECTION}" sections), not 1`);
  }
  const found = new TextDecoder().decode(sections[0]);
  const expected = layoutRecordText(
    artifact.dtype,
    artifact.maxBatch,
    artifact.memoryBytes,
    artifact.slots,
    artifact.fingerprint,
    artifact.threads,
  );
  if (found !== expected) {
    fail(`the module's layout record differs from the metadata: ${difference(found, expected)}`);
  }
}

/** What differs between the module's record and the metadata's, in words. */
function difference(foundText: string, expectedText: string): string {
  let found: Record<string, unknown>;
  try {
    found = JSON.parse(foundText);
  } catch {
    return "the record is not JSON";
  }
  const expected = JSON.parse(expectedText) as Record<string, unknown>;
  for (const key of ["dtype", "maxBatch", "memoryBytes", "fingerprint", "threads"]) {
    if (found[key] !== expected[key]) {
      return `${key} is ${describe(expected[key])} in the metadata, but the module was built for ${
        describe(found[key])
      }`;
    }
  }
  const a = (found.slots ?? []) as unknown[][];
  const b = expected.slots as unknown[][];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) {
      return `slot ${i} is ${describe(b[i])} in the metadata, but ${describe(a[i])} in the module`;
    }
  }
  return "the records differ";
}

/**
 * Checks that an artifact's fingerprint is the one of its predict graph, when
 * it carries its graphs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { checkFingerprint } from "./verify_artifact.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 4 });
 * checkFingerprint(artifact);
 * assert.throws(() => checkFingerprint({ ...artifact, fingerprint: "sha256:" + "0".repeat(64) }), /fingerprint/);
 * ```
 */
export function checkFingerprint(artifact: Omit<Artifact, "wasm">): void {
  const predict = artifact.graphs?.predict as PlainGraph | undefined;
  if (predict === undefined) return;
  let computed: string;
  try {
    computed = architectureFingerprint(predict);
  } catch {
    fail("the predict graph is damaged");
  }
  if (computed !== artifact.fingerprint) {
    fail(
      `the fingerprint ${artifact.fingerprint} is not the predict graph's (${computed}): the ` +
        `metadata and the graphs come from different models`,
    );
  }
}

/**
 * Checks what a model reads against its data buffers. Without a signature
 * (`inputs`), one dense matrix: `inputFeatures` a positive integer and the
 * slot `"x"` data `[batch, inputFeatures]`. With one, `inputFeatures` is 0,
 * the signature is well formed (known kinds, sizes in 1..2²⁴, distinct
 * names, a single input named `"x"`), each of its buffers the module has is
 * a data slot of the shape its entry needs (`core/inputs.ts`), and every data
 * slot belongs to an input. So an edited capacity, vocabulary or input kind
 * cannot make the runtime write a batch past its buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, embeddingBag, mse, tokens } from "../mod.ts";
 * import { checkInputs } from "./verify_artifact.ts";
 * const { artifact } = compileArtifact(embeddingBag(9, 2), { inputs: tokens({ maxTokens: 8 }), loss: mse, batchSize: 2 });
 * checkInputs(artifact);
 * const damaged = { ...artifact, inputs: { record: false, inputs: [{ kind: "tokens" as const, name: "x", maxTokens: 9, vocab: 9 }] } };
 * assert.throws(() => checkInputs(damaged), /slot "x.ids" has the shape \[8\], but the token input "x" .* needs \[9\]/);
 * ```
 */
export function checkInputs(
  artifact: Pick<Artifact, "inputs" | "inputFeatures" | "slots">,
): void {
  const a = artifact as unknown as Record<string, unknown>;
  const slots = new Map(
    (Array.isArray(a.slots) ? a.slots as ArtifactSlot[] : []).map((slot) => [slot.name, slot]),
  );
  const buffer = (name: string, shape: string, why: string, optional: boolean) => {
    const slot = slots.get(name);
    if (slot === undefined) {
      if (optional) return; // a buffer the model does not read
      fail(`there is no slot "${name}" (${why})`);
    }
    if (slot.kind !== "data") fail(`slot "${name}" is of kind ${slot.kind}, not data (${why})`);
    if (slot.shape.join() !== shape) {
      fail(`slot "${name}" has the shape [${slot.shape}], but ${why} needs [${shape}]`);
    }
  };
  if (a.inputs === undefined) {
    if (!isInteger(a.inputFeatures, 1, MAX_MEMORY_BYTES)) {
      fail(`inputFeatures ${describe(a.inputFeatures)} is not a positive integer`);
    }
    buffer(DATA_INPUT, `batch,${a.inputFeatures}`, `inputFeatures ${a.inputFeatures}`, false);
    return;
  }
  if (a.inputFeatures !== 0) {
    fail(
      `inputFeatures is ${describe(a.inputFeatures)}, but a model with an input signature ` +
        `has 0 (its inputs are ${describe(a.inputs)})`,
    );
  }
  const s = a.inputs as Partial<InputSignature> | null;
  if (typeof s !== "object" || s === null || typeof s.record !== "boolean") {
    fail(`the input signature ${describe(s)} has no record flag`);
  }
  if (!Array.isArray(s.inputs) || s.inputs.length === 0 || (!s.record && s.inputs.length !== 1)) {
    fail(`the input signature must list one input, or several named ones: ${describe(s)}`);
  }
  const size = (v: unknown) => isInteger(v, 1, MAX_INDEX);
  const names = new Set<string>();
  const owned = new Set<string>();
  for (const entry of s.inputs as InputEntry[]) {
    const ok = typeof entry === "object" && entry !== null && typeof entry.name === "string" &&
      entry.name !== "" &&
      (entry.kind === "dense"
        ? size(entry.features)
        : entry.kind === "tokenIds"
        ? size(entry.length) && size(entry.vocab)
        : entry.kind === "tokens"
        ? size(entry.maxTokens) && size(entry.vocab)
        : entry.kind === "sparse"
        ? size(entry.features) && size(entry.maxNonZeros)
        : false);
    if (!ok) {
      fail(`the input ${describe(entry)} is malformed (sizes are integers in 1..${MAX_INDEX})`);
    }
    if (names.has(entry.name)) fail(`two inputs are named "${entry.name}"`);
    names.add(entry.name);
    if (!s.record && entry.name !== DATA_INPUT) {
      fail(`a single input is named "${DATA_INPUT}", got ${describe(entry)}`);
    }
    const b = inputBuffers(entry);
    const why = `the ${describeInput(entry)}`;
    const width = entry.kind === "dense"
      ? entry.features
      : entry.kind === "tokenIds"
      ? entry.length
      : 0;
    const capacity = entry.kind === "tokens"
      ? entry.maxTokens
      : entry.kind === "sparse"
      ? entry.maxNonZeros
      : 0;
    const expected: [string | null, string][] = [
      [b.data, `batch,${width}`],
      [b.ids, `${capacity}`],
      [b.values, `${capacity}`],
      [b.ends, "batch"],
    ];
    for (const [name, shape] of expected) {
      if (name === null) continue;
      owned.add(name);
      buffer(name, shape, why, true);
    }
  }
  for (const [name, slot] of slots) {
    if (slot.kind === "data" && !owned.has(name)) {
      fail(`the data slot "${name}" belongs to no input (${describe([...owned])})`);
    }
  }
}

/**
 * Every check of this module, in order; `module` is the compiled
 * `artifact.wasm`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { verifyArtifact } from "./verify_artifact.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 4 });
 * verifyArtifact(artifact, new WebAssembly.Module(artifact.wasm));
 * assert.throws(() => verifyArtifact({ ...artifact, inputFeatures: 5 }, new WebAssembly.Module(artifact.wasm)), /inputFeatures 5/);
 * ```
 */
export function verifyArtifact(artifact: Artifact, module: WebAssembly.Module): void {
  checkMetadata(artifact);
  checkFingerprint(artifact);
  checkModule(artifact, module);
}
