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

import { BATCH_GLOBAL, f32Math, f32x4Math, f64Math } from "./emit_math.ts";
import type { ElementwiseKernel } from "../schedule/fuse.ts";
import type { Graph } from "../ir/ir.ts";
import { type ElementMath, OPS } from "../ir/ops.ts";
import { elementCount, type Shape } from "../../core/shape.ts";
import { type Expr, FunctionBuilder, type ValueType, type WasmModule } from "./wasm.ts";
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
function loopDims(shape: Shape): [rows: number | "batch", cols: number | "batch"] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]];
  return [shape[0], shape[1]];
}

/**
 * Adds the function `name` computing the kernel. With `check`, each stored
 * value of the outputs it names is folded into the non-finite flag
 * (`emit_finite_check.ts`).
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
): void {
  const f64 = graph.dtype === "f64";
  const members = new Set(kernel.nodes);
  const leaves = [...new Set(kernel.nodes.flatMap((id) => graph.nodes[id].inputs))]
    .filter((id) => !members.has(id));
  const patterns = new Map(
    leaves.map((id) => [id, patternOf(graph.nodes[id].shape, kernel.shape)]),
  );
  const flat = [...patterns.values()].every((p) => p === "full" || p === "scalar");
  const [rows, cols] = loopDims(kernel.shape);

  const fb = new FunctionBuilder(w, []);
  const checked = new Set(kernel.outputs.filter((id) => check?.nodes.has(id)));
  const finite = check === undefined || checked.size === 0
    ? undefined
    : new FiniteAccumulator(w, fb, graph.dtype, check.flag);
  const i = fb.addLocal("i32"); // row (or flat element) index
  const j = fb.addLocal("i32"); // column index
  const dim = (
    d: number | "batch",
  ) => (d === "batch" ? w.globalGet(BATCH_GLOBAL, "i32") : w.i32.const(d));
  const total = () =>
    rows === 1 ? dim(cols) : cols === 1 ? dim(rows) : w.i32.mul(dim(rows), dim(cols));

  /** Byte address (without the buffer offset) of element `index`. */
  const scaled = (index: Expr) => w.i32.shl(index, w.i32.const(f64 ? 3 : 2));
  const elementIndex = (pattern: Pattern): Expr => {
    if (flat) return pattern === "scalar" ? w.i32.const(0) : fb.get(i);
    switch (pattern) {
      case "full":
        return w.i32.add(w.i32.mul(fb.get(i), w.i32.const(cols as number)), fb.get(j));
      case "row":
        return fb.get(j);
      case "col":
        return fb.get(i);
      case "scalar":
        return w.i32.const(0);
    }
  };

  const body = (lanes: 1 | 4): Expr[] => {
    const vector = lanes === 4;
    const type: ValueType = vector ? "v128" : f64 ? "f64" : "f32";
    const m: ElementMath<Expr> = vector ? f32x4Math(w, fb) : f64 ? f64Math(w, fb) : f32Math(w, fb);
    const local = new Map<number, number>();
    const code: Expr[] = [];
    for (const id of leaves) {
      const pattern = patterns.get(id)!;
      const offset = offsets.get(id);
      if (offset === undefined) throw new Error(`internal: no buffer for %${id}`);
      const value = loadOperand(w, offset, pattern, elementIndex(pattern), vector, f64);
      const l = fb.addLocal(type);
      code.push(fb.set(l, value));
      local.set(id, l);
    }
    code.push(...lowerMembers(fb, graph, kernel.nodes, m, type, local));
    for (const id of kernel.outputs) {
      const offset = offsets.get(id);
      if (offset === undefined) throw new Error(`internal: no buffer for output %${id}`);
      const address = scaled(elementIndex("full"));
      const value = fb.get(local.get(id)!);
      code.push(
        vector
          ? w.v128.store(offset, 4, address, value)
          : f64
          ? w.f64.store(offset, 8, address, value)
          : w.f32.store(offset, 4, address, value),
      );
      if (finite !== undefined && checked.has(id)) {
        code.push(finite.add(fb.get(local.get(id)!), lanes));
      }
    }
    return code;
  };

  let code: Expr[];
  const counter = flat ? i : j;
  const extent = flat ? total : () => dim(cols);
  if (f64) {
    code = [fb.forRange(counter, w.i32.const(0), extent, 1, body(1))];
  } else {
    // Vector part over whole groups of 4, then the scalar tail.
    const vectorEnd = () => w.i32.and(extent(), w.i32.const(~3));
    code = [
      fb.forRange(counter, w.i32.const(0), vectorEnd, 4, body(4)),
      fb.forRange(counter, vectorEnd(), extent, 1, body(1)),
    ];
  }
  if (!flat) code = [fb.forRange(i, w.i32.const(0), () => dim(rows), 1, code)];
  if (finite !== undefined) code.push(...finite.flush());
  w.addFunction(name, fb, "none", w.block(null, code));
}

/**
 * Computes each member of an elementwise group into a fresh local, in order,
 * through the op table's lowering; `local` maps the ids of values already in
 * locals (the loaded operands) and receives the members'.
 */
export function lowerMembers(
  fb: FunctionBuilder,
  graph: Graph,
  members: readonly number[],
  m: ElementMath<Expr>,
  type: ValueType,
  local: Map<number, number>,
): Expr[] {
  const code: Expr[] = [];
  for (const id of members) {
    const node = graph.nodes[id];
    const def = OPS[node.op];
    if (def.kind !== "elementwise") throw new Error(`internal: ${node.op} in an elementwise loop`);
    const args = node.inputs.map((operand) => fb.get(local.get(operand)!));
    const l = fb.addLocal(type);
    code.push(fb.set(l, def.lower(m, args, node.attrs)));
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
  w: WasmModule,
  offset: number,
  pattern: Pattern,
  index: Expr,
  vector: boolean,
  f64: boolean,
): Expr {
  const address = w.i32.shl(index, w.i32.const(f64 ? 3 : 2));
  if (!vector) return f64 ? w.f64.load(offset, 8, address) : w.f32.load(offset, 4, address);
  return pattern === "full" || pattern === "row"
    ? w.v128.load(offset, 4, address)
    : w.v128.load32_splat(offset, 4, address);
}
