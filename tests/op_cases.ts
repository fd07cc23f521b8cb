/**
 * One table of per-op cases, run by `tests/op_cases_test.ts` on the f64
 * reference interpreter and on compiled WebAssembly (f64, f32, f32 with
 * relaxed SIMD). Coverage is derived from the op table: every op of `OPS`
 * must appear in the traced graph of some case (its values or its gradient),
 * or the suite fails. A new op therefore needs a row here — usually one line
 * with `unary(...)` or `binary(...)`.
 *
 * A case names its inputs (shape, value range, or integer labels), builds
 * named outputs from them, and lists the inputs to differentiate: the runner
 * then also computes `grad(Σ output·r)` for a random cotangent r, so each
 * op's VJP graph runs compiled as well.
 *
 * @module
 */

import type { Attrs, OpName } from "../compiler/ir/ir.ts";
import { inferShape } from "../compiler/ir/ops.ts";
import * as T from "../compiler/frontend/tensor.ts";
import * as S from "../compiler/frontend/sparse.ts";
import * as A from "../compiler/frontend/activations.ts";
import type { Shape } from "../core/shape.ts";

/** One input of a case. */
export interface CaseInput {
  /** Its shape ("batch" only first). */
  readonly shape: Shape;
  /** Values drawn uniformly in [min, max] (default [-2, 2]). */
  readonly min?: number;
  /** Upper end of the range. */
  readonly max?: number;
  /** Keep values at least this far from 0 (a kink or a pole there). */
  readonly gap?: number;
  /** Integer labels in [0, classes) instead of real values (a "label" input). */
  readonly classes?: number;
  /**
   * Bag ends instead of real values: a non-decreasing sequence of integers in
   * [0, ends] (empty bags and unused positions of a buffer of `ends` ids included).
   */
  readonly ends?: number;
}

/** A row of the table. */
export interface OpCase {
  /** Unique name, shown in the test name. */
  readonly name: string;
  /** Inputs by name. */
  readonly inputs: Readonly<Record<string, CaseInput>>;
  /** The outputs computed from the inputs. */
  readonly build: (x: Readonly<Record<string, T.Tensor>>) => Record<string, T.Tensor>;
  /** Inputs whose gradient (of Σ output·r over every output) is checked too. */
  readonly grad?: readonly string[];
  /**
   * Tolerance of f32 against the f64 interpreter, relative to max(1, |value|)
   * (default 1e-5: a few f32 ulps through a short chain of operations).
   */
  readonly f32Tolerance?: number;
}

/** A primitive node built directly (for ops the DSL only uses internally). */
export function prim(op: OpName, inputs: readonly T.Tensor[], attrs: Attrs = {}): T.Tensor {
  const shape = inferShape(op, inputs.map((t) => t.shape), attrs);
  return { op, inputs, shape, attrs };
}

/** Columns of most cases: not a multiple of 4, so both SIMD bodies and scalar tails run. */
export const COLS = 6;

/** A case for a unary elementwise op applied to a [batch, COLS] input. */
export function unary(
  name: string,
  f: (x: T.Tensor) => T.Tensor,
  range: Omit<CaseInput, "shape"> = {},
  f32Tolerance?: number,
): OpCase {
  return {
    name,
    inputs: { x: { shape: ["batch", COLS], min: -3, max: 3, ...range } },
    build: ({ x }) => ({ y: f(x) }),
    grad: ["x"],
    f32Tolerance,
  };
}

/** Operand shapes of the broadcasting patterns the elementwise emitter lowers. */
export const PATTERNS: readonly [string, Shape][] = [
  ["[batch,c]", ["batch", COLS]],
  ["bias row [c]", [COLS]],
  ["row [1,c]", [1, COLS]],
  ["column [batch,1]", ["batch", 1]],
  ["scalar []", []],
];

/** Cases for a binary elementwise op: [batch, c] with every pattern, on either side. */
export function binary(
  name: string,
  f: (a: T.Tensor, b: T.Tensor) => T.Tensor,
  right: Omit<CaseInput, "shape"> = {},
): OpCase[] {
  const cases: OpCase[] = [];
  for (const [pattern, shape] of PATTERNS) {
    cases.push({
      name: `${name} [batch,c] with ${pattern}`,
      inputs: { a: { shape: ["batch", COLS] }, b: { shape, ...right } },
      build: ({ a, b }) => ({ y: f(a, b) }),
      grad: ["a", "b"],
    });
    if (pattern === "[batch,c]") continue;
    cases.push({
      name: `${name} ${pattern} with [batch,c]`,
      inputs: { a: { shape, ...right }, b: { shape: ["batch", COLS], ...right } },
      build: ({ a, b }) => ({ y: f(a, b) }),
      grad: ["a", "b"],
    });
  }
  return cases;
}

/** The table. */
export const OP_CASES: OpCase[] = [
  unary("neg", T.neg),
  unary("exp", T.exp),
  unary("log", T.log, { min: 0.05, max: 4 }),
  unary("tanh", T.tanh),
  unary("sigmoid", T.sigmoid),
  unary("relu", T.relu, { gap: 1e-3 }),
  unary("sqrt", T.sqrt, { min: 0.05, max: 4 }),
  unary("step", (x) => prim("step", [x]), { gap: 1e-3 }),
  unary("stopgrad", (x) => T.mul(T.stopGradient(x), x)),
  unary("expm1", T.expm1),
  unary("log1p", T.log1p, { min: -0.9, max: 4 }),
  unary("erf", T.erf),
  unary("leakyrelu α = 0.1 (rule reads the output)", A.leakyRelu(0.1), { gap: 1e-3 }),
  unary("leakyrelu α = −0.5 (rule reads the input)", A.leakyRelu(-0.5), { gap: 1e-3 }),
  unary("elu α = 1.5", A.elu(1.5), { gap: 1e-3 }),
  unary("elu as selu", A.selu, { gap: 1e-3 }),
  unary("elu as celu α = 2", A.celu(2), { gap: 1e-3 }),
  unary("elu α = −0.5 (rule reads the input)", A.elu(-0.5), { gap: 1e-3 }),
  unary("softplus, no threshold (rule reads the output)", A.softplus(1, Infinity), {
    min: -30,
    max: 30,
  }),
  unary("softplus β = 2, threshold 4 (rule reads the input)", A.softplus(2, 4)),
  unary("hardtanh [−0.5, 2]", A.hardTanh(-0.5, 2)),
  unary("hardswish", A.hardSwish, { min: -5, max: 5 }),
  {
    name: "select with every operand pattern",
    inputs: {
      c: { shape: ["batch", COLS], gap: 1e-3 },
      a: { shape: ["batch", COLS] },
      row: { shape: [COLS] },
      col: { shape: ["batch", 1], gap: 1e-3 },
      s: { shape: [] },
    },
    build: ({ c, a, row, col, s }) => ({
      full: T.where(c, a, row),
      mixed: T.where(col, s, a),
      scalarCondition: T.where(s, row, col),
    }),
    grad: ["a", "row", "col", "s"],
  },
  {
    name: "literal (a row of constants)",
    inputs: { x: { shape: ["batch", COLS] } },
    build: ({ x }) => ({ y: T.mul(x, T.literal([0.5, -1, 2, 0.25, 3, -0.75])) }),
    grad: ["x"],
  },
  ...binary("add", T.add),
  ...binary("sub", T.sub),
  ...binary("mul", T.mul),
  ...binary("div", T.div, { min: 0.5, max: 2 }),
  {
    name: "ge (both sides drawn, rows and a bias row)",
    inputs: { a: { shape: ["batch", COLS] }, b: { shape: [COLS] } },
    build: ({ a, b }) => ({ full: prim("ge", [a, b]), self: prim("ge", [a, a]) }),
  },
  {
    name: "const and count (mean over all, over an axis)",
    inputs: { x: { shape: ["batch", COLS] } },
    build: ({ x }) => ({
      all: T.mean(x),
      rows: T.mean(x, { axis: 1, keepdims: true }),
      scaled: T.mul(T.add(x, 0.5), 3),
    }),
    grad: ["x"],
  },
  {
    name: "broadcast and reshape",
    inputs: { b: { shape: [COLS] }, m: { shape: [2, COLS] }, x: { shape: ["batch", COLS] } },
    build: ({ b, m, x }) => ({
      tiled: T.reshape(T.broadcastTo(b, [3, COLS]), [3 * COLS]),
      matrix: T.reshape(T.exp(m), [3, 4]),
      rows: T.reshape(T.sum(x, { axis: 1, keepdims: true }), ["batch"]),
      column: T.broadcastTo(T.sum(x, { axis: 1, keepdims: true }), ["batch", COLS]),
    }),
    grad: ["b", "m", "x"],
  },
  ...[[false, false], [false, true], [true, false], [true, true]].map((
    [transA, transB],
  ): OpCase => ({
    name: `matmul transA=${transA} transB=${transB}`,
    inputs: {
      // "batch" may only lead a shape: a transposed left operand has fixed rows.
      a: { shape: transA ? [7, 5] : ["batch", 7] },
      b: { shape: transB ? [COLS, 7] : [7, COLS] },
    },
    build: ({ a, b }) => ({ y: T.matmul(a, b, { transA, transB }) }),
    grad: ["a", "b"],
  })),
  {
    name: "matmul with a bias + activation epilogue",
    inputs: {
      x: { shape: ["batch", 9] },
      w: { shape: [9, 10] },
      b: { shape: [10] },
    },
    build: ({ x, w, b }) => ({ y: T.tanh(T.add(T.matmul(x, w), b)) }),
    grad: ["x", "w", "b"],
  },
  ...[0, 1, undefined].flatMap((axis) =>
    (["sum", "max"] as const).map((op): OpCase => ({
      name: `${op} over axis ${axis ?? "all"}`,
      // 9 columns: f32 vector runs and tails in every reduction layout.
      inputs: { x: { shape: ["batch", 9], min: -3, max: 3 } },
      build: ({ x }) => ({
        y: (op === "sum" ? T.sum : T.max)(x, { axis, keepdims: axis !== undefined }),
      }),
      grad: ["x"],
    }))
  ),
  {
    name: "onehot",
    inputs: { y: { shape: ["batch"], classes: 5 } },
    build: ({ y }) => ({ h: T.oneHot(y, 5) }),
  },
  ...[false, true].map((gradient): OpCase => ({
    name: gradient
      ? "normalizegrad: the gradient of normalize per row and per column"
      : "normalize per row and per column",
    // 9 columns: f32 vector runs and tails per row and per group of columns.
    inputs: { x: { shape: ["batch", 9], min: -3, max: 3 } },
    build: ({ x }) => ({
      rows: T.normalize(x),
      columns: T.normalize(x, { axis: 0, eps: 0.1 }),
    }),
    grad: gradient ? ["x"] : [],
  })),
  {
    // The random key ("rng", two u32 words) is drawn as integers by the runner.
    name: "dropout (and its gradient, the same mask)",
    inputs: { x: { shape: ["batch", 9] } },
    build: ({ x }) => ({ y: T.dropoutMasked(x, 0.4, 12345) }),
    grad: ["x"],
  },
  {
    name: "concat and slice",
    inputs: { a: { shape: ["batch", 5] }, b: { shape: ["batch", COLS] }, v: { shape: [3] } },
    build: ({ a, b, v }) => ({
      both: T.concat(a, b),
      middle: T.slice(T.concat(a, b), 2, 7),
      vector: T.concat(v, T.slice(v, 1, 2)),
    }),
    grad: ["a", "b", "v"],
  },
  ...[2, 3, 10].map((classes): OpCase => ({
    name: `softmaxce and its gradient softmaxcegrad, ${classes} classes`,
    inputs: {
      x: { shape: ["batch", classes], min: -5, max: 5 },
      y: { shape: ["batch"], classes },
    },
    build: ({ x, y }) => ({ loss: T.softmaxCrossEntropyRows(x, y) }),
    grad: ["x"],
  })),
  {
    name: "gather: rows of a table by ids [batch] and [batch, 3]",
    inputs: {
      table: { shape: [7, COLS] },
      one: { shape: ["batch"], classes: 7 },
      three: { shape: ["batch", 3], classes: 7 },
    },
    build: ({ table, one, three }) => ({
      rows: S.gather(table, one),
      windows: S.gather(table, three),
    }),
    grad: ["table"],
  },
  {
    name: "scatteradd (the gradient of gather) and its gradient, a gather",
    inputs: { ids: { shape: ["batch", 2], classes: 5 }, g: { shape: ["batch", 2 * COLS] } },
    build: ({ ids, g }) => ({ table: prim("scatteradd", [ids, g], { rows: 5 }) }),
    grad: ["g"],
  },
  {
    name: "bag: sum and mean of bags of rows (empty bags included)",
    inputs: {
      table: { shape: [9, COLS] },
      ids: { shape: [12], classes: 9 },
      ends: { shape: ["batch"], ends: 12 },
    },
    build: ({ table, ids, ends }) => ({
      sum: S.bag(table, ids, ends, "sum"),
      mean: S.bag(table, ids, ends, "mean"),
    }),
    grad: ["table"],
  },
  ...(["sum", "mean"] as const).map((pool): OpCase => ({
    name: `bagscatter (the gradient of a ${pool} bag) and its gradient, a bag`,
    inputs: {
      ids: { shape: [12], classes: 9 },
      ends: { shape: ["batch"], ends: 12 },
      g: { shape: ["batch", 5] },
    },
    build: ({ ids, ends, g }) => ({
      table: prim("bagscatter", [ids, ends, g], { pool, rows: 9 }),
    }),
    grad: ["g"],
  })),
  {
    name: "spmm: a sparse matrix (CSR) times a dense one",
    inputs: {
      values: { shape: [12] },
      columns: { shape: [12], classes: 9 },
      ends: { shape: ["batch"], ends: 12 },
      w: { shape: [9, 5] },
    },
    build: ({ values, columns, ends, w }) => ({ y: S.sparseMatmul(values, columns, ends, w) }),
    grad: ["values", "w"],
  },
  {
    name: "spmmscatter and spmmdot (the gradients of spmm) and their gradients",
    inputs: {
      values: { shape: [12] },
      columns: { shape: [12], classes: 9 },
      ends: { shape: ["batch"], ends: 12 },
      g: { shape: ["batch", COLS] },
      table: { shape: [9, COLS] },
    },
    build: ({ values, columns, ends, g, table }) => ({
      scattered: prim("spmmscatter", [columns, ends, values, g], { rows: 9 }),
      dots: prim("spmmdot", [table, columns, ends, g]),
    }),
    grad: ["values", "g", "table"],
  },
];
