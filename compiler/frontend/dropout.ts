/**
 * The dropout layer: random zeroing in training steps, the identity in
 * inference.
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { streamOf } from "../../core/random.ts";
import type { Layer } from "./layers.ts";
import { type ApplyContext, INFERENCE, markMode } from "./modes.ts";
import { dropoutMasked, type Tensor } from "./tensor.ts";

/**
 * Dropout, as PyTorch's `nn.Dropout(p)`: in training steps each element is
 * zeroed with probability `p` and the others are scaled by 1/(1 − p)
 * (inverted dropout); in `predict` and `evaluate` it is the identity.
 *
 * The mask is computed inside the compiled step by a counter-based generator:
 * a hash of the trainer's seed, the layer's name, the step number and the
 * element's index (`core/random.ts`). So the same seed gives the same masks
 * bit for bit on every engine, each step draws new ones, and a saved and
 * loaded trainer continues with the masks it would have drawn. The backward
 * pass draws the same mask again rather than storing it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, dropout, mse } from "../../mod.ts";
 * const trainer = await compile(chain(dense(4, 64), dropout(0.5), dense(64, 1)), {
 *   loss: mse,
 *   batchSize: 8,
 * });
 * const x = [[1, 2, 3, 4]];
 * assert.deepEqual(trainer.predict(x), trainer.predict(x)); // inference: no randomness
 * assert.match(trainer.inspect().trainGraph, /dropout .* p=0.5 .*\[train\]/);
 * ```
 */
export function dropout(p: number): Layer {
  if (!(p >= 0 && p <= 1)) {
    throw new ShapeError(`dropout: p must be a probability in [0, 1], got ${p}`);
  }
  return {
    kind: "layer",
    description: `dropout(${p})`,
    apply(x: Tensor, prefix: string, context: ApplyContext = INFERENCE): Tensor {
      if (context.mode === "inference" || p === 0) return x;
      return markMode("train", dropoutMasked(x, p, streamOf(`${prefix}dropout`)), [x]);
    },
  };
}
