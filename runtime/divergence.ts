/**
 * What the runtime says when training diverges: which step, what was not
 * finite, which state the trainer was restored to and how to continue. The
 * restoring itself is `CompiledModule.trainStep`'s (module.ts); `fit` adds
 * the epochs it completed before.
 *
 * @module
 */

import { DivergenceError, type DivergenceHistory } from "../core/errors.ts";

/**
 * The first non-finite value among named buffers, described for a message
 * (`parameter "0.weight" (Infinity at element 3)`), or undefined when all are
 * finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstNonFinite } from "./divergence.ts";
 * const found = firstNonFinite([["weight", "param", Float32Array.of(1, -Infinity)]]);
 * assert.equal(found, 'parameter "weight" (-Infinity at element 1)');
 * assert.equal(firstNonFinite([["weight", "param", Float32Array.of(1)]]), undefined);
 * ```
 */
export function firstNonFinite(
  buffers: Iterable<readonly [name: string, kind: string, values: ArrayLike<number>]>,
): string | undefined {
  for (const [name, kind, values] of buffers) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        const what = kind === "param"
          ? "parameter"
          : kind === "running"
          ? "running statistic"
          : "optimizer state";
        return `${what} "${name}" (${values[i]} at element ${i})`;
      }
    }
  }
  return undefined;
}

const HOW_TO_CONTINUE = "To continue, lower the learning rate, or scale or clip the inputs and " +
  "targets, or look for extreme values in the data; then train again";

/**
 * The error a training step raises once it has restored the last good state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stepDiverged } from "./divergence.ts";
 * const e = stepDiverged(7, "the loss (NaN)", 6);
 * assert.ok(e.step === 7 && e.restoredStep === 6 && /last good state \(step 6\)/.test(e.message));
 * ```
 */
export function stepDiverged(step: number, reason: string, restoredStep: number): DivergenceError {
  return new DivergenceError(
    `Training diverged at step ${step}: ${reason} was not finite. The parameters and ` +
      `optimizer state were restored to the last good state (step ${restoredStep}), and the ` +
      `trainer is ready to use. ${HOW_TO_CONTINUE}.`,
    { step, reason, restoredStep },
  );
}

/**
 * The error `fit` raises: the step's, with the epochs completed before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitDiverged, stepDiverged } from "./divergence.ts";
 * const e = fitDiverged(stepDiverged(9, "the loss (NaN)", 8), { loss: [1, 0.5], seconds: [0, 0] }, 3);
 * assert.ok(e.history?.loss.length === 2 && /epoch 3 of this fit/.test(e.message));
 * ```
 */
export function fitDiverged(
  e: DivergenceError,
  history: DivergenceHistory,
  epoch: number,
): DivergenceError {
  const done = history.loss.length;
  return new DivergenceError(
    `Training diverged at step ${e.step}, in epoch ${epoch} of this fit: ${e.reason} was not ` +
      `finite. The parameters and optimizer state were restored to the last good state, ` +
      `step ${e.restoredStep} at the start of that epoch, and the trainer is ready to use; ` +
      `the error's history holds the ${done} epoch${done === 1 ? "" : "s"} completed before. ` +
      `${HOW_TO_CONTINUE} (fit goes on from the restored state).`,
    { step: e.step, reason: e.reason, restoredStep: e.restoredStep, history },
  );
}

/**
 * The error `save` raises for a state that is not finite: no file is written
 * that `load` would refuse.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notSavable } from "./divergence.ts";
 * assert.match(notSavable(3, 'parameter "w" (NaN at element 0)').message, /nothing was written/);
 * ```
 */
export function notSavable(step: number, reason: string): DivergenceError {
  return new DivergenceError(
    `Cannot save: ${reason} is not finite (step ${step}), and a file holding it could not be ` +
      `loaded; nothing was written. Restore a good state first (restoreTrainingState or setParams)`,
    { step, reason },
  );
}
