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
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
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

/** The epochs `fit` completed before a divergence: its `History` so far. */
export interface DivergenceHistory {
  /** Mean training loss of each completed epoch. */
  readonly loss: readonly number[];
  /** Seconds of each completed epoch. */
  readonly seconds: readonly number[];
}

/** What a `DivergenceError` carries besides its message. */
export interface DivergenceDetails {
  /** The training step whose result was not finite (the trainer's step count, from 1). */
  readonly step: number;
  /** What was not finite, e.g. `the loss (NaN)` or `parameter "0.weight" (Infinity at element 3)`. */
  readonly reason: string;
  /**
   * The step count of the last good state the trainer was restored to; absent
   * when nothing was restored (a refused save).
   */
  readonly restoredStep?: number;
  /** The epochs `fit` completed before it diverged (absent outside `fit`). */
  readonly history?: DivergenceHistory;
}

/**
 * Training produced a non-finite value (NaN or ±Infinity): in the loss, or in
 * a parameter or optimizer-state value a step wrote. The trainer has already
 * been restored to its last good state (parameters and optimizer state), so
 * it stays fully usable; the message says which step diverged, what it
 * restored, and how to continue. `save` raises it too for a state that is not
 * finite, instead of writing a file that could not be loaded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DivergenceError } from "./errors.ts";
 * const e = new DivergenceError("loss became NaN at step 17", {
 *   step: 17,
 *   reason: "the loss (NaN)",
 *   restoredStep: 16,
 *   history: { loss: [0.5], seconds: [0.1] },
 * });
 * assert.ok(e.name === "DivergenceError" && e.restoredStep === 16 && e.history?.loss[0] === 0.5);
 * ```
 */
export class DivergenceError extends MlpcError {
  /** The training step whose result was not finite. */
  readonly step: number;
  /** What was not finite. */
  readonly reason: string;
  /** The step count of the state the trainer was restored to, if it was. */
  readonly restoredStep: number | undefined;
  /** The epochs `fit` completed before it diverged (undefined outside `fit`). */
  readonly history: DivergenceHistory | undefined;

  /** Creates the error. */
  constructor(message: string, details: DivergenceDetails) {
    super(message);
    this.name = "DivergenceError";
    this.step = details.step;
    this.reason = details.reason;
    this.restoredStep = details.restoredStep;
    this.history = details.history;
  }
}

/**
 * An artifact or a saved model whose parts do not agree (metadata, the
 * WebAssembly module's imports, exports, memory and layout record, the
 * buffers) or that is damaged: the message names the rule and the values.
 * Nothing of it was run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArtifactError, InputError } from "./errors.ts";
 * const e = new ArtifactError('maxBatch is 64 in the metadata, but the module was built for 8');
 * assert.ok(e instanceof InputError && e.name === "ArtifactError");
 * ```
 */
export class ArtifactError extends InputError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ArtifactError";
  }
}

/**
 * A file could not be read or written: names the path, what was attempted
 * and the cause (the file system's error name, e.g. `PermissionDenied` or
 * `NotFound`), which is also the error's `cause`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileError } from "./errors.ts";
 * const e = new FileError("write", "/root/model.json", new Error("Permission denied"));
 * assert.match(e.message, /Cannot write "\/root\/model.json": Error \(Permission denied\)/);
 * assert.equal(e.path, "/root/model.json");
 * ```
 */
export class FileError extends MlpcError {
  /** The file's path. */
  readonly path: string;
  /** What was attempted: `"read"` or `"write"`. */
  readonly operation: "read" | "write";

  /** Creates the error from the file system's. */
  constructor(operation: "read" | "write", path: string, cause: unknown) {
    const name = cause instanceof Error ? cause.name : "Error";
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot ${operation} "${path}": ${name} (${detail})`, { cause });
    this.name = "FileError";
    this.path = path;
    this.operation = operation;
  }
}
