/**
 * Checks and normalizes the data a user hands to a trainer: inputs as flat
 * arrays, rows, or `{ data, shape }`; labels as class indices or float
 * targets. Every problem raises an `InputError` naming the row, the column,
 * the value and what was expected — never a wasm trap.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";

/**
 * Input samples: flat row-major values (a typed array or an array of numbers;
 * a single sample is a 1-D array of the model's input features), one array
 * per row, or data with a shape.
 */
export type Samples =
  | Float32Array
  | Float64Array
  | readonly number[]
  | readonly (ArrayLike<number>)[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly number[] };

/** Labels: class indices (one per sample) or float targets (flat or per row). */
export type Labels =
  | Int32Array
  | Uint8Array
  | Float32Array
  | Float64Array
  | readonly number[]
  | readonly (ArrayLike<number>)[];

/** Labels after checking: flat, one value per class label or per target. */
export type LabelArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** What the data must look like. */
export interface DataSpec {
  /** Features per sample. */
  readonly features: number;
  /** The layer that reads them, for messages. */
  readonly layer: string;
  /** Label form. */
  readonly labels: "classes" | "values";
  /** Classes (for class labels) or targets per sample (for float targets). */
  readonly width: number;
  /** Element type of the compiled model: with f32, values beyond ±3.4e38 are rejected too. */
  readonly dtype: "f32" | "f64";
  /** Allowed range of float targets, when the loss has one (e.g. [0, 1] for binary cross-entropy). */
  readonly targetRange?: readonly [number, number];
  /** How messages name the data (default `x`; e.g. `input "numeric"` for a named input). */
  readonly name?: string;
}

/**
 * Whether a value is finite once stored at the model's precision (1e39 is a
 * finite f64 but an infinite f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { representable } from "./data.ts";
 * assert.ok(representable(1e38, "f32") && !representable(1e39, "f32") && representable(1e39, "f64"));
 * ```
 */
export function representable(value: number, dtype: "f32" | "f64"): boolean {
  return Number.isFinite(dtype === "f32" ? Math.fround(value) : value);
}

/** A value of x that must be a number: strings (even numeric ones) are rejected, not converted. */
function numberAt(value: unknown, row: number, column: number, name = "x"): number {
  if (typeof value === "number") return value;
  const what = typeof value === "string"
    ? `the string "${value}"${
      value.trim() !== "" && Number.isFinite(Number(value)) ? " (a numeric string)" : ""
    }`
    : `${value === null ? "null" : typeof value}`;
  throw new InputError(
    `${name} must hold numbers, but has ${what} at row ${row}, column ${column}: ` +
      `convert the data first (readCsv in the data entry point parses numbers strictly)`,
  );
}

function describeBad(value: number, dtype: "f32" | "f64"): string {
  return Number.isFinite(value)
    ? `value ${value} (beyond the range of ${dtype})`
    : `non-finite value ${value}`;
}

/**
 * Flattens samples into `rows × features` values (a typed array given by the
 * user is used as it is, not copied), checking the feature count and that
 * every value is finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toSamples } from "./data.ts";
 * const spec = { features: 2, layer: "dense(2 → 1)", labels: "values" as const, width: 1, dtype: "f32" as const };
 * assert.ok(toSamples([[1, 2], [3, 4]], spec).rows === 2);
 * ```
 */
export function toSamples(
  x: Samples,
  spec: DataSpec,
): { data: Float32Array | Float64Array; rows: number } {
  const { features, layer } = spec;
  const xName = spec.name ?? "x";
  let flat: ArrayLike<number>;
  if (x instanceof Float32Array || x instanceof Float64Array) {
    if (x.length % features !== 0) {
      throw new InputError(
        `${layer} expects ${features} input features per sample, but ${xName} has ${x.length} values, ` +
          `not a multiple of ${features}`,
      );
    }
    flat = x;
  } else if (Array.isArray(x) && x.length > 0 && typeof x[0] !== "object") {
    // Numbers (or mistaken strings), flat and row-major: one sample when it has `features` values.
    if (x.length % features !== 0) {
      throw new InputError(
        `${layer} expects ${features} input features per sample, but ${xName} is a flat array of ` +
          `${x.length} values, not a multiple of ${features} (a 1-D array is one sample, or ` +
          `several samples' values one after another)`,
      );
    }
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      out[i] = numberAt(x[i], Math.floor(i / features), i % features, xName);
    }
    flat = out;
  } else if (Array.isArray(x)) {
    const rows = x as readonly ArrayLike<number>[];
    const out = new Float64Array(rows.length * features);
    rows.forEach((row, r) => {
      if (row?.length !== features) {
        throw new InputError(
          `${layer} expects ${features} input features per sample; row ${r} of ${xName} has ${row?.length}`,
        );
      }
      const typed = row instanceof Float32Array || row instanceof Float64Array;
      for (let c = 0; c < features; c++) {
        out[r * features + c] = typed ? row[c] : numberAt(row[c], r, c, xName);
      }
    });
    flat = out;
  } else if (typeof x === "object" && x !== null && "shape" in x && "data" in x) {
    const shape = (x as { shape: readonly number[] }).shape;
    const data = (x as { data: ArrayLike<number> }).data;
    if (shape.length !== 2 || shape[1] !== features) {
      throw new InputError(
        `${layer} expects ${features} input features per sample, got ${xName} of shape [${shape}]`,
      );
    }
    if (!Number.isInteger(shape[0]) || shape[0] < 0) {
      throw new InputError(
        `${xName} has shape [${shape}]: the number of rows must be a non-negative integer`,
      );
    }
    if (data.length !== shape[0] * shape[1]) {
      throw new InputError(`${xName} has shape [${shape}] but ${data.length} values`);
    }
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      for (let i = 0; i < data.length; i++) {
        numberAt(data[i], Math.floor(i / features), i % features, xName);
      }
    }
    flat = data;
  } else {
    throw new InputError(
      `${xName} must be a Float32Array, an array of rows or { data, shape }, got ${typeof x}`,
    );
  }
  // Typed arrays are used in place (no copy); anything else is copied once.
  const data = flat instanceof Float64Array || flat instanceof Float32Array
    ? flat
    : Float64Array.from(flat);
  // A Float32Array holds only f32 values; anything else must also fit the model's precision.
  const dtype = data instanceof Float32Array ? "f64" : spec.dtype;
  for (let i = 0; i < data.length; i++) {
    if (!representable(data[i], dtype)) {
      throw new InputError(
        `${xName} has a ${describeBad(data[i], spec.dtype)} at row ${
          Math.floor(i / features)
        }, column ${i % features}`,
      );
    }
  }
  return { data, rows: data.length / features };
}

/**
 * Rejects strings among labels with a message that says what to do: class
 * names (`"class_0"`) must be mapped to ids, numeric strings converted.
 */
function checkLabelTypes(y: readonly unknown[], spec: DataSpec): void {
  const found = (value: unknown, at: string): never => {
    const numeric = typeof value === "string" && value.trim() !== "" &&
      Number.isFinite(Number(value));
    if (typeof value === "string" && !numeric) {
      throw new InputError(
        `y has the string "${value}" at ${at}: labels must be numbers` +
          (spec.labels === "classes" ? `, integer class ids 0..${spec.width - 1}` : "") +
          `. To use class names, map them to ids first: readCsv (data entry point) does so and ` +
          `keeps the mapping in its "classes" field, and encodeLabels maps an array of names`,
      );
    }
    throw new InputError(
      `y has ${
        typeof value === "string" ? `the numeric string "${value}"` : String(value)
      } at ${at}: labels must be numbers, not strings; convert them first`,
    );
  };
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v === "number") continue;
    if (v !== null && typeof v === "object" && "length" in v) {
      const row = v as ArrayLike<unknown>;
      if (row instanceof Float32Array || row instanceof Float64Array) continue;
      for (let c = 0; c < row.length; c++) {
        if (typeof row[c] !== "number") found(row[c], `row ${i}, column ${c}`);
      }
      continue;
    }
    found(v, `index ${i}`);
  }
}

/**
 * Flattens labels (typed arrays are used in place), checking their count against the
 * samples', class indices against the class count, and finiteness.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toLabels } from "./data.ts";
 * const spec = { features: 2, layer: "dense(2 → 3)", labels: "classes" as const, width: 3, dtype: "f32" as const };
 * assert.ok(toLabels([0, 2, 1], 3, spec).length === 3);
 * ```
 */
export function toLabels(y: Labels, rows: number, spec: DataSpec): LabelArray {
  const perRow = spec.labels === "classes" ? 1 : spec.width;
  let flat: LabelArray;
  if (Array.isArray(y)) checkLabelTypes(y, spec);
  if (Array.isArray(y) && y.length > 0 && typeof y[0] !== "number") {
    const list = y as readonly ArrayLike<number>[];
    flat = new Float64Array(list.length * perRow);
    list.forEach((row, r) => {
      if (row?.length !== perRow) {
        throw new InputError(
          `Each label row must have ${perRow} value(s); row ${r} has ${row?.length}`,
        );
      }
      for (let c = 0; c < perRow; c++) flat[r * perRow + c] = row[c];
    });
  } else if (
    y instanceof Float32Array || y instanceof Float64Array || y instanceof Int32Array ||
    y instanceof Uint8Array
  ) {
    flat = y; // used in place, not copied
  } else {
    flat = Float64Array.from(y as ArrayLike<number>);
  }
  const count = flat.length / perRow;
  if (flat.length % perRow !== 0 || count !== rows) {
    throw new InputError(
      `The number of labels (${
        spec.labels === "classes"
          ? flat.length
          : `${flat.length} values = ${count} rows of ${perRow}`
      }) ` +
        `differs from the number of samples in the batch (${rows})`,
    );
  }
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!representable(v, spec.dtype)) {
      throw new InputError(`y has a ${describeBad(v, spec.dtype)} at index ${i}`);
    }
    const range = spec.targetRange;
    if (range !== undefined && spec.labels === "values" && (v < range[0] || v > range[1])) {
      throw new InputError(
        `Target ${v} at index ${i} is out of range: targets must be in [${range[0]}, ${range[1]}]`,
      );
    }
    if (spec.labels === "classes" && !Number.isInteger(v)) {
      throw new InputError(
        `Label ${v} at index ${i} is not an integer: class labels must be integer class ids ` +
          `0..${spec.width - 1}`,
      );
    }
    if (spec.labels === "classes" && (v < 0 || v >= spec.width)) {
      throw new InputError(
        `Label ${v} at index ${i} is out of range: class labels must be integers 0..${
          spec.width - 1
        }`,
      );
    }
  }
  return flat;
}
