// Softmax cross-entropy is exact at any scale of the logits: the fused kernels
// (compiled, f32 and f64) and the f64 reference interpreter against an
// independent reference, and against themselves under a shift of every logit.
//
// The reference (`exactLoss`) keeps the row maximum m apart and never forms
// m + log Σ: with d_j = x_j − m split exactly into hi + lo (TwoSum),
// T = Σ_{j ≠ argmax} e^{hi}·(1 + lo) (all terms ≥ 0, added smallest first) and
// loss = log1p(T) + (m − x_label), the last difference again exact as hi + lo.
// V8's Math.exp and Math.log1p are fdlibm ports, within 1 ulp; each term is
// within ~2 ulps, the sum of n ≤ 10 nonnegative terms within n more, log1p's
// condition number T/((1 + T)·log1p T) is ≤ 1, and the final sum adds
// nonnegative numbers: the reference is within ~16 ulps (< 4e-15 relative)
// of the true loss of the given (f32 or f64) logits — far below the 1e-6
// (f32) and 1e-13 (f64) relative bounds checked.
//
// Bounds of the gradient in the concrete cases: its entries are
// e^{(x − m) − L} (and 1 − p for the label), where x − m is exact here and
// |x − m − L| ≤ 16, so rounding that argument costs ≤ 16·2⁻²⁴ ≈ 1e-6
// relative at f32 (≤ 16·2⁻⁵³ at f64), plus the exponential's 1 ulp: 2e-6
// (f32) and 1e-13 (f64) relative.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { grad } from "../compiler/frontend/grad.ts";
import * as T from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import type { DType } from "../core/shape.ts";
import { SEED } from "./helpers.ts";
import { buildOutputs, type Built, runBuilt } from "./wasm_runner.ts";

/** a − b as hi + lo exactly (Knuth's TwoSum). */
function twoDiff(a: number, b: number): [number, number] {
  const s = a - b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (-b - bb)];
}

/** The loss of one row of logits, to a few f64 ulps (see the header). */
function exactLoss(x: readonly number[], label: number): number {
  const m = Math.max(...x);
  const first = x.indexOf(m);
  const terms = x.flatMap((v, j) => {
    if (j === first) return [];
    const [hi, lo] = twoDiff(v, m);
    return [Math.exp(hi) * (1 + lo)];
  }).sort((a, b) => a - b);
  const t = terms.reduce((a, b) => a + b, 0);
  const [hi, lo] = twoDiff(m, x[label]);
  return Math.log1p(t) + hi + lo;
}

const MAX_BATCH = 8;
const cache = new Map<string, Built>();

/** The compiled loss and its gradient (cotangent 1 per row) for `classes` columns. */
function compiled(dtype: DType, classes: number): Built {
  const key = `${dtype} ${classes}`;
  let built = cache.get(key);
  if (built === undefined) {
    const x = T.input("x", ["batch", classes]);
    const y = T.input("y", ["batch"], "label");
    const loss = T.softmaxCrossEntropyRows(x, y);
    const [dx] = grad(() => T.sum(loss))(x);
    built = buildOutputs({ loss, dx }, {
      name: dtype,
      dtype,
      relaxedSimd: false,
      optimized: true,
    }, MAX_BATCH);
    cache.set(key, built);
  }
  return built;
}

/** Losses and gradients of rows of logits: compiled at `dtype`, or by the f64 interpreter. */
function run(
  engine: DType | "interpreter",
  rows: readonly (readonly number[])[],
  labels: readonly number[],
): { loss: Float64Array; dx: Float64Array } {
  const classes = rows[0].length;
  const bindings = { x: rows.flat(), y: [...labels] };
  if (engine !== "interpreter") {
    const out = runBuilt(compiled(engine, classes), bindings, rows.length);
    return { loss: out.loss, dx: out.dx };
  }
  const x = T.input("x", ["batch", classes]);
  const y = T.input("y", ["batch"], "label");
  const loss = T.softmaxCrossEntropyRows(x, y);
  const [dx] = grad(() => T.sum(loss))(x);
  const out = interpret(trace({ loss, dx }, "f64"), bindings, rows.length).outputs;
  return { loss: out.loss, dx: out.dx };
}

const ENGINES = ["f32", "f64", "interpreter"] as const;
/** Relative bound of the loss (see the header). */
const LOSS_BOUND = { f32: 1e-6, f64: 1e-13, interpreter: 1e-13 };
/** Relative bound of the gradient in the concrete cases (see the header). */
const GRAD_BOUND = { f32: 2e-6, f64: 1e-13, interpreter: 1e-13 };

function relativeError(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

for (const engine of ENGINES) {
  for (const c of [0, 1000]) {
    Deno.test(`softmax CE (${engine}): logits [c+10, c], label 0, c = ${c}: loss and gradient exact`, () => {
      const { loss, dx } = run(engine, [[c + 10, c]], [0]);
      // loss = log(1 + e⁻¹⁰); p₁ = 1/(1 + e¹⁰) = −∂/∂x₀ = ∂/∂x₁
      const wantLoss = Math.log1p(Math.exp(-10));
      const p1 = 1 / (1 + Math.exp(10));
      const errors = [
        relativeError(loss[0], wantLoss),
        relativeError(dx[0], -p1),
        relativeError(dx[1], p1),
      ];
      assert.ok(errors[0] <= LOSS_BOUND[engine], `loss ${loss[0]} vs ${wantLoss}: ${errors[0]}`);
      assert.ok(
        Math.max(errors[1], errors[2]) <= GRAD_BOUND[engine],
        `gradient [${dx}] vs [${-p1}, ${p1}]: relative errors ${errors.slice(1)}`,
      );
    });
  }
  Deno.test(`softmax CE (${engine}): logits [337.8, 196.6, 305.0], label 0: a loss of 6e-15 is exact`, () => {
    const row = engine === "f32" ? [337.8, 196.6, 305.0].map(Math.fround) : [337.8, 196.6, 305.0];
    const want = exactLoss(row, 0);
    assert.ok(want > 1e-15 && want < 1e-14);
    const { loss, dx } = run(engine, [row], [0]);
    const error = relativeError(loss[0], want);
    assert.ok(error <= LOSS_BOUND[engine], `loss ${loss[0]} vs ${want}: relative error ${error}`);
    // 1 − p₀ = the loss, to first order: the label's gradient is −loss, not 0.
    assert.ok(relativeError(-dx[0], want) <= 1e-5, `∂/∂x₀ = ${dx[0]}, want ≈ ${-want}`);
  });
}

/** Rows of logits, each f32-exact, some with one logit far above the others (tiny losses). */
const rowsArb = fc.integer({ min: 2, max: 10 }).chain((classes) =>
  fc.array(
    fc.record({
      shift: fc.double({ min: -1000, max: 1000, noNaN: true }),
      spread: fc.constantFrom(0.1, 3, 30),
      values: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
        minLength: classes,
        maxLength: classes,
      }),
      gap: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 40, noNaN: true })),
      label: fc.integer({ min: 0, max: classes - 1 }),
      labelIsMax: fc.boolean(),
    }).map(({ shift, spread, values, gap, label, labelIsMax }) => {
      const row = values.map((v) => Math.fround(shift + spread * v));
      if (labelIsMax) {
        // The label's logit above every other by `gap`: loss ≈ (classes − 1)·e^−gap.
        const top = Math.max(...row);
        row[label] = Math.fround(top + gap);
      }
      return { row, label };
    }),
    { minLength: 1, maxLength: MAX_BATCH },
  )
);

for (const engine of ENGINES) {
  Deno.test(`softmax CE (${engine}): loss within ${LOSS_BOUND[engine]} relative of the exact reference (fast-check)`, () => {
    let smallest = Infinity;
    fc.assert(
      fc.property(rowsArb, (samples) => {
        const { loss } = run(engine, samples.map((s) => s.row), samples.map((s) => s.label));
        samples.forEach(({ row, label }, i) => {
          const want = exactLoss(row, label);
          smallest = Math.min(smallest, want);
          const error = relativeError(loss[i], want);
          assert.ok(
            error <= LOSS_BOUND[engine],
            `row [${row}] label ${label}: loss ${loss[i]}, exact ${want}, relative error ${error}`,
          );
        });
      }),
      { seed: SEED, numRuns: 200 },
    );
    assert.ok(smallest < 1e-15, `the cases reached losses down to ${smallest} only`);
  });

  Deno.test(`softmax CE (${engine}): adding c ∈ [−1000, 1000] to every logit changes nothing (fast-check)`, () => {
    // Logits on a 2⁻¹² grid in [−16, 16] and integer c: x + c is exact even in f32.
    const arb = fc.integer({ min: 2, max: 10 }).chain((classes) =>
      fc.record({
        rows: fc.array(
          fc.array(fc.integer({ min: -16 * 4096, max: 16 * 4096 }).map((v) => v / 4096), {
            minLength: classes,
            maxLength: classes,
          }),
          { minLength: 1, maxLength: MAX_BATCH },
        ),
        labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), {
          minLength: MAX_BATCH,
          maxLength: MAX_BATCH,
        }),
        c: fc.integer({ min: -1000, max: 1000 }),
      })
    );
    fc.assert(
      fc.property(arb, ({ rows, labels, c }) => {
        const y = labels.slice(0, rows.length);
        const base = run(engine, rows, y);
        const shifted = run(engine, rows.map((r) => r.map((v) => v + c)), y);
        const ulp = engine === "f32" ? 2 ** -23 : 2 ** -52;
        for (const key of ["loss", "dx"] as const) {
          base[key].forEach((want, i) => {
            const got = shifted[key][i];
            // "A few ulps": 4 ulps of the value (or of the smallest normal for values near 0).
            const allowed = 4 * ulp *
              Math.max(Math.abs(want), engine === "f32" ? 2 ** -126 : 2 ** -1022);
            assert.ok(
              Math.abs(got - want) <= allowed,
              `${key}[${i}] = ${want} at c = 0, ${got} at c = ${c}`,
            );
          });
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
}
