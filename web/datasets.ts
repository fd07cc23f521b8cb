/**
 * The playground's data sets, as plain typed arrays that run the same in the
 * browser and in Deno: XOR and two spirals are generated here (seeded); the
 * MNIST subset and the breast-cancer split come as packs written by
 * `build.ts` and read back by `decodeMnistPack` / `decodeBreastCancerPack`.
 *
 * @module
 */

/** One part of a data set: `rows × features` samples and a class per row. */
export interface Split {
  /** Samples, row-major. */
  readonly x: Float32Array;
  /** Class of each row (0 … classes − 1). */
  readonly y: Int32Array;
  /** Number of rows. */
  readonly rows: number;
}

/** The box a 2-D data set is drawn in. */
export interface ViewBox {
  /** Smallest first coordinate. */
  readonly x0: number;
  /** Largest first coordinate. */
  readonly x1: number;
  /** Smallest second coordinate. */
  readonly y0: number;
  /** Largest second coordinate. */
  readonly y1: number;
}

/** A data set as the playground trains on it. */
export interface Dataset {
  /** Identifier (`"xor"`, `"spirals"`, `"mnist"`, `"breast_cancer"`). */
  readonly id: DatasetId;
  /** Title for people. */
  readonly title: string;
  /** Features per sample. */
  readonly features: number;
  /** Number of classes. */
  readonly classes: number;
  /** Training rows. */
  readonly train: Split;
  /** Held-out rows (XOR has none besides its four cases: there test = train). */
  readonly test: Split;
  /** For 2-D sets: the box the decision-boundary view shows. */
  readonly view?: ViewBox;
}

/** The data sets the playground offers. */
export const DATASETS = {
  xor: "XOR (4 points, 2-D)",
  spirals: "Two spirals (2-D)",
  mnist: "MNIST subset (784 pixels, 10 digits)",
  breast_cancer: "Breast cancer Wisconsin (30 features)",
} as const;

/** Identifier of a data set. */
export type DatasetId = keyof typeof DATASETS;

/** Whether a string names a data set. */
export function isDatasetId(id: string): id is DatasetId {
  return Object.hasOwn(DATASETS, id);
}

/** Files the packed data sets are served as (relative to the page). */
export const PACK_FILES = {
  mnist: "data/mnist_subset.bin",
  breast_cancer: "data/breast_cancer.json",
} as const;

/** Pixels per MNIST image. */
export const MNIST_PIXELS = 784;

/**
 * The four XOR cases, class 1 where exactly one input is 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { xorDataset } from "./datasets.ts";
 * assert.deepEqual(Array.from(xorDataset().train.y), [0, 1, 1, 0]);
 * ```
 */
export function xorDataset(): Dataset {
  const x = Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1);
  const y = Int32Array.of(0, 1, 1, 0);
  const split = { x, y, rows: 4 };
  return {
    id: "xor",
    title: DATASETS.xor,
    features: 2,
    classes: 2,
    train: split,
    test: split,
    view: { x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 },
  };
}

/** A small seeded generator of uniform numbers in [0, 1) (mulberry32). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `perClass` points on each of two interleaved spirals (1.75 turns, radius
 * up to 1), with uniform noise of ±`noise` on each coordinate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spiralPoints } from "./datasets.ts";
 * const s = spiralPoints(100, 1, 0);
 * assert.equal(s.rows, 200);
 * // Without noise, point i of each spiral is at radius i / 100; rows alternate spirals.
 * const row = 2 * 99 + 1; // spiral 1, point 99
 * assert.equal(s.y[row], 1);
 * assert.ok(Math.abs(Math.hypot(s.x[2 * row], s.x[2 * row + 1]) - 0.99) < 1e-6);
 * ```
 */
export function spiralPoints(perClass: number, seed: number, noise = 0.04): Split {
  const rows = 2 * perClass;
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  const next = uniform(seed);
  for (let i = 0; i < perClass; i++) {
    const r = i / perClass;
    const t = 1.75 * 2 * Math.PI * r;
    for (let c = 0; c < 2; c++) {
      const row = 2 * i + c;
      const angle = t + c * Math.PI;
      x[row * 2] = r * Math.sin(angle) + noise * (2 * next() - 1);
      x[row * 2 + 1] = r * Math.cos(angle) + noise * (2 * next() - 1);
      y[row] = c;
    }
  }
  return { x, y, rows };
}

/**
 * Two spirals: 200 training points per class, 100 test points per class
 * drawn with another seed.
 */
export function spiralsDataset(seed = 1): Dataset {
  return {
    id: "spirals",
    title: DATASETS.spirals,
    features: 2,
    classes: 2,
    train: spiralPoints(200, seed),
    test: spiralPoints(100, seed + 1_000_003),
    view: { x0: -1.2, x1: 1.2, y0: -1.2, y1: 1.2 },
  };
}

/**
 * The MNIST pack: `u32 trainRows, u32 testRows` (little-endian), the digit of
 * each row (u8, train rows then test rows), padding to an even offset, then
 * every pixel as a u16 holding `round(value · 1000)` — the source JSON has
 * three decimals, so the values come back exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeMnistPack, encodeMnistPack } from "./datasets.ts";
 * const image = new Float32Array(784).fill(0.5);
 * const split = { x: image, y: Int32Array.of(7), rows: 1 };
 * const back = decodeMnistPack(encodeMnistPack(split, split));
 * assert.equal(back.test.y[0], 7);
 * assert.equal(back.train.x[783], Math.fround(0.5));
 * ```
 */
export function encodeMnistPack(train: Split, test: Split): Uint8Array<ArrayBuffer> {
  const rows = train.rows + test.rows;
  const pixelsAt = 8 + rows + (rows % 2);
  const bytes = new Uint8Array(pixelsAt + rows * MNIST_PIXELS * 2);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, train.rows, true);
  view.setUint32(4, test.rows, true);
  [train, test].forEach((part, p) => {
    const first = p === 0 ? 0 : train.rows;
    for (let r = 0; r < part.rows; r++) {
      bytes[8 + first + r] = part.y[r];
      for (let i = 0; i < MNIST_PIXELS; i++) {
        const at = pixelsAt + ((first + r) * MNIST_PIXELS + i) * 2;
        view.setUint16(at, Math.round(part.x[r * MNIST_PIXELS + i] * 1000), true);
      }
    }
  });
  return bytes;
}

/** Reads `encodeMnistPack`'s output back into a data set. */
export function decodeMnistPack(bytes: Uint8Array): Dataset {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trainRows = view.getUint32(0, true);
  const testRows = view.getUint32(4, true);
  const rows = trainRows + testRows;
  const pixelsAt = 8 + rows + (rows % 2);
  if (bytes.byteLength !== pixelsAt + rows * MNIST_PIXELS * 2) {
    throw new Error(`The MNIST pack has ${bytes.byteLength} bytes; ${rows} rows need more`);
  }
  const part = (first: number, count: number): Split => {
    const x = new Float32Array(count * MNIST_PIXELS);
    for (let i = 0; i < x.length; i++) {
      x[i] = view.getUint16(pixelsAt + (first * MNIST_PIXELS + i) * 2, true) / 1000;
    }
    return { x, y: Int32Array.from(bytes.subarray(8 + first, 8 + first + count)), rows: count };
  };
  return {
    id: "mnist",
    title: DATASETS.mnist,
    features: MNIST_PIXELS,
    classes: 10,
    train: part(0, trainRows),
    test: part(trainRows, testRows),
  };
}

/** The breast-cancer pack: standardized rows and 0/1 classes (0 = malignant, 1 = benign). */
export interface BreastCancerPack {
  /** Training rows. */
  readonly trainX: number[][];
  /** Class of each training row. */
  readonly trainY: number[];
  /** Test rows. */
  readonly testX: number[][];
  /** Class of each test row. */
  readonly testY: number[];
}

/** Reads the breast-cancer pack into a data set. */
export function decodeBreastCancerPack(pack: BreastCancerPack): Dataset {
  const part = (x: number[][], y: number[]): Split => ({
    x: Float32Array.from(x.flat()),
    y: Int32Array.from(y),
    rows: x.length,
  });
  return {
    id: "breast_cancer",
    title: DATASETS.breast_cancer,
    features: pack.trainX[0].length,
    classes: 2,
    train: part(pack.trainX, pack.trainY),
    test: part(pack.testX, pack.testY),
  };
}

/**
 * Loads a data set; `fetchBytes` reads a pack file (by its path in
 * `PACK_FILES`): `fetch` in the browser, a file read in Deno.
 */
export async function loadDataset(
  id: DatasetId,
  fetchBytes: (file: string) => Promise<Uint8Array>,
): Promise<Dataset> {
  switch (id) {
    case "xor":
      return xorDataset();
    case "spirals":
      return spiralsDataset();
    case "mnist":
      return decodeMnistPack(await fetchBytes(PACK_FILES.mnist));
    case "breast_cancer": {
      const text = new TextDecoder().decode(await fetchBytes(PACK_FILES.breast_cancer));
      return decodeBreastCancerPack(JSON.parse(text));
    }
  }
}
