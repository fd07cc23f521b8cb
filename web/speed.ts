/**
 * Training speed in the browser next to Deno, for the same model, batch and
 * data, in one run on one machine: each round trains the model once in the
 * playground (headless Chromium, in its worker) and once in Deno with the
 * same session code, alternating. Each side first warms up with one run of
 * the same model (in the browser: the same worker; in Deno: the same process).
 *
 * Three figures per side, each the median of the rounds:
 * - "steady": the median over epochs 2… of rows over the epoch's `fit`
 *   seconds (the first epoch runs while V8 tiers the module up); the
 *   browser's per-epoch seconds come from the page's metrics CSV;
 * - "run": rows × epochs over all `fit` seconds (what the page shows);
 * - "per CPU-second": rows × epochs over the CPU time the training thread
 *   (the worker's thread; Deno's main thread) spent on the whole run —
 *   compiling, training and evaluating, the same work on both sides — read
 *   from Linux's `/proc`. On a shared machine the wall-clock figures depend on
 *   how much CPU each process is given; this one does not.
 * Ratios are medians of the rounds' ratios, with their range.
 *
 * Each Deno run is a process of its own in a new session, like the browser
 * (Linux shares the CPU between sessions when scheduler autogroups are on).
 *
 * Run: `deno task web:speed` (`-A`: see `browser.ts`). Options:
 * `--rounds N` (default 5), `--epochs N` (default 8).
 *
 * @module
 */

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchBrowser, openPlayground, startRun, waitForRun } from "./browser.ts";
import { buildSite } from "./build.ts";
import { csvToRecords } from "./csv.ts";
import { decodeMnistPack, PACK_FILES } from "./datasets.ts";
import { preset } from "./presets.ts";
import { serveSite } from "./serve.ts";
import { type EpochRecord, Session } from "./session.ts";

/** A model to time. */
interface Case {
  readonly name: string;
  readonly code: string;
}

const CASES: Case[] = [
  { name: "784-64-10 ReLU, Adam (the MNIST preset)", code: preset("mnist").code },
  {
    name: "784-128-10 ReLU, Adam (the demo's model)",
    code:
      "return { model: chain(dense(784, 128), relu, dense(128, 10)), loss: softmaxCrossEntropy };",
  },
  {
    name: "784-256-128-10 ReLU, Adam",
    code: "return { model: chain(dense(784, 256), relu, dense(256, 128), relu, " +
      "dense(128, 10)), loss: softmaxCrossEntropy };",
  },
];

/** Samples per second of a run. */
interface Rates {
  /** Median over epochs 2… of rows / epoch seconds. */
  readonly steady: number;
  /** Rows × epochs / all seconds. */
  readonly run: number;
  /** Rows × epochs / CPU seconds of the training thread over the whole run. */
  readonly cpu: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function rates(records: readonly EpochRecord[], rows: number, cpuSeconds: number): Rates {
  return {
    steady: median(records.slice(1).map((r) => rows / r.seconds)),
    run: records[records.length - 1].samplesPerSecond,
    cpu: rows * records.length / cpuSeconds,
  };
}

/** The stat fields of a thread (after the command name). */
function threadStat(pid: number, tid: number): string[] {
  const text = Deno.readTextFileSync(`/proc/${pid}/task/${tid}/stat`);
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds (user + system) a thread has used. */
function threadCpuSeconds(pid: number, tid: number): number {
  const fields = threadStat(pid, tid); // fields[0] is stat field 3 (state)
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100)
}

/** The thread named `DedicatedWorker` in a Chromium process descending from this process. */
function chromiumWorkerThread(): { pid: number; tid: number } {
  const descends = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === Deno.pid) return true;
      try {
        p = Number(threadStat(p, p)[1]); // ppid
      } catch {
        return false;
      }
    }
    return false;
  };
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid) || !descends(pid)) continue;
    try {
      for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
        const name = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/comm`).trim();
        if (name === "DedicatedWorker") return { pid, tid: Number(task.name) };
      }
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error("No DedicatedWorker thread found under this process's Chromium");
}

/** Trains case `index` in Deno on the site's MNIST pack, after a one-epoch warm-up run. */
async function denoRates(site: string, index: number, epochs: number): Promise<Rates> {
  const data = decodeMnistPack(await Deno.readFile(`${site}/${PACK_FILES.mnist}`));
  const run = async (epochs: number) => {
    const request = { ...preset("mnist"), epochs, code: CASES[index].code };
    const session = await Session.create(request, data);
    while (!session.finished) session.trainFor(1_000);
    return session.records;
  };
  await run(1);
  const before = threadCpuSeconds(Deno.pid, Deno.pid);
  const records = await run(epochs);
  return rates(records, data.train.rows, threadCpuSeconds(Deno.pid, Deno.pid) - before);
}

/** Runs `denoRates` in a new process in a session of its own. */
function denoRatesApart(site: string, index: number, epochs: number): Promise<Rates> {
  return new Promise((resolve, reject) => {
    const child = spawn(Deno.execPath(), [
      "run",
      "-A",
      fileURLToPath(import.meta.url),
      "--deno-side",
      site,
      "--case",
      String(index),
      "--epochs",
      String(epochs),
    ], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Uint8Array) => out += new TextDecoder().decode(chunk));
    child.on("error", reject);
    child.on(
      "close",
      (code: number) =>
        code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`Deno side exited ${code}`)),
    );
  });
}

const format = (n: number) => Math.round(n).toLocaleString("en");

/** "median (min–max)" of per-round ratios. */
function ratio(browser: Rates[], deno: Rates[], key: keyof Rates): string {
  const ratios = browser.map((b, i) => b[key] / deno[i][key]);
  return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${
    Math.max(...ratios).toFixed(2)
  })`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "5" },
      epochs: { type: "string", default: "8" },
      "deno-side": { type: "string" },
      case: { type: "string", default: "0" },
    },
  });
  const rounds = Number(values.rounds);
  const epochs = Number(values.epochs);
  if (values["deno-side"] !== undefined) {
    console.log(JSON.stringify(await denoRates(values["deno-side"], Number(values.case), epochs)));
    Deno.exit(0);
  }
  const site = await Deno.makeTempDir({ prefix: "mlpc-speed-" });
  await buildSite(site);
  const data = decodeMnistPack(await Deno.readFile(`${site}/${PACK_FILES.mnist}`));
  const server = serveSite(site);
  const browser = await launchBrowser();
  const { page } = browser;
  const lines: string[] = [];
  try {
    await openPlayground(page, `http://127.0.0.1:${server.addr.port}/`);
    const worker = chromiumWorkerThread();
    for (const [index, c] of CASES.entries()) {
      const inBrowser = async (epochs: number): Promise<Rates> => {
        const before = threadCpuSeconds(worker.pid, worker.tid);
        await startRun(page, "mnist", { epochs, code: c.code });
        const run = await waitForRun(page);
        const cpuSeconds = threadCpuSeconds(worker.pid, worker.tid) - before;
        if (run.state !== "finished") throw new Error(`${c.name}: ${run.status}`);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click("#metrics-csv"),
        ]);
        const text = await Deno.readTextFile(await download.path());
        return rates(csvToRecords(text), data.train.rows, cpuSeconds);
      };
      await inBrowser(1);
      const browserRuns: Rates[] = [];
      const denoRuns: Rates[] = [];
      for (let r = 0; r < rounds; r++) {
        browserRuns.push(await inBrowser(epochs));
        denoRuns.push(await denoRatesApart(site, index, epochs));
      }
      const cell = (runs: Rates[], key: keyof Rates) => format(median(runs.map((r) => r[key])));
      const line = [
        c.name,
        cell(browserRuns, "steady"),
        cell(denoRuns, "steady"),
        ratio(browserRuns, denoRuns, "steady"),
        cell(browserRuns, "cpu"),
        cell(denoRuns, "cpu"),
        ratio(browserRuns, denoRuns, "cpu"),
      ].join(" | ");
      console.error(`| ${line} |`);
      lines.push(`| ${line} |`);
    }
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(site, { recursive: true });
  }
  console.log(
    `Training samples/s on the MNIST subset (${data.train.rows} rows, batch ${
      preset("mnist").batchSize
    }), medians of ${rounds} rounds of ${epochs} epochs; Chromium ${browser.version}, Deno ${Deno.version.deno}\n`,
  );
  console.log(
    "| model | Chromium, steady | Deno, steady | browser / Deno | Chromium, per CPU-s | " +
      "Deno, per CPU-s | browser / Deno |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  lines.forEach((line) => console.log(line));
}
