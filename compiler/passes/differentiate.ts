/**
 * Reverse-mode differentiation, graph → graph.
 *
 * Assumes: a verified graph whose output `of` is a scalar.
 * Guarantees: the returned graph holds every original node unchanged (same
 * ids), followed by gradient nodes built only from op-table VJP rules, plus
 * one output `grad:<name>` per requested input. Gradients of a value used
 * several times are summed; gradients of broadcast operands are reduced back
 * to the operand's shape by the VJP rules (`unbroadcast`). An input the output
 * does not depend on gets a zero gradient. The VJP rules come from the op
 * table; tests pass a table with a planted wrong rule to show the gradient
 * check catches it.
 *
 * @module
 */

import { CompileError } from "../../core/errors.ts";
import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph } from "../ir/ir.ts";
import { type OpDef, OPS } from "../ir/ops.ts";
import type { OpName } from "../ir/ir.ts";
import { formatShape, sameShape } from "../../core/shape.ts";

/** The prefix of gradient outputs: `grad:0.weight`. */
export const GRAD_PREFIX = "grad:";

/**
 * Appends the gradient of output `of` with respect to the inputs named `wrt`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { differentiate } from "./differentiate.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mul, sum } from "../frontend/tensor.ts";
 * const x = input("x", [3]);
 * const g = differentiate(trace({ loss: sum(mul(x, x)) }), "loss", ["x"]);
 * assert.ok(g.outputs.some((o) => o.name === "grad:x"));
 * ```
 */
export function differentiate(
  graph: Graph,
  of: string,
  wrt: readonly string[],
  rules: { readonly [K in OpName]: OpDef } = OPS,
): Graph {
  const output = graph.outputs.find((o) => o.name === of);
  if (output === undefined) {
    throw new CompileError(`differentiate: the graph has no output "${of}"`);
  }
  const outShape = graph.nodes[output.node].shape;
  if (outShape.length !== 0) {
    throw new CompileError(`differentiate: "${of}" must be a scalar, got ${formatShape(outShape)}`);
  }
  const inputIds = new Map<string, number>();
  for (const node of graph.nodes) {
    if (node.op === "input") inputIds.set(node.attrs.name ?? "", node.id);
  }
  for (const name of wrt) {
    if (!inputIds.has(name)) {
      throw new CompileError(
        `differentiate: no input named "${name}" (inputs: ${[...inputIds.keys()].join(", ")})`,
      );
    }
  }

  // Only nodes that depend on a requested input need a gradient.
  const wanted = new Set(wrt.map((name) => inputIds.get(name)!));
  const dependsOnWrt = graph.nodes.map(() => false);
  for (const node of graph.nodes) {
    dependsOnWrt[node.id] = wanted.has(node.id) || node.inputs.some((i) => dependsOnWrt[i]);
  }

  const builder = new GraphBuilder(graph.dtype, graph.nodes);
  const contributions: number[][] = graph.nodes.map(() => []);
  contributions[output.node].push(builder.emit("const", [], { value: 1 }));

  for (let id = output.node; id >= 0; id--) {
    const node = graph.nodes[id];
    if (contributions[id].length === 0 || node.op === "input") continue;
    const g = sumAll(builder, contributions[id]);
    const grads = rules[node.op].vjp(builder, node, g);
    node.inputs.forEach((operand, k) => {
      const grad = grads[k];
      if (grad === null || grad === undefined || !dependsOnWrt[operand]) return;
      if (!sameShape(builder.shapeOf(grad), graph.nodes[operand].shape)) {
        throw new Error(
          `internal: VJP of ${node.op} gave ${formatShape(builder.shapeOf(grad))} ` +
            `for an operand of ${formatShape(graph.nodes[operand].shape)}`,
        );
      }
      contributions[operand].push(grad);
    });
  }

  const gradOutputs = wrt.map((name) => {
    const id = inputIds.get(name)!;
    const parts = contributions[id];
    const node = parts.length > 0 ? sumAll(builder, parts) : builder.emit("broadcast", [
      builder.emit("const", [], { value: 0 }),
    ], { shape: graph.nodes[id].shape });
    return { name: GRAD_PREFIX + name, node };
  });
  return builder.finish([...graph.outputs, ...gradOutputs], graph.updates);
}

function sumAll(builder: GraphBuilder, parts: readonly number[]): number {
  return parts.slice(1).reduce((acc, part) => builder.emit("add", [acc, part]), parts[0]);
}
