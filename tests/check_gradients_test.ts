// The public gradient checker (`checkGradients`, `checkModelGradients`):
//
// - every differentiable op of the op table, every loss and every activation
//   passes it under fast-check, 200 seeded cases each, with the symbolic
//   gradient compiled to f64 WebAssembly (the default engine);
// - random MLP architectures (depth 1–4, widths 1–64, every activation, every
//   layer — dropout, layerNorm, batchNorm, residual, parallel — every loss)
//   pass it;
// - it can fail: planted wrong VJP rules and a wrong hand-written derivative
//   are caught, and the error names the input or parameter and the element;
// - kinks (relu at 0) are accepted with a subgradient, and only then;
// - the wasm and interpreter engines agree, and `samples` checks a
//   reproducible subset.
//
// Tolerance: the checker's defaults (|got − expected| ≤ 1e-6 + 1e-5·|expected|,
// justified in compiler/check_gradients.ts). Seeds: tests/helpers.ts; fast-check
// prints the seed and the counterexample's path when a property fails.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import type { CompileCache } from "../compiler/driver/run_graph.ts";
import {
  checkGradients,
  type CheckGradientsOptions,
  checkModelGradients,
  GradientCheckError,
} from "../compiler/driver/check_gradients.ts";
import { CompileError, InputError } from "../core/errors.ts";
import type { OpName } from "../compiler/ir/ir.ts";
import { chain, dense } from "../compiler/frontend/layers.ts";
import {
  binaryCrossEntropyWithLogits,
  mse,
  softmaxCrossEntropy,
} from "../compiler/frontend/losses.ts";
import { type OpDef, OPS } from "../compiler/ir/ops.ts";
import type { Shape } from "../core/shape.ts";
import * as T from "../compiler/frontend/tensor.ts";
import * as A from "../compiler/frontend/activations.ts";
import { grad } from "../compiler/frontend/grad.ts";
import {
  ACTIVATIONS,
  architectures,
  LAYERS,
  LOSSES,
  modelCases,
  tensors,
  type ValueOptions,
} from "../testing/arbitraries.ts";
import { activationGradientsMatch, lossGradientsMatch } from "../testing/properties.ts";
import { withDerivative } from "../testing/derivatives.ts";
import { SEED } from "./helpers.ts";

/** The index ops, checked through this checker in sparse_ops_test.ts. */
const SPARSE_OPS: OpName[] = [
  "gather",
  "scatteradd",
  "bag",
  "bagscatter",
  "spmm",
  "spmmscatter",
  "spmmdot",
];

/** Runs `fn`, which must throw a `GradientCheckError`, and returns that error. */
function gradientError(fn: () => unknown): GradientCheckError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof GradientCheckError, `expected a GradientCheckError, got ${e}`);
    return e;
  }
  throw new assert.AssertionError({ message: "the gradient check did not fail" });
}

const RUNS = 200;

// ------------------------------------------------------------ the op table --

interface OpCase {
  /** The ops of the table this case differentiates. */
  readonly covers: readonly OpName[];
  /** Inputs: shape (may use `cols` and "batch") and value options. */
  readonly inputs: (cols: number) => Record<string, { shape: Shape } & ValueOptions>;
  /** The expression, before contraction with the random cotangent. */
  readonly f: (x: Record<string, T.Tensor>) => T.Tensor;
}

/**
 * 200 cases of `Σ f(inputs)·r` with a random cotangent r (so the VJP is
 * checked for arbitrary incoming gradients), random column counts 1..4 and
 * batches 1..4. One cache per property: each structure compiles once.
 */
function assertOp(c: OpCase, options: CheckGradientsOptions = {}) {
  const cache = new Map() as CompileCache;
  const arb = fc.integer({ min: 1, max: 4 }).chain((cols) => {
    const specs = c.inputs(cols);
    return fc.integer({ min: 1, max: 4 }).chain((batch) => {
      const drawn = Object.fromEntries(
        Object.entries(specs).map((
          [name, s],
        ) => [name, tensors(s.shape, { ...s, minBatch: batch, maxBatch: batch })]),
      );
      const symbolic = Object.fromEntries(
        Object.entries(specs).map(([name, s]) => [name, T.input(name, s.shape)]),
      );
      const outShape = c.f(symbolic).shape;
      return fc.record({
        ...drawn,
        r: tensors(outShape, { min: -1, max: 1, minBatch: batch, maxBatch: batch }),
      });
    });
  });
  fc.assert(
    fc.property(arb, (values) => {
      const wrt = Object.keys(values).filter((n) => n !== "r");
      checkGradients(({ r, ...x }) => T.sum(T.mul(c.f(x), r)), values, { wrt, cache, ...options });
    }),
    { seed: SEED, numRuns: RUNS },
  );
}

const unary = (
  op: OpName,
  f: (x: T.Tensor) => T.Tensor,
  options: ValueOptions = {},
): [string, OpCase] => [op, {
  covers: [op],
  inputs: (cols) => ({ x: { shape: ["batch", cols], min: -3, max: 3, ...options } }),
  f: ({ x }) => f(x),
}];

const opCases: [string, OpCase][] = [
  unary("neg", T.neg),
  unary("exp", T.exp),
  unary("log", T.log, { min: 0.1, max: 3 }),
  unary("tanh", T.tanh),
  unary("sigmoid", T.sigmoid),
  unary("relu", T.relu), // kinks at 0: subgradients accepted (see the kink tests below)
  unary("sqrt", T.sqrt, { min: 0.1, max: 3 }),
  unary("expm1", T.expm1),
  unary("log1p", (x) => T.log1p(T.mul(x, 0.3))), // on (−0.9, 0.9)
  unary("erf", T.erf),
  // Activation primitives, with parameters that take each form of their rule
  // (derivative from the output, or from the input where the output cannot tell).
  unary("leakyrelu", (x) => A.leakyRelu(x, 0.1)),
  ["leakyrelu α < 0", unary("leakyrelu", (x) => A.leakyRelu(x, -0.5))[1]],
  unary("elu", (x) => A.elu(x, 1.5)),
  ["elu as selu", unary("elu", A.selu)[1]],
  ["elu as celu α = 0.5", unary("elu", (x) => A.celu(x, 0.5))[1]],
  ["elu α < 0", unary("elu", (x) => A.elu(x, -0.5))[1]],
  unary("softplus", (x) => A.softplus(x)),
  ["softplus β = 2, threshold 4", unary("softplus", (x) => A.softplus(x, 2, 4))[1]],
  unary("hardtanh", (x) => A.hardTanh(x, -0.5, 2)),
  unary("hardswish", A.hardSwish),
  // step has derivative 0 away from 0; x·step(x) brings its value into the gradient.
  ["step", {
    covers: ["step"],
    inputs: (cols) => ({ x: { shape: ["batch", cols], min: -3, max: 3, gap: 1e-3 } }),
    f: ({ x }) => T.mul(x, { op: "step", inputs: [x], shape: x.shape, attrs: {} }),
  }],
];
// Broadcasting patterns the compiler lowers: same shape, bias row, row, column, scalar.
const patterns: [string, (cols: number) => Shape][] = [
  ["[batch,c]", (c) => ["batch", c]],
  ["[c]", (c) => [c]],
  ["[1,c]", (c) => [1, c]],
  ["[batch,1]", () => ["batch", 1]],
  ["[]", () => []],
];
for (const [op, f] of [["add", T.add], ["sub", T.sub], ["mul", T.mul], ["div", T.div]] as const) {
  for (const [pattern, shape] of patterns) {
    const b = { min: op === "div" ? 0.5 : -2, max: 2 };
    opCases.push([`${op} [batch,c] with ${pattern}`, {
      covers: [op, "broadcast"],
      inputs: (cols) => ({ a: { shape: ["batch", cols] }, b: { shape: shape(cols), ...b } }),
      f: ({ a, b }) => f(a, b),
    }]);
    if (pattern === "[batch,c]") continue; // the same case as above
    opCases.push([`${op} ${pattern} with [batch,c]`, {
      covers: [op, "broadcast"],
      inputs: (cols) => ({
        a: { shape: shape(cols), ...b },
        b: { shape: ["batch", cols], ...b },
      }),
      f: ({ a, b }) => f(a, b),
    }]);
  }
}
for (const [pattern, shape] of patterns) {
  opCases.push([`select with ${pattern} condition and branch`, {
    covers: ["select", "broadcast"],
    inputs: (cols) => ({
      c: { shape: shape(cols), gap: 1e-3 },
      a: { shape: ["batch", cols] },
      b: { shape: shape(cols) },
    }),
    f: ({ c, a, b }) => T.add(T.where(c, a, b), T.where(c, T.mul(b, b), T.exp(a))),
  }]);
}
opCases.push(["literal", {
  covers: ["literal"],
  inputs: (cols) => ({ x: { shape: ["batch", cols] } }),
  f: ({ x }) =>
    T.mul(x, T.literal(Array.from({ length: x.shape[1] as number }, (_, i) => 0.5 + i))),
}]);
for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
  opCases.push([`matmul transA=${transA} transB=${transB}`, {
    covers: ["matmul"],
    inputs: (cols) => ({
      // "batch" may only lead a shape, so a transposed left operand has fixed rows.
      a: { shape: transA ? [cols + 1, 3] : ["batch", cols + 1] },
      b: { shape: transB ? [cols, cols + 1] : [cols + 1, cols] },
    }),
    f: ({ a, b }) => T.matmul(a, b, { transA, transB }),
  }]);
}
for (const axis of [0, 1, undefined]) {
  for (const [name, op] of [["sum", T.sum], ["mean", T.mean], ["max", T.max]] as const) {
    opCases.push([`${name} over axis ${axis ?? "all"}`, {
      covers: name === "mean" ? ["sum", "count", "div"] : [name],
      inputs: (cols) => ({
        // max has kinks at ties: distinct values keep it differentiable.
        x: { shape: ["batch", cols], min: -3, max: 3, distinct: name === "max" },
      }),
      f: ({ x }) => op(x, { axis, keepdims: axis !== undefined && x.shape[1] === 2 }),
    }]);
  }
}
opCases.push(["broadcast and reshape", {
  covers: ["broadcast", "reshape"],
  inputs: (cols) => ({ b: { shape: [cols] } }),
  f: ({ b }) => T.reshape(T.broadcastTo(b, [3, b.shape[0]]), [3 * (b.shape[0] as number)]),
}]);
opCases.push(["const", {
  covers: ["const"],
  inputs: (cols) => ({ x: { shape: ["batch", cols] } }),
  f: ({ x }) => T.mul(T.add(x, 0.5), 3),
}]);

// The primitives behind the layers (layerNorm, batchNorm, dropout, parallel).
for (const [axis, eps] of [[-1, 1e-5], [0, 1e-5], [-1, 0.5], [0, 0.5]] as const) {
  opCases.push([`normalize over axis ${axis}, eps ${eps}`, {
    covers: ["normalize"],
    inputs: (cols) => ({ x: { shape: ["batch", cols], min: -3, max: 3 } }),
    f: ({ x }) => T.normalize(x, { axis, eps }),
  }]);
}
opCases.push(["normalize of a vector", {
  covers: ["normalize"],
  inputs: (cols) => ({ x: { shape: [cols + 1], min: -3, max: 3 } }),
  f: ({ x }) => T.normalize(x),
}]);
for (const p of [0.25, 0.6]) {
  opCases.push([`dropout p=${p} (the mask of seed 0, step 1)`, {
    covers: ["dropout"],
    inputs: (cols) => ({ x: { shape: ["batch", cols] } }),
    f: ({ x }) => T.dropoutMasked(x, p, 17),
  }]);
}
opCases.push(["concat", {
  covers: ["concat", "slice"],
  inputs: (cols) => ({ a: { shape: ["batch", cols] }, b: { shape: ["batch", cols + 1] } }),
  f: ({ a, b }) => T.concat(T.mul(a, a), b, a),
}]);
opCases.push(["slice", {
  covers: ["slice", "concat"],
  inputs: (cols) => ({ x: { shape: ["batch", cols + 2] } }),
  f: ({ x }) => {
    const width = x.shape[1] as number;
    return T.concat(T.slice(x, 1, width - 2), T.mul(T.slice(x, width - 2, 2), 3));
  },
}]);

for (const [name, c] of opCases) {
  Deno.test(`checkGradients: op ${name}, ${RUNS} cases (f64 wasm)`, () => assertOp(c));
}

Deno.test("every differentiable op of the table has a case above", () => {
  // softmaxce has its own property test below (its labels are integers).
  // The index ops (ids and bag ends are integers) have their own 200-case
  // property in sparse_ops_test.ts, through this checker.
  const covered = new Set([
    ...opCases.flatMap(([, c]) => c.covers),
    "softmaxce",
    ...SPARSE_OPS,
  ]);
  // No gradient flows through these by definition; softmaxcegrad refuses a
  // second derivative with a CompileError (tested below).
  // normalizegrad refuses a second derivative too (tested in layers_test.ts).
  const nonDifferentiable: OpName[] = [
    "input",
    "stopgrad",
    "ge",
    "onehot",
    "softmaxcegrad",
    "normalizegrad",
  ];
  for (const op of Object.keys(OPS) as OpName[]) {
    assert.ok(covered.has(op) || nonDifferentiable.includes(op), `op ${op} has no case`);
  }
});

Deno.test(`checkGradients: op softmaxce (fused softmax cross-entropy), ${RUNS} cases (f64 wasm)`, () => {
  const cache = new Map() as CompileCache;
  const arb = fc.record({
    rows: fc.integer({ min: 1, max: 4 }),
    classes: fc.integer({ min: 2, max: 7 }),
  })
    .chain(({ rows, classes }) =>
      fc.record({
        x: fc.array(
          fc.array(fc.double({ min: -4, max: 4, noNaN: true }), {
            minLength: classes,
            maxLength: classes,
          }),
          {
            minLength: rows,
            maxLength: rows,
          },
        ),
        y: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: rows, maxLength: rows }),
        r: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
          minLength: rows,
          maxLength: rows,
        }),
      })
    );
  fc.assert(
    fc.property(arb, ({ x, y, r }) => {
      checkGradients(
        ({ x, y, r }) => T.sum(T.mul(T.softmaxCrossEntropyRows(x, y), r)),
        {
          x: { data: x.flat(), shape: ["batch", x[0].length] },
          y: { data: y, shape: ["batch"] },
          r: { data: r, shape: ["batch"] },
        },
        { wrt: ["x", "r"], cache },
      );
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

Deno.test("a second derivative through softmaxce is refused with a CompileError", () => {
  const x = T.input("x", ["batch", 3]);
  const y = T.input("y", ["batch"], "label");
  const [dx] = grad((x) => T.sum(T.softmaxCrossEntropyRows(x, y)))(x);
  assert.throws(
    () => grad((x) => T.sum(T.mul(dx, x)))(x),
    (e: Error) =>
      e instanceof CompileError && /Second derivatives through softmaxCrossEntropy/.test(e.message),
  );
});

// ------------------------------------------------- losses and activations --

for (const loss of LOSSES) {
  Deno.test(`checkGradients: loss ${loss.description ?? loss.name}, ${RUNS} cases (f64 wasm)`, () => {
    fc.assert(lossGradientsMatch(loss), { seed: SEED, numRuns: RUNS });
  });
}

// Found by this checker: the loss used to be relu(x) − x·y + log(1 + e^−|x|),
// smooth with slope σ(0) − y = ½ − y at x = 0, but relu'(0) = 0 and |x|'(0) = 0
// gave −y there. It is now softplus(x) − x·y with a stable softplus whose
// gradient is exactly σ(x) − y; this test keeps it that way.
Deno.test("binaryCrossEntropyWithLogits: gradient at a logit of exactly 0", () => {
  const [report] = checkGradients(
    ({ p, y }) => binaryCrossEntropyWithLogits.apply(p, y),
    { p: [[0, 0.5]], y: [[0, 1]] },
    { wrt: ["p"] },
  );
  assert.ok(report.ok && report.kinks === 0, JSON.stringify(report));
});

for (const [name, activation] of Object.entries(ACTIVATIONS)) {
  Deno.test(`checkGradients: activation ${name}, ${RUNS} cases (f64 wasm)`, () => {
    fc.assert(activationGradientsMatch(activation, { min: -4, max: 4 }), {
      seed: SEED,
      numRuns: RUNS,
    });
  });
}

// --------------------------------------------------------- random MLPs --

Deno.test("checkModelGradients: random MLPs (depth 1–4, widths 1–64, every activation, layer and loss)", () => {
  const seenActivations = new Set<string>();
  const seenLosses = new Set<string>();
  const depths = new Set<number>();
  const seenLayers = new Set<string>();
  let widest = 0;
  const cache = new Map() as CompileCache;
  fc.assert(
    fc.property(modelCases(architectures(), { maxBatch: 3 }), (c) => {
      const a = c.architecture!;
      a.activations.forEach((name) => seenActivations.add(name));
      a.layers.forEach((name) => name !== null && seenLayers.add(name));
      seenLosses.add(a.loss.description ?? a.loss.name);
      depths.add(a.widths.length);
      widest = Math.max(widest, a.inputFeatures, ...a.widths);
      // Eight random elements of each parameter: 2 forward passes each.
      checkModelGradients(c.model, c.data, { samples: 8, cache });
    }),
    { seed: SEED, numRuns: 100 },
  );
  // The cases did exercise the whole space the acceptance criteria name.
  assert.deepEqual([...seenActivations].sort(), Object.keys(ACTIVATIONS).sort());
  assert.deepEqual([...seenLosses].sort(), LOSSES.map((l) => l.description ?? l.name).sort());
  assert.deepEqual([...depths].sort(), [1, 2, 3, 4]);
  // Train mode: dropout with the mask of step 1, batch norm with batch statistics.
  assert.deepEqual([...seenLayers].sort(), [...LAYERS].sort());
  assert.ok(widest >= 56, `widest layer ${widest}`);
});

// -------------------------------------------------- the check can fail --

/** The op table with d tanh = tanh (instead of 1 − tanh²). */
const wrongTanh = { ...OPS, tanh: { ...OPS.tanh, vjp: OPS.exp.vjp } };

Deno.test("a planted wrong VJP rule is caught; the error names the input, element, expected and got", () => {
  const x = [[0.3, -0.7, 1.2], [0.1, -1.5, 0.9]];
  assert.ok(checkGradients(({ x }) => T.sum(T.tanh(x)), { x })[0].ok);
  const e = gradientError(() =>
    checkGradients(({ x }) => T.sum(T.tanh(x)), { x }, { rules: wrongTanh })
  );
  const [report] = e.reports;
  assert.equal(report.ok, false);
  assert.equal(report.name, "x");
  // The worst element: where tanh'(x) and tanh(x) differ most (x = -0.7 at [0, 1]).
  assert.deepEqual(report.worstElement, [0, 1]);
  assert.equal(report.worstIndex, 1);
  assert.ok(Math.abs(report.expected - (1 - Math.tanh(-0.7) ** 2)) < 1e-8);
  assert.ok(Math.abs(report.got - Math.tanh(-0.7)) < 1e-12);
  assert.match(e.message, /"x" f64\[2,3\] at element \[0, 1\] \(flat index 1\)/);
  assert.match(e.message, /expected 0\.634\d+ \(central finite differences\), got -0\.604\d+/);
});

Deno.test("a planted wrong rule inside a model names the parameter and its element", () => {
  // sigmoid's rule replaced by relu's: d σ = step(x), wrong everywhere.
  const wrong = { ...OPS, sigmoid: { ...OPS.sigmoid, vjp: OPS.relu.vjp } };
  const model = chain(dense(3, 4), T.sigmoid, dense(4, 2));
  const data = { loss: mse, x: [[0.5, -1, 2], [1, 0.25, -0.5]], y: [[1, 0], [0, 1]], seed: 3 };
  assert.equal(checkModelGradients(model, data).length, 4);
  const e = gradientError(() => checkModelGradients(model, data, { rules: wrong }));
  // Only the first layer's parameters lie below the sigmoid.
  assert.deepEqual(e.reports.filter((r) => !r.ok).map((r) => r.name), ["0.weight", "0.bias"]);
  assert.match(e.message, /"0\.weight" f64\[3,4\] at element \[\d, \d\]/);
  assert.match(e.message, /"0\.bias" f64\[4\] at element \[\d\]/);
});

Deno.test("a property with a planted wrong rule fails, and fast-check reports its seed", () => {
  const details = fc.check(
    activationGradientsMatch(T.tanh, { check: { rules: wrongTanh } }),
    { seed: SEED, numRuns: 20 },
  );
  assert.equal(details.failed, true);
  assert.equal(details.seed, SEED);
  assert.ok(details.errorInstance instanceof GradientCheckError);
  assert.match(String(details.errorInstance), /"x" f64\[\d+,\d+\] at element \[\d+, \d+\]/);
  // fc.assert throws with the seed and the path to replay the counterexample.
  assert.throws(
    () =>
      fc.assert(activationGradientsMatch(T.tanh, { check: { rules: wrongTanh } }), {
        seed: SEED,
        numRuns: 20,
      }),
    new RegExp(`seed: ${SEED}, path: "[\\d:]+"`),
  );
});

Deno.test("a wrong hand-written derivative is caught (withDerivative)", () => {
  // The user's swish and their hand-derived swish'. The right one is
  // σ(x)(1 + x(1 − σ(x))); the wrong one forgets the product rule.
  const swish = (x: T.Tensor) => T.mul(x, T.sigmoid(x));
  const rightPrime = (x: T.Tensor) =>
    T.mul(T.sigmoid(x), T.add(1, T.mul(x, T.sub(1, T.sigmoid(x)))));
  const wrongPrime = (x: T.Tensor) => T.mul(T.sigmoid(x), T.sub(1, T.sigmoid(x)));
  const x = [[-2, -0.5, 0.1, 1, 3]];
  const check = (prime: (x: T.Tensor) => T.Tensor) =>
    checkGradients(({ x }) => T.sum(withDerivative(swish, prime)(x)), { x });
  assert.ok(check(rightPrime)[0].ok);
  assert.throws(() => check(wrongPrime), /"x" f64\[1,5\] at element \[0, \d\]/);
  // And under fast-check, as a user would write it:
  fc.assert(activationGradientsMatch(withDerivative(swish, rightPrime)), {
    seed: SEED,
    numRuns: 50,
  });
  assert.equal(
    fc.check(activationGradientsMatch(withDerivative(swish, wrongPrime)), { seed: SEED }).failed,
    true,
  );
});

// ---------------------------------------------------------------- kinks --

Deno.test("kinks: relu at exactly 0 passes with the subgradient 0, and is counted", () => {
  const [report] = checkGradients(({ x }) => T.sum(T.relu(x)), { x: [-1, 0, 0, 2] });
  assert.equal(report.ok, true);
  assert.equal(report.kinks, 2);
  // Within h of the kink the central difference straddles it: still accepted.
  assert.equal(checkGradients(({ x }) => T.sum(T.relu(x)), { x: [3e-7, -4e-7] })[0].ok, true);
  // |x| = relu(x) + relu(−x) has derivative 0 at 0 here, inside [−1, 1]: a subgradient.
  assert.equal(checkGradients(({ x }) => T.sum(T.abs(x)), { x: [0, 1, -1] })[0].kinks, 1);
});

Deno.test("kinks: a value outside the one-sided slopes still fails there", () => {
  // relu' = step(x) + 2·(1 − step(x) − step(−x)): right for x ≠ 0, but 2 at the
  // kink, outside the one-sided slopes [0, 1]. Only that element fails.
  const wrongRelu: OpDef = {
    ...OPS.relu,
    vjp: (e, node, g) => {
      const x = node.inputs[0];
      const up = e.emit("step", [x]);
      const down = e.emit("step", [e.emit("neg", [x])]);
      const atZero = e.emit("sub", [e.emit("sub", [e.emit("const", [], { value: 1 }), up]), down]);
      const slope = e.emit("add", [up, e.emit("mul", [e.emit("const", [], { value: 2 }), atZero])]);
      return [e.emit("mul", [g, slope])];
    },
  };
  const rules = { ...OPS, relu: wrongRelu };
  assert.ok(checkGradients(({ x }) => T.sum(T.relu(x)), { x: [-1, 2] }, { rules })[0].ok);
  const e = gradientError(() =>
    checkGradients(({ x }) => T.sum(T.relu(x)), { x: [-1, 0, 2] }, { rules })
  );
  assert.equal(e.reports[0].worstIndex, 1);
  assert.equal(e.reports[0].kinks, 1);
  assert.equal(e.reports[0].got, 2);
  assert.match(e.message, /at element \[1\] \(flat index 1\)/);
});

// ------------------------------------------- engines, samples, messages --

Deno.test("the f64 wasm gradient equals the f64 interpreter's (same optimized graph) to 1e-12", () => {
  fc.assert(
    fc.property(modelCases(architectures({ maxWidth: 12, maxDepth: 3 })), (c) => {
      const wasm = checkModelGradients(c.model, c.data, { samples: 1, throwOnFailure: false });
      const interpreted = checkModelGradients(c.model, c.data, {
        samples: 1,
        engine: "interpreter",
        throwOnFailure: false,
      });
      wasm.forEach((r, i) => {
        const diff = Math.abs(r.got - interpreted[i].got);
        assert.ok(diff <= 1e-12 * Math.max(1, Math.abs(r.got)), `${r.name}: ${diff}`);
      });
    }),
    { seed: SEED, numRuns: 20 },
  );
});

Deno.test("samples: checks that many elements per input, reproducibly from the seed", () => {
  const model = chain(dense(20, 30), T.tanh, dense(30, 3));
  const data = {
    loss: softmaxCrossEntropy,
    x: [Array.from({ length: 20 }, (_, i) => i / 20)],
    y: [1],
  };
  const a = checkModelGradients(model, data, { samples: 5, seed: 9, throwOnFailure: false });
  const b = checkModelGradients(model, data, { samples: 5, seed: 9, throwOnFailure: false });
  assert.deepEqual(a.map((r) => r.checked), [5, 5, 5, 3]); // 2.bias has 3 elements
  assert.deepEqual(a, b);
});

Deno.test("checkGradients: values as numbers, vectors, rows, and shapes with a batch dimension", () => {
  const reports = checkGradients(
    ({ s, v, m, b }) => T.add(T.mul(T.sum(T.mul(m, v)), s), T.sum(T.mul(b, v))),
    {
      s: 0.5,
      v: Float64Array.of(1, 2, 3),
      m: [[1, 2, 3], [4, 5, 6]],
      b: { shape: ["batch", 3], data: [1, 1, 1, 2, 2, 2] },
    },
  );
  assert.deepEqual(reports.map((r) => r.shape), [[], [3], [2, 3], [2, 3]]); // batch 2 from b's data
  assert.ok(reports.every((r) => r.ok));
  // An input the function ignores has an exact zero gradient: nothing to check.
  const [, unused] = checkGradients(({ x }) => T.sum(x), { x: [1], y: [2, 3] });
  assert.deepEqual([unused.name, unused.checked, unused.ok], ["y", 0, true]);
});

Deno.test("checkGradients: bad arguments raise typed errors saying what was wrong", () => {
  assert.throws(
    () => checkGradients(({ x }) => x, { x: [1, 2] }),
    (e: Error) =>
      e instanceof CompileError && /must return a scalar tensor, got f32\[2\]/.test(e.message),
  );
  assert.throws(
    () => checkGradients(({ x }) => T.sum(x), { x: [1, NaN] }),
    (e: Error) => e instanceof InputError && /"x" has a non-finite value NaN at 1/.test(e.message),
  );
  assert.throws(
    () => checkGradients(({ x }) => T.sum(T.log(x)), { x: [1, 0] }),
    (e: Error) =>
      e instanceof InputError && /value at the given inputs is -Infinity/.test(e.message),
  );
  // A NaN on one side of a finite difference (log just below 0) fails, never passes.
  assert.equal(
    checkGradients(({ x }) => T.sum(T.log(x)), { x: [1, 1e-7] }, { throwOnFailure: false })[0].ok,
    false,
  );
  assert.throws(
    () => checkGradients(({ x }) => T.sum(x), { x: [1] }, { wrt: ["z"] }),
    (e: Error) => e instanceof InputError && /wrt names "z"/.test(e.message),
  );
  assert.throws(
    () => checkGradients(({ x }) => T.sum(T.matmul(x, T.param("w", [2, 2]))), { x: [[1, 2]] }),
    (e: Error) => e instanceof InputError && /no value for "w"/.test(e.message),
  );
  assert.throws(
    () => checkGradients(({ x }) => T.sum(x), { x: [[1, 2], [3]] }),
    (e: Error) => e instanceof InputError && /row 1 has 1 values, row 0 has 2/.test(e.message),
  );
  assert.throws(
    () => checkModelGradients(dense(2, 2), { loss: mse, x: [[1, 2]], y: [1] }),
    (e: Error) =>
      e instanceof InputError && /mse needs 2 label values for 1 rows, got 1/.test(e.message),
  );
});
