/**
 * Builds the spoken-digits data set from synthesized speech. No recorded
 * speech corpus is reachable from where mlpc is developed, so this corpus is
 * made, honestly, with Debian's `espeak-ng`: the words "zero" … "nine"
 * spoken by every espeak-ng voice variant (the speakers), each in two of
 * eight English accents, at two speaking rates and two pitches drawn around
 * a per-speaker value, with white noise at a random signal-to-noise ratio of
 * 0–20 dB. Each utterance becomes 20 frames × 13 MFCCs (`features.ts`),
 * stored as bytes with the per-coefficient range.
 *
 * Regenerating needs espeak-ng (`apt-get install espeak-ng`); running the
 * example does not. Deterministic for a given espeak-ng version:
 *
 *     deno run --allow-run=espeak-ng --allow-write=examples/data examples/speech/generate.ts
 *
 * @module
 */

import { mfcc, resampleFrames, trimSilence } from "./features.ts";
import { uniform } from "../../runtime/prng.ts";

export const WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
];
export const ACCENTS = [
  "en-us",
  "en-gb",
  "en-gb-scotland",
  "en-gb-x-gbclan",
  "en-gb-x-rp",
  "en-gb-x-gbcwmd",
  "en-029",
  "en-us-nyc",
];
export const FRAMES = 20;
export const COEFFICIENTS = 13;
const SEED = 20261130;

async function run(args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("espeak-ng", { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`espeak-ng ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

/** The samples of espeak-ng's 16-bit mono WAV output (its header's sizes are unset on stdout). */
function wavSamples(bytes: Uint8Array): { samples: Float32Array; rate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rate = view.getUint32(24, true);
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = new TextDecoder().decode(bytes.subarray(pos, pos + 4));
    if (id === "data") break;
    pos += 8 + view.getUint32(pos + 4, true);
  }
  const start = pos + 8;
  const count = Math.floor((bytes.length - start) / 2);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(start + 2 * i, true) / 32768;
  return { samples, rate };
}

async function variants(): Promise<string[]> {
  const text = new TextDecoder().decode(await run(["--voices=variant"]));
  return text.trim().split("\n").slice(1).map((line) =>
    line.trim().split(/\s+/)[4].replace("!v/", "")
  )
    .sort();
}

interface Utterance {
  label: number;
  speaker: number;
  accent: number;
  features: Float64Array;
}

async function utterance(
  word: number,
  speaker: number,
  variant: string,
  accent: number,
  speed: number,
  pitch: number,
  stream: number,
): Promise<Utterance | null> {
  const wav = await run([
    "-v",
    `${ACCENTS[accent]}+${variant}`,
    "-s",
    String(speed),
    "-p",
    String(pitch),
    "--stdout",
    WORDS[word],
  ]);
  const { samples, rate } = wavSamples(wav);
  const speech = Float32Array.from(trimSilence(samples, rate, 40));
  if (speech.length < rate / 10) return null; // under 100 ms of speech: nothing usable
  let power = 0;
  for (const s of speech) power += s * s;
  power /= speech.length;
  const snrDb = 20 * uniform(SEED, stream, 0);
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  for (let t = 0; t < speech.length; t++) {
    // Box–Muller from the counter-based generator: reproducible noise.
    const u1 = Math.max(uniform(SEED, stream, 2 * t + 1), 1e-12);
    const u2 = uniform(SEED, stream, 2 * t + 2);
    speech[t] += sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  const frames = mfcc(speech, { sampleRate: rate, coefficients: COEFFICIENTS });
  return { label: word, speaker, accent, features: resampleFrames(frames, FRAMES) };
}

async function main(): Promise<void> {
  const speakers = await variants();
  const jobs: (() => Promise<Utterance | null>)[] = [];
  speakers.forEach((variant, speaker) => {
    const basePitch = 30 + Math.floor(40 * uniform(SEED, 1_000_000 + speaker, 0));
    const baseSpeed = 140 + Math.floor(40 * uniform(SEED, 1_000_000 + speaker, 1));
    const accents = [
      Math.floor(ACCENTS.length * uniform(SEED, 1_000_000 + speaker, 2)),
      Math.floor(ACCENTS.length * uniform(SEED, 1_000_000 + speaker, 3)),
    ];
    for (let word = 0; word < WORDS.length; word++) {
      for (const accent of accents) {
        for (const dSpeed of [-35, 35]) {
          for (const dPitch of [-15, 15]) {
            const stream = jobs.length;
            jobs.push(() =>
              utterance(
                word,
                speaker,
                variant,
                accent,
                baseSpeed + dSpeed,
                basePitch + dPitch,
                stream,
              )
            );
          }
        }
      }
    }
  });
  const results: (Utterance | null)[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
      if (i % 500 === 0) console.error(`${i}/${jobs.length}`);
    }
  }));
  const kept = results.filter((u): u is Utterance => u !== null);
  const width = FRAMES * COEFFICIENTS;
  const min = new Array(COEFFICIENTS).fill(Infinity);
  const max = new Array(COEFFICIENTS).fill(-Infinity);
  for (const u of kept) {
    u.features.forEach((v, i) => {
      const c = i % COEFFICIENTS;
      min[c] = Math.min(min[c], v);
      max[c] = Math.max(max[c], v);
    });
  }
  // One record per utterance: label, speaker (u16 LE), accent, then the features as bytes.
  const record = 4 + width;
  const bytes = new Uint8Array(kept.length * record);
  kept.forEach((u, r) => {
    const o = r * record;
    bytes[o] = u.label;
    bytes[o + 1] = u.speaker & 255;
    bytes[o + 2] = u.speaker >> 8;
    bytes[o + 3] = u.accent;
    u.features.forEach((v, i) => {
      const c = i % COEFFICIENTS;
      bytes[o + 4 + i] = Math.round((255 * (v - min[c])) / (max[c] - min[c]));
    });
  });
  const gz = new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  const version = new TextDecoder().decode(await run(["--version"])).trim();
  await Deno.writeFile("examples/data/spoken_digits.bin.gz", gz);
  await Deno.writeTextFile(
    "examples/data/spoken_digits.json",
    JSON.stringify(
      {
        generator: "examples/speech/generate.ts",
        espeak: version,
        words: WORDS,
        accents: ACCENTS,
        speakers,
        frames: FRAMES,
        coefficients: COEFFICIENTS,
        record: "label u8, speaker u16 little-endian, accent u8, frames × coefficients u8",
        quantization: { min, max },
        utterances: kept.length,
        skipped: results.length - kept.length,
      },
      null,
      1,
    ) + "\n",
  );
  console.error(
    `${kept.length} utterances (${results.length - kept.length} skipped), ${gz.length} bytes`,
  );
}

if (import.meta.main) await main();
