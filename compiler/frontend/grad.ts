/**
 * `grad`: the symbolic gradient as a function transformation, usable on its
 * own. `grad(f)` returns a function that, given input tensors, returns the
 * gradient expressions of the scalar `f(...inputs)` with respect to each of
 * them — tensor expressions again, which can be printed, evaluated, or
 * differentiated further.
 *
 * @module
 */

import { differentiate, GRAD_PREFIX } from "../passes/differentiate.ts";
import { CompileError } from "../../core/errors.ts";
import { type Bindings, interpret } from "../ir/interpret.ts";
import { GRAD_PASSES, optimize } from "../passes/pipeline.ts";
import { formatShape } from "../../core/shape.ts";
import type { Tensor } from "./tensor.ts";
import { trace, untrace } from "./trace.ts";

/**
 * Transforms a scalar function of input tensors into the function returning
 * its gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grad, evaluateF64 } from "./grad.ts";
 * import { input, mul, sum } from "./tensor.ts";
 * const x = input("x", [3]);
 * const [dx] = grad((x) => sum(mul(x, x)))(x); // d/dx Σx² = 2x
 * assert.ok(evaluateF64(dx, { x: [1, 2, 3] }).join() === "2,4,6");
 * ```
 */
export function grad(f: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => Tensor[] {
  return (...inputs: Tensor[]): Tensor[] => {
    inputs.forEach((t, i) => {
      if (t?.op !== "input") {
        throw new CompileError(
          `grad: argument ${i} must be an input tensor (made with input() or param())`,
        );
      }
    });
    const y = f(...inputs);
    if (y?.shape?.length !== 0) {
      throw new CompileError(
        `grad: the function must return a scalar, got ${
          y?.shape ? formatShape(y.shape) : String(y)
        }`,
      );
    }
    const names = inputs.map((t) => t.attrs.name ?? "");
    // stopgrad nodes stay, so the gradients can be differentiated again.
    const graph = optimize(differentiate(trace({ y }), "y", names), GRAD_PASSES);
    const gradients = {
      ...graph,
      outputs: graph.outputs.filter((o) => o.name.startsWith(GRAD_PREFIX)),
    };
    const byName = untrace(gradients, new Map(inputs.map((t) => [t.attrs.name ?? "", t])));
    return names.map((name) => byName[GRAD_PREFIX + name]);
  };
}

/**
 * Evaluates a tensor expression in f64 with the reference interpreter. The
 * batch size is taken from `batch`, or from the first batched input bound.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { add, input } from "./tensor.ts";
 * const x = input("x", ["batch", 2]);
 * assert.ok(evaluateF64(add(x, 1), { x: [1, 2, 3, 4] }).join() === "2,3,4,5");
 * ```
 */
export function evaluateF64(expression: Tensor, bindings: Bindings, batch?: number): Float64Array {
  const graph = trace({ value: expression }, "f64");
  let n = batch;
  if (n === undefined) {
    for (const node of graph.nodes) {
      if (node.op !== "input" || node.shape[0] !== "batch") continue;
      const rest = node.shape.slice(1).reduce<number>((a, d) => a * (d as number), 1);
      n = (bindings[node.attrs.name ?? ""]?.length ?? 0) / rest;
      break;
    }
  }
  return interpret(graph, bindings, n ?? 1).outputs.value;
}
