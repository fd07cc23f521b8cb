/**
 * A compact chart for the terminal, drawn with box characters
 * (`npm:asciichart`): the loss curve at the end of a run.
 *
 * @module
 */

import asciichart from "npm:asciichart@1.5.25";

/** Options of `terminalChart`. */
export interface TerminalChartOptions {
  /** Rows of the plot area (default 8). */
  readonly height?: number;
  /** Decimals of the axis labels (default 3). */
  readonly decimals?: number;
}

/**
 * A line chart of one or more series of equal purpose (e.g. train and
 * validation loss), as text lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { terminalChart } from "./terminal.ts";
 * const text = terminalChart([[1, 0.6, 0.4, 0.35]], { height: 4 });
 * assert.equal(text.split("\n").length, 5);
 * ```
 */
export function terminalChart(
  series: readonly (readonly number[])[],
  options: TerminalChartOptions = {},
): string {
  const finite = series.map((s) => s.filter(Number.isFinite));
  if (finite.every((s) => s.length === 0)) return "(nothing to plot)";
  const decimals = options.decimals ?? 3;
  return asciichart.plot(finite.map((s) => [...s]), {
    height: options.height ?? 8,
    format: (x: number) => x.toFixed(decimals).padStart(10),
  });
}
