/**
 * Emits the small kernels: one-hot encoding of labels, literal tensors (each
 * value stored by one instruction) and plain copies (reshapes, and updates
 * that could not be written in place).
 *
 * @module
 */

import { BATCH_GLOBAL } from "./emit_math.ts";
import type { Graph } from "../ir/ir.ts";
import type { Shape } from "../../core/shape.ts";
import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";

function byteCount(w: WasmModule, shape: Shape, elementBytes: number): Expr {
  const fixed = shape.reduce<number>((n, d) => (d === "batch" ? n : n * d), 1) * elementBytes;
  return shape.includes("batch")
    ? w.i32.mul(w.globalGet(BATCH_GLOBAL, "i32"), w.i32.const(fixed))
    : w.i32.const(fixed);
}

/**
 * Adds the function `name` encoding labels `[n]` (stored as floats) as
 * `[n, classes]`. Labels are range-checked by the runtime before they are
 * written; the kernel also skips any out-of-range label, so memory outside
 * the output is never written.
 *
 * @example
 * ```ts
 * import { emitOneHot } from "./emit_misc.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, oneHot } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ h: oneHot(input("y", ["batch"], "label"), 3) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitOneHot(w, g, 1, new Map([[0, 0], [1, 64]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitOneHot(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const node = graph.nodes[id];
  const f64 = graph.dtype === "f64";
  const elementBytes = f64 ? 8 : 4;
  const classes = node.attrs.classes ?? 0;
  const inOffset = offsets.get(node.inputs[0])!;
  const outOffset = offsets.get(id)!;
  const fb = new FunctionBuilder(w, []);
  const i = fb.addLocal("i32");
  const label = fb.addLocal("i32");
  const rows = () =>
    node.shape[0] === "batch"
      ? w.globalGet(BATCH_GLOBAL, "i32")
      : w.i32.const(node.shape[0] as number);
  const readLabel = () =>
    f64
      ? w.i32.trunc_s_sat.f64(w.f64.load(inOffset, 8, w.i32.shl(fb.get(i), w.i32.const(3))))
      : w.i32.trunc_s_sat.f32(w.f32.load(inOffset, 4, w.i32.shl(fb.get(i), w.i32.const(2))));
  const target = () =>
    w.i32.mul(
      w.i32.add(w.i32.mul(fb.get(i), w.i32.const(classes)), fb.get(label)),
      w.i32.const(elementBytes),
    );
  const one =
    () => (f64
      ? w.f64.store(outOffset, 8, target(), w.f64.const(1))
      : w.f32.store(outOffset, 4, target(), w.f32.const(1)));
  const inRange = () =>
    w.i32.and(
      w.i32.ge_s(fb.get(label), w.i32.const(0)),
      w.i32.lt_s(fb.get(label), w.i32.const(classes)),
    );
  w.addFunction(
    name,
    fb,
    "none",
    w.block(null, [
      w.memoryFill(w.i32.const(outOffset), w.i32.const(0), byteCount(w, node.shape, elementBytes)),
      fb.forRange(i, w.i32.const(0), rows, 1, [fb.set(label, readLabel()), w.if(inRange(), one())]),
    ]),
  );
}

/**
 * Adds the function `name` copying a tensor of `shape` from one buffer to
 * another.
 *
 * @example
 * ```ts
 * import { emitCopy } from "./emit_misc.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { WasmModule } from "./wasm.ts";
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitCopy(w, ["batch", 3], 4, 0, 64, "k0");
 * w.finish(1);
 * ```
 */
export function emitCopy(
  w: WasmModule,
  shape: Shape,
  elementBytes: number,
  from: number,
  to: number,
  name: string,
): void {
  const fb = new FunctionBuilder(w, []);
  w.addFunction(
    name,
    fb,
    "none",
    w.memoryCopy(w.i32.const(to), w.i32.const(from), byteCount(w, shape, elementBytes)),
  );
}

/**
 * Adds the function `name` writing a `literal` node's values into its buffer
 * (one store per value: literals are small, such as class weights).
 *
 * @example
 * ```ts
 * import { emitLiteral } from "./emit_misc.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { literal } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ w: literal([0.5, 2, 1]) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitLiteral(w, g, 0, new Map([[0, 64]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitLiteral(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const values = graph.nodes[id].attrs.values ?? [];
  const offset = offsets.get(id)!;
  const f64 = graph.dtype === "f64";
  const stores = values.map((v, i) =>
    f64
      ? w.f64.store(offset + 8 * i, 8, w.i32.const(0), w.f64.const(v))
      : w.f32.store(offset + 4 * i, 4, w.i32.const(0), w.f32.const(v))
  );
  w.addFunction(name, new FunctionBuilder(w, []), "none", w.block(null, stores));
}
