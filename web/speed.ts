/**
 * Training speed in the browser next to Deno, for the same model, batch and
 * data, in one run on one machine: each round trains the model once in the
 * playground (headless Chromium, in its worker) and once in Deno with the
 * same session code, alternating, after one warm-up run on each side.
 * Two figures per side: "steady", the median over epochs 2… of rows over the
 * epoch's `fit` seconds (the first epoch runs while V8 tiers the module up),
 * and "run", rows × epochs over all `fit` seconds (what the page shows as
 * samples/s); each the median of the rounds. The ratio is the median of the
 * rounds' ratios (each from two runs seconds apart), with their range. The browser's per-epoch seconds
 * come from the page's metrics CSV. Each side warms up with one run of the
 * same model first (in the browser: the same worker; in Deno: the same
 * process).
 *
 * Each Deno run is a process of its own, started in a new session like the
 * browser (Linux gives each session a fair share of the CPU when scheduler
 * autogroups are on: on a loaded machine, a browser in its own session would
 * otherwise get more CPU than training inside this script).
 *
 * Run: `deno task web:speed` (`-A`: see `browser.ts`). Options:
 * `--rounds N` (default 5), `--epochs N` (default 5).
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
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function rates(records: readonly EpochRecord[], rows: number): Rates {
  return {
    steady: median(records.slice(1).map((r) => rows / r.seconds)),
    run: records[records.length - 1].samplesPerSecond,
  };
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
  return rates(await run(epochs), data.train.rows);
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
    for (const [index, c] of CASES.entries()) {
      const inBrowser = async (epochs: number): Promise<Rates> => {
        await startRun(page, "mnist", { epochs, code: c.code });
        const run = await waitForRun(page);
        if (run.state !== "finished") throw new Error(`${c.name}: ${run.status}`);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click("#metrics-csv"),
        ]);
        const text = await Deno.readTextFile(await download.path());
        return rates(csvToRecords(text), data.train.rows);
      };
      await inBrowser(1);
      const browserRates: Rates[] = [];
      const denoRuns: Rates[] = [];
      for (let r = 0; r < rounds; r++) {
        browserRates.push(await inBrowser(epochs));
        denoRuns.push(await denoRatesApart(site, index, epochs));
      }
      const b = median(browserRates.map((r) => r.steady));
      const d = median(denoRuns.map((r) => r.steady));
      // Each round's ratio compares two runs taken seconds apart, under the same load.
      const ratios = browserRates.map((r, i) => r.steady / denoRuns[i].steady);
      const line = `| ${c.name} | ${preset("mnist").batchSize} | ${format(b)} | ${format(d)} | ${
        median(ratios).toFixed(2)
      } (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${
        format(median(browserRates.map((r) => r.run)))
      } | ${format(median(denoRuns.map((r) => r.run)))} |`;
      console.error(line);
      lines.push(line);
    }
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(site, { recursive: true });
  }
  console.log(
    `Training samples/s on the MNIST subset (${data.train.rows} rows), medians of ${rounds} ` +
      `rounds of ${epochs} epochs; Chromium ${browser.version}, Deno ${Deno.version.deno}\n`,
  );
  console.log(
    "| model | batch | Chromium, steady | Deno, steady | browser / Deno (range) | Chromium, run | Deno, run |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  lines.forEach((line) => console.log(line));
}
