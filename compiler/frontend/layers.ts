/**
 * Layers and models as pure functions. A model is either a plain function
 * from a tensor to a tensor (an activation, or any custom expression) or a
 * `Layer`, which also declares named parameters. `chain` composes them and
 * names each parameter by its position (`"0.weight"`, `"2.bias"`), like a
 * PyTorch `Sequential` state dict. Nothing here holds numbers: parameters are
 * symbolic inputs, created from a seed when the model is compiled.
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import type { Initializer } from "../ir/ir.ts";
import { formatShape } from "../../core/shape.ts";
import { type ApplyContext, INFERENCE } from "./modes.ts";
import { add, matmul, param, type Tensor } from "./tensor.ts";
import { describeValue, type SparseRows, type TokenBags } from "./inputs.ts";
import { bag, sparseMatmul } from "./sparse.ts";

/**
 * A layer with parameters. `prefix` is prepended to its parameter names;
 * `context` tells the mode (train or inference) for layers that behave
 * differently in each (dropout, batch norm) — layers that do not may ignore it.
 * `In` is what it is applied to: a tensor (default), or a model input such
 * as token lists (`TokenBags`) or a record of named inputs.
 */
export interface Layer<In = Tensor> {
  /** Tells layers from plain functions. */
  readonly kind: "layer";
  /** A short description, e.g. `"dense(784 → 128)"`. */
  readonly description: string;
  /** Input features the layer expects, when it knows. */
  readonly inputFeatures?: number;
  /** The layer that reads the model's input, for error messages (e.g. `dense(784 → 128)`). */
  readonly inputLayer?: string;
  /** Applies the layer to a symbolic input. */
  apply(x: In, prefix: string, context?: ApplyContext): Tensor;
}

/**
 * Anything that maps a tensor (or, with `In`, a model input) to a tensor: a
 * layer or a plain function.
 */
export type Model<In = Tensor> = Layer<In> | ((x: In) => Tensor);

/** Options of `dense`. */
export interface DenseOptions {
  /**
   * How weights are drawn (default `"glorotUniform"`; `"heNormal"` suits ReLU,
   * `"lecunNormal"` SELU, `"torchLinear"` reproduces PyTorch's `nn.Linear`).
   * See `Initializer` for every choice.
   */
  init?: Initializer;
  /**
   * How the bias is drawn: zeros by default; with `init: "torchLinear"`,
   * PyTorch's U(±1/√in) unless given.
   */
  biasInit?: Initializer;
  /** Whether the layer adds a bias (default `true`). */
  bias?: boolean;
}

/**
 * A fully connected layer: `x · W + b`, with `W` of shape `[in, out]`. Over
 * sparse rows (an input declared with `sparse({ features: in, … })`) it is a
 * sparse·dense product; over token lists (`tokens(…)`, ids in `0..in−1`) the
 * product of each list's count vector (a bag of words) — in both, the
 * weight's gradient touches only the rows of the columns or ids that occur.
 * `dense(784, 128, { init: "torchLinear" })` draws weights and bias as
 * PyTorch's `nn.Linear(784, 128)` does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dense, applyModel } from "./layers.ts";
 * import { input } from "./tensor.ts";
 * const y = applyModel(dense(4, 2), input("x", ["batch", 4]));
 * assert.ok(y.shape.join() === "batch,2");
 * ```
 */
export function dense(
  inFeatures: number,
  outFeatures: number,
  options: DenseOptions = {},
): Layer<Tensor | SparseRows | TokenBags> {
  for (const [what, value] of [["in", inFeatures], ["out", outFeatures]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ShapeError(`dense: ${what} features must be a positive integer, got ${value}`);
    }
  }
  const description = `dense(${inFeatures} → ${outFeatures})`;
  return {
    kind: "layer",
    description,
    inputFeatures: inFeatures,
    inputLayer: description,
    apply(x: Tensor | SparseRows | TokenBags, prefix: string): Tensor {
      const where = prefix === "" ? "" : ` "${prefix.slice(0, -1)}"`;
      const init = options.init ?? "glorotUniform";
      const weight = () => param(`${prefix}weight`, [inFeatures, outFeatures], init);
      let y: Tensor;
      if (typeof x === "object" && x !== null && "op" in x) {
        const features = x.shape[x.shape.length - 1];
        if (x.shape.length !== 2 || features !== inFeatures) {
          throw new ShapeError(
            `Dense layer${where} ${description} expects ${inFeatures} input features, ` +
              `got ${formatShape(x.shape)}`,
          );
        }
        y = matmul(x, weight());
      } else if (x?.kind === "sparse") {
        if (x.features !== inFeatures) {
          throw new ShapeError(
            `Dense layer${where} ${description} expects ${inFeatures} input features, got ` +
              `sparse rows "${x.name}" of ${x.features} columns`,
          );
        }
        y = sparseMatmul(x.values, x.columns, x.ends, weight());
      } else if (x?.kind === "tokens") {
        // A bag of words times W: the sum of the rows of W its ids name.
        y = bag(weight(), x.ids, x.ends, "sum");
      } else {
        throw new ShapeError(
          `Dense layer${where} ${description} expects a tensor [batch, ${inFeatures}], sparse ` +
            `rows or token lists, got ${describeValue(x)}`,
        );
      }
      if (options.bias === false) return y;
      const bound = 1 / Math.sqrt(inFeatures);
      const biasInit = options.biasInit ??
        (init === "torchLinear" ? { kind: "uniform", a: -bound, b: bound } : "zeros");
      return add(y, param(`${prefix}bias`, [outFeatures], biasInit));
    },
  };
}

/** Alias of `dense`. */
export const linear = dense;

/**
 * Composes layers and functions left to right; parameters are named by
 * position (`"0.weight"`), nested chains by path (`"1.0.weight"`). The first
 * element takes the model's input (a tensor, or e.g. token lists for
 * `embeddingBag`); every later one a tensor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyModel, chain, dense } from "./layers.ts";
 * import { input, relu } from "./tensor.ts";
 * const model = chain(dense(4, 8), relu, dense(8, 2));
 * assert.ok(applyModel(model, input("x", ["batch", 4])).shape.join() === "batch,2");
 * ```
 */
export function chain<In>(first: Model<In>, ...rest: Model[]): Layer<In>;
/**
 * Composes layers and functions left to right; parameters are named by
 * position (`"0.weight"`), nested chains by path (`"1.0.weight"`). The first
 * element takes the model's input (a tensor, or e.g. token lists for
 * `embeddingBag`); every later one a tensor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyModel, chain, dense } from "./layers.ts";
 * import { input, relu } from "./tensor.ts";
 * const model = chain(dense(4, 8), relu, dense(8, 2));
 * assert.ok(applyModel(model, input("x", ["batch", 4])).shape.join() === "batch,2");
 * ```
 */
export function chain(...layers: Model[]): Layer;
export function chain(...layers: Model<never>[]): Layer<never> {
  layers.forEach((layer, i) => {
    if (typeof layer !== "function" && layer?.kind !== "layer") {
      throw new ShapeError(
        `chain: element ${i} is not a layer or a function, got ${String(layer)}`,
      );
    }
  });
  const first = layers.find((l) => typeof l !== "function" || "inputFeatures" in l);
  return {
    kind: "layer",
    description: `chain(${layers.map(describe).join(", ")})`,
    inputFeatures: first !== undefined && typeof first !== "function"
      ? first.inputFeatures
      : undefined,
    inputLayer: first !== undefined && typeof first !== "function"
      ? first.inputLayer ?? first.description
      : undefined,
    apply(x: unknown, prefix: string, context: ApplyContext = INFERENCE): Tensor {
      // The first layer takes the input; every later one a tensor.
      let acc: unknown = x;
      layers.forEach((layer, i) => {
        acc = applyModel(layer as Model<unknown>, acc, `${prefix}${i}.`, context);
      });
      return acc as Tensor;
    },
  };
}

/**
 * Applies a model (layer or function) to a symbolic input, in inference mode
 * unless a train-mode context is given (`compile` traces both).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyModel } from "./layers.ts";
 * import { input, relu } from "./tensor.ts";
 * assert.ok(applyModel(relu, input("x", [3])).op === "relu");
 * ```
 */
export function applyModel<In = Tensor>(
  model: Model<In>,
  x: In,
  prefix = "",
  context: ApplyContext = INFERENCE,
): Tensor {
  const y = typeof model === "function" ? model(x) : model.apply(x, prefix, context);
  if (y === undefined || y === null || typeof y !== "object" || !("op" in y)) {
    throw new ShapeError(`${describe(model)} returned ${String(y)} instead of a tensor`);
  }
  return y;
}

/**
 * A short description of a model for messages and printouts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dense, describe } from "./layers.ts";
 * assert.ok(describe(dense(2, 3)) === "dense(2 → 3)");
 * ```
 */
export function describe(model: Model<never>): string {
  if (typeof model !== "function") return model.description;
  return model.name === "" ? "<function>" : model.name;
}
