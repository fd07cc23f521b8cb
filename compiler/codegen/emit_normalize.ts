/**
 * Emits the fused normalization kernels, one group of elements at a time (a
 * row for axis 1 — layer norm —, a column for axis 0 — batch norm's batch
 * statistics over the run-time batch):
 *
 * - `normalize`: μ = Σx/n; σ² = Σ(x − μ)²/n; r = 1/√(σ² + ε); out = (x − μ)·r;
 * - `normalizegrad` (x, g): μ and r as above, then Σg and Σg·(x − μ) in one
 *   pass, and dx = r·(g − Σg/n − (x − μ)·r²·Σg(x − μ)/n).
 *
 * Every pass runs over one group while it is in cache; nothing but the result
 * is stored. Rows: f32 sums run 4 lanes along the row (`Kernel.reduceRun`:
 * lanes combined as (0 + 1) + (2 + 3), then the tail in order). Columns: f32
 * runs 4 columns at a time, each lane summing its column's rows in order, so
 * the vector lanes and the scalar tail columns compute the same bits. f64 is
 * scalar. The order is fixed, so results are reproducible.
 *
 * @module
 */

import type { Graph } from "../ir/ir.ts";
import type { ElementMath } from "../ir/ops.ts";
import type { Dim } from "../../core/shape.ts";
import { bufferOf } from "./emit_elementwise.ts";
import { Kernel, type Lanes } from "./kernel.ts";
import type { Expr, WasmModule } from "./wasm.ts";

/** The buffers and sizes of one normalization kernel. */
interface Layout {
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
  const backward = node.op === "normalizegrad";
  const layout: Layout = {
    backward,
    eps: node.attrs.eps ?? 0,
    x: bufferOf(offsets, node.inputs[0]),
    g: backward ? bufferOf(offsets, node.inputs[1]) : 0,
    out: bufferOf(offsets, id),
    rows: shape.length === 1 ? 1 : shape[0],
    cols: shape[shape.length - 1] as number,
  };
  const k = new Kernel(w, graph.dtype);
  const perRow = shape.length === 1 || node.attrs.axis === 1;
  k.finish(name, perRow ? rowsKernel(k, layout) : columnsKernel(k, layout));
}

/** Statistics per row: the sums along the row (4 lanes at a time in f32). */
function rowsKernel(k: Kernel, l: Layout): Expr[] {
  const { w, F } = k;
  const i = k.local("i32");
  const j = k.local("i32");
  const base = k.local("i32"); // byte offset of row i
  const acc = k.local(k.scalar);
  const acc2 = k.local(k.scalar);
  const mean = k.local(k.scalar);
  const r = k.local(k.scalar);
  const vacc = k.local("v128");
  const vacc2 = k.local("v128");
  const centered = { 1: k.local(k.scalar), 4: k.local("v128") };
  const n = () => F.const(l.cols);
  const address = () => w.i32.add(k.get(base), k.at(k.get(j)));
  const x = (lanes: Lanes) => k.loadAt(lanes, l.x, address());
  const g = (lanes: Lanes) => k.loadAt(lanes, l.g, address());
  const splat = (lanes: Lanes, local: number) => k.splat(lanes, k.get(local));
  const sub = (lanes: Lanes, a: Expr, b: Expr) => k.math(lanes).sub(a, b);
  const mul = (lanes: Lanes, a: Expr, b: Expr) => k.math(lanes).mul(a, b);
  const run = (offset: number, map?: (v: Expr, lanes: Lanes) => Expr) =>
    k.reduceRun(acc, { offset, base: () => k.get(base), count: l.cols, op: "add", map });
  const perRow: Expr[] = [
    k.set(base, k.at(w.i32.mul(k.get(i), k.i32(l.cols)))),
    ...run(l.x),
    k.set(mean, F.div(k.get(acc), n())),
    // Σ(x − μ)²: (x − μ) kept in a local, squared.
    ...run(l.x, (v, lanes) =>
      w.block(null, [
        k.set(centered[lanes], sub(lanes, v, splat(lanes, mean))),
        mul(lanes, k.get(centered[lanes]), k.get(centered[lanes])),
      ], k.valueType(lanes))),
    k.set(r, F.div(F.const(1), F.sqrt(F.add(F.div(k.get(acc), n()), F.const(l.eps))))),
  ];
  const xc = (lanes: Lanes) => sub(lanes, x(lanes), splat(lanes, mean));
  if (!l.backward) {
    perRow.push(
      ...k.lanes(j, l.cols, (lanes) => [
        k.storeAt(lanes, l.out, address(), mul(lanes, xc(lanes), splat(lanes, r))),
      ]),
    );
    return [k.forRange(i, k.i32(0), k.dim(l.rows), 1, perRow)];
  }
  // Σg and Σg·(x − μ) in one pass: lane-wise in f32, the lanes then combined
  // as (0 + 1) + (2 + 3) and added to the tail's sums.
  const lanesOf = (v: number) => {
    const lane = (c: number) => w.f32x4.extract_lane(k.get(v), c);
    return F.add(F.add(lane(0), lane(1)), F.add(lane(2), lane(3)));
  };
  const f32 = k.dtype === "f32";
  perRow.push(
    k.set(acc, F.const(0)),
    k.set(acc2, F.const(0)),
    ...(f32
      ? [k.set(vacc, w.f32x4.splat(F.const(0))), k.set(vacc2, w.f32x4.splat(F.const(0)))]
      : []),
    ...k.lanes(j, l.cols, (lanes) => {
      const [s, s2] = lanes === 4 ? [vacc, vacc2] : [acc, acc2];
      const m = k.math(lanes);
      return [
        k.set(s, m.add(k.get(s), g(lanes))),
        k.set(s2, m.add(k.get(s2), m.mul(g(lanes), xc(lanes)))),
      ];
    }),
    ...(f32
      ? [
        k.set(acc, F.add(lanesOf(vacc), k.get(acc))),
        k.set(acc2, F.add(lanesOf(vacc2), k.get(acc2))),
      ]
      : []),
    // acc ← Σg/n;  acc2 ← r²·Σg(x − μ)/n
    k.set(acc, F.div(k.get(acc), n())),
    k.set(acc2, F.mul(F.mul(k.get(r), k.get(r)), F.div(k.get(acc2), n()))),
    ...k.lanes(j, l.cols, (lanes) => [
      k.storeAt(lanes, l.out, address(), gradient(k.math(lanes), lanes)),
    ]),
  );
  function gradient(m: ElementMath<Expr>, lanes: Lanes): Expr {
    // r·(g − Σg/n − (x − μ)·r²Σg(x − μ)/n)
    return m.mul(
      splat(lanes, r),
      m.sub(m.sub(g(lanes), splat(lanes, acc)), m.mul(xc(lanes), splat(lanes, acc2))),
    );
  }
  return [k.forRange(i, k.i32(0), k.dim(l.rows), 1, perRow)];
}

/**
 * Statistics per column: f32 four columns at a time (each lane one column),
 * then the remaining columns one by one; f64 one by one.
 */
function columnsKernel(k: Kernel, l: Layout): Expr[] {
  const { w } = k;
  const c = k.local("i32");
  const i = k.local("i32");
  const locals = (lanes: Lanes) => ({
    acc: k.local(k.valueType(lanes)),
    acc2: k.local(k.valueType(lanes)),
    mean: k.local(k.valueType(lanes)),
    r: k.local(k.valueType(lanes)),
    n: k.local(k.valueType(lanes)),
  });
  const group = (lanes: Lanes): Expr[] => {
    const m = k.math(lanes);
    const { acc, acc2, mean, r, n } = locals(lanes);
    const index = () => w.i32.add(w.i32.mul(k.get(i), k.i32(l.cols)), k.get(c));
    const x = () => k.loadLanes(lanes, l.x, index());
    const g = () => k.loadLanes(lanes, l.g, index());
    const xc = () => m.sub(x(), k.get(mean));
    const each = (body: Expr[]) => k.forRange(i, k.i32(0), k.dim(l.rows), 1, body);
    const code: Expr[] = [
      k.set(n, l.rows === "batch" ? m.batchSize() : m.constant(l.rows)),
      k.set(acc, m.constant(0)),
      each([k.set(acc, m.add(k.get(acc), x()))]),
      k.set(mean, m.div(k.get(acc), k.get(n))),
      k.set(acc, m.constant(0)),
      each([k.set(acc, m.add(k.get(acc), m.mul(xc(), xc())))]),
      k.set(
        r,
        m.div(m.constant(1), m.sqrt(m.add(m.div(k.get(acc), k.get(n)), m.constant(l.eps)))),
      ),
    ];
    if (!l.backward) {
      code.push(each([k.storeLanes(lanes, l.out, index(), m.mul(xc(), k.get(r)))]));
      return code;
    }
    code.push(
      k.set(acc, m.constant(0)),
      k.set(acc2, m.constant(0)),
      each([
        k.set(acc, m.add(k.get(acc), g())),
        k.set(acc2, m.add(k.get(acc2), m.mul(g(), xc()))),
      ]),
      // acc ← Σg/n;  acc2 ← r²·Σg(x − μ)/n
      k.set(acc, m.div(k.get(acc), k.get(n))),
      k.set(acc2, m.mul(m.mul(k.get(r), k.get(r)), m.div(k.get(acc2), k.get(n)))),
      each([
        k.storeLanes(
          lanes,
          l.out,
          index(),
          m.mul(k.get(r), m.sub(m.sub(g(), k.get(acc)), m.mul(xc(), k.get(acc2)))),
        ),
      ]),
    );
    return code;
  };
  return k.lanes(c, l.cols, group);
}
