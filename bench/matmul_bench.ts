/**
 * Speed of the f32 matrix-product kernel on the three products of a dense
 * layer, at the shapes of a 784→128 layer and a 784→512 one.
 *
 * `deno bench bench/matmul_bench.ts` times each kernel call;
 * `deno run -A bench/matmul_bench.ts` prints a GFLOP/s table (2·m·k·n flops
 * per call), default and relaxed-SIMD builds side by side; then the forward
 * product 128×784×128 with and without a bias + relu epilogue (fused into the
 * stores), counted at the same 2·m·k·n flops so the rates compare directly;
 * then each product split among 1, 2, … threads (`--threads=1,2`, default
 * 1 and `navigator.hardwareConcurrency`): the split the compiler would choose
 * (`schedule/split.ts`), run by a module on shared memory with worker
 * threads, one call = the threads' shares and one barrier, rounds of all
 * thread counts interleaved. `--threads-only` prints that last table alone.
 *
 * @module
 */

import {
  emitMatmul,
  type MatmulEpilogue,
  matmulScratchBytes,
  type MatmulSpec,
} from "../compiler/codegen/emit_matmul.ts";
import { FunctionBuilder, relaxedSimdSupported, WasmModule } from "../compiler/codegen/wasm.ts";
import { Kernel as KernelContext } from "../compiler/codegen/kernel.ts";
import {
  BARRIER,
  emitThreadLoop,
  emitThreadSupport,
  threadedStart,
} from "../compiler/codegen/emit_threads.ts";
import { sharedMemory, ThreadPool } from "../runtime/threads.ts";
import { parseArgs } from "node:util";

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

/** `relu(C + bias[j])` at f32, the bias at byte `bias` (16 bytes of slack after it). */
function biasRelu(w: WasmModule, bias: number): MatmulEpilogue {
  const at = (col: () => number) => w.i32.add(w.i32.const(bias), w.i32.shl(col(), w.i32.const(2)));
  return {
    vector: (_fb, acc, _row, col) =>
      w.f32x4.max(w.f32x4.add(acc, w.v128.load(0, 4, at(col))), w.f32x4.splat(w.f32.const(0))),
    scalar: (_fb, acc, _row, col) =>
      w.f32.max(w.f32.add(acc, w.f32.load(0, 4, at(col))), w.f32.const(0)),
  };
}

/**
 * Compiles one product with A, B, C, scratch (and the bias, with `epilogue`)
 * one after another, filled with random values.
 */
export async function compile(
  form: Form,
  shape: readonly number[],
  relaxedSimd: boolean,
  epilogue = false,
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
  };
  const w = new WasmModule({ relaxedSimd });
  const bias = scratch + matmulScratchBytes(spec, 0) + 64;
  emitMatmul(w, epilogue ? { ...spec, epilogue: biasRelu(w, bias) } : spec);
  w.addFunction("run", new FunctionBuilder(w, []), "none", w.call("mm", [], "none"), true);
  const bytes = bias + n * 4 + 16;
  const { binary } = w.finish(Math.ceil(bytes / 65536));
  const { instance } = await WebAssembly.instantiate(binary);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const view = new Float32Array(memory.buffer, a, floats[0] + floats[1]);
  for (let x = 0; x < view.length; x++) view[x] = Math.sin(x) * 0.5;
  const biasView = new Float32Array(memory.buffer, bias, n);
  for (let x = 0; x < n; x++) biasView[x] = Math.cos(x) * 0.5;
  const mode = relaxedSimd ? "relaxed" : "default";
  return {
    label: `${form} ${m}×${k}×${n}${epilogue ? " +bias·relu" : ""} ${mode}`,
    group: `layer ${shape.join("×")}`,
    flops: 2 * m * k * n,
    run: instance.exports.run as () => void,
  };
}

/**
 * The product of `compile` split among `threads` threads (rows, or column
 * panels where B is packed), in a module on shared memory whose workers run
 * it with this thread: one call is every thread's share, then a barrier.
 */
export async function compileThreaded(
  form: Form,
  shape: readonly number[],
  relaxedSimd: boolean,
  threads: number,
): Promise<Kernel & { pool: ThreadPool }> {
  const { m, k, n, transA, transB } = product(form, shape);
  const floats = [m * k, k * n, m * n];
  const [a, b, c] = [0, floats[0] * 4, (floats[0] + floats[1]) * 4].map((x) => x + 64);
  const scratch = c + floats[2] * 4 + 64;
  const base = { dtype: "f32" as const, m, k, n, transA, transB };
  const stride = Math.ceil(matmulScratchBytes(base, 0) / 16) * 16;
  const packs = transB || n > 128;
  const split = packs ? "columns" as const : "rows" as const;
  const spec: MatmulSpec = {
    name: "mm",
    ...base,
    a,
    b,
    c,
    scratch,
    split,
    scratchStride: stride,
  };
  const control = Math.ceil((scratch + threads * stride + 64) / 64) * 64;
  const threading = { count: threads, control };
  const w = new WasmModule({ relaxedSimd, sharedMemory: true });
  emitThreadSupport(w, threading);
  emitMatmul(w, spec);
  w.addFunction(
    "body",
    new FunctionBuilder(w, []),
    "none",
    w.block(null, [w.call("mm", [], "none"), w.call(BARRIER, [], "none")]),
  );
  const entry = new KernelContext(w, "f32", ["i32"]);
  entry.finish("run", [
    ...threadedStart(entry, threading, 0, 1, () => []),
    w.call("body", [], "none"),
  ], true);
  emitThreadLoop(w, threading, [{ name: "run", body: "body", minBatch: 1 }]);
  const bytes = control + 128;
  const { binary } = w.finish(Math.ceil(bytes / 65536));
  const module = await WebAssembly.compile(binary);
  const memory = sharedMemory(bytes);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const pool = await ThreadPool.start(module, memory, instance.exports, threads);
  const view = new Float32Array(memory.buffer, a, floats[0] + floats[1]);
  for (let x = 0; x < view.length; x++) view[x] = Math.sin(x) * 0.5;
  const run = instance.exports.run as (n: number) => void;
  return {
    label: `${form} ${m}×${k}×${n} ${relaxedSimd ? "relaxed" : "default"} ${threads}t (${split})`,
    group: `threads ${shape.join("×")}`,
    flops: 2 * m * k * n,
    run: () => run(1),
    pool,
  };
}

const MODES = relaxedSimdSupported() ? [false, true] : [false];
const kernels: Kernel[] = [];
for (const shape of SHAPES) {
  for (const relaxed of MODES) {
    for (const form of FORMS) kernels.push(await compile(form, shape, relaxed));
  }
}

/** The forward product of the 784→128 layer at batch 128: without, then with bias + relu, per mode. */
const EPILOGUE_SHAPE = [128, 784, 128] as const;
const epilogueKernels: Kernel[] = [];
for (const relaxed of MODES) {
  for (const epilogue of [false, true]) {
    epilogueKernels.push(await compile("x·W", EPILOGUE_SHAPE, relaxed, epilogue));
  }
}

for (const kernel of kernels) {
  Deno.bench({ name: kernel.label, group: kernel.group, fn: kernel.run });
}
for (const kernel of epilogueKernels) {
  Deno.bench({
    name: kernel.label,
    group: `epilogue ${EPILOGUE_SHAPE.join("×")}`,
    baseline: kernel === epilogueKernels[0],
    fn: kernel.run,
  });
}

/**
 * GFLOP/s over 15 timed rounds of ~0.2 GFLOP each per kernel, the best round
 * and the median one. The kernels' rounds are interleaved, so that load from
 * elsewhere on the machine falls on all of them alike.
 */
function gflops(...kernels: Kernel[]): { best: number; median: number }[] {
  const calls = kernels.map((kernel) => Math.max(1, Math.round(2e8 / kernel.flops)));
  for (const kernel of kernels) kernel.run(); // warm up
  const rates: number[][] = kernels.map(() => []);
  for (let round = 0; round < 15; round++) {
    kernels.forEach((kernel, x) => {
      const start = performance.now();
      for (let call = 0; call < calls[x]; call++) kernel.run();
      rates[x].push((kernel.flops * calls[x]) / ((performance.now() - start) * 1e6));
    });
  }
  return rates.map((r) => {
    r.sort((x, y) => x - y);
    return { best: r[r.length - 1], median: r[r.length >> 1] };
  });
}

const { values } = parseArgs({
  args: Deno.args,
  options: { threads: { type: "string" }, "threads-only": { type: "boolean", default: false } },
});

if (import.meta.main && !values["threads-only"]) {
  const modes = MODES.map((r) => (r ? "relaxed" : "default"));
  console.log("GFLOP/s of one call, best / median of 15 rounds");
  console.log(["product (m×k×n)".padEnd(22), ...modes.map((x) => x.padStart(13))].join(" "));
  for (let x = 0; x < kernels.length; x += FORMS.length * MODES.length) {
    for (let f = 0; f < FORMS.length; f++) {
      const row = MODES.map((_, r) => kernels[x + r * FORMS.length + f]);
      const cells = row.map((kernel) => {
        const [{ best, median }] = gflops(kernel);
        return `${best.toFixed(1)} / ${median.toFixed(1)}`.padStart(13);
      });
      const name = row[0].label.split(" ").slice(0, 2).join(" ");
      console.log([name.padEnd(22), ...cells].join(" "));
    }
  }
  console.log();
  console.log(
    "x·W 128×784×128, epilogue fused into the stores (same flop count; rounds interleaved)",
  );
  console.log(["epilogue".padEnd(22), ...modes.map((x) => x.padStart(13))].join(" "));
  // Per mode: [without, with], measured together.
  const rates = MODES.map((_, r) => gflops(epilogueKernels[2 * r], epilogueKernels[2 * r + 1]));
  for (const [e, name] of ["none", "bias + relu"].entries()) {
    const cells = rates.map((pair) =>
      `${pair[e].best.toFixed(1)} / ${pair[e].median.toFixed(1)}`.padStart(13)
    );
    console.log([name.padEnd(22), ...cells].join(" "));
  }
  const ratios = rates.map((pair) => (pair[1].median / pair[0].median).toFixed(3).padStart(13));
  console.log(["with / without (median)".padEnd(22), ...ratios].join(" "));
  console.log();
}

if (import.meta.main) {
  const counts = values.threads === undefined
    ? [...new Set([1, navigator.hardwareConcurrency])]
    : values.threads.split(",").map(Number);
  console.log(
    `Split among threads (GFLOP/s, best / median of 15 rounds; rounds interleaved; ${
      counts.join(", ")
    } threads; 1 thread: the unsplit kernel)`,
  );
  console.log(
    [
      "product (m×k×n)".padEnd(28),
      ...counts.map((t) => `${t}t`.padStart(13)),
      ...counts.slice(1).map((t) => `${t}t/1t`.padStart(8)),
    ].join(" "),
  );
  for (const shape of SHAPES) {
    for (const relaxed of MODES) {
      for (const form of FORMS) {
        const single = await compile(form, shape, relaxed);
        const many = [];
        for (const t of counts.slice(1)) many.push(await compileThreaded(form, shape, relaxed, t));
        const results = gflops(single, ...many);
        const cells = results.map((r) =>
          `${r.best.toFixed(1)} / ${r.median.toFixed(1)}`.padStart(13)
        );
        const speedups = results.slice(1).map((r) =>
          (r.median / results[0].median).toFixed(2).padStart(8)
        );
        const name = `${single.label.split(" ").slice(0, 2).join(" ")} ${relaxed ? "fma" : ""}`;
        console.log([name.padEnd(28), ...cells, ...speedups].join(" "));
        for (const k of many) await k.pool.dispose();
      }
    }
  }
}
