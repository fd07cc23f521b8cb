// Every case of the op-case table (tests/op_cases.ts) runs on the f64
// reference interpreter and, through the compiler's own back half
// (`lowerPrograms`: fuse, plan, emit), as WebAssembly in five variants: f64,
// f32 and f32 with relaxed SIMD forced on, each both on the graph as traced
// (`raw`: every op lowered as written) and after the optimization passes
// (`optimized`: what training compiles). Values and gradients must agree with
// the interpreter; the table's coverage is derived from `OPS`, so an op
// without a case fails here.
//
// Tolerances: f64 within 1e-12·max(1, |value|) (wasm f64 calls the same Math
// functions as the interpreter; only summation order may differ). f32 is
// compared with the interpreter run on the same f32-rounded inputs, within
// the case's `f32Tolerance` (default 1e-5) · max(1, |value|): a few f32
// ulps (2⁻²⁴ ≈ 6e-8 each) through a short chain of operations whose
// transcendentals are within 2.5 ulp (compiler/codegen/emit_math.ts).
import assert from "node:assert/strict";
import { grad } from "../compiler/frontend/grad.ts";
import * as T from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import type { Graph, OpName } from "../compiler/ir/ir.ts";
import { OPS } from "../compiler/ir/ops.ts";
import { wasmText } from "../compiler/codegen/wasm.ts";
import { elementCount } from "../core/shape.ts";
import { OP_CASES, type OpCase, unary } from "./op_cases.ts";
import { uniformStream } from "./helpers.ts";
import { buildOutputs, runBuilt, type Variant } from "./wasm_runner.ts";

const MAX_BATCH = 8;
const BATCHES = [3, MAX_BATCH];

const VARIANTS: Variant[] = [];
for (const optimized of [false, true]) {
  VARIANTS.push({ name: "f64", dtype: "f64", relaxedSimd: false, optimized });
  VARIANTS.push({ name: "f32", dtype: "f32", relaxedSimd: false, optimized });
  VARIANTS.push({ name: "f32 relaxed", dtype: "f32", relaxedSimd: true, optimized });
}

/** The case's outputs, plus `d<input>` = grad(Σ output·r_output) for its `grad` inputs. */
function caseOutputs(c: OpCase): Record<string, T.Tensor> {
  const inputs = Object.fromEntries(
    Object.entries(c.inputs).map((
      [name, i],
    ) => [name, T.input(name, i.shape, (i.classes ?? i.ends) === undefined ? "data" : "label")]),
  );
  const outputs = c.build(inputs);
  if (c.grad === undefined || c.grad.length === 0) return outputs;
  const terms = Object.entries(outputs).map(([name, y]) =>
    T.sum(T.mul(y, T.input(`r_${name}`, y.shape)))
  );
  const total = terms.reduce((a, b) => T.add(a, b));
  const wrt = c.grad.map((name) => inputs[name]);
  const gradients = grad(() => total)(...wrt);
  const all = { ...outputs };
  c.grad.forEach((name, k) => (all[`d${name}`] = gradients[k]));
  return all;
}

/** Values for every input of a graph (case inputs and cotangents), seeded by the case. */
function drawBindings(c: OpCase, graph: Graph, batch: number, seed: number) {
  const next = uniformStream(seed);
  const bindings: Record<string, number[]> = {};
  for (const node of graph.nodes) {
    if (node.op !== "input") continue;
    const name = node.attrs.name!;
    const spec = c.inputs[name] ?? { shape: node.shape, min: -1, max: 1 };
    const count = elementCount(node.shape, batch);
    if (node.attrs.kind === "rng") {
      // The random key: u32 words (seed, step).
      bindings[name] = Array.from({ length: count }, () => Math.floor(next() * 2 ** 32));
      continue;
    }
    if (spec.ends !== undefined) {
      // Bag ends: sorted draws in [0, capacity], so bags may be empty.
      const capacity = spec.ends;
      bindings[name] = Array.from({ length: count }, () => Math.floor(next() * (capacity + 1)))
        .sort((a, b) => a - b);
      continue;
    }
    bindings[name] = Array.from({ length: count }, () => {
      if (spec.classes !== undefined) return Math.floor(next() * spec.classes);
      const lo = spec.min ?? -2;
      const hi = spec.max ?? 2;
      const gap = spec.gap ?? 0;
      let v = lo + (hi - lo) * next();
      if (Math.abs(v) < gap) v = v < 0 ? -gap : gap;
      return v;
    });
  }
  return bindings;
}

function caseSeed(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Runs case `c` compiled in every variant and returns one line per variant,
 * batch and output that disagrees with the interpreter running `reference`
 * (by default the same case).
 */
function checkCase(c: OpCase, reference: OpCase = c): string[] {
  const outputs = caseOutputs(c);
  const referenceGraph = trace(caseOutputs(reference), "f64");
  const failures: string[] = [];
  for (const v of VARIANTS) {
    const built = buildOutputs(outputs, v, MAX_BATCH);
    if (v.relaxedSimd && !v.optimized) {
      assert.match(wasmText(built.binary), /f32x4\.relaxed_madd/, "relaxed build not relaxed");
    }
    const tolerance = v.dtype === "f64" ? 1e-12 : c.f32Tolerance ?? 1e-5;
    for (const batch of BATCHES) {
      const drawn = drawBindings(c, referenceGraph, batch, caseSeed(c.name) + batch);
      // f32 runs on f32 inputs: the interpreter gets the same rounded values.
      const bindings = v.dtype === "f64" ? drawn : Object.fromEntries(
        Object.entries(drawn).map(([k, a]) => [k, k === "rng" ? a : a.map(Math.fround)]),
      );
      const expected = interpret(referenceGraph, bindings, batch).outputs;
      const got = runBuilt(built, bindings, batch);
      for (const [name, want] of Object.entries(expected)) {
        const have = got[name];
        assert.equal(have.length, want.length, `${name}: length`);
        for (let i = 0; i < want.length; i++) {
          const ok = Object.is(have[i], want[i]) ||
            Math.abs(have[i] - want[i]) <= tolerance * Math.max(1, Math.abs(want[i]));
          if (!ok) {
            failures.push(
              `${v.name} ${v.optimized ? "optimized" : "raw"} batch ${batch}: ` +
                `${name}[${i}] = ${have[i]}, interpreter ${want[i]}`,
            );
            break;
          }
        }
      }
    }
  }
  return failures;
}

/** Ops of the table that no case's graph contains. */
function missingOps(cases: readonly OpCase[]): OpName[] {
  const seen = new Set<OpName>();
  for (const c of cases) {
    for (const node of trace(caseOutputs(c), "f64").nodes) seen.add(node.op);
  }
  return (Object.keys(OPS) as OpName[]).filter((op) => !seen.has(op));
}

for (const c of OP_CASES) {
  Deno.test(`op case: ${c.name} (interpreter = wasm f64, f32, f32 relaxed)`, () => {
    const failures = checkCase(c);
    assert.deepEqual(failures, [], failures.join("\n"));
  });
}

Deno.test("op cases: every op of the op table appears in some case's graph", () => {
  const missing = missingOps(OP_CASES);
  assert.deepEqual(missing, [], `ops without a case in tests/op_cases.ts: ${missing.join(", ")}`);
});

Deno.test("op cases: names are unique", () => {
  const names = OP_CASES.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
});

Deno.test("op cases can fail: a wrong value and a missing op are caught", () => {
  // The compiled exp against a reference 1.00003·exp: off by 3e-5 relative.
  const failures = checkCase(unary("exp", T.exp), unary("exp", (x) => T.mul(T.exp(x), 1.00003)));
  assert.equal(failures.length, VARIANTS.length * BATCHES.length * 2, failures.join("\n"));
  const withoutSoftmax = OP_CASES.filter((c) => !c.name.startsWith("softmaxce"));
  assert.deepEqual(missingOps(withoutSoftmax), ["softmaxce", "softmaxcegrad"]);
});
