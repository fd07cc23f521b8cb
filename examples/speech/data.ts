/**
 * Loads the spoken-digits corpus made by `generate.ts` (examples/data/
 * spoken_digits.*): MFCC features as a Float32Array, labels, and the
 * speaker and accent of each utterance, so that a split can keep test
 * speakers out of training.
 *
 * @module
 */

/** The corpus in memory. */
export interface SpokenDigits {
  /** Features, `rows × (frames·coefficients)`, frame after frame, in MFCC units. */
  readonly x: Float32Array;
  /** Digit of each utterance, 0–9. */
  readonly y: Int32Array;
  /** Speaker index of each utterance (into `speakers`). */
  readonly speaker: Uint16Array;
  /** Accent index of each utterance (into `accents`). */
  readonly accent: Uint8Array;
  /** Speaker names (espeak-ng voice variants). */
  readonly speakers: readonly string[];
  /** Accent names (espeak-ng languages). */
  readonly accents: readonly string[];
  /** The words, by label. */
  readonly words: readonly string[];
  /** Features per utterance. */
  readonly features: number;
}

const DIR = new URL("../data/", import.meta.url);

/**
 * Reads and dequantizes the corpus (needs read access to examples/data).
 *
 * @example
 * ```ts ignore
 * import { loadSpokenDigits } from "./data.ts";
 * const data = await loadSpokenDigits();
 * console.log(data.y.length, data.features); // 8080 260
 * ```
 */
export async function loadSpokenDigits(): Promise<SpokenDigits> {
  const meta = JSON.parse(await Deno.readTextFile(new URL("spoken_digits.json", DIR)));
  const gz = await Deno.readFile(new URL("spoken_digits.bin.gz", DIR));
  const bytes = new Uint8Array(
    await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")))
      .arrayBuffer(),
  );
  const coefficients: number = meta.coefficients;
  const features = meta.frames * coefficients;
  const record = 4 + features;
  const rows = bytes.length / record;
  if (!Number.isInteger(rows) || rows !== meta.utterances) {
    throw new Error(
      `spoken_digits.bin.gz holds ${bytes.length} bytes, not ${meta.utterances} records`,
    );
  }
  const { min, max } = meta.quantization as { min: number[]; max: number[] };
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  const speaker = new Uint16Array(rows);
  const accent = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * record;
    y[r] = bytes[o];
    speaker[r] = bytes[o + 1] | (bytes[o + 2] << 8);
    accent[r] = bytes[o + 3];
    for (let i = 0; i < features; i++) {
      const c = i % coefficients;
      x[r * features + i] = min[c] + (bytes[o + 4 + i] / 255) * (max[c] - min[c]);
    }
  }
  return {
    x,
    y,
    speaker,
    accent,
    speakers: meta.speakers,
    accents: meta.accents,
    words: meta.words,
    features,
  };
}
