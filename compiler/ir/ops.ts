/**
 * The op table: one row per primitive op, holding everything the compiler
 * knows about it — its shape rule, its f64 reference evaluation, its
 * vector-Jacobian product (which emits graph nodes, never numbers) and how it
 * lowers. Adding an op means adding one row; `OPS` is typed so that a missing
 * row or rule is a type error.
 *
 * Composite operations (`mean`, `softmax`, the losses) are built from these
 * primitives in `tensor.ts` and `losses.ts`, so this table stays small.
 *
 * @module
 */

import { CompileError, ShapeError } from "../../core/errors.ts";
import { erf } from "../../core/erf.ts";
import { dropoutBits, dropoutKey, dropoutThreshold } from "../../core/random.ts";
import type { Attrs, Node, OpName } from "./ir.ts";
import { bag64, bagScatter64, gather64, scatterAdd64, spmmDot64 } from "./sparse_reference.ts";
import {
  broadcastShapes,
  type Dim,
  elementCount,
  formatShape,
  MAX_RANK,
  sameShape,
  type Shape,
} from "../../core/shape.ts";

/** Lets a VJP rule add nodes to the gradient graph under construction. */
export interface VjpEmitter {
  /** Appends a node (its shape computed by the op table) and returns its id. */
  emit(op: OpName, inputs: readonly number[], attrs?: Attrs): number;
  /** The static shape of an existing node. */
  shapeOf(id: number): Shape;
}

/**
 * Arithmetic on one "lane group" of elements, implemented by code generation
 * for each element type (f32x4 SIMD, scalar f32, scalar f64). Elementwise ops
 * lower through this interface, so their lowering lives in this table while
 * the Binaryen calls stay in the code generator.
 */
export interface ElementMath<E> {
  /** A constant broadcast over the lanes. */
  constant(value: number): E;
  /** The run-time batch size, as a value in every lane. */
  batchSize(): E;
  /** a + b */
  add(a: E, b: E): E;
  /** a - b */
  sub(a: E, b: E): E;
  /** a * b */
  mul(a: E, b: E): E;
  /** a / b */
  div(a: E, b: E): E;
  /** -a */
  neg(a: E): E;
  /** max(a, 0) */
  relu(a: E): E;
  /** a > 0 ? 1 : 0 */
  step(a: E): E;
  /** a >= b ? 1 : 0 */
  ge(a: E, b: E): E;
  /** √a */
  sqrt(a: E): E;
  /** eᵃ */
  exp(a: E): E;
  /** ln a */
  log(a: E): E;
  /** tanh a */
  tanh(a: E): E;
  /** 1 / (1 + e⁻ᵃ) */
  sigmoid(a: E): E;
  /** |a| */
  abs(a: E): E;
  /** a < b ? b : a (NaN in `a` passes through, as `pmax`) */
  max(a: E, b: E): E;
  /** b < a ? b : a (NaN in `a` passes through, as `pmin`) */
  min(a: E, b: E): E;
  /** c > 0 ? a : b (both are evaluated; NaN in `c` selects `b`) */
  select(c: E, a: E, b: E): E;
  /** eᵃ − 1, accurate near 0 */
  expm1(a: E): E;
  /** ln(1 + a), accurate near 0 */
  log1p(a: E): E;
  /** The error function, 2/√π ∫₀ᵃ e^(−t²) dt */
  erf(a: E): E;
  /**
   * Computes `value` once (into a local) and returns `body(read)`, where each
   * call of `read` yields that value again: lets a lowering use an operand
   * more than once.
   */
  share(value: E, body: (read: () => E) => E): E;
}

/** A concrete tensor of the f64 reference interpreter. */
export interface Tensor64 {
  /** Row-major values. */
  readonly data: Float64Array;
  /** Concrete shape (the batch dimension resolved). */
  readonly shape: readonly number[];
}

/** Rules every op has. */
export interface OpRules {
  /** Number of operands. */
  readonly arity: number;
  /** The result shape, or a `ShapeError` naming the op and the shapes. */
  shape(inputs: readonly Shape[], attrs: Attrs): Shape;
  /**
   * Vector-Jacobian product: given the node and the id of the gradient flowing
   * into it, emits nodes computing the gradient of each operand (or `null`
   * where no gradient flows).
   */
  vjp(e: VjpEmitter, node: Node, g: number): (number | null)[];
}

/** An op computed element by element (operands broadcast to the result). */
export interface ElementwiseOp extends OpRules {
  /** Lowering family. */
  readonly kind: "elementwise";
  /** The f64 reference value of one element. */
  f64(args: readonly number[], attrs: Attrs, batch: number): number;
  /** Lowering of one element (or lane group) through `ElementMath`. */
  lower<E>(m: ElementMath<E>, args: readonly E[], attrs: Attrs): E;
}

/** Lowering families of kernel ops: which kernel emitter handles an op. */
export type KernelFamily =
  | "input"
  | "matmul"
  | "reduce"
  | "reshape"
  | "onehot"
  | "literal"
  | "softmaxce"
  | "softmaxcegrad"
  | "normalize"
  | "normalizegrad"
  | "dropout"
  | "concat"
  | "slice"
  | "sparse";

/** An op lowered to a dedicated kernel. */
export interface KernelOp extends OpRules {
  /** Lowering family: which kernel emitter handles it. */
  readonly kind: KernelFamily;
  /** The f64 reference evaluation (not used for `input`). */
  eval(inputs: readonly Tensor64[], attrs: Attrs, outShape: readonly number[]): Float64Array;
}

/** A row of the op table. */
export type OpDef = ElementwiseOp | KernelOp;

// ---------------------------------------------------------------- helpers --

function checkRank(op: string, shape: Shape): void {
  if (shape.length > MAX_RANK) {
    throw new ShapeError(
      `${op}: rank ${shape.length} (${
        formatShape(shape)
      }) is not supported; ranks 0..${MAX_RANK} are`,
    );
  }
  for (const d of shape) {
    if (d !== "batch" && (!Number.isInteger(d) || d < 1)) {
      throw new ShapeError(
        `${op}: dimensions must be positive integers or "batch", got ${formatShape(shape)}`,
      );
    }
  }
  if (shape.slice(1).includes("batch")) {
    throw new ShapeError(
      `${op}: the batch dimension must be the first one, got ${formatShape(shape)}`,
    );
  }
}

function broadcastRule(op: string) {
  return (inputs: readonly Shape[]): Shape => {
    const [a, b] = inputs;
    const out = broadcastShapes(a, b);
    if (out === null) {
      throw new ShapeError(
        `Cannot ${op} ${formatShape(a)} and ${formatShape(b)}: shapes do not broadcast`,
      );
    }
    checkRank(op, out);
    return out;
  };
}

function broadcast3(op: string) {
  return (inputs: readonly Shape[]): Shape => {
    const [a, b, c] = inputs;
    const ab = broadcastShapes(a, b);
    const out = ab === null ? null : broadcastShapes(ab, c);
    if (out === null) {
      throw new ShapeError(
        `Cannot ${op} ${inputs.map((s) => formatShape(s)).join(", ")}: shapes do not broadcast`,
      );
    }
    checkRank(op, out);
    return out;
  };
}

function sameAsInput(inputs: readonly Shape[]): Shape {
  return inputs[0];
}

function scalarShape(): Shape {
  return [];
}

function noGradient(_e: VjpEmitter, node: Node): null[] {
  return node.inputs.map(() => null);
}

function constant(e: VjpEmitter, value: number): number {
  return e.emit("const", [], { value });
}

/**
 * Sums a gradient over the axes along which an operand was broadcast, so the
 * gradient gets the operand's own shape back.
 */
export function unbroadcast(e: VjpEmitter, g: number, target: Shape): number {
  const gShape = e.shapeOf(g);
  if (sameShape(gShape, target)) return g;
  if (target.length === 0) return e.emit("sum", [g], { axis: null });
  let current = g;
  const offset = gShape.length - target.length;
  for (let axis = 0; axis < gShape.length; axis++) {
    const targetDim = axis >= offset ? target[axis - offset] : undefined;
    if (targetDim === undefined || (targetDim === 1 && gShape[axis] !== 1)) {
      current = e.emit("sum", [current], { axis });
    }
  }
  return sameShape(e.shapeOf(current), target)
    ? current
    : e.emit("reshape", [current], { shape: target });
}

function reducedShape(op: string, x: Shape, axis: number | null | undefined): Shape {
  if (axis === null || axis === undefined) return [];
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.length) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for ${formatShape(x)}`);
  }
  return x.map((d, i) => (i === axis ? 1 : d));
}

/** Index helpers for row-major tensors of rank ≤ 2 seen as [rows, cols]. */
function asMatrix(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]];
  return [shape[0], shape[1]];
}

function reduceEval(
  x: Tensor64,
  axis: number | null | undefined,
  outShape: readonly number[],
  init: number,
  combine: (acc: number, v: number) => number,
): Float64Array {
  const out = new Float64Array(Math.max(1, outShape.reduce((a, b) => a * b, 1))).fill(init);
  if (axis === null || axis === undefined) {
    for (const v of x.data) out[0] = combine(out[0], v);
    return out;
  }
  const [rows, cols] = x.shape.length === 1 ? [x.shape[0], 1] : asMatrix(x.shape);
  const reduceRows = x.shape.length === 1 || axis === 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const o = x.shape.length === 1 ? 0 : reduceRows ? j : i;
      out[o] = combine(out[o], x.data[i * cols + j]);
    }
  }
  return out;
}

function matmulOperands(attrs: Attrs, a: Shape, b: Shape): [Dim, Dim, Dim, Dim] {
  const [a0, a1] = attrs.transA ? [a[1], a[0]] : [a[0], a[1]];
  const [b0, b1] = attrs.transB ? [b[1], b[0]] : [b[0], b[1]];
  return [a0, a1, b0, b1];
}

function matmulName(attrs: Attrs): string {
  return `matmul${attrs.transA ? "ᵀ" : ""}${attrs.transB ? "·ᵀ" : ""}`;
}

// -------------------------------------------------------------- the table --

/** The op table. */
export const OPS: { readonly [K in OpName]: OpDef } = {
  input: {
    kind: "input",
    arity: 0,
    shape: (_inputs, attrs) => {
      const shape = attrs.shape ?? [];
      checkRank(`input "${attrs.name}"`, shape);
      return shape;
    },
    vjp: noGradient,
    eval: () => {
      throw new Error("input nodes are bound, not evaluated");
    },
  },
  const: {
    kind: "elementwise",
    arity: 0,
    shape: scalarShape,
    vjp: noGradient,
    f64: (_args, attrs) => attrs.value ?? 0,
    lower: (m, _args, attrs) => m.constant(attrs.value ?? 0),
  },
  count: {
    kind: "elementwise",
    arity: 0,
    shape: scalarShape,
    vjp: noGradient,
    f64: (_args, attrs, batch) => countOf(attrs, batch),
    lower: (m, _args, attrs) => {
      const fixed = countOf(attrs, 1);
      const counted = countedDims(attrs);
      return counted.includes("batch")
        ? m.mul(m.batchSize(), m.constant(fixed))
        : m.constant(fixed);
    },
  },
  add: {
    kind: "elementwise",
    arity: 2,
    shape: broadcastRule("add"),
    vjp: (e, node, g) => [
      unbroadcast(e, g, e.shapeOf(node.inputs[0])),
      unbroadcast(e, g, e.shapeOf(node.inputs[1])),
    ],
    f64: ([a, b]) => a + b,
    lower: (m, [a, b]) => m.add(a, b),
  },
  sub: {
    kind: "elementwise",
    arity: 2,
    shape: broadcastRule("sub"),
    vjp: (e, node, g) => [
      unbroadcast(e, g, e.shapeOf(node.inputs[0])),
      unbroadcast(e, e.emit("neg", [g]), e.shapeOf(node.inputs[1])),
    ],
    f64: ([a, b]) => a - b,
    lower: (m, [a, b]) => m.sub(a, b),
  },
  mul: {
    kind: "elementwise",
    arity: 2,
    shape: broadcastRule("mul"),
    vjp: (e, node, g) => {
      const [a, b] = node.inputs;
      return [
        unbroadcast(e, e.emit("mul", [g, b]), e.shapeOf(a)),
        unbroadcast(e, e.emit("mul", [g, a]), e.shapeOf(b)),
      ];
    },
    f64: ([a, b]) => a * b,
    lower: (m, [a, b]) => m.mul(a, b),
  },
  div: {
    kind: "elementwise",
    arity: 2,
    shape: broadcastRule("div"),
    // d(a/b)/da = 1/b;  d(a/b)/db = -a/b² = -y/b
    vjp: (e, node, g) => {
      const [a, b] = node.inputs;
      const gb = e.emit("neg", [e.emit("div", [e.emit("mul", [g, node.id]), b])]);
      return [
        unbroadcast(e, e.emit("div", [g, b]), e.shapeOf(a)),
        unbroadcast(e, gb, e.shapeOf(b)),
      ];
    },
    f64: ([a, b]) => a / b,
    lower: (m, [a, b]) => m.div(a, b),
  },
  neg: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    vjp: (e, _node, g) => [e.emit("neg", [g])],
    f64: ([a]) => -a,
    lower: (m, [a]) => m.neg(a),
  },
  exp: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d eˣ = eˣ = y
    vjp: (e, node, g) => [e.emit("mul", [g, node.id])],
    f64: ([a]) => Math.exp(a),
    lower: (m, [a]) => m.exp(a),
  },
  log: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d ln x = 1/x
    vjp: (e, node, g) => [e.emit("div", [g, node.inputs[0]])],
    f64: ([a]) => Math.log(a),
    lower: (m, [a]) => m.log(a),
  },
  tanh: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d tanh x = 1 - y²
    vjp: (e, node, g) => {
      const y2 = e.emit("mul", [node.id, node.id]);
      return [e.emit("mul", [g, e.emit("sub", [constant(e, 1), y2])])];
    },
    f64: ([a]) => Math.tanh(a),
    lower: (m, [a]) => m.tanh(a),
  },
  sigmoid: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d σ(x) = y (1 - y)
    vjp: (e, node, g) => {
      const slope = e.emit("mul", [node.id, e.emit("sub", [constant(e, 1), node.id])]);
      return [e.emit("mul", [g, slope])];
    },
    f64: ([a]) => 1 / (1 + Math.exp(-a)),
    lower: (m, [a]) => m.sigmoid(a),
  },
  relu: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d relu x = step(x) = step(y): 1 where x > 0, else 0 (0 at x = 0, as PyTorch
    // and JAX). Written with the output y, so the pre-activation x is needed by
    // nothing else and fuses into the forward epilogue instead of being stored.
    vjp: (e, node, g) => [e.emit("mul", [g, e.emit("step", [node.id])])],
    f64: ([a]) => (a > 0 ? a : 0),
    lower: (m, [a]) => m.relu(a),
  },
  step: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    vjp: noGradient,
    f64: ([a]) => (a > 0 ? 1 : 0),
    lower: (m, [a]) => m.step(a),
  },
  ge: {
    kind: "elementwise",
    arity: 2,
    shape: broadcastRule("ge"),
    vjp: noGradient,
    f64: ([a, b]) => (a >= b ? 1 : 0),
    lower: (m, [a, b]) => m.ge(a, b),
  },
  sqrt: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d √x = 1 / (2y)
    vjp: (e, node, g) => [e.emit("div", [g, e.emit("mul", [constant(e, 2), node.id])])],
    f64: ([a]) => Math.sqrt(a),
    lower: (m, [a]) => m.sqrt(a),
  },
  expm1: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d (eˣ − 1) = eˣ (from x: y + 1 would lose eˣ's precision where y ≈ −1)
    vjp: (e, node, g) => [e.emit("mul", [g, e.emit("exp", [node.inputs[0]])])],
    f64: ([a]) => Math.expm1(a),
    lower: (m, [a]) => m.expm1(a),
  },
  log1p: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d ln(1 + x) = 1/(1 + x)
    vjp: (e, node, g) => [e.emit("div", [g, e.emit("add", [node.inputs[0], constant(e, 1)])])],
    f64: ([a]) => Math.log1p(a),
    lower: (m, [a]) => m.log1p(a),
  },
  erf: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // d erf x = 2/√π · e^(−x²)
    vjp: (e, node, g) => {
      const x = node.inputs[0];
      const gauss = e.emit("exp", [e.emit("neg", [e.emit("mul", [x, x])])]);
      return [e.emit("mul", [g, e.emit("mul", [constant(e, TWO_OVER_SQRT_PI), gauss])])];
    },
    f64: ([a]) => erf(a),
    lower: (m, [a]) => m.erf(a),
  },
  select: {
    kind: "elementwise",
    arity: 3,
    // c > 0 ? a : b, broadcasting all three; no gradient flows into c.
    shape: broadcast3("select"),
    vjp: (e, node, g) => {
      const [c, a, b] = node.inputs;
      const zero = constant(e, 0);
      return [
        null,
        unbroadcast(e, e.emit("select", [c, g, zero]), e.shapeOf(a)),
        unbroadcast(e, e.emit("select", [c, zero, g]), e.shapeOf(b)),
      ];
    },
    f64: ([c, a, b]) => (c > 0 ? a : b),
    lower: (m, [c, a, b]) => m.select(c, a, b),
  },
  leakyrelu: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // PyTorch: x > 0 ? g : α·g (so α at 0). For α ≥ 0, y > 0 exactly where
    // x > 0, so the rule reads the output and the pre-activation need not be kept.
    vjp: (e, node, g) => {
      const alpha = node.attrs.alpha ?? 0.01;
      const test = alpha >= 0 ? node.id : node.inputs[0];
      return [e.emit("select", [test, g, e.emit("mul", [g, constant(e, alpha)])])];
    },
    f64: ([a], attrs) => (a > 0 ? a : a * (attrs.alpha ?? 0.01)),
    lower: (m, [a], attrs) =>
      m.share(a, (x) => m.select(x(), x(), m.mul(x(), m.constant(attrs.alpha ?? 0.01)))),
  },
  elu: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // PyTorch's elu(x; α, scale, inputScale), which also gives SELU and CELU:
    // x > 0 ? scale·x : α·scale·(e^(inputScale·x) − 1), with expm1.
    vjp: (e, node, g) => {
      const { alpha, scale, inputScale } = eluParams(node.attrs);
      const scaled = e.emit("mul", [g, constant(e, scale)]);
      if (scale > 0 && alpha * inputScale >= 0) {
        // y ≤ 0 exactly where x ≤ 0; there the slope is inputScale·(y + α·scale)
        // (PyTorch's rule on the result), so the pre-activation need not be kept.
        const y = node.id;
        const negative = e.emit("mul", [
          e.emit("mul", [g, constant(e, inputScale)]),
          e.emit("add", [y, constant(e, alpha * scale)]),
        ]);
        return [e.emit("select", [y, scaled, negative])];
      }
      const x = node.inputs[0];
      const ex = e.emit("exp", [e.emit("mul", [x, constant(e, inputScale)])]);
      const negative = e.emit("mul", [
        e.emit("mul", [g, constant(e, inputScale * alpha * scale)]),
        ex,
      ]);
      return [e.emit("select", [x, scaled, negative])];
    },
    f64: ([a], attrs) => {
      const { alpha, scale, inputScale } = eluParams(attrs);
      return a > 0 ? a * scale : Math.expm1(a * inputScale) * (alpha * scale);
    },
    lower: (m, [a], attrs) => {
      const { alpha, scale, inputScale } = eluParams(attrs);
      return m.share(a, (x) => {
        const inner = inputScale === 1 ? x() : m.mul(x(), m.constant(inputScale));
        const negative = m.mul(m.expm1(inner), m.constant(alpha * scale));
        return m.select(x(), scale === 1 ? x() : m.mul(x(), m.constant(scale)), negative);
      });
    },
  },
  softplus: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // The slope is σ(βx), and exactly 1 in the linear regime βx > threshold
    // (PyTorch's). Without a threshold it is computed from the output y as
    // 1 − e^(−βy), so the pre-activation need not be kept; with one, the
    // regime can only be told from x (the value jumps there: y does not tell).
    vjp: (e, node, g) => {
      const beta = node.attrs.beta ?? 1;
      const t = node.attrs.threshold;
      const scaled = (id: number) => (beta === 1 ? id : e.emit("mul", [id, constant(e, beta)]));
      if (t === undefined) {
        const by = scaled(node.id);
        return [e.emit("mul", [g, e.emit("neg", [e.emit("expm1", [e.emit("neg", [by])])])])];
      }
      const bx = scaled(node.inputs[0]);
      const linear = e.emit("sub", [bx, constant(e, t)]);
      const slope = e.emit("select", [linear, constant(e, 1), e.emit("sigmoid", [bx])]);
      return [e.emit("mul", [g, slope])];
    },
    f64: ([a], attrs) => {
      const beta = attrs.beta ?? 1;
      const z = a * beta;
      if (attrs.threshold !== undefined && z > attrs.threshold) return a;
      return (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / beta;
    },
    // max(βx, 0) + log(1 + e^(−|βx|)), divided by β: no overflow for any x.
    lower: (m, [a], attrs) => {
      const beta = attrs.beta ?? 1;
      const t = attrs.threshold;
      return m.share(a, (x) =>
        m.share(beta === 1 ? x() : m.mul(x(), m.constant(beta)), (z) => {
          const stable = m.add(m.max(z(), m.constant(0)), m.log1p(m.exp(m.neg(m.abs(z())))));
          const value = beta === 1 ? stable : m.div(stable, m.constant(beta));
          return t === undefined ? value : m.select(m.sub(z(), m.constant(t)), x(), value);
        }));
    },
  },
  hardtanh: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // PyTorch: slope 1 strictly inside (low, high), 0 elsewhere (also at the
    // ends); y is inside exactly where x is, so the rule reads the output.
    vjp: (e, node, g) => {
      const y = node.id;
      const zero = constant(e, 0);
      const belowHigh = e.emit("sub", [constant(e, node.attrs.high ?? 1), y]);
      const aboveLow = e.emit("sub", [y, constant(e, node.attrs.low ?? -1)]);
      return [e.emit("select", [aboveLow, e.emit("select", [belowHigh, g, zero]), zero])];
    },
    f64: ([a], attrs) => Math.min(Math.max(a, attrs.low ?? -1), attrs.high ?? 1),
    lower: (m, [a], attrs) =>
      m.min(m.max(a, m.constant(attrs.low ?? -1)), m.constant(attrs.high ?? 1)),
  },
  hardswish: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    // PyTorch (its vectorized kernel, which computes nearly every element):
    // x < −3 ? 0 : x < 3 ? g·(x/3 + ½) : g. So −½ at −3 and 1 at 3.
    vjp: (e, node, g) => {
      const x = node.inputs[0];
      const middle = e.emit("mul", [
        g,
        e.emit("add", [e.emit("div", [x, constant(e, 3)]), constant(e, 0.5)]),
      ]);
      const belowThree = e.emit("select", [e.emit("ge", [x, constant(e, 3)]), g, middle]);
      return [e.emit("select", [e.emit("ge", [x, constant(e, -3)]), belowThree, constant(e, 0)])];
    },
    f64: ([a]) => (a * Math.min(Math.max(a + 3, 0), 6)) / 6,
    lower: (m, [a]) =>
      m.share(a, (x) =>
        m.div(
          m.mul(x(), m.min(m.max(m.add(x(), m.constant(3)), m.constant(0)), m.constant(6))),
          m.constant(6),
        )),
  },
  stopgrad: {
    kind: "elementwise",
    arity: 1,
    shape: sameAsInput,
    vjp: noGradient,
    f64: ([a]) => a,
    lower: (_m, [a]) => a,
  },
  broadcast: {
    kind: "elementwise",
    arity: 1,
    shape: ([x], attrs) => {
      const target = attrs.shape ?? [];
      const out = broadcastShapes(x, target);
      if (out === null || !sameShape(out, target)) {
        throw new ShapeError(`Cannot broadcast ${formatShape(x)} to ${formatShape(target)}`);
      }
      checkRank("broadcast", target);
      return target;
    },
    vjp: (e, node, g) => [unbroadcast(e, g, e.shapeOf(node.inputs[0]))],
    f64: ([a]) => a,
    lower: (_m, [a]) => a,
  },
  reshape: {
    kind: "reshape",
    arity: 1,
    shape: ([x], attrs) => {
      const target = attrs.shape ?? [];
      const fixed = (s: Shape) => elementCount(s.filter((d) => d !== "batch"), 1);
      const batched = (s: Shape) => s.includes("batch");
      if (fixed(x) !== fixed(target) || batched(x) !== batched(target)) {
        throw new ShapeError(
          `Cannot reshape ${formatShape(x)} to ${formatShape(target)}: element counts differ`,
        );
      }
      checkRank("reshape", target);
      return target;
    },
    vjp: (e, node, g) => [e.emit("reshape", [g], { shape: e.shapeOf(node.inputs[0]) })],
    eval: ([x]) => Float64Array.from(x.data),
  },
  matmul: {
    kind: "matmul",
    arity: 2,
    shape: ([a, b], attrs) => {
      const name = matmulName(attrs);
      if (a.length !== 2 || b.length !== 2) {
        throw new ShapeError(
          `Cannot ${name} ${formatShape(a)} by ${formatShape(b)}: both operands must be matrices`,
        );
      }
      const [m, k1, k2, n] = matmulOperands(attrs, a, b);
      if (k1 !== k2) {
        throw new ShapeError(
          `Cannot ${name} ${formatShape(a)} by ${
            formatShape(b)
          }: inner dimensions ${k1} and ${k2} differ`,
        );
      }
      const out = [m, n];
      checkRank(name, out);
      return out;
    },
    // C = A'·B' with A' = op(A), B' = op(B):  dA' = dC·B'ᵀ,  dB' = A'ᵀ·dC
    vjp: (e, node, g) => {
      const [a, b] = node.inputs;
      const tA = node.attrs.transA ?? false;
      const tB = node.attrs.transB ?? false;
      const da = tA
        ? e.emit("matmul", [b, g], { transA: tB, transB: true })
        : e.emit("matmul", [g, b], { transA: false, transB: !tB });
      const db = tB
        ? e.emit("matmul", [g, a], { transA: true, transB: tA })
        : e.emit("matmul", [a, g], { transA: !tA, transB: false });
      return [da, db];
    },
    eval: ([a, b], attrs, outShape) => {
      const [m, n] = outShape;
      const tA = attrs.transA ?? false;
      const tB = attrs.transB ?? false;
      const k = tA ? a.shape[0] : a.shape[1];
      const out = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let p = 0; p < k; p++) {
            const av = tA ? a.data[p * a.shape[1] + i] : a.data[i * a.shape[1] + p];
            const bv = tB ? b.data[j * b.shape[1] + p] : b.data[p * b.shape[1] + j];
            acc += av * bv;
          }
          out[i * n + j] = acc;
        }
      }
      return out;
    },
  },
  sum: {
    kind: "reduce",
    arity: 1,
    shape: ([x], attrs) => reducedShape("sum", x, attrs.axis),
    vjp: (e, node, g) => [e.emit("broadcast", [g], { shape: e.shapeOf(node.inputs[0]) })],
    eval: ([x], attrs, outShape) => reduceEval(x, attrs.axis, outShape, 0, (acc, v) => acc + v),
  },
  max: {
    kind: "reduce",
    arity: 1,
    shape: ([x], attrs) => reducedShape("max", x, attrs.axis),
    // The gradient flows to the elements equal to the maximum, shared equally
    // between them on ties (a valid subgradient, as in JAX).
    vjp: (e, node, g) => {
      const mask = e.emit("ge", [node.inputs[0], node.id]);
      const ties = e.emit("sum", [mask], { axis: node.attrs.axis ?? null });
      return [e.emit("mul", [e.emit("div", [g, ties]), mask])];
    },
    eval: ([x], attrs, outShape) => reduceEval(x, attrs.axis, outShape, -Infinity, Math.max),
  },
  onehot: {
    kind: "onehot",
    arity: 1,
    shape: ([labels], attrs) => {
      if (labels.length !== 1) {
        throw new ShapeError(`onehot: labels must be a vector, got ${formatShape(labels)}`);
      }
      const classes = attrs.classes ?? 0;
      if (!Number.isInteger(classes) || classes < 1) {
        throw new ShapeError(`onehot: classes must be a positive integer, got ${classes}`);
      }
      return [labels[0], classes];
    },
    vjp: noGradient,
    eval: ([labels], attrs) => {
      const classes = attrs.classes ?? 0;
      const out = new Float64Array(labels.data.length * classes);
      labels.data.forEach((label, i) => {
        out[i * classes + label] = 1;
      });
      return out;
    },
  },
  literal: {
    kind: "literal",
    arity: 0,
    // A constant tensor of fixed shape (e.g. class weights), written by its kernel.
    shape: (_inputs, attrs) => {
      const shape = attrs.shape ?? [];
      checkRank("literal", shape);
      if (shape.includes("batch")) {
        throw new ShapeError(`literal: the shape must be fixed, got ${formatShape(shape)}`);
      }
      const count = elementCount(shape, 1);
      const values = attrs.values ?? [];
      if (values.length !== count || !values.every(Number.isFinite)) {
        throw new ShapeError(
          `literal: ${formatShape(shape)} needs ${count} finite values, got [${values.join(", ")}]`,
        );
      }
      return shape;
    },
    vjp: noGradient,
    eval: (_inputs, attrs) => Float64Array.from(attrs.values ?? []),
  },
  softmaxce: {
    kind: "softmaxce",
    arity: 2,
    // Per-sample softmax cross-entropy: [n, classes] logits and [n] labels → [n].
    shape: ([logits, labels]) => {
      if (logits.length !== 2 || labels.length !== 1 || logits[0] !== labels[0]) {
        throw new ShapeError(
          `softmaxce needs logits [n, classes] and labels [n], got ${formatShape(logits)} and ${
            formatShape(labels)
          }`,
        );
      }
      return [logits[0]];
    },
    // d/dx (logsumexp(x) − x[label]) = softmax(x) − onehot(label), scaled by g per row.
    vjp: (e, node, g) => [e.emit("softmaxcegrad", [node.inputs[0], node.inputs[1], g]), null],
    // loss = log Σ e^(x − m) − (x[label] − m), m kept apart (see softmaxRow).
    eval: ([x, labels]) => {
      const [rows, cols] = x.shape;
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        const row = x.data.subarray(i * cols, (i + 1) * cols);
        const { m, log } = softmaxRow(row);
        out[i] = log - (row[labels.data[i]] - m);
      }
      return out;
    },
  },
  softmaxcegrad: {
    kind: "softmaxcegrad",
    arity: 3,
    // g[i] · (softmax(x[i]) − onehot(label[i])): [n, classes] logits, [n] labels, [n] g.
    shape: ([logits, labels, g]) => {
      if (logits.length !== 2 || labels.length !== 1 || g.length !== 1 || g[0] !== logits[0]) {
        throw new ShapeError(
          `softmaxcegrad: shapes ${[logits, labels, g].map((s) => formatShape(s)).join(", ")}`,
        );
      }
      return logits;
    },
    vjp: () => {
      throw new CompileError("Second derivatives through softmaxCrossEntropy are not supported");
    },
    // g · (e^((x − m) − log Σ) − onehot); at the label, when it is a row maximum,
    // p − 1 = −V/(1 + V) (no cancellation in 1 − p when p is close to 1).
    eval: ([x, labels, g]) => {
      const [rows, cols] = x.shape;
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const row = x.data.subarray(i * cols, (i + 1) * cols);
        const { m, rest, log } = softmaxRow(row);
        const label = labels.data[i];
        for (let j = 0; j < cols; j++) {
          const p = Math.exp((row[j] - m) - log);
          const value = j !== label ? p : row[j] === m ? -rest / (1 + rest) : p - 1;
          out[i * cols + j] = g.data[i] * value;
        }
      }
      return out;
    },
  },
  normalize: {
    kind: "normalize",
    arity: 1,
    // (x − μ) / √(σ² + ε) with μ and the biased σ² taken along `axis`: over each
    // row (axis 1: layer norm) or each column (axis 0: batch norm's batch statistics).
    shape: ([x], attrs) => normalizeShape("normalize", x, attrs),
    // dx = r·(g − mean(g) − x̂·mean(g·x̂)) with r = 1/√(σ² + ε), per group: one
    // fused kernel that recomputes μ and r from x.
    vjp: (e, node, g) => [e.emit("normalizegrad", [node.inputs[0], g], node.attrs)],
    eval: ([x], attrs) => normalize64(x, attrs, null),
  },
  normalizegrad: {
    kind: "normalizegrad",
    arity: 2,
    // The gradient of `normalize` at x for the cotangent g (same shapes).
    shape: ([x, g], attrs) => {
      if (!sameShape(x, g)) {
        throw new ShapeError(
          `normalizegrad: x ${formatShape(x)} and g ${formatShape(g)} must have the same shape`,
        );
      }
      return normalizeShape("normalizegrad", x, attrs);
    },
    vjp: () => {
      throw new CompileError(
        "Second derivatives through normalization (layerNorm, batchNorm) are not supported",
      );
    },
    eval: ([x, g], attrs) => normalize64(x, attrs, g),
  },
  dropout: {
    kind: "dropout",
    arity: 2,
    // x·mask/(1 − p), the mask drawn from the step's random key [seed, step],
    // the layer's stream and each element's flat index (core/random.ts).
    shape: ([x, rng], attrs) => {
      if (rng.length !== 1 || rng[0] !== 2) {
        throw new ShapeError(
          `dropout: the random key must have shape [2], got ${formatShape(rng)}`,
        );
      }
      const p = attrs.p ?? -1;
      if (!(p >= 0 && p <= 1)) throw new ShapeError(`dropout: p must be in [0, 1], got ${p}`);
      return x;
    },
    // Linear in x with a fixed mask: the gradient is the same op applied to g,
    // which draws the same mask again (recomputed, never stored).
    vjp: (e, node, g) => [e.emit("dropout", [g, node.inputs[1]], node.attrs), null],
    eval: ([x, rng], attrs) => {
      const p = attrs.p ?? 0;
      const key = dropoutKey(rng.data[0] >>> 0, attrs.stream ?? 0, rng.data[1] >>> 0);
      const threshold = dropoutThreshold(p);
      const scale = dropoutScale(p);
      return x.data.map((v, i) => (dropoutBits(key, i) >= threshold ? v * scale : 0));
    },
  },
  concat: {
    kind: "concat",
    arity: 2,
    // [rows, a] and [rows, b] → [rows, a + b] (or [a] and [b] → [a + b]).
    shape: ([a, b]) => {
      const rowsDiffer = a.length === 2 && a[0] !== b[0];
      if (a.length !== b.length || a.length === 0 || rowsDiffer) {
        throw new ShapeError(
          `Cannot concat ${formatShape(a)} and ${formatShape(b)}: both must be vectors, or ` +
            `matrices with the same number of rows`,
        );
      }
      const out = [...a.slice(0, -1), lastDim(a) + lastDim(b)];
      checkRank("concat", out);
      return out;
    },
    vjp: (e, node, g) => {
      const width = lastDim(e.shapeOf(node.inputs[0]));
      const rest = lastDim(e.shapeOf(node.inputs[1]));
      return [
        e.emit("slice", [g], { start: 0, size: width }),
        e.emit("slice", [g], { start: width, size: rest }),
      ];
    },
    eval: ([a, b], _attrs, outShape) => {
      const [rows, cols] = asMatrix(outShape);
      const wa = a.shape[a.shape.length - 1];
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        out.set(a.data.subarray(i * wa, (i + 1) * wa), i * cols);
        out.set(b.data.subarray(i * (cols - wa), (i + 1) * (cols - wa)), i * cols + wa);
      }
      return out;
    },
  },
  slice: {
    kind: "slice",
    arity: 1,
    // Columns start..start+size of a matrix (or elements of a vector).
    shape: ([x], attrs) => {
      const start = attrs.start ?? -1;
      const size = attrs.size ?? -1;
      const ok = x.length >= 1 && Number.isInteger(start) && Number.isInteger(size) &&
        start >= 0 && size >= 1 && start + size <= lastDim(x);
      if (!ok) {
        throw new ShapeError(
          `Cannot slice columns ${start}..${start + size} of ${formatShape(x)}`,
        );
      }
      return [...x.slice(0, -1), size];
    },
    // The gradient is g in the sliced columns and zero elsewhere.
    vjp: (e, node, g) => {
      const shape = e.shapeOf(node.inputs[0]);
      const start = node.attrs.start ?? 0;
      const after = lastDim(shape) - start - (node.attrs.size ?? 0);
      const zeros = (width: number) =>
        e.emit("broadcast", [e.emit("const", [], { value: 0 })], {
          shape: [...shape.slice(0, -1), width],
        });
      let out = g;
      if (start > 0) out = e.emit("concat", [zeros(start), out]);
      if (after > 0) out = e.emit("concat", [out, zeros(after)]);
      return [out];
    },
    eval: ([x], attrs, outShape) => {
      const [rows, cols] = asMatrix(outShape);
      const width = x.shape[x.shape.length - 1];
      const start = attrs.start ?? 0;
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        out.set(x.data.subarray(i * width + start, i * width + start + cols), i * cols);
      }
      return out;
    },
  },
  gather: {
    kind: "sparse",
    arity: 2,
    // Rows of a table [V, D] picked by integer ids [n] or [n, L] → [n, L·D]
    // (each sample's L rows side by side).
    shape: ([table, ids]) => {
      const [, d] = tableDims("gather", table);
      const length = idsLength("gather", ids);
      const out = [ids[0], length * d];
      checkRank("gather", out);
      return out;
    },
    // The table's gradient: each row of g added into the row its id picked.
    vjp: (e, node, g) => {
      const [table, ids] = node.inputs;
      const rows = e.shapeOf(table)[0] as number;
      return [e.emit("scatteradd", [ids, g], { rows }), null];
    },
    eval: ([table, ids]) => gather64(table, ids),
  },
  scatteradd: {
    kind: "sparse",
    arity: 2,
    // ids [n] or [n, L] and g [n, L·D] → [rows, D]: row r of g added into row ids[r].
    shape: ([ids, g], attrs) => {
      const length = idsLength("scatteradd", ids);
      const ok = g.length === 2 && g[0] === ids[0] && typeof g[1] === "number" &&
        g[1] % length === 0;
      if (!ok) {
        throw new ShapeError(
          `scatteradd: g must be [${ids[0]}, ${length}·D] for ids ${formatShape(ids)}, got ${
            formatShape(g)
          }`,
        );
      }
      return [rowsOf("scatteradd", attrs), (g[1] as number) / length];
    },
    // Linear in g: the adjoint of a scatter is the gather.
    vjp: (e, node, g) => [null, e.emit("gather", [g, node.inputs[0]])],
    eval: ([ids, g], attrs) => scatterAdd64(ids, g, attrs.rows ?? 0),
  },
  bag: {
    kind: "sparse",
    arity: 3,
    // table [V, D], ids [T] (every bag's ids, one after another), ends [n]
    // (one past each bag's last id) → [n, D]: each bag's rows summed or averaged.
    shape: ([table, ids, ends], attrs) => {
      const [, d] = tableDims("bag", table);
      bagOperands("bag", ids, ends, null);
      poolOf("bag", attrs);
      return [ends[0], d];
    },
    vjp: (e, node, g) => {
      const [table, ids, ends] = node.inputs;
      const rows = e.shapeOf(table)[0] as number;
      return [e.emit("bagscatter", [ids, ends, g], { pool: node.attrs.pool, rows }), null, null];
    },
    eval: ([table, ids, ends], attrs) => bag64(table, ids, ends, poolOf("bag", attrs), null),
  },
  bagscatter: {
    kind: "sparse",
    arity: 3,
    // The table's gradient of `bag`: g[i] (or g[i]/size for a mean) added into
    // the row of each id of bag i; rows no id names stay zero.
    shape: ([ids, ends, g], attrs) => {
      bagOperands("bagscatter", ids, ends, null);
      bagGradient("bagscatter", ends, g);
      poolOf("bagscatter", attrs);
      return [rowsOf("bagscatter", attrs), g[1]];
    },
    // Linear in g: its adjoint is the bag itself.
    vjp: (e, node, g) => {
      const [ids, ends] = node.inputs;
      return [null, null, e.emit("bag", [g, ids, ends], { pool: node.attrs.pool })];
    },
    eval: ([ids, ends, g], attrs) =>
      bagScatter64(ids, ends, g, poolOf("bagscatter", attrs), null, attrs.rows ?? 0),
  },
  spmm: {
    kind: "sparse",
    arity: 4,
    // A sparse matrix (CSR: column ids [T], row ends [n], values [T]) times a
    // dense one [V, D] → [n, D]; EmbeddingBag's sum with per-sample weights.
    shape: ([table, cols, ends, values]) => {
      const [, d] = tableDims("spmm", table);
      bagOperands("spmm", cols, ends, values);
      return [ends[0], d];
    },
    vjp: (e, node, g) => {
      const [table, cols, ends, values] = node.inputs;
      const rows = e.shapeOf(table)[0] as number;
      return [
        e.emit("spmmscatter", [cols, ends, values, g], { rows }),
        null,
        null,
        e.emit("spmmdot", [table, cols, ends, g]),
      ];
    },
    eval: ([table, cols, ends, values]) => bag64(table, cols, ends, "sum", values),
  },
  spmmscatter: {
    kind: "sparse",
    arity: 4,
    // Aᵀ·g for the sparse A of `spmm`: values[k]·g[i] added into row cols[k].
    shape: ([cols, ends, values, g], attrs) => {
      bagOperands("spmmscatter", cols, ends, values);
      bagGradient("spmmscatter", ends, g);
      return [rowsOf("spmmscatter", attrs), g[1]];
    },
    vjp: (e, node, g) => {
      const [cols, ends, values, gOut] = node.inputs;
      return [
        null,
        null,
        e.emit("spmmdot", [g, cols, ends, gOut]),
        e.emit("spmm", [g, cols, ends, values]),
      ];
    },
    eval: ([cols, ends, values, g], attrs) =>
      bagScatter64(cols, ends, g, "sum", values, attrs.rows ?? 0),
  },
  spmmdot: {
    kind: "sparse",
    arity: 4,
    // The values' gradient of `spmm`: g[i]·table[cols[k]] for each position k
    // of row i; 0 past the last row's end → [T].
    shape: ([table, cols, ends, g]) => {
      tableDims("spmmdot", table);
      bagOperands("spmmdot", cols, ends, null);
      bagGradient("spmmdot", ends, g);
      if (g[1] !== table[1]) {
        throw new ShapeError(
          `spmmdot: g ${formatShape(g)} and the table ${formatShape(table)} differ in width`,
        );
      }
      return cols;
    },
    vjp: (e, node, g) => {
      const [table, cols, ends, gOut] = node.inputs;
      const rows = e.shapeOf(table)[0] as number;
      return [
        e.emit("spmmscatter", [cols, ends, g, gOut], { rows }),
        null,
        null,
        e.emit("spmm", [table, cols, ends, g]),
      ];
    },
    eval: ([table, cols, ends, g]) => spmmDot64(table, cols, ends, g),
  },
};

/** `[V, D]` of a table (fixed dimensions), or a `ShapeError`. */
function tableDims(op: string, table: Shape): [number, number] {
  const [v, d] = table;
  if (table.length !== 2 || typeof v !== "number" || typeof d !== "number") {
    throw new ShapeError(
      `${op}: the table must be a matrix [rows, width] of fixed size, got ${formatShape(table)}`,
    );
  }
  return [v, d];
}

/** L of ids `[n, L]` (1 for ids `[n]`). */
function idsLength(op: string, ids: Shape): number {
  if (ids.length === 1) return 1;
  if (ids.length === 2 && typeof ids[1] === "number") return ids[1];
  throw new ShapeError(`${op}: ids must be [n] or [n, length], got ${formatShape(ids)}`);
}

/** Checks ids (or column ids) `[T]`, ends `[n]` and, if given, values `[T]`. */
function bagOperands(op: string, ids: Shape, ends: Shape, values: Shape | null): void {
  if (ids.length !== 1 || typeof ids[0] !== "number" || ends.length !== 1) {
    throw new ShapeError(
      `${op}: ids must be a vector [capacity] of fixed size and ends a vector [n], got ` +
        `${formatShape(ids)} and ${formatShape(ends)}`,
    );
  }
  if (values !== null && !sameShape(values, ids)) {
    throw new ShapeError(
      `${op}: values ${formatShape(values)} must have the shape of the ids ${formatShape(ids)}`,
    );
  }
}

/** Checks a cotangent `[n, D]` against ends `[n]`. */
function bagGradient(op: string, ends: Shape, g: Shape): void {
  if (g.length !== 2 || g[0] !== ends[0] || typeof g[1] !== "number") {
    throw new ShapeError(
      `${op}: g must be [${ends[0]}, width] for ends ${formatShape(ends)}, got ${formatShape(g)}`,
    );
  }
}

function poolOf(op: string, attrs: Attrs): "sum" | "mean" {
  if (attrs.pool !== "sum" && attrs.pool !== "mean") {
    throw new ShapeError(`${op}: pool must be "sum" or "mean", got ${attrs.pool}`);
  }
  return attrs.pool;
}

function rowsOf(op: string, attrs: Attrs): number {
  const rows = attrs.rows ?? 0;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new ShapeError(`${op}: rows must be a positive integer, got ${attrs.rows}`);
  }
  return rows;
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** The attributes of `elu` with PyTorch's defaults (plain ELU with α = 1). */
function eluParams(attrs: Attrs): { alpha: number; scale: number; inputScale: number } {
  return { alpha: attrs.alpha ?? 1, scale: attrs.scale ?? 1, inputScale: attrs.inputScale ?? 1 };
}

/**
 * Dropout's scale of kept elements, 1/(1 − p) (0 for p = 1, where nothing is
 * kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutScale } from "./ops.ts";
 * assert.equal(dropoutScale(0.5), 2);
 * ```
 */
export function dropoutScale(p: number): number {
  return p >= 1 ? 0 : 1 / (1 - p);
}

function lastDim(shape: Shape): number {
  const d = shape[shape.length - 1];
  if (typeof d !== "number") {
    throw new ShapeError(`The last dimension must be fixed, got ${formatShape(shape)}`);
  }
  return d;
}

function normalizeShape(op: string, x: Shape, attrs: Attrs): Shape {
  const axis = attrs.axis;
  const eps = attrs.eps ?? -1;
  if (x.length < 1 || x.length > 2 || typeof axis !== "number" || axis < 0 || axis >= x.length) {
    throw new ShapeError(
      `${op}: normalizes a vector (axis 0) or a matrix along axis 0 or 1, got ${
        formatShape(x)
      } with axis ${axis}`,
    );
  }
  if (!(eps >= 0) || !Number.isFinite(eps)) {
    throw new ShapeError(`${op}: eps must be a finite number ≥ 0, got ${attrs.eps}`);
  }
  return x;
}

/**
 * The groups `normalize` takes statistics over, in a [rows, cols] view: for
 * axis 1 (or a vector) each row is a group of `cols` elements with stride 1;
 * for axis 0 each column is a group of `rows` elements with stride `cols`.
 */
function normalizeGroups(shape: readonly number[], axis: number) {
  const [rows, cols] = asMatrix(shape);
  const perRow = shape.length === 1 || axis === 1;
  return perRow
    ? { groups: rows, count: cols, start: (k: number) => k * cols, stride: 1 }
    : { groups: cols, count: rows, start: (k: number) => k, stride: cols };
}

/** f64 `normalize` (g null) or its gradient for the cotangent g. */
function normalize64(x: Tensor64, attrs: Attrs, g: Tensor64 | null): Float64Array {
  const { groups, count, start, stride } = normalizeGroups(x.shape, attrs.axis ?? 0);
  const eps = attrs.eps ?? 0;
  const out = new Float64Array(x.data.length);
  for (let k = 0; k < groups; k++) {
    const at = (j: number) => start(k) + j * stride;
    let mean = 0;
    for (let j = 0; j < count; j++) mean += x.data[at(j)];
    mean /= count;
    let variance = 0;
    for (let j = 0; j < count; j++) variance += (x.data[at(j)] - mean) ** 2;
    variance /= count;
    const r = 1 / Math.sqrt(variance + eps);
    if (g === null) {
      for (let j = 0; j < count; j++) out[at(j)] = (x.data[at(j)] - mean) * r;
      continue;
    }
    let sumG = 0;
    let sumGX = 0;
    for (let j = 0; j < count; j++) {
      sumG += g.data[at(j)];
      sumGX += g.data[at(j)] * (x.data[at(j)] - mean);
    }
    for (let j = 0; j < count; j++) {
      const centered = x.data[at(j)] - mean;
      out[at(j)] = r * (g.data[at(j)] - sumG / count - centered * r * r * (sumGX / count));
    }
  }
  return out;
}

/**
 * One row of softmax cross-entropy with its maximum m kept apart, so results
 * do not depend on the logits' scale: Σ e^(x − m) = 1 + V, where V counts the
 * other maxima and adds e^(x − m) of the rest, and log Σ = log1p(V) keeps its
 * accuracy when V is tiny (a confident row: a loss of 1e-15 stays exact).
 */
function softmaxRow(row: Float64Array): { m: number; rest: number; log: number } {
  let m = -Infinity;
  for (const v of row) m = Math.max(m, v);
  let maxima = 0;
  let others = 0;
  for (const v of row) {
    if (v === m) maxima++;
    else others += Math.exp(v - m);
  }
  const rest = (maxima - 1) + others;
  return { m, rest, log: Math.log1p(rest) };
}

function countedDims(attrs: Attrs): Dim[] {
  const shape = attrs.shape ?? [];
  const axis = attrs.axis;
  return axis === null || axis === undefined ? [...shape] : [shape[axis]];
}

function countOf(attrs: Attrs, batch: number): number {
  return elementCount(countedDims(attrs), batch);
}

/**
 * Computes a node's shape from its operands' shapes through the op table,
 * checking the operand count first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inferShape } from "./ops.ts";
 * assert.ok(inferShape("matmul", [["batch", 784], [784, 128]], {}).join() === "batch,128");
 * ```
 */
export function inferShape(op: OpName, inputs: readonly Shape[], attrs: Attrs): Shape {
  const def = OPS[op];
  if (inputs.length !== def.arity) {
    throw new ShapeError(`${op} takes ${def.arity} operand(s), got ${inputs.length}`);
  }
  return def.shape(inputs, attrs);
}

/**
 * The f64 reference value of an elementwise op over broadcast operands, or of
 * a kernel op; the interpreter calls this for every node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateOp } from "./ops.ts";
 * const x = { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] };
 * const b = { data: Float64Array.of(10, 20), shape: [2] };
 * const y = evaluateOp("add", [x, b], {}, [2, 2], 2);
 * assert.ok(Array.from(y).join() === "11,22,13,24");
 * ```
 */
export function evaluateOp(
  op: OpName,
  inputs: readonly Tensor64[],
  attrs: Attrs,
  outShape: readonly number[],
  batch: number,
): Float64Array {
  const def = OPS[op];
  if (def.kind !== "elementwise") return def.eval(inputs, attrs, outShape);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const strides = inputs.map((t) => broadcastStrides(t.shape, outShape));
  const rank = outShape.length;
  const args = new Array<number>(inputs.length);
  for (let flat = 0; flat < size; flat++) {
    for (let k = 0; k < inputs.length; k++) {
      let rest = flat;
      let offset = 0;
      for (let axis = rank - 1; axis >= 0; axis--) {
        const index = rest % outShape[axis];
        rest = Math.floor(rest / outShape[axis]);
        offset += index * strides[k][axis];
      }
      args[k] = inputs[k].data[offset];
    }
    out[flat] = def.f64(args, attrs, batch);
  }
  return out;
}

/**
 * Strides (in elements) with which an operand of shape `from` is read when
 * broadcast to `to`: 0 along broadcast axes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { broadcastStrides } from "./ops.ts";
 * assert.ok(broadcastStrides([3], [2, 3]).join() === "0,1");
 * assert.ok(broadcastStrides([2, 1], [2, 3]).join() === "1,0");
 * ```
 */
export function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const strides = new Array<number>(to.length).fill(0);
  let stride = 1;
  for (let axis = from.length - 1; axis >= 0; axis--) {
    const outAxis = to.length - from.length + axis;
    strides[outAxis] = from[axis] === 1 && to[outAxis] !== 1 ? 0 : stride;
    stride *= from[axis];
  }
  return strides;
}
