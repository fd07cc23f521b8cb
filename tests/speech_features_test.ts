/**
 * The speech front end of examples/spoken_digits.ts against independent
 * references: the FFT against a naive DFT, the mel scale against its closed
 * form, the filterbank's shape, a pure tone's energy in the right band, the
 * DCT's orthonormality, and the corpus file's integrity.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  dct,
  fft,
  hzToMel,
  melFilterbank,
  melToHz,
  mfcc,
  resampleFrames,
  trimSilence,
} from "../examples/speech/features.ts";
import { loadSpokenDigits } from "../examples/speech/data.ts";
import { SEED } from "./helpers.ts";

Deno.test("fft equals a naive DFT (fast-check, lengths 1–256)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 8 }).chain((log) =>
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
          minLength: 2 ** log,
          maxLength: 2 ** log,
        })
      ),
      (values) => {
        const n = values.length;
        const re = Float64Array.from(values);
        const im = new Float64Array(n);
        fft(re, im);
        for (let k = 0; k < n; k++) {
          let sr = 0;
          let si = 0;
          for (let t = 0; t < n; t++) {
            sr += values[t] * Math.cos((-2 * Math.PI * k * t) / n);
            si += values[t] * Math.sin((-2 * Math.PI * k * t) / n);
          }
          assert.ok(Math.abs(re[k] - sr) < 1e-9 && Math.abs(im[k] - si) < 1e-9, `bin ${k}`);
        }
      },
    ),
    { seed: SEED, numRuns: 60 },
  );
  assert.throws(() => fft(new Float64Array(3), new Float64Array(3)), /power of two/);
});

Deno.test("mel scale: HTK's closed form, and melToHz inverts hzToMel", () => {
  assert.ok(Math.abs(hzToMel(700) - 2595 * Math.log10(2)) < 1e-9);
  for (const hz of [0, 100, 440, 1000, 4000, 11025]) {
    assert.ok(Math.abs(melToHz(hzToMel(hz)) - hz) < 1e-9 * Math.max(1, hz));
  }
});

Deno.test("mel filterbank: triangles peak near their centers and overlap into a partition", () => {
  const rate = 16000;
  const size = 512;
  const bank = melFilterbank(rate, size, 20, 20, 8000);
  const binHz = rate / size;
  for (let m = 0; m < bank.length; m++) {
    const peak = bank[m].indexOf(Math.max(...bank[m]));
    const center = melToHz(hzToMel(20) + ((hzToMel(8000) - hzToMel(20)) * (m + 1)) / 21);
    assert.ok(Math.abs(peak * binHz - center) <= binHz, `filter ${m}`);
    assert.ok(bank[m].every((w) => w >= 0 && w <= 1));
  }
  // Between the first and last centers, neighbouring triangles sum to 1.
  const first = melToHz(hzToMel(20) + (hzToMel(8000) - hzToMel(20)) / 21);
  const last = melToHz(hzToMel(20) + ((hzToMel(8000) - hzToMel(20)) * 20) / 21);
  for (let k = Math.ceil(first / binHz); k * binHz < last; k++) {
    const total = bank.reduce((s, row) => s + row[k], 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `bin ${k} sums to ${total}`);
  }
});

Deno.test("a pure tone puts its energy in the band of its frequency", () => {
  const rate = 16000;
  for (const hz of [300, 1000, 3000]) {
    const tone = Float32Array.from(
      { length: 4000 },
      (_, t) => Math.sin((2 * Math.PI * hz * t) / rate),
    );
    // With every coefficient kept, the DCT is invertible: recover the log band energies.
    const frames = mfcc(tone, { sampleRate: rate, melBands: 26, coefficients: 26 });
    const logEnergy = new Float64Array(26);
    for (let i = 0; i < 26; i++) {
      let s = 0;
      for (let k = 0; k < 26; k++) {
        s += frames[10][k] * Math.cos((Math.PI / 26) * (i + 0.5) * k) *
          Math.sqrt((k === 0 ? 1 : 2) / 26);
      }
      logEnergy[i] = s;
    }
    const band = logEnergy.indexOf(Math.max(...logEnergy));
    const bank = melFilterbank(rate, 512, 26, 20, rate / 2);
    const bin = Math.round((hz * 512) / rate);
    const expected = bank.map((row) => row[bin]).indexOf(Math.max(...bank.map((row) => row[bin])));
    assert.ok(Math.abs(band - expected) <= 1, `${hz} Hz: band ${band}, expected ${expected}`);
  }
});

Deno.test("dct is orthonormal: energy is preserved when every coefficient is kept", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }),
      (v) => {
        const x = Float64Array.from(v);
        const c = dct(x, x.length);
        const ex = x.reduce((s, a) => s + a * a, 0);
        const ec = c.reduce((s, a) => s + a * a, 0);
        assert.ok(Math.abs(ex - ec) <= 1e-9 * Math.max(1, ex));
      },
    ),
    { seed: SEED, numRuns: 100 },
  );
});

Deno.test("resampleFrames interpolates linearly; trimSilence cuts only the ends", () => {
  const frames = [Float64Array.of(0, 10), Float64Array.of(3, 13), Float64Array.of(6, 16)];
  assert.deepEqual([...resampleFrames(frames, 5)], [0, 10, 1.5, 11.5, 3, 13, 4.5, 14.5, 6, 16]);
  const s = new Float32Array(5000);
  s.fill(0.5, 1000, 2000);
  s.fill(0.4, 3000, 4000); // a quiet gap in the middle is kept
  const trimmed = trimSilence(s, 10000, 40);
  assert.equal(trimmed.length, 3000);
  assert.equal(trimmed[0], 0.5);
});

Deno.test("the committed corpus: 10 balanced digits, every speaker present, features in range", async () => {
  const data = await loadSpokenDigits();
  const rows = data.y.length;
  assert.ok(rows > 8000);
  const perDigit = new Array(10).fill(0);
  data.y.forEach((d) => perDigit[d]++);
  assert.ok(perDigit.every((c) => c === rows / 10), `${perDigit}`);
  assert.equal(new Set(data.speaker).size, data.speakers.length);
  assert.ok(data.x.every(Number.isFinite));
});
