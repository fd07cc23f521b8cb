/**
 * Comparison benchmark: mlpc against TensorFlow.js (wasm and cpu backends)
 * and jax-js (wasm, main thread and worker pool), training the same MLPs on
 * the same seeded synthetic batches.
 *
 * For every config, every system is built and warmed up first (the warm-up
 * also sizes a repetition to ~0.3 s); then the systems take turns, one
 * repetition each (A B C, B C A, …), `--reps` times. On a shared machine
 * whose speed drifts by 2× within minutes, only ratios taken repetition by
 * repetition mean anything: the report gives, per config, the median of the
 * per-repetition ratios mlpc / system with their range, and flags configs
 * whose ratios spread too widely to trust. Also reported: median samples/s
 * with min–max, and whether the training loss fell.
 * Writes `bench/results.json` and `bench/RESULTS.md`.
 *
 * ```sh
 * deno run -A bench/compare.ts [--only=mlpc,tfjs-wasm] [--configs=M1b32,M3b1] [--reps=5] [--quick]
 *     [--out=DIR]   # where results.json and RESULTS.md go (default: bench/)
 * ```
 *
 * Each system is imported dynamically, so one that fails to load shows up in
 * the table as an error instead of stopping the run.
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ModelSpec, Peer, Trainer } from "./peers/common.ts";
import {
  fmtRate,
  type Machine,
  renderMarkdown,
  type Report,
  type Row,
  type Settings,
} from "./report.ts";
import { type BatchPool, makeBatches } from "./synthetic.ts";

/** One benchmark configuration: a model, a batch size, training or prediction. */
interface Config {
  id: string;
  model: string;
  spec: ModelSpec;
  batch: number;
  mode: "train" | "predict";
}

const M1: ModelSpec = {
  sizes: [784, 128, 10],
  activation: "relu",
  loss: "softmaxCrossEntropy",
  optimizer: { kind: "sgd", lr: 0.1 },
};
const M2: ModelSpec = {
  sizes: [784, 512, 256, 10],
  activation: "relu",
  loss: "softmaxCrossEntropy",
  optimizer: { kind: "adam", lr: 1e-3 },
};
const M3: ModelSpec = {
  sizes: [8, 64, 64, 1],
  activation: "tanh",
  loss: "mse",
  optimizer: { kind: "sgd", lr: 0.01 },
};

const cfg = (model: string, spec: ModelSpec, batch: number, mode: Config["mode"] = "train") => ({
  id: `${model}${mode === "train" ? "b" : "p"}${batch}`,
  model,
  spec,
  batch,
  mode,
});

const CONFIGS: Config[] = [
  ...[32, 128, 512].map((b) => cfg("M1", M1, b)),
  ...[32, 128, 512].map((b) => cfg("M2", M2, b)),
  ...[1, 16, 256].map((b) => cfg("M3", M3, b)),
  cfg("M1", M1, 128, "predict"),
  cfg("M2", M2, 128, "predict"),
];

/** System name → dynamic loader (literal specifiers, so each is checked and cached). */
const SYSTEMS: Record<string, () => Promise<Peer>> = {
  "mlpc": async () => (await import("./peers/mlpc.ts")).mlpc,
  "mlpc-2t": async () => (await import("./peers/mlpc.ts")).mlpc2t,
  "mlpc-fast": async () => (await import("./peers/mlpc.ts")).mlpcFast,
  "mlpc-fast-2t": async () => (await import("./peers/mlpc.ts")).mlpcFast2t,
  "tfjs-wasm": async () => (await import("./peers/tfjs.ts")).tfjsWasm,
  "tfjs-cpu": async () => (await import("./peers/tfjs.ts")).tfjsCpu,
  "jaxjs-wasm": async () => (await import("./peers/jaxjs.ts")).jaxjsWasm,
  "jaxjs-worker": async () => (await import("./peers/jaxjs.ts")).jaxjsWorker,
};

/** Model descriptions for the report. */
const MODEL_TEXT: Record<string, string> = {
  M1: "784-128-10 ReLU, softmax cross-entropy, SGD lr 0.1",
  M2: "784-512-256-10 ReLU, softmax cross-entropy, Adam lr 1e-3",
  M3: "8-64-64-1 tanh, MSE, SGD lr 0.01",
};

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];

/** One system made ready for one config: its trainer, how to take a step, and its results so far. */
interface Contestant {
  peer: Peer;
  trainer: Trainer;
  step: () => void | Promise<void>;
  losses: number[];
  row: Row;
}

/** Builds and warms one system's trainer for a config (sizing a repetition to ~repSec). */
async function prepare(peer: Peer, cfg: Config, s: Settings): Promise<Contestant> {
  const poolSize = Math.max(8, Math.ceil(2048 / cfg.batch));
  const pool: BatchPool = makeBatches(cfg.spec, cfg.batch, poolSize, 1000 + CONFIGS.indexOf(cfg));
  const t0 = performance.now();
  const trainer: Trainer = await peer.create(cfg.spec, cfg.batch, 1);
  const setupMs = performance.now() - t0;
  const losses: number[] = [];
  let cursor = 0;
  // Synchronous peers never touch the microtask queue: only a returned promise is awaited.
  const step = (): void | Promise<void> => {
    const i = cursor++ % poolSize;
    if (cfg.mode === "predict") {
      const out = trainer.predict(pool.x[i]);
      return out instanceof Promise ? out.then(() => {}) : undefined;
    }
    const v = trainer.trainBatch(pool.x[i], pool.y[i]);
    if (typeof v === "number") losses.push(v);
    else return v.then((loss) => void losses.push(loss));
  };
  // Warm-up; the per-step estimate skips the first (compiling) step.
  const w0 = performance.now();
  await step();
  const w1 = performance.now();
  let warm = 1;
  while (warm < s.minWarmupSteps || performance.now() - w0 < s.warmupSec * 1000) {
    await step();
    warm++;
  }
  const perStep = (performance.now() - w1) / (warm - 1);
  const stepsPerRep = Math.max(1, Math.round((s.repSec * 1000) / perStep));
  const row: Row = {
    config: cfg.id,
    system: peer.name,
    mode: cfg.mode,
    batch: cfg.batch,
    setupMs,
    stepsPerRep,
    reps: [],
  };
  return { peer, trainer, step, losses, row };
}

/** Times one repetition of a prepared system; returns samples/s. */
async function repetition(c: Contestant, cfg: Config): Promise<number> {
  const n = c.row.stepsPerRep!;
  const r0 = performance.now();
  for (let k = 0; k < n; k++) {
    const pending = c.step();
    if (pending) await pending;
  }
  return (n * cfg.batch) / ((performance.now() - r0) / 1000);
}

/** `promise`, or an error after `seconds`, so a hung asynchronous peer cannot stall the run. */
async function withTimeout<T>(promise: Promise<T>, seconds: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Measures every system on one config, interleaved: each system is built and
 * warmed first, then repetition r runs every system once (A B C, then B C A,
 * …), so that a drift of the machine's speed hits every system alike and the
 * per-repetition ratios stay meaningful.
 */
async function measureConfig(peers: Peer[], cfg: Config, s: Settings): Promise<Row[]> {
  const ready: Contestant[] = [];
  const failed: Row[] = [];
  const fail = (peer: Peer, e: unknown): Row => ({
    config: cfg.id,
    system: peer.name,
    mode: cfg.mode,
    batch: cfg.batch,
    error: message(e),
  });
  for (const peer of peers) {
    try {
      ready.push(await withTimeout(prepare(peer, cfg, s), s.timeoutSec));
    } catch (e) {
      failed.push(fail(peer, e));
    }
  }
  for (let r = 0; r < s.reps; r++) {
    const order = ready.map((_, i) => ready[(i + r) % ready.length]);
    for (const c of order) {
      if (c.row.error !== undefined) continue;
      try {
        c.row.reps!.push(await withTimeout(repetition(c, cfg), s.timeoutSec));
      } catch (e) {
        c.row.error = message(e);
      }
    }
  }
  for (const c of ready) {
    await c.trainer.dispose();
    const row = c.row;
    if (row.error !== undefined) {
      failed.push(fail(c.peer, row.error));
      continue;
    }
    const reps = row.reps!;
    row.median = median(reps);
    row.min = Math.min(...reps);
    row.max = Math.max(...reps);
    if (cfg.mode === "train") {
      const k = Math.max(1, Math.floor(c.losses.length / 4));
      row.lossFirst = mean(c.losses.slice(0, k));
      row.lossLast = mean(c.losses.slice(-k));
      row.lossFalls = Number.isFinite(row.lossLast) && row.lossLast < row.lossFirst;
    }
  }
  const rows = [...ready.map((c) => c.row).filter((r) => r.error === undefined), ...failed];
  return peers.map((p) => rows.find((r) => r.system === p.name)!);
}

/** The CPU model name, where /proc/cpuinfo can be read. */
function cpuModel(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    return info.match(/^model name\s*:\s*(.*)$/m)?.[1].trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

async function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string" },
      configs: { type: "string" },
      reps: { type: "string" },
      quick: { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const quick = values.quick;
  const settings: Settings = {
    quick,
    reps: Number(values.reps ?? (quick ? 2 : 5)),
    warmupSec: quick ? 0.05 : 0.5,
    minWarmupSteps: quick ? 2 : 3,
    repSec: quick ? 0.03 : 0.3,
    timeoutSec: quick ? 60 : 300,
  };
  if (!(settings.reps >= 1)) throw new Error(`--reps must be a positive number`);
  const systems = values.only ? values.only.split(",").map((x) => x.trim()) : Object.keys(SYSTEMS);
  const configIds = values.configs
    ? values.configs.split(",").map((x) => x.trim())
    : CONFIGS.map((c) => c.id);
  for (const name of systems) {
    if (!SYSTEMS[name]) throw new Error(`unknown system ${name}; known: ${Object.keys(SYSTEMS)}`);
  }
  for (const id of configIds) {
    if (!CONFIGS.some((c) => c.id === id)) {
      throw new Error(`unknown config ${id}; known: ${CONFIGS.map((c) => c.id)}`);
    }
  }
  const configs = CONFIGS.filter((c) => configIds.includes(c.id));

  const rows: Row[] = [];
  const notes: Record<string, string> = {};
  const peers: Peer[] = [];
  for (const name of systems) {
    try {
      const peer = await SYSTEMS[name]();
      notes[name] = peer.note;
      peers.push(peer);
    } catch (e) {
      console.error(`${name}: failed to load: ${message(e)}`);
      for (const c of configs) {
        rows.push({
          config: c.id,
          system: name,
          mode: c.mode,
          batch: c.batch,
          error: `load: ${message(e)}`,
        });
      }
    }
  }
  for (const cfg of configs) {
    for (const row of await measureConfig(peers, cfg, settings)) {
      rows.push(row);
      console.error(
        row.error
          ? `${row.system} ${cfg.id}: error: ${row.error}`
          : `${row.system} ${cfg.id}: ${fmtRate(row.median!)} samples/s (${fmtRate(row.min!)}-${
            fmtRate(row.max!)
          })` +
            (row.mode === "train"
              ? ` loss ${row.lossFirst!.toPrecision(3)} -> ${row.lossLast!.toPrecision(3)}`
              : ""),
      );
    }
  }

  const machine: Machine = {
    date: new Date().toISOString(),
    hardwareConcurrency: navigator.hardwareConcurrency,
    cpu: cpuModel(),
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  };
  const dir = values.out
    ? pathToFileURL(`${resolve(values.out)}/`)
    : new URL("./", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  const report: Report = {
    machine,
    settings,
    configs: configs.map((c) => c.id),
    systems,
    notes,
    models: MODEL_TEXT,
    rows,
  };
  await Deno.writeTextFile(new URL("results.json", dir), JSON.stringify(report, null, 2) + "\n");
  await Deno.writeTextFile(new URL("RESULTS.md", dir), renderMarkdown(report));
  console.error(`wrote ${new URL("RESULTS.md", dir).pathname} and results.json`);
}

if (import.meta.main) {
  await main();
  Deno.exit(0); // jax-js' worker pool keeps the event loop alive
}
