/**
 * How each primitive op of the IR becomes ONNX operators (opset 17): one
 * entry per op, typed over `OpName`, so an op added to the IR without an
 * entry here is a type error. An entry of `null` means the op has no ONNX
 * equivalent in an inference graph (the losses' fused kernels); exporting a
 * graph that holds one is an error naming the node.
 *
 * Composite layers are recognized as a whole before this table is consulted
 * (`onnx_patterns.ts`: Gemm, Softmax, LogSoftmax); everything else is
 * exported op by op, which keeps any custom expression exportable as long as
 * its primitives are.
 *
 * @module
 */

import type { Node, OpName } from "../compiler/ir/ir.ts";
import type { DType, Shape } from "../core/shape.ts";

/** An attribute of an ONNX node. */
export type OnnxAttribute =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "ints"; readonly value: readonly number[] }
  | { readonly kind: "float"; readonly value: number };

/** An integer attribute. */
export const int = (value: number): OnnxAttribute => ({ kind: "int", value });
/** A list-of-integers attribute. */
export const ints = (value: readonly number[]): OnnxAttribute => ({ kind: "ints", value });
/** A float attribute. */
export const float = (value: number): OnnxAttribute => ({ kind: "float", value });

/** ONNX element types used here (`TensorProto.DataType`). */
export const ONNX_TYPES = { float: 1, bool: 9, int64: 7, double: 11 } as const;

/** What a rule may add to the ONNX graph under construction; each returns a value name. */
export interface OnnxEmitter {
  /** The model's element type. */
  readonly dtype: DType;
  /** The ONNX element type of the model's tensors (FLOAT or DOUBLE). */
  readonly elemType: number;
  /** Adds a node with one output; returns the output's name. */
  op(
    type: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, OnnxAttribute>>,
  ): string;
  /** A scalar constant of the model's element type. */
  scalar(value: number): string;
  /** A constant tensor of the model's element type. */
  tensor(values: readonly number[], shape: readonly number[]): string;
  /** A 1-D int64 constant. */
  int64s(values: readonly number[]): string;
  /** The value of an `input` node: the data input, or a parameter's initializer. */
  bind(node: Node): string;
  /** The run-time batch size, as a scalar of the model's element type. */
  batchSize(): string;
  /** A 1-D int64 shape tensor; `"batch"` is read from the data input at run time. */
  shape(shape: Shape): string;
}

/** Emits the ONNX nodes of one IR node, given its operands' value names. */
export type OnnxRule = (e: OnnxEmitter, node: Node, inputs: readonly string[]) => string;

/** The table: one entry per IR op. */
export type OnnxTable = { readonly [K in OpName]: OnnxRule | null };

const unary = (type: string): OnnxRule => (e, _node, [x]) => e.op(type, [x]);
const binary = (type: string): OnnxRule => (e, _node, [a, b]) => e.op(type, [a, b]);

/** 1.0 where the comparison holds, else 0.0, in the model's element type. */
const compare = (type: string): OnnxRule => (e, _node, inputs) =>
  e.op("Cast", [e.op(type, inputs)], { to: int(e.elemType) });

/**
 * The IR → ONNX table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ONNX_OPS } from "./onnx_ops.ts";
 * assert.ok(ONNX_OPS.relu !== null && ONNX_OPS.softmaxce === null);
 * ```
 */
export const ONNX_OPS: OnnxTable = {
  input: (e, node) => e.bind(node),
  const: (e, node) => e.scalar(node.attrs.value ?? 0),
  // The element count a mean divides by: fixed, or the batch size times the fixed part.
  count: (e, node) => {
    const shape = node.attrs.shape ?? [];
    const axis = node.attrs.axis;
    const counted = axis === null || axis === undefined ? shape : [shape[axis]];
    const fixed = counted.reduce<number>((n, d) => n * (d === "batch" ? 1 : d), 1);
    if (!counted.includes("batch")) return e.scalar(fixed);
    return e.op("Mul", [e.batchSize(), e.scalar(fixed)]);
  },
  add: binary("Add"),
  sub: binary("Sub"),
  mul: binary("Mul"),
  div: binary("Div"),
  neg: unary("Neg"),
  exp: unary("Exp"),
  log: unary("Log"),
  tanh: unary("Tanh"),
  sigmoid: unary("Sigmoid"),
  relu: unary("Relu"),
  // step(x) = x > 0 ? 1 : 0
  step: (e, _node, [x]) =>
    e.op("Cast", [e.op("Greater", [x, e.scalar(0)])], { to: int(e.elemType) }),
  ge: compare("GreaterOrEqual"),
  sqrt: unary("Sqrt"),
  // ONNX has no expm1 or log1p: the plain forms (less accurate near 0).
  expm1: (e, _node, [x]) => e.op("Sub", [e.op("Exp", [x]), e.scalar(1)]),
  log1p: (e, _node, [x]) => e.op("Log", [e.op("Add", [x, e.scalar(1)])]),
  erf: unary("Erf"),
  // select(c, a, b) = c > 0 ? a : b
  select: (e, _node, [c, a, b]) => e.op("Where", [e.op("Greater", [c, e.scalar(0)]), a, b]),
  leakyrelu: (e, node, [x]) => e.op("LeakyRelu", [x], { alpha: float(node.attrs.alpha ?? 0.01) }),
  // PyTorch's elu(x; α, scale, inputScale): Elu, Selu or Celu where one fits, else written out.
  elu: (e, node, [x]) => {
    const alpha = node.attrs.alpha ?? 1;
    const scale = node.attrs.scale ?? 1;
    const inputScale = node.attrs.inputScale ?? 1;
    if (inputScale === 1 && scale === 1) return e.op("Elu", [x], { alpha: float(alpha) });
    if (inputScale === 1) return e.op("Selu", [x], { alpha: float(alpha), gamma: float(scale) });
    if (scale === 1 && inputScale === 1 / alpha) return e.op("Celu", [x], { alpha: float(alpha) });
    const negative = e.op("Mul", [
      e.op("Sub", [e.op("Exp", [e.op("Mul", [x, e.scalar(inputScale)])]), e.scalar(1)]),
      e.scalar(alpha * scale),
    ]);
    const positive = e.op("Mul", [x, e.scalar(scale)]);
    return e.op("Where", [e.op("Greater", [x, e.scalar(0)]), positive, negative]);
  },
  // log(1 + e^(βx))/β, and x where βx > threshold
  softplus: (e, node, [x]) => {
    const beta = node.attrs.beta ?? 1;
    const bx = beta === 1 ? x : e.op("Mul", [x, e.scalar(beta)]);
    const soft = e.op("Softplus", [bx]);
    const value = beta === 1 ? soft : e.op("Div", [soft, e.scalar(beta)]);
    const t = node.attrs.threshold;
    if (t === undefined) return value;
    return e.op("Where", [e.op("Greater", [bx, e.scalar(t)]), x, value]);
  },
  hardtanh: (e, node, [x]) =>
    e.op("Clip", [x, e.scalar(node.attrs.low ?? -1), e.scalar(node.attrs.high ?? 1)]),
  hardswish: unary("HardSwish"),
  stopgrad: unary("Identity"),
  broadcast: (e, node, [x]) => e.op("Expand", [x, e.shape(node.attrs.shape ?? [])]),
  // The batch dimension, always first, is the one ONNX infers (-1).
  reshape: (e, node, [x]) =>
    e.op("Reshape", [x, e.int64s((node.attrs.shape ?? []).map((d) => (d === "batch" ? -1 : d)))]),
  matmul: (e, node, [a, b]) =>
    node.attrs.transA || node.attrs.transB
      ? e.op("Gemm", [a, b], {
        transA: int(node.attrs.transA ? 1 : 0),
        transB: int(node.attrs.transB ? 1 : 0),
      })
      : e.op("MatMul", [a, b]),
  // A reduction over one axis keeps it (size 1), as the IR does; over all axes, a scalar.
  sum: (e, node, [x]) =>
    node.attrs.axis === null || node.attrs.axis === undefined
      ? e.op("ReduceSum", [x], { keepdims: int(0) })
      : e.op("ReduceSum", [x, e.int64s([node.attrs.axis])], { keepdims: int(1) }),
  max: (e, node, [x]) =>
    node.attrs.axis === null || node.attrs.axis === undefined
      ? e.op("ReduceMax", [x], { keepdims: int(0) })
      : e.op("ReduceMax", [x], { axes: ints([node.attrs.axis]), keepdims: int(1) }),
  // Training-only kernels of the losses: never part of a model's prediction.
  onehot: null,
  // Constant tensors only come from the losses (class weights).
  literal: null,
  softmaxce: null,
  softmaxcegrad: null,
  // (x − mean)/√(var + eps) along one axis, biased variance, from primitives
  // (opset 17's ReduceMean takes its axes as an attribute).
  normalize: (e, node, [x]) => {
    const axes = { axes: ints([node.attrs.axis ?? 0]), keepdims: int(1) };
    const centered = e.op("Sub", [x, e.op("ReduceMean", [x], axes)]);
    const variance = e.op("ReduceMean", [e.op("Mul", [centered, centered])], axes);
    const eps = e.scalar(node.attrs.eps ?? 0);
    return e.op("Div", [centered, e.op("Sqrt", [e.op("Add", [variance, eps])])]);
  },
  // Train mode only: a gradient, and dropout's mask (in an inference graph the
  // dropout layer is the identity and leaves no node).
  normalizegrad: null,
  dropout: null,
  concat: (e, _node, [a, b]) => e.op("Concat", [a, b], { axis: int(-1) }),
  slice: (e, node, [x]) => {
    const start = node.attrs.start ?? 0;
    const end = start + (node.attrs.size ?? 0);
    return e.op("Slice", [x, e.int64s([start]), e.int64s([end]), e.int64s([-1])]);
  },
  // Index inputs (token ids, bags, sparse rows) are not exported: the exporter
  // refuses such models before it reaches these ops (see onnx.ts).
  gather: null,
  scatteradd: null,
  bag: null,
  bagscatter: null,
  spmm: null,
  spmmscatter: null,
  spmmdot: null,
};
