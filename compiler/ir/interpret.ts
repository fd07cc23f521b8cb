/**
 * The f64 reference interpreter: the oracle the compiled WebAssembly and the
 * symbolic gradients are tested against. It evaluates every node in order
 * through the op table.
 *
 * @module
 */

import { InputError } from "../../core/errors.ts";
import type { Graph } from "./ir.ts";
import { evaluateOp, type Tensor64 } from "./ops.ts";
import { concreteShape, elementCount, formatShape } from "../../core/shape.ts";

/** Values of inputs, by input name, as flat row-major arrays. */
export type Bindings = Readonly<Record<string, ArrayLike<number>>>;

/** What a run of the interpreter produced. */
export interface InterpretResult {
  /** Each named output. */
  readonly outputs: Record<string, Float64Array>;
  /** Each update's new value, by target name. */
  readonly updates: Record<string, Float64Array>;
}

/**
 * Evaluates a graph in f64 with the given input values and batch size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { interpret } from "./interpret.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mul, sum } from "../frontend/tensor.ts";
 * const x = input("x", ["batch"]);
 * const g = trace({ y: sum(mul(x, x)) });
 * assert.ok(interpret(g, { x: [1, 2, 3] }, 3).outputs.y[0] === 14);
 * ```
 */
export function interpret(graph: Graph, bindings: Bindings, batch: number): InterpretResult {
  const values: Tensor64[] = [];
  for (const node of graph.nodes) {
    const shape = concreteShape(node.shape, batch);
    if (node.op === "input") {
      const name = node.attrs.name ?? "";
      const bound = bindings[name];
      const size = elementCount(node.shape, batch);
      if (bound === undefined) throw new InputError(`interpret: no value for input "${name}"`);
      if (bound.length !== size) {
        throw new InputError(
          `interpret: input "${name}" of shape ${formatShape(node.shape)} (batch ${batch}) ` +
            `needs ${size} values, got ${bound.length}`,
        );
      }
      values[node.id] = { data: Float64Array.from(bound), shape };
      continue;
    }
    const operands = node.inputs.map((i) => values[i]);
    values[node.id] = { data: evaluateOp(node.op, operands, node.attrs, shape, batch), shape };
  }
  return {
    outputs: Object.fromEntries(graph.outputs.map((o) => [o.name, values[o.node].data])),
    updates: Object.fromEntries(graph.updates.map((u) => [u.target, values[u.node].data])),
  };
}
