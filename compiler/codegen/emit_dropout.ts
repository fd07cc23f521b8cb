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
import type { Graph } from "../ir/ir.ts";
import { bufferOf } from "./emit_elementwise.ts";
import { Kernel, type Lanes } from "./kernel.ts";
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
  const xOffset = bufferOf(offsets, xId);
  const rngOffset = bufferOf(offsets, rngId);
  const outOffset = bufferOf(offsets, id);
  const p = node.attrs.p ?? 0;
  const threshold = dropoutThreshold(p);
  const scale = dropoutScale(p);
  const shape = graph.nodes[xId].shape;
  const k = new Kernel(w, graph.dtype);
  if (threshold > 0xffffffff) {
    // p = 1: every element is dropped.
    k.finish(name, [w.memoryFill(k.i32(outOffset), k.i32(0), k.byteCount(shape))]);
    return;
  }
  const u32 = (value: number) => k.i32(value | 0);
  const I = w.i32;
  const I4 = w.i32x4;
  const index = k.local("i32");
  const key = k.local("i32");
  const h = k.local("i32");
  const vh = k.local("v128");
  /** Murmur3's finalizer on local `v`: i32 (lanes 1) or i32x4 (lanes 4), as statements. */
  const mix = (v: number, lanes: Lanes): Expr[] => {
    const xorShift = (shift: number) =>
      k.set(
        v,
        lanes === 4
          ? w.v128.xor(k.get(v), I4.shr_u(k.get(v), k.i32(shift)))
          : I.xor(k.get(v), I.shr_u(k.get(v), k.i32(shift))),
      );
    const times = (c: number) =>
      k.set(v, lanes === 4 ? I4.mul(k.get(v), I4.splat(u32(c))) : I.mul(k.get(v), u32(c)));
    return [
      xorShift(16),
      times(MIX_CONSTANTS.m1),
      xorShift(13),
      times(MIX_CONSTANTS.m2),
      xorShift(16),
    ];
  };
  const word = (at: number) => I.load(0, 4, k.i32(rngOffset + at));
  const code: Expr[] = [
    // key = mix(mix(mix(seed ⊕ golden) ⊕ stream·c₁) ⊕ step·c₂), once per call
    k.set(key, I.xor(word(0), u32(DROPOUT_HASH.golden))),
    ...mix(key, 1),
    k.set(key, I.xor(k.get(key), u32(Math.imul(node.attrs.stream ?? 0, DROPOUT_HASH.stream)))),
    ...mix(key, 1),
    k.set(key, I.xor(k.get(key), I.mul(word(4), u32(DROPOUT_HASH.step)))),
    ...mix(key, 1),
  ];
  // Per element: bits = mix(key + index·golden); out = bits ≥ threshold ? x·s : 0.
  // Lanes 4: the lane offsets 0..3 added to the index; the mask ANDed onto x·s.
  const laneOffsets = () => w.v128.const([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
  code.push(...k.lanes(index, k.count(shape), (lanes) => {
    const scaled = () =>
      k.math(lanes).mul(
        k.loadLanes(lanes, xOffset, k.get(index)),
        k.splat(lanes, k.F.const(scale)),
      );
    if (lanes === 4) {
      return [
        k.set(
          vh,
          I4.add(
            I4.splat(k.get(key)),
            I4.mul(
              I4.add(I4.splat(k.get(index)), laneOffsets()),
              I4.splat(u32(DROPOUT_HASH.golden)),
            ),
          ),
        ),
        ...mix(vh, 4),
        k.storeLanes(
          4,
          outOffset,
          k.get(index),
          w.v128.and(scaled(), I4.ge_u(k.get(vh), I4.splat(u32(threshold)))),
        ),
      ];
    }
    return [
      k.set(h, I.add(k.get(key), I.mul(k.get(index), u32(DROPOUT_HASH.golden)))),
      ...mix(h, 1),
      k.store(
        outOffset,
        k.get(index),
        w.select(I.ge_u(k.get(h), u32(threshold)), scaled(), k.F.const(0)),
      ),
    ];
  }));
  k.finish(name, code);
}
