/**
 * What a model reads: its inputs, declared when it is compiled
 * (`compile(model, { inputs, … })`) and handed to the model as symbolic
 * values.
 *
 * - a number `n`: a dense input, `n` features per sample — a `Tensor`
 *   `[batch, n]`;
 * - `tokenIds({ length })`: `length` integer ids per sample — `TokenIds`, for
 *   `embedding`;
 * - `tokens({ maxTokens })`: a list of any length of integer ids per sample
 *   (a bag of tokens) — `TokenBags`, for `embeddingBag` or `dense`;
 * - `sparse({ features, maxNonZeros })`: sparse rows (CSR: values in some of
 *   `features` columns) — `SparseRows`, for `dense` or `embeddingBag`.
 *
 * One input is given to the model as it is; a record of them
 * (`{ text: tokens(…), numeric: 12 }`) as a record of values. Memory is
 * planned statically, so token lists and sparse rows have a compiled
 * capacity per batch (`maxTokens`, `maxNonZeros`); see the runtime's feed
 * for what happens to batches beyond it.
 *
 * @module
 */

import {
  DATA_INPUT,
  LABEL_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
  RNG_INPUT,
  SAMPLE_WEIGHT_INPUT,
} from "../../core/contract.ts";
import { CompileError, ShapeError } from "../../core/errors.ts";
import {
  describeInput,
  inputBuffers,
  type InputEntry,
  type InputSignature,
  MAX_INDEX,
} from "../../core/inputs.ts";
import { formatShape } from "../../core/shape.ts";
import type { Graph } from "../ir/ir.ts";
import { input, type Tensor } from "./tensor.ts";

/** Declares fixed-length token ids (see `tokenIds`). */
export interface TokenIdsSpec {
  /** Discriminates specs. */
  readonly kind: "tokenIds";
  /** Ids per sample. */
  readonly length: number;
  /** Ids are in `0..vocab−1` (default: the rows of the table the model looks them up in). */
  readonly vocab?: number;
}

/** Declares variable-length token lists (see `tokens`). */
export interface TokensSpec {
  /** Discriminates specs. */
  readonly kind: "tokens";
  /** The most ids one batch may hold in all: the compiled capacity. */
  readonly maxTokens: number;
  /** Ids are in `0..vocab−1` (default: the rows of the table the model looks them up in). */
  readonly vocab?: number;
}

/** Declares sparse rows (see `sparse`). */
export interface SparseSpec {
  /** Discriminates specs. */
  readonly kind: "sparse";
  /** Columns of a row. */
  readonly features: number;
  /** The most values one batch may hold in all: the compiled capacity. */
  readonly maxNonZeros: number;
}

/** One input: a number of dense features, or a token or sparse input. */
export type InputSpec = number | TokenIdsSpec | TokensSpec | SparseSpec;

/** A model's inputs: one, or several by name. */
export type InputSpecs = InputSpec | Readonly<Record<string, InputSpec>>;

/** Fixed-length token ids as the model sees them: `ids` is `[batch, length]`. */
export interface TokenIds {
  /** Discriminates input values. */
  readonly kind: "tokenIds";
  /** The input's name. */
  readonly name: string;
  /** The ids, `[batch, length]` (integers stored as floats). */
  readonly ids: Tensor;
  /** Ids per sample. */
  readonly length: number;
}

/**
 * A batch of token lists as the model sees them: every sample's ids one
 * after another in `ids` (`[maxTokens]`), and where each sample's list ends
 * in `ends` (`[batch]`) — sample i holds `ids[ends[i−1] .. ends[i]]`.
 */
export interface TokenBags {
  /** Discriminates input values. */
  readonly kind: "tokens";
  /** The input's name. */
  readonly name: string;
  /** Every sample's ids, one after another (`[maxTokens]`). */
  readonly ids: Tensor;
  /** One past each sample's last id (`[batch]`). */
  readonly ends: Tensor;
  /** The compiled capacity. */
  readonly maxTokens: number;
}

/**
 * A batch of sparse rows (CSR) as the model sees them: row i holds
 * `values[k]` in column `columns[k]` for k in `ends[i−1] .. ends[i]`.
 */
export interface SparseRows {
  /** Discriminates input values. */
  readonly kind: "sparse";
  /** The input's name. */
  readonly name: string;
  /** The values (`[maxNonZeros]`). */
  readonly values: Tensor;
  /** Their columns (`[maxNonZeros]`, integers stored as floats). */
  readonly columns: Tensor;
  /** One past each row's last value (`[batch]`). */
  readonly ends: Tensor;
  /** Columns of a row. */
  readonly features: number;
}

/** What a model receives for one input. */
export type InputValue = Tensor | TokenIds | TokenBags | SparseRows;

/** The value the model receives for an input declared with `S`. */
export type ValueOf<S> = S extends number ? Tensor
  : S extends TokenIdsSpec ? TokenIds
  : S extends TokensSpec ? TokenBags
  : S extends SparseSpec ? SparseRows
  : never;

/**
 * What a model compiled with `inputs: S` receives: one value, or a record of
 * them by name.
 *
 * @example
 * ```ts
 * import { tokens, type InputValues } from "./inputs.ts";
 * const specs = { text: tokens({ maxTokens: 256 }), numeric: 12 };
 * type Received = InputValues<typeof specs>; // { text: TokenBags; numeric: Tensor }
 * const check = (v: Received) => v.text.maxTokens + (v.numeric.shape[1] as number);
 * console.assert(typeof check === "function");
 * ```
 */
export type InputValues<S> = S extends InputSpec ? ValueOf<S>
  : { readonly [K in keyof S]: ValueOf<S[K]> };

function positiveInteger(what: string, value: unknown, max = MAX_INDEX): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new CompileError(`${what} must be an integer in 1..${max}, got ${String(value)}`);
  }
  return value;
}

function checkKeys(what: string, options: object, allowed: readonly string[]): void {
  if (typeof options !== "object" || options === null) {
    throw new CompileError(`${what} takes an options object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new CompileError(`${what}: unknown option "${key}" (options: ${allowed.join(", ")})`);
    }
  }
}

/**
 * Declares an input of `length` integer token ids per sample (e.g. a window
 * of words), for `embedding`. Ids must be in `0..vocab−1`; `vocab` defaults
 * to the rows of the embedding table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenIds } from "./inputs.ts";
 * assert.deepEqual(tokenIds({ length: 3 }), { kind: "tokenIds", length: 3 });
 * ```
 */
export function tokenIds(options: { length: number; vocab?: number }): TokenIdsSpec {
  checkKeys("tokenIds", options, ["length", "vocab"]);
  const length = positiveInteger("tokenIds: length", options.length, 1 << 16);
  if (options.vocab === undefined) return { kind: "tokenIds", length };
  return { kind: "tokenIds", length, vocab: positiveInteger("tokenIds: vocab", options.vocab) };
}

/**
 * Declares an input of token lists of any length (bags of tokens), for
 * `embeddingBag` (or `dense`, a bag-of-words product). Memory is planned
 * statically: `maxTokens` is the most ids one batch holds in all (e.g.
 * batchSize × the longest list); `fit` checks it against the data before
 * training. Ids must be in `0..vocab−1`; `vocab` defaults to the rows of
 * the table they are looked up in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokens } from "./inputs.ts";
 * assert.equal(tokens({ maxTokens: 4096 }).maxTokens, 4096);
 * ```
 */
export function tokens(options: { maxTokens: number; vocab?: number }): TokensSpec {
  checkKeys("tokens", options, ["maxTokens", "vocab"]);
  const maxTokens = positiveInteger("tokens: maxTokens", options.maxTokens);
  if (options.vocab === undefined) return { kind: "tokens", maxTokens };
  return { kind: "tokens", maxTokens, vocab: positiveInteger("tokens: vocab", options.vocab) };
}

/**
 * Declares an input of sparse rows (CSR: per sample, values in some of
 * `features` columns), for `dense` (a sparse·dense product) or
 * `embeddingBag` (weighted sums). `maxNonZeros` is the most values one batch
 * holds in all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sparse } from "./inputs.ts";
 * assert.equal(sparse({ features: 20000, maxNonZeros: 8192 }).features, 20000);
 * ```
 */
export function sparse(options: { features: number; maxNonZeros: number }): SparseSpec {
  checkKeys("sparse", options, ["features", "maxNonZeros"]);
  return {
    kind: "sparse",
    features: positiveInteger("sparse: features", options.features),
    maxNonZeros: positiveInteger("sparse: maxNonZeros", options.maxNonZeros),
  };
}

const SPEC_KINDS = ["tokenIds", "tokens", "sparse"];

/** Whether `specs` is one input spec (a number or a spec object) rather than a record. */
function isSingle(specs: unknown): specs is InputSpec {
  if (typeof specs === "number") return true;
  const kind = (specs as { kind?: unknown })?.kind;
  return typeof kind === "string" && SPEC_KINDS.includes(kind);
}

const RESERVED_NAMES = [
  LABEL_INPUT,
  SAMPLE_WEIGHT_INPUT,
  RNG_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
];

function entryOf(name: string, spec: InputSpec): InputEntry {
  const where = `input "${name}"`;
  if (typeof spec === "number") {
    return { kind: "dense", name, features: positiveInteger(`${where}: features`, spec, 1 << 24) };
  }
  if (typeof spec !== "object" || spec === null || !SPEC_KINDS.includes(spec.kind)) {
    throw new CompileError(
      `${where} must be a number of features, tokenIds({ length }), tokens({ maxTokens }) or ` +
        `sparse({ features, maxNonZeros }), got ${JSON.stringify(spec)}`,
    );
  }
  switch (spec.kind) {
    case "tokenIds":
      return { kind: "tokenIds", name, length: spec.length, vocab: spec.vocab ?? 0 };
    case "tokens":
      return { kind: "tokens", name, maxTokens: spec.maxTokens, vocab: spec.vocab ?? 0 };
    case "sparse":
      return { kind: "sparse", name, features: spec.features, maxNonZeros: spec.maxNonZeros };
  }
}

/**
 * The symbolic value of one input: its tensors, named after the module
 * buffers that will hold it.
 */
export function inputValue(entry: InputEntry): InputValue {
  const b = inputBuffers(entry);
  switch (entry.kind) {
    case "dense":
      return input(entry.name, ["batch", entry.features]);
    case "tokenIds":
      return Object.freeze({
        kind: "tokenIds",
        name: entry.name,
        ids: input(b.data!, ["batch", entry.length]),
        length: entry.length,
      });
    case "tokens":
      return Object.freeze({
        kind: "tokens",
        name: entry.name,
        ids: input(b.ids!, [entry.maxTokens]),
        ends: input(b.ends!, ["batch"]),
        maxTokens: entry.maxTokens,
      });
    case "sparse":
      return Object.freeze({
        kind: "sparse",
        name: entry.name,
        values: input(b.values!, [entry.maxNonZeros]),
        columns: input(b.ids!, [entry.maxNonZeros]),
        ends: input(b.ends!, ["batch"]),
        features: entry.features,
      });
  }
}

/**
 * What a model with this signature receives: the one input's value, or a
 * record of every input's value by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signatureValue } from "./inputs.ts";
 * import { denseSignature } from "../../core/inputs.ts";
 * const x = signatureValue(denseSignature(3)) as { shape: unknown[] };
 * assert.equal(x.shape.join(), "batch,3");
 * ```
 */
export function signatureValue(signature: InputSignature): unknown {
  if (!signature.record) return inputValue(signature.inputs[0]);
  return Object.freeze(
    Object.fromEntries(signature.inputs.map((e) => [e.name, inputValue(e)])),
  );
}

/**
 * Reads `compile`'s `inputs` option: the signature (token vocabularies still
 * 0 where the spec did not give one: `resolveVocabularies` fills them in from
 * the traced graph) and the value the model receives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { declareInputs, tokens } from "./inputs.ts";
 * const { signature, value } = declareInputs({ text: tokens({ maxTokens: 64 }), numeric: 3 });
 * assert.ok(signature.record && signature.inputs.length === 2);
 * assert.equal((value as { numeric: { shape: unknown[] } }).numeric.shape.join(), "batch,3");
 * ```
 */
export function declareInputs(specs: InputSpecs): { signature: InputSignature; value: unknown } {
  if (isSingle(specs)) {
    const entry = entryOf(DATA_INPUT, specs);
    const signature = { record: false, inputs: [entry] };
    return { signature, value: signatureValue(signature) };
  }
  if (typeof specs !== "object" || specs === null || Array.isArray(specs)) {
    throw new CompileError(
      `inputs must be one input (a number of features, tokenIds(…), tokens(…), sparse(…)) or a ` +
        `record of them by name, got ${JSON.stringify(specs)}`,
    );
  }
  const names = Object.keys(specs);
  if (names.length === 0) throw new CompileError("inputs is an empty record: declare an input");
  const entries = names.map((name) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || RESERVED_NAMES.includes(name)) {
      throw new CompileError(
        `Input name "${name}" is not allowed: use letters, digits and _ (not starting with a ` +
          `digit), other than ${RESERVED_NAMES.join(", ")}`,
      );
    }
    return entryOf(name, (specs as Record<string, InputSpec>)[name]);
  });
  const signature = { record: true, inputs: entries };
  return { signature, value: signatureValue(signature) };
}

/** The ops whose operand 1 is an id (or column) buffer, and operand 0 its table. */
const LOOKUPS = ["gather", "bag", "spmm"];

/**
 * Fills in the vocabularies of token inputs from the traced graph: the rows
 * of the tables their ids are looked up in (the fewest, if several). A
 * declared `vocab` must match those rows, and a sparse input's columns must
 * match the rows of the weight they multiply — else a `CompileError`.
 */
export function resolveVocabularies(signature: InputSignature, graph: Graph): InputSignature {
  const tablesOf = (buffer: string | null): number[] => {
    if (buffer === null) return [];
    const node = graph.nodes.find((n) => n.op === "input" && n.attrs.name === buffer);
    if (node === undefined) return [];
    return graph.nodes
      .filter((n) => LOOKUPS.includes(n.op) && n.inputs[1] === node.id)
      .map((n) => graph.nodes[n.inputs[0]].shape[0] as number);
  };
  const inputs = signature.inputs.map((entry): InputEntry => {
    if (entry.kind === "dense") return entry;
    const b = inputBuffers(entry);
    const tables = tablesOf(entry.kind === "tokenIds" ? b.data : b.ids);
    if (entry.kind === "sparse") {
      const other = tables.find((rows) => rows !== entry.features);
      if (other !== undefined) {
        throw new CompileError(
          `The ${describeInput(entry)} multiplies a weight of ${other} rows: ` +
            `they must match its ${entry.features} columns`,
        );
      }
      return entry;
    }
    const declared = entry.vocab > 0 ? entry.vocab : undefined;
    const mismatch = tables.find((rows) => declared !== undefined && rows !== declared);
    if (mismatch !== undefined) {
      throw new CompileError(
        `Input "${entry.name}" declares vocab ${declared}, but the model looks its ids up in a ` +
          `table of ${mismatch} rows: they must match`,
      );
    }
    const vocab = declared ?? (tables.length > 0 ? Math.min(...tables) : MAX_INDEX);
    return { ...entry, vocab };
  });
  return { ...signature, inputs };
}

/**
 * Describes what a layer received, for its error messages: `a dense tensor
 * f32[batch,12]`, `token lists "text"`, ….
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeValue } from "./inputs.ts";
 * import { input } from "./tensor.ts";
 * assert.equal(describeValue(input("x", ["batch", 2])), "a tensor f32[batch,2]");
 * ```
 */
export function describeValue(x: unknown): string {
  if (typeof x !== "object" || x === null) return String(x);
  if ("op" in x && "shape" in x) return `a tensor ${formatShape((x as Tensor).shape)}`;
  const kind = (x as { kind?: unknown }).kind;
  const name = (x as { name?: unknown }).name;
  if (kind === "tokenIds") return `token ids "${name}" (declared with tokenIds)`;
  if (kind === "tokens") return `token lists "${name}" (declared with tokens)`;
  if (kind === "sparse") return `sparse rows "${name}" (declared with sparse)`;
  return `a record of inputs (${Object.keys(x).join(", ")})`;
}

/** Throws a `ShapeError`: `layer` expects `expected`, got `x`. */
export function wrongInput(layer: string, expected: string, x: unknown): never {
  throw new ShapeError(`${layer} expects ${expected}, got ${describeValue(x)}`);
}
