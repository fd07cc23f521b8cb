// Losses (compiler/frontend/losses.ts) against PyTorch and against plain-number
// implementations of their published definitions:
//
// - value and gradient of the f64 interpreter match torch.nn.functional
//   (PyTorch 1.13, float64, tests/fixtures/pytorch_reference.json) for every
//   loss, option and reduction, at predictions that sit exactly on the kinks;
// - random cases agree with a plain-number reference written here from the
//   definitions (label smoothing with class weights included);
// - shifting every logit by c ∈ [−1000, 1000] leaves the smoothed, weighted
//   cross-entropy unchanged to rounding;
// - options are checked (typed errors), `with` merges and chains, the
//   defaults are the plain losses, and a "sum" loss is reported as a sum.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import * as L from "../compiler/frontend/losses.ts";
import * as T from "../compiler/frontend/tensor.ts";
import { evaluateF64, grad } from "../compiler/frontend/grad.ts";
import { chain, dense } from "../compiler/frontend/layers.ts";
import { compile } from "../compiler/driver/compile.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { printGraph } from "../compiler/ir/print_graph.ts";
import { sgd } from "../core/optimizers.ts";
import { InputError, ShapeError } from "../core/errors.ts";
import { SEED } from "./helpers.ts";

interface LossCase {
  readonly loss: string;
  readonly options: Record<string, unknown>;
  readonly prediction: number[][];
  readonly labels: number[] | number[][];
  readonly value: number;
  readonly grad: number[][];
}

const REFERENCE: { losses: LossCase[] } = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/pytorch_reference.json", import.meta.url)),
);

const BY_NAME: Record<string, L.ConfigurableLoss<Record<string, unknown>>> = {
  mse: L.mse,
  l1: L.l1,
  huber: L.huber,
  smoothL1: L.smoothL1,
  softmaxCrossEntropy: L.softmaxCrossEntropy,
  nllLoss: L.nllLoss,
  binaryCrossEntropyWithLogits: L.binaryCrossEntropyWithLogits,
} as unknown as Record<string, L.ConfigurableLoss<Record<string, unknown>>>;

/** Value and gradient (with respect to the prediction) in the f64 interpreter. */
function run(loss: L.Loss, prediction: number[][], labels: number[] | number[][]) {
  const p = T.input("p", ["batch", prediction[0].length]);
  const y = T.input("y", loss.labelShape(p.shape), "label");
  const bindings = { p: prediction.flat(), y: labels.flat() };
  const value = evaluateF64(loss.apply(p, y), bindings, prediction.length)[0];
  const [dp] = grad((p) => loss.apply(p, y))(p);
  return { value, grad: evaluateF64(dp, bindings, prediction.length) };
}

Deno.test("fixture: every loss, with and without its options, both reductions", () => {
  const names = new Set(REFERENCE.losses.map((c) => c.loss));
  assert.deepEqual([...names].sort(), Object.keys(BY_NAME).sort());
  assert.equal(REFERENCE.losses.filter((c) => c.options.reduction === "sum").length, 16);
});

for (const c of REFERENCE.losses) {
  const loss = BY_NAME[c.loss].with(c.options);
  Deno.test(`${loss.description}: value and gradient match PyTorch (f64)`, () => {
    const { value, grad } = run(loss, c.prediction, c.labels);
    assert.ok(
      Math.abs(value - c.value) <= 4e-15 * Math.max(1, Math.abs(c.value)),
      `value ${value}, PyTorch ${c.value}`,
    );
    c.grad.flat().forEach((g, i) => {
      assert.ok(
        Math.abs(grad[i] - g) <= 4e-15 * Math.max(1, Math.abs(g)),
        `grad[${i}] ${grad[i]}, PyTorch ${g}`,
      );
    });
  });
}

// ------------------------------------------------ plain-number references --

function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - m - lse);
}

/** PyTorch's cross_entropy(label_smoothing=ε, weight=w), from its documented formula. */
function crossEntropyReference(
  logits: number[][],
  labels: number[],
  epsilon: number,
  weights: number[] | undefined,
  reduction: L.Reduction,
): number {
  const classes = logits[0].length;
  const w = weights ?? new Array(classes).fill(1);
  let total = 0;
  let denominator = 0;
  logits.forEach((row, i) => {
    const logp = logSoftmaxRow(row);
    const y = labels[i];
    // target q_c = (1 − ε)·[c = y] + ε/C;  loss = −Σ_c w_c·q_c·log p_c, where the
    // one-hot part is weighted by w_y (nll_loss) and the uniform part by w_c.
    let smooth = 0;
    for (let c = 0; c < classes; c++) smooth -= w[c] * logp[c];
    total += (1 - epsilon) * w[y] * -logp[y] + (epsilon / classes) * smooth;
    denominator += weights === undefined ? 1 : w[y];
  });
  return reduction === "sum" ? total : total / denominator;
}

Deno.test("softmaxCrossEntropy with label smoothing and class weights = the plain-number reference (200 cases)", () => {
  const arb = fc.record({
    rows: fc.integer({ min: 1, max: 5 }),
    classes: fc.integer({ min: 2, max: 6 }),
    epsilon: fc.double({ min: 0, max: 1, noNaN: true }),
    weighted: fc.boolean(),
    sum: fc.boolean(),
  }).chain((s) =>
    fc.record({
      s: fc.constant(s),
      logits: fc.array(
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), {
          minLength: s.classes,
          maxLength: s.classes,
        }),
        { minLength: s.rows, maxLength: s.rows },
      ),
      labels: fc.array(fc.integer({ min: 0, max: s.classes - 1 }), {
        minLength: s.rows,
        maxLength: s.rows,
      }),
      weights: fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), {
        minLength: s.classes,
        maxLength: s.classes,
      }),
    })
  );
  fc.assert(
    fc.property(arb, ({ s, logits, labels, weights }) => {
      const reduction = s.sum ? "sum" : "mean";
      const w = s.weighted ? weights : undefined;
      const loss = L.softmaxCrossEntropy.with({ labelSmoothing: s.epsilon, weights: w, reduction });
      const got = run(loss, logits, labels).value;
      const want = crossEntropyReference(logits, labels, s.epsilon, w, reduction);
      assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${got} vs ${want}`);
    }),
    { seed: SEED, numRuns: 200 },
  );
});

Deno.test("value losses and BCE with posWeight = plain-number references (200 cases)", () => {
  const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  const references: [L.Loss, (p: number, y: number, j: number) => number][] = [
    [L.mse, (p, y) => (p - y) ** 2],
    [L.l1, (p, y) => Math.abs(p - y)],
    [L.huber.with({ delta: 0.7 }), (p, y) => {
      const z = Math.abs(p - y);
      return z < 0.7 ? 0.5 * z * z : 0.7 * (z - 0.35);
    }],
    [L.smoothL1.with({ beta: 0.4 }), (p, y) => {
      const z = Math.abs(p - y);
      return z < 0.4 ? (0.5 * z * z) / 0.4 : z - 0.2;
    }],
    // −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], log σ(x) = −softplus(−x)
    [L.binaryCrossEntropyWithLogits.with({ posWeight: [2, 0.5, 1] }), (x, y, j) => {
      const pw = [2, 0.5, 1][j];
      return pw * y * softplus(-x) + (1 - y) * softplus(x);
    }],
  ];
  const arb = fc.record({
    rows: fc.integer({ min: 1, max: 4 }),
    p: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 12, maxLength: 12 }),
    y: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
  });
  for (const [loss, f] of references) {
    fc.assert(
      fc.property(arb, ({ rows, p, y }) => {
        const prediction = Array.from({ length: rows }, (_, r) => p.slice(3 * r, 3 * r + 3));
        const targets = Array.from({ length: rows }, (_, r) => y.slice(3 * r, 3 * r + 3));
        let want = 0;
        prediction.forEach((row, r) => row.forEach((v, j) => (want += f(v, targets[r][j], j))));
        want /= 3 * rows;
        const got = run(loss, prediction, targets).value;
        assert.ok(
          Math.abs(got - want) <= 1e-13 * Math.max(1, Math.abs(want)),
          `${loss.description}: ${got} vs ${want}`,
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  }
});

Deno.test("BCE on logits keeps full precision where the loss is tiny and the gradient is PyTorch's", () => {
  // Confident and right: the loss is e^−x-sized, not a rounding of x − x.
  const { value, grad } = run(L.binaryCrossEntropyWithLogits, [[40, -40]], [[1, 0]]);
  assert.ok(Math.abs(value - Math.exp(-40)) <= 1e-15 * Math.exp(-40), `${value}`);
  assert.ok(Math.abs(grad[0] + Math.exp(-40) / 2) <= 1e-15 * Math.exp(-40));
  assert.ok(Math.abs(grad[1] - Math.exp(-40) / 2) <= 1e-15 * Math.exp(-40));
});

Deno.test("smoothed, weighted cross-entropy is shift-invariant: logits + c for c in [−1000, 1000]", () => {
  const loss = L.softmaxCrossEntropy.with({ labelSmoothing: 0.2, weights: [1, 3, 0.5, 2] });
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 8, maxLength: 8 }),
      fc.double({ min: -1000, max: 1000, noNaN: true }),
      (x, c) => {
        const logits = [x.slice(0, 4), x.slice(4)];
        const base = run(loss, logits, [1, 3]);
        const shifted = run(loss, logits.map((r) => r.map((v) => v + c)), [1, 3]);
        // Rounding x + c costs up to ulp(1000) ≈ 1.1e-13 per logit.
        assert.ok(
          Math.abs(shifted.value - base.value) <= 2e-12,
          `${shifted.value} vs ${base.value}`,
        );
        base.grad.forEach((g, i) => assert.ok(Math.abs(shifted.grad[i] - g) <= 2e-12));
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
});

Deno.test("class-weighted losses: gradients match finite differences (200 cases each)", async () => {
  const { checkGradients } = await import("../compiler/driver/check_gradients.ts");
  const weights = [0.5, 2, 1, 3];
  const losses = [
    L.softmaxCrossEntropy.with({ weights }),
    L.softmaxCrossEntropy.with({ weights, labelSmoothing: 0.3, reduction: "sum" }),
    L.nllLoss.with({ weights }),
    L.binaryCrossEntropyWithLogits.with({ posWeight: weights }),
  ];
  for (const loss of losses) {
    const cache = new Map();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((rows) =>
          fc.record({
            p: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
              minLength: 4 * rows,
              maxLength: 4 * rows,
            }),
            y: loss.labels === "classes"
              ? fc.array(fc.integer({ min: 0, max: 3 }), { minLength: rows, maxLength: rows })
              : fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
                minLength: 4 * rows,
                maxLength: 4 * rows,
              }),
          })
        ),
        ({ p, y }) => {
          const shape = ["batch", 4] as const;
          checkGradients(({ p, y }) => loss.apply(p, y), {
            p: { shape: [...shape], data: p },
            y: { shape: loss.labelShape([...shape]), data: y },
          }, { wrt: loss.labels === "classes" ? ["p"] : ["p", "y"], cache });
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  }
});

// ---------------------------------------------------------- the surface --

Deno.test("with: merges and chains options; the plain losses are unchanged", () => {
  const h = L.huber.with({ delta: 2 }).with({ reduction: "sum" });
  assert.deepEqual(h.options, { delta: 2, reduction: "sum" });
  assert.equal(h.description, 'huber({ delta: 2, reduction: "sum" })');
  assert.equal(h.name, "huber");
  assert.equal(h.reduction, "sum");
  assert.equal(L.huber.options.delta, undefined);
  assert.equal(L.softmaxCrossEntropy.description, "softmaxCrossEntropy");
  // The plain cross-entropy is still mean(one fused primitive per row).
  const x = T.input("x", ["batch", 3]);
  const y = T.input("y", ["batch"], "label");
  const text = printGraph(trace({ loss: L.softmaxCrossEntropy.apply(x, y) }));
  assert.deepEqual(text.match(/= (\w+)/g), [
    "= input",
    "= input",
    "= softmaxce",
    "= sum",
    "= count",
    "= div",
  ]);
});

Deno.test("bad loss options are InputErrors; weights that do not fit the model are ShapeErrors", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => L.huber.with({ delta: 0 }), /huber: delta must be > 0/],
    [() => L.huber.with({ delta: NaN }), /huber: delta must be a finite number ≥ 0, got NaN/],
    [() => L.smoothL1.with({ beta: -1 }), /smoothL1: beta must be a finite number ≥ 0, got -1/],
    [
      () => L.softmaxCrossEntropy.with({ labelSmoothing: 1.5 }),
      /labelSmoothing must be in \[0, 1\], got 1.5/,
    ],
    [
      () => L.softmaxCrossEntropy.with({ weights: [1, -2] }),
      /weights\[1\] must be a finite number ≥ 0, got -2/,
    ],
    [() => L.nllLoss.with({ weights: [] }), /weights must be a non-empty array/],
    [
      () => L.binaryCrossEntropyWithLogits.with({ posWeight: Infinity }),
      /posWeight must be a finite number ≥ 0/,
    ],
    [
      () => L.mse.with({ reduction: "none" as "sum" }),
      /mse: reduction must be "mean" or "sum", got none/,
    ],
  ];
  for (const [f, message] of cases) {
    assert.throws(
      f,
      (e: Error) => e instanceof InputError && message.test(e.message),
      String(message),
    );
  }
  const x = T.input("x", ["batch", 3]);
  const y = T.input("y", ["batch"], "label");
  assert.throws(
    () => L.softmaxCrossEntropy.with({ weights: [1, 2] }).apply(x, y),
    (e: Error) =>
      e instanceof ShapeError && /2 class weights for a model with 3 outputs/.test(e.message),
  );
  assert.throws(
    () =>
      L.binaryCrossEntropyWithLogits.with({ posWeight: [1, 2] }).apply(
        x,
        T.input("t", ["batch", 3]),
      ),
    (e: Error) =>
      e instanceof ShapeError && /2 posWeight values for a model with 3 outputs/.test(e.message),
  );
});

Deno.test("a sum-reduced loss: fit and evaluate report sums over the data set", async () => {
  const x = [[1, 0], [0, 1], [1, 1], [2, 1], [0, 0]];
  const y = [[1], [2], [3], [4], [5]];
  const model = dense(2, 1);
  const mean = await compile(model, {
    loss: L.mse,
    optimizer: sgd({ lr: 1e-12 }),
    batchSize: 2,
    seed: 4,
  });
  const sum = await compile(model, {
    loss: L.mse.with({ reduction: "sum" }),
    optimizer: sgd({ lr: 1e-12 }),
    batchSize: 2,
    seed: 4,
  });
  const m = mean.evaluate(x, y).loss;
  const s = sum.evaluate(x, y).loss;
  assert.ok(Math.abs(s - 5 * m) <= 1e-5 * s, `sum ${s}, 5 × mean ${5 * m}`);
  // Partial last batch (5 = 2 + 2 + 1) included; fit reports the same way (lr ≈ 0).
  const h = sum.fit(x, y, { epochs: 1, seed: 1 });
  assert.ok(Math.abs(h.loss[0] - s) <= 1e-5 * s);
  assert.equal(sum.artifact.lossReduction, "sum");
  assert.equal(mean.artifact.lossReduction, undefined);
  // And a weighted classifier trains.
  const c = await compile(chain(dense(2, 8), T.tanh, dense(8, 3)), {
    loss: L.softmaxCrossEntropy.with({ weights: [1, 2, 1], labelSmoothing: 0.05 }),
    batchSize: 4,
  });
  const hist = c.fit([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 2, 1], { epochs: 50, seed: 2 });
  assert.ok(hist.loss[49] < hist.loss[0]);
});
