/**
 * The direction imports may go in, as data, and a checker over the module
 * graph that `deno info --json` prints. Used by `architecture_test.ts`.
 *
 * Layers, lowest first; a module may import its own layer and lower ones:
 *
 * | layer | folder              | may also import                     |
 * | ----- | ------------------- | ----------------------------------- |
 * | 0     | `core/`             | nothing outside `core/`             |
 * | 1     | `runtime/`          | `core/` only                        |
 * | 1     | `compiler/ir/`      | `core/`                             |
 * | 2     | `compiler/passes/`  |                                     |
 * | 3     | `compiler/frontend/`|                                     |
 * | 4     | `compiler/schedule/`|                                     |
 * | 5     | `compiler/codegen/` | the only importer of Binaryen       |
 * | 6     | `compiler/driver/`  | `runtime/`                          |
 * | 7     | entry points        | everything above (`mod.ts`,         |
 * |       |                     | `testing/`, `data/`, `progress/`, …) |
 *
 * @module
 */

/** One import: the importing module and what it imports (both as specifiers). */
export interface ImportEdge {
  /** Importing module, a path relative to the repository root (e.g. `runtime/trainer.ts`). */
  readonly from: string;
  /** Imported module: a repository path, or an `npm:` specifier. */
  readonly to: string;
}

interface Layer {
  readonly name: string;
  readonly prefix: string;
  readonly rank: number;
}

/** The layers, by folder prefix (the longest matching prefix wins). */
export const LAYERS: readonly Layer[] = [
  { name: "core", prefix: "core/", rank: 0 },
  { name: "runtime", prefix: "runtime/", rank: 1 },
  { name: "ir", prefix: "compiler/ir/", rank: 1 },
  { name: "passes", prefix: "compiler/passes/", rank: 2 },
  { name: "frontend", prefix: "compiler/frontend/", rank: 3 },
  { name: "schedule", prefix: "compiler/schedule/", rank: 4 },
  { name: "codegen", prefix: "compiler/codegen/", rank: 5 },
  { name: "driver", prefix: "compiler/driver/", rank: 6 },
  { name: "entry", prefix: "mod.ts", rank: 7 },
  { name: "entry", prefix: "testing/", rank: 7 },
  { name: "entry", prefix: "data/", rank: 7 },
  { name: "entry", prefix: "progress/", rank: 7 },
  { name: "entry", prefix: "plot/", rank: 7 },
  { name: "entry", prefix: "interchange/", rank: 7 },
  { name: "entry", prefix: "cli.ts", rank: 7 },
];

/** The one module allowed to import Binaryen. */
export const BINARYEN_IMPORTER = "compiler/codegen/wasm.ts";

/**
 * The one built-in module the library imports, and where: a threaded
 * trainer's workers are `node:worker_threads` workers on Deno and Node.js
 * (the Web `Worker` keeps a Deno process alive and cannot be unreferenced).
 * Both files import it dynamically, only where it exists; in a browser they
 * use the Web `Worker` API instead.
 */
export const WORKER_THREADS_IMPORTERS: readonly string[] = [
  "runtime/threads.ts",
  "runtime/thread_worker.ts",
];

function layerOf(path: string): Layer | undefined {
  return LAYERS.filter((l) => path.startsWith(l.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/**
 * Every edge that goes against the layering, as a sentence naming both ends
 * and the rule.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { violations } from "./import_rules.ts";
 * assert.equal(violations([{ from: "runtime/trainer.ts", to: "compiler/ir/ir.ts" }]).length, 1);
 * assert.equal(violations([{ from: "compiler/driver/compile.ts", to: "runtime/trainer.ts" }]).length, 0);
 * ```
 */
export function violations(edges: readonly ImportEdge[]): string[] {
  const found: string[] = [];
  for (const { from, to } of edges) {
    const source = layerOf(from);
    if (source === undefined) continue; // examples, tests, bench: above every layer
    if (to.startsWith("npm:")) {
      if (to.includes("binaryen") && from !== BINARYEN_IMPORTER) {
        found.push(`${from} imports ${to}: only ${BINARYEN_IMPORTER} may import Binaryen`);
      }
      if (source.rank < 7 && !to.includes("binaryen")) {
        found.push(`${from} imports ${to}: library layers use no npm package but Binaryen`);
      }
      continue;
    }
    if (to.startsWith("node:")) {
      // Built-in modules (node:util's parseArgs for the CLI): entry points only,
      // and node:worker_threads where the workers are started.
      const workers = to === "node:worker_threads" && WORKER_THREADS_IMPORTERS.includes(from);
      if (source.rank < 7 && !workers) {
        found.push(`${from} imports ${to}: library layers use no runtime built-in module`);
      }
      continue;
    }
    const target = layerOf(to);
    if (target === undefined) {
      found.push(`${from} (${source.name}) imports ${to}, which belongs to no layer`);
      continue;
    }
    const runtimeRule = source.name === "runtime" && target.name !== "core" &&
      target.name !== "runtime";
    const intoRuntime = target.name === "runtime" && source.name !== "runtime" &&
      source.rank < 6;
    if (runtimeRule) {
      found.push(`${from} (runtime) imports ${to} (${target.name}): the runtime imports core only`);
    } else if (intoRuntime) {
      found.push(
        `${from} (${source.name}) imports ${to} (runtime): only the driver and entry points may`,
      );
    } else if (target.rank > source.rank) {
      found.push(
        `${from} (${source.name}, layer ${source.rank}) imports ${to} (${target.name}, layer ` +
          `${target.rank}): imports go down the layers only`,
      );
    }
  }
  return found;
}

/**
 * The import edges of the module graphs rooted at `entries`, read from
 * `deno info --json` (paths relative to `root`, npm packages as `npm:name`).
 */
export async function importEdges(root: string, entries: readonly string[]): Promise<{
  edges: ImportEdge[];
  modules: Set<string>;
}> {
  const edges = new Map<string, ImportEdge>();
  const modules = new Set<string>();
  const base = new URL(`file://${root.endsWith("/") ? root : root + "/"}`).href;
  const relative = (specifier: string) =>
    specifier.startsWith(base) ? specifier.slice(base.length) : specifier;
  for (const entry of entries) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`deno info ${entry} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: {
          specifier: string;
          code?: { specifier: string };
          type?: { specifier: string };
        }[];
      }[];
    };
    for (const m of info.modules) {
      if (!m.specifier.startsWith("file:")) continue;
      const from = relative(m.specifier);
      modules.add(from);
      for (const d of m.dependencies ?? []) {
        const resolved = d.code?.specifier ?? d.type?.specifier ?? d.specifier;
        const to = resolved.startsWith("npm:") ? resolved : relative(resolved);
        edges.set(`${from} -> ${to}`, { from, to });
      }
    }
  }
  return { edges: [...edges.values()], modules };
}
