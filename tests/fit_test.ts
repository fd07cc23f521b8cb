// fit: the stopping criteria (early stopping against an independent reading
// of Keras's definition on scripted validation curves, restoreBest bit for
// bit, a target value, callbacks and abort signals), validation data and the
// deterministic stratified split, per-fit batch sizes, sample and class
// weights against a plain-number weighted loss, and strict options.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  adam,
  binaryCrossEntropyWithLogits,
  chain,
  compile,
  CompileError,
  dense,
  InputError,
  mse,
  relu,
  sgd,
  softmaxCrossEntropy,
  type Trainer,
} from "../mod.ts";
import { SEED } from "./helpers.ts";

/**
 * The epoch (from 1) at which early stopping ends training, read from Keras's
 * definition: an epoch improves when best − value > minDelta; training stops
 * once `patience` epochs in a row have not improved (never after the first).
 * `stopped` is false when the curve ends first.
 */
function kerasStop(curve: number[], minDelta: number, patience: number) {
  let best = Infinity;
  let epochsWithout = 0;
  for (let e = 0; e < curve.length; e++) {
    if (best - curve[e] > minDelta) {
      best = curve[e];
      epochsWithout = 0;
    } else {
      epochsWithout++;
      if (epochsWithout >= patience && e > 0) return { epoch: e + 1, stopped: true };
    }
  }
  return { epoch: curve.length, stopped: false };
}

function bestEpochOf(curve: number[], minDelta: number, upTo: number): number {
  let best = Infinity;
  let at = 0;
  for (let e = 0; e < upTo; e++) {
    if (best - curve[e] > minDelta) {
      best = curve[e];
      at = e + 1;
    }
  }
  return at;
}

/**
 * A trainer whose validation loss at the end of epoch e is exactly
 * `biases[e−1]²`: mse of y = w·0 + b against 0, learning rate 0 (training
 * changes nothing), and onEpoch setting the next epoch's bias.
 */
async function scripted(): Promise<Trainer> {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 1,
    dtype: "f64",
  });
  t.learningRate = 0;
  return t;
}

Deno.test("early stopping stops at exactly the epoch Keras's minDelta/patience definition gives", async () => {
  const t = await scripted();
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 14 }),
      fc.constantFrom(0, 1e-3, 0.01, 0.05),
      fc.integer({ min: 0, max: 4 }),
      (raw, minDelta, patience) => {
        const biases = raw.map((v) => v / 1000);
        const curve = biases.map((b) => b * b);
        t.setParams({ weight: [0], bias: [biases[0]] });
        const h = t.fit([[0]], [[0]], {
          epochs: curve.length,
          validationData: { x: [[0]], y: [[0]] },
          earlyStopping: { minDelta, patience },
          onEpoch: ({ epoch }) => {
            if (epoch < biases.length) t.setParams({ weight: [0], bias: [biases[epoch]] });
          },
        });
        assert.deepEqual(h.valLoss, curve.slice(0, h.valLoss.length)); // the script was followed
        const stop = kerasStop(curve, minDelta, patience);
        const what = `curve ${curve}, minDelta ${minDelta}, patience ${patience}`;
        assert.equal(h.valLoss.length, stop.epoch, what);
        assert.equal(h.stopReason, stop.stopped ? "earlyStopping" : "epochs", what);
        assert.equal(h.bestEpoch, bestEpochOf(curve, minDelta, stop.epoch));
      },
    ),
    { seed: SEED, numRuns: 150 },
  );
});

Deno.test("a hand-scripted curve: improvements below minDelta count as waiting", async () => {
  const t = await scripted();
  //              1  2     3      4     5      6    7
  const biases = [1, 0.75, 0.745, 0.74, 0.739, 0.5, 0.49];
  // Squares: 1, .5625, .555025, .5476, .546121, .25, .2401. With minDelta 0.02, epochs 3, 4
  // and 5 are below the best (.5625) by less than 0.02 (.0075, .0149, .0164): patience 3
  // stops at epoch 5, though each of them is lower than the one before.
  t.setParams({ weight: [0], bias: [biases[0]] });
  const kept: Record<string, Float64Array>[] = [];
  const h = t.fit([[0]], [[0]], {
    epochs: 7,
    validationData: [[[0]], [[0]]],
    earlyStopping: { monitor: "valLoss", minDelta: 0.02, patience: 3, restoreBest: true },
    onEpoch: ({ epoch }) => {
      kept.push(t.getParams() as Record<string, Float64Array>);
      if (epoch < biases.length) t.setParams({ weight: [0], bias: [biases[epoch]] });
    },
  });
  assert.equal(h.valLoss.length, 5);
  assert.equal(h.stopReason, "earlyStopping");
  assert.equal(h.bestEpoch, 2);
  assert.equal(h.restoredEpoch, 2);
  assert.equal(t.getParams().bias[0], 0.75); // epoch 2's parameters, not the last ones
});

Deno.test("restoreBest puts back the best epoch's parameters bit for bit after real training", async () => {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 120; i++) {
    const a = Math.sin(i * 1.7);
    const b = Math.cos(i * 0.3);
    x.push([a, b]);
    y.push(a * b > 0 ? 1 : 0);
  }
  const t = await compile(chain(dense(2, 16), relu, dense(16, 2)), {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.05 }),
    batchSize: 16,
    seed: 3,
  });
  const kept: Record<string, Float32Array | Float64Array>[] = [];
  const h = t.fit(x, y, {
    epochs: 40,
    validationSplit: 0.25,
    earlyStopping: { monitor: "valLoss", patience: 4, restoreBest: true },
    onEpoch: () => {
      kept.push(t.getParams());
    },
  });
  assert.ok(
    h.bestEpoch !== undefined && h.bestEpoch < h.loss.length,
    `best ${h.bestEpoch} of ${h.loss.length}`,
  );
  const best = kept[h.bestEpoch - 1];
  for (const [name, values] of Object.entries(t.getParams())) {
    assert.ok(
      values.every((v, i) => Object.is(v, best[name][i])),
      `${name} differs from epoch ${h.bestEpoch}'s`,
    );
  }
  const last = kept[kept.length - 1];
  assert.ok(Object.entries(last).some(([n, v]) => v.some((e, i) => e !== t.getParams()[n][i])));
});

Deno.test("a target value stops training as soon as it is reached", async () => {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 4,
    seed: 1,
  });
  const xs = [[0], [1], [2], [3]];
  const ys = [[1], [3], [5], [7]];
  const h = t.fit(xs, ys, { epochs: 500, target: { monitor: "loss", value: 0.01 } });
  assert.equal(h.stopReason, "target");
  assert.ok(h.loss[h.loss.length - 1] <= 0.01);
  assert.ok(h.loss.slice(0, -1).every((l) => l > 0.01));
  assert.ok(h.loss.length < 500);
});

Deno.test('callbacks returning "stop" and abort signals end training', async () => {
  const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.01 }), batchSize: 2 });
  const xs = [[0], [1], [2], [3], [4], [5]];
  const ys = xs.map(([v]) => [2 * v]);
  let h = t.fit(xs, ys, {
    epochs: 5,
    onBatch: ({ epoch, batch }) => (epoch === 2 && batch === 2 ? "stop" : undefined),
  });
  assert.equal(h.stopReason, "callback");
  assert.equal(h.loss.length, 2); // the interrupted epoch is recorded over the batches it ran
  assert.equal(t.steps, 5);
  h = t.fit(xs, ys, { epochs: 10, onEpoch: ({ epoch }) => (epoch === 3 ? "stop" : undefined) });
  assert.deepEqual([h.stopReason, h.loss.length], ["callback", 3]);
  const controller = new AbortController();
  // Aborted during the first batch: training stops before the second.
  h = t.fit(xs, ys, { epochs: 10, signal: controller.signal, onBatch: () => controller.abort() });
  assert.deepEqual([h.stopReason, h.loss.length, h.stepLr.length], ["aborted", 1, 1]);
  // fitAsync lets a timer abort a long run.
  const timed = new AbortController();
  setTimeout(() => timed.abort(), 30);
  h = await t.fitAsync(xs, ys, { epochs: 1_000_000, signal: timed.signal });
  assert.equal(h.stopReason, "aborted");
  assert.ok(h.loss.length < 1_000_000);
});

Deno.test("batchSize per fit, up to the compiled size", async () => {
  const t = await compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 0.01 }), batchSize: 6 });
  const xs = [[0], [1], [2], [3], [4]];
  const ys = xs.map(([v]) => [v]);
  const sizes: number[] = [];
  t.fit(xs, ys, { batchSize: 2, onBatch: ({ size }) => void sizes.push(size) });
  assert.deepEqual(sizes, [2, 2, 1]);
  assert.throws(
    () => t.fit(xs, ys, { batchSize: 7 }),
    (e: Error) =>
      e instanceof InputError &&
      /fit option batchSize must be an integer ≥ 1 and ≤ 6, got 7/.test(e.message),
  );
});

Deno.test("validationSplit: before shuffling, per class, the same every time", async () => {
  // Classes in blocks (a sorted file): 10 of class 0, 6 of class 1, 4 of class 2.
  const y = [...Array(10).fill(0), ...Array(6).fill(1), ...Array(4).fill(2)];
  const x = y.map((c, i) => [c + 0.1 * i, Math.cos(i)]);
  // Expected: the last ⌊0.25·n_c⌋ samples of each class: 2, 1 and 1.
  const heldOut = [8, 9, 15, 19];
  const kept = y.map((_, i) => i).filter((i) => !heldOut.includes(i));
  const make = () =>
    compile(chain(dense(2, 4), relu, dense(4, 3)), {
      loss: softmaxCrossEntropy,
      optimizer: sgd({ lr: 0.1 }),
      batchSize: 4,
      seed: 2,
      dtype: "f64",
    });
  const a = await make();
  const h = a.fit(x, y, { epochs: 2, seed: 5, validationSplit: 0.25 });
  const b = await make();
  const pick = (rows: number[]) => ({ x: rows.map((i) => x[i]), y: rows.map((i) => y[i]) });
  const hb = b.fit(pick(kept).x, pick(kept).y, {
    epochs: 2,
    seed: 5,
    validationData: pick(heldOut),
  });
  assert.deepEqual(h.valLoss, hb.valLoss);
  assert.deepEqual(h.loss, hb.loss);
  assert.deepEqual(a.getParams(), b.getParams());
  assert.equal(h.valLoss[1], a.evaluate(pick(heldOut).x, pick(heldOut).y).loss);
  assert.deepEqual(Object.keys(h.metrics).filter((k) => k.startsWith("val")).slice(0, 2), [
    "valAccuracy",
    "valPrecisionMacro",
  ]);
  // Binary cross-entropy with one output is stratified on targets ≥ 0.5; regression takes the last samples.
  const r = await compile(dense(2, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 4,
    dtype: "f64",
  });
  const rh = r.fit(x, y.map((v) => [v]), { epochs: 1, validationSplit: 0.2 });
  assert.equal(rh.valLoss[0], r.evaluate(x.slice(16), y.slice(16).map((v) => [v])).loss);
  assert.throws(
    () => r.fit(x.slice(0, 3), [[0], [1], [2]], { validationSplit: 0.2 }),
    (e: Error) => e instanceof InputError && /leaves 0 for validation/.test(e.message),
  );
});

Deno.test("history: per-epoch train and validation loss and metrics, and the learning rate", async () => {
  const t = await compile(dense(2, 1), {
    loss: binaryCrossEntropyWithLogits,
    optimizer: sgd({ lr: 0.5 }),
    batchSize: 8,
    dtype: "f64",
  });
  const x = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
  const y = x.map(([a]) => [a > 0 ? 1 : 0]);
  const h = t.fit(x, y, { epochs: 3, validationData: { x, y } });
  for (
    const key of [
      "accuracy",
      "f1Macro",
      "rocAuc",
      "sensitivity",
      "valAccuracy",
      "valRocAuc",
      "valSpecificity",
    ]
  ) {
    assert.equal(h.metrics[key]?.length, 3, key);
  }
  assert.deepEqual(h.lr, [0.5, 0.5, 0.5]);
  assert.equal(h.valLoss.length, 3);
  // The last epoch's validation values are what evaluate says after training.
  const e = t.evaluate(x, y);
  assert.equal(h.valLoss[2], e.loss);
  assert.equal(h.metrics.valRocAuc[2], e.rocAuc);
});

Deno.test("sampleWeight and classWeight weight each sample's loss: mean(wᵢ·ℓᵢ)", async () => {
  const make = () =>
    compile(dense(1, 1), {
      loss: mse,
      optimizer: sgd({ lr: 0.1 }),
      batchSize: 4,
      dtype: "f64",
      sampleWeights: true,
      seed: 1,
    });
  const xs = [[0.5], [-1], [2], [1]];
  const ys = [[1], [0], [2], [-1]];
  const w = [1, 0.5, 3, 0];
  const t = await make();
  const { weight: [w0], bias: [b0] } = t.getParams();
  const h = t.fit(xs, ys, { epochs: 1, shuffle: false, sampleWeight: w });
  // Plain numbers: L = ¼ Σ wᵢ (w0·xᵢ + b0 − yᵢ)², one SGD step on its gradient.
  let loss = 0;
  let gw = 0;
  let gb = 0;
  xs.forEach(([v], i) => {
    const r = w0 * v + b0 - ys[i][0];
    loss += (w[i] * r * r) / 4;
    gw += (w[i] * 2 * r * v) / 4;
    gb += (w[i] * 2 * r) / 4;
  });
  assert.ok(Math.abs(h.loss[0] - loss) < 1e-14);
  assert.ok(Math.abs(t.getParams().weight[0] - (w0 - 0.1 * gw)) < 1e-14);
  assert.ok(Math.abs(t.getParams().bias[0] - (b0 - 0.1 * gb)) < 1e-14);
  // Without weights the loss is the plain mean (wᵢ = 1).
  const plain = await make();
  const unweighted = plain.fit(xs, ys, { epochs: 1, shuffle: false }).loss[0];
  const mean = xs.reduce((s, [v], i) => s + (w0 * v + b0 - ys[i][0]) ** 2, 0) / 4;
  assert.ok(Math.abs(unweighted - mean) < 1e-14);

  // classWeight is sampleWeight by class: the same bits.
  const c = async () =>
    await compile(dense(2, 3), {
      loss: softmaxCrossEntropy,
      optimizer: sgd({ lr: 0.1 }),
      batchSize: 4,
      sampleWeights: true,
      seed: 1,
    });
  const cx = [[1, 0], [0, 1], [1, 1], [0, 0], [2, 1]];
  const cy = [0, 1, 2, 1, 0];
  const byClass = await c();
  byClass.fit(cx, cy, { epochs: 3, classWeight: { 1: 4, 2: 0.5 } });
  const bySample = await c();
  bySample.fit(cx, cy, { epochs: 3, sampleWeight: cy.map((k) => [1, 4, 0.5][k]) });
  assert.deepEqual(byClass.getParams(), bySample.getParams());
  const unweightedModel = await compile(dense(1, 1), { loss: mse, batchSize: 4 });
  assert.throws(
    () => unweightedModel.fit(xs, ys, { sampleWeight: w }),
    (e: Error) =>
      e instanceof InputError && /compile\(model, \{ …, sampleWeights: true \}\)/.test(e.message),
  );
  assert.throws(
    () => t.fit(xs, ys, { classWeight: { 0: 2 } }),
    (e: Error) => e instanceof InputError && /classWeight needs a classifier/.test(e.message),
  );
  assert.throws(
    () => byClass.fit(cx, cy, { classWeight: { 3: 2 } }),
    (e: Error) =>
      e instanceof InputError && /weight for class 3, but the classes are 0..2/.test(e.message),
  );
});

Deno.test("strict options and data: each mistake is a typed error saying what was expected", async () => {
  const t = await compile(dense(2, 3), { loss: softmaxCrossEntropy, batchSize: 4 });
  const x = [[1, 2], [3, 4]];
  const y = [0, 2];
  const cases: [() => unknown, RegExp][] = [
    [
      () => t.fit(x, y, { batchsize: 32 } as never),
      /Unknown fit option "batchsize": did you mean "batchSize"\? The fit options are epochs, batchSize/,
    ],
    [
      () => t.fit(x, y, { validation_split: 0.2 } as never),
      /Unknown fit option "validation_split"/,
    ],
    [
      () => t.fit(x, y, { epochs: "10" } as never),
      /fit option epochs must be an integer ≥ 0, got the string "10"/,
    ],
    [() => t.fit(x, y, { verbose: 3 } as never), /fit option verbose must be 0, 1 or 2, got 3/],
    [
      () => t.fit(x, y, { validationSplit: 1.5 }),
      /validationSplit must be a number > 0 and ≤ 1, got 1.5/,
    ],
    [
      () => t.fit(x, y, { shuffle: "yes" } as never),
      /fit option shuffle must be a boolean, got the string "yes"/,
    ],
    [() => t.fit(x, y, { onEpoch: 3 } as never), /fit option onEpoch must be a function, got 3/],
    [
      () => t.fit(x, y, { earlyStopping: { patients: 3 } } as never),
      /Unknown earlyStopping option "patients": did you mean "patience"\?/,
    ],
    [
      () => t.fit(x, y, { earlyStopping: { monitor: "valLoss" } }),
      /earlyStopping monitors "valLoss", which this fit does not record: fit has no validation data/,
    ],
    [
      () => t.fit(x, y, { earlyStopping: { monitor: "acc" } }),
      /monitors "acc", which this fit does not record\. It records loss, accuracy/,
    ],
    [
      () => t.fit(x, y, { validationData: [x] } as never),
      /validationData must be \{ x, y \} or \[x, y\]/,
    ],
    [() => t.fit(x, y, { schedule: "cosine" } as never), /fit option schedule must be a schedule/],
    [
      () => t.fit([["1", 2], [3, 4]] as never, y),
      /x must hold numbers, but has the string "1" \(a numeric string\) at row 0, column 0/,
    ],
    [
      () => t.fit(x, ["class_0", "class_2"] as never),
      /y has the string "class_0" at index 0: labels must be numbers, integer class ids 0\.\.2\. To use class names, map them to ids first: readCsv/,
    ],
    [
      () => t.fit(x, ["0", "2"] as never),
      /y has the numeric string "0" at index 0: labels must be numbers, not strings/,
    ],
    [
      () => t.fit(x, [0, 1.5]),
      /Label 1.5 at index 1 is not an integer: class labels must be integer class ids 0\.\.2/,
    ],
    [() => t.evaluate(x, y, { topK: 0 }), /evaluate option topK must be an integer ≥ 1, got 0/],
  ];
  for (const [run, message] of cases) {
    assert.throws(
      run,
      (e: Error) => e instanceof InputError && message.test(e.message),
      String(message),
    );
  }
  await assert.rejects(
    () => compile(dense(2, 1), { loss: mse, batchsize: 4 } as never),
    (e: Error) =>
      e instanceof CompileError &&
      /Unknown compile option "batchsize": did you mean "batchSize"\?/.test(e.message),
  );
  assert.equal(t.steps, 0); // nothing trained on bad input
});
