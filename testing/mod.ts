/**
 * Property-testing helpers for mlpc models: a gradient checker (the symbolic
 * gradient, compiled to f64 WebAssembly, against central finite differences
 * of the f64 interpreter), an f32-against-f64 comparison of the compiled
 * training step, fast-check arbitraries (shapes, tensors, MLP architectures,
 * model cases) and ready-made properties.
 *
 * Import it as `@mlpc/mlpc/testing` (or `./testing/mod.ts` in this
 * repository); fast-check is a peer: use the same `npm:fast-check@4`.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import {
 *   activationGradientsMatch,
 *   architectures,
 *   gradientsMatchFiniteDifferences,
 * } from "./mod.ts";
 * import { add, exp, log, type Tensor } from "../mod.ts";
 *
 * const softplus = (x: Tensor) => log(add(1, exp(x)));
 * fc.assert(activationGradientsMatch(softplus), { numRuns: 20, seed: 42 });
 * fc.assert(gradientsMatchFiniteDifferences(architectures({ maxDepth: 2, maxWidth: 8 })), {
 *   numRuns: 3,
 *   seed: 42,
 * });
 * ```
 *
 * @module
 */

export {
  checkGradients,
  type CheckGradientsOptions,
  checkModelGradients,
  GradientCheckError,
  type GradientCheckOptions,
  type GradientReport,
  type InputsCheckData,
  type ModelCheckData,
  type TensorValue,
} from "../compiler/driver/check_gradients.ts";
export {
  ACTIVATIONS,
  type Architecture,
  type ArchitectureOptions,
  architectures,
  drawParams,
  type LayerName,
  LAYERS,
  LOSSES,
  type ModelCase,
  type ModelCaseOptions,
  modelCases,
  type ShapeOptions,
  shapes,
  type TensorData,
  tensors,
  type ValueOptions,
  values,
} from "./arbitraries.ts";
export {
  activationGradientsMatch,
  type ActivationPropertyOptions,
  expressionGradientsMatch,
  f32MatchesF64,
  type GradientPropertyOptions,
  gradientsMatchFiniteDifferences,
  lossGradientsMatch,
  type LossPropertyOptions,
  type PrecisionPropertyOptions,
} from "./properties.ts";
export { withDerivative } from "./derivatives.ts";
export {
  type SparseRowOptions,
  sparseRows,
  type TokenListOptions,
  tokenLists,
} from "./input_arbitraries.ts";
export {
  compareF32ToF64,
  type ParamPrecision,
  PrecisionError,
  type PrecisionOptions,
  type PrecisionReport,
} from "./precision.ts";
