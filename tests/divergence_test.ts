// Non-finite state never escapes: a step whose loss, or any parameter or
// optimizer-state value it wrote, is not finite is undone (parameters AND
// optimizer state) before one DivergenceError leaves; the error carries the
// epochs completed before and says how to continue; afterwards the trainer is
// fully usable (fit, trainingState/restoreTrainingState, setParams, save).
// The twins below never saw the bad data: the diverged trainer must continue
// exactly as they do, bit for bit.
import assert from "node:assert/strict";
import {
  adam,
  batchNorm,
  chain,
  compile,
  dense,
  deserialize,
  DivergenceError,
  type History,
  InputError,
  load,
  mse,
  save,
  serialize,
  sgd,
  tanh,
  type Trainer,
  type TrainingState,
} from "../mod.ts";
import { instantiate } from "../runtime/trainer.ts";
import { lowerAgain } from "../compiler/driver/lower_again.ts";

function allFinite(state: TrainingState): boolean {
  return Object.values(state.buffers).every((b) => Array.from(b).every(Number.isFinite));
}

function assertSameState(a: TrainingState, b: TrainingState): void {
  assert.equal(a.step, b.step);
  assert.equal(a.epoch, b.epoch);
  assert.deepEqual(Object.keys(a.buffers).sort(), Object.keys(b.buffers).sort());
  for (const name of Object.keys(a.buffers)) {
    assert.deepEqual(Array.from(a.buffers[name]), Array.from(b.buffers[name]), name);
  }
}

const lr1e38 = () =>
  compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 1e38 }), batchSize: 1, seed: 1 });

Deno.test("the last update overflowing (SGD lr 1e38, one step) is caught, undone and reported", async () => {
  const t = await lr1e38();
  const before = t.trainingState();
  const x = [[1]];
  const y = [[100]];
  // The loss before the update is finite (about 1e4); only the update overflows.
  assert.ok(Number.isFinite(t.evaluate(x, y).loss));
  let error: unknown;
  try {
    t.fit(x, y, { epochs: 1 });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof DivergenceError, String(error));
  assert.match(error.reason, /^parameter "(weight|bias)" \(-?Infinity at element 0\)$/);
  assert.equal(error.step, 1);
  assert.equal(error.restoredStep, 0);
  assert.deepEqual(error.history, {
    loss: [],
    valLoss: [],
    metrics: {},
    lr: [],
    stepLr: [],
    seconds: [],
    stopReason: "diverged",
  });
  assert.match(error.message, /epoch 1 of this fit/);
  assert.match(error.message, /restored to the last good state, step 0/);
  assert.match(error.message, /To continue, lower the learning rate/);
  // Restored exactly, parameters and counters.
  assertSameState(t.trainingState(), before);
  // Usable: the same fit fails the same way (not with an InputError from a
  // rollback), state can be taken and restored, and it saves and loads.
  assert.throws(() => t.fit(x, y, { epochs: 2 }), DivergenceError);
  assert.throws(() => t.trainBatch(x, y), DivergenceError);
  assertSameState(t.trainingState(), before);
  t.restoreTrainingState(t.trainingState());
  t.setParams(t.getParams());
  const copy = await deserialize(serialize(t));
  assert.deepEqual(copy.predict(x), t.predict(x));
  // And it continues as the message says: with a lower learning rate it
  // trains exactly like a twin that never diverged.
  const twin = await lr1e38();
  t.learningRate = twin.learningRate = 0.05;
  const h = t.fit(x, y, { epochs: 20 });
  assert.deepEqual(h.loss, twin.fit(x, y, { epochs: 20 }).loss);
  assert.ok(h.loss[19] < h.loss[0] / 10);
  assertSameState(t.trainingState(), twin.trainingState());
});

Deno.test("a divergence in a later epoch keeps the epochs completed before in the error's history", async () => {
  // SGD at lr 1.5 on one sample: the error grows fivefold per step until the loss overflows.
  const make = () =>
    compile(dense(1, 1), { loss: mse, optimizer: sgd({ lr: 1.5 }), batchSize: 1, seed: 4 });
  const t = await make();
  const x = [[1]];
  const y = [[0.5]];
  let error: unknown;
  try {
    t.fit(x, y, { epochs: 1000 });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof DivergenceError, String(error));
  // The reference: a twin fitted one epoch at a time until it diverges.
  const twin = await make();
  const losses: number[] = [];
  let twinState = twin.trainingState();
  for (;;) {
    try {
      losses.push(twin.fit(x, y, { epochs: 1 }).loss[0]);
      twinState = twin.trainingState();
    } catch (e) {
      assert.ok(e instanceof DivergenceError);
      break;
    }
  }
  assert.ok(losses.length > 10, `${losses.length} epochs before divergence`);
  assert.deepEqual(error.history?.loss, losses);
  assert.equal(error.history?.seconds.length, losses.length);
  // Every per-epoch and per-step record stops at the last completed epoch.
  const history = error.history as History;
  assert.equal(history.lr.length, losses.length);
  assert.equal(history.stepLr.length, losses.length); // one step per epoch
  assert.equal(history.stopReason, "diverged");
  assert.equal(error.step, losses.length + 1); // one step per epoch
  assert.equal(error.restoredStep, losses.length);
  assert.match(error.message, new RegExp(`epoch ${losses.length + 1} of this fit`));
  assert.match(error.message, new RegExp(`holds the ${losses.length} epochs completed before`));
  assertSameState(t.trainingState(), twinState);
});

/** A small Adam regressor, its good data, and a batch whose gradient squares overflow f32. */
function adamCase() {
  const make = () =>
    compile(chain(dense(2, 4), tanh, dense(4, 1)), {
      loss: mse,
      optimizer: adam({ lr: 0.01 }),
      batchSize: 4,
      seed: 7,
    });
  const x = [[0.5, -1], [1, 0.25], [-0.5, 0.5], [0, 1], [1, 1], [-1, 0]];
  const y = x.map(([a, b]) => [a - 0.5 * b]);
  // A target of 1e19: the loss (~1e38) is finite, the gradient's square is not.
  const bad = { x: [[1, 1]], y: [[1e19]] };
  return { make, x, y, bad };
}

Deno.test("Adam after a divergence: the moments are restored with the parameters, and training continues like a twin's", async () => {
  const { make, x, y, bad } = adamCase();
  const t = await make();
  const twin = await make();
  t.fit(x, y, { epochs: 2, seed: 1 });
  twin.fit(x, y, { epochs: 2, seed: 1 });
  const before = t.trainingState();
  let error: unknown;
  try {
    t.trainBatch(bad.x, bad.y);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof DivergenceError, String(error));
  // The loss was finite: the compiled step's own check found the state.
  assert.match(error.reason, /^optimizer state "exp_avg_sq\/[^"]+" \(Infinity at element \d+\)$/);
  assert.equal(error.history, undefined);
  assert.equal(error.restoredStep, before.step);
  assertSameState(t.trainingState(), before);
  // setParams keeps the (finite, restored) optimizer state; the twin does the same.
  const good = twin.getParams();
  t.setParams(good);
  twin.setParams(good);
  const h = t.fit(x, y, { epochs: 3, seed: 2 });
  const ht = twin.fit(x, y, { epochs: 3, seed: 2 });
  assert.ok(h.loss.every(Number.isFinite));
  assert.deepEqual(h.loss, ht.loss);
  assertSameState(t.trainingState(), twin.trainingState());
});

Deno.test("restoreTrainingState after a divergence: the current and an earlier state both restore", async () => {
  const { make, x, y, bad } = adamCase();
  const t = await make();
  const start = t.trainingState();
  t.fit(x, y, { epochs: 1, seed: 1 });
  assert.throws(() => t.trainBatch(bad.x, bad.y), DivergenceError);
  const now = t.trainingState();
  assert.ok(allFinite(now));
  t.restoreTrainingState(now);
  assertSameState(t.trainingState(), now);
  t.restoreTrainingState(start);
  assertSameState(t.trainingState(), start);
  // It continues from there exactly as a fresh twin does.
  const twin = await make();
  assert.deepEqual(
    t.fit(x, y, { epochs: 2, seed: 3 }).loss,
    twin.fit(x, y, { epochs: 2, seed: 3 }).loss,
  );
  assertSameState(t.trainingState(), twin.trainingState());
});

Deno.test("fit after a trainBatch divergence trains like a twin that never saw the batch", async () => {
  const { make, x, y, bad } = adamCase();
  const t = await make();
  const twin = await make();
  assert.throws(
    () => t.trainBatch(bad.x, bad.y),
    (e: Error) => e instanceof DivergenceError && !(e instanceof InputError),
  );
  const h = t.fit(x, y, { epochs: 4, seed: 5 });
  assert.deepEqual(h.loss, twin.fit(x, y, { epochs: 4, seed: 5 }).loss);
  assertSameState(t.trainingState(), twin.trainingState());
  assert.ok(h.loss[3] < h.loss[0]);
});

/** A trainer compiled without the step's non-finite check: only the loss is watched. */
async function unchecked(t: Trainer): Promise<Trainer> {
  return await instantiate(lowerAgain(t.artifact, { finiteCheck: false }), { seed: 1 });
}

Deno.test("without the compiled check, the overflowing last update would escape; save refuses it, writing nothing", async () => {
  const t = await unchecked(await lr1e38());
  // The loss before the update is finite, so the loss alone cannot see it.
  const h = t.fit([[1]], [[100]], { epochs: 1 });
  assert.ok(Number.isFinite(h.loss[0]));
  assert.ok(!allFinite(t.trainingState()));
  assert.throws(
    () => serialize(t),
    (e: Error) =>
      e instanceof DivergenceError &&
      /parameter "(weight|bias)" \(-?Infinity at element 0\)/.test(e.message) &&
      /nothing was written/.test(e.message),
  );
  const dir = await Deno.makeTempDir();
  const path = `${dir}/model.json`;
  try {
    await assert.rejects(() => save(t, path), DivergenceError);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    // A good state saves, and what is saved loads.
    t.setParams({ weight: [0.5], bias: [0] });
    await save(t, path);
    assert.deepEqual(Array.from((await load(path)).getParams().weight), [0.5]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("batch norm's running statistics are restored with the parameters", async () => {
  const make = () =>
    compile(chain(dense(2, 3), batchNorm(3), tanh, dense(3, 1)), {
      loss: mse,
      optimizer: adam({ lr: 0.01 }),
      batchSize: 4,
      seed: 2,
    });
  const t = await make();
  const twin = await make();
  const x = [[0.5, -1], [1, 0.25], [-0.5, 0.5], [0, 1]];
  const y = [[0.2], [-0.3], [0.4], [0.1]];
  t.trainBatch(x, y);
  twin.trainBatch(x, y);
  const before = t.trainingState();
  // Inputs of 1e30: the batch's variance overflows f32.
  assert.throws(() => t.trainBatch([[1e30, -1e30], [-1e30, 1e30]], [[0], [0]]), DivergenceError);
  assertSameState(t.trainingState(), before);
  assert.deepEqual(t.getRunningStats(), twin.getRunningStats());
  t.trainBatch(x, y);
  twin.trainBatch(x, y);
  assertSameState(t.trainingState(), twin.trainingState());
});
