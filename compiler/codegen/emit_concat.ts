/**
 * Emits `concat` (two matrices side by side along the columns) and `slice`
 * (a range of columns) as one `memory.copy` per row and operand.
 *
 * @module
 */

import { BATCH_GLOBAL } from "./emit_math.ts";
import type { Graph } from "../ir/ir.ts";
import type { Shape } from "../../core/shape.ts";
import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";

function rowsOf(w: WasmModule, shape: Shape): () => Expr {
  const rows = shape.length === 1 ? 1 : shape[0];
  return () => (rows === "batch" ? w.globalGet(BATCH_GLOBAL, "i32") : w.i32.const(rows));
}

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
  const bytes = graph.dtype === "f64" ? 8 : 4;
  const fb = new FunctionBuilder(w, []);
  const i = fb.addLocal("i32");
  const out = offsets.get(id)!;
  const outWidth = widthOf(node.shape);
  /** memory.copy of `width` elements from element `from` of `source` to element `to` of out. */
  const copy = (source: number, from: () => Expr, to: () => Expr, width: number) =>
    w.memoryCopy(
      w.i32.add(w.i32.const(out), w.i32.mul(to(), w.i32.const(bytes))),
      w.i32.add(w.i32.const(source), w.i32.mul(from(), w.i32.const(bytes))),
      w.i32.const(width * bytes),
    );
  const row = (width: number) => () => w.i32.mul(fb.get(i), w.i32.const(width));
  let perRow: Expr[];
  if (node.op === "concat") {
    const [a, b] = node.inputs;
    const wa = widthOf(graph.nodes[a].shape);
    const wb = widthOf(graph.nodes[b].shape);
    perRow = [
      copy(offsets.get(a)!, row(wa), row(outWidth), wa),
      copy(offsets.get(b)!, row(wb), () => w.i32.add(row(outWidth)(), w.i32.const(wa)), wb),
    ];
  } else {
    const x = node.inputs[0];
    const width = widthOf(graph.nodes[x].shape);
    const start = node.attrs.start ?? 0;
    perRow = [
      copy(
        offsets.get(x)!,
        () => w.i32.add(row(width)(), w.i32.const(start)),
        row(outWidth),
        outWidth,
      ),
    ];
  }
  w.addFunction(
    name,
    fb,
    "none",
    fb.forRange(i, w.i32.const(0), rowsOf(w, node.shape), 1, perRow),
  );
}
