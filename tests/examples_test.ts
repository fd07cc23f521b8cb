// The examples run as documented, with fewer epochs here.
import assert from "node:assert/strict";
import { trainMnist } from "../examples/mnist.ts";
import { trainXor } from "../examples/xor.ts";
import { trainBreastCancer } from "../examples/breast_cancer.ts";
import { shiftImage, trainMnistStrong, withShiftedCopies } from "../examples/mnist_strong.ts";
import fc from "npm:fast-check@4.11.0";
import { SEED } from "./helpers.ts";

Deno.test("examples/xor.ts learns XOR", async () => {
  const r = await trainXor({ epochs: 300 });
  assert.equal(r.accuracy, 1);
  assert.ok(
    r.probabilities[0] < 0.1 && r.probabilities[1] > 0.9 && r.probabilities[2] > 0.9 &&
      r.probabilities[3] < 0.1,
  );
});

Deno.test("examples/mnist.ts: two epochs on the real digits reach > 90 % test accuracy", async () => {
  const lines: string[] = [];
  const r = await trainMnist({ epochs: 2, log: (line) => lines.push(line) });
  // The full 10-epoch recipe reaches ~93 %; after two epochs Adam is at ~90-91 %.
  assert.ok(r.testAccuracy > 0.9, `test accuracy ${r.testAccuracy}`);
  assert.ok(r.loss[1] < r.loss[0], `loss should fall: ${r.loss}`);
  assert.equal(lines.filter((l) => l.startsWith("epoch")).length, 2);
  assert.match(lines[lines.length - 1], /test accuracy \d+\.\d\d %/);
});

Deno.test("examples/breast_cancer.ts: CSV, scaler, validation split and early stopping; the MLP and logistic regression beat the majority class", async () => {
  const lines: string[] = [];
  const r = await trainBreastCancer({ epochs: 15, outDir: null, log: (line) => lines.push(line) });
  // The full run (up to 100 epochs, early stopping) reaches ~99 % (both models); majority ~63 %.
  assert.ok(r.testAccuracy > 0.93, `test accuracy ${r.testAccuracy}`);
  assert.ok(r.loss[r.loss.length - 1] < r.loss[0] / 2, `loss should fall: ${r.loss}`);
  assert.equal(r.history.valLoss.length, r.loss.length); // validated every epoch
  // The positive class is malignant: 212 of 569 masses, a stratified fifth of them in the test set.
  const [benignRow, malignantRow] = r.evaluation.confusionMatrix!;
  const sum = (row: number[]) => row.reduce((a, b) => a + b, 0);
  assert.ok(
    Math.abs(sum(malignantRow) - 212 * 0.2) <= 1 && Math.abs(sum(benignRow) - 357 * 0.2) <= 1,
  );
  assert.equal(r.evaluation.sensitivity, malignantRow[1] / sum(malignantRow));
  // The majority class is benign: every malignant mass missed, a constant score.
  assert.ok(Math.abs(r.majority.accuracy - 357 / 569) < 0.01, `${r.majority.accuracy}`);
  assert.deepEqual([r.majority.sensitivity, r.majority.specificity, r.majority.rocAuc], [
    0,
    1,
    0.5,
  ]);
  for (const [name, e] of [["MLP", r.evaluation], ["logistic regression", r.logistic]] as const) {
    assert.ok(e.accuracy! > r.majority.accuracy + 0.25, `${name} accuracy ${e.accuracy}`);
    assert.ok(
      e.sensitivity! > 0.85 && e.specificity! > 0.9,
      `${name} ${e.sensitivity} ${e.specificity}`,
    );
    assert.ok(e.rocAuc! > 0.97, `${name} ROC AUC ${e.rocAuc}`);
  }
  const report = lines.join("\n");
  assert.match(report, /^logistic regression 30-1 +\d+\.\d % +\d+\.\d % +\d+\.\d % +0\.\d{4}/m);
  assert.match(report, /^MLP 30-16-1 tanh +\d+\.\d %/m);
  assert.match(report, /^stopped: (epochs|earlyStopping)/m);
});

Deno.test("examples/mnist_strong.ts: one epoch of the strong recipe beats one of the demo and of logistic regression", async () => {
  const lines: string[] = [];
  const r = await trainMnistStrong({
    epochs: 1,
    baselineEpochs: 1,
    copies: 0,
    outDir: null,
    log: (line) => lines.push(line),
  });
  // Full runs: strong ≈ 97 % (10 epochs, 2 shifted copies), demo 93.25 %, logistic ≈ 92 %;
  // after one epoch each (no copies) ≈ 91 %, 88 % and 83 %.
  assert.ok(r.testAccuracy > 0.89, `strong ${r.testAccuracy}`);
  assert.ok(r.testAccuracy > r.demoAccuracy, `strong ${r.testAccuracy} vs demo ${r.demoAccuracy}`);
  assert.ok(r.demoAccuracy > r.logisticAccuracy && r.logisticAccuracy > 0.7);
  assert.equal(r.history.metrics.valAccuracy.length, 1);
  assert.match(lines.join("\n"), /^demo 784-128-10 ReLU +\d+\.\d\d %/m);
});

Deno.test("examples/mnist_strong.ts: a shifted image is the original moved, its shifted copies are shifts of it (fast-check)", () => {
  const image = fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), {
    minLength: 784,
    maxLength: 784,
  });
  fc.assert(
    fc.property(
      image,
      fc.integer({ min: -3, max: 3 }),
      fc.integer({ min: -3, max: 3 }),
      (img, dx, dy) => {
        const there = shiftImage(img, dx, dy);
        const back = shiftImage(there, -dx, -dy);
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) {
            const inside = x + dx >= 0 && x + dx < 28 && y + dy >= 0 && y + dy < 28;
            assert.equal(back[y * 28 + x], inside ? Math.fround(img[y * 28 + x]) : 0);
            if (inside) assert.equal(there[(y + dy) * 28 + x + dx], Math.fround(img[y * 28 + x]));
          }
        }
      },
    ),
    { seed: SEED, numRuns: 30 },
  );
  const originals = Float32Array.from(
    { length: 3 * 784 },
    (_, i) => ((i * 7919) % 1000) / 1000 + 0.001,
  );
  const set = withShiftedCopies({ x: originals, y: Int32Array.of(4, 2, 9), count: 3 }, 2, 2, 1);
  assert.deepEqual([...set.x.subarray(0, 3 * 784)], [...originals]);
  for (let row = 3; row < 9; row++) {
    const original = originals.subarray((row % 3) * 784, (row % 3 + 1) * 784);
    const copy = set.x.subarray(row * 784, (row + 1) * 784);
    const shifts = [-2, -1, 0, 1, 2].flatMap((dx) => [-2, -1, 0, 1, 2].map((dy) => [dx, dy]));
    assert.ok(
      shifts.some(([dx, dy]) => shiftImage(original, dx, dy).every((v, i) => v === copy[i])),
      `copy ${row} is a shift of image ${row % 3} by at most 2 pixels`,
    );
    assert.equal(set.y[row], [4, 2, 9][row % 3]);
  }
});
