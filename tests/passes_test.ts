// Pass invariants, as properties over random models: every pass keeps the
// graph valid (verifier) and keeps the f64 interpreter's results; fusion puts
// every node in exactly one kernel, after its operands; the memory plan never
// lets two buffers that are live at the same time overlap.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { fuse, type FusedProgram, kernelOutputs, kernelReads } from "../compiler/schedule/fuse.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import { chain, dense, type Model } from "../compiler/frontend/layers.ts";
import { mse, softmaxCrossEntropy } from "../compiler/frontend/losses.ts";
import { adagrad, adam, adamw, lion, rmsprop, sgd } from "../core/optimizers.ts";
import { optimize, PASSES } from "../compiler/passes/pipeline.ts";
import { layoutInterface, planMemory } from "../compiler/schedule/plan_memory.ts";
import { relu, sigmoid, tanh, type Tensor } from "../compiler/frontend/tensor.ts";
import { buildGraphs } from "../compiler/frontend/train_step.ts";
import { verify } from "../compiler/ir/verify.ts";
import type { Graph } from "../compiler/ir/ir.ts";
import { maxAbs, maxAbsDiff, SEED } from "./helpers.ts";

const acts: ((x: Tensor) => Tensor)[] = [relu, tanh, sigmoid];
const modelArb = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }),
  act: fc.integer({ min: 0, max: 2 }),
  classify: fc.boolean(),
  optimizer: fc.integer({ min: 0, max: 5 }),
  batch: fc.integer({ min: 1, max: 5 }),
  seed: fc.integer({ min: 1, max: 1000 }),
}).filter((m) => !m.classify || m.widths[m.widths.length - 1] >= 2);

/** Every optimizer of the table, with options that add nodes (decay, AMSGrad's max, Lion's sign, clipping). */
const OPTIMIZER_CHOICES = [
  () => adam({ amsgrad: true, weightDecay: 0.1 }),
  () => sgd({ lr: 0.1, momentum: 0.5, dampening: 0.1, weightDecay: 0.01, clipNorm: 1 }),
  () => adamw({ clipValue: 0.5 }),
  () => rmsprop({ momentum: 0.9 }),
  () => adagrad({ lrDecay: 0.1 }),
  () => lion({ weightDecay: 0.1 }),
];

function build(m: { widths: number[]; act: number; classify: boolean; optimizer: number }) {
  const layers: Model[] = [];
  for (let i = 0; i + 1 < m.widths.length; i++) {
    layers.push(dense(m.widths[i], m.widths[i + 1]));
    if (i + 2 < m.widths.length) layers.push(acts[m.act]);
  }
  return buildGraphs(
    chain(...layers),
    m.classify ? softmaxCrossEntropy : mse,
    OPTIMIZER_CHOICES[m.optimizer](),
    m.widths[0],
    "f64",
  );
}

function bindingsFor(
  graph: Graph,
  batch: number,
  seed: number,
  classes: number,
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  let k = seed;
  for (const node of graph.nodes) {
    if (node.op !== "input") continue;
    const size = node.shape.reduce<number>((a, d) => a * (d === "batch" ? batch : d), 1);
    out[node.attrs.name!] = Array.from({ length: size }, () => {
      k++;
      if (node.attrs.kind === "label" && node.shape.length === 1) return k % classes;
      if (node.attrs.kind === "scalar") return 0.01;
      if (
        node.attrs.kind === "state" &&
        /^(exp_avg_sq|max_exp_avg_sq|square_avg|sum)\//.test(node.attrs.name!)
      ) {
        return Math.abs(Math.sin(k)) * 0.1;
      }
      return Math.sin(k * 1.37);
    });
  }
  return out;
}

Deno.test("every pass keeps the graph valid and the interpreter's results", () => {
  fc.assert(
    fc.property(modelArb, (m) => {
      const { train } = build(m);
      const bindings = bindingsFor(train, m.batch, m.seed, m.widths[m.widths.length - 1]);
      const reference = interpret(train, bindings, m.batch);
      let graph = verify(train);
      for (const pass of PASSES) {
        graph = verify(pass.run(graph));
        const result = interpret(graph, bindings, m.batch);
        for (const [name, value] of Object.entries(reference.updates)) {
          assert.ok(
            maxAbsDiff(result.updates[name], value) <= 1e-12 * Math.max(1, maxAbs(value)),
            `${pass.name}: ${name}`,
          );
        }
        assert.ok(
          Math.abs(result.outputs.loss[0] - reference.outputs.loss[0]) <=
            1e-12 * Math.abs(reference.outputs.loss[0]),
        );
      }
      assert.ok(graph.nodes.length <= train.nodes.length, "the pipeline never grows the graph");
    }),
    { seed: SEED, numRuns: 100 },
  );
});

function checkSchedule(program: FusedProgram): void {
  const { graph, kernels } = program;
  const written = new Map<number, number>();
  kernels.forEach((k, i) =>
    kernelOutputs(k).forEach((id) => {
      assert.ok(!written.has(id), `%${id} written twice`);
      written.set(id, i);
    })
  );
  kernels.forEach((k, i) => {
    for (const id of kernelReads(graph, k)) {
      const node = graph.nodes[id];
      if (node.op === "input") continue;
      assert.ok((written.get(id) ?? Infinity) < i, `kernel ${i} reads %${id} before it is written`);
    }
  });
  const needed = new Set([
    ...graph.outputs.map((o) => o.node),
    ...graph.updates.map((u) => u.node),
  ]);
  for (const id of needed) {
    assert.ok(written.has(id) || graph.nodes[id].op === "input", `%${id} never written`);
  }
}

Deno.test("fusion schedules every value after its operands; the memory plan never overlaps live buffers", () => {
  fc.assert(
    fc.property(modelArb, (m) => {
      const graphs = build(m);
      const programs = [graphs.train, graphs.evaluate, graphs.predict].map((g) =>
        fuse(optimize(g))
      );
      const layout = layoutInterface(programs.map((p) => p.graph), 8, 64);
      for (const program of programs) {
        checkSchedule(program);
        const plan = planMemory(program, layout, 8, layout.end);
        // Liveness per temp: from its writer to its last reader.
        const { graph, kernels } = program;
        const span = new Map<number, [number, number]>();
        kernels.forEach((k, i) => kernelOutputs(k).forEach((id) => span.set(id, [i, i])));
        kernels.forEach((k, i) =>
          kernelReads(graph, k).forEach((id) => {
            const s = span.get(id);
            if (s) s[1] = Math.max(s[1], i);
          })
        );
        for (const c of plan.copies) span.get(c.node)![1] = kernels.length;
        // A reshape sharing its operand's buffer extends the operand's life.
        for (const k of kernels) {
          if (k.kind !== "reshape") continue;
          const operand = graph.nodes[k.node].inputs[0];
          const shared = span.get(operand);
          if (shared && plan.offsets.get(k.node) === plan.offsets.get(operand)) {
            shared[1] = Math.max(shared[1], span.get(k.node)![1]);
          }
        }
        const temps = plan.temps;
        for (let a = 0; a < temps.length; a++) {
          assert.ok(temps[a].offset >= layout.end, "temporaries stay out of the pinned region");
          for (let b = a + 1; b < temps.length; b++) {
            const [sa, ea] = span.get(temps[a].node)!;
            const [sb, eb] = span.get(temps[b].node)!;
            const liveTogether = sa <= eb && sb <= ea;
            const overlap = temps[a].offset < temps[b].offset + temps[b].bytes &&
              temps[b].offset < temps[a].offset + temps[a].bytes;
            assert.ok(
              !(liveTogether && overlap),
              `%${temps[a].node} and %${temps[b].node} overlap while live`,
            );
          }
        }
      }
    }),
    { seed: SEED, numRuns: 100 },
  );
});
