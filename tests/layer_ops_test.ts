// The primitives behind the layers — normalize (and its gradient), dropout,
// concat and slice — in their compiled f32 kernels, against the f64 reference
// interpreter (and, for dropout, against the JavaScript generator of
// core/random.ts, bit for bit). Their gradients against finite differences
// are in check_gradients_test.ts (public checker, f64 wasm) and ops_test.ts
// (interpreter).
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { interpret } from "../compiler/ir/interpret.ts";
import * as T from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { dropoutKeeps } from "../core/random.ts";
import { checkGradients } from "../compiler/driver/check_gradients.ts";
import type { CompileCache } from "../compiler/driver/run_graph.ts";
import { runF32 } from "./run_f32.ts";
import { maxAbs, SEED, uniformStream } from "./helpers.ts";

const U = 2 ** -24; // f32 unit roundoff

/** Values k/8 for integers k in [-24, 24]: exact in f32, so both sides start from the same numbers. */
function eighths(count: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: -24, max: 24 }).map((k) => k / 8), {
    minLength: count,
    maxLength: count,
  });
}

// Tolerance of normalize in f32. Inputs are exact f32 values. Per group of n
// elements with r = 1/√(σ² + ε): the sums behind μ and σ² carry relative
// errors of at most ~n·u, so x − μ is off by ~n·u·max|x| and x̂ = (x − μ)·r
// by n·u·(max|x|·r + |x̂|); the gradient r·(g − mean g − x̂·mean(g·x̂)) adds a
// factor r·max|g|: n·u·r·max|g|·(1 + max|x|·r). We allow 4 times these bounds
// (observed: at most 0.57 of them over 400 random cases); a wrong formula errs
// by O(1).
Deno.test("normalize (per row and per column) and its gradient: f32 kernels = f64 interpreter", () => {
  const arb = fc.record({
    rows: fc.integer({ min: 1, max: 9 }),
    cols: fc.integer({ min: 1, max: 13 }),
    axis: fc.constantFrom(0, 1),
    eps: fc.constantFrom(1e-5, 0.1),
  }).chain((s) =>
    fc.record({
      s: fc.constant(s),
      x: eighths(s.rows * s.cols),
      g: eighths(s.rows * s.cols),
    })
  );
  fc.assert(
    fc.property(arb, ({ s, x, g }) => {
      const xs = T.input("x", ["batch", s.cols]);
      const gs = T.input("g", ["batch", s.cols]);
      const y = T.normalize(xs, { axis: s.axis, eps: s.eps });
      const dx: T.Tensor = {
        op: "normalizegrad",
        inputs: [xs, gs],
        shape: xs.shape,
        attrs: y.attrs,
      };
      const build = (dtype: "f32" | "f64") => trace({ y, dx }, dtype);
      const got = runF32(build("f32"), { x, g }, s.rows, 16);
      const want = interpret(build("f64"), { x, g }, s.rows).outputs;
      const n = s.axis === 1 ? s.cols : s.rows;
      for (let i = 0; i < x.length; i++) {
        const group = s.axis === 1 ? Math.floor(i / s.cols) : i % s.cols;
        const members = Array.from(
          { length: n },
          (_, j) => (s.axis === 1 ? group * s.cols + j : j * s.cols + group),
        );
        const mean = members.reduce((a, k) => a + x[k], 0) / n;
        const variance = members.reduce((a, k) => a + (x[k] - mean) ** 2, 0) / n;
        const r = 1 / Math.sqrt(variance + s.eps);
        const mx = maxAbs(members.map((k) => x[k]));
        const mg = maxAbs(members.map((k) => g[k]));
        const tolY = 4 * n * U * (mx * r + Math.abs(want.y[i]));
        const tolDx = 4 * n * U * r * mg * (1 + mx * r);
        for (const [name, tol] of [["y", tolY], ["dx", tolDx]] as const) {
          assert.ok(
            Math.abs(got[name][i] - want[name][i]) <= tol,
            `${name}[${i}] (${JSON.stringify(s)}): f32 ${got[name][i]}, f64 ${want[name][i]}`,
          );
        }
      }
    }),
    { seed: SEED, numRuns: 150 },
  );
});

Deno.test("normalize: each row (axis 1) or column (axis 0) of the f32 result has mean 0 and variance 1 − ε/(σ²+ε)", () => {
  const next = uniformStream(5);
  const rows = 7;
  const cols = 11;
  const x = Array.from({ length: rows * cols }, () => next() * 6 - 3);
  for (const axis of [0, 1]) {
    const y =
      runF32(trace({ y: T.normalize(T.input("x", ["batch", cols]), { axis }) }), { x }, rows)
        .y;
    const groups = axis === 1 ? rows : cols;
    const n = axis === 1 ? cols : rows;
    for (let k = 0; k < groups; k++) {
      const at = (j: number) => (axis === 1 ? k * cols + j : j * cols + k);
      const values = Array.from({ length: n }, (_, j) => y[at(j)]);
      const raw = Array.from({ length: n }, (_, j) => x[at(j)]);
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      const rawMean = raw.reduce((a, b) => a + b, 0) / n;
      const rawVar = raw.reduce((a, b) => a + (b - rawMean) ** 2, 0) / n;
      assert.ok(Math.abs(mean) < 1e-6, `axis ${axis} group ${k}: mean ${mean}`);
      const expected = rawVar / (rawVar + 1e-5);
      assert.ok(Math.abs(variance - expected) < 1e-5, `axis ${axis} group ${k}: var ${variance}`);
    }
  }
});

Deno.test("normalize over axis 0 takes the statistics of the run-time batch only (partial batches)", () => {
  // Compiled for 8 rows, run on 3: rows 4..8 of the buffer hold garbage that must not count.
  const cols = 5;
  const graph = trace({ y: T.normalize(T.input("x", ["batch", cols]), { axis: 0 }) });
  const x = Array.from({ length: 3 * cols }, (_, i) => Math.sin(i) * 2);
  const got = runF32(graph, { x }, 3, 8).y;
  const want =
    interpret(trace({ y: T.normalize(T.input("x", ["batch", cols]), { axis: 0 }) }, "f64"), {
      x,
    }, 3).outputs.y;
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5);
});

Deno.test("concat and slice: f32 kernels = f64 interpreter, exactly (they only copy)", () => {
  const arb = fc.record({
    rows: fc.integer({ min: 1, max: 5 }),
    a: fc.integer({ min: 1, max: 9 }),
    b: fc.integer({ min: 1, max: 9 }),
    start: fc.nat(),
    size: fc.nat(),
  });
  fc.assert(
    fc.property(arb, ({ rows, a, b, start, size }) => {
      const first = start % (a + b);
      const width = 1 + (size % (a + b - first));
      const xa = T.input("a", ["batch", a]);
      const xb = T.input("b", ["batch", b]);
      const both = T.concat(xa, xb);
      const outputs = {
        both,
        part: T.slice(both, first, width),
        v: T.concat(T.input("c", [a]), T.input("d", [b])),
      };
      const next = uniformStream(rows * 100 + a * 10 + b);
      const bindings = {
        a: Array.from({ length: rows * a }, () => Math.fround(next())),
        b: Array.from({ length: rows * b }, () => Math.fround(next())),
        c: Array.from({ length: a }, () => Math.fround(next())),
        d: Array.from({ length: b }, () => Math.fround(next())),
      };
      const got = runF32(trace(outputs), bindings, rows, 8);
      const want = interpret(trace(outputs, "f64"), bindings, rows).outputs;
      for (const name of ["both", "part", "v"]) {
        assert.deepEqual(Array.from(got[name]), Array.from(want[name]), name);
      }
    }),
    { seed: SEED, numRuns: 100 },
  );
});

// ------------------------------------------------------------------ dropout --

function dropoutGraph(p: number, stream: number, cols: number, dtype: "f32" | "f64") {
  return trace({ y: T.dropoutMasked(T.input("x", ["batch", cols]), p, stream) }, dtype);
}

Deno.test("dropout: the wasm mask equals the JavaScript generator's, bit for bit (f32 vector + tail, f64, interpreter)", () => {
  const arb = fc.record({
    rows: fc.integer({ min: 1, max: 6 }),
    cols: fc.integer({ min: 1, max: 11 }),
    p: fc.constantFrom(0, 0.1, 0.5, 0.9, 1 / 3, 1),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    step: fc.integer({ min: 1, max: 0xffffffff }),
    stream: fc.integer({ min: 0, max: 0xffffffff }),
  });
  fc.assert(
    fc.property(arb, ({ rows, cols, p, seed, step, stream }) => {
      const x = Array.from({ length: rows * cols }, (_, i) => Math.fround(1 + i / 7));
      const rng = [seed, step];
      const scale32 = Math.fround(1 / (1 - p));
      const f32 = runF32(dropoutGraph(p, stream, cols, "f32"), { x, rng }, rows, 8).y;
      const f64 = interpret(dropoutGraph(p, stream, cols, "f64"), { x, rng }, rows).outputs.y;
      for (let k = 0; k < x.length; k++) {
        const keep = dropoutKeeps(p, seed, stream, step, k);
        assert.equal(f32[k], keep ? Math.fround(x[k] * scale32) : 0, `f32 element ${k}`);
        assert.equal(f64[k], keep ? x[k] * (1 / (1 - p)) : 0, `f64 element ${k}`);
      }
    }),
    { seed: SEED, numRuns: 200 },
  );
});

Deno.test("dropout: the f64 wasm kernel draws the same mask as the interpreter", () => {
  const cache = new Map() as CompileCache;
  // checkGradients runs the gradient (the same kernel applied to the cotangent)
  // as f64 wasm; a mask that differed from the interpreter's would fail it.
  for (const p of [0.2, 0.7]) {
    checkGradients(
      ({ x, r }) => T.sum(T.mul(T.dropoutMasked(x, p, 99), r)),
      {
        x: { data: Array.from({ length: 21 }, (_, i) => i / 10), shape: ["batch", 7] },
        r: { data: Array.from({ length: 21 }, (_, i) => Math.cos(i)), shape: ["batch", 7] },
        rng: [12345, 678],
      },
      { wrt: ["x"], cache },
    );
  }
});

Deno.test("dropout: the keep rate is within binomial bounds (6 σ), per p, over 10⁵ elements", () => {
  const rows = 100;
  const cols = 1000;
  const x = new Array(rows * cols).fill(1);
  for (const p of [0.05, 0.25, 0.5, 0.8]) {
    const y = runF32(dropoutGraph(p, 7, cols, "f32"), { x, rng: [1, 1] }, rows).y;
    const kept = y.filter((v) => v !== 0).length;
    const n = rows * cols;
    const sigma = Math.sqrt(n * p * (1 - p));
    assert.ok(
      Math.abs(kept - n * (1 - p)) <= 6 * sigma,
      `p ${p}: kept ${kept} of ${n}, expected ${n * (1 - p)} ± ${6 * sigma}`,
    );
    // Kept values are scaled by 1/(1 − p): their mean equals x's.
    assert.ok(y.every((v) => v === 0 || v === Math.fround(1 / (1 - p))));
  }
});

Deno.test("dropout: masks differ between steps, streams and seeds, and neighbours are independent", () => {
  const cols = 256;
  const rows = 64;
  const x = new Array(rows * cols).fill(1);
  const mask = (rng: number[], stream: number) =>
    runF32(dropoutGraph(0.5, stream, cols, "f32"), { x, rng }, rows).y.map((
      v,
    ) => (v === 0 ? 0 : 1));
  const base = mask([3, 1], 7);
  const n = base.length;
  for (
    const [what, other] of [
      ["step", mask([3, 2], 7)],
      ["stream", mask([3, 1], 8)],
      ["seed", mask([4, 1], 7)],
    ] as const
  ) {
    const same = base.filter((b, i) => b === other[i]).length;
    // Independent fair masks agree on n/2 ± 6·√n/2 elements.
    assert.ok(Math.abs(same - n / 2) <= 3 * Math.sqrt(n), `${what}: ${same} of ${n} agree`);
  }
  // Adjacent elements (within a vector of 4 and across) are uncorrelated.
  let agree = 0;
  for (let i = 0; i + 1 < n; i++) if (base[i] === base[i + 1]) agree++;
  assert.ok(Math.abs(agree - (n - 1) / 2) <= 3 * Math.sqrt(n), `neighbours agree ${agree}`);
});
