/**
 * Looking inside a compiled or saved model without the code that built it:
 * a summary (model, layers, parameter count, memory, WebAssembly size), and
 * the graphs, fusion groups, memory plan and WebAssembly text — the same
 * texts `trainer.inspect()` gives right after `compile`, recomputed from the
 * graphs a saved model carries by lowering them again (which reproduces the
 * saved module; the summary says if it did not).
 *
 * @module
 */

import { describeInput } from "../core/inputs.ts";
import type { Trainer } from "../runtime/trainer.ts";
import { CompileError } from "../core/errors.ts";
import { EXPORTS, LOSS_OUTPUT } from "../core/contract.ts";
import type { Artifact } from "../core/artifact.ts";
import type { Graph } from "../compiler/ir/ir.ts";
import { graphFromPlain } from "../compiler/ir/from_plain.ts";
import { lowerPrograms } from "../compiler/driver/lower.ts";
import { printKernels } from "../compiler/schedule/fuse.ts";
import { printMemoryPlan } from "../compiler/schedule/plan_memory.ts";
import { wasmText } from "../compiler/codegen/wasm.ts";

/** The graphs of a model, checked. */
export interface ModelGraphs {
  /** x → prediction. */
  readonly forward: Graph;
  /** The loss graph with its symbolic gradient. */
  readonly gradient: Graph;
  /** The optimized training step (forward, loss, backward, update). */
  readonly train: Graph;
}

/** What inspection finds in a model. */
export interface ModelInspection {
  /** The summary, as text. */
  readonly summary: string;
  /** The graphs (absent for files saved before graphs were recorded). */
  readonly graphs?: ModelGraphs;
  /** The training step's kernels after fusion. */
  readonly fusion?: string;
  /** The training step's memory plan. */
  readonly memoryPlan?: string;
  /** The WebAssembly text of the saved module. */
  wat(): string;
  /** Whether lowering the saved graphs again gave the saved module byte for byte. */
  readonly reproduced?: boolean;
}

const count = (n: number) => n.toLocaleString("en-US");

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function size(shape: readonly (number | "batch")[], batch: number): number {
  return shape.reduce<number>((n, d) => n * (d === "batch" ? batch : d), 1);
}

/** `adam lr=0.001 betas=0.9,0.999 eps=1e-8 …`: the kind, then every option. */
function optimizerText(o: Artifact["optimizer"]): string {
  const options = Object.entries(o)
    .filter(([key, value]) => key !== "kind" && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : value}`);
  return [o.kind, ...options].join(" ");
}

const MEMORY_KINDS = [
  ["param", "parameters"],
  ["state", "optimizer state"],
  ["running", "running statistics"],
  ["batch", "batch buffers"],
  ["scalar", "per-step scalars"],
] as const;

function summaryText(
  trainer: Trainer,
  graphs: ModelGraphs | undefined,
  kernels: number | undefined,
  reproduced: boolean | undefined,
): string {
  const a = trainer.artifact;
  const element = a.dtype === "f64" ? 8 : 4;
  // Parameters grouped by layer: the name up to its last dot ("0.weight" → "0").
  const groups = new Map<string, { names: string[]; count: number }>();
  let parameters = 0;
  for (const p of a.params) {
    const dot = p.name.lastIndexOf(".");
    const group = dot < 0 ? "(model)" : p.name.slice(0, dot);
    const n = size(p.shape, 1);
    parameters += n;
    const g = groups.get(group) ?? { names: [], count: 0 };
    g.names.push(`${p.name} ${a.dtype}[${p.shape}]`);
    g.count += n;
    groups.set(group, g);
  }
  const columns = Math.max(...[...groups.values()].map((g) => g.names.length));
  const widths = Array.from(
    { length: columns },
    (_, c) => Math.max(...[...groups.values()].map((g) => g.names[c]?.length ?? 0)),
  );
  const nameWidth = Math.max(...[...groups.keys()].map((k) => k.length));
  const countWidth = Math.max(...[...groups.values()].map((g) => count(g.count).length));
  const layerLines = [...groups].map(([name, g], i) =>
    `${i === 0 ? "layers      " : "            "}${name.padEnd(nameWidth)}  ${
      widths.map((w, c) => (g.names[c] ?? "").padEnd(w)).join("  ")
    }  ${count(g.count).padStart(countWidth)} parameters`
  );
  // Memory: the pinned buffers by kind, and the rest (temporaries, matmul scratch).
  const memory = new Map<string, number>();
  let pinned = 0;
  for (const slot of a.slots) {
    const b = size(slot.shape, a.maxBatch) * element;
    // The random key (dropout) is written before each step, like the scalars.
    const kind = slot.kind === "rng"
      ? "scalar"
      : ["param", "state", "running", "scalar"].includes(slot.kind)
      ? slot.kind
      : "batch";
    memory.set(kind, (memory.get(kind) ?? 0) + b);
    pinned += b;
  }
  const memoryRows: [string, number][] = MEMORY_KINDS
    .filter(([kind]) => memory.has(kind))
    .map(([kind, name]) => [name, memory.get(kind)!]);
  memoryRows.push(["temporaries, scratch", Math.max(0, a.memoryBytes - pinned)]);
  const state = trainer.trainingState();
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(a.wasm)).map((e) => e.name);
  const lines = [
    `model       ${a.description ?? a.inputLayer}`,
    `shapes      ${
      a.inputs === undefined
        ? `${a.dtype}[batch,${a.inputFeatures}]`
        : a.inputs.inputs.map(describeInput).join(", ")
    } → ${a.dtype}[batch,${a.outputs}], ` +
    `batch ≤ ${a.maxBatch}`,
    `loss        ${a.loss} (${a.labels === "classes" ? "class labels" : "float targets"})`,
    `optimizer   ${optimizerText(a.optimizer)}`,
    `trained     ${count(state.step)} steps, ${count(state.epoch ?? 0)} epochs`,
    ...layerLines,
    `parameters  ${count(parameters)} (${bytes(parameters * element)})`,
    `memory      ${bytes(a.memoryBytes)} (${count(a.memoryBytes)} bytes)`,
    ...memoryRows.map(([name, b]) => `              ${name.padEnd(20)} ${bytes(b).padStart(9)}`),
    `wasm        ${count(a.wasm.length)} bytes; exports ${exports.join(", ")}; ` +
    `relaxed SIMD ${a.relaxedSimd ? "yes" : "no"}`,
  ];
  if (graphs === undefined) {
    lines.push("graphs      none (saved before graphs were recorded)");
  } else {
    lines.push(
      `graphs      forward ${graphs.forward.nodes.length} nodes, gradient ` +
        `${graphs.gradient.nodes.length}, training step ${graphs.train.nodes.length} ` +
        `(optimized) in ${kernels} kernels`,
    );
    if (reproduced === false) {
      lines.push(
        "note        this mlpc lowers the saved graphs to a different module than the saved " +
          "one (saved by another version?): the fusion and memory plan shown are this version's",
      );
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * Inspects a trainer (compiled, or loaded from a file).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, relu, softmaxCrossEntropy } from "../mod.ts";
 * import { inspectModel } from "./inspect.ts";
 * const t = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
 *   loss: softmaxCrossEntropy,
 *   batchSize: 8,
 * });
 * const found = inspectModel(t);
 * assert.match(found.summary, /parameters  67 /);
 * assert.equal(found.fusion, t.inspect().fusion);
 * ```
 */
export function inspectModel(trainer: Trainer): ModelInspection {
  const a = trainer.artifact;
  let wat: string | undefined;
  const watOnce = () => (wat ??= wasmText(a.wasm));
  if (a.graphs === undefined) {
    return { summary: summaryText(trainer, undefined, undefined, undefined), wat: watOnce };
  }
  const forward = graphFromPlain(a.graphs.predict, "predict");
  const evaluate = graphFromPlain(a.graphs.evaluate, "evaluate");
  const gradient = graphFromPlain(a.graphs.gradient, "gradient");
  const trainRaw = graphFromPlain(a.graphs.train, "train");
  const lowered = lowerPrograms([
    { name: EXPORTS.train, graph: trainRaw, returns: LOSS_OUTPUT },
    { name: EXPORTS.evaluate, graph: evaluate, returns: LOSS_OUTPUT },
    { name: EXPORTS.predict, graph: forward, returns: null },
  ], { maxBatch: a.maxBatch, relaxedSimd: a.relaxedSimd });
  const train = lowered.programs[0];
  const reproduced = lowered.binary.length === a.wasm.length &&
    lowered.binary.every((b, i) => b === a.wasm[i]);
  const graphs = { forward, gradient, train: train.program.graph };
  return {
    summary: summaryText(trainer, graphs, train.program.kernels.length, reproduced),
    graphs,
    fusion: printKernels(train.program),
    memoryPlan: printMemoryPlan(lowered.layout, train.plan),
    wat: watOnce,
    reproduced,
  };
}

/**
 * One graph of an inspection, or a `CompileError` when the model has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { inspectModel, pickGraph } from "./inspect.ts";
 * const found = inspectModel(await compile(dense(2, 1), { loss: mse, batchSize: 2 }));
 * assert.ok(pickGraph(found, "forward").outputs[0].name === "prediction");
 * ```
 */
export function pickGraph(found: ModelInspection, which: keyof ModelGraphs): Graph {
  if (found.graphs === undefined) {
    throw new CompileError(
      "This file was saved before graphs were recorded: compile and save the model again to see them",
    );
  }
  return found.graphs[which];
}
