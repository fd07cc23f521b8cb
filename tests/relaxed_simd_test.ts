// Relaxed SIMD can never be silently skipped: the detection must agree with
// what the engine really runs (and on Deno 2.9.6's V8 it runs relaxed SIMD);
// fast mode must emit relaxed code where the engine has it and fall back to
// the default code where it does not; and both builds, forced on and off,
// must train like the f64 interpreter and like each other (the per-op
// comparison of both builds is in tests/op_cases_test.ts, the multi-step
// one in tests/train_step_test.ts).
import assert from "node:assert/strict";
import { compile, compileArtifact } from "../compiler/driver/compile.ts";
import { chain, dense } from "../compiler/frontend/layers.ts";
import { softmaxCrossEntropy } from "../compiler/frontend/losses.ts";
import { tanh } from "../compiler/frontend/tensor.ts";
import { declareMathSupport } from "../compiler/codegen/emit_math.ts";
import {
  FunctionBuilder,
  relaxedSimdSupported,
  WasmModule,
  wasmText,
} from "../compiler/codegen/wasm.ts";
import { adam } from "../core/optimizers.ts";
import { instantiate } from "../runtime/trainer.ts";
import { maxAbs, maxAbsDiff } from "./helpers.ts";

/**
 * Whether this engine compiles and runs a module using f32x4.relaxed_madd,
 * built by the code generator (not the detection's hand-written probe), and
 * computes a·b + c with it.
 */
function engineRunsRelaxedSimd(): boolean {
  const w = new WasmModule({ relaxedSimd: true });
  declareMathSupport(w, "f32");
  const fb = new FunctionBuilder(w, ["f32", "f32", "f32"]);
  const splat = (i: number) => w.f32x4.splat(fb.get(i));
  const body = w.f32x4.extract_lane(w.f32x4MulAdd(splat(0), splat(1), splat(2)), 3);
  w.addFunction("madd", fb, "f32", body, true);
  const { binary } = w.finish(1);
  assert.match(wasmText(binary), /f32x4\.relaxed_madd/);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(binary);
  } catch {
    return false;
  }
  const madd = new WebAssembly.Instance(module).exports.madd as (...v: number[]) => number;
  assert.equal(madd(3, 4, 5), 17);
  return true;
}

Deno.test("relaxed-SIMD detection agrees with the engine (and Deno's V8 has relaxed SIMD)", () => {
  const runs = engineRunsRelaxedSimd();
  assert.equal(
    relaxedSimdSupported(),
    runs,
    runs
      ? "relaxedSimdSupported() returned false, but this engine compiles and runs " +
        "f32x4.relaxed_madd: the detection is broken, and fast mode would never be used"
      : "relaxedSimdSupported() returned true, but this engine rejects f32x4.relaxed_madd",
  );
  if ("Deno" in globalThis && Deno.version.deno.startsWith("2.")) {
    assert.ok(
      runs,
      `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}) should run relaxed SIMD; it does not`,
    );
  }
});

const model = () => chain(dense(7, 9), tanh, dense(9, 3));
const options = {
  loss: softmaxCrossEntropy,
  optimizer: adam({ lr: 1e-2 }),
  batchSize: 8,
  seed: 2,
} as const;

Deno.test("fast mode falls back to the default code on an engine without relaxed SIMD", () => {
  const { artifact } = compileArtifact(model(), { ...options, relaxedSimd: true }, {
    relaxedSimd: false,
  });
  assert.equal(artifact.relaxedSimd, false, "the artifact claims relaxed SIMD");
  assert.doesNotMatch(wasmText(artifact.wasm), /relaxed/, "relaxed instructions were emitted");
  // …and the default stays the default where the engine has relaxed SIMD.
  const plain = compileArtifact(model(), options, { relaxedSimd: true }).artifact;
  assert.equal(plain.relaxedSimd, false);
  assert.doesNotMatch(wasmText(plain.wasm), /relaxed/);
});

Deno.test("fast mode emits relaxed-SIMD code on this engine, through the public compile", async () => {
  const trainer = await compile(model(), { ...options, relaxedSimd: true });
  assert.equal(
    trainer.artifact.relaxedSimd,
    relaxedSimdSupported(),
    "compile ignored the detection",
  );
  assert.equal(
    trainer.artifact.relaxedSimd,
    true,
    "compile fell back to the default code although this engine runs relaxed SIMD",
  );
  assert.match(trainer.inspect().wat, /f32x4\.relaxed_madd/);
});

Deno.test("default, relaxed and f64 builds train alike (5 Adam steps)", async () => {
  const x = Array.from(
    { length: 8 },
    (_, r) => Array.from({ length: 7 }, (_, c) => Math.sin(r * 7 + c)),
  );
  const y = Array.from({ length: 8 }, (_, r) => r % 3);
  const run = async (dtype: "f32" | "f64", relaxedSimd: boolean) => {
    const { artifact } = compileArtifact(model(), { ...options, dtype, relaxedSimd }, {
      relaxedSimd,
    });
    assert.equal(/relaxed_madd/.test(wasmText(artifact.wasm)), relaxedSimd);
    const trainer = await instantiate(artifact, { seed: 2 });
    const start = (await instantiate(compileArtifact(model(), options).artifact, { seed: 2 }))
      .getParams();
    trainer.setParams(start); // identical f32 starting values in all three
    for (let step = 0; step < 5; step++) trainer.trainBatch(x, y);
    return trainer.getParams();
  };
  const reference = await run("f64", false);
  const builds = { default: await run("f32", false), relaxed: await run("f32", true) };
  // 5 Adam steps of lr 1e-2 on O(1) parameters in f32: errors of a few 1e-7,
  // against changes of ~5e-2; 1e-5 of the scale fails any real difference.
  for (const [name, ref] of Object.entries(reference)) {
    const tol = 1e-5 * Math.max(1, maxAbs(ref));
    for (const [build, params] of Object.entries(builds)) {
      assert.ok(maxAbsDiff(params[name], ref) <= tol, `${build} vs f64: ${name}`);
    }
    assert.ok(
      maxAbsDiff(builds.default[name], builds.relaxed[name]) <= tol,
      `default vs relaxed: ${name}`,
    );
  }
});
