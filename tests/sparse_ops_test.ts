// The index ops — gather, bag (sum, mean), spmm — and their gradients
// (scatteradd, bagscatter, spmmscatter, spmmdot):
//
// - the f64 reference (ir/sparse_reference.ts) against plain-number
//   implementations written here from PyTorch's definitions of `embedding`,
//   `embedding_bag` (offsets, modes sum and mean, empty bags → zeros,
//   per_sample_weights) and a CSR product;
// - gradients against central finite differences through the public checker
//   (`checkGradients`, f64 WebAssembly), 200 random cases: random tables,
//   bags (empty ones included), repeated ids, both pools, weights;
// - the compiled f32 kernels against the f64 interpreter on random data, with
//   an error bound from the number of terms;
// - the table's gradient is zero, exactly, in every row no id names, and
//   garbage ids or ends never trap (skipped, clamped; the same in wasm and
//   the interpreter).
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { checkGradients } from "../compiler/driver/check_gradients.ts";
import { interpret } from "../compiler/ir/interpret.ts";
import { bagBounds } from "../compiler/ir/sparse_reference.ts";
import * as S from "../compiler/frontend/sparse.ts";
import * as T from "../compiler/frontend/tensor.ts";
import { trace } from "../compiler/frontend/trace.ts";
import { grad } from "../compiler/frontend/grad.ts";
import { runF32 } from "./run_f32.ts";
import { prim } from "./op_cases.ts";
import { SEED } from "./helpers.ts";

const U = 2 ** -24; // f32 unit roundoff

/** A random problem: a table, bags over its rows (PyTorch offsets), weights, a cotangent. */
interface Problem {
  readonly rows: number;
  readonly width: number;
  readonly capacity: number;
  readonly table: number[];
  readonly ids: number[];
  readonly ends: number[];
  readonly weights: number[];
  readonly cotangent: number[];
  readonly pool: "sum" | "mean";
}

/** Exact eighths k/8 in [-3, 3]: the same numbers in f32 and f64. */
const eighth = fc.integer({ min: -24, max: 24 }).map((k) => k / 8);

const problems: fc.Arbitrary<Problem> = fc.record({
  rows: fc.integer({ min: 1, max: 9 }),
  width: fc.integer({ min: 1, max: 9 }),
  capacity: fc.integer({ min: 1, max: 14 }),
  bags: fc.integer({ min: 1, max: 5 }),
  pool: fc.constantFrom("sum" as const, "mean" as const),
}).chain((s) =>
  fc.record({
    rows: fc.constant(s.rows),
    width: fc.constant(s.width),
    capacity: fc.constant(s.capacity),
    pool: fc.constant(s.pool),
    table: fc.array(eighth, { minLength: s.rows * s.width, maxLength: s.rows * s.width }),
    ids: fc.array(fc.integer({ min: 0, max: s.rows - 1 }), {
      minLength: s.capacity,
      maxLength: s.capacity,
    }),
    ends: fc.array(fc.integer({ min: 0, max: s.capacity }), {
      minLength: s.bags,
      maxLength: s.bags,
    }).map((e) => e.sort((a, b) => a - b)),
    weights: fc.array(eighth, { minLength: s.capacity, maxLength: s.capacity }),
    cotangent: fc.array(eighth, { minLength: s.bags * s.width, maxLength: s.bags * s.width }),
  })
);

// ---------------------------------------------------- plain-number oracles --

/** PyTorch's offsets (bag starts) from the ends. */
function offsetsOf(ends: readonly number[]): number[] {
  return ends.map((_, i) => (i === 0 ? 0 : ends[i - 1]));
}

/**
 * `torch.nn.functional.embedding_bag(input, weight, offsets, mode, per_sample_weights)`
 * as documented: bag i is `input[offsets[i] : offsets[i+1]]` (the last bag up
 * to the end of the used ids); mode "sum" adds the rows (times their weights),
 * "mean" averages them; an empty bag gives zeros.
 */
function embeddingBagRef(p: Problem, mode: "sum" | "mean", weighted: boolean): number[][] {
  const offsets = offsetsOf(p.ends);
  const used = p.ends[p.ends.length - 1];
  return offsets.map((start, i) => {
    const stop = i + 1 < offsets.length ? offsets[i + 1] : used;
    const row = new Array(p.width).fill(0);
    for (let k = start; k < stop; k++) {
      for (let j = 0; j < p.width; j++) {
        row[j] += p.table[p.ids[k] * p.width + j] * (weighted ? p.weights[k] : 1);
      }
    }
    const count = stop - start;
    return mode === "mean" && count > 0 ? row.map((v) => v / count) : row;
  });
}

/** ∂(Σ cotangent·bag)/∂table, entry by entry: Σ over the positions k with ids[k] = r. */
function tableGradientRef(p: Problem, mode: "sum" | "mean", weighted: boolean): number[] {
  const offsets = offsetsOf(p.ends);
  const used = p.ends[p.ends.length - 1];
  const out = new Array(p.rows * p.width).fill(0);
  offsets.forEach((start, i) => {
    const stop = i + 1 < offsets.length ? offsets[i + 1] : used;
    const scale = mode === "mean" ? 1 / (stop - start) : 1;
    for (let k = start; k < stop; k++) {
      for (let j = 0; j < p.width; j++) {
        const w = weighted ? p.weights[k] : scale;
        out[p.ids[k] * p.width + j] += p.cotangent[i * p.width + j] * w;
      }
    }
  });
  return out;
}

function closeTo(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(
      Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])),
      `${what}[${i}]: ${got[i]}, expected ${want[i]}`,
    );
  }
}

function symbols(p: Problem) {
  return {
    table: T.input("table", [p.rows, p.width]),
    ids: T.input("ids", [p.capacity]),
    ends: T.input("ends", [p.ends.length]),
    weights: T.input("weights", [p.capacity]),
    cotangent: T.input("cotangent", [p.ends.length, p.width]),
  };
}

function bindingsOf(p: Problem) {
  return {
    table: p.table,
    ids: p.ids,
    ends: p.ends,
    weights: p.weights,
    cotangent: p.cotangent,
  };
}

Deno.test("bag and spmm (and their table gradients) = PyTorch's embedding_bag, written out", () => {
  fc.assert(
    fc.property(problems, (p) => {
      const s = symbols(p);
      const loss = (table: T.Tensor) =>
        T.add(
          T.sum(T.mul(S.bag(table, s.ids, s.ends, p.pool), s.cotangent)),
          T.sum(T.mul(S.sparseMatmul(s.weights, s.ids, s.ends, table), s.cotangent)),
        );
      const [dTable] = grad(loss)(s.table);
      const graph = trace({
        bag: S.bag(s.table, s.ids, s.ends, p.pool),
        spmm: S.sparseMatmul(s.weights, s.ids, s.ends, s.table),
        dTable,
      }, "f64");
      const got = interpret(graph, bindingsOf(p), 1).outputs;
      closeTo(got.bag, embeddingBagRef(p, p.pool, false).flat(), 1e-12, "bag");
      closeTo(got.spmm, embeddingBagRef(p, "sum", true).flat(), 1e-12, "spmm");
      const both = tableGradientRef(p, p.pool, false).map((v, i) =>
        v + tableGradientRef(p, "sum", true)[i]
      );
      closeTo(got.dTable, both, 1e-12, "dTable");
    }),
    { seed: SEED, numRuns: 200 },
  );
});

Deno.test("gather = PyTorch's embedding (rows by id, [n, L] flattened to [n, L·D])", () => {
  const table = [1, 2, 3, 4, 5, 6, 7, 8];
  const graph = trace({
    y: S.gather(T.input("t", [4, 2]), T.input("ids", ["batch", 3])),
  }, "f64");
  const y = interpret(graph, { t: table, ids: [3, 0, 3, 1, 1, 2] }, 2).outputs.y;
  assert.deepEqual([...y], [7, 8, 1, 2, 7, 8, 3, 4, 3, 4, 5, 6]);
});

Deno.test(`gradients of gather, bag, spmm against finite differences: 200 cases (checkGradients, f64 wasm)`, () => {
  let checked = 0;
  fc.assert(
    fc.property(problems, fc.integer({ min: 1, max: 3 }), (p, length) => {
      const windows = Array.from(
        { length: p.ends.length * length },
        (_, i) => p.ids[i % p.capacity],
      );
      const reports = checkGradients(
        ({ table, ids, ends, weights, cotangent, window, r }) =>
          T.add(
            T.add(
              T.sum(T.mul(S.bag(table, ids, ends, p.pool), cotangent)),
              T.sum(T.mul(S.sparseMatmul(weights, ids, ends, T.tanh(table)), cotangent)),
            ),
            T.sum(T.mul(S.gather(T.mul(table, table), window), r)),
          ),
        {
          ...bindingsOf(p),
          table: { data: p.table, shape: [p.rows, p.width] },
          cotangent: { data: p.cotangent, shape: [p.ends.length, p.width] },
          window: { data: windows, shape: [p.ends.length, length] },
          r: {
            data: Array.from({ length: p.ends.length * length * p.width }, (_, i) => (i % 5) - 2),
            shape: [p.ends.length, length * p.width],
          },
        },
        { wrt: ["table", "weights", "cotangent"] },
      );
      assert.ok(reports.every((r) => r.ok));
      checked++;
    }),
    { seed: SEED, numRuns: 200 },
  );
  assert.equal(checked, 200);
});

Deno.test("f32 kernels of bag, spmm and their gradients = the f64 interpreter (bound: terms × u)", () => {
  fc.assert(
    fc.property(problems, (p) => {
      const s = symbols(p);
      const build = (dtype: "f32" | "f64") => {
        const bagged = S.bag(s.table, s.ids, s.ends, p.pool);
        const product = S.sparseMatmul(s.weights, s.ids, s.ends, s.table);
        const [dTable, dWeights] = grad((table, weights) =>
          T.add(
            T.sum(T.mul(S.bag(table, s.ids, s.ends, p.pool), s.cotangent)),
            T.sum(T.mul(S.sparseMatmul(weights, s.ids, s.ends, table), s.cotangent)),
          )
        )(s.table, s.weights);
        return trace({ bagged, product, dTable, dWeights }, dtype);
      };
      const bindings = bindingsOf(p);
      const got = runF32(build("f32"), bindings, 1);
      const want = interpret(build("f64"), bindings, 1).outputs;
      // Each value sums at most `capacity` (or `width`) products of exact
      // eighths up to 3 in magnitude: error ≤ terms·u·Σ|terms| ≤ terms²·u·9.
      const terms = Math.max(p.capacity, p.width) * 2;
      for (const name of Object.keys(want)) {
        for (let i = 0; i < want[name].length; i++) {
          assert.ok(
            Math.abs(got[name][i] - want[name][i]) <= terms * terms * 9 * U,
            `${name}[${i}] f32 ${got[name][i]}, f64 ${want[name][i]} (${JSON.stringify(p)})`,
          );
        }
      }
    }),
    { seed: SEED, numRuns: 200 },
  );
});

Deno.test("the table's gradient is exactly zero in every row no id names (bag and spmm; f32 and f64 kernels)", () => {
  const rows = 50;
  const width = 7;
  const ids = [3, 17, 3, 41, 17, 8];
  const ends = [2, 2, 6];
  const graph = (dtype: "f32" | "f64", op: "bag" | "spmm") => {
    const table = T.input("table", [rows, width]);
    const [idsIn, endsIn] = [T.input("ids", [6]), T.input("ends", [3])];
    const pooled = op === "bag"
      ? S.bag(table, idsIn, endsIn, "mean")
      : S.sparseMatmul(T.input("values", [6]), idsIn, endsIn, table);
    return trace({ d: grad(() => T.sum(T.tanh(pooled)))(table)[0] }, dtype);
  };
  const bindings = {
    table: Array.from({ length: rows * width }, (_, i) => Math.sin(i)),
    ids,
    ends,
    values: [0.5, -2, 1, 3, -1, 0.25],
  };
  const gradients = (["bag", "spmm"] as const).flatMap((op) => [
    runF32(graph("f32", op), bindings, 1).d,
    interpret(graph("f64", op), bindings, 1).outputs.d,
  ]);
  for (const d of gradients) {
    for (let r = 0; r < rows; r++) {
      const row = d.subarray(r * width, (r + 1) * width);
      if (ids.includes(r)) assert.ok(row.some((v) => v !== 0), `row ${r} is used`);
      else assert.ok(row.every((v) => Object.is(v, 0)), `row ${r}: ${[...row]}`);
    }
  }
});

Deno.test("garbage ids and ends never trap: out-of-range ids are skipped, ends clamped (wasm = interpreter)", () => {
  const build = (dtype: "f32" | "f64") => {
    const table = T.input("table", [4, 3]);
    const ids = T.input("ids", [5]);
    const ends = T.input("ends", ["batch"]);
    const weights = T.input("weights", [5]);
    return trace({
      bag: S.bag(table, ids, ends, "mean"),
      spmm: S.sparseMatmul(weights, ids, ends, table),
      gathered: S.gather(table, ids),
      dTable: grad((t) => T.sum(S.bag(t, ids, ends, "sum")))(table)[0],
    }, dtype);
  };
  const bindings = {
    table: Array.from({ length: 12 }, (_, i) => i + 1),
    ids: [-1, 4, 1e9, NaN, 2.9],
    ends: [3, 1, 99, -7],
    weights: [1, 2, 3, 4, 5],
  };
  assert.deepEqual([...bagBounds(bindings.ends, 5)], [0, 3, 3, 5, 5]);
  const want = interpret(build("f64"), bindings, 4).outputs;
  const got = runF32(build("f32"), bindings, 4);
  for (const name of Object.keys(want)) {
    assert.deepEqual([...got[name]], [...want[name]].map(Math.fround), name);
  }
  // NaN reads as id 0 and 2.9 as id 2 (truncated), like the kernels' i32 conversion.
  assert.deepEqual([...want.gathered], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 7, 8, 9]);
});

Deno.test("gradients of the gradient ops (scatteradd, bagscatter, spmmscatter, spmmdot) against finite differences: 200 cases", () => {
  fc.assert(
    fc.property(problems, (p) => {
      const n = p.ends.length;
      const values = {
        ...bindingsOf(p),
        table: { data: p.table, shape: [p.rows, p.width] },
        cotangent: { data: p.cotangent, shape: [n, p.width] },
        r: {
          data: Array.from({ length: p.rows * p.width }, (_, i) => ((i * 7) % 5) - 2),
          shape: [p.rows, p.width],
        },
        windowIds: p.ids.slice(0, Math.min(n, p.capacity)).concat(
          new Array(Math.max(0, n - p.capacity)).fill(0),
        ),
      };
      const reports = checkGradients(
        ({ table, ids, ends, weights, cotangent, r, windowIds }) => {
          const rows = p.rows;
          const scattered = prim("bagscatter", [ids, ends, cotangent], { pool: p.pool, rows });
          const weighted = prim("spmmscatter", [ids, ends, weights, cotangent], { rows });
          const dots = prim("spmmdot", [table, ids, ends, cotangent]);
          const plain = prim("scatteradd", [windowIds, cotangent], { rows });
          return T.add(
            T.add(T.sum(T.mul(T.add(scattered, weighted), r)), T.sum(T.mul(dots, weights))),
            T.sum(T.mul(plain, T.tanh(r))),
          );
        },
        values,
        { wrt: ["table", "weights", "cotangent"] },
      );
      assert.ok(reports.every((r) => r.ok));
    }),
    { seed: SEED, numRuns: 200 },
  );
});
