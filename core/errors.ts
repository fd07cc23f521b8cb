/**
 * Typed errors raised by mlpc. Every message names what was wrong and with
 * which values (op or layer, shapes, counts), so a user never sees a wasm trap
 * or an `undefined` from deep inside.
 *
 * @module
 */

/**
 * Base class of every error mlpc raises on purpose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MlpcError } from "./errors.ts";
 * const e = new MlpcError("something was off");
 * assert.ok(e instanceof Error && e.name === "MlpcError");
 * ```
 */
export class MlpcError extends Error {
  /** Creates the error with a message that names the values involved. */
  constructor(message: string) {
    super(message);
    this.name = "MlpcError";
  }
}

/**
 * A tensor expression was built with shapes that do not fit the op or layer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ShapeError } from "./errors.ts";
 * const e = new ShapeError("Cannot matmul f32[32,16] by f32[8,4]: inner dimensions 16 and 8 differ");
 * assert.ok(e.name === "ShapeError");
 * ```
 */
export class ShapeError extends MlpcError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

/**
 * Data handed to a trainer (inputs, labels, parameters) does not fit the
 * compiled model: wrong length, label out of range, non-finite value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError } from "./errors.ts";
 * const e = new InputError("label 12 at row 3 is out of range 0..9");
 * assert.ok(e.name === "InputError");
 * ```
 */
export class InputError extends MlpcError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * A model, loss or option given to `compile` (or a graph given to a pass)
 * cannot be compiled as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CompileError } from "./errors.ts";
 * const e = new CompileError("batchSize must be a positive integer, got 0");
 * assert.ok(e.name === "CompileError");
 * ```
 */
export class CompileError extends MlpcError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "CompileError";
  }
}

/**
 * Training produced a non-finite loss (NaN or ±Infinity): the step that did so
 * is named so the user can lower the learning rate or inspect the data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DivergenceError } from "./errors.ts";
 * const e = new DivergenceError("loss became NaN at epoch 2, step 17");
 * assert.ok(e.name === "DivergenceError");
 * ```
 */
export class DivergenceError extends MlpcError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DivergenceError";
  }
}
