/**
 * Emits the fused normalization kernels, one group of elements at a time (a
 * row for axis 1 — layer norm —, a column for axis 0 — batch norm's batch
 * statistics over the run-time batch):
 *
 * - `normalize`: μ = Σx/n; σ² = Σ(x − μ)²/n; r = 1/√(σ² + ε); out = (x − μ)·r;
 * - `normalizegrad` (x, g): μ and r as above, then Σg and Σg·(x − μ), and
 *   dx = r·(g − Σg/n − (x − μ)·r²·Σg(x − μ)/n).
 *
 * Every pass runs over one group while it is in cache; nothing but the result
 * is stored. f32 rows run 4 lanes at a time (lanes combined in a fixed order,
 * then a scalar tail); f32 columns run 4 columns at a time, each lane summing
 * its column's rows in order, so the vector lanes and the scalar tail columns
 * compute the same bits. f64 is scalar. Accumulation order is fixed, so results
 * are reproducible.
 *
 * @module
 */

import { BATCH_GLOBAL } from "./emit_math.ts";
import type { Graph } from "../ir/ir.ts";
import type { Dim } from "../../core/shape.ts";
import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";

/** The buffers and sizes of one normalization kernel. */
interface Layout {
  readonly f64: boolean;
  readonly backward: boolean;
  readonly eps: number;
  readonly x: number;
  readonly g: number;
  readonly out: number;
  readonly rows: Dim;
  readonly cols: number;
}

/**
 * Adds the function `name` computing node `id` (a `normalize` or
 * `normalizegrad` node).
 *
 * @example
 * ```ts
 * import { emitNormalize } from "./emit_normalize.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, normalize } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ y: normalize(input("x", ["batch", 6])) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitNormalize(w, g, 1, new Map([[0, 0], [1, 1024]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitNormalize(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const node = graph.nodes[id];
  const shape = graph.nodes[node.inputs[0]].shape;
  const layout: Layout = {
    f64: graph.dtype === "f64",
    backward: node.op === "normalizegrad",
    eps: node.attrs.eps ?? 0,
    x: offsets.get(node.inputs[0])!,
    g: node.inputs[1] === undefined ? 0 : offsets.get(node.inputs[1])!,
    out: offsets.get(id)!,
    rows: shape.length === 1 ? 1 : shape[0],
    cols: shape[shape.length - 1] as number,
  };
  const perRow = shape.length === 1 || node.attrs.axis === 1;
  const fb = new FunctionBuilder(w, []);
  const body = perRow ? rowsKernel(w, fb, layout) : columnsKernel(w, fb, layout);
  w.addFunction(name, fb, "none", w.block(null, body));
}

function dim(w: WasmModule, d: Dim): Expr {
  return d === "batch" ? w.globalGet(BATCH_GLOBAL, "i32") : w.i32.const(d);
}

/**
 * The scalar algorithm over one group of `count` elements starting at element
 * `start()` with stride `stride` (elements): f64, or f32 for tail columns.
 */
function scalarGroup(
  w: WasmModule,
  fb: FunctionBuilder,
  l: Layout,
  start: () => Expr,
  stride: number,
  count: () => Expr,
): Expr[] {
  const type = l.f64 ? "f64" : "f32";
  const F = l.f64 ? w.f64 : w.f32;
  const bytes = l.f64 ? 8 : 4;
  const k = fb.addLocal("i32");
  const acc = fb.addLocal(type);
  const acc2 = fb.addLocal(type);
  const mean = fb.addLocal(type);
  const r = fb.addLocal(type);
  const n = fb.addLocal(type);
  const at = () =>
    w.i32.shl(
      w.i32.add(start(), w.i32.mul(fb.get(k), w.i32.const(stride))),
      w.i32.const(l.f64 ? 3 : 2),
    );
  const x = () => F.load(l.x, bytes, at());
  const g = () => F.load(l.g, bytes, at());
  const centered = () => F.sub(x(), fb.get(mean));
  const each = (code: Expr[]) => fb.forRange(k, w.i32.const(0), count, 1, code);
  const code: Expr[] = [
    fb.set(n, F.convert_s.i32(count())),
    fb.set(acc, F.const(0)),
    each([fb.set(acc, F.add(fb.get(acc), x()))]),
    fb.set(mean, F.div(fb.get(acc), fb.get(n))),
    fb.set(acc, F.const(0)),
    each([fb.set(acc, F.add(fb.get(acc), F.mul(centered(), centered())))]),
    fb.set(r, F.div(F.const(1), F.sqrt(F.add(F.div(fb.get(acc), fb.get(n)), F.const(l.eps))))),
  ];
  if (!l.backward) {
    code.push(each([F.store(l.out, bytes, at(), F.mul(centered(), fb.get(r)))]));
    return code;
  }
  code.push(
    fb.set(acc, F.const(0)),
    fb.set(acc2, F.const(0)),
    each([
      fb.set(acc, F.add(fb.get(acc), g())),
      fb.set(acc2, F.add(fb.get(acc2), F.mul(g(), centered()))),
    ]),
    // acc ← Σg/n;  acc2 ← r²·Σg(x − μ)/n
    fb.set(acc, F.div(fb.get(acc), fb.get(n))),
    fb.set(acc2, F.mul(F.mul(fb.get(r), fb.get(r)), F.div(fb.get(acc2), fb.get(n)))),
    each([
      F.store(
        l.out,
        bytes,
        at(),
        F.mul(
          fb.get(r),
          F.sub(F.sub(g(), fb.get(acc)), F.mul(centered(), fb.get(acc2))),
        ),
      ),
    ]),
  );
  return code;
}

/** Statistics per row: f64 scalar; f32 four lanes along the row, then a scalar tail. */
function rowsKernel(w: WasmModule, fb: FunctionBuilder, l: Layout): Expr[] {
  const i = fb.addLocal("i32");
  const rowStart = () => w.i32.mul(fb.get(i), w.i32.const(l.cols));
  const rows = () => dim(w, l.rows);
  if (l.f64) {
    const group = scalarGroup(w, fb, l, rowStart, 1, () => w.i32.const(l.cols));
    return [fb.forRange(i, w.i32.const(0), rows, 1, group)];
  }
  const V = w.f32x4;
  const S = w.f32;
  const j = fb.addLocal("i32");
  const base = fb.addLocal("i32"); // byte offset of row i
  const vacc = fb.addLocal("v128");
  const vacc2 = fb.addLocal("v128");
  const acc = fb.addLocal("f32");
  const acc2 = fb.addLocal("f32");
  const mean = fb.addLocal("f32");
  const r = fb.addLocal("f32");
  const vectorEnd = l.cols & ~3;
  const n = () => S.const(l.cols);
  const at = () => w.i32.add(fb.get(base), w.i32.shl(fb.get(j), w.i32.const(2)));
  const vx = () => w.v128.load(l.x, 4, at());
  const vg = () => w.v128.load(l.g, 4, at());
  const sx = () => S.load(l.x, 4, at());
  const sg = () => S.load(l.g, 4, at());
  const splat = (local: number) => V.splat(fb.get(local));
  const vcentered = () => V.sub(vx(), splat(mean));
  const scentered = () => S.sub(sx(), fb.get(mean));
  const lanes = (v: number) => {
    const lane = (k: number) => V.extract_lane(fb.get(v), k);
    return S.add(S.add(lane(0), lane(1)), S.add(lane(2), lane(3)));
  };
  const vectorPart = (code: Expr[]) =>
    fb.forRange(j, w.i32.const(0), () => w.i32.const(vectorEnd), 4, code);
  const tailPart = (code: Expr[]) =>
    fb.forRange(j, w.i32.const(vectorEnd), () => w.i32.const(l.cols), 1, code);
  /** acc ← Σ over the row of a value given as a vector and a scalar expression. */
  const rowSum = (target: number, vtarget: number, vector: () => Expr, scalar: () => Expr) => [
    fb.set(vtarget, V.splat(S.const(0))),
    vectorPart([fb.set(vtarget, V.add(fb.get(vtarget), vector()))]),
    fb.set(target, lanes(vtarget)),
    tailPart([fb.set(target, S.add(fb.get(target), scalar()))]),
  ];
  const perRow: Expr[] = [
    fb.set(base, w.i32.shl(rowStart(), w.i32.const(2))),
    ...rowSum(acc, vacc, vx, sx),
    fb.set(mean, S.div(fb.get(acc), n())),
    ...rowSum(
      acc,
      vacc,
      () => V.mul(vcentered(), vcentered()),
      () => S.mul(scentered(), scentered()),
    ),
    fb.set(r, S.div(S.const(1), S.sqrt(S.add(S.div(fb.get(acc), n()), S.const(l.eps))))),
  ];
  if (!l.backward) {
    perRow.push(
      vectorPart([w.v128.store(l.out, 4, at(), V.mul(vcentered(), splat(r)))]),
      tailPart([S.store(l.out, 4, at(), S.mul(scentered(), fb.get(r)))]),
    );
  } else {
    perRow.push(
      ...rowSum(acc, vacc, vg, sg),
      ...rowSum(acc2, vacc2, () => V.mul(vg(), vcentered()), () => S.mul(sg(), scentered())),
      fb.set(acc, S.div(fb.get(acc), n())),
      fb.set(acc2, S.mul(S.mul(fb.get(r), fb.get(r)), S.div(fb.get(acc2), n()))),
      vectorPart([
        w.v128.store(
          l.out,
          4,
          at(),
          V.mul(splat(r), V.sub(V.sub(vg(), splat(acc)), V.mul(vcentered(), splat(acc2)))),
        ),
      ]),
      tailPart([
        S.store(
          l.out,
          4,
          at(),
          S.mul(fb.get(r), S.sub(S.sub(sg(), fb.get(acc)), S.mul(scentered(), fb.get(acc2)))),
        ),
      ]),
    );
  }
  return [fb.forRange(i, w.i32.const(0), rows, 1, perRow)];
}

/**
 * Statistics per column: f64 scalar; f32 four columns at a time (each lane
 * one column), then the remaining columns scalar.
 */
function columnsKernel(w: WasmModule, fb: FunctionBuilder, l: Layout): Expr[] {
  const c = fb.addLocal("i32");
  const rows = () => dim(w, l.rows);
  const columnStart = () => fb.get(c);
  if (l.f64) {
    const group = scalarGroup(w, fb, l, columnStart, l.cols, rows);
    return [fb.forRange(c, w.i32.const(0), () => w.i32.const(l.cols), 1, group)];
  }
  const V = w.f32x4;
  const S = w.f32;
  const i = fb.addLocal("i32");
  const vacc = fb.addLocal("v128");
  const vacc2 = fb.addLocal("v128");
  const mean = fb.addLocal("v128");
  const r = fb.addLocal("v128");
  const n = fb.addLocal("v128");
  const vectorEnd = l.cols & ~3;
  const at = () =>
    w.i32.shl(
      w.i32.add(w.i32.mul(fb.get(i), w.i32.const(l.cols)), fb.get(c)),
      w.i32.const(2),
    );
  const vx = () => w.v128.load(l.x, 4, at());
  const vg = () => w.v128.load(l.g, 4, at());
  const centered = () => V.sub(vx(), fb.get(mean));
  const each = (code: Expr[]) => fb.forRange(i, w.i32.const(0), rows, 1, code);
  const zero = () => V.splat(S.const(0));
  const group: Expr[] = [
    fb.set(vacc, zero()),
    each([fb.set(vacc, V.add(fb.get(vacc), vx()))]),
    fb.set(mean, V.div(fb.get(vacc), fb.get(n))),
    fb.set(vacc, zero()),
    each([fb.set(vacc, V.add(fb.get(vacc), V.mul(centered(), centered())))]),
    fb.set(
      r,
      V.div(
        V.splat(S.const(1)),
        V.sqrt(V.add(V.div(fb.get(vacc), fb.get(n)), V.splat(S.const(l.eps)))),
      ),
    ),
  ];
  if (!l.backward) {
    group.push(each([w.v128.store(l.out, 4, at(), V.mul(centered(), fb.get(r)))]));
  } else {
    group.push(
      fb.set(vacc, zero()),
      fb.set(vacc2, zero()),
      each([
        fb.set(vacc, V.add(fb.get(vacc), vg())),
        fb.set(vacc2, V.add(fb.get(vacc2), V.mul(vg(), centered()))),
      ]),
      fb.set(vacc, V.div(fb.get(vacc), fb.get(n))),
      fb.set(vacc2, V.mul(V.mul(fb.get(r), fb.get(r)), V.div(fb.get(vacc2), fb.get(n)))),
      each([
        w.v128.store(
          l.out,
          4,
          at(),
          V.mul(
            fb.get(r),
            V.sub(V.sub(vg(), fb.get(vacc)), V.mul(centered(), fb.get(vacc2))),
          ),
        ),
      ]),
    );
  }
  const tail = scalarGroup(w, fb, l, columnStart, l.cols, rows);
  return [
    fb.set(n, V.splat(S.convert_s.i32(rows()))),
    fb.forRange(c, w.i32.const(0), () => w.i32.const(vectorEnd), 4, group),
    fb.forRange(c, w.i32.const(vectorEnd), () => w.i32.const(l.cols), 1, tail),
  ];
}
