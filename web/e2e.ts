/**
 * The playground end to end in headless Chromium: builds the page, serves it
 * on 127.0.0.1, and in the browser trains XOR, reads the WAT tab, shows a
 * model-code error, stops a long run, trains the MNIST subset, downloads the
 * trained model and saves a screenshot. Prints what it saw as one JSON line
 * (the last line of stdout); `tests/web_e2e_test.ts` runs it and checks it.
 *
 * Run: `deno run -A web/e2e.ts --out DIR` (`-A`: see `browser.ts`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  launchBrowser,
  openPlayground,
  readTab,
  type RunResult,
  startRun,
  waitForEpoch,
  waitForRun,
} from "./browser.ts";
import type { Download } from "npm:playwright-core@1.65.1";
import { buildSite } from "./build.ts";
import { SAVE_FORMATS, type SaveFormat } from "./protocol.ts";
import { serveSite } from "./serve.ts";

/** What the browser showed. */
export interface E2eReport {
  /** Chromium's version. */
  readonly browser: string;
  /** Milliseconds from opening the page to the compiler being loaded in the worker. */
  readonly readyMs: number;
  /** The XOR preset's run. */
  readonly xor: RunResult;
  /** The WAT tab after the XOR run, and the sizes line. */
  readonly wat: { readonly text: string; readonly sizes: string };
  /** A run whose model code has a wrong input size. */
  readonly badCode: RunResult;
  /** A long two-spirals run stopped after a few epochs. */
  readonly stop: {
    readonly requestedEpochs: number;
    readonly result: RunResult;
    /** The state the page's own script read while the worker trained. */
    readonly stateWhileTraining: string;
    /** Animation frames the page drew in 500 ms of training. */
    readonly framesWhileTraining: number;
  };
  /** A model whose code never returns, stopped: the page replaces the worker (and gets ready again). */
  readonly stuck: RunResult;
  /** The MNIST-subset preset's run. */
  readonly mnist: RunResult;
  /** The trained MNIST model downloaded in each format: the files' names (in `out`). */
  readonly downloads: Readonly<Record<SaveFormat, readonly string[]>>;
  /** The folder the downloads and the screenshot are in. */
  readonly out: string;
  /** The built site (its data packs are what the page trained on). */
  readonly site: string;
  /** Where the screenshot is. */
  readonly screenshot: string;
  /** Console errors, uncaught exceptions and failed requests. */
  readonly errors: readonly string[];
}

/** Runs the whole scenario, writing the site, the download and the screenshot under `out`. */
export async function runE2e(out: string, log: (line: string) => void): Promise<E2eReport> {
  const site = `${out}/site`;
  log("building the page…");
  await buildSite(site);
  const server = serveSite(site);
  const url = `http://127.0.0.1:${server.addr.port}/`;
  try {
    log("starting Chromium…");
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      const readyMs = await openPlayground(page, url);
      log(`compiler loaded in the worker after ${readyMs.toFixed(0)} ms`);

      await startRun(page, "xor");
      const xor = await waitForRun(page);
      log(`XOR: ${xor.status}`);
      const wat = await readTab(page, "wat");

      await startRun(page, "xor", {
        code: "return { model: chain(dense(3, 8), tanh, dense(8, 1)), " +
          "loss: binaryCrossEntropyWithLogits };",
      });
      const badCode = await waitForRun(page);
      log(`wrong input size: ${badCode.status}`);

      const requestedEpochs = 100_000;
      await startRun(page, "spirals", { epochs: requestedEpochs });
      await waitForEpoch(page, 5);
      const whileTraining = await page.evaluate(() =>
        new Promise<{ state: string; frames: number }>((resolve) => {
          let frames = 0;
          const started = performance.now();
          const frame = () => {
            frames++;
            if (performance.now() - started < 500) requestAnimationFrame(frame);
            else {
              resolve({ state: document.getElementById("status")?.dataset.state ?? "", frames });
            }
          };
          requestAnimationFrame(frame);
        })
      );
      await page.click("#stop");
      const stopped = await waitForRun(page);
      log(`spirals, stopped: ${stopped.status}`);

      await startRun(page, "xor", {
        code: "const start = Date.now();\nwhile (Date.now() - start < 120000) {}\n" +
          "return { model: dense(2, 1), loss: mse };",
      });
      await page.waitForSelector('#status[data-state="compiling"]');
      await page.click("#stop");
      const stuck = await waitForRun(page);
      log(`code that never returns, stopped: ${stuck.status}`);
      await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });

      await startRun(page, "mnist");
      const mnist = await waitForRun(page);
      log(`MNIST subset: ${mnist.status}`);
      await readTab(page, "fusion");

      const downloads = {} as Record<SaveFormat, string[]>;
      for (const format of Object.keys(SAVE_FORMATS) as SaveFormat[]) {
        await page.selectOption("#save-format", format);
        const count = format === "standalone" ? 2 : 1;
        const files: Download[] = [];
        const all = new Promise<void>((resolve) => {
          const take = (d: Download) => {
            files.push(d);
            if (files.length === count) {
              page.off("download", take);
              resolve();
            }
          };
          page.on("download", take);
        });
        await page.click("#download");
        await all;
        downloads[format] = [];
        for (const file of files) {
          await file.saveAs(`${out}/${file.suggestedFilename()}`);
          downloads[format].push(file.suggestedFilename());
        }
      }

      const screenshot = `${out}/playground.png`;
      await page.screenshot({ path: screenshot });
      return {
        browser: browser.version,
        readyMs,
        xor,
        wat,
        badCode,
        stop: {
          requestedEpochs,
          result: stopped,
          stateWhileTraining: whileTraining.state,
          framesWhileTraining: whileTraining.frames,
        },
        stuck,
        mnist,
        downloads,
        out,
        site,
        screenshot,
        errors: [...browser.errors],
      };
    } finally {
      await browser.close();
    }
  } finally {
    await server.shutdown();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { out: { type: "string" } } });
  const out = values.out ?? await Deno.makeTempDir({ prefix: "mlpc-e2e-" });
  const report = await runE2e(out, (line) => console.error(line));
  console.log(JSON.stringify(report));
}
