// Model inputs beyond one dense matrix, end to end through compile, fit,
// evaluate, predict, trainBatch and save/load:
//
// - embeddingBag over token lists learns a task only the tokens decide, and
//   its training step touches only the rows of the ids in the batch (the
//   other rows of the table stay bit for bit, under SGD and Adam), with no
//   buffer of batch × vocab elements in the memory plan;
// - one training step equals a plain-number implementation of PyTorch's
//   EmbeddingBag(mean) → Linear → cross-entropy → SGD, at f64;
// - token lists given as lists, { ids, offsets }, { ids, offsets,
//   includeLastOffset } and { padded, lengths } are the same data;
// - sparse rows into dense = the same dense layer on the dense matrix (a
//   bag-of-words logistic regression), for predictions and trained weights;
// - named inputs (functional models), save/load with the signature, the
//   capacity rules, and every data mistake is a typed error naming the input,
//   the row, the position and the value.
import assert from "node:assert/strict";
import {
  adam,
  chain,
  compile,
  concat,
  dense,
  deserialize,
  embedding,
  embeddingBag,
  functional,
  relu,
  serialize,
  sgd,
  softmaxCrossEntropy,
  sparse,
  type Tensor,
  type TokenBags,
  tokenIds,
  tokens,
} from "../mod.ts";
import { ArtifactError, CompileError, InputError, ShapeError } from "../core/errors.ts";
import { exportOnnx } from "../interchange/onnx.ts";
import { inferenceModule } from "../interchange/standalone.ts";
import { fromSafetensors, toSafetensors } from "../interchange/safetensors.ts";
import { resign, uniformStream } from "./helpers.ts";

/** Token lists whose class is which of three marker ids (0, 1, 2) they hold; the rest is noise. */
function markerTask(samples: number, vocab: number, seed: number) {
  const next = uniformStream(seed);
  const lines: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < samples; i++) {
    const label = i % 3;
    const length = 1 + Math.floor(next() * 6);
    const line = Array.from({ length }, () => 3 + Math.floor(next() * (vocab - 3)));
    line[Math.floor(next() * length)] = label;
    lines.push(line);
    labels.push(label);
  }
  return { lines, labels };
}

Deno.test("embeddingBag over token lists learns a task only the tokens decide", async () => {
  const { lines, labels } = markerTask(240, 200, 1);
  const trainer = await compile(chain(embeddingBag(200, 16), relu, dense(16, 3)), {
    inputs: tokens({ maxTokens: 16 * 6 }),
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.05 }),
    batchSize: 16,
    seed: 3,
  });
  trainer.fit(lines, labels, { epochs: 15, seed: 1 });
  const test = markerTask(90, 200, 2);
  assert.ok(trainer.evaluate(test.lines, test.labels).accuracy! > 0.95);
});

Deno.test("a training step changes only the table rows of the ids in the batch; no batch × vocab buffer", async () => {
  const vocab = 5000;
  const dim = 8;
  for (const optimizer of [sgd({ lr: 0.5 }), adam({ lr: 0.1 })]) {
    const trainer = await compile(chain(embeddingBag(vocab, dim), dense(dim, 2)), {
      inputs: tokens({ maxTokens: 32 }),
      loss: softmaxCrossEntropy,
      optimizer,
      batchSize: 16,
    });
    const before = trainer.getParams()["0.weight"];
    const batch = [[7, 4999, 7], [], [123], [0, 7]];
    trainer.trainBatch(batch, [0, 1, 1, 0]);
    const after = trainer.getParams()["0.weight"];
    const used = new Set(batch.flat());
    for (let r = 0; r < vocab; r++) {
      const changed = after.subarray(r * dim, (r + 1) * dim).some((v, j) =>
        !Object.is(v, before[r * dim + j])
      );
      assert.equal(changed, used.has(r), `row ${r} (${optimizer.kind})`);
    }
    // The memory plan: the largest buffers are the table and its gradient
    // (vocab × dim); a batch × vocab matrix (16 × 5000 × 4 bytes) would be twice that.
    const plan = trainer.inspect().memoryPlan;
    const sizes = [...plan.matchAll(/\+(\d+)/g)].map((m) => Number(m[1]));
    assert.ok(sizes.length > 5);
    assert.equal(Math.max(...sizes), vocab * dim * 4, plan);
    assert.ok(trainer.artifact.memoryBytes < 16 * vocab * 4 + 6 * vocab * dim * 4);
  }
});

Deno.test("one SGD step of EmbeddingBag(mean) → Linear → cross-entropy = PyTorch's formulas, written out (f64)", async () => {
  const vocab = 6;
  const dim = 3;
  const classes = 2;
  const trainer = await compile(chain(embeddingBag(vocab, dim), dense(dim, classes)), {
    inputs: tokens({ maxTokens: 8 }),
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 0.3 }),
    batchSize: 3,
    dtype: "f64",
  });
  const table = Array.from({ length: vocab * dim }, (_, i) => Math.sin(i + 1));
  const w = Array.from({ length: dim * classes }, (_, i) => Math.cos(i + 2));
  const b = [0.1, -0.2];
  trainer.setParams({ "0.weight": table, "1.weight": w, "1.bias": b });
  const bags = [[1, 4, 1], [], [5]];
  const y = [1, 0, 1];
  const loss = trainer.trainBatch(bags, y);
  // Forward: h = mean of the bag's rows (zeros for an empty bag), z = h·W + b.
  const h = bags.map((bag) =>
    Array.from(
      { length: dim },
      (_, j) =>
        bag.length === 0 ? 0 : bag.reduce((s, id) => s + table[id * dim + j], 0) / bag.length,
    )
  );
  const z = h.map((row) =>
    Array.from(
      { length: classes },
      (_, c) => b[c] + row.reduce((s, v, j) => s + v * w[j * classes + c], 0),
    )
  );
  const p = z.map((row) => {
    const e = row.map(Math.exp);
    const total = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / total);
  });
  const expectedLoss = -p.reduce((s, row, i) => s + Math.log(row[y[i]]), 0) / bags.length;
  assert.ok(Math.abs(loss - expectedLoss) < 1e-12, `${loss} vs ${expectedLoss}`);
  // Backward: dz = (p − onehot)/n; dh = dz·Wᵀ; each id of a bag gets dh/|bag|.
  const dz = p.map((row, i) => row.map((v, c) => (v - (c === y[i] ? 1 : 0)) / bags.length));
  const dTable = new Array(vocab * dim).fill(0);
  bags.forEach((bag, i) => {
    for (const id of bag) {
      for (let j = 0; j < dim; j++) {
        const dh = dz[i].reduce((s, v, c) => s + v * w[j * classes + c], 0);
        dTable[id * dim + j] += dh / bag.length;
      }
    }
  });
  const after = trainer.getParams()["0.weight"];
  for (let i = 0; i < table.length; i++) {
    assert.ok(Math.abs(after[i] - (table[i] - 0.3 * dTable[i])) < 1e-12, `table[${i}]`);
  }
});

Deno.test("token lists as lists, { ids, offsets }, includeLastOffset and { padded, lengths } are the same data", async () => {
  const trainer = await compile(chain(embeddingBag(20, 4, { pool: "sum" }), dense(4, 2)), {
    inputs: tokens({ maxTokens: 10 }),
    loss: softmaxCrossEntropy,
    batchSize: 2,
  });
  const lists = [[3, 1], [], [19, 0, 0], [5]];
  const expected = [...trainer.predict(lists)];
  const forms = [
    { ids: [3, 1, 19, 0, 0, 5], offsets: [0, 2, 2, 5] },
    { ids: Int32Array.of(3, 1, 19, 0, 0, 5), offsets: [0, 2, 2, 5, 6], includeLastOffset: true },
    { padded: [[3, 1, 9], [7, 7, 7], [19, 0, 0], [5, 2, 2]], lengths: [2, 0, 3, 1] },
    {
      padded: { data: [3, 1, 9, 7, 7, 7, 19, 0, 0, 5, 2, 2], shape: [4, 3] },
      lengths: [2, 0, 3, 1],
    },
  ];
  for (const form of forms) assert.deepEqual([...trainer.predict(form)], expected);
  // The empty bag pools to zeros: its logits are the bias.
  const bias = trainer.getParams()["1.bias"];
  assert.deepEqual(expected.slice(2, 4), [...bias]);
});

Deno.test("sparse rows into dense = the same dense layer on the dense matrix (predictions, trained weights)", async () => {
  const features = 30;
  const next = uniformStream(9);
  const rows = Array.from({ length: 11 }, () => {
    const columns = [
      ...new Set(
        Array.from({ length: 1 + Math.floor(next() * 5) }, () => Math.floor(next() * features)),
      ),
    ];
    return { columns, values: columns.map(() => Math.round(next() * 8) / 4) };
  });
  const denseRows = rows.map((r) => {
    const row = new Array(features).fill(0);
    r.columns.forEach((c, k) => (row[c] = r.values[k]));
    return row;
  });
  const y = rows.map((_, i) => i % 3);
  const options = {
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 0.2, momentum: 0.9 }),
    batchSize: 4,
    dtype: "f64" as const,
    seed: 5,
  };
  const viaSparse = await compile(dense(features, 3), {
    ...options,
    inputs: sparse({ features, maxNonZeros: 20 }),
  });
  const viaDense = await compile(dense(features, 3), options);
  const x = { values: rows.map((r) => r.values), columns: rows.map((r) => r.columns) };
  const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a).every((v, i) => Math.abs(v - b[i]) < 1e-12);
  assert.ok(close(viaSparse.predict(x), viaDense.predict(denseRows)));
  viaSparse.fit(x, y, { epochs: 5, seed: 2 });
  viaDense.fit(denseRows, y, { epochs: 5, seed: 2 });
  const [a, b] = [viaSparse.getParams(), viaDense.getParams()];
  assert.ok(close(a.weight, b.weight) && close(a.bias, b.bias));
  assert.ok(close(viaSparse.predict(x), viaDense.predict(denseRows)));
});

Deno.test("named inputs: a functional model of token lists and numeric features; save/load keeps the signature", async () => {
  const model = functional((x: { text: TokenBags; numeric: Tensor }, layer) => {
    const words = layer("text", embeddingBag(40, 6), x.text);
    return layer("head", chain(dense(6 + 2, 8), relu, dense(8, 2)), concat(words, x.numeric));
  });
  const trainer = await compile(model, {
    inputs: { text: tokens({ maxTokens: 24 }), numeric: 2 },
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.02 }),
    batchSize: 4,
  });
  assert.deepEqual(Object.keys(trainer.getParams()), [
    "text.weight",
    "head.0.weight",
    "head.0.bias",
    "head.2.weight",
    "head.2.bias",
  ]);
  const data = {
    text: [[1, 2], [3], [], [39, 39, 5], [7]],
    numeric: [[0, 1], [1, 0], [0.5, 0.5], [2, -1], [0, 0]],
  };
  const y = [0, 1, 0, 1, 1];
  trainer.fit(data, y, { epochs: 3, seed: 4 });
  const copy = await deserialize(serialize(trainer));
  assert.deepEqual(copy.artifact.inputs, trainer.artifact.inputs);
  assert.deepEqual([...copy.predict(data)], [...trainer.predict(data)]);
  // Resumed training continues exactly as the original would.
  trainer.fit(data, y, { epochs: 2, seed: 4 });
  copy.fit(data, y, { epochs: 2, seed: 4 });
  assert.deepEqual([...copy.predict(data)], [...trainer.predict(data)]);
  // Exporters refuse what they cannot translate, naming it.
  assert.throws(() => exportOnnx(trainer), /token input "text".*dense input "numeric"/s);
  assert.throws(() => inferenceModule(trainer), CompileError);
  assert.throws(
    () => toSafetensors(trainer, { layout: "torch" }),
    /reads "text": use layout "mlpc"/,
  );
  // mlpc's own safetensors layout carries the weights of every input's layers.
  const fresh = await compile(model, {
    inputs: { text: tokens({ maxTokens: 24 }), numeric: 2 },
    loss: softmaxCrossEntropy,
    batchSize: 4,
  });
  fromSafetensors(fresh, toSafetensors(trainer));
  assert.deepEqual([...fresh.predict(data)], [...trainer.predict(data)]);
});

Deno.test("a saved model whose input signature was edited is refused on load, naming the rule", async () => {
  const model = functional((x: { text: TokenBags; numeric: Tensor }, layer) =>
    layer("head", dense(6 + 2, 2), concat(layer("text", embeddingBag(40, 6), x.text), x.numeric))
  );
  const trainer = await compile(model, {
    inputs: { text: tokens({ maxTokens: 24 }), numeric: 2 },
    loss: softmaxCrossEntropy,
    batchSize: 4,
  });
  // deno-lint-ignore no-explicit-any
  const good: Record<string, any> = JSON.parse(serialize(trainer));
  const signature = good.artifact.inputs;
  assert.deepEqual(signature.inputs.map((e: { kind: string }) => e.kind), ["tokens", "dense"]);
  await deserialize(resign(good)); // re-signing alone changes nothing
  // deno-lint-ignore no-explicit-any
  const edit = (change: (s: Record<string, any>) => void) => {
    const copy = structuredClone(good);
    change(copy);
    return resign(copy);
  };
  const cases: [string, string, RegExp][] = [
    [
      "a larger token capacity than the buffer",
      edit((s) => (s.artifact.inputs.inputs[0].maxTokens = 25)),
      /slot "text.ids" has the shape \[24\], but the token input "text" \(≤ 25 ids .* needs \[25\]/,
    ],
    [
      "more numeric features than the buffer",
      edit((s) => (s.artifact.inputs.inputs[1].features = 3)),
      /slot "numeric" has the shape \[batch,2\], but the dense input "numeric" \(3 features\) needs \[batch,3\]/,
    ],
    [
      "an input kind changed (token lists read as sparse rows)",
      edit((s) => (s.artifact.inputs.inputs[0] = {
        kind: "sparse",
        name: "text",
        features: 40,
        maxNonZeros: 24,
      })),
      /data slot "text.ids" belongs to no input/,
    ],
    [
      "an unknown kind",
      edit((s) => (s.artifact.inputs.inputs[0].kind = "images")),
      /the input .*"images".* is malformed/,
    ],
    [
      "a vocabulary past 2²⁴",
      edit((s) => (s.artifact.inputs.inputs[0].vocab = 2 ** 24 + 1)),
      /is malformed \(sizes are integers in 1\.\.16777216\)/,
    ],
    [
      "two inputs with one name",
      edit((s) => (s.artifact.inputs.inputs[1].name = "text")),
      /two inputs are named "text"/,
    ],
    [
      "the record flag dropped",
      edit((s) => (s.artifact.inputs.record = false)),
      /must list one input, or several named ones/,
    ],
    [
      "the signature removed (then a dense x of inputFeatures)",
      edit((s) => delete s.artifact.inputs),
      /inputFeatures 0 is not a positive integer/,
    ],
    [
      "inputFeatures set beside a signature",
      edit((s) => (s.artifact.inputFeatures = 8)),
      /inputFeatures is 8, but a model with an input signature has 0/,
    ],
  ];
  for (const [what, text, pattern] of cases) {
    await assert.rejects(() => deserialize(text), (e: Error) => {
      assert.ok(e instanceof ArtifactError, `${what}: ${e}`);
      assert.match(e.message, pattern, what);
      return true;
    });
  }
});

Deno.test("embedding over fixed-length token ids: rows side by side, trained through a scatter-add", async () => {
  const trainer = await compile(chain(embedding(12, 3), dense(2 * 3, 2)), {
    inputs: tokenIds({ length: 2 }),
    loss: softmaxCrossEntropy,
    optimizer: sgd({ lr: 1 }),
    batchSize: 4,
    dtype: "f64",
  });
  const table = trainer.getParams()["0.weight"];
  const w = trainer.getParams()["1.weight"];
  const bias = trainer.getParams()["1.bias"];
  const ids = [[4, 11], [4, 4]];
  const p = trainer.predict(ids);
  ids.forEach((pair, i) => {
    for (let c = 0; c < 2; c++) {
      let z = bias[c];
      pair.forEach((id, l) => {
        for (let j = 0; j < 3; j++) z += table[id * 3 + j] * w[(l * 3 + j) * 2 + c];
      });
      assert.ok(Math.abs(p[i * 2 + c] - z) < 1e-12);
    }
  });
  trainer.trainBatch(ids, [0, 1]);
  const after = trainer.getParams()["0.weight"];
  for (let r = 0; r < 12; r++) {
    const changed = [0, 1, 2].some((j) => after[r * 3 + j] !== table[r * 3 + j]);
    assert.equal(changed, r === 4 || r === 11, `row ${r}`);
  }
  // Ragged rows, ids out of range or not integers: typed errors naming row and value.
  const cases: [unknown, RegExp][] = [
    [[[1, 2], [3]], /token-id input "x" \(2 ids per sample, vocabulary 12\).*row 1 of x has 1/],
    [[[1, 2, 3]], /row 0 of x has 3/],
    [[[1, 2], [3, 12]], /token id 12 at row 1, position 1: it is out of range \(.*0\.\.11/],
    [[[1, 2.5]], /token id 2\.5 at row 0, position 1: ids must be integers/],
    [[[1, NaN]], /non-finite value NaN at row 0, column 1/],
  ];
  for (const [data, message] of cases) {
    assert.throws(
      () => trainer.predict(data as never),
      (e) => e instanceof InputError && message.test(e.message),
      String(message),
    );
  }
});

Deno.test("capacity: fit refuses a batch size whose longest batch would not fit; evaluate and predict split", async () => {
  const trainer = await compile(chain(embeddingBag(10, 2), dense(2, 2)), {
    inputs: tokens({ maxTokens: 6 }),
    loss: softmaxCrossEntropy,
    batchSize: 3,
  });
  const lines = [[1, 2, 3], [4], [5, 6, 7], [8, 9], [1]];
  const y = [0, 1, 0, 1, 0];
  assert.throws(
    () => trainer.fit(lines, y),
    (e) =>
      e instanceof InputError &&
      /can hold up to 8 ids \(its 3 longest samples\), more than the compiled maxTokens 6: compile with maxTokens: 8 \(or more\), or use batchSize ≤ 2/
        .test(e.message),
  );
  trainer.fit(lines, y, { batchSize: 2, epochs: 2 });
  // predict splits calls at the capacity: the same as one sample at a time.
  const together = [...trainer.predict(lines)];
  const oneByOne = lines.flatMap((line) => [...trainer.predict([line])]);
  assert.deepEqual(together, oneByOne);
  assert.ok(Number.isFinite(trainer.evaluate(lines, y).loss));
  assert.throws(
    () => trainer.trainBatch([[1, 2, 3], [4, 5, 6, 7]], [0, 1]),
    (e) =>
      e instanceof InputError &&
      /holds 7 ids .* more than the compiled maxTokens 6/.test(e.message),
  );
  assert.throws(
    () => trainer.predict([[1, 2, 3, 4, 5, 6, 7]]),
    (e) =>
      e instanceof InputError && /sample 0 has 7 ids, more than one batch holds/.test(e.message),
  );
});

Deno.test("data mistakes are typed errors naming the input, the row, the position and the value", async () => {
  const trainer = await compile(
    functional((
      x: { text: TokenBags; bow: Parameters<ReturnType<typeof dense>["apply"]>[0] },
      layer,
    ) => concat(layer("text", embeddingBag(10, 2), x.text), layer("bow", dense(8, 2), x.bow))),
    {
      inputs: { text: tokens({ maxTokens: 16 }), bow: sparse({ features: 8, maxNonZeros: 16 }) },
      loss: softmaxCrossEntropy,
      batchSize: 2,
    },
  );
  const bow = { values: [1, 2], columns: [0, 7], offsets: [0, 1] };
  const good = { text: [[1], [2]], bow };
  assert.equal(trainer.predict(good).length, 8);
  const cases: [unknown, RegExp][] = [
    [
      { text: [[1], [2, 10]], bow },
      /x\.text: token id 10 at row 1, position 1 \(ids\[2\]\): it is out of range \(ids are integers 0\.\.9/,
    ],
    [{ text: [[1.5], [2]], bow }, /token id 1\.5 at row 0, position 0.*ids must be integers/],
    [{ text: [[-1], [2]], bow }, /token id -1 at row 0/],
    [{ text: [["3"], [2]], bow }, /token id the string "3".*ids must be numbers/],
    [
      { text: { ids: [1, 2], offsets: [1, 2] }, bow },
      /offsets\[0\] is 1: the first sample starts at position 0/,
    ],
    [{ text: { ids: [1, 2], offsets: [0, 3] }, bow }, /offsets\[1\] = 3 is beyond the 2 ids/],
    [
      { text: { ids: [1, 2], offsets: [0, 1, 1], includeLastOffset: true }, bow },
      /ends at 1 with includeLastOffset, but there are 2 ids/,
    ],
    [
      { text: { padded: [[1, 2], [3, 4]], lengths: [2, 3] }, bow },
      /lengths\[1\] is 3: it must be an integer in 0\.\.2/,
    ],
    [{ text: [1, 2], bow }, /got a flat array of 2 numbers \(for one sample, wrap it: \[\[…\]\]\)/],
    [{ text: [[1], [2], [3]], bow }, /x\.bow has 2 samples but x\.text has 3/],
    [{ text: [[1], [2]] }, /x has no data for the sparse input "bow"/],
    [{ ...good, extra: [[1]] }, /x has "extra", which the model does not read/],
    [[[1], [2]], /named inputs \(text, bow\): x must be a record/],
    [
      { text: [[1], [2]], bow: { ...bow, columns: [0, 8] } },
      /column 8 at row 1, position 0 \(columns\[1\]\) is not an integer in 0\.\.7/,
    ],
    [
      { text: [[1], [2]], bow: { ...bow, values: [1, NaN] } },
      /value NaN at row 1, position 0 \(values\[1\]\) is not a finite number/,
    ],
    [
      { text: [[1], [2]], bow: { values: [[1], [2, 3]], columns: [[1], [2]] } },
      /sample 1 has 2 values but 1 columns/,
    ],
  ];
  for (const [data, message] of cases) {
    assert.throws(
      () => trainer.predict(data as never),
      (e) => e instanceof InputError && message.test(e.message),
      String(message),
    );
  }
  // fit names validation data as such.
  assert.throws(
    () =>
      trainer.fit(good, [0, 1], { validationData: { x: { text: [[11], [1]], bow }, y: [0, 1] } }),
    /validationData\.x\.text: token id 11 at row 0/,
  );
});

Deno.test("model mistakes are typed errors at compile time", async () => {
  const base = { loss: softmaxCrossEntropy, batchSize: 2 };
  await assert.rejects(
    () => compile(chain(embedding(10, 2), dense(2, 2)), { ...base, inputs: 4 }),
    (e) =>
      e instanceof ShapeError && /expects token ids .* got a tensor f32\[batch,4\]/.test(e.message),
  );
  await assert.rejects(
    () =>
      compile(chain(embeddingBag(10, 2), dense(2, 2)), {
        ...base,
        inputs: tokens({ maxTokens: 4, vocab: 12 }),
      }),
    (e) =>
      e instanceof CompileError &&
      /declares vocab 12, but the model looks its ids up in a table of 10 rows/.test(e.message),
  );
  await assert.rejects(
    () => compile(dense(9, 2), { ...base, inputs: sparse({ features: 8, maxNonZeros: 4 }) }),
    (e) =>
      e instanceof ShapeError &&
      /expects 9 input features, got sparse rows "x" of 8 columns/.test(e.message),
  );
  await assert.rejects(
    () =>
      compile(chain(embeddingBag(8, 2), dense(2, 2)), {
        ...base,
        inputs: sparse({ features: 8, maxNonZeros: 4 }),
      }),
    (e) => e instanceof ShapeError && /need pool "sum"/.test(e.message),
  );
  await assert.rejects(
    () => compile(dense(2, 2), { ...base, inputs: 2, inputFeatures: 2 }),
    (e) => e instanceof CompileError && /inputs or inputFeatures, not both/.test(e.message),
  );
  await assert.rejects(
    () => compile(functional((x: { a: Tensor }) => x.a), { ...base, inputs: { a: 2, b: 3 } }),
    (e) => e instanceof CompileError && /does not read its dense input "b"/.test(e.message),
  );
  await assert.rejects(
    () => compile(functional((x: { y: Tensor }) => x.y), { ...base, inputs: { y: 2 } }),
    (e) => e instanceof CompileError && /Input name "y" is not allowed/.test(e.message),
  );
  assert.throws(() => tokens({ maxTokens: 0 }), /maxTokens must be an integer in 1\.\./);
  assert.throws(
    () => tokens({ maxTokens: 8, vocabulary: 3 } as never),
    /unknown option "vocabulary"/,
  );
  await assert.rejects(
    () =>
      compile(
        functional((x: { t: TokenBags }, layer) =>
          concat(layer("a", embeddingBag(5, 2), x.t), layer("a", embeddingBag(5, 2), x.t))
        ),
        { ...base, inputs: { t: tokens({ maxTokens: 4 }) } },
      ),
    (e) => e instanceof ShapeError && /the name "a" is used by two layers/.test(e.message),
  );
});
