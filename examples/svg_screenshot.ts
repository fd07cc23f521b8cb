/**
 * Opens SVG files in headless Chromium (Debian's `chromium`, driven by
 * `npm:playwright-core` as in `web/browser.ts`) and saves a PNG screenshot
 * of each: the proof that the charts the examples write render in a
 * browser. Prints, per file, the size Chromium laid the chart out at and
 * how many line, point and rectangle marks it holds.
 *
 * Run (playwright-core needs `-A` under Deno, see `web/browser.ts`):
 *
 *     deno run -A examples/svg_screenshot.ts examples/out/forecast/test_period.svg out.png
 *
 * Arguments: pairs of an SVG file and the PNG to write.
 *
 * @module
 */

import { launchBrowser } from "../web/browser.ts";

/** What Chromium showed of one SVG. */
export interface SvgShot {
  /** The SVG file. */
  readonly svg: string;
  /** The PNG written. */
  readonly png: string;
  /** Laid-out width and height of the `<svg>` element, CSS pixels. */
  readonly width: number;
  /** Height, CSS pixels. */
  readonly height: number;
  /** Path elements drawn (lines, areas, symbols). */
  readonly paths: number;
  /** Errors the page reported (none expected). */
  readonly errors: readonly string[];
}

/**
 * Screenshots each SVG in one headless Chromium.
 *
 * @example
 * ```ts ignore
 * import { screenshotSvgs } from "./svg_screenshot.ts";
 * const [shot] = await screenshotSvgs([["chart.svg", "chart.png"]]);
 * console.log(shot.width, shot.height);
 * ```
 */
export async function screenshotSvgs(
  pairs: readonly (readonly [svg: string, png: string])[],
): Promise<SvgShot[]> {
  const browser = await launchBrowser();
  try {
    const shots: SvgShot[] = [];
    for (const [svg, png] of pairs) {
      const text = await Deno.readTextFile(svg);
      await browser.page.setContent(
        `<!doctype html><html><body style="margin:0;background:#fff">${text}</body></html>`,
      );
      const element = browser.page.locator("svg").first();
      const box = await element.boundingBox();
      const paths = await browser.page.locator("svg path").count();
      await element.screenshot({ path: png });
      shots.push({
        svg,
        png,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        paths,
        errors: [...browser.errors],
      });
    }
    return shots;
  } finally {
    await browser.close();
  }
}

if (import.meta.main) {
  const args = Deno.args;
  if (args.length === 0 || args.length % 2 !== 0) {
    console.error("usage: deno run -A examples/svg_screenshot.ts <file.svg> <file.png> [...]");
    Deno.exit(2);
  }
  const pairs = Array.from(
    { length: args.length / 2 },
    (_, i) => [args[2 * i], args[2 * i + 1]] as const,
  );
  for (const shot of await screenshotSvgs(pairs)) {
    console.log(
      `${shot.svg} → ${shot.png}: ${shot.width}×${shot.height} px, ${shot.paths} paths` +
        (shot.errors.length > 0 ? `, errors: ${shot.errors.join("; ")}` : ""),
    );
  }
}
