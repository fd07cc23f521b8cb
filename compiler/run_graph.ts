/**
 * Runs a graph as compiled WebAssembly, once: the gradient checker's way of
 * evaluating the symbolic gradient through the same pipeline that trains
 * (fusion, memory plan, code generation), at the graph's precision.
 *
 * @module
 */

import { MATH_IMPORTS } from "../runtime/math_imports.ts";
import { emitModule, planPrograms } from "./emit_module.ts";
import { fuse } from "./fuse.ts";
import { GraphBuilder } from "./graph_builder.ts";
import type { Bindings } from "./interpret.ts";
import type { Graph } from "./ir.ts";
import type { Shape } from "./shape.ts";

/**
 * Gives every output its own buffer: an output that is an input, a constant
 * or shared with another output is routed through a copy (`stopgrad`, an
 * elementwise identity), since the memory plan pins each output's node to
 * that output's slot.
 */
function separateOutputs(graph: Graph): Graph {
  const b = new GraphBuilder(graph.dtype, graph.nodes);
  const seen = new Set<number>();
  const outputs = graph.outputs.map((o) => {
    const op = graph.nodes[o.node].op;
    const shared = seen.has(o.node) || op === "input" || op === "const" || op === "count";
    seen.add(o.node);
    if (!shared) return o;
    const value = op === "const" || op === "count"
      ? b.emit("broadcast", [o.node], { shape: graph.nodes[o.node].shape })
      : o.node;
    return { name: o.name, node: b.emit("stopgrad", [value]) };
  });
  return b.finish(outputs, graph.updates);
}

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
 * import { trace } from "./trace.ts";
 * import { input, mul, sum } from "./tensor.ts";
 * const x = input("x", ["batch"]);
 * const out = runCompiled(trace({ y: sum(mul(x, x)) }, "f64"), { x: [1, 2, 3] }, 3, undefined);
 * assert.equal(out.y[0], 14);
 * ```
 */
export function runCompiled(
  optimized: Graph,
  bindings: Bindings,
  batch: number,
  cache: Map<string, WebAssembly.Module> | undefined,
): Record<string, Float64Array> {
  const graph = separateOutputs(optimized);
  const maxBatch = Math.max(16, nextPowerOfTwo(batch));
  const program = fuse(graph);
  const { layout, toEmit, memoryBytes } = planPrograms(
    [{ name: "run", program, returns: null }],
    maxBatch,
  );
  const key = `${maxBatch}\n${JSON.stringify(graph)}`;
  let module = cache?.get(key);
  if (module === undefined) {
    const emitted = emitModule(toEmit, layout, memoryBytes, graph.dtype);
    module = new WebAssembly.Module(emitted.binary);
    cache?.set(key, module);
  }
  const instance = new WebAssembly.Instance(module, { env: MATH_IMPORTS });
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    run(n: number): void;
  };
  const view = new Float64Array(exports.memory.buffer);
  const size = (shape: Shape) => shape.reduce<number>((n, d) => n * (d === "batch" ? batch : d), 1);
  for (const slot of layout.slots) {
    if (slot.kind === "output") continue;
    view.set(bindings[slot.name], slot.offset / 8);
  }
  exports.run(batch);
  const outputs: Record<string, Float64Array> = {};
  for (const slot of layout.slots) {
    if (slot.kind !== "output") continue;
    const start = slot.offset / 8;
    outputs[slot.name] = view.slice(start, start + size(slot.shape));
  }
  return outputs;
}
