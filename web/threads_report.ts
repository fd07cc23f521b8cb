/**
 * What the threads browser check's page (`threads_page.ts`) reports, and the
 * hash it takes of the parameters, shared by the page and `threads_e2e.ts`.
 *
 * @module
 */

/** What the page shows. */
export interface ThreadsPageReport {
  /** `crossOriginIsolated` in the page. */
  readonly isolated: boolean;
  /** The loaded trainer's thread count. */
  readonly threads: number;
  /** Why it runs on one thread, if it does. */
  readonly note: string | null;
  /** The losses of three steps on the served batch. */
  readonly losses: number[];
  /** `hashArrays` of the parameters after them, in name order. */
  readonly paramsHash: number;
  /** Calls that used the workers (a second trainer on the same artifact, one step). */
  readonly workerCalls: number | null;
}

/** FNV-1a over the bytes of each array, in order. */
export function hashArrays(arrays: readonly (Float32Array | Float64Array)[]): number {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    for (const b of new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) {
      h = Math.imul(h ^ b, 0x01000193) >>> 0;
    }
  }
  return h;
}
