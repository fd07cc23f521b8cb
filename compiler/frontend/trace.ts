/**
 * Tracing: turns tensor expressions (a DAG of immutable objects) into a flat
 * graph in topological order. A tensor object used several times becomes one
 * node; inputs with the same name become one node (and must agree on shape).
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { GraphBuilder } from "../ir/graph_builder.ts";
import type { Graph } from "../ir/ir.ts";
import { type DType, formatShape, sameShape } from "../../core/shape.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Builds the graph computing the named outputs, and optionally updates: new
 * values of state inputs (by name) written at the end of a step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trace } from "./trace.ts";
 * import { add, input } from "./tensor.ts";
 * const x = input("x", [3]);
 * const g = trace({ y: add(x, x) });
 * assert.ok(g.nodes.length === 2 && g.outputs[0].name === "y");
 * ```
 */
export function trace(
  outputs: Record<string, Tensor>,
  dtype: DType = "f32",
  updates: Readonly<Record<string, Tensor>> = {},
): Graph {
  const builder = new GraphBuilder(dtype);
  const ids = new Map<Tensor, number>();
  const inputsByName = new Map<string, number>();

  const visit = (root: Tensor): number => {
    // Iterative post-order, so deep models do not overflow the stack.
    const stack: { tensor: Tensor; expanded: boolean }[] = [{ tensor: root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (ids.has(top.tensor)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        for (const operand of [...top.tensor.inputs].reverse()) {
          if (!ids.has(operand)) stack.push({ tensor: operand, expanded: false });
        }
        continue;
      }
      stack.pop();
      ids.set(top.tensor, add(top.tensor));
    }
    return ids.get(root)!;
  };

  const add = (t: Tensor): number => {
    if (t.op === "input") {
      const name = t.attrs.name ?? "";
      const existing = inputsByName.get(name);
      if (existing !== undefined) {
        const previous = builder.node(existing);
        if (!sameShape(previous.shape, t.shape) || previous.attrs.kind !== t.attrs.kind) {
          throw new ShapeError(
            `Input "${name}" is used with two different definitions: ` +
              `${previous.attrs.kind} ${formatShape(previous.shape)} and ${t.attrs.kind} ${
                formatShape(t.shape)
              }`,
          );
        }
        return existing;
      }
      const id = builder.push("input", [], t.attrs, t.shape);
      inputsByName.set(name, id);
      return id;
    }
    return builder.push(t.op, t.inputs.map((i) => ids.get(i)!), t.attrs, t.shape);
  };

  const named = Object.entries(outputs).map(([name, tensor]) => ({ name, node: visit(tensor) }));
  const written = Object.entries(updates).map(([target, tensor]) => ({
    target,
    node: visit(tensor),
  }));
  return builder.finish(named, written);
}

/**
 * Rebuilds tensor expressions from graph nodes: the inverse of `trace`, used
 * by `grad` to hand gradient graphs back as expressions. `inputs` maps input
 * names to the tensors they stand for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trace, untrace } from "./trace.ts";
 * import { input, neg } from "./tensor.ts";
 * const x = input("x", [3]);
 * const g = trace({ y: neg(x) });
 * assert.ok(untrace(g, new Map([["x", x]]))["y"].inputs[0] === x);
 * ```
 */
export function untrace(graph: Graph, inputs: ReadonlyMap<string, Tensor>): Record<string, Tensor> {
  const tensors: Tensor[] = [];
  for (const node of graph.nodes) {
    const bound = node.op === "input" ? inputs.get(node.attrs.name ?? "") : undefined;
    tensors[node.id] = bound ?? Object.freeze({
      op: node.op,
      inputs: Object.freeze(node.inputs.map((i) => tensors[i])),
      shape: node.shape,
      attrs: node.attrs,
    });
  }
  return Object.fromEntries(graph.outputs.map((o) => [o.name, tensors[o.node]]));
}
