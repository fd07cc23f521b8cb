// Save and load: a saved model predicts the same, and training resumes
// exactly where it stopped (parameters, optimizer state and step count all
// restored); bad files give typed errors; a save is never half-written.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  adam,
  ArtifactError,
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
import { writeFileAtomic } from "../runtime/write_atomic.ts";
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

Deno.test("a save is written whole or not at all: replaced by a rename, and a write that breaks off changes nothing", async () => {
  const t = await compile(chain(dense(3, 4), tanh, dense(4, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.01 }),
    batchSize: 4,
    seed: 2,
  });
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/model.json`;
    await save(t, path);
    const first = await Deno.readTextFile(path);
    // A reader that opened the old file (here: a second name of it) keeps
    // seeing the old file whole while the new one is written: the new file
    // is a new inode renamed over the name, not the old one rewritten in place.
    await Deno.link(path, `${dir}/reader.json`);
    t.trainBatch(x.slice(0, 4), labels.slice(0, 4));
    await save(t, path);
    assert.equal(await Deno.readTextFile(`${dir}/reader.json`), first);
    assert.equal((await load(`${dir}/reader.json`)).steps, 0);
    assert.equal((await load(path)).steps, 1);
    assert.notEqual((await Deno.stat(path)).ino, (await Deno.stat(`${dir}/reader.json`)).ino);

    // A write whose data break off half-way (a failing stream, as a full disk
    // would fail it) leaves the old file as it was and no temporary file.
    const bytes = new TextEncoder().encode(serialize(t));
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, bytes.length >> 1));
        controller.error(new Error("the data broke off"));
      },
    });
    const before = await Deno.readTextFile(path);
    await assert.rejects(() => writeFileAtomic(path, broken), /the data broke off/);
    assert.equal(await Deno.readTextFile(path), before);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "model.json",
      "reader.json",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated or corrupted file is refused with an ArtifactError, or loads as exactly what was saved (fast-check)", async () => {
  const t = await compile(chain(dense(3, 4), relu, dense(4, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.01 }),
    batchSize: 4,
    seed: 3,
  });
  t.fit(x, labels, { epochs: 1 });
  const text = serialize(t);
  const typed = (what: string) => (e: Error) => {
    assert.ok(e instanceof ArtifactError, `${what}: ${e.name}: ${e.message}`);
    return true;
  };
  // Every cut, at the start, the end, and at random: the file is not JSON.
  const cuts = [
    0,
    1,
    text.length - 1,
    ...fc.sample(fc.nat(text.length - 1), { seed: SEED, numRuns: 40 }),
  ];
  for (const cut of cuts) {
    await assert.rejects(() => deserialize(text.slice(0, cut)), typed(`cut at ${cut}`));
  }
  // One changed character anywhere: refused (the checksum, the JSON or the
  // format rules), or — a change JSON does not see, such as 1e-7 → 1E-7 —
  // the very same model.
  await fc.assert(
    fc.asyncProperty(
      fc.nat(text.length - 1),
      fc.constantFrom(...'0123456789abcdefABCDEF+/="{}[],:.-eE '.split("")),
      async (at, c) => {
        fc.pre(text[at] !== c);
        const corrupted = text.slice(0, at) + c + text.slice(at + 1);
        let loaded;
        try {
          loaded = await deserialize(corrupted);
        } catch (e) {
          typed(`"${c}" at ${at}`)(e as Error);
          return;
        }
        assert.equal(serialize(loaded), text, `"${c}" at ${at} loaded as another model`);
      },
    ),
    { seed: SEED, numRuns: 120 },
  );
  // And from disk: the error names the file.
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/model.json`;
    await Deno.writeTextFile(path, text.slice(0, text.length >> 1));
    await assert.rejects(
      () => load(path),
      (e: Error) =>
        e instanceof ArtifactError && e.message.startsWith(`${path}: Not a saved mlpc model`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
