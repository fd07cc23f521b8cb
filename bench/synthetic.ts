/**
 * Seeded synthetic tasks for the comparison benchmark: inputs uniform in
 * [-1, 1), targets from a fixed random linear teacher (argmax of `x·T` for
 * classification, `tanh(x·t)` for regression), so every system sees the same
 * learnable batches and its loss should fall.
 *
 * @module
 */

import { type Inputs, type Labels, type ModelSpec, mulberry32 } from "./peers/common.ts";

/** A pool of batches cycled through during a run. */
export interface BatchPool {
  /** Inputs, one `batchSize*in` row-major array per batch. */
  x: Inputs[];
  /** Labels: class ids (cross-entropy) or `batchSize*out` targets (MSE). */
  y: Labels[];
}

/** Standard normal sample via Box–Muller. */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * Builds `count` batches of `batchSize` samples for `spec`, deterministic in
 * `seed` (the teacher depends on the seed and the model's shape only).
 */
export function makeBatches(
  spec: ModelSpec,
  batchSize: number,
  count: number,
  seed: number,
): BatchPool {
  const inDim = spec.sizes[0], outDim = spec.sizes[spec.sizes.length - 1];
  const teacherRand = mulberry32(seed ^ 0x5eed);
  const teacher = new Float32Array(inDim * outDim);
  for (let i = 0; i < teacher.length; i++) teacher[i] = gaussian(teacherRand) / Math.sqrt(inDim);
  const rand = mulberry32(seed);
  const pool: BatchPool = { x: [], y: [] };
  const z = new Float64Array(outDim);
  for (let b = 0; b < count; b++) {
    const x = new Float32Array(batchSize * inDim);
    for (let i = 0; i < x.length; i++) x[i] = 2 * rand() - 1;
    const cls = new Int32Array(batchSize), reg = new Float32Array(batchSize * outDim);
    for (let r = 0; r < batchSize; r++) {
      z.fill(0);
      for (let i = 0; i < inDim; i++) {
        const xi = x[r * inDim + i];
        for (let o = 0; o < outDim; o++) z[o] += xi * teacher[i * outDim + o];
      }
      let best = 0;
      for (let o = 0; o < outDim; o++) {
        reg[r * outDim + o] = Math.tanh(2 * z[o]);
        if (z[o] > z[best]) best = o;
      }
      cls[r] = best;
    }
    pool.x.push(x);
    pool.y.push(spec.loss === "softmaxCrossEntropy" ? cls : reg);
  }
  return pool;
}
