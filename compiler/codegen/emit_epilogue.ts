/**
 * Lowers an elementwise group that follows a matrix product (typically
 * `act(x·W + b)`) into the product's epilogue: the group is computed on each
 * result vector while it is still in registers, and only the group's output
 * is stored — the product itself never goes to memory.
 *
 * @module
 */

import { f32Math, f32x4Math, f64Math } from "./emit_math.ts";
import { loadOperand, lowerMembers, patternOf } from "./emit_elementwise.ts";
import type { MatmulEpilogue } from "./emit_matmul.ts";
import type { Graph } from "../ir/ir.ts";
import type { Expr, FunctionBuilder, ValueType, WasmModule } from "./wasm.ts";

/** An elementwise group fused into a matrix product. */
export interface EpilogueGroup {
  /** Members, in topological order. */
  readonly nodes: readonly number[];
  /** The member written to memory. */
  readonly output: number;
}

/**
 * The epilogue computing `group` from the product node `product`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matmulEpilogue } from "./emit_epilogue.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { add, input, matmul, relu } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const x = input("x", ["batch", 4]);
 * const g = trace({ h: relu(add(matmul(x, input("w", [4, 3], "param")), input("b", [3], "param"))) });
 * const e = matmulEpilogue(new WasmModule(), g, { nodes: [4, 5], output: 5 }, 3, new Map([[3, 64]]));
 * assert.ok(typeof e.vector === "function");
 * ```
 */
export function matmulEpilogue(
  w: WasmModule,
  graph: Graph,
  group: EpilogueGroup,
  product: number,
  offsets: ReadonlyMap<number, number>,
): MatmulEpilogue {
  const f64 = graph.dtype === "f64";
  const shape = graph.nodes[product].shape;
  const cols = shape[1] as number;
  const members = new Set(group.nodes);
  const leaves = [...new Set(group.nodes.flatMap((id) => graph.nodes[id].inputs))]
    .filter((id) => !members.has(id) && id !== product);

  const lower = (
    fb: FunctionBuilder,
    acc: Expr,
    row: () => Expr,
    col: () => Expr,
    vector: boolean,
  ): Expr => {
    const type: ValueType = vector ? "v128" : f64 ? "f64" : "f32";
    const local = new Map<number, number>();
    const code: Expr[] = [];
    const accLocal = fb.addLocal(type);
    code.push(fb.set(accLocal, acc));
    local.set(product, accLocal);
    for (const id of leaves) {
      const offset = offsets.get(id);
      if (offset === undefined) throw new Error(`internal: no buffer for %${id}`);
      const pattern = patternOf(graph.nodes[id].shape, shape);
      const index = pattern === "full"
        ? w.i32.add(w.i32.mul(row(), w.i32.const(cols)), col())
        : pattern === "row"
        ? col()
        : pattern === "col"
        ? row()
        : w.i32.const(0);
      const value = loadOperand(w, offset, pattern, index, vector, f64);
      const l = fb.addLocal(type);
      code.push(fb.set(l, value));
      local.set(id, l);
    }
    const m = vector ? f32x4Math(w, fb) : f64 ? f64Math(w, fb) : f32Math(w, fb);
    code.push(...lowerMembers(fb, graph, group.nodes, m, type, local));
    code.push(fb.get(local.get(group.output)!));
    return w.block(null, code, type);
  };
  return {
    vector: (fb, acc, row, col) => lower(fb, acc, row, col, true),
    scalar: (fb, acc, row, col) => lower(fb, acc, row, col, false),
  };
}
