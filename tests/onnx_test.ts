// ONNX export, checked by ONNX Runtime: exported models compute what mlpc's
// predict computes on random inputs (≤ 1e-5 relative at f32), layers are
// recognized (Gemm, Softmax, LogSoftmax), every op of the table agrees with
// the f64 reference interpreter on the op-case table, and ops without an
// ONNX equivalent are errors naming the node.
//
// Relative error, as in the op-case tests: |onnx − mlpc| / max(1, |mlpc|)
// (relative for outputs of magnitude ≥ 1; for outputs that cancel to near 0,
// an absolute error at the scale of the terms that cancelled).
import assert from "node:assert/strict";
import * as ort from "npm:onnxruntime-node@1.30.0";
import onnxProto from "npm:onnx-proto@8.0.1";
import type { onnx as OnnxTypes } from "npm:onnx-proto@8.0.1";
import {
  abs,
  binaryCrossEntropyWithLogits,
  chain,
  compile,
  CompileError,
  dense,
  logSoftmax,
  mean,
  mse,
  mul,
  relu,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  sqrt,
  sub,
  tanh,
  type Tensor,
  type Trainer,
} from "../mod.ts";
import {
  exportOnnx,
  graphToOnnx,
  ONNX_OPS,
  ONNX_OPSET,
  type OnnxTable,
} from "../interchange/mod.ts";
import { grad } from "../compiler/frontend/grad.ts";
import * as T from "../compiler/frontend/tensor.ts";
import * as library from "../mod.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import type { Graph, OpName } from "../compiler/ir/ir.ts";
import { optimize } from "../compiler/passes/pipeline.ts";
import { elementCount } from "../core/shape.ts";
import { OP_CASES, type OpCase } from "./op_cases.ts";
import { uniformStream } from "./helpers.ts";

const { onnx } = onnxProto as unknown as { onnx: typeof OnnxTypes };

type Feed = { data: Float32Array | Float64Array; dims: number[] };

/** Runs an ONNX model in ONNX Runtime. */
async function runOnnx(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
): Promise<Record<string, Feed>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) {
      inputs[name] = new ort.Tensor(
        f.data instanceof Float64Array ? "float64" : "float32",
        f.data,
        f.dims,
      );
    }
    const out = await session.run(inputs);
    return Object.fromEntries(
      Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }]),
    );
  } finally {
    await session.release();
  }
}

function opTypes(bytes: Uint8Array): string[] {
  return onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType!);
}

function randomRows(rows: number, features: number, seed: number, lo = -2, hi = 2): Float32Array {
  const u = uniformStream(seed);
  return Float32Array.from({ length: rows * features }, () => lo + (hi - lo) * u());
}

/** Largest |a − b| / max(1, |b|). */
function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return worst;
}

/** Exports a trainer, runs it in ORT on batches of several sizes, returns the worst error. */
async function compareWithPredict(
  trainer: Trainer,
  seed: number,
  tolerance: number,
): Promise<number> {
  const bytes = exportOnnx(trainer);
  const { inputFeatures: features, outputs, dtype } = trainer.artifact;
  let worst = 0;
  // 1 sample, a partial batch, and more than the compiled batch (ONNX has no maximum).
  for (const rows of [1, 5, trainer.artifact.maxBatch + 3]) {
    const x32 = randomRows(rows, features, seed + rows, 0, 1);
    const x = dtype === "f64" ? Float64Array.from(x32) : x32;
    const expected = trainer.predict({ data: x, shape: [rows, features] });
    const got = (await runOnnx(bytes, { x: { data: x, dims: [rows, features] } })).prediction;
    assert.deepEqual(got.dims, [rows, outputs]);
    const error = maxRelativeError(got.data, expected);
    assert.ok(error <= tolerance, `${rows} rows: relative error ${error} > ${tolerance}`);
    worst = Math.max(worst, error);
  }
  return worst;
}

Deno.test("layers: batchNorm (running statistics), layerNorm, dropout, residual and parallel run in ONNX Runtime as predict", async () => {
  const t = await compile(
    chain(
      dense(6, 8),
      library.batchNorm(8),
      relu,
      library.dropout(0.2),
      library.residual(chain(library.layerNorm(8), dense(8, 8), T.tanh)),
      library.parallel(dense(8, 3), dense(8, 2)),
      dense(5, 3),
    ),
    { loss: softmaxCrossEntropy, batchSize: 8, seed: 4 },
  );
  const x = randomRows(24, 6, 5, -1, 3);
  t.fit({ data: x, shape: [24, 6] }, Array.from({ length: 24 }, (_, i) => i % 3), { epochs: 3 });
  // f32 in both; the normalizations divide by σ ≥ 0.1, ~10 ulps of headroom.
  const error = await compareWithPredict(t, 8, 1e-5);
  console.log(`layers model: max relative error ${error.toExponential(2)}`);
  // Recognized whole: one BatchNormalization (running statistics), one LayerNormalization;
  // dropout leaves nothing in an inference graph.
  const ops = opTypes(exportOnnx(t));
  assert.equal(ops.filter((op) => op === "BatchNormalization").length, 1, ops.join(" "));
  assert.equal(ops.filter((op) => op === "LayerNormalization").length, 1, ops.join(" "));
  assert.ok(!ops.includes("Dropout") && !ops.includes("ReduceMean"), ops.join(" "));
});

Deno.test("normalizations without weight and bias are recognized too", async () => {
  const t = await compile(
    chain(
      dense(5, 7),
      library.batchNorm(7, { affine: false }),
      T.tanh,
      dense(7, 4),
      library.layerNorm(4, { affine: false, eps: 1e-3 }),
    ),
    { loss: mse, batchSize: 8, seed: 12 },
  );
  const x = randomRows(16, 5, 13, -1, 3);
  t.fit({ data: x, shape: [16, 5] }, randomRows(16, 4, 14), {
    epochs: 2,
  });
  const ops = opTypes(exportOnnx(t));
  assert.ok(
    ops.includes("BatchNormalization") && ops.includes("LayerNormalization"),
    ops.join(" "),
  );
  const error = await compareWithPredict(t, 15, 1e-5);
  console.log(`normalizations without affine: max relative error ${error.toExponential(2)}`);
});

Deno.test("the demo model (784-128-10 relu) runs in ONNX Runtime as mlpc predicts", async () => {
  const t = await compile(chain(dense(784, 128, { init: "heNormal" }), relu, dense(128, 10)), {
    loss: softmaxCrossEntropy,
    batchSize: 64,
    seed: 1,
  });
  const x = randomRows(128, 784, 2, 0, 1);
  t.fit({ data: x, shape: [128, 784] }, Array.from({ length: 128 }, (_, i) => i % 10), {
    epochs: 1,
  });
  const bytes = exportOnnx(t);
  assert.deepEqual(opTypes(bytes), ["Gemm", "Relu", "Gemm"]);
  const model = onnx.ModelProto.decode(bytes);
  assert.equal(Number(model.opsetImport![0].version), ONNX_OPSET);
  assert.deepEqual(model.graph!.initializer!.map((i) => i.name).sort(), [
    "0.bias",
    "0.weight",
    "2.bias",
    "2.weight",
  ]);
  const error = await compareWithPredict(t, 3, 1e-5);
  console.log(`demo model: max relative error ONNX Runtime vs predict ${error.toExponential(2)}`);
});

Deno.test("a binary classifier (logits, and probabilities through a sigmoid) runs in ONNX Runtime", async () => {
  for (const head of [[], [sigmoid]]) {
    const t = await compile(chain(dense(30, 16), relu, dense(16, 8), tanh, dense(8, 1), ...head), {
      loss: head.length === 0 ? binaryCrossEntropyWithLogits : mse,
      batchSize: 16,
      seed: 4,
    });
    assert.deepEqual(opTypes(exportOnnx(t)), [
      "Gemm",
      "Relu",
      "Gemm",
      "Tanh",
      "Gemm",
      ...(head.length ? ["Sigmoid"] : []),
    ]);
    const error = await compareWithPredict(t, 5, 1e-5);
    console.log(
      `binary classifier${head.length ? " with sigmoid" : ""}: max relative error ${
        error.toExponential(2)
      }`,
    );
  }
});

Deno.test("softmax, logSoftmax, custom activations and a hand-made normalization export and agree", async () => {
  const swish = (x: Tensor) => mul(x, sigmoid(x));
  // Standardize each row: (x − mean) / √(var + ε), written from primitives.
  const standardize = (x: Tensor) => {
    const centered = sub(x, mean(x, { axis: 1, keepdims: true }));
    return T.div(
      centered,
      sqrt(T.add(mean(mul(centered, centered), { axis: 1, keepdims: true }), 1e-5)),
    );
  };
  const t = await compile(
    chain(
      dense(6, 12),
      swish,
      dense(12, 8),
      standardize,
      abs,
      dense(8, 5),
      (x: Tensor) => softmax(x),
      (x: Tensor) => logSoftmax(x),
    ),
    { loss: mse, batchSize: 8, seed: 6 },
  );
  const ops = opTypes(exportOnnx(t));
  assert.ok(ops.includes("Softmax") && ops.includes("LogSoftmax"), ops.join(" "));
  assert.ok(!ops.includes("Exp"), `softmaxes recognized whole: ${ops.join(" ")}`);
  const error = await compareWithPredict(t, 7, 1e-5);
  console.log(`softmax/custom model: max relative error ${error.toExponential(2)}`);
});

Deno.test("an f64 model exports as DOUBLE and agrees to 1e-12", async () => {
  const t = await compile(chain(dense(5, 9), tanh, dense(9, 3), (x: Tensor) => softmax(x)), {
    loss: mse,
    batchSize: 4,
    dtype: "f64",
    seed: 8,
  });
  const model = onnx.ModelProto.decode(exportOnnx(t));
  assert.equal(model.graph!.input![0].type!.tensorType!.elemType, 11);
  await compareWithPredict(t, 9, 1e-12);
});

Deno.test("a model loaded without graphs cannot be exported: a CompileError says why", async () => {
  const t = await compile(dense(2, 2), { loss: mse, batchSize: 2 });
  const { graphs: _, ...rest } = t.artifact;
  const bare = { artifact: rest, getParams: () => t.getParams() } as unknown as Trainer;
  assert.throws(
    () => exportOnnx(bare),
    (e: Error) => e instanceof CompileError && /lacks/.test(e.message),
  );
});

Deno.test("a model with layerNorm and gelu (exact, erf) runs in ONNX Runtime as mlpc predicts", async () => {
  const t = await compile(
    chain(dense(6, 16), library.layerNorm(16), library.gelu, dense(16, 4)),
    { loss: mse, batchSize: 8, seed: 10 },
  );
  const error = await compareWithPredict(t, 11, 1e-5);
  console.log(`layerNorm + gelu model: max relative error ${error.toExponential(2)}`);
});

// ------------------------------------------------------- the op-case table --

/** The case's outputs and, where it has them, gradients (their graphs hold ge, step, …). */
function caseGraph(c: OpCase): Graph {
  const inputs = Object.fromEntries(
    Object.entries(c.inputs).map((
      [name, i],
    ) => [name, T.input(name, i.shape, i.classes === undefined ? "data" : "label")]),
  );
  const outputs = c.build(inputs);
  if (c.grad === undefined) return trace(outputs, "f32");
  const total = Object.values(outputs).map((y) => T.sum(T.mul(y, y))).reduce((a, b) => T.add(a, b));
  const gradients = grad(() => total)(...c.grad.map((name) => inputs[name]));
  const all = { ...outputs };
  c.grad.forEach((name, k) => (all[`d${name}`] = gradients[k]));
  return trace(all, "f32");
}

Deno.test("every op of the table: ONNX Runtime agrees with the f64 interpreter on the op cases", async () => {
  const exercised = new Set<OpName>();
  const refused = new Set<OpName>();
  for (const c of OP_CASES) {
    for (const optimized of [false, true]) {
      await checkCase(c, optimized, exercised, refused);
    }
  }
  const table = Object.keys(ONNX_OPS) as OpName[];
  const mapped = table.filter((op) => ONNX_OPS[op] !== null);
  assert.deepEqual(mapped.filter((op) => !exercised.has(op)), [], "mapped ops no case exercised");
  assert.deepEqual(
    table.filter((op) => ONNX_OPS[op] === null && !refused.has(op)),
    [],
    "null ops never refused",
  );
});

async function checkCase(
  c: OpCase,
  optimized: boolean,
  exercised: Set<OpName>,
  refused: Set<OpName>,
): Promise<void> {
  const batch = 3;
  const graph = caseGraph(c);
  const exported = optimized ? optimize(graph) : graph;
  const used = new Set(exported.nodes.map((n) => n.op));
  const missing = [...used].filter((op) => ONNX_OPS[op] === null);
  const options = { optimize: optimized };
  if (missing.length > 0) {
    assert.throws(
      () => graphToOnnx(graph, {}, options),
      (e: Error) =>
        e instanceof CompileError &&
        new RegExp(`%\\d+ = (${missing.join("|")}) `).test(e.message) &&
        /no ONNX equivalent/.test(e.message),
      c.name,
    );
    missing.forEach((op) => refused.add(op));
    return;
  }
  used.forEach((op) => exercised.add(op));
  const next = uniformStream(c.name.length * 7919 + 1);
  const feeds: Record<string, Feed> = {};
  const bindings: Record<string, Float32Array> = {};
  for (const node of graph.nodes) {
    if (node.op !== "input") continue;
    const name = node.attrs.name!;
    const spec = c.inputs[name];
    const values = Float32Array.from({ length: elementCount(node.shape, batch) }, () => {
      const lo = spec.min ?? -2;
      const hi = spec.max ?? 2;
      const v = lo + (hi - lo) * next();
      return Math.abs(v) < (spec.gap ?? 0) ? Math.sign(v) * (spec.gap ?? 0) : v;
    });
    bindings[name] = values;
    feeds[name] = { data: values, dims: node.shape.map((d) => (d === "batch" ? batch : d)) };
  }
  const reference = { ...graph, dtype: "f64" as const };
  const expected = interpret(reference, bindings, batch).outputs;
  const got = await runOnnx(graphToOnnx(graph, {}, options), feeds);
  const tolerance = c.f32Tolerance ?? 1e-5;
  const variant = optimized ? "optimized" : "as traced";
  for (const [name, want] of Object.entries(expected)) {
    const have = got[name].data;
    assert.equal(have.length, want.length, `${c.name} (${variant}) ${name}: length`);
    for (let i = 0; i < want.length; i++) {
      assert.ok(
        Math.abs(have[i] - want[i]) <= tolerance * Math.max(1, Math.abs(want[i])),
        `${c.name} (${variant}), output ${name}[${i}]: ONNX Runtime ${have[i]}, interpreter ${
          want[i]
        }`,
      );
    }
  }
}

Deno.test("the table is typed over every op: an op without an entry is a type error", () => {
  // @ts-expect-error: a table missing ops does not type-check
  const partial: OnnxTable = { relu: ONNX_OPS.relu };
  assert.ok(partial.relu !== null);
});
