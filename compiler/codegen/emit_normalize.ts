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

import { Kernel, type Lanes } from "./kernel.ts";
import type { Graph } from "../ir/ir.ts";
import type { Dim } from "../../core/shape.ts";
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
  const layout: Layout = {
    backward: node.op === "normalizegrad",
    eps: node.attrs.eps ?? 0,
    x: offsets.get(node.inputs[0])!,
    g: node.inputs[1] === undefined ? 0 : offsets.get(node.inputs[1])!,
    out: offsets.get(id)!,
    rows: shape.length === 1 ? 1 : shape[0],
    cols: shape[shape.length - 1] as number,
  };
  const perRow = shape.length === 1 || node.attrs.axis === 1;
  const k = new Kernel(w, graph.dtype);
  k.finish(name, perRow ? rowsKernel(k, layout) : columnsKernel(k, layout));
}

/**
 * Statistics per row, each a row reduction of the kernel context (f32: four
 * lanes along the row, then a scalar tail; f64: in order).
 */
function rowsKernel(k: Kernel, l: Layout): Expr[] {
  const w = k.w;
  const F = k.F;
  const i = k.local("i32");
  const j = k.local("i32");
  const base = k.local("i32"); // byte address of row i
  const [sum, sum2, mean, r] = [0, 0, 0, 0].map(() => k.local(k.scalar));
  const n = () => F.const(l.cols);
  const row = { base: () => k.get(base), count: l.cols, op: "add" } as const;
  const inRow = () => w.i32.add(k.get(base), k.at(k.get(j)));
  const centered = (x: Expr, lanes: Lanes) => k.math(lanes).sub(x, k.splat(lanes, k.get(mean)));
  const x = (lanes: Lanes, at: () => Expr) => k.loadAt(lanes, l.x, at());
  const perRow: Expr[] = [
    k.set(base, k.at(w.i32.mul(k.get(i), k.i32(l.cols)))),
    ...k.reduceRun(sum, { ...row, offset: l.x }),
    k.set(mean, F.div(k.get(sum), n())),
    ...k.reduceRun(sum, {
      ...row,
      offset: l.x,
      map: (v, lanes, at) => k.math(lanes).mul(centered(v, lanes), centered(x(lanes, at), lanes)),
    }),
    k.set(r, F.div(F.const(1), F.sqrt(F.add(F.div(k.get(sum), n()), F.const(l.eps))))),
  ];
  const splat = (lanes: Lanes, local: number) => k.splat(lanes, k.get(local));
  if (!l.backward) {
    perRow.push(...k.lanes(j, l.cols, (lanes) => [
      k.storeAt(
        lanes,
        l.out,
        inRow(),
        k.math(lanes).mul(centered(x(lanes, inRow), lanes), splat(lanes, r)),
      ),
    ]));
  } else {
    perRow.push(
      ...k.reduceRun(sum, { ...row, offset: l.g }),
      ...k.reduceRun(sum2, {
        ...row,
        offset: l.g,
        map: (g, lanes, at) => k.math(lanes).mul(g, centered(x(lanes, at), lanes)),
      }),
      // sum ← Σg/n;  sum2 ← r²·Σg(x − μ)/n
      k.set(sum, F.div(k.get(sum), n())),
      k.set(sum2, F.mul(F.mul(k.get(r), k.get(r)), F.div(k.get(sum2), n()))),
      ...k.lanes(j, l.cols, (lanes) => {
        const e = k.math(lanes);
        const g = k.loadAt(lanes, l.g, inRow());
        const dx = e.mul(
          splat(lanes, r),
          e.sub(
            e.sub(g, splat(lanes, sum)),
            e.mul(centered(x(lanes, inRow), lanes), splat(lanes, sum2)),
          ),
        );
        return [k.storeAt(lanes, l.out, inRow(), dx)];
      }),
    );
  }
  return [k.forRange(i, k.i32(0), k.dim(l.rows), 1, perRow)];
}

/**
 * Statistics per column over the rows: f32 four columns at a time (each lane
 * one column, summing its rows in order), then the remaining columns scalar —
 * the same operations, so the same bits; f64 scalar.
 */
function columnsKernel(k: Kernel, l: Layout): Expr[] {
  const w = k.w;
  const c = k.local("i32");
  const i = k.local("i32");
  return k.lanes(c, l.cols, (lanes) => {
    const e = k.math(lanes);
    const [sum, sum2, mean, r, n] = [0, 0, 0, 0, 0].map(() => k.local(k.valueType(lanes)));
    const at = () => k.at(w.i32.add(w.i32.mul(k.get(i), k.i32(l.cols)), k.get(c)));
    const x = () => k.loadAt(lanes, l.x, at());
    const g = () => k.loadAt(lanes, l.g, at());
    const centered = () => e.sub(x(), k.get(mean));
    const each = (code: Expr[]) => k.forRange(i, k.i32(0), k.dim(l.rows), 1, code);
    const group: Expr[] = [
      k.set(n, k.splat(lanes, k.F.convert_s.i32(k.value(k.dim(l.rows))))),
      k.set(sum, e.constant(0)),
      each([k.set(sum, e.add(k.get(sum), x()))]),
      k.set(mean, e.div(k.get(sum), k.get(n))),
      k.set(sum, e.constant(0)),
      each([k.set(sum, e.add(k.get(sum), e.mul(centered(), centered())))]),
      k.set(
        r,
        e.div(e.constant(1), e.sqrt(e.add(e.div(k.get(sum), k.get(n)), e.constant(l.eps)))),
      ),
    ];
    if (!l.backward) {
      group.push(each([k.storeAt(lanes, l.out, at(), e.mul(centered(), k.get(r)))]));
      return group;
    }
    group.push(
      k.set(sum, e.constant(0)),
      k.set(sum2, e.constant(0)),
      each([
        k.set(sum, e.add(k.get(sum), g())),
        k.set(sum2, e.add(k.get(sum2), e.mul(g(), centered()))),
      ]),
      // sum ← Σg/n;  sum2 ← r²·Σg(x − μ)/n
      k.set(sum, e.div(k.get(sum), k.get(n))),
      k.set(sum2, e.mul(e.mul(k.get(r), k.get(r)), e.div(k.get(sum2), k.get(n)))),
      each([
        k.storeAt(
          lanes,
          l.out,
          at(),
          e.mul(k.get(r), e.sub(e.sub(g(), k.get(sum)), e.mul(centered(), k.get(sum2)))),
        ),
      ]),
    );
    return group;
  });
}
