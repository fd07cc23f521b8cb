// The layers — layerNorm, batchNorm, dropout, residual, parallel — as a user
// meets them through compile / fit / predict / evaluate / save, against
// independent plain-number implementations of PyTorch's definitions
// (nn.LayerNorm, nn.BatchNorm1d in both modes, inverted dropout), and the
// behaviour of the train and inference modes.
import assert from "node:assert/strict";
import {
  batchNorm,
  chain,
  compile,
  CompileError,
  dense,
  deserialize,
  dropout,
  grad,
  identity,
  input,
  InputError,
  type Layer,
  layerNorm,
  mse,
  normalize,
  parallel,
  relu,
  residual,
  serialize,
  sgd,
  ShapeError,
  softmaxCrossEntropy,
  sum,
  tanh,
} from "../mod.ts";
import {
  exportInference,
  fromSafetensors,
  inspectModel,
  toSafetensors,
} from "../interchange/mod.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { printGraph } from "../compiler/ir/print_graph.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import { optimizerScalars } from "../core/optimizer/table.ts";
import { runF32 } from "./run_f32.ts";
import { maxAbs, maxAbsDiff, uniformStream } from "./helpers.ts";

type Rows = number[][];

// -------------------------------------------- PyTorch's formulas, by hand --

/** nn.LayerNorm(features) over the last dimension: biased variance per row. */
function layerNormReference(x: Rows, weight: number[], bias: number[], eps: number): Rows {
  return x.map((row) => {
    const n = row.length;
    const mean = row.reduce((a, b) => a + b, 0) / n;
    const variance = row.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + eps)) * weight[j] + bias[j]);
  });
}

/**
 * nn.BatchNorm1d(features, eps, momentum) on [n, features], from the PyTorch
 * documentation: training normalizes with the batch mean and the biased
 * variance, and updates running = (1 − momentum)·running + momentum·batch with
 * the unbiased variance (var·n/(n − 1)); evaluation normalizes with the running
 * statistics.
 */
class BatchNorm1dReference {
  runningMean: number[];
  runningVar: number[];
  constructor(readonly features: number, readonly eps: number, readonly momentum: number) {
    this.runningMean = new Array(features).fill(0);
    this.runningVar = new Array(features).fill(1);
  }
  train(x: Rows, weight: number[], bias: number[]): Rows {
    const n = x.length;
    const mean = this.runningMean.map((_, j) => x.reduce((a, row) => a + row[j], 0) / n);
    const biased = mean.map((m, j) => x.reduce((a, row) => a + (row[j] - m) ** 2, 0) / n);
    const m = this.momentum;
    this.runningMean = this.runningMean.map((r, j) => (1 - m) * r + m * mean[j]);
    this.runningVar = this.runningVar.map((r, j) => (1 - m) * r + m * biased[j] * n / (n - 1));
    return x.map((row) =>
      row.map((v, j) => ((v - mean[j]) / Math.sqrt(biased[j] + this.eps)) * weight[j] + bias[j])
    );
  }
  evaluate(x: Rows, weight: number[], bias: number[]): Rows {
    return x.map((row) =>
      row.map((v, j) =>
        ((v - this.runningMean[j]) / Math.sqrt(this.runningVar[j] + this.eps)) * weight[j] +
        bias[j]
      )
    );
  }
}

/** Rows with a distinct offset and spread per feature, like real unnormalized data. */
function data(rows: number, features: number, seed: number): Rows {
  const next = uniformStream(seed);
  return Array.from(
    { length: rows },
    () => Array.from({ length: features }, (_, j) => (j - 2) * 1.5 + (1 + j) * (next() - 0.5)),
  );
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) {
  assert.equal(got.length, want.length, `${what}: lengths`);
  const diff = maxAbsDiff(got, want);
  assert.ok(diff <= tol, `${what}: max difference ${diff} > ${tol}`);
}

// --------------------------------------------------------------- layerNorm --

for (const dtype of ["f32", "f64"] as const) {
  Deno.test(`layerNorm = PyTorch's LayerNorm formula (${dtype}), the same in train and inference`, async () => {
    const features = 7;
    const eps = 1e-3;
    const model = layerNorm(features, { eps });
    const t = await compile(model, { loss: mse, batchSize: 8, dtype });
    const weight = Array.from({ length: features }, (_, j) => 0.5 + j / 4);
    const bias = Array.from({ length: features }, (_, j) => j / 10 - 0.3);
    t.setParams({ weight, bias });
    const x = data(5, features, 1);
    const want = layerNormReference(x, weight, bias, eps).flat();
    // f32: inputs of magnitude ≤ 6 normalized by σ ≥ 0.3 lose at most ~n·u·|x|/σ ≈ 1e-5.
    const tol = dtype === "f32" ? 5e-5 : 1e-12;
    assertClose(t.predict(x), want, tol, "predict");
    // The training step's forward pass (train mode) computes the same function.
    const graphs = buildGraphs(model, mse, sgd(), features, "f32");
    const trainForward = runF32(graphs.trainLoss, {
      x: x.flat(),
      y: new Array(5 * features).fill(0),
      weight,
      bias,
    }, 5);
    assertClose(trainForward.prediction, want, 5e-5, "train-mode forward");
  });
}

Deno.test("layerNorm without affine has no parameters; with them, PyTorch's names and initial values", async () => {
  const t = await compile(chain(dense(3, 4), layerNorm(4)), { loss: mse, batchSize: 2 });
  assert.deepEqual(Array.from(t.getParams()["1.weight"]), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(t.getParams()["1.bias"]), [0, 0, 0, 0]);
  const bare = await compile(chain(dense(3, 4), layerNorm(4, { affine: false })), {
    loss: mse,
    batchSize: 2,
  });
  assert.deepEqual(Object.keys(bare.getParams()), ["0.weight", "0.bias"]);
});

// --------------------------------------------------------------- batchNorm --

for (const dtype of ["f32", "f64"] as const) {
  Deno.test(`batchNorm = PyTorch's BatchNorm1d (${dtype}): training output, running statistics over partial batches, evaluation`, async () => {
    const features = 5;
    const eps = 1e-5;
    const momentum = 0.3;
    const model = batchNorm(features, { eps, momentum });
    const lr = 0.05;
    const t = await compile(model, {
      loss: mse,
      optimizer: sgd({ lr }),
      batchSize: 4,
      inputFeatures: features,
      dtype,
    });
    const ref = new BatchNorm1dReference(features, eps, momentum);
    // f32: the data's spread per feature is ≥ 0.15 next to means ≤ 4.5, so
    // normalization loses at most ~|μ|/σ·n·u ≈ 1e-5; f64 stays near 1e-13.
    const tol = dtype === "f32" ? 2e-5 : 1e-11;
    const x = data(10, features, 2);
    const targets = data(10, features, 3);
    let weight = Array.from(t.getParams().weight);
    let bias = Array.from(t.getParams().bias);
    // Two epochs in order: batches of 4, 4 and a partial one of 2, twice.
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let from = 0; from < 10; from += 4) {
        const xb = x.slice(from, from + 4);
        const yb = targets.slice(from, from + 4);
        // The training-mode output, through the compiled train-mode forward pass.
        const graphs = buildGraphs(model, mse, sgd(), features, "f32");
        const forward = runF32(graphs.trainLoss, {
          x: xb.flat(),
          y: yb.flat(),
          weight,
          bias,
          running_mean: ref.runningMean,
          running_var: ref.runningVar,
        }, xb.length).prediction;
        const trainOut = ref.train(xb, weight, bias);
        assertClose(forward, trainOut.flat(), 2e-5, `training output, batch at ${from}`);
        // The trainer's step: its loss is the MSE of that output.
        const loss = t.trainBatch(xb, yb);
        const wantLoss = trainOut.flat().reduce((a, v, i) => a + (v - yb.flat()[i]) ** 2, 0) /
          (xb.length * features);
        assert.ok(Math.abs(loss - wantLoss) <= tol * Math.max(1, wantLoss), `loss ${loss}`);
        const stats = t.getRunningStats();
        assertClose(stats.running_mean, ref.runningMean, tol, `running mean after ${from}`);
        assertClose(stats.running_var, ref.runningVar, tol, `running var after ${from}`);
        weight = Array.from(t.getParams().weight);
        bias = Array.from(t.getParams().bias);
      }
    }
    // Evaluation mode: running statistics, the trained weight and bias.
    const test = data(6, features, 4);
    assertClose(t.predict(test), ref.evaluate(test, weight, bias).flat(), tol, "predict");
    const evaluated = t.evaluate(test, test).loss;
    const out = ref.evaluate(test, weight, bias).flat();
    const wantLoss = out.reduce((a, v, i) => a + (v - test.flat()[i]) ** 2, 0) / out.length;
    assert.ok(Math.abs(evaluated - wantLoss) <= tol * Math.max(1, wantLoss), "evaluate");
  });
}

Deno.test("batchNorm: fit over a partial last batch matches the reference; statistics are saved, loaded and rolled back", async () => {
  const features = 3;
  const t = await compile(chain(batchNorm(features)), {
    loss: mse,
    optimizer: sgd({ lr: 0.01 }),
    batchSize: 4,
    inputFeatures: features,
  });
  const x = data(11, features, 5); // batches of 4, 4, 3
  t.fit(x, x, { epochs: 1, shuffle: false });
  const ref = new BatchNorm1dReference(features, 1e-5, 0.1);
  const ones = new Array(features).fill(1);
  const zeros = new Array(features).fill(0);
  for (const from of [0, 4, 8]) ref.train(x.slice(from, from + 4), ones, zeros);
  const stats = t.getRunningStats();
  assertClose(stats["0.running_mean"], ref.runningMean, 2e-6, "running mean");
  assertClose(stats["0.running_var"], ref.runningVar, 2e-6, "running var");
  const copy = await deserialize(serialize(t));
  assert.deepEqual(copy.getRunningStats(), stats);
  assert.deepEqual(copy.predict(x), t.predict(x));
  const state = t.trainingState();
  assert.ok("0.running_mean" in state.buffers && "0.running_var" in state.buffers);
  t.fit(x, x, { epochs: 1 });
  t.restoreTrainingState(state);
  assert.deepEqual(t.getRunningStats(), stats);
});

Deno.test("batchNorm: the optimizer never touches the running statistics", async () => {
  const t = await compile(chain(dense(2, 3), batchNorm(3)), {
    loss: mse,
    optimizer: sgd({ lr: 0.1, momentum: 0.9 }),
    batchSize: 4,
  });
  const names = Object.keys(t.trainingState().buffers);
  // Optimizer state exists for the parameters only (e.g. momentum_buffer/1.weight).
  assert.deepEqual(names.filter((n) => n.includes("running")), ["1.running_mean", "1.running_var"]);
  assert.ok(names.some((n) => n.endsWith("/1.weight")), `${names}`);
  assert.deepEqual(Object.keys(t.getParams()), ["0.weight", "0.bias", "1.weight", "1.bias"]);
  assert.deepEqual(Object.keys(t.getRunningStats()), ["1.running_mean", "1.running_var"]);
});

Deno.test("batchNorm needs two samples per training batch: typed errors, before any step", async () => {
  await assert.rejects(
    () => compile(batchNorm(2), { loss: mse, batchSize: 1, inputFeatures: 2 }),
    (e: Error) => e instanceof CompileError && /batchSize of at least 2/.test(e.message),
  );
  const t = await compile(batchNorm(2), { loss: mse, batchSize: 4, inputFeatures: 2 });
  assert.throws(() => t.trainBatch([[1, 2]], [[0, 0]]), InputError);
  const five = data(5, 2, 6);
  assert.throws(
    () => t.fit(five, five, { epochs: 1 }),
    (e: Error) => e instanceof InputError && /last batch of 5 samples .* 1 sample/.test(e.message),
  );
  assert.equal(t.steps, 0);
  // Inference takes any number of samples.
  assert.equal(t.predict([[1, 2]]).length, 2);
});

Deno.test("normalization layers reject bad options and inputs with typed errors", async () => {
  assert.throws(() => layerNorm(0), ShapeError);
  assert.throws(() => layerNorm(3, { eps: -1 }), ShapeError);
  assert.throws(() => batchNorm(3, { momentum: 2 }), ShapeError);
  await assert.rejects(
    () => compile(chain(dense(2, 5), batchNorm(4)), { loss: mse, batchSize: 4 }),
    (e: Error) =>
      e instanceof ShapeError && /"1" batchNorm\(4\) expects \[batch, 4\]/.test(e.message),
  );
  assert.throws(() => dropout(1.5), ShapeError);
  assert.throws(() => dropout(NaN), ShapeError);
});

Deno.test("second derivatives through normalization are refused with a CompileError", () => {
  const x = input("x", [4]);
  const [g] = grad((x) => sum(normalize(x)))(x);
  assert.throws(() => grad(() => sum(g))(x), CompileError);
});

// ----------------------------------------------------------------- dropout --

async function dropoutTrainer(seed: number, p = 0.5) {
  return await compile(chain(dense(6, 32), relu, dropout(p), dense(32, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 8,
    seed,
  });
}

const dx = data(20, 6, 7);
const dy = dx.map((_, i) => i % 3);

Deno.test("dropout: the same seed gives bit-identical training runs; another seed does not", async () => {
  const run = async (seed: number) => {
    const t = await dropoutTrainer(seed);
    const history = t.fit(dx, dy, { epochs: 3, seed: 1 });
    return { loss: history.loss, params: t.getParams() };
  };
  const a = await run(5);
  const b = await run(5);
  assert.deepEqual(a.loss, b.loss);
  assert.deepEqual(a.params, b.params);
  // Same initial parameters, other masks: seed 6 draws other parameters too,
  // so give it seed 5's; only the masks differ.
  const c = await dropoutTrainer(6);
  c.setParams((await dropoutTrainer(5)).getParams());
  const history = c.fit(dx, dy, { epochs: 3, seed: 1 });
  assert.notDeepEqual(history.loss, a.loss);
});

Deno.test("dropout: a saved and loaded trainer resumes with the same masks, bit for bit", async () => {
  const straight = await dropoutTrainer(9);
  straight.fit(dx, dy, { epochs: 3, seed: 2 });
  const first = await dropoutTrainer(9);
  first.fit(dx, dy, { epochs: 2, seed: 2 });
  const resumed = await deserialize(serialize(first));
  resumed.fit(dx, dy, { epochs: 1, seed: 2 });
  assert.deepEqual(resumed.getParams(), straight.getParams());
  assert.equal(resumed.steps, straight.steps);
});

Deno.test("dropout: predict and evaluate are deterministic and unscaled (the identity); training steps are not", async () => {
  const t = await dropoutTrainer(3);
  const plain = await compile(chain(dense(6, 32), relu, identity, dense(32, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 8,
  });
  plain.setParams(t.getParams());
  assert.deepEqual(t.predict(dx), plain.predict(dx));
  assert.deepEqual(t.predict(dx), t.predict(dx));
  assert.deepEqual(t.evaluate(dx, dy), plain.evaluate(dx, dy));
  // A training step does draw masks: its loss differs from the plain model's.
  const batch = dx.slice(0, 8);
  const labels = dy.slice(0, 8);
  assert.notEqual(t.trainBatch(batch, labels), plain.trainBatch(batch, labels));
});

// ------------------------------------------------------ residual, parallel --

Deno.test("residual: x + f(x) with f's parameters named in its place; parallel: branches side by side", async () => {
  const model = chain(
    dense(3, 4),
    residual(chain(dense(4, 4), tanh)),
    parallel(dense(4, 2), chain(dense(4, 3), relu)),
  );
  const t = await compile(model, { loss: mse, batchSize: 4, seed: 2 });
  const p = t.getParams();
  assert.deepEqual(Object.keys(p), [
    "0.weight",
    "0.bias",
    "1.0.weight",
    "1.0.bias",
    "2.0.weight",
    "2.0.bias",
    "2.1.0.weight",
    "2.1.0.bias",
  ]);
  const x = data(3, 3, 8);
  const affine = (v: number[], w: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(b, (bj, j) => v.reduce((a, vi, i) => a + vi * w[i * b.length + j], bj));
  const want = x.flatMap((row) => {
    const h = affine(row, p["0.weight"], p["0.bias"]);
    const r = affine(h, p["1.0.weight"], p["1.0.bias"]).map((v, j) => h[j] + Math.tanh(v));
    const a = affine(r, p["2.0.weight"], p["2.0.bias"]);
    const b = affine(r, p["2.1.0.weight"], p["2.1.0.bias"]).map((v) => Math.max(0, v));
    return [...a, ...b];
  });
  assertClose(t.predict(x), want, 1e-5 * Math.max(1, maxAbs(want)), "predict");
});

Deno.test("residual and parallel reject shapes that do not fit, naming the layer and the shapes", async () => {
  await assert.rejects(
    () => compile(chain(dense(3, 4), residual(dense(4, 5))), { loss: mse, batchSize: 2 }),
    (e: Error) =>
      e instanceof ShapeError &&
      /Residual block "1" .* f32\[batch,4\] became f32\[batch,5\]/.test(e.message),
  );
  await assert.rejects(
    () =>
      compile(chain(dense(3, 4), parallel(dense(4, 2), (x) => sum(x))), {
        loss: mse,
        batchSize: 2,
      }),
    (e: Error) => e instanceof ShapeError && /Branch 1/.test(e.message),
  );
  assert.throws(() => parallel(), ShapeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => residual(3 as any), ShapeError);
});

// ------------------------------------------------------------------- modes --

Deno.test("modes: the printed graphs mark what differs; a model without such layers traces the same in both", async () => {
  const t = await compile(chain(dense(3, 8), batchNorm(8), relu, dropout(0.2), dense(8, 2)), {
    loss: softmaxCrossEntropy,
    batchSize: 4,
  });
  const info = t.inspect();
  assert.match(info.trainGraph, /= dropout %\d+ %\d+ p=0.2 stream=\d+ \[train\]/);
  assert.match(info.trainGraph, /= normalize %\d+ axis=0 eps=0.00001 \[train\]/);
  assert.match(info.trainGraph, /update 1.running_mean <- %\d+/);
  assert.match(info.gradientGraph, /= normalizegrad %\d+ %\d+ axis=0 eps=0.00001 \[train\]/);
  assert.match(info.graph, /= div %\d+ %\d+ \[inference\]/); // running statistics
  assert.doesNotMatch(info.graph, /dropout|normalize|\[train\]/);
  const plain = buildGraphs(chain(dense(3, 8), relu, dense(8, 2)), mse, sgd(), 3, "f32");
  assert.equal(printGraph(plain.trainLoss), printGraph(plain.evaluate));
  assert.doesNotMatch(printGraph(plain.train), /\[(train|inference)\]/);
});

Deno.test("a dropout or batchNorm layer applied twice under one name is a CompileError", () => {
  const twice = (layer: Layer): Layer => ({
    kind: "layer",
    description: `twice(${layer.description})`,
    inputFeatures: 4,
    apply: (x, prefix, context) => layer.apply(layer.apply(x, prefix, context), prefix, context),
  });
  assert.throws(
    () => buildGraphs(twice(dropout(0.5)), mse, sgd(), 4, "f32"),
    (e: Error) => e instanceof CompileError && /same stream/.test(e.message),
  );
  assert.throws(
    () => buildGraphs(twice(batchNorm(4)), mse, sgd(), 4, "f32"),
    (e: Error) => e instanceof CompileError && /updated twice/.test(e.message),
  );
});

// ------------------------------------------ f32 steps vs the f64 interpreter --

/**
 * Three compiled f32 SGD-with-momentum training steps (batches of 5, 3 and 8:
 * partial and full)
 * against the f64 interpreter running the same training graph, each side
 * carrying its own parameters, optimizer state and running statistics; the
 * interpreter gets the random key the runtime writes (seed, step). (Not Adam:
 * it divides by √v, so a gradient that is 0 in exact arithmetic — a dense
 * bias before batch norm — turns rounding noise into full-size steps.)
 */
async function stepsAgree(model: Layer) {
  const optimizer = sgd({ lr: 0.1, momentum: 0.9 });
  const features = 6;
  const seed = 4;
  const trainer = await compile(model, {
    loss: softmaxCrossEntropy,
    optimizer,
    batchSize: 8,
    seed,
  });
  const params = trainer.getParams();
  const train = buildGraphs(model, softmaxCrossEntropy, optimizer, features, "f64").train;
  const state: Record<string, ArrayLike<number>> = { ...params, ...trainer.getRunningStats() };
  for (const node of train.nodes) {
    if (node.attrs.kind === "state") {
      state[node.attrs.name!] = new Float64Array(
        node.shape.reduce<number>((a, d) => a * (d as number), 1),
      );
    }
  }
  let offset = 0;
  for (const [t, batch] of [[1, 5], [2, 3], [3, 8]]) {
    const x = data(batch, features, 10 + t);
    const y = Array.from({ length: batch }, (_, i) => (offset + i) % 3);
    offset += batch;
    const loss = trainer.trainBatch(x, y);
    const bindings: Record<string, ArrayLike<number>> = {
      x: x.flat(),
      y,
      rng: [seed, t],
      ...state,
    };
    for (const [k, v] of Object.entries(optimizerScalars(optimizer, t, optimizer.lr))) {
      bindings[k] = [v];
    }
    const ref = interpret(train, bindings, batch);
    const refLoss = ref.outputs.loss[0];
    assert.ok(
      Math.abs(loss - refLoss) <= 1e-5 * Math.abs(refLoss),
      `step ${t}: ${loss} vs ${refLoss}`,
    );
    Object.assign(state, ref.updates);
  }
  const after = { ...trainer.getParams(), ...trainer.getRunningStats() };
  for (const [name, value] of Object.entries(after)) {
    // As in train_step_test.ts: 1e-5 of the largest magnitude, ~100 f32 ulps.
    const tol = 1e-5 * Math.max(1, maxAbs(state[name]));
    assert.ok(maxAbsDiff(value, state[name]) <= tol, `${name}: ${maxAbsDiff(value, state[name])}`);
  }
}

for (
  const [name, model] of [
    ["layerNorm", () => chain(dense(6, 12), layerNorm(12), tanh, dense(12, 3))],
    ["batchNorm", () => chain(dense(6, 12), batchNorm(12), relu, dense(12, 3))],
    ["dropout", () => chain(dense(6, 13), relu, dropout(0.3), dense(13, 3))],
    [
      "residual and parallel",
      () =>
        chain(
          dense(6, 8),
          residual(chain(dense(8, 8), tanh)),
          parallel(dense(8, 2), dense(8, 3)),
          dense(5, 3),
        ),
    ],
  ] as const
) {
  Deno.test(`f32 training steps = f64 interpreter with carried state: ${name}`, async () => {
    await stepsAgree(model());
  });
}

Deno.test("the standalone inference module of a model with batchNorm, layerNorm and dropout predicts as the trainer", async () => {
  const t = await compile(
    chain(dense(4, 8), batchNorm(8), relu, dropout(0.3), layerNorm(8), dense(8, 3)),
    { loss: softmaxCrossEntropy, batchSize: 8, seed: 2 },
  );
  const x = data(16, 4, 9);
  t.fit(x, x.map((_, i) => i % 3), { epochs: 3 });
  const dir = await Deno.makeTempDir({ prefix: "mlpc-layers-" });
  try {
    const written = await exportInference(t, dir);
    const { predict } = await import(`file://${written.modulePath}`);
    // The running statistics travel with the parameters: bit for bit.
    assert.deepEqual(predict(x), t.predict(x));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("safetensors files carry batch norm's running statistics, under PyTorch's names", async () => {
  const make = () =>
    compile(chain(dense(3, 4), batchNorm(4), relu, dense(4, 2)), {
      loss: mse,
      batchSize: 4,
      seed: 3,
    });
  const a = await make();
  const x = data(8, 3, 10);
  a.fit(x, x.map((r) => [r[0], r[1]]), { epochs: 2 });
  for (const layout of ["mlpc", "torch"] as const) {
    const bytes = toSafetensors(a, { layout });
    const b = await make();
    fromSafetensors(b, bytes);
    assert.deepEqual(b.getRunningStats(), a.getRunningStats(), layout);
    assert.deepEqual(b.predict(x), a.predict(x), layout);
  }
});

Deno.test("a saved model with every layer keeps its graphs: lowering them again gives the same module; inspection lists the running statistics", async () => {
  const t = await compile(
    chain(
      dense(4, 8),
      batchNorm(8),
      relu,
      dropout(0.3),
      residual(chain(layerNorm(8), dense(8, 8))),
      parallel(dense(8, 2), dense(8, 3)),
      dense(5, 3),
    ),
    { loss: softmaxCrossEntropy, batchSize: 8, seed: 2 },
  );
  const loaded = await deserialize(serialize(t));
  const found = inspectModel(loaded);
  assert.equal(found.reproduced, true);
  assert.match(found.summary, /running statistics/);
});
