/**
 * Gradient clipping, an option of every optimizer, emitted before the
 * update (as `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_` are
 * called before `optimizer.step()`).
 *
 * Clipping by norm makes every update read one scalar computed from every
 * gradient, so in the graph each update depends on all gradients: no
 * parameter is updated before the last gradient is known, whatever the
 * scheduler does.
 *
 * @module
 */

import { type ClipOptions, maximum, minimum, type UpdateEmitter } from "./def.ts";

/** The ε that `clip_grad_norm_` adds to the norm. */
export const CLIP_NORM_EPS = 1e-6;

/**
 * The clipped gradients (the same handles when no clipping is asked for).
 *
 * - `clipValue` c: each element clamped to [−c, c].
 * - `clipNorm` c: all gradients scaled by min(1, c / (‖g‖ + 1e-6)), with
 *   ‖g‖ = √(Σ over every gradient element of g²).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberEmitter } from "./number_emitter.ts";
 * import { clipGradients } from "./clip.ts";
 * const e = numberEmitter();
 * assert.deepEqual(clipGradients(e, { clipValue: 1 }, [-3, 0.5]), [-1, 0.5]);
 * const [a, b] = clipGradients(e, { clipNorm: 1 }, [3, 4]); // ‖g‖ = 5
 * assert.ok(Math.abs(a - 0.6) < 1e-6 && Math.abs(b - 0.8) < 1e-6);
 * ```
 */
export function clipGradients<V>(
  e: UpdateEmitter<V>,
  clip: ClipOptions,
  grads: readonly V[],
): V[] {
  if (clip.clipValue !== undefined) {
    const high = e.constant(clip.clipValue);
    const low = e.constant(-clip.clipValue);
    return grads.map((g) => minimum(e, maximum(e, g, low), high));
  }
  if (clip.clipNorm !== undefined && grads.length > 0) {
    const squares = grads.map((g) => e.sumAll(e.mul(g, g))).reduce((a, b) => e.add(a, b));
    const total = e.sqrt(squares);
    const coefficient = e.div(e.constant(clip.clipNorm), e.add(total, e.constant(CLIP_NORM_EPS)));
    const clamped = minimum(e, coefficient, e.constant(1));
    return grads.map((g) => e.mul(g, clamped));
  }
  return [...grads];
}
