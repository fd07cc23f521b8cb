/**
 * Interleaved A/B of the training step of two checkouts of mlpc in one
 * process: the demo model (784-128-10 ReLU, softmax cross-entropy, batch 64)
 * with the chosen optimizer, on the same synthetic batch. Rounds alternate
 * A and B (A first in even rounds, B first in odd ones); the report is the
 * median per-round time ratio B/A and each side's median step time.
 *
 * Run: `deno run -A bench/ab_step.ts <root A> <root B> [sgd|adam|…] [rounds] [extra compile options as JSON]`
 * where each root is a directory holding an mlpc `mod.ts` (e.g. an older
 * commit unpacked with `git archive <commit> | tar -x -C <dir>`).
 *
 * @module
 */

const [rootA, rootB, kind = "adam", roundsText = "30", extraText = "{}"] = Deno.args;
if (rootA === undefined || rootB === undefined) {
  console.error("usage: ab_step.ts <root A> <root B> [optimizer] [rounds] [options JSON]");
  Deno.exit(2);
}
const rounds = Number(roundsText);
const extra = JSON.parse(extraText);
const STEPS = 200;
const BATCH = 64;

// deno-lint-ignore no-explicit-any
async function build(root: string, optimizerOptions: any): Promise<{ step: () => number }> {
  const m = await import(new URL(`file://${Deno.realPathSync(root)}/mod.ts`).href);
  const model = m.chain(m.dense(784, 128), m.relu, m.dense(128, 10));
  const factory = m[kind];
  const trainer = await m.compile(model, {
    loss: m.softmaxCrossEntropy,
    optimizer: factory({ lr: 1e-3, ...optimizerOptions }),
    batchSize: BATCH,
    seed: 1,
  });
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const x = { data: Float32Array.from({ length: BATCH * 784 }, rand), shape: [BATCH, 784] };
  const y = Int32Array.from({ length: BATCH }, (_, i) => i % 10);
  return { step: () => trainer.trainBatch(x, y) };
}

const a = await build(rootA, extra.a ?? {});
const b = await build(rootB, extra.b ?? {});
const time = (side: { step: () => number }) => {
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) side.step();
  return (performance.now() - start) / STEPS;
};
time(a);
time(b); // warm-up
const ratios: number[] = [];
const ta: number[] = [];
const tb: number[] = [];
for (let r = 0; r < rounds; r++) {
  let x: number, y: number;
  if (r % 2 === 0) {
    x = time(a);
    y = time(b);
  } else {
    y = time(b);
    x = time(a);
  }
  ta.push(x);
  tb.push(y);
  ratios.push(y / x);
}
const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
const q = (v: number[], f: number) => [...v].sort((p, q) => p - q)[Math.floor((v.length - 1) * f)];
console.log(
  `${kind} ${JSON.stringify(extra)}: A ${median(ta).toFixed(4)} ms/step, B ${
    median(tb).toFixed(4)
  } ms/step, B/A median ${median(ratios).toFixed(3)} (quartiles ${q(ratios, 0.25).toFixed(3)}–${
    q(ratios, 0.75).toFixed(3)
  }, ${rounds} rounds × ${STEPS} steps)`,
);
