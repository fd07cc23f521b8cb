/**
 * Learns XOR with a 2-8-1 tanh MLP and binary cross-entropy on logits —
 * the smallest problem no linear model solves.
 *
 * Run: `deno run --allow-read examples/xor.ts`
 *
 * @module
 */

import { adam, binaryCrossEntropyWithLogits, chain, compile, dense, tanh } from "../mod.ts";

/** The four XOR cases and their answers. */
export const XOR_X: number[][] = [[0, 0], [0, 1], [1, 0], [1, 1]];
/** Targets of `XOR_X`. */
export const XOR_Y: number[][] = [[0], [1], [1], [0]];

/**
 * Trains the XOR model; returns the accuracy and the predicted probabilities.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainXor } from "./xor.ts";
 * const r = await trainXor({ epochs: 300 });
 * assert.ok(r.accuracy === 1);
 * ```
 */
export async function trainXor(
  options: { epochs?: number; seed?: number } = {},
): Promise<{ accuracy: number; probabilities: number[]; finalLoss: number }> {
  const model = chain(dense(2, 8), tanh, dense(8, 1));
  const trainer = await compile(model, {
    loss: binaryCrossEntropyWithLogits,
    optimizer: adam({ lr: 0.05 }),
    batchSize: 4,
    seed: options.seed ?? 1,
  });
  const history = trainer.fit(XOR_X, XOR_Y, {
    epochs: options.epochs ?? 300,
    seed: options.seed ?? 1,
  });
  const logits = trainer.predict(XOR_X);
  const probabilities = Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
  const { accuracy } = trainer.evaluate(XOR_X, XOR_Y);
  return {
    accuracy: accuracy ?? 0,
    probabilities,
    finalLoss: history.loss[history.loss.length - 1],
  };
}

if (import.meta.main) {
  const r = await trainXor();
  XOR_X.forEach((x, i) => console.log(`${x.join(" xor ")} -> ${r.probabilities[i].toFixed(3)}`));
  console.log(`final loss ${r.finalLoss.toFixed(4)}, accuracy ${r.accuracy * 100} %`);
}
