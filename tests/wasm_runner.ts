/**
 * Runs tensor expressions as compiled WebAssembly for the tests, through the
 * compiler's own back half (`lowerPrograms`: fuse, plan, emit), at f32 or
 * f64, with relaxed SIMD forced on or off, on the graph as traced or after
 * the optimization passes.
 *
 * @module
 */

import type * as T from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { lowerPrograms } from "../compiler/driver/lower.ts";
import { optimize, PASSES } from "../compiler/passes/pipeline.ts";
import { MATH_IMPORTS } from "../core/contract.ts";
import { type DType, elementCount, type Shape } from "../core/shape.ts";
import { separateOutputs } from "../compiler/passes/separate_outputs.ts";

/** How to compile. */
export interface Variant {
  /** Shown in failure messages. */
  readonly name: string;
  /** Element type. */
  readonly dtype: DType;
  /** Emit relaxed-SIMD code regardless of what the engine supports. */
  readonly relaxedSimd: boolean;
  /** Run the optimization passes first (else lower the graph as traced). */
  readonly optimized: boolean;
}

/** A compiled expression set. */
export interface Built {
  /** The compiled module. */
  readonly module: WebAssembly.Module;
  /** Its bytes. */
  readonly binary: Uint8Array;
  /** Where its inputs and outputs live. */
  readonly slots: readonly { name: string; kind: string; offset: number; shape: Shape }[];
  /** Element type. */
  readonly dtype: DType;
}

/** Compiles the named outputs (run-time batch up to `maxBatch`). */
export function buildOutputs(
  outputs: Record<string, T.Tensor>,
  v: Variant,
  maxBatch: number,
): Built {
  const traced = trace(outputs, v.dtype);
  const graph = separateOutputs(v.optimized ? optimize(traced, PASSES) : traced);
  const lowered = lowerPrograms([{ name: "run", graph, returns: null }], {
    maxBatch,
    passes: [],
    relaxedSimd: v.relaxedSimd,
  });
  return {
    module: new WebAssembly.Module(lowered.binary),
    binary: lowered.binary,
    slots: lowered.layout.slots,
    dtype: v.dtype,
  };
}

/**
 * Runs a compiled module once on fresh memory (outputs pre-filled with NaN,
 * so nothing stale passes) and returns every output as f64.
 */
export function runBuilt(
  built: Built,
  bindings: Readonly<Record<string, ArrayLike<number>>>,
  batch: number,
): Record<string, Float64Array> {
  const instance = new WebAssembly.Instance(built.module, { env: MATH_IMPORTS });
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    run(n: number): void;
  };
  const view = built.dtype === "f64"
    ? new Float64Array(exports.memory.buffer)
    : new Float32Array(exports.memory.buffer);
  const bytes = built.dtype === "f64" ? 8 : 4;
  for (const slot of built.slots) {
    const start = slot.offset / bytes;
    const count = elementCount(slot.shape, batch);
    if (slot.kind === "output") view.fill(NaN, start, start + count);
    // The random key holds u32 words, not floats (InputKind "rng").
    else if (slot.kind === "rng") {
      new Uint32Array(view.buffer, slot.offset, 2).set(bindings[slot.name]);
    } else view.set(bindings[slot.name], start);
  }
  exports.run(batch);
  const out: Record<string, Float64Array> = {};
  for (const slot of built.slots) {
    if (slot.kind !== "output") continue;
    const start = slot.offset / bytes;
    out[slot.name] = Float64Array.from(
      view.subarray(start, start + elementCount(slot.shape, batch)),
    );
  }
  return out;
}
