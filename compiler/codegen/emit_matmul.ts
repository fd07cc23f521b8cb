/**
 * Matrix-product kernels: `C = op(A)·op(B)` for the three products of a dense
 * layer (`x·W`, `dy·Wᵀ`, `xᵀ·dy`) and any other 2-D product of the graph.
 *
 * f32 uses one register-tiled SIMD kernel for every transpose combination:
 *
 * - The right operand is packed, one column panel at a time, into the scratch
 *   area as `[K][8]` floats (the panel's eight columns of row `p` side by
 *   side, zero-padded past `n`). Packing performs `transB`, so `dy·Wᵀ` runs
 *   the same inner loop as `x·W`, and the panel (K·32 bytes) stays in L1
 *   while every row tile of A streams past it. Transposed B is packed with
 *   vector loads and 4×4 shuffle transposes. Without transB and with n ≤ 128
 *   (or at most 8 fixed rows of A) full panels are read in place instead:
 *   there the copy costs more than it saves.
 * - The micro-kernel computes a 4×8 tile of C in eight f32x4 accumulators:
 *   per step of the reduction it loads two B vectors and four A elements with
 *   `v128.load32_splat` (8 multiply-adds per 6 loads), unrolled ×2. A splat
 *   load reads one element wherever it is, so `transA` (A element stride `m`
 *   instead of 1, as in `xᵀ·dy`) costs nothing extra. 4×8 is the largest tile
 *   that fits V8's 15 usable vector registers (8 accumulators, 2 B vectors, 1
 *   splat).
 * - Tails: row tiles of 3, 2 or 1 rows after the 4-row tiles; a last panel
 *   4 wide when at most 4 columns remain; partial stores of the last panel.
 * - Constant strides go into the load/store offset immediates; the run-time
 *   batch size (as `m` or `k`) only turns some immediates into adds.
 *
 * Every element of C is `Σ_p a[i,p]·b[p,j]` accumulated in order p = 0..k-1,
 * the same order as the scalar kernel, so results do not depend on tiling.
 * With relaxed SIMD the multiply-adds are fused (`WasmModule.f32x4MulAdd`).
 *
 * f64 (and f32 with a run-time `n`, which an MLP never produces) uses a plain
 * scalar triple loop: it exists for gradient checks, not for speed.
 *
 * An optional epilogue (`MatmulSpec.epilogue`, e.g. bias + activation) is
 * applied to each finished result while it is still in a register, just
 * before its store: once per element, after the whole reduction, in every
 * path. It costs a few instructions per stored vector and no extra pass over C.
 *
 * @module
 */

import type { Dim, DType } from "../../core/shape.ts";
import { Kernel } from "./kernel.ts";
import { FiniteAccumulator, type FiniteFlag } from "./emit_finite_check.ts";
import type { Expr, FunctionBuilder, WasmModule } from "./wasm.ts";

/**
 * An elementwise computation applied to results before they are stored, such
 * as bias + activation (`relu(C + bias)`), so that it needs no separate pass
 * over C.
 *
 * Each method is called once per emitted store site (a compile-time count,
 * unrelated to the number of elements) and must return fresh expressions on
 * every call (an `Expr` is used exactly once). It may declare locals with
 * `k.local` (`k` is the product's kernel context), and may read memory. Each stored element goes through the
 * epilogue exactly once, after the full k-reduction, never as a partial sum,
 * and is stored right after; the epilogues run interleaved with the stores
 * of C. So C may be one of the epilogue's own operands (an in-place update
 * such as `p − lr·C`): the elements an epilogue call reads at the positions
 * it stores still hold their values from before the product, while other
 * elements of C may already have been overwritten.
 *
 * `row()` and `col()` return fresh i32 expressions of the element's row index
 * i (0 ≤ i < m) and column index j (0 ≤ j < n) in C; call them as often as
 * needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { emitMatmul } from "./emit_matmul.ts";
 * const w = new WasmModule();
 * // relu([2,3]·[3,2] + bias) at f32: A at byte 0, B at 64, C at 128, bias at 160.
 * const bias = (col: () => number) => w.i32.add(w.i32.const(160), w.i32.shl(col(), w.i32.const(2)));
 * emitMatmul(w, {
 *   name: "mm", dtype: "f32", a: 0, b: 64, c: 128, m: 2, k: 3, n: 2,
 *   transA: false, transB: false, scratch: 256,
 *   epilogue: {
 *     // Reads bias[j..j+3]: 8 bytes past the bias, inside memory; those lanes are not stored.
 *     vector: (_fb, acc, _row, col) =>
 *       w.f32x4.max(w.f32x4.add(acc, w.v128.load(0, 4, bias(col))), w.f32x4.splat(w.f32.const(0))),
 *     scalar: (_fb, acc, _row, col) =>
 *       w.f32.max(w.f32.add(acc, w.f32.load(0, 4, bias(col))), w.f32.const(0)),
 *   },
 * });
 * w.addFunction("run", new FunctionBuilder(w, []), "none", w.call("mm", [], "none"), true);
 * const { instance } = await WebAssembly.instantiate(w.finish(1).binary);
 * const mem = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer);
 * mem.set([1, 2, 3, 4, 5, 6], 0);
 * mem.set([1, 0, 0, 1, 1, 1], 16);
 * mem.set([-5, 1], 40);
 * (instance.exports.run as () => void)();
 * // A·B = [[4, 5], [10, 11]]
 * assert.deepEqual([...mem.slice(32, 36)], [0, 6, 5, 12]);
 * ```
 */
export interface MatmulEpilogue {
  /**
   * The f32 SIMD kernel: `acc` (a v128) holds C[i, j..j+3]; returns the v128
   * to store at the same place. `col()` is j of lane 0, always a multiple of
   * 4; in the last group of a row, when n is not a multiple of 4, lanes
   * j + l ≥ n hold junk and are not stored (nor is anything else written
   * there). A `v128.load` of a bias row at j then reads up to 12 bytes past
   * the end of the bias (n floats), and one of an [m, n] operand at (i, j)
   * up to 12 bytes past that operand; that must not trap, so such a caller
   * keeps 16 bytes of slack within memory after the operand (the values read
   * there, like those read from the next row, only reach lanes that are not
   * stored).
   */
  vector(k: Kernel, acc: Expr, row: () => Expr, col: () => Expr): Expr;
  /**
   * The scalar kernel (f64, and f32 with a run-time n): `acc` holds C[i, j]
   * (f64 or f32, the spec's dtype); returns the value to store there.
   */
  scalar(k: Kernel, acc: Expr, row: () => Expr, col: () => Expr): Expr;
}

/** One matrix product to emit as a wasm function. */
export interface MatmulSpec {
  /** Name of the wasm function to add: no parameters, no results. */
  readonly name: string;
  /** "f32": f32x4 SIMD kernel; "f64": scalar kernel (correctness only). */
  readonly dtype: DType;
  /** Byte offset of A: row-major [m,k], or [k,m] when `transA`. */
  readonly a: number;
  /** Byte offset of B: row-major [k,n], or [n,k] when `transB`. */
  readonly b: number;
  /** Byte offset of C: row-major [m,n]; overwritten, never read. */
  readonly c: number;
  /** Rows of C. */
  readonly m: Dim;
  /** The contracted dimension. */
  readonly k: Dim;
  /** Columns of C. */
  readonly n: Dim;
  /** A is stored transposed ([k,m]). */
  readonly transA: boolean;
  /** B is stored transposed ([n,k]). */
  readonly transB: boolean;
  /**
   * Byte offset of a scratch area of at least `matmulScratchBytes(spec, maxBatch)` bytes.
   * A run-time size ("batch") is read from the module's batch global (`BATCH_GLOBAL`).
   */
  readonly scratch: number;
  /** Applied to every result before it is stored (default: store the product as is). */
  readonly epilogue?: MatmulEpilogue;
  /**
   * Checks every stored element (after the epilogue) for ±Infinity and NaN
   * while it is in a register, and reports to this flag once at the end
   * (`emit_finite_check.ts`): for products whose epilogue writes an update.
   */
  readonly finiteFlag?: FiniteFlag;
  /**
   * Byte offset of an `n`-element buffer that receives the column sums of
   * the stored results (after the epilogue): `Σ_i C[i, j]`, added row after
   * row in order i = 0..m-1, starting from 0 — the order of a separate
   * `sum(C, axis 0)` pass, which this replaces (a layer's bias gradient).
   */
  readonly columnSum?: number;
  /**
   * Compute only the calling thread's share of C (`Kernel.share`): whole
   * row tiles of 4 rows ("rows") or whole column panels of 8 ("columns";
   * required with `columnSum`, whose columns must each be summed by one
   * thread). Each element is still computed exactly as without a split.
   */
  readonly split?: "rows" | "columns";
  /**
   * With `split`: bytes between the scratch areas of consecutive threads
   * (thread t packs at `scratch + t·scratchStride`; at least
   * `matmulScratchBytes`).
   */
  readonly scratchStride?: number;
}

/** Columns of a packed panel of B (two f32x4 vectors). */
const PANEL = 8;
/** Rows of A in one register tile. */
const TILE_ROWS = 4;
/** Bytes per f32. */
const F32 = 4;

/**
 * Bytes of scratch space `emitMatmul` needs for `spec` when the batch size is
 * at most `maxBatch`: one packed panel of B, `k × 8` floats (0 for kernels
 * that do not pack).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matmulScratchBytes } from "./emit_matmul.ts";
 * const spec = { dtype: "f32", m: "batch", k: 784, n: 128, transA: false, transB: false } as const;
 * assert.equal(matmulScratchBytes(spec, 64), 784 * 8 * 4);
 * const grad = { dtype: "f32", m: 784, k: "batch", n: 128, transA: true, transB: false } as const;
 * assert.equal(matmulScratchBytes(grad, 64), 64 * 8 * 4);
 * ```
 */
export function matmulScratchBytes(
  spec: Omit<MatmulSpec, "a" | "b" | "c" | "scratch" | "name" | "epilogue">,
  maxBatch: number,
): number {
  if (!usesSimdKernel(spec)) return 0;
  const k = spec.k === "batch" ? maxBatch : spec.k;
  return k * PANEL * F32;
}

/**
 * Adds the function `spec.name` (no parameters, no results) computing
 * `C = op(A)·op(B)` to `w`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { emitMatmul } from "./emit_matmul.ts";
 * const w = new WasmModule();
 * // [2,3]·[3,2] at f32: A at byte 0, B at 64, C at 128, scratch at 256.
 * emitMatmul(w, {
 *   name: "mm", dtype: "f32", a: 0, b: 64, c: 128, m: 2, k: 3, n: 2,
 *   transA: false, transB: false, scratch: 256,
 * });
 * w.addFunction("run", new FunctionBuilder(w, []), "none", w.call("mm", [], "none"), true);
 * const { binary } = w.finish(1);
 * const { instance } = await WebAssembly.instantiate(binary);
 * const mem = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer);
 * mem.set([1, 2, 3, 4, 5, 6], 0);
 * mem.set([1, 0, 0, 1, 1, 1], 16);
 * (instance.exports.run as () => void)();
 * assert.deepEqual([...mem.slice(32, 36)], [4, 5, 10, 11]);
 * ```
 */
export function emitMatmul(w: WasmModule, spec: MatmulSpec): void {
  for (const [what, d] of [["m", spec.m], ["k", spec.k], ["n", spec.n]] as const) {
    if (d !== "batch" && (!Number.isInteger(d) || d < 0)) {
      throw new RangeError(`Cannot emit matmul "${spec.name}": ${what} = ${d} is not a size`);
    }
  }
  if (usesSimdKernel(spec)) new SimdKernel(w, spec).emit();
  else emitScalar(w, spec);
}

function usesSimdKernel(spec: { dtype: DType; n: Dim }): boolean {
  return spec.dtype === "f32" && spec.n !== "batch";
}

/** A size or byte stride: known at compile time, or held in an i32 local. */
type Quantity = { readonly known: number } | { readonly local: number };

// ---------------------------------------------------------------------------
// Scalar kernel (f64, and f32 with a run-time n).

function emitScalar(w: WasmModule, spec: MatmulSpec): void {
  const k = new Kernel(w, spec.dtype);
  const F = k.F;
  // Sizes in locals: M, K, N.
  const [M, K, N] = [spec.m, spec.k, spec.n].map(() => k.local("i32"));
  const init: Expr[] = [
    k.set(M, k.value(k.dim(spec.m))),
    k.set(K, k.value(k.dim(spec.k))),
    k.set(N, k.value(k.dim(spec.n))),
  ];
  const [i, j, p] = [k.local("i32"), k.local("i32"), k.local("i32")];
  const acc = k.local(k.scalar);
  const finite = spec.finiteFlag === undefined
    ? undefined
    : new FiniteAccumulator(w, k.fb, spec.dtype, spec.finiteFlag);
  const get = (l: number) => k.get(l);
  const mul = (x: Expr, y: Expr) => w.i32.mul(x, y);
  const add = (x: Expr, y: Expr) => w.i32.add(x, y);
  // Element index of A(i,p) and B(p,j).
  const aIndex = () =>
    spec.transA ? add(mul(get(p), get(M)), get(i)) : add(mul(get(i), get(K)), get(p));
  const bIndex = () =>
    spec.transB ? add(mul(get(j), get(K)), get(p)) : add(mul(get(p), get(N)), get(j));
  const sums = spec.columnSum;
  // The thread's share: rows [i0, i1) and columns [j0, j1) (all of them when not split).
  const [i0, i1, j0, j1] = [k.local("i32"), k.local("i32"), k.local("i32"), k.local("i32")];
  const rows = spec.split === "rows" ? k.share(() => get(M)) : undefined;
  const cols = spec.split === "columns" ? k.share(() => get(N)) : undefined;
  init.push(
    ...(rows?.code ?? []),
    ...(cols?.code ?? []),
    k.set(i0, rows === undefined ? k.i32(0) : get(rows.start)),
    k.set(i1, rows === undefined ? get(M) : get(rows.end)),
    k.set(j0, cols === undefined ? k.i32(0) : get(cols.start)),
    k.set(j1, cols === undefined ? get(N) : get(cols.end)),
  );
  const clearSums = sums === undefined
    ? []
    : [k.forRange(j, get(j0), () => get(j1), 1, [k.store(sums, get(j), F.const(0))])];
  const body = k.forRange(i, get(i0), () => get(i1), 1, [
    k.forRange(j, get(j0), () => get(j1), 1, [
      k.set(acc, F.const(0)),
      k.forRange(p, k.i32(0), () => get(K), 1, [
        k.set(acc, F.add(get(acc), F.mul(k.load(spec.a, aIndex()), k.load(spec.b, bIndex())))),
      ]),
      ...(spec.epilogue === undefined
        ? []
        : [k.set(acc, spec.epilogue.scalar(k, get(acc), () => get(i), () => get(j)))]),
      k.store(spec.c, add(mul(get(i), get(N)), get(j)), get(acc)),
      ...(finite === undefined ? [] : [finite.add(get(acc), 1)]),
      ...(sums === undefined ? [] : [k.store(sums, get(j), F.add(k.load(sums, get(j)), get(acc)))]),
    ]),
  ]);
  k.finish(spec.name, [...init, ...clearSums, body, ...(finite?.flush() ?? [])]);
}

// ---------------------------------------------------------------------------
// SIMD kernel (f32).

/** Emits the packed, register-tiled f32x4 kernel of one spec. */
class SimdKernel {
  readonly #w: WasmModule;
  readonly #kernel: Kernel;
  readonly #fb: FunctionBuilder;
  readonly #spec: MatmulSpec;
  readonly #n: number;
  /** Run-time sizes when batch, else undefined. */
  readonly #mLocal?: number;
  readonly #kLocal?: number;
  /** Byte stride between consecutive rows of A (i) and consecutive A elements along k (p). */
  readonly #aRow: Quantity;
  readonly #aStep: Quantity;
  /** Twice #aStep (pointer increment per unrolled pair of steps). */
  readonly #aStep2: Quantity;
  readonly #init: Expr[] = [];
  // Locals.
  readonly #acc: number[] = [];
  readonly #bv: number[] = [];
  readonly #splat: number;
  /** Row pointers of A for the tile's rows (only [0] when the row stride is known). */
  readonly #rowPtr: number[] = [];
  /** Points at A(i, 0) of the current row tile. */
  readonly #aTile: number;
  /** Points at C(i, j) of the current row tile and panel. */
  readonly #cTile: number;
  /** Walks the packed panel. */
  readonly #pB: number;
  readonly #pBEnd: number;
  /** Rows left (for row tails). */
  readonly #rowsLeft: number;
  /** Panel loop: source column pointer in B, and C column pointer. */
  readonly #bCol: number;
  readonly #cCol: number;
  readonly #panelsLeft: number;
  /** Packing loop pointers. */
  readonly #src: number;
  readonly #dst: number;
  readonly #dstEnd: number;
  /** Folds stored values into the non-finite flag, when the spec asks. */
  readonly #finite: FiniteAccumulator | undefined;
  /** Split by rows: this thread's rows [rowStart, rowEnd). */
  readonly #rowStart?: number;
  readonly #rowEnd?: number;
  /** Split by columns: this thread's panels [panelStart, panelEnd). */
  readonly #panelStart?: number;
  readonly #panelEnd?: number;
  /** Split: this thread's scratch area. */
  readonly #scratchBase?: number;

  constructor(w: WasmModule, spec: MatmulSpec) {
    this.#w = w;
    this.#spec = spec;
    this.#n = spec.n as number;
    const k = this.#kernel = new Kernel(w, "f32");
    const fb = this.#fb = k.fb;
    const batch = () => k.batch();
    if (spec.m === "batch") {
      this.#mLocal = fb.addLocal("i32");
      this.#init.push(fb.set(this.#mLocal, batch()));
    }
    if (spec.k === "batch") {
      this.#kLocal = fb.addLocal("i32");
      this.#init.push(fb.set(this.#kLocal, batch()));
    }
    // A(i,p) lives at a + i·aRow + p·aStep (bytes).
    const elementStride = (d: Dim, local: number | undefined): [Quantity, Quantity] => {
      if (d !== "batch") return [{ known: d * F32 }, { known: 2 * d * F32 }];
      const one = fb.addLocal("i32");
      const two = fb.addLocal("i32");
      this.#init.push(fb.set(one, w.i32.shl(fb.get(local!), w.i32.const(2))));
      this.#init.push(fb.set(two, w.i32.shl(fb.get(local!), w.i32.const(3))));
      return [{ local: one }, { local: two }];
    };
    if (spec.transA) {
      this.#aRow = { known: F32 };
      [this.#aStep, this.#aStep2] = elementStride(spec.m, this.#mLocal);
    } else {
      [this.#aRow] = elementStride(spec.k, this.#kLocal);
      this.#aStep = { known: F32 };
      this.#aStep2 = { known: 2 * F32 };
    }
    for (let x = 0; x < 2 * TILE_ROWS; x++) this.#acc.push(fb.addLocal("v128"));
    for (let x = 0; x < 2; x++) this.#bv.push(fb.addLocal("v128"));
    this.#splat = fb.addLocal("v128");
    const rowPtrs = "known" in this.#aRow ? 1 : TILE_ROWS;
    for (let x = 0; x < rowPtrs; x++) this.#rowPtr.push(fb.addLocal("i32"));
    this.#aTile = fb.addLocal("i32");
    this.#cTile = fb.addLocal("i32");
    this.#pB = fb.addLocal("i32");
    this.#pBEnd = fb.addLocal("i32");
    this.#rowsLeft = fb.addLocal("i32");
    this.#bCol = fb.addLocal("i32");
    this.#cCol = fb.addLocal("i32");
    this.#panelsLeft = fb.addLocal("i32");
    this.#src = fb.addLocal("i32");
    this.#dst = fb.addLocal("i32");
    this.#dstEnd = fb.addLocal("i32");
    this.#finite = spec.finiteFlag === undefined
      ? undefined
      : new FiniteAccumulator(w, fb, "f32", spec.finiteFlag);
    if (spec.columnSum !== undefined && spec.split === "rows") {
      throw new Error(`internal: "${spec.name}" sums columns, so it splits by columns only`);
    }
    if (spec.split !== undefined) {
      this.#scratchBase = fb.addLocal("i32");
      this.#init.push(fb.set(
        this.#scratchBase,
        w.i32.add(
          w.i32.const(spec.scratch),
          w.i32.mul(k.thread(), w.i32.const(spec.scratchStride ?? 0)),
        ),
      ));
    }
    if (spec.split === "rows") {
      // Whole tiles of 4 rows; the last share ends at m.
      const tiles = spec.m === "batch"
        ? () => w.i32.shr_u(w.i32.add(this.#m(), w.i32.const(3)), w.i32.const(2))
        : Math.ceil(spec.m / TILE_ROWS);
      const share = k.share(tiles);
      this.#rowStart = fb.addLocal("i32");
      this.#rowEnd = fb.addLocal("i32");
      // 4·share, capped at m (an empty share past the end is [m, m)).
      const rows = (x: number) => {
        const r = () => w.i32.shl(fb.get(x), w.i32.const(2));
        return w.select(w.i32.lt_u(r(), this.#m()), r(), this.#m());
      };
      this.#init.push(
        ...share.code,
        fb.set(this.#rowStart, rows(share.start)),
        fb.set(this.#rowEnd, rows(share.end)),
      );
    }
    if (spec.split === "columns") {
      const share = k.share(Math.ceil(this.#n / PANEL));
      this.#panelStart = share.start;
      this.#panelEnd = share.end;
      this.#init.push(...share.code);
    }
  }

  /** The scratch area of this thread. */
  #scratch(): Expr {
    return this.#scratchBase === undefined
      ? this.#w.i32.const(this.#spec.scratch)
      : this.#fb.get(this.#scratchBase);
  }

  emit(): void {
    const w = this.#w;
    const fb = this.#fb;
    const n = this.#n;
    const full = Math.floor(n / PANEL);
    const tail = n % PANEL;
    const body: Expr[] = [...this.#init];
    const start = this.#panelStart;
    const end = this.#panelEnd;
    if (start === undefined || end === undefined) {
      body.push(fb.set(this.#bCol, w.i32.const(this.#spec.b)));
      body.push(fb.set(this.#cCol, w.i32.const(this.#spec.c)));
    } else {
      // This thread's panels [start, end): the full ones below `full`, then the tail panel.
      body.push(fb.set(
        this.#bCol,
        w.i32.add(w.i32.const(this.#spec.b), w.i32.mul(fb.get(start), this.#bPanelStep())),
      ));
      body.push(fb.set(
        this.#cCol,
        w.i32.add(w.i32.const(this.#spec.c), w.i32.shl(fb.get(start), w.i32.const(5))),
      ));
    }
    if (full > 0) {
      // Full panels: a run-time loop (the panel count is known, the body generic).
      const loop = w.label("panel");
      const panels = w.loop(
        loop,
        w.block(null, [
          ...this.#panel(PANEL, PANEL),
          fb.set(this.#bCol, w.i32.add(fb.get(this.#bCol), this.#bPanelStep())),
          fb.set(this.#cCol, w.i32.add(fb.get(this.#cCol), w.i32.const(PANEL * F32))),
          fb.set(this.#panelsLeft, w.i32.sub(fb.get(this.#panelsLeft), w.i32.const(1))),
          w.br(loop, fb.get(this.#panelsLeft)),
        ]),
      );
      if (start === undefined || end === undefined) {
        body.push(fb.set(this.#panelsLeft, w.i32.const(full)));
        body.push(panels);
      } else {
        // min(end, full) − min(start, full) full panels, possibly none.
        const min = (x: number) =>
          w.select(w.i32.lt_u(fb.get(x), w.i32.const(full)), fb.get(x), w.i32.const(full));
        body.push(fb.set(this.#panelsLeft, w.i32.sub(min(end), min(start))));
        body.push(w.if(fb.get(this.#panelsLeft), panels));
      }
    }
    if (tail > 0) {
      const last = this.#panel(tail <= 4 ? 4 : PANEL, tail);
      // Split: the tail panel (number `full`) belongs to the thread whose share holds it.
      if (start === undefined || end === undefined) body.push(...last);
      else {
        const holds = w.i32.and(
          w.i32.le_u(fb.get(start), w.i32.const(full)),
          w.i32.gt_u(fb.get(end), w.i32.const(full)),
        );
        body.push(w.if(holds, w.block(null, last)));
      }
    }
    if (this.#finite !== undefined) body.push(...this.#finite.flush());
    this.#kernel.finish(this.#spec.name, body);
  }

  // --- sizes -------------------------------------------------------------

  #m(): Expr {
    return this.#mLocal === undefined
      ? this.#w.i32.const(this.#spec.m as number)
      : this.#fb.get(this.#mLocal);
  }

  #k(): Expr {
    return this.#kLocal === undefined
      ? this.#w.i32.const(this.#spec.k as number)
      : this.#fb.get(this.#kLocal);
  }

  /** `k·bytes` as an expression (folded when k is known). */
  #kTimes(bytes: number): Expr {
    return this.#kLocal === undefined
      ? this.#w.i32.const((this.#spec.k as number) * bytes)
      : this.#w.i32.mul(this.#fb.get(this.#kLocal), this.#w.i32.const(bytes));
  }

  /** Bytes from one panel's first column of B to the next one's. */
  #bPanelStep(): Expr {
    return this.#spec.transB ? this.#kTimes(PANEL * F32) : this.#w.i32.const(PANEL * F32);
  }

  #q(q: Quantity): Expr {
    return "known" in q ? this.#w.i32.const(q.known) : this.#fb.get(q.local);
  }

  // --- one panel ---------------------------------------------------------

  /** Packs columns [bCol, bCol+cols) of B as a `width`-wide panel, then computes them. */
  #panel(width: 4 | 8, cols: number): Expr[] {
    const direct = this.#readsBDirectly() && cols === width;
    if (direct) return this.#rows(width, cols, true);
    return [...this.#pack(width, cols), ...this.#rows(width, cols, false)];
  }

  /**
   * Whether full panels skip packing and read B in place (row stride n·4
   * bytes instead of 32): only without transB, and where measured faster.
   * With n ≤ 128 the panel's rows stay in L1/L2 and the copy is pure
   * overhead (x·W at 128×784×128: 45 vs 42 GFLOP/s); with wide B the strided
   * rows thrash L1 and the TLB (n = 1024: 26 vs 41), unless A has so few rows
   * that packing costs as much as the product.
   */
  #readsBDirectly(): boolean {
    const spec = this.#spec;
    if (spec.transB) return false;
    return this.#n <= 128 || (spec.m !== "batch" && spec.m <= 8);
  }

  /**
   * Packs the panel: scratch[p·width + c] = B(p, j + c) for c < cols, 0 for
   * cols ≤ c < width.
   */
  #pack(width: 4 | 8, cols: number): Expr[] {
    const w = this.#w;
    const fb = this.#fb;
    const spec = this.#spec;
    const src = this.#src;
    const dst = this.#dst;
    const loop = w.label("pack");
    const exit = w.label("packed");
    const row: Expr[] = [];
    // One packed row (width floats) from B.
    if (!spec.transB && cols === width) {
      for (let v = 0; v < width / 4; v++) {
        row.push(w.v128.store(16 * v, 16, fb.get(dst), w.v128.load(16 * v, 4, fb.get(src))));
      }
    } else {
      // Lane c of the row: B(p, j+c) at src + c·(transB ? k·4 : 4).
      const lane = (c: number): Expr => {
        if (c >= cols) return w.f32.const(0);
        if (!spec.transB) return w.f32.load(c * F32, 4, fb.get(src));
        if (this.#kLocal === undefined) {
          return w.f32.load(c * (spec.k as number) * F32, 4, fb.get(src));
        }
        return w.f32.load(0, 4, w.i32.add(fb.get(src), this.#kTimes(c * F32)));
      };
      for (let v = 0; v < width / 4; v++) {
        let vec = w.f32x4.splat(lane(4 * v));
        for (let l = 1; l < 4; l++) vec = w.f32x4.replace_lane(vec, l, lane(4 * v + l));
        row.push(w.v128.store(16 * v, 16, fb.get(dst), vec));
      }
    }
    const srcStep = spec.transB ? w.i32.const(F32) : w.i32.const(this.#n * F32);
    return [
      fb.set(src, fb.get(this.#bCol)),
      fb.set(dst, this.#scratch()),
      ...(spec.transB ? this.#packTransposedQuads(width, cols) : []),
      fb.set(this.#dstEnd, w.i32.add(this.#scratch(), this.#kTimes(width * F32))),
      w.block(exit, [
        w.br(exit, w.i32.ge_u(fb.get(dst), fb.get(this.#dstEnd))),
        w.loop(
          loop,
          w.block(null, [
            ...row,
            fb.set(src, w.i32.add(fb.get(src), srcStep)),
            fb.set(dst, w.i32.add(fb.get(dst), w.i32.const(width * F32))),
            w.br(loop, w.i32.lt_u(fb.get(dst), fb.get(this.#dstEnd))),
          ]),
        ),
      ]),
    ];
  }

  /**
   * Packs transposed B four rows of the panel at a time: per group of four
   * columns, four vector loads (four consecutive p of each column) and a 4×4
   * transpose in eight shuffles, instead of sixteen scalar loads. Leaves src
   * and dst at the first of the (k mod 4) rows left for the scalar loop.
   */
  #packTransposedQuads(width: 4 | 8, cols: number): Expr[] {
    const w = this.#w;
    const fb = this.#fb;
    const src = this.#src;
    const dst = this.#dst;
    // Temporaries: the accumulators are free while packing.
    const r = this.#acc.slice(0, 4);
    const t = this.#acc.slice(4, 8);
    const zero = () => w.v128.const(new Array(16).fill(0));
    // Column c's four consecutive elements at src + c·k·4.
    const column = (c: number): Expr => {
      if (c >= cols) return zero();
      if (this.#kLocal === undefined) {
        return w.v128.load(c * (this.#spec.k as number) * F32, 4, fb.get(src));
      }
      return w.v128.load(0, 4, w.i32.add(fb.get(src), this.#kTimes(c * F32)));
    };
    // Shuffle of f32 lanes (0–3 from x, 4–7 from y).
    const lanes = (x: number, y: number, l: number[]) =>
      w.i8x16.shuffle(fb.get(x), fb.get(y), l.flatMap((f) => [0, 1, 2, 3].map((b) => 4 * f + b)));
    const body: Expr[] = [];
    for (let g = 0; g < width / 4; g++) {
      for (let c = 0; c < 4; c++) body.push(fb.set(r[c], column(4 * g + c)));
      // t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = (r0[2], r1[2], r0[3], r1[3]); t2, t3 likewise.
      body.push(fb.set(t[0], lanes(r[0], r[1], [0, 4, 1, 5])));
      body.push(fb.set(t[1], lanes(r[0], r[1], [2, 6, 3, 7])));
      body.push(fb.set(t[2], lanes(r[2], r[3], [0, 4, 1, 5])));
      body.push(fb.set(t[3], lanes(r[2], r[3], [2, 6, 3, 7])));
      // Panel row p is (r0[p], r1[p], r2[p], r3[p]).
      const low = [0, 1, 4, 5];
      const high = [2, 3, 6, 7];
      const panelRows: [number, number, number[]][] = [
        [t[0], t[2], low],
        [t[0], t[2], high],
        [t[1], t[3], low],
        [t[1], t[3], high],
      ];
      panelRows.forEach(([x, y, l], p) => {
        const offset = p * width * F32 + 16 * g;
        body.push(w.v128.store(offset, 16, fb.get(dst), lanes(x, y, l)));
      });
    }
    const quadsBytes = () =>
      this.#kLocal === undefined
        ? w.i32.const(((this.#spec.k as number) >> 2) * 4 * width * F32)
        : w.i32.mul(
          w.i32.shr_u(fb.get(this.#kLocal), w.i32.const(2)),
          w.i32.const(4 * width * F32),
        );
    const loop = w.label("packQuads");
    const exit = w.label("packedQuads");
    return [
      fb.set(this.#dstEnd, w.i32.add(this.#scratch(), quadsBytes())),
      w.block(exit, [
        w.br(exit, w.i32.ge_u(fb.get(dst), fb.get(this.#dstEnd))),
        w.loop(
          loop,
          w.block(null, [
            ...body,
            fb.set(src, w.i32.add(fb.get(src), w.i32.const(4 * F32))),
            fb.set(dst, w.i32.add(fb.get(dst), w.i32.const(4 * width * F32))),
            w.br(loop, w.i32.lt_u(fb.get(dst), fb.get(this.#dstEnd))),
          ]),
        ),
      ]),
    ];
  }

  /** All row tiles of the current panel. */
  #rows(width: 4 | 8, cols: number, direct: boolean): Expr[] {
    const w = this.#w;
    const fb = this.#fb;
    const spec = this.#spec;
    const loop = w.label("rows");
    const exit = w.label("rowsDone");
    const advance = [
      fb.set(this.#aTile, w.i32.add(fb.get(this.#aTile), this.#aRowTimes(TILE_ROWS))),
      fb.set(this.#cTile, w.i32.add(fb.get(this.#cTile), w.i32.const(TILE_ROWS * this.#n * F32))),
      fb.set(this.#rowsLeft, w.i32.sub(fb.get(this.#rowsLeft), w.i32.const(TILE_ROWS))),
    ];
    const first = this.#rowStart;
    const out: Expr[] = [
      ...this.#clearColumnSums(width, cols),
      ...(first === undefined
        ? [
          fb.set(this.#aTile, w.i32.const(spec.a)),
          fb.set(this.#cTile, fb.get(this.#cCol)),
          fb.set(this.#rowsLeft, this.#m()),
        ]
        : [
          fb.set(
            this.#aTile,
            w.i32.add(w.i32.const(spec.a), w.i32.mul(fb.get(first), this.#q(this.#aRow))),
          ),
          fb.set(
            this.#cTile,
            w.i32.add(
              fb.get(this.#cCol),
              w.i32.mul(fb.get(first), w.i32.const(this.#n * F32)),
            ),
          ),
          fb.set(this.#rowsLeft, w.i32.sub(fb.get(this.#rowEnd!), fb.get(first))),
        ]),
      w.block(exit, [
        w.br(exit, w.i32.lt_u(fb.get(this.#rowsLeft), w.i32.const(TILE_ROWS))),
        w.loop(
          loop,
          w.block(null, [
            ...this.#tile(TILE_ROWS, width, cols, direct),
            ...advance,
            w.br(loop, w.i32.ge_u(fb.get(this.#rowsLeft), w.i32.const(TILE_ROWS))),
          ]),
        ),
      ]),
    ];
    // Row tail: 0..3 rows left (known only without a run-time m or a split).
    if (this.#mLocal === undefined && this.#rowStart === undefined) {
      const rest = (spec.m as number) % TILE_ROWS;
      if (rest > 0) out.push(...this.#tile(rest, width, cols, direct));
    } else {
      for (let rows = TILE_ROWS - 1; rows >= 1; rows--) {
        out.push(w.if(
          w.i32.eq(fb.get(this.#rowsLeft), w.i32.const(rows)),
          w.block(null, this.#tile(rows, width, cols, direct)),
        ));
      }
    }
    return out;
  }

  /** `rows · aRow` bytes. */
  #aRowTimes(rows: number): Expr {
    const q = this.#aRow;
    return "known" in q
      ? this.#w.i32.const(rows * q.known)
      : this.#w.i32.mul(this.#fb.get(q.local), this.#w.i32.const(rows));
  }

  /** One `rows × width` tile of C at cTile from A at aTile and the packed panel. */
  #tile(rows: number, width: 4 | 8, cols: number, direct: boolean): Expr[] {
    const w = this.#w;
    const fb = this.#fb;
    const vecs = width / 4;
    const stepBytes = direct ? this.#n * F32 : width * F32;
    const bStart = () => direct ? fb.get(this.#bCol) : this.#scratch();
    const out: Expr[] = [];
    for (let r = 0; r < rows; r++) {
      for (let v = 0; v < vecs; v++) {
        out.push(fb.set(this.#acc[r * 2 + v], w.v128.const(new Array(16).fill(0))));
      }
    }
    // Row pointers into A.
    out.push(fb.set(this.#rowPtr[0], fb.get(this.#aTile)));
    for (let r = 1; r < this.#rowPtr.length && r < rows; r++) {
      out.push(
        fb.set(this.#rowPtr[r], w.i32.add(fb.get(this.#rowPtr[r - 1]), this.#q(this.#aRow))),
      );
    }
    out.push(fb.set(this.#pB, bStart()));
    // One reduction step t (0 or 1) relative to the pointers.
    const step = (t: number): Expr[] => {
      const s: Expr[] = [];
      for (let v = 0; v < vecs; v++) {
        s.push(fb.set(this.#bv[v], w.v128.load(t * stepBytes + 16 * v, 16, fb.get(this.#pB))));
      }
      for (let r = 0; r < rows; r++) {
        s.push(fb.set(this.#splat, w.v128.load32_splat(...this.#aAddress(r, t))));
        for (let v = 0; v < vecs; v++) {
          const acc = this.#acc[r * 2 + v];
          s.push(fb.set(
            acc,
            w.f32x4MulAdd(fb.get(this.#splat), fb.get(this.#bv[v]), fb.get(acc)),
          ));
        }
      }
      return s;
    };
    const advance = (t: number): Expr[] => {
      const s = [fb.set(this.#pB, w.i32.add(fb.get(this.#pB), w.i32.const(t * stepBytes)))];
      for (let r = 0; r < this.#rowPtr.length && r < rows; r++) {
        const inc = this.#q(t === 2 ? this.#aStep2 : this.#aStep);
        s.push(fb.set(this.#rowPtr[r], w.i32.add(fb.get(this.#rowPtr[r]), inc)));
      }
      return s;
    };
    // Pairs of steps while two remain, then one odd step.
    const pairsBytes = () =>
      this.#kLocal === undefined
        ? w.i32.const(((this.#spec.k as number) >> 1) * 2 * stepBytes)
        : w.i32.mul(
          w.i32.shr_u(fb.get(this.#kLocal), w.i32.const(1)),
          w.i32.const(2 * stepBytes),
        );
    const loop = w.label("k");
    const pairs = w.loop(
      loop,
      w.block(null, [
        ...step(0),
        ...step(1),
        ...advance(2),
        w.br(loop, w.i32.lt_u(fb.get(this.#pB), fb.get(this.#pBEnd))),
      ]),
    );
    const odd = w.block(null, [...step(0)]);
    if (this.#kLocal === undefined) {
      const k = this.#spec.k as number;
      if (k >= 2) {
        out.push(fb.set(this.#pBEnd, w.i32.add(bStart(), pairsBytes())));
        out.push(pairs);
      }
      if (k % 2 === 1) out.push(odd);
    } else {
      out.push(w.if(
        w.i32.ge_u(fb.get(this.#kLocal), w.i32.const(2)),
        w.block(null, [
          fb.set(this.#pBEnd, w.i32.add(bStart(), pairsBytes())),
          pairs,
        ]),
      ));
      out.push(w.if(w.i32.and(fb.get(this.#kLocal), w.i32.const(1)), odd));
    }
    // Store the tile: `cols` columns of each row, through the epilogue if any.
    const epilogue = this.#spec.epilogue;
    for (let r = 0; r < rows; r++) {
      const rowOffset = r * this.#n * F32;
      for (let v = 0; v < vecs; v++) {
        const lanes = Math.min(4, cols - 4 * v);
        const acc = this.#acc[r * 2 + v];
        const result = () =>
          epilogue === undefined
            ? fb.get(acc)
            : epilogue.vector(this.#kernel, fb.get(acc), () => this.#row(r), () => this.#col(v));
        const finite = this.#finite;
        if (lanes === 4 && (finite !== undefined || this.#spec.columnSum !== undefined)) {
          // Through the accumulator register, so the stored value is checked
          // (and summed) too.
          out.push(fb.set(acc, result()));
          out.push(w.v128.store(rowOffset + 16 * v, 4, fb.get(this.#cTile), fb.get(acc)));
          if (finite !== undefined) out.push(finite.add(fb.get(acc), 4));
        } else if (lanes === 4) {
          out.push(w.v128.store(rowOffset + 16 * v, 4, fb.get(this.#cTile), result()));
        } else {
          // Extracted once per lane: keep the epilogue's result in the accumulator.
          if (epilogue !== undefined) out.push(fb.set(acc, result()));
          for (let l = 0; l < lanes; l++) {
            out.push(w.f32.store(
              rowOffset + 16 * v + l * F32,
              4,
              fb.get(this.#cTile),
              w.f32x4.extract_lane(fb.get(acc), l),
            ));
          }
          if (finite !== undefined) out.push(finite.add(fb.get(acc), lanes, false));
        }
      }
    }
    out.push(...this.#addColumnSums(rows, cols));
    return out;
  }

  /** Address of the column sums of the current panel's first column (`columnSum` + 4j). */
  #sumsAddress(): Expr {
    const spec = this.#spec;
    const w = this.#w;
    return w.i32.add(this.#fb.get(this.#cCol), w.i32.const((spec.columnSum! - spec.c) | 0));
  }

  /** Zeroes the column sums of the current panel's `cols` columns. */
  #clearColumnSums(width: 4 | 8, cols: number): Expr[] {
    if (this.#spec.columnSum === undefined) return [];
    const w = this.#w;
    const out: Expr[] = [];
    for (let v = 0; v < width / 4; v++) {
      const lanes = Math.min(4, cols - 4 * v);
      if (lanes === 4) {
        out.push(w.v128.store(16 * v, 4, this.#sumsAddress(), w.v128.const(new Array(16).fill(0))));
      } else {
        for (let l = 0; l < lanes; l++) {
          out.push(w.f32.store(16 * v + 4 * l, 4, this.#sumsAddress(), w.f32.const(0)));
        }
      }
    }
    return out;
  }

  /**
   * Adds the tile's stored rows (still in the accumulators) to the column
   * sums, in row order: sums + row 0 + row 1 + …
   */
  #addColumnSums(rows: number, cols: number): Expr[] {
    if (this.#spec.columnSum === undefined) return [];
    const w = this.#w;
    const fb = this.#fb;
    const out: Expr[] = [];
    const vecs = cols > 4 ? 2 : 1;
    for (let v = 0; v < vecs; v++) {
      const lanes = Math.min(4, cols - 4 * v);
      if (lanes === 4) {
        let sum = w.v128.load(16 * v, 4, this.#sumsAddress());
        for (let r = 0; r < rows; r++) sum = w.f32x4.add(sum, fb.get(this.#acc[r * 2 + v]));
        out.push(w.v128.store(16 * v, 4, this.#sumsAddress(), sum));
      } else {
        for (let l = 0; l < lanes; l++) {
          const offset = 16 * v + 4 * l;
          let sum = w.f32.load(offset, 4, this.#sumsAddress());
          for (let r = 0; r < rows; r++) {
            sum = w.f32.add(sum, w.f32x4.extract_lane(fb.get(this.#acc[r * 2 + v]), l));
          }
          out.push(w.f32.store(offset, 4, this.#sumsAddress(), sum));
        }
      }
    }
    return out;
  }

  /**
   * Row index in C of row r of the current tile: m − rowsLeft + r (rowsLeft
   * counts the rows from the tile's first one to the end, in the row loop and
   * in the row tails alike).
   */
  #row(r: number): Expr {
    const w = this.#w;
    const end = this.#rowEnd === undefined ? this.#m() : this.#fb.get(this.#rowEnd);
    const i = w.i32.sub(end, this.#fb.get(this.#rowsLeft));
    return r === 0 ? i : w.i32.add(i, w.i32.const(r));
  }

  /** Column index in C of vector v (lane 0) of the current panel: (cCol − c)/4 + 4v. */
  #col(v: number): Expr {
    const w = this.#w;
    const bytes = w.i32.sub(this.#fb.get(this.#cCol), w.i32.const(this.#spec.c));
    const j = w.i32.shr_u(bytes, w.i32.const(2));
    return v === 0 ? j : w.i32.add(j, w.i32.const(4 * v));
  }

  /** Address of A(i + r, p + t) as (offset immediate, align, pointer expression). */
  #aAddress(r: number, t: number): [number, number, Expr] {
    const w = this.#w;
    const fb = this.#fb;
    let offset = 0;
    let ptr: Expr;
    if ("known" in this.#aRow) {
      offset += r * this.#aRow.known;
      ptr = fb.get(this.#rowPtr[0]);
    } else {
      ptr = fb.get(this.#rowPtr[r]);
    }
    if (t > 0) {
      if ("known" in this.#aStep) offset += t * this.#aStep.known;
      else ptr = w.i32.add(ptr, fb.get(this.#aStep.local));
    }
    return [offset, 4, ptr];
  }
}
