/**
 * What an entry of the optimizer table is: its configuration (defaults and
 * validation), its state slots, its per-step scalars and its update, written
 * against `UpdateEmitter` — a small interface the compiler implements over
 * its graph builder (as it implements `VjpEmitter` for the op table), so the
 * update becomes graph nodes while this file stays free of the compiler.
 *
 * @module
 */

/**
 * Builds the nodes of an optimizer update. `V` is the compiler's handle of a
 * node; every operation broadcasts a scalar against a tensor.
 */
export interface UpdateEmitter<V> {
  /** A constant. */
  constant(value: number): V;
  /** The per-step scalar `name` of the entry (see `OptimizerDef.scalars`), written by the runtime. */
  scalar(name: string): V;
  /** a + b */
  add(a: V, b: V): V;
  /** a − b */
  sub(a: V, b: V): V;
  /** a · b */
  mul(a: V, b: V): V;
  /** a / b */
  div(a: V, b: V): V;
  /** √a */
  sqrt(a: V): V;
  /** 1 where a ≥ b, else 0. */
  greaterEqual(a: V, b: V): V;
  /** 1 where a > 0, else 0. */
  positive(a: V): V;
  /** The sum of every element of `a`, a scalar. */
  sumAll(a: V): V;
}

/**
 * `a` where `pick` is 1 and `b` where it is 0: `a·pick + b·(1 − pick)`,
 * exact for finite values (one product is exactly 0, the other exactly the
 * operand).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberEmitter } from "./number_emitter.ts";
 * import { select } from "./def.ts";
 * assert.equal(select(numberEmitter(), 1, 0.1, 0.3), 0.1);
 * ```
 */
export function select<V>(e: UpdateEmitter<V>, pick: V, a: V, b: V): V {
  return e.add(e.mul(a, pick), e.mul(b, e.sub(e.constant(1), pick)));
}

/**
 * The larger of `a` and `b`, elementwise (exact for finite values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberEmitter } from "./number_emitter.ts";
 * import { maximum } from "./def.ts";
 * assert.equal(maximum(numberEmitter(), 0.1, 0.3), 0.3);
 * ```
 */
export function maximum<V>(e: UpdateEmitter<V>, a: V, b: V): V {
  return select(e, e.greaterEqual(a, b), a, b);
}

/**
 * The smaller of `a` and `b`, elementwise (exact for finite values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberEmitter } from "./number_emitter.ts";
 * import { minimum } from "./def.ts";
 * assert.equal(minimum(numberEmitter(), 0.1, 0.3), 0.1);
 * ```
 */
export function minimum<V>(e: UpdateEmitter<V>, a: V, b: V): V {
  return select(e, e.greaterEqual(a, b), b, a);
}

/**
 * The sign of `a`: 1, 0 or −1 (0 at 0, as `torch.sign`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberEmitter } from "./number_emitter.ts";
 * import { sign } from "./def.ts";
 * assert.deepEqual([-2, 0, 3].map((x) => sign(numberEmitter(), x)), [-1, 0, 1]);
 * ```
 */
export function sign<V>(e: UpdateEmitter<V>, a: V): V {
  return e.sub(e.positive(a), e.positive(e.sub(e.constant(0), a)));
}

/** One state tensor an optimizer keeps per parameter (same shape as the parameter). */
export interface StateSlot {
  /** PyTorch's name for it (`exp_avg`, `momentum_buffer`, …). */
  readonly name: string;
  /** Its value before the first step (0 for all but Adagrad's `sum`). */
  readonly initial: number;
}

/** What an update reads for one parameter. */
export interface UpdateInputs<V> {
  /** The parameter θ. */
  readonly param: V;
  /** Its gradient g (already clipped, when clipping is on). */
  readonly grad: V;
  /** Its state tensors, by slot name. */
  readonly state: Readonly<Record<string, V>>;
}

/** What an update produces for one parameter. */
export interface UpdateResult<V> {
  /** The new parameter. */
  readonly param: V;
  /** The new value of every state slot, by slot name. */
  readonly state: Readonly<Record<string, V>>;
}

/** Throws the caller's error type (a `CompileError` from a constructor, an `InputError` from a saved file). */
export type Fail = (message: string) => never;

/** Options every optimizer takes: gradient clipping, applied before the update. */
export interface ClipOptions {
  /**
   * Clip by global norm, as `torch.nn.utils.clip_grad_norm_(params, clipNorm)`:
   * every gradient is scaled by min(1, clipNorm / (‖g‖ + 1e-6)), where ‖g‖ is
   * the 2-norm of all gradients together. Positive; absent: no clipping.
   */
  readonly clipNorm?: number;
  /**
   * Clip by value, as `torch.nn.utils.clip_grad_value_(params, clipValue)`:
   * each gradient element is clamped to [−clipValue, clipValue]. Positive;
   * absent: no clipping.
   */
  readonly clipValue?: number;
}

/** What every optimizer configuration has. */
export interface BaseConfig extends ClipOptions {
  /** Which optimizer: the key of its entry in the table. */
  readonly kind: string;
  /** The initial learning rate γ (the runtime's `learningRate` starts here). */
  readonly lr: number;
}

/**
 * One entry of the optimizer table, for configurations of type `C`.
 * Every member is required: an entry without its update rule (or any other
 * part) does not type-check.
 */
export interface OptimizerDef<C extends BaseConfig> {
  /**
   * Checks user options (unknown names, types, ranges, combinations) and
   * fills in PyTorch's defaults. `fail` raises the caller's error type.
   */
  configure(options: Readonly<Record<string, unknown>>, fail: Fail): C;
  /** The state slots each parameter has under `config`, in order. */
  state(config: C): readonly StateSlot[];
  /** The names of the per-step scalars the update reads under `config`, in order. */
  scalars(config: C): readonly string[];
  /**
   * Writes the per-step scalars of step `t` (1-based) at learning rate `lr`
   * into `out`, in the order of `scalars(config)`. Allocates nothing: the
   * runtime calls it before every step.
   */
  scalarValues(config: C, t: number, lr: number, out: Float64Array): void;
  /** The update of one parameter, as nodes built through `e`. */
  update<V>(e: UpdateEmitter<V>, config: C, inputs: UpdateInputs<V>): UpdateResult<V>;
}
