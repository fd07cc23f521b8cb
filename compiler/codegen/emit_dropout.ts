/**
 * Emits the dropout kernel: `out[k] = keep(k) ? x[k]·s : 0` over the flat
 * elements of x, with s = 1/(1 − p) and keep(k) drawn by the counter-based
 * hash of `core/random.ts` — integer arithmetic only, so the mask has the same
 * bits as the JavaScript reference on every engine:
 *
 *     key  = dropoutKey(seed, stream, step)      once per call, from the rng slot
 *     bits = mix32(key + k·0x9e3779b9)           per element
 *     keep = bits ≥ ⌈p·2³²⌉ (unsigned)
 *
 * The random key input holds two u32 words (seed, step) written by the runtime
 * before each step. f32 runs 4 elements at a time (i32x4 hash, the mask ANDed
 * onto the scaled values), then a scalar tail; f64 is scalar. The backward pass
 * is the same kernel applied to the gradient: it draws the same mask.
 *
 * @module
 */

import { DROPOUT_HASH, dropoutThreshold, MIX_CONSTANTS } from "../../core/random.ts";
import { dropoutScale } from "../ir/ops.ts";
import { BATCH_GLOBAL } from "./emit_math.ts";
import type { Graph } from "../ir/ir.ts";
import { type Expr, FunctionBuilder, type WasmModule } from "./wasm.ts";

/**
 * Adds the function `name` computing dropout node `id`.
 *
 * @example
 * ```ts
 * import { emitDropout } from "./emit_dropout.ts";
 * import { declareMathSupport } from "./emit_math.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { dropoutMasked, input } from "../frontend/tensor.ts";
 * import { WasmModule } from "./wasm.ts";
 * const g = trace({ y: dropoutMasked(input("x", ["batch", 6]), 0.5, 1) });
 * const w = new WasmModule();
 * declareMathSupport(w, "f32");
 * emitDropout(w, g, 2, new Map([[0, 0], [1, 1024], [2, 1040]]), "k0");
 * w.finish(1);
 * ```
 */
export function emitDropout(
  w: WasmModule,
  graph: Graph,
  id: number,
  offsets: ReadonlyMap<number, number>,
  name: string,
): void {
  const node = graph.nodes[id];
  const [xId, rngId] = node.inputs;
  const shape = graph.nodes[xId].shape;
  const f64 = graph.dtype === "f64";
  const bytes = f64 ? 8 : 4;
  const xOffset = offsets.get(xId)!;
  const rngOffset = offsets.get(rngId)!;
  const outOffset = offsets.get(id)!;
  const p = node.attrs.p ?? 0;
  const threshold = dropoutThreshold(p);
  const scale = dropoutScale(p);
  const fixed = shape.reduce<number>((n, d) => (d === "batch" ? n : n * d), 1);
  const total = () =>
    shape.includes("batch")
      ? w.i32.mul(w.globalGet(BATCH_GLOBAL, "i32"), w.i32.const(fixed))
      : w.i32.const(fixed);
  const fb = new FunctionBuilder(w, []);
  if (threshold > 0xffffffff) {
    // p = 1: every element is dropped.
    w.addFunction(
      name,
      fb,
      "none",
      w.memoryFill(w.i32.const(outOffset), w.i32.const(0), w.i32.mul(total(), w.i32.const(bytes))),
    );
    return;
  }
  const u32 = (value: number) => w.i32.const(value | 0);
  const k = fb.addLocal("i32");
  const key = fb.addLocal("i32");
  const h = fb.addLocal("i32");
  /** Murmur3's finalizer on the i32 local `v`, as statements. */
  const mixScalar = (v: number): Expr[] => {
    const I = w.i32;
    const xorShift = (shift: number) =>
      fb.set(v, I.xor(fb.get(v), I.shr_u(fb.get(v), I.const(shift))));
    return [
      xorShift(16),
      fb.set(v, I.mul(fb.get(v), u32(MIX_CONSTANTS.m1))),
      xorShift(13),
      fb.set(v, I.mul(fb.get(v), u32(MIX_CONSTANTS.m2))),
      xorShift(16),
    ];
  };
  const code: Expr[] = [
    // key = mix(mix(mix(seed ⊕ golden) ⊕ stream·c₁) ⊕ step·c₂)
    fb.set(key, w.i32.xor(w.i32.load(0, 4, w.i32.const(rngOffset)), u32(DROPOUT_HASH.golden))),
    ...mixScalar(key),
    fb.set(
      key,
      w.i32.xor(fb.get(key), u32(Math.imul(node.attrs.stream ?? 0, DROPOUT_HASH.stream))),
    ),
    ...mixScalar(key),
    fb.set(
      key,
      w.i32.xor(
        fb.get(key),
        w.i32.mul(w.i32.load(0, 4, w.i32.const(rngOffset + 4)), u32(DROPOUT_HASH.step)),
      ),
    ),
    ...mixScalar(key),
  ];
  const at = () => w.i32.shl(fb.get(k), w.i32.const(f64 ? 3 : 2));
  /** The scalar element k: select(keep, x·s, 0). */
  const scalarBody = (): Expr[] => {
    const F = f64 ? w.f64 : w.f32;
    return [
      fb.set(h, w.i32.add(fb.get(key), w.i32.mul(fb.get(k), u32(DROPOUT_HASH.golden)))),
      ...mixScalar(h),
      F.store(
        outOffset,
        bytes,
        at(),
        w.select(
          w.i32.ge_u(fb.get(h), u32(threshold)),
          F.mul(F.load(xOffset, bytes, at()), F.const(scale)),
          F.const(0),
        ),
      ),
    ];
  };
  if (f64) {
    code.push(fb.forRange(k, w.i32.const(0), total, 1, scalarBody()));
  } else {
    const I4 = w.i32x4;
    const vh = fb.addLocal("v128");
    const splat = (value: number) => I4.splat(u32(value));
    const xorShift = (shift: number) =>
      fb.set(vh, w.v128.xor(fb.get(vh), I4.shr_u(fb.get(vh), w.i32.const(shift))));
    // Lane offsets 0, 1, 2, 3 as i32x4.
    const lanes = () => w.v128.const([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
    const vectorEnd = () => w.i32.and(total(), w.i32.const(~3));
    code.push(
      fb.forRange(k, w.i32.const(0), vectorEnd, 4, [
        fb.set(
          vh,
          I4.add(
            I4.splat(fb.get(key)),
            I4.mul(I4.add(I4.splat(fb.get(k)), lanes()), splat(DROPOUT_HASH.golden)),
          ),
        ),
        xorShift(16),
        fb.set(vh, I4.mul(fb.get(vh), splat(MIX_CONSTANTS.m1))),
        xorShift(13),
        fb.set(vh, I4.mul(fb.get(vh), splat(MIX_CONSTANTS.m2))),
        xorShift(16),
        w.v128.store(
          outOffset,
          4,
          at(),
          w.v128.and(
            w.f32x4.mul(w.v128.load(xOffset, 4, at()), w.f32x4.splat(w.f32.const(scale))),
            I4.ge_u(fb.get(vh), splat(threshold)),
          ),
        ),
      ]),
      fb.forRange(k, vectorEnd(), total, 1, scalarBody()),
    );
  }
  w.addFunction(name, fb, "none", w.block(null, code));
}
