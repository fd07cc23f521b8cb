/**
 * Builds the playground into a folder: the page and the worker bundled for
 * the browser by `deno bundle` (Deno's own bundler, esbuild inside), the
 * HTML and CSS, and the packed data sets.
 *
 * Run: `deno run --allow-read --allow-write --allow-run --allow-env web/build.ts [outDir]`
 * (`deno task web` builds into `web/dist` and serves it).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { writePacks } from "./packs.ts";

const ROOT = new URL("..", import.meta.url);
const WEB = new URL(".", import.meta.url);

/** Where the build put its files, and their sizes. */
export interface BuildResult {
  /** The folder. */
  readonly dir: string;
  /** Bytes of each file, by path relative to the folder. */
  readonly files: Readonly<Record<string, number>>;
}

async function bundle(entry: string, output: string): Promise<void> {
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
      "--minify",
      // mlpc names activations by their function names (`relu` in a model's description and
      // in saved files): minifying must not rename them.
      "--keep-names",
      "--output",
      output,
      fileURLToPath(new URL(entry, WEB)),
    ],
    cwd: fileURLToPath(ROOT),
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  if (code !== 0) {
    const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
    throw new Error(`deno bundle ${entry} failed (exit code ${code}):\n${text}`);
  }
}

/**
 * Builds the page into `dir` (created if needed).
 *
 * @example
 * ```ts ignore
 * import { buildSite } from "./build.ts";
 * const { files } = await buildSite(await Deno.makeTempDir());
 * console.log(files["worker.js"]); // bytes of the worker bundle (mlpc + Binaryen.js)
 * ```
 */
export async function buildSite(dir: string): Promise<BuildResult> {
  await Deno.mkdir(dir, { recursive: true });
  await Promise.all([
    bundle("app.ts", `${dir}/app.js`),
    bundle("worker.ts", `${dir}/worker.js`),
    writePacks(dir),
    Deno.copyFile(new URL("index.html", WEB), `${dir}/index.html`),
    Deno.copyFile(new URL("style.css", WEB), `${dir}/style.css`),
  ]);
  const files: Record<string, number> = {};
  for (const name of ["index.html", "style.css", "app.js", "worker.js"]) {
    files[name] = (await Deno.stat(`${dir}/${name}`)).size;
  }
  for await (const entry of Deno.readDir(`${dir}/data`)) {
    files[`data/${entry.name}`] = (await Deno.stat(`${dir}/data/${entry.name}`)).size;
  }
  return { dir, files };
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? fileURLToPath(new URL("dist", WEB));
  const { files } = await buildSite(dir);
  for (const [name, size] of Object.entries(files)) {
    console.log(`${name.padEnd(24)} ${(size / 1024).toFixed(0).padStart(7)} KiB`);
  }
  console.log(`built into ${dir}`);
}
