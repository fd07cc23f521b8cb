/**
 * Testing a hand-written derivative. mlpc derives every gradient from the op
 * table, so a user never *needs* to write one; but when you have derived one
 * by hand (for a paper, for another framework, to check your understanding),
 * `withDerivative` lets the gradient checker test it: the result has the
 * *value* of `f` and the *gradient* `g·derivative(x)`, so finite differences
 * (of the value, i.e. of `f`) are compared with your derivative.
 *
 * It is built from ordinary ops and `stopGradient`, nothing else:
 *
 *     y = stopGradient(f(x)) + x·stopGradient(d(x)) − stopGradient(x·d(x))
 *
 * The last two terms cancel exactly in value (the same f64 product twice)
 * and leave `d(x)` as the only path of the gradient. No closure is stored in
 * the graph and no registry is involved: the graph is plain data as always.
 *
 * @module
 */

import { add, mul, stopGradient, sub, type Tensor } from "../compiler/frontend/tensor.ts";

/**
 * An elementwise function whose value is `f(x)` and whose derivative is the
 * hand-written `derivative(x)` (elementwise: the gradient flowing back is
 * `g·derivative(x)`). Use it to test a hand-written derivative with
 * `checkGradients` or `activationGradientsMatch`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDerivative } from "./derivatives.ts";
 * import { checkGradients, GradientCheckError } from "../compiler/driver/check_gradients.ts";
 * import { mul, sigmoid, sub, sum, type Tensor } from "../compiler/frontend/tensor.ts";
 * const swish = (x: Tensor) => mul(x, sigmoid(x));
 * const wrongPrime = (x: Tensor) => mul(sigmoid(x), sub(1, sigmoid(x))); // forgot the product rule
 * try {
 *   checkGradients(({ x }) => sum(withDerivative(swish, wrongPrime)(x)), { x: [-1, 0.5, 2] });
 *   throw new Error("unreachable");
 * } catch (e) {
 *   assert.ok(e instanceof GradientCheckError);
 * }
 * ```
 */
export function withDerivative(
  f: (x: Tensor) => Tensor,
  derivative: (x: Tensor) => Tensor,
): (x: Tensor) => Tensor {
  return (x: Tensor): Tensor => {
    const slope = derivative(x);
    const value = stopGradient(f(x));
    return add(value, sub(mul(x, stopGradient(slope)), stopGradient(mul(x, slope))));
  };
}
