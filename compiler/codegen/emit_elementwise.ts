/**
 * Emits one fused elementwise loop. Each iteration loads every operand read
 * from memory, computes every member (through the op table's lowering and an
 * `ElementMath` for the element type), then stores the outputs — all loads
 * before any store, so outputs may alias inputs (in-place updates).
 *
 * f32: 4 lanes per iteration with f32x4 SIMD, then scalar tails.
 * f64: scalar. Operands are read with one of four access patterns relative to
 * the loop's [rows, cols]: full, row (a bias vector), column ([rows, 1]) or
 * scalar; when every operand is full or scalar, the loop runs flat over all
 * elements.
 *
 * @module
 */

import type { ElementwiseKernel } from "../schedule/fuse.ts";
import type { Graph } from "../ir/ir.ts";
import { OPS } from "../ir/ops.ts";
import { type Dim, elementCount, type Shape } from "../../core/shape.ts";
import { Kernel, type Lanes } from "./kernel.ts";
import type { Expr, WasmModule } from "./wasm.ts";
import { FiniteAccumulator, type FiniteFlag } from "./emit_finite_check.ts";

/** Outputs of a kernel whose stored values are checked for non-finite ones, and the flag. */
export interface FiniteCheck {
  /** The flag the checked outputs report to. */
  readonly flag: FiniteFlag;
  /** Ids of the nodes to check (the step's updates); other outputs are not checked. */
  readonly nodes: ReadonlySet<number>;
}

/** How an operand is indexed from the loop's (row, column). */
export type Pattern = "full" | "row" | "col" | "scalar";

/**
 * The access pattern of an operand of shape `operand` in a loop of shape
 * `loop`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patternOf } from "./emit_elementwise.ts";
 * assert.ok(patternOf([10], ["batch", 10]) === "row");
 * assert.ok(patternOf(["batch", 1], ["batch", 10]) === "col");
 * ```
 */
export function patternOf(operand: Shape, loop: Shape): Pattern {
  if (elementCount(operand, 2) === 1 && !operand.includes("batch")) return "scalar";
  const padded = [...new Array(Math.max(0, loop.length - operand.length)).fill(1), ...operand];
  if (padded.every((d, i) => d === loop[i])) return "full";
  if (loop.length === 2 && padded[0] === 1 && padded[1] === loop[1]) return "row";
  if (loop.length === 2 && padded[0] === loop[0] && padded[1] === 1) return "col";
  throw new Error(`internal: operand [${operand}] does not broadcast to loop [${loop}]`);
}

/** Rows and columns of the loop: a vector or scalar is one row. */
function loopDims(shape: Shape): [rows: Dim, cols: Dim] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]];
  return [shape[0], shape[1]];
}

/**
 * Element index of an operand with access pattern `pattern` at (row, col) of
 * a loop with `cols` columns.
 */
export function patternIndex(
  k: Kernel,
  pattern: Pattern,
  cols: number,
  row: () => Expr,
  col: () => Expr,
): Expr {
  switch (pattern) {
    case "full":
      return k.w.i32.add(k.w.i32.mul(row(), k.i32(cols)), col());
    case "row":
      return col();
    case "col":
      return row();
    case "scalar":
      return k.i32(0);
  }
}

/**
 * Adds the function `name` computing the kernel. With `check`, each stored
 * value of the outputs it names is folded into the non-finite flag
 * (`emit_finite_check.ts`). With `split`, the function computes the calling
 * thread's share (`Kernel.share`): whole groups of 4 elements of a flat
 * loop, whole rows of a 2-D one.
 *
 * @example
 * ```ts
 * import { emitElementwise } from "./emit_elementwise.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { fuse } from "../schedule/fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, neg } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ y: neg(input("x", [6])) });
 * const kernel = fuse(g).kernels[0];
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * if (kernel.kind === "elementwise") emitElementwise(w, g, kernel, new Map([[0, 0], [1, 32]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitElementwise(
  w: WasmModule,
  graph: Graph,
  kernel: ElementwiseKernel,
  offsets: ReadonlyMap<number, number>,
  name: string,
  check?: FiniteCheck,
  split = false,
): void {
  const members = new Set(kernel.nodes);
  const leaves = [...new Set(kernel.nodes.flatMap((id) => graph.nodes[id].inputs))]
    .filter((id) => !members.has(id));
  const patterns = new Map(
    leaves.map((id) => [id, patternOf(graph.nodes[id].shape, kernel.shape)]),
  );
  const flat = [...patterns.values()].every((p) => p === "full" || p === "scalar");
  const [rows, cols] = loopDims(kernel.shape);

  const k = new Kernel(w, graph.dtype);
  const checked = new Set(kernel.outputs.filter((id) => check?.nodes.has(id)));
  const finite = check === undefined || checked.size === 0
    ? undefined
    : new FiniteAccumulator(w, k.fb, graph.dtype, check.flag);
  const i = k.local("i32"); // row (or flat element) index
  const j = k.local("i32"); // column index
  const elementIndex = (pattern: Pattern): Expr =>
    flat
      ? (pattern === "scalar" ? k.i32(0) : k.get(i))
      : patternIndex(k, pattern, cols as number, () => k.get(i), () => k.get(j));

  const body = (lanes: Lanes): Expr[] => {
    const local = new Map<number, number>();
    const code: Expr[] = [];
    for (const id of leaves) {
      const pattern = patterns.get(id)!;
      const l = k.local(k.valueType(lanes));
      code.push(
        k.set(l, loadOperand(k, bufferOf(offsets, id), pattern, elementIndex(pattern), lanes)),
      );
      local.set(id, l);
    }
    code.push(...lowerMembers(k, graph, kernel.nodes, lanes, local));
    for (const id of kernel.outputs) {
      code.push(
        k.storeLanes(lanes, bufferOf(offsets, id), elementIndex("full"), k.get(local.get(id)!)),
      );
      if (finite !== undefined && checked.has(id)) {
        code.push(finite.add(k.get(local.get(id)!), lanes));
      }
    }
    return code;
  };

  // Split among threads: whole groups of 4 elements (flat), or whole rows.
  const code = flat
    ? (split ? k.sharedLanes : k.lanes).call(k, i, k.count(kernel.shape), body)
    : split
    ? k.sharedRange(i, k.dim(rows), k.lanes(j, k.dim(cols), body))
    : [k.forRange(i, k.i32(0), k.dim(rows), 1, k.lanes(j, k.dim(cols), body))];
  k.finish(name, [...code, ...(finite?.flush() ?? [])]);
}

/** The byte offset of node `id`'s buffer. */
export function bufferOf(offsets: ReadonlyMap<number, number>, id: number): number {
  const offset = offsets.get(id);
  if (offset === undefined) throw new Error(`internal: no buffer for %${id}`);
  return offset;
}

/**
 * Computes each member of an elementwise group into a fresh local, in order,
 * through the op table's lowering; `local` maps the ids of values already in
 * locals (the loaded operands) and receives the members'.
 */
export function lowerMembers(
  k: Kernel,
  graph: Graph,
  members: readonly number[],
  lanes: Lanes,
  local: Map<number, number>,
): Expr[] {
  const m = k.math(lanes);
  const code: Expr[] = [];
  for (const id of members) {
    const node = graph.nodes[id];
    const def = OPS[node.op];
    if (def.kind !== "elementwise") throw new Error(`internal: ${node.op} in an elementwise loop`);
    const args = node.inputs.map((operand) => k.get(local.get(operand)!));
    const l = k.local(k.valueType(lanes));
    code.push(k.set(l, def.lower(m, args, node.attrs)));
    local.set(id, l);
  }
  return code;
}

/**
 * Loads an operand's value at element `index` with its access pattern: a
 * vector of 4 (contiguous for full and row patterns, one element splatted for
 * column and scalar patterns) or one scalar.
 */
export function loadOperand(
  k: Kernel,
  offset: number,
  pattern: Pattern,
  index: Expr,
  lanes: Lanes,
): Expr {
  return pattern === "full" || pattern === "row"
    ? k.loadLanes(lanes, offset, index)
    : k.loadSplat(lanes, offset, index);
}
