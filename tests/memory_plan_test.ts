// An independent check of the memory plan: simulate the schedule on a map of
// which value each 4-byte word of the arena holds, and require every read to
// find the value it expects — so a buffer reused too early, an in-place
// update that clobbers a value still needed, or a reshape sharing a buffer
// that has moved on, all fail here, whatever liveness rules the planner used.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { planPrograms } from "../compiler/codegen/emit_module.ts";
import { fuse, kernelOutputs, kernelReads } from "../compiler/schedule/fuse.ts";
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
  for (const node of graph.nodes) if (node.op === "input") write(node.id, node.id);
  kernels.forEach((kernel, k) => {
    for (const r of kernelReads(graph, kernel)) check(r, `kernel ${k} (${kernel.kind})`);
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
  // Plant a bug: give the first kernel's output the buffer of a value read later (the data x).
  const broken = new Map(plan.offsets);
  const first = kernelOutputs(program.kernels[0])[0];
  const x = program.graph.nodes.find((n) => n.attrs.name === "x")!.id;
  broken.set(first, plan.offsets.get(x)!);
  assert.throws(() => simulate(program.graph, program.kernels, broken, plan.copies, 4), /holds %/);
});
