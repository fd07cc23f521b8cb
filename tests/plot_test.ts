/**
 * The charts draw the data they are given: vertices of each line mark are an
 * affine image of the values (checked across every point of every series),
 * every confusion-matrix cell shows its count at its row and column.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { confusionMatrix, learningCurve, lineChart, terminalChart } from "../plot/mod.ts";
import { SEED } from "./helpers.ts";

/** The vertices of the line mark of one series, as [x, y] pixels. */
function lineVertices(svg: string, series: string): [number, number][] {
  const paths = [
    ...svg.matchAll(
      /<path aria-label="[^"]*series: ([^"]+)"[^>]*aria-roledescription="line mark" d="(M[^"]+)"/g,
    ),
  ]
    .filter((m) => m[1] === series);
  assert.equal(paths.length, 1, `one line for series ${series}`);
  return paths[0][2].slice(1).split("L").map((p) => p.split(",").map(Number) as [number, number]);
}

/** Asserts pixel = a·value + b with one (a, b) for every point given. */
function assertAffine(points: [value: number, pixel: number][]): void {
  const [v0, p0] = points.reduce((a, b) => (b[0] < a[0] ? b : a));
  const [v1, p1] = points.reduce((a, b) => (b[0] > a[0] ? b : a));
  if (v1 === v0) return;
  const slope = (p1 - p0) / (v1 - v0);
  assert.ok(slope < 0, "larger values are drawn higher (smaller y)");
  for (const [v, p] of points) {
    assert.ok(Math.abs(p0 + slope * (v - v0) - p) < 0.01, `value ${v} drawn at ${p}`);
  }
}

Deno.test("lineChart: each series is drawn through its values (fast-check)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 20 }),
        { minLength: 1, maxLength: 3 },
      ),
      async (ys) => {
        const series = ys.map((y, i) => ({ name: `s${i}`, y }));
        const svg = await lineChart(series);
        const points: [number, number][] = [];
        for (const s of series) {
          const vertices = lineVertices(svg, s.name);
          assert.equal(vertices.length, s.y.length);
          s.y.forEach((v, i) => points.push([v, vertices[i][1]]));
          // x positions increase with the index
          for (let i = 1; i < vertices.length; i++) assert.ok(vertices[i][0] > vertices[i - 1][0]);
        }
        assertAffine(points);
      },
    ),
    { seed: SEED, numRuns: 15 },
  );
});

Deno.test("confusionMatrix: every cell shows its count at its actual row and predicted column", async () => {
  const labels = ["zero", "one", "two"];
  const matrix = [[12, 0, 3], [1, 9, 4], [0, 7, 5]];
  const svg = await confusionMatrix(matrix, labels);
  const cells = [
    ...svg.matchAll(
      /aria-label="predicted: (\w+); actual: (\w+); count: (\d+)"[^>]*transform="translate\(([\d.]+),([\d.]+)\)"[^>]*>(\d+)<\/text>/g,
    ),
  ];
  assert.equal(cells.length, 9);
  for (const [, predicted, actual, count, x, y, text] of cells) {
    const i = labels.indexOf(actual);
    const j = labels.indexOf(predicted);
    assert.equal(Number(count), matrix[i][j]);
    assert.equal(Number(text), matrix[i][j]);
    // columns left to right and rows top to bottom in label order
    const sameRow = cells.filter((c) => c[2] === actual);
    const sameCol = cells.filter((c) => c[1] === predicted);
    assert.equal(sameRow.filter((c) => Number(c[4]) < Number(x)).length, j);
    assert.equal(sameCol.filter((c) => Number(c[5]) < Number(y)).length, i);
  }
});

Deno.test("learningCurve: a loss panel and a metric panel, one line per series", async () => {
  const history = {
    loss: [0.9, 0.6, 0.45, 0.4],
    valLoss: [0.95, 0.7, 0.6, 0.62],
    valAccuracy: [0.6, 0.75, 0.8, 0.79],
    seconds: [0.1, 0.1, 0.1, 0.1],
  };
  const svg = await learningCurve(history);
  for (const name of ["loss", "valLoss", "valAccuracy"]) {
    assert.equal(lineVertices(svg, name).length, 4);
  }
  assert.ok(!svg.includes("series: seconds"), "seconds are not plotted");
  assertAffine(history.valAccuracy.map((v, i) => [v, lineVertices(svg, "valAccuracy")[i][1]]));
  assertAffine([
    ...history.loss.map((v, i): [number, number] => [v, lineVertices(svg, "loss")[i][1]]),
    ...history.valLoss.map((v, i): [number, number] => [v, lineVertices(svg, "valLoss")[i][1]]),
  ]);
  await assert.rejects(() => learningCurve({ seconds: [1] }), /no series to plot/);
  await assert.rejects(() => learningCurve(history, { series: ["nope"] }), /not an array/);
});

Deno.test("terminalChart: the last value is on the last row for a decreasing curve", () => {
  const text = terminalChart([[4, 3, 2, 1]], { height: 3, decimals: 1 });
  const rows = text.split("\n");
  assert.equal(rows.length, 4);
  assert.ok(rows[0].trimStart().startsWith("4.0") && rows[3].trimStart().startsWith("1.0"));
  assert.ok(rows[0].includes("┼"), `the first value is drawn on the top row: ${rows[0]}`);
  assert.ok(rows[3].includes("╰"), `the curve ends on the bottom row: ${rows[3]}`);
  assert.equal(terminalChart([[NaN]]), "(nothing to plot)");
});
