/**
 * Threads in a real browser: bundles `threads_page.ts` and the runtime's
 * worker script (`runtime/thread_worker.ts`, served next to the page's bundle
 * under the name the runtime asks for) and opens the page in headless
 * Chromium three times — cross-origin isolated; not isolated (no
 * `SharedArrayBuffer`); isolated but without the worker script — each time
 * loading the same saved threaded trainer and training it on the same batch.
 * Prints one JSON line (`ThreadsE2eReport`): what each page showed, and
 * what Deno computed on one thread; `tests/threads_browser_test.ts` checks it.
 *
 * Run: `deno run -A web/threads_e2e.ts` (`-A`: see `browser.ts`).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { chain, compile, dense, relu, serialize, sgd, softmaxCrossEntropy } from "../mod.ts";
import { launchBrowser } from "./browser.ts";
import { hashArrays, type ThreadsPageReport } from "./threads_report.ts";

/** The three pages, and Deno's reference. */
export interface ThreadsE2eReport {
  readonly browser: string;
  /** One thread in Deno: the losses and parameter hash every page must show. */
  readonly reference: { readonly losses: number[]; readonly paramsHash: number };
  readonly isolated: ThreadsPageReport | string;
  readonly notIsolated: ThreadsPageReport | string;
  readonly noWorkerScript: ThreadsPageReport | string;
  /** Console errors and failed requests of the pages, the missing worker script's 404 aside. */
  readonly errors: string[];
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function bundle(entry: string): Promise<Uint8Array<ArrayBuffer>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", "--format", "esm", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

const model = () => chain(dense(784, 128), relu, dense(128, 10));
const options = {
  loss: softmaxCrossEntropy,
  optimizer: sgd({ lr: 0.1 }),
  batchSize: 128,
  seed: 3,
};

async function main() {
  const threaded = await compile(model(), { ...options, threads: 2 });
  if (threaded.threads !== 2) throw new Error(`Deno compiled for ${threaded.threads} threads`);
  const saved = serialize(threaded);
  await threaded.dispose();
  const x = Array.from(
    { length: 128 },
    (_, i) => Array.from({ length: 784 }, (_, j) => Math.sin(i * 784 + j)),
  );
  const y = x.map((_, i) => i % 10);
  const one = await compile(model(), options);
  const losses = [0, 1, 2].map(() => one.trainBatch(x, y));
  const params = one.getParams();
  const reference = {
    losses,
    paramsHash: hashArrays(Object.keys(params).sort().map((k) => params[k])),
  };

  const files: Record<string, [Uint8Array<ArrayBuffer> | string, string]> = {
    "index.html": [
      '<!doctype html><html><head><link rel="icon" href="data:,"></head><body>' +
      '<pre id="out">pending</pre>' +
      '<script type="module" src="./page.js"></script></body></html>',
      "text/html",
    ],
    "page.js": [await bundle("web/threads_page.ts"), "text/javascript"],
    // The runtime starts its workers on `new URL("./thread_worker.ts", import.meta.url)`.
    "thread_worker.ts": [await bundle("runtime/thread_worker.ts"), "text/javascript"],
    "model.json": [saved, "application/json"],
    "data.json": [JSON.stringify({ x, y }), "application/json"],
  };
  const browser = await launchBrowser();
  const pages: (ThreadsPageReport | string)[] = [];
  const errors: string[] = [];
  try {
    for (const [isolated, withWorker] of [[true, true], [false, true], [true, false]]) {
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        (request) => {
          const name = new URL(request.url).pathname.slice(1);
          const file = name === "thread_worker.ts" && !withWorker ? undefined : files[name];
          if (file === undefined) return new Response("not found", { status: 404 });
          const headers: Record<string, string> = { "content-type": file[1] };
          if (isolated) {
            headers["cross-origin-opener-policy"] = "same-origin";
            headers["cross-origin-embedder-policy"] = "require-corp";
          }
          return new Response(file[0], { headers });
        },
      );
      try {
        browser.errors.length = 0;
        await browser.page.goto(`http://127.0.0.1:${server.addr.port}/index.html`);
        await browser.page.waitForSelector("#out[data-done]", { timeout: 120_000 });
        const text = await browser.page.locator("#out").textContent() ?? "";
        pages.push(text.startsWith("{") ? JSON.parse(text) : text);
        // Without the worker script, its request fails (Chromium's console message names no URL).
        errors.push(
          ...browser.errors.filter((e) => withWorker || !/thread_worker\.ts|\b404\b/.test(e)),
        );
      } finally {
        await server.shutdown();
      }
    }
  } finally {
    await browser.close();
  }
  const report: ThreadsE2eReport = {
    browser: browser.version,
    reference,
    isolated: pages[0],
    notIsolated: pages[1],
    noWorkerScript: pages[2],
    errors,
  };
  console.log(JSON.stringify(report));
}

if (import.meta.main) await main();
