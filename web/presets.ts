/**
 * The playground's presets: model code, data set and hyper-parameters.
 *
 * Model code is JavaScript run as the body of a function: every export of
 * `mod.ts` is in scope (`chain`, `dense`, `relu`, `mul`, `sigmoid`, `adam`,
 * `softmaxCrossEntropy`, …), and so is `data` (`data.features`,
 * `data.classes`, `data.id`). It returns `{ model, loss }`, and may return
 * `optimizer` too, which then replaces the one chosen in the form.
 *
 * @module
 */

import type { DatasetId } from "./datasets.ts";

/** Optimizers the form offers. */
export const OPTIMIZERS = {
  adam: "Adam",
  adamw: "AdamW",
  sgd: "SGD",
  momentum: "SGD, momentum 0.9",
  rmsprop: "RMSprop",
  adagrad: "Adagrad",
  lion: "Lion",
} as const;

/** Name of an optimizer in the form. */
export type OptimizerName = keyof typeof OPTIMIZERS;

/** The hyper-parameters of the form. */
export interface Hyper {
  /** Optimizer. */
  readonly optimizer: OptimizerName;
  /** Learning rate. */
  readonly lr: number;
  /** Largest batch of the compiled step. */
  readonly batchSize: number;
  /** Passes over the training rows. */
  readonly epochs: number;
  /** Seed of the initialization and of the shuffling. */
  readonly seed: number;
}

/** A preset. */
export interface Preset extends Hyper {
  /** Identifier. */
  readonly id: string;
  /** Title for people. */
  readonly title: string;
  /** The data set it trains on. */
  readonly dataset: DatasetId;
  /** Model code. */
  readonly code: string;
}

const HEADER = `// In scope: mlpc's exports (chain, dense, relu, tanh, mul, …)
// and \`data\` (data.features, data.classes).
// Return { model, loss } — and { optimizer } to override the form's.
`;

/** The presets, in menu order. */
export const PRESETS: readonly Preset[] = [
  {
    id: "xor",
    title: "XOR",
    dataset: "xor",
    code: `${HEADER}
const model = chain(dense(data.features, 8), tanh, dense(8, 1));
return { model, loss: binaryCrossEntropyWithLogits };
`,
    optimizer: "adam",
    lr: 0.05,
    batchSize: 4,
    epochs: 300,
    seed: 1,
  },
  {
    id: "spirals",
    title: "Two spirals",
    dataset: "spirals",
    code: `${HEADER}
const swish = (x) => mul(x, sigmoid(x)); // just a function
const model = chain(
  dense(data.features, 32), tanh,
  dense(32, 32), swish,
  dense(32, data.classes),
);
return { model, loss: softmaxCrossEntropy };
`,
    optimizer: "adam",
    lr: 0.01,
    batchSize: 32,
    epochs: 300,
    seed: 1,
  },
  {
    id: "mnist",
    title: "MNIST MLP (subset)",
    dataset: "mnist",
    code: `${HEADER}
const model = chain(
  dense(data.features, 64, { init: "heNormal" }), relu,
  dense(64, data.classes),
);
return { model, loss: softmaxCrossEntropy };
`,
    optimizer: "adam",
    lr: 0.002,
    batchSize: 64,
    epochs: 10,
    seed: 1,
  },
  {
    id: "breast_cancer",
    title: "Breast cancer",
    dataset: "breast_cancer",
    code: `${HEADER}
const model = chain(dense(data.features, 16), tanh, dense(16, 1));
return { model, loss: binaryCrossEntropyWithLogits };
`,
    optimizer: "adam",
    lr: 0.01,
    batchSize: 32,
    epochs: 30,
    seed: 1,
  },
];

/** The preset with an identifier. */
export function preset(id: string): Preset {
  const found = PRESETS.find((p) => p.id === id);
  if (found === undefined) throw new Error(`No preset "${id}"`);
  return found;
}
