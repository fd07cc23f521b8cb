/**
 * The graph IR: plain, immutable data. A graph is a flat list of nodes in
 * topological order (a node's inputs always have smaller ids), a list of named
 * outputs, and a list of updates (a new value for a parameter or optimizer
 * state input, written at the end of the step). Passes are pure functions
 * `Graph → Graph` that build new arrays; nothing here holds a back-pointer.
 *
 * @module
 */

import type { Initializer, InputKind } from "../../core/contract.ts";
import type { DType, Shape } from "../../core/shape.ts";

export type { Initializer, InputKind };

/** Every primitive op. Each has exactly one row in the op table (`ops.ts`). */
export type OpName =
  | "input"
  | "const"
  | "count"
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "neg"
  | "exp"
  | "log"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "step"
  | "ge"
  | "sqrt"
  | "expm1"
  | "log1p"
  | "erf"
  | "select"
  | "leakyrelu"
  | "elu"
  | "softplus"
  | "hardtanh"
  | "hardswish"
  | "stopgrad"
  | "broadcast"
  | "reshape"
  | "matmul"
  | "sum"
  | "max"
  | "onehot"
  | "literal"
  | "softmaxce"
  | "softmaxcegrad"
  | "normalize"
  | "normalizegrad"
  | "dropout"
  | "concat"
  | "slice"
  | "gather"
  | "scatteradd"
  | "bag"
  | "bagscatter"
  | "spmm"
  | "spmmscatter"
  | "spmmdot";

/**
 * The mode a graph is traced in: `train` (the training step: dropout masks,
 * batch statistics) or `inference` (predict and evaluate: dropout is the
 * identity, batch norm uses its running statistics).
 */
export type Mode = "train" | "inference";

/** Attributes of a node; which ones are set depends on the op. */
export interface Attrs {
  /** `input`: the input's unique name, e.g. `"0.weight"`. */
  readonly name?: string;
  /** `input`: what the input stands for. */
  readonly kind?: InputKind;
  /** `input` of kind `param`: how its initial values are drawn. */
  readonly init?: Initializer;
  /** `const`: the scalar value. */
  readonly value?: number;
  /** `sum`, `max`, `count`: the axis reduced, or `null` for all axes. */
  readonly axis?: number | null;
  /** `matmul`: use the transpose of the left operand. */
  readonly transA?: boolean;
  /** `matmul`: use the transpose of the right operand. */
  readonly transB?: boolean;
  /** `broadcast`, `reshape`: the target shape; `count`: the shape counted. */
  readonly shape?: Shape;
  /** `onehot`: the number of classes. */
  readonly classes?: number;
  /** `leakyrelu`: the slope for x ≤ 0; `elu`: the α of α·(e^x − 1). */
  readonly alpha?: number;
  /** `elu`: the factor of the whole result (SELU's λ; 1 for ELU and CELU). */
  readonly scale?: number;
  /** `elu`: the factor of x inside the exponential (1/α for CELU; else 1). */
  readonly inputScale?: number;
  /** `softplus`: the β of log(1 + e^(βx))/β. */
  readonly beta?: number;
  /** `softplus`: above this βx the result is x (none when omitted). */
  readonly threshold?: number;
  /** `hardtanh`: the lower end of the output range. */
  readonly low?: number;
  /** `hardtanh`: the upper end of the output range. */
  readonly high?: number;
  /** `literal`: the values, row-major. */
  readonly values?: readonly number[];
  /** `normalize`, `normalizegrad`: added to the variance. */
  readonly eps?: number;
  /** `dropout`: the probability that an element is zeroed. */
  readonly p?: number;
  /** `dropout`: the layer's random stream (a hash of its name). */
  readonly stream?: number;
  /** `slice`: the first column taken. */
  readonly start?: number;
  /** `slice`: the number of columns taken. */
  readonly size?: number;
  /** `bag`, `bagscatter`: how a bag's rows are pooled — their sum, or their mean. */
  readonly pool?: "sum" | "mean";
  /** `scatteradd`, `bagscatter`, `spmmscatter`: rows of the result (the table's). */
  readonly rows?: number;
  /**
   * Set on the nodes a layer computes differently in the other mode (dropout's
   * mask, batch norm's statistics), so printed graphs show where the train
   * and inference graphs differ. Documentation only: no pass reads it.
   */
  readonly mode?: Mode;
}

/** One node: an op applied to earlier nodes, with its static shape. */
export interface Node {
  /** Index of this node in `Graph.nodes`. */
  readonly id: number;
  /** The primitive op. */
  readonly op: OpName;
  /** Ids of the operand nodes, all smaller than `id`. */
  readonly inputs: readonly number[];
  /** Static shape of the result. */
  readonly shape: Shape;
  /** Op-specific attributes. */
  readonly attrs: Attrs;
}

/** A named result of the graph. */
export interface Output {
  /** The name the runtime reads it by, e.g. `"loss"`. */
  readonly name: string;
  /** The node holding the value. */
  readonly node: number;
}

/** A new value for an input (a parameter or optimizer state), applied after the step. */
export interface Update {
  /** Name of the `input` node that receives the value. */
  readonly target: string;
  /** The node holding the new value. */
  readonly node: number;
}

/** A whole program: nodes in topological order, outputs and updates. */
export interface Graph {
  /** Element type of every tensor. */
  readonly dtype: DType;
  /** Nodes; `nodes[i].id === i`, inputs of a node precede it. */
  readonly nodes: readonly Node[];
  /** Named results. */
  readonly outputs: readonly Output[];
  /** State updates applied at the end of the step, in order. */
  readonly updates: readonly Update[];
}

/**
 * For each node id, the ids of the nodes that use it (in increasing order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consumers, type Graph } from "./ir.ts";
 * const g: Graph = { dtype: "f32", outputs: [], updates: [], nodes: [
 *   { id: 0, op: "input", inputs: [], shape: [2], attrs: { name: "x", kind: "data" } },
 *   { id: 1, op: "neg", inputs: [0], shape: [2], attrs: {} },
 * ] };
 * assert.ok(consumers(g)[0].join() === "1");
 * ```
 */
export function consumers(graph: Graph): number[][] {
  const users: number[][] = graph.nodes.map(() => []);
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (!users[input].includes(node.id)) users[input].push(node.id);
    }
  }
  return users;
}
