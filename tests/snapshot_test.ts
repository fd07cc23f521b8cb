// Snapshots of what the compiler generates for a small model, reached through
// the public API: the forward graph, the gradient graph, the optimized
// training graph, the fusion, the memory plan and the WebAssembly text of the
// `train` function (the kernel calls of one step; the kernels' own code is
// checked by value in the emitter tests, and its text would churn with every
// Binaryen upgrade). A change that alters any of them shows up as a diff
// here. To accept changes: `deno task snapshots` (runs this file with
// `-- --update`).
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

/** The text of the function `$name` in a module's WAT: from `(func $name` to its closing parenthesis. */
function functionText(wat: string, name: string): string {
  const start = wat.indexOf(`(func $${name} `);
  assert.ok(start >= 0, `no function $${name} in the WAT`);
  let depth = 0;
  for (let i = start; i < wat.length; i++) {
    if (wat[i] === "(") depth++;
    else if (wat[i] === ")" && --depth === 0) return wat.slice(start, i + 1) + "\n";
  }
  throw new Error(`unbalanced WAT after $${name}`);
}

const inspection = (await compile(chain(dense(3, 4), tanh, dense(4, 2)), {
  loss: mse,
  optimizer: sgd({ lr: 0.1 }),
  batchSize: 4,
})).inspect();

for (const key of ["graph", "gradientGraph", "trainGraph", "fusion", "memoryPlan"] as const) {
  Deno.test(`snapshot: ${key} of a 3-4-2 tanh MLP`, async () => {
    assert.ok(inspection[key].length > 0);
    await matches(`small_mlp.${key}.txt`, inspection[key]);
  });
}
Deno.test("snapshot: the train function's WAT of a 3-4-2 tanh MLP", async () => {
  await matches("small_mlp.train.wat", functionText(inspection.wat, "train"));
});

// A classifier: the relu epilogue, the fused softmax cross-entropy kernels and
// Adam's update loops.
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
Deno.test("snapshot: the train function's WAT of a 5-6-3 relu classifier with Adam", async () => {
  await matches("classifier.train.wat", functionText(classifier.wat, "train"));
});
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
  const train = functionText(inspection.wat, "train");
  // The calls follow the fusion's kernels in order (a reshape sharing its operand's buffer has none).
  const calls = [...train.matchAll(/call \$train_k(\d+)_(\w+)/g)].map(([, k, kind]) =>
    `k${k} ${kind}`
  );
  const kernels = inspection.fusion.split("\n").map((line) =>
    line.split(" ").slice(0, 2).join(" ")
  );
  assert.deepEqual(calls, kernels.filter((k) => !k.endsWith("reshape") && k !== ""));
});
