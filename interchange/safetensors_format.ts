/**
 * The safetensors file format, as its specification defines it, with no
 * knowledge of models:
 *
 * - 8 bytes: `N`, the header's length, an unsigned little-endian 64-bit
 *   integer;
 * - `N` bytes: the header, UTF-8 JSON, starting with `{` (and possibly padded
 *   with spaces): for each tensor name, `{ "dtype", "shape", "data_offsets":
 *   [begin, end] }`, offsets relative to the data buffer; the optional key
 *   `__metadata__` maps strings to strings;
 * - the data buffer: every tensor's bytes, little-endian, row-major, covering
 *   the buffer entirely (no holes, no overlaps).
 *
 * `encodeSafetensors` writes what the reference implementation writes for
 * the same tensors: `__metadata__` first, tensors ordered by decreasing
 * element size then by name, the header padded with spaces to a multiple of 8
 * bytes (so every tensor's data is aligned).
 *
 * `decodeSafetensors` reads defensively: the header size is bounded, the
 * JSON is only parsed (nothing is evaluated), duplicate keys, unknown dtypes,
 * malformed shapes, offsets out of range, overlapping, leaving holes or
 * disagreeing with dtype × shape are all `SafetensorsError`s naming the
 * tensor.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";

/** Bytes per element of every dtype the format defines. */
export const SAFETENSORS_DTYPES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

/** A dtype of the format. */
export type SafetensorsDType = keyof typeof SAFETENSORS_DTYPES;

/** One tensor: its dtype, shape and raw little-endian bytes. */
export interface RawTensor {
  /** Element type. */
  readonly dtype: SafetensorsDType;
  /** Shape, outermost first (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** Little-endian, row-major bytes: product(shape) × element size of them. */
  readonly data: Uint8Array;
}

/** A decoded file: tensors in the order of their data, and the metadata. */
export interface SafetensorsContents {
  /** Tensors by name, in the order their data appears in the file. */
  readonly tensors: ReadonlyMap<string, RawTensor>;
  /** The `__metadata__` map (empty when the file has none). */
  readonly metadata: ReadonlyMap<string, string>;
}

/** Options of `decodeSafetensors`. */
export interface DecodeOptions {
  /** Largest header accepted, in bytes (default 100,000,000, as the reference reader). */
  readonly maxHeaderBytes?: number;
}

/**
 * A safetensors file that breaks the format's rules, or tensors that do not
 * fit the model they are loaded into. `tensor` names the tensor concerned,
 * when there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SafetensorsError } from "./safetensors_format.ts";
 * const e = new SafetensorsError("bad offsets", "0.weight");
 * assert.ok(e.name === "SafetensorsError" && e.tensor === "0.weight");
 * ```
 */
export class SafetensorsError extends InputError {
  /** The tensor the error is about, if any. */
  readonly tensor: string | undefined;
  /** Creates the error. */
  constructor(message: string, tensor?: string) {
    super(message);
    this.name = "SafetensorsError";
    this.tensor = tensor;
  }
}

/** The reference reader's bound on the header's size. */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = "__metadata__";

function utf8Compare(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * Encodes tensors (and string metadata) as a safetensors file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors_format.ts";
 * const data = new Uint8Array(Float32Array.of(1, 2, 3).buffer);
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [3], data }]]));
 * const back = decodeSafetensors(bytes);
 * assert.deepEqual(back.tensors.get("w")?.data, data);
 * ```
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, RawTensor>,
  metadata: ReadonlyMap<string, string> = new Map(),
): Uint8Array<ArrayBuffer> {
  const entries = [...tensors].sort(([an, a], [bn, b]) =>
    SAFETENSORS_DTYPES[b.dtype] - SAFETENSORS_DTYPES[a.dtype] || utf8Compare(an, bn)
  );
  // Built key by key so that a tensor named "__proto__" is an ordinary key.
  const header: Record<string, unknown> = Object.create(null);
  if (metadata.size > 0) header[METADATA_KEY] = Object.fromEntries(metadata);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError(`A tensor cannot be named ${METADATA_KEY}`, name);
    }
    if (!(t.dtype in SAFETENSORS_DTYPES)) {
      throw new SafetensorsError(`Tensor "${name}" has an unknown dtype ${t.dtype}`, name);
    }
    const bytes = elementCount(t.shape) * SAFETENSORS_DTYPES[t.dtype];
    if (t.data.length !== bytes) {
      throw new SafetensorsError(
        `Tensor "${name}" (${t.dtype}[${t.shape}]) needs ${bytes} bytes, got ${t.data.length}`,
        name,
      );
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const [, t] of entries) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/**
 * The keys of the outermost JSON object, in order, duplicates included
 * (`JSON.parse` keeps only the last of equal keys, and the format forbids
 * them). Assumes `text` is valid JSON whose value is an object.
 */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(text.slice(i, j + 1)));
      expectKey = false;
      i = j;
    } else if (c === "{" || c === "[") {
      depth++;
      expectKey = c === "{" && depth === 1;
    } else if (c === "}" || c === "]") {
      depth--;
    } else if (c === "," && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Decodes and validates a safetensors file. Tensor data are copies, so the
 * result does not keep `bytes` alive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSafetensors, SafetensorsError } from "./safetensors_format.ts";
 * const header = new TextEncoder().encode('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}');
 * const file = new Uint8Array(8 + header.length + 4);
 * new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
 * file.set(header, 8);
 * assert.throws(() => decodeSafetensors(file), (e: Error) =>
 *   e instanceof SafetensorsError && e.tensor === "w" && /F32\[2\] needs 8 bytes/.test(e.message));
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): SafetensorsContents {
  const fail = (message: string, tensor?: string): never => {
    throw new SafetensorsError(`Not a valid safetensors file: ${message}`, tensor);
  };
  const limit = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (bytes.length < 8) fail(`${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(limit)) {
    fail(`the header length ${declared} exceeds the limit of ${limit} bytes`);
  }
  const n = Number(declared);
  if (8 + n > bytes.length) {
    fail(`the header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  }
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(8, 8 + n),
    );
  } catch {
    fail("the header is not valid UTF-8");
  }
  if (!text.startsWith("{")) fail(`the header does not start with "{"`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not JSON (${(e as Error).message})`);
  }
  if (!isRecord(header)) return fail("the header is not a JSON object");
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key)) fail(`the header names "${key}" twice`, key);
    seen.add(key);
  }

  const metadata = new Map<string, string>();
  if (Object.hasOwn(header, METADATA_KEY)) {
    const m = header[METADATA_KEY];
    if (!isRecord(m)) return fail(`${METADATA_KEY} is not an object of strings`);
    for (const [key, value] of Object.entries(m)) {
      if (typeof value !== "string") {
        fail(`${METADATA_KEY} entry "${key}" is ${JSON.stringify(value)}, not a string`);
      }
      metadata.set(key, value as string);
    }
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const infos: {
    name: string;
    dtype: SafetensorsDType;
    shape: number[];
    begin: number;
    end: number;
  }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) continue;
    const at = `tensor "${name}"`;
    if (!isRecord(info)) return fail(`${at} is not an object`, name);
    const extra = Object.keys(info).filter((k) => !["dtype", "shape", "data_offsets"].includes(k));
    if (extra.length > 0) fail(`${at} has unknown fields ${extra.join(", ")}`, name);
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== "string" || !Object.hasOwn(SAFETENSORS_DTYPES, dtype)) {
      return fail(`${at} has an unknown dtype ${JSON.stringify(dtype)}`, name);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      return fail(`${at} has a malformed shape ${JSON.stringify(shape)}`, name);
    }
    if (
      !Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) ||
      offsets[0] > offsets[1]
    ) {
      return fail(`${at} has malformed data_offsets ${JSON.stringify(offsets)}`, name);
    }
    const [begin, end] = offsets as number[];
    if (end > dataLength) {
      fail(
        `${at} has data_offsets [${begin}, ${end}] beyond the data buffer (${dataLength} bytes)`,
        name,
      );
    }
    const count = elementCount(shape);
    const size = SAFETENSORS_DTYPES[dtype as SafetensorsDType];
    if (!Number.isSafeInteger(count * size)) {
      fail(`${at} has a shape [${shape}] too large to address`, name);
    }
    if (end - begin !== count * size) {
      fail(
        `${at}: ${dtype}[${shape}] needs ${
          count * size
        } bytes, its data_offsets [${begin}, ${end}] hold ${end - begin}`,
        name,
      );
    }
    infos.push({ name, dtype: dtype as SafetensorsDType, shape, begin, end });
  }

  // Sorted by offsets, the tensors must tile the data buffer exactly.
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: string | undefined;
  for (const t of infos) {
    if (t.begin < covered) {
      fail(
        `tensor "${t.name}" (bytes ${t.begin}..${t.end}) overlaps tensor "${previous}" (ending at ${covered})`,
        t.name,
      );
    }
    if (t.begin > covered) {
      fail(
        `bytes ${covered}..${t.begin} of the data buffer, before tensor "${t.name}", belong to no tensor`,
        t.name,
      );
    }
    covered = t.end;
    previous = t.name;
  }
  if (covered !== dataLength) {
    fail(
      `bytes ${covered}..${dataLength} of the data buffer${
        previous === undefined ? "" : `, after tensor "${previous}",`
      } belong to no tensor`,
      previous,
    );
  }

  const tensors = new Map<string, RawTensor>();
  for (const t of infos) {
    tensors.set(t.name, {
      dtype: t.dtype,
      shape: t.shape,
      data: bytes.slice(dataStart + t.begin, dataStart + t.end),
    });
  }
  return { tensors, metadata };
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * The values of a floating-point tensor (F16, BF16, F32, F64) as numbers
 * (exactly: every value of these types is a double); other dtypes are a
 * `SafetensorsError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { floatValues } from "./safetensors_format.ts";
 * const t = { dtype: "F16" as const, shape: [2], data: Uint8Array.of(0x00, 0x3c, 0x00, 0xc0) };
 * assert.deepEqual(Array.from(floatValues("t", t)), [1, -2]);
 * ```
 */
export function floatValues(name: string, tensor: RawTensor): Float64Array {
  const { data, dtype } = tensor;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = data.length / SAFETENSORS_DTYPES[dtype];
  const out = new Float64Array(count);
  switch (dtype) {
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case "F32":
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case "F16":
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(i * 2, true));
      return out;
    case "BF16": {
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = word.getFloat32(0);
      }
      return out;
    }
    default:
      throw new SafetensorsError(
        `Tensor "${name}" has dtype ${dtype}; parameters need a floating-point dtype (F16, BF16, F32, F64)`,
        name,
      );
  }
}

/**
 * Little-endian bytes of f32 or f64 values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { floatBytes } from "./safetensors_format.ts";
 * assert.deepEqual(Array.from(floatBytes(Float32Array.of(1), "F32")), [0, 0, 0x80, 0x3f]);
 * ```
 */
export function floatBytes(values: ArrayLike<number>, dtype: "F32" | "F64"): Uint8Array {
  const size = SAFETENSORS_DTYPES[dtype];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === "F64") view.setFloat64(i * 8, values[i], true);
    else view.setFloat32(i * 4, values[i], true);
  }
  return out;
}
