/**
 * What "non-finite state never escapes" costs per training step, as ratios
 * from interleaved A/B runs in one process (the machine may be shared, so
 * absolute times are noise; ratios from one run are not):
 *
 * - **compiled check**: the step with its update kernels folding the
 *   non-finite check into their stores, over the same model lowered without
 *   it (`lowerAgain(artifact, { finiteCheck: false })`);
 * - **checkpoint**: the copy of the parameters and optimizer state that
 *   `trainBatch` takes before each step (so a diverging step can be undone),
 *   over the step alone. `fit` takes it once per epoch instead.
 *
 * `deno run --allow-read --allow-env bench/finite_check_bench.ts [--reps 9]`
 *
 * @module
 */

import { readFeed } from "../runtime/feed.ts";
import { parseArgs } from "node:util";
import {
  adam,
  chain,
  compileArtifact,
  dense,
  mse,
  relu,
  sgd,
  softmaxCrossEntropy,
  tanh,
} from "../mod.ts";
import type { Artifact } from "../core/artifact.ts";
import { MATH_IMPORTS } from "../core/contract.ts";
import { lowerAgain } from "../compiler/driver/lower_again.ts";
import { CompiledModule, type ModuleExports } from "../runtime/module.ts";
import { initParam } from "../runtime/init_params.ts";

const M1 = () => chain(dense(784, 128), relu, dense(128, 10));
const M2 = () => chain(dense(784, 512), relu, dense(512, 256), relu, dense(256, 10));
const M3 = () => chain(dense(8, 64), tanh, dense(64, 64), tanh, dense(64, 1));

const CONFIGS = [
  { name: "M1 784-128-10 relu, SGD", model: M1, loss: softmaxCrossEntropy, opt: sgd(), batch: 128 },
  {
    name: "M2 784-512-256-10 relu, Adam",
    model: M2,
    loss: softmaxCrossEntropy,
    opt: adam(),
    batch: 128,
  },
  { name: "M3 8-64-64-1 tanh, SGD", model: M3, loss: mse, opt: sgd(), batch: 1 },
  { name: "M3 8-64-64-1 tanh, SGD", model: M3, loss: mse, opt: sgd(), batch: 16 },
  {
    name: "M3 8-64-64-1 tanh, SGD momentum",
    model: M3,
    loss: mse,
    opt: sgd({ momentum: 0.9 }),
    batch: 16,
  },
  { name: "M3 8-64-64-1 tanh, Adam", model: M3, loss: mse, opt: adam(), batch: 16 },
];

async function ready(artifact: Artifact): Promise<CompiledModule> {
  const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
  const m = new CompiledModule(artifact, instance.exports as unknown as ModuleExports);
  for (const p of artifact.params) m.write(p.name, initParam(p, 1));
  const rows = artifact.maxBatch;
  const x = Float32Array.from({ length: rows * artifact.inputFeatures }, (_, i) => Math.sin(i));
  const y = artifact.labels === "classes"
    ? Int32Array.from({ length: rows }, (_, i) => i % artifact.outputs)
    : Float32Array.from({ length: rows * artifact.outputs }, (_, i) => Math.cos(i));
  m.writeBatch(readFeed(m, x), y, null, 0, rows);
  return m;
}

/** Milliseconds per step over `steps` steps, with or without a checkpoint before each. */
function time(m: CompiledModule, steps: number, checkpoint: boolean): number {
  const n = m.artifact.maxBatch;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    if (checkpoint) m.checkpoint();
    m.trainStep(n);
  }
  return (performance.now() - t0) / steps;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (import.meta.main) {
  const { values } = parseArgs({ options: { reps: { type: "string", default: "9" } } });
  const reps = Number(values.reps);
  console.log(`CPU: ${navigator.hardwareConcurrency} threads; ${reps} interleaved A/B rounds each`);
  console.log(
    "| model | batch | step ms (no check) | compiled check (ratio) | checkpoint per step (ratio) |",
  );
  console.log("|---|---|---|---|---|");
  for (const c of CONFIGS) {
    const { artifact } = compileArtifact(c.model(), {
      loss: c.loss,
      optimizer: c.opt,
      batchSize: c.batch,
    });
    const checked = await ready(artifact);
    const plain = await ready(lowerAgain(artifact, { finiteCheck: false }));
    // About 50 ms per timing.
    const warm = time(plain, 3, false);
    const steps = Math.max(3, Math.round(50 / Math.max(warm, 1e-3)));
    time(plain, steps, false);
    time(checked, steps, false);
    const base: number[] = [];
    const check: number[] = [];
    const ckpt: number[] = [];
    for (let r = 0; r < reps; r++) {
      const a = time(plain, steps, false);
      const b = time(checked, steps, false);
      const d = time(checked, steps, true);
      base.push(a);
      check.push(b / a);
      ckpt.push(d / b);
    }
    console.log(
      `| ${c.name} | ${c.batch} | ${median(base).toFixed(4)} | ${median(check).toFixed(3)} | ${
        median(ckpt).toFixed(3)
      } |`,
    );
  }
}
