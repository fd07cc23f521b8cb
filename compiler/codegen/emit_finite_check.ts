/**
 * The training step's non-finite check, folded into the kernels that write
 * parameter and optimizer-state updates: while a kernel stores its values it
 * adds `x − x` of each one to an accumulator held in a local (0 for a finite
 * x, NaN for ±Infinity or NaN), and once, at the kernel's end, it adds the
 * accumulator to a flag in memory. The step clears the flag first, so after
 * it the flag is 0 exactly when every stored update was finite. There is no
 * second pass over memory: the values are checked while they are still in
 * registers, at the cost of two arithmetic instructions per stored vector.
 *
 * @module
 */

import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";

/** Where a kernel reports non-finite stores: the flag's byte offset. */
export interface FiniteFlag {
  /** Byte offset of the flag (one value of the module's element type). */
  readonly offset: number;
  /**
   * Several threads report to the flag at once (a module with shared
   * memory): each ors the bits of its total into it atomically instead of
   * adding. Totals are +0 or NaN, and an or of NaN bit patterns (with each
   * other or with +0's zero bits) is a NaN, so the flag still ends up 0 exactly
   * when every total was, whatever the order the threads report in.
   */
  readonly atomic?: boolean;
}

/**
 * An accumulator of one function: `add` folds a stored value in, `flush` adds
 * the total to the flag (call it once, after the function's last store).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { FiniteAccumulator } from "./emit_finite_check.ts";
 * const w = new WasmModule();
 * const fb = new FunctionBuilder(w, ["f32"]);
 * const acc = new FiniteAccumulator(w, fb, "f32", { offset: 0 });
 * w.addFunction("check", fb, "none", w.block(null, [acc.add(fb.get(0), 1), ...acc.flush()]), true);
 * const { instance } = await WebAssembly.instantiate(w.finish(1).binary);
 * const check = instance.exports.check as (x: number) => void;
 * const flag = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer, 0, 1);
 * check(1e30);
 * assert.equal(flag[0], 0);
 * check(Infinity);
 * assert.ok(Number.isNaN(flag[0]));
 * ```
 */
export class FiniteAccumulator {
  readonly #w: WasmModule;
  readonly #fb: FunctionBuilder;
  readonly #f64: boolean;
  readonly #flag: FiniteFlag;
  #vector: number | undefined;
  #scalar: number | undefined;
  #temp: number | undefined;
  #vectorTemp: number | undefined;

  /** Declares nothing yet: locals are added on first use (wasm zeroes them). */
  constructor(w: WasmModule, fb: FunctionBuilder, dtype: "f32" | "f64", flag: FiniteFlag) {
    this.#w = w;
    this.#fb = fb;
    this.#f64 = dtype === "f64";
    this.#flag = flag;
  }

  /**
   * Folds `value` in: a v128 of four f32 of which the first `lanes` count
   * (lanes 4 for a whole vector), or one scalar (`lanes` 1 with a scalar
   * value: pass `scalar` true). `value` is evaluated once.
   */
  add(value: Expr, lanes: number, scalar = lanes === 1): Expr {
    const w = this.#w;
    const fb = this.#fb;
    if (scalar) {
      const type = this.#f64 ? "f64" : "f32";
      const ops = this.#f64 ? w.f64 : w.f32;
      this.#scalar ??= fb.addLocal(type);
      this.#temp ??= fb.addLocal(type);
      const t = this.#temp;
      return w.block(null, [
        fb.set(t, value),
        fb.set(this.#scalar, ops.add(fb.get(this.#scalar), ops.sub(fb.get(t), fb.get(t)))),
      ]);
    }
    this.#vector ??= fb.addLocal("v128");
    const v = this.#vectorTemp ??= fb.addLocal("v128");
    let zeroOrNaN = w.f32x4.sub(fb.get(v), fb.get(v));
    if (lanes < 4) {
      // Lanes past the last stored one hold junk: mask them to +0.
      const mask = Array.from({ length: 16 }, (_, b) => (b < 4 * lanes ? 0xff : 0));
      zeroOrNaN = w.v128.and(zeroOrNaN, w.v128.const(mask));
    }
    return w.block(null, [
      fb.set(v, value),
      fb.set(this.#vector, w.f32x4.add(fb.get(this.#vector), zeroOrNaN)),
    ]);
  }

  /** Adds the accumulated total to the flag in memory (nothing if nothing was added). */
  flush(): Expr[] {
    const w = this.#w;
    const fb = this.#fb;
    const terms: Expr[] = [];
    if (this.#vector !== undefined) {
      const v = this.#vector;
      const sum = w.f32.add(
        w.f32.add(w.f32x4.extract_lane(fb.get(v), 0), w.f32x4.extract_lane(fb.get(v), 1)),
        w.f32.add(w.f32x4.extract_lane(fb.get(v), 2), w.f32x4.extract_lane(fb.get(v), 3)),
      );
      terms.push(this.#f64 ? w.f64.promote(sum) : sum);
    }
    if (this.#scalar !== undefined) terms.push(fb.get(this.#scalar));
    if (terms.length === 0) return [];
    const ops = this.#f64 ? w.f64 : w.f32;
    const size = this.#f64 ? 8 : 4;
    const address = () => w.i32.const(0);
    if (this.#flag.atomic) {
      let total = terms[0];
      for (const t of terms.slice(1)) total = ops.add(total, t);
      const bits = w.atomic.orBits(this.#flag.offset, address(), total, this.#f64 ? "f64" : "f32");
      return [w.drop(bits)];
    }
    let total = ops.load(this.#flag.offset, size, address());
    for (const t of terms) total = ops.add(total, t);
    return [ops.store(this.#flag.offset, size, address(), total)];
  }
}

/**
 * Adds the function `name`, which checks an `elements`-long buffer at byte
 * `offset` and adds to the flag: for the rare update that no checking kernel
 * wrote (a plain copy, a reduction), at the cost of one more pass over it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * import { emitBufferCheck } from "./emit_finite_check.ts";
 * const w = new WasmModule();
 * emitBufferCheck(w, "check", "f64", 16, 3, { offset: 0 });
 * w.addFunction("run", new FunctionBuilder(w, []), "none", w.call("check", [], "none"), true);
 * const { instance } = await WebAssembly.instantiate(w.finish(1).binary);
 * const mem = new Float64Array((instance.exports.memory as WebAssembly.Memory).buffer);
 * mem.set([1, -2, 3], 2);
 * (instance.exports.run as () => void)();
 * assert.equal(mem[0], 0);
 * mem[4] = -Infinity;
 * (instance.exports.run as () => void)();
 * assert.ok(Number.isNaN(mem[0]));
 * ```
 */
export function emitBufferCheck(
  w: WasmModule,
  name: string,
  dtype: "f32" | "f64",
  offset: number,
  elements: number,
  flag: FiniteFlag,
): void {
  const fb = new FunctionBuilder(w, []);
  const acc = new FiniteAccumulator(w, fb, dtype, flag);
  const i = fb.addLocal("i32");
  const f64 = dtype === "f64";
  const load = f64
    ? w.f64.load(offset, 8, w.i32.shl(fb.get(i), w.i32.const(3)))
    : w.f32.load(offset, 4, w.i32.shl(fb.get(i), w.i32.const(2)));
  const loop = fb.forRange(i, w.i32.const(0), () => w.i32.const(elements), 1, [acc.add(load, 1)]);
  w.addFunction(name, fb, "none", w.block(null, [loop, ...acc.flush()]));
}
