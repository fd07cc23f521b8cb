/**
 * mlpc — multilayer perceptrons written as pure, composable function
 * expressions, differentiated symbolically, fused and compiled to one
 * WebAssembly training step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adam, chain, compile, dense, relu, softmaxCrossEntropy } from "./mod.ts";
 * const model = chain(dense(2, 8), relu, dense(8, 2));
 * const trainer = await compile(model, { loss: softmaxCrossEntropy, optimizer: adam({ lr: 0.05 }), batchSize: 4 });
 * const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
 * const y = [0, 1, 1, 0];
 * trainer.fit(x, y, { epochs: 200, seed: 1 });
 * assert.ok(trainer.evaluate(x, y).accuracy === 1);
 * ```
 *
 * @module
 */

export {
  abs,
  add,
  broadcastTo,
  concat,
  constant,
  count,
  div,
  erf,
  exp,
  expm1,
  identity,
  input,
  literal,
  log,
  log1p,
  logSoftmax,
  logSumExp,
  matmul,
  max,
  mean,
  mul,
  neg,
  normalize,
  type NormalizeOptions,
  oneHot,
  param,
  type ReduceOptions,
  relu,
  reshape,
  running,
  sigmoid,
  slice,
  softmax,
  sqrt,
  square,
  stopGradient,
  sub,
  sum,
  tanh,
  type Tensor,
  type TensorLike,
  where,
} from "./compiler/frontend/tensor.ts";
export {
  type Activation,
  celu,
  elu,
  gelu,
  type GeluOptions,
  hardSigmoid,
  hardSwish,
  hardTanh,
  leakyRelu,
  logSigmoid,
  mish,
  selu,
  SELU_ALPHA,
  SELU_SCALE,
  silu,
  softplus,
  softsign,
  swish,
} from "./compiler/frontend/activations.ts";
export {
  applyModel,
  chain,
  dense,
  type DenseOptions,
  type Layer,
  linear,
  type Model,
} from "./compiler/frontend/layers.ts";
export {
  batchNorm,
  type BatchNormOptions,
  layerNorm,
  type LayerNormOptions,
} from "./compiler/frontend/normalization.ts";
export { dropout } from "./compiler/frontend/dropout.ts";
export { bag, gather, type Pool, sparseMatmul } from "./compiler/frontend/sparse.ts";
export {
  embedding,
  embeddingBag,
  type EmbeddingBagOptions,
  type EmbeddingOptions,
} from "./compiler/frontend/embedding.ts";
export { type ApplyLayer, functional } from "./compiler/frontend/functional.ts";
export {
  type InputSpec,
  type InputSpecs,
  type InputValue,
  type InputValues,
  sparse,
  type SparseRows,
  type SparseSpec,
  type TokenBags,
  type TokenIds,
  tokenIds,
  type TokenIdsSpec,
  tokens,
  type TokensSpec,
  type ValueOf,
} from "./compiler/frontend/inputs.ts";
export { parallel, residual } from "./compiler/frontend/combinators.ts";
export { type ApplyContext, markMode, type Mode } from "./compiler/frontend/modes.ts";
export {
  type BinaryCrossEntropyOptions,
  binaryCrossEntropyWithLogits,
  type ConfigurableLoss,
  huber,
  type HuberOptions,
  l1,
  type Loss,
  mse,
  nllLoss,
  type NllLossOptions,
  type Reduction,
  type ReductionOptions,
  smoothL1,
  type SmoothL1Options,
  softmaxCrossEntropy,
  type SoftmaxCrossEntropyOptions,
} from "./compiler/frontend/losses.ts";
export {
  adagrad,
  type AdagradOptions,
  adam,
  type AdamOptions,
  adamw,
  type AdamWOptions,
  lion,
  type LionOptions,
  rmsprop,
  type RmspropOptions,
  sgd,
  type SgdOptions,
} from "./core/optimizers.ts";
export {
  compileArtifact,
  type CompileOptions,
  type EngineSupport,
} from "./compiler/driver/compile.ts";
export type { ThreadCosts } from "./compiler/schedule/split.ts";
export type { ThreadSupport } from "./runtime/threads.ts";
// compile, instantiate, load and deserialize with the live progress bar (npm:cli-progress, loaded on a terminal only);
// these take precedence over the runtime's own, re-exported below.
export { compile, deserialize, instantiate, load } from "./progress/with_progress_bar.ts";
export { evaluateF64, grad } from "./compiler/frontend/grad.ts";
export { differentiate } from "./compiler/passes/differentiate.ts";
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
} from "./compiler/driver/check_gradients.ts";
export { trace } from "./compiler/frontend/trace.ts";
export type { CompileCache, CompiledGraph } from "./compiler/driver/run_graph.ts";
export { printGraph } from "./compiler/ir/print_graph.ts";
export { type Bindings, interpret, type InterpretResult } from "./compiler/ir/interpret.ts";
export type {
  Attrs,
  Graph,
  Initializer,
  InputKind,
  Node,
  OpName,
  Output,
  Update,
} from "./compiler/ir/ir.ts";
export type {
  ElementMath,
  ElementwiseOp,
  KernelFamily,
  KernelOp,
  OpDef,
  OpRules,
  Tensor64,
  VjpEmitter,
} from "./compiler/ir/ops.ts";
export type { Dim, DType, Shape } from "./core/shape.ts";
export { CompileError, DivergenceError, InputError, MlpcError, ShapeError } from "./core/errors.ts";
// The runtime's surface: Trainer, instantiate, save/load, artifact types.
export * from "./runtime/mod.ts";
