/**
 * Small helpers shared by the tests (the Deno standard library is not
 * reachable here, so assertions come from `node:assert/strict`).
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import type { Shape } from "../core/shape.ts";
import { uniform } from "../runtime/prng.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import { sha256Hex } from "../core/sha256.ts";

/** Seed of every property test, so failures reproduce; printed on failure by fast-check. */
export const SEED = 20261129;

/** Concrete element count of a shape for a batch size. */
export function sizeOf(shape: Shape, batch: number): number {
  return shape.reduce<number>((n, d) => n * (d === "batch" ? batch : d), 1);
}

/** Values in [-range, range], each at least `gap` away from 0 (to stay off kinks). */
export function valuesArb(count: number, range = 2, gap = 0): fc.Arbitrary<number[]> {
  return fc.array(
    fc.double({ min: gap, max: range, noNaN: true }).chain((v) => fc.constantFrom(v, -v)),
    { minLength: count, maxLength: count },
  );
}

/** Largest |a[i] - b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest |a[i]|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** A seeded stream of uniform numbers in [0, 1), from the library's counter-based generator. */
export function uniformStream(seed: number): () => number {
  let counter = 0;
  return () => uniform(seed, 0, counter++);
}

/**
 * A saved model's JSON (parsed, perhaps edited) as file text with a checksum
 * that fits its content again — what someone editing a file by hand and
 * fixing its checksum would produce — so tests reach the rules behind the
 * checksum.
 */
export function resign(saved: Record<string, unknown>): string {
  const { checksum: _old, ...body } = saved;
  const hex = sha256Hex(new TextEncoder().encode(canonicalJson(body)));
  return JSON.stringify({ ...body, checksum: `sha256:${hex}` });
}
