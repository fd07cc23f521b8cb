// Activations (compiler/frontend/activations.ts) against PyTorch:
//
// - values and derivatives of the f64 interpreter match torch.nn.functional
//   (PyTorch 1.13, float64, tests/fixtures/pytorch_reference.json, written by
//   tests/fixtures/pytorch_reference.py) at fixed points including every kink
//   and threshold — where the derivative is a convention, exactly;
// - the compiled f32 forward (SIMD lanes and scalar tails) matches the f64
//   interpreter on the same inputs;
// - parameterized activations compose in `chain` with and without their
//   parameters, and bad parameters are typed errors;
// - the primitives whose derivative reads the output fuse into the matrix
//   product's epilogue: the pre-activation is never stored.
import assert from "node:assert/strict";
import * as A from "../compiler/frontend/activations.ts";
import * as T from "../compiler/frontend/tensor.ts";
import { evaluateF64, grad } from "../compiler/frontend/grad.ts";
import { applyModel, chain, dense, describe } from "../compiler/frontend/layers.ts";
import { mse, nllLoss } from "../compiler/frontend/losses.ts";
import { compile } from "../compiler/driver/compile.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { fuse } from "../compiler/schedule/fuse.ts";
import { optimize } from "../compiler/passes/pipeline.ts";
import { adam, sgd } from "../core/optimizers.ts";
import { InputError } from "../core/errors.ts";

interface Reference {
  readonly torch: string;
  readonly points: number[];
  readonly activations: Record<string, { y: number[]; dy: number[] }>;
  readonly logSoftmax: { x: number[][]; cotangent: number[][]; y: number[][]; dx: number[][] };
}

const REFERENCE: Reference = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/pytorch_reference.json", import.meta.url)),
);

/** Our activation for each name of the fixture. */
const OURS: Record<string, (x: T.Tensor) => T.Tensor> = {
  leakyRelu: A.leakyRelu(),
  "leakyRelu(0.2)": A.leakyRelu(0.2),
  "leakyRelu(-0.5)": A.leakyRelu(-0.5),
  elu: A.elu(),
  "elu(0.5)": A.elu(0.5),
  "elu(-0.5)": A.elu(-0.5),
  selu: A.selu,
  celu: A.celu(),
  "celu(2)": A.celu(2),
  gelu: A.gelu(),
  "gelu(tanh)": A.gelu({ approximate: "tanh" }),
  silu: A.silu,
  mish: A.mish,
  softplus: A.softplus(),
  "softplus(2, 5)": A.softplus(2, 5),
  logSigmoid: A.logSigmoid,
  hardTanh: A.hardTanh(),
  "hardTanh(-2, 0.5)": A.hardTanh(-2, 0.5),
  hardSigmoid: A.hardSigmoid,
  hardSwish: A.hardSwish,
  softsign: A.softsign,
};

/**
 * Tolerance of a value against PyTorch's: a few ulps of the value, plus a
 * few ulps of 1 times |x| for the functions PyTorch itself writes with a
 * cancelling 1 + erf or 1 + tanh (gelu), where two correct implementations
 * of erf differ by that much.
 */
function tolerance(name: string, x: number, expected: number): number {
  const cancelling = name.startsWith("gelu") ? 4e-16 * (1 + Math.abs(x)) : 0;
  return 8e-16 * Math.abs(expected) + cancelling + (ELU_SCALE[name] ?? 0) + 1e-300;
}

/**
 * The ELU family, absolutely: PyTorch computes e^x − 1 as exp(x) − 1 (we use
 * expm1, which is relatively accurate: PyTorch's value at −1e-4 is off by
 * 1.3e-14 relative), and our derivative for x ≤ 0 is PyTorch's rule on the
 * output, inputScale·(y + α·scale), which is accurate to an ulp of α·scale
 * (absolutely; relatively not, once e^x is below ~1e-13).
 */
const ELU_SCALE: Record<string, number> = {
  elu: 4.5e-16,
  "elu(0.5)": 4.5e-16 * 0.5,
  "elu(-0.5)": 4.5e-16 * 0.5,
  selu: 4.5e-16 * A.SELU_ALPHA * A.SELU_SCALE,
  celu: 4.5e-16,
  "celu(2)": 4.5e-16 * 2,
};

// PyTorch's double-precision hardsigmoid backward multiplies by the float
// constant 1.0f/6.0f (0.1666666716…); we use 1/6. The only place we differ
// by more than rounding, and by 3e-8 relative.
const HARD_SIGMOID_SLOPE_FLOAT = Math.fround(1 / 6);

Deno.test("fixture: written by PyTorch, covering every activation here and their kinks", () => {
  assert.match(REFERENCE.torch, /^1\.13/);
  assert.deepEqual(Object.keys(REFERENCE.activations).sort(), Object.keys(OURS).sort());
  for (const kink of [-3, -2, -1, 0, 0.5, 1, 2.5, 3, 20]) {
    assert.ok(REFERENCE.points.includes(kink));
  }
});

for (const [name, f] of Object.entries(OURS)) {
  Deno.test(`${name}: values and derivatives match PyTorch (f64), kinks included`, () => {
    const points = REFERENCE.points;
    const x = T.input("x", [points.length]);
    const y = evaluateF64(f(x), { x: points });
    const [dx] = grad((x) => T.sum(f(x)))(x);
    const dy = evaluateF64(dx, { x: points });
    const ref = REFERENCE.activations[name];
    points.forEach((p, i) => {
      const tol = tolerance(name, p, ref.y[i]);
      assert.ok(
        Math.abs(y[i] - ref.y[i]) <= tol,
        `${name}(${p}) = ${y[i]}, PyTorch ${ref.y[i]} (|diff| ${Math.abs(y[i] - ref.y[i])})`,
      );
      const torchSlope = name === "hardSigmoid" && ref.dy[i] === HARD_SIGMOID_SLOPE_FLOAT
        ? 1 / 6
        : ref.dy[i];
      const slopeTol = tolerance(name, p, torchSlope);
      assert.ok(
        Math.abs(dy[i] - torchSlope) <= slopeTol,
        `${name}'(${p}) = ${dy[i]}, PyTorch ${ref.dy[i]}`,
      );
    });
  });
}

Deno.test("logSoftmax: values and vector-Jacobian product match PyTorch, also for logits near 1000", () => {
  const { x, cotangent, y: yRef, dx: dxRef } = REFERENCE.logSoftmax;
  const xt = T.input("x", [x.length, x[0].length]);
  const g = T.input("g", [x.length, x[0].length]);
  const y = evaluateF64(T.logSoftmax(xt), { x: x.flat() });
  const [dx] = grad((x) => T.sum(T.mul(T.logSoftmax(x), g)))(xt);
  const d = evaluateF64(dx, { x: x.flat(), g: cotangent.flat() });
  yRef.flat().forEach((v, i) => {
    // (x − m) − log Σ: accurate to ulps of the result, not of the logits (~1000)
    assert.ok(Math.abs(y[i] - v) <= 4e-16 * Math.max(1, Math.abs(v)), `y[${i}] ${y[i]} vs ${v}`);
  });
  dxRef.flat().forEach((v, i) => {
    assert.ok(Math.abs(d[i] - v) <= 1e-15 * Math.max(1, Math.abs(v)), `dx[${i}] ${d[i]} vs ${v}`);
  });
});

Deno.test("every activation: the compiled f32 forward matches the f64 interpreter (SIMD body and scalar tail)", async () => {
  // 30 features: 28 go through f32x4 code, 2 through the scalar tail. The
  // activation runs in the epilogue of x·I (an identity layer: exact), and,
  // in the second model, in a loop of its own (its input is used twice).
  const points = REFERENCE.points.map(Math.fround);
  const n = points.length;
  const identity = Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  const all = { ...OURS, logSoftmax: (x: T.Tensor) => T.logSoftmax(x) };
  for (const [name, f] of Object.entries(all)) {
    for (
      const [where, model, expression] of [
        ["epilogue", chain(dense(n, n), f), f],
        [
          "loop",
          chain(dense(n, n), (x: T.Tensor) => T.add(f(x), x)),
          (x: T.Tensor) => T.add(f(x), x),
        ],
      ] as const
    ) {
      const trainer = await compile(model, { loss: mse, batchSize: 1 });
      trainer.setParams({ "0.weight": identity, "0.bias": new Array(n).fill(0) });
      const got = trainer.predict([points]);
      const x = T.input("x", ["batch", n]);
      const want = evaluateF64(expression(x), { x: points }, 1);
      // The slope, for the condition number: rounding the argument of a
      // transcendental by u changes the result by |x·f'(x)|·u. (logSoftmax is
      // not elementwise: its rows' sum stands in for the slope.)
      const [dx] = grad((x) => T.sum(expression(x)))(x);
      const slope = evaluateF64(dx, { x: points }, 1);
      for (let i = 0; i < n; i++) {
        // A few f32 roundings (u = 2⁻²⁴) of the value and of the argument; for
        // gelu also of the 1 in 1 + erf (far left it cancels, in PyTorch too).
        const u = 2 ** -24;
        const cancelling = name.startsWith("gelu") ? 2 * u * Math.abs(points[i]) : 0;
        const scale = name === "logSoftmax"
          ? Math.max(...points.map(Math.abs))
          : Math.abs(points[i] * slope[i]);
        const tol = 8 * u * (Math.abs(want[i]) + scale) + cancelling + 1e-37;
        assert.ok(
          Math.abs(got[i] - want[i]) <= tol,
          `${name} (${where})(${points[i]}): f32 ${got[i]}, f64 ${want[i]}`,
        );
      }
    }
  }
});

Deno.test("parameterized activations compose with and without their parameters", async () => {
  const withParams = chain(
    dense(4, 8),
    A.leakyRelu(0.1),
    dense(8, 8),
    A.softplus(2, 10),
    dense(8, 2),
  );
  const plain = chain(dense(4, 8), A.leakyRelu, dense(8, 8), A.gelu, dense(8, 2), A.hardTanh);
  assert.equal(
    describe(withParams),
    "chain(dense(4 → 8), leakyRelu(0.1), dense(8 → 8), softplus(2, 10), dense(8 → 2))",
  );
  assert.equal(
    describe(plain),
    "chain(dense(4 → 8), leakyRelu, dense(8 → 8), gelu, dense(8 → 2), hardTanh)",
  );
  const x = T.input("x", ["batch", 4]);
  const used = (m: typeof plain) => {
    const ops = new Set<string>();
    const walk = (t: T.Tensor) => {
      ops.add(t.op);
      t.inputs.forEach(walk);
    };
    walk(applyModel(m, x));
    return ops;
  };
  assert.ok(used(withParams).has("leakyrelu") && used(withParams).has("softplus"));
  assert.ok(used(plain).has("erf") && used(plain).has("hardtanh"));
  // PyTorch's defaults when used plain: α = 0.01, [−1, 1].
  const y = evaluateF64(A.leakyRelu(T.input("v", [1])), { v: [-1] });
  assert.equal(y[0], -0.01);
  for (const model of [withParams, plain]) {
    const t = await compile(model, { loss: mse, batchSize: 4 });
    const h = t.fit([[1, 2, 3, 4], [0, -1, 2, 0.5]], [[1, 0], [0, 1]], { epochs: 30, seed: 1 });
    assert.ok(h.loss[29] < h.loss[0], `${describe(model)} did not learn`);
  }
  // logSoftmax as the last layer, with nllLoss.
  const t = await compile(chain(dense(2, 8), A.selu, dense(8, 2), T.logSoftmax), {
    loss: nllLoss,
    optimizer: adam({ lr: 0.05 }),
    batchSize: 4,
  });
  t.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { epochs: 300, seed: 1 });
  assert.equal(t.evaluate([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]).accuracy, 1);
});

Deno.test("bad activation parameters are InputErrors naming the parameter and value", () => {
  const x = T.input("x", [3]);
  const cases: [() => unknown, RegExp][] = [
    [() => A.leakyRelu(NaN), /leakyRelu: alpha must be a finite number, got NaN/],
    [() => A.elu(x, Infinity), /elu: alpha must be a finite number, got Infinity/],
    [() => A.celu(0), /celu: alpha must not be 0/],
    [() => A.softplus(x, 0), /softplus: beta must not be 0/],
    [() => A.softplus(1, NaN), /softplus: threshold must be a number, got NaN/],
    [() => A.hardTanh(2, 1), /hardTanh: min 2 must not be greater than max 1/],
    [
      () => A.gelu({ approximate: "erf" as "none" }),
      /gelu: approximate must be "none" or "tanh", got "erf"/,
    ],
  ];
  for (const [f, message] of cases) {
    assert.throws(f, (e: Error) => e instanceof InputError && message.test(e.message));
  }
});

Deno.test("leakyRelu, elu, selu, celu, hardTanh and softplus fuse into the product's epilogue: no pre-activation stored", () => {
  const activations: [string, (x: T.Tensor) => T.Tensor, string][] = [
    ["leakyRelu", A.leakyRelu(0.1), "leakyrelu"],
    ["elu", A.elu(), "elu"],
    ["selu", A.selu, "elu"],
    ["celu", A.celu(2), "elu"],
    ["hardTanh", A.hardTanh(), "hardtanh"],
    ["softplus without threshold", A.softplus(1, Infinity), "softplus"],
  ];
  for (const [name, act, op] of activations) {
    const graphs = buildGraphs(chain(dense(4, 8), act, dense(8, 2)), mse, sgd(), 4, "f32");
    const train = optimize(graphs.train);
    const { kernels } = fuse(train);
    const forward = kernels.find((k) =>
      k.kind === "matmul" && k.epilogue?.nodes.some((id) => train.nodes[id].op === op)
    );
    assert.ok(forward !== undefined, `${name}: not in an epilogue`);
    // The activation is the epilogue's only output: the product + bias is never written.
    assert.equal(forward.kind === "matmul" && train.nodes[forward.epilogue!.output].op, op, name);
    const written = kernels.flatMap((k) =>
      k.kind === "elementwise"
        ? k.outputs
        : k.kind === "matmul"
        ? [k.epilogue?.output ?? k.node]
        : [k.node]
    );
    const preActivation = train.nodes.find((n) => n.op === op)!.inputs[0];
    assert.ok(!written.includes(preActivation), `${name}: the pre-activation is stored`);
  }
});
