/**
 * The context every kernel emitter writes through: one wasm function under
 * construction, its element type, and the pieces each kernel used to repeat —
 * sizes that are constants or scale with the run-time batch, element loads
 * and stores of the dtype, the SIMD-body-then-scalar-tail loop, and the
 * per-row reduction (with an optional map, e.g. Σ e^(x − m)).
 *
 * Conventions: an element index is an i32 count of elements; `at(index)`
 * turns it into a byte address (buffer offsets go into the load/store offset
 * immediate). Addresses and indices are unsigned: memory may reach 4 GiB, so
 * a byte address may exceed 2³¹ and every comparison of one is `_u`.
 *
 * f32 kernels run 4 lanes at a time (f32x4) with scalar tails; f64 kernels
 * are scalar (the precise mode, used by gradient checks).
 *
 * @module
 */

import { BATCH_GLOBAL, f32Math, f32x4Math, f64Math } from "./emit_math.ts";
import type { ElementMath } from "../ir/ops.ts";
import { type Dim, type DType, elementCount, type Shape } from "../../core/shape.ts";
import {
  type Expr,
  type FloatOps,
  FunctionBuilder,
  type ValueType,
  type WasmModule,
} from "./wasm.ts";

/**
 * A number of iterations or elements: known at compile time, or an i32
 * expression (a fresh one on every call) read at run time.
 */
export type Extent = number | (() => Expr);

/** Lanes per iteration: 4 (an f32x4 body) or 1 (scalar). */
export type Lanes = 1 | 4;

/**
 * Global holding the index of the thread running an instance (0: the thread
 * that called the program; workers 1, 2, …). Each thread has its own
 * instance of the module, hence its own globals, on one shared memory.
 */
export const THREAD_GLOBAL = "thread";

/**
 * Global holding how many threads run the current call of a program: 1
 * (the default, and always in a single-threaded module) or the module's
 * thread count. A split kernel computes the share of thread `THREAD_GLOBAL`
 * out of this many.
 */
export const THREADS_GLOBAL = "threads";

/** A thread's share of a kernel's work units: locals holding [start, end). */
export interface Share {
  /** Code computing the locals; run it first. */
  readonly code: Expr[];
  /** Local: the first unit of this thread. */
  readonly start: number;
  /** Local: one past its last unit (≥ start). */
  readonly end: number;
}

/** What `reduceRun` reduces. */
export interface RunReduction {
  /** Byte offset of the buffer (the load's offset immediate). */
  readonly offset: number;
  /** Byte address of the run's first element, relative to `offset`. */
  readonly base: () => Expr;
  /** Number of contiguous elements. */
  readonly count: Extent;
  /** How values combine. */
  readonly op: "add" | "max";
  /** Applied to each element (a v128 of 4 or a scalar) before it is combined. */
  readonly map?: (x: Expr, lanes: Lanes) => Expr;
}

/**
 * One kernel function under construction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Kernel } from "./kernel.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { WasmModule } from "./wasm.ts";
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * // y[j] = 2·x[j] for j < 6: x at byte 0, y at byte 64.
 * const k = new Kernel(w, "f32");
 * const j = k.local("i32");
 * k.finish("twice", k.lanes(j, 6, (lanes) => [
 *   k.storeLanes(lanes, 64, k.get(j), k.math(lanes).add(k.loadLanes(lanes, 0, k.get(j)), k.loadLanes(lanes, 0, k.get(j)))),
 * ]), true);
 * const { instance } = await WebAssembly.instantiate(w.finish(1).binary);
 * const mem = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer);
 * mem.set([1, 2, 3, 4, 5, 6]);
 * (instance.exports.twice as () => void)();
 * assert.deepEqual([...mem.slice(16, 22)], [2, 4, 6, 8, 10, 12]);
 * ```
 */
export class Kernel {
  /** The module. */
  readonly w: WasmModule;
  /** The function's locals. */
  readonly fb: FunctionBuilder;
  /** Element type of the kernel's tensors. */
  readonly dtype: DType;
  /** Bytes per element. */
  readonly bytes: 4 | 8;
  /** log₂ of `bytes`. */
  readonly shift: 2 | 3;
  /** The scalar value type of an element. */
  readonly scalar: "f32" | "f64";
  /** Scalar instructions of the element type. */
  readonly F: FloatOps;
  #scalarMath?: ElementMath<Expr>;
  #vectorMath?: ElementMath<Expr>;

  /** Starts a function of `dtype` elements with the given parameters (default none). */
  constructor(w: WasmModule, dtype: DType, params: ValueType[] = []) {
    this.w = w;
    this.fb = new FunctionBuilder(w, params);
    this.dtype = dtype;
    this.bytes = dtype === "f64" ? 8 : 4;
    this.shift = dtype === "f64" ? 3 : 2;
    this.scalar = dtype;
    this.F = dtype === "f64" ? w.f64 : w.f32;
  }

  // --- locals and the function -----------------------------------------

  /** Declares a local. */
  local(type: ValueType): number {
    return this.fb.addLocal(type);
  }
  /** Reads a local (or parameter). */
  get(l: number): Expr {
    return this.fb.get(l);
  }
  /** Writes a local. */
  set(l: number, value: Expr): Expr {
    return this.fb.set(l, value);
  }
  /** Adds the function `name` with this body (no result unless given). */
  finish(
    name: string,
    body: Expr[],
    exported = false,
    result: ValueType | "none" = "none",
  ): void {
    this.w.addFunction(name, this.fb, result, this.w.block(null, body, result), exported);
  }

  // --- sizes -------------------------------------------------------------

  /** The run-time batch size (declares the global on first use). */
  batch(): Expr {
    this.w.addGlobal(BATCH_GLOBAL, "i32");
    return this.w.globalGet(BATCH_GLOBAL, "i32");
  }
  /** A dimension: its constant, or the run-time batch size. */
  dim(d: Dim): Extent {
    return d === "batch" ? () => this.batch() : d;
  }
  /** The element count of `shape`: its fixed part, times the batch size if it has one. */
  count(shape: Shape): Extent {
    const fixed = elementCount(shape, 1);
    if (!shape.includes("batch")) return fixed;
    return fixed === 1 ? () => this.batch() : () => this.w.i32.mul(this.batch(), this.i32(fixed));
  }
  /** The byte size of `shape`. */
  byteCount(shape: Shape): Expr {
    const fixed = elementCount(shape, 1) * this.bytes;
    return shape.includes("batch")
      ? this.w.i32.mul(this.batch(), this.i32(fixed))
      : this.i32(fixed);
  }
  /** This thread's index (`THREAD_GLOBAL`; declares the global on first use). */
  thread(): Expr {
    this.w.addGlobal(THREAD_GLOBAL, "i32");
    return this.w.globalGet(THREAD_GLOBAL, "i32");
  }
  /** Threads running this call (`THREADS_GLOBAL`, initially 1). */
  threads(): Expr {
    this.w.addGlobal(THREADS_GLOBAL, "i32", 1);
    return this.w.globalGet(THREADS_GLOBAL, "i32");
  }

  /**
   * This thread's share of `units` units of work: thread t of T takes the
   * contiguous chunk [min(t·c, units), min((t + 1)·c, units)) with
   * c = ⌈units/T⌉, so the threads cover every unit exactly once, in order.
   * With one thread it is [0, units).
   */
  share(units: Extent): Share {
    const w = this.w;
    const total = this.local("i32");
    const chunk = this.local("i32");
    const start = this.local("i32");
    const end = this.local("i32");
    const min = (a: () => Expr, b: () => Expr) => w.select(w.i32.lt_u(a(), b()), a(), b());
    return {
      code: [
        this.set(total, this.value(units)),
        this.set(
          chunk,
          w.i32.div_u(
            w.i32.sub(w.i32.add(this.get(total), this.threads()), this.i32(1)),
            this.threads(),
          ),
        ),
        this.set(
          start,
          min(() => w.i32.mul(this.thread(), this.get(chunk)), () => this.get(total)),
        ),
        this.set(
          end,
          min(() => w.i32.add(this.get(start), this.get(chunk)), () => this.get(total)),
        ),
      ],
      start,
      end,
    };
  }

  /**
   * `counter` over this thread's share of [0, count): like `lanes`, with the
   * range cut at multiples of 4 elements (f32) so that every vector group is
   * whole and computed by one thread; the scalar tail falls to the thread
   * holding the last group.
   */
  sharedLanes(counter: number, count: Extent, body: (lanes: Lanes) => Expr[]): Expr[] {
    const w = this.w;
    if (this.dtype === "f64") {
      const share = this.share(count);
      return [
        ...share.code,
        this.fb.forRange(counter, this.get(share.start), () => this.get(share.end), 1, body(1)),
      ];
    }
    const groups: Extent = typeof count === "number"
      ? Math.ceil(count / 4)
      : () => w.i32.shr_u(w.i32.add(count(), this.i32(3)), this.i32(2));
    const share = this.share(groups);
    const first = this.local("i32");
    const last = this.local("i32");
    const vectorEnd = () => w.i32.and(this.get(last), this.i32(~3));
    const min = (a: () => Expr, b: () => Expr) => w.select(w.i32.lt_u(a(), b()), a(), b());
    return [
      ...share.code,
      this.set(first, w.i32.shl(this.get(share.start), this.i32(2))),
      this.set(
        last,
        min(() => w.i32.shl(this.get(share.end), this.i32(2)), () => this.value(count)),
      ),
      this.fb.forRange(counter, this.get(first), vectorEnd, 4, body(4)),
      // From the vector end, unless the share is empty (then first ≥ last).
      this.fb.forRange(
        counter,
        w.select(w.i32.gt_u(this.get(first), vectorEnd()), this.get(first), vectorEnd()),
        () => this.get(last),
        1,
        body(1),
      ),
    ];
  }

  /** `for (counter over this thread's share of [0, count)) body`, one unit per iteration. */
  sharedRange(counter: number, count: Extent, body: Expr[]): Expr[] {
    const share = this.share(count);
    return [
      ...share.code,
      this.fb.forRange(counter, this.get(share.start), () => this.get(share.end), 1, body),
    ];
  }

  /** An extent as an i32 expression. */
  value(e: Extent): Expr {
    return typeof e === "number" ? this.i32(e) : e();
  }
  /** An i32 constant. */
  i32(value: number): Expr {
    return this.w.i32.const(value);
  }

  // --- element access ----------------------------------------------------

  /** Byte address of element `index` (relative to a buffer offset). */
  at(index: Expr): Expr {
    return this.w.i32.shl(index, this.i32(this.shift));
  }
  /** Loads element `index` of the buffer at byte `offset`. */
  load(offset: number, index: Expr): Expr {
    return this.F.load(offset, this.bytes, this.at(index));
  }
  /** Stores `value` as element `index` of the buffer at byte `offset`. */
  store(offset: number, index: Expr, value: Expr): Expr {
    return this.F.store(offset, this.bytes, this.at(index), value);
  }
  /** Loads 4 f32 elements (lanes 4) or one element (lanes 1) at byte `offset + address`. */
  loadAt(lanes: Lanes, offset: number, address: Expr): Expr {
    return lanes === 4
      ? this.w.v128.load(offset, 4, address)
      : this.F.load(offset, this.bytes, address);
  }
  /** Stores 4 f32 elements (lanes 4) or one element (lanes 1) at byte `offset + address`. */
  storeAt(lanes: Lanes, offset: number, address: Expr, value: Expr): Expr {
    return lanes === 4
      ? this.w.v128.store(offset, 4, address, value)
      : this.F.store(offset, this.bytes, address, value);
  }
  /** Loads 4 f32 elements (lanes 4) or one element (lanes 1) from element `index` on. */
  loadLanes(lanes: Lanes, offset: number, index: Expr): Expr {
    return this.loadAt(lanes, offset, this.at(index));
  }
  /** Stores 4 f32 elements (lanes 4) or one element (lanes 1) from element `index` on. */
  storeLanes(lanes: Lanes, offset: number, index: Expr, value: Expr): Expr {
    return this.storeAt(lanes, offset, this.at(index), value);
  }
  /** Loads element `index` splatted over 4 lanes (lanes 4), or the element alone. */
  loadSplat(lanes: Lanes, offset: number, index: Expr): Expr {
    return lanes === 4
      ? this.w.v128.load32_splat(offset, 4, this.at(index))
      : this.load(offset, index);
  }
  /**
   * Reads label `index` (labels are stored as floats of the dtype) as an i32,
   * saturating: NaN gives 0, values beyond i32 its limits.
   */
  loadLabel(offset: number, index: Expr): Expr {
    const value = this.load(offset, index);
    return this.dtype === "f64"
      ? this.w.i32.trunc_s_sat.f64(value)
      : this.w.i32.trunc_s_sat.f32(value);
  }
  /** Whether label local `label` is a class in [0, classes): one unsigned comparison. */
  labelInRange(label: number, classes: number): Expr {
    return this.w.i32.lt_u(this.get(label), this.i32(classes));
  }

  // --- values ------------------------------------------------------------

  /** Element math of one lane group: f32x4 (lanes 4) or the scalar element type. */
  math(lanes: Lanes): ElementMath<Expr> {
    if (lanes === 4) return this.#vectorMath ??= f32x4Math(this.w, this.fb);
    this.#scalarMath ??= this.dtype === "f64" ? f64Math(this.w, this.fb) : f32Math(this.w, this.fb);
    return this.#scalarMath;
  }
  /** A scalar of the element type as a lane group: splatted over 4 lanes, or as is. */
  splat(lanes: Lanes, scalar: Expr): Expr {
    return lanes === 4 ? this.w.f32x4.splat(scalar) : scalar;
  }
  /** The value type of one lane group. */
  valueType(lanes: Lanes): ValueType {
    return lanes === 4 ? "v128" : this.scalar;
  }

  // --- loops ---------------------------------------------------------------

  /** `for (i = start; i < end; i += step) body` (see `FunctionBuilder.forRange`). */
  forRange(i: number, start: Expr, end: Extent, step: number, body: Expr[]): Expr {
    return this.fb.forRange(i, start, () => this.value(end), step, body);
  }

  /**
   * `counter` over [0, count): for f32 an f32x4 body over whole groups of 4,
   * then the scalar body over the rest; for f64 the scalar body throughout.
   * `body(lanes)` is called once per loop it fills.
   */
  lanes(counter: number, count: Extent, body: (lanes: Lanes) => Expr[]): Expr[] {
    if (this.dtype === "f64") return [this.forRange(counter, this.i32(0), count, 1, body(1))];
    if (typeof count === "number") {
      const end = count & ~3;
      const code: Expr[] = [];
      if (end > 0) code.push(this.forRange(counter, this.i32(0), end, 4, body(4)));
      if (end < count) code.push(this.forRange(counter, this.i32(end), count, 1, body(1)));
      return code;
    }
    const end = () => this.w.i32.and(count(), this.i32(~3));
    return [
      this.forRange(counter, this.i32(0), end, 4, body(4)),
      this.forRange(counter, end(), count, 1, body(1)),
    ];
  }

  /**
   * Reduces a run of contiguous elements into the scalar local `acc`, in a
   * fixed order: f32 accumulates lane-wise over groups of 4, combines the
   * lanes as (0 ∘ 1) ∘ (2 ∘ 3), then the tail in order; f64 in order.
   */
  reduceRun(acc: number, r: RunReduction): Expr[] {
    const w = this.w;
    const j = this.local("i32");
    const identity = r.op === "max" ? -Infinity : 0;
    const element = (lanes: Lanes) => {
      const x = this.loadAt(lanes, r.offset, w.i32.add(r.base(), this.at(this.get(j))));
      return r.map === undefined ? x : r.map(x, lanes);
    };
    const combine = (a: Expr, b: Expr) => (r.op === "max" ? this.F.max(a, b) : this.F.add(a, b));
    const combine4 = (a: Expr, b: Expr) => r.op === "max" ? w.f32x4.max(a, b) : w.f32x4.add(a, b);
    const scalarStep = () => this.set(acc, combine(this.get(acc), element(1)));
    if (this.dtype === "f64") {
      return [
        this.set(acc, this.F.const(identity)),
        this.forRange(j, this.i32(0), r.count, 1, [scalarStep()]),
      ];
    }
    const vacc = this.local("v128");
    const lane = (l: number) => w.f32x4.extract_lane(this.get(vacc), l);
    const code: Expr[] = [];
    const vectorEnd: Extent = typeof r.count === "number"
      ? r.count & ~3
      : () => w.i32.and((r.count as () => Expr)(), this.i32(~3));
    if (vectorEnd === 0) {
      code.push(this.set(acc, this.F.const(identity)));
    } else {
      code.push(
        this.set(vacc, w.f32x4.splat(w.f32.const(identity))),
        this.forRange(j, this.i32(0), vectorEnd, 4, [
          this.set(vacc, combine4(this.get(vacc), element(4))),
        ]),
        this.set(acc, combine(combine(lane(0), lane(1)), combine(lane(2), lane(3)))),
      );
    }
    if (typeof r.count !== "number" || (vectorEnd as number) < r.count) {
      code.push(this.forRange(j, this.value(vectorEnd), r.count, 1, [scalarStep()]));
    }
    return code;
  }
}
