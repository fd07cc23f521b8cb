/**
 * What synchronizing the threads of a threaded module costs — the numbers
 * behind `DEFAULT_THREAD_COSTS` (compiler/schedule/split.ts): a module whose
 * program is only barriers, run by this thread and its workers (the code
 * `emit_threads.ts` generates for every threaded module).
 *
 * - barrier: a call of 1000 barriers, per barrier (threads arrive together);
 * - call, workers awake: a call with one barrier, calls back to back (the
 *   workers still spin when the next call comes);
 * - call, workers asleep: the same after 5 ms of idle time (they sleep in
 *   `memory.atomic.wait32` and must be woken).
 *
 * ```sh
 * deno run -A bench/thread_sync_bench.ts [--threads=2] [--rounds=15]
 * ```
 *
 * Medians over rounds; on a shared machine the load average matters more than
 * anything here: it is printed.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FunctionBuilder, WasmModule } from "../compiler/codegen/wasm.ts";
import { Kernel } from "../compiler/codegen/kernel.ts";
import {
  BARRIER,
  CONTROL_BYTES,
  emitThreadLoop,
  emitThreadSupport,
  threadedStart,
} from "../compiler/codegen/emit_threads.ts";
import { sharedMemory, ThreadPool } from "../runtime/threads.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { threads: { type: "string", default: "2" }, rounds: { type: "string", default: "15" } },
});
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const BARRIERS = 1000;

/** A module whose programs `one` and `many` are 1 and `BARRIERS` barriers. */
async function build() {
  const threading = { count: threads, control: 64 };
  const w = new WasmModule({ sharedMemory: true });
  emitThreadSupport(w, threading);
  const barrier = () => w.call(BARRIER, [], "none");
  w.addFunction("one_body", new FunctionBuilder(w, []), "none", barrier());
  w.addFunction(
    "many_body",
    new FunctionBuilder(w, []),
    "none",
    w.block(null, Array.from({ length: BARRIERS }, barrier)),
  );
  const programs = ["one", "many"].map((name, i) => {
    const k = new Kernel(w, "f32", ["i32"]);
    k.finish(name, [
      ...threadedStart(k, threading, i, 1, () => []),
      w.call(`${name}_body`, [], "none"),
    ], true);
    return { name, body: `${name}_body`, minBatch: 1 };
  });
  emitThreadLoop(w, threading, programs);
  const bytes = 64 + CONTROL_BYTES;
  const { binary } = w.finish(1);
  const module = await WebAssembly.compile(binary);
  const memory = sharedMemory(bytes);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const pool = await ThreadPool.start(module, memory, instance.exports, threads);
  return {
    one: instance.exports.one as (n: number) => void,
    many: instance.exports.many as (n: number) => void,
    pool,
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const m = await build();
const barrier: number[] = [];
const awake: number[] = [];
const asleep: number[] = [];
for (let round = 0; round < rounds; round++) {
  let t = performance.now();
  m.many(1);
  barrier.push(((performance.now() - t) * 1e6) / BARRIERS);
  const calls = 200;
  t = performance.now();
  for (let i = 0; i < calls; i++) m.one(1);
  awake.push(((performance.now() - t) * 1e6) / calls);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(5);
    t = performance.now();
    m.one(1);
    samples.push((performance.now() - t) * 1e6);
  }
  asleep.push(median(samples));
}
await m.pool.dispose();
const load = (() => {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
})();
console.log(`${threads} threads, ${rounds} rounds, load average ${load}`);
const show = (what: string, v: number[]) =>
  console.log(
    `${what.padEnd(22)} ${median(v).toFixed(0).padStart(7)} ns median, ${
      Math.min(...v).toFixed(0).padStart(7)
    } ns best round`,
  );
show("barrier", barrier);
show("call, workers awake", awake);
show("call, workers asleep", asleep);
console.log("(a call includes its one barrier)");
