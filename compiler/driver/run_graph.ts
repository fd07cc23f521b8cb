/**
 * Runs a graph as compiled WebAssembly, once: the gradient checker's way of
 * evaluating the symbolic gradient through the same pipeline that trains
 * (fusion, memory plan, code generation: `lower.ts`). It reads and writes f64
 * buffers, so it takes graphs of dtype "f64" only.
 *
 * @module
 */

import { MATH_IMPORTS } from "../../core/contract.ts";
import { CompileError } from "../../core/errors.ts";
import type { Bindings } from "../ir/interpret.ts";
import type { Graph } from "../ir/ir.ts";
import type { Shape } from "../../core/shape.ts";
import { lowerPrograms } from "./lower.ts";
import { separateOutputs } from "../passes/separate_outputs.ts";

/** A graph compiled by `runCompiled`: its module and where its inputs and outputs live. */
export interface CompiledGraph {
  /** The compiled module. */
  readonly module: WebAssembly.Module;
  /** The named buffers of its memory: name, input kind or "output", byte offset, shape. */
  readonly slots: readonly {
    readonly name: string;
    readonly kind: string;
    readonly offset: number;
    readonly shape: Shape;
  }[];
}

/** Compiled graphs by structure, owned by the caller (e.g. one per property test). */
export type CompileCache = Map<string, CompiledGraph>;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Compiles `graph` (already optimized) to one wasm function, runs it once on
 * `bindings` with the given batch size, and returns every output. `cache`
 * (owned by the caller) keeps compiled modules by graph, so property tests
 * compile each structure once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCompiled } from "./run_graph.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mul, sum } from "../frontend/tensor.ts";
 * const x = input("x", ["batch"]);
 * const out = runCompiled(trace({ y: sum(mul(x, x)) }, "f64"), { x: [1, 2, 3] }, 3, undefined);
 * assert.equal(out.y[0], 14);
 * ```
 */
export function runCompiled(
  optimized: Graph,
  bindings: Bindings,
  batch: number,
  cache: CompileCache | undefined,
): Record<string, Float64Array> {
  if (optimized.dtype !== "f64") {
    throw new CompileError(`runCompiled runs f64 graphs only, got ${optimized.dtype}`);
  }
  const graph = separateOutputs(optimized);
  const maxBatch = Math.max(16, nextPowerOfTwo(batch));
  const key = `${maxBatch}\n${JSON.stringify(graph)}`;
  let compiled = cache?.get(key);
  if (compiled === undefined) {
    // Already optimized (and its outputs separated): no passes, the rest of the pipeline.
    const lowered = lowerPrograms([{ name: "run", graph, returns: null }], {
      maxBatch,
      passes: [],
    });
    compiled = { module: new WebAssembly.Module(lowered.binary), slots: lowered.layout.slots };
    cache?.set(key, compiled);
  }
  const { module, slots } = compiled;
  const instance = new WebAssembly.Instance(module, { env: MATH_IMPORTS });
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    run(n: number): void;
  };
  const view = new Float64Array(exports.memory.buffer);
  const words = new Uint32Array(exports.memory.buffer);
  const size = (shape: Shape) => shape.reduce<number>((n, d) => n * (d === "batch" ? batch : d), 1);
  for (const slot of slots) {
    if (slot.kind === "output") continue;
    // The random key holds u32 words, not floats (see InputKind "rng").
    if (slot.kind === "rng") words.set(bindings[slot.name], slot.offset / 4);
    else view.set(bindings[slot.name], slot.offset / 8);
  }
  exports.run(batch);
  const outputs: Record<string, Float64Array> = {};
  for (const slot of slots) {
    if (slot.kind !== "output") continue;
    const start = slot.offset / 8;
    outputs[slot.name] = view.slice(start, start + size(slot.shape));
  }
  return outputs;
}
