/**
 * The optimizers users pick from — each a constructor of a plain-data
 * configuration, with PyTorch's option names and defaults — and the types of
 * their configurations. The table that turns a configuration into update
 * nodes, state slots and per-step scalars is `optimizer/table.ts`.
 *
 * @module
 */

export { adagrad, type AdagradConfig, type AdagradOptions } from "./optimizer/adagrad.ts";
export {
  adam,
  type AdamConfig,
  type AdamFamilyConfig,
  type AdamOptions,
  adamw,
  type AdamWConfig,
  type AdamWOptions,
} from "./optimizer/adam.ts";
export { lion, type LionConfig, type LionOptions } from "./optimizer/lion.ts";
export { rmsprop, type RmspropConfig, type RmspropOptions } from "./optimizer/rmsprop.ts";
export { sgd, type SgdConfig, type SgdOptions } from "./optimizer/sgd.ts";
export type { BaseConfig, ClipOptions } from "./optimizer/def.ts";
export type { OptimizerConfig, OptimizerConfigs, OptimizerKind } from "./optimizer/table.ts";
