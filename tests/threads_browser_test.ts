/**
 * Threads in headless Chromium: `web/threads_e2e.ts` serves a page that
 * loads a saved threaded trainer with the runtime alone and trains it. In a
 * cross-origin isolated page it runs on 2 threads (the worker takes part in
 * the step; the page's main thread, which may not block, spins at the
 * barriers); without isolation, or without the worker script, on one thread
 * with a note saying why — and every page shows the losses and parameter
 * bits Deno computes on one thread. Like the playground's end-to-end test it
 * fails, never skips, when Chromium cannot start.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { ThreadsE2eReport } from "../web/threads_e2e.ts";
import type { ThreadsPageReport } from "../web/threads_report.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

Deno.test("threads in headless Chromium: 2 threads when isolated, else 1 with a note; the same bits", async () => {
  // playwright-core needs --allow-all under Deno (it reads /proc), so the browser side runs apart.
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "web/threads_e2e.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `web/threads_e2e.ts failed (exit code ${code}):\n${log}`);
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  const report: ThreadsE2eReport = JSON.parse(lines[lines.length - 1]);
  const page = (what: string, p: ThreadsPageReport | string): ThreadsPageReport => {
    if (typeof p === "string") assert.fail(`${what}: the page showed ${p}`);
    assert.deepEqual(p.losses, report.reference.losses, `${what}: losses`);
    assert.equal(p.paramsHash, report.reference.paramsHash, `${what}: parameter bits`);
    return p;
  };

  const isolated = page("isolated", report.isolated);
  assert.equal(isolated.isolated, true);
  assert.equal(isolated.threads, 2);
  assert.equal(isolated.note, null);
  assert.equal(isolated.workerCalls, 1); // the step at batch 128 ran on both threads

  const plain = page("not isolated", report.notIsolated);
  assert.equal(plain.isolated, false);
  assert.equal(plain.threads, 1);
  assert.match(plain.note!, /^SharedArrayBuffer is not available here .*cross-origin isolation/);

  const noWorker = page("no worker script", report.noWorkerScript);
  assert.equal(noWorker.threads, 1);
  assert.match(
    noWorker.note!,
    /^the worker threads could not start .*thread_worker\.ts could not be loaded/,
  );
  assert.deepEqual(report.errors, []);
});
