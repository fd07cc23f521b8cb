/**
 * The integer hashes behind every random number mlpc draws, shared by the
 * runtime (initialization, shuffling), the f64 reference interpreter and the
 * code generator (dropout masks inside WebAssembly). Everything here is 32-bit
 * integer arithmetic (`Math.imul`, shifts, xor), which WebAssembly computes
 * with the same bits in every engine — so a mask drawn in wasm equals the one
 * drawn here, element for element.
 *
 * Dropout: the mask bit of element `index` (the flat row-major index within
 * the batch) of the dropout layer with stream `stream` at training step `step`
 * of a trainer seeded `seed` is
 *
 *     key  = mix(mix(mix(seed ⊕ 0x9e3779b9) ⊕ stream·0x27d4eb2f) ⊕ step·0x165667b1)
 *     bits = mix(key + index·0x9e3779b9)               (mod 2³²)
 *     keep = bits ≥ ⌈p·2³²⌉                            (u = bits/2³² ≥ p)
 *
 * with `mix` Murmur3's 32-bit finalizer. `key` is computed once per kernel
 * call; each element costs one `mix`.
 *
 * @module
 */

/** Golden-ratio increment, also the per-element stride of dropout's counter. */
const GOLDEN = 0x9e3779b9;
/** Odd multipliers that spread the stream and the step over all bits. */
const STREAM_MULTIPLIER = 0x27d4eb2f;
const STEP_MULTIPLIER = 0x165667b1;

/** The constants of Murmur3's 32-bit finalizer, for the code generator. */
export const MIX_CONSTANTS = { m1: 0x85ebca6b, m2: 0xc2b2ae35 } as const;
/** The constants of the dropout hash, for the code generator. */
export const DROPOUT_HASH = {
  golden: GOLDEN,
  stream: STREAM_MULTIPLIER,
  step: STEP_MULTIPLIER,
} as const;

/**
 * Murmur3's 32-bit finalizer: a bijection of 32-bit integers with a good
 * avalanche (every input bit flips each output bit with probability ≈ ½).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mix32 } from "./random.ts";
 * assert.equal(mix32(0), 0);
 * assert.notEqual(mix32(1), mix32(2));
 * ```
 */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, MIX_CONSTANTS.m1);
  h ^= h >>> 13;
  h = Math.imul(h, MIX_CONSTANTS.m2);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A stream number for a name (FNV-1a), so each parameter, and each dropout
 * layer, draws its own numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamOf } from "./random.ts";
 * assert.ok(streamOf("0.weight") !== streamOf("2.weight"));
 * ```
 */
export function streamOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The per-step key of one dropout layer: a hash of (seed, stream, step).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutKey } from "./random.ts";
 * assert.notEqual(dropoutKey(1, 7, 1), dropoutKey(1, 7, 2));
 * ```
 */
export function dropoutKey(seed: number, stream: number, step: number): number {
  let h = mix32((seed ^ GOLDEN) >>> 0);
  h = mix32((h ^ Math.imul(stream, STREAM_MULTIPLIER)) >>> 0);
  return mix32((h ^ Math.imul(step, STEP_MULTIPLIER)) >>> 0);
}

/**
 * The 32 random bits of element `index` under a dropout key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutBits, dropoutKey } from "./random.ts";
 * const key = dropoutKey(1, 7, 1);
 * assert.ok(dropoutBits(key, 0) !== dropoutBits(key, 1));
 * ```
 */
export function dropoutBits(key: number, index: number): number {
  return mix32((key + Math.imul(index, GOLDEN)) >>> 0);
}

/**
 * The smallest 32-bit value that is kept: an element is kept when its bits
 * are ≥ this, i.e. when the uniform number bits/2³² is ≥ p. For p = 1 every
 * element is dropped (the threshold is 2³², above every 32-bit value).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutThreshold } from "./random.ts";
 * assert.equal(dropoutThreshold(0), 0);
 * assert.equal(dropoutThreshold(0.5), 2 ** 31);
 * ```
 */
export function dropoutThreshold(p: number): number {
  return Math.ceil(p * 4294967296);
}

/**
 * Whether dropout keeps element `index` (seed, stream and step as above).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutKeeps } from "./random.ts";
 * assert.equal(dropoutKeeps(0, 1, 7, 1, 0), true); // p = 0 keeps everything
 * assert.equal(dropoutKeeps(1, 1, 7, 1, 0), false); // p = 1 drops everything
 * ```
 */
export function dropoutKeeps(
  p: number,
  seed: number,
  stream: number,
  step: number,
  index: number,
): boolean {
  return dropoutBits(dropoutKey(seed, stream, step), index) >= dropoutThreshold(p);
}
