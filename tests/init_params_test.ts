// Initializers (runtime/init_params.ts) against their published definitions
// (Glorot & Bengio 2010; He et al. 2015; LeCun et al. 1998; PyTorch's
// torch.nn.init and nn.Linear.reset_parameters), statistically: on 60,000
// draws each, the sample mean and variance lie within 5 standard errors of
// the distribution's (the standard error of the variance from its fourth
// moment), the Kolmogorov–Smirnov distance to the distribution function is
// below its 0.1 % critical value 1.95/√n, and bounds hold exactly. A
// distribution with a wrong scale is shown to fail the same checks.
import assert from "node:assert/strict";
import { initParam } from "../runtime/init_params.ts";
import type { Initializer } from "../core/contract.ts";
import { erf } from "../core/erf.ts";
import { InputError } from "../core/errors.ts";
import { dense } from "../compiler/frontend/layers.ts";
import { applyModel } from "../compiler/frontend/layers.ts";
import { input, param } from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";

const FAN_IN = 300;
const FAN_OUT = 200;

/** A distribution as the test knows it: moments and distribution function. */
interface Law {
  readonly mean: number;
  readonly variance: number;
  /** Fourth central moment. */
  readonly m4: number;
  readonly cdf: (x: number) => number;
  readonly support?: readonly [number, number];
}

const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

function uniformLaw(a: number, b: number): Law {
  const w = b - a;
  return {
    mean: (a + b) / 2,
    variance: (w * w) / 12,
    m4: w ** 4 / 80,
    cdf: (x) => Math.min(Math.max((x - a) / w, 0), 1),
    support: [a, b],
  };
}

function normalLaw(mean: number, std: number): Law {
  return { mean, variance: std * std, m4: 3 * std ** 4, cdf: (x) => Phi((x - mean) / std) };
}

/** N(μ, σ²) restricted to [a, b]: moments by the standard formulas, m4 numerically. */
function truncatedLaw(mu: number, sigma: number, a: number, b: number): Law {
  const alpha = (a - mu) / sigma;
  const beta = (b - mu) / sigma;
  const z = Phi(beta) - Phi(alpha);
  const mean = mu + (sigma * (phi(alpha) - phi(beta))) / z;
  const variance = sigma ** 2 *
    (1 + (alpha * phi(alpha) - beta * phi(beta)) / z - ((phi(alpha) - phi(beta)) / z) ** 2);
  // ∫ (x − mean)⁴ density, by Simpson's rule on 20,000 intervals.
  const steps = 20_000;
  let m4 = 0;
  for (let i = 0; i <= steps; i++) {
    const x = a + ((b - a) * i) / steps;
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    m4 += w * (x - mean) ** 4 * phi((x - mu) / sigma) / sigma / z;
  }
  m4 *= (b - a) / steps / 3;
  return {
    mean,
    variance,
    m4,
    cdf: (x) => Math.min(Math.max((Phi((x - mu) / sigma) - Phi(alpha)) / z, 0), 1),
    support: [a, b],
  };
}

/** The reasons `values` do not look drawn from `law` (empty when they do). */
function mismatches(values: Float64Array, law: Law): string[] {
  const n = values.length;
  const problems: string[] = [];
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let s2 = 0;
  for (const v of values) s2 += (v - mean) ** 2;
  const variance = s2 / (n - 1);
  const meanError = Math.sqrt(law.variance / n);
  const varianceError = Math.sqrt((law.m4 - law.variance ** 2) / n);
  if (Math.abs(mean - law.mean) > 5 * meanError) {
    problems.push(`mean ${mean}, expected ${law.mean} ± ${5 * meanError}`);
  }
  if (Math.abs(variance - law.variance) > 5 * varianceError) {
    problems.push(`variance ${variance}, expected ${law.variance} ± ${5 * varianceError}`);
  }
  const sorted = Float64Array.from(values).sort();
  let d = 0;
  sorted.forEach((v, i) => {
    const f = law.cdf(v);
    d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  });
  if (d * Math.sqrt(n) > 1.95) {
    problems.push(`Kolmogorov–Smirnov √n·D = ${d * Math.sqrt(n)} > 1.95`);
  }
  if (law.support !== undefined) {
    const [lo, hi] = law.support;
    if (sorted[0] < lo || sorted[n - 1] > hi) {
      problems.push(`range [${sorted[0]}, ${sorted[n - 1]}] outside [${lo}, ${hi}]`);
    }
  }
  return problems;
}

function draw(init: Initializer, seed = 7, shape = [FAN_IN, FAN_OUT]): Float64Array {
  return initParam({ name: "layer.weight", shape, init }, seed);
}

const glorot = Math.sqrt(6 / (FAN_IN + FAN_OUT));
const LAWS: [Initializer, Law][] = [
  ["glorotUniform", uniformLaw(-glorot, glorot)],
  ["glorotNormal", normalLaw(0, Math.sqrt(2 / (FAN_IN + FAN_OUT)))],
  ["heUniform", uniformLaw(-Math.sqrt(6 / FAN_IN), Math.sqrt(6 / FAN_IN))],
  ["heNormal", normalLaw(0, Math.sqrt(2 / FAN_IN))],
  ["lecunUniform", uniformLaw(-Math.sqrt(3 / FAN_IN), Math.sqrt(3 / FAN_IN))],
  ["lecunNormal", normalLaw(0, Math.sqrt(1 / FAN_IN))],
  // PyTorch: kaiming_uniform_(a=√5): gain √(2/(1+5)), bound gain·√(3/fan_in) = 1/√fan_in
  [
    "torchLinear",
    uniformLaw(-Math.sqrt(2 / 6) * Math.sqrt(3 / FAN_IN), Math.sqrt(2 / 6) * Math.sqrt(3 / FAN_IN)),
  ],
  [{ kind: "uniform", a: -0.3, b: 0.7 }, uniformLaw(-0.3, 0.7)],
  [{ kind: "normal", mean: 0.5, std: 0.02 }, normalLaw(0.5, 0.02)],
  [{ kind: "truncatedNormal" }, truncatedLaw(0, 1, -2, 2)],
  [{ kind: "truncatedNormal", std: 0.02, a: -0.04, b: 0.04 }, truncatedLaw(0, 0.02, -0.04, 0.04)],
  // Asymmetric and off-centre: one bound a standard deviation from the mean.
  [{ kind: "truncatedNormal", mean: 1, std: 2, a: 0, b: 7 }, truncatedLaw(1, 2, 0, 7)],
];

for (const [init, law] of LAWS) {
  Deno.test(`${JSON.stringify(init)}: moments, distribution and bounds as defined (60,000 draws)`, () => {
    assert.deepEqual(mismatches(draw(init), law), []);
  });
}

Deno.test("the statistical checks can fail: a wrong scale, a 2 % wrong std, a clipped normal", () => {
  // He's bound under Glorot's law (√(6/300) vs √(6/500)): variance and KS fail.
  const wrong = mismatches(draw("heUniform"), uniformLaw(-glorot, glorot));
  assert.ok(
    wrong.some((p) => p.startsWith("variance")) && wrong.some((p) => p.startsWith("Kolmogorov")),
  );
  // A 2 % error of the standard deviation is caught.
  assert.ok(mismatches(draw({ kind: "normal", std: 1.02 }), normalLaw(0, 1)).length > 0);
  // A normal clipped at ±2 is not the truncated normal (mass piles up at the ends).
  const clipped = draw({ kind: "normal", std: 1 }).map((v) => Math.min(Math.max(v, -2), 2));
  assert.ok(mismatches(clipped, truncatedLaw(0, 1, -2, 2)).length > 0);
});

Deno.test("zeros, ones, constant are exact; draws are reproducible from the seed and the name", () => {
  assert.ok(draw("zeros").every((v) => v === 0));
  assert.ok(draw("ones").every((v) => v === 1));
  assert.ok(draw({ kind: "constant", value: -0.25 }).every((v) => v === -0.25));
  assert.deepEqual(draw("heNormal", 3), draw("heNormal", 3));
  assert.notDeepEqual(draw("heNormal", 3), draw("heNormal", 4));
  const other = initParam({ name: "other.weight", shape: [FAN_IN, FAN_OUT], init: "heNormal" }, 3);
  assert.notDeepEqual(other, draw("heNormal", 3));
});

Deno.test('dense(…, { init: "torchLinear" }) draws weight and bias as PyTorch\'s nn.Linear', () => {
  const graph = trace({
    y: applyModel(dense(400, 150, { init: "torchLinear" }), input("x", ["batch", 400])),
  });
  const inits = Object.fromEntries(
    graph.nodes.filter((n) => n.attrs.kind === "param").map((n) => [n.attrs.name, n.attrs.init]),
  );
  const bound = 1 / Math.sqrt(400);
  assert.equal(inits.weight, "torchLinear");
  assert.deepEqual(inits.bias, { kind: "uniform", a: -bound, b: bound });
  const bias = initParam({ name: "bias", shape: [150], init: inits.bias! }, 1);
  assert.ok(bias.every((v) => Math.abs(v) <= bound) && bias.some((v) => v !== 0));
  // Other inits keep a zero bias unless one is given.
  const plain = trace({
    y: applyModel(dense(4, 2, { biasInit: "ones" }), input("x", ["batch", 4])),
  });
  assert.equal(plain.nodes.find((n) => n.attrs.name === "bias")!.attrs.init, "ones");
});

Deno.test("bad initializers are InputErrors naming the parameter, when the model is built", () => {
  const cases: [unknown, RegExp][] = [
    ["bogus", /Parameter "w": unknown initializer "bogus"/],
    [{ kind: "normal", std: 0 }, /normal needs a finite std > 0/],
    [{ kind: "uniform", a: 1, b: 1 }, /uniform needs finite bounds a < b/],
    [{ kind: "truncatedNormal", a: 2, b: -2 }, /truncatedNormal needs bounds a < b/],
    [{ kind: "constant", value: NaN }, /constant needs a finite value/],
    [{ kind: "laplace" }, /unknown initializer kind "laplace"/],
  ];
  for (const [init, message] of cases) {
    assert.throws(
      () => param("w", [2, 2], init as Initializer),
      (e: Error) => e instanceof InputError && message.test(e.message),
    );
  }
  // A truncation interval with no probability to speak of.
  assert.throws(
    () => initParam({ name: "w", shape: [4], init: { kind: "truncatedNormal", a: 40, b: 41 } }, 1),
    (e: Error) =>
      e instanceof InputError && /probability 0\.00e\+0: too small to sample/.test(e.message),
  );
});
