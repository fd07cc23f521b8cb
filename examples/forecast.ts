/**
 * Financial forecasting: next week's volatility of four European stock
 * indices (DAX, SMI, CAC, FTSE; daily closes 1991–1998, R's
 * `EuStockMarkets`, see `examples/data/README.md`).
 *
 * Returns themselves are close to unpredictable; their size is not —
 * volatility clusters. The target is the log realized variance of the next 5
 * trading days, `log(mean(r²))`, for each index at each close
 * (`examples/finance/volatility.ts`). The four indices are pooled, days in
 * time order: the first 70 % of the days train, the next 15 % validate, the
 * last 15 % test, with 5-day gaps so no target window crosses a boundary.
 *
 * Baselines, from the training period only:
 * - the training mean of each index;
 * - persistence: the last 5 days' log realized variance;
 * - RiskMetrics' EWMA variance (λ = 0.94), and EWMA plus the training mean of
 *   the target's distance to it (the log of a mean of squares sits below the
 *   log of its expectation);
 * - HAR (Corsi 2009) as a linear model of the last day's, week's and month's
 *   log realized variance, trained by mlpc; and a linear model of every
 *   feature the MLP sees.
 *
 * Each trained model predicts a correction to "EWMA + bias" from 14
 * features (own and market-average HAR terms relative to the EWMA, the last
 * day's and week's returns in EWMA units — negative returns raise volatility
 * more than positive ones —, the index one-hot), standardized with the
 * training period's statistics (a `standardScaler`, the trainer's
 * preprocessing), and stops early on the validation loss. The MLP (14-32-1,
 * tanh, Huber loss) is the mean of 5 seeds. All choices were made on the
 * validation period. Test MSE is reported with its ratio to each baseline,
 * and a 95 % moving-block bootstrap interval (20-day blocks) of the ratio to
 * EWMA + bias and to the linear model.
 *
 * Run (about 1.5 s of CPU):
 *
 *     deno run --allow-read --allow-write=examples/out examples/forecast.ts
 *
 * Options: `--epochs 300` (the most each model trains), `--seeds 5`,
 * `--out examples/out/forecast`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  adam,
  chain,
  compile,
  dense,
  type History,
  huber,
  type Loss,
  meanSquaredError,
  type Model,
  mse,
  tanh,
} from "../mod.ts";
import { readCsv, standardScaler } from "../data/mod.ts";
import { learningCurve, lineChart } from "../plot/mod.ts";
import {
  blockBootstrapRatio,
  chronologicalSplit,
  featureNames,
  logReturns,
  type VolatilitySample,
  volatilitySamples,
} from "./finance/volatility.ts";
import {
  curveSeries,
  formatSeconds,
  lossChart,
  outputFolder,
  type Seconds,
  stopwatch,
  table,
  writableFolder,
  writeFiles,
} from "./report.ts";

/** Options of `runForecast`. */
export interface ForecastOptions {
  /** The most epochs each trained model runs (early stopping ends it sooner; default 300). */
  readonly epochs?: number;
  /** How many MLPs (seeds 1, 2, …) are averaged (default 5). */
  readonly seeds?: number;
  /** Folder for the SVGs (default `examples/out/forecast/`); `null` writes nothing. */
  readonly outDir?: string | URL | null;
  /** Receives the report, line by line (default: nothing is printed). */
  readonly log?: (line: string) => void;
}

/** What a run measured: test MSE of each forecast of the log realized variance. */
export interface ForecastResult {
  /** Forecasts (index × day) in each period. */
  readonly sizes: { readonly train: number; readonly validation: number; readonly test: number };
  /** Test MSE by forecast: `trainMean`, `persistence`, `ewma`, `ewmaBias`, `har`, `linear`, `mlp`. */
  readonly testMse: Readonly<Record<string, number>>;
  /** Validation MSE, by the same names. */
  readonly validationMse: Readonly<Record<string, number>>;
  /** 95 % block-bootstrap interval of test MSE(MLP) / MSE(EWMA + bias). */
  readonly ratioToEwmaBias: readonly [number, number];
  /** 95 % block-bootstrap interval of test MSE(MLP) / MSE(linear, same features). */
  readonly ratioToLinear: readonly [number, number];
  /** Test MSE of each single MLP of the average. */
  readonly singleMlpTestMse: readonly number[];
  /** The first MLP's training history. */
  readonly history: History;
  /** Seconds of the whole run (data, training, evaluation), CPU and wall clock. */
  readonly seconds: Seconds;
  /** Paths of the files written. */
  readonly files: string[];
}

const INDICES = ["DAX", "SMI", "CAC", "FTSE"];

/** A trained model's history and forecasts of the log realized variance. */
interface Trained {
  readonly history: History;
  readonly validation: number[];
  readonly test: number[];
}
const HORIZON = 5;

/** `{ data, shape }` of the chosen features of samples. */
function matrix(
  samples: readonly VolatilitySample[],
  pick: (s: VolatilitySample) => readonly number[],
) {
  const columns = pick(samples[0]).length;
  const data = new Float64Array(samples.length * columns);
  samples.forEach((s, r) => data.set(pick(s), r * columns));
  return { data, shape: [samples.length, columns] as [number, number] };
}

/**
 * Builds the forecasts, trains the models, prints the table and writes the
 * learning curve and the test-period chart.
 *
 * @example
 * ```ts ignore
 * import { runForecast } from "./forecast.ts";
 * const r = await runForecast({ seeds: 1, outDir: null });
 * console.log(r.testMse.mlp / r.testMse.ewmaBias);
 * ```
 */
export async function runForecast(options: ForecastOptions = {}): Promise<ForecastResult> {
  const elapsed = stopwatch();
  const epochs = options.epochs ?? 300;
  const seeds = options.seeds ?? 5;
  const log = options.log ?? (() => {});
  const csv = await readCsv(new URL("./data/eu_stock_markets.csv", import.meta.url), {
    label: "time",
    features: INDICES,
  });
  const times = csv.y; // the fractional year of each close
  const samples = volatilitySamples(logReturns(csv.x.data, INDICES.length), { horizon: HORIZON });
  const periods = chronologicalSplit(samples, { train: 0.7, validation: 0.15, gap: HORIZON });
  const { train, validation, test } = periods;
  const yearOf = (s: VolatilitySample) => times[s.day].toFixed(2);
  log(
    `EuStockMarkets: ${csv.x.shape[0]} daily closes of ${INDICES.join(", ")}; target: log ` +
      `realized variance of the next ${HORIZON} days, each index at each close`,
  );
  log(
    `train ${yearOf(train[0])}–${yearOf(train.at(-1)!)} (${train.length}), validation ` +
      `${yearOf(validation[0])}–${yearOf(validation.at(-1)!)} (${validation.length}), test ` +
      `${yearOf(test[0])}–${yearOf(test.at(-1)!)} (${test.length})`,
  );

  // Baselines that need no training.
  const bias = train.reduce((s, v) => s + v.target - v.logEwma, 0) / train.length;
  const indexMean = INDICES.map((_, k) => {
    const own = train.filter((s) => s.index === k);
    return own.reduce((s, v) => s + v.target, 0) / own.length;
  });
  const fixed: Record<string, (s: VolatilitySample) => number> = {
    trainMean: (s) => indexMean[s.index],
    persistence: (s) => s.persistence,
    ewma: (s) => s.logEwma,
    ewmaBias: (s) => s.logEwma + bias,
  };

  // Trained models predict the correction to EWMA + bias.
  const correction = (set: readonly VolatilitySample[]) =>
    Float64Array.from(set, (s) => s.target - s.logEwma - bias);
  const trainModel = async (
    model: Model,
    loss: Loss,
    pick: (s: VolatilitySample) => readonly number[],
    seed: number,
  ): Promise<Trained> => {
    const x = matrix(train, pick);
    const trainer = await compile(model, {
      loss,
      optimizer: adam({ lr: 1e-3 }),
      batchSize: 64,
      seed,
      inputFeatures: x.shape[1],
    });
    trainer.preprocessing = standardScaler(x); // the training period's statistics
    const history = trainer.fit(x, correction(train), {
      epochs,
      seed,
      validationData: [matrix(validation, pick), correction(validation)],
      earlyStopping: { monitor: "valLoss", patience: 20, restoreBest: true },
      verbose: 0,
    });
    const forecast = (set: readonly VolatilitySample[]) => {
      const p = trainer.predict(matrix(set, pick));
      return set.map((s, i) => s.logEwma + bias + p[i]);
    };
    return { history, validation: forecast(validation), test: forecast(test) };
  };
  const features = featureNames(INDICES).length;
  const har = await trainModel(dense(3, 1), mse, (s) => s.har, 1);
  const linear = await trainModel(dense(features, 1), mse, (s) => s.features, 1);
  const mlps: Trained[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    mlps.push(
      await trainModel(
        chain(dense(features, 32), tanh, dense(32, 1)),
        huber,
        (s) => s.features,
        seed,
      ),
    );
  }
  const average = (part: "validation" | "test") =>
    mlps[0][part].map((_, i) => mlps.reduce((s, m) => s + m[part][i], 0) / mlps.length);

  const forecasts = (
    part: "validation" | "test",
    set: readonly VolatilitySample[],
  ): Record<string, number[]> => ({
    ...Object.fromEntries(Object.entries(fixed).map(([name, f]) => [name, set.map(f)])),
    har: har[part],
    linear: linear[part],
    mlp: average(part),
  });
  const mseOf = (set: readonly VolatilitySample[], byName: Record<string, number[]>) =>
    Object.fromEntries(
      Object.entries(byName).map((
        [name, p],
      ) => [name, meanSquaredError(set.map((s) => s.target), p)]),
    );
  const testForecasts = forecasts("test", test);
  const testMse = mseOf(test, testForecasts);
  const validationMse = mseOf(validation, forecasts("validation", validation));
  const targets = test.map((s) => s.target);
  const squared = (p: number[]) => p.map((v, i) => (v - targets[i]) ** 2);
  const days = test.map((s) => s.day);
  const ratioToEwmaBias = blockBootstrapRatio(
    squared(testForecasts.mlp),
    squared(testForecasts.ewmaBias),
    days,
  );
  const ratioToLinear = blockBootstrapRatio(
    squared(testForecasts.mlp),
    squared(testForecasts.linear),
    days,
  );
  const singleMlpTestMse = mlps.map((m) => meanSquaredError(targets, m.test));
  const seconds = elapsed();

  const names: [string, string][] = [
    ["trainMean", "training mean of each index"],
    ["persistence", "persistence (last 5 days)"],
    ["ewma", "EWMA variance, λ = 0.94"],
    ["ewmaBias", "EWMA + training bias"],
    ["har", "HAR, linear (3 features)"],
    ["linear", `linear (${features} features)`],
    ["mlp", `MLP ${features}-32-1 tanh, mean of ${seeds}`],
  ];
  const ratio = (name: string, base: string) => (testMse[name] / testMse[base]).toFixed(3);
  log("");
  log(table(
    ["forecast of log realized variance", "val MSE", "test MSE", "MLP / this"],
    names.map(([name, label]) => [
      label,
      validationMse[name].toFixed(4),
      testMse[name].toFixed(4),
      name === "mlp" ? "" : ratio("mlp", name),
    ]),
  ));
  const interval = ([low, high]: readonly [number, number]) =>
    `${low.toFixed(3)}–${high.toFixed(3)}`;
  log("");
  log(
    `MLP / (EWMA + bias) test MSE ${ratio("mlp", "ewmaBias")}, 95 % block bootstrap ` +
      `${interval(ratioToEwmaBias)}; MLP / linear ${ratio("mlp", "linear")}, ${
        interval(ratioToLinear)
      }`,
  );
  log(
    `single MLPs (seeds 1–${seeds}) test MSE ${
      singleMlpTestMse.map((v) => v.toFixed(4)).join(", ")
    }; ${formatSeconds(seconds)} s (CPU / wall) in all`,
  );

  let files: string[] = [];
  const dir = options.outDir === null ? null : options.outDir ?? outputFolder("forecast");
  if (dir !== null && !(await writableFolder(dir))) {
    log("");
    log("(no SVG written: run with --allow-write=examples/out to get the charts)");
  } else if (dir !== null) {
    // The DAX over the test period, as annualized volatility in percent.
    const dax = test.map((s, i) => [s, i] as const).filter(([s]) => s.index === 0);
    const percent = (logVariance: number) => 100 * Math.sqrt(252 * Math.exp(logVariance));
    const x = dax.map(([s]) => Number(times[s.day].toFixed(4)));
    const series = (name: string, p: number[]) => ({
      name,
      x,
      y: dax.map(([, i]) => percent(p[i])),
    });
    files = await writeFiles(dir, {
      "learning_curve.svg": await learningCurve(curveSeries(mlps[0].history, ["mse"]), {
        title: "volatility forecast: MLP (seed 1), Huber loss and MSE of the log variance",
      }),
      "test_period.svg": await lineChart([
        series("realized", targets),
        series("MLP", testForecasts.mlp),
        series("EWMA + bias", testForecasts.ewmaBias),
      ], {
        title: "DAX, test period: next-week volatility, realized and forecast",
        xTitle: "year (the forecast's close; realized: the 5 days after it)",
        xFormat: ".1f",
        yTitle: "annualized volatility, %",
      }),
    });
    log("");
    for (const file of files) log(`wrote ${file}`);
  }
  log("");
  log(lossChart(mlps[0].history));
  return {
    sizes: { train: train.length, validation: validation.length, test: test.length },
    testMse,
    validationMse,
    ratioToEwmaBias,
    ratioToLinear,
    singleMlpTestMse,
    history: mlps[0].history,
    seconds,
    files,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      epochs: { type: "string", default: "300" },
      seeds: { type: "string", default: "5" },
      out: { type: "string" },
    },
  });
  await runForecast({
    epochs: Number(values.epochs),
    seeds: Number(values.seeds),
    outDir: values.out,
    log: console.log,
  });
}
