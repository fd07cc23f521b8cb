// Snapshots of what the compiler generates for a small model, reached through
// the public API: the forward graph, the gradient graph, the optimized
// training graph, the fusion, the memory plan and the WebAssembly text. A
// change that alters any of them shows up as a diff here. To accept changes:
// `deno task snapshots` (runs this file with `-- --update`).
import assert from "node:assert/strict";
import { adam, chain, compile, dense, mse, relu, sgd, softmaxCrossEntropy, tanh } from "../mod.ts";

const update = Deno.args.includes("--update");
const dir = new URL("./snapshots/", import.meta.url);

async function matches(name: string, actual: string): Promise<void> {
  const file = new URL(name, dir);
  if (update) {
    await Deno.writeTextFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(file);
  } catch {
    throw new Error(`No snapshot ${name}: run \`deno task snapshots\` to create it`);
  }
  assert.equal(
    actual,
    expected,
    `${name} differs from its snapshot; if intended, run \`deno task snapshots\``,
  );
}

const inspection = (await compile(chain(dense(3, 4), tanh, dense(4, 2)), {
  loss: mse,
  optimizer: sgd({ lr: 0.1 }),
  batchSize: 4,
})).inspect();

for (
  const key of ["graph", "gradientGraph", "trainGraph", "fusion", "memoryPlan", "wat"] as const
) {
  Deno.test(`snapshot: ${key} of a 3-4-2 tanh MLP`, async () => {
    assert.ok(inspection[key].length > 0);
    await matches(`small_mlp.${key === "wat" ? "wat" : `${key}.txt`}`, inspection[key]);
  });
}

// A classifier: the relu epilogue, the fused softmax cross-entropy kernels and
// Adam's update loops (graphs, fusion and plan; the WAT of the first model
// already covers every kernel emitter but these).
const classifier = (await compile(chain(dense(5, 6), relu, dense(6, 3)), {
  loss: softmaxCrossEntropy,
  optimizer: adam({ lr: 1e-3 }),
  batchSize: 4,
})).inspect();
for (const key of ["trainGraph", "fusion", "memoryPlan"] as const) {
  Deno.test(`snapshot: ${key} of a 5-6-3 relu classifier with Adam`, async () => {
    await matches(`classifier.${key}.txt`, classifier[key]);
  });
}
Deno.test("snapshot: the classifier's kernels include the fused forms", () => {
  assert.match(classifier.fusion, /matmul %\d+ \+ epilogue/);
  assert.match(classifier.fusion, /softmaxce %\d+/);
  assert.match(classifier.fusion, /softmaxcegrad %\d+/);
});

Deno.test("snapshot contents mention what they claim", () => {
  assert.match(inspection.graph, /matmul %\d+ %\d+ : f32\[batch,4\]/);
  assert.match(inspection.gradientGraph, /output grad:0\.weight = %\d+/);
  assert.match(inspection.wat, /\(export "train"/);
  assert.match(inspection.wat, /f32x4/);
});
