/// <reference lib="dom" />
/**
 * The decision-boundary view of 2-D data sets, drawn on a canvas: the
 * model's probability of class 1 on a grid (orange → blue) under the
 * training points.
 *
 * @module
 */

import type { Points } from "./protocol.ts";

const CLASS_COLORS = ["#e8710a", "#1967d2"];
const LOW = [252, 214, 176];
const HIGH = [183, 209, 248];

/**
 * Blends the two class colors by a probability of class 1, through white at 0.5.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shade } from "./boundary.ts";
 * assert.deepEqual(shade(0.5), [255, 255, 255]);
 * ```
 */
export function shade(p: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, p));
  const end = t < 0.5 ? LOW : HIGH;
  const w = Math.abs(t - 0.5) * 2;
  return [0, 1, 2].map((i) => Math.round(255 + (end[i] - 255) * w)) as [number, number, number];
}

/** Draws the scores (`size × size`, row by row from the top) and the points. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  points: Points,
  boundary: { size: number; scores: Float32Array } | null,
): void {
  const context = canvas.getContext("2d");
  if (context === null) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  if (boundary !== null) {
    const image = context.createImageData(boundary.size, boundary.size);
    boundary.scores.forEach((p, i) => {
      const [r, g, b] = shade(p);
      image.data.set([r, g, b, 255], i * 4);
    });
    const cells = new OffscreenCanvas(boundary.size, boundary.size);
    cells.getContext("2d")?.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(cells, 0, 0, width, height);
  }
  const { view } = points;
  for (let i = 0; i < points.y.length; i++) {
    const px = (points.x[2 * i] - view.x0) / (view.x1 - view.x0) * width;
    const py = (view.y1 - points.x[2 * i + 1]) / (view.y1 - view.y0) * height;
    context.beginPath();
    context.arc(px, py, points.y.length <= 8 ? 7 : 3, 0, 2 * Math.PI);
    context.fillStyle = CLASS_COLORS[points.y[i]] ?? "#444";
    context.fill();
    context.strokeStyle = "white";
    context.lineWidth = 1;
    context.stroke();
  }
}
