/**
 * Charts of training runs and results as SVG — Vega-Lite specifications
 * rendered headless by Vega — and a compact terminal chart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningCurve, terminalChart } from "./mod.ts";
 * const history = { loss: [0.9, 0.5, 0.4], valLoss: [1.0, 0.6, 0.55], valAccuracy: [0.7, 0.8, 0.82] };
 * const svg = await learningCurve(history, { title: "training" });
 * assert.ok(svg.startsWith("<svg") && svg.includes("valAccuracy"));
 * assert.ok(terminalChart([history.loss]).includes("┤"));
 * ```
 *
 * @module
 */

import { renderSvg } from "./render.ts";
import {
  confusionMatrixSpec,
  type LearningCurveOptions,
  learningCurveSpec,
  type LineChartOptions,
  lineChartSpec,
  type Series,
  type SeriesByName,
} from "./specs.ts";

export { renderSvg } from "./render.ts";
export {
  confusionMatrixSpec,
  type LearningCurveOptions,
  learningCurveSpec,
  type LineChartOptions,
  lineChartSpec,
  type Series,
  type SeriesByName,
  type VegaLiteSpec,
} from "./specs.ts";
export { terminalChart, type TerminalChartOptions } from "./terminal.ts";

/**
 * The SVG learning curve of a training history: losses in one panel,
 * other per-epoch metrics in another.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningCurve } from "./mod.ts";
 * const svg = await learningCurve({ loss: [1, 0.5, 0.3] });
 * assert.ok(svg.includes("epoch"));
 * ```
 */
export async function learningCurve(
  history: SeriesByName,
  options: LearningCurveOptions = {},
): Promise<string> {
  return await renderSvg(learningCurveSpec(history, options));
}

/**
 * The SVG heat map of a confusion matrix (rows: actual class, columns:
 * predicted class).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { confusionMatrix } from "./mod.ts";
 * const svg = await confusionMatrix([[9, 1], [2, 8]], ["cat", "dog"]);
 * assert.ok(svg.includes("cat") && svg.includes("dog"));
 * ```
 */
export async function confusionMatrix(
  matrix: readonly (readonly number[])[],
  labels?: readonly string[],
  options: { readonly title?: string } = {},
): Promise<string> {
  return await renderSvg(confusionMatrixSpec(matrix, labels, options));
}

/**
 * The SVG line chart of named series.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChart } from "./mod.ts";
 * const svg = await lineChart([{ name: "predicted", y: [1, 2] }, { name: "realized", y: [1.2, 1.8] }]);
 * assert.ok(svg.includes("realized"));
 * ```
 */
export async function lineChart(
  series: readonly Series[],
  options: LineChartOptions = {},
): Promise<string> {
  return await renderSvg(lineChartSpec(series, options));
}
