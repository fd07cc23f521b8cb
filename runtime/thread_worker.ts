/**
 * The script each worker of a threaded trainer runs (see `threads.ts`): it
 * instantiates the module on the shared memory it is given, reports that it
 * is ready, and runs the module's `thread_loop` — its share of every call —
 * until the exit command. It imports nothing but the contract.
 *
 * Started as a `node:worker_threads` worker (Deno, Node.js: the start data
 * is `workerData`) or as a module `Worker` (browsers: the first message).
 *
 * @module
 */

import { MATH_IMPORTS, THREAD_EXPORTS } from "../core/contract.ts";
import type { WorkerMessage, WorkerStart } from "./threads.ts";

function run(start: WorkerStart, post: (message: WorkerMessage) => void): void {
  try {
    const instance = new WebAssembly.Instance(start.module, {
      env: { ...MATH_IMPORTS, memory: start.memory },
    });
    const exports = instance.exports as Record<string, (...args: number[]) => void>;
    exports[THREAD_EXPORTS.setup](1, 1);
    post({ ready: true });
    exports[THREAD_EXPORTS.loop](start.index);
    post({ exited: true });
  } catch (e) {
    post({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

const scope = globalThis as unknown as {
  self?: { onmessage: unknown; postMessage(message: WorkerMessage): void };
};
if (scope.self !== undefined) {
  const self = scope.self;
  self.onmessage = (e: MessageEvent<WorkerStart>) => run(e.data, (m) => self.postMessage(m));
} else {
  const { parentPort, workerData } = await import("node:worker_threads");
  run(workerData as WorkerStart, (m) => parentPort!.postMessage(m));
}
