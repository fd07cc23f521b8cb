/**
 * Vega-Lite specifications of mlpc's charts, as plain data: a learning
 * curve (loss and metrics per epoch), a confusion-matrix heat map and a line
 * chart of named series. `render.ts` turns a specification into SVG.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** Per-epoch series by name, e.g. a `fit` history: `{ loss: [...], valLoss: [...], valAccuracy: [...] }`. */
export type SeriesByName = Readonly<Record<string, unknown>>;

/** Options of `learningCurveSpec`. */
export interface LearningCurveOptions {
  /** Title above the chart. */
  readonly title?: string;
  /**
   * Series to plot; default: every array of numbers whose name is not
   * `seconds`, `lr` or `learningRate`.
   */
  readonly series?: readonly string[];
  /** Pixel width of each panel (default 420). */
  readonly width?: number;
}

const NOT_PLOTTED = new Set(["seconds", "lr", "learningRate", "epoch", "epochs"]);
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

function numericSeries(history: SeriesByName, names?: readonly string[]): [string, number[]][] {
  const picked = names ?? Object.keys(history).filter((k) => !NOT_PLOTTED.has(k));
  const out: [string, number[]][] = [];
  for (const name of picked) {
    const values = history[name];
    if (!Array.isArray(values) || !values.every((v) => typeof v === "number")) {
      if (names !== undefined) {
        throw new InputError(`learningCurve: "${name}" is not an array of numbers`);
      }
      continue;
    }
    if (values.length > 0) out.push([name, values]);
  }
  if (out.length === 0) throw new InputError("learningCurve: the history has no series to plot");
  return out;
}

/**
 * A learning curve: one panel for the losses (every series whose name
 * contains "loss"), one for the other metrics, epochs on the x axis.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningCurveSpec } from "./specs.ts";
 * const spec = learningCurveSpec({ loss: [1, 0.5], valLoss: [1.1, 0.7], valAccuracy: [0.6, 0.8] });
 * assert.equal((spec.vconcat as unknown[]).length, 2);
 * ```
 */
export function learningCurveSpec(
  history: SeriesByName,
  options: LearningCurveOptions = {},
): VegaLiteSpec {
  const series = numericSeries(history, options.series);
  const rows = series.flatMap(([name, values]) =>
    values.map((value, i) => ({ epoch: i + 1, value, series: name }))
  );
  const width = options.width ?? 420;
  const panel = (title: string, names: string[]) => ({
    width,
    height: 220,
    title,
    transform: [{ filter: { field: "series", oneOf: names } }],
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
      y: { field: "value", type: "quantitative", title, scale: { zero: false } },
      color: { field: "series", type: "nominal", title: null },
    },
  });
  const losses = series.map(([n]) => n).filter((n) => /loss/i.test(n));
  const metrics = series.map(([n]) => n).filter((n) => !/loss/i.test(n));
  const panels = [
    ...(losses.length > 0 ? [panel("loss", losses)] : []),
    ...(metrics.length > 0 ? [panel("metric", metrics)] : []),
  ];
  return {
    $schema: SCHEMA,
    ...(options.title === undefined ? {} : { title: options.title }),
    data: { values: rows },
    vconcat: panels,
    resolve: { scale: { color: "independent" } },
  };
}

/**
 * A confusion-matrix heat map: true class down, predicted class across, the
 * count in each cell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { confusionMatrixSpec } from "./specs.ts";
 * const spec = confusionMatrixSpec([[5, 1], [2, 7]], ["no", "yes"]);
 * assert.equal((spec.data as { values: unknown[] }).values.length, 4);
 * ```
 */
export function confusionMatrixSpec(
  matrix: readonly (readonly number[])[],
  labels?: readonly string[],
  options: { readonly title?: string; readonly cell?: number } = {},
): VegaLiteSpec {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n)) {
    throw new InputError(`confusionMatrix: needs a square matrix, got ${n} rows`);
  }
  const names = labels ?? matrix.map((_, i) => String(i));
  if (names.length !== n) {
    throw new InputError(`confusionMatrix: ${names.length} labels for ${n} classes`);
  }
  const values = matrix.flatMap((row, i) =>
    row.map((count, j) => ({ actual: names[i], predicted: names[j], count }))
  );
  const size = (options.cell ?? 36) * n;
  const order = [...names];
  return {
    $schema: SCHEMA,
    ...(options.title === undefined ? {} : { title: options.title }),
    data: { values },
    width: size,
    height: size,
    encoding: {
      x: { field: "predicted", type: "nominal", sort: order, title: "predicted" },
      y: { field: "actual", type: "nominal", sort: order, title: "actual" },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: { field: "count", type: "quantitative", scale: { scheme: "blues" } },
        },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: {
            condition: {
              test: `datum.count > ${Math.max(...values.map((v) => v.count)) / 2}`,
              value: "white",
            },
            value: "black",
          },
        },
      },
    ],
  };
}

/** One named series of a line chart. */
export interface Series {
  /** Legend name. */
  readonly name: string;
  /** Values, at x = 0, 1, 2, … unless `x` is given. */
  readonly y: readonly number[];
  /** x positions (same length as `y`). */
  readonly x?: readonly number[];
}

/** Options of `lineChartSpec`. */
export interface LineChartOptions {
  /** Title above the chart. */
  readonly title?: string;
  /** x axis title. */
  readonly xTitle?: string;
  /** y axis title. */
  readonly yTitle?: string;
  /** d3-format of the x axis labels, e.g. `".1f"` for years without a thousands comma. */
  readonly xFormat?: string;
  /** Pixel width (default 640). */
  readonly width?: number;
  /** Pixel height (default 260). */
  readonly height?: number;
}

/**
 * A line chart of several named series (e.g. predicted against realized
 * values over time).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChartSpec } from "./specs.ts";
 * const spec = lineChartSpec([{ name: "a", y: [1, 2, 3] }, { name: "b", y: [2, 2, 2] }]);
 * assert.equal((spec.data as { values: unknown[] }).values.length, 6);
 * ```
 */
export function lineChartSpec(
  series: readonly Series[],
  options: LineChartOptions = {},
): VegaLiteSpec {
  const values = series.flatMap((s) => {
    if (s.x !== undefined && s.x.length !== s.y.length) {
      throw new InputError(`lineChart: series "${s.name}" has ${s.x.length} x and ${s.y.length} y`);
    }
    return s.y.map((y, i) => ({ x: s.x?.[i] ?? i, y, series: s.name }));
  });
  return {
    $schema: SCHEMA,
    ...(options.title === undefined ? {} : { title: options.title }),
    data: { values },
    width: options.width ?? 640,
    height: options.height ?? 260,
    mark: { type: "line", strokeWidth: 1.2 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: options.xTitle ?? "x",
        scale: { zero: false },
        ...(options.xFormat === undefined ? {} : { axis: { format: options.xFormat } }),
      },
      y: { field: "y", type: "quantitative", title: options.yTitle ?? "y", scale: { zero: false } },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}
