/**
 * Emits the fused softmax cross-entropy kernels, one pass structure per row
 * of logits `[n, classes]`:
 *
 * - forward (`softmaxce`): `loss[i] = m + log Σⱼ e^(x[i,j] − m) − x[i, label[i]]`
 *   with `m = maxⱼ x[i,j]` — stable for any logits;
 * - backward (`softmaxcegrad`): `dx[i,j] = g[i] · (e^(x[i,j] − lse[i]) − [j = label[i]])`,
 *   recomputing `lse[i]` from the logits instead of storing it.
 *
 * f32 rows run 4 lanes at a time with the wasm exp/log approximations, then
 * a scalar tail; f64 is scalar. Labels are range-checked by the runtime; a
 * label out of range is also ignored here (never an out-of-bounds access).
 *
 * @module
 */

import { BATCH_GLOBAL, f32Math, f32x4Math, f64Math } from "./emit_math.ts";
import type { Graph } from "../ir/ir.ts";
import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";

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
  const backward = node.op === "softmaxcegrad";
  const [logitsId, labelsId, gId] = node.inputs;
  const logits = graph.nodes[logitsId];
  const cols = logits.shape[1] as number;
  const f64 = graph.dtype === "f64";
  const bytes = f64 ? 8 : 4;
  const xOffset = offsets.get(logitsId)!;
  const yOffset = offsets.get(labelsId)!;
  const outOffset = offsets.get(id)!;
  const gOffset = gId === undefined ? 0 : offsets.get(gId)!;

  const fb = new FunctionBuilder(w, []);
  const i = fb.addLocal("i32");
  const j = fb.addLocal("i32");
  const base = fb.addLocal("i32"); // byte offset of row i
  const label = fb.addLocal("i32");
  const scalarType = f64 ? "f64" : "f32";
  const m = fb.addLocal(scalarType);
  const s = fb.addLocal(scalarType);
  const lse = fb.addLocal(scalarType);
  const gi = fb.addLocal(scalarType);
  const vm = fb.addLocal("v128");
  const vs = fb.addLocal("v128");
  const F = f64 ? w.f64 : w.f32;
  const scalar = f64 ? f64Math(w, fb) : f32Math(w, fb);
  const vector = f32x4Math(w, fb);
  const rows = () =>
    logits.shape[0] === "batch"
      ? w.globalGet(BATCH_GLOBAL, "i32")
      : w.i32.const(logits.shape[0] as number);
  const at = (index: Expr) => w.i32.add(fb.get(base), w.i32.shl(index, w.i32.const(f64 ? 3 : 2)));
  const x = (index: Expr) => F.load(xOffset, bytes, at(index));
  const vx = (index: Expr) => w.v128.load(xOffset, 4, at(index));
  const vectorEnd = f64 ? 0 : cols & ~3;
  const lane = (v: number, l: number) => w.f32x4.extract_lane(fb.get(v), l);

  const rowLse: Expr[] = [
    // m = max over the row
    vectorEnd > 0
      ? w.block(null, [
        fb.set(vm, w.f32x4.splat(w.f32.const(-Infinity))),
        fb.forRange(j, w.i32.const(0), () => w.i32.const(vectorEnd), 4, [
          fb.set(vm, w.f32x4.max(fb.get(vm), vx(fb.get(j)))),
        ]),
        fb.set(
          m,
          w.f32.max(w.f32.max(lane(vm, 0), lane(vm, 1)), w.f32.max(lane(vm, 2), lane(vm, 3))),
        ),
      ])
      : fb.set(m, F.const(-Infinity)),
    fb.forRange(j, w.i32.const(vectorEnd), () => w.i32.const(cols), 1, [
      fb.set(m, F.max(fb.get(m), x(fb.get(j)))),
    ]),
    // s = Σ e^(x − m)
    vectorEnd > 0
      ? w.block(null, [
        fb.set(vs, w.f32x4.splat(w.f32.const(0))),
        fb.forRange(j, w.i32.const(0), () => w.i32.const(vectorEnd), 4, [
          fb.set(
            vs,
            w.f32x4.add(
              fb.get(vs),
              vector.exp(w.f32x4.sub(vx(fb.get(j)), w.f32x4.splat(fb.get(m)))),
            ),
          ),
        ]),
        fb.set(
          s,
          w.f32.add(w.f32.add(lane(vs, 0), lane(vs, 1)), w.f32.add(lane(vs, 2), lane(vs, 3))),
        ),
      ])
      : fb.set(s, F.const(0)),
    fb.forRange(j, w.i32.const(vectorEnd), () => w.i32.const(cols), 1, [
      fb.set(s, F.add(fb.get(s), scalar.exp(F.sub(x(fb.get(j)), fb.get(m))))),
    ]),
    fb.set(lse, F.add(fb.get(m), scalar.log(fb.get(s)))),
  ];
  const readLabel = fb.set(
    label,
    f64
      ? w.i32.trunc_s_sat.f64(w.f64.load(yOffset, 8, w.i32.shl(fb.get(i), w.i32.const(3))))
      : w.i32.trunc_s_sat.f32(w.f32.load(yOffset, 4, w.i32.shl(fb.get(i), w.i32.const(2)))),
  );
  const labelInRange = () =>
    w.i32.and(
      w.i32.ge_s(fb.get(label), w.i32.const(0)),
      w.i32.lt_s(fb.get(label), w.i32.const(cols)),
    );
  const rowElement = () => w.i32.shl(fb.get(i), w.i32.const(f64 ? 3 : 2));

  let perRow: Expr[];
  if (!backward) {
    perRow = [
      ...rowLse,
      readLabel,
      F.store(
        outOffset,
        bytes,
        rowElement(),
        F.sub(fb.get(lse), w.select(labelInRange(), x(fb.get(label)), F.const(0))),
      ),
    ];
  } else {
    const out = (index: Expr) =>
      w.i32.add(fb.get(base), w.i32.shl(index, w.i32.const(f64 ? 3 : 2)));
    perRow = [
      ...rowLse,
      readLabel,
      fb.set(gi, F.load(gOffset, bytes, rowElement())),
      ...(vectorEnd > 0
        ? [fb.forRange(j, w.i32.const(0), () => w.i32.const(vectorEnd), 4, [
          w.v128.store(
            outOffset,
            4,
            out(fb.get(j)),
            w.f32x4.mul(
              vector.exp(w.f32x4.sub(vx(fb.get(j)), w.f32x4.splat(fb.get(lse)))),
              w.f32x4.splat(fb.get(gi)),
            ),
          ),
        ])]
        : []),
      fb.forRange(j, w.i32.const(vectorEnd), () => w.i32.const(cols), 1, [
        F.store(
          outOffset,
          bytes,
          out(fb.get(j)),
          F.mul(scalar.exp(F.sub(x(fb.get(j)), fb.get(lse))), fb.get(gi)),
        ),
      ]),
      // dx[i, label] −= g[i]
      w.if(
        labelInRange(),
        F.store(
          outOffset,
          bytes,
          out(fb.get(label)),
          F.sub(F.load(outOffset, bytes, out(fb.get(label))), fb.get(gi)),
        ),
      ),
    ];
  }
  w.addFunction(
    name,
    fb,
    "none",
    fb.forRange(i, w.i32.const(0), rows, 1, [
      fb.set(base, w.i32.mul(fb.get(i), w.i32.const(cols * bytes))),
      ...perRow,
    ]),
  );
}
