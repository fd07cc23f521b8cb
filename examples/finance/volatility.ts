/**
 * The forecasting problem of `examples/forecast.ts`, as plain functions:
 * from daily closing prices of several indices, the log realized variance of
 * each index over the next few days, the classical forecasts of it
 * (persistence, RiskMetrics' EWMA) and the features a model learns from; a
 * chronological split with gaps; a block bootstrap of a ratio of mean
 * squared errors.
 *
 * Notation: `r[t][k] = log(P[t + 1][k] / P[t][k])` is index k's return from
 * close t to close t + 1. A forecast is made at close `t` (the returns
 * `r[0..t−1]` are known) for the target
 *
 *     y = log( (r[t]² + … + r[t+h−1]²) / h ),
 *
 * the log of the mean squared return over the next `h` days.
 *
 * @module
 */

import { uniform } from "../../runtime/prng.ts";

/** Options of `volatilitySamples`. */
export interface VolatilityOptions {
  /** Days of the target window, h (default 5: next week). */
  readonly horizon?: number;
  /** RiskMetrics' decay λ of the EWMA variance (default 0.94, daily data). */
  readonly lambda?: number;
  /** Days of history needed before the first forecast (default 22, a month). */
  readonly warmup?: number;
  /**
   * Added to a single day's squared return before its log (default 1e-6,
   * (0.1 %)²): the data repeat the close on holidays, so some returns are 0.
   */
  readonly floor?: number;
}

/** One forecast: index `index` at close `day`. */
export interface VolatilitySample {
  /** Row of the price table at whose close the forecast is made. */
  readonly day: number;
  /** Which index (column of the price table). */
  readonly index: number;
  /** The target: log mean squared return over the next h days. */
  readonly target: number;
  /** log of the EWMA variance at close `day` (RiskMetrics). */
  readonly logEwma: number;
  /** log mean squared return over the last h days (persistence forecast). */
  readonly persistence: number;
  /**
   * HAR components relative to the EWMA: log of the last day's, last week's
   * and last month's mean squared return, each minus `logEwma`.
   */
  readonly har: readonly [number, number, number];
  /** Every feature: `har`, the same averaged over all indices, the leverage terms, one-hot index. */
  readonly features: readonly number[];
}

/** Names of `VolatilitySample.features`, in order (for `indices` of 4 this is 14 names). */
export function featureNames(indices: readonly string[]): string[] {
  return [
    "own log RV 1 day − log EWMA",
    "own log RV 5 days − log EWMA",
    "own log RV 22 days − log EWMA",
    "market log RV 1 day − own log EWMA",
    "market log RV 5 days − own log EWMA",
    "market log RV 22 days − own log EWMA",
    "own last return / EWMA σ",
    "own last 5 days' return / (EWMA σ·√5)",
    "market last return / EWMA σ",
    "market last 5 days' return / (EWMA σ·√5)",
    ...indices.map((name) => `index is ${name}`),
  ];
}

/**
 * Daily log returns of each column of a price table (`rows × indices`,
 * row-major): `rows − 1` arrays of one return per index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logReturns } from "./volatility.ts";
 * const r = logReturns(new Float64Array([100, 10, 110, 10]), 2);
 * assert.equal(r.length, 1);
 * assert.ok(Math.abs(r[0][0] - Math.log(1.1)) < 1e-15 && r[0][1] === 0);
 * ```
 */
export function logReturns(prices: ArrayLike<number>, indices: number): Float64Array[] {
  const rows = prices.length / indices;
  return Array.from({ length: rows - 1 }, (_, t) =>
    Float64Array.from(
      { length: indices },
      (_, k) => Math.log(prices[(t + 1) * indices + k] / prices[t * indices + k]),
    ));
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Every forecast the returns allow, in time order (all indices of a day
 * together): each day from `warmup` on whose target window is complete.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { volatilitySamples } from "./volatility.ts";
 * const returns = Array.from({ length: 40 }, (_, t) => Float64Array.of(0.01 * (t % 2 ? 1 : -1)));
 * const s = volatilitySamples(returns);
 * assert.equal(s.length, 40 - 22 - 5 + 1);
 * assert.ok(Math.abs(s[0].target - Math.log(1e-4)) < 1e-12); // every squared return is 1e-4
 * ```
 */
export function volatilitySamples(
  returns: readonly Float64Array[],
  options: VolatilityOptions = {},
): VolatilitySample[] {
  const h = options.horizon ?? 5;
  const lambda = options.lambda ?? 0.94;
  const warmup = options.warmup ?? 22;
  const floor = options.floor ?? 1e-6;
  const indices = returns[0].length;
  const all = Array.from({ length: indices }, (_, k) => k);
  const meanSquare = (from: number, to: number, k: number) => {
    let s = 0;
    for (let t = from; t < to; t++) s += returns[t][k] ** 2;
    return s / (to - from);
  };
  // EWMA variance, started at the first month's mean square; ewma[k] holds
  // the forecast for day t's return made at close t (returns up to t − 1).
  const ewma = all.map((k) => meanSquare(0, warmup, k));
  const samples: VolatilitySample[] = [];
  for (let t = 0; t < returns.length; t++) {
    if (t >= warmup && t + h <= returns.length) {
      const day = all.map((k) => Math.log(returns[t - 1][k] ** 2 + floor));
      const week = all.map((k) => Math.log(meanSquare(t - h, t, k)));
      const month = all.map((k) => Math.log(meanSquare(t - warmup, t, k)));
      const z1 = all.map((k) => returns[t - 1][k] / Math.sqrt(ewma[k]));
      const z5 = all.map((k) => {
        let s = 0;
        for (let j = 1; j <= 5; j++) s += returns[t - j][k];
        return s / Math.sqrt(5 * ewma[k]);
      });
      for (const k of all) {
        const e = Math.log(ewma[k]);
        const har: [number, number, number] = [day[k] - e, week[k] - e, month[k] - e];
        samples.push({
          day: t,
          index: k,
          target: Math.log(meanSquare(t, t + h, k)),
          logEwma: e,
          persistence: week[k],
          har,
          features: [
            ...har,
            mean(day) - e,
            mean(week) - e,
            mean(month) - e,
            z1[k],
            z5[k],
            mean(z1),
            mean(z5),
            ...all.map((j) => (j === k ? 1 : 0)),
          ],
        });
      }
    }
    for (const k of all) ewma[k] = lambda * ewma[k] + (1 - lambda) * returns[t][k] ** 2;
  }
  return samples;
}

/** The three periods of a chronological split. */
export interface Periods<T> {
  /** The earliest samples. */
  readonly train: T[];
  /** The samples after the training period and its gap. */
  readonly validation: T[];
  /** The latest samples. */
  readonly test: T[];
}

/**
 * Splits samples in time order by day: the first `train` fraction of the
 * days, then `validation`, then the rest; the last `gap` days before each
 * boundary are dropped, so no target window of an earlier period overlaps
 * the next one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chronologicalSplit } from "./volatility.ts";
 * const days = Array.from({ length: 100 }, (_, day) => ({ day }));
 * const p = chronologicalSplit(days, { train: 0.7, validation: 0.15, gap: 5 });
 * assert.deepEqual([p.train.at(-1)!.day, p.validation[0].day, p.validation.at(-1)!.day, p.test[0].day], [64, 70, 79, 85]);
 * ```
 */
export function chronologicalSplit<T extends { readonly day: number }>(
  samples: readonly T[],
  options: { train: number; validation: number; gap: number },
): Periods<T> {
  const days = [...new Set(samples.map((s) => s.day))].sort((a, b) => a - b);
  const first = days[Math.floor(days.length * options.train)];
  const second = days[Math.floor(days.length * (options.train + options.validation))];
  return {
    train: samples.filter((s) => s.day < first - options.gap),
    validation: samples.filter((s) => s.day >= first && s.day < second - options.gap),
    test: samples.filter((s) => s.day >= second),
  };
}

/**
 * A moving-block bootstrap of `mean(a) / mean(b)` for paired losses that
 * come in time order (`day[i]` of each pair): blocks of `block` consecutive
 * days are drawn with replacement until the period is covered, `resamples`
 * times; returns the 2.5 % and 97.5 % quantiles. Keeping days whole and
 * consecutive keeps the correlation between indices and overlapping target
 * windows that an i.i.d. bootstrap would ignore.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockBootstrapRatio } from "./volatility.ts";
 * const day = Array.from({ length: 200 }, (_, i) => i);
 * const a = day.map((i) => 1 + (i % 3)), b = a.map((v) => 2 * v);
 * const [low, high] = blockBootstrapRatio(a, b, day);
 * assert.ok(Math.abs(low - 0.5) < 1e-12 && Math.abs(high - 0.5) < 1e-12); // a = b/2 in every block
 * ```
 */
export function blockBootstrapRatio(
  a: readonly number[],
  b: readonly number[],
  day: readonly number[],
  options: { block?: number; resamples?: number; seed?: number } = {},
): [number, number] {
  const block = options.block ?? 20;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const days = [...new Set(day)].sort((x, y) => x - y);
  const position = new Map(days.map((d, i) => [d, i]));
  const sums = days.map(() => [0, 0]);
  day.forEach((d, i) => {
    const s = sums[position.get(d)!];
    s[0] += a[i];
    s[1] += b[i];
  });
  const starts = days.length - block + 1;
  let counter = 0;
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sa = 0;
    let sb = 0;
    for (let covered = 0; covered < days.length; covered += block) {
      const start = Math.floor(uniform(seed, 0, counter++) * starts);
      for (let j = start; j < start + block; j++) {
        sa += sums[j][0];
        sb += sums[j][1];
      }
    }
    ratios.push(sa / sb);
  }
  ratios.sort((x, y) => x - y);
  return [ratios[Math.floor(0.025 * resamples)], ratios[Math.ceil(0.975 * resamples) - 1]];
}
