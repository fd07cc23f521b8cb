/**
 * Microbenchmarks of the pipeline: compile time (model → instantiated
 * module, in a process that has already loaded Binaryen) and the bandwidth of
 * a fused elementwise loop (an Adam update: 4 arrays read, 3 written).
 *
 * `deno bench --allow-read --allow-env bench/pipeline_bench.ts` for timings;
 * `deno run --allow-read --allow-env bench/pipeline_bench.ts` prints ms and GB/s.
 *
 * @module
 */

import { adam, chain, compile, dense, relu, softmaxCrossEntropy } from "../mod.ts";
import { emitModule } from "../compiler/codegen/emit_module.ts";
import { fuse } from "../compiler/schedule/fuse.ts";
import { layoutInterface, planMemory } from "../compiler/schedule/plan_memory.ts";
import { add, div, input, mul, sqrt, sub } from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";

const M2 = () => chain(dense(784, 512), relu, dense(512, 256), relu, dense(256, 10));
const M1 = () => chain(dense(784, 128), relu, dense(128, 10));

async function compileModel(model: ReturnType<typeof M1>): Promise<void> {
  await compile(model, { loss: softmaxCrossEntropy, optimizer: adam(), batchSize: 128 });
}

/** A module whose `run` applies an Adam-style update to n elements, in place. */
async function adamLoop(n: number): Promise<{ run: () => void; bytes: number }> {
  const shape = [n];
  const [p, g, m, v] = ["p", "g", "m", "v"].map((name) => input(name, shape, "state"));
  const m2 = add(mul(m, 0.9), mul(g, 0.1));
  const v2 = add(mul(v, 0.999), mul(mul(g, g), 0.001));
  const p2 = sub(p, div(mul(m2, 0.001), add(sqrt(v2), 1e-8)));
  const graph = { ...trace({ m2, v2, p2 }), updates: [] };
  const program = fuse(graph);
  const layout = layoutInterface([graph], 1, 64);
  const plan = planMemory(program, layout, 1, layout.end);
  const { binary } = emitModule(
    [{ name: "run", program, plan, scratch: plan.end, returns: null }],
    layout,
    plan.end + 16,
    "f32",
  );
  const { instance } = await WebAssembly.instantiate(binary, {});
  const run = instance.exports.run as (batch: number) => void;
  return { run: () => run(1), bytes: 7 * 4 * n };
}

const loop = await adamLoop(1 << 20);
await compileModel(M1()); // load and warm Binaryen once

Deno.bench(
  "compile M1 784-128-10 (model → instantiated module)",
  { group: "compile" },
  async () => {
    await compileModel(M1());
  },
);
Deno.bench("compile M2 784-512-256-10 (model → instantiated module)", {
  group: "compile",
  baseline: true,
}, async () => {
  await compileModel(M2());
});
Deno.bench(
  "fused Adam-style update over 1M f32 (4 reads, 3 writes)",
  { group: "elementwise" },
  () => {
    loop.run();
  },
);

if (import.meta.main) {
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const time = async (f: () => unknown, reps: number) => {
    const out: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await f();
      out.push(performance.now() - t0);
    }
    return median(out);
  };
  console.log(
    `compile M1: ${(await time(() => compileModel(M1()), 9)).toFixed(1)} ms (median of 9)`,
  );
  console.log(
    `compile M2: ${(await time(() => compileModel(M2()), 9)).toFixed(1)} ms (median of 9)`,
  );
  const ms = await time(loop.run, 51);
  console.log(
    `fused elementwise update: ${(loop.bytes / ms / 1e6).toFixed(1)} GB/s (${
      ms.toFixed(2)
    } ms per 1M elements)`,
  );
}
