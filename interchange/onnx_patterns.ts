/**
 * Layers recognized as a whole in an optimized inference graph and exported
 * as one ONNX operator each, so the exported model reads like the one a
 * person would build (and runs the engine's fused kernels):
 *
 * - **Gemm**: `matmul(a, W) + b`, `b` a vector (or a `[1, n]` row) — the
 *   dense layer with its bias;
 * - **Softmax**: `e / sum(e, axis)` with `e = exp(x − max(x, axis))`;
 * - **LogSoftmax**: `(x − m) − log(sum(exp(x − m), axis))` (the form
 *   `logSoftmax` traces to) or `x − (log(sum(exp(x − m), axis)) + m)`, with
 *   `m = max(x, axis)`;
 * - **LayerNormalization**: `normalize(x)` over the last axis, optionally
 *   `· weight + bias` (layerNorm);
 * - **BatchNormalization** (inference mode): `(x − mean) / √(var + ε)`,
 *   optionally `· weight + bias`, with `mean`, `var`, `weight`, `bias`
 *   per-feature vectors (batchNorm with its running statistics).
 *
 * Dropout needs no pattern: in an inference graph it is the identity and
 * leaves no node.
 *
 * A pattern names the IR nodes whose values the operator reads; nodes inside
 * the pattern are exported only if something else needs them.
 *
 * @module
 */

import type { Graph, Node } from "../compiler/ir/ir.ts";
import { float, int, type OnnxEmitter } from "./onnx_ops.ts";

/** A recognized layer rooted at one node. */
export interface PatternMatch {
  /** The pattern's name, e.g. `"Gemm"`. */
  readonly name: string;
  /** IR nodes whose values the operator reads, in operand order. */
  readonly inputs: readonly number[];
  /** Emits the operator, given the value names of `inputs`; returns the output's name. */
  emit(e: OnnxEmitter, inputs: readonly string[]): string;
}

/** A recognizer: the match rooted at `node`, or null. */
export type Pattern = (graph: Graph, node: Node, users: readonly (readonly number[])[]) =>
  | PatternMatch
  | null;

function axisOf(node: Node): number | null {
  return node.attrs.axis ?? null;
}

/** `add(matmul(a, b), bias)` (either order), the product used only by the add. */
const gemm: Pattern = (graph, node, users) => {
  if (node.op !== "add") return null;
  for (const [p, q] of [[0, 1], [1, 0]]) {
    const product = graph.nodes[node.inputs[p]];
    const bias = graph.nodes[node.inputs[q]];
    const n = product.shape[1];
    const row = bias.shape.length === 1 ? bias.shape[0] === n : bias.shape.length === 2 &&
      bias.shape[0] === 1 && bias.shape[1] === n;
    if (product.op !== "matmul" || users[product.id].length !== 1 || !row) continue;
    const transA = product.attrs.transA ?? false;
    const transB = product.attrs.transB ?? false;
    return {
      name: "Gemm",
      inputs: [product.inputs[0], product.inputs[1], bias.id],
      emit: (e, [a, b, c]) =>
        e.op("Gemm", [a, b, c], { transA: int(transA ? 1 : 0), transB: int(transB ? 1 : 0) }),
    };
  }
  return null;
};

/** `exp(sub(x, max(x, axis)))`: the stable exponential both softmaxes start from. */
function shiftedExp(graph: Graph, node: Node): { x: number; max: Node; axis: number } | null {
  if (node.op !== "exp") return null;
  const shifted = graph.nodes[node.inputs[0]];
  if (shifted.op !== "sub") return null;
  const [x, m] = shifted.inputs;
  const max = graph.nodes[m];
  const axis = axisOf(max);
  if (max.op !== "max" || max.inputs[0] !== x || axis === null) return null;
  return { x, max, axis };
}

/** `div(e, sum(e, axis))`, `e` the shifted exponential over the same axis. */
const softmax: Pattern = (graph, node) => {
  if (node.op !== "div") return null;
  const [numerator, denominator] = node.inputs.map((i) => graph.nodes[i]);
  const e = shiftedExp(graph, numerator);
  if (e === null || denominator.op !== "sum" || denominator.inputs[0] !== numerator.id) {
    return null;
  }
  if (axisOf(denominator) !== e.axis) return null;
  return {
    name: "Softmax",
    inputs: [e.x],
    emit: (em, [x]) => em.op("Softmax", [x], { axis: int(e.axis) }),
  };
};

/**
 * `sub(d, log(sum(exp(d), axis)))` with `d = x − max(x, axis)`, or
 * `sub(x, add(log(sum(e, axis)), m))`, `e` the shifted exponential, `m` its max.
 */
const logSoftmax: Pattern = (graph, node) => {
  if (node.op !== "sub") return null;
  const [x, lse] = node.inputs;
  const logOfSum = graph.nodes[lse];
  if (logOfSum.op === "log") {
    const sum = graph.nodes[logOfSum.inputs[0]];
    const exp = graph.nodes[sum.inputs[0] ?? 0];
    const e = sum.op === "sum" ? shiftedExp(graph, exp) : null;
    if (e !== null && exp.inputs[0] === x && axisOf(sum) === e.axis) {
      return {
        name: "LogSoftmax",
        inputs: [e.x],
        emit: (em, [v]) => em.op("LogSoftmax", [v], { axis: int(e.axis) }),
      };
    }
  }
  const total = graph.nodes[lse];
  if (total.op !== "add") return null;
  for (const [p, q] of [[0, 1], [1, 0]]) {
    const log = graph.nodes[total.inputs[p]];
    if (log.op !== "log") continue;
    const sum = graph.nodes[log.inputs[0]];
    if (sum.op !== "sum") continue;
    const e = shiftedExp(graph, graph.nodes[sum.inputs[0]]);
    if (e === null || e.x !== x || e.max.id !== total.inputs[q] || axisOf(sum) !== e.axis) {
      continue;
    }
    return {
      name: "LogSoftmax",
      inputs: [x],
      emit: (em, [v]) => em.op("LogSoftmax", [v], { axis: int(e.axis) }),
    };
  }
  return null;
};

/** A `[n]` vector, n the last dimension of `like`. */
function isFeatureVector(node: Node, like: Node): boolean {
  return node.shape.length === 1 && node.shape[0] === like.shape[like.shape.length - 1];
}

/**
 * `add(mul(y, weight), bias)` with per-feature vectors, `y` used only by the
 * product and the product only by the sum: the affine part of a normalization.
 */
function affine(
  graph: Graph,
  node: Node,
  users: readonly (readonly number[])[],
): { y: Node; weight: number; bias: number } | null {
  if (node.op !== "add") return null;
  const [product, bias] = node.inputs.map((i) => graph.nodes[i]);
  if (product.op !== "mul" || users[product.id].length !== 1) return null;
  const [y, weight] = product.inputs.map((i) => graph.nodes[i]);
  if (users[y.id].length !== 1 || !isFeatureVector(weight, y) || !isFeatureVector(bias, y)) {
    return null;
  }
  return { y, weight: weight.id, bias: bias.id };
}

/** `normalize(x)` over the last axis, with or without the affine part. */
const layerNormalization: Pattern = (graph, node, users) => {
  const scaled = affine(graph, node, users);
  const norm = scaled?.y ?? node;
  const axis = norm.attrs.axis;
  if (norm.op !== "normalize" || norm.shape.length !== 2 || axis !== 1) return null;
  const epsilon = float(norm.attrs.eps ?? 0);
  const features = norm.shape[1] as number;
  return {
    name: "LayerNormalization",
    inputs: scaled === null ? [norm.inputs[0]] : [norm.inputs[0], scaled.weight, scaled.bias],
    emit: (e, [x, weight, bias]) =>
      e.op(
        "LayerNormalization",
        [x, weight ?? e.tensor(new Array(features).fill(1), [features]), ...(bias ? [bias] : [])],
        { axis: int(-1), epsilon },
      ),
  };
};

/** `div(sub(x, mean), sqrt(add(var, ε)))`, per-feature mean and var, with or without affine. */
const batchNormalization: Pattern = (graph, node, users) => {
  const scaled = affine(graph, node, users);
  const quotient = scaled?.y ?? node;
  if (quotient.op !== "div" || quotient.shape.length !== 2) return null;
  const [centered, deviation] = quotient.inputs.map((i) => graph.nodes[i]);
  if (centered.op !== "sub" || deviation.op !== "sqrt") return null;
  const [x, mean] = centered.inputs.map((i) => graph.nodes[i]);
  const shifted = graph.nodes[deviation.inputs[0]];
  if (shifted.op !== "add") return null;
  const [variance, eps] = shifted.inputs.map((i) => graph.nodes[i]);
  if (
    eps.op !== "const" || x.shape.length !== 2 || !isFeatureVector(mean, x) ||
    !isFeatureVector(variance, x)
  ) {
    return null;
  }
  const features = x.shape[1] as number;
  return {
    name: "BatchNormalization",
    inputs: [x.id, mean.id, variance.id, ...(scaled === null ? [] : [scaled.weight, scaled.bias])],
    emit: (e, [v, m, s, weight, bias]) =>
      e.op("BatchNormalization", [
        v,
        weight ?? e.tensor(new Array(features).fill(1), [features]),
        bias ?? e.tensor(new Array(features).fill(0), [features]),
        m,
        s,
      ], { epsilon: float(eps.attrs.value ?? 0) }),
  };
};

/** The recognizers, tried in order at every node. */
export const PATTERNS: readonly Pattern[] = [
  gemm,
  softmax,
  logSoftmax,
  layerNormalization,
  batchNormalization,
];
