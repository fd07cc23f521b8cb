/**
 * Reading a CSV file into features and labels. Parsing (quotes, escaped
 * quotes, CRLF/LF/CR line ends, a byte-order mark, consistent column counts)
 * is done by `npm:csv-parse`, the parser of the node-csv project: CSV has
 * enough corner cases (a quoted field holding commas, quotes or line breaks)
 * that a maintained RFC 4180 parser with line-numbered errors beats a small
 * hand-written one. Numbers are then read strictly: a cell that is not a
 * plain decimal number is an error naming its line and column, never a silent
 * NaN. String labels become class ids, and the mapping is kept.
 *
 * @module
 */

import { parse } from "npm:csv-parse@6.2.1/sync";
import { InputError } from "../core/errors.ts";
import { checkOptionNames, describeValue } from "../core/options.ts";
import { encodeLabels } from "./labels.ts";

/** A matrix of samples: row-major values and their shape (what `fit` and `predict` take). */
export interface Matrix {
  /** `rows × columns` values, row after row. */
  readonly data: Float64Array;
  /** `[rows, columns]`. */
  readonly shape: readonly [number, number];
}

/** What `parseCsv` and `readCsv` return. */
export interface CsvData {
  /** The feature columns, as a matrix. */
  readonly x: Matrix;
  /**
   * The labels: class ids (Int32Array) when the label column holds names,
   * numbers (Float64Array) otherwise.
   */
  readonly y: Int32Array | Float64Array;
  /** Names of the feature columns, in order. */
  readonly featureNames: readonly string[];
  /** Name of the label column. */
  readonly labelName: string;
  /** For named classes: `classes[id]` is the name of class `id`. */
  readonly classes?: readonly string[];
}

/** Options of `parseCsv` and `readCsv`. */
export interface CsvOptions {
  /** The label column: its name or index (default: the last column). */
  readonly label?: string | number;
  /** The feature columns, by name or index (default: every other column). */
  readonly features?: readonly (string | number)[];
  /**
   * `"auto"` (default): names become class ids, numbers stay numbers;
   * `"classes"`: every label is a class name, even numeric ones ("1", "2");
   * `"values"`: labels must be numbers.
   */
  readonly labels?: "auto" | "classes" | "values";
  /** Class names in id order (default: the distinct names, sorted). */
  readonly classes?: readonly string[];
  /** Field delimiter (default `","`). */
  readonly delimiter?: string;
}

const OPTIONS = ["label", "features", "labels", "classes", "delimiter"];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function columnIndex(header: readonly string[], column: string | number, what: string): number {
  if (typeof column === "number") {
    if (!Number.isInteger(column) || column < 0 || column >= header.length) {
      throw new InputError(
        `The ${what} column ${column} does not exist: the file has columns 0..${header.length - 1}`,
      );
    }
    return column;
  }
  const i = header.indexOf(column);
  if (i < 0) {
    throw new InputError(
      `The ${what} column "${column}" is not in the header: ${header.join(", ")}`,
    );
  }
  return i;
}

/**
 * Parses CSV text (with a header line) into features and labels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv } from "./csv.ts";
 * const d = parseCsv('width,"height, cm",species\r\n1.5,2,setosa\r\n3,4.5,virginica\r\n');
 * assert.deepEqual([...d.x.data], [1.5, 2, 3, 4.5]);
 * assert.deepEqual([...d.y], [0, 1]);
 * assert.deepEqual(d.classes, ["setosa", "virginica"]);
 * assert.deepEqual(d.featureNames, ["width", "height, cm"]);
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvData {
  checkOptionNames("CSV", options, OPTIONS, InputError);
  if (typeof text !== "string") {
    throw new InputError(`CSV text must be a string, got ${describeValue(text)}`);
  }
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      delimiter: options.delimiter ?? ",",
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as string[][];
  } catch (e) {
    throw new InputError(`The CSV text is malformed: ${(e as Error).message}`);
  }
  if (records.length < 2) {
    throw new InputError("The CSV text needs a header line and at least one row");
  }
  const header = records[0].map((name) => name.trim());
  const labelColumn = columnIndex(header, options.label ?? header.length - 1, "label");
  const featureColumns = options.features === undefined
    ? header.map((_, i) => i).filter((i) => i !== labelColumn)
    : options.features.map((f) => columnIndex(header, f, "feature"));
  if (featureColumns.includes(labelColumn)) {
    throw new InputError(`The label column "${header[labelColumn]}" is also a feature column`);
  }
  const rows = records.length - 1;
  const data = new Float64Array(rows * featureColumns.length);
  for (let r = 0; r < rows; r++) {
    const record = records[r + 1];
    featureColumns.forEach((c, j) => {
      const cell = record[c].trim();
      if (!NUMBER.test(cell)) {
        throw new InputError(
          `Line ${r + 2}, column "${header[c]}": ${
            cell === "" ? "the value is missing" : `"${cell}" is not a number`
          }; feature columns must hold numbers`,
        );
      }
      data[r * featureColumns.length + j] = Number(cell);
    });
  }
  const cells = records.slice(1).map((record) => record[labelColumn].trim());
  const mode = options.labels ?? "auto";
  if (mode !== "auto" && mode !== "classes" && mode !== "values") {
    throw new InputError(
      `CSV option labels must be "auto", "classes" or "values", got ${describeValue(mode)}`,
    );
  }
  const numeric = cells.every((cell) => NUMBER.test(cell));
  const base = {
    x: { data, shape: [rows, featureColumns.length] as const },
    featureNames: featureColumns.map((c) => header[c]),
    labelName: header[labelColumn],
  };
  if (mode === "values" || (mode === "auto" && numeric && options.classes === undefined)) {
    const bad = cells.findIndex((cell) => !NUMBER.test(cell));
    if (bad >= 0) {
      throw new InputError(
        `Line ${bad + 2}, label column "${header[labelColumn]}": "${cells[bad]}" is not a ` +
          `number (read with labels: "classes" to map names to class ids)`,
      );
    }
    return { ...base, y: Float64Array.from(cells, Number) };
  }
  const { ids, classes } = encodeLabels(cells, options.classes);
  return { ...base, y: ids, classes };
}

/**
 * Reads a CSV file (with a header line) into features and labels; see
 * `parseCsv`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCsv } from "./csv.ts";
 * const d = await readCsv(new URL("../examples/data/breast_cancer.csv", import.meta.url));
 * assert.deepEqual(d.x.shape, [569, 30]);
 * assert.equal(d.labelName, "label");
 * ```
 */
export async function readCsv(path: string | URL, options: CsvOptions = {}): Promise<CsvData> {
  return parseCsv(await Deno.readTextFile(path), options);
}
