// The threaded step: with several threads every parameter, optimizer state,
// loss, prediction and evaluation is the same bits as with one thread; the
// workers are really used (the module's command counter), stopped by
// dispose, and do not keep a process alive; where shared memory is missing
// a threaded artifact runs on one thread, and compile says why.
import assert from "node:assert/strict";
import {
  adam,
  adamw,
  batchNorm,
  binaryCrossEntropyWithLogits,
  chain,
  compile,
  compileArtifact,
  CompileError,
  concat,
  dense,
  DivergenceError,
  dropout,
  embeddingBag,
  functional,
  InputError,
  instantiate,
  layerNorm,
  mse,
  relu,
  residual,
  sgd,
  softmaxCrossEntropy,
  sparse,
  tanh,
  tokens,
} from "../mod.ts";
import type { CompileOptions, Model, SparseRows, Tensor, TokenBags, Trainer } from "../mod.ts";
import { deserialize, serialize } from "../runtime/save_load.ts";
import { instantiateThreaded, ThreadPool, unsharedModule } from "../runtime/threads.ts";
import { Trainer as TrainerClass } from "../runtime/trainer.ts";
import type { ModuleExports } from "../runtime/module.ts";
import { uniformStream } from "./helpers.ts";
import { verifyArtifact } from "../runtime/verify_artifact.ts";
import {
  exportInference,
  exportOnnx,
  fromSafetensors,
  inferenceModule,
  toSafetensors,
} from "../interchange/mod.ts";
import { pathToFileURL } from "node:url";

const toFileUrl = (path: string) => pathToFileURL(path).href;

/**
 * Every splittable kernel splits, however small: small models exercise every
 * split path. (This engine runs relaxed SIMD: tests/relaxed_simd_test.ts.)
 */
const FREE_SYNC = { relaxedSimd: true, threadCosts: { barrierNs: 0, wakeNs: 0 } };

interface Case {
  readonly name: string;
  readonly model: () => Model;
  readonly options: CompileOptions;
  readonly features: number;
  readonly classes?: number;
  readonly outputs?: number;
}

const CASES: Case[] = [
  {
    name: "SGD, softmax cross-entropy (update fused into the weight-gradient product)",
    model: () => chain(dense(37, 29), relu, dense(29, 11)),
    options: { loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 23 },
    features: 37,
    classes: 11,
  },
  {
    name: "Adam, three layers, tanh and relu",
    model: () => chain(dense(30, 64), tanh, dense(64, 40), relu, dense(40, 3)),
    options: { loss: softmaxCrossEntropy, optimizer: adam({ lr: 1e-2 }), batchSize: 32 },
    features: 30,
    classes: 3,
  },
  {
    name: "SGD Nesterov with clipNorm, MSE (updates after the backward pass)",
    model: () => chain(dense(9, 33), tanh, dense(33, 5)),
    options: {
      loss: mse,
      optimizer: sgd({ lr: 0.05, momentum: 0.9, nesterov: true, clipNorm: 0.5 }),
      batchSize: 17,
    },
    features: 9,
    outputs: 5,
  },
  {
    name: "AdamW, layer norm, batch norm, residual, dropout",
    model: () =>
      chain(
        dense(12, 24),
        batchNorm(24),
        relu,
        residual(chain(layerNorm(24), dense(24, 24), relu, dropout(0.2))),
        dense(24, 4),
      ),
    options: { loss: softmaxCrossEntropy, optimizer: adamw({ lr: 1e-2 }), batchSize: 20 },
    features: 12,
    classes: 4,
  },
  {
    name: "Adam at f64, per-sample weights, binary cross-entropy",
    model: () => chain(dense(7, 19), relu, dense(19, 2)),
    options: {
      loss: binaryCrossEntropyWithLogits,
      optimizer: adam({ lr: 1e-2 }),
      batchSize: 15,
      dtype: "f64",
      sampleWeights: true,
    },
    features: 7,
    outputs: 2,
  },
  {
    name: "fast mode (relaxed-SIMD FMA): 1 and 2 threads agree on one machine",
    model: () => chain(dense(40, 24), relu, dense(24, 6)),
    options: {
      loss: softmaxCrossEntropy,
      optimizer: adam({ lr: 1e-2 }),
      batchSize: 26,
      relaxedSimd: true,
    },
    features: 40,
    classes: 6,
  },
];

/** Seeded batches of a case: full ones, then a smaller last one. */
function batches(c: Case, seed: number) {
  const next = uniformStream(seed);
  const sizes = [c.options.batchSize, c.options.batchSize, c.options.batchSize - 5, 3];
  return sizes.map((rows) => {
    const x = Array.from({ length: rows }, () => Array.from({ length: c.features }, next));
    const y = c.classes !== undefined
      ? Array.from({ length: rows }, () => Math.floor(next() * c.classes!))
      : Array.from(
        { length: rows },
        () => Array.from({ length: c.outputs! }, () => (next() < 0.5 ? 0 : 1)),
      );
    return { x, y };
  });
}

/** Bit-for-bit equality of two typed arrays, naming the first difference. */
function sameBits(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} with one thread, ${b[i]}`);
  }
}

/** Trains both trainers on the same batches (10 steps) and compares everything. */
function compareRuns(c: Case, one: Trainer, many: Trainer): void {
  const data = batches(c, 7);
  for (let step = 0; step < 10; step++) {
    const { x, y } = data[step % data.length];
    const weights = c.options.sampleWeights ? x.map((_, i) => 1 + (i % 3)) : undefined;
    const fitOptions = { epochs: 1, batchSize: x.length, shuffle: false } as const;
    const a = weights === undefined
      ? one.trainBatch(x, y)
      : one.fit(x, y, { ...fitOptions, sampleWeight: weights }).loss[0];
    const b = weights === undefined
      ? many.trainBatch(x, y)
      : many.fit(x, y, { ...fitOptions, sampleWeight: weights }).loss[0];
    assert.ok(Object.is(a, b), `step ${step}: loss ${a} with one thread, ${b}`);
  }
  const left = one.trainingState();
  const right = many.trainingState();
  for (const name of Object.keys(left.buffers)) {
    sameBits(name, left.buffers[name], right.buffers[name]);
  }
  for (const [name, v] of Object.entries(one.getRunningStats())) {
    sameBits(name, v, many.getRunningStats()[name]);
  }
  const { x, y } = data[0];
  sameBits("predict", one.predict(x), many.predict(x));
  sameBits("predict, a smaller batch", one.predict(x.slice(0, 5)), many.predict(x.slice(0, 5)));
  const e1 = one.evaluate(x, y);
  const e2 = many.evaluate(x, y);
  assert.ok(Object.is(e1.loss, e2.loss), `evaluate: loss ${e1.loss} vs ${e2.loss}`);
}

for (const c of CASES) {
  Deno.test(`threads: 2 and 3 threads give one thread's bits, 10 steps: ${c.name}`, async () => {
    const one = await compile(c.model(), { ...c.options, seed: 5 });
    for (const threads of [2, 3]) {
      const { artifact } = compileArtifact(c.model(), { ...c.options, threads }, FREE_SYNC);
      assert.equal(artifact.threads, threads);
      assert.equal(artifact.relaxedSimd, c.options.relaxedSimd ?? false);
      const reference = await compile(c.model(), { ...c.options, seed: 5 });
      const many = await instantiate(artifact, { seed: 5 });
      try {
        assert.equal(many.threads, threads);
        compareRuns(c, reference, many);
      } finally {
        await many.dispose();
      }
    }
    assert.equal(one.threads, 1);
  });
}

const M1 = () => chain(dense(784, 128), relu, dense(128, 10));

Deno.test("threads: M1 (784-128-10, SGD) at batch 128 with the compiler's own split decisions", async () => {
  const options = { loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 128 };
  const c: Case = { name: "M1", model: M1, options, features: 784, classes: 10 };
  const one = await compile(M1(), { ...options, seed: 3 });
  const two = await compile(M1(), { ...options, seed: 3, threads: 2 });
  try {
    assert.equal(two.threads, 2);
    const text = two.inspect().threads;
    assert.match(text, /^2 threads \(2 asked\)/);
    // The three large products split; the loss and its reductions never.
    assert.match(text, /k0 matmul: rows/);
    assert.match(text, /k14 matmul: rows/);
    assert.match(text, /k10 matmul: columns — 16 column panels \(sums its columns\)/);
    assert.match(text, /k2 softmaxce: - /);
    assert.match(text, /k3 reduce: - /);
    compareRuns(c, one, two);
  } finally {
    await two.dispose();
  }
});

Deno.test("threads: fit, evaluate and predict use the workers (the module's command counter)", async () => {
  const options = { loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 16 };
  const { artifact } = compileArtifact(M1(), { ...options, threads: 2 }, FREE_SYNC);
  const { exports, pool } = await instantiateThreaded(artifact.wasm, artifact.memoryBytes, 2);
  assert.ok(pool instanceof ThreadPool);
  const trainer = new TrainerClass(
    artifact,
    exports as unknown as ModuleExports,
    1,
    undefined,
    pool,
  );
  try {
    const next = uniformStream(3);
    const x = Array.from({ length: 40 }, () => Array.from({ length: 784 }, next));
    const y = x.map((_, i) => i % 10);
    assert.equal(pool.calls, 0);
    trainer.fit(x, y, { epochs: 2, batchSize: 16 }); // 3 batches an epoch
    assert.equal(pool.calls, 6);
    trainer.predict(x.slice(0, 16));
    assert.equal(pool.calls, 7);
    trainer.evaluate(x.slice(0, 16), y.slice(0, 16));
    assert.equal(pool.calls, 8);
  } finally {
    await trainer.dispose();
  }
  assert.equal(trainer.threads, 1);
});

Deno.test("threads: a batch below the program's minimum runs on the calling thread alone", async () => {
  const options = { loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 256 };
  // Real costs: x·W at batch 256 pays; at batch 1 it does not.
  const { artifact, inspection } = compileArtifact(M1(), { ...options, threads: 2 }, {
    relaxedSimd: false,
  });
  const minBatch = Number(inspection.threads.match(/train: 2 threads from batch (\d+) on/)![1]);
  assert.ok(minBatch > 1 && minBatch <= 256, inspection.threads);
  const { exports, pool } = await instantiateThreaded(artifact.wasm, artifact.memoryBytes, 2);
  const trainer = new TrainerClass(
    artifact,
    exports as unknown as ModuleExports,
    1,
    undefined,
    pool,
  );
  const reference = await compile(M1(), { ...options, seed: 1 });
  try {
    const next = uniformStream(9);
    const row = () => Array.from({ length: 784 }, next);
    const small = Array.from({ length: minBatch - 1 }, row);
    const big = Array.from({ length: minBatch }, row);
    trainer.trainBatch(small, small.map((_, i) => i % 10));
    reference.trainBatch(small, small.map((_, i) => i % 10));
    assert.equal(pool!.calls, 0);
    trainer.trainBatch(big, big.map((_, i) => i % 10));
    reference.trainBatch(big, big.map((_, i) => i % 10));
    assert.equal(pool!.calls, 1);
    for (const [name, v] of Object.entries(reference.getParams())) {
      sameBits(name, v, trainer.getParams()[name]);
    }
  } finally {
    await trainer.dispose();
  }
});

Deno.test("threads: a value only a worker writes non-finite is reported and undone", async () => {
  // The non-finite flag: each thread ors its report in atomically. Feature 15
  // is huge, so only row 15 of the first weight overflows; its gradient's
  // product splits by rows, and row 15 is the second thread's.
  const options = { loss: mse, optimizer: sgd({ lr: 1e3 }), batchSize: 24 };
  const model = () => chain(dense(16, 32), tanh, dense(32, 8));
  const { artifact, inspection } = compileArtifact(
    model(),
    { ...options, threads: 2 },
    FREE_SYNC,
  );
  // The first weight's gradient xᵀ·dz is the only product with 16 rows.
  assert.match(inspection.threads, /matmul: rows — 4 row tiles/);
  const two = await instantiate(artifact, { seed: 2 });
  const one = await compile(model(), { ...options, seed: 2 });
  try {
    const next = uniformStream(4);
    const x = Array.from(
      { length: 24 },
      () => Array.from({ length: 16 }, (_, j) => j === 15 ? 3e38 : next()),
    );
    const y = x.map(() => Array.from({ length: 8 }, () => 0.5));
    // Row 15 of the first weight starts at 0, so z = x·W stays small (tanh is
    // not saturated) while that row's gradient, x₁₅·dz, is huge.
    for (const t of [one, two]) {
      const w = t.getParams()["0.weight"];
      w.fill(0, 15 * 32, 16 * 32);
      t.setParams({ "0.weight": w });
    }
    const before = two.getParams();
    const errors = [one, two].map((t) => {
      try {
        t.trainBatch(x, y);
        return undefined;
      } catch (e) {
        return e;
      }
    });
    assert.ok(errors[0] instanceof DivergenceError, String(errors[0]));
    assert.ok(errors[1] instanceof DivergenceError, String(errors[1]));
    assert.match((errors[1] as Error).message, /parameter "0\.weight"/);
    assert.equal((errors[1] as Error).message, (errors[0] as Error).message);
    for (const [name, v] of Object.entries(before)) sameBits(name, v, two.getParams()[name]);
  } finally {
    await two.dispose();
  }
});

Deno.test("threads: a saved threaded trainer loads threaded and continues bit for bit", async () => {
  const options = { loss: softmaxCrossEntropy, optimizer: adam({ lr: 1e-2 }), batchSize: 32 };
  const c = CASES[1];
  const { artifact } = compileArtifact(c.model(), { ...options, threads: 2 }, FREE_SYNC);
  const two = await instantiate(artifact, { seed: 8 });
  const one = await compile(c.model(), { ...options, seed: 8 });
  const data = batches(c, 11);
  for (const { x, y } of data) {
    one.trainBatch(x, y);
    two.trainBatch(x, y);
  }
  const loaded = await deserialize(serialize(two));
  await two.dispose();
  try {
    assert.equal(loaded.threads, 2);
    assert.equal(loaded.artifact.threads, 2);
    compareRuns(c, one, loaded);
  } finally {
    await loaded.dispose();
  }
});

Deno.test("threads: a threaded artifact runs on one thread, shared or unshared, with the same bits", async () => {
  const c = CASES[0];
  const { artifact } = compileArtifact(c.model(), { ...c.options, threads: 2 }, FREE_SYNC);
  // instantiate's threads: 1 — shared memory, no workers.
  const alone = await instantiate(artifact, { seed: 5, threads: 1 });
  assert.equal(alone.threads, 1);
  // No shared memory here (as in a page without cross-origin isolation): unshared memory.
  const { exports, pool, note } = await instantiateThreaded(
    artifact.wasm,
    artifact.memoryBytes,
    2,
    { support: { available: false, reason: "SharedArrayBuffer is missing (simulated)" } },
  );
  assert.equal(pool, null);
  assert.equal(note, "SharedArrayBuffer is missing (simulated)");
  const memory = exports.memory as WebAssembly.Memory;
  assert.ok(!(memory.buffer instanceof SharedArrayBuffer));
  const unshared = new TrainerClass(artifact, exports as unknown as ModuleExports, 5);
  const reference = await compile(c.model(), { ...c.options, seed: 5 });
  compareRuns(c, reference, alone);
  const again = await compile(c.model(), { ...c.options, seed: 5 });
  compareRuns(c, again, unshared);
  await assert.rejects(
    () => instantiate(artifact, { threads: 3 }),
    /compiled for 2 threads: it runs on 2 or 1, not 3/,
  );
});

Deno.test("threads: unsharedModule clears only the memory import's shared flag", async () => {
  const c = CASES[0];
  const { artifact } = compileArtifact(c.model(), { ...c.options, threads: 2 }, FREE_SYNC);
  const plain = unsharedModule(artifact.wasm);
  const changed = [...plain.keys()].filter((i) => plain[i] !== artifact.wasm[i]);
  assert.equal(changed.length, 1);
  assert.equal(artifact.wasm[changed[0]] & ~plain[changed[0]], 2);
  // An artifact for one thread (no memory import) is unchanged.
  const single = compileArtifact(c.model(), c.options).artifact.wasm;
  assert.deepEqual(unsharedModule(single), single);
  const imports = WebAssembly.Module.imports(await WebAssembly.compile(plain));
  assert.deepEqual(imports.filter((i) => i.kind === "memory").map((i) => i.name), ["memory"]);
});

Deno.test("threads: compile falls back to one thread, and says why, without shared memory", () => {
  const { artifact, inspection } = compileArtifact(M1(), {
    loss: softmaxCrossEntropy,
    batchSize: 128,
    threads: 2,
  }, { relaxedSimd: false, threads: { available: false, reason: "no SharedArrayBuffer here" } });
  assert.equal(artifact.threads, undefined);
  assert.equal(inspection.threads, "1 thread: 2 asked, but no SharedArrayBuffer here\n");
  assert.ok(WebAssembly.Module.imports(new WebAssembly.Module(artifact.wasm)).length === 0);
});

Deno.test("threads: a tiny model (M3 8-64-64-1 at batch 1) stays on one thread", async () => {
  const model = chain(dense(8, 64), tanh, dense(64, 64), tanh, dense(64, 1));
  const t = await compile(model, { loss: mse, optimizer: sgd(), batchSize: 1, threads: 2 });
  assert.equal(t.threads, 1);
  assert.equal(t.artifact.threads, undefined);
  assert.match(t.inspect().threads, /^1 thread: 2 asked, but no kernel is large enough/);
  await t.dispose(); // nothing to end
});

Deno.test('threads: the option is checked; "auto" is the available cores', async () => {
  const bad: [unknown, RegExp][] = [
    [0, /got 0$/],
    [1.5, /got 1\.5$/],
    ["2", /got the string "2"$/],
    [65, /at most 64, got 65$/],
    [-1, /got -1$/],
    [null, /got null$/],
  ];
  for (const [value, message] of bad) {
    assert.throws(
      () => compileArtifact(M1(), { loss: mse, batchSize: 4, threads: value as never }),
      (e) =>
        e instanceof CompileError && /^threads must be/.test(e.message) && message.test(e.message),
    );
  }
  // instantiate's threads: a typed error naming the value, before any worker starts.
  const { artifact } = compileArtifact(M1(), { loss: mse, batchSize: 4, threads: 2 }, FREE_SYNC);
  const badAtRun: [unknown, RegExp][] = [
    [0, /got 0$/],
    [2.5, /got 2\.5$/],
    ["2", /got the string "2"$/],
  ];
  for (const [value, message] of badAtRun) {
    await assert.rejects(
      () => instantiate(artifact, { threads: value as never }),
      (e) => e instanceof InputError && message.test((e as Error).message),
    );
  }
  const t = await compile(M1(), { loss: softmaxCrossEntropy, batchSize: 256, threads: "auto" });
  try {
    const cores = Math.min(64, navigator.hardwareConcurrency);
    assert.equal(t.threads, cores);
    if (cores > 1) assert.match(t.inspect().threads, new RegExp(`"auto" \\(${cores} cores\\)`));
  } finally {
    await t.dispose();
  }
});

Deno.test("threads: dispose ends the workers once; the trainer keeps working on one thread", async () => {
  const c = CASES[1];
  const { artifact } = compileArtifact(c.model(), { ...c.options, threads: 2 }, FREE_SYNC);
  const two = await instantiate(artifact, { seed: 5 });
  const one = await compile(c.model(), { ...c.options, seed: 5 });
  await Promise.all([two.dispose(), two.dispose()]);
  await two.dispose();
  assert.equal(two.threads, 1);
  compareRuns(c, one, two);
});

Deno.test("threads: a process with an undisposed threaded trainer exits on its own", async () => {
  const dir = await Deno.makeTempDir();
  const script = `${dir}/main.ts`;
  const mod = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    script,
    `import { chain, compile, dense, relu, sgd, softmaxCrossEntropy } from "${mod}";
const t = await compile(chain(dense(784, 128), relu, dense(128, 10)), {
  loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 128, threads: 2,
});
const x = { data: new Float32Array(128 * 784).fill(0.5), shape: [128, 784] as [number, number] };
const loss = t.trainBatch(x, Int32Array.from({ length: 128 }, (_, i) => i % 10));
console.log(t.threads, Number.isFinite(loss));
`,
  );
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-env", "--no-lock", script],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const out = await child.output();
    clearTimeout(timer);
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "2 true");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("threads: the artifact check ties the metadata's threads to the module", async () => {
  const c = CASES[0];
  const { artifact } = compileArtifact(c.model(), { ...c.options, threads: 2 }, FREE_SYNC);
  const single = compileArtifact(c.model(), c.options).artifact;
  const threaded = new WebAssembly.Module(artifact.wasm);
  verifyArtifact(artifact, threaded);
  const { threads: _, ...withoutThreads } = artifact;
  assert.throws(
    () => verifyArtifact(withoutThreads, threaded),
    /imports memory "env\.memory"; an f32 module imports nothing/,
  );
  assert.throws(() => verifyArtifact({ ...artifact, threads: 3 }, threaded), /threads is 3/);
  assert.throws(
    () => verifyArtifact({ ...single, threads: 2 }, new WebAssembly.Module(single.wasm)),
    /threads is 2, but the module does not import a shared memory/,
  );
  assert.throws(() => verifyArtifact({ ...artifact, threads: 1 }, threaded), /threads 1 is not/);
  await assert.rejects(() => instantiate({ ...artifact, threads: 3 }), /threads is 3/);
});

Deno.test("threads: exports of a threaded trainer are those of a one-thread trainer in the same state", async () => {
  // Safetensors and ONNX hold the same bytes; the standalone predict-only
  // module is built for one thread (no shared memory, no workers) and
  // predicts the threaded trainer's bits; weights read back into a threaded
  // trainer predict the same bits again.
  const c = CASES[3]; // batch norm: running statistics are exported too
  const { artifact } = compileArtifact(c.model(), { ...c.options, threads: 2 }, FREE_SYNC);
  const two = await instantiate(artifact, { seed: 6 });
  const fresh = await instantiate(artifact, { seed: 99 });
  const one = await compile(c.model(), { ...c.options, seed: 6 });
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(two.threads, 2);
    for (const { x, y } of batches(c, 12)) {
      one.trainBatch(x, y);
      two.trainBatch(x, y);
    }
    for (const layout of ["mlpc", "torch"] as const) {
      assert.deepEqual(toSafetensors(two, { layout }), toSafetensors(one, { layout }), layout);
    }
    assert.deepEqual(
      toSafetensors(two, { optimizer: true }),
      toSafetensors(one, { optimizer: true }),
    );
    assert.deepEqual(exportOnnx(two), exportOnnx(one));
    const standalone = inferenceModule(two);
    assert.deepEqual(standalone.wasm, inferenceModule(one).wasm);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(standalone.wasm));
    assert.ok(!imports.some((i) => i.kind === "memory"), JSON.stringify(imports));
    const written = await exportInference(two, dir, { name: "threaded" });
    const { predict } = await import(toFileUrl(written.modulePath));
    const x = batches(c, 13)[0].x;
    sameBits("standalone predict", predict(x), two.predict(x));
    fromSafetensors(fresh, toSafetensors(two));
    sameBits("predict after fromSafetensors", fresh.predict(x), two.predict(x));
  } finally {
    await Promise.all([two.dispose(), fresh.dispose()]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("threads: `deno test` of a test file in another folder ends cleanly with threaded trainers", async () => {
  // The test file lives outside the repository and imports the library by
  // URL: one test compiles a threaded trainer and saves it, one loads that
  // file through the runtime entry (no compiler) and trains it threaded
  // without ever calling dispose, one disposes. Deno's sanitizers run on
  // each test; every test must pass and the process end with code 0. (The
  // test runner ends even with workers that keep a process alive: that a
  // plain script exits is the test above.)
  const dir = await Deno.makeTempDir();
  const mod = new URL("../mod.ts", import.meta.url).href;
  const runtime = new URL("../runtime/mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    `${dir}/threaded_test.ts`,
    `import { chain, compile, dense, relu, save, sgd, softmaxCrossEntropy } from "${mod}";
import { load } from "${runtime}";
const x = { data: new Float32Array(128 * 784).fill(0.25), shape: [128, 784] as [number, number] };
const y = Int32Array.from({ length: 128 }, (_, i) => i % 10);
Deno.test("compile threaded, train, save; never disposed", async () => {
  const t = await compile(chain(dense(784, 128), relu, dense(128, 10)), {
    loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 128, threads: 2,
  });
  if (t.threads !== 2) throw new Error("threads " + t.threads);
  t.trainBatch(x, y);
  await save(t, "${dir}/model.json");
});
Deno.test("load through the runtime entry, threaded; never disposed", async () => {
  const t = await load("${dir}/model.json");
  if (t.threads !== 2) throw new Error("threads " + t.threads);
  if (!Number.isFinite(t.trainBatch(x, y))) throw new Error("loss");
});
Deno.test("load and dispose", async () => {
  const t = await load("${dir}/model.json");
  t.trainBatch(x, y);
  await t.dispose();
  if (t.threads !== 1) throw new Error("threads after dispose " + t.threads);
});
`,
  );
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-lock", "--no-check", "--allow-read", "--allow-write", "--allow-env"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    const out = await child.output();
    clearTimeout(timer);
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /ok \| 3 passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("threads: token lists, sparse rows and named inputs give one thread's bits", async () => {
  // The lookups and their scatter-adds run on the calling thread; the dense
  // products and loops around them split.
  const model = () =>
    functional((x: { text: TokenBags; rows: SparseRows; numeric: Tensor }, layer) => {
      const words = layer("text", embeddingBag(300, 24), x.text);
      const sparseRows = layer("rows", dense(50, 16), x.rows);
      return layer(
        "head",
        chain(dense(24 + 16 + 5, 40), relu, dense(40, 4)),
        concat(words, sparseRows, x.numeric),
      );
    });
  const options = {
    inputs: {
      text: tokens({ maxTokens: 21 * 9 }),
      rows: sparse({ features: 50, maxNonZeros: 21 * 6 }),
      numeric: 5,
    },
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 1e-2 }),
    batchSize: 21,
  };
  const next = uniformStream(21);
  const int = (n: number) => Math.floor(next() * n);
  const batch = (n: number) => ({
    x: {
      text: Array.from({ length: n }, () => Array.from({ length: int(10) }, () => int(300))),
      rows: {
        values: Array.from({ length: n }, () => Array.from({ length: 1 + int(6) }, next)),
        columns: [] as number[][],
      },
      numeric: Array.from({ length: n }, () => Array.from({ length: 5 }, next)),
    },
    y: Array.from({ length: n }, () => int(4)),
  });
  const data = [21, 21, 16, 5].map((n) => {
    const b = batch(n);
    b.x.rows.columns = b.x.rows.values.map((v) => v.map(() => int(50)));
    return b;
  });
  const one = await compile(model(), { ...options, seed: 4 });
  for (const threads of [2, 3]) {
    const { artifact, inspection } = compileArtifact(model(), { ...options, threads }, FREE_SYNC);
    assert.match(inspection.threads, /k0 sparse: - — not split \(kind\)/);
    assert.match(inspection.threads, /matmul: rows — 6 row tiles/);
    const reference = await compile(model(), { ...options, seed: 4 });
    const many = await instantiate(artifact, { seed: 4 });
    try {
      assert.equal(many.threads, threads);
      for (let step = 0; step < 8; step++) {
        const { x, y } = data[step % data.length];
        const a = reference.trainBatch(x, y);
        const b = many.trainBatch(x, y);
        assert.ok(Object.is(a, b), `step ${step}: loss ${a} with one thread, ${b}`);
      }
      const left = reference.trainingState().buffers;
      const right = many.trainingState().buffers;
      for (const name of Object.keys(left)) sameBits(name, left[name], right[name]);
      sameBits("predict", reference.predict(data[2].x), many.predict(data[2].x));
    } finally {
      await many.dispose();
    }
  }
  assert.equal(one.threads, 1);
});

Deno.test("threads: a threaded trainer that is garbage-collected ends its workers", async () => {
  // The script keeps the pool but drops the trainer; after a collection the
  // pool is disposed (its thread count falls to 1) without anyone calling dispose.
  const dir = await Deno.makeTempDir();
  const url = (path: string) => new URL(path, import.meta.url).href;
  await Deno.writeTextFile(
    `${dir}/gc.ts`,
    `import { chain, compileArtifact, dense, relu, sgd, softmaxCrossEntropy } from "${
      url("../mod.ts")
    }";
import { instantiateThreaded } from "${url("../runtime/threads.ts")}";
import { Trainer } from "${url("../runtime/trainer.ts")}";
const { artifact } = compileArtifact(chain(dense(784, 128), relu, dense(128, 10)), {
  loss: softmaxCrossEntropy, optimizer: sgd({ lr: 0.1 }), batchSize: 128, threads: 2,
}, { relaxedSimd: false, threadCosts: { barrierNs: 0, wakeNs: 0 } });
const { exports, pool } = await instantiateThreaded(artifact.wasm, artifact.memoryBytes, 2);
(() => {
  const t = new Trainer(artifact, exports, 1, undefined, pool);
  t.trainBatch({ data: new Float32Array(128 * 784).fill(0.5), shape: [128, 784] }, new Int32Array(128));
})();
const before = pool.threads;
for (let i = 0; i < 100 && pool.threads > 1; i++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 50));
}
console.log(before, pool.threads);
`,
  );
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-lock", "--no-check", "--v8-flags=--expose-gc", "-A", `${dir}/gc.ts`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
    assert.equal(text.trim(), "2 1");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
