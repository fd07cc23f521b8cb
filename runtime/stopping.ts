/**
 * The stopping criteria of `fit` besides its maximum number of epochs:
 * early stopping (Keras's `EarlyStopping`: stop when the monitored value has
 * improved by less than `minDelta` for `patience` epochs) and a target value
 * to stop at. Both are plain state machines fed one value per epoch.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { checkNumber, checkOptionNames, describeValue } from "../core/options.ts";

/** Options of `fit`'s `earlyStopping`. */
export interface EarlyStoppingOptions {
  /** History key to watch (default `"valLoss"` with validation data, else `"loss"`). */
  readonly monitor?: string;
  /** Least change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** Epochs without improvement after which training stops (default 0, which acts as 1, as in Keras). */
  readonly patience?: number;
  /** `"min"`, `"max"`, or `"auto"` (default: max for accuracy-like keys, min otherwise). */
  readonly mode?: "min" | "max" | "auto";
  /** At the end of fit, put back the parameters of the best epoch (default false). */
  readonly restoreBest?: boolean;
}

/** Options of `fit`'s `target`: stop as soon as the monitored value reaches `value`. */
export interface TargetOptions {
  /** History key to watch (default `"valLoss"` with validation data, else `"loss"`). */
  readonly monitor?: string;
  /** The value to reach: `≤ value` in mode min, `≥ value` in mode max. */
  readonly value: number;
  /** `"min"`, `"max"` or `"auto"` (default, as for early stopping). */
  readonly mode?: "min" | "max" | "auto";
}

const HIGHER_IS_BETTER = /accuracy|auc|f1|precision|recall|r2|sensitivity|specificity/i;

/**
 * The direction of a monitored key: `"max"` for accuracy, AUC, F1, precision,
 * recall, R², sensitivity and specificity (and their `val…` forms), `"min"`
 * otherwise (losses and errors).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { autoMode } from "./stopping.ts";
 * assert.equal(autoMode("valAccuracy"), "max");
 * assert.equal(autoMode("valLoss"), "min");
 * ```
 */
export function autoMode(monitor: string): "min" | "max" {
  return HIGHER_IS_BETTER.test(monitor) ? "max" : "min";
}

function modeOf(what: string, mode: unknown, monitor: string): "min" | "max" {
  if (mode === undefined || mode === "auto") return autoMode(monitor);
  if (mode !== "min" && mode !== "max") {
    throw new InputError(
      `${what} option mode must be "min", "max" or "auto", got ${describeValue(mode)}`,
    );
  }
  return mode;
}

function monitorOf(what: string, monitor: unknown, fallback: string): string {
  if (monitor === undefined) return fallback;
  if (typeof monitor !== "string") {
    throw new InputError(
      `${what} option monitor must be a history key such as "valLoss", got ${
        describeValue(monitor)
      }`,
    );
  }
  return monitor;
}

/**
 * Early stopping as Keras defines it. Each epoch: the value improves when
 * `value − minDelta < best` (mode min; `value + minDelta > best` in mode
 * max; `best` starts at ±∞); an improvement resets the count of waiting
 * epochs, anything else adds one, and training stops once that count reaches
 * `patience` (never after the first epoch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EarlyStopping } from "./stopping.ts";
 * const s = new EarlyStopping({ minDelta: 0.1, patience: 2 }, "valLoss");
 * const stops = [1, 0.5, 0.45, 0.42].map((v) => s.update(v));
 * assert.deepEqual(stops, [false, false, false, true]); // 0.45 and 0.42 improve by < 0.1
 * assert.equal(s.bestEpoch, 2);
 * ```
 */
export class EarlyStopping {
  /** The history key watched. */
  readonly monitor: string;
  /** Direction. */
  readonly mode: "min" | "max";
  /** Least improvement. */
  readonly minDelta: number;
  /** Epochs to wait. */
  readonly patience: number;
  /** Whether to restore the best epoch's parameters. */
  readonly restoreBest: boolean;
  /** The best value so far. */
  best: number;
  /** The epoch (from 1) of the best value; 0 before any. */
  bestEpoch = 0;
  #wait = 0;
  #epochs = 0;

  /** Checks the options; `fallback` is the monitor used when none is given. */
  constructor(options: EarlyStoppingOptions, fallback: string) {
    checkOptionNames(
      "earlyStopping",
      options,
      ["monitor", "minDelta", "patience", "mode", "restoreBest"],
      InputError,
    );
    this.monitor = monitorOf("earlyStopping", options.monitor, fallback);
    this.mode = modeOf("earlyStopping", options.mode, this.monitor);
    this.minDelta = Math.abs(
      checkNumber("earlyStopping", "minDelta", options.minDelta ?? 0, {}, InputError),
    );
    this.patience = checkNumber(
      "earlyStopping",
      "patience",
      options.patience ?? 0,
      { integer: true, min: 0 },
      InputError,
    );
    const restore = options.restoreBest ?? false;
    if (typeof restore !== "boolean") {
      throw new InputError(
        `earlyStopping option restoreBest must be a boolean, got ${describeValue(restore)}`,
      );
    }
    this.restoreBest = restore;
    this.best = this.mode === "min" ? Infinity : -Infinity;
  }

  /** Whether `value` improves on the best value by more than `minDelta`. */
  improves(value: number): boolean {
    return this.mode === "min"
      ? value + this.minDelta < this.best
      : value - this.minDelta > this.best;
  }

  /** Feeds one epoch's value; returns whether training should stop now. */
  update(value: number): boolean {
    this.#epochs++;
    this.#wait++;
    if (this.improves(value)) {
      this.best = value;
      this.bestEpoch = this.#epochs;
      this.#wait = 0;
      return false;
    }
    return this.#wait >= this.patience && this.#epochs > 1;
  }
}

/**
 * Stop once a monitored value reaches a target.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Target } from "./stopping.ts";
 * const t = new Target({ monitor: "valAccuracy", value: 0.95 }, "valLoss");
 * assert.deepEqual([0.9, 0.95].map((v) => t.reached(v)), [false, true]);
 * ```
 */
export class Target {
  /** The history key watched. */
  readonly monitor: string;
  /** Direction. */
  readonly mode: "min" | "max";
  /** The value to reach. */
  readonly value: number;

  /** Checks the options; `fallback` is the monitor used when none is given. */
  constructor(options: TargetOptions, fallback: string) {
    checkOptionNames("target", options, ["monitor", "value", "mode"], InputError);
    this.monitor = monitorOf("target", options?.monitor, fallback);
    this.mode = modeOf("target", options.mode, this.monitor);
    this.value = checkNumber("target", "value", options.value, {}, InputError);
  }

  /** Whether `value` has reached the target. */
  reached(value: number): boolean {
    return this.mode === "min" ? value <= this.value : value >= this.value;
  }
}
