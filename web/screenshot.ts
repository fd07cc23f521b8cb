/**
 * Takes the README's screenshot: the two-spirals preset mid-training (the
 * chart, the decision boundary, the fusion tab), in headless Chromium.
 *
 * Run: `deno run -A web/screenshot.ts [out.png]` (default `web/screenshot.png`;
 * `-A`: see `browser.ts`).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import {
  launchBrowser,
  openPlayground,
  readRun,
  readTab,
  startRun,
  waitForEpoch,
  waitForRun,
} from "./browser.ts";
import { buildSite } from "./build.ts";
import { serveSite } from "./serve.ts";

if (import.meta.main) {
  const out = Deno.args[0] ?? fileURLToPath(new URL("screenshot.png", import.meta.url));
  const site = await Deno.makeTempDir({ prefix: "mlpc-shot-" });
  await buildSite(site);
  const server = serveSite(site);
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.setViewportSize({ width: 1200, height: 860 });
    await openPlayground(page, `http://127.0.0.1:${server.addr.port}/`);
    await startRun(page, "spirals", { epochs: 600 });
    await readTab(page, "fusion");
    await waitForEpoch(page, 250);
    const run = await readRun(page);
    await page.screenshot({ path: out });
    await page.click("#stop");
    await waitForRun(page);
    console.log(`${out}: taken at epoch ${run.epoch} (state ${run.state}): ${run.status}`);
    if (browser.errors.length > 0) console.log(browser.errors.join("\n"));
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(site, { recursive: true });
  }
}
