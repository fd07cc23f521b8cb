/**
 * Assembles the WebAssembly module: one function per kernel, and one
 * exported function per program (`train`, `evaluate`, `predict`) that sets
 * the run-time batch size, calls its kernels in order and returns the loss.
 * All programs share one memory whose layout the memory plan fixed.
 *
 * @module
 */

import { BATCH_GLOBAL, declareMathSupport } from "./emit_math.ts";
import { emitElementwise } from "./emit_elementwise.ts";
import { emitBufferCheck, type FiniteFlag } from "./emit_finite_check.ts";
import { memoryPages, NONFINITE_OUTPUT } from "../../core/contract.ts";
import {
  BARRIER,
  CONTROL_BYTES,
  emitThreadLoop,
  emitThreadSupport,
  onFirstThread,
  type ThreadedProgram,
  threadedStart,
  type ThreadingSpec,
} from "./emit_threads.ts";
import { barrierPositions, type ThreadPlan } from "../schedule/split.ts";
import { emitMatmul, matmulScratchBytes, type MatmulSpec } from "./emit_matmul.ts";
import { emitCopy, emitLiteral, emitOneHot } from "./emit_misc.ts";
import { emitReduce } from "./emit_reduce.ts";
import { matmulEpilogue } from "./emit_epilogue.ts";
import { emitSoftmaxCe } from "./emit_softmax_ce.ts";
import { emitNormalize } from "./emit_normalize.ts";
import { emitDropout } from "./emit_dropout.ts";
import { emitConcat } from "./emit_concat.ts";
import { emitSparse } from "./emit_sparse.ts";
import type { FusedProgram } from "../schedule/fuse.ts";
import type { Graph } from "../ir/ir.ts";
import {
  type InterfaceLayout,
  layoutInterface,
  type MemoryPlan,
  planMemory,
} from "../schedule/plan_memory.ts";
import { type DType, elementCount } from "../../core/shape.ts";
import { Kernel } from "./kernel.ts";
import { type DataSegment, type EmittedModule, type Expr, WasmModule } from "./wasm.ts";

/** One program to emit as an exported function. */
export interface ProgramToEmit {
  /** Export name. */
  readonly name: string;
  /** The scheduled graph. */
  readonly program: FusedProgram;
  /** Its memory plan. */
  readonly plan: MemoryPlan;
  /** Byte offset of the matmul scratch area of this program. */
  readonly scratch: number;
  /** Name of the output the function returns (the loss), if any. */
  readonly returns: string | null;
  /**
   * In a module for several threads: how the program's kernels are split
   * (`schedule/split.ts`), and the bytes between the threads' scratch areas.
   */
  readonly threads?: { readonly plan: ThreadPlan; readonly scratchStride: number };
}

/**
 * The matmul spec of a node: dimensions from the operand shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matmulSpec } from "./emit_module.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, matmul } from "../frontend/tensor.ts";
 * const g = trace({ y: matmul(input("x", ["batch", 4]), input("w", [4, 3], "param")) });
 * const spec = matmulSpec(g, 2, new Map([[0, 0], [1, 64], [2, 128]]), 256, "k");
 * assert.ok(spec.m === "batch" && spec.k === 4 && spec.n === 3);
 * ```
 */
export function matmulSpec(
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  scratch: number,
  name: string,
): MatmulSpec {
  const node = graph.nodes[id];
  const [a, b] = node.inputs.map((i) => graph.nodes[i]);
  const transA = node.attrs.transA ?? false;
  const transB = node.attrs.transB ?? false;
  return {
    name,
    dtype: graph.dtype,
    a: offsets.get(a.id)!,
    b: offsets.get(b.id)!,
    c: offsets.get(id)!,
    m: transA ? a.shape[1] : a.shape[0],
    k: transA ? a.shape[0] : a.shape[1],
    n: transB ? b.shape[0] : b.shape[1],
    transA,
    transB,
    scratch,
  };
}

/** A program to lay out: its export name, schedule and returned output. */
export interface ProgramToPlan {
  /** Export name. */
  readonly name: string;
  /** The scheduled graph. */
  readonly program: FusedProgram;
  /** Name of the output the function returns, if any. */
  readonly returns: string | null;
  /** Its threading, in a module for several threads. */
  readonly threads?: ThreadPlan;
}

/**
 * Lays out the memory of programs that share one module: the interface
 * (inputs and outputs by name; and, when a program updates state and
 * `finiteCheck` is on (the default), the one-element `NONFINITE_OUTPUT` flag
 * its update kernels report to), each program's temporaries from the same
 * base (programs never run at once), the matmul scratch after them (one area
 * per thread when the programs have a thread plan), and 16 bytes of slack at
 * the end — an epilogue's vector read of a bias row may run up to 12 bytes
 * past the row; then, for several threads, their control block
 * (`CONTROL_BYTES`, at `control`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planPrograms } from "./emit_module.ts";
 * import { fuse } from "../schedule/fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mean, mul } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 4]);
 * const program = fuse(trace({ loss: mean(mul(x, x)) }));
 * const { memoryBytes } = planPrograms([{ name: "run", program, returns: "loss" }], 8);
 * assert.ok(memoryBytes > 8 * 4 * 4);
 * ```
 */
export function planPrograms(
  programs: readonly ProgramToPlan[],
  maxBatch: number,
  options: { readonly finiteCheck?: boolean } = {},
): { layout: InterfaceLayout; toEmit: ProgramToEmit[]; memoryBytes: number; control?: number } {
  let layout = layoutInterface(programs.map((p) => p.program.graph), maxBatch, 64);
  const updates = programs.some((p) => p.program.graph.updates.length > 0);
  if ((options.finiteCheck ?? true) && updates) {
    const flag = {
      name: NONFINITE_OUTPUT,
      kind: "output",
      offset: layout.end,
      shape: [],
      bytes: 16,
    };
    layout = { slots: [...layout.slots, flag], end: layout.end + flag.bytes };
  }
  let memoryBytes = layout.end;
  const toEmit = programs.map((p) => {
    const plan = planMemory(p.program, layout, maxBatch, layout.end);
    const scratch = Math.ceil(plan.end / 16) * 16;
    let scratchBytes = 0;
    for (const k of p.program.kernels) {
      if (k.kind !== "matmul") continue;
      const spec = matmulSpec(p.program.graph, k.node, plan.offsets, scratch, "");
      scratchBytes = Math.max(scratchBytes, matmulScratchBytes(spec, maxBatch));
    }
    if (p.threads === undefined) {
      memoryBytes = Math.max(memoryBytes, scratch + scratchBytes);
      return { ...p, plan, scratch, threads: undefined };
    }
    const scratchStride = Math.ceil(scratchBytes / 16) * 16;
    memoryBytes = Math.max(memoryBytes, scratch + p.threads.threads * scratchStride);
    return { ...p, plan, scratch, threads: { plan: p.threads, scratchStride } };
  });
  if (!programs.some((p) => p.threads !== undefined)) {
    return { layout, toEmit, memoryBytes: memoryBytes + 16 };
  }
  const control = Math.ceil((memoryBytes + 16) / 64) * 64;
  return { layout, toEmit, memoryBytes: control + CONTROL_BYTES, control };
}

/**
 * Emits the module holding every program. When the layout has the
 * `NONFINITE_OUTPUT` flag, each program with updates clears it first, and
 * the kernels writing updates fold the check of their stored values into
 * their loops (an elementwise loop, a product's epilogue); an update written
 * by any other kind of kernel gets a separate check of its buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitModule } from "./emit_module.ts";
 * import { fuse } from "../schedule/fuse.ts";
 * import { layoutInterface, planMemory } from "../schedule/plan_memory.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mean, mul } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 4]);
 * const g = trace({ loss: mean(mul(x, x)) });
 * const layout = layoutInterface([g], 8, 16);
 * const plan = planMemory(fuse(g), layout, 8, layout.end);
 * const { binary } = emitModule([
 *   { name: "run", program: fuse(g), plan, scratch: plan.end, returns: "loss" },
 * ], layout, plan.end, "f32");
 * assert.ok(WebAssembly.validate(binary));
 * ```
 */
export function emitModule(
  programs: readonly ProgramToEmit[],
  layout: InterfaceLayout,
  memoryBytes: number,
  dtype: DType,
  relaxedSimd = false,
  segments: readonly DataSegment[] = [],
  threading?: ThreadingSpec,
): EmittedModule {
  const w = new WasmModule({ relaxedSimd, sharedMemory: threading !== undefined });
  declareMathSupport(w, dtype);
  if (threading !== undefined) emitThreadSupport(w, threading);
  const threaded: ThreadedProgram[] = [];
  const flagSlot = layout.slots.find((s) => s.name === NONFINITE_OUTPUT);
  for (const { name, program, plan, scratch, returns, threads } of programs) {
    const { graph } = program;
    /** The functions the program calls in order, and whether each is split among threads. */
    const calls: { fn: string; split: boolean }[] = [];
    const splitOf = (i: number) => threads?.plan.kernels[i].split ?? null;
    const flag: FiniteFlag | undefined = flagSlot === undefined || graph.updates.length === 0
      ? undefined
      : { offset: flagSlot.offset, ...(threading === undefined ? {} : { atomic: true }) };
    const updateNodes = new Set(graph.updates.map((u) => u.node));
    const unchecked = new Set(flag === undefined ? [] : updateNodes);
    program.kernels.forEach((kernel, i) => {
      const fn = `${name}_k${i}_${kernel.kind}`;
      const aliased = kernel.kind === "reshape" &&
        plan.offsets.get(kernel.node) === plan.offsets.get(graph.nodes[kernel.node].inputs[0]);
      if (aliased) return; // the reshape shares its operand's buffer: nothing to do
      const split = splitOf(i);
      calls.push({ fn, split: split !== null });
      switch (kernel.kind) {
        case "elementwise":
          emitElementwise(
            w,
            graph,
            kernel,
            plan.offsets,
            fn,
            flag === undefined ? undefined : { flag, nodes: updateNodes },
            split !== null,
          );
          kernel.outputs.forEach((id) => unchecked.delete(id));
          break;
        case "matmul": {
          const spec = matmulSpec(graph, kernel.node, plan.offsets, scratch, fn);
          const e = kernel.epilogue;
          const checks = flag !== undefined && e !== undefined && updateNodes.has(e.output);
          const sums = {
            ...(kernel.columnSum === undefined
              ? {}
              : { columnSum: plan.offsets.get(kernel.columnSum)! }),
            ...(split === "rows" || split === "columns"
              ? { split, scratchStride: threads!.scratchStride }
              : {}),
          };
          emitMatmul(
            w,
            e === undefined ? { ...spec, ...sums } : {
              ...spec,
              c: plan.offsets.get(e.output)!,
              epilogue: matmulEpilogue(graph, e, kernel.node, plan.offsets),
              ...(checks ? { finiteFlag: flag } : {}),
              ...sums,
            },
          );
          if (checks) unchecked.delete(e.output);
          break;
        }
        case "reduce":
          emitReduce(w, graph, kernel.node, plan.offsets, fn, split !== null);
          break;
        case "softmaxce":
        case "softmaxcegrad":
          emitSoftmaxCe(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "onehot":
          emitOneHot(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "literal":
          emitLiteral(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "normalize":
        case "normalizegrad":
          emitNormalize(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "dropout":
          emitDropout(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "concat":
        case "slice":
          emitConcat(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "sparse":
          emitSparse(w, graph, kernel.node, plan.offsets, fn);
          break;
        case "reshape": {
          const node = graph.nodes[kernel.node];
          const from = plan.offsets.get(node.inputs[0])!;
          emitCopy(w, node.shape, dtype, from, plan.offsets.get(node.id)!, fn);
          break;
        }
      }
    });
    plan.copies.forEach((copy, i) => {
      const fn = `${name}_update${i}`;
      calls.push({ fn, split: false });
      const target = layout.slots.find((s) => s.name === copy.target)!;
      emitCopy(
        w,
        graph.nodes[copy.node].shape,
        dtype,
        plan.offsets.get(copy.node)!,
        target.offset,
        fn,
      );
    });
    // Updates no checking kernel wrote (none in the models mlpc builds today).
    [...unchecked].forEach((id, i) => {
      const fn = `${name}_check${i}`;
      calls.push({ fn, split: false });
      const count = elementCount(graph.nodes[id].shape, 1);
      emitBufferCheck(w, fn, dtype, plan.offsets.get(id)!, count, flag!);
    });
    // The program: set the batch size (parameter 0), clear the non-finite
    // flag, run the kernels, return the loss.
    const k = new Kernel(w, dtype, ["i32"]);
    const clearFlag = () =>
      flag === undefined ? [] : [k.store(flag.offset, k.i32(0), k.F.const(0))];
    const body: Expr[] = [w.globalSet(BATCH_GLOBAL, k.get(0))];
    const minBatch = threads?.plan.minBatch ?? Infinity;
    if (threading === undefined || !Number.isFinite(minBatch)) {
      body.push(...clearFlag(), ...calls.map((c) => w.call(c.fn, [], "none")));
    } else {
      // Every thread runs the body: its share of the split kernels, thread 0
      // the others, barriers around the split ones.
      const fn = `${name}_body`;
      const b = new Kernel(w, dtype);
      const after = barrierPositions(calls.map((c) => c.split));
      b.finish(
        fn,
        calls.flatMap((c, i) => {
          const call = w.call(c.fn, [], "none");
          return [
            c.split ? call : onFirstThread(b, call),
            ...(after[i] ? [w.call(BARRIER, [], "none")] : []),
          ];
        }),
      );
      body.push(
        ...threadedStart(k, threading, threaded.length, minBatch, clearFlag),
        w.call(fn, [], "none"),
      );
      threaded.push({ name, body: fn, minBatch });
    }
    const out = returns === null ? undefined : layout.slots.find((s) => s.name === returns);
    if (out !== undefined) body.push(w.return(k.load(out.offset, k.i32(0))));
    k.finish(name, body, true, out === undefined ? "none" : dtype);
  }
  if (threading !== undefined) emitThreadLoop(w, threading, threaded);
  return w.finish(memoryPages(memoryBytes), segments);
}
