/**
 * Combinators that build a layer out of others: `residual` (x + f(x)) and
 * `parallel` (several branches on one input, concatenated along features).
 *
 * Parameter names stay PyTorch-like: `residual` adds no level (its block's
 * parameters are named as if the block stood in its place, like a PyTorch
 * module subclassing the block), `parallel` numbers its branches like a
 * `ModuleList` (`"1.0.weight"`, `"1.1.weight"`).
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { formatShape, sameShape } from "../../core/shape.ts";
import { applyModel, describe, type Layer, type Model } from "./layers.ts";
import { type ApplyContext, INFERENCE } from "./modes.ts";
import { add, concat, type Tensor } from "./tensor.ts";

function checkModel(where: string, model: Model, index?: number): void {
  if (typeof model !== "function" && model?.kind !== "layer") {
    const which = index === undefined ? "" : ` ${index}`;
    throw new ShapeError(
      `${where}: element${which} is not a layer or a function: ${String(model)}`,
    );
  }
}

function firstLayerOf(model: Model): { inputFeatures?: number; inputLayer?: string } {
  if (typeof model === "function") return {};
  return { inputFeatures: model.inputFeatures, inputLayer: model.inputLayer ?? model.description };
}

/**
 * A residual block: `x + f(x)`. `f` must keep the shape of its input. Its
 * parameters are named as `f`'s would be in its place (`residual(chain(dense,
 * relu))` at position 1 of a chain: `"1.0.weight"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, mse, relu, residual } from "../../mod.ts";
 * const model = chain(dense(3, 8), residual(chain(dense(8, 8), relu)), dense(8, 1));
 * const trainer = await compile(model, { loss: mse, batchSize: 4 });
 * assert.ok("1.0.weight" in trainer.getParams());
 * ```
 */
export function residual(f: Model): Layer {
  checkModel("residual", f);
  const description = `residual(${describe(f)})`;
  return {
    kind: "layer",
    description,
    ...firstLayerOf(f),
    apply(x: Tensor, prefix: string, context: ApplyContext = INFERENCE): Tensor {
      const y = applyModel(f, x, prefix, context);
      if (!sameShape(y.shape, x.shape)) {
        const where = prefix === "" ? "" : ` "${prefix.slice(0, -1)}"`;
        throw new ShapeError(
          `Residual block${where} ${description} must keep its input's shape: ` +
            `${formatShape(x.shape)} became ${formatShape(y.shape)}`,
        );
      }
      return add(x, y);
    },
  };
}

/**
 * Branches applied to the same input, their outputs concatenated along the
 * features (each branch maps `[batch, n]` to `[batch, kᵢ]`; the result is
 * `[batch, Σ kᵢ]`). Branch `i`'s parameters are named `"<prefix>i.…"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyModel, dense, input, parallel, relu, chain } from "../../mod.ts";
 * const block = parallel(dense(4, 3), chain(dense(4, 2), relu));
 * const y = applyModel(block, input("x", ["batch", 4]));
 * assert.equal(y.shape.join(), "batch,5");
 * ```
 */
export function parallel(...branches: Model[]): Layer {
  if (branches.length === 0) throw new ShapeError("parallel needs at least one branch");
  branches.forEach((b, i) => checkModel("parallel", b, i));
  const description = `parallel(${branches.map(describe).join(", ")})`;
  const known = branches.find((b) => typeof b !== "function" && b.inputFeatures !== undefined);
  return {
    kind: "layer",
    description,
    ...(known === undefined ? {} : firstLayerOf(known)),
    apply(x: Tensor, prefix: string, context: ApplyContext = INFERENCE): Tensor {
      const outputs = branches.map((b, i) => applyModel(b, x, `${prefix}${i}.`, context));
      outputs.forEach((y, i) => {
        if (y.shape.length !== 2 || y.shape[0] !== x.shape[0]) {
          throw new ShapeError(
            `Branch ${i} (${describe(branches[i])}) of ${description} must map ` +
              `${formatShape(x.shape)} to [${x.shape[0]}, k], got ${formatShape(y.shape)}`,
          );
        }
      });
      return concat(...outputs);
    },
  };
}
