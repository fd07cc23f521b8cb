/**
 * Property-testing gradients of your own model pieces: a custom activation
 * (swish, softplus), a custom loss (log-cosh), a whole model, a deliberately
 * wrong hand-written derivative being caught, and the f32 training step
 * against the f64 one.
 *
 * Run: `deno run --allow-read --allow-env examples/gradcheck.ts`
 *
 * What is compared: finite differences of the f64 reference interpreter
 * (expected) against the symbolic gradient produced by the training pipeline
 * — differentiate, optimize, compile to f64 WebAssembly (got).
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import {
  add,
  chain,
  checkGradients,
  checkModelGradients,
  dense,
  exp,
  GradientCheckError,
  log,
  type Loss,
  mean,
  mul,
  neg,
  relu,
  sigmoid,
  sub,
  sum,
  type Tensor,
} from "../mod.ts";
import {
  activationGradientsMatch,
  architectures,
  f32MatchesF64,
  gradientsMatchFiniteDifferences,
  lossGradientsMatch,
  withDerivative,
} from "../testing/mod.ts";

/** A custom activation: swish(x) = x·σ(x). */
export const swish = (x: Tensor): Tensor => mul(x, sigmoid(x));

/** A custom activation: softplus(x) = log(1 + eˣ). */
export const softplus = (x: Tensor): Tensor => log(add(1, exp(x)));

/** A custom loss: mean log(cosh(prediction − target)), smooth and robust to outliers. */
export const logCosh: Loss = {
  name: "logCosh",
  labels: "values",
  labelShape: (prediction) => prediction,
  apply: (prediction, targets) => {
    const d = sub(prediction, targets);
    return mean(log(mul(0.5, add(exp(d), exp(neg(d))))));
  },
};

/** swish′ derived by hand, correctly: σ(x)·(1 + x·(1 − σ(x))). */
export const swishPrime = (x: Tensor): Tensor =>
  mul(sigmoid(x), add(1, mul(x, sub(1, sigmoid(x)))));

/** swish′ derived by hand with a slip: σ(x)·(1 + x·σ(x)). */
export const swishPrimeWrong = (x: Tensor): Tensor => mul(sigmoid(x), add(1, mul(x, sigmoid(x))));

/** What `runGradcheck` found. */
export interface GradcheckSummary {
  /** The message with which the wrong derivative was caught. */
  readonly caught: string;
  /** Lines printed. */
  readonly lines: readonly string[];
}

/**
 * Runs every check of the example; each property with `numRuns` cases.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runGradcheck } from "./gradcheck.ts";
 * const r = await runGradcheck({ numRuns: 5, log: () => {} });
 * assert.ok(r.caught.includes('"x"'));
 * ```
 */
export async function runGradcheck(
  options: { numRuns?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<GradcheckSummary> {
  const numRuns = options.numRuns ?? 200;
  const seed = options.seed ?? 1;
  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    (options.log ?? console.log)(line);
  };

  // 1. Custom activations: Σ activation(x)·r over random shapes, inputs and cotangents r.
  fc.assert(activationGradientsMatch(swish), { numRuns, seed });
  fc.assert(activationGradientsMatch(softplus, { min: -5, max: 5 }), { numRuns, seed });
  print(`swish and softplus: gradients match finite differences (${numRuns} cases each)`);

  // 2. A custom loss: gradient with respect to predictions and targets.
  fc.assert(lossGradientsMatch(logCosh), { numRuns, seed });
  print(`logCosh loss: gradients match finite differences (${numRuns} cases)`);

  // 3. A whole model with the custom pieces, then random architectures with them.
  const model = chain(dense(4, 16), swish, dense(16, 8), softplus, dense(8, 3));
  const reports = checkModelGradients(model, {
    loss: logCosh,
    x: [[0.5, -1, 2, 0], [1, 0.25, -0.5, 3]],
    y: [[0, 1, 0], [1, 0, 0.5]],
    seed: 7,
  });
  for (const r of reports) {
    print(
      `  ${r.name.padEnd(9)} max |error| ${
        r.maxAbsError.toExponential(1)
      } over ${r.checked} elements`,
    );
  }
  fc.assert(gradientsMatchFiniteDifferences(model, { loss: logCosh }), {
    numRuns: Math.ceil(numRuns / 10),
    seed,
  });
  const custom = architectures({ activations: { swish, softplus, relu }, maxWidth: 32 });
  fc.assert(gradientsMatchFiniteDifferences(custom), { numRuns: Math.ceil(numRuns / 10), seed });
  print("models with swish, softplus and logCosh: gradients match finite differences");

  // 4. A hand-written derivative is checked by giving swish that derivative:
  //    finite differences of swish itself are compared with it.
  checkGradients(({ x }) => sum(withDerivative(swish, swishPrime)(x)), { x: [[-2, -0.5, 0.1, 3]] });
  let caught = "";
  try {
    checkGradients(({ x }) => sum(withDerivative(swish, swishPrimeWrong)(x)), {
      x: [[-2, -0.5, 0.1, 3]],
    });
  } catch (e) {
    if (!(e instanceof GradientCheckError)) throw e;
    caught = e.message;
  }
  if (caught === "") throw new Error("the wrong derivative of swish was not caught");
  print(`the slip in swishPrimeWrong is caught:\n${caught}`);

  // 5. The f32 training step agrees with the same step compiled at f64.
  await fc.assert(f32MatchesF64(model, { loss: logCosh }), {
    numRuns: Math.ceil(numRuns / 20),
    seed,
  });
  print("f32 training step = f64 training step within the stated tolerance");
  return { caught, lines };
}

if (import.meta.main) await runGradcheck();
