/**
 * The workers of a module compiled for several threads (`Artifact.threads`):
 * whether this environment can run them, starting them on the module's
 * shared memory, and stopping them.
 *
 * Each worker instantiates the module on the shared memory and runs its
 * `thread_loop` (see `THREAD_EXPORTS` in core/contract.ts), sleeping between
 * calls; the thread that calls a program runs as thread 0 and wakes them.
 *
 * - On Deno and Node.js the workers are `node:worker_threads` workers,
 *   unreferenced: a process whose last trainer was not disposed still exits
 *   when its own work is done. (Deno's web `Worker` keeps a process alive
 *   and cannot be unreferenced.)
 * - In a browser they are module `Worker`s; `SharedArrayBuffer` there needs
 *   a cross-origin isolated page (the COOP and COEP headers), and the
 *   page's main thread may not block, so it spins at barriers instead.
 *
 * Where shared memory is unavailable, a threaded module still runs on one
 * thread: `unsharedModule` rewrites its memory import as unshared (the
 * atomic instructions stay valid; the code that would wait never runs).
 *
 * @module
 */

import { MATH_IMPORTS, memoryPages, THREAD_EXPORTS } from "../core/contract.ts";

/** Whether this environment can run a module's workers, and if not, why. */
export type ThreadSupport = { readonly available: true } | {
  readonly available: false;
  /** A sentence saying what is missing. */
  readonly reason: string;
};

/** The exports of a threaded module the runtime calls. */
interface ThreadExports {
  threads_setup(enabled: number, mayWait: number): void;
  thread_loop(index: number): void;
  threads_exit(): void;
  threads_calls(): number;
}

/** What a worker is started with. */
export interface WorkerStart {
  /** The compiled module. */
  readonly module: WebAssembly.Module;
  /** Its shared memory. */
  readonly memory: WebAssembly.Memory;
  /** The worker's thread index (1, 2, …). */
  readonly index: number;
}

/** What a worker reports. */
export type WorkerMessage = { readonly ready: true } | { readonly exited: true } | {
  readonly error: string;
};

interface NodeWorker {
  on(event: "message", listener: (m: WorkerMessage) => void): void;
  on(event: "error", listener: (e: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface Spawned {
  /** Resolves when the worker reported that it is ready (rejects on an error before). */
  readonly ready: Promise<void>;
  /** Resolves when the worker left its loop (or failed, or was terminated). */
  readonly exited: Promise<void>;
  /**
   * Whether the worker keeps the process alive (Deno, Node.js): while the
   * runtime awaits a message from it, yes; while it idles, no.
   */
  keepAlive(on: boolean): void;
  terminate(): Promise<void>;
}

const hasNodeWorkers = () => {
  const g = globalThis as { Deno?: unknown; process?: { versions?: { node?: string } } };
  return g.Deno !== undefined || g.process?.versions?.node !== undefined;
};

/**
 * Whether this environment can run a threaded module's workers:
 * `SharedArrayBuffer`, `Atomics`, shared WebAssembly memory and workers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { threadSupport } from "./threads.ts";
 * assert.equal(threadSupport().available, true); // Deno has all of it
 * ```
 */
export function threadSupport(): ThreadSupport {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof SharedArrayBuffer === "undefined" || g.crossOriginIsolated === false) {
    return {
      available: false,
      reason: "SharedArrayBuffer is not available here (a web page needs cross-origin " +
        "isolation: the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)",
    };
  }
  if (typeof Atomics === "undefined") {
    return { available: false, reason: "Atomics is not available here" };
  }
  if (!hasNodeWorkers() && typeof g.Worker !== "function") {
    return { available: false, reason: "workers are not available here" };
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return {
      available: false,
      reason: `shared WebAssembly memory is not available here (${(e as Error).message})`,
    };
  }
  return { available: true };
}

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A threaded module's memory: shared, of the module's fixed size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharedMemory } from "./threads.ts";
 * assert.ok(sharedMemory(100_000).buffer instanceof SharedArrayBuffer);
 * ```
 */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  const pages = memoryPages(bytes);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Reads an unsigned LEB128 at `at`: its value and the offset after it. */
function leb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, at];
  }
}

/**
 * A copy of a threaded module whose memory import is unshared, to run on
 * one thread where shared memory is unavailable; the module unchanged when
 * it imports no shared memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unsharedModule } from "./threads.ts";
 * // (module (import "env" "memory" (memory 1 1 shared)))
 * const shared = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 2, 16, 1, 3, 101, 110, 118, 6, 109,
 *   101, 109, 111, 114, 121, 2, 3, 1, 1);
 * const plain = unsharedModule(shared);
 * assert.equal(plain[plain.length - 3], 1); // limits flags: maximum, not shared
 * assert.ok(WebAssembly.validate(plain));
 * ```
 */
export function unsharedModule(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = Uint8Array.from(wasm);
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [length, body] = leb(bytes, at + 1);
    if (id === 2) {
      let p = body;
      let count: number;
      [count, p] = leb(bytes, p);
      for (let i = 0; i < count; i++) {
        for (let name = 0; name < 2; name++) {
          const [n, start] = leb(bytes, p);
          p = start + n;
        }
        const kind = bytes[p++];
        if (kind === 0) [, p] = leb(bytes, p); // function: type index
        else if (kind === 1) { // table: reference type, limits
          p++;
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) { // memory: limits
          const flags = bytes[p];
          if (flags & 2) bytes[p] = flags & ~2;
          p++;
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) p += 2; // global: value type, mutability
        else p++; // tag
      }
      return bytes;
    }
    at = body + length;
  }
  return bytes;
}

/** Starts one worker on the Web `Worker` API or `node:worker_threads`. */
async function spawn(start: WorkerStart): Promise<Spawned> {
  const url = new URL("./thread_worker.ts", import.meta.url);
  let settle!: { ready: [() => void, (e: Error) => void]; exited: () => void };
  const ready = new Promise<void>((resolve, reject) => {
    settle = { ready: [resolve, reject], exited: () => {} };
  });
  const exited = new Promise<void>((resolve) => (settle.exited = resolve));
  const onMessage = (m: WorkerMessage) => {
    if ("ready" in m) settle.ready[0]();
    else if ("error" in m) {
      settle.ready[1](new Error(`A worker thread failed: ${m.error}`));
      settle.exited();
    } else settle.exited();
  };
  if (hasNodeWorkers()) {
    const { Worker } = await import("node:worker_threads");
    const worker = new Worker(url, { workerData: start }) as unknown as NodeWorker;
    worker.on("message", onMessage);
    worker.on("error", (e) => onMessage({ error: e.message }));
    return {
      ready,
      exited,
      keepAlive: (on) => (on ? worker.ref() : worker.unref()),
      terminate: async () => {
        await worker.terminate();
        settle.exited();
      },
    };
  }
  const worker = new Worker(url, { type: "module" });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => onMessage(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    // A script that fails to load gives an event without a message.
    onMessage({ error: e.message || `the worker script ${url.href} could not be loaded` });
  };
  worker.postMessage(start);
  return {
    ready,
    exited,
    keepAlive: () => {},
    terminate: () => {
      worker.terminate();
      settle.exited();
      return Promise.resolve();
    },
  };
}

/**
 * The running workers of one instance. `dispose` stops them; calls then run
 * on the calling thread alone.
 */
export class ThreadPool {
  readonly #exports: ThreadExports;
  readonly #workers: readonly Spawned[];
  #disposed: Promise<void> | undefined;

  private constructor(exports: ThreadExports, workers: readonly Spawned[]) {
    this.#exports = exports;
    this.#workers = workers;
  }

  /**
   * Starts `threads − 1` workers on the module and memory of `exports` (an
   * instance on this thread) and, once they all run, lets calls use them.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compileArtifact, dense, mse } from "../mod.ts";
   * import { MATH_IMPORTS } from "../core/contract.ts";
   * import { sharedMemory, ThreadPool } from "./threads.ts";
   * const { artifact } = compileArtifact(dense(512, 512), { loss: mse, batchSize: 256, threads: 2 });
   * const module = await WebAssembly.compile(artifact.wasm);
   * const memory = sharedMemory(artifact.memoryBytes);
   * const instance = await WebAssembly.instantiate(module, { env: { ...MATH_IMPORTS, memory } });
   * const pool = await ThreadPool.start(module, memory, instance.exports, 2);
   * assert.equal(pool.threads, 2);
   * await pool.dispose();
   * ```
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    exports: WebAssembly.Exports,
    threads: number,
  ): Promise<ThreadPool> {
    const ex = exports as unknown as ThreadExports;
    const workers: Spawned[] = [];
    try {
      for (let index = 1; index < threads; index++) {
        workers.push(await spawn({ module, memory, index }));
      }
      await Promise.all(workers.map((w) => w.ready));
      // Idle workers do not keep the process alive.
      for (const w of workers) w.keepAlive(false);
    } catch (e) {
      ex.threads_exit();
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    ex[THREAD_EXPORTS.setup](1, mayBlock() ? 1 : 0);
    return new ThreadPool(ex, workers);
  }

  /** How many calls have used the workers so far (the module's command counter). */
  get calls(): number {
    return this.#exports[THREAD_EXPORTS.calls]();
  }

  /** Threads that run a call: this one and the workers (1 once disposed). */
  get threads(): number {
    return this.#disposed === undefined ? this.#workers.length + 1 : 1;
  }

  /**
   * Stops the workers: calls run on this thread from now on; the promise
   * settles once every worker has ended. Idempotent.
   */
  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      for (const w of this.#workers) w.keepAlive(true);
      this.#exports[THREAD_EXPORTS.exit]();
      await Promise.all(this.#workers.map((w) => w.exited));
      await Promise.all(this.#workers.map((w) => w.terminate()));
    })();
    return this.#disposed;
  }
}

/**
 * Instantiates a module built for several threads: on shared memory with
 * `threads − 1` workers when the environment allows (`support`, detected by
 * default) and `threads` > 1, else on this thread alone — on unshared memory
 * where shared memory is unavailable — with a note saying why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, mse } from "../mod.ts";
 * import { instantiateThreaded } from "./threads.ts";
 * const { artifact } = compileArtifact(dense(512, 512), { loss: mse, batchSize: 256, threads: 2 });
 * const alone = await instantiateThreaded(artifact.wasm, artifact.memoryBytes, 2, {
 *   support: { available: false, reason: "no SharedArrayBuffer (say)" },
 * });
 * assert.equal(alone.pool, null);
 * assert.ok(!((alone.exports.memory as WebAssembly.Memory).buffer instanceof SharedArrayBuffer));
 * ```
 */
export async function instantiateThreaded(
  wasm: Uint8Array<ArrayBuffer>,
  memoryBytes: number,
  threads: number,
  options: {
    /** What the environment supports (default: detected). */
    readonly support?: ThreadSupport;
    /** `wasm`, compiled already. */
    readonly module?: WebAssembly.Module;
  } = {},
): Promise<{ exports: WebAssembly.Exports; pool: ThreadPool | null; note?: string }> {
  const support = options.support ?? threadSupport();
  if (!support.available) {
    const pages = memoryPages(memoryBytes);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const module = await WebAssembly.compile(unsharedModule(wasm));
    const instance = await WebAssembly.instantiate(module, { env: { ...MATH_IMPORTS, memory } });
    return { exports: instance.exports, pool: null, note: support.reason };
  }
  const memory = sharedMemory(memoryBytes);
  const module = options.module ?? await WebAssembly.compile(wasm);
  const instance = await WebAssembly.instantiate(module, { env: { ...MATH_IMPORTS, memory } });
  if (threads <= 1) return { exports: instance.exports, pool: null };
  try {
    const pool = await ThreadPool.start(module, memory, instance.exports, threads);
    return { exports: instance.exports, pool };
  } catch (e) {
    // E.g. a bundle without the worker script: the module runs on this thread.
    return {
      exports: instance.exports,
      pool: null,
      note: `the worker threads could not start (${(e as Error).message})`,
    };
  }
}
