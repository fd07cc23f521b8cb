/**
 * What the application examples share to report a run: a plain-text result
 * table, the per-epoch series of a `fit` history for a learning curve, the
 * folder the SVGs go to, and the terminal loss chart of the end of a run.
 * The charts themselves come from the library's `plot` entry point.
 *
 * @module
 */

import process from "node:process";
import type { History } from "../mod.ts";
import { terminalChart } from "../plot/mod.ts";

/** A cell of a result table: text as it is, numbers with the column's digits. */
export type Cell = string | number;

/**
 * A result table as aligned text: a header line, a rule, one line per row;
 * text left-aligned, numbers right-aligned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./report.ts";
 * const text = table(["model", "accuracy"], [["majority", "10.0 %"], ["MLP", "97.1 %"]]);
 * assert.equal(text.split("\n").length, 4);
 * assert.ok(text.includes("MLP"));
 * ```
 */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(String));
  const widths = header.map((h, c) => Math.max(h.length, ...text.map((row) => row[c].length)));
  const line = (cells: readonly string[], numeric: readonly boolean[]) =>
    cells.map((cell, c) => numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))
      .join("  ").trimEnd();
  const numericColumn = header.map((_, c) => rows.some((row) => typeof row[c] === "number"));
  return [
    line(header, numericColumn),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...text.map((row) => line(row, numericColumn)),
  ].join("\n");
}

/**
 * The per-epoch series of a `fit` history under flat names, for
 * `learningCurve`: `loss`, `valLoss` and the metrics asked for (training and
 * validation, e.g. `accuracy` and `valAccuracy`) that the history recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveSeries } from "./report.ts";
 * const history = {
 *   loss: [1, 0.5], valLoss: [1.1, 0.7], metrics: { accuracy: [0.5, 0.8], valAccuracy: [0.4, 0.7] },
 *   lr: [], stepLr: [], seconds: [], stopReason: "epochs" as const,
 * };
 * assert.deepEqual(Object.keys(curveSeries(history, ["accuracy"])), [
 *   "loss", "valLoss", "accuracy", "valAccuracy",
 * ]);
 * ```
 */
export function curveSeries(
  history: History,
  metrics: readonly string[] = [],
): Record<string, number[]> {
  const out: Record<string, number[]> = { loss: history.loss };
  if (history.valLoss.length > 0) out.valLoss = history.valLoss;
  for (const name of metrics) {
    const val = `val${name[0].toUpperCase()}${name.slice(1)}`;
    for (const key of [name, val]) {
      const values = history.metrics[key];
      if (values !== undefined && values.length > 0) out[key] = values;
    }
  }
  return out;
}

/**
 * Writes text files into a folder (created if missing) and returns their
 * paths; `dir` is a path or a `file:` URL.
 *
 * @example
 * ```ts ignore
 * import { writeFiles } from "./report.ts";
 * await writeFiles("examples/out/demo", { "curve.svg": "<svg/>" });
 * ```
 */
export async function writeFiles(
  dir: string | URL,
  files: Readonly<Record<string, string>>,
): Promise<string[]> {
  const base = typeof dir === "string" ? dir : decodeURIComponent(dir.pathname);
  await Deno.mkdir(base, { recursive: true });
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = `${base.replace(/\/$/, "")}/${name}`;
    await Deno.writeTextFile(path, text);
    paths.push(path);
  }
  return paths;
}

/**
 * Whether the script may write into `dir` (Deno's write permission for that
 * path): the examples say how to get their SVGs instead of failing when it
 * was not given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writableFolder } from "./report.ts";
 * assert.equal(typeof (await writableFolder("examples/out")), "boolean");
 * ```
 */
export async function writableFolder(dir: string | URL): Promise<boolean> {
  const path = typeof dir === "string" ? dir : decodeURIComponent(dir.pathname);
  const { state } = await Deno.permissions.query({ name: "write", path });
  return state === "granted";
}

/**
 * The default output folder of an example: `examples/out/<name>/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputFolder } from "./report.ts";
 * assert.ok(outputFolder("forecast").pathname.endsWith("/examples/out/forecast/"));
 * ```
 */
export function outputFolder(name: string): URL {
  return new URL(`./out/${name}/`, import.meta.url);
}

/**
 * The terminal charts that end a run: training loss per epoch, and below it
 * validation loss when there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossChart } from "./report.ts";
 * const text = lossChart({ loss: [1, 0.6, 0.5], valLoss: [1.1, 0.8, 0.7] });
 * assert.ok(text.includes("training loss") && text.includes("validation loss"));
 * ```
 */
export function lossChart(history: { loss: number[]; valLoss?: number[] }): string {
  const chart = (values: number[], title: string) =>
    `${title} per epoch\n${terminalChart([values], { height: 5, decimals: 4 })}`;
  const parts = [chart(history.loss, "training loss")];
  if ((history.valLoss?.length ?? 0) > 0) parts.push(chart(history.valLoss!, "validation loss"));
  return parts.join("\n");
}

/** Seconds of CPU (user + system, every thread of the process) and of wall clock. */
export interface Seconds {
  /** CPU seconds: what the work cost, also on a busy machine. */
  readonly cpu: number;
  /** Wall-clock seconds: what it took, other processes included. */
  readonly wall: number;
}

/**
 * Starts a stopwatch of CPU and wall-clock time; calling the result gives
 * the seconds since.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopwatch } from "./report.ts";
 * const elapsed = stopwatch();
 * let x = 0;
 * for (let i = 0; i < 1e6; i++) x += i;
 * const { cpu, wall } = elapsed();
 * assert.ok(x > 0 && cpu >= 0 && wall >= 0);
 * ```
 */
export function stopwatch(): () => Seconds {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1e6, wall: (performance.now() - wall) / 1000 };
  };
}

/**
 * Seconds as a table cell: `"CPU / wall"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSeconds } from "./report.ts";
 * assert.equal(formatSeconds({ cpu: 1.234, wall: 5.678 }), "1.2 / 5.7");
 * ```
 */
export function formatSeconds(seconds: Seconds, digits = 1): string {
  return `${seconds.cpu.toFixed(digits)} / ${seconds.wall.toFixed(digits)}`;
}
