/**
 * The runtime alone: load a saved model, predict, evaluate and resume
 * training without loading the compiler or Binaryen (importing this entry
 * takes milliseconds; `mod.ts` also loads Binaryen).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { deserialize, serialize } from "./mod.ts";
 * const saved = serialize(await compile(dense(2, 1), { loss: mse, batchSize: 2 }));
 * const trainer = await deserialize(saved); // needs only the runtime
 * assert.ok(trainer.predict([[1, 2]]).length === 1);
 * ```
 *
 * @module
 */

export {
  type BatchInfo,
  type CallbackResult,
  type EpochInfo,
  type EvaluateOptions,
  type Evaluation,
  type FitOptions,
  type History,
  instantiate,
  type InstantiateOptions,
  type StopReason,
  Trainer,
  type TrainingState,
  type ValidationData,
} from "./trainer.ts";
export {
  constantLR,
  type ConstantSchedule,
  cosineAnnealing,
  type CosineAnnealingSchedule,
  exponentialLR,
  type ExponentialLRSchedule,
  learningRateAt,
  multiStepLR,
  type MultiStepLRSchedule,
  oneCycle,
  type OneCycleSchedule,
  reduceOnPlateau,
  type ReduceOnPlateauSchedule,
  type Schedule,
  type ScheduleUnit,
  stepLR,
  type StepLRSchedule,
} from "./schedules.ts";
export { autoMode, type EarlyStoppingOptions, type TargetOptions } from "./stopping.ts";
export {
  type BatchProgress,
  type EpochProgress,
  lineReporter,
  type ProgressFactory,
  type ProgressReporter,
} from "./progress.ts";
export type { MinMaxScalerData, ScalerData, StandardScalerData } from "../core/preprocessing.ts";
export { deserialize, load, save, serialize } from "./save_load.ts";
export {
  accuracy,
  classCount,
  type ClassificationScores,
  confusionMatrix,
  meanAbsoluteError,
  meanSquaredError,
  precisionRecallF1,
  r2Score,
  rocAuc,
  rootMeanSquaredError,
  sensitivity,
  specificity,
  topKAccuracy,
} from "./metrics.ts";
export type {
  Artifact,
  ArtifactGraphs,
  ArtifactParam,
  ArtifactSlot,
  Inspection,
  PlainGraph,
  PlainNode,
} from "../core/artifact.ts";
export type { Labels, Samples } from "./data.ts";
export type {
  InputData,
  Inputs,
  SparseData,
  SparseLists,
  SparseOffsets,
  TokenLists,
  TokenOffsets,
  TokensPadded,
} from "./feed.ts";
export type {
  DenseEntry,
  InputEntry,
  InputSignature,
  SparseEntry,
  TokenIdsEntry,
  TokensEntry,
} from "../core/inputs.ts";
export {
  ArtifactError,
  DivergenceError,
  FileError,
  InputError,
  MlpcError,
} from "../core/errors.ts";
export { ARCHITECTURE } from "./state.ts";
export type { DivergenceDetails, DivergenceHistory } from "../core/errors.ts";
export type { Initializer, InputKind } from "../core/contract.ts";
export type { Dim, DType, Shape } from "../core/shape.ts";
export type {
  AdagradConfig,
  AdamConfig,
  AdamFamilyConfig,
  AdamWConfig,
  BaseConfig,
  ClipOptions,
  LionConfig,
  OptimizerConfig,
  OptimizerConfigs,
  OptimizerKind,
  RmspropConfig,
  SgdConfig,
} from "../core/optimizers.ts";
