/**
 * Emits sum and max reductions over one axis or over all elements of a
 * tensor of rank ≤ 2 (seen as [rows, cols]). The order of accumulation is
 * fixed, so results are reproducible.
 *
 * - all elements: f32x4 accumulator over the flat data, lanes combined in a
 *   fixed order, then the scalar tail;
 * - axis 0 ([rows, cols] → [1, cols], e.g. a bias gradient): f32x4 across
 *   columns, accumulating row after row;
 * - axis 1 ([rows, cols] → [rows, 1], e.g. softmax sums): per row, like "all".
 *
 * @module
 */

import { bufferOf } from "./emit_elementwise.ts";
import { Kernel } from "./kernel.ts";
import type { Graph } from "../ir/ir.ts";
import type { Dim } from "../../core/shape.ts";
import type { Expr, WasmModule } from "./wasm.ts";

/**
 * Adds the function `name` computing reduction node `id`. With `split`, the
 * function computes the calling thread's share of the outputs (whole
 * columns for axis 0, whole rows for axis 1): each output is still reduced
 * by one thread, in the order above. A reduction over all elements is never
 * split.
 *
 * @example
 * ```ts
 * import { emitReduce } from "./emit_reduce.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, sum } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ s: sum(input("x", [4, 3]), { axis: 0, keepdims: true }) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitReduce(w, g, 1, new Map([[0, 0], [1, 64]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitReduce(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
  split = false,
): void {
  const node = graph.nodes[id];
  const source = graph.nodes[node.inputs[0]];
  const op = node.op === "max" ? "max" : "add";
  const inOffset = bufferOf(offsets, source.id);
  const outOffset = bufferOf(offsets, id);
  const shape = source.shape;
  const axis = node.attrs.axis ?? null;

  const k = new Kernel(w, graph.dtype);
  const acc = k.local(k.scalar);
  let code: Expr[];
  if (axis === null || shape.length <= 1) {
    if (split) throw new Error(`internal: a reduction over all elements (%${id}) is never split`);
    code = [
      ...k.reduceRun(acc, { offset: inOffset, base: () => k.i32(0), count: k.count(shape), op }),
      k.store(outOffset, k.i32(0), k.get(acc)),
    ];
  } else if (axis === 1) {
    const [rows, cols] = shape;
    const i = k.local("i32");
    const base = k.local("i32"); // byte address of row i
    const row = [
      k.set(base, k.at(w.i32.mul(k.get(i), k.value(k.dim(cols))))),
      ...k.reduceRun(acc, { offset: inOffset, base: () => k.get(base), count: k.dim(cols), op }),
      k.store(outOffset, k.get(i), k.get(acc)),
    ];
    code = split
      ? k.sharedRange(i, k.dim(rows), row)
      : [k.forRange(i, k.i32(0), k.dim(rows), 1, row)];
  } else {
    // axis 0: out[j..] = reduce over i of x[i, j..], lanes across columns.
    const [rows, cols] = shape as [Dim, number];
    const i = k.local("i32");
    const j = k.local("i32");
    const identity = op === "max" ? -Infinity : 0;
    code = (split ? k.sharedLanes : k.lanes).call(k, j, cols, (lanes) => {
      const m = k.math(lanes);
      const vacc = k.local(k.valueType(lanes));
      const x = () =>
        k.loadLanes(lanes, inOffset, w.i32.add(w.i32.mul(k.get(i), k.i32(cols)), k.get(j)));
      const combine = (a: Expr, b: Expr) =>
        op === "max" ? (lanes === 4 ? w.f32x4.max(a, b) : k.F.max(a, b)) : m.add(a, b);
      return [
        k.set(vacc, m.constant(identity)),
        k.forRange(i, k.i32(0), k.dim(rows), 1, [k.set(vacc, combine(k.get(vacc), x()))]),
        k.storeLanes(lanes, outOffset, k.get(j), k.get(vacc)),
      ];
    });
  }
  k.finish(name, code);
}
