/**
 * Embedding layers over integer token ids: `embedding` (a row of a table
 * per id, PyTorch's `nn.Embedding`) and `embeddingBag` (each sample's rows
 * pooled by sum or mean, PyTorch's `nn.EmbeddingBag`). Their weight is named
 * `weight`, `[vocab, dim]`, as in PyTorch; its gradient is a scatter-add into
 * the rows of the ids that occur — never a one-hot matrix, never a
 * (batch × vocab) buffer.
 *
 * @module
 */

import { ShapeError } from "../../core/errors.ts";
import { MAX_INDEX } from "../../core/inputs.ts";
import type { Initializer } from "../ir/ir.ts";
import type { SparseRows, TokenBags, TokenIds } from "./inputs.ts";
import { describeValue } from "./inputs.ts";
import type { Layer } from "./layers.ts";
import { bag, gather, type Pool, sparseMatmul } from "./sparse.ts";
import { param, type Tensor } from "./tensor.ts";

/** Options of `embedding`. */
export interface EmbeddingOptions {
  /** How the table is drawn (default `"glorotNormal"`). */
  init?: Initializer;
}

/** Options of `embeddingBag`. */
export interface EmbeddingBagOptions extends EmbeddingOptions {
  /** How each sample's rows are pooled: `"mean"` (default, as PyTorch) or `"sum"`. */
  pool?: Pool;
}

function checkSizes(layer: string, vocab: number, dim: number): void {
  for (const [what, value, max] of [["vocab", vocab, MAX_INDEX], ["dim", dim, 1 << 20]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new ShapeError(`${layer}: ${what} must be an integer in 1..${max}, got ${value}`);
    }
  }
}

function where(prefix: string): string {
  return prefix === "" ? "" : ` "${prefix.slice(0, -1)}"`;
}

/**
 * A lookup table of `vocab` rows of `dim` numbers, applied to fixed-length
 * token ids (an input declared with `tokenIds({ length })`): each sample's
 * `length` rows side by side, `[batch, length·dim]` — PyTorch's
 * `nn.Embedding` output `[batch, length, dim]`, flattened for the dense
 * layers that follow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, embedding, mse, tokenIds } from "../../mod.ts";
 * const model = chain(embedding(10, 4), dense(3 * 4, 1));
 * const trainer = await compile(model, { inputs: tokenIds({ length: 3 }), loss: mse, batchSize: 2 });
 * assert.equal(trainer.predict([[1, 2, 3], [9, 0, 0]]).length, 2);
 * ```
 */
export function embedding(
  vocab: number,
  dim: number,
  options: EmbeddingOptions = {},
): Layer<TokenIds> {
  checkSizes("embedding", vocab, dim);
  const description = `embedding(${vocab} → ${dim})`;
  return {
    kind: "layer",
    description,
    inputLayer: description,
    apply(x: TokenIds, prefix: string): Tensor {
      if (x?.kind !== "tokenIds") {
        throw new ShapeError(
          `Embedding layer${where(prefix)} ${description} expects token ids (an input declared ` +
            `with tokenIds({ length })), got ${describeValue(x)}`,
        );
      }
      const table = param(`${prefix}weight`, [vocab, dim], options.init ?? "glorotNormal");
      return gather(table, x.ids);
    },
  };
}

/**
 * A lookup table of `vocab` rows of `dim` numbers, applied to token lists of
 * any length (an input declared with `tokens({ maxTokens })`): each sample's
 * rows pooled — their mean (default) or sum — into `[batch, dim]`; an empty
 * list gives zeros. PyTorch's `nn.EmbeddingBag(vocab, dim, mode)` with
 * `input, offsets`. Over sparse rows (`sparse({ features: vocab, … })`) each
 * row's values weight its rows (`per_sample_weights`, sum only, as PyTorch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, embeddingBag, relu, softmaxCrossEntropy, tokens } from "../../mod.ts";
 * const model = chain(embeddingBag(100, 8), relu, dense(8, 3));
 * const trainer = await compile(model, {
 *   inputs: tokens({ maxTokens: 64 }),
 *   loss: softmaxCrossEntropy,
 *   batchSize: 4,
 * });
 * const lines = [[5, 17, 5], [], [99]]; // token ids per sample; the second is empty
 * trainer.fit(lines, [0, 1, 2], { epochs: 30 });
 * assert.equal(trainer.predict(lines).length, 9);
 * ```
 */
export function embeddingBag(
  vocab: number,
  dim: number,
  options: EmbeddingBagOptions = {},
): Layer<TokenBags | SparseRows> {
  checkSizes("embeddingBag", vocab, dim);
  const pool = options.pool ?? "mean";
  if (pool !== "mean" && pool !== "sum") {
    throw new ShapeError(`embeddingBag: pool must be "mean" or "sum", got ${String(pool)}`);
  }
  const description = `embeddingBag(${vocab} → ${dim}, ${pool})`;
  return {
    kind: "layer",
    description,
    inputLayer: description,
    apply(x: TokenBags | SparseRows, prefix: string): Tensor {
      const table = () => param(`${prefix}weight`, [vocab, dim], options.init ?? "glorotNormal");
      if (x?.kind === "tokens") return bag(table(), x.ids, x.ends, pool);
      if (x?.kind === "sparse") {
        if (pool !== "sum") {
          throw new ShapeError(
            `Embedding bag${where(prefix)} ${description}: weighted rows (sparse input ` +
              `"${x.name}") need pool "sum" (PyTorch allows per-sample weights only with sum)`,
          );
        }
        if (x.features !== vocab) {
          throw new ShapeError(
            `Embedding bag${where(prefix)} ${description} has ${vocab} rows, but sparse input ` +
              `"${x.name}" has ${x.features} columns`,
          );
        }
        return sparseMatmul(x.values, x.columns, x.ends, table());
      }
      throw new ShapeError(
        `Embedding bag${where(prefix)} ${description} expects token lists (an input declared ` +
          `with tokens({ maxTokens })) or sparse rows, got ${describeValue(x)}`,
      );
    },
  };
}
