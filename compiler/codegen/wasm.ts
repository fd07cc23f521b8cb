/**
 * The only file that imports Binaryen. Kernels are written against the small
 * typed layer below: `WasmModule` (functions, memory, globals, imports,
 * validation, optimization, output) and `FunctionBuilder` (locals and loops).
 * The instruction groups (`w.i32`, `w.f32x4`, …) are Binaryen's own builders,
 * typed here by the subset mlpc uses.
 *
 * Rule every kernel follows: an `Expr` is used exactly once. Binaryen
 * validates a module that reuses an expression node, but its optimizer then
 * corrupts it; so kernels call a builder again (e.g. `fb.get(i)`) instead of
 * keeping an `Expr` around.
 *
 * @module
 */

import binaryen from "npm:binaryen@132.0.0";

/** An expression handle. Use each one exactly once. */
export type Expr = number;

/** Value types of locals, parameters and results. */
export type ValueType = "i32" | "f32" | "f64" | "v128";

type Binary = (a: Expr, b: Expr) => Expr;
type Unary = (a: Expr) => Expr;
type Load = (offset: number, align: number, ptr: Expr) => Expr;
type Store = (offset: number, align: number, ptr: Expr, value: Expr) => Expr;

/**
 * i32 instructions. Addresses, sizes and indices are unsigned (memory may
 * reach 4 GiB, so a byte address may exceed 2³¹): compare and shift them with
 * the `_u` forms; the `_s` forms are for signed values only.
 */
export interface I32Ops {
  const(value: number): Expr;
  add: Binary;
  sub: Binary;
  mul: Binary;
  and: Binary;
  or: Binary;
  xor: Binary;
  shl: Binary;
  shr_s: Binary;
  shr_u: Binary;
  div_u: Binary;
  eq: Binary;
  ne: Binary;
  lt_s: Binary;
  le_s: Binary;
  gt_s: Binary;
  ge_s: Binary;
  lt_u: Binary;
  le_u: Binary;
  gt_u: Binary;
  ge_u: Binary;
  eqz: Unary;
  load: Load;
  store: Store;
  trunc_s: { f32: Unary; f64: Unary };
  trunc_s_sat: { f32: Unary; f64: Unary };
  reinterpret: Unary;
}

/** Scalar float instructions (f32 and f64 alike). */
export interface FloatOps {
  const(value: number): Expr;
  add: Binary;
  sub: Binary;
  mul: Binary;
  div: Binary;
  min: Binary;
  max: Binary;
  neg: Unary;
  abs: Unary;
  sqrt: Unary;
  nearest: Unary;
  eq: Binary;
  ne: Binary;
  lt: Binary;
  le: Binary;
  gt: Binary;
  ge: Binary;
  load: Load;
  store: Store;
  convert_s: { i32: Unary };
  reinterpret: Unary;
}

/** f32 instructions. */
export interface F32Ops extends FloatOps {
  demote: Unary;
}

/** f64 instructions. */
export interface F64Ops extends FloatOps {
  promote: Unary;
}

/** v128 instructions. */
export interface V128Ops {
  load: Load;
  load32_splat: Load;
  store: Store;
  and: Binary;
  or: Binary;
  xor: Binary;
  andnot: Binary;
  not: Unary;
  bitselect(a: Expr, b: Expr, mask: Expr): Expr;
  const(bytes: ArrayLike<number>): Expr;
}

/** f32x4 instructions. */
export interface F32x4Ops {
  splat: Unary;
  extract_lane(vec: Expr, lane: number): Expr;
  replace_lane(vec: Expr, lane: number, value: Expr): Expr;
  add: Binary;
  sub: Binary;
  mul: Binary;
  div: Binary;
  min: Binary;
  max: Binary;
  pmin: Binary;
  pmax: Binary;
  neg: Unary;
  abs: Unary;
  sqrt: Unary;
  nearest: Unary;
  floor: Unary;
  eq: Binary;
  lt: Binary;
  le: Binary;
  gt: Binary;
  ge: Binary;
  convert_i32x4_s: Unary;
}

/** i8x16 instructions. */
export interface I8x16Ops {
  /** Byte i of the result is byte `mask[i]` (0–31) of the concatenation a‖b. */
  shuffle(a: Expr, b: Expr, mask: ArrayLike<number>): Expr;
}

/** i32x4 instructions. */
export interface I32x4Ops {
  splat: Unary;
  add: Binary;
  sub: Binary;
  mul: Binary;
  ge_u: Binary;
  shl(vec: Expr, shift: Expr): Expr;
  shr_s(vec: Expr, shift: Expr): Expr;
  shr_u(vec: Expr, shift: Expr): Expr;
  trunc_sat_f32x4_s: Unary;
}

/**
 * Atomic memory instructions (sequentially consistent) on the module's
 * memory, for modules with shared memory (`WasmModuleOptions.sharedMemory`).
 * Addresses are byte addresses (`offset` immediate + pointer), aligned to
 * the access size.
 */
export interface AtomicOps {
  /** i32.atomic.load. */
  load(offset: number, ptr: Expr): Expr;
  /** i32.atomic.store. */
  store(offset: number, ptr: Expr, value: Expr): Expr;
  /** i32.atomic.rmw.add: adds, yields the old value. */
  add(offset: number, ptr: Expr, value: Expr): Expr;
  /**
   * Ors the bits of a float `value` into the float of that type at the
   * address (i32/i64.atomic.rmw.or of its reinterpretation); yields the old
   * bits (an i32 or i64).
   */
  orBits(offset: number, ptr: Expr, value: Expr, type: "f32" | "f64"): Expr;
  /**
   * memory.atomic.wait32 with no timeout: sleeps while the i32 at `ptr`
   * equals `expected` (0 woken, 1 not equal); traps on a thread that may not
   * block (a browser's main thread) and on unshared memory.
   */
  wait32(ptr: Expr, expected: Expr): Expr;
  /** memory.atomic.notify: wakes up to `count` waiters on `ptr`; yields how many. */
  notify(ptr: Expr, count: Expr): Expr;
}

const FEATURES = binaryen.Features.SIMD128 | binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt | binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SignExt | binaryen.Features.MutableGlobals;

function typeOf(t: ValueType | "none"): number {
  switch (t) {
    case "i32":
      return binaryen.i32;
    case "f32":
      return binaryen.f32;
    case "f64":
      return binaryen.f64;
    case "v128":
      return binaryen.v128;
    case "none":
      return binaryen.none;
  }
}

/** Bytes a module's memory starts with: `data` from byte `offset` on. */
export interface DataSegment {
  /** Byte offset in memory. */
  readonly offset: number;
  /** The bytes. */
  readonly data: Uint8Array;
}

/** What `WasmModule.finish` returns. */
export interface EmittedModule {
  /** The optimized module. */
  readonly binary: Uint8Array<ArrayBuffer>;
}

/**
 * The Binaryen passes run on every module. Measured on this machine (one
 * process, interleaved A/B runs of the 784-512-256-10 Adam step at batch
 * 128): Binaryen's full -O2 pipeline took ~270 ms and gave the same step
 * speed, within 2 %, as these two passes, which take ~20 ms — V8's optimizing
 * tier already does the register allocation and constant folding; what is
 * left is folding local traffic into expressions and peephole rewrites.
 */
export const DEFAULT_PASSES: readonly string[] = ["simplify-locals", "optimize-instructions"];

/**
 * The text (WAT) of a module, for inspection and snapshots.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule, wasmText } from "./wasm.ts";
 * const w = new WasmModule();
 * w.addFunction("nothing", new FunctionBuilder(w, []), "none", w.nop(), true);
 * assert.ok(wasmText(w.finish(1).binary).includes("(export \"nothing\""));
 * ```
 */
export function wasmText(binary: Uint8Array): string {
  const m = binaryen.readBinary(binary);
  try {
    m.setFeatures(FEATURES | binaryen.Features.RelaxedSIMD | binaryen.Features.Atomics);
    return m.emitText();
  } finally {
    m.dispose();
  }
}

/**
 * Whether this engine runs relaxed-SIMD instructions (`f32x4.relaxed_madd`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relaxedSimdSupported } from "./wasm.ts";
 * assert.ok(typeof relaxedSimdSupported() === "boolean");
 * ```
 */
export function relaxedSimdSupported(): boolean {
  // (module (func (param v128) (result v128) local.get 0 local.get 0 local.get 0 f32x4.relaxed_madd))
  const probe = Uint8Array.of(
    0,
    97,
    115,
    109,
    1,
    0,
    0,
    0,
    1,
    6,
    1,
    96,
    1,
    123,
    1,
    123,
    3,
    2,
    1,
    0,
    10,
    13,
    1,
    11,
    0,
    32,
    0,
    32,
    0,
    32,
    0,
    253,
    133,
    2,
    11,
  );
  return WebAssembly.validate(probe);
}

/** Options of a module. */
export interface WasmModuleOptions {
  /** Use relaxed-SIMD fused multiply-add (not bit-reproducible across machines). */
  readonly relaxedSimd?: boolean;
  /** Binaryen passes to run (default `DEFAULT_PASSES`). */
  readonly passes?: readonly string[];
  /**
   * Import the memory as shared (`env.memory`, also exported as `memory`),
   * with atomics enabled: for modules that several threads instantiate on
   * one memory. Default false: the module defines and exports its memory.
   */
  readonly sharedMemory?: boolean;
}

/**
 * A module under construction. Call `finish` (which disposes the Binaryen
 * module) exactly once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * const w = new WasmModule();
 * const fb = new FunctionBuilder(w, ["i32"]);
 * w.addFunction("twice", fb, "i32", w.i32.add(fb.get(0), fb.get(0)), true);
 * const { binary } = w.finish(1);
 * const { instance } = await WebAssembly.instantiate(binary);
 * assert.ok((instance.exports.twice as (x: number) => number)(21) === 42);
 * ```
 */
export class WasmModule {
  readonly #m: binaryen.Module;
  readonly #options: WasmModuleOptions;
  #labels = 0;
  readonly #globals = new Set<string>();

  /** Starts an empty module with SIMD (and, if asked, relaxed SIMD) enabled. */
  constructor(options: WasmModuleOptions = {}) {
    this.#m = new binaryen.Module();
    this.#options = options;
    let features = FEATURES;
    if (options.relaxedSimd) features |= binaryen.Features.RelaxedSIMD;
    if (options.sharedMemory) features |= binaryen.Features.Atomics;
    this.#m.setFeatures(features);
    // Loads and stores resolve their memory when they are built: declare a
    // placeholder now; `finish` replaces it with the real size and export.
    this.#m.setMemory(1, 1, null);
  }

  /** i32 instructions. */
  get i32(): I32Ops {
    return this.#m.i32 as unknown as I32Ops;
  }
  /** f32 instructions. */
  get f32(): F32Ops {
    return this.#m.f32 as unknown as F32Ops;
  }
  /** f64 instructions. */
  get f64(): F64Ops {
    return this.#m.f64 as unknown as F64Ops;
  }
  /** v128 instructions. */
  get v128(): V128Ops {
    return this.#m.v128 as unknown as V128Ops;
  }
  /** f32x4 instructions. */
  get f32x4(): F32x4Ops {
    return this.#m.f32x4 as unknown as F32x4Ops;
  }
  /** i32x4 instructions. */
  get i32x4(): I32x4Ops {
    return this.#m.i32x4 as unknown as I32x4Ops;
  }
  /** i8x16 instructions. */
  get i8x16(): I8x16Ops {
    return this.#m.i8x16 as unknown as I8x16Ops;
  }

  /** Atomic instructions (only in a module with `sharedMemory`). */
  get atomic(): AtomicOps {
    const m = this.#m;
    if (!this.#options.sharedMemory) {
      throw new Error("internal: atomics need a module with shared memory");
    }
    return {
      load: (offset, ptr) => m.i32.atomic.load(offset, ptr),
      store: (offset, ptr, value) => m.i32.atomic.store(offset, ptr, value),
      add: (offset, ptr, value) => m.i32.atomic.rmw.add(offset, ptr, value),
      orBits: (offset, ptr, value, type) =>
        type === "f64"
          ? m.i64.atomic.rmw.or(offset, ptr, m.i64.reinterpret(value))
          : m.i32.atomic.rmw.or(offset, ptr, m.i32.reinterpret(value)),
      wait32: (ptr, expected) =>
        m.memory.atomic.wait32(
          ptr,
          expected,
          (m.i64 as unknown as { const(v: bigint): Expr }).const(-1n),
        ),
      notify: (ptr, count) => m.memory.atomic.notify(ptr, count),
    };
  }

  /** Whether the memory is imported and shared (see `WasmModuleOptions.sharedMemory`). */
  get sharedMemory(): boolean {
    return this.#options.sharedMemory ?? false;
  }

  /** Whether relaxed-SIMD instructions may be used. */
  get relaxedSimd(): boolean {
    return this.#options.relaxedSimd ?? false;
  }

  /** a·b + c on f32x4: fused (relaxed SIMD) when enabled, else mul then add. */
  f32x4MulAdd(a: Expr, b: Expr, c: Expr): Expr {
    if (!this.relaxedSimd) return this.f32x4.add(this.f32x4.mul(a, b), c);
    // binaryen.js has no wrapper for relaxed_madd: call the C API directly.
    const api = binaryen as unknown as {
      _BinaryenSIMDTernary(module: number, op: number, a: Expr, b: Expr, c: Expr): Expr;
      RelaxedMaddVecF32x4: number;
    };
    return api._BinaryenSIMDTernary(this.#m.ptr, api.RelaxedMaddVecF32x4, a, b, c);
  }

  /** A fresh, unique label for a block or loop. */
  label(prefix: string): string {
    return `${prefix}${this.#labels++}`;
  }

  /** Reads a local. */
  localGet(index: number, type: ValueType): Expr {
    return this.#m.local.get(index, typeOf(type));
  }
  /** Writes a local. */
  localSet(index: number, value: Expr): Expr {
    return this.#m.local.set(index, value);
  }
  /** Writes a local and yields the value. */
  localTee(index: number, value: Expr, type: ValueType): Expr {
    return this.#m.local.tee(index, value, typeOf(type));
  }
  /** Declares a mutable global (once) with initial value `initial` (default 0). */
  addGlobal(name: string, type: ValueType, initial = 0): void {
    if (this.#globals.has(name)) return;
    this.#globals.add(name);
    const zero = type === "i32"
      ? this.i32.const(initial)
      : type === "f32"
      ? this.f32.const(0)
      : type === "f64"
      ? this.f64.const(0)
      : this.v128.const(new Array(16).fill(0));
    this.#m.addGlobal(name, typeOf(type), true, zero);
  }
  /** Reads a global. */
  globalGet(name: string, type: ValueType): Expr {
    return this.#m.global.get(name, typeOf(type));
  }
  /** Writes a global. */
  globalSet(name: string, value: Expr): Expr {
    return this.#m.global.set(name, value);
  }
  /** A block of statements (optionally yielding a value of `type`). */
  block(label: string | null, children: Expr[], type: ValueType | "none" = "none"): Expr {
    return this.#m.block(label, children, typeOf(type));
  }
  /** A loop: `br(label)` inside jumps back to its start. */
  loop(label: string, body: Expr): Expr {
    return this.#m.loop(label, body);
  }
  /** Branch (conditionally when `condition` is given). */
  br(label: string, condition?: Expr): Expr {
    return this.#m.br(label, condition);
  }
  /** if / else. */
  if(condition: Expr, then: Expr, otherwise?: Expr): Expr {
    return this.#m.if(condition, then, otherwise);
  }
  /** select(a, b, condition): a when condition ≠ 0. */
  select(condition: Expr, a: Expr, b: Expr): Expr {
    return this.#m.select(condition, a, b);
  }
  /** Calls a function of this module. */
  call(name: string, args: Expr[], result: ValueType | "none"): Expr {
    return this.#m.call(name, args, typeOf(result));
  }
  /** Returns from the function. */
  return(value?: Expr): Expr {
    return this.#m.return(value);
  }
  /** Drops a value. */
  drop(value: Expr): Expr {
    return this.#m.drop(value);
  }
  /** Does nothing. */
  nop(): Expr {
    return this.#m.nop();
  }
  /** memory.fill(dest, value, size) in bytes. */
  memoryFill(dest: Expr, value: Expr, size: Expr): Expr {
    return this.#m.memory.fill(dest, value, size);
  }
  /** memory.copy(dest, source, size) in bytes. */
  memoryCopy(dest: Expr, source: Expr, size: Expr): Expr {
    return this.#m.memory.copy(dest, source, size);
  }

  /** Whether a function (or function import) of this name exists already. */
  hasFunction(name: string): boolean {
    return this.#m.getFunction(name) !== 0;
  }

  /** Imports a function `env.<name>` of numbers to a number. */
  addImport(name: string, params: ValueType[], result: ValueType): void {
    this.#m.addFunctionImport(
      name,
      "env",
      name,
      binaryen.createType(params.map(typeOf)),
      typeOf(result),
    );
  }

  /** Adds a function built with `fb`, exported under its name when `exported`. */
  addFunction(
    name: string,
    fb: FunctionBuilder,
    result: ValueType | "none",
    body: Expr,
    exported = false,
  ): void {
    this.#m.addFunction(
      name,
      binaryen.createType(fb.params.map(typeOf)),
      typeOf(result),
      fb.vars.map(typeOf),
      body,
    );
    if (exported) this.#m.addFunctionExport(name, name);
  }

  /**
   * Validates, optimizes and emits the module with an exported memory of
   * `pages` 64 KiB pages, initialized with `segments` (active data segments);
   * then disposes the Binaryen module.
   */
  finish(pages: number, segments: readonly DataSegment[] = []): EmittedModule {
    try {
      if (this.sharedMemory && segments.length > 0) {
        // Every thread's instantiation would write them again.
        throw new Error("internal: a module with shared memory takes no data segments");
      }
      this.#m.setMemory(
        pages,
        pages,
        "memory",
        segments.map((s) => ({
          offset: this.#m.i32.const(s.offset),
          data: s.data,
          passive: false,
        })),
        this.sharedMemory,
        false,
        "0",
      );
      if (this.sharedMemory) this.#m.addMemoryImport("0", "env", "memory", true);
      if (!this.#m.validate()) {
        throw new Error("internal: the generated WebAssembly module does not validate");
      }
      this.#m.runPasses([...(this.#options.passes ?? DEFAULT_PASSES)]);
      // Keep the name section, so the text and stack traces name each kernel.
      const debugInfo = binaryen.getDebugInfo();
      binaryen.setDebugInfo(true);
      try {
        return { binary: new Uint8Array(this.#m.emitBinary()) };
      } finally {
        binaryen.setDebugInfo(debugInfo);
      }
    } finally {
      this.#m.dispose();
    }
  }
}

/**
 * Locals of one function under construction, and loop helpers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FunctionBuilder, WasmModule } from "./wasm.ts";
 * const w = new WasmModule();
 * const fb = new FunctionBuilder(w, []);
 * const i = fb.addLocal("i32");
 * assert.ok(i === 0 && fb.vars.length === 1);
 * w.finish(1);
 * ```
 */
export class FunctionBuilder {
  readonly #w: WasmModule;
  readonly #types: ValueType[];
  /** Parameter types. */
  readonly params: readonly ValueType[];
  /** Types of the locals declared after the parameters. */
  readonly vars: ValueType[] = [];

  /** Starts a function with the given parameter types. */
  constructor(w: WasmModule, params: ValueType[]) {
    this.#w = w;
    this.params = params;
    this.#types = [...params];
  }

  /** Declares a local and returns its index. */
  addLocal(type: ValueType): number {
    this.vars.push(type);
    this.#types.push(type);
    return this.#types.length - 1;
  }

  /** Reads local `index`. */
  get(index: number): Expr {
    return this.#w.localGet(index, this.#types[index]);
  }

  /** Writes local `index`. */
  set(index: number, value: Expr): Expr {
    return this.#w.localSet(index, value);
  }

  /**
   * `for (i = start; i < end; i += step) body` with `i` an i32 local, compared
   * unsigned (an index or a byte address may reach 2³¹ in a 4 GiB memory).
   * `end` is a thunk, since it is read on every iteration.
   */
  forRange(i: number, start: Expr, end: () => Expr, step: number, body: Expr[]): Expr {
    const w = this.#w;
    const exit = w.label("exit");
    const next = w.label("loop");
    return w.block(exit, [
      this.set(i, start),
      w.br(exit, w.i32.ge_u(this.get(i), end())),
      w.loop(
        next,
        w.block(null, [
          ...body,
          this.set(i, w.i32.add(this.get(i), w.i32.const(step))),
          w.br(next, w.i32.lt_u(this.get(i), end())),
        ]),
      ),
    ]);
  }
}
