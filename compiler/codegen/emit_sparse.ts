/**
 * Emits the index kernels: `gather` (rows of a table picked by ids) and its
 * gradient `scatteradd`; `bag` and `spmm` (rows pooled per bag, or a sparse
 * matrix times a dense one) and their gradients `bagscatter`, `spmmscatter`
 * (scatter-adds into the rows that occur) and `spmmdot`.
 *
 * The sums run in the order of the f64 reference (`ir/sparse_reference.ts`):
 * bags in order, each bag's positions in order, each row of width D with
 * f32x4 lanes and a scalar tail (f64: scalar). A scatter zeroes its table
 * with one `memory.fill` and then touches only the rows its ids name — never
 * a one-hot matrix, never a (batch × rows) buffer.
 *
 * Ids and bag ends are floats of the element type read as i32 (truncated,
 * NaN as 0, like class labels). An id outside the table is skipped (one
 * unsigned comparison); each bag end is clamped to [the previous end,
 * capacity]. The runtime checks data before writing it; the clamping keeps a
 * misused module inside its buffers instead of trapping or writing outside.
 *
 * @module
 */

import { bufferOf } from "./emit_elementwise.ts";
import { Kernel, type Lanes } from "./kernel.ts";
import type { Graph, Node } from "../ir/ir.ts";
import type { Dim } from "../../core/shape.ts";
import type { Expr, WasmModule } from "./wasm.ts";

/**
 * Adds the function `name` computing node `id`, one of the index ops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitSparse } from "./emit_sparse.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input } from "../frontend/tensor.ts";
 * import { gather } from "../frontend/sparse.ts";
 * import { WasmModule } from "./wasm.ts";
 * // table [3, 2] at byte 0, ids [2] at byte 64, result [2, 2] at byte 128.
 * const g = trace({ y: gather(input("t", [3, 2]), input("ids", [2])) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitSparse(w, g, 2, new Map([[0, 0], [1, 64], [2, 128]]), "k0");
 * assert.ok(WebAssembly.validate(w.finish(1).binary));
 * ```
 */
export function emitSparse(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const node = graph.nodes[id];
  const k = new Kernel(w, graph.dtype);
  const operand = (i: number) => bufferOf(offsets, node.inputs[i]);
  const shapeOf = (i: number) => graph.nodes[node.inputs[i]].shape;
  const out = bufferOf(offsets, id);
  switch (node.op) {
    case "gather": {
      const [rows, width] = shapeOf(0) as number[];
      k.finish(name, gatherBody(k, operand(0), operand(1), k.count(shapeOf(1)), rows, width, out));
      return;
    }
    case "scatteradd": {
      const width = node.shape[1] as number;
      k.finish(name, [
        w.memoryFill(k.i32(out), k.i32(0), k.byteCount(node.shape)),
        ...scatterRows(k, operand(0), operand(1), k.count(shapeOf(0)), node, width, out),
      ]);
      return;
    }
    case "bag":
    case "spmm": {
      const [rows, width] = shapeOf(0) as number[];
      const spec: BagSpec = {
        ids: operand(1),
        ends: operand(2),
        bags: shapeOf(2)[0],
        capacity: shapeOf(1)[0] as number,
        weights: node.op === "spmm" ? operand(3) : null,
        mean: node.attrs.pool === "mean",
        rows,
        width,
      };
      k.finish(name, [
        w.memoryFill(k.i32(out), k.i32(0), k.byteCount(node.shape)),
        ...bagForward(k, spec, operand(0), out),
      ]);
      return;
    }
    case "bagscatter":
    case "spmmscatter": {
      const [rows, width] = node.shape as number[];
      const weighted = node.op === "spmmscatter";
      const spec: BagSpec = {
        ids: operand(0),
        ends: operand(1),
        bags: shapeOf(1)[0],
        capacity: shapeOf(0)[0] as number,
        weights: weighted ? operand(2) : null,
        mean: node.attrs.pool === "mean",
        rows,
        width,
      };
      k.finish(name, [
        w.memoryFill(k.i32(out), k.i32(0), k.byteCount(node.shape)),
        ...bagBackward(k, spec, operand(weighted ? 3 : 2), out),
      ]);
      return;
    }
    case "spmmdot": {
      const [rows, width] = shapeOf(0) as number[];
      const spec: BagSpec = {
        ids: operand(1),
        ends: operand(2),
        bags: shapeOf(2)[0],
        capacity: shapeOf(1)[0] as number,
        weights: null,
        mean: false,
        rows,
        width,
      };
      k.finish(name, [
        w.memoryFill(k.i32(out), k.i32(0), k.byteCount(node.shape)),
        ...bagDots(k, spec, operand(0), operand(3), out),
      ]);
      return;
    }
    default:
      throw new Error(`internal: emitSparse cannot lower ${node.op}`);
  }
}

/** What the bag kernels read: ids (or column ids), bag ends, optional weights. */
interface BagSpec {
  /** Byte offset of the ids `[capacity]`. */
  readonly ids: number;
  /** Byte offset of the bag ends `[n]`. */
  readonly ends: number;
  /** n: the number of bags (fixed, or the run-time batch). */
  readonly bags: Dim;
  /** Ids the buffer holds. */
  readonly capacity: number;
  /** Byte offset of per-position weights `[capacity]` (`spmm`), or null. */
  readonly weights: number | null;
  /** Whether each bag is averaged over its size. */
  readonly mean: boolean;
  /** Rows of the table. */
  readonly rows: number;
  /** Width D of the table. */
  readonly width: number;
}

/** `dst[dstRow·D + j] += f(src[srcRow·D + j])` for j < D, in lanes. */
function addRow(
  k: Kernel,
  width: number,
  dst: number,
  dstStart: () => Expr,
  src: number,
  srcStart: () => Expr,
  f: (lanes: Lanes, x: Expr) => Expr = (_lanes, x) => x,
): Expr[] {
  const w = k.w;
  const j = k.local("i32");
  return k.lanes(j, width, (lanes) => {
    const at = (start: () => Expr) => w.i32.add(start(), k.get(j));
    const value = f(lanes, k.loadLanes(lanes, src, at(srcStart)));
    return [
      k.storeLanes(
        lanes,
        dst,
        at(dstStart),
        k.math(lanes).add(k.loadLanes(lanes, dst, at(dstStart)), value),
      ),
    ];
  });
}

/** `out[r] = table[ids[r]]` (zeros for an id outside the table), r over every id. */
function gatherBody(
  k: Kernel,
  table: number,
  ids: number,
  count: ReturnType<Kernel["count"]>,
  rows: number,
  width: number,
  out: number,
): Expr[] {
  const w = k.w;
  const [r, id] = [k.local("i32"), k.local("i32")];
  const rowBytes = width * k.bytes;
  const address = (base: number, row: Expr) =>
    w.i32.add(k.i32(base), w.i32.mul(row, k.i32(rowBytes)));
  return [
    k.forRange(r, k.i32(0), count, 1, [
      k.set(id, k.loadLabel(ids, k.get(r))),
      w.if(
        w.i32.lt_u(k.get(id), k.i32(rows)),
        w.memoryCopy(address(out, k.get(r)), address(table, k.get(id)), k.i32(rowBytes)),
        w.memoryFill(address(out, k.get(r)), k.i32(0), k.i32(rowBytes)),
      ),
    ]),
  ];
}

/** Row r of g added into row `ids[r]` of the (zeroed) output, r over every id. */
function scatterRows(
  k: Kernel,
  ids: number,
  g: number,
  count: ReturnType<Kernel["count"]>,
  node: Node,
  width: number,
  out: number,
): Expr[] {
  const w = k.w;
  const rows = node.shape[0] as number;
  const [r, id] = [k.local("i32"), k.local("i32")];
  const times = (l: number) => () => w.i32.mul(k.get(l), k.i32(width));
  return [
    k.forRange(r, k.i32(0), count, 1, [
      k.set(id, k.loadLabel(ids, k.get(r))),
      w.if(
        w.i32.lt_u(k.get(id), k.i32(rows)),
        w.block(null, addRow(k, width, out, times(id), g, times(r))),
      ),
    ]),
  ];
}

/**
 * The loop over bags: `start`/`end` locals hold bag i's positions (end read
 * from the ends buffer and clamped to [start, capacity]); `body` runs once
 * per bag, after which start = end.
 */
function forEachBag(
  k: Kernel,
  spec: BagSpec,
  body: (bag: number, start: number, end: number) => Expr[],
): Expr[] {
  const w = k.w;
  const [i, start, end] = [k.local("i32"), k.local("i32"), k.local("i32")];
  return [
    k.set(start, k.i32(0)),
    k.forRange(i, k.i32(0), k.dim(spec.bags), 1, [
      k.set(end, k.loadLabel(spec.ends, k.get(i))),
      k.set(
        end,
        w.select(w.i32.gt_s(k.get(end), k.i32(spec.capacity)), k.i32(spec.capacity), k.get(end)),
      ),
      k.set(end, w.select(w.i32.lt_s(k.get(end), k.get(start)), k.get(start), k.get(end))),
      ...body(i, start, end),
      k.set(start, k.get(end)),
    ]),
  ];
}

/** The bag's size as a float of the element type. */
function sizeOf(k: Kernel, start: number, end: number): Expr {
  return k.F.convert_s.i32(k.w.i32.sub(k.get(end), k.get(start)));
}

/** `bag`/`spmm` into the zeroed output `[n, D]`. */
function bagForward(k: Kernel, spec: BagSpec, table: number, out: number): Expr[] {
  const w = k.w;
  const [p, id] = [k.local("i32"), k.local("i32")];
  const weight = k.local(k.scalar);
  const size = k.local(k.scalar);
  const j = k.local("i32");
  return forEachBag(k, spec, (i, start, end) => {
    const outRow = () => w.i32.mul(k.get(i), k.i32(spec.width));
    const tableRow = () => w.i32.mul(k.get(id), k.i32(spec.width));
    const scaled = spec.weights === null
      ? undefined
      : (lanes: Lanes, x: Expr) => k.math(lanes).mul(x, k.splat(lanes, k.get(weight)));
    const perPosition: Expr[] = [
      k.set(id, k.loadLabel(spec.ids, k.get(p))),
      ...(spec.weights === null ? [] : [k.set(weight, k.load(spec.weights, k.get(p)))]),
      w.if(
        w.i32.lt_u(k.get(id), k.i32(spec.rows)),
        w.block(null, addRow(k, spec.width, out, outRow, table, tableRow, scaled)),
      ),
    ];
    const code = [k.forRange(p, k.get(start), () => k.get(end), 1, perPosition)];
    if (spec.mean) {
      // The mean: the row divided by the bag's size (an empty bag stays zero).
      const divide = k.lanes(j, spec.width, (lanes) => {
        const at = w.i32.add(outRow(), k.get(j));
        return [
          k.storeLanes(
            lanes,
            out,
            at,
            k.math(lanes).div(k.loadLanes(lanes, out, at), k.splat(lanes, k.get(size))),
          ),
        ];
      });
      code.push(
        w.if(
          w.i32.gt_s(k.get(end), k.get(start)),
          w.block(null, [k.set(size, sizeOf(k, start, end)), ...divide]),
        ),
      );
    }
    return code;
  });
}

/** `bagscatter`/`spmmscatter` into the zeroed table gradient `[rows, D]`. */
function bagBackward(k: Kernel, spec: BagSpec, g: number, out: number): Expr[] {
  const w = k.w;
  const [p, id] = [k.local("i32"), k.local("i32")];
  const weight = k.local(k.scalar);
  const size = k.local(k.scalar);
  return forEachBag(k, spec, (i, start, end) => {
    const gRow = () => w.i32.mul(k.get(i), k.i32(spec.width));
    const tableRow = () => w.i32.mul(k.get(id), k.i32(spec.width));
    const term = spec.weights !== null
      ? (lanes: Lanes, x: Expr) => k.math(lanes).mul(x, k.splat(lanes, k.get(weight)))
      : spec.mean
      ? (lanes: Lanes, x: Expr) => k.math(lanes).div(x, k.splat(lanes, k.get(size)))
      : undefined;
    return [
      ...(spec.mean ? [k.set(size, sizeOf(k, start, end))] : []),
      k.forRange(p, k.get(start), () => k.get(end), 1, [
        k.set(id, k.loadLabel(spec.ids, k.get(p))),
        ...(spec.weights === null ? [] : [k.set(weight, k.load(spec.weights, k.get(p)))]),
        w.if(
          w.i32.lt_u(k.get(id), k.i32(spec.rows)),
          w.block(null, addRow(k, spec.width, out, tableRow, g, gRow, term)),
        ),
      ]),
    ];
  });
}

/** `spmmdot` into the zeroed values gradient `[capacity]`: g[i]·table[ids[p]] per position. */
function bagDots(k: Kernel, spec: BagSpec, table: number, g: number, out: number): Expr[] {
  const w = k.w;
  const [p, id, j] = [k.local("i32"), k.local("i32"), k.local("i32")];
  const acc = k.local(k.scalar);
  const width = spec.width;
  return forEachBag(k, spec, (i, start, end) => {
    const product = (lanes: Lanes) =>
      k.math(lanes).mul(
        k.loadLanes(lanes, g, w.i32.add(w.i32.mul(k.get(i), k.i32(width)), k.get(j))),
        k.loadLanes(lanes, table, w.i32.add(w.i32.mul(k.get(id), k.i32(width)), k.get(j))),
      );
    const dot: Expr[] = [];
    const vectorEnd = k.dtype === "f32" ? width & ~3 : 0;
    if (vectorEnd > 0) {
      // f32: lane-wise sums over groups of 4, lanes combined as (0 + 1) + (2 + 3), then the tail.
      const vacc = k.local("v128");
      const lane = (l: number) => w.f32x4.extract_lane(k.get(vacc), l);
      dot.push(
        k.set(vacc, w.f32x4.splat(w.f32.const(0))),
        k.forRange(j, k.i32(0), vectorEnd, 4, [
          k.set(vacc, w.f32x4.add(k.get(vacc), product(4))),
        ]),
        k.set(acc, k.F.add(k.F.add(lane(0), lane(1)), k.F.add(lane(2), lane(3)))),
      );
    } else {
      dot.push(k.set(acc, k.F.const(0)));
    }
    if (vectorEnd < width) {
      dot.push(
        k.forRange(j, k.i32(vectorEnd), width, 1, [
          k.set(acc, k.F.add(k.get(acc), product(1))),
        ]),
      );
    }
    return [
      k.forRange(p, k.get(start), () => k.get(end), 1, [
        k.set(id, k.loadLabel(spec.ids, k.get(p))),
        w.if(
          w.i32.lt_u(k.get(id), k.i32(spec.rows)),
          w.block(null, [...dot, k.store(out, k.get(p), k.get(acc))]),
        ),
      ]),
    ];
  });
}
