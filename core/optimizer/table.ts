/**
 * The optimizer table: one entry per kind (`sgd`, `adam`, `adamw`,
 * `rmsprop`, `adagrad`, `lion`), each holding its configuration, its state
 * slots, its per-step scalars and its update rule (see `def.ts`). The
 * compiler emits updates through it, the runtime computes per-step scalars
 * and initial state through it, and saved files are validated through it.
 *
 * `OPTIMIZERS` is a mapped type over the kinds: a kind without an entry, or
 * an entry without one of its parts, is a type error.
 *
 * @module
 */

import type { BaseConfig, Fail, OptimizerDef, StateSlot } from "./def.ts";
import { ADAGRAD, type AdagradConfig } from "./adagrad.ts";
import { ADAM, type AdamConfig, ADAMW, type AdamWConfig } from "./adam.ts";
import { LION, type LionConfig } from "./lion.ts";
import { RMSPROP, type RmspropConfig } from "./rmsprop.ts";
import { SGD, type SgdConfig } from "./sgd.ts";

/** Every optimizer's configuration type, by kind. */
export interface OptimizerConfigs {
  /** `torch.optim.SGD`. */
  readonly sgd: SgdConfig;
  /** `torch.optim.Adam`. */
  readonly adam: AdamConfig;
  /** `torch.optim.AdamW`. */
  readonly adamw: AdamWConfig;
  /** `torch.optim.RMSprop`. */
  readonly rmsprop: RmspropConfig;
  /** `torch.optim.Adagrad`. */
  readonly adagrad: AdagradConfig;
  /** Lion. */
  readonly lion: LionConfig;
}

/** The name of an optimizer. */
export type OptimizerKind = keyof OptimizerConfigs;

/** Any optimizer configuration. */
export type OptimizerConfig = OptimizerConfigs[OptimizerKind];

/** A table with one complete entry per kind of `M`, whose configs carry their own kind. */
export type OptimizerTable<M extends { readonly [K in keyof M]: BaseConfig & { kind: K } }> = {
  readonly [K in keyof M]: OptimizerDef<M[K]>;
};

/** The optimizer table. */
export const OPTIMIZERS: OptimizerTable<OptimizerConfigs> = Object.freeze({
  sgd: SGD,
  adam: ADAM,
  adamw: ADAMW,
  rmsprop: RMSPROP,
  adagrad: ADAGRAD,
  lion: LION,
});

/**
 * The table entry of a configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerEntry } from "./table.ts";
 * import { adam } from "./adam.ts";
 * assert.deepEqual(optimizerEntry(adam()).scalars(adam()), ["stepSize", "vScale"]);
 * ```
 */
export function optimizerEntry(config: OptimizerConfig): OptimizerDef<OptimizerConfig> {
  return OPTIMIZERS[config.kind] as OptimizerDef<OptimizerConfig>;
}

/**
 * Validates a configuration read from outside (a saved file) through the
 * table: a known kind, only that optimizer's options, each in range.
 * `fail` raises the caller's error type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerFromPlain } from "./table.ts";
 * import { sgd } from "./sgd.ts";
 * const fail = (m: string): never => { throw new Error(m); };
 * assert.deepEqual(optimizerFromPlain({ kind: "sgd", lr: 0.1 }, fail), sgd({ lr: 0.1 }));
 * assert.throws(() => optimizerFromPlain({ kind: "adamax" }, fail), /unknown optimizer "adamax"/);
 * ```
 */
export function optimizerFromPlain(value: unknown, fail: Fail): OptimizerConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`an optimizer must be an object, got ${JSON.stringify(value)}`);
  }
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !Object.hasOwn(OPTIMIZERS, kind)) {
    return fail(
      `unknown optimizer ${JSON.stringify(kind)}; the optimizers are ${
        Object.keys(OPTIMIZERS).join(", ")
      }`,
    );
  }
  const entry = OPTIMIZERS[kind as OptimizerKind] as OptimizerDef<OptimizerConfig>;
  return entry.configure(value as Record<string, unknown>, fail);
}

/** Prefix of every per-step scalar input's name (reserved: no parameter may start with it). */
export const OPTIMIZER_SCALAR_PREFIX = "optimizer.";

/**
 * The input name of an optimizer's per-step scalar `name`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalarInputName } from "./table.ts";
 * assert.equal(scalarInputName("lr"), "optimizer.lr");
 * ```
 */
export function scalarInputName(name: string): string {
  return `${OPTIMIZER_SCALAR_PREFIX}${name}`;
}

/**
 * The buffer name of state slot `slot` of parameter `param`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stateBufferName } from "./table.ts";
 * assert.equal(stateBufferName("exp_avg", "0.weight"), "exp_avg/0.weight");
 * ```
 */
export function stateBufferName(slot: string, param: string): string {
  return `${slot}/${param}`;
}

/** One optimizer-state buffer of a model. */
export interface StateBuffer extends StateSlot {
  /** Its buffer name (`<slot>/<parameter>`). */
  readonly buffer: string;
  /** The parameter it belongs to. */
  readonly param: string;
}

/**
 * Every optimizer-state buffer of a model with these parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerStateBuffers } from "./table.ts";
 * import { adagrad } from "./adagrad.ts";
 * const [sum] = optimizerStateBuffers(adagrad({ initialAccumulatorValue: 0.1 }), ["w"]);
 * assert.deepEqual(sum, { name: "sum", initial: 0.1, buffer: "sum/w", param: "w" });
 * ```
 */
export function optimizerStateBuffers(
  config: OptimizerConfig,
  params: readonly string[],
): StateBuffer[] {
  const slots = optimizerEntry(config).state(config);
  return params.flatMap((param) =>
    slots.map((slot) => ({ ...slot, buffer: stateBufferName(slot.name, param), param }))
  );
}

/**
 * The input names of the per-step scalars, in the entry's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerScalarNames } from "./table.ts";
 * import { sgd } from "./sgd.ts";
 * assert.deepEqual(optimizerScalarNames(sgd({ momentum: 0.9 })), ["optimizer.lr", "optimizer.momentum"]);
 * ```
 */
export function optimizerScalarNames(config: OptimizerConfig): string[] {
  return optimizerEntry(config).scalars(config).map(scalarInputName);
}

/**
 * The per-step scalars of step `t` (1-based) at learning rate `lr`, by input
 * name (allocates; the runtime uses the entry's `scalarValues` instead).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerScalars } from "./table.ts";
 * import { adam } from "./adam.ts";
 * const s = optimizerScalars(adam(), 1, 1e-3);
 * assert.ok(Math.abs(s["optimizer.stepSize"] - 1e-2) < 1e-12);
 * ```
 */
export function optimizerScalars(
  config: OptimizerConfig,
  t: number,
  lr: number,
): Record<string, number> {
  const names = optimizerScalarNames(config);
  const values = new Float64Array(names.length);
  optimizerEntry(config).scalarValues(config, t, lr, values);
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}
