// An independent check of the memory plan: simulate the schedule on a map of
// which value each 4-byte word of the arena holds, and require every read to
// find the value it expects — so a buffer reused too early, an in-place
// update that clobbers a value still needed, or a reshape sharing a buffer
// that has moved on, all fail here, whatever liveness rules the planner used.
// Within a kernel too: a kernel may write over one of its own inputs only
// where every output element replaces the input element at the same place
// after reading it — an elementwise loop (or a product's epilogue) over an
// operand of its own shape at the same offset, the in-place updates. A
// product writing over its operand, a loop writing over a broadcast row, a
// reduction writing over the rows it still reads: all fail.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { planPrograms } from "../compiler/codegen/emit_module.ts";
import { fuse, type Kernel, kernelOutputs, kernelReads } from "../compiler/schedule/fuse.ts";
import type { Graph } from "../compiler/ir/ir.ts";
import { chain, dense, type Layer, type Model } from "../compiler/frontend/layers.ts";
import {
  binaryCrossEntropyWithLogits,
  mse,
  softmaxCrossEntropy,
} from "../compiler/frontend/losses.ts";
import { adam, sgd } from "../core/optimizers.ts";
import { optimize } from "../compiler/passes/pipeline.ts";
import { bufferBytes } from "../compiler/schedule/plan_memory.ts";
import { patternOf } from "../compiler/codegen/emit_elementwise.ts";
import {
  add,
  matmul,
  mean,
  param,
  relu,
  sigmoid,
  sum,
  tanh,
  type Tensor,
} from "../compiler/frontend/tensor.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { SEED } from "./helpers.ts";

/** An autoencoder with tied weights: W is read by two products and updated once. */
function tied(features: number, hidden: number): Layer {
  return {
    kind: "layer",
    description: `tied(${features} → ${hidden})`,
    inputFeatures: features,
    apply(x: Tensor, prefix: string): Tensor {
      const w = param(`${prefix}w`, [features, hidden]);
      const h = tanh(matmul(x, w));
      return add(matmul(h, w, { transB: true }), mean(sum(h, { axis: 1, keepdims: true })));
    },
  };
}

function simulate(
  graph: Graph,
  kernels: ReturnType<typeof fuse>["kernels"],
  offsets: ReadonlyMap<number, number>,
  copies: readonly { node: number; target: string }[],
  maxBatch: number,
) {
  const bytes = (id: number) =>
    bufferBytes(graph.nodes[id].shape, maxBatch, graph.dtype === "f64" ? 8 : 4);
  const owner = new Map<number, number>(); // word address → node id it holds
  const holds = new Map<number, number>(); // node id → the id whose value its buffer must hold (reshape aliases)
  const expected = (id: number) => holds.get(id) ?? id;
  const write = (id: number, as: number) => {
    const start = offsets.get(id)!;
    for (let a = start; a < start + bytes(id); a += 4) owner.set(a, as);
  };
  const check = (id: number, where: string) => {
    const start = offsets.get(id);
    assert.ok(start !== undefined, `${where}: %${id} has no buffer`);
    for (let a = start; a < start + bytes(id); a += 4) {
      const found = owner.get(a);
      assert.equal(found, expected(id), `${where}: %${id} at byte ${a} holds %${found}`);
    }
  };
  // Whether kernel `kernel` may write `out` over its own input `read`: only
  // elementwise, same offset, and `read` indexed like the loop ("full").
  const inPlace = (kernel: Kernel, read: number, out: number): boolean => {
    if (offsets.get(read) !== offsets.get(out)) return false;
    const shape = graph.nodes[read].shape;
    // Indexed like the loop: the same shape (one element is the "scalar" pattern), or "full".
    const likeLoop = (loop: readonly (number | "batch")[]) =>
      shape.join() === loop.join() || patternOf(shape, loop) === "full";
    if (kernel.kind === "elementwise") return likeLoop(kernel.shape);
    if (kernel.kind === "matmul" && kernel.epilogue !== undefined) {
      const operands = graph.nodes[kernel.node].inputs;
      return !operands.includes(read) && likeLoop(graph.nodes[kernel.node].shape);
    }
    return false;
  };
  const overlaps = (a: number, b: number) => {
    const [sa, sb] = [offsets.get(a)!, offsets.get(b)!];
    return sa < sb + bytes(b) && sb < sa + bytes(a);
  };
  for (const node of graph.nodes) if (node.op === "input") write(node.id, node.id);
  kernels.forEach((kernel, k) => {
    const reads = kernelReads(graph, kernel);
    for (const r of reads) check(r, `kernel ${k} (${kernel.kind})`);
    for (const out of kernelOutputs(kernel)) {
      const node = graph.nodes[out];
      if (kernel.kind === "reshape" && offsets.get(out) === offsets.get(node.inputs[0])) continue;
      for (const r of reads) {
        assert.ok(
          !overlaps(r, out) || inPlace(kernel, r, out),
          `kernel ${k} (${kernel.kind}) writes %${out} over its own input %${r} ` +
            `(bytes ${offsets.get(out)}.. and ${offsets.get(r)}..): in-kernel aliasing`,
        );
      }
    }
    for (const out of kernelOutputs(kernel)) {
      const node = graph.nodes[out];
      const shared = kernel.kind === "reshape" && offsets.get(out) === offsets.get(node.inputs[0]);
      if (shared) holds.set(out, expected(node.inputs[0]));
      else write(out, out);
    }
  });
  for (const c of copies) {
    check(c.node, "update copy");
    const target = graph.nodes.find((n) => n.op === "input" && n.attrs.name === c.target)!;
    write(target.id, c.node);
  }
  // After the step, every update's target holds its new value.
  for (const u of graph.updates) {
    const target = graph.nodes.find((n) => n.op === "input" && n.attrs.name === u.target)!;
    const start = offsets.get(target.id)!;
    for (let a = start; a < start + bytes(target.id); a += 4) {
      assert.equal(
        owner.get(a),
        expected(u.node),
        `after the step, "${u.target}" holds %${owner.get(a)}`,
      );
    }
  }
  for (const o of graph.outputs) check(o.node, `output ${o.name}`);
}

const acts = [relu, tanh, sigmoid, (x: Tensor) => add(x, mean(x))];
Deno.test("simulated execution: every read finds the value it expects (random models, all programs)", () => {
  fc.assert(
    fc.property(
      fc.record({
        widths: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 5 }),
        act: fc.integer({ min: 0, max: acts.length - 1 }),
        loss: fc.integer({ min: 0, max: 2 }),
        optimizer: fc.integer({ min: 0, max: 2 }),
        tiedModel: fc.boolean(),
        maxBatch: fc.integer({ min: 1, max: 9 }),
      }),
      ({ widths, act, loss, optimizer, tiedModel, maxBatch }) => {
        const layers: Model[] = [];
        for (let i = 0; i + 1 < widths.length; i++) {
          layers.push(dense(widths[i], widths[i + 1]));
          if (i + 2 < widths.length) layers.push(acts[act]);
        }
        const out = widths[widths.length - 1];
        const l =
          [softmaxCrossEntropy, mse, binaryCrossEntropyWithLogits][out < 2 ? 1 + (loss % 2) : loss];
        const model = tiedModel ? chain(tied(widths[0], widths[1]), ...layers) : chain(...layers);
        const opt = [sgd({ lr: 0.1 }), sgd({ lr: 0.1, momentum: 0.9 }), adam()][optimizer];
        const graphs = buildGraphs(model, l, opt, widths[0], "f32");
        const programs = [
          { name: "train", program: fuse(optimize(graphs.train)), returns: "loss" },
          { name: "evaluate", program: fuse(optimize(graphs.evaluate)), returns: "loss" },
          { name: "predict", program: fuse(optimize(graphs.predict)), returns: null },
        ];
        const { toEmit } = planPrograms(programs, maxBatch);
        for (const p of toEmit) {
          simulate(p.program.graph, p.program.kernels, p.plan.offsets, p.plan.copies, maxBatch);
        }
      },
    ),
    { seed: SEED, numRuns: 150 },
  );
});

Deno.test("the simulation can fail: a buffer reused while still needed is caught", () => {
  const graphs = buildGraphs(
    chain(dense(3, 4), relu, dense(4, 2)),
    mse,
    sgd({ lr: 0.1 }),
    3,
    "f32",
  );
  const program = fuse(optimize(graphs.train));
  const { toEmit } = planPrograms([{ name: "train", program, returns: "loss" }], 4);
  const plan = toEmit[0].plan;
  simulate(program.graph, program.kernels, plan.offsets, plan.copies, 4); // the real plan passes
  // Plant a bug: give a kernel that does not read the data x its buffer,
  // while a later kernel still reads x (the weight gradient xᵀ·dz).
  const broken = new Map(plan.offsets);
  const x = program.graph.nodes.find((n) => n.attrs.name === "x")!.id;
  const reads = program.kernels.map((k) => kernelReads(program.graph, k).includes(x));
  const k = reads.findIndex((r, i) => !r && reads.slice(i + 1).some(Boolean));
  assert.ok(k > 0);
  broken.set(kernelOutputs(program.kernels[k])[0], plan.offsets.get(x)!);
  assert.throws(() => simulate(program.graph, program.kernels, broken, plan.copies, 4), /holds %/);
});

Deno.test("the simulation sees in-kernel aliasing: a planner freeing a kernel's inputs before placing its outputs is caught", () => {
  const graphs = buildGraphs(
    chain(dense(3, 5), relu, dense(5, 4), tanh, dense(4, 2)),
    mse,
    sgd({ lr: 0.1 }),
    3,
    "f32",
  );
  const program = fuse(optimize(graphs.predict));
  const { toEmit } = planPrograms([{ name: "predict", program, returns: null }], 4);
  const plan = toEmit[0].plan;
  simulate(program.graph, program.kernels, plan.offsets, plan.copies, 4); // the real plan passes
  // The planted bug: the second product's output in the buffer of its own
  // operand h, dead after that product — as a planner that frees buffers at
  // their last read before placing the reading kernel's outputs would do. No
  // later read sees it; only the kernel itself, still reading rows of h while
  // writing its result over them.
  const product = program.kernels.findIndex((k, i) => i > 0 && k.kind === "matmul");
  const kernel = program.kernels[product];
  assert.ok(kernel.kind === "matmul");
  const h = program.graph.nodes[kernel.node].inputs[0];
  const broken = new Map(plan.offsets);
  for (const out of kernelOutputs(kernel)) broken.set(out, plan.offsets.get(h)!);
  assert.throws(
    () => simulate(program.graph, program.kernels, broken, plan.copies, 4),
    /writes %\d+ over its own input %\d+ .*in-kernel aliasing/,
  );
});
