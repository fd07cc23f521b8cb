// A text model on 10⁴ token lists over a 20k vocabulary, trained through
// token-list inputs (embeddingBag, and a bag-of-words logistic regression as
// a sparse product) and, for comparison, through today's dense alternative:
// the bag of words as a dense 20,000-wide input.
//
// The embedding-bag model sums its rows and draws them as dense(20000 → 64)
// draws its weight, so it computes the same function as the dense MLP on
// word counts, from the same initial values; the two logistic regressions
// are the same function too.
//
// Reports, per model: module memory (bytes), host memory of the training
// data, the process's resident memory after training (RSS) and its peak so
// far (VmHWM: Linux, and only with -A, which Deno asks to read it; run one
// model per process with --only for per-model figures), compile time,
// seconds per epoch (median of 3 epochs after one warm-up epoch) and test
// accuracy. The corpus is synthetic (Zipf-distributed words; each class has
// its own 40 marker words, one or two per line).
//
//     deno run -A bench/text_inputs_bench.ts [--lines 10000] [--vocab 20000]
//         [--batch 64] [--skip-dense] [--only bag|bow|dense-mlp|dense-lr]
import { parseArgs } from "node:util";
import {
  adam,
  chain,
  compile,
  dense,
  embeddingBag,
  relu,
  softmaxCrossEntropy,
  tokens,
} from "../mod.ts";
import { uniform } from "../runtime/prng.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    lines: { type: "string", default: "10000" },
    vocab: { type: "string", default: "20000" },
    batch: { type: "string", default: "64" },
    "skip-dense": { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const LINES = Number(args.values.lines);
const VOCAB = Number(args.values.vocab);
const CLASSES = 6;
const BATCH = Number(args.values.batch);
const ONLY = args.values.only;
const DIM = 64;
const MAX_LENGTH = 40;

/** Zipf(1.1) word ids by inverse transform over a precomputed CDF. */
function corpus(lines: number, seed: number) {
  let counter = 0;
  const next = () => uniform(seed, 7, counter++);
  const weights = Float64Array.from({ length: VOCAB }, (_, i) => 1 / (i + 1) ** 1.1);
  const cdf = new Float64Array(VOCAB);
  weights.reduce((acc, w, i) => (cdf[i] = acc + w), 0);
  const total = cdf[VOCAB - 1];
  const word = () => {
    const u = next() * total;
    let lo = 0;
    let hi = VOCAB - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const texts: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < lines; i++) {
    const label = Math.floor(next() * CLASSES);
    const length = 4 + Math.floor(next() * (MAX_LENGTH - 3));
    const line = Array.from({ length }, word);
    // Marker words of the class: 40 per class, in the middle of the frequency range.
    const markers = 1 + Math.floor(next() * 2);
    for (let k = 0; k < markers; k++) {
      line[Math.floor(next() * length)] = 1000 + label * 40 + Math.floor(next() * 40);
    }
    texts.push(line);
    labels.push(label);
  }
  return { texts, labels };
}

function denseCounts(texts: readonly number[][]): Float32Array {
  const x = new Float32Array(texts.length * VOCAB);
  texts.forEach((line, r) => line.forEach((id) => x[r * VOCAB + id]++));
  return x;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const train = corpus(LINES, 1);
const test = corpus(Math.round(LINES / 4), 2);
const tokensIn = train.texts.reduce((n, l) => n + l.length, 0);
console.log(
  `corpus: ${LINES} training lines (${tokensIn} tokens), ${test.texts.length} test lines, ` +
    `vocabulary ${VOCAB}, ${CLASSES} classes, batch ${BATCH} ` +
    `(${Math.round((tokensIn / LINES) * BATCH)} tokens per batch on average)`,
);

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
interface Row {
  name: string;
  memoryBytes: number;
  hostBytes: number;
  compileMs: number;
  secondsPerEpoch: number;
  accuracy: number;
  rssBytes: number;
  peakRssBytes: number | null;
}
const rows: Row[] = [];

/** The process's peak resident set (VmHWM), or null where /proc is absent or not readable (Deno needs -A). */
function peakRss(): number | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = status.match(/^VmHWM:\s+(\d+) kB/m);
    return kb === null ? null : Number(kb[1]) * 1024;
  } catch {
    return null;
  }
}

// The process before any model: the corpus as token lists, the runtime, the compiler.
const base = peakRss();
console.log(
  `before any model: RSS ${mib(Deno.memoryUsage().rss)}, peak ${base === null ? "?" : mib(base)}`,
);

async function run(
  key: string,
  name: string,
  model: Parameters<typeof compile>[0],
  extra: Partial<Parameters<typeof compile>[1]>,
  xTrain: unknown,
  xTest: unknown,
  hostBytes: number,
) {
  if (ONLY !== undefined && ONLY !== key) return;
  const t0 = performance.now();
  const trainer = await compile(model, {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 2e-3 }),
    batchSize: BATCH,
    seed: 1,
    ...extra,
  });
  const compileMs = performance.now() - t0;
  const history = trainer.fit(xTrain as never, train.labels, { epochs: 4, seed: 1 });
  const row = {
    name,
    memoryBytes: trainer.artifact.memoryBytes,
    hostBytes,
    compileMs,
    secondsPerEpoch: median(history.seconds.slice(1)),
    accuracy: trainer.evaluate(xTest as never, test.labels).accuracy!,
    rssBytes: Deno.memoryUsage().rss,
    peakRssBytes: peakRss(),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}

const maxTokens = BATCH * MAX_LENGTH;
const tokenBytes = tokensIn * 4 + (LINES + 1) * 4;
await run(
  "bag",
  `embeddingBag(${VOCAB} → ${DIM}, sum) → relu → dense(${DIM} → ${CLASSES}), token lists`,
  chain(
    embeddingBag(VOCAB, DIM, { pool: "sum", init: "glorotUniform" }),
    relu,
    dense(DIM, CLASSES),
  ),
  { inputs: tokens({ maxTokens }) },
  train.texts,
  test.texts,
  tokenBytes,
);
await run(
  "bow",
  `bag-of-words logistic regression dense(${VOCAB} → ${CLASSES}), token lists`,
  dense(VOCAB, CLASSES),
  { inputs: tokens({ maxTokens }) },
  train.texts,
  test.texts,
  tokenBytes,
);
const denseWanted = ONLY === undefined ? !args.values["skip-dense"] : ONLY.startsWith("dense");
if (denseWanted) {
  const xTrain = denseCounts(train.texts);
  const xTest = denseCounts(test.texts);
  await run(
    "dense-mlp",
    `dense(${VOCAB} → ${DIM}) → relu → dense(${DIM} → ${CLASSES}), dense ${VOCAB}-wide counts`,
    chain(dense(VOCAB, DIM), relu, dense(DIM, CLASSES)),
    {},
    xTrain,
    xTest,
    xTrain.byteLength,
  );
  await run(
    "dense-lr",
    `logistic regression dense(${VOCAB} → ${CLASSES}), dense ${VOCAB}-wide counts`,
    dense(VOCAB, CLASSES),
    {},
    xTrain,
    xTest,
    xTrain.byteLength,
  );
}

console.log(
  "\n| model | module memory | training data in memory | RSS after training | peak RSS so far " +
    "| s/epoch | test accuracy |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${mib(r.memoryBytes)} | ${mib(r.hostBytes)} | ${mib(r.rssBytes)} | ` +
      `${r.peakRssBytes === null ? "?" : mib(r.peakRssBytes)} | ${
        r.secondsPerEpoch.toFixed(2)
      } | ` +
      `${(100 * r.accuracy).toFixed(1)} % |`,
  );
}
