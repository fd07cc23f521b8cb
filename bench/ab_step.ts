/**
 * Interleaved A/B of the training step of two builds of mlpc in one process:
 * `a` and `b` are paths (or URLs) of their `mod.ts` — e.g. a copy of an older
 * commit (`git archive <commit> | tar -x -C <dir>`) and the working tree.
 * Each round times a block of `trainBatch` calls on A then on B (the order
 * alternates between rounds), so drift in machine load hits both alike; the
 * report gives the median time per step of each and their ratio.
 *
 * Run: `deno run --no-lock -A bench/ab_step.ts --a <old>/mod.ts --b ./mod.ts`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

type Mod = typeof import("../mod.ts");

const { values } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string", default: "./mod.ts" },
    rounds: { type: "string", default: "30" },
    steps: { type: "string", default: "50" },
    relaxed: { type: "boolean", default: false },
  },
});
if (values.a === undefined) {
  throw new Error("usage: ab_step.ts --a <old mod.ts> [--b <new mod.ts>]");
}

const load = async (path: string): Promise<Mod> =>
  await import(path.includes("://") ? path : pathToFileURL(resolve(path)).href);
const [A, B] = [await load(values.a), await load(values.b!)];

/** Deterministic pseudo-random floats in [0, 1). */
function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

interface Setup {
  readonly name: string;
  readonly make: (m: Mod) => ReturnType<Mod["chain"]>;
  readonly features: number;
  readonly classes: number;
  readonly batch: number;
}

const setups: Setup[] = [
  {
    name: "demo 784-128-10 relu, Adam, batch 64",
    make: (m) => m.chain(m.dense(784, 128), m.relu, m.dense(128, 10)),
    features: 784,
    classes: 10,
    batch: 64,
  },
  {
    name: "784-256-128-10 tanh/sigmoid, Adam, batch 128",
    make: (m) => m.chain(m.dense(784, 256), m.tanh, m.dense(256, 128), m.sigmoid, m.dense(128, 10)),
    features: 784,
    classes: 10,
    batch: 128,
  },
];

const rounds = Number(values.rounds);
const steps = Number(values.steps);
for (const s of setups) {
  const x = noise(s.batch * s.features, 1);
  const y = Array.from(noise(s.batch, 2), (v) => Math.floor(v * s.classes));
  const trainers = await Promise.all([A, B].map((m) =>
    m.compile(s.make(m), {
      loss: m.softmaxCrossEntropy,
      optimizer: m.adam({ lr: 1e-3 }),
      batchSize: s.batch,
      seed: 1,
      relaxedSimd: values.relaxed,
    })
  ));
  const samples = { data: x, shape: [s.batch, s.features] as [number, number] };
  const times: number[][] = [[], []];
  for (const t of trainers) for (let i = 0; i < steps; i++) t.trainBatch(samples, y); // warm up
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const start = performance.now();
      for (let i = 0; i < steps; i++) trainers[k].trainBatch(samples, y);
      times[k].push((performance.now() - start) / steps);
    }
  }
  const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  const [ma, mb] = times.map(median);
  const ratios = times[0].map((t, i) => times[1][i] / t);
  console.log(
    `${s.name}: A ${ma.toFixed(3)} ms/step, B ${mb.toFixed(3)} ms/step, ` +
      `B/A ${(mb / ma).toFixed(3)} (median of per-round ratios ${median(ratios).toFixed(3)})`,
  );
}
