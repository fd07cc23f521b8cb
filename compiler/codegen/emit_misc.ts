/**
 * Emits the small kernels: one-hot encoding of labels, literal tensors (each
 * value stored by one instruction) and plain copies (reshapes, and updates
 * that could not be written in place).
 *
 * @module
 */

import { bufferOf } from "./emit_elementwise.ts";
import { Kernel } from "./kernel.ts";
import type { Graph } from "../ir/ir.ts";
import type { DType, Shape } from "../../core/shape.ts";
import type { WasmModule } from "./wasm.ts";

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
  const classes = node.attrs.classes ?? 0;
  const outOffset = bufferOf(offsets, id);
  const k = new Kernel(w, graph.dtype);
  const [i, label] = [k.local("i32"), k.local("i32")];
  const target = () => w.i32.add(w.i32.mul(k.get(i), k.i32(classes)), k.get(label));
  k.finish(name, [
    w.memoryFill(k.i32(outOffset), k.i32(0), k.byteCount(node.shape)),
    k.forRange(i, k.i32(0), k.dim(node.shape[0]), 1, [
      k.set(label, k.loadLabel(bufferOf(offsets, node.inputs[0]), k.get(i))),
      w.if(k.labelInRange(label, classes), k.store(outOffset, target(), k.F.const(1))),
    ]),
  ]);
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
 * emitCopy(w, ["batch", 3], "f32", 0, 64, "k0");
 * w.finish(1);
 * ```
 */
export function emitCopy(
  w: WasmModule,
  shape: Shape,
  dtype: DType,
  from: number,
  to: number,
  name: string,
): void {
  const k = new Kernel(w, dtype);
  k.finish(name, [w.memoryCopy(k.i32(to), k.i32(from), k.byteCount(shape))]);
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
  const offset = bufferOf(offsets, id);
  const k = new Kernel(w, graph.dtype);
  k.finish(name, values.map((v, i) => k.store(offset, k.i32(i), k.F.const(v))));
}
