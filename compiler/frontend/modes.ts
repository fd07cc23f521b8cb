/**
 * Train and inference modes. A model is traced once per mode: the training
 * step in `train` mode (dropout draws masks, batch norm normalizes with the
 * batch's statistics and updates its running statistics), `predict` and
 * `evaluate` in `inference` mode (dropout is the identity, batch norm uses the
 * running statistics). Layers read the mode from the `ApplyContext` they are
 * applied with; the nodes they compute differently are marked with the mode
 * (`attrs.mode`), so the printed graphs show where the two differ:
 *
 * ```text
 * %7 = dropout %5 %6 p=0.1 stream=1234 [train] : f32[batch,64]
 * ```
 *
 * @module
 */

import { CompileError } from "../../core/errors.ts";
import { formatShape, sameShape } from "../../core/shape.ts";
import type { Mode } from "../ir/ir.ts";
import type { Tensor } from "./tensor.ts";

export type { Mode };

/** What a layer is applied with: the mode, and where train-mode state updates go. */
export interface ApplyContext {
  /** The mode being traced. */
  readonly mode: Mode;
  /**
   * Records the new value of a running statistic (an input of kind
   * `running`), written at the end of each training step. Train mode only.
   */
  readonly update: (target: Tensor, value: Tensor) => void;
}

/**
 * The inference context: what `applyModel` uses unless told otherwise. It
 * refuses updates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INFERENCE } from "./modes.ts";
 * assert.equal(INFERENCE.mode, "inference");
 * ```
 */
export const INFERENCE: ApplyContext = Object.freeze({
  mode: "inference",
  update: (target: Tensor) => {
    throw new CompileError(
      `A layer updated "${target.attrs.name}" in inference mode: only training steps update ` +
        `running statistics`,
    );
  },
});

/** One recorded update: the running statistic's name and its new value. */
export interface RecordedUpdate {
  /** Name of the running-statistic input. */
  readonly target: string;
  /** The new value. */
  readonly value: Tensor;
}

/**
 * A train-mode context that records updates into a list the caller owns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainContext } from "./modes.ts";
 * import { input } from "./tensor.ts";
 * const { context, updates } = trainContext();
 * const r = input("mean", [3], "running");
 * context.update(r, r);
 * assert.equal(updates[0].target, "mean");
 * ```
 */
export function trainContext(): { context: ApplyContext; updates: RecordedUpdate[] } {
  const updates: RecordedUpdate[] = [];
  const context: ApplyContext = Object.freeze({
    mode: "train",
    update: (target: Tensor, value: Tensor) => {
      const name = target.attrs.name ?? "";
      if (target.op !== "input" || target.attrs.kind !== "running") {
        throw new CompileError(`Only running statistics are updated by layers, not "${name}"`);
      }
      if (!sameShape(target.shape, value.shape)) {
        throw new CompileError(
          `The update of "${name}" ${formatShape(target.shape)} has shape ${
            formatShape(value.shape)
          }`,
        );
      }
      if (updates.some((u) => u.target === name)) {
        throw new CompileError(
          `"${name}" is updated twice in one step: a layer with running statistics is applied ` +
            `twice under the same name`,
        );
      }
      updates.push({ target: name, value });
    },
  });
  return { context, updates };
}

/**
 * Marks the computation from `from` to `y` with a mode: every node strictly
 * between them (inputs and constants excluded) is rebuilt with
 * `attrs.mode = mode`. The value is unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markMode } from "./modes.ts";
 * import { input, mul, neg } from "./tensor.ts";
 * const x = input("x", [2]);
 * const y = markMode("train", neg(mul(x, 2)), [x]);
 * assert.ok(y.attrs.mode === "train" && y.inputs[0].attrs.mode === "train");
 * ```
 */
export function markMode(mode: Mode, y: Tensor, from: readonly Tensor[]): Tensor {
  const stop = new Set(from);
  const memo = new Map<Tensor, Tensor>();
  const visit = (t: Tensor): Tensor => {
    if (stop.has(t) || t.op === "input" || t.op === "const" || t.op === "count") return t;
    const done = memo.get(t);
    if (done !== undefined) return done;
    const marked: Tensor = Object.freeze({
      op: t.op,
      inputs: Object.freeze(t.inputs.map(visit)),
      shape: t.shape,
      attrs: Object.freeze({ ...t.attrs, mode }),
    });
    memo.set(t, marked);
    return marked;
  };
  return visit(y);
}
