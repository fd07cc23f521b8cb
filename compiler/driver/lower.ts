/**
 * The pipeline's order, written once. `compile` and the gradient checker's
 * runner both call `lowerPrograms`, so what the checker verifies is what
 * training runs:
 *
 * 1. `optimize` — the passes of `passes/pipeline.ts` (simplify, CSE, DCE, …),
 *    verified after each one; skipped for graphs the caller already optimized;
 * 2. `fuse` — elementwise chains and matmul epilogues into kernels;
 * 3. `planThreads` — for several threads, which kernels split and how
 *    (`schedule/split.ts`); a module none of whose kernels pays to split is
 *    built for one thread;
 * 4. `planPrograms` — one arena: the pinned interface, then each program's
 *    temporaries and matmul scratch (per thread), then the threads' control
 *    block;
 * 5. `emitModule` — Binaryen, validated and optimized, to wasm bytes, to
 *    which the layout record (`core/layout_record.ts`) is appended.
 *
 * @module
 */

import { CompileError } from "../../core/errors.ts";
import { LAYOUT_SECTION, layoutRecordText } from "../../core/layout_record.ts";
import { architectureFingerprint } from "../../core/fingerprint.ts";
import { EXPORTS } from "../../core/contract.ts";
import { withCustomSection } from "../codegen/custom_section.ts";
import type { DType } from "../../core/shape.ts";
import { emitModule, planPrograms, type ProgramToEmit } from "../codegen/emit_module.ts";
import type { DataSegment } from "../codegen/wasm.ts";
import type { Graph } from "../ir/ir.ts";
import type { InterfaceLayout } from "../schedule/plan_memory.ts";
import { fuse } from "../schedule/fuse.ts";
import { optimize, type Pass, PASSES } from "../passes/pipeline.ts";
import { planThreads, printThreadPlans, type ThreadCosts } from "../schedule/split.ts";

/** One program of a module: an exported function computing a graph. */
export interface ProgramSource {
  /** Export name. */
  readonly name: string;
  /** The graph, before (or, with `passes: []`, after) optimization. */
  readonly graph: Graph;
  /** Name of the output the function returns (the loss), if any. */
  readonly returns: string | null;
}

/** Options of `lowerPrograms`. */
export interface LowerOptions {
  /** Largest batch one call handles. */
  readonly maxBatch: number;
  /** Relaxed-SIMD fused multiply-add (default false). */
  readonly relaxedSimd?: boolean;
  /** Optimization passes to run first (default: all of `PASSES`). */
  readonly passes?: readonly Pass[];
  /**
   * Whether update kernels report non-finite values they store
   * (`NONFINITE_OUTPUT`; default true). Off only to measure what the check
   * costs, or to test what happens without it.
   */
  readonly finiteCheck?: boolean;
  /**
   * Values some inputs start with, by name, written into the module as data
   * segments (e.g. a predict-only module's parameters). Default: none.
   */
  readonly initialValues?: Readonly<Record<string, ArrayLike<number>>>;
  /**
   * Threads to build the module for (default 1). Above 1, kernels that pay
   * to split are split (`planThreads`) and the module uses shared memory;
   * when none does, the module is built for one thread (`LoweredModule.threads`).
   */
  readonly threads?: number;
  /** The synchronization costs the split decisions assume (default `DEFAULT_THREAD_COSTS`). */
  readonly threadCosts?: ThreadCosts;
}

/** A lowered module: its bytes and everything inspection needs. */
export interface LoweredModule {
  /** The wasm binary. */
  readonly binary: Uint8Array<ArrayBuffer>;
  /** The pinned interface: where every named input and output lives. */
  readonly layout: InterfaceLayout;
  /** Each program, fused and planned, in the order given. */
  readonly programs: readonly ProgramToEmit[];
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
  /** Threads the module was built for (1: an ordinary module, no shared memory). */
  readonly threads: number;
  /** The threading of each program, as text (`printThreadPlans`), when `threads` > 1 was asked for. */
  readonly threadPlan?: string;
  /**
   * The architecture fingerprint of the program named `predict`, or null
   * when there is none (also in the module's layout record).
   */
  readonly fingerprint: string | null;
}

/** wasm32 addresses 4 GiB at most. */
export const MAX_MEMORY_BYTES = 65536 * 65536;

/**
 * Runs the pipeline on programs that share one module (same dtype, one
 * memory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lowerPrograms } from "./lower.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mean, mul } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 4]);
 * const graph = trace({ loss: mean(mul(x, x)) });
 * const lowered = lowerPrograms([{ name: "run", graph, returns: "loss" }], { maxBatch: 8 });
 * assert.ok(WebAssembly.validate(lowered.binary));
 * ```
 */
export function lowerPrograms(
  programs: readonly ProgramSource[],
  options: LowerOptions,
): LoweredModule {
  const dtype: DType = programs[0]?.graph.dtype ?? "f32";
  const passes = options.passes ?? PASSES;
  const fused = programs.map((p) => ({
    name: p.name,
    program: fuse(optimize(p.graph, passes)),
    returns: p.returns,
  }));
  const asked = options.threads ?? 1;
  if (!Number.isInteger(asked) || asked < 1) {
    throw new CompileError(`threads must be an integer ≥ 1, got ${asked}`);
  }
  const plans = asked === 1
    ? undefined
    : fused.map((p) => planThreads(p.program, options.maxBatch, asked, options.threadCosts));
  const threads = plans?.some((p) => Number.isFinite(p.minBatch)) ? asked : 1;
  const { layout, toEmit, memoryBytes, control } = planPrograms(
    fused.map((p, i) => ({ ...p, ...(threads > 1 ? { threads: plans![i] } : {}) })),
    options.maxBatch,
    { finiteCheck: options.finiteCheck ?? true },
  );
  if (memoryBytes > MAX_MEMORY_BYTES) {
    throw new CompileError(
      `The model needs ${memoryBytes} bytes of memory at batchSize ${options.maxBatch}, ` +
        `more than wasm32's 4 GiB: use a smaller batchSize`,
    );
  }
  const segments = dataSegments(layout, options.initialValues ?? {}, dtype);
  const emitted = emitModule(
    toEmit,
    layout,
    memoryBytes,
    dtype,
    options.relaxedSimd ?? false,
    segments,
    threads > 1 ? { count: threads, control: control! } : undefined,
  );
  const threadPlan = plans === undefined
    ? undefined
    : printThreadPlans(fused.map((p, i) => ({ ...p, plan: plans[i] })));
  // What the module was built for, in the module itself: the runtime checks
  // an artifact's metadata against it.
  const predict = programs.find((p) => p.name === EXPORTS.predict);
  const fingerprint = predict === undefined ? null : architectureFingerprint(predict.graph);
  const record = layoutRecordText(
    dtype,
    options.maxBatch,
    memoryBytes,
    layout.slots,
    fingerprint,
    threads,
  );
  const binary = withCustomSection(
    emitted.binary,
    LAYOUT_SECTION,
    new TextEncoder().encode(record),
  );
  return {
    binary,
    layout,
    programs: toEmit,
    memoryBytes,
    threads,
    ...(threadPlan === undefined ? {} : { threadPlan }),
    fingerprint,
  };
}

/** Each initial value as a data segment at its input's offset, checked against the input. */
function dataSegments(
  layout: InterfaceLayout,
  values: Readonly<Record<string, ArrayLike<number>>>,
  dtype: DType,
): DataSegment[] {
  return Object.entries(values).map(([name, v]) => {
    const slot = layout.slots.find((s) => s.name === name);
    if (slot === undefined || slot.kind === "output" || slot.shape.includes("batch")) {
      throw new CompileError(
        `Cannot give "${name}" an initial value: it is not a fixed-size input of the module`,
      );
    }
    const count = slot.shape.reduce<number>((n, d) => n * (d as number), 1);
    if (v.length !== count) {
      throw new CompileError(
        `Initial value of "${name}" [${slot.shape}] needs ${count} values, got ${v.length}`,
      );
    }
    const data = new Uint8Array(count * (dtype === "f64" ? 8 : 4));
    const view = new DataView(data.buffer);
    for (let i = 0; i < count; i++) {
      if (dtype === "f64") view.setFloat64(i * 8, v[i], true);
      else view.setFloat32(i * 4, v[i], true);
    }
    return { offset: slot.offset, data };
  });
}
