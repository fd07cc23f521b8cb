/**
 * Elementwise fusion: groups the graph's nodes into kernels.
 *
 * - Matrix products, reductions, reshapes, one-hot encodings and literal
 *   tensors are kernels of their own.
 * - Elementwise nodes form groups: a node is inlined into the group of its
 *   consumers when they are all elementwise with its shape and all in one
 *   group (one consumer, or several inside the same loop), and the node is
 *   not an output or update. Otherwise it is a root, and its value is
 *   written to memory. Constants and counts have no inputs and are
 *   recomputed wherever they are used.
 * - Adjacent elementwise groups of the same shape are merged into one loop
 *   with several outputs (e.g. pre-activation and activation; Adam's m, v and
 *   parameter updates).
 *
 * A group runs at its root's position in the topological order, so every
 * value it reads from memory is written before it. Within a loop iteration,
 * every load precedes every store, which makes in-place updates safe.
 *
 * This yields the fusions an MLP step needs: bias + activation (one loop
 * over the product's result), the backward activation-derivative mask
 * (`g · step(z)` in one loop), and each parameter's optimizer update in one
 * loop.
 *
 * @module
 */

import type { Graph, Node } from "../ir/ir.ts";
import { consumers } from "../ir/ir.ts";
import { type KernelFamily, OPS } from "../ir/ops.ts";
import { sameShape, type Shape } from "../../core/shape.ts";

/** A loop computing elementwise nodes, writing some of them to memory. */
export interface ElementwiseKernel {
  /** Discriminates kernels. */
  readonly kind: "elementwise";
  /** Shape of the loop (every member's shape, except inlined constants). */
  readonly shape: Shape;
  /** Members, in topological order. */
  readonly nodes: readonly number[];
  /** Members written to memory. */
  readonly outputs: readonly number[];
}

/** A node lowered to a dedicated kernel. */
export interface SingleKernel {
  /** Discriminates kernels: the node's lowering family (inputs and products excepted). */
  readonly kind: Exclude<KernelFamily, "input" | "matmul">;
  /** The node. */
  readonly node: number;
}

/**
 * A matrix product, optionally with an elementwise group fused as its
 * epilogue (e.g. bias + activation): the group is computed on the product's
 * results in registers and only the group's output is stored.
 */
export interface MatmulKernel {
  /** Discriminates kernels. */
  readonly kind: "matmul";
  /** The product node. */
  readonly node: number;
  /** The fused group, if any. */
  readonly epilogue?: { readonly nodes: readonly number[]; readonly output: number };
  /**
   * A `sum(·, axis 0)` of the stored result (the bias gradient of the layer
   * whose dz the product computes), accumulated while the result is stored,
   * row after row, instead of in a separate pass over it: the id of that
   * reduction node, a second output of the kernel.
   */
  readonly columnSum?: number;
}

/** One step of the schedule. */
export type Kernel = ElementwiseKernel | SingleKernel | MatmulKernel;

/** A graph with its schedule of kernels. */
export interface FusedProgram {
  /** The graph (unchanged). */
  readonly graph: Graph;
  /** Kernels in execution order. */
  readonly kernels: readonly Kernel[];
}

function isElementwise(node: Node): boolean {
  return OPS[node.op].kind === "elementwise";
}

function isLeafConstant(node: Node): boolean {
  return node.op === "const" || node.op === "count";
}

/**
 * Groups a graph's nodes into a schedule of kernels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fuse } from "./fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { add, input, matmul, relu } from "../frontend/tensor.ts";
 * const x = input("x", ["batch", 4]);
 * const h = relu(add(matmul(x, input("w", [4, 3], "param")), input("b", [3], "param")));
 * const { kernels } = fuse(trace({ h }));
 * // relu(x·w + b): one kernel, the bias and activation in the product's epilogue
 * assert.ok(kernels.length === 1 && kernels[0].kind === "matmul" && kernels[0].epilogue !== undefined);
 * ```
 */
export function fuse(graph: Graph): FusedProgram {
  const users = consumers(graph);
  const pinned = new Set([
    ...graph.outputs.map((o) => o.node),
    ...graph.updates.map((u) => u.node),
  ]);

  // A node is a root when its value must be in memory. Otherwise it is
  // computed inside the loop of the one group all its users belong to (a
  // value used twice in one loop — e.g. g in a clamp select(g ≥ c, g, c) —
  // stays in a local). Decided users first, so in reverse topological order.
  const groupOf: number[] = new Array(graph.nodes.length).fill(-1);
  const root: boolean[] = new Array(graph.nodes.length).fill(true);
  for (let id = graph.nodes.length - 1; id >= 0; id--) {
    const node = graph.nodes[id];
    root[id] = decideRoot(node);
    groupOf[id] = root[id] ? id : groupOf[users[id][0]];
  }
  function decideRoot(node: Node): boolean {
    if (!isElementwise(node)) return true;
    if (pinned.has(node.id)) return true;
    if (isLeafConstant(node)) return users[node.id].some((u) => !isElementwise(graph.nodes[u]));
    const list = users[node.id];
    if (list.length === 0) return true;
    const group = groupOf[list[0]];
    return !list.every((u) => {
      const user = graph.nodes[u];
      return isElementwise(user) && sameShape(user.shape, node.shape) &&
        groupOf[u] === group;
    });
  }
  const isRoot = (node: Node): boolean => root[node.id];

  const groups: Kernel[] = [];
  for (const node of graph.nodes) {
    if (node.op === "input" || !isRoot(node)) continue;
    if (node.op === "matmul") {
      groups.push({ kind: "matmul", node: node.id });
      continue;
    }
    if (!isElementwise(node)) {
      groups.push({ kind: OPS[node.op].kind as SingleKernel["kind"], node: node.id });
      continue;
    }
    const members = new Set<number>();
    const collect = (id: number) => {
      if (members.has(id)) return;
      members.add(id);
      for (const operand of graph.nodes[id].inputs) {
        const n = graph.nodes[operand];
        if (n.op !== "input" && isElementwise(n) && (!isRoot(n) || isLeafConstant(n))) {
          collect(operand);
        }
      }
    };
    collect(node.id);
    groups.push({
      kind: "elementwise",
      shape: node.shape,
      nodes: [...members].sort((a, b) => a - b),
      outputs: [node.id],
    });
  }
  // Hoisting first puts each SGD update right after its weight gradient's
  // product, where it becomes that product's epilogue (p − lr·(xᵀ·dy), in place).
  const hoisted = hoistUpdates(graph, mergeAdjacent(groups));
  return { graph, kernels: fuseColumnSums(graph, fuseEpilogues(graph, hoisted, users, pinned)) };
}

/**
 * Folds each column sum `sum(C, axis 0)` of a product's stored result `C`
 * into the product: the kernel adds every stored row of C into the sums as
 * it goes, in row order — the order of the reduction kernel it replaces, so
 * the sums are the same bits. The reduction reads nothing else, so it can
 * move up to the product.
 */
function fuseColumnSums(graph: Graph, kernels: readonly Kernel[]): Kernel[] {
  const order = [...kernels];
  for (let i = 0; i < order.length; i++) {
    const product = order[i];
    if (product.kind !== "matmul" || product.columnSum !== undefined) continue;
    const stored = kernelOutputs(product)[0];
    const shape = graph.nodes[stored].shape;
    if (shape.length !== 2 || typeof shape[1] !== "number") continue;
    const j = order.findIndex((k, index) => {
      if (index <= i || k.kind !== "reduce") return false;
      const node = graph.nodes[k.node];
      return node.op === "sum" && node.attrs.axis === 0 && node.inputs[0] === stored;
    });
    if (j < 0) continue;
    const reduce = order[j] as SingleKernel;
    order.splice(j, 1);
    order[i] = { ...product, columnSum: reduce.node };
  }
  return order;
}

/**
 * Folds an elementwise group into a matrix product as its epilogue when the
 * group is the product's only user, has one output of the product's shape,
 * and everything else it reads is ready when the product runs — so
 * `act(x·W + b)` is one kernel, and so is the backward mask
 * `(dy·Wᵀ)·step(h)`. The group may sit later in the schedule; it moves up to
 * the product (reading earlier can only see values that are final, since the
 * schedule is topological and in-place updates are planned afterwards).
 */
function fuseEpilogues(
  graph: Graph,
  kernels: readonly Kernel[],
  users: readonly number[][],
  pinned: ReadonlySet<number>,
): Kernel[] {
  const order = [...kernels];
  const ready = new Set<number>();
  for (let i = 0; i < order.length; i++) {
    const product = order[i];
    if (product.kind === "matmul" && product.epilogue === undefined) {
      const node = graph.nodes[product.node];
      const j = order.findIndex((k, index) =>
        index > i && k.kind === "elementwise" && users[node.id].length > 0 &&
        users[node.id].every((u) => k.nodes.includes(u))
      );
      const group = order[j];
      if (
        group?.kind === "elementwise" && !pinned.has(node.id) && group.outputs.length === 1 &&
        sameShape(group.shape, node.shape) && group.nodes.every((id) =>
          !node.inputs.includes(id)
        ) &&
        kernelReads(graph, group).every((r) =>
          r === node.id || graph.nodes[r].op === "input" || ready.has(r)
        )
      ) {
        order.splice(j, 1);
        order[i] = {
          kind: "matmul",
          node: node.id,
          epilogue: { nodes: group.nodes, output: group.outputs[0] },
        };
      }
    }
    for (const id of kernelOutputs(order[i])) ready.add(id);
  }
  return order;
}

/**
 * Ids of the nodes a kernel writes to memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernelOutputs } from "./fuse.ts";
 * assert.ok(kernelOutputs({ kind: "matmul", node: 3, epilogue: { nodes: [4], output: 4 } })[0] === 4);
 * ```
 */
export function kernelOutputs(kernel: Kernel): readonly number[] {
  if (kernel.kind === "elementwise") return kernel.outputs;
  if (kernel.kind === "matmul") {
    const stored = kernel.epilogue?.output ?? kernel.node;
    return kernel.columnSum === undefined ? [stored] : [stored, kernel.columnSum];
  }
  return [kernel.node];
}

/**
 * Ids of the nodes a kernel reads from memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fuse, kernelReads } from "./fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { exp, input } from "../frontend/tensor.ts";
 * const program = fuse(trace({ y: exp(input("x", [2])) }));
 * assert.ok(kernelReads(program.graph, program.kernels[0]).join() === "0");
 * ```
 */
export function kernelReads(graph: Graph, kernel: Kernel): number[] {
  const groupReads = (nodes: readonly number[], skip: number) => {
    const members = new Set(nodes);
    return [...new Set(nodes.flatMap((id) => graph.nodes[id].inputs))]
      .filter((i) => !members.has(i) && i !== skip);
  };
  if (kernel.kind === "elementwise") return groupReads(kernel.nodes, -1);
  const own = [...graph.nodes[kernel.node].inputs];
  if (kernel.kind !== "matmul" || kernel.epilogue === undefined) return own;
  return [...new Set([...own, ...groupReads(kernel.epilogue.nodes, kernel.node)])];
}

/**
 * Moves each optimizer-update loop to right after the last kernel it must
 * follow — the writers of what it reads, and every other reader of the
 * parameters it overwrites — so a parameter is updated while its gradient is
 * still in cache, instead of all updates running at the end of the step.
 */
function hoistUpdates(graph: Graph, kernels: readonly Kernel[]): Kernel[] {
  const updateValues = new Set(graph.updates.map((u) => u.node));
  const targetsOf = new Map(graph.updates.map((u) => [u.node, u.target]));
  const inputId = new Map(
    graph.nodes.filter((n) => n.op === "input").map((n) => [n.attrs.name ?? "", n.id]),
  );
  const order = [...kernels];
  for (let index = 0; index < order.length; index++) {
    const kernel = order[index];
    if (kernel.kind !== "elementwise" || !kernel.outputs.every((o) => updateValues.has(o))) {
      continue;
    }
    const reads = new Set(kernelReads(graph, kernel));
    const overwritten = new Set(kernel.outputs.map((o) => inputId.get(targetsOf.get(o)!)!));
    const written = new Set(kernel.outputs);
    let earliest = 0;
    for (let j = 0; j < index; j++) {
      const other = order[j];
      const otherWrites = kernelOutputs(other);
      const otherReads = kernelReads(graph, other);
      const mustFollow = otherWrites.some((w) => reads.has(w)) ||
        otherReads.some((r) => overwritten.has(r) || written.has(r));
      if (mustFollow) earliest = j + 1;
    }
    if (earliest < index) {
      order.splice(index, 1);
      order.splice(earliest, 0, kernel);
    }
  }
  return order;
}

function mergeAdjacent(groups: readonly Kernel[]): Kernel[] {
  const merged: Kernel[] = [];
  for (const group of groups) {
    const last = merged[merged.length - 1];
    if (
      last !== undefined && last.kind === "elementwise" && group.kind === "elementwise" &&
      sameShape(last.shape, group.shape)
    ) {
      merged[merged.length - 1] = {
        kind: "elementwise",
        shape: last.shape,
        nodes: [...new Set([...last.nodes, ...group.nodes])].sort((a, b) => a - b),
        outputs: [...last.outputs, ...group.outputs],
      };
      continue;
    }
    merged.push(group);
  }
  return merged;
}

/**
 * Prints a schedule, one kernel per line, for inspection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fuse, printKernels } from "./fuse.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { exp, input, neg } from "../frontend/tensor.ts";
 * const text = printKernels(fuse(trace({ y: neg(exp(input("x", [4]))) })));
 * assert.ok(text.startsWith("k0 elementwise f32[4] {%1 %2} -> %2"));
 * ```
 */
export function printKernels(program: FusedProgram): string {
  return program.kernels.map((k, i) => {
    if (k.kind === "matmul" && (k.epilogue !== undefined || k.columnSum !== undefined)) {
      const members = k.epilogue?.nodes.map((n) => `%${n}`).join(" ");
      const sums = k.columnSum === undefined ? "" : ` + column sums -> %${k.columnSum}`;
      return members === undefined
        ? `k${i} matmul %${k.node} -> %${k.node}${sums}`
        : `k${i} matmul %${k.node} + epilogue {${members}} -> %${k.epilogue!.output}${sums}`;
    }
    if (k.kind !== "elementwise") {
      const node = program.graph.nodes[k.node];
      return `k${i} ${k.kind} %${k.node} (${node.op})`;
    }
    const shape = `${program.graph.dtype}[${k.shape.join(",")}]`;
    const members = k.nodes.map((n) => `%${n}`).join(" ");
    return `k${i} elementwise ${shape} {${members}} -> ${k.outputs.map((n) => `%${n}`).join(" ")}`;
  }).join("\n") + "\n";
}
