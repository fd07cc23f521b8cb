/**
 * The architecture fingerprint: a SHA-256 of the forward (predict) graph in a
 * canonical form — every node's op, operands, shape and attributes (constants
 * included, initializers left out), and the outputs; not the element type, the
 * batch size, the loss or the optimizer. Two models with the same fingerprint
 * compute the same function of the same named parameters, so a state or
 * parameters taken from one fit the other. tanh and relu layers of the same
 * sizes have different fingerprints though their buffers agree in size.
 *
 * The compiler stores it in the artifact; the runtime checks states and
 * parameters against it, and a saved file's against its graphs.
 *
 * @module
 */

import type { PlainGraph } from "./artifact.ts";
import { canonicalJson } from "./canonical_json.ts";
import { sha256Hex } from "./sha256.ts";

/** Prefix of every fingerprint (the hash function). */
export const FINGERPRINT_PREFIX = "sha256:";

/**
 * The canonical text the fingerprint hashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architectureText } from "./fingerprint.ts";
 * const graph = {
 *   dtype: "f32" as const, updates: [], outputs: [{ name: "prediction", node: 1 }],
 *   nodes: [
 *     { id: 0, op: "input", inputs: [], shape: ["batch" as const, 2], attrs: { name: "x", kind: "data" } },
 *     { id: 1, op: "tanh", inputs: [0], shape: ["batch" as const, 2], attrs: {} },
 *   ],
 * };
 * assert.equal(architectureText(graph), architectureText({ ...graph, dtype: "f64" }));
 * ```
 */
export function architectureText(predict: PlainGraph): string {
  return canonicalJson({
    nodes: predict.nodes.map((n) => {
      const { init: _init, ...attrs } = n.attrs as Record<string, unknown>;
      return [n.op, n.inputs, n.shape, attrs];
    }),
    outputs: predict.outputs.map((o) => [o.name, o.node]),
  });
}

/**
 * The fingerprint of a model's predict graph: `sha256:` and 64 hex digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architectureFingerprint } from "./fingerprint.ts";
 * const graph = (op: string) => ({
 *   dtype: "f32" as const, updates: [], outputs: [{ name: "prediction", node: 1 }],
 *   nodes: [
 *     { id: 0, op: "input", inputs: [], shape: ["batch" as const, 2], attrs: { name: "x", kind: "data" } },
 *     { id: 1, op, inputs: [0], shape: ["batch" as const, 2], attrs: {} },
 *   ],
 * });
 * assert.match(architectureFingerprint(graph("tanh")), /^sha256:[0-9a-f]{64}$/);
 * assert.notEqual(architectureFingerprint(graph("tanh")), architectureFingerprint(graph("relu")));
 * ```
 */
export function architectureFingerprint(predict: PlainGraph): string {
  return FINGERPRINT_PREFIX + sha256Hex(new TextEncoder().encode(architectureText(predict)));
}

/**
 * A fingerprint shortened for messages (the prefix and 12 hex digits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shortFingerprint } from "./fingerprint.ts";
 * assert.equal(shortFingerprint("sha256:" + "ab".repeat(32)), "sha256:abababababab…");
 * ```
 */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > FINGERPRINT_PREFIX.length + 12
    ? fingerprint.slice(0, FINGERPRINT_PREFIX.length + 12) + "…"
    : fingerprint;
}
