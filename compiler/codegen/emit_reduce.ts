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

import { BATCH_GLOBAL } from "./emit_math.ts";
import type { Graph } from "../ir/ir.ts";
import { type Expr, FunctionBuilder, type ValueType, type WasmModule } from "./wasm.ts";

/**
 * Adds the function `name` computing reduction node `id`.
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
): void {
  const node = graph.nodes[id];
  const source = graph.nodes[node.inputs[0]];
  const isMax = node.op === "max";
  const f64 = graph.dtype === "f64";
  const type: ValueType = f64 ? "f64" : "f32";
  const shift = f64 ? 3 : 2;
  const inOffset = offsets.get(source.id)!;
  const outOffset = offsets.get(id)!;
  const shape = source.shape;
  const [rows, cols] = shape.length === 0
    ? [1, 1]
    : shape.length === 1
    ? [1, shape[0]]
    : [shape[0], shape[1]];
  const axis = node.attrs.axis ?? null;

  const fb = new FunctionBuilder(w, []);
  const dim = (
    d: number | "batch",
  ) => (d === "batch" ? w.globalGet(BATCH_GLOBAL, "i32") : w.i32.const(d));
  const at = (index: Expr) => w.i32.shl(index, w.i32.const(shift));
  const load = (
    index: Expr,
  ) => (f64 ? w.f64.load(inOffset, 8, at(index)) : w.f32.load(inOffset, 4, at(index)));
  const store = (index: Expr, value: Expr) =>
    f64 ? w.f64.store(outOffset, 8, at(index), value) : w.f32.store(outOffset, 4, at(index), value);
  const identity = () =>
    f64 ? w.f64.const(isMax ? -Infinity : 0) : w.f32.const(isMax ? -Infinity : 0);
  const combine = (a: Expr, b: Expr) =>
    f64 ? (isMax ? w.f64.max(a, b) : w.f64.add(a, b)) : (isMax ? w.f32.max(a, b) : w.f32.add(a, b));
  const combine4 = (a: Expr, b: Expr) => (isMax ? w.f32x4.max(a, b) : w.f32x4.add(a, b));

  /** Reduces `count` contiguous elements starting at element `start()` into `acc`. */
  const reduceRun = (acc: number, start: () => Expr, count: () => Expr): Expr[] => {
    const k = fb.addLocal("i32");
    if (f64) {
      return [
        fb.set(acc, identity()),
        fb.forRange(k, w.i32.const(0), count, 1, [
          fb.set(acc, combine(fb.get(acc), load(w.i32.add(start(), fb.get(k))))),
        ]),
      ];
    }
    const vacc = fb.addLocal("v128");
    const vectorEnd = () => w.i32.and(count(), w.i32.const(~3));
    const lane = (l: number) => w.f32x4.extract_lane(fb.get(vacc), l);
    return [
      fb.set(vacc, w.f32x4.splat(identity())),
      fb.forRange(k, w.i32.const(0), vectorEnd, 4, [
        fb.set(
          vacc,
          combine4(fb.get(vacc), w.v128.load(inOffset, 4, at(w.i32.add(start(), fb.get(k))))),
        ),
      ]),
      fb.set(acc, combine(combine(lane(0), lane(1)), combine(lane(2), lane(3)))),
      fb.forRange(k, vectorEnd(), count, 1, [
        fb.set(acc, combine(fb.get(acc), load(w.i32.add(start(), fb.get(k))))),
      ]),
    ];
  };

  const code: Expr[] = [];
  if (axis === null || shape.length <= 1) {
    const acc = fb.addLocal(type);
    const count = () => (rows === 1 ? dim(cols) : w.i32.mul(dim(rows), dim(cols)));
    code.push(...reduceRun(acc, () => w.i32.const(0), count), store(w.i32.const(0), fb.get(acc)));
  } else if (axis === 1) {
    const i = fb.addLocal("i32");
    const acc = fb.addLocal(type);
    const rowStart = () => w.i32.mul(fb.get(i), dim(cols));
    code.push(fb.forRange(i, w.i32.const(0), () => dim(rows), 1, [
      ...reduceRun(acc, rowStart, () => dim(cols)),
      store(fb.get(i), fb.get(acc)),
    ]));
  } else {
    // axis 0: out[j] = reduce over i of x[i, j]
    const i = fb.addLocal("i32");
    const j = fb.addLocal("i32");
    const c = cols as number;
    const index = () => w.i32.add(w.i32.mul(fb.get(i), w.i32.const(c)), fb.get(j));
    if (f64) {
      const acc = fb.addLocal("f64");
      code.push(fb.forRange(j, w.i32.const(0), () => w.i32.const(c), 1, [
        fb.set(acc, identity()),
        fb.forRange(i, w.i32.const(0), () => dim(rows), 1, [
          fb.set(acc, combine(fb.get(acc), load(index()))),
        ]),
        store(fb.get(j), fb.get(acc)),
      ]));
    } else {
      const vacc = fb.addLocal("v128");
      const acc = fb.addLocal("f32");
      const vectorEnd = c & ~3;
      code.push(
        fb.forRange(j, w.i32.const(0), () => w.i32.const(vectorEnd), 4, [
          fb.set(vacc, w.f32x4.splat(identity())),
          fb.forRange(i, w.i32.const(0), () => dim(rows), 1, [
            fb.set(vacc, combine4(fb.get(vacc), w.v128.load(inOffset, 4, at(index())))),
          ]),
          w.v128.store(outOffset, 4, at(fb.get(j)), fb.get(vacc)),
        ]),
        fb.forRange(j, w.i32.const(vectorEnd), () => w.i32.const(c), 1, [
          fb.set(acc, identity()),
          fb.forRange(i, w.i32.const(0), () => dim(rows), 1, [
            fb.set(acc, combine(fb.get(acc), load(index()))),
          ]),
          store(fb.get(j), fb.get(acc)),
        ]),
      );
    }
  }
  w.addFunction(name, fb, "none", w.block(null, code));
}
