// The compiled step's non-finite check: the flag a kernel reports to is NaN
// exactly when one of the values it stored is not finite — checked against
// the values themselves, read back from memory, in JS. Junk lanes of a
// partial vector (past the last column) never count, even when the memory
// they come from holds NaN. The whole step reports every kind of update
// (SGD in a product's epilogue, momentum and Adam in elementwise loops; f32,
// f64, relaxed SIMD).
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { emitMatmul } from "../compiler/codegen/emit_matmul.ts";
import { FunctionBuilder, relaxedSimdSupported, WasmModule } from "../compiler/codegen/wasm.ts";
import { adam, chain, compileArtifact, dense, mse, relu, sgd, tanh } from "../mod.ts";
import type { OptimizerConfig } from "../core/optimizer/table.ts";
import { optimizerScalars } from "../core/optimizer/table.ts";
import { MATH_IMPORTS, NONFINITE_OUTPUT } from "../core/contract.ts";
import { CompiledModule, type ModuleExports } from "../runtime/module.ts";
import { initParam } from "../runtime/init_params.ts";
import { SEED, uniformStream } from "./helpers.ts";

const FLAG = 0;
const A = 64;

/** A value drawn so that about one in `rare` is ±Infinity or NaN (when `rare` > 0). */
function drawer(seed: number, rare: number): () => number {
  const u = uniformStream(seed);
  return () => {
    const r = u();
    if (rare > 0 && r < 1 / rare) return [Infinity, -Infinity, NaN][Math.floor(u() * 3)];
    return (u() - 0.5) * 4;
  };
}

Deno.test("matmul + epilogue: the flag is NaN exactly when a stored element is not finite; junk lanes never count", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        m: fc.integer({ min: 1, max: 9 }),
        k: fc.integer({ min: 1, max: 9 }),
        n: fc.integer({ min: 1, max: 19 }),
        transA: fc.boolean(),
        transB: fc.boolean(),
        dtype: fc.constantFrom("f32" as const, "f64" as const),
        rare: fc.constantFrom(0, 0, 40, 200),
        seed: fc.integer({ min: 0, max: 1e6 }),
      }),
      async ({ m, k, n, transA, transB, dtype, rare, seed }) => {
        const size = dtype === "f64" ? 8 : 4;
        const ops = (w: WasmModule) => (dtype === "f64" ? w.f64 : w.f32);
        const align = (b: number) => Math.ceil(b / 16) * 16;
        const b = align(A + m * k * size);
        const bias = align(b + k * n * size);
        // C right after the bias, with 16 bytes between: the junk lanes of the
        // bias row read that gap, which is filled with NaN.
        const c = align(bias + n * size) + 16;
        const scratch = align(c + m * n * size) + 16;
        const w = new WasmModule();
        const at = (col: () => number) =>
          w.i32.add(w.i32.const(bias), w.i32.shl(col(), w.i32.const(size === 8 ? 3 : 2)));
        emitMatmul(w, {
          name: "mm",
          dtype,
          a: A,
          b,
          c,
          m,
          k,
          n,
          transA,
          transB,
          scratch,
          epilogue: {
            vector: (_k, acc, _row, col) => w.f32x4.add(acc, w.v128.load(0, 4, at(col))),
            scalar: (_k, acc, _row, col) => ops(w).add(acc, ops(w).load(0, size, at(col))),
          },
          finiteFlag: { offset: FLAG },
        });
        w.addFunction("run", new FunctionBuilder(w, []), "none", w.call("mm", [], "none"), true);
        const pages = Math.ceil((scratch + k * 8 * 4 + 64) / 65536);
        const { instance } = await WebAssembly.instantiate(w.finish(pages).binary);
        const buffer = (instance.exports.memory as WebAssembly.Memory).buffer;
        const mem = dtype === "f64" ? new Float64Array(buffer) : new Float32Array(buffer);
        mem.fill(NaN); // everything not written below, including the gap after the bias
        const draw = drawer(seed, rare);
        for (let i = 0; i < m * k; i++) mem[A / size + i] = draw();
        for (let i = 0; i < k * n; i++) mem[b / size + i] = draw();
        for (let i = 0; i < n; i++) mem[bias / size + i] = draw();
        mem[FLAG] = 0;
        (instance.exports.run as () => void)();
        const stored = Array.from(mem.subarray(c / size, c / size + m * n));
        const expected = stored.every(Number.isFinite);
        assert.equal(mem[FLAG] === 0, expected, `flag ${mem[FLAG]}, stored ${stored}`);
        if (!expected) assert.ok(Number.isNaN(mem[FLAG]));
      },
    ),
    { seed: SEED, numRuns: 150 },
  );
});

/** One step's flag, and the parameters and state it left, from the raw module (nothing undone). */
async function rawStep(
  model: Parameters<typeof compileArtifact>[0],
  optimizer: OptimizerConfig,
  dtype: "f32" | "f64",
  relaxedSimd: boolean,
  scale: number,
  seed: number,
): Promise<{ flag: number; values: number[] }> {
  const { artifact } = compileArtifact(model, {
    loss: mse,
    optimizer,
    batchSize: 5,
    dtype,
    relaxedSimd,
  });
  const { instance } = await WebAssembly.instantiate(artifact.wasm, { env: MATH_IMPORTS });
  const exports = instance.exports as unknown as ModuleExports;
  const m = new CompiledModule(artifact, exports);
  for (const p of artifact.params) {
    // Scaled up so that some steps overflow.
    m.write(p.name, Array.from(initParam(p, seed), (v) => v * scale));
  }
  const draw = drawer(seed + 1, 0);
  const rows = 1 + (seed % 5);
  m.write("x", Array.from({ length: rows * artifact.inputFeatures }, () => draw() * scale));
  m.write("y", Array.from({ length: rows * artifact.outputs }, () => draw()));
  // The runtime's trainStep would undo a divergence: write the step's
  // scalars and call the export directly.
  for (const [name, value] of Object.entries(optimizerScalars(optimizer, 1, optimizer.lr))) {
    m.write(name, [value]);
  }
  exports.train(rows);
  const values: number[] = [];
  for (const s of artifact.slots) {
    if (s.kind === "param" || s.kind === "state") values.push(...m.read(s.name));
  }
  return { flag: m.read(NONFINITE_OUTPUT)[0], values };
}

Deno.test("the whole step: its flag is non-zero exactly when a parameter or state value it wrote is not finite", async () => {
  const relaxed = relaxedSimdSupported();
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        hidden: fc.integer({ min: 1, max: 11 }),
        features: fc.integer({ min: 1, max: 6 }),
        outputs: fc.integer({ min: 1, max: 5 }),
        activation: fc.constantFrom(relu, tanh),
        optimizer: fc.constantFrom<OptimizerConfig>(
          sgd({ lr: 0.5 }),
          sgd({ lr: 0.5, momentum: 0.9 }),
          adam({ lr: 0.1 }),
        ),
        dtype: fc.constantFrom("f32" as const, "f64" as const),
        relaxedSimd: fc.boolean(),
        // 1: nothing overflows; 1e12..1e20 at f32 and 1e80..1e160 at f64: some steps do.
        exponent: fc.integer({ min: 0, max: 8 }),
        seed: fc.integer({ min: 0, max: 1e6 }),
      }),
      async (
        { hidden, features, outputs, activation, optimizer, dtype, relaxedSimd, exponent, seed },
      ) => {
        const scale = exponent === 0
          ? 1
          : dtype === "f32"
          ? 10 ** (10 + exponent)
          : 10 ** (70 + 10 * exponent);
        const model = chain(dense(features, hidden), activation, dense(hidden, outputs));
        const { flag, values } = await rawStep(
          model,
          optimizer,
          dtype,
          relaxedSimd && relaxed,
          scale,
          seed,
        );
        const finite = values.every(Number.isFinite);
        assert.equal(flag === 0, finite, `flag ${flag}; values finite: ${finite}`);
        if (exponent === 0) assert.ok(finite);
      },
    ),
    { seed: SEED, numRuns: 120 },
  );
});
