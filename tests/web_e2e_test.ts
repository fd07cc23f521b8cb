/**
 * The playground in a real browser: `web/e2e.ts` builds and serves the page
 * and drives Debian's headless Chromium (playwright-core) through XOR, the
 * WAT tab, a model-code error, a stopped run and the MNIST subset; this test
 * checks what it saw, against Deno running the same compiler on the same
 * data. It fails — never skips — when Chromium cannot start.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { deserialize } from "../runtime/mod.ts";
import { decodeMnistPack, PACK_FILES } from "../web/datasets.ts";
import type { E2eReport } from "../web/e2e.ts";
import { preset } from "../web/presets.ts";
import { Session } from "../web/session.ts";

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The accuracy the MNIST-subset preset must pass on its 500 held-out digits. */
const MNIST_ACCURACY = 0.85;

Deno.test("playground in headless Chromium: XOR, WAT, errors, stop, MNIST subset, download", async () => {
  const out = await Deno.makeTempDir({ prefix: "mlpc-e2e-" });
  // playwright-core needs --allow-all under Deno (it reads /proc), so the browser side runs apart.
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "web/e2e.ts", "--out", out],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `web/e2e.ts failed (exit code ${code}):\n${log}`);
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  const report: E2eReport = JSON.parse(lines[lines.length - 1]);

  // XOR to 100 %.
  assert.equal(report.xor.state, "finished", report.xor.status);
  assert.equal(report.xor.epoch, preset("xor").epochs);
  assert.equal(report.xor.trainAccuracy, 1, report.xor.status);

  // The WAT tab shows the module with its exported training step.
  assert.match(report.wat.text, /^\(module/);
  assert.match(report.wat.text, /\(export "train" \(func \$train\)\)/);
  assert.match(report.wat.sizes, /compiled in \d+ ms · WebAssembly [\d.]+ KiB/);

  // A model whose first layer does not fit the data: the page shows mlpc's typed error.
  assert.equal(report.badCode.state, "failed");
  assert.match(report.badCode.status, /^ShapeError: .*dense\(3 → 8\).*\[batch,2\]/);

  // Stop ends a long run between epochs; the page's script ran while the worker trained.
  assert.equal(report.stop.result.state, "stopped", report.stop.result.status);
  assert.ok(
    report.stop.result.epoch >= 5 && report.stop.result.epoch < report.stop.requestedEpochs,
  );
  assert.equal(report.stop.stateWhileTraining, "training");

  // Code that never returns: Stop replaces the worker (the MNIST run below needs the new one).
  assert.equal(report.stuck.state, "stopped");
  assert.match(report.stuck.status, /did not stop within 3 s, so it was replaced/);

  // The MNIST subset past the stated accuracy…
  const mnist = report.mnist;
  assert.equal(mnist.state, "finished", mnist.status);
  assert.ok(mnist.testAccuracy >= MNIST_ACCURACY, `test accuracy ${mnist.testAccuracy}`);
  // …and bit for bit what Deno computes with the same compiler, data and seed.
  const data = decodeMnistPack(await Deno.readFile(`${report.site}/${PACK_FILES.mnist}`));
  const session = await Session.create(preset("mnist"), data);
  while (!session.finished) session.trainFor(1_000);
  const deno = session.records[session.records.length - 1];
  assert.deepEqual(
    [mnist.loss, mnist.testLoss, mnist.trainAccuracy, mnist.testAccuracy],
    [deno.loss, deno.testLoss, deno.trainAccuracy, deno.testAccuracy],
  );

  // The downloads: the save loads with the runtime alone and scores what the page showed;
  // safetensors, ONNX and the standalone module are byte for byte what Deno writes for its
  // identical model, and the standalone module's loader predicts what the trainer predicts.
  assert.deepEqual(report.downloads, {
    mlpc: ["mlpc-mnist.json"],
    safetensors: ["mlpc-mnist.safetensors"],
    torch: ["mlpc-mnist-torch.safetensors"],
    onnx: ["mlpc-mnist.onnx"],
    standalone: ["mlpc-mnist.wasm", "mlpc-mnist.js"],
  });
  const path = (name: string) => `${report.out}/${name}`;
  const trained = await deserialize(await Deno.readTextFile(path("mlpc-mnist.json")));
  const testX = { data: data.test.x, shape: [data.test.rows, data.features] as [number, number] };
  const evaluation = trained.evaluate(testX, data.test.y);
  assert.equal(evaluation.accuracy, mnist.testAccuracy);
  assert.equal(evaluation.loss, mnist.testLoss);
  for (const format of ["safetensors", "torch", "onnx", "standalone"] as const) {
    for (const expected of session.save(format)) {
      const bytes = typeof expected.data === "string"
        ? new TextEncoder().encode(expected.data)
        : expected.data;
      const got = await Deno.readFile(path(expected.name));
      assert.ok(equalBytes(got, bytes), `${expected.name} differs from what Deno writes`);
    }
  }
  const standalone = await import(`file://${path("mlpc-mnist.js")}`);
  assert.deepEqual(await standalone.predict(testX.data), session.trainer.predict(testX));

  // A screenshot was taken, and nothing went wrong in the page.
  const png = await Deno.readFile(report.screenshot);
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  assert.deepEqual(report.errors, []);
  await Deno.remove(report.site, { recursive: true }); // the screenshot and the download stay
  console.log(`screenshot: ${report.screenshot} (Chromium ${report.browser})`);
});
