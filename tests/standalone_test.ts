// The standalone inference module: exported into a temporary folder, loaded
// there by `deno` and by `node` (separate processes, nothing of mlpc
// reachable), its predictions equal the trainer's bit for bit — for the demo
// model, a softmax/tanh model, and an f64 model — from Float32Array input and
// from arrays of rows, over more rows than one wasm call takes.
import assert from "node:assert/strict";
import {
  chain,
  compile,
  dense,
  elu,
  gelu,
  mse,
  relu,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  softplus,
  tanh,
  type Tensor,
  type Trainer,
} from "../mod.ts";
import { exportInference, inferenceModule } from "../interchange/mod.ts";
import { uniformStream } from "./helpers.ts";

const RUNNER = `
import { readFileSync } from "node:fs";
import { dtype, inputFeatures, predict } from "./model.js";
const { rows } = JSON.parse(readFileSync(new URL("./input.json", import.meta.url), "utf8"));
const hex = (a) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), (b) => b.toString(16).padStart(2, "0")).join("");
const Values = dtype === "f64" ? Float64Array : Float32Array;
const fromRows = predict(rows);
const fromTyped = predict(Values.from(rows.flat()));
let error = "";
try { predict([[1]]); } catch (e) { error = e.constructor.name + ": " + e.message; }
let notFinite = "";
try { predict([Array.from({ length: inputFeatures }, (_, i) => (i === 1 ? NaN : 0))]); } catch (e) { notFinite = e.message; }
console.log(JSON.stringify({ fromRows: hex(fromRows), fromTyped: hex(fromTyped), error, notFinite }));
`;

function hex(a: Float32Array | Float64Array): string {
  return Array.from(
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

async function runIn(engine: "deno" | "node", dir: string) {
  const args = engine === "deno"
    ? [Deno.execPath(), [
      "run",
      "--no-config",
      "--no-lock",
      `--allow-read=${dir}`,
      `${dir}/runner.mjs`,
    ]]
    : ["node", [`${dir}/runner.mjs`]];
  const out = await new Deno.Command(args[0] as string, {
    args: args[1] as string[],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `${engine} failed:\n${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

async function checkBothEngines(
  trainer: Trainer,
  rows: number,
  seed: number,
  engines: readonly ("deno" | "node")[] = ["deno", "node"],
): Promise<void> {
  const features = trainer.artifact.inputFeatures;
  const u = uniformStream(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: features }, () => u() * 2 - 1));
  const expected = hex(trainer.predict(x));
  const dir = await Deno.makeTempDir({ prefix: "mlpc-standalone-" });
  try {
    const written = await exportInference(trainer, dir);
    assert.equal(written.wasmBytes, (await Deno.stat(written.wasmPath)).size);
    await Deno.writeTextFile(`${dir}/input.json`, JSON.stringify({ rows: x }));
    await Deno.writeTextFile(`${dir}/runner.mjs`, RUNNER);
    for (const engine of engines) {
      const got = await runIn(engine, dir);
      assert.equal(got.fromRows, expected, `${engine}: predictions from rows differ`);
      assert.equal(got.fromTyped, expected, `${engine}: predictions from a typed array differ`);
      assert.equal(
        got.error,
        `RangeError: predict: row 0 must be an array of ${features} numbers`,
        engine,
      );
      assert.match(got.notFinite, /row 0, column 1 holds NaN/, engine);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the demo model's standalone module predicts bit for bit as the trainer, in deno and node", async () => {
  const t = await compile(chain(dense(784, 128, { init: "heNormal" }), relu, dense(128, 10)), {
    loss: softmaxCrossEntropy,
    batchSize: 64,
    seed: 1,
  });
  await checkBothEngines(t, 64 * 2 + 5, 2);
  const { wasm, source } = inferenceModule(t);
  console.log(
    `demo model: model.wasm ${wasm.length} bytes (parameters ${
      (784 * 128 + 128 + 128 * 10 + 10) * 4
    }), ` +
      `model.js ${new TextEncoder().encode(source).length} bytes, ${
        source.split("\n").length
      } lines`,
  );
});

Deno.test("softmax, tanh and sigmoid models at f32, and an f64 model, match bit for bit too", async () => {
  const f32 = await compile(
    chain(dense(5, 16), tanh, dense(16, 8), sigmoid, dense(8, 4), (x: Tensor) => softmax(x)),
    { loss: mse, batchSize: 4, seed: 3 },
  );
  f32.fit([[1, 2, 3, 4, 5], [0, -1, 0, 1, 0]], [[1, 0, 0, 0], [0, 0, 1, 0]], { epochs: 3 });
  await checkBothEngines(f32, 11, 4);
  const f64 = await compile(chain(dense(3, 6), tanh, dense(6, 2)), {
    loss: mse,
    batchSize: 4,
    dtype: "f64",
    seed: 5,
  });
  await checkBothEngines(f64, 9, 6);
});

Deno.test("models with gelu, elu and softplus, at f32 and at f64 (env erf, expm1, log1p), match bit for bit", async () => {
  const model = () =>
    chain(dense(4, 8), gelu, dense(8, 8), elu(0.7), dense(8, 6), softplus(), dense(6, 2));
  const f32 = await compile(model(), { loss: mse, batchSize: 4, seed: 7 });
  await checkBothEngines(f32, 7, 8);
  const f64 = await compile(model(), { loss: mse, batchSize: 4, dtype: "f64", seed: 7 });
  const { source } = inferenceModule(f64);
  assert.match(source, /const env = \{ (\w+: Math\.\w+, |erf, )+/);
  for (const name of ["erf", "expm1", "log1p"]) assert.match(source, new RegExp(`\\b${name}\\b`));
  // Bit for bit where the engine is the trainer's: an f64 module calls the
  // engine's Math.exp, Math.expm1, … (erf uses Math.exp), and V8 versions
  // differ in their last bit (Node 20 and this Deno on ~7 % of exp's inputs).
  await checkBothEngines(f64, 9, 9, ["deno"]);
});

Deno.test("the module is self-contained: no imports but the wasm, which imports nothing at f32", async () => {
  const t = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
    loss: softmaxCrossEntropy,
    batchSize: 8,
  });
  const { wasm, source } = inferenceModule(t, { name: "digits", batchSize: 2 });
  const module = new WebAssembly.Module(wasm);
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  assert.deepEqual(WebAssembly.Module.exports(module).map((e) => e.name).sort(), [
    "memory",
    "predict",
  ]);
  assert.doesNotMatch(source, /^\s*import\s.*from/m); // only the dynamic node:fs import
  assert.match(source, /new URL\("\.\/digits\.wasm", import\.meta\.url\)/);
  assert.ok(source.split("\n").length <= 110, `${source.split("\n").length} lines`);
  assert.throws(() => inferenceModule(t, { name: "../evil" }), /plain file name/);
  assert.throws(() => inferenceModule(t, { batchSize: 0 }), /batchSize must be an integer/);
});
