// Gradients of every differentiable primitive op agree with central finite
// differences in f64, over random shapes (with broadcasting and the batch
// dimension) and random values. Each op's output is contracted with a random
// cotangent R (L = Σ op(…)·R), so the VJP is checked for arbitrary incoming
// gradients, not only for ones. Tolerance: see compiler/check_gradients.ts
// (|sym − num| ≤ 1e-6 + 1e-5·|num|; finite-difference error is ~1e-10 here).
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { checkGraphGradients } from "../compiler/driver/check_gradients.ts";
import type { OpName } from "../compiler/ir/ir.ts";
import { OPS } from "../compiler/ir/ops.ts";
import type { Shape } from "../core/shape.ts";
import * as T from "../compiler/frontend/tensor.ts";
import * as A from "../compiler/frontend/activations.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { verify } from "../compiler/ir/verify.ts";
import { differentiate } from "../compiler/passes/differentiate.ts";
import { SEED, sizeOf, valuesArb } from "./helpers.ts";

interface Case {
  readonly inputs: {
    name: string;
    shape: Shape;
    range: number;
    gap: number;
    positive?: boolean;
    /** Distinct values at least 0.01 apart (for max, which has kinks at ties). */
    distinct?: boolean;
  }[];
  readonly build: (xs: T.Tensor[]) => T.Tensor;
}

/** Builds L = Σ out·R and checks d L / d every input. */
function check(c: Case, batch: number, values: number[][], cotangent: number[], rules = OPS) {
  const xs = c.inputs.map((i) => T.input(i.name, i.shape));
  const out = c.build(xs);
  const r = T.input("R", out.shape);
  const graph = verify(trace({ loss: T.sum(T.mul(out, r)) }, "f64"));
  const bindings: Record<string, number[]> = { R: cotangent };
  c.inputs.forEach((i, k) => {
    bindings[i.name] = i.positive ? values[k].map((v) => Math.abs(v) + 0.1) : values[k];
  });
  verify(differentiate(graph, "loss", c.inputs.map((i) => i.name)));
  return checkGraphGradients(graph, "loss", c.inputs.map((i) => i.name), bindings, batch, {
    rules,
  });
}

function property(make: (rows: number, cols: number) => Case, runs = 200) {
  const arb = fc.record({
    batch: fc.integer({ min: 1, max: 4 }),
    cols: fc.integer({ min: 1, max: 4 }),
  })
    .chain(({ batch, cols }) => {
      const c = make(batch, cols);
      const xs = fc.tuple(...c.inputs.map((i) => {
        const size = sizeOf(i.shape, batch);
        if (!i.distinct) return valuesArb(size, i.range, i.gap);
        const ints = fc.uniqueArray(fc.integer({ min: -300, max: 300 }), {
          minLength: size,
          maxLength: size,
        });
        return ints.map((a) => a.map((v) => v / 100));
      }));
      const xsShapes = c.inputs.map((i) => T.input(i.name, i.shape));
      const outSize = sizeOf(c.build(xsShapes).shape, batch);
      return fc.record({
        batch: fc.constant(batch),
        cols: fc.constant(cols),
        xs,
        r: valuesArb(outSize, 1),
      });
    });
  fc.assert(
    fc.property(arb, ({ batch, cols, xs, r }) => {
      for (const report of check(make(batch, cols), batch, xs as number[][], r)) {
        assert.ok(
          report.ok,
          `${report.name}[${report.worstIndex}]: expected ${report.expected}, got ${report.got}`,
        );
      }
    }),
    { seed: SEED, numRuns: runs },
  );
}

const unary =
  (op: (x: T.Tensor) => T.Tensor, options: { positive?: boolean; gap?: number } = {}) =>
  (_rows: number, cols: number): Case => ({
    inputs: [{
      name: "x",
      shape: ["batch", cols],
      range: 3,
      gap: options.gap ?? 0,
      positive: options.positive,
    }],
    build: ([x]) => op(x),
  });

for (
  const [name, op, opts] of [
    ["neg", T.neg, {}],
    ["exp", T.exp, {}],
    ["log", T.log, { positive: true }],
    ["tanh", T.tanh, {}],
    ["sigmoid", T.sigmoid, {}],
    ["relu (kept 1e-3 away from its kink)", T.relu, { gap: 1e-3 }],
    ["sqrt", T.sqrt, { positive: true }],
    ["expm1", T.expm1, {}],
    ["log1p (on (−0.9, 0.9))", (x: T.Tensor) => T.log1p(T.mul(x, 0.3)), {}],
    ["erf", T.erf, {}],
    ["leakyrelu α = 0.1 (from the output)", (x: T.Tensor) => A.leakyRelu(x, 0.1), {}],
    ["leakyrelu α = −0.5 (from the input)", (x: T.Tensor) => A.leakyRelu(x, -0.5), {}],
    ["elu α = 1.5", (x: T.Tensor) => A.elu(x, 1.5), {}],
    ["elu as selu", A.selu, {}],
    ["elu as celu α = 0.5", (x: T.Tensor) => A.celu(x, 0.5), {}],
    ["elu as celu α = −2 (from the input)", (x: T.Tensor) => A.celu(x, -2), {}],
    ["elu α = −0.5 (from the input)", (x: T.Tensor) => A.elu(x, -0.5), {}],
    ["softplus", (x: T.Tensor) => A.softplus(x), {}],
    ["softplus β = 2, threshold 4", (x: T.Tensor) => A.softplus(x, 2, 4), {}],
    ["softplus β = 0.5, no threshold", (x: T.Tensor) => A.softplus(x, 0.5, Infinity), {}],
    ["hardtanh", (x: T.Tensor) => A.hardTanh(x), {}],
    ["hardtanh [−0.5, 2]", (x: T.Tensor) => A.hardTanh(x, -0.5, 2), {}],
    ["hardswish", A.hardSwish, {}],
    [
      "step (derivative 0 away from 0)",
      (x: T.Tensor) => T.mul(x, { op: "step", inputs: [x], shape: x.shape, attrs: {} }),
      { gap: 1e-3 },
    ],
  ] as const
) {
  Deno.test(`gradient of ${name} matches finite differences`, () =>
    property(unary(op as (x: T.Tensor) => T.Tensor, opts)));
}

// Every broadcasting pattern the compiler lowers: full, bias row, column, scalar.
const patterns: [string, (rows: number, cols: number) => Shape][] = [
  ["same shape", (_r, c) => ["batch", c]],
  ["bias row [c]", (_r, c) => [c]],
  ["row [1,c]", (_r, c) => [1, c]],
  ["column [batch,1]", () => ["batch", 1]],
  ["scalar []", () => []],
];
for (
  const [opName, op] of [["add", T.add], ["sub", T.sub], ["mul", T.mul], ["div", T.div]] as const
) {
  for (const [pattern, shapeOf] of patterns) {
    Deno.test(`gradient of ${opName} with ${pattern} operand matches finite differences`, () => {
      property((rows, cols) => ({
        inputs: [
          { name: "a", shape: ["batch", cols], range: 2, gap: 0 },
          { name: "b", shape: shapeOf(rows, cols), range: 2, gap: opName === "div" ? 0.5 : 0 },
        ],
        build: ([a, b]) => op(a, b),
      }), 60);
      property((rows, cols) => ({
        inputs: [
          { name: "a", shape: shapeOf(rows, cols), range: 2, gap: 0 },
          { name: "b", shape: ["batch", cols], range: 2, gap: opName === "div" ? 0.5 : 0 },
        ],
        build: ([a, b]) => op(a, b),
      }), 60);
    });
  }
}

// select (where): the condition takes any pattern, as do both branches.
for (const [pattern, shapeOf] of patterns) {
  Deno.test(`gradient of select with a ${pattern} condition and branches matches finite differences`, () => {
    property((rows, cols) => ({
      inputs: [
        { name: "c", shape: shapeOf(rows, cols), range: 2, gap: 1e-3 },
        { name: "a", shape: ["batch", cols], range: 2, gap: 0 },
        { name: "b", shape: shapeOf(rows, cols), range: 2, gap: 0 },
      ],
      build: ([c, a, b]) => T.add(T.where(c, a, b), T.where(c, T.mul(b, b), T.exp(a))),
    }), 60);
  });
}

Deno.test("gradient through a literal (class-weight style) matches finite differences", () => {
  property((_rows, cols) => ({
    inputs: [{ name: "x", shape: ["batch", cols], range: 2, gap: 0 }],
    build: ([x]) => T.mul(x, T.literal(Array.from({ length: cols }, (_, i) => 0.5 + i))),
  }));
});

for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
  Deno.test(`gradient of matmul transA=${transA} transB=${transB} matches finite differences`, () => {
    property((rows, cols) => {
      const k = cols + 1;
      return {
        inputs: [
          // "batch" may only lead a shape, so a transposed left operand has a fixed size.
          { name: "a", shape: transA ? [k, rows] : ["batch", k], range: 2, gap: 0 },
          { name: "b", shape: transB ? [cols, k] : [k, cols], range: 2, gap: 0 },
        ],
        build: ([a, b]) => T.matmul(a, b, { transA, transB }),
      };
    }, 200);
  });
}

for (const axis of [0, 1, undefined]) {
  for (const [name, op] of [["sum", T.sum], ["mean", T.mean], ["max", T.max]] as const) {
    Deno.test(`gradient of ${name} over axis ${axis ?? "all"} matches finite differences`, () => {
      property((_rows, cols) => ({
        inputs: [{ name: "x", shape: ["batch", cols], range: 3, gap: 0, distinct: name === "max" }],
        build: ([x]) => op(x, { axis, keepdims: axis !== undefined && cols % 2 === 0 }),
      }));
    });
  }
}

Deno.test("gradient of broadcast and reshape matches finite differences", () => {
  property((_rows, cols) => ({
    inputs: [{ name: "b", shape: [cols], range: 2, gap: 0 }],
    build: ([b]) => T.reshape(T.broadcastTo(b, [3, cols]), [3 * cols]),
  }));
});

for (const axis of [0, -1]) {
  Deno.test(`gradient of normalize over axis ${axis} matches finite differences`, () => {
    property((_rows, cols) => ({
      inputs: [{ name: "x", shape: ["batch", cols], range: 3, gap: 0 }],
      build: ([x]) => T.normalize(x, { axis }),
    }));
  });
}

Deno.test("gradient of concat and slice matches finite differences", () => {
  property((_rows, cols) => ({
    inputs: [
      { name: "a", shape: ["batch", cols], range: 2, gap: 0 },
      { name: "b", shape: ["batch", cols + 1], range: 2, gap: 0 },
    ],
    build: ([a, b]) => T.slice(T.concat(T.mul(a, b.shape[1] as number), b), 1, cols),
  }));
});

Deno.test("every differentiable op of the table is covered above", () => {
  const covered: OpName[] = [
    "neg",
    "exp",
    "log",
    "tanh",
    "sigmoid",
    "relu",
    "sqrt",
    "step",
    "expm1",
    "log1p",
    "erf",
    "select",
    "leakyrelu",
    "elu",
    "softplus",
    "hardtanh",
    "hardswish",
    "add",
    "sub",
    "mul",
    "div",
    "matmul",
    "sum",
    "max",
    "broadcast",
    "reshape",
    "count",
    "const",
    "normalize",
    "concat",
    "slice",
    // dropout draws its mask from an "rng" input: check_gradients_test.ts and
    // layer_ops_test.ts check it with the mask fixed.
    "dropout",
    // The index ops take integer ids and bag ends: sparse_ops_test.ts checks
    // them (and the VJPs of their gradients, in the op cases) instead.
    "gather",
    "scatteradd",
    "bag",
    "bagscatter",
    "spmm",
    "spmmscatter",
    "spmmdot",
  ];
  // No gradient flows through these by definition (tested in the loss tests);
  // softmaxce (integer labels) has its own property test in check_gradients_test.ts.
  const nonDifferentiable: OpName[] = [
    "input",
    "stopgrad",
    "ge",
    "onehot",
    "literal",
    "softmaxce",
    "softmaxcegrad",
    "normalizegrad",
  ];
  for (const op of Object.keys(OPS) as OpName[]) {
    assert.ok(
      covered.includes(op) || nonDifferentiable.includes(op),
      `op ${op} has no gradient test`,
    );
  }
});

Deno.test("the gradient check can fail: a planted wrong derivative of tanh is caught", () => {
  // Wrong rule: d tanh = y instead of 1 − y².
  const wrong = { ...OPS, tanh: { ...OPS.tanh, vjp: OPS.exp.vjp } };
  const reports = check(unary(T.tanh)(2, 3), 2, [[0.3, -0.7, 1.2, 0.1, -1.5, 0.9]], [
    1,
    1,
    1,
    1,
    1,
    1,
  ], wrong);
  assert.equal(reports[0].ok, false);
  assert.ok(
    reports[0].maxAbsError > 0.1,
    `error ${reports[0].maxAbsError} should be of the order of f'`,
  );
  const right = check(unary(T.tanh)(2, 3), 2, [[0.3, -0.7, 1.2, 0.1, -1.5, 0.9]], [
    1,
    1,
    1,
    1,
    1,
    1,
  ]);
  assert.equal(right[0].ok, true);
});
