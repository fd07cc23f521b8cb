/**
 * Lowers an elementwise group that follows a matrix product (typically
 * `act(x·W + b)`) into the product's epilogue: the group is computed on each
 * result vector while it is still in registers, and only the group's output
 * is stored — the product itself never goes to memory.
 *
 * @module
 */

import {
  bufferOf,
  loadOperand,
  lowerMembers,
  patternIndex,
  patternOf,
} from "./emit_elementwise.ts";
import type { MatmulEpilogue } from "./emit_matmul.ts";
import type { Graph } from "../ir/ir.ts";
import type { Kernel, Lanes } from "./kernel.ts";
import type { Expr } from "./wasm.ts";

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
 * const x = input("x", ["batch", 4]);
 * const g = trace({ h: relu(add(matmul(x, input("w", [4, 3], "param")), input("b", [3], "param"))) });
 * const e = matmulEpilogue(g, { nodes: [4, 5], output: 5 }, 3, new Map([[3, 64]]));
 * assert.ok(typeof e.vector === "function");
 * ```
 */
export function matmulEpilogue(
  graph: Graph,
  group: EpilogueGroup,
  product: number,
  offsets: ReadonlyMap<number, number>,
): MatmulEpilogue {
  const shape = graph.nodes[product].shape;
  const cols = shape[1] as number;
  const members = new Set(group.nodes);
  const leaves = [...new Set(group.nodes.flatMap((id) => graph.nodes[id].inputs))]
    .filter((id) => !members.has(id) && id !== product);

  const lower = (k: Kernel, acc: Expr, row: () => Expr, col: () => Expr, lanes: Lanes): Expr => {
    const type = k.valueType(lanes);
    const local = new Map<number, number>();
    const accLocal = k.local(type);
    const code: Expr[] = [k.set(accLocal, acc)];
    local.set(product, accLocal);
    for (const id of leaves) {
      const pattern = patternOf(graph.nodes[id].shape, shape);
      const index = patternIndex(k, pattern, cols, row, col);
      const l = k.local(type);
      code.push(k.set(l, loadOperand(k, bufferOf(offsets, id), pattern, index, lanes)));
      local.set(id, l);
    }
    code.push(...lowerMembers(k, graph, group.nodes, lanes, local));
    code.push(k.get(local.get(group.output)!));
    return k.w.block(null, code, type);
  };
  return {
    vector: (k, acc, row, col) => lower(k, acc, row, col, 4),
    scalar: (k, acc, row, col) => lower(k, acc, row, col, 1),
  };
}
