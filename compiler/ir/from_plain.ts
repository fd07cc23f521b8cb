/**
 * Reading a graph back from plain data (a saved model's `artifact.graphs`):
 * the data came from a file, so every field is checked for its type before
 * the verifier checks the graph's rules. Anything wrong is a `CompileError`
 * naming the graph and the node — never a raw `TypeError`.
 *
 * @module
 */

import type { PlainGraph } from "../../core/artifact.ts";
import { CompileError, MlpcError } from "../../core/errors.ts";
import type { Attrs, Graph, Node, OpName } from "./ir.ts";
import { OPS } from "./ops.ts";
import { verify } from "./verify.ts";

const ATTR_TYPES: { readonly [K in keyof Required<Attrs>]: (v: unknown) => boolean } = {
  name: (v) => typeof v === "string",
  kind: (v) =>
    ["param", "state", "running", "data", "label", "scalar", "rng"].includes(v as string),
  init: (v) => typeof v === "string" || (isRecord(v) && typeof v.kind === "string"),
  value: (v) => typeof v === "number" && Number.isFinite(v),
  axis: (v) => v === null || Number.isInteger(v),
  transA: (v) => typeof v === "boolean",
  transB: (v) => typeof v === "boolean",
  shape: (v) => isShape(v),
  classes: (v) => Number.isInteger(v),
  alpha: (v) => isFinite(v),
  scale: (v) => isFinite(v),
  inputScale: (v) => isFinite(v),
  beta: (v) => isFinite(v),
  threshold: (v) => isFinite(v),
  low: (v) => isFinite(v),
  high: (v) => isFinite(v),
  values: (v) => Array.isArray(v) && v.every(isFinite),
  eps: (v) => typeof v === "number" && Number.isFinite(v),
  p: (v) => typeof v === "number" && Number.isFinite(v),
  stream: (v) => Number.isInteger(v),
  start: (v) => Number.isInteger(v),
  size: (v) => Number.isInteger(v),
  pool: (v) => v === "sum" || v === "mean",
  rows: (v) => Number.isInteger(v),
  mode: (v) => v === "train" || v === "inference",
};

function isFinite(v: unknown): boolean {
  return typeof v === "number" && Number.isFinite(v);
}

function isShape(v: unknown): boolean {
  return Array.isArray(v) && v.every((d) => d === "batch" || Number.isInteger(d));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Checks plain data and returns it as a verified graph; `what` names the
 * graph in errors (e.g. `"predict"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromPlain } from "./from_plain.ts";
 * const g = graphFromPlain({
 *   dtype: "f32",
 *   nodes: [
 *     { id: 0, op: "input", inputs: [], shape: [2], attrs: { name: "x", kind: "data", shape: [2] } },
 *     { id: 1, op: "neg", inputs: [0], shape: [2], attrs: {} },
 *   ],
 *   outputs: [{ name: "y", node: 1 }],
 *   updates: [],
 * }, "example");
 * assert.ok(g.nodes[1].op === "neg");
 * assert.throws(() => graphFromPlain({ ...g, nodes: [{ ...g.nodes[0], op: "eval" }] }, "bad"));
 * ```
 */
export function graphFromPlain(plain: PlainGraph, what: string): Graph {
  const fail = (why: string): never => {
    throw new CompileError(`The saved ${what} graph is damaged: ${why}`);
  };
  const raw: unknown = plain;
  if (!isRecord(raw)) return fail("it is not an object");
  if (raw.dtype !== "f32" && raw.dtype !== "f64") fail(`dtype ${JSON.stringify(raw.dtype)}`);
  if (!Array.isArray(raw.nodes)) return fail("nodes is not a list");
  const nodes: Node[] = raw.nodes.map((n: unknown, index: number): Node => {
    const at = `node ${index}`;
    if (!isRecord(n)) return fail(`${at} is not an object`);
    if (typeof n.op !== "string" || !Object.hasOwn(OPS, n.op)) {
      return fail(`${at} has an unknown op ${JSON.stringify(n.op)}`);
    }
    if (!Array.isArray(n.inputs) || !n.inputs.every((i) => Number.isInteger(i))) {
      return fail(`${at} (${n.op}) has malformed operands`);
    }
    if (!isShape(n.shape)) return fail(`${at} (${n.op}) has a malformed shape`);
    if (!isRecord(n.attrs)) return fail(`${at} (${n.op}) has malformed attributes`);
    const attrs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(n.attrs)) {
      if (value === undefined) continue;
      const check = Object.hasOwn(ATTR_TYPES, key) ? ATTR_TYPES[key as keyof Attrs] : undefined;
      if (check === undefined || !check(value)) {
        fail(`${at} (${n.op}) has a bad attribute ${key} = ${JSON.stringify(value)}`);
      }
      attrs[key] = value;
    }
    return {
      id: n.id as number,
      op: n.op as OpName,
      inputs: n.inputs as number[],
      shape: n.shape as Node["shape"],
      attrs: attrs as Attrs,
    };
  });
  const entries = (list: unknown, what: string, key: string): [string, number][] => {
    if (!Array.isArray(list)) return fail(`${what}s is not a list`);
    return list.map((o: unknown): [string, number] => {
      if (!isRecord(o) || typeof o[key] !== "string" || !Number.isInteger(o.node)) {
        return fail(`malformed ${what} ${JSON.stringify(o)}`);
      }
      return [o[key] as string, o.node as number];
    });
  };
  const graph: Graph = {
    dtype: raw.dtype as Graph["dtype"],
    nodes,
    outputs: entries(raw.outputs, "output", "name").map(([name, node]) => ({ name, node })),
    updates: entries(raw.updates, "update", "target").map(([target, node]) => ({ target, node })),
  };
  try {
    return verify(graph);
  } catch (e) {
    if (e instanceof MlpcError) return fail(e.message);
    throw e;
  }
}
