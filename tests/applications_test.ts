/**
 * The application examples run as documented, with fewer epochs or seeds:
 * each beats its baselines on its held-out test set and writes SVG charts
 * that draw what it measured. Their data helpers are checked against
 * independent references (closed forms, naive definitions).
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { runSpokenDigits } from "../examples/spoken_digits.ts";
import { runForecast } from "../examples/forecast.ts";
import {
  blockBootstrapRatio,
  chronologicalSplit,
  logReturns,
  volatilitySamples,
} from "../examples/finance/volatility.ts";
import { lossChart, table } from "../examples/report.ts";
import { SEED } from "./helpers.ts";

/** The vertices of the line mark of one series of a Vega SVG, as [x, y] pixels. */
function lineVertices(svg: string, series: string): [number, number][] {
  const paths = [
    ...svg.matchAll(
      /<path aria-label="[^"]*series: ([^"]+)"[^>]*aria-roledescription="line mark" d="(M[^"]+)"/g,
    ),
  ].filter((m) => m[1] === series);
  assert.equal(paths.length, 1, `one line for series ${series}`);
  return paths[0][2].slice(1).split("L").map((p) => p.split(",").map(Number) as [number, number]);
}

Deno.test("examples/spoken_digits.ts: on unseen voices the MLP beats logistic regression and the majority class", async () => {
  const out = await Deno.makeTempDir({ prefix: "mlpc-speech-" });
  const lines: string[] = [];
  const r = await runSpokenDigits({ epochs: 4, outDir: out, log: (l) => lines.push(l) });
  assert.equal(r.sizes.train + r.sizes.validation + r.sizes.test, 8080);
  // Ten balanced digits: the majority class is right about a tenth of the time.
  assert.ok(Math.abs(r.majorityAccuracy - 0.1) < 0.02, `majority ${r.majorityAccuracy}`);
  const mlp = r.mlp.test.accuracy!;
  const logistic = r.logistic.test.accuracy!;
  // Full runs: MLP ≈ 96 %, logistic regression ≈ 94 %; after 4 epochs ≈ 94 % and ≈ 88 %.
  assert.ok(mlp > 0.9, `MLP ${mlp}`);
  assert.ok(logistic > 0.8, `logistic regression ${logistic}`);
  assert.ok(mlp > logistic, `MLP ${mlp} vs logistic regression ${logistic}`);
  // The confusion matrix counts every test utterance once; its diagonal is the accuracy.
  const cm = r.mlp.test.confusionMatrix!;
  const total = cm.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, r.sizes.test);
  assert.ok(Math.abs(cm.reduce((s, row, i) => s + row[i], 0) / total - mlp) < 1e-12);
  // The files: a learning curve with one point per epoch run, the heat map with every count.
  const curve = await Deno.readTextFile(`${out}/learning_curve.svg`);
  const epochs = r.mlp.history.loss.length;
  for (const series of ["loss", "valLoss", "accuracy", "valAccuracy"]) {
    assert.equal(lineVertices(curve, series).length, epochs, series);
  }
  const heat = await Deno.readTextFile(`${out}/confusion_matrix.svg`);
  assert.ok(heat.startsWith("<svg") && heat.trimEnd().endsWith("</svg>"));
  for (const [i, row] of cm.entries()) {
    for (const [j, count] of row.entries()) {
      const [actual, predicted] = [i, j].map((k) => r.words[k]);
      assert.ok(
        heat.includes(`predicted: ${predicted}; actual: ${actual}; count: ${count}"`),
        `cell ${actual}/${predicted}`,
      );
    }
  }
  const report = lines.join("\n");
  assert.match(report, /^MLP 260-256-128-10 +\d+\.\d %/m);
  assert.match(report, /^validation loss per epoch$/m);
  await Deno.remove(out, { recursive: true });
});

Deno.test("examples/forecast.ts: the MLP's next-week volatility forecast beats persistence and EWMA + bias on the test years", async () => {
  const out = await Deno.makeTempDir({ prefix: "mlpc-forecast-" });
  const r = await runForecast({ seeds: 1, outDir: out });
  const m = r.testMse;
  // Full run (5 seeds): MLP 0.571 against EWMA + bias 0.617, persistence 0.950.
  assert.ok(m.mlp < m.persistence * 0.75, `MLP ${m.mlp} vs persistence ${m.persistence}`);
  assert.ok(m.mlp < m.ewmaBias, `MLP ${m.mlp} vs EWMA + bias ${m.ewmaBias}`);
  assert.ok(m.ewma < m.persistence, "the EWMA beats persistence (volatility clusters)");
  const [low, high] = r.ratioToEwmaBias;
  assert.ok(low <= m.mlp / m.ewmaBias && m.mlp / m.ewmaBias <= high, `${low}–${high}`);
  // The chart of the test period draws the DAX's realized and forecast volatility.
  const chart = await Deno.readTextFile(`${out}/test_period.svg`);
  const daxDays = r.sizes.test / 4;
  for (const series of ["realized", "MLP", "EWMA + bias"]) {
    assert.equal(lineVertices(chart, series).length, daxDays, series);
  }
  assert.match(chart, />1997\.\d</, "years are labelled without a thousands separator");
  const curve = await Deno.readTextFile(`${out}/learning_curve.svg`);
  assert.equal(lineVertices(curve, "valMse").length, r.history.loss.length);
  await Deno.remove(out, { recursive: true });
});

Deno.test("volatilitySamples: targets, EWMA and HAR terms match their closed forms (fast-check)", () => {
  fc.assert(
    fc.property(
      // Returns of 0.01 % to 5 % either way (a zero week has no log variance).
      fc.array(
        fc.tuple(fc.double({ min: 1e-4, max: 0.05, noNaN: true }), fc.boolean())
          .map(([size, down]) => (down ? -size : size)),
        { minLength: 30, maxLength: 60 },
      ),
      fc.integer({ min: 1, max: 6 }),
      (series, horizon) => {
        const returns = series.map((v) => Float64Array.of(v));
        const lambda = 0.94;
        const warmup = 22;
        const floor = 1e-6;
        const samples = volatilitySamples(returns, { horizon, lambda, warmup, floor });
        assert.equal(samples.length, Math.max(0, series.length - warmup - horizon + 1));
        const sq = series.map((v) => v * v);
        const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
        for (const s of samples) {
          const t = s.day;
          // EWMA at close t, unrolled: λ^(t) σ₀² + (1 − λ) Σ_{j<t} λ^(t−1−j) r_j².
          let ewma = lambda ** t * meanOf(sq.slice(0, warmup));
          for (let j = 0; j < t; j++) ewma += (1 - lambda) * lambda ** (t - 1 - j) * sq[j];
          const close = (a: number, b: number) => Math.abs(a - b) < 1e-9 * (1 + Math.abs(b));
          assert.ok(close(s.logEwma, Math.log(ewma)));
          assert.ok(close(s.target, Math.log(meanOf(sq.slice(t, t + horizon)))));
          assert.ok(close(s.persistence, Math.log(meanOf(sq.slice(t - horizon, t)))));
          assert.ok(close(s.har[0] + s.logEwma, Math.log(sq[t - 1] + floor)));
          assert.ok(close(s.har[2] + s.logEwma, Math.log(meanOf(sq.slice(t - warmup, t)))));
          // One index: the market averages are the index's own terms.
          assert.ok(close(s.features[3], s.har[0]) && close(s.features[5], s.har[2]));
        }
      },
    ),
    { seed: SEED, numRuns: 30 },
  );
});

Deno.test("logReturns, chronologicalSplit: returns from prices; periods in order, gaps wider than the horizon", () => {
  const prices = new Float64Array([100, 50, 110, 55, 99, 55]);
  const r = logReturns(prices, 2);
  assert.deepEqual(r.map((d) => [...d]), [
    [Math.log(110 / 100), Math.log(55 / 50)],
    [Math.log(99 / 110), Math.log(55 / 55)],
  ]);
  const samples = Array.from({ length: 400 }, (_, i) => ({ day: Math.floor(i / 4), index: i % 4 }));
  const p = chronologicalSplit(samples, { train: 0.7, validation: 0.15, gap: 5 });
  const days = (part: { day: number }[]) => part.map((s) => s.day);
  assert.ok(Math.max(...days(p.train)) + 5 < Math.min(...days(p.validation)));
  assert.ok(Math.max(...days(p.validation)) + 5 < Math.min(...days(p.test)));
  assert.equal(Math.max(...days(p.test)), 99);
  // Whole days: every index of a day lands in the same period.
  for (const part of [p.train, p.validation, p.test]) assert.equal(part.length % 4, 0);
});

Deno.test("blockBootstrapRatio: the interval holds the sample ratio and narrows with more days", () => {
  const noisy = (n: number) => {
    const day = Array.from({ length: n }, (_, i) => i);
    const a = day.map((i) => 1 + Math.abs(Math.sin(i * 12.9898)) * 2);
    const b = day.map((i) => 1.2 + Math.abs(Math.cos(i * 78.233)) * 2);
    return { a, b, day, ratio: a.reduce((s, v) => s + v) / b.reduce((s, v) => s + v) };
  };
  const short = noisy(100);
  const long = noisy(2000);
  const [l1, h1] = blockBootstrapRatio(short.a, short.b, short.day);
  const [l2, h2] = blockBootstrapRatio(long.a, long.b, long.day);
  assert.ok(l1 < short.ratio && short.ratio < h1, `${l1} < ${short.ratio} < ${h1}`);
  assert.ok(l2 < long.ratio && long.ratio < h2);
  assert.ok(h2 - l2 < (h1 - l1) / 2, "20× the days: a much narrower interval");
});

Deno.test("report helpers: aligned table, loss charts", () => {
  const text = table(["model", "acc", "s"], [["a", "1.0 %", 2.5], ["longer name", "10.0 %", 12]]);
  const rows = text.split("\n");
  assert.equal(rows.length, 4);
  assert.equal(new Set(rows.slice(0, 2).map((r) => r.length)).size, 1);
  assert.ok(rows[2].endsWith("  2.5") && rows[3].endsWith(" 12"), "numbers right-aligned");
  const chart = lossChart({ loss: [3, 2, 1], valLoss: [] });
  assert.ok(chart.startsWith("training loss per epoch") && !chart.includes("validation"));
});
