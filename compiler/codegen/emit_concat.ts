/**
 * Emits `concat` (two matrices side by side along the columns) and `slice`
 * (a range of columns) as one `memory.copy` per row and operand.
 *
 * @module
 */

import { bufferOf } from "./emit_elementwise.ts";
import { Kernel } from "./kernel.ts";
import type { Graph } from "../ir/ir.ts";
import type { Shape } from "../../core/shape.ts";
import type { Expr, WasmModule } from "./wasm.ts";

function widthOf(shape: Shape): number {
  return shape[shape.length - 1] as number;
}

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
  const outWidth = widthOf(node.shape);
  /** memory.copy of `width` elements from element `from` of `source` to element `to` of out. */
  const copy = (source: number, from: Expr, to: Expr, width: number) =>
    w.memoryCopy(
      w.i32.add(k.i32(out), k.at(to)),
      w.i32.add(k.i32(source), k.at(from)),
      k.i32(width * k.bytes),
    );
  const row = (width: number) => w.i32.mul(k.get(i), k.i32(width));
  let perRow: Expr[];
  if (node.op === "concat") {
    const [a, b] = node.inputs;
    const wa = widthOf(graph.nodes[a].shape);
    const wb = widthOf(graph.nodes[b].shape);
    perRow = [
      copy(bufferOf(offsets, a), row(wa), row(outWidth), wa),
      copy(bufferOf(offsets, b), row(wb), w.i32.add(row(outWidth), k.i32(wa)), wb),
    ];
  } else {
    const x = node.inputs[0];
    const start = node.attrs.start ?? 0;
    const width = widthOf(graph.nodes[x].shape);
    perRow = [
      copy(bufferOf(offsets, x), w.i32.add(row(width), k.i32(start)), row(outWidth), outWidth),
    ];
  }
  const rows = node.shape.length === 1 ? 1 : node.shape[0];
  k.finish(name, [k.forRange(i, k.i32(0), k.dim(rows), 1, perRow)]);
}
