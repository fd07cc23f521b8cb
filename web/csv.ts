/**
 * The run's metrics as CSV, one line per epoch (the page's "Download
 * metrics" button; `web/speed.ts` reads the seconds of each epoch from it).
 *
 * @module
 */

import type { EpochRecord } from "./session.ts";

/** The columns, in order. */
export const CSV_COLUMNS = [
  "epoch",
  "loss",
  "testLoss",
  "trainAccuracy",
  "testAccuracy",
  "seconds",
  "samplesPerSecond",
] as const;

/**
 * Writes epoch records as CSV (full precision; an empty cell where a metric
 * does not apply, e.g. accuracy for a regression).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordsToCsv } from "./csv.ts";
 * const csv = recordsToCsv([
 *   { epoch: 1, loss: 0.5, testLoss: 0.625, seconds: 0.25, samplesPerSecond: 400 },
 * ]);
 * assert.equal(csv, "epoch,loss,testLoss,trainAccuracy,testAccuracy,seconds,samplesPerSecond\n" +
 *   "1,0.5,0.625,,,0.25,400\n");
 * ```
 */
export function recordsToCsv(records: readonly EpochRecord[]): string {
  const lines = records.map((r) => CSV_COLUMNS.map((c) => r[c] ?? "").join(","));
  return [CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}

/** Reads `recordsToCsv`'s output back. */
export function csvToRecords(text: string): EpochRecord[] {
  const [header, ...lines] = text.trim().split("\n");
  if (header !== CSV_COLUMNS.join(",")) throw new Error(`Not a metrics CSV: "${header}"`);
  return lines.map((line) => {
    const cells = line.split(",");
    const value = (c: (typeof CSV_COLUMNS)[number]) => cells[CSV_COLUMNS.indexOf(c)];
    const optional = (c: "trainAccuracy" | "testAccuracy") =>
      value(c) === "" ? {} : { [c]: Number(value(c)) };
    return {
      epoch: Number(value("epoch")),
      loss: Number(value("loss")),
      testLoss: Number(value("testLoss")),
      ...optional("trainAccuracy"),
      ...optional("testAccuracy"),
      seconds: Number(value("seconds")),
      samplesPerSecond: Number(value("samplesPerSecond")),
    };
  });
}
