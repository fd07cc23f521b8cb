/**
 * Emits `concat` (two matrices side by side along the columns) and `slice`
 * (a range of columns) as one `memory.copy` per row and operand.
 *
 * @module
 */

import type { Graph } from "../ir/ir.ts";
import type { Shape } from "../../core/shape.ts";
import { bufferOf } from "./emit_elementwise.ts";
import { Kernel } from "./kernel.ts";
import type { Expr, WasmModule } from "./wasm.ts";

/**
 * Adds the function `name` computing node `id` (a `concat` or `slice` node).
 *
 * @example
 * ```ts
 * import { emitConcat } from "./emit_concat.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { concat, input } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ y: concat(input("a", ["batch", 2]), input("b", ["batch", 3])) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitConcat(w, g, 2, new Map([[0, 0], [1, 1024], [2, 2048]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitConcat(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const node = graph.nodes[id];
  const k = new Kernel(w, graph.dtype);
  const i = k.local("i32");
  const out = bufferOf(offsets, id);
  const width = (shape: Shape) => shape[shape.length - 1] as number;
  const outWidth = width(node.shape);
  /** memory.copy of `count` elements from element `from` of `source` to element `to` of out. */
  const copy = (source: number, from: Expr, to: Expr, count: number) =>
    w.memoryCopy(
      w.i32.add(k.i32(out), k.at(to)),
      w.i32.add(k.i32(source), k.at(from)),
      k.i32(count * k.bytes),
    );
  /** Element index of column `column` of row i in a matrix `columns` wide. */
  const element = (columns: number, column = 0) =>
    w.i32.add(w.i32.mul(k.get(i), k.i32(columns)), k.i32(column));
  let perRow: Expr[];
  if (node.op === "concat") {
    const [a, b] = node.inputs;
    const wa = width(graph.nodes[a].shape);
    const wb = width(graph.nodes[b].shape);
    perRow = [
      copy(bufferOf(offsets, a), element(wa), element(outWidth), wa),
      copy(bufferOf(offsets, b), element(wb), element(outWidth, wa), wb),
    ];
  } else {
    const x = node.inputs[0];
    const from = element(width(graph.nodes[x].shape), node.attrs.start ?? 0);
    perRow = [copy(bufferOf(offsets, x), from, element(outWidth), outWidth)];
  }
  const rows = node.shape.length === 1 ? 1 : k.dim(node.shape[0]);
  k.finish(name, [k.forRange(i, k.i32(0), rows, 1, perRow)]);
}
