/**
 * The static memory plan: byte offsets in one arena, sized for the compiled
 * maximum batch.
 *
 * - The interface (every input and output, by name) is pinned, shared by all
 *   programs of a module: parameters, optimizer state, per-step scalars, the
 *   batch of data and labels, the loss and the prediction.
 * - Every other value a kernel writes gets a temporary buffer, live from the
 *   kernel that writes it to the last kernel that reads it; buffers whose
 *   values are dead are reused (best fit).
 * - A reshape of a temporary shares its operand's buffer: no copy.
 * - An update is written in place into its target when that is safe (the
 *   value comes from an elementwise loop and nothing reads the old value
 *   afterwards); otherwise it gets a buffer and a copy at the end of the step.
 *
 * @module
 */

import { type FusedProgram, kernelOutputs, kernelReads } from "./fuse.ts";
import type { Graph, Node } from "../ir/ir.ts";
import { elementCount, type Shape } from "../../core/shape.ts";

/** Alignment of every buffer, in bytes (one v128). */
export const ALIGN = 16;

/** Where one named input or output lives. */
export interface InterfaceSlot {
  /** Input or output name. */
  readonly name: string;
  /** Input kind, or `"output"`. */
  readonly kind: string;
  /** Byte offset. */
  readonly offset: number;
  /** Static shape. */
  readonly shape: Shape;
  /** Bytes reserved (at the maximum batch). */
  readonly bytes: number;
}

/** The pinned part of the arena. */
export interface InterfaceLayout {
  /** Slots by name. */
  readonly slots: readonly InterfaceSlot[];
  /** First byte after the pinned region. */
  readonly end: number;
}

/** A copy of an update value into its target, at the end of the step. */
export interface UpdateCopy {
  /** Node holding the new value. */
  readonly node: number;
  /** Target input name. */
  readonly target: string;
}

/** The plan of one program. */
export interface MemoryPlan {
  /** Byte offset of every node that lives in memory (inputs and kernel outputs). */
  readonly offsets: ReadonlyMap<number, number>;
  /** Updates that could not be written in place. */
  readonly copies: readonly UpdateCopy[];
  /** First byte after this program's temporaries. */
  readonly end: number;
  /** Temporary buffers (node, offset, bytes), for inspection. */
  readonly temps: readonly { node: number; offset: number; bytes: number }[];
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Bytes of a buffer of this shape at the maximum batch. */
export function bufferBytes(shape: Shape, maxBatch: number, elementBytes: number): number {
  return alignUp(Math.max(1, elementCount(shape, maxBatch)) * elementBytes);
}

/**
 * Lays out every input and output of the given graphs (by name; the same
 * name must have the same shape everywhere).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { layoutInterface } from "./plan_memory.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, neg } from "../frontend/tensor.ts";
 * const g = trace({ y: neg(input("x", ["batch", 3])) });
 * const layout = layoutInterface([g], 8, 16);
 * assert.ok(layout.slots.length === 2 && layout.end === 16 + 96 + 96);
 * ```
 */
export function layoutInterface(
  graphs: readonly Graph[],
  maxBatch: number,
  base: number,
): InterfaceLayout {
  const slots: InterfaceSlot[] = [];
  let offset = alignUp(base);
  const place = (name: string, kind: string, shape: Shape, elementBytes: number) => {
    const existing = slots.find((s) => s.name === name);
    if (existing !== undefined) {
      if (existing.shape.join() !== shape.join() || existing.kind !== kind) {
        throw new Error(
          `internal: "${name}" is both ${existing.kind} [${existing.shape}] and ${kind} [${shape}]`,
        );
      }
      return;
    }
    const bytes = bufferBytes(shape, maxBatch, elementBytes);
    slots.push({ name, kind, offset, shape, bytes });
    offset += bytes;
  };
  for (const graph of graphs) {
    const elementBytes = graph.dtype === "f64" ? 8 : 4;
    for (const node of graph.nodes) {
      if (node.op === "input") {
        place(node.attrs.name ?? "", node.attrs.kind ?? "data", node.shape, elementBytes);
      }
    }
    for (const o of graph.outputs) place(o.name, "output", graph.nodes[o.node].shape, elementBytes);
  }
  return { slots, end: offset };
}

/**
 * Plans the buffers of one program, given the pinned interface and the first
 * byte its temporaries may use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fuse } from "./fuse.ts";
 * import { layoutInterface, planMemory } from "./plan_memory.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { exp, input, matmul, sum } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 4]);
 * const g = trace({ y: sum(exp(matmul(x, input("w", [4, 4], "param")))) });
 * const layout = layoutInterface([g], 8, 0);
 * const plan = planMemory(fuse(g), layout, 8, layout.end);
 * // exp(x·w) is the product's epilogue: one temporary; the sum is the pinned output.
 * assert.ok(plan.temps.length === 1 && plan.end > layout.end);
 * ```
 */
export function planMemory(
  program: FusedProgram,
  layout: InterfaceLayout,
  maxBatch: number,
  tempBase: number,
): MemoryPlan {
  const { graph, kernels } = program;
  const elementBytes = graph.dtype === "f64" ? 8 : 4;
  const slot = (name: string) => layout.slots.find((s) => s.name === name)!;
  const offsets = new Map<number, number>();
  for (const node of graph.nodes) {
    if (node.op === "input") offsets.set(node.id, slot(node.attrs.name ?? "").offset);
  }
  for (const o of graph.outputs) offsets.set(o.node, slot(o.name).offset);

  const writer = new Map<number, number>();
  kernels.forEach((k, i) => kernelOutputs(k).forEach((id) => writer.set(id, i)));
  const lastRead = new Map<number, number>();
  kernels.forEach((k, i) => kernelReads(graph, k).forEach((id) => lastRead.set(id, i)));

  // Updates: in place when safe, else a buffer kept to the end and a copy.
  const copies: UpdateCopy[] = [];
  const keepToEnd = new Set<number>();
  for (const u of graph.updates) {
    const target = graph.nodes.find((n: Node) => n.op === "input" && n.attrs.name === u.target)!;
    const k = writer.get(u.node);
    const kernel = k === undefined ? undefined : kernels[k];
    // In place when the value comes out of an elementwise loop, or out of a
    // product's epilogue that reads the target only elementwise (not as an operand).
    const elementwise = kernel?.kind === "elementwise" ||
      (kernel?.kind === "matmul" && kernel.epilogue?.output === u.node &&
        !graph.nodes[kernel.node].inputs.includes(target.id));
    const safe = k !== undefined && elementwise && !offsets.has(u.node) &&
      (lastRead.get(target.id) ?? -1) <= k &&
      graph.updates.filter((other) => other.node === u.node).length === 1;
    if (safe) {
      offsets.set(u.node, offsets.get(target.id)!);
    } else {
      copies.push({ node: u.node, target: u.target });
      keepToEnd.add(u.node);
    }
  }

  // A reshape of a temporary shares its operand's buffer (same bytes, same
  // order); the shared buffer then lives until the last read of either.
  const aliasOf = new Map<number, number>();
  for (const k of kernels) {
    if (k.kind !== "reshape") continue;
    const operand = graph.nodes[k.node].inputs[0];
    if (offsets.has(k.node) || keepToEnd.has(k.node) || graph.nodes[operand].op === "input") {
      continue;
    }
    aliasOf.set(k.node, aliasOf.get(operand) ?? operand);
  }
  for (const [alias, root] of aliasOf) {
    lastRead.set(root, Math.max(lastRead.get(root) ?? -1, lastRead.get(alias) ?? -1));
  }

  // Temporaries: linear scan over kernels, reusing freed blocks (best fit).
  const temps: { node: number; offset: number; bytes: number }[] = [];
  const free: { offset: number; bytes: number }[] = [];
  let end = alignUp(tempBase);
  const live: { node: number; offset: number; bytes: number; until: number }[] = [];
  kernels.forEach((kernel, i) => {
    for (let j = live.length - 1; j >= 0; j--) {
      if (live[j].until < i) {
        free.push({ offset: live[j].offset, bytes: live[j].bytes });
        live.splice(j, 1);
      }
    }
    for (const id of kernelOutputs(kernel)) {
      if (offsets.has(id)) continue;
      const root = aliasOf.get(id);
      if (root !== undefined) {
        offsets.set(id, offsets.get(root)!);
        continue;
      }
      const bytes = bufferBytes(graph.nodes[id].shape, maxBatch, elementBytes);
      const fits = free.filter((f) => f.bytes >= bytes).sort((a, b) => a.bytes - b.bytes)[0];
      let offset: number;
      if (fits !== undefined) {
        free.splice(free.indexOf(fits), 1);
        offset = fits.offset;
        if (fits.bytes > bytes) {
          free.push({ offset: fits.offset + bytes, bytes: fits.bytes - bytes });
        }
      } else {
        offset = end;
        end += bytes;
      }
      offsets.set(id, offset);
      temps.push({ node: id, offset, bytes });
      const until = keepToEnd.has(id) ? kernels.length : Math.max(i, lastRead.get(id) ?? i);
      live.push({ node: id, offset, bytes, until });
    }
  });
  return { offsets, copies, end, temps };
}

/**
 * Prints a plan for inspection: the interface, then each temporary buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printMemoryPlan } from "./plan_memory.ts";
 * const text = printMemoryPlan({ slots: [], end: 0 }, { offsets: new Map(), copies: [], end: 0, temps: [] });
 * assert.ok(text.includes("arena"));
 * ```
 */
export function printMemoryPlan(layout: InterfaceLayout, plan: MemoryPlan): string {
  const lines = layout.slots.map((s) =>
    `${String(s.offset).padStart(9)} +${String(s.bytes).padEnd(9)} ${s.kind} "${s.name}" [${
      s.shape.join(",")
    }]`
  );
  for (const t of plan.temps) {
    lines.push(`${String(t.offset).padStart(9)} +${String(t.bytes).padEnd(9)} temp %${t.node}`);
  }
  for (const c of plan.copies) lines.push(`copy %${c.node} -> "${c.target}"`);
  lines.push(`arena ${plan.end} bytes`);
  return lines.join("\n") + "\n";
}
