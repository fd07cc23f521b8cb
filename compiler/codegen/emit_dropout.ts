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
import { bufferOf } from "./emit_elementwise.ts";
import { Kernel } from "./kernel.ts";
import type { Graph } from "../ir/ir.ts";
import type { Expr, WasmModule } from "./wasm.ts";

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
  const xOffset = bufferOf(offsets, xId);
  const rngOffset = bufferOf(offsets, rngId);
  const outOffset = bufferOf(offsets, id);
  const p = node.attrs.p ?? 0;
  const threshold = dropoutThreshold(p);
  const scale = dropoutScale(p);
  const k = new Kernel(w, graph.dtype);
  if (threshold > 0xffffffff) {
    // p = 1: every element is dropped.
    k.finish(name, [w.memoryFill(k.i32(outOffset), k.i32(0), k.byteCount(shape))]);
    return;
  }
  const u32 = (value: number) => w.i32.const(value | 0);
  const e = k.local("i32"); // element index
  const key = k.local("i32");
  const h = k.local("i32");
  /** Murmur3's finalizer on the i32 local `v`, as statements. */
  const mixScalar = (v: number): Expr[] => {
    const I = w.i32;
    const xorShift = (shift: number) =>
      k.set(v, I.xor(k.get(v), I.shr_u(k.get(v), I.const(shift))));
    return [
      xorShift(16),
      k.set(v, I.mul(k.get(v), u32(MIX_CONSTANTS.m1))),
      xorShift(13),
      k.set(v, I.mul(k.get(v), u32(MIX_CONSTANTS.m2))),
      xorShift(16),
    ];
  };
  const code: Expr[] = [
    // key = mix(mix(mix(seed ⊕ golden) ⊕ stream·c₁) ⊕ step·c₂)
    k.set(key, w.i32.xor(w.i32.load(0, 4, k.i32(rngOffset)), u32(DROPOUT_HASH.golden))),
    ...mixScalar(key),
    k.set(
      key,
      w.i32.xor(k.get(key), u32(Math.imul(node.attrs.stream ?? 0, DROPOUT_HASH.stream))),
    ),
    ...mixScalar(key),
    k.set(
      key,
      w.i32.xor(
        k.get(key),
        w.i32.mul(w.i32.load(0, 4, k.i32(rngOffset + 4)), u32(DROPOUT_HASH.step)),
      ),
    ),
    ...mixScalar(key),
  ];
  /** The scalar element e: select(keep, x·s, 0). */
  const scalarBody = (): Expr[] => [
    k.set(h, w.i32.add(k.get(key), w.i32.mul(k.get(e), u32(DROPOUT_HASH.golden)))),
    ...mixScalar(h),
    k.store(
      outOffset,
      k.get(e),
      w.select(
        w.i32.ge_u(k.get(h), u32(threshold)),
        k.F.mul(k.load(xOffset, k.get(e)), k.F.const(scale)),
        k.F.const(0),
      ),
    ),
  ];
  /** Four elements from e on: the i32x4 hash, its mask ANDed onto x·s. */
  const vectorBody = (): Expr[] => {
    const I4 = w.i32x4;
    const vh = k.local("v128");
    const splat = (value: number) => I4.splat(u32(value));
    const xorShift = (shift: number) =>
      k.set(vh, w.v128.xor(k.get(vh), I4.shr_u(k.get(vh), w.i32.const(shift))));
    // Lane offsets 0, 1, 2, 3 as i32x4.
    const lanes = () => w.v128.const([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
    return [
      k.set(
        vh,
        I4.add(
          I4.splat(k.get(key)),
          I4.mul(I4.add(I4.splat(k.get(e)), lanes()), splat(DROPOUT_HASH.golden)),
        ),
      ),
      xorShift(16),
      k.set(vh, I4.mul(k.get(vh), splat(MIX_CONSTANTS.m1))),
      xorShift(13),
      k.set(vh, I4.mul(k.get(vh), splat(MIX_CONSTANTS.m2))),
      xorShift(16),
      k.storeLanes(
        4,
        outOffset,
        k.get(e),
        w.v128.and(
          w.f32x4.mul(k.loadLanes(4, xOffset, k.get(e)), w.f32x4.splat(w.f32.const(scale))),
          I4.ge_u(k.get(vh), splat(threshold)),
        ),
      ),
    ];
  };
  code.push(...k.lanes(e, k.count(shape), (lanes) => lanes === 4 ? vectorBody() : scalarBody()));
  k.finish(name, code);
}
