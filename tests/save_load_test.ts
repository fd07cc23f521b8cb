// Save and load: a saved model predicts the same, and training resumes
// exactly where it stopped (parameters, optimizer state and step count all
// restored); bad files give typed errors; a save is never half-written.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  adam,
  chain,
  compile,
  dense,
  deserialize,
  InputError,
  load,
  mse,
  relu,
  save,
  serialize,
  sgd,
  softmaxCrossEntropy,
  tanh,
} from "../mod.ts";
import { resign, SEED } from "./helpers.ts";

const x = Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 3) - 1]);
const labels = x.map((_, i) => i % 3);

Deno.test("a saved and loaded model predicts the same and resumes training bit for bit", async () => {
  const make = () =>
    compile(chain(dense(3, 8), relu, dense(8, 3)), {
      loss: softmaxCrossEntropy,
      optimizer: adam({ lr: 0.01 }),
      batchSize: 4,
      seed: 2,
    });
  const a = await make();
  a.fit(x, labels, { epochs: 3, seed: 1 });
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await save(a, path);
    const b = await load(path);
    assert.equal(b.steps, a.steps);
    assert.deepEqual(b.predict(x), a.predict(x));
    const ha = a.fit(x, labels, { epochs: 2, seed: 9 });
    const hb = b.fit(x, labels, { epochs: 2, seed: 9 });
    assert.deepEqual(hb.loss, ha.loss);
    assert.deepEqual(b.getParams(), a.getParams());
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("serialize/deserialize round-trips random models exactly", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        hidden: fc.integer({ min: 1, max: 9 }),
        momentum: fc.boolean(),
        steps: fc.integer({ min: 0, max: 3 }),
      }),
      async ({ hidden, momentum, steps }) => {
        const t = await compile(chain(dense(3, hidden), tanh, dense(hidden, 2)), {
          loss: mse,
          optimizer: sgd({ lr: 0.05, momentum: momentum ? 0.9 : 0 }),
          batchSize: 5,
        });
        const y = x.map((r) => [r[0] * r[1], r[2]]);
        for (let s = 0; s < steps; s++) t.trainBatch(x.slice(0, 5), y.slice(0, 5));
        const copy = await deserialize(serialize(t));
        assert.deepEqual(copy.trainingState(), t.trainingState());
        assert.deepEqual(copy.predict(x), t.predict(x));
      },
    ),
    { seed: SEED, numRuns: 20 },
  );
});

Deno.test("bad saved files are rejected with typed errors, and nothing is half-written", async () => {
  await assert.rejects(
    () => deserialize("not json"),
    (e: Error) => e instanceof InputError && /not JSON/.test(e.message),
  );
  await assert.rejects(
    () => deserialize('{"format":"other"}'),
    (e: Error) => e instanceof InputError && /Not a saved mlpc model/.test(e.message),
  );
  const t = await compile(dense(3, 1), { loss: mse, batchSize: 2 });
  const saved = JSON.parse(serialize(t));
  saved.buffers.weight = btoa("\0\0\0\0"); // one value where three are needed
  await assert.rejects(
    () => deserialize(resign(saved)),
    (e: Error) =>
      e instanceof InputError &&
      /buffer of "weight" \[3,1\] holds 8 base64 characters; its 12 bytes take 16/.test(e.message),
  );

  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/model.json`;
    await save(t, path);
    const before = await Deno.readTextFile(path);
    // A save over an existing file replaces it whole, leaving no temporary file.
    t.trainBatch([[1, 2, 3]], [[1]]);
    await save(t, path);
    const after = await Deno.readTextFile(path);
    assert.notEqual(after, before);
    assert.equal((await deserialize(after)).steps, 1);
    // A save whose final rename fails (the target is a non-empty directory)
    // leaves the target as it was and removes its temporary file.
    const blocked = `${dir}/blocked`;
    await Deno.mkdir(blocked);
    await Deno.writeTextFile(`${blocked}/keep.txt`, "kept");
    await assert.rejects(() => save(t, blocked));
    assert.equal(await Deno.readTextFile(`${blocked}/keep.txt`), "kept");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "blocked",
      "model.json",
    ]);
    assert.equal(await Deno.readTextFile(path), after);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
