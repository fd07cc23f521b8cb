/// <reference lib="dom" />
/**
 * Drives the playground in headless Chromium (Debian's `chromium` package)
 * with `npm:playwright-core`: start the browser, open the page, run a
 * preset, read the metrics the page shows.
 *
 * playwright-core reads `/proc` when it loads, which Deno allows only with
 * `--allow-all`; so scripts that import this module run as their own process
 * with `-A` (the e2e test starts `web/e2e.ts` that way).
 *
 * @module
 */

import { chromium } from "npm:playwright-core@1.65.1";
import type { BrowserContext, Page } from "npm:playwright-core@1.65.1";

/** Chromium's path (override with the environment variable `MLPC_CHROMIUM`). */
export const CHROMIUM = Deno.env.get("MLPC_CHROMIUM") ?? "/usr/bin/chromium";

/** Flags that let headless Chromium start in a container, offline. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser with one page, and what the page reported as errors. */
export interface Browser {
  /** The page. */
  readonly page: Page;
  /** Browser version. */
  readonly version: string;
  /** Console errors, uncaught exceptions and failed requests, in order. */
  readonly errors: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts Chromium with a fresh profile; throws an error that says Chromium
 * could not start (and how to install it) when it cannot.
 */
export async function launchBrowser(): Promise<Browser> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(
      `Chromium could not start: ${CHROMIUM} does not exist. ` +
        "Install Debian's package (apt-get install -y chromium) or set MLPC_CHROMIUM",
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "mlpc-chromium-" });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 960 },
      acceptDownloads: true,
      timeout: 60_000,
    });
  } catch (e) {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    throw new Error(`Chromium could not start (${CHROMIUM}): ${(e as Error).message}`);
  }
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on(
    "requestfailed",
    (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`),
  );
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return {
    page,
    version: context.browser()?.version() ?? "unknown",
    errors,
    close: async () => {
      await context.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** What the page shows at the end of a run. */
export interface RunResult {
  /** `finished`, `stopped` or `failed`. */
  readonly state: string;
  /** The status line. */
  readonly status: string;
  /** Epochs run. */
  readonly epoch: number;
  /** Final training loss (mean of the last epoch). */
  readonly loss: number;
  /** Final test loss. */
  readonly testLoss: number;
  /** Final training accuracy. */
  readonly trainAccuracy: number;
  /** Final test accuracy. */
  readonly testAccuracy: number;
  /** Training rows per second over the run. */
  readonly samplesPerSecond: number;
}

const ENDED = ["finished", "stopped", "failed"].map((s) => `#status[data-state="${s}"]`).join(", ");

/** Opens the page and waits until the worker has loaded the compiler; returns the milliseconds. */
export async function openPlayground(page: Page, url: string): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });
  return performance.now() - started;
}

/** Reads the run's metrics from the page. */
export async function readRun(page: Page): Promise<RunResult> {
  const data: Record<string, string | undefined> = await page.locator("#status").evaluate((e) => ({
    ...(e as HTMLElement).dataset,
    text: e.textContent ?? "",
  }));
  return {
    state: data.state ?? "",
    status: data.text ?? "",
    epoch: Number(data.epoch ?? 0),
    loss: Number(data.loss ?? NaN),
    testLoss: Number(data.testLoss ?? NaN),
    trainAccuracy: Number(data.trainAccuracy ?? NaN),
    testAccuracy: Number(data.testAccuracy ?? NaN),
    samplesPerSecond: Number(data.samplesPerSecond ?? NaN),
  };
}

/** Picks a preset, optionally changes fields of the form, and starts training. */
export async function startRun(
  page: Page,
  preset: string,
  fields: { epochs?: number; code?: string } = {},
): Promise<void> {
  await page.selectOption("#preset", preset);
  if (fields.epochs !== undefined) await page.fill("#epochs", String(fields.epochs));
  if (fields.code !== undefined) await page.fill("#code", fields.code);
  await page.click("#train");
}

/** Waits for the run to end (finished, stopped or failed) and reads it. */
export async function waitForRun(page: Page, timeout = 120_000): Promise<RunResult> {
  await page.waitForSelector(ENDED, { timeout });
  return await readRun(page);
}

/** Waits until the run in progress has done `epochs` epochs. */
export async function waitForEpoch(page: Page, epochs: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (n) => Number(document.getElementById("status")?.dataset.epoch ?? 0) >= n,
    epochs,
    { timeout },
  );
}

/** Shows an inspection tab and returns its text and the sizes line. */
export async function readTab(page: Page, tab: string): Promise<{ text: string; sizes: string }> {
  await page.click(`#tabs [data-tab="${tab}"]`);
  return {
    text: await page.locator("#tab-text").textContent() ?? "",
    sizes: await page.locator("#sizes").textContent() ?? "",
  };
}
