/**
 * What training changes, taken out of and put back into a module:
 * parameters, optimizer state and the step and epoch counters. Every value is
 * checked before anything is written, so a bad state changes nothing.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { shortFingerprint } from "../core/fingerprint.ts";
import type { Shape } from "../core/shape.ts";
import { elementCount } from "../core/shape.ts";
import { representable } from "./data.ts";
import { checkLearningRate, type CompiledModule, type View } from "./module.ts";

/**
 * Parameters, optimizer state, running statistics, counters and learning
 * rate: what training changes.
 */
export interface TrainingState {
  /** Training steps taken (Adam's bias correction and dropout masks depend on it). */
  readonly step: number;
  /** Epochs `fit` has run (each epoch's shuffle depends on it). Default 0. */
  readonly epoch?: number;
  /** Every parameter, optimizer-state and running-statistic buffer, by name. */
  readonly buffers: Readonly<Record<string, ArrayLike<number>>>;
  /**
   * The learning rate the next step uses (see `Trainer.learningRate`).
   * Optional when restoring: absent, the trainer's current one is kept.
   */
  readonly learningRate?: number;
  /**
   * The architecture fingerprint of the model the state was taken from
   * (`Artifact.fingerprint`). When present, restoring into a model of another
   * architecture is refused, even if every buffer has the right size.
   */
  readonly architecture?: string;
}

/** Whether a slot is part of the training state. */
function isState(kind: string): boolean {
  return kind === "param" || kind === "state" || kind === "running";
}

/**
 * The key under which `getParams` records the fingerprint of the model the
 * parameters come from (a non-enumerable property, so iterating, copying or
 * serializing the parameters never sees it); `setParams` refuses parameters
 * recorded with another architecture.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { ARCHITECTURE } from "./state.ts";
 * const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
 * const params = t.getParams();
 * assert.equal((params as Record<symbol, unknown>)[ARCHITECTURE], t.artifact.fingerprint);
 * assert.deepEqual(Object.keys(params), ["weight", "bias"]);
 * ```
 */
export const ARCHITECTURE: unique symbol = Symbol.for("mlpc.architecture");

/**
 * Refuses values (a state, parameters) taken from a model of another
 * architecture: `what` names them with their verb ("The state comes"),
 * `fingerprint` is theirs (nothing is checked when it is undefined).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkArchitecture } from "./state.ts";
 * const artifact = { fingerprint: "sha256:" + "a".repeat(64), description: "dense(2 → 1)" };
 * checkArchitecture("The state comes", artifact.fingerprint, artifact);
 * assert.throws(() => checkArchitecture("The state comes", "sha256:" + "b".repeat(64), artifact), /another architecture/);
 * ```
 */
export function checkArchitecture(
  what: string,
  fingerprint: string | undefined,
  artifact: { readonly fingerprint: string; readonly description?: string },
): void {
  if (fingerprint === undefined || fingerprint === artifact.fingerprint) return;
  const model = artifact.description === undefined ? "" : ` (${artifact.description})`;
  throw new InputError(
    `${what} from a model of another architecture (fingerprint ` +
      `${shortFingerprint(String(fingerprint))}) than this one${model}, whose fingerprint is ` +
      `${shortFingerprint(artifact.fingerprint)}: its layers, activations or constants differ, ` +
      `even where its buffers have the same sizes`,
  );
}

/**
 * Checks a buffer's size against its static shape and that every value is
 * finite at the model's precision.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkValues } from "./state.ts";
 * assert.throws(() => checkValues("Parameter", "w", [2], [1, NaN], "f32"), /value NaN at 1/);
 * ```
 */
export function checkValues(
  what: string,
  name: string,
  shape: Shape,
  values: ArrayLike<number>,
  dtype: "f32" | "f64",
): void {
  const size = elementCount(shape, 1);
  if (values.length !== size) {
    throw new InputError(
      `${what} "${name}" of shape [${shape}] needs ${size} values, got ${values.length}`,
    );
  }
  for (let i = 0; i < size; i++) {
    if (!representable(values[i], dtype)) {
      throw new InputError(
        `${what} "${name}" has a value ${values[i]} at ${i} that is not finite in ${dtype}`,
      );
    }
  }
}

/**
 * Copies of every parameter, optimizer-state and running-statistic buffer,
 * with the counters and the learning rate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { MATH_IMPORTS } from "../core/contract.ts";
 * import { CompiledModule, type ModuleExports } from "./module.ts";
 * import { captureState } from "./state.ts";
 * const { artifact } = compileArtifact(dense(2, 1), { loss: mse, batchSize: 2 });
 * const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
 * const m = new CompiledModule(artifact, instance.exports as unknown as ModuleExports);
 * assert.deepEqual(Object.keys(captureState(m).buffers).sort(), ["bias", "exp_avg/bias", "exp_avg/weight", "exp_avg_sq/bias", "exp_avg_sq/weight", "weight"]);
 * ```
 */
export function captureState(m: CompiledModule): TrainingState {
  const buffers: Record<string, View> = {};
  for (const slot of m.artifact.slots) {
    if (isState(slot.kind)) buffers[slot.name] = m.read(slot.name);
  }
  return {
    step: m.step,
    epoch: m.epoch,
    buffers,
    learningRate: m.learningRate,
    architecture: m.artifact.fingerprint,
  };
}

/**
 * Writes a state back: every buffer is checked first, so a bad state changes
 * nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { MATH_IMPORTS } from "../core/contract.ts";
 * import { CompiledModule, type ModuleExports } from "./module.ts";
 * import { captureState, restoreState } from "./state.ts";
 * const { artifact } = compileArtifact(dense(2, 1), { loss: mse, batchSize: 2 });
 * const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
 * const m = new CompiledModule(artifact, instance.exports as unknown as ModuleExports);
 * const state = captureState(m);
 * restoreState(m, { ...state, step: 5, learningRate: 0.5 });
 * assert.equal(m.step, 5);
 * assert.equal(m.learningRate, 0.5);
 * ```
 */
export function restoreState(m: CompiledModule, state: TrainingState): void {
  checkArchitecture("The state comes", state.architecture, m.artifact);
  if (!Number.isInteger(state.step) || state.step < 0) {
    throw new InputError(`The step count must be a non-negative integer, got ${state.step}`);
  }
  const epoch = state.epoch ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new InputError(`The epoch count must be a non-negative integer, got ${epoch}`);
  }
  const lr = state.learningRate === undefined
    ? m.learningRate
    : checkLearningRate(state.learningRate, m.artifact.dtype);
  const writes: [string, ArrayLike<number>][] = [];
  for (const slot of m.artifact.slots) {
    if (!isState(slot.kind)) continue;
    const values = state.buffers[slot.name];
    if (values === undefined) {
      throw new InputError(`The saved state has no buffer "${slot.name}"`);
    }
    checkValues("Buffer", slot.name, slot.shape, values, m.artifact.dtype);
    writes.push([slot.name, values]);
  }
  for (const [name, values] of writes) m.write(name, values);
  m.step = state.step;
  m.epoch = epoch;
  m.learningRate = lr;
}
