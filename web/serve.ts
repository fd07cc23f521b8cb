/**
 * `deno task web`: builds the playground into `web/dist` and serves it on
 * 127.0.0.1 with `Deno.serve`, printing the URL.
 *
 * Options: `--port N` (default 8000; if it is taken, a free port is used),
 * `--no-build` (serve what is in the folder), `--dir PATH`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { buildSite } from "./build.ts";

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  bin: "application/octet-stream",
  png: "image/png",
};

/**
 * Answers requests with the files of `dir` (`/` is `index.html`); anything
 * outside the folder, or of a type not listed, is a 404. Pages are served
 * cross-origin isolated (the browser's clock is finer there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { staticHandler } from "./serve.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/site`);
 * await Deno.writeTextFile(`${root}/site/index.html`, "<p>hi</p>");
 * await Deno.writeTextFile(`${root}/secret.json`, "{}");
 * const handler = staticHandler(`${root}/site`);
 * assert.equal(await (await handler(new Request("http://x/"))).text(), "<p>hi</p>");
 * assert.equal((await handler(new Request("http://x/..%2fsecret.json"))).status, 404);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export function staticHandler(dir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    const name = path === "/" ? "index.html" : path.slice(1);
    const type = TYPES[name.split(".").pop() ?? ""];
    if (type === undefined || name.split("/").some((part) => part === ".." || part === "")) {
      return new Response("Not found", { status: 404 });
    }
    try {
      const body = await Deno.readFile(`${dir}/${name}`);
      return new Response(body, {
        headers: {
          "content-type": type,
          "cache-control": "no-cache",
          // Cross-origin isolation: finer performance.now() for the samples/s figures.
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-embedder-policy": "require-corp",
        },
      });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return new Response("Not found", { status: 404 });
      throw e;
    }
  };
}

/**
 * Serves `dir` on 127.0.0.1 at `port` (0: any free port); falls back to a
 * free port if `port` is taken.
 */
export function serveSite(
  dir: string,
  options: { port?: number; signal?: AbortSignal } = {},
): Deno.HttpServer<Deno.NetAddr> {
  const serve = (port: number) =>
    Deno.serve({
      hostname: "127.0.0.1",
      port,
      signal: options.signal,
      onListen: () => {},
    }, staticHandler(dir));
  try {
    return serve(options.port ?? 0);
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) return serve(0);
    throw e;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "8000" },
      dir: { type: "string", default: fileURLToPath(new URL("dist", import.meta.url)) },
      "no-build": { type: "boolean", default: false },
    },
  });
  if (!values["no-build"]) {
    const started = performance.now();
    const { files } = await buildSite(values.dir);
    const mib = (Object.values(files).reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1);
    console.log(
      `built the playground into ${values.dir} (${mib} MiB) in ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s`,
    );
  }
  const server = serveSite(values.dir, { port: Number(values.port) });
  console.log(`mlpc playground: http://127.0.0.1:${server.addr.port}/`);
}
