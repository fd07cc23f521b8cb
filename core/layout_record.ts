/**
 * The layout record: what a compiled module was built for — its element
 * type, largest batch, memory size, where every named buffer lives and the
 * architecture fingerprint of the model it computes —
 * written by the compiler into the module itself, as a custom section. The
 * runtime compares it with an artifact's metadata before running the module,
 * so metadata edited by hand (a larger `maxBatch`, another `inputFeatures`)
 * or another model's module (even one with the same layout, say relu for
 * tanh) is refused instead of running.
 *
 * @module
 */

import type { DType, Shape } from "./shape.ts";

/** Name of the custom section holding the record. */
export const LAYOUT_SECTION = "mlpc.layout";

/** One named buffer: name, kind, byte offset, shape. */
export type LayoutRecordSlot = readonly [name: string, kind: string, offset: number, shape: Shape];

/** What the module was built for. */
export interface LayoutRecord {
  /** Version of the record. */
  readonly version: 1;
  /** Element type. */
  readonly dtype: DType;
  /** Largest batch one call handles. */
  readonly maxBatch: number;
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
  /** Every named buffer. */
  readonly slots: readonly LayoutRecordSlot[];
  /** The fingerprint of the predict graph (`core/fingerprint.ts`), or null without one. */
  readonly fingerprint: string | null;
  /**
   * Threads the module was built for, when more than one (absent: one): a
   * module is run by exactly that many threads.
   */
  readonly threads?: number;
}

/**
 * The record of a layout, as the JSON text the section holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { layoutRecordText } from "./layout_record.ts";
 * const text = layoutRecordText("f32", 8, 65536, [{ name: "x", kind: "data", offset: 64, shape: ["batch", 3] }], null);
 * assert.equal(text, '{"version":1,"dtype":"f32","maxBatch":8,"memoryBytes":65536,"slots":[["x","data",64,["batch",3]]],"fingerprint":null}');
 * ```
 */
export function layoutRecordText(
  dtype: DType,
  maxBatch: number,
  memoryBytes: number,
  slots: readonly { name: string; kind: string; offset: number; shape: Shape }[],
  fingerprint: string | null,
  threads = 1,
): string {
  const record: LayoutRecord = {
    version: 1,
    dtype,
    maxBatch,
    memoryBytes,
    slots: slots.map((s) => [s.name, s.kind, s.offset, s.shape]),
    fingerprint,
    ...(threads > 1 ? { threads } : {}),
  };
  return JSON.stringify(record);
}
