/**
 * Reading an optimizer's options: each option's type, default and allowed
 * range, declared once per optimizer as data; unknown names, wrong types and
 * out-of-range values fail with a message naming the optimizer, the option,
 * what was expected and what was given.
 *
 * @module
 */

import { CompileError } from "../errors.ts";
import { closestName, describeValue } from "../options.ts";
import type { BaseConfig, ClipOptions, Fail } from "./def.ts";

/** An interval; closed at both ends unless `lowOpen`/`highOpen`. */
export interface Range {
  /** Lower bound. */
  readonly low: number;
  /** Upper bound (Infinity: none, and the value must still be finite). */
  readonly high: number;
  /** Whether `low` itself is excluded. */
  readonly lowOpen?: boolean;
  /** Whether `high` itself is excluded. */
  readonly highOpen?: boolean;
}

/** How one option is read. */
export type OptionSpec =
  | { readonly type: "number"; readonly default: number; readonly range: Range }
  | { readonly type: "boolean"; readonly default: boolean }
  | { readonly type: "pair"; readonly default: readonly [number, number]; readonly range: Range };

/** The specs of every option of a configuration `C` (its kind and clipping excepted). */
export type OptionSpecs<C> = {
  readonly [K in Exclude<keyof C, "kind" | keyof ClipOptions>]-?: C[K] extends number
    ? Extract<OptionSpec, { type: "number" }>
    : C[K] extends boolean ? Extract<OptionSpec, { type: "boolean" }>
    : Extract<OptionSpec, { type: "pair" }>;
};

/** [0, ∞): PyTorch's rule for learning rates, weight decay, ε and the like. */
export const NON_NEGATIVE: Range = { low: 0, high: Infinity };
/** [0, 1): decay rates such as β and momentum. */
export const UNIT_OPEN: Range = { low: 0, high: 1, highOpen: true };
/** [0, 1]. */
export const UNIT: Range = { low: 0, high: 1 };

function describe(range: Range): string {
  return `${range.lowOpen ? "(" : "["}${range.low}, ${range.high === Infinity ? "∞" : range.high}${
    range.highOpen || range.high === Infinity ? ")" : "]"
  }`;
}

function inRange(value: number, range: Range): boolean {
  return Number.isFinite(value) &&
    (range.lowOpen ? value > range.low : value >= range.low) &&
    (range.highOpen ? value < range.high : value <= range.high);
}

function show(value: unknown): string {
  return Array.isArray(value) && value.length <= 4
    ? `[${value.map(show).join(", ")}]`
    : describeValue(value);
}

const CLIP_SPECS: Readonly<Record<keyof ClipOptions, Range>> = {
  clipNorm: { low: 0, high: Infinity, lowOpen: true },
  clipValue: { low: 0, high: Infinity, lowOpen: true },
};

/**
 * Reads `options` by `specs` (plus the clipping options every optimizer
 * has): the configuration of optimizer `kind` with defaults filled in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NON_NEGATIVE, readOptions } from "./options.ts";
 * const fail = (m: string): never => { throw new Error(m); };
 * const specs = { lr: { type: "number", default: 0.1, range: NON_NEGATIVE } } as const;
 * assert.deepEqual(readOptions("demo", { lr: 0.5 }, specs, fail), { kind: "demo", lr: 0.5 });
 * assert.throws(() => readOptions("demo", { lr: -1 }, specs, fail), /demo: lr must be a number in \[0, ∞\), got -1/);
 * assert.throws(() => readOptions("demo", { rate: 1 }, specs, fail), /unknown option "rate"/);
 * ```
 */
export function readOptions<C extends BaseConfig>(
  kind: C["kind"],
  options: Readonly<Record<string, unknown>>,
  specs: OptionSpecs<C>,
  fail: Fail,
): C {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    fail(`${kind}: options must be an object, got ${describeValue(options)}`);
  }
  const table = specs as Readonly<Record<string, OptionSpec>>;
  const names = [...Object.keys(table), ...Object.keys(CLIP_SPECS)];
  const out: Record<string, unknown> = { kind };
  for (const name of Object.keys(options)) {
    if (name === "kind" && options.kind === kind) continue;
    if (!names.includes(name)) {
      const close = closestName(name, names);
      fail(
        `${kind}: unknown option "${name}"${
          close === undefined ? "" : `: did you mean "${close}"?`
        } The ${kind} options are ${names.join(", ")}`,
      );
    }
  }
  for (const [name, spec] of Object.entries(table)) {
    const value = options[name];
    if (value === undefined) {
      out[name] = spec.default;
    } else if (spec.type === "boolean") {
      if (typeof value !== "boolean") {
        fail(`${kind}: ${name} must be true or false, got ${show(value)}`);
      }
      out[name] = value;
    } else if (spec.type === "number") {
      if (typeof value !== "number" || !inRange(value, spec.range)) {
        fail(`${kind}: ${name} must be a number in ${describe(spec.range)}, got ${show(value)}`);
      }
      out[name] = value;
    } else {
      const ok = Array.isArray(value) && value.length === 2 &&
        value.every((v) => typeof v === "number" && inRange(v, spec.range));
      if (!ok) {
        fail(`${kind}: ${name} must be two numbers in ${describe(spec.range)}, got ${show(value)}`);
      }
      out[name] = [value[0], value[1]];
    }
  }
  for (const [name, range] of Object.entries(CLIP_SPECS)) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !inRange(value, range)) {
      fail(`${kind}: ${name} must be a number in ${describe(range)}, got ${show(value)}`);
    }
    out[name] = value;
  }
  if (out.clipNorm !== undefined && out.clipValue !== undefined) {
    fail(
      `${kind}: clipNorm (${out.clipNorm}) and clipValue (${out.clipValue}) cannot both be set; ` +
        `choose one`,
    );
  }
  return Object.freeze(out) as unknown as C;
}

/**
 * Raises a `CompileError`: what the optimizer constructors throw.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CompileError } from "../errors.ts";
 * import { compileFail } from "./options.ts";
 * assert.throws(() => compileFail("bad"), CompileError);
 * ```
 */
export function compileFail(message: string): never {
  throw new CompileError(message);
}
