/**
 * Test helper: runs a graph as compiled f32 WebAssembly, once (the f32
 * counterpart of compiler/driver/run_graph.ts, which runs f64 graphs for the
 * gradient checker). Inputs of kind "rng" are written as u32 words.
 *
 * @module
 */

import { MATH_IMPORTS } from "../core/contract.ts";
import { lowerPrograms } from "../compiler/driver/lower.ts";
import type { Graph } from "../compiler/ir/ir.ts";
import type { Bindings } from "../compiler/ir/interpret.ts";
import type { Shape } from "../core/shape.ts";

/** Compiles `graph` (an f32 graph, before optimization) and runs it on `bindings`. */
export function runF32(
  graph: Graph,
  bindings: Bindings,
  batch: number,
  maxBatch = batch,
): Record<string, Float32Array> {
  const lowered = lowerPrograms([{ name: "run", graph, returns: null }], { maxBatch });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(lowered.binary), {
    env: MATH_IMPORTS,
  });
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    run(n: number): void;
  };
  const view = new Float32Array(exports.memory.buffer);
  const words = new Uint32Array(exports.memory.buffer);
  const size = (shape: Shape) => shape.reduce<number>((n, d) => n * (d === "batch" ? batch : d), 1);
  for (const slot of lowered.layout.slots) {
    if (slot.kind === "output") continue;
    const values = bindings[slot.name];
    if (values === undefined) throw new Error(`runF32: no value for "${slot.name}"`);
    if (slot.kind === "rng") words.set(values, slot.offset / 4);
    else view.set(values, slot.offset / 4);
  }
  exports.run(batch);
  const outputs: Record<string, Float32Array> = {};
  for (const slot of lowered.layout.slots) {
    if (slot.kind !== "output") continue;
    outputs[slot.name] = view.slice(slot.offset / 4, slot.offset / 4 + size(slot.shape));
  }
  return outputs;
}
