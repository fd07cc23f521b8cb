// A model whose memory crosses byte 2³¹ computes what a plain-JS reference
// computes: every address comparison in the generated code is unsigned.
//
// Kept cheap: the data input is sized for a batch of 2¹⁹ − 1 rows of 1024
// features (f32; 512 at f64), so it fills the first 2 GiB and the first
// layer's weight — read by every prediction — starts 4032 bytes below 2³¹ and
// ends above it; the prediction output lies above 2³¹ too. Only a few rows
// are predicted, so the gigabytes are reserved but barely touched. One SGD
// step on those rows then updates the straddling weight in place (through the
// gradient product's epilogue), and must match a plain-JS SGD step.
//
// Tolerance: each output of x·W₀ + b₀ (k = features) then relu then
// h·W₁ + b₁ (k = 16) is a dot product computed in f32 in some order, within
// γ_k·Σ|terms| of the exact value (Higham §3.1, γ_k ≤ k·2⁻²³ here); relu is
// 1-Lipschitz, so the output's error is within (k₀ + 17)·2⁻²³·scale, with
// scale = Σⱼ |W₁[j]|·(Σₚ |x[p]·W₀[p,j]| + |b₀[j]|) + |b₁|. At f64: 2⁻⁵² in
// place of 2⁻²³. The SGD step's change of each parameter must be within
// 1e-3 of that parameter's gradient scale (Σ|terms| of its gradient, times
// lr) plus 2 ulps of the parameter: the step's error is a chain of a few
// dot products of at most features + 17 terms, ≤ 1.3e-4 relative of that
// scale in f32 — far below a wrong accumulation, which is of the order of
// the scale itself.
import assert from "node:assert/strict";
import { chain, compile, dense, mse, relu, sgd } from "../mod.ts";
import type { DType } from "../core/shape.ts";
import { BATCH_GLOBAL } from "../compiler/codegen/emit_math.ts";
import {
  emitMatmul,
  matmulScratchBytes,
  type MatmulSpec,
} from "../compiler/codegen/emit_matmul.ts";
import { FunctionBuilder, WasmModule } from "../compiler/codegen/wasm.ts";
import { uniformStream } from "./helpers.ts";

const HIDDEN = 16;
const OUTPUTS = 3;
const MAX_BATCH = (1 << 19) - 1;
const ROWS = 5;

for (const [dtype, features] of [["f32", 1024], ["f64", 512]] as const) {
  for (const relaxedSimd of dtype === "f32" ? [false, true] : [false]) {
    Deno.test(`memory above 2 GiB: a ${features}-${HIDDEN}-${OUTPUTS} model (${dtype}${relaxedSimd ? ", relaxed SIMD" : ""}) whose weight crosses byte 2³¹ predicts and trains like plain JS`, async () => {
      await checkAbove2GiB(dtype, features, relaxedSimd);
    });
  }
}

async function checkAbove2GiB(dtype: DType, features: number, relaxedSimd: boolean) {
  const trainer = await compile(chain(dense(features, HIDDEN), relu, dense(HIDDEN, OUTPUTS)), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: MAX_BATCH,
    dtype,
    relaxedSimd,
    seed: 3,
  });
  const slot = (name: string) => trainer.artifact.slots.find((s) => s.name === name)!;
  const bytes = dtype === "f64" ? 8 : 4;
  const weight = slot("0.weight");
  assert.ok(
    weight.offset < 2 ** 31 && weight.offset + features * HIDDEN * bytes > 2 ** 31,
    `the weight [${weight.offset}, +${features * HIDDEN * bytes}) should straddle 2³¹`,
  );
  assert.ok(slot("prediction").offset > 2 ** 31);

  const next = uniformStream(11);
  const x = Array.from(
    { length: ROWS },
    () => Array.from({ length: features }, () => 2 * next() - 1),
  );
  const p = trainer.getParams();
  const [w0, b0, w1, b1] = ["0.weight", "0.bias", "2.weight", "2.bias"].map((n) => p[n]);
  const got = trainer.predict(x);
  const unit = dtype === "f64" ? 2 ** -52 : 2 ** -23;
  for (let r = 0; r < ROWS; r++) {
    const hidden: number[] = [];
    const hiddenScale: number[] = [];
    for (let j = 0; j < HIDDEN; j++) {
      let sum = b0[j];
      let scale = Math.abs(b0[j]);
      for (let q = 0; q < features; q++) {
        sum += x[r][q] * w0[q * HIDDEN + j];
        scale += Math.abs(x[r][q] * w0[q * HIDDEN + j]);
      }
      hidden.push(Math.max(sum, 0));
      hiddenScale.push(scale);
    }
    for (let o = 0; o < OUTPUTS; o++) {
      let want = b1[o];
      let scale = Math.abs(b1[o]);
      for (let j = 0; j < HIDDEN; j++) {
        want += hidden[j] * w1[j * OUTPUTS + o];
        scale += Math.abs(w1[j * OUTPUTS + o]) * hiddenScale[j];
      }
      const value = got[r * OUTPUTS + o];
      const allowed = (features + HIDDEN + 1) * unit * scale;
      assert.ok(
        Math.abs(value - want) <= allowed,
        `row ${r}, output ${o}: ${value}, plain JS ${want} (allowed error ${allowed})`,
      );
    }
  }

  // One SGD step on those rows (mse: mean over all ROWS·OUTPUTS elements), in plain JS.
  const targets = x.map((row) => [row[0], row[1], row[2]]);
  const grads = sgdGradients(x, targets, w0, b0, w1, b1, features);
  trainer.trainBatch(x, targets);
  const after = trainer.getParams();
  const before = { "0.weight": w0, "0.bias": b0, "2.weight": w1, "2.bias": b1 };
  for (const [name, { grad, scale }] of Object.entries(grads)) {
    const old = before[name as keyof typeof before];
    for (let i = 0; i < grad.length; i++) {
      const want = old[i] - LR * grad[i];
      const allowed = 1e-3 * LR * scale[i] + 2 * unit * Math.abs(old[i]);
      assert.ok(
        Math.abs(after[name][i] - want) <= allowed,
        `${name}[${i}] after one step: ${after[name][i]}, plain JS ${want} (allowed ${allowed})`,
      );
    }
  }
}

const LR = 0.1;

/** Gradients of the mse of relu(x·W₀ + b₀)·W₁ + b₁ in f64, with the Σ|terms| of each. */
function sgdGradients(
  x: number[][],
  y: number[][],
  w0: ArrayLike<number>,
  b0: ArrayLike<number>,
  w1: ArrayLike<number>,
  b1: ArrayLike<number>,
  features: number,
): Record<string, { grad: Float64Array; scale: Float64Array }> {
  const make = (n: number) => ({ grad: new Float64Array(n), scale: new Float64Array(n) });
  const g = {
    "0.weight": make(features * HIDDEN),
    "0.bias": make(HIDDEN),
    "2.weight": make(HIDDEN * OUTPUTS),
    "2.bias": make(OUTPUTS),
  };
  const add = (t: { grad: Float64Array; scale: Float64Array }, i: number, v: number) => {
    t.grad[i] += v;
    t.scale[i] += Math.abs(v);
  };
  for (let r = 0; r < x.length; r++) {
    const pre = Array.from({ length: HIDDEN }, (_, j) => {
      let s = b0[j];
      for (let q = 0; q < features; q++) s += x[r][q] * w0[q * HIDDEN + j];
      return s;
    });
    const h = pre.map((v) => Math.max(v, 0));
    const dy = Array.from({ length: OUTPUTS }, (_, o) => {
      let pred = b1[o];
      for (let j = 0; j < HIDDEN; j++) pred += h[j] * w1[j * OUTPUTS + o];
      return (2 * (pred - y[r][o])) / (x.length * OUTPUTS);
    });
    for (let o = 0; o < OUTPUTS; o++) {
      add(g["2.bias"], o, dy[o]);
      for (let j = 0; j < HIDDEN; j++) add(g["2.weight"], j * OUTPUTS + o, h[j] * dy[o]);
    }
    for (let j = 0; j < HIDDEN; j++) {
      if (pre[j] <= 0) continue;
      let dh = 0;
      for (let o = 0; o < OUTPUTS; o++) dh += dy[o] * w1[j * OUTPUTS + o];
      add(g["0.bias"], j, dh);
      for (let q = 0; q < features; q++) add(g["0.weight"], q * HIDDEN + j, x[r][q] * dh);
    }
  }
  return g;
}

// The product kernel alone, with each of its buffers in turn straddling byte
// 2³¹ — A, B, C, and the scratch panel that packing writes (n > 128 or
// transB) — in every transpose combination and with a run-time m: every
// pointer loop (packing, 4×4 transposed packing, the k loop, row tiles) runs
// across the boundary. Same tolerance as tests/emit_matmul_test.ts:
// k·2⁻²³·Σ|a·b| per element.
const GIB2 = 2 ** 31;
for (const straddling of ["A", "B", "C", "scratch"] as const) {
  Deno.test(`memory above 2 GiB: matrix products with ${straddling} across byte 2³¹ match plain JS`, async () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const n of [13, 150]) await checkProduct(straddling, transA, transB, n);
      }
    }
  });
}

async function checkProduct(
  straddling: "A" | "B" | "C" | "scratch",
  transA: boolean,
  transB: boolean,
  n: number,
) {
  const [m, k] = [6, 70];
  const sizes = {
    A: m * k * 4,
    B: k * n * 4,
    C: m * n * 4,
    scratch: matmulScratchBytes({ dtype: "f32", m: "batch", k, n, transA, transB }, m),
  };
  // The straddling buffer is centred on 2³¹; the others follow it, 64 bytes apart.
  const offsets: Record<string, number> = {};
  let next = GIB2 - Math.floor(sizes[straddling] / 8) * 4;
  for (
    const name of [
      straddling,
      ...(["A", "B", "C", "scratch"] as const).filter((b) => b !== straddling),
    ]
  ) {
    offsets[name] = next;
    next += sizes[name as keyof typeof sizes] + 64;
  }
  const w = new WasmModule();
  w.addGlobal(BATCH_GLOBAL, "i32");
  const spec: MatmulSpec = {
    name: "mm",
    dtype: "f32",
    a: offsets.A,
    b: offsets.B,
    c: offsets.C,
    m: transA ? m : "batch",
    k,
    n,
    transA,
    transB,
    scratch: offsets.scratch,
  };
  emitMatmul(w, spec);
  const fb = new FunctionBuilder(w, ["i32"]);
  w.addFunction(
    "run",
    fb,
    "none",
    w.block(null, [w.globalSet(BATCH_GLOBAL, fb.get(0)), w.call("mm", [], "none")]),
    true,
  );
  const { instance } = await WebAssembly.instantiate(w.finish(Math.ceil(next / 65536)).binary);
  const memory = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer);
  const random = uniformStream(m * 1000 + n);
  const a = Float32Array.from({ length: m * k }, () => 2 * random() - 1);
  const b = Float32Array.from({ length: k * n }, () => 2 * random() - 1);
  memory.set(a, offsets.A / 4);
  memory.set(b, offsets.B / 4);
  (instance.exports.run as (batch: number) => void)(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let want = 0;
      let scale = 0;
      for (let p = 0; p < k; p++) {
        const term = a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
        want += term;
        scale += Math.abs(term);
      }
      const got = memory[offsets.C / 4 + i * n + j];
      assert.ok(
        Math.abs(got - want) <= k * 2 ** -23 * scale,
        `${straddling} across 2³¹, transA ${transA}, transB ${transB}, n ${n}: C[${i},${j}] = ${got}, plain JS ${want}`,
      );
    }
  }
}
