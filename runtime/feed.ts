/**
 * Input feeding: the one place that knows how a model's inputs — one dense
 * matrix, fixed-length token ids, token lists (bags), sparse rows (CSR), or a
 * record of them by name — are checked and written into the module's
 * buffers. `readFeed` checks a data set once (typed errors naming the input,
 * the row, the position and the value; never a wasm trap) and returns a
 * `Feed`, which writes any rows `order[from..from+n)` into the buffers;
 * `fit`, `evaluate`, `predict` and `trainBatch` go through it.
 *
 * **Capacity.** Memory is planned statically, so a batch of token lists (or
 * sparse rows) holds at most the compiled `maxTokens` ids (`maxNonZeros`
 * values) in all:
 *
 * - a sample longer than the capacity is refused when the data is read;
 * - `fit` checks, before training, that any `batchSize` samples fit — the
 *   `batchSize` longest together — and otherwise refuses, naming the longest
 *   batch's count and the largest batchSize that fits (so a shuffle can never
 *   fail mid-training, and every step has exactly batchSize samples);
 * - `evaluate` and `predict` split their work into calls that fit (which
 *   changes nothing in their results);
 * - `trainBatch` refuses a batch beyond the capacity, naming the counts.
 *
 * Token lists are given as an array of lists (one per sample), as PyTorch's
 * `EmbeddingBag` takes them — `{ ids, offsets }` (offsets: where each
 * sample's ids start, `offsets[0] = 0`; with `includeLastOffset: true` one
 * more entry, the end) — or padded, `{ padded, lengths }`. Sparse rows are
 * `{ values, columns, offsets }` (CSR, offsets as for token lists) or
 * `{ values, columns }` with one list per sample in each.
 *
 * @module
 */

import type { Artifact } from "../core/artifact.ts";
import { InputError } from "../core/errors.ts";
import {
  type DenseEntry,
  denseSignature,
  describeInput,
  inputBuffers,
  type InputEntry,
  type InputSignature,
  isDenseSignature,
  type SparseEntry,
  type TokenIdsEntry,
  type TokensEntry,
} from "../core/inputs.ts";
import { type DataSpec, representable, type Samples, toSamples } from "./data.ts";

/** Where a feed writes: a module's memory (a `CompiledModule`), or any buffers by name. */
export interface FeedSink {
  /** The memory, at the model's precision. */
  readonly view: Float32Array | Float64Array;
  /** Whether there is a buffer of that name. */
  has(name: string): boolean;
  /** The element index of a named buffer in `view`. */
  index(name: string): number;
}

/** What reading data needs to know of a model (a `CompiledModule` has it). */
export interface FeedSource {
  /** The model's input signature (or one dense input), and its element type. */
  readonly artifact: Pick<Artifact, "inputs" | "inputFeatures" | "dtype">;
  /** What dense data must look like (features, labels, names in messages). */
  readonly spec: DataSpec;
}

/** Token lists in PyTorch's flattened form: every sample's ids, and where each starts. */
export interface TokenOffsets {
  /** Every sample's ids, one after another. */
  readonly ids: ArrayLike<number>;
  /** Where each sample's ids start (`offsets[0]` = 0), as PyTorch's `offsets`. */
  readonly offsets: ArrayLike<number>;
  /** `offsets` has one more entry, the end of the last sample (PyTorch's `include_last_offset`). */
  readonly includeLastOffset?: boolean;
}

/** Token lists padded to one length: `padded` rows, of which the first `lengths[i]` count. */
export interface TokensPadded {
  /** One row per sample (or `{ data, shape: [samples, length] }`). */
  readonly padded:
    | readonly ArrayLike<number>[]
    | { readonly data: ArrayLike<number>; readonly shape: readonly number[] };
  /** How many ids of each row count. */
  readonly lengths: ArrayLike<number>;
}

/** The data of a token-list input: one list per sample, PyTorch's flattened form, or padded. */
export type TokenLists = readonly ArrayLike<number>[] | TokenOffsets | TokensPadded;

/** Sparse rows in CSR form: every sample's values and columns, and where each starts. */
export interface SparseOffsets {
  /** Every sample's values, one after another. */
  readonly values: ArrayLike<number>;
  /** Their columns. */
  readonly columns: ArrayLike<number>;
  /** Where each sample starts (`offsets[0]` = 0), as for token lists. */
  readonly offsets: ArrayLike<number>;
  /** `offsets` has one more entry, the end of the last sample (CSR's row pointer). */
  readonly includeLastOffset?: boolean;
}

/** Sparse rows as one list of values and one of columns per sample. */
export interface SparseLists {
  /** Each sample's values. */
  readonly values: readonly ArrayLike<number>[];
  /** Each sample's columns. */
  readonly columns: readonly ArrayLike<number>[];
}

/** The data of a sparse input. */
export type SparseData = SparseOffsets | SparseLists;

/** The data of one input: dense samples (or fixed-length ids), token lists or sparse rows. */
export type InputData = Samples | TokenLists | SparseData;

/** What `fit`, `evaluate`, `predict` take: the one input's data, or a record of them by name. */
export type Inputs = InputData | Readonly<Record<string, InputData>>;

/** A dense input (or fixed-length ids) as rows × width values. */
interface DenseColumn {
  readonly kind: "dense";
  readonly buffer: string;
  readonly width: number;
  readonly data: Float32Array | Float64Array;
}

/** Token lists or sparse rows: all samples' ids (and values), and where each sample starts. */
interface BagColumn {
  readonly kind: "bags";
  readonly entry: TokensEntry | SparseEntry;
  readonly ids: string;
  readonly ends: string;
  readonly values: string | null;
  readonly capacity: number;
  /** Every sample's ids (columns), one after another. */
  readonly tokens: Int32Array;
  /** Sample r holds positions starts[r] .. starts[r + 1]. */
  readonly starts: Int32Array;
  /** Sparse values at those positions, or null. */
  readonly weights: Float64Array | null;
}

type Column = DenseColumn | BagColumn;

/**
 * The signature an artifact was compiled with (one dense input `"x"` for
 * artifacts that do not record one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { signatureOf } from "./feed.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 2 });
 * assert.deepEqual(signatureOf(artifact).inputs, [{ kind: "dense", name: "x", features: 3 }]);
 * ```
 */
export function signatureOf(artifact: Pick<Artifact, "inputs" | "inputFeatures">): InputSignature {
  return artifact.inputs ?? denseSignature(artifact.inputFeatures);
}

/**
 * Checked inputs of a data set (all samples of every input), written into a
 * module batch by batch. Make one with `readFeed`.
 */
export class Feed {
  /** Number of samples. */
  readonly rows: number;
  readonly #columns: readonly Column[];

  /** Use `readFeed`. */
  constructor(rows: number, columns: readonly Column[]) {
    this.rows = rows;
    this.#columns = columns;
  }

  /**
   * Writes samples `order[from + r]` (or `from + r` without an order), r < n,
   * into the module's input buffers. Allocates nothing.
   */
  write(m: FeedSink, order: Uint32Array | null, from: number, n: number): void {
    const view = m.view;
    for (const c of this.#columns) {
      if (c.kind === "dense") {
        if (!m.has(c.buffer)) continue; // an input the model does not read
        const f = c.width;
        const xi = m.index(c.buffer);
        if (order === null) {
          view.set(c.data.subarray(from * f, (from + n) * f), xi);
          continue;
        }
        for (let r = 0; r < n; r++) {
          const row = order[from + r];
          view.set(c.data.subarray(row * f, row * f + f), xi + r * f);
        }
        continue;
      }
      const total = bagTotal(c, order, from, n);
      if (total > c.capacity) throw overCapacity(c, total, n);
      // A buffer the model does not read (e.g. a sparse input's values) is absent: skipped.
      const ii = m.has(c.ids) ? m.index(c.ids) : -1;
      const ei = m.has(c.ends) ? m.index(c.ends) : -1;
      const vi = c.values !== null && m.has(c.values) ? m.index(c.values) : -1;
      let p = 0;
      for (let r = 0; r < n; r++) {
        const row = order === null ? from + r : order[from + r];
        const start = c.starts[row];
        const end = c.starts[row + 1];
        if (ii >= 0) view.set(c.tokens.subarray(start, end), ii + p);
        if (vi >= 0) view.set(c.weights!.subarray(start, end), vi + p);
        p += end - start;
        if (ei >= 0) view[ei + r] = p;
      }
    }
  }

  /** A feed of the given samples, in that order (copies). */
  take(rows: readonly number[]): Feed {
    const columns = this.#columns.map((c): Column => {
      if (c.kind === "dense") {
        const f = c.width;
        const data = new Float64Array(rows.length * f);
        rows.forEach((row, i) => data.set(c.data.subarray(row * f, row * f + f), i * f));
        return { ...c, data };
      }
      const starts = new Int32Array(rows.length + 1);
      rows.forEach((row, i) => (starts[i + 1] = starts[i] + c.starts[row + 1] - c.starts[row]));
      const tokens = new Int32Array(starts[rows.length]);
      const weights = c.weights === null ? null : new Float64Array(tokens.length);
      rows.forEach((row, i) => {
        tokens.set(c.tokens.subarray(c.starts[row], c.starts[row + 1]), starts[i]);
        weights?.set(c.weights!.subarray(c.starts[row], c.starts[row + 1]), starts[i]);
      });
      return { ...c, tokens, starts, weights };
    });
    return new Feed(rows.length, columns);
  }

  /**
   * How many samples from position `from` on (of `order`, or in order) one
   * call can take: at most `max`, and within every compiled capacity (at
   * least 1: every sample fits alone, `readFeed` checked).
   */
  fitting(order: Uint32Array | null, from: number, max: number): number {
    let n = Math.min(max, this.rows - from);
    for (const c of this.#columns) {
      if (c.kind !== "bags") continue;
      let total = 0;
      for (let r = 0; r < n; r++) {
        const row = order === null ? from + r : order[from + r];
        total += c.starts[row + 1] - c.starts[row];
        if (total > c.capacity) {
          n = Math.max(1, r);
          break;
        }
      }
    }
    return n;
  }

  /**
   * Refuses, before training, a batch size for which some batch of samples
   * could hold more ids (values) than the compiled capacity: the `size`
   * longest samples together. The message names the count and the largest
   * batch size that always fits.
   */
  checkBatchSize(size: number): void {
    for (const c of this.#columns) {
      if (c.kind !== "bags") continue;
      const lengths = Int32Array.from(
        { length: this.rows },
        (_, r) => c.starts[r + 1] - c.starts[r],
      )
        .sort()
        .reverse();
      let worst = 0;
      let fits = 0;
      for (let r = 0; r < Math.min(size, lengths.length); r++) {
        worst += lengths[r];
        if (worst <= c.capacity) fits = r + 1;
      }
      if (worst <= c.capacity) continue;
      const what = c.entry.kind === "tokens" ? "ids" : "values";
      const option = c.entry.kind === "tokens" ? "maxTokens" : "maxNonZeros";
      throw new InputError(
        `A batch of ${size} samples of the ${describeInput(c.entry)} can hold up to ${worst} ` +
          `${what} (its ${size} longest samples), more than the compiled ${option} ` +
          `${c.capacity}: compile with ${option}: ${worst} (or more), or use batchSize ≤ ${fits}`,
      );
    }
  }

  /** The values of the one dense input `"x"` (for the preprocessing scaler), or null. */
  get denseData(): Float32Array | Float64Array | null {
    const [only] = this.#columns;
    return this.#columns.length === 1 && only.kind === "dense" ? only.data : null;
  }
}

function bagTotal(c: BagColumn, order: Uint32Array | null, from: number, n: number): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    const row = order === null ? from + r : order[from + r];
    total += c.starts[row + 1] - c.starts[row];
  }
  return total;
}

function overCapacity(c: BagColumn, total: number, n: number): InputError {
  const what = c.entry.kind === "tokens" ? "ids" : "values";
  const option = c.entry.kind === "tokens" ? "maxTokens" : "maxNonZeros";
  return new InputError(
    `This batch of ${n} samples holds ${total} ${what} of the ${describeInput(c.entry)}, more ` +
      `than the compiled ${option} ${c.capacity}: use fewer samples per batch, or compile with ` +
      `a larger ${option}`,
  );
}

// --------------------------------------------------------------- reading --

/**
 * Checks a data set against a module's inputs and returns it as a `Feed`.
 * `what` names the data in messages (`x`, `validationData.x`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, embeddingBag, mse, tokens } from "../mod.ts";
 * import { InputError } from "../core/errors.ts";
 * const t = await compile(embeddingBag(10, 2), { inputs: tokens({ maxTokens: 8 }), loss: mse, batchSize: 2 });
 * assert.equal(t.predict([[1, 2], [], [9]]).length, 6);
 * assert.throws(() => t.predict([[1, 10]]), (e) => e instanceof InputError && /token id 10 at row 0/.test(e.message));
 * ```
 */
export function readFeed(m: FeedSource, x: unknown, what = "x"): Feed {
  const signature = signatureOf(m.artifact);
  if (isDenseSignature(signature)) {
    const samples = toSamples(x as Samples, m.spec);
    const column: DenseColumn = {
      kind: "dense",
      buffer: signature.inputs[0].name,
      width: m.artifact.inputFeatures,
      data: samples.data,
    };
    return new Feed(samples.rows, [column]);
  }
  if (!signature.record) {
    const { rows, column } = readColumn(m, signature.inputs[0], x, what);
    return new Feed(rows, [column]);
  }
  const names = signature.inputs.map((e) => e.name);
  const isRecord = typeof x === "object" && x !== null && !Array.isArray(x) &&
    !ArrayBuffer.isView(x);
  if (!isRecord) {
    throw new InputError(
      `The model reads named inputs (${names.join(", ")}): ${what} must be a record ` +
        `{ ${names.map((n) => `${n}: …`).join(", ")} }, got ${describeData(x)}`,
    );
  }
  const record = x as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    throw new InputError(
      `${what} has ${unknown.map((k) => `"${k}"`).join(", ")}, which the model does not read ` +
        `(its inputs: ${names.join(", ")})`,
    );
  }
  let rows = -1;
  let first = "";
  const columns = signature.inputs.map((entry) => {
    if (!(entry.name in record) || record[entry.name] === undefined) {
      throw new InputError(`${what} has no data for the ${describeInput(entry)}`);
    }
    const read = readColumn(m, entry, record[entry.name], `${what}.${entry.name}`);
    if (rows >= 0 && read.rows !== rows) {
      throw new InputError(
        `${what}.${entry.name} has ${read.rows} samples but ${what}.${first} has ${rows}: ` +
          `every input needs one entry per sample`,
      );
    }
    if (rows < 0) [rows, first] = [read.rows, entry.name];
    return read.column;
  });
  return new Feed(rows, columns);
}

function describeData(x: unknown): string {
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  return x === null ? "null" : typeof x;
}

function readColumn(
  m: FeedSource,
  entry: InputEntry,
  x: unknown,
  label: string,
): { rows: number; column: Column } {
  switch (entry.kind) {
    case "dense":
    case "tokenIds":
      return readDense(m, entry, x, label);
    case "tokens":
    case "sparse":
      return readBags(m, entry, x, label);
  }
}

function readDense(
  m: FeedSource,
  entry: DenseEntry | TokenIdsEntry,
  x: unknown,
  label: string,
): { rows: number; column: Column } {
  const width = entry.kind === "dense" ? entry.features : entry.length;
  const spec: DataSpec = {
    ...m.spec,
    features: width,
    layer: `The ${describeInput(entry)}`,
    name: label,
  };
  const samples = toSamples(x as Samples, spec);
  if (entry.kind === "tokenIds") {
    samples.data.forEach((v, i) =>
      checkId(v, entry.vocab, label, `row ${Math.floor(i / width)}, position ${i % width}`)
    );
  }
  const column: DenseColumn = {
    kind: "dense",
    buffer: inputBuffers(entry).data!,
    width,
    data: samples.data,
  };
  return { rows: samples.rows, column };
}

/** Throws an `InputError` unless `v` is an integer id in 0..vocab−1. */
function checkId(v: unknown, vocab: number, label: string, at: string): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= vocab) {
    const shown = typeof v === "string" ? `the string "${v}"` : String(v);
    const why = typeof v !== "number"
      ? "ids must be numbers"
      : !Number.isInteger(v)
      ? "ids must be integers"
      : "it is out of range";
    throw new InputError(
      `${label}: token id ${shown} at ${at}: ${why} (ids are integers 0..${vocab - 1}, the ` +
        `vocabulary)`,
    );
  }
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (Array.isArray(v) || ArrayBuffer.isView(v)) && !(v instanceof DataView);
}

/** Reads `offsets` (starts, PyTorch's form) into `starts` with `count` positions in all. */
function readOffsets(
  offsets: unknown,
  count: number,
  includeLast: unknown,
  label: string,
  what: string,
): Int32Array {
  if (!isArrayLike(offsets)) {
    throw new InputError(
      `${label}.offsets must be an array of integers, got ${describeData(offsets)}`,
    );
  }
  if (includeLast !== undefined && typeof includeLast !== "boolean") {
    throw new InputError(
      `${label}.includeLastOffset must be a boolean, got ${String(includeLast)}`,
    );
  }
  const o = offsets as ArrayLike<unknown>;
  const rows = includeLast ? o.length - 1 : o.length;
  if (rows < 0) {
    throw new InputError(
      `${label}.offsets is empty, but includeLastOffset needs the end as its last entry`,
    );
  }
  const starts = new Int32Array(rows + 1);
  for (let i = 0; i < o.length; i++) {
    const v = o[i];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new InputError(`${label}.offsets[${i}] is ${String(v)}: offsets must be integers`);
    }
    if (i === 0 && v !== 0) {
      throw new InputError(
        `${label}.offsets[0] is ${v}: the first sample starts at position 0 (as in PyTorch)`,
      );
    }
    if (i > 0 && v < (o[i - 1] as number)) {
      throw new InputError(
        `${label}.offsets[${i}] = ${v} is less than offsets[${i - 1}] = ${
          o[i - 1]
        }: offsets must ` +
          `not decrease (sample ${i - 1} would have a negative length)`,
      );
    }
    if (v > count) {
      throw new InputError(
        `${label}.offsets[${i}] = ${v} is beyond the ${count} ${what}`,
      );
    }
    if (i < rows) starts[i] = v;
  }
  starts[rows] = count;
  if (includeLast && rows >= 0 && o.length > 0 && (o[o.length - 1] as number) !== count) {
    throw new InputError(
      `${label}.offsets ends at ${
        o[o.length - 1]
      } with includeLastOffset, but there are ${count} ` +
        `${what}: the last entry must be their count`,
    );
  }
  return starts;
}

/** Lists of numbers per sample, flattened: the values and where each sample starts. */
function flattenLists(lists: unknown, label: string): { flat: unknown[]; starts: Int32Array } {
  const rows = lists as readonly unknown[];
  const starts = new Int32Array(rows.length + 1);
  const flat: unknown[] = [];
  rows.forEach((row, r) => {
    if (!isArrayLike(row)) {
      throw new InputError(
        `${label}[${r}] is ${describeData(row)}: each sample's entry must be an array`,
      );
    }
    for (let k = 0; k < row.length; k++) flat.push(row[k]);
    starts[r + 1] = flat.length;
  });
  return { flat, starts };
}

function readBags(
  m: FeedSource,
  entry: TokensEntry | SparseEntry,
  x: unknown,
  label: string,
): { rows: number; column: Column } {
  const tokensInput = entry.kind === "tokens";
  const what = tokensInput ? "ids" : "values";
  let ids: ArrayLike<unknown>;
  let starts: Int32Array;
  let values: ArrayLike<unknown> | null = null;
  const o = (typeof x === "object" && x !== null ? x : {}) as Record<string, unknown>;
  const forms = tokensInput
    ? `an array of id lists (one per sample), { ids, offsets } or { padded, lengths }`
    : `{ values, columns, offsets } (CSR) or { values, columns } with one list per sample`;
  if (tokensInput && Array.isArray(x)) {
    if (x.length > 0 && !isArrayLike(x[0])) {
      throw new InputError(
        `${label}: token lists are ${forms}; got a flat array of ${x.length} numbers (for one ` +
          `sample, wrap it: [[…]])`,
      );
    }
    ({ flat: ids, starts } = flattenLists(x, label));
  } else if (tokensInput && "ids" in o && "offsets" in o) {
    if (!isArrayLike(o.ids)) {
      throw new InputError(`${label}.ids must be an array of ids, got ${describeData(o.ids)}`);
    }
    ids = o.ids;
    starts = readOffsets(o.offsets, ids.length, o.includeLastOffset, label, "ids");
  } else if (tokensInput && "padded" in o && "lengths" in o) {
    ({ ids, starts } = readPadded(o.padded, o.lengths, label));
  } else if (!tokensInput && "values" in o && "columns" in o && "offsets" in o) {
    if (!isArrayLike(o.values) || !isArrayLike(o.columns) || o.values.length !== o.columns.length) {
      throw new InputError(
        `${label}: values and columns must be arrays of the same length, got ` +
          `${describeData(o.values)} and ${describeData(o.columns)}`,
      );
    }
    ids = o.columns;
    values = o.values;
    starts = readOffsets(o.offsets, ids.length, o.includeLastOffset, label, "values");
  } else if (!tokensInput && Array.isArray(o.values) && Array.isArray(o.columns)) {
    if (o.values.length !== o.columns.length) {
      throw new InputError(
        `${label}: values has ${o.values.length} samples but columns has ${o.columns.length}`,
      );
    }
    const v = flattenLists(o.values, `${label}.values`);
    const c = flattenLists(o.columns, `${label}.columns`);
    c.starts.forEach((s, r) => {
      if (s !== v.starts[r]) {
        throw new InputError(
          `${label}: sample ${r - 1} has ${v.starts[r] - v.starts[r - 1]} values but ` +
            `${c.starts[r] - c.starts[r - 1]} columns`,
        );
      }
    });
    ids = c.flat;
    values = v.flat;
    starts = c.starts;
  } else {
    throw new InputError(
      `${label}: the ${describeInput(entry)} takes ${forms}; got ${describeData(x)}`,
    );
  }
  const rows = starts.length - 1;
  const vocab = tokensInput ? entry.vocab : entry.features;
  const rowOf = (k: number) => {
    let lo = 0;
    let hi = rows - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const tokens = new Int32Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const v = ids[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= vocab) {
      const r = rowOf(k);
      if (tokensInput) checkId(v, vocab, label, `row ${r}, position ${k - starts[r]} (ids[${k}])`);
      const shown = typeof v === "string" ? `the string "${v}"` : String(v);
      throw new InputError(
        `${label}: column ${shown} at row ${r}, position ${k - starts[r]} (columns[${k}]) is not ` +
          `an integer in 0..${vocab - 1} (the input's ${vocab} columns)`,
      );
    }
    tokens[k] = v;
  }
  let weights: Float64Array | null = null;
  if (values !== null) {
    weights = new Float64Array(values.length);
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (typeof v !== "number" || !representable(v, m.artifact.dtype)) {
        const r = rowOf(k);
        throw new InputError(
          `${label}: value ${typeof v === "string" ? `"${v}"` : String(v)} at row ${r}, ` +
            `position ${
              k - starts[r]
            } (values[${k}]) is not a finite number in ${m.artifact.dtype}`,
        );
      }
      weights[k] = v;
    }
  }
  const capacity = tokensInput ? entry.maxTokens : entry.maxNonZeros;
  for (let r = 0; r < rows; r++) {
    const length = starts[r + 1] - starts[r];
    if (length > capacity) {
      const option = tokensInput ? "maxTokens" : "maxNonZeros";
      throw new InputError(
        `${label}: sample ${r} has ${length} ${what}, more than one batch holds (the compiled ` +
          `${option} ${capacity}): compile with a larger ${option}`,
      );
    }
  }
  const b = inputBuffers(entry);
  const column: BagColumn = {
    kind: "bags",
    entry,
    ids: b.ids!,
    ends: b.ends!,
    values: b.values,
    capacity,
    tokens,
    starts,
    weights,
  };
  return { rows, column };
}

function readPadded(
  padded: unknown,
  lengths: unknown,
  label: string,
): { ids: number[]; starts: Int32Array } {
  let rows: ArrayLike<number>[];
  if (Array.isArray(padded)) {
    rows = padded as ArrayLike<number>[];
  } else if (
    typeof padded === "object" && padded !== null && "data" in padded && "shape" in padded
  ) {
    const { data, shape } = padded as { data: ArrayLike<number>; shape: readonly number[] };
    if (shape.length !== 2 || data.length !== shape[0] * shape[1]) {
      throw new InputError(
        `${label}.padded has shape [${shape}] and ${data.length} values: it must be ` +
          `[samples, length] with samples × length values`,
      );
    }
    rows = Array.from(
      { length: shape[0] },
      (_, r) => Array.prototype.slice.call(data, r * shape[1], (r + 1) * shape[1]) as number[],
    );
  } else {
    throw new InputError(
      `${label}.padded must be rows of ids or { data, shape }, got ${describeData(padded)}`,
    );
  }
  if (!isArrayLike(lengths) || lengths.length !== rows.length) {
    throw new InputError(
      `${label}.lengths must hold one length per sample (${rows.length}), got ${
        describeData(lengths)
      }`,
    );
  }
  const ids: number[] = [];
  const starts = new Int32Array(rows.length + 1);
  rows.forEach((row, r) => {
    if (!isArrayLike(row)) {
      throw new InputError(`${label}.padded[${r}] is ${describeData(row)}: rows must be arrays`);
    }
    const n = (lengths as ArrayLike<unknown>)[r];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > row.length) {
      throw new InputError(
        `${label}.lengths[${r}] is ${String(n)}: it must be an integer in 0..${row.length} (the ` +
          `padded row's length)`,
      );
    }
    for (let k = 0; k < n; k++) ids.push(row[k]);
    starts[r + 1] = ids.length;
  });
  return { ids, starts };
}
