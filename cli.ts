/**
 * `mlpc inspect`: look inside a saved model from the command line.
 *
 * ```sh
 * deno task inspect model.json              # summary
 * deno task inspect model.json --fusion     # the training step's kernels
 * deno task inspect model.json --dot | dot -Tsvg > forward.svg
 * deno run --allow-read --allow-env <url of cli.ts> model.json --help
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { deserialize } from "./runtime/save_load.ts";
import { MlpcError } from "./core/errors.ts";
import { printGraph } from "./compiler/ir/print_graph.ts";
import { inspectModel, type ModelGraphs, pickGraph } from "./interchange/inspect.ts";
import { graphToDot, graphToMermaid } from "./interchange/render_graph.ts";

/** The help text. */
export const USAGE = `mlpc inspect — look inside a saved mlpc model

Usage:
  deno task inspect <model.json> [options]
  deno run --allow-read --allow-env cli.ts <model.json> [options]

With no option, prints a summary: the model, its layers and parameter count,
its memory and the size of its WebAssembly.

Options:
  --graph       the forward graph (x → prediction)
  --gradient    the loss graph with its symbolic gradient (grad:<param> outputs)
  --train       the optimized training step: forward, loss, backward, update
  --fusion      the training step's kernels after fusion
  --memory      the training step's memory plan (byte offsets, reused buffers)
  --wat         the WebAssembly text of the whole module
  --dot         print the chosen graphs (default: the forward graph) as
                Graphviz DOT, e.g. | dot -Tsvg > graph.svg
  --mermaid     print the chosen graphs as Mermaid flowcharts (for Markdown)
  --summary     the summary too, when other options are given
  -h, --help    this text

Several options print several sections, each under a "== name ==" header.
`;

/** Where the CLI reads and writes (so tests can run it in-process). */
export interface CliIo {
  /** Reads a file as text. */
  readTextFile(path: string): Promise<string>;
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

const SECTIONS = ["graph", "gradient", "train", "fusion", "memory", "wat"] as const;
const GRAPH_OF = { graph: "forward", gradient: "gradient", train: "train" } as const;
const TITLES = {
  summary: "summary",
  graph: "forward graph",
  gradient: "gradient graph",
  train: "training step (optimized)",
  fusion: "fusion groups",
  memory: "memory plan",
  wat: "WebAssembly text",
} as const;

/**
 * Runs the CLI with `args`; returns the exit code (0 ok, 1 a bad model file,
 * 2 bad usage).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli, USAGE } from "./cli.ts";
 * let printed = "";
 * const io = { readTextFile: Deno.readTextFile, out: (t: string) => (printed += t), err: () => {} };
 * assert.equal(await runCli(["--help"], io), 0);
 * assert.equal(printed, USAGE);
 * ```
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        graph: { type: "boolean" },
        gradient: { type: "boolean" },
        train: { type: "boolean" },
        fusion: { type: "boolean" },
        memory: { type: "boolean" },
        wat: { type: "boolean" },
        dot: { type: "boolean" },
        mermaid: { type: "boolean" },
        summary: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.err(`mlpc inspect: ${(e as Error).message}\nTry --help.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`mlpc inspect: expected one saved model file, got ${positionals.length}\nTry --help.\n`);
    return 2;
  }
  if (values.dot && values.mermaid) {
    io.err("mlpc inspect: choose --dot or --mermaid, not both\n");
    return 2;
  }
  const [path] = positionals;
  try {
    const trainer = await deserialize(await io.readTextFile(path));
    const found = inspectModel(trainer);
    const chosen: (typeof SECTIONS[number] | "summary")[] = SECTIONS.filter((s) => values[s]);
    if ((values.dot || values.mermaid) && !chosen.some((s) => s in GRAPH_OF)) {
      chosen.unshift("graph");
    }
    if (chosen.length === 0 || values.summary) chosen.unshift("summary");
    const texts = chosen.map((section): string => {
      switch (section) {
        case "summary":
          return found.summary;
        case "graph":
        case "gradient":
        case "train": {
          const which: keyof ModelGraphs = GRAPH_OF[section];
          const graph = pickGraph(found, which);
          if (values.dot) return graphToDot(graph, which);
          if (values.mermaid) return graphToMermaid(graph);
          return printGraph(graph);
        }
        case "fusion":
          pickGraph(found, "train"); // a file without graphs: a CompileError saying so
          return found.fusion!;
        case "memory":
          pickGraph(found, "train");
          return found.memoryPlan!;
        case "wat":
          return found.wat();
      }
    });
    io.out(
      texts.length === 1
        ? texts[0]
        : texts.map((t, i) => `== ${TITLES[chosen[i]]} ==\n${t}`).join("\n"),
    );
    return 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      io.err(`mlpc inspect: no such file: ${path}\n`);
      return 1;
    }
    // Any other file-system refusal (NotCapable without --allow-read, PermissionDenied, …).
    if (Object.values(Deno.errors).some((type) => e instanceof type)) {
      io.err(`mlpc inspect: cannot read ${path}: ${(e as Error).name} (${(e as Error).message})\n`);
      return 1;
    }
    if (e instanceof MlpcError) {
      io.err(`mlpc inspect: ${path}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length;) at += stream.writeSync(bytes.subarray(at));
}

if (import.meta.main) {
  Deno.exitCode = await runCli(Deno.args, {
    readTextFile: (path) => Deno.readTextFile(path),
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
  });
}
