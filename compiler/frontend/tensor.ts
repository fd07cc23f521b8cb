/**
 * Symbolic tensors and the primitive operations of the DSL. A `Tensor` is an
 * immutable expression: an op applied to other tensors, with a static shape
 * checked when it is built — so a shape mistake raises a `ShapeError` at the
 * line of the user's model that made it. Nothing is computed here; `trace`
 * turns expressions into a graph.
 *
 * @module
 */

import { RNG_INPUT } from "../../core/contract.ts";
import { ShapeError } from "../../core/errors.ts";
import { checkInitializer } from "../../core/initializers.ts";
import type { Attrs, Initializer, InputKind, OpName } from "../ir/ir.ts";
import { inferShape } from "../ir/ops.ts";
import { formatShape, type Shape } from "../../core/shape.ts";

/** A symbolic tensor: an op over other tensors, with its static shape. */
export interface Tensor {
  /** The primitive op producing this tensor. */
  readonly op: OpName;
  /** Operands. */
  readonly inputs: readonly Tensor[];
  /** Static shape; the first dimension may be `"batch"`. */
  readonly shape: Shape;
  /** Op attributes. */
  readonly attrs: Attrs;
}

/** A tensor, or a number standing for a scalar constant. */
export type TensorLike = Tensor | number;

/** Options of the reductions `sum`, `mean` and `max`. */
export interface ReduceOptions {
  /** Axis to reduce; all axes when omitted. Negative counts from the end. */
  axis?: number;
  /** Keep the reduced axis with size 1 (default `false`). */
  keepdims?: boolean;
}

/**
 * Applies a primitive op of the op table directly (the DSL functions below
 * and the activations are built on it): checks the shapes and returns the
 * frozen tensor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, primitive } from "./tensor.ts";
 * const y = primitive("leakyrelu", [input("x", [3])], { alpha: 0.1 });
 * assert.ok(y.op === "leakyrelu" && y.attrs.alpha === 0.1);
 * ```
 */
export function primitive(op: OpName, inputs: readonly TensorLike[], attrs: Attrs = {}): Tensor {
  return make(op, inputs, attrs);
}

function make(op: OpName, inputs: readonly TensorLike[], attrs: Attrs = {}): Tensor {
  const operands = inputs.map(lift);
  const shape = inferShape(op, operands.map((t) => t.shape), attrs);
  return Object.freeze({ op, inputs: Object.freeze(operands), shape, attrs: Object.freeze(attrs) });
}

function lift(x: TensorLike): Tensor {
  if (typeof x === "number") return constant(x);
  if (x === undefined || x === null || typeof x !== "object" || !("op" in x)) {
    throw new ShapeError(`Expected a tensor or a number, got ${String(x)}`);
  }
  return x;
}

/**
 * A named input of the model: data by default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input } from "./tensor.ts";
 * const x = input("x", ["batch", 784]);
 * assert.ok(x.shape[1] === 784);
 * ```
 */
export function input(name: string, shape: Shape, kind: InputKind = "data"): Tensor {
  return make("input", [], { name, kind, shape });
}

/**
 * A named trainable parameter with its initializer (checked: an unknown or
 * malformed one is an `InputError` naming the parameter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { param } from "./tensor.ts";
 * const w = param("w", [3, 2], "heNormal");
 * assert.ok(w.attrs.kind === "param");
 * ```
 */
export function param(name: string, shape: Shape, init: Initializer = "glorotUniform"): Tensor {
  return make("input", [], { name, kind: "param", shape, init: checkInitializer(init, name) });
}

/**
 * A named running statistic (e.g. batch norm's running mean): state a layer
 * updates in training steps and reads in inference, saved with the model and
 * never touched by the optimizer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { running } from "./tensor.ts";
 * const r = running("bn.running_var", [3], "ones");
 * assert.ok(r.attrs.kind === "running" && r.attrs.init === "ones");
 * ```
 */
export function running(name: string, shape: Shape, init: Initializer = "zeros"): Tensor {
  return make("input", [], { name, kind: "running", shape, init });
}

/**
 * A scalar constant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { constant } from "./tensor.ts";
 * assert.ok(constant(2).attrs.value === 2);
 * ```
 */
export function constant(value: number): Tensor {
  if (!Number.isFinite(value)) throw new ShapeError(`const: value must be finite, got ${value}`);
  return make("const", [], { value });
}

/**
 * Elementwise a + b (broadcasting, e.g. a bias row over a batch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { add, input } from "./tensor.ts";
 * assert.ok(add(input("x", ["batch", 3]), input("b", [3])).shape.join() === "batch,3");
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return make("add", [a, b]);
}

/**
 * Elementwise a - b (broadcasting).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, sub } from "./tensor.ts";
 * assert.ok(sub(input("x", [3]), 1).shape.join() === "3");
 * ```
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return make("sub", [a, b]);
}

/**
 * Elementwise a · b (broadcasting).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, mul } from "./tensor.ts";
 * assert.ok(mul(input("x", [3]), 2).op === "mul");
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return make("mul", [a, b]);
}

/**
 * Elementwise a / b (broadcasting).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { div, input } from "./tensor.ts";
 * assert.ok(div(input("x", [3]), 2).op === "div");
 * ```
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return make("div", [a, b]);
}

/**
 * Elementwise -x.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, neg } from "./tensor.ts";
 * assert.ok(neg(input("x", [3])).op === "neg");
 * ```
 */
export function neg(x: TensorLike): Tensor {
  return make("neg", [x]);
}

/**
 * Elementwise eˣ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exp, input } from "./tensor.ts";
 * assert.ok(exp(input("x", [3])).op === "exp");
 * ```
 */
export function exp(x: TensorLike): Tensor {
  return make("exp", [x]);
}

/**
 * Elementwise natural logarithm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, log } from "./tensor.ts";
 * assert.ok(log(input("x", [3])).op === "log");
 * ```
 */
export function log(x: TensorLike): Tensor {
  return make("log", [x]);
}

/**
 * Elementwise eˣ − 1, accurate for x near 0 (where `exp(x) − 1` would cancel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expm1, input } from "./tensor.ts";
 * assert.ok(expm1(input("x", [3])).op === "expm1");
 * ```
 */
export function expm1(x: TensorLike): Tensor {
  return make("expm1", [x]);
}

/**
 * Elementwise ln(1 + x), accurate for x near 0 (where `log(1 + x)` would lose x).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, log1p } from "./tensor.ts";
 * assert.ok(log1p(input("x", [3])).op === "log1p");
 * ```
 */
export function log1p(x: TensorLike): Tensor {
  return make("log1p", [x]);
}

/**
 * Elementwise error function, erf(x) = 2/√π ∫₀ˣ e^(−t²) dt.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { erf, input } from "./tensor.ts";
 * assert.ok(erf(input("x", [3])).op === "erf");
 * ```
 */
export function erf(x: TensorLike): Tensor {
  return make("erf", [x]);
}

/**
 * Elementwise choice: `condition > 0 ? a : b` (broadcasting all three). The
 * gradient flows to `a` where the condition holds and to `b` elsewhere, never
 * into the condition — so a function written with `where` has exactly the
 * derivative of the branch taken, also at the switch point (e.g.
 * `where(x, x, mul(x, 0.1))` has slope 0.1 at x = 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateF64 } from "./grad.ts";
 * import { input, where } from "./tensor.ts";
 * const x = input("x", [3]);
 * assert.deepEqual(Array.from(evaluateF64(where(x, x, 0), { x: [-1, 0, 2] })), [0, 0, 2]);
 * ```
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return make("select", [condition, a, b]);
}

/**
 * A constant tensor of fixed shape (by default a vector of the values), e.g.
 * per-class weights. Its values are part of the compiled program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { literal } from "./tensor.ts";
 * assert.ok(literal([1, 2, 3]).shape.join() === "3");
 * assert.ok(literal([1, 2, 3, 4], [2, 2]).shape.join() === "2,2");
 * ```
 */
export function literal(values: ArrayLike<number>, shape?: Shape): Tensor {
  const list = Array.from(values);
  return make("literal", [], { values: list, shape: shape ?? [list.length] });
}

/**
 * Elementwise square root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, sqrt } from "./tensor.ts";
 * assert.ok(sqrt(input("x", [3])).op === "sqrt");
 * ```
 */
export function sqrt(x: TensorLike): Tensor {
  return make("sqrt", [x]);
}

/**
 * Elementwise hyperbolic tangent; also an activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, tanh } from "./tensor.ts";
 * assert.ok(tanh(input("x", [3])).op === "tanh");
 * ```
 */
export function tanh(x: TensorLike): Tensor {
  return make("tanh", [x]);
}

/**
 * Elementwise logistic sigmoid 1 / (1 + e⁻ˣ); also an activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, sigmoid } from "./tensor.ts";
 * assert.ok(sigmoid(input("x", [3])).op === "sigmoid");
 * ```
 */
export function sigmoid(x: TensorLike): Tensor {
  return make("sigmoid", [x]);
}

/**
 * Elementwise max(x, 0); also an activation. Its derivative at 0 is taken as 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, relu } from "./tensor.ts";
 * assert.ok(relu(input("x", [3])).op === "relu");
 * ```
 */
export function relu(x: TensorLike): Tensor {
  return make("relu", [x]);
}

/**
 * The identity activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { identity, input } from "./tensor.ts";
 * const x = input("x", [3]);
 * assert.ok(identity(x) === x);
 * ```
 */
export function identity(x: Tensor): Tensor {
  return x;
}

/**
 * Elementwise x².
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, square } from "./tensor.ts";
 * assert.ok(square(input("x", [3])).op === "mul");
 * ```
 */
export function square(x: TensorLike): Tensor {
  const t = lift(x);
  return mul(t, t);
}

/**
 * Elementwise |x|, built as relu(x) + relu(-x).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { abs, input } from "./tensor.ts";
 * assert.ok(abs(input("x", [3])).shape.join() === "3");
 * ```
 */
export function abs(x: TensorLike): Tensor {
  const t = lift(x);
  return add(relu(t), relu(neg(t)));
}

/**
 * Matrix product of two matrices, optionally transposing either operand.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, matmul } from "./tensor.ts";
 * const y = matmul(input("x", ["batch", 4]), input("w", [4, 2]));
 * assert.ok(y.shape.join() === "batch,2");
 * ```
 */
export function matmul(
  a: Tensor,
  b: Tensor,
  options: { transA?: boolean; transB?: boolean } = {},
): Tensor {
  return make("matmul", [a, b], {
    transA: options.transA ?? false,
    transB: options.transB ?? false,
  });
}

function normalizeAxis(op: string, x: Tensor, axis: number | undefined): number | null {
  if (axis === undefined) return null;
  const resolved = axis < 0 ? x.shape.length + axis : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= x.shape.length) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for ${formatShape(x.shape)}`);
  }
  return resolved;
}

function dropAxis(x: Tensor, keepdims: boolean, axis: number | null): Tensor {
  if (keepdims || axis === null) return x;
  return reshape(x, x.shape.filter((_d, i) => i !== axis));
}

/**
 * Sum over one axis, or over all elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, sum } from "./tensor.ts";
 * const x = input("x", ["batch", 3]);
 * assert.ok(sum(x).shape.length === 0);
 * assert.ok(sum(x, { axis: 1 }).shape.join() === "batch");
 * assert.ok(sum(x, { axis: 1, keepdims: true }).shape.join() === "batch,1");
 * ```
 */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axis = normalizeAxis("sum", x, options.axis);
  return dropAxis(make("sum", [x], { axis }), options.keepdims ?? false, axis);
}

/**
 * Maximum over one axis, or over all elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, max } from "./tensor.ts";
 * assert.ok(max(input("x", ["batch", 3]), { axis: -1 }).shape.join() === "batch");
 * ```
 */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axis = normalizeAxis("max", x, options.axis);
  return dropAxis(make("max", [x], { axis }), options.keepdims ?? false, axis);
}

/**
 * The number of elements along one axis, or of all elements, as a scalar
 * tensor; counted at run time, so the batch dimension counts the batch's rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { count, input } from "./tensor.ts";
 * assert.ok(count(input("x", ["batch", 3]), { axis: 0 }).op === "count");
 * ```
 */
export function count(x: Tensor, options: { axis?: number } = {}): Tensor {
  const axis = normalizeAxis("count", x, options.axis);
  return make("count", [], { shape: x.shape, axis });
}

/**
 * Mean over one axis, or over all elements. The count is taken at run time,
 * so a partial last batch is averaged over its own size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, mean } from "./tensor.ts";
 * assert.ok(mean(input("x", ["batch", 3])).shape.length === 0);
 * ```
 */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axis = normalizeAxis("mean", x, options.axis);
  const total = make("sum", [x], { axis });
  const count = make("count", [], { shape: x.shape, axis });
  return dropAxis(div(total, count), options.keepdims ?? false, axis);
}

/**
 * The same elements with another shape (row-major order kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, reshape } from "./tensor.ts";
 * assert.ok(reshape(input("x", ["batch", 1]), ["batch"]).shape.join() === "batch");
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  return make("reshape", [x], { shape });
}

/**
 * Broadcasts to a larger shape (NumPy rules).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { broadcastTo, input } from "./tensor.ts";
 * assert.ok(broadcastTo(input("b", [3]), ["batch", 3]).shape.join() === "batch,3");
 * ```
 */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  return make("broadcast", [x], { shape });
}

/**
 * The identity, but no gradient flows through it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, stopGradient } from "./tensor.ts";
 * assert.ok(stopGradient(input("x", [3])).op === "stopgrad");
 * ```
 */
export function stopGradient(x: TensorLike): Tensor {
  return make("stopgrad", [x]);
}

/**
 * One-hot encoding of integer class labels: `[n]` → `[n, classes]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, oneHot } from "./tensor.ts";
 * assert.ok(oneHot(input("y", ["batch"], "label"), 10).shape.join() === "batch,10");
 * ```
 */
export function oneHot(labels: Tensor, classes: number): Tensor {
  return make("onehot", [labels], { classes });
}

/** Options of `normalize`. */
export interface NormalizeOptions {
  /** The axis the statistics are taken along (default: the last). Negative counts from the end. */
  axis?: number;
  /** Added to the variance before the square root (default 1e-5, as PyTorch). */
  eps?: number;
}

/**
 * (x − mean) / √(var + eps) along an axis, with the biased variance (divided
 * by the count): per row for axis −1 (layer norm), per column for axis 0 (batch
 * norm's batch statistics, over the run-time batch). One fused primitive,
 * forward and backward.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, normalize } from "./tensor.ts";
 * assert.ok(normalize(input("x", ["batch", 8])).shape.join() === "batch,8");
 * ```
 */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  const axis = normalizeAxis("normalize", x, options.axis ?? -1);
  return make("normalize", [x], { axis, eps: options.eps ?? 1e-5 });
}

/**
 * Concatenates tensors along their last axis: matrices with the same rows, or
 * vectors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concat, input } from "./tensor.ts";
 * const y = concat(input("a", ["batch", 2]), input("b", ["batch", 3]));
 * assert.ok(y.shape.join() === "batch,5");
 * ```
 */
export function concat(...tensors: Tensor[]): Tensor {
  if (tensors.length === 0) throw new ShapeError("concat needs at least one tensor");
  return tensors.slice(1).reduce((acc, t) => make("concat", [acc, t]), lift(tensors[0]));
}

/**
 * Columns `start` to `start + size` (exclusive) of a matrix, or elements of a vector.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, slice } from "./tensor.ts";
 * assert.ok(slice(input("x", ["batch", 5]), 1, 3).shape.join() === "batch,3");
 * ```
 */
export function slice(x: Tensor, start: number, size: number): Tensor {
  return make("slice", [x], { start, size });
}

/**
 * Train-mode dropout: each element is zeroed with probability `p` and the
 * others scaled by 1/(1 − p), with a mask drawn from the step's random key
 * (the `rng` input the runtime writes: seed and step), the stream and the
 * element's flat index. The `dropout` layer uses it in train mode only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutMasked, input } from "./tensor.ts";
 * const y = dropoutMasked(input("x", ["batch", 4]), 0.5, 7);
 * assert.ok(y.op === "dropout" && y.inputs[1].attrs.kind === "rng");
 * ```
 */
export function dropoutMasked(x: Tensor, p: number, stream: number): Tensor {
  return make("dropout", [x, input(RNG_INPUT, [2], "rng")], { p, stream: stream >>> 0 });
}

/**
 * Per-sample softmax cross-entropy of logits `[n, classes]` against integer
 * labels `[n]`: `log Σⱼ e^(x[i,j]) − x[i, label[i]]`, as one fused, stable
 * primitive (its gradient is `softmax(x) − onehot(label)`, also fused).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, softmaxCrossEntropyRows } from "./tensor.ts";
 * const l = softmaxCrossEntropyRows(input("x", ["batch", 10]), input("y", ["batch"], "label"));
 * assert.ok(l.shape.join() === "batch");
 * ```
 */
export function softmaxCrossEntropyRows(logits: Tensor, labels: Tensor): Tensor {
  return make("softmaxce", [logits, labels]);
}

/**
 * log Σ eˣ over an axis (last by default), computed stably by subtracting the
 * maximum (through which no gradient needs to flow: it cancels out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, logSumExp } from "./tensor.ts";
 * assert.ok(logSumExp(input("x", ["batch", 10])).shape.join() === "batch,1");
 * ```
 */
export function logSumExp(x: Tensor, axis = -1): Tensor {
  const m = stopGradient(max(x, { axis, keepdims: true }));
  return add(log(sum(exp(sub(x, m)), { axis, keepdims: true })), m);
}

/**
 * Log of the softmax over an axis (last by default), computed stably; also an
 * activation (`chain(dense(4, 3), logSoftmax)`, e.g. before `nllLoss`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, logSoftmax } from "./tensor.ts";
 * assert.ok(logSoftmax(input("x", ["batch", 10])).shape.join() === "batch,10");
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  // (x − m) − log Σ e^(x−m): the maximum m is kept out of the logarithm, so
  // log Σ is accurate to its own ulp, not to one of m.
  const shifted = sub(x, stopGradient(max(x, { axis, keepdims: true })));
  return sub(shifted, log(sum(exp(shifted), { axis, keepdims: true })));
}

/**
 * Softmax over an axis (last by default); also an activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input, softmax } from "./tensor.ts";
 * assert.ok(softmax(input("x", ["batch", 10])).shape.join() === "batch,10");
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const m = stopGradient(max(x, { axis, keepdims: true }));
  const e = exp(sub(x, m));
  return div(e, sum(e, { axis, keepdims: true }));
}
