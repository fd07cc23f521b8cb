/**
 * The verifier: re-checks every structural rule of a graph. `optimize`
 * (`passes/pipeline.ts`) runs it on its input and after every pass, so every
 * compile verifies each intermediate graph.
 *
 * Checks: ids are dense and in order; operands precede their user; arity and
 * shapes agree with the op table; input names are unique; outputs and updates
 * name existing nodes; an update targets a param, state or running input of
 * the same shape.
 *
 * @module
 */

import { CompileError } from "../../core/errors.ts";
import type { Graph } from "./ir.ts";
import { inferShape, OPS } from "./ops.ts";
import { formatNode } from "./print_graph.ts";
import { formatShape, sameShape } from "../../core/shape.ts";

/**
 * Returns the graph unchanged, or throws a `CompileError` naming the first
 * node that breaks a rule.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verify } from "./verify.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, neg } from "../frontend/tensor.ts";
 * const g = trace({ y: neg(input("x", [2])) });
 * assert.ok(verify(g) === g);
 * ```
 */
export function verify(graph: Graph): Graph {
  const names = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    const fail = (why: string): never => {
      throw new CompileError(`verify: ${formatNode(node, graph.dtype)}: ${why}`);
    };
    if (node.id !== index) fail(`id ${node.id} at position ${index}`);
    if (!(node.op in OPS)) fail(`unknown op "${node.op}"`);
    if (node.inputs.length !== OPS[node.op].arity) {
      fail(`${node.op} takes ${OPS[node.op].arity} operand(s), has ${node.inputs.length}`);
    }
    for (const operand of node.inputs) {
      if (!Number.isInteger(operand) || operand < 0 || operand >= index) {
        fail(`operand %${operand} does not precede it`);
      }
    }
    const expected = inferShape(node.op, node.inputs.map((i) => graph.nodes[i].shape), node.attrs);
    if (!sameShape(expected, node.shape)) {
      fail(`shape should be ${formatShape(expected)}`);
    }
    if (node.op === "input") {
      const name = node.attrs.name ?? "";
      if (names.has(name)) fail(`input name "${name}" is also used by %${names.get(name)}`);
      names.set(name, node.id);
    }
  });
  const exists = (id: number) => Number.isInteger(id) && id >= 0 && id < graph.nodes.length;
  for (const o of graph.outputs) {
    if (!exists(o.node)) {
      throw new CompileError(`verify: output ${o.name} names missing node %${o.node}`);
    }
  }
  for (const u of graph.updates) {
    const target = names.get(u.target);
    if (target === undefined) {
      throw new CompileError(`verify: update of unknown input "${u.target}"`);
    }
    const kind = graph.nodes[target].attrs.kind;
    if (kind !== "param" && kind !== "state" && kind !== "running") {
      throw new CompileError(`verify: update of "${u.target}", a ${kind} input`);
    }
    if (!exists(u.node) || !sameShape(graph.nodes[u.node].shape, graph.nodes[target].shape)) {
      throw new CompileError(`verify: update of "${u.target}" by %${u.node} of another shape`);
    }
  }
  return graph;
}
