/**
 * Emits the fused softmax cross-entropy kernels, one pass structure per row
 * of logits `[n, classes]`:
 *
 * - forward (`softmaxce`): `loss[i] = m + log Σⱼ e^(x[i,j] − m) − x[i, label[i]]`
 *   with `m = maxⱼ x[i,j]` — stable for any logits;
 * - backward (`softmaxcegrad`): `dx[i,j] = g[i] · (e^(x[i,j] − lse[i]) − [j = label[i]])`,
 *   recomputing `lse[i]` from the logits instead of storing it.
 *
 * The row's max and sum are the kernel context's row reduction (f32: 4 lanes
 * at a time with the wasm exp/log approximations, then a scalar tail; f64:
 * scalar). Labels are range-checked by the runtime; a label out of range is
 * also ignored here (never an out-of-bounds access).
 *
 * @module
 */

import { bufferOf } from "./emit_elementwise.ts";
import { Kernel } from "./kernel.ts";
import type { Graph } from "../ir/ir.ts";
import type { Expr, WasmModule } from "./wasm.ts";

/**
 * Adds the function `name` computing node `id` (a `softmaxce` or
 * `softmaxcegrad` node).
 *
 * @example
 * ```ts
 * import { emitSoftmaxCe } from "./emit_softmax_ce.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, type Tensor } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const logits = input("x", ["batch", 3]);
 * const labels = input("y", ["batch"], "label");
 * const loss: Tensor = { op: "softmaxce", inputs: [logits, labels], shape: ["batch"], attrs: {} };
 * const g = trace({ loss });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitSoftmaxCe(w, g, 2, new Map([[0, 0], [1, 64], [2, 128]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitSoftmaxCe(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const node = graph.nodes[id];
  const [logitsId, labelsId, gId] = node.inputs;
  const [rows, cols] = graph.nodes[logitsId].shape as [number | "batch", number];
  const xOffset = bufferOf(offsets, logitsId);
  const outOffset = bufferOf(offsets, id);

  const k = new Kernel(w, graph.dtype);
  const F = k.F;
  const [i, j, base, label] = [k.local("i32"), k.local("i32"), k.local("i32"), k.local("i32")];
  const [m, s, lse] = [k.local(k.scalar), k.local(k.scalar), k.local(k.scalar)];
  /** Byte address of element `index` of row i. */
  const inRow = (index: Expr) => w.i32.add(k.get(base), k.at(index));

  const perRow: Expr[] = [
    k.set(base, w.i32.mul(k.get(i), k.i32(cols * k.bytes))),
    ...k.reduceRun(m, { offset: xOffset, base: () => k.get(base), count: cols, op: "max" }),
    ...k.reduceRun(s, {
      offset: xOffset,
      base: () => k.get(base),
      count: cols,
      op: "add",
      map: (x, lanes) => k.math(lanes).exp(k.math(lanes).sub(x, k.splat(lanes, k.get(m)))),
    }),
    k.set(lse, F.add(k.get(m), k.math(1).log(k.get(s)))),
    k.set(label, k.loadLabel(bufferOf(offsets, labelsId), k.get(i))),
  ];
  if (node.op === "softmaxce") {
    const xLabel = k.loadAt(1, xOffset, inRow(k.get(label)));
    perRow.push(k.store(
      outOffset,
      k.get(i),
      F.sub(k.get(lse), w.select(k.labelInRange(label, cols), xLabel, F.const(0))),
    ));
  } else {
    const gi = k.local(k.scalar);
    perRow.push(
      k.set(gi, k.load(bufferOf(offsets, gId), k.get(i))),
      // dx[i, j] = e^(x − lse) · g[i]
      ...k.lanes(j, cols, (lanes) => {
        const e = k.math(lanes);
        const x = k.loadAt(lanes, xOffset, inRow(k.get(j)));
        const dx = e.mul(e.exp(e.sub(x, k.splat(lanes, k.get(lse)))), k.splat(lanes, k.get(gi)));
        return [k.storeAt(lanes, outOffset, inRow(k.get(j)), dx)];
      }),
      // dx[i, label] −= g[i]
      w.if(
        k.labelInRange(label, cols),
        k.storeAt(
          1,
          outOffset,
          inRow(k.get(label)),
          F.sub(k.loadAt(1, outOffset, inRow(k.get(label))), k.get(gi)),
        ),
      ),
    );
  }
  k.finish(name, [k.forRange(i, k.i32(0), k.dim(rows), 1, perRow)]);
}
