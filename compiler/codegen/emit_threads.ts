/**
 * The threading machinery of a module that several threads run at once
 * (compiled with `threads` > 1): each thread instantiates the module on one
 * shared memory; the thread that calls a program (thread 0) wakes the others,
 * every thread runs the program's body — its share of each split kernel, and
 * thread 0 alone the other kernels — and the threads meet at barriers
 * between dependent kernels.
 *
 * - `threads_setup(enabled, mayWait)` (exported) arms the instance: with
 *   `enabled` 0 (the initial state) every call runs on the calling thread
 *   alone, which is also how a module runs with no workers at all; `mayWait`
 *   0 makes this thread spin instead of sleeping (a browser's main thread may
 *   not block).
 * - `thread_loop(index)` (exported) is what a worker runs: it waits for a
 *   command, runs the program's body as thread `index`, and waits again,
 *   until the exit command (`THREAD_EXIT`) makes it return.
 * - `threads_exit()` (exported) disarms the instance and sends the exit
 *   command; `threads_calls()` (exported) counts the commands sent so far.
 * - A program's exported entry writes the command (program, batch size) and
 *   bumps the command counter, when the batch is large enough for threads to
 *   pay (the program's `minBatch`); below it, the same body runs with one
 *   thread and no barriers.
 *
 * Waiting — for a command, at a barrier — spins on an atomic load for a
 * while first, then sleeps with `memory.atomic.wait32`; a thread that
 * releases others notifies only when one is asleep (a count of sleepers,
 * next to each counter, says so).
 *
 * The control block (`CONTROL_BYTES` at a 64-byte aligned offset) holds, as
 * i32 words: the command counter, program and batch size, the number of
 * threads asleep waiting for a command; then, on the next 64-byte line, the
 * barrier's arrival count, its generation and its sleepers.
 *
 * @module
 */

import { BATCH_GLOBAL } from "./emit_math.ts";
import { Kernel, THREAD_GLOBAL, THREADS_GLOBAL } from "./kernel.ts";
import type { Expr, WasmModule } from "./wasm.ts";
import { THREAD_EXIT, THREAD_EXPORTS } from "../../core/contract.ts";

/** Bytes of the control block. */
export const CONTROL_BYTES = 128;

/** Global: whether calls may use the workers (set by `threads_setup`). */
const ENABLED_GLOBAL = "threads_enabled";
/** Global: whether this thread may sleep (set by `threads_setup`; initially 1). */
const MAY_WAIT_GLOBAL = "may_wait";

/** Word offsets in the control block. */
const COMMAND = 0;
const PROGRAM = 4;
const BATCH = 8;
const IDLE_SLEEPERS = 12;
const ARRIVED = 64;
const GENERATION = 68;
const SLEEPERS = 72;

/**
 * How long a thread spins (atomic loads, about 0.25–0.5 ns each on a current
 * x86 core) before it sleeps in `memory.atomic.wait32`, adapted as it runs:
 * each thread keeps a budget of spins per kind of wait (at barriers; for
 * the next call), starting at the maximum. A wait that ends while spinning
 * raises the budget to 4× the spins it took, if that is more (at most the
 * maximum); a wait that outlasts the budget halves it (at least the minimum).
 *
 * - With the cores free, waits are short and the budget stays high: a
 *   thread whose share reads data the other thread just wrote (the batch,
 *   written from JavaScript) arrives tens of microseconds late, and the
 *   caller's next batch takes about as long to write; sleeping and being
 *   woken costs more than that. (M1 at batch 128 on 2 threads: 1.4× over one
 *   thread with the minimum budgets, 1.8–1.9× with the maximum.)
 * - On a loaded machine the other thread is often descheduled: waits outlast
 *   the budget, which falls to the minimum, and a thread that shares its
 *   core with the one it waits for does not spin it out of its time slice.
 *   (Same model, other work on both cores: 0.55× with the maximum budgets
 *   fixed, against 0.9× with the minimum.)
 */
const BARRIER_SPINS = { min: 20_000, max: 400_000, global: "barrier_spins" } as const;
const IDLE_SPINS = { min: 50_000, max: 1_000_000, global: "idle_spins" } as const;

/** Name of the barrier function. */
export const BARRIER = "thread_barrier";

/** What the threading code of a module needs to know. */
export interface ThreadingSpec {
  /** Threads that run a threaded call (the caller and count − 1 workers). */
  readonly count: number;
  /** Byte offset of the control block (64-byte aligned). */
  readonly control: number;
}

/**
 * Adds the barrier function and `threads_setup`. Call once per module.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitThreadSupport } from "./emit_threads.ts";
 * import { WasmModule } from "./wasm.ts";
 * const w = new WasmModule({ sharedMemory: true });
 * emitThreadSupport(w, { count: 2, control: 0 });
 * assert.ok(WebAssembly.validate(w.finish(1).binary));
 * ```
 */
export function emitThreadSupport(w: WasmModule, spec: ThreadingSpec): void {
  w.addGlobal(BATCH_GLOBAL, "i32");
  w.addGlobal(ENABLED_GLOBAL, "i32");
  w.addGlobal(MAY_WAIT_GLOBAL, "i32", 1);
  w.addGlobal(THREAD_GLOBAL, "i32");
  w.addGlobal(THREADS_GLOBAL, "i32", 1);
  w.addGlobal(BARRIER_SPINS.global, "i32", BARRIER_SPINS.max);
  w.addGlobal(IDLE_SPINS.global, "i32", IDLE_SPINS.max);
  emitBarrier(w, spec);
  const setup = new Kernel(w, "f32", ["i32", "i32"]);
  setup.finish(THREAD_EXPORTS.setup, [
    w.globalSet(ENABLED_GLOBAL, setup.get(0)),
    w.globalSet(MAY_WAIT_GLOBAL, setup.get(1)),
  ], true);
  // The exit command: every worker leaves thread_loop. Calls stop using them first.
  const exit = new Kernel(w, "f32");
  const c = spec.control;
  exit.finish(THREAD_EXPORTS.exit, [
    w.globalSet(ENABLED_GLOBAL, exit.i32(0)),
    w.i32.store(c + PROGRAM, 4, exit.i32(0), exit.i32(THREAD_EXIT)),
    w.drop(w.atomic.add(c + COMMAND, exit.i32(0), exit.i32(1))),
    w.drop(w.atomic.notify(exit.i32(c + COMMAND), exit.i32(spec.count))),
  ], true);
  const calls = new Kernel(w, "f32");
  calls.finish(THREAD_EXPORTS.calls, [load(w, c + COMMAND)], true, "i32");
}

/** An atomic load of the word at `address`. */
function load(w: WasmModule, address: number): Expr {
  return w.atomic.load(address, w.i32.const(0));
}

/**
 * Waits until the word at `address` differs from local `seen`: spins up to
 * this thread's budget (`spins`, adapted as `BARRIER_SPINS` says), then
 * sleeps (counting itself in `sleepers` meanwhile) where the thread may
 * block, else spins on.
 */
function waitWhileEqual(
  k: Kernel,
  address: number,
  seen: number,
  sleepers: number,
  spins: typeof BARRIER_SPINS | typeof IDLE_SPINS,
): Expr[] {
  const w = k.w;
  const left = k.local("i32");
  const used = k.local("i32");
  const done = w.label("changed");
  const spun = w.label("spun");
  const spin = w.label("spin");
  const sleep = w.label("sleep");
  const changed = () => w.i32.ne(load(w, address), k.get(seen));
  const budget = () => w.globalGet(spins.global, "i32");
  const clamp = (x: () => Expr, lo: number, hi: number) => {
    const low = () => w.select(w.i32.lt_u(x(), k.i32(lo)), k.i32(lo), x());
    return w.select(w.i32.gt_u(low(), k.i32(hi)), k.i32(hi), low());
  };
  return [
    w.block(done, [
      w.block(spun, [
        k.set(left, budget()),
        w.loop(
          spin,
          w.block(null, [
            w.br(spun, changed()),
            k.set(left, w.i32.sub(k.get(left), k.i32(1))),
            w.br(spin, k.get(left)),
          ]),
        ),
        // Outlasted the budget: halve it, then sleep.
        w.globalSet(
          spins.global,
          clamp(() => w.i32.shr_u(budget(), k.i32(1)), spins.min, spins.max),
        ),
        w.loop(
          sleep,
          w.block(null, [
            w.if(
              w.globalGet(MAY_WAIT_GLOBAL, "i32"),
              w.block(null, [
                w.drop(w.atomic.add(sleepers, k.i32(0), k.i32(1))),
                w.drop(w.atomic.wait32(k.i32(address), k.get(seen))),
                w.drop(w.atomic.add(sleepers, k.i32(0), k.i32(-1))),
              ]),
            ),
            w.br(done, changed()),
            w.br(sleep),
          ]),
        ),
      ]),
      // Ended while spinning: at least 4× the spins it took (4 × used < 2³² for used ≤ max).
      k.set(used, w.i32.sub(budget(), k.get(left))),
      w.globalSet(
        spins.global,
        clamp(
          () =>
            w.select(
              w.i32.gt_u(w.i32.shl(k.get(used), k.i32(2)), budget()),
              w.i32.shl(k.get(used), k.i32(2)),
              budget(),
            ),
          spins.min,
          spins.max,
        ),
      ),
    ]),
  ];
}

/**
 * The barrier: the last of the call's threads to arrive resets the count,
 * starts the next generation and wakes the sleepers; the others wait for
 * the generation to change. Returns at once when the call runs on one thread.
 */
function emitBarrier(w: WasmModule, spec: ThreadingSpec): void {
  const k = new Kernel(w, "f32");
  const generation = k.local("i32");
  const c = spec.control;
  const code: Expr[] = [
    w.if(w.i32.le_u(k.threads(), k.i32(1)), w.return()),
    k.set(generation, load(w, c + GENERATION)),
    w.if(
      w.i32.eq(
        w.atomic.add(c + ARRIVED, k.i32(0), k.i32(1)),
        w.i32.sub(k.threads(), k.i32(1)),
      ),
      w.block(null, [
        w.atomic.store(c + ARRIVED, k.i32(0), k.i32(0)),
        w.atomic.store(c + GENERATION, k.i32(0), w.i32.add(k.get(generation), k.i32(1))),
        w.if(
          load(w, c + SLEEPERS),
          w.drop(w.atomic.notify(k.i32(c + GENERATION), k.threads())),
        ),
        w.return(),
      ]),
    ),
    ...waitWhileEqual(k, c + GENERATION, generation, c + SLEEPERS, BARRIER_SPINS),
  ];
  k.finish(BARRIER, code);
}

/** A program as the thread loop and its entry see it. */
export interface ThreadedProgram {
  /** Export name of the entry. */
  readonly name: string;
  /** Name of the body function every thread runs. */
  readonly body: string;
  /**
   * Smallest batch size whose calls use the workers (Infinity: never, the
   * program has no split kernel).
   */
  readonly minBatch: number;
}

/**
 * Adds `thread_loop(index)`, the workers' loop over commands: program i of
 * `programs` is command i.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitThreadLoop, emitThreadSupport } from "./emit_threads.ts";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * const w = new WasmModule({ sharedMemory: true });
 * const spec = { count: 2, control: 0 };
 * emitThreadSupport(w, spec);
 * w.addFunction("run_body", new FunctionBuilder(w, []), "none", w.nop());
 * emitThreadLoop(w, spec, [{ name: "run", body: "run_body", minBatch: 1 }]);
 * assert.ok(WebAssembly.validate(w.finish(1).binary));
 * ```
 */
export function emitThreadLoop(
  w: WasmModule,
  spec: ThreadingSpec,
  programs: readonly ThreadedProgram[],
): void {
  const k = new Kernel(w, "f32", ["i32"]);
  const seen = k.local("i32");
  const program = k.local("i32");
  const c = spec.control;
  const next = w.label("command");
  const exit = w.label("exit");
  const dispatch = programs.map((p, i) =>
    w.if(w.i32.eq(k.get(program), k.i32(i)), w.call(p.body, [], "none"))
  );
  k.finish(THREAD_EXPORTS.loop, [
    w.globalSet(THREAD_GLOBAL, k.get(0)),
    w.globalSet(THREADS_GLOBAL, k.i32(spec.count)),
    k.set(seen, k.i32(0)),
    w.block(exit, [
      w.loop(
        next,
        w.block(null, [
          ...waitWhileEqual(k, c + COMMAND, seen, c + IDLE_SLEEPERS, IDLE_SPINS),
          k.set(seen, w.i32.add(k.get(seen), k.i32(1))),
          k.set(program, w.i32.load(c + PROGRAM, 4, k.i32(0))),
          w.br(exit, w.i32.eq(k.get(program), k.i32(THREAD_EXIT))),
          w.globalSet(BATCH_GLOBAL, w.i32.load(c + BATCH, 4, k.i32(0))),
          ...dispatch,
          w.br(next),
        ]),
      ),
    ]),
  ], true);
}

/**
 * The start of a threaded program's entry (parameter 0: the batch size):
 * when the workers are enabled and the batch is at least `minBatch`, a call
 * on all threads — `prepare` (e.g. clearing the non-finite flag) runs before
 * the workers are woken; otherwise a call on this thread alone.
 */
export function threadedStart(
  k: Kernel,
  spec: ThreadingSpec,
  index: number,
  minBatch: number,
  prepare: () => Expr[],
): Expr[] {
  const w = k.w;
  const c = spec.control;
  if (!Number.isFinite(minBatch)) {
    return [w.globalSet(THREADS_GLOBAL, k.i32(1)), ...prepare()];
  }
  const threaded = w.i32.and(
    w.globalGet(ENABLED_GLOBAL, "i32"),
    w.i32.ge_u(k.get(0), k.i32(minBatch)),
  );
  return [
    w.if(
      threaded,
      w.block(null, [
        w.globalSet(THREADS_GLOBAL, k.i32(spec.count)),
        ...prepare(),
        w.i32.store(c + PROGRAM, 4, k.i32(0), k.i32(index)),
        w.i32.store(c + BATCH, 4, k.i32(0), k.get(0)),
        w.drop(w.atomic.add(c + COMMAND, k.i32(0), k.i32(1))),
        w.if(
          load(w, c + IDLE_SLEEPERS),
          w.drop(w.atomic.notify(k.i32(c + COMMAND), k.i32(spec.count - 1))),
        ),
      ]),
      w.block(null, [w.globalSet(THREADS_GLOBAL, k.i32(1)), ...prepare()]),
    ),
  ];
}

/** `if (thread == 0) call fn`: a kernel that is not split runs on the calling thread. */
export function onFirstThread(k: Kernel, call: Expr): Expr {
  return k.w.if(k.w.i32.eqz(k.thread()), call);
}
