/**
 * A counter-based pseudo-random generator: every number is a pure function of
 * (seed, stream, counter), so initialization and shuffling are reproducible
 * bit for bit, need no hidden state, and any element can be drawn alone.
 *
 * @module
 */

import { mix32, streamOf } from "../core/random.ts";

export { streamOf };

/**
 * A 32-bit hash of (seed, stream, counter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hash32 } from "./prng.ts";
 * assert.ok(hash32(1, 2, 3) === hash32(1, 2, 3) && hash32(1, 2, 3) !== hash32(1, 2, 4));
 * ```
 */
export function hash32(seed: number, stream: number, counter: number): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(stream >>> 0, 0x27d4eb2f));
  h = mix32(h ^ Math.imul(counter >>> 0, 0x165667b1) ^ Math.floor(counter / 4294967296));
  return h;
}

/**
 * A uniform number in [0, 1) for (seed, stream, counter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uniform } from "./prng.ts";
 * const u = uniform(7, 0, 0);
 * assert.ok(u >= 0 && u < 1);
 * ```
 */
export function uniform(seed: number, stream: number, counter: number): number {
  return hash32(seed, stream, counter) / 4294967296;
}

/**
 * A standard normal number (Box–Muller over two uniforms).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normal } from "./prng.ts";
 * assert.ok(Number.isFinite(normal(7, 0, 0)));
 * ```
 */
export function normal(seed: number, stream: number, counter: number): number {
  const u1 = 1 - uniform(seed, stream, 2 * counter); // (0, 1]
  const u2 = uniform(seed, stream, 2 * counter + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A permutation of 0..n-1 (Fisher–Yates driven by the counter-based
 * generator), e.g. the sample order of one epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permutation } from "./prng.ts";
 * const p = permutation(5, 1, 0);
 * assert.ok([...p].sort().join() === "0,1,2,3,4");
 * ```
 */
export function permutation(n: number, seed: number, stream: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform(seed, stream, i) * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
