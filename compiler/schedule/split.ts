/**
 * Which kernels of a program run on several threads, and how their work is
 * divided — decided from the shapes at the maximum batch and the cost of
 * synchronizing threads:
 *
 * - A matrix product splits its output by row tiles (4 rows) or column
 *   panels (8 columns): by columns when it packs B (each thread packs only
 *   its own panels) or when it sums its columns (each column is summed by
 *   one thread), else by rows.
 * - An elementwise loop splits by groups of 4 elements (flat) or rows; a
 *   reduction along one axis splits its outputs (the columns of an axis-0
 *   sum, the rows of an axis-1 one). A reduction is never cut in pieces:
 *   each output is reduced by one thread in the order one thread uses, so
 *   every value is the same bits with any number of threads.
 * - Every other kernel runs on the calling thread.
 *
 * A kernel is split when the time it saves (its estimated time × (1 − 1/T))
 * is more than twice a barrier. Threads meet at a barrier before and after
 * each split kernel (one between two split kernels). A program uses its
 * workers on a call only when the batch is at least `minBatch`: the
 * smallest batch at which the split kernels save more than the call's
 * barriers and the wake-up of the workers cost; below it the same code runs
 * on one thread.
 *
 * @module
 */

import type { Graph } from "../ir/ir.ts";
import type { FusedProgram, Kernel } from "./fuse.ts";
import { type Dim, elementCount } from "../../core/shape.ts";

/** What synchronizing threads costs, in nanoseconds (see `DEFAULT_THREAD_COSTS`). */
export interface ThreadCosts {
  /** One barrier among the threads, when they arrive close together. */
  readonly barrierNs: number;
  /** Waking the workers at the start of a call. */
  readonly wakeNs: number;
}

/**
 * Measured with `bench/thread_sync_bench.ts` (2 threads, Deno 2.9.6, AMD
 * EPYC, a shared machine: the quiet end of what it showed), rounded up: a
 * barrier costs a few hundred nanoseconds when both threads arrive together
 * and a few microseconds when one sleeps; a call's wake-up the same.
 */
export const DEFAULT_THREAD_COSTS: ThreadCosts = { barrierNs: 2000, wakeNs: 10000 };

/** How one kernel's work is divided among threads. */
export interface KernelThreading {
  /** Row tiles or column panels of a product, rows or element groups of a loop; null: thread 0 alone. */
  readonly split: "rows" | "columns" | "elements" | null;
  /** Estimated time of the whole kernel on one thread at the maximum batch, in ns. */
  readonly estimateNs: number;
  /** Why (for inspection). */
  readonly reason: string;
}

/** The threading of one program. */
export interface ThreadPlan {
  /** Threads of a threaded call. */
  readonly threads: number;
  /** Per kernel, in schedule order. */
  readonly kernels: readonly KernelThreading[];
  /** Smallest batch whose calls use the workers; Infinity when no kernel is split. */
  readonly minBatch: number;
  /** Barriers of a threaded call. */
  readonly barriers: number;
}

/** Rough single-thread speeds (this kernel generator on one core; only ratios matter). */
const MATMUL_FLOPS_PER_NS = 25;
const SCALAR_FLOPS_PER_NS = 1;
/** ns per element of an operand read or written in a SIMD loop, and per computed member. */
const ACCESS_NS = 0.08;
const MEMBER_NS = 0.05;

const size = (d: Dim, batch: number) => (d === "batch" ? batch : d);

/** The estimated one-thread time of a kernel at batch `batch`, in ns. */
export function kernelNanos(graph: Graph, kernel: Kernel, batch: number): number {
  const f64 = graph.dtype === "f64";
  const lanes = f64 ? 1 : 4;
  switch (kernel.kind) {
    case "matmul": {
      const node = graph.nodes[kernel.node];
      const a = graph.nodes[node.inputs[0]].shape;
      const k = node.attrs.transA ? a[0] : a[1];
      const [m, n] = node.shape;
      const flops = 2 * size(m, batch) * size(k, batch) * size(n, batch);
      const epilogue = kernel.epilogue?.nodes.length ?? 0;
      const stores = size(m, batch) * size(n, batch) * (1 + epilogue);
      return flops / (f64 ? SCALAR_FLOPS_PER_NS : MATMUL_FLOPS_PER_NS) + stores * ACCESS_NS;
    }
    case "elementwise": {
      const elements = elementCount(kernel.shape, batch);
      const members = new Set(kernel.nodes);
      const reads = new Set(
        kernel.nodes.flatMap((id) => graph.nodes[id].inputs).filter((i) => !members.has(i)),
      ).size;
      const accesses = reads + kernel.outputs.length;
      return elements * (accesses * ACCESS_NS + kernel.nodes.length * MEMBER_NS) * 4 / lanes;
    }
    case "reduce": {
      const source = graph.nodes[graph.nodes[kernel.node].inputs[0]];
      return elementCount(source.shape, batch) * ACCESS_NS * 4 / lanes;
    }
    default: {
      const node = graph.nodes[kernel.node];
      return elementCount(node.shape, batch) * ACCESS_NS * 4;
    }
  }
}

/** Whether a product packs B (see `emit_matmul.ts`): transposed B, or wide B and many rows of A. */
function packs(transB: boolean, m: Dim, n: number): boolean {
  return transB || !(n <= 128 || (m !== "batch" && m <= 8));
}

/** How a kernel could be split, with its work units at `batch`; null when it cannot. */
function splitOf(
  graph: Graph,
  kernel: Kernel,
  batch: number,
): { split: KernelThreading["split"]; units: number; what: string } | null {
  const f32 = graph.dtype === "f32";
  switch (kernel.kind) {
    case "matmul": {
      const node = graph.nodes[kernel.node];
      const [m, n] = node.shape;
      if (typeof n !== "number") return null; // a run-time n: the scalar kernel, rare
      const tiles = Math.ceil(size(m, batch) / 4);
      const panels = Math.ceil(n / 8);
      if (kernel.columnSum !== undefined) {
        return { split: "columns", units: panels, what: "column panels (sums its columns)" };
      }
      if (f32 && packs(node.attrs.transB ?? false, m, n) && panels >= 2) {
        return { split: "columns", units: panels, what: "column panels (packs B)" };
      }
      return { split: "rows", units: tiles, what: "row tiles" };
    }
    case "elementwise": {
      // Flat (one loop over all elements) when every operand is whole or a
      // scalar, as `emit_elementwise.ts` decides; else rows × columns.
      const members = new Set(kernel.nodes);
      const loop = kernel.shape;
      const flat = kernel.nodes.every((id) =>
        graph.nodes[id].inputs.every((i) => {
          if (members.has(i)) return true;
          const s = graph.nodes[i].shape;
          if (elementCount(s, 2) === 1 && !s.includes("batch")) return true;
          const padded = [...new Array(Math.max(0, loop.length - s.length)).fill(1), ...s];
          return padded.every((d, x) => d === loop[x]);
        })
      );
      if (flat || loop.length < 2) {
        const groups = Math.ceil(elementCount(kernel.shape, batch) / (f32 ? 4 : 1));
        return { split: "elements", units: groups, what: "element groups" };
      }
      return { split: "rows", units: size(kernel.shape[0], batch), what: "rows" };
    }
    case "reduce": {
      const node = graph.nodes[kernel.node];
      const source = graph.nodes[node.inputs[0]].shape;
      const axis = node.attrs.axis ?? null;
      if (axis === null || source.length !== 2) return null;
      if (axis === 0) {
        const groups = Math.ceil(size(source[1], batch) / (f32 ? 4 : 1));
        return { split: "columns", units: groups, what: "output columns" };
      }
      return { split: "rows", units: size(source[0], batch), what: "output rows" };
    }
    default:
      return null;
  }
}

/**
 * Plans the threading of a program for `threads` threads at batches up to
 * `maxBatch`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planThreads } from "./split.ts";
 * import { fuse } from "./fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, matmul } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 784]);
 * const program = fuse(trace({ y: matmul(x, input("w", [784, 128], "param")) }));
 * const plan = planThreads(program, 256, 2);
 * assert.equal(plan.kernels[0].split, "rows");
 * assert.ok(plan.minBatch > 1 && plan.minBatch <= 256);
 * assert.equal(planThreads(program, 1, 2).kernels[0].split, null); // too small to pay
 * ```
 */
export function planThreads(
  program: FusedProgram,
  maxBatch: number,
  threads: number,
  costs: ThreadCosts = DEFAULT_THREAD_COSTS,
): ThreadPlan {
  const { graph, kernels } = program;
  const keep = 1 - 1 / threads;
  const decided: KernelThreading[] = kernels.map((kernel) => {
    const estimateNs = kernelNanos(graph, kernel, maxBatch);
    const how = threads > 1 ? splitOf(graph, kernel, maxBatch) : null;
    if (how === null) return { split: null, estimateNs, reason: "not split (kind)" };
    if (how.units < threads) {
      return { split: null, estimateNs, reason: `not split (${how.units} ${how.what})` };
    }
    if (estimateNs * keep <= 2 * costs.barrierNs) {
      return { split: null, estimateNs, reason: "not split (too small to pay)" };
    }
    return { split: how.split, estimateNs, reason: `${how.units} ${how.what}` };
  });
  const barriers = countBarriers(decided.map((k) => k.split !== null));
  const saved = (batch: number) =>
    kernels.reduce(
      (total, kernel, i) =>
        decided[i].split === null ? total : total + kernelNanos(graph, kernel, batch) * keep,
      0,
    );
  const cost = barriers * costs.barrierNs + costs.wakeNs;
  if (barriers === 0 || saved(maxBatch) <= cost) {
    return {
      threads,
      kernels: decided.map((k) =>
        k.split === null ? k : { ...k, split: null, reason: "not split (the program is too small)" }
      ),
      minBatch: Infinity,
      barriers: 0,
    };
  }
  // The smallest batch that pays (the estimate grows with the batch).
  let low = 1;
  let high = maxBatch;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (saved(mid) > cost) high = mid;
    else low = mid + 1;
  }
  return { threads, kernels: decided, minBatch: low, barriers };
}

/**
 * Barriers of a threaded call whose kernels are split or not, in order: one
 * before and one after each split kernel, shared between neighbours (none
 * before the first kernel: the call's start is one).
 */
export function countBarriers(split: readonly boolean[]): number {
  return barrierPositions(split).filter((b) => b).length;
}

/**
 * Where the barriers go: entry i is true when one runs after kernel i (the
 * last entry: after the last kernel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barrierPositions } from "./split.ts";
 * assert.deepEqual(barrierPositions([false, true, true, false]), [true, true, true, false]);
 * assert.deepEqual(barrierPositions([true]), [true]);
 * ```
 */
export function barrierPositions(split: readonly boolean[]): boolean[] {
  return split.map((s, i) => s || (i + 1 < split.length && split[i + 1]));
}

/**
 * Prints the threading of programs for inspection: per program, whether and
 * from which batch it uses the workers, then each kernel's split.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planThreads, printThreadPlans } from "./split.ts";
 * import { fuse } from "./fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, matmul } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 784]);
 * const program = fuse(trace({ y: matmul(x, input("w", [784, 128], "param")) }));
 * const text = printThreadPlans([{ name: "run", plan: planThreads(program, 256, 2), program }]);
 * assert.match(text, /k0 matmul: rows/);
 * ```
 */
export function printThreadPlans(
  programs: readonly {
    readonly name: string;
    readonly plan: ThreadPlan;
    readonly program: FusedProgram;
  }[],
): string {
  const lines: string[] = [];
  for (const { name, plan, program } of programs) {
    lines.push(
      Number.isFinite(plan.minBatch)
        ? `${name}: ${plan.threads} threads from batch ${plan.minBatch} on, ${plan.barriers} barriers`
        : `${name}: one thread`,
    );
    plan.kernels.forEach((k, i) => {
      const kind = program.kernels[i].kind;
      const us = (k.estimateNs / 1000).toPrecision(3);
      lines.push(`  k${i} ${kind}: ${k.split ?? "-"} — ${k.reason}, ~${us} µs on one thread`);
    });
  }
  return lines.join("\n") + "\n";
}
