// A saved model carries the graphs it was compiled from: they survive the
// JSON round trip exactly, lowering them again gives the saved module byte
// for byte (so inspection of a saved file shows what runs), damaged graphs
// are typed errors, and files saved before graphs were recorded still load.
import assert from "node:assert/strict";
import {
  adam,
  chain,
  compile,
  CompileError,
  dense,
  deserialize,
  relu,
  serialize,
  sgd,
  softmaxCrossEntropy,
  tanh,
} from "../mod.ts";
import { graphFromPlain } from "../compiler/ir/from_plain.ts";
import { lowerPrograms } from "../compiler/driver/lower.ts";
import { EXPORTS, LOSS_OUTPUT } from "../core/contract.ts";
import type { PlainGraph } from "../core/artifact.ts";
import { resign } from "./helpers.ts";

const x = [[0.5, -1, 2], [1, 0, -0.25], [-2, 1.5, 0]];

async function classifier() {
  return await compile(chain(dense(3, 6), relu, dense(6, 4), tanh, dense(4, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.01 }),
    batchSize: 4,
    seed: 3,
  });
}

Deno.test("saved graphs survive JSON and lower again to the saved module, byte for byte", async () => {
  const t = await classifier();
  const saved = JSON.parse(serialize(t));
  const graphs = saved.artifact.graphs;
  for (const name of ["predict", "evaluate", "gradient", "train"] as const) {
    assert.deepEqual(graphFromPlain(graphs[name], name), t.artifact.graphs![name]);
  }
  const lowered = lowerPrograms([
    { name: EXPORTS.train, graph: graphFromPlain(graphs.train, "train"), returns: LOSS_OUTPUT },
    {
      name: EXPORTS.evaluate,
      graph: graphFromPlain(graphs.evaluate, "evaluate"),
      returns: LOSS_OUTPUT,
    },
    { name: EXPORTS.predict, graph: graphFromPlain(graphs.predict, "predict"), returns: null },
  ], { maxBatch: saved.artifact.maxBatch, relaxedSimd: saved.artifact.relaxedSimd });
  assert.deepEqual(lowered.binary, t.artifact.wasm);
  const loaded = await deserialize(JSON.stringify(saved));
  assert.deepEqual(loaded.artifact.graphs, JSON.parse(JSON.stringify(t.artifact.graphs)));
});

Deno.test("a file saved without graphs (older format) still loads and predicts the same", async () => {
  const t = await compile(chain(dense(3, 4), relu, dense(4, 2)), {
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 2,
  });
  const saved = JSON.parse(serialize(t));
  delete saved.artifact.graphs;
  const loaded = await deserialize(resign(saved));
  assert.equal(loaded.artifact.graphs, undefined);
  assert.deepEqual(loaded.predict(x), t.predict(x));
});

Deno.test("damaged saved graphs are CompileErrors naming the graph and the node", async () => {
  const t = await classifier();
  const good = JSON.parse(JSON.stringify(t.artifact.graphs!.predict)) as PlainGraph;
  const damage = (
    edit: (g: { nodes: Record<string, unknown>[] } & Record<string, unknown>) => void,
  ) => {
    const g = JSON.parse(JSON.stringify(good));
    edit(g);
    return g as PlainGraph;
  };
  const cases: [string, PlainGraph | unknown, RegExp][] = [
    ["not an object", 42, /predict graph is damaged: it is not an object/],
    ["dtype", damage((g) => (g.dtype = "f16")), /dtype "f16"/],
    [
      "op",
      damage((g) => (g.nodes[2].op = "constructor")),
      /node 2 has an unknown op "constructor"/,
    ],
    [
      "operands",
      damage((g) => (g.nodes[2].inputs = ["0"])),
      /node 2 \(matmul\) has malformed operands/,
    ],
    ["order", damage((g) => (g.nodes[2].inputs = [0, 5])), /operand %5 does not precede it/],
    ["shape", damage((g) => (g.nodes[2].shape = ["batch", 7])), /shape should be f32\[batch,6\]/],
    ["attr", damage((g) => (g.nodes[2].attrs = { transA: "yes" })), /bad attribute transA = "yes"/],
    ["unknown attr", damage((g) => (g.nodes[0].attrs = { evil: 1 })), /bad attribute evil = 1/],
    ["output", damage((g) => (g.outputs = [{ name: "prediction", node: 99 }])), /missing node %99/],
    ["outputs", damage((g) => (g.outputs = "all")), /outputs is not a list/],
  ];
  for (const [what, graph, pattern] of cases) {
    assert.throws(
      () => graphFromPlain(graph as PlainGraph, "predict"),
      (e: Error) => e instanceof CompileError && pattern.test(e.message),
      what,
    );
  }
});
