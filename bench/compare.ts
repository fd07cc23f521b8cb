/**
 * Comparison benchmark: mlpc against TensorFlow.js (wasm and cpu backends)
 * and jax-js (wasm, main thread and worker pool), training the same MLPs on
 * the same seeded synthetic batches.
 *
 * For every system × config: warm-up (which also sizes a repetition to
 * ~0.3 s), then `--reps` timed repetitions of a fixed number of steps;
 * reports the median samples/s with min–max, the ratio mlpc / system, and
 * whether the training loss fell (mean of the first vs the last steps).
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
  "mlpc-fast": async () => (await import("./peers/mlpc.ts")).mlpcFast,
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

/** Runs warm-up and timed repetitions of one system on one config. */
async function measure(peer: Peer, cfg: Config, s: Settings): Promise<Row> {
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
  try {
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
    const reps: number[] = [];
    for (let r = 0; r < s.reps; r++) {
      const r0 = performance.now();
      for (let k = 0; k < stepsPerRep; k++) {
        const pending = step();
        if (pending) await pending;
      }
      reps.push((stepsPerRep * cfg.batch) / ((performance.now() - r0) / 1000));
    }
    const row: Row = {
      config: cfg.id,
      system: peer.name,
      mode: cfg.mode,
      batch: cfg.batch,
      setupMs,
      stepsPerRep,
      reps,
      median: median(reps),
      min: Math.min(...reps),
      max: Math.max(...reps),
    };
    if (cfg.mode === "train") {
      const k = Math.max(1, Math.min(poolSize, Math.floor(losses.length / 4)));
      row.lossFirst = mean(losses.slice(0, k));
      row.lossLast = mean(losses.slice(-k));
      row.lossFalls = Number.isFinite(row.lossLast) && row.lossLast < row.lossFirst;
    }
    return row;
  } finally {
    await trainer.dispose();
  }
}

/** `measure` with a time limit, so a hung asynchronous peer cannot stall the run. */
async function measureSafely(peer: Peer, cfg: Config, s: Settings): Promise<Row> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${s.timeoutSec} s`)),
      s.timeoutSec * 1000,
    );
  });
  try {
    return await Promise.race([measure(peer, cfg, s), timeout]);
  } catch (e) {
    return {
      config: cfg.id,
      system: peer.name,
      mode: cfg.mode,
      batch: cfg.batch,
      error: message(e),
    };
  } finally {
    clearTimeout(timer);
  }
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
  for (const name of systems) {
    let peer: Peer;
    try {
      peer = await SYSTEMS[name]();
      notes[name] = peer.note;
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
      continue;
    }
    for (const cfg of configs) {
      const row = await measureSafely(peer, cfg, settings);
      rows.push(row);
      console.error(
        row.error
          ? `${name} ${cfg.id}: error: ${row.error}`
          : `${name} ${cfg.id}: ${fmtRate(row.median!)} samples/s (${fmtRate(row.min!)}-${
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
