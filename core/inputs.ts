/**
 * A model's input signature: what it reads, as plain data the compiler
 * writes into the artifact and the runtime feeds by — one dense matrix (the
 * default), fixed-length token ids, variable-length token lists (bags) or
 * sparse rows (CSR), alone or several under names. Each input lives in one
 * or more buffers of the module, named here so both sides agree.
 *
 * Ids, bag ends and column indices are stored as floats of the model's
 * element type (like class labels) and must stay below 2²⁴, where f32 holds
 * every integer exactly.
 *
 * @module
 */

import { DATA_INPUT } from "./contract.ts";

/** Largest vocabulary, feature count or capacity an index input may have (2²⁴). */
export const MAX_INDEX = 2 ** 24;

/** A dense input: `features` numbers per sample (`[batch, features]`). */
export interface DenseEntry {
  /** Discriminates entries. */
  readonly kind: "dense";
  /** The input's name (`"x"` for a model with one input). */
  readonly name: string;
  /** Numbers per sample. */
  readonly features: number;
}

/** Fixed-length token ids: `length` integer ids per sample, each in `0..vocab−1`. */
export interface TokenIdsEntry {
  /** Discriminates entries. */
  readonly kind: "tokenIds";
  /** The input's name. */
  readonly name: string;
  /** Ids per sample. */
  readonly length: number;
  /** Ids are in `0..vocab−1`. */
  readonly vocab: number;
}

/**
 * Variable-length token lists (bags): any number of ids per sample, at most
 * `maxTokens` in one batch, each in `0..vocab−1`.
 */
export interface TokensEntry {
  /** Discriminates entries. */
  readonly kind: "tokens";
  /** The input's name. */
  readonly name: string;
  /** Ids one batch may hold in all (the compiled capacity). */
  readonly maxTokens: number;
  /** Ids are in `0..vocab−1`. */
  readonly vocab: number;
}

/**
 * Sparse rows (CSR): per sample, values in some of `features` columns, at
 * most `maxNonZeros` in one batch.
 */
export interface SparseEntry {
  /** Discriminates entries. */
  readonly kind: "sparse";
  /** The input's name. */
  readonly name: string;
  /** Columns (column indices are in `0..features−1`). */
  readonly features: number;
  /** Values one batch may hold in all (the compiled capacity). */
  readonly maxNonZeros: number;
}

/** One declared input. */
export type InputEntry = DenseEntry | TokenIdsEntry | TokensEntry | SparseEntry;

/** What a model reads. */
export interface InputSignature {
  /**
   * `false`: one input, named `"x"`, given to the model (and to `fit`,
   * `predict`…) as it is; `true`: named inputs, given as a record.
   */
  readonly record: boolean;
  /** The inputs, in declaration order. */
  readonly inputs: readonly InputEntry[];
}

/**
 * The signature of a model with one dense input of `features` numbers: what
 * an artifact without a signature stands for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denseSignature } from "./inputs.ts";
 * assert.deepEqual(denseSignature(4).inputs, [{ kind: "dense", name: "x", features: 4 }]);
 * ```
 */
export function denseSignature(features: number): InputSignature {
  return { record: false, inputs: [{ kind: "dense", name: DATA_INPUT, features }] };
}

/** Whether a signature is one dense input named `"x"` (what every model had before signatures). */
export function isDenseSignature(signature: InputSignature): boolean {
  const [only] = signature.inputs;
  return !signature.record && signature.inputs.length === 1 && only.kind === "dense" &&
    only.name === DATA_INPUT;
}

/** Names of the module buffers that hold one input. */
export interface InputBuffers {
  /** Dense values or fixed-length ids (`[batch, width]`), or null. */
  readonly data: string | null;
  /** Bag ids or column indices (`[capacity]`), or null. */
  readonly ids: string | null;
  /** Sparse values (`[capacity]`), or null. */
  readonly values: string | null;
  /** Bag (row) ends (`[batch]`), or null. */
  readonly ends: string | null;
}

/**
 * The module buffers an input lives in: `name` for dense values and
 * fixed-length ids; `name.ids` and `name.ends` for token lists;
 * `name.values`, `name.columns` and `name.ends` for sparse rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputBuffers } from "./inputs.ts";
 * const b = inputBuffers({ kind: "tokens", name: "text", maxTokens: 64, vocab: 100 });
 * assert.deepEqual([b.ids, b.ends], ["text.ids", "text.ends"]);
 * ```
 */
export function inputBuffers(entry: InputEntry): InputBuffers {
  switch (entry.kind) {
    case "dense":
    case "tokenIds":
      return { data: entry.name, ids: null, values: null, ends: null };
    case "tokens":
      return { data: null, ids: `${entry.name}.ids`, values: null, ends: `${entry.name}.ends` };
    case "sparse":
      return {
        data: null,
        ids: `${entry.name}.columns`,
        values: `${entry.name}.values`,
        ends: `${entry.name}.ends`,
      };
  }
}

/**
 * Every buffer name of a signature.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bufferNames, denseSignature } from "./inputs.ts";
 * assert.deepEqual(bufferNames(denseSignature(3)), ["x"]);
 * ```
 */
export function bufferNames(signature: InputSignature): string[] {
  return signature.inputs.flatMap((entry) => {
    const b = inputBuffers(entry);
    return [b.data, b.ids, b.values, b.ends].filter((n): n is string => n !== null);
  });
}

/**
 * A short description of an input, for messages: `tokens "text" (≤ 4096 ids
 * per batch, vocabulary 20000)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeInput } from "./inputs.ts";
 * assert.equal(describeInput({ kind: "dense", name: "x", features: 3 }), 'dense input "x" (3 features)');
 * ```
 */
export function describeInput(entry: InputEntry): string {
  switch (entry.kind) {
    case "dense":
      return `dense input "${entry.name}" (${entry.features} features)`;
    case "tokenIds":
      return `token-id input "${entry.name}" (${entry.length} ids per sample, vocabulary ${entry.vocab})`;
    case "tokens":
      return `token input "${entry.name}" (≤ ${entry.maxTokens} ids per batch, vocabulary ${entry.vocab})`;
    case "sparse":
      return `sparse input "${entry.name}" (${entry.features} columns, ≤ ${entry.maxNonZeros} values per batch)`;
  }
}
