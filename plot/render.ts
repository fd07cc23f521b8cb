/**
 * Renders a Vega-Lite specification to SVG, headless: Vega-Lite compiles it
 * to Vega, and Vega's view renders SVG text without a browser or canvas.
 *
 * @module
 */

import * as vega from "npm:vega@6.4.0";
import { compile } from "npm:vega-lite@6.5.0";
import type { VegaLiteSpec } from "./specs.ts";

/**
 * The SVG text of a Vega-Lite specification.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 * import { lineChartSpec } from "./specs.ts";
 * const svg = await renderSvg(lineChartSpec([{ name: "a", y: [1, 3, 2] }]));
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // deno-lint-ignore no-explicit-any
  const vegaSpec = compile(spec as any).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
