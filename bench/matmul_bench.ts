/**
 * Speed of the f32 matrix-product kernel on the three products of a dense
 * layer, at the shapes of a 784→128 layer and a 784→512 one.
 *
 * `deno bench bench/matmul_bench.ts` times each kernel call;
 * `deno run bench/matmul_bench.ts` prints a GFLOP/s table (2·m·k·n flops per
 * call), default and relaxed-SIMD builds side by side.
 *
 * @module
 */

import { emitMatmul, matmulScratchBytes, type MatmulSpec } from "../compiler/emit_matmul.ts";
import { FunctionBuilder, WasmModule } from "../compiler/wasm.ts";

/** The forward product x·W is m×k×n = batch×in×out. */
const SHAPES = [[128, 784, 128], [32, 784, 128], [512, 784, 512]] as const;

type Form = "x·W" | "dy·Wᵀ" | "xᵀ·dy";
const FORMS: readonly Form[] = ["x·W", "dy·Wᵀ", "xᵀ·dy"];

/** The product a form computes for a forward shape batch×in×out. */
function product(form: Form, [batch, inputs, outputs]: readonly number[]) {
  switch (form) {
    case "x·W": // [batch,in]·[in,out]
      return { m: batch, k: inputs, n: outputs, transA: false, transB: false };
    case "dy·Wᵀ": // [batch,out]·[in,out]ᵀ
      return { m: batch, k: outputs, n: inputs, transA: false, transB: true };
    case "xᵀ·dy": // [batch,in]ᵀ·[batch,out]
      return { m: inputs, k: batch, n: outputs, transA: true, transB: false };
  }
}

interface Kernel {
  readonly label: string;
  /** The forward shape, batch×in×out: the three forms of one layer form a group. */
  readonly group: string;
  readonly flops: number;
  readonly run: () => void;
}

/** Compiles one product with A, B, C and scratch one after another, filled with random values. */
async function compile(
  form: Form,
  shape: readonly number[],
  relaxedSimd: boolean,
): Promise<Kernel> {
  const { m, k, n, transA, transB } = product(form, shape);
  const floats = [m * k, k * n, m * n];
  const [a, b, c] = [0, floats[0] * 4, (floats[0] + floats[1]) * 4].map((x) => x + 64);
  const scratch = c + floats[2] * 4 + 64;
  const spec: MatmulSpec = {
    name: "mm",
    dtype: "f32",
    a,
    b,
    c,
    m,
    k,
    n,
    transA,
    transB,
    scratch,
    batchGlobal: "batch",
  };
  const w = new WasmModule({ relaxedSimd });
  emitMatmul(w, spec);
  w.addFunction("run", new FunctionBuilder(w, []), "none", w.call("mm", [], "none"), true);
  const bytes = scratch + matmulScratchBytes(spec, 0);
  const { binary } = w.finish(Math.ceil(bytes / 65536));
  const { instance } = await WebAssembly.instantiate(binary);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const view = new Float32Array(memory.buffer, a, floats[0] + floats[1]);
  for (let x = 0; x < view.length; x++) view[x] = Math.sin(x) * 0.5;
  const mode = relaxedSimd ? "relaxed" : "default";
  return {
    label: `${form} ${m}×${k}×${n} ${mode}`,
    group: `layer ${shape.join("×")}`,
    flops: 2 * m * k * n,
    run: instance.exports.run as () => void,
  };
}

function relaxedSimdSupported(): boolean {
  const w = new WasmModule({ relaxedSimd: true });
  const fb = new FunctionBuilder(w, []);
  const zero = () => w.v128.const(new Array(16).fill(0));
  w.addFunction("f", fb, "v128", w.f32x4MulAdd(zero(), zero(), zero()), true);
  return WebAssembly.validate(w.finish(1).binary);
}

const MODES = relaxedSimdSupported() ? [false, true] : [false];
const kernels: Kernel[] = [];
for (const shape of SHAPES) {
  for (const relaxed of MODES) {
    for (const form of FORMS) kernels.push(await compile(form, shape, relaxed));
  }
}

for (const kernel of kernels) {
  Deno.bench({ name: kernel.label, group: kernel.group, fn: kernel.run });
}

/** GFLOP/s over 15 timed rounds of ~0.2 GFLOP each: the best round and the median one. */
function gflops(kernel: Kernel): { best: number; median: number } {
  const calls = Math.max(1, Math.round(2e8 / kernel.flops));
  kernel.run(); // warm up
  const rates: number[] = [];
  for (let round = 0; round < 15; round++) {
    const start = performance.now();
    for (let x = 0; x < calls; x++) kernel.run();
    rates.push((kernel.flops * calls) / ((performance.now() - start) * 1e6));
  }
  rates.sort((x, y) => x - y);
  return { best: rates[rates.length - 1], median: rates[rates.length >> 1] };
}

if (import.meta.main) {
  const modes = MODES.map((r) => (r ? "relaxed" : "default"));
  console.log("GFLOP/s of one call, best / median of 15 rounds");
  console.log(["product (m×k×n)".padEnd(22), ...modes.map((x) => x.padStart(13))].join(" "));
  for (let x = 0; x < kernels.length; x += FORMS.length * MODES.length) {
    for (let f = 0; f < FORMS.length; f++) {
      const row = MODES.map((_, r) => kernels[x + r * FORMS.length + f]);
      const cells = row.map((kernel) => {
        const { best, median } = gflops(kernel);
        return `${best.toFixed(1)} / ${median.toFixed(1)}`.padStart(13);
      });
      const name = row[0].label.split(" ").slice(0, 2).join(" ");
      console.log([name.padEnd(22), ...cells].join(" "));
    }
  }
}
