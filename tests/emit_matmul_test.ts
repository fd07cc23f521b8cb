import assert from "node:assert/strict";
import { uniformStream } from "./helpers.ts";
import fc from "npm:fast-check@4.11.0";
import {
  emitMatmul,
  type MatmulEpilogue,
  matmulScratchBytes,
  type MatmulSpec,
} from "../compiler/codegen/emit_matmul.ts";
import type { Dim, DType } from "../core/shape.ts";
import { BATCH_GLOBAL } from "../compiler/codegen/emit_math.ts";
import { type Expr, FunctionBuilder, WasmModule, wasmText } from "../compiler/codegen/wasm.ts";
import { THREAD_GLOBAL, THREADS_GLOBAL } from "../compiler/codegen/kernel.ts";

/*
 * Tolerances.
 *
 * Inputs are exact f32 values, and the reference sums their exact products in
 * f64 (each f32·f32 product is exact in f64; the f64 sum adds at most
 * k·2⁻⁵³·Σ|a·b|, negligible here). A dot product of length k computed in f32
 * in any order, with or without fused multiply-adds, is within
 * γ_k·Σ|a·b| of the exact value, γ_k = k·u/(1 − k·u), u = 2⁻²⁴ (Higham,
 * "Accuracy and Stability of Numerical Algorithms", §3.1). We allow
 * k·2⁻²³·Σ|a·b|, which is ≥ γ_k for every k here (k·u ≪ 1), plus the
 * smallest normal f32 for underflow-free slack.
 *
 * The default (non-relaxed) build must moreover equal, bit for bit, the
 * sequential sum in p order (f32: Σ_p fround(a·b) rounded after every add;
 * f64: plain f64 sum): that is the kernels' documented, deterministic
 * reduction order.
 *
 * f64 must be within 1e-12 of Σ|a·b| (its own error bound, k·2⁻⁵³·Σ|a·b|, is
 * below 1e-13 for k ≤ 784).
 *
 * Epilogues add one rounded operation after the reduction. `relu(C + b)`:
 * C + b is a dot product of length k + 1 (the extra pair b·1 is exact), so it
 * is within γ_{k+1}·(Σ|a·b| + |b|), and so is c₀ − C/2 within
 * γ_{k+1}·(Σ|a·b|/2 + |c₀|); `C·s` is within γ_{k+1}·|s|·Σ|a·b| (one more
 * relative error of u on a value within γ_k). relu is 1-Lipschitz, so
 * the bounds carry over: we allow the tolerance of k + 1 over those sums.
 * Bit for bit, the default build must equal the sequential sum followed by
 * the epilogue in the same precision (fround(seq + b), then max with +0).
 */
const F32_TOLERANCE = (k: number) => k * 2 ** -23;
const F64_TOLERANCE = 1e-12;

interface Case {
  readonly dtype: DType;
  readonly m: Dim;
  readonly k: Dim;
  readonly n: Dim;
  readonly transA: boolean;
  readonly transB: boolean;
}

/**
 * Epilogues under test: none, `relu(C + bias[j])` (uses col()),
 * `C · rowScale[i]` (uses row()) and the in-place update `C₀[i,j] − C/2`,
 * reading the old C at (i, j) (uses both).
 */
type EpilogueKind = "none" | "biasRelu" | "rowScale" | "inPlace";

interface Placed {
  readonly spec: MatmulSpec;
  readonly maxBatch: number;
  /** Byte offsets of the epilogue's operands: bias [n] and rowScale [m]. */
  readonly bias: number;
  readonly rowScale: number;
  readonly epilogue: EpilogueKind;
  /** Byte offset of the column sums ([n]), or -1 when the case has none. */
  readonly sums: number;
  /** Threads the kernel is split among (1: not split); each runs in turn. */
  readonly threads: number;
  /** Byte ranges: A, B, C, scratch, and the end of the case's area. */
  readonly end: number;
}

const GUARD = 64; // bytes of sentinel after every region
const SENTINEL = -12345.5;

/**
 * The test epilogue of a placed case. The f32 vector loads of bias[j] and of
 * C[i, j] may read 12 bytes past the bias or C: into their guard bands.
 */
function makeEpilogue(w: WasmModule, p: Placed): MatmulEpilogue | undefined {
  const { spec, bias, rowScale } = p;
  if (p.epilogue === "none") return undefined;
  const size = spec.dtype === "f64" ? 8 : 4;
  const ops = spec.dtype === "f64" ? w.f64 : w.f32;
  const at = (base: number, index: Expr) =>
    w.i32.add(w.i32.const(base), w.i32.mul(index, w.i32.const(size)));
  if (p.epilogue === "inPlace") {
    const n = () => spec.n === "batch" ? w.globalGet(BATCH_GLOBAL, "i32") : w.i32.const(spec.n);
    const old = (row: () => Expr, col: () => Expr) =>
      at(spec.c, w.i32.add(w.i32.mul(row(), n()), col()));
    return {
      vector: (_fb, acc, row, col) =>
        w.f32x4.sub(
          w.v128.load(0, 4, old(row, col)),
          w.f32x4.mul(acc, w.f32x4.splat(w.f32.const(0.5))),
        ),
      scalar: (_fb, acc, row, col) =>
        ops.sub(ops.load(0, size, old(row, col)), ops.mul(acc, ops.const(0.5))),
    };
  }
  if (p.epilogue === "biasRelu") {
    return {
      vector: (_fb, acc, _row, col) =>
        w.f32x4.max(
          w.f32x4.add(acc, w.v128.load(0, 4, at(bias, col()))),
          w.f32x4.splat(w.f32.const(0)),
        ),
      scalar: (_fb, acc, _row, col) =>
        ops.max(ops.add(acc, ops.load(0, size, at(bias, col()))), ops.const(0)),
    };
  }
  // rowScale: goes through a local the epilogue declares itself, to show that it may.
  return {
    vector: (k, acc, row) => {
      const scale = k.local("v128");
      return w.block(null, [
        k.set(scale, w.v128.load32_splat(0, 4, at(rowScale, row()))),
        w.f32x4.mul(acc, k.get(scale)),
      ], "v128");
    },
    scalar: (_fb, acc, row) => ops.mul(acc, ops.load(0, size, at(rowScale, row()))),
  };
}

/** Lays the cases out in memory, each region followed by a guard band; offsets are 4-aligned only. */
function place(
  cases: readonly Case[],
  maxBatch: number,
  epilogue: EpilogueKind = "none",
  columnSums = false,
  split?: { readonly kind: "rows" | "columns"; readonly threads: number },
): { placed: Placed[]; bytes: number } {
  let at = 4; // deliberately not 16-byte aligned
  const alloc = (bytes: number) => {
    const start = at;
    at += bytes + GUARD;
    return start;
  };
  const placed = cases.map((c, x) => {
    const size = c.dtype === "f64" ? 8 : 4;
    const [m, k, n] = [c.m, c.k, c.n].map((d) => (d === "batch" ? maxBatch : d));
    if (size === 8) at = Math.ceil(at / 8) * 8;
    const a = alloc(m * k * size);
    const b = alloc(k * n * size);
    const cc = alloc(m * n * size);
    const threads = split?.threads ?? 1;
    const scratchBytes = matmulScratchBytes(c, maxBatch);
    const scratch = alloc(threads * scratchBytes);
    const bias = alloc(epilogue === "none" ? 0 : n * size);
    const rowScale = alloc(epilogue === "none" ? 0 : m * size);
    const sums = columnSums ? alloc(n * size) : -1;
    const spec: MatmulSpec = {
      name: `mm${x}`,
      ...c,
      a,
      b,
      c: cc,
      scratch,
      ...(columnSums ? { columnSum: sums } : {}),
      ...(split === undefined ? {} : { split: split.kind, scratchStride: scratchBytes }),
    };
    return { spec, maxBatch, bias, rowScale, epilogue, sums, threads, end: at };
  });
  return { placed, bytes: at };
}

interface Built {
  readonly memory: WebAssembly.Memory;
  readonly run: (x: number) => void;
  readonly setBatch: (b: number) => void;
  /** Sets the thread globals: this is thread t of T. */
  readonly setThread: (t: number, threads: number) => void;
  readonly text: string;
}

async function build(
  placed: readonly Placed[],
  bytes: number,
  relaxedSimd = false,
): Promise<Built> {
  const w = new WasmModule({ relaxedSimd });
  w.addGlobal(BATCH_GLOBAL, "i32");
  for (const p of placed) {
    const epilogue = makeEpilogue(w, p);
    emitMatmul(w, epilogue === undefined ? p.spec : { ...p.spec, epilogue });
    w.addFunction(
      `run${p.spec.name}`,
      new FunctionBuilder(w, []),
      "none",
      w.call(p.spec.name, [], "none"),
      true,
    );
  }
  const fb = new FunctionBuilder(w, ["i32"]);
  w.addFunction("setBatch", fb, "none", w.globalSet(BATCH_GLOBAL, fb.get(0)), true);
  w.addGlobal(THREAD_GLOBAL, "i32");
  w.addGlobal(THREADS_GLOBAL, "i32", 1);
  const threads = new FunctionBuilder(w, ["i32", "i32"]);
  w.addFunction(
    "setThread",
    threads,
    "none",
    w.block(null, [
      w.globalSet(THREAD_GLOBAL, threads.get(0)),
      w.globalSet(THREADS_GLOBAL, threads.get(1)),
    ]),
    true,
  );
  const { binary } = w.finish(Math.ceil(bytes / 65536) + 1);
  const text = wasmText(binary);
  const { instance } = await WebAssembly.instantiate(binary);
  const ex = instance.exports as Record<string, unknown>;
  return {
    memory: ex.memory as WebAssembly.Memory,
    run: (x) => (ex[`runmm${x}`] as () => void)(),
    setBatch: ex.setBatch as (b: number) => void,
    setThread: ex.setThread as (t: number, threads: number) => void,
    text,
  };
}

/** Deterministic pseudo-random values in [-1, 1). */
function randoms(seed: number): () => number {
  const next = uniformStream(seed);
  return () => next() * 2 - 1;
}

/**
 * Runs case `x` at batch size `batch` and checks C against the references
 * (with the case's epilogue applied), and that nothing outside C and the
 * scratch area changed.
 */
function check(built: Built, p: Placed, x: number, batch: number, seed: number, exact: boolean) {
  const { spec } = p;
  const f64 = spec.dtype === "f64";
  const size = f64 ? 8 : 4;
  const buf = built.memory.buffer;
  const view = f64 ? new Float64Array(buf) : new Float32Array(buf);
  const [m, k, n] = [spec.m, spec.k, spec.n].map((d) => (d === "batch" ? batch : d));
  const next = randoms(seed);
  // Fill the whole case area (including guards and unused batch rows) with sentinels, then A and B.
  const start = spec.a / size;
  view.fill(SENTINEL, start, Math.floor(p.end / size));
  for (let e = 0; e < m * k; e++) view[spec.a / size + e] = next();
  for (let e = 0; e < k * n; e++) view[spec.b / size + e] = next();
  if (p.epilogue !== "none") {
    for (let e = 0; e < n; e++) view[p.bias / size + e] = next();
    for (let e = 0; e < m; e++) view[p.rowScale / size + e] = next();
  }
  const cStart = spec.c / size;
  if (p.epilogue === "inPlace") {
    for (let e = 0; e < m * n; e++) view[cStart + e] = next();
  }
  const before = view.slice(start, Math.floor(p.end / size));
  built.setBatch(batch);
  // A split kernel: every thread's share in turn (shares must not overlap:
  // the in-place epilogue would apply twice).
  for (let t = 0; t < p.threads; t++) {
    built.setThread(t, p.threads);
    built.run(x);
  }
  built.setThread(0, 1);
  const A = (i: number, q: number) => view[spec.a / size + (spec.transA ? q * m + i : i * k + q)];
  const B = (q: number, j: number) => view[spec.b / size + (spec.transB ? j * k + q : q * n + j)];
  const label = () =>
    `${spec.dtype} m=${m} k=${k} n=${n} tA=${spec.transA} tB=${spec.transB} ${p.epilogue}`;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let exactSum = 0;
      let absSum = 0;
      let seq = 0;
      for (let q = 0; q < k; q++) {
        const prod = A(i, q) * B(q, j);
        exactSum += prod;
        absSum += Math.abs(prod);
        seq = f64 ? seq + prod : Math.fround(seq + Math.fround(prod));
      }
      const old = before[cStart + i * n + j - start];
      const want = reference(p, view, i, j, { exactSum, absSum, seq, k, old });
      const got = view[spec.c / size + i * n + j];
      if (!(Math.abs(got - want.exact) <= want.tol)) {
        assert.fail(`${label()}: C[${i},${j}] = ${got}, expected ${want.exact} ± ${want.tol}`);
      }
      if (exact && !Object.is(got, want.seq)) {
        assert.fail(
          `${label()}: C[${i},${j}] = ${got} differs from the sequential sum ${want.seq}`,
        );
      }
    }
  }
  // The column sums: Σ_i C[i, j] of the stored C, added in row order (f32: rounded after every add).
  const sumsStart = p.sums / size;
  if (p.sums >= 0) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < m; i++) {
        const c = view[cStart + i * n + j];
        sum = f64 ? sum + c : Math.fround(sum + c);
      }
      const got = view[sumsStart + j];
      if (!Object.is(got, sum)) {
        assert.fail(`${label()}: column sum ${j} = ${got}, expected ${sum} (rows in order)`);
      }
    }
  }
  // Only C (its m·n elements), the column sums and the scratch area may have changed.
  const cEnd = cStart + m * n;
  const sStart = spec.scratch / size;
  const sEnd = sStart + p.threads * matmulScratchBytes(spec, p.maxBatch) / size;
  for (let e = start; e < start + before.length; e++) {
    if ((e >= cStart && e < cEnd) || (e >= sStart && e < sEnd)) continue;
    if (p.sums >= 0 && e >= sumsStart && e < sumsStart + n) continue;
    if (!Object.is(view[e], before[e - start])) {
      assert.fail(`${label()}: element ${e} outside C and scratch was overwritten`);
    }
  }
}

/**
 * The expected element C[i,j] with the case's epilogue: the exact value, its
 * tolerance, and the bit-exact result of the sequential sum (see the top).
 */
function reference(
  p: Placed,
  view: Float32Array | Float64Array,
  i: number,
  j: number,
  dot: { exactSum: number; absSum: number; seq: number; k: number; old: number },
): { exact: number; tol: number; seq: number } {
  const f64 = p.spec.dtype === "f64";
  const size = f64 ? 8 : 4;
  const round = f64 ? (x: number) => x : Math.fround;
  const tolerance = (terms: number, absSum: number) =>
    f64 ? F64_TOLERANCE * absSum : F32_TOLERANCE(terms) * absSum + 2 ** -126;
  const { exactSum, absSum, seq, k, old } = dot;
  switch (p.epilogue) {
    case "none":
      return { exact: exactSum, tol: tolerance(k, absSum), seq };
    case "biasRelu": {
      const b = view[p.bias / size + j];
      return {
        exact: Math.max(exactSum + b, 0),
        tol: tolerance(k + 1, absSum + Math.abs(b)),
        seq: Math.max(round(seq + b), 0),
      };
    }
    case "rowScale": {
      const s = view[p.rowScale / size + i];
      return {
        exact: exactSum * s,
        tol: tolerance(k + 1, absSum * Math.abs(s)),
        seq: round(seq * s),
      };
    }
    case "inPlace":
      return {
        exact: old - exactSum / 2,
        tol: tolerance(k + 1, absSum / 2 + Math.abs(old)),
        seq: round(old - round(seq / 2)),
      };
  }
}

const TRANS = [[false, false], [false, true], [true, false], [true, true]] as const;

/** Fixed cases: every transpose combination, with fixed and run-time m and k, and tails. */
function fixedCases(): Case[] {
  const cases: Case[] = [];
  for (const [transA, transB] of TRANS) {
    for (const dtype of ["f32", "f64"] as const) {
      cases.push({ dtype, m: 13, k: 7, n: 10, transA, transB });
      cases.push({ dtype, m: "batch", k: 17, n: 3, transA, transB });
      cases.push({ dtype, m: 9, k: "batch", n: 21, transA, transB });
      cases.push({ dtype, m: 1, k: 1, n: 1, transA, transB });
      cases.push({ dtype, m: 4, k: 2, n: 16, transA, transB });
    }
    cases.push({ dtype: "f32", m: 128, k: 784, n: 10, transA, transB });
    cases.push({ dtype: "f32", m: "batch", k: 64, n: 36, transA, transB });
    cases.push({ dtype: "f32", m: 70, k: "batch", n: 13, transA, transB });
    // n > 128: B packed even without transB (wide B); tiny fixed m: read in place.
    cases.push({ dtype: "f32", m: "batch", k: 33, n: 150, transA, transB });
    cases.push({ dtype: "f32", m: 5, k: 9, n: 141, transA, transB });
  }
  // The three products of a 784→128 layer.
  cases.push({ dtype: "f32", m: "batch", k: 784, n: 128, transA: false, transB: false });
  cases.push({ dtype: "f32", m: "batch", k: 128, n: 784, transA: false, transB: true });
  cases.push({ dtype: "f32", m: 784, k: "batch", n: 128, transA: true, transB: false });
  return cases;
}

async function checkFixed(
  relaxedSimd: boolean,
  epilogue: EpilogueKind = "none",
  columnSums = false,
  split?: { readonly kind: "rows" | "columns"; readonly threads: number },
) {
  const maxBatch = 23;
  const cases = fixedCases();
  if (epilogue !== "none") {
    // f32 with a run-time n takes the scalar path: its epilogue too.
    for (const [transA, transB] of TRANS) {
      cases.push({ dtype: "f32", m: 6, k: 5, n: "batch", transA, transB });
      cases.push({ dtype: "f32", m: "batch", k: 3, n: "batch", transA, transB });
    }
  }
  const { placed, bytes } = place(cases, maxBatch, epilogue, columnSums, split);
  const built = await build(placed, bytes, relaxedSimd);
  if (relaxedSimd) assert.match(built.text, /f32x4\.relaxed_madd/);
  else assert.doesNotMatch(built.text, /relaxed/);
  placed.forEach((p, x) => {
    const batched = [p.spec.m, p.spec.k, p.spec.n].includes("batch");
    for (const batch of batched ? [1, 2, 5, maxBatch] : [maxBatch]) {
      check(built, p, x, batch, 1000 * x + batch, !relaxedSimd);
    }
  });
}

Deno.test("emitMatmul: fixed shapes, all transposes, fixed and run-time m and k", async () => {
  await checkFixed(false);
});

// The relaxed build is forced, never skipped: tests/relaxed_simd_test.ts checks
// that this engine runs relaxed SIMD.
Deno.test("emitMatmul: relaxed-SIMD build (fused multiply-add), fixed shapes", async () => {
  await checkFixed(true);
});

const arbCase: fc.Arbitrary<{ c: Case; maxBatch: number; batches: number[] }> = fc
  .record({
    dtype: fc.constantFrom<DType>("f32", "f32", "f32", "f64"),
    m: fc.integer({ min: 1, max: 70 }),
    k: fc.integer({ min: 1, max: 70 }),
    n: fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 129, max: 170 })),
    transA: fc.boolean(),
    transB: fc.boolean(),
    batchAs: fc.constantFrom("none", "m", "k"),
    batches: fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ batchAs, batches, ...c }) => {
    const maxBatch = batchAs === "m" ? c.m : batchAs === "k" ? c.k : 1;
    return {
      c: {
        ...c,
        m: batchAs === "m" ? "batch" as const : c.m,
        k: batchAs === "k" ? "batch" as const : c.k,
      },
      maxBatch,
      batches: batchAs === "none" ? [1] : [maxBatch, ...batches.map((b) => 1 + (b % maxBatch))],
    };
  });

Deno.test("emitMatmul: random shapes agree with the f64 reference (fast-check)", async () => {
  await fc.assert(
    fc.asyncProperty(arbCase, fc.boolean(), async ({ c, maxBatch, batches }, relaxed) => {
      const relaxedSimd = relaxed;
      const { placed, bytes } = place([c], maxBatch);
      const built = await build(placed, bytes, relaxedSimd);
      for (const batch of batches) check(built, placed[0], 0, batch, batch * 7 + 1, !relaxedSimd);
    }),
    { seed: 20240611, numRuns: 120 },
  );
});

Deno.test("emitMatmul epilogue: bias + relu, row scale, in place; fixed shapes", async (t) => {
  for (const epilogue of ["biasRelu", "rowScale", "inPlace"] as const) {
    await t.step(`${epilogue}, default build`, () => checkFixed(false, epilogue));
    await t.step(`${epilogue}, relaxed-SIMD build`, () => checkFixed(true, epilogue));
  }
});

Deno.test("emitMatmul column sums: every column of the stored C, summed in row order", async (t) => {
  // Sums of C as stored, epilogue applied; with the relaxed build too (the
  // sums are plain adds of the stored values, in the same order).
  for (const epilogue of ["none", "biasRelu", "inPlace"] as const) {
    await t.step(`${epilogue}, default build`, () => checkFixed(false, epilogue, true));
    await t.step(`${epilogue}, relaxed-SIMD build`, () => checkFixed(true, epilogue, true));
  }
});

Deno.test("emitMatmul split among threads: each share in turn gives C bit for bit", async (t) => {
  // The shares of 2, 3 and 5 threads, run one after another, must cover every
  // element of C once (the in-place epilogue would otherwise apply twice) and
  // compute it exactly as the whole kernel does (the sequential sum, bit for bit).
  for (const threads of [2, 3, 5]) {
    for (const kind of ["rows", "columns"] as const) {
      const split = { kind, threads };
      await t.step(`${threads} threads, ${kind}`, () => checkFixed(false, "inPlace", false, split));
    }
    const split = { kind: "columns", threads } as const;
    await t.step(
      `${threads} threads, columns, with column sums`,
      () => checkFixed(false, "biasRelu", true, split),
    );
  }
  await t.step("relaxed build, 2 threads", async () => {
    await checkFixed(true, "none", false, { kind: "rows", threads: 2 });
    await checkFixed(true, "none", true, { kind: "columns", threads: 2 });
  });
});

Deno.test("emitMatmul epilogue: random shapes agree with the f64 reference (fast-check)", async () => {
  await fc.assert(
    fc.asyncProperty(
      arbCase,
      fc.constantFrom<EpilogueKind>("biasRelu", "rowScale", "inPlace"),
      fc.boolean(),
      async ({ c, maxBatch, batches }, epilogue, relaxed) => {
        const relaxedSimd = relaxed;
        const { placed, bytes } = place([c], maxBatch, epilogue);
        const built = await build(placed, bytes, relaxedSimd);
        for (const batch of batches) {
          check(built, placed[0], 0, batch, batch * 7 + 1, !relaxedSimd);
        }
      },
    ),
    { seed: 20240612, numRuns: 150 },
  );
});

Deno.test("emitMatmul epilogue: one call per store site, no trace without one", async () => {
  const c: Case = { dtype: "f32", m: 9, k: 5, n: 13, transA: false, transB: false };
  const text = async (epilogue: EpilogueKind) => {
    const { placed, bytes } = place([c], 1, epilogue);
    return (await build(placed, bytes)).text;
  };
  assert.doesNotMatch(await text("none"), /f32x4\.max/);
  const relu = await text("biasRelu");
  // 4 + 1 row tiles, 1 full panel (2 vectors) + one partial (5 columns: 2 vectors).
  assert.equal(relu.match(/f32x4\.max/g)?.length, (4 + 1) * 4);
});

Deno.test("matmulScratchBytes: one k×8 panel for f32, none for f64", () => {
  const base = { m: "batch", n: 10, transA: false, transB: true } as const;
  assert.equal(matmulScratchBytes({ ...base, dtype: "f32", k: 784 }, 32), 784 * 32);
  assert.equal(matmulScratchBytes({ ...base, dtype: "f32", k: "batch" }, 32), 32 * 32);
  assert.equal(matmulScratchBytes({ ...base, dtype: "f64", k: 784 }, 32), 0);
});

Deno.test("emitMatmul: rejects a negative or fractional size", () => {
  const w = new WasmModule();
  const spec: MatmulSpec = {
    name: "bad",
    dtype: "f32",
    a: 0,
    b: 0,
    c: 0,
    m: 2,
    k: -1,
    n: 2,
    transA: false,
    transB: false,
    scratch: 0,
  };
  assert.throws(() => emitMatmul(w, spec), /k = -1 is not a size/);
  assert.throws(() => emitMatmul(w, { ...spec, k: 2, n: 1.5 }), /n = 1\.5 is not a size/);
  w.finish(1);
});
