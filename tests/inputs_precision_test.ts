// Models over token lists, token ids and sparse rows, through the public
// checkers: their parameter gradients against central finite differences
// (`checkModelGradients`, f64 wasm) and their f32 training step against the
// f64 one (`compareF32ToF64`, with its documented tolerance), on random
// batches from the testing arbitraries (`tokenLists`, `sparseRows`: empty
// lists, repeated ids, a random batch size).
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  chain,
  checkModelGradients,
  concat,
  dense,
  embedding,
  embeddingBag,
  functional,
  mse,
  softmaxCrossEntropy,
  sparse,
  type SparseRows,
  tanh,
  type Tensor,
  type TokenBags,
  tokenIds,
  tokens,
} from "../mod.ts";
import { compareF32ToF64, sparseRows, tokenLists } from "../testing/mod.ts";
import { SEED } from "./helpers.ts";

const RUNS = 25;

/** Labels 0..2, one per sample. */
const labelsFor = (rows: number) => Array.from({ length: rows }, (_, i) => (i * 7) % 3);

const bagModels = fc.record({
  vocab: fc.integer({ min: 1, max: 30 }),
  dim: fc.integer({ min: 1, max: 9 }),
  pool: fc.constantFrom("mean" as const, "sum" as const),
  seed: fc.integer({ min: 0, max: 1000 }),
}).chain((m) => fc.record({ m: fc.constant(m), lists: tokenLists({ vocab: m.vocab }) }));

Deno.test(`embeddingBag → tanh → dense: checkModelGradients and compareF32ToF64, ${RUNS} random cases each`, async () => {
  await fc.assert(
    fc.asyncProperty(bagModels, async ({ m, lists }) => {
      const model = chain(embeddingBag(m.vocab, m.dim, { pool: m.pool }), tanh, dense(m.dim, 3));
      const data = {
        inputs: tokens({ maxTokens: 64 }),
        x: lists,
        y: labelsFor(lists.length),
        loss: softmaxCrossEntropy,
        seed: m.seed,
      };
      assert.ok(checkModelGradients(model, data).every((r) => r.ok));
      assert.ok((await compareF32ToF64(model, data)).ok);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

Deno.test(`sparse rows → dense and → embeddingBag(sum): checkModelGradients and compareF32ToF64, ${RUNS} cases`, async () => {
  const cases = fc.record({
    features: fc.integer({ min: 1, max: 40 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  }).chain((c) => fc.record({ c: fc.constant(c), rows: sparseRows({ features: c.features }) }));
  await fc.assert(
    fc.asyncProperty(cases, async ({ c, rows }) => {
      const model = functional((x: SparseRows, layer) =>
        concat(
          layer("linear", dense(c.features, 2), x),
          layer("bag", chain(embeddingBag(c.features, 3, { pool: "sum" }), tanh), x),
        )
      );
      const data = {
        inputs: sparse({ features: c.features, maxNonZeros: 40 }),
        x: rows,
        y: rows.values.map((_, i) => [Math.sin(i), Math.cos(i), 0.5, -0.5, i % 2]),
        loss: mse,
        seed: c.seed,
      };
      assert.ok(checkModelGradients(model, data).every((r) => r.ok));
      assert.ok((await compareF32ToF64(model, data)).ok);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

Deno.test(`named inputs (token ids, token lists, numbers) in one functional model: both checkers, ${RUNS} cases`, async () => {
  const cases = fc.record({
    rows: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  }).chain((c) =>
    fc.record({
      c: fc.constant(c),
      lists: tokenLists({ vocab: 12, minRows: c.rows, maxRows: c.rows }),
      windows: fc.array(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 2, maxLength: 2 }), {
        minLength: c.rows,
        maxLength: c.rows,
      }),
      numeric: fc.array(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        {
          minLength: c.rows,
          maxLength: c.rows,
        },
      ),
    })
  );
  const model = functional((
    x: {
      text: TokenBags;
      window: Parameters<ReturnType<typeof embedding>["apply"]>[0];
      numeric: Tensor;
    },
    layer,
  ) => {
    const features = concat(
      layer("text", embeddingBag(12, 4), x.text),
      layer("window", embedding(8, 2), x.window),
      x.numeric,
    );
    return layer("head", chain(tanh, dense(4 + 4 + 3, 3)), features);
  });
  await fc.assert(
    fc.asyncProperty(cases, async ({ c, lists, windows, numeric }) => {
      const data = {
        inputs: { text: tokens({ maxTokens: 40 }), window: tokenIds({ length: 2 }), numeric: 3 },
        x: { text: lists, window: windows, numeric },
        y: labelsFor(c.rows),
        loss: softmaxCrossEntropy,
        seed: c.seed,
      };
      assert.ok(checkModelGradients(model, data).every((r) => r.ok));
      assert.ok((await compareF32ToF64(model, data)).ok);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

Deno.test("the checkers can fail on these models: a planted wrong VJP of bag is caught", async () => {
  const { OPS } = await import("../compiler/ir/ops.ts");
  // Wrong rule: the table's gradient scattered with pool "sum" even for a mean bag.
  const wrong = {
    ...OPS,
    bag: {
      ...OPS.bag,
      vjp: (
        e: Parameters<typeof OPS.bag.vjp>[0],
        node: Parameters<typeof OPS.bag.vjp>[1],
        g: number,
      ) => OPS.bag.vjp(e, { ...node, attrs: { ...node.attrs, pool: "sum" } }, g),
    },
  };
  const model = chain(embeddingBag(5, 2), dense(2, 2));
  const data = {
    inputs: tokens({ maxTokens: 8 }),
    x: [[1, 2, 2], [4]],
    y: [0, 1],
    loss: softmaxCrossEntropy,
  };
  assert.throws(() => checkModelGradients(model, data, { rules: wrong }), /"0\.weight"/);
  assert.ok(checkModelGradients(model, data).every((r) => r.ok));
});
