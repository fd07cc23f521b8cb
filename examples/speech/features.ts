/**
 * Speech features in TypeScript: MFCCs (mel-frequency cepstral
 * coefficients) of a mono signal, the classic front end of small spoken-word
 * recognizers (Davis & Mermelstein 1980; HTK's conventions):
 *
 * 1. pre-emphasis y[t] = x[t] − 0.97·x[t−1];
 * 2. frames of 25 ms every 10 ms, Hann window, zero-padded to a power of two;
 * 3. power spectrum |FFT|² of each frame;
 * 4. triangular filters equally spaced on the mel scale
 *    (mel = 2595·log₁₀(1 + f/700)), log of each band's energy;
 * 5. orthonormal DCT-II of the log energies; the first coefficients are kept.
 *
 * `trimSilence` cuts leading and trailing frames far below the loudest one,
 * and `resampleFrames` stretches the utterance to a fixed number of frames,
 * so every word becomes one fixed-size vector.
 *
 * @module
 */

/** Options of `mfcc`. */
export interface MfccOptions {
  /** Samples per second of the signal. */
  readonly sampleRate: number;
  /** Frame length in ms (default 25). */
  readonly frameMs?: number;
  /** Hop between frames in ms (default 10). */
  readonly hopMs?: number;
  /** Mel bands (default 26). */
  readonly melBands?: number;
  /** Cepstral coefficients kept, c0 included (default 13). */
  readonly coefficients?: number;
  /** Lowest frequency of the filterbank in Hz (default 20). */
  readonly lowHz?: number;
  /** Highest frequency in Hz (default: half the sample rate). */
  readonly highHz?: number;
}

/**
 * In-place radix-2 FFT of (re, im); the length must be a power of two.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fft } from "./features.ts";
 * const re = Float64Array.of(1, 1, 1, 1), im = new Float64Array(4);
 * fft(re, im);
 * assert.deepEqual([...re], [4, 0, 0, 0]);
 * ```
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0 || im.length !== n) {
    throw new RangeError(`fft: length ${n} is not a power of two (or re/im differ)`);
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/**
 * Hz to mel (HTK).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hzToMel } from "./features.ts";
 * assert.ok(Math.abs(hzToMel(1000) - 1000) < 0.1);
 * ```
 */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/**
 * Mel to Hz (HTK).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { melToHz } from "./features.ts";
 * assert.ok(Math.abs(melToHz(1000) - 1000) < 0.1);
 * ```
 */
export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * Triangular mel filters over the bins 0..fftSize/2 of a power spectrum:
 * `bands` rows of `fftSize/2 + 1` weights; filter m rises from center m−1 to
 * center m and falls to center m+1 (centers equally spaced in mel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { melFilterbank } from "./features.ts";
 * const bank = melFilterbank(8000, 256, 10, 0, 4000);
 * assert.equal(bank.length, 10);
 * assert.equal(bank[0].length, 129);
 * ```
 */
export function melFilterbank(
  sampleRate: number,
  fftSize: number,
  bands: number,
  lowHz: number,
  highHz: number,
): Float64Array[] {
  const bins = fftSize / 2 + 1;
  const lowMel = hzToMel(lowHz);
  const highMel = hzToMel(highHz);
  const centers = Array.from(
    { length: bands + 2 },
    (_, i) => melToHz(lowMel + ((highMel - lowMel) * i) / (bands + 1)),
  );
  const binHz = sampleRate / fftSize;
  return Array.from({ length: bands }, (_, m) => {
    const [left, center, right] = [centers[m], centers[m + 1], centers[m + 2]];
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      if (f > left && f < right) {
        row[k] = f <= center ? (f - left) / (center - left) : (right - f) / (right - center);
      }
    }
    return row;
  });
}

/**
 * Orthonormal DCT-II of `x`, first `count` coefficients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dct } from "./features.ts";
 * const c = dct(Float64Array.of(2, 2, 2, 2), 3);
 * assert.ok(Math.abs(c[0] - 4) < 1e-12 && Math.abs(c[1]) < 1e-12);
 * ```
 */
export function dct(x: Float64Array, count: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * Math.cos((Math.PI / n) * (i + 0.5) * k);
    out[k] = s * Math.sqrt((k === 0 ? 1 : 2) / n);
  }
  return out;
}

/**
 * MFCC frames of a signal: one `coefficients`-long vector per 10 ms hop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mfcc } from "./features.ts";
 * const tone = Float32Array.from({ length: 8000 }, (_, t) => Math.sin(2 * Math.PI * 440 * t / 16000));
 * const frames = mfcc(tone, { sampleRate: 16000 });
 * assert.equal(frames.length, 48);
 * assert.equal(frames[0].length, 13);
 * ```
 */
export function mfcc(signal: Float32Array, options: MfccOptions): Float64Array[] {
  const rate = options.sampleRate;
  const frame = Math.round(((options.frameMs ?? 25) * rate) / 1000);
  const hop = Math.round(((options.hopMs ?? 10) * rate) / 1000);
  let fftSize = 1;
  while (fftSize < frame) fftSize *= 2;
  const bands = options.melBands ?? 26;
  const bank = melFilterbank(rate, fftSize, bands, options.lowHz ?? 20, options.highHz ?? rate / 2);
  const window = Float64Array.from(
    { length: frame },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (frame - 1)),
  );
  const emphasized = new Float64Array(signal.length);
  for (let t = 0; t < signal.length; t++) {
    emphasized[t] = signal[t] - (t > 0 ? 0.97 * signal[t - 1] : 0);
  }
  const frames: Float64Array[] = [];
  const re = new Float64Array(fftSize);
  const im = new Float64Array(fftSize);
  const energies = new Float64Array(bands);
  for (let start = 0; start + frame <= signal.length; start += hop) {
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < frame; i++) re[i] = emphasized[start + i] * window[i];
    fft(re, im);
    for (let m = 0; m < bands; m++) {
      let e = 0;
      const row = bank[m];
      for (let k = 0; k < row.length; k++) {
        if (row[k] !== 0) e += row[k] * (re[k] * re[k] + im[k] * im[k]);
      }
      energies[m] = Math.log(e + 1e-10);
    }
    frames.push(dct(energies, options.coefficients ?? 13));
  }
  return frames;
}

/**
 * The signal without its leading and trailing quiet parts: 10 ms blocks
 * whose energy is more than `thresholdDb` below the loudest block's are cut
 * from both ends (never the middle).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trimSilence } from "./features.ts";
 * const s = new Float32Array(3000);
 * s.fill(0.5, 1000, 2000);
 * assert.equal(trimSilence(s, 10000, 40).length, 1000);
 * ```
 */
export function trimSilence(
  signal: Float32Array,
  sampleRate: number,
  thresholdDb = 40,
): Float32Array {
  const block = Math.max(1, Math.round(sampleRate / 100));
  const blocks = Math.floor(signal.length / block);
  const energy = Float64Array.from({ length: blocks }, (_, b) => {
    let e = 0;
    for (let i = b * block; i < (b + 1) * block; i++) e += signal[i] * signal[i];
    return e / block;
  });
  const loudest = Math.max(...energy, 1e-20);
  const floor = loudest * 10 ** (-thresholdDb / 10);
  let first = 0;
  while (first < blocks && energy[first] < floor) first++;
  let last = blocks - 1;
  while (last > first && energy[last] < floor) last--;
  if (first >= blocks) return signal.subarray(0, 0);
  return signal.subarray(first * block, (last + 1) * block);
}

/**
 * Stretches (or shrinks) a sequence of frames to exactly `count` frames by
 * linear interpolation in time; returns them flattened, frame after frame.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resampleFrames } from "./features.ts";
 * const out = resampleFrames([Float64Array.of(0), Float64Array.of(2)], 3);
 * assert.deepEqual([...out], [0, 1, 2]);
 * ```
 */
export function resampleFrames(frames: readonly Float64Array[], count: number): Float64Array {
  if (frames.length === 0) throw new RangeError("resampleFrames: no frames");
  const width = frames[0].length;
  const out = new Float64Array(count * width);
  for (let t = 0; t < count; t++) {
    const pos = count === 1 ? 0 : (t * (frames.length - 1)) / (count - 1);
    const i = Math.floor(pos);
    const j = Math.min(i + 1, frames.length - 1);
    const w = pos - i;
    for (let c = 0; c < width; c++) {
      out[t * width + c] = (1 - w) * frames[i][c] + w * frames[j][c];
    }
  }
  return out;
}
