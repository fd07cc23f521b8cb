// The standalone inference module in a browser: served from 127.0.0.1 to
// headless Chromium, a page imports it, predicts and posts the bytes back to
// the server; they equal the trainer's. The test waits for that post (not for
// a virtual-time budget, which ran out before the page had loaded on a busy
// machine). Runs where a `chromium` binary is on PATH (Debian's package);
// reported as ignored elsewhere. Chromium is kept off every other address.
import assert from "node:assert/strict";
import { chain, compile, dense, relu, softmax, softmaxCrossEntropy, type Tensor } from "../mod.ts";
import { exportInference } from "../interchange/mod.ts";

async function hasChromium(): Promise<boolean> {
  try {
    const out = await new Deno.Command("chromium", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

const PAGE = `<!doctype html><html><body><pre id="out">pending</pre><script type="module">
import { predict } from "./model.js";
const rows = [[0.5, -1, 2, 0.25], [1, 0, -0.25, 3], [-2, 1.5, 0, -1]];
let text;
try {
  const p = predict(rows);
  text = Array.from(new Uint8Array(p.buffer), (b) => b.toString(16).padStart(2, "0")).join("");
} catch (e) { text = "error " + e.message; }
document.getElementById("out").textContent = text;
await fetch("./result", { method: "POST", body: text });
</script></body></html>`;

const TYPES: Record<string, string> = {
  html: "text/html",
  js: "text/javascript",
  wasm: "application/wasm",
};

Deno.test({
  name: "the standalone module predicts in headless Chromium bit for bit as the trainer",
  ignore: !(await hasChromium()),
  fn: async () => {
    const t = await compile(chain(dense(4, 8), relu, dense(8, 3), (x: Tensor) => softmax(x)), {
      loss: softmaxCrossEntropy,
      batchSize: 2,
      seed: 3,
    });
    const rows = [[0.5, -1, 2, 0.25], [1, 0, -0.25, 3], [-2, 1.5, 0, -1]];
    const p = t.predict(rows);
    const expected = Array.from(new Uint8Array(p.buffer), (b) => b.toString(16).padStart(2, "0"))
      .join("");
    const dir = await Deno.makeTempDir({ prefix: "mlpc-browser-" });
    const posted = Promise.withResolvers<string>();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req) => {
        const name = new URL(req.url).pathname.slice(1);
        if (name === "result" && req.method === "POST") {
          posted.resolve(await req.text());
          return new Response("ok");
        }
        if (!/^[a-z]+\.(html|js|wasm)$/.test(name)) return new Response("no", { status: 404 });
        const body = await Deno.readFile(`${dir}/${name}`);
        return new Response(body, { headers: { "content-type": TYPES[name.split(".")[1]] } });
      },
    );
    try {
      await exportInference(t, dir);
      await Deno.writeTextFile(`${dir}/index.html`, PAGE);
      const browser = new Deno.Command("chromium", {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          // Nothing but the page on 127.0.0.1: no name resolves, no background traffic.
          "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--no-default-browser-check",
          `--user-data-dir=${dir}/profile`,
          `http://127.0.0.1:${server.addr.port}/index.html`,
        ],
        stdout: "null",
        stderr: "null",
      }).spawn();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("Chromium posted no result within 120 s")),
          120_000,
        );
      });
      try {
        const shown = await Promise.race([posted.promise, timeout]);
        assert.equal(shown, expected);
      } finally {
        clearTimeout(timer);
        browser.kill("SIGTERM");
        await browser.status;
      }
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
