/**
 * The playground's Deno-side pieces, without a browser: model code, labels,
 * training in slices, the decision-boundary grid, the data packs and the
 * static file server.
 */
import assert from "node:assert/strict";
import { loadMnist } from "../examples/mnist_data.ts";
import { adagrad, adam, adamw, compile, lion, rmsprop, sgd } from "../mod.ts";
import {
  type Dataset,
  type DatasetId,
  decodeBreastCancerPack,
  decodeMnistPack,
  encodeMnistPack,
  MNIST_PIXELS,
  spiralPoints,
  spiralsDataset,
  xorDataset,
} from "../web/datasets.ts";
import {
  breastCancerPack,
  MNIST_TEST_PER_DIGIT,
  MNIST_TRAIN_PER_DIGIT,
  mnistSubset,
} from "../web/packs.ts";
import { preset, PRESETS } from "../web/presets.ts";
import { csvToRecords, recordsToCsv } from "../web/csv.ts";
import { staticHandler } from "../web/serve.ts";
import { labelsFor, ModelCodeError, optimizerOf, runModelCode, Session } from "../web/session.ts";

Deno.test("model code sees mlpc's exports and data, and must return { model, loss }", () => {
  const xor = xorDataset();
  const spec = runModelCode(
    "const swish = (x) => mul(x, sigmoid(x));\n" +
      "return { model: chain(dense(data.features, 3), swish, dense(3, data.classes)), loss: mse, optimizer: sgd({ lr: 0.5 }) };",
    xor,
  );
  assert.equal(spec.loss.name, "mse");
  assert.deepEqual(spec.optimizer, sgd({ lr: 0.5 }));
  const cases: [string, RegExp][] = [
    ["return {", /does not parse/],
    ["const model = dense(2, 1);", /must return \{ model, loss \}; it returned undefined/],
    ["return { loss: mse };", /has no model/],
    ["return { model: dense(2, 1) };", /has no loss/],
    ["return { model: dense(2, 1), loss: 'mse' };", /has no loss/],
  ];
  for (const [code, message] of cases) {
    assert.throws(() => runModelCode(code, xor), (e: Error) => {
      assert.ok(e instanceof ModelCodeError, `${code}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
  }
  // An error the code throws itself reaches the caller as it is.
  assert.throws(() => runModelCode("throw new RangeError('mine');", xor), RangeError);
});

Deno.test("labels take the loss's form: classes, 0/1 targets or one-hot rows", () => {
  const y = Int32Array.of(1, 0, 2);
  assert.equal(labelsFor("classes", 3, 3, y), y);
  assert.deepEqual(Array.from(labelsFor("values", 1, 2, Int32Array.of(1, 0))), [1, 0]);
  assert.deepEqual(Array.from(labelsFor("values", 3, 3, y)), [0, 1, 0, 1, 0, 0, 0, 0, 1]);
  assert.throws(() => labelsFor("values", 2, 3, y), /2 outputs, but this data set has 3 classes/);
  assert.throws(() => labelsFor("values", 1, 3, y), /give it 3 outputs/);
});

Deno.test("the form's optimizers are mlpc's, with the form's learning rate", () => {
  const base = { lr: 0.03, batchSize: 1, epochs: 1, seed: 0 };
  assert.deepEqual(optimizerOf({ ...base, optimizer: "adam" }), adam({ lr: 0.03 }));
  assert.deepEqual(optimizerOf({ ...base, optimizer: "adamw" }), adamw({ lr: 0.03 }));
  assert.deepEqual(optimizerOf({ ...base, optimizer: "rmsprop" }), rmsprop({ lr: 0.03 }));
  assert.deepEqual(optimizerOf({ ...base, optimizer: "adagrad" }), adagrad({ lr: 0.03 }));
  assert.deepEqual(optimizerOf({ ...base, optimizer: "lion" }), lion({ lr: 0.03 }));
  assert.deepEqual(optimizerOf({ ...base, optimizer: "sgd" }), sgd({ lr: 0.03 }));
  assert.deepEqual(
    optimizerOf({ ...base, optimizer: "momentum" }),
    sgd({ lr: 0.03, momentum: 0.9 }),
  );
});

Deno.test("training in slices gives exactly what one fit of all epochs gives", async () => {
  const request = { ...preset("spirals"), epochs: 7, batchSize: 16 };
  const data = { ...xorDataset(), train: spiralPoints(40, 3), test: spiralPoints(10, 4) };
  const session = await Session.create(request, data);
  const sliced: number[] = [];
  while (!session.finished) sliced.push(session.trainFor(0).length);
  assert.deepEqual(sliced, [1, 1, 1, 1, 1, 1, 1]); // a zero budget still runs one epoch per slice

  const spec = runModelCode(request.code, data);
  const reference = await compile(spec.model, {
    loss: spec.loss,
    optimizer: optimizerOf(request),
    batchSize: request.batchSize,
    seed: request.seed,
  });
  const x = { data: data.train.x, shape: [data.train.rows, 2] as [number, number] };
  const history = reference.fit(x, data.train.y, { epochs: 7, seed: request.seed });
  assert.deepEqual(session.records.map((r) => r.loss), history.loss);
  assert.deepEqual(session.trainer.getParams(), reference.getParams());
  const test = { data: data.test.x, shape: [data.test.rows, 2] as [number, number] };
  const last = session.records[6];
  const evaluation = reference.evaluate(test, data.test.y);
  assert.deepEqual([last.testLoss, last.testAccuracy], [evaluation.loss, evaluation.accuracy]);
  // The metrics CSV gives the records back exactly (accuracies included).
  assert.deepEqual(csvToRecords(recordsToCsv(session.records)), session.records);
  assert.throws(() => csvToRecords("epoch,loss\n1,2\n"), /Not a metrics CSV/);
  // Rows per second over the run: all rows of all epochs over the summed seconds.
  const seconds = session.records.reduce((s, r) => s + r.seconds, 0);
  assert.ok(Math.abs(last.samplesPerSecond - (7 * 80) / seconds) <= 1e-9 * last.samplesPerSecond);
});

Deno.test("the decision boundary is the model's class-1 probability on a grid, top row first", async () => {
  const code = "return { model: dense(2, 1), loss: binaryCrossEntropyWithLogits };";
  const session = await Session.create({ ...preset("xor"), code }, xorDataset());
  const [w0, w1, b] = [1.5, -2, 0.25];
  session.trainer.setParams({ weight: [w0, w1], bias: [b] });
  const size = 5;
  const scores = session.boundary(size);
  assert.ok(scores !== null && scores.length === size * size);
  const view = xorDataset().view!;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      // Cell centres; row 0 is the top of the picture (largest second coordinate).
      const x = Math.fround(view.x0 + (view.x1 - view.x0) * (c + 0.5) / size);
      const y = Math.fround(view.y1 - (view.y1 - view.y0) * (r + 0.5) / size);
      const expected = 1 / (1 + Math.exp(-(w0 * x + w1 * y + b)));
      assert.ok(Math.abs(scores[r * size + c] - expected) < 1e-6, `cell ${r},${c}`);
    }
  }
  // Softmax with two outputs: the probability of class 1.
  const two = await Session.create(
    { ...preset("xor"), code: "return { model: dense(2, 2), loss: softmaxCrossEntropy };" },
    xorDataset(),
  );
  two.trainer.setParams({ weight: [1, -1, 0, 2], bias: [0, 0.5] });
  const grid = two.boundary(1)!; // one cell: the centre (0.5, 0.5) of the view
  const [z0, z1] = [0.5 * 1 + 0.5 * 0, 0.5 * -1 + 0.5 * 2 + 0.5];
  assert.ok(Math.abs(grid[0] - Math.exp(z1) / (Math.exp(z0) + Math.exp(z1))) < 1e-6);
  // Data sets with more than two features have no boundary view.
  const bc = await Session.create(
    preset("breast_cancer"),
    decodeBreastCancerPack(await breastCancerPack()),
  );
  assert.equal(bc.boundary(8), null);
});

Deno.test("the MNIST pack holds the first images of each digit of the demo's split, exactly", () => {
  const { train, test } = mnistSubset();
  assert.equal(train.rows, 10 * MNIST_TRAIN_PER_DIGIT);
  assert.equal(test.rows, 10 * MNIST_TEST_PER_DIGIT);
  const decoded = decodeMnistPack(encodeMnistPack(train, test));
  const source = loadMnist();
  // loadMnist lists each digit's images together, digit 0 first.
  const firstRow = (part: { y: Int32Array }, digit: number) => part.y.indexOf(digit);
  for (
    const [name, part, whole] of [["train", decoded.train, source.train], [
      "test",
      decoded.test,
      source.test,
    ]] as const
  ) {
    const seen = new Array(10).fill(0);
    for (let r = 0; r < part.rows; r++) {
      const digit = part.y[r];
      const row = firstRow(whole, digit) + seen[digit]++;
      assert.equal(whole.y[row], digit);
      const expected = whole.x.subarray(row * MNIST_PIXELS, (row + 1) * MNIST_PIXELS);
      const got = part.x.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS);
      assert.deepEqual(got, expected, `${name} row ${r}`);
    }
    assert.deepEqual(seen, new Array(10).fill(part.rows / 10));
  }
  assert.throws(
    () => decodeMnistPack(encodeMnistPack(train, test).subarray(0, 1000)),
    /pack has 1000 bytes/,
  );
});

Deno.test("spirals: balanced, seeded, on two arms half a turn apart", () => {
  const a = spiralPoints(50, 7);
  assert.deepEqual(a, spiralPoints(50, 7));
  assert.notDeepEqual(a.x, spiralPoints(50, 8).x);
  assert.equal(a.y.filter((c) => c === 1).length, 50);
  const clean = spiralPoints(50, 7, 0);
  for (let i = 1; i < 50; i++) {
    // Point i of arm 1 is point i of arm 0 turned by π: the negated coordinates.
    const [p, q] = [2 * i, 2 * i + 1];
    assert.ok(Math.abs(clean.x[2 * p] + clean.x[2 * q]) < 1e-6);
    assert.ok(Math.abs(clean.x[2 * p + 1] + clean.x[2 * q + 1]) < 1e-6);
    assert.ok(Math.abs(Math.hypot(clean.x[2 * p], clean.x[2 * p + 1]) - i / 50) < 1e-6);
  }
});

Deno.test("every preset compiles on its data set; breast cancer trains like the example", async () => {
  const mnist = mnistSubset();
  const sets: Record<DatasetId, Dataset> = {
    xor: xorDataset(),
    spirals: spiralsDataset(),
    mnist: decodeMnistPack(encodeMnistPack(mnist.train, mnist.test)),
    breast_cancer: decodeBreastCancerPack(await breastCancerPack()),
  };
  for (const p of PRESETS) {
    const data = sets[p.dataset];
    const session = await Session.create(p, data);
    const binary = session.info.loss === "binaryCrossEntropyWithLogits";
    assert.equal(session.info.outputs, binary ? 1 : data.classes, p.id);
    assert.match(session.info.wat, /\(export "train"/);
  }
  const bc = sets.breast_cancer;
  assert.equal(bc.features, 30);
  assert.equal(bc.train.rows + bc.test.rows, 569);
  const session = await Session.create(preset("breast_cancer"), bc);
  while (!session.finished) session.trainFor(1_000);
  // The example reaches about 96 % with the same model and split.
  const accuracy = session.records[session.records.length - 1].testAccuracy!;
  assert.ok(accuracy > 0.93, `${accuracy}`);
});

Deno.test("the server answers with the folder's files only, cross-origin isolated", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/site/data`, { recursive: true });
  await Deno.writeTextFile(`${root}/site/app.js`, "export {};");
  await Deno.writeFile(`${root}/site/data/a.bin`, Uint8Array.of(1, 2));
  await Deno.writeTextFile(`${root}/secret.json`, "{}");
  await Deno.writeTextFile(`${root}/site/notes.txt`, "x");
  const handler = staticHandler(`${root}/site`);
  const get = (path: string) => handler(new Request(`http://127.0.0.1${path}`));
  const js = await get("/app.js");
  assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(js.headers.get("cross-origin-embedder-policy"), "require-corp");
  assert.equal(js.headers.get("cross-origin-opener-policy"), "same-origin");
  assert.equal(await js.text(), "export {};");
  assert.deepEqual(
    new Uint8Array(await (await get("/data/a.bin")).arrayBuffer()),
    Uint8Array.of(1, 2),
  );
  for (
    const path of [
      "/..%2fsecret.json",
      "/data/..%2f..%2fsecret.json",
      "/notes.txt",
      "/nope.js",
      "//app.js",
    ]
  ) {
    const response = await get(path);
    assert.equal(response.status, 404, path);
    await response.body?.cancel();
  }
  await Deno.remove(root, { recursive: true });
});
