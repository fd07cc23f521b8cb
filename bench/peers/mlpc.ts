/**
 * mlpc peer for the comparison benchmark: the MLP written with the library's
 * layers, compiled to one WebAssembly training step by `compile`.
 *
 * @module
 */

import {
  adam,
  chain,
  compile,
  dense,
  mse,
  relu,
  sgd,
  softmaxCrossEntropy,
  tanh,
} from "../../mod.ts";
import type { ModelSpec, Peer, Trainer } from "./common.ts";

function buildModel(spec: ModelSpec) {
  const act = spec.activation === "relu" ? relu : tanh;
  const parts = [];
  for (let i = 0; i + 1 < spec.sizes.length; i++) {
    if (i > 0) parts.push(act);
    parts.push(dense(spec.sizes[i], spec.sizes[i + 1]));
  }
  return chain(...parts);
}

async function createTrainer(
  spec: ModelSpec,
  batchSize: number,
  seed: number,
  relaxedSimd: boolean,
  threads = 1,
): Promise<Trainer> {
  const o = spec.optimizer;
  const trainer = await compile(buildModel(spec), {
    loss: spec.loss === "mse" ? mse : softmaxCrossEntropy,
    optimizer: o.kind === "adam"
      ? adam({ lr: o.lr })
      : sgd(o.momentum ? { lr: o.lr, momentum: o.momentum } : { lr: o.lr }),
    batchSize,
    seed,
    relaxedSimd,
    threads,
  });
  if (trainer.threads !== threads) {
    // Where a model is too small for threads to pay, mlpc compiles it for one
    // thread: the "-2t" row then measures the same code, which is what a user gets.
    console.error(
      `mlpc: ${threads} threads asked, ${trainer.threads} used: ${
        trainer.inspect().threads.split("\n")[0]
      }`,
    );
  }
  return {
    trainBatch: (x, y) => trainer.trainBatch(x, y),
    predict: (x) => trainer.predict(x) as Float32Array, // compiled at f32
    dispose: () => trainer.dispose(),
  };
}

/** mlpc: the whole step (forward, backward, update) as one compiled wasm function. */
export const mlpc: Peer = {
  name: "mlpc",
  note: "mlpc, one fused wasm step, main thread",
  create: (spec, batchSize, seed) => createTrainer(spec, batchSize, seed, false),
};

/** mlpc in fast mode: relaxed-SIMD fused multiply-add (not bit-reproducible across machines). */
export const mlpcFast: Peer = {
  name: "mlpc-fast",
  note: "mlpc, fast mode (relaxed-SIMD FMA), main thread",
  create: (spec, batchSize, seed) => createTrainer(spec, batchSize, seed, true),
};

/** mlpc on two threads: the main thread and one worker on shared memory. */
export const mlpc2t: Peer = {
  name: "mlpc-2t",
  note: "mlpc, one fused wasm step, 2 threads (main + 1 worker, shared memory)",
  create: (spec, batchSize, seed) => createTrainer(spec, batchSize, seed, false, 2),
};

/** mlpc in fast mode on two threads. */
export const mlpcFast2t: Peer = {
  name: "mlpc-fast-2t",
  note: "mlpc, fast mode (relaxed-SIMD FMA), 2 threads (main + 1 worker)",
  create: (spec, batchSize, seed) => createTrainer(spec, batchSize, seed, true, 2),
};
