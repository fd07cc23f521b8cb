/**
 * The live progress bar `fit` shows on a terminal (`verbose: 1`), drawn by
 * `npm:cli-progress` (no hand-written escape codes): one bar per epoch with
 * the batch count, samples per second, the estimated time left, the running
 * training loss and the last validation metric; each finished epoch stays on
 * screen as one line. Nothing is drawn when stdout is not a terminal.
 *
 * This lives outside the runtime, which loads no npm package: `compile` and
 * the `mod.ts` entry's `load`/`deserialize`/`instantiate` give it to the
 * trainers they make.
 *
 * @module
 */

import cliProgress from "npm:cli-progress@3.12.0";
import process from "node:process";
import { formatValue, type ProgressFactory } from "../runtime/progress.ts";

/** The part of cli-progress's `SingleBar` used here (the package ships no types of its own). */
interface SingleBar {
  start(total: number, value: number, payload: Record<string, unknown>): void;
  update(value: number, payload: Record<string, unknown>): void;
  update(payload: Record<string, unknown>): void;
  stop(): void;
}

/** cli-progress's constructor and presets, as used here. */
const library = cliProgress as unknown as {
  SingleBar: new (options: Record<string, unknown>, preset: unknown) => SingleBar;
  Presets: { shades_classic: unknown };
};

const FORMAT = "epoch {epoch}/{epochs} {bar} {value}/{total} batches | {speed} samples/s | " +
  "ETA {eta_formatted} | loss {loss}{shown}";

/**
 * A progress-bar factory for `fit`, writing to stdout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressBar } from "./progress_bar.ts";
 * const reporter = progressBar()();
 * assert.equal(typeof reporter.batch, "function");
 * reporter.close();
 * ```
 */
export function progressBar(): ProgressFactory {
  return () => {
    let bar: SingleBar | null = null;
    let shown = ""; // the last validation metric, shown until the next one
    const finish = () => {
      bar?.stop();
      bar = null;
    };
    return {
      epochStart(epoch, epochs, batches) {
        finish();
        bar = new library.SingleBar({
          format: FORMAT,
          stream: process.stdout,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          etaBuffer: 50,
          fps: 10,
          barsize: 24,
        }, library.Presets.shades_classic);
        bar.start(batches, 0, { epoch, epochs, speed: "-", loss: "-", shown });
      },
      batch(p) {
        bar?.update(p.batch, {
          speed: Math.round(p.samplesPerSecond).toLocaleString("en-US"),
          loss: formatValue(p.loss),
        });
      },
      epochEnd(p) {
        if (p.shown !== undefined) shown = ` | ${p.shown} ${formatValue(p.logs[p.shown])}`;
        bar?.update({ loss: formatValue(p.logs.loss), shown });
        finish();
      },
      close: finish,
    };
  };
}
