// The seed's stopping criteria — "a maximum number of epochs, or a minimum
// change in the error" — on the training error itself (no validation data, so
// early stopping watches `loss`), against plain-number gradient descent and an
// independent reading of Keras's EarlyStopping; early stopping in mode "max"
// (exact integer curves, so no rounding decides a case); restoreBest when the
// maximum number of epochs ends training.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { compile, dense, InputError, mse, sgd } from "../mod.ts";
import { EarlyStopping } from "../runtime/stopping.ts";
import { SEED } from "./helpers.ts";

const xs = [[0.5], [-1], [2], [0.25], [1.5], [-0.75], [1]];
// y = 3x − 1 plus a fixed disturbance, so the error levels off above 0.
const noise = [0.3, -0.2, 0.1, -0.4, 0.25, 0.15, -0.1];
const ys = xs.map(([v], i) => [3 * v - 1 + noise[i]]);

/**
 * Full-batch gradient descent on y = w·x + b under the mean squared error,
 * as plain numbers: the error of each epoch is measured before its step
 * (what a training step reports), then w ← w − lr·∂E/∂w, b ← b − lr·∂E/∂b.
 */
function gradientDescent(w: number, b: number, lr: number, epochs: number): number[] {
  const errors: number[] = [];
  const n = xs.length;
  for (let e = 0; e < epochs; e++) {
    let error = 0;
    let gw = 0;
    let gb = 0;
    xs.forEach(([v], i) => {
      const r = w * v + b - ys[i][0];
      error += (r * r) / n;
      gw += (2 * r * v) / n;
      gb += (2 * r) / n;
    });
    errors.push(error);
    w -= lr * gw;
    b -= lr * gb;
  }
  return errors;
}

/**
 * Keras's EarlyStopping, read from its documentation: "stop training when a
 * monitored metric has stopped improving"; an improvement is a change of more
 * than min_delta in the monitored direction; training stops after `patience`
 * epochs with no improvement (never after the first epoch). Returns the
 * 1-based epoch training ends at, or 0 when the curve ends first, and the
 * 1-based best epoch up to there.
 */
function kerasEarlyStopping(
  curve: readonly number[],
  minDelta: number,
  patience: number,
  mode: "min" | "max",
): { stopAt: number; bestEpoch: number } {
  const sign = mode === "min" ? 1 : -1;
  let best = Infinity; // in "sign" units: lower is better
  let bestEpoch = 0;
  let without = 0;
  for (let e = 0; e < curve.length; e++) {
    const v = sign * curve[e];
    if (best - v > Math.abs(minDelta)) {
      best = v;
      bestEpoch = e + 1;
      without = 0;
    } else {
      without++;
      if (without >= patience && e >= 1) return { stopAt: e + 1, bestEpoch };
    }
  }
  return { stopAt: 0, bestEpoch };
}

Deno.test("the seed's criterion: gradient descent until the error changes by less than minDelta", async () => {
  const lr = 0.05;
  const minDelta = 1e-3;
  const patience = 2;
  const make = async () => {
    const t = await compile(dense(1, 1), {
      loss: mse,
      optimizer: sgd({ lr }),
      batchSize: xs.length,
      dtype: "f64",
      seed: 7,
    });
    return t;
  };
  const t = await make();
  const { weight: [w0], bias: [b0] } = t.getParams();
  const maxEpochs = 500;
  const curve = gradientDescent(w0, b0, lr, maxEpochs);
  const want = kerasEarlyStopping(curve, minDelta, patience, "min");
  // The test means something only if the error was still falling when it stopped, well before
  // the maximum, and if no epoch's change sits so near minDelta that rounding could decide it.
  assert.ok(want.stopAt > 5 && want.stopAt < maxEpochs, `stops at ${want.stopAt}`);
  assert.ok(curve[want.stopAt - 1] < curve[want.stopAt - 2], "the error still falls at the stop");
  let best = Infinity;
  for (let e = 0; e < want.stopAt; e++) {
    assert.ok(Math.abs(best - curve[e] - minDelta) > 1e-9, `epoch ${e + 1} is too near minDelta`);
    best = Math.min(best, curve[e]);
  }

  const h = t.fit(xs, ys, {
    epochs: maxEpochs,
    shuffle: false,
    earlyStopping: { minDelta, patience }, // monitor: the training loss (no validation data)
  });
  assert.equal(h.stopReason, "earlyStopping");
  assert.equal(h.loss.length, want.stopAt);
  assert.equal(h.bestEpoch, want.bestEpoch);
  h.loss.forEach((v, e) =>
    assert.ok(Math.abs(v - curve[e]) <= 1e-12 * curve[e], `epoch ${e + 1}: ${v} vs ${curve[e]}`)
  );
  // In the seed's words: the error of the best epoch (the last that changed it by more than
  // minDelta) was followed by `patience` epochs each changing it by less than minDelta.
  assert.equal(h.bestEpoch, h.loss.length - patience);
  const bestError = h.loss[h.bestEpoch! - 1];
  for (const e of h.loss.slice(h.bestEpoch)) assert.ok(bestError - e <= minDelta);

  // The maximum number of epochs holds first when it comes first.
  const u = await make();
  const capped = u.fit(xs, ys, {
    epochs: want.stopAt - 1,
    shuffle: false,
    earlyStopping: { minDelta, patience },
  });
  assert.equal(capped.stopReason, "epochs");
  assert.equal(capped.loss.length, want.stopAt - 1);
  // Without early stopping, `epochs` alone is the criterion.
  const v = await make();
  const plain = v.fit(xs, ys, { epochs: 9, shuffle: false });
  assert.deepEqual([plain.stopReason, plain.loss.length], ["epochs", 9]);
});

Deno.test("EarlyStopping in modes min and max, on exact integer curves", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 16 }),
      fc.constantFrom(0, 1, 2, -2),
      fc.integer({ min: 0, max: 4 }),
      fc.constantFrom<"min" | "max">("min", "max"),
      (curve, minDelta, patience, mode) => {
        const s = new EarlyStopping({ minDelta, patience, mode }, "loss");
        let stopAt = 0;
        for (let e = 0; e < curve.length && stopAt === 0; e++) {
          if (s.update(curve[e])) stopAt = e + 1;
        }
        const want = kerasEarlyStopping(curve, minDelta, patience, mode);
        assert.equal(stopAt, want.stopAt);
        assert.equal(s.bestEpoch, want.bestEpoch);
      },
    ),
    { seed: SEED, numRuns: 500 },
  );
  // A hand case in mode max: 1, 3, 3.5, 4, 4.2 with minDelta 1 and patience 2: 3.5 and 4 improve
  // on 3 by ≤ 1, so training stops at epoch 4 with epoch 2 the best.
  const s = new EarlyStopping({ monitor: "valAccuracy", minDelta: 1, patience: 2 }, "loss");
  assert.equal(s.mode, "max"); // "auto" for an accuracy
  assert.deepEqual([1, 3, 3.5, 4].map((v) => s.update(v)), [false, false, false, true]);
  assert.equal(s.bestEpoch, 2);
  assert.throws(
    () => new EarlyStopping({ mode: "up" as never }, "loss"),
    (e: Error) =>
      e instanceof InputError &&
      /earlyStopping option mode must be "min", "max" or "auto", got the string "up"/.test(
        e.message,
      ),
  );
  assert.throws(
    () => new EarlyStopping({ patience: 1.5 }, "loss"),
    (e: Error) => e instanceof InputError && /earlyStopping option patience/.test(e.message),
  );
  assert.throws(
    () => new EarlyStopping({ restoreBest: "yes" as never }, "loss"),
    (e: Error) =>
      e instanceof InputError &&
      /restoreBest must be a boolean, got the string "yes"/.test(e.message),
  );
});

/**
 * A trainer whose validation loss at the end of epoch e is exactly
 * `biases[e−1]²`: learning rate 0, mse of b against 0, and onEpoch setting
 * the next epoch's bias.
 */
async function scripted(biases: number[]) {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 1,
    dtype: "f64",
  });
  t.learningRate = 0;
  t.setParams({ weight: [0], bias: [biases[0]] });
  const options = {
    validationData: { x: [[0]], y: [[0]] },
    onEpoch: ({ epoch }: { epoch: number }) => {
      if (epoch < biases.length) t.setParams({ weight: [0], bias: [biases[epoch]] });
    },
  };
  return { t, options };
}

Deno.test("fit passes mode max through; restoreBest also restores when the maximum ends training", async () => {
  // Mode max on valLoss (squares): 0.01, 0.25, 0.36, 0.3025, 0.64 with minDelta 0.2, patience 2:
  // epoch 2 improves by 0.24, epochs 3 (by 0.11) and 4 do not: stop at 4, best epoch 2.
  const a = await scripted([0.1, 0.5, 0.6, 0.55, 0.8]);
  const ha = a.t.fit([[0]], [[0]], {
    ...a.options,
    epochs: 5,
    earlyStopping: { mode: "max", minDelta: 0.2, patience: 2, restoreBest: true },
  });
  assert.deepEqual([ha.stopReason, ha.valLoss.length, ha.bestEpoch], ["earlyStopping", 4, 2]);
  assert.equal(a.t.getParams().bias[0], 0.5);
  // The maximum (3 epochs) comes before patience runs out: the best epoch's parameters are
  // still put back at the end.
  const b = await scripted([0.5, 0.1, 0.3]);
  const hb = b.t.fit([[0]], [[0]], {
    ...b.options,
    epochs: 3,
    earlyStopping: { patience: 5, restoreBest: true },
  });
  assert.deepEqual([hb.stopReason, hb.bestEpoch, hb.restoredEpoch], ["epochs", 2, 2]);
  assert.equal(b.t.getParams().bias[0], 0.1);
});
