/**
 * `functional`: a model written as a function of its inputs — typically a
 * record of named inputs (token lists and numeric features) — that applies
 * layers by name, so their parameters are named after them (`"text.weight"`,
 * `"head.0.weight"`) and layers with modes (dropout, batch norm) get the
 * train or inference mode the model is traced in.
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { applyModel, type Layer, type Model } from "./layers.ts";
import { type ApplyContext, INFERENCE } from "./modes.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Applies `layer` to `x` under `name`: its parameters are named
 * `"<name>.…"`, and it runs in the mode the model is traced in.
 */
export type ApplyLayer = <In>(name: string, layer: Model<In>, x: In) => Tensor;

/**
 * A model written as a function `(inputs, layer) => prediction`: `inputs`
 * is what the model receives (a record of named inputs, with `compile`'s
 * `inputs: { … }`), and `layer(name, l, x)` applies layer `l` to `x` with
 * parameters named `"<name>.…"`. Each name is used once per model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   chain, compile, concat, dense, embeddingBag, functional, relu, softmaxCrossEntropy, tokens,
 *   type TokenBags, type Tensor,
 * } from "../../mod.ts";
 * const model = functional((x: { text: TokenBags; numeric: Tensor }, layer) => {
 *   const words = layer("text", embeddingBag(50, 8), x.text);
 *   return layer("head", chain(relu, dense(8 + 2, 3)), concat(words, x.numeric));
 * });
 * const trainer = await compile(model, {
 *   inputs: { text: tokens({ maxTokens: 32 }), numeric: 2 },
 *   loss: softmaxCrossEntropy,
 *   batchSize: 4,
 * });
 * assert.deepEqual(Object.keys(trainer.getParams()), ["text.weight", "head.1.weight", "head.1.bias"]);
 * const p = trainer.predict({ text: [[1, 2], [3]], numeric: [[0.5, 1], [0, 2]] });
 * assert.equal(p.length, 6);
 * ```
 */
export function functional<In>(
  f: (inputs: In, layer: ApplyLayer) => Tensor,
  description = "functional",
): Layer<In> {
  if (typeof f !== "function") {
    throw new ShapeError(`functional takes a function (inputs, layer) => tensor, got ${String(f)}`);
  }
  return {
    kind: "layer",
    description,
    inputLayer: description,
    apply(x: In, prefix: string, context: ApplyContext = INFERENCE): Tensor {
      const used = new Set<string>();
      const layer: ApplyLayer = (name, l, value) => {
        if (typeof name !== "string" || !/^[A-Za-z0-9_]+$/.test(name)) {
          throw new ShapeError(
            `functional: layer names use letters, digits and _, got ${JSON.stringify(name)}`,
          );
        }
        if (used.has(name)) {
          throw new ShapeError(
            `functional: the name "${name}" is used by two layers; each layer needs its own ` +
              `(its parameters are named "${prefix}${name}.…")`,
          );
        }
        used.add(name);
        return applyModel(l, value, `${prefix}${name}.`, context);
      };
      const y = f(x, layer);
      if (y === undefined || y === null || typeof y !== "object" || !("op" in y)) {
        throw new ShapeError(`${description} returned ${String(y)} instead of a tensor`);
      }
      return y;
    },
  };
}
