/**
 * Emits the fused softmax cross-entropy kernels, one pass structure per row
 * of logits `[n, classes]`. The row maximum m is kept apart, never added back
 * (so nothing depends on the logits' scale):
 *
 * - Σⱼ e^(x[i,j] − m) = 1 + V, where V = (number of other maxima) + the sum of
 *   e^(x − m) over the logits below m; each x − m is split exactly into
 *   hi + lo (TwoSum) and its term is e^hi·(1 + lo), so a term's accuracy does
 *   not depend on how far the logit is from m. L = log Σ = log1p(V), computed
 *   as V when 1 + V rounds to 1 and else as log(1 + V)·V/((1 + V) − 1)
 *   (Goldberg's log1p), so L keeps its relative accuracy when V is tiny;
 * - forward (`softmaxce`): `loss[i] = L − (x[i, label] − m)`;
 * - backward (`softmaxcegrad`): `dx[i,j] = g[i] · e^((x[i,j] − m) − L)`, and at
 *   the label `g[i] · (p − 1)` with `p − 1 = −V/(1 + V)` when the label is a
 *   row maximum (no cancellation when p is close to 1), else
 *   `e^((x − m) − L) − 1`.
 *
 * The row's max, count of maxima and sum are the kernel context's row
 * reduction (f32: 4 lanes at a time with the wasm exp/log approximations, then
 * a scalar tail; f64: scalar). Labels are range-checked by the runtime; a
 * label out of range is also ignored here (never an out-of-bounds access).
 *
 * @module
 */

import { bufferOf } from "./emit_elementwise.ts";
import { Kernel, type Lanes } from "./kernel.ts";
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
  const s = k.math(1);
  const [i, j, base, label] = [k.local("i32"), k.local("i32"), k.local("i32"), k.local("i32")];
  const [m, maxima, rest, sum, log] = [0, 0, 0, 0, 0].map(() => k.local(k.scalar));
  /** Byte address of element `index` of row i. */
  const inRow = (index: Expr) => w.i32.add(k.get(base), k.at(index));
  const row = { offset: xOffset, base: () => k.get(base), count: cols } as const;
  const M = (lanes: Lanes) => k.splat(lanes, k.get(m));
  /** x − m as hi + lo exactly (TwoSum), then e^hi·(1 + lo) — or 0 where x is a maximum. */
  const belowMax = (x: Expr, lanes: Lanes): Expr => {
    const e = k.math(lanes);
    const type = k.valueType(lanes);
    const [a, hi, back, lo, t] = [0, 0, 0, 0, 0].map(() => k.local(type));
    return w.block(null, [
      k.set(a, x),
      k.set(hi, e.sub(k.get(a), M(lanes))),
      k.set(back, e.sub(k.get(hi), k.get(a))),
      k.set(
        lo,
        e.sub(e.sub(k.get(a), e.sub(k.get(hi), k.get(back))), e.add(M(lanes), k.get(back))),
      ),
      k.set(t, e.exp(k.get(hi))),
      k.set(t, e.add(k.get(t), e.mul(k.get(t), k.get(lo)))),
      e.sub(k.get(t), e.mul(k.get(t), e.ge(k.get(a), M(lanes)))),
    ], type);
  };
  /** e^((x − m) − L): a softmax probability. */
  const probability = (x: Expr, lanes: Lanes) => {
    const e = k.math(lanes);
    return e.exp(e.sub(e.sub(x, M(lanes)), k.splat(lanes, k.get(log))));
  };
  const xLabel = () => k.loadAt(1, xOffset, inRow(k.get(label)));

  const perRow: Expr[] = [
    k.set(base, w.i32.mul(k.get(i), k.i32(cols * k.bytes))),
    ...k.reduceRun(m, { ...row, op: "max" }),
    ...k.reduceRun(maxima, { ...row, op: "add", map: (x, lanes) => k.math(lanes).ge(x, M(lanes)) }),
    ...k.reduceRun(sum, { ...row, op: "add", map: belowMax }),
    k.set(rest, F.add(F.sub(k.get(maxima), F.const(1)), k.get(sum))),
    // log1p(V): u = 1 + V; V if u = 1, else log(u)·V/(u − 1).
    k.set(sum, F.add(F.const(1), k.get(rest))),
    k.set(
      log,
      w.select(
        F.eq(k.get(sum), F.const(1)),
        k.get(rest),
        F.mul(s.log(k.get(sum)), F.div(k.get(rest), F.sub(k.get(sum), F.const(1)))),
      ),
    ),
    k.set(label, k.loadLabel(bufferOf(offsets, labelsId), k.get(i))),
  ];
  if (node.op === "softmaxce") {
    // loss = L − (x[label] − m); an out-of-range label counts as a logit of 0.
    perRow.push(k.store(
      outOffset,
      k.get(i),
      F.sub(
        k.get(log),
        F.sub(w.if(k.labelInRange(label, cols), xLabel(), F.const(0)), k.get(m)),
      ),
    ));
  } else {
    const gi = k.local(k.scalar);
    perRow.push(
      k.set(gi, k.load(bufferOf(offsets, gId), k.get(i))),
      // dx[i, j] = g[i] · e^((x − m) − L)
      ...k.lanes(j, cols, (lanes) => [
        k.storeAt(
          lanes,
          outOffset,
          inRow(k.get(j)),
          k.math(lanes).mul(
            probability(k.loadAt(lanes, xOffset, inRow(k.get(j))), lanes),
            k.splat(lanes, k.get(gi)),
          ),
        ),
      ]),
      // dx[i, label] = g[i] · (p − 1): −V/(1 + V) when the label is a maximum.
      w.if(
        k.labelInRange(label, cols),
        k.storeAt(
          1,
          outOffset,
          inRow(k.get(label)),
          F.mul(
            w.select(
              F.ge(xLabel(), k.get(m)),
              F.neg(F.div(k.get(rest), F.add(F.const(1), k.get(rest)))),
              F.sub(probability(xLabel(), 1), F.const(1)),
            ),
            k.get(gi),
          ),
        ),
      ),
    );
  }
  k.finish(name, [k.forRange(i, k.i32(0), k.dim(rows), 1, perRow)]);
}
