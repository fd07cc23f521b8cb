/**
 * Throughput of the f32x4 transcendentals of `compiler/emit_math.ts` over 1M
 * elements in wasm memory, against a JS loop of `Math.exp` over a
 * `Float32Array`. Elements per second = 1M / the reported time per iteration.
 *
 * Run: `deno bench --allow-read bench/emit_math_bench.ts`
 *
 * @module
 */

import { FunctionBuilder, WasmModule } from "../compiler/codegen/wasm.ts";
import { declareMathSupport, f32x4Math } from "../compiler/codegen/emit_math.ts";
import { MATH_IMPORTS } from "../core/contract.ts";

const N = 1 << 20;
const OPS = ["exp", "log", "tanh", "sigmoid"] as const;

/** Byte offsets of the arrays: inputs in [-10, 10), positive inputs (for log), outputs. */
const SIGNED = 0;
const POSITIVE = N * 4;
const OUT = N * 8;

/** A module exporting `<op>(n)`: out[i] = op(in[i]) over n f32 (n a multiple of 4). */
function buildModule(): WebAssembly.Instance {
  const w = new WasmModule();
  declareMathSupport(w, "f32");
  for (const op of OPS) {
    const fb = new FunctionBuilder(w, ["i32"]);
    const i = fb.addLocal("i32");
    const m = f32x4Math(w, fb);
    const body = fb.forRange(i, w.i32.const(0), () => w.i32.shl(fb.get(0), w.i32.const(2)), 16, [
      w.v128.store(
        OUT,
        16,
        fb.get(i),
        m[op](w.v128.load(op === "log" ? POSITIVE : SIGNED, 16, fb.get(i))),
      ),
    ]);
    w.addFunction(op, fb, "none", body, true);
  }
  const { binary } = w.finish((N * 12) >> 16);
  return new WebAssembly.Instance(new WebAssembly.Module(binary), { env: MATH_IMPORTS });
}

const instance = buildModule();
const memory = (instance.exports.memory as WebAssembly.Memory).buffer as ArrayBuffer;
const input = new Float32Array(memory, SIGNED, N);
const positive = new Float32Array(memory, POSITIVE, N);
for (let i = 0; i < N; i++) {
  input[i] = (i / N - 0.5) * 20;
  positive[i] = Math.abs(input[i]);
}

for (const op of OPS) {
  const run = instance.exports[op] as (n: number) => void;
  Deno.bench({
    name: `${op} f32x4 wasm, ${N} elements`,
    group: op === "exp" ? "exp" : undefined,
    fn: () => run(N),
  });
}

const jsInput = Float32Array.from(input);
const jsOutput = new Float32Array(N);
Deno.bench({
  name: `Math.exp JS loop, ${N} elements`,
  group: "exp",
  baseline: true,
  fn: () => {
    for (let i = 0; i < N; i++) jsOutput[i] = Math.exp(jsInput[i]);
  },
});
