// The data entry point: CSV reading (quotes, CRLF, BOM, strict numbers, class
// names mapped to ids with the mapping kept), trainTestSplit (sizes,
// disjointness, determinism, stratification), scalers against their
// definitions, oneHot, and a saved model that predicts on raw inputs.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  encodeLabels,
  minMaxScaler,
  oneHot,
  parseCsv,
  readCsv,
  standardScaler,
  trainTestSplit,
} from "../data/mod.ts";
import { compile, dense, InputError, mse, sgd, softmaxCrossEntropy } from "../mod.ts";
import { load } from "../runtime/mod.ts";
import { save } from "../mod.ts";
import { SEED } from "./helpers.ts";

Deno.test("parseCsv: quoted fields, escaped quotes, CRLF/LF/CR, a BOM and blank lines", () => {
  const text =
    '\uFEFFa,"b, with comma",name\r\n1,2,"say ""hi"""\n\n3.5,-4e-1,plain\r5,.5,plain\r\n';
  const d = parseCsv(text);
  assert.deepEqual(d.featureNames, ["a", "b, with comma"]);
  assert.deepEqual(d.x.shape, [3, 2]);
  assert.deepEqual([...d.x.data], [1, 2, 3.5, -0.4, 5, 0.5]);
  assert.deepEqual(d.classes, ["plain", 'say "hi"']); // sorted names
  assert.deepEqual([...d.y], [1, 0, 0]);
  assert.ok(d.y instanceof Int32Array);
  const fixed = parseCsv(text, { classes: ['say "hi"', "plain"] });
  assert.deepEqual([...fixed.y], [0, 1, 1]);
  const byName = parseCsv("x,label,z\n1,7,2\n3,8,4\n", { label: "label" });
  assert.deepEqual([...byName.y], [7, 8]);
  assert.ok(byName.y instanceof Float64Array);
  assert.deepEqual(byName.featureNames, ["x", "z"]);
  const asClasses = parseCsv("x,k\n1,2\n3,10\n", { labels: "classes" });
  assert.deepEqual(asClasses.classes, ["10", "2"]);
});

Deno.test("parseCsv: every malformed input is an InputError naming line and column", () => {
  const cases: [string, object, RegExp][] = [
    ["a,b,c\n1,2,0\n3,,1\n", {}, /Line 3, column "b": the value is missing/],
    ["a,b,c\n1,0x10,0\n", {}, /Line 2, column "b": "0x10" is not a number/],
    ["a,b\n1,2\n3,4,5\n", {}, /The CSV text is malformed: Invalid Record Length/],
    ['a,b\n"1,2\n', {}, /malformed: Quote Not Closed/],
    ["a,b\n1,2\n", { label: "c" }, /The label column "c" is not in the header: a, b/],
    ["a,b\n1,cat\n", { labels: "values" }, /Line 2, label column "b": "cat" is not a number/],
    ["a,b\n1,cat\n", { classes: ["dog"] }, /Label "cat" at index 0 is not one of the classes dog/],
    ["a,b\n1,2\n", { lable: "b" }, /Unknown CSV option "lable": did you mean "label"\?/],
  ];
  for (const [text, options, message] of cases) {
    assert.throws(
      () => parseCsv(text, options),
      (e: Error) => e instanceof InputError && message.test(e.message),
      String(message),
    );
  }
  assert.throws(
    () => parseCsv("a,b\nx,1\n"),
    (e: Error) =>
      e instanceof InputError &&
      /Line 2, column "a": "x" is not a number; feature columns must hold numbers/.test(e.message),
  );
});

Deno.test("readCsv reads the breast cancer file: 569 × 30, 212 malignant (0) and 357 benign (1)", async () => {
  const d = await readCsv(new URL("../examples/data/breast_cancer.csv", import.meta.url));
  assert.deepEqual(d.x.shape, [569, 30]);
  assert.equal(d.featureNames[0], "mean radius");
  assert.equal(d.x.data[0], 17.99);
  assert.equal([...d.y].filter((v) => v === 0).length, 212);
  assert.equal([...d.y].filter((v) => v === 1).length, 357);
});

Deno.test("encodeLabels and oneHot: ids index the kept names; one 1 per row at the id", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: 1, maxLength: 30 }),
      (names) => {
        const { ids, classes } = encodeLabels(names);
        assert.deepEqual(Array.from(ids, (i) => classes[i]), names);
        assert.deepEqual(classes, [...classes].sort());
        const m = oneHot(ids, classes.length);
        for (let r = 0; r < names.length; r++) {
          const row = Array.from(m.data.subarray(r * classes.length, (r + 1) * classes.length));
          assert.equal(row.reduce((a, b) => a + b, 0), 1);
          assert.equal(row.indexOf(1), ids[r]);
        }
      },
    ),
    { seed: SEED, numRuns: 100 },
  );
  assert.throws(() => oneHot([0, 3], 3), /class id 3 at index 1 is not an integer in 0..2/);
});

Deno.test("trainTestSplit: ⌈testSize·n⌉ test rows, disjoint, seeded, stratified within one of exact", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 60 }),
      fc.double({ min: 0.05, max: 0.7, noNaN: true }),
      fc.integer({ min: 0, max: 1000 }),
      fc.boolean(),
      (y, testSize, seed, stratify) => {
        const n = y.length;
        if (Math.ceil(testSize * n) >= n) return;
        const x = y.map((c, i) => [i, c]);
        const s = trainTestSplit(x, y, { testSize, seed, stratify });
        assert.equal(s.testIndex.length, Math.ceil(testSize * n));
        const all = [...s.trainIndex, ...s.testIndex].sort((a, b) => a - b);
        assert.deepEqual(all, y.map((_, i) => i));
        // Rows and labels travel together.
        s.testIndex.forEach((row, i) => {
          assert.equal(s.xTest.data[2 * i], row);
          assert.equal(s.yTest[i], y[row]);
        });
        assert.deepEqual(trainTestSplit(x, y, { testSize, seed, stratify }), s);
        if (stratify) {
          for (const c of new Set(y)) {
            const count = y.filter((v) => v === c).length;
            const inTest = [...s.yTest].filter((v) => v === c).length;
            assert.ok(Math.abs(inTest - (count * s.testIndex.length) / n) < 1, `class ${c}`);
          }
        }
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
  const x = Array.from({ length: 10 }, (_, i) => [i]);
  const y = x.map(([v]) => v % 2);
  const last = trainTestSplit(x, y, { testSize: 0.3, shuffle: false });
  assert.deepEqual([...last.testIndex], [7, 8, 9]);
  assert.notDeepEqual(
    trainTestSplit(x, y, { seed: 1 }).testIndex,
    trainTestSplit(x, y, { seed: 2 }).testIndex,
  );
  assert.throws(
    () => trainTestSplit(x, y, { testSize: 1.5 }),
    /testSize must be a number > 0 and ≤ 1, got 1.5/,
  );
});

Deno.test("scalers: scikit-learn's definitions, computed here by hand", () => {
  const x = [[1, 10, 5], [2, 30, 5], [6, 20, 5], [3, 40, 5]];
  const s = standardScaler(x);
  for (let c = 0; c < 3; c++) {
    const col = x.map((r) => r[c]);
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
    assert.ok(Math.abs(s.mean[c] - mean) < 1e-12);
    assert.ok(Math.abs(s.scale[c] - (std === 0 ? 1 : std)) < 1e-12);
  }
  const t = s.transform(x).data;
  for (let c = 0; c < 2; c++) {
    const col = [0, 1, 2, 3].map((r) => t[r * 3 + c]);
    assert.ok(Math.abs(col.reduce((a, b) => a + b, 0)) < 1e-12); // mean 0
    assert.ok(Math.abs(col.reduce((a, b) => a + b * b, 0) / 4 - 1) < 1e-12); // variance 1
  }
  const m = minMaxScaler(x, { featureRange: [-1, 1] });
  // x·scale + min with scale = 2/(6 − 1), min = −1 − 1·scale (scikit-learn's form: rounding differs
  // from (x − lo)/(hi − lo) in the last bit).
  const near = (got: Iterable<number>, want: number[]) =>
    [...got].forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-12, `${g} vs ${want[i]}`));
  near([...m.transform(x).data].filter((_, i) => i % 3 === 0), [-1, -0.6, 1, -0.2]);
  // Beyond the training range it extrapolates; a constant column (range 0 → scale 2/1) maps 5 to −1.
  near(m.transform([[11, 50, 7]]).data, [3, 5 / 3, 3]);
  assert.throws(() => s.transform([[1, 2]]), /fit on 3 features, x has 2/);
  assert.throws(() => minMaxScaler(x, { featureRange: [1, 0] }), /low < high/);
  assert.throws(() => standardScaler([[1, "2"]] as never), /the string "2" at row 0, column 1/);
});

Deno.test("minMaxScaler fits a column of 300 000 rows (no argument-list overflow)", () => {
  const rows = 300_000;
  // Column 0: 0..rows−1, its minimum and maximum in the middle; column 1: constant.
  const data = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    data[r * 2] = (r * 7919) % rows; // a permutation of 0..rows−1 (7919 is prime to rows)
    data[r * 2 + 1] = 3;
  }
  const m = minMaxScaler({ data, shape: [rows, 2] });
  assert.deepEqual(m.scale, [1 / (rows - 1), 1]);
  assert.deepEqual(m.min, [0, -3]);
});

Deno.test("a scaler set on the trainer is saved with it: the loaded model predicts on raw inputs", async () => {
  const raw = [[100, 0.001], [200, 0.003], [150, 0.002], [120, 0.004]];
  const y = [[1], [3], [2], [2.5]];
  const scaler = standardScaler(raw);
  const t = await compile(dense(2, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 4,
    seed: 1,
  });
  t.preprocessing = scaler;
  t.fit(raw, y, { epochs: 20 });
  // The same training on data scaled by hand gives the same model.
  const u = await compile(dense(2, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 4,
    seed: 1,
  });
  u.fit(scaler.transform(raw), y, { epochs: 20 });
  assert.deepEqual(t.getParams(), u.getParams());
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await save(t, path);
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(saved.preprocessing, {
      version: 1,
      scaler: { kind: "standardScaler", mean: scaler.mean, scale: scaler.scale },
    });
    assert.equal(saved.artifact.preprocessing, undefined); // kept apart from the compiled artifact
    const loaded = await load(path);
    assert.deepEqual(loaded.preprocessing, t.preprocessing);
    assert.deepEqual(loaded.predict([[130, 0.0025]]), t.predict([[130, 0.0025]]));
    assert.deepEqual(loaded.predict([[130, 0.0025]]), u.predict(scaler.transform([[130, 0.0025]])));
  } finally {
    await Deno.remove(path);
  }
  const c = await compile(dense(3, 2), { loss: softmaxCrossEntropy, batchSize: 2 });
  assert.throws(() => (c.preprocessing = scaler), /has 2 values; the model takes 3 features/);
});
