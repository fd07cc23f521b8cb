/**
 * What `fit` tells a progress display, and the display the runtime has on
 * its own: one line per epoch (Keras's `verbose: 2`). The live progress bar
 * (`verbose: 1` on a terminal) is a reporter made with `npm:cli-progress`
 * outside the runtime, which loads no npm package; `compile` and the
 * `mod.ts` entry's `load` hand it to the trainer.
 *
 * @module
 */

/** Where a training run stands after a batch. */
export interface BatchProgress {
  /** Epoch, from 1. */
  readonly epoch: number;
  /** Maximum number of epochs. */
  readonly epochs: number;
  /** Batches done in this epoch. */
  readonly batch: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** Mean training loss over this epoch's batches so far. */
  readonly loss: number;
  /** Training samples per second in this epoch so far. */
  readonly samplesPerSecond: number;
}

/** A finished epoch, for display. */
export interface EpochProgress {
  /** Epoch, from 1. */
  readonly epoch: number;
  /** Maximum number of epochs. */
  readonly epochs: number;
  /** Seconds the epoch took. */
  readonly seconds: number;
  /** Everything recorded for the epoch (loss, metrics, valLoss, val metrics, lr). */
  readonly logs: Readonly<Record<string, number>>;
  /** The validation metric to show beside the loss (e.g. `"valAccuracy"`), if any. */
  readonly shown?: string;
}

/** A progress display: told when an epoch starts, after every batch, and when it ends. */
export interface ProgressReporter {
  /** An epoch begins with `batches` batches. */
  epochStart(epoch: number, epochs: number, batches: number): void;
  /** A batch is done. */
  batch(progress: BatchProgress): void;
  /** The epoch is done, its validation included. */
  epochEnd(progress: EpochProgress): void;
  /** Training is over (also after an error). */
  close(): void;
}

/** Makes a reporter for one `fit` call. */
export type ProgressFactory = () => ProgressReporter;

/**
 * Numbers as progress lines print them: 4 significant digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatValue } from "./progress.ts";
 * assert.equal(formatValue(0.123456), "0.1235");
 * ```
 */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5
    ? value.toPrecision(4)
    : value.toExponential(3);
  return text;
}

/**
 * One line per epoch, as Keras prints with `verbose: 2`:
 * `epoch 3/10 - 0.12s - loss 0.2310 - valLoss 0.2502 - valAccuracy 0.9100 - lr 0.001`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineReporter } from "./progress.ts";
 * const lines: string[] = [];
 * const r = lineReporter((line) => lines.push(line))();
 * r.epochEnd({ epoch: 1, epochs: 2, seconds: 0.5, logs: { loss: 0.25, lr: 0.01 } });
 * assert.equal(lines[0], "epoch 1/2 - 0.50s - loss 0.2500 - lr 0.01000");
 * ```
 */
export function lineReporter(write: (line: string) => void): ProgressFactory {
  return () => ({
    epochStart() {},
    batch() {},
    epochEnd({ epoch, epochs, seconds, logs }) {
      const parts = Object.entries(logs).map(([k, v]) => `${k} ${formatValue(v)}`);
      write([`epoch ${epoch}/${epochs}`, `${seconds.toFixed(2)}s`, ...parts].join(" - "));
    },
    close() {},
  });
}

/** A reporter that shows nothing (`verbose: 0`). */
export const silentReporter: ProgressFactory = () => ({
  epochStart() {},
  batch() {},
  epochEnd() {},
  close() {},
});
