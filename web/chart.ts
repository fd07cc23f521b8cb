/// <reference lib="dom" />
/**
 * The live chart of loss and accuracy per epoch: a Vega-Lite spec (the
 * project's plotting choice) embedded once per run; epochs are inserted into
 * its named data set at most every 150 ms, and a long run is drawn every
 * k-th epoch, so a fast run does not redraw thousands of points many times.
 *
 * @module
 */

import embed from "npm:vega-embed@7.3.0";
import "npm:vega@6.4.0";
import "npm:vega-lite@6.5.0";
import type { EpochRecord } from "./session.ts";

/** One point of the chart. */
interface Row {
  readonly epoch: number;
  readonly panel: "loss" | "accuracy";
  readonly series: string;
  readonly value: number;
}

/** The chart's rows for some epochs. */
export function chartRows(records: readonly EpochRecord[]): Row[] {
  const rows: Row[] = [];
  for (const r of records) {
    rows.push({ epoch: r.epoch, panel: "loss", series: "train", value: r.loss });
    rows.push({ epoch: r.epoch, panel: "loss", series: "test", value: r.testLoss });
    if (r.trainAccuracy !== undefined) {
      rows.push({ epoch: r.epoch, panel: "accuracy", series: "train", value: r.trainAccuracy });
    }
    if (r.testAccuracy !== undefined) {
      rows.push({ epoch: r.epoch, panel: "accuracy", series: "test", value: r.testAccuracy });
    }
  }
  return rows;
}

function panel(name: Row["panel"], epochs: number, y: Record<string, unknown>) {
  return {
    width: 400,
    height: 140,
    transform: [{ filter: `datum.panel === '${name}'` }],
    mark: { type: "line", interpolate: "monotone" },
    encoding: {
      x: { field: "epoch", type: "quantitative", scale: { domain: [1, Math.max(2, epochs)] } },
      y: { field: "value", type: "quantitative", ...y },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: ["train", "test"] },
      },
    },
  };
}

/** The Vega-Lite spec of a run of `epochs` epochs, starting with `rows`. */
export function chartSpec(epochs: number, rows: readonly Row[]): Record<string, unknown> {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { name: "history", values: rows },
    vconcat: [
      // unionWith: the empty chart (before the first epoch) still has a finite domain.
      panel("loss", epochs, { title: "loss", scale: { domain: { unionWith: [0, 0.01] } } }),
      panel("accuracy", epochs, { title: "accuracy", scale: { domain: [0, 1] } }),
    ],
    config: { view: { stroke: "#d7dbe3" }, axis: { labelFontSize: 11 } },
  };
}

interface ChartView {
  insert(name: string, rows: unknown[]): { runAsync(): Promise<unknown> };
  finalize(): void;
}

/** Most epochs drawn per run: longer runs are drawn every k-th epoch (and the last). */
export const MAX_POINTS = 400;

/** A chart bound to an element. */
export class LiveChart {
  readonly #element: HTMLElement;
  #view: Promise<ChartView | null> = Promise.resolve(null);
  #pending: Row[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stride = 1;
  #lastDrawn = 0;

  /** Binds the chart to `element`; draws empty axes. */
  constructor(element: HTMLElement) {
    this.#element = element;
    this.reset(1);
  }

  /**
   * Starts an empty chart for a run of `epochs` epochs. Embedding takes the
   * longest the first time (Vega compiles the spec): the page does it while
   * the worker loads, and again at the start of each run, before any epoch.
   */
  reset(epochs: number): void {
    this.#pending = [];
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#stride = Math.max(1, Math.ceil(epochs / MAX_POINTS));
    this.#lastDrawn = 0;
    void this.#view.then((view) => view?.finalize());
    // Each run draws into a fresh child, so an older run's late drawing lands nowhere visible.
    const target = document.createElement("div");
    this.#element.replaceChildren(target);
    this.#view = embed(target, chartSpec(epochs, []) as never, { actions: false, renderer: "svg" })
      .then((result) => result.view as unknown as ChartView);
  }

  /** Adds epochs (every k-th of a long run); drawn within 150 ms. */
  add(records: readonly EpochRecord[]): void {
    const kept = records.filter((r) => r.epoch === 1 || r.epoch % this.#stride === 0);
    if (kept.length === 0) return;
    this.#lastDrawn = kept[kept.length - 1].epoch;
    this.#pending.push(...chartRows(kept));
    if (this.#timer === null) this.#timer = setTimeout(() => void this.flush(), 150);
  }

  /** Adds the run's last epoch if the stride skipped it, and draws everything now. */
  async finish(last: EpochRecord | undefined): Promise<void> {
    if (last !== undefined && last.epoch !== this.#lastDrawn) {
      this.#lastDrawn = last.epoch;
      this.#pending.push(...chartRows([last]));
    }
    await this.flush();
  }

  /** Draws every pending epoch now. */
  async flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const rows = this.#pending;
    this.#pending = [];
    const view = await this.#view;
    if (view !== null && rows.length > 0) await view.insert("history", rows).runAsync();
  }
}
