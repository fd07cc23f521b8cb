/**
 * Canonical JSON: keys of every object sorted, `undefined` members left out,
 * no white space. Two values that parse from JSON to the same data give the
 * same text, whatever the order of their keys or the spelling of their
 * numbers (`1e3` and `1000`), so hashes of it (a save's checksum, an
 * architecture fingerprint) depend on content only.
 *
 * @module
 */

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) out[key] = sorted(record[key]);
    }
    return out;
  }
  return value;
}

/**
 * The canonical JSON text of a value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./canonical_json.ts";
 * assert.equal(canonicalJson({ b: 1e3, a: [{ d: 1, c: undefined }] }), '{"a":[{"d":1}],"b":1000}');
 * assert.equal(canonicalJson(JSON.parse('{"b": 1000, "a": [{"d": 1}]}')), '{"a":[{"d":1}],"b":1000}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}
