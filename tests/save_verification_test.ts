// Saves verified on load: every rule of runtime/save_load.ts and
// runtime/verify_artifact.ts has a corrupt file here that breaks it, and the
// test asserts the typed error and that its message names the inconsistency.
// Edits are re-signed (tests/helpers.ts `resign`) so that they reach the rules
// behind the checksum, as a hand edit that fixes the checksum would.
import assert from "node:assert/strict";
import {
  adam,
  ArtifactError,
  chain,
  compile,
  dense,
  deserialize,
  FileError,
  InputError,
  instantiate,
  load,
  mse,
  relu,
  save,
  serialize,
  sgd,
  softmaxCrossEntropy,
  tanh,
} from "../mod.ts";
import { loadSafetensors, saveOnnx, saveSafetensors } from "../interchange/mod.ts";
import type { Artifact } from "../core/artifact.ts";
import type { OptimizerConfig } from "../core/optimizer/table.ts";
import { LAYOUT_SECTION } from "../core/layout_record.ts";
import { FunctionBuilder, WasmModule } from "../compiler/codegen/wasm.ts";
import { withCustomSection } from "../compiler/codegen/custom_section.ts";
import { resign } from "./helpers.ts";

// deno-lint-ignore no-explicit-any
type Saved = Record<string, any>;

const x = [[0.5, -1, 2], [1, 0, -0.25], [-2, 1.5, 0]];
const labels = [0, 2, 1];

const classifier = (activation = tanh, optimizer: OptimizerConfig = adam({ lr: 0.01 })) =>
  compile(chain(dense(3, 4), activation, dense(4, 3)), {
    loss: softmaxCrossEntropy,
    optimizer,
    batchSize: 4,
    seed: 5,
  });

async function savedOf(
  activation = tanh,
  optimizer: OptimizerConfig = adam({ lr: 0.01 }),
): Promise<Saved> {
  const t = await classifier(activation, optimizer);
  t.fit(x, labels, { epochs: 2 });
  return JSON.parse(serialize(t));
}

function edited(saved: Saved, edit: (s: Saved) => void): Saved {
  const copy = structuredClone(saved);
  edit(copy);
  return copy;
}

async function rejects(text: string, pattern: RegExp, what: string): Promise<void> {
  await assert.rejects(
    () => deserialize(text),
    (e: Error) => {
      assert.ok(e instanceof ArtifactError || e instanceof InputError, `${what}: ${e}`);
      assert.match(e.message, pattern, what);
      return true;
    },
  );
}

const slot = (s: Saved, name: string) => s.artifact.slots.find((x: Saved) => x.name === name);

Deno.test("the file's own rules: JSON, format, version, checksum, structure", async () => {
  const good = await savedOf();
  const text = JSON.stringify(good);
  // A re-formatted file with its keys in another order is the same content.
  const reordered = Object.fromEntries(Object.entries(good).reverse());
  const pretty = JSON.stringify(reordered, null, 2).replace('"maxBatch": 4', '"maxBatch": 4.0');
  assert.deepEqual((await deserialize(pretty)).predict(x), (await deserialize(text)).predict(x));

  const cases: [string, string, RegExp][] = [
    ["not JSON", "{not json", /Not a saved mlpc model: the file is not JSON/],
    [
      "format",
      JSON.stringify({ ...good, format: "onnx" }),
      /Not a saved mlpc model \(format onnx\)/,
    ],
    [
      "older version",
      JSON.stringify({ ...good, version: 3 }),
      /format version 3 by an older mlpc, before saves carried a checksum.*reads version 4.*getParams or saveSafetensors/,
    ],
    [
      "newer version",
      JSON.stringify({ ...good, version: 5 }),
      /version 5.*load it with a newer mlpc/,
    ],
    ["no checksum", JSON.stringify({ ...good, checksum: undefined }), /has no checksum/],
    [
      "an edit without the checksum fixed",
      JSON.stringify(edited(good, (s) => (s.step = 3))),
      /its content checksum is sha256:[0-9a-f]{64}, but the file says sha256:[0-9a-f]{64}: it was changed or corrupted/,
    ],
    [
      "one flipped character of a buffer",
      text.replace(/"0\.weight":"(.)/, (_, c) => `"0.weight":"${c === "A" ? "B" : "A"}`),
      /content checksum/,
    ],
    ["no artifact", resign(edited(good, (s) => delete s.artifact)), /has no artifact/],
    ["no module", resign(edited(good, (s) => delete s.wasm)), /has no module/],
    ["no buffers", resign(edited(good, (s) => (s.buffers = [1, 2]))), /has no buffers/],
    ["step", resign(edited(good, (s) => (s.step = -1))), /step -1 is not an integer/],
    ["seed", resign(edited(good, (s) => (s.seed = 2 ** 33))), /seed 8589934592 is not an integer/],
    [
      "learningRate",
      resign(edited(good, (s) => (s.learningRate = "fast"))),
      /learningRate "fast" is not a number/,
    ],
    [
      "learningRate out of range",
      resign(edited(good, (s) => (s.learningRate = -1))),
      /learning rate must be a number ≥ 0, got -1/,
    ],
  ];
  for (const [what, file, pattern] of cases) await rejects(file, pattern, what);
});

Deno.test("buffers: names, sizes (before decoding), finite values", async () => {
  const good = await savedOf();
  const cases: [string, Saved, RegExp][] = [
    [
      "a buffer of no slot",
      edited(good, (s) => (s.buffers.extra = s.buffers["0.bias"])),
      /a buffer "extra", which is no parameter, state or statistic/,
    ],
    [
      "a missing buffer",
      edited(good, (s) => delete s.buffers["2.bias"]),
      /the buffer of "2.bias" is missing/,
    ],
    [
      "a buffer of the wrong size",
      edited(good, (s) => (s.buffers["2.bias"] = btoa("\0".repeat(8)))),
      /the buffer of "2.bias" \[3\] holds 12 base64 characters; its 12 bytes take 16/,
    ],
    [
      "a buffer that is not base64",
      edited(good, (s) => (s.buffers["2.bias"] = "!!!!!!!!!!!!!!!!")),
      /the buffer of "2.bias" is not base64/,
    ],
    [
      "a non-finite value",
      edited(good, (s) => {
        const bytes = new Uint8Array(new Float32Array([1, Infinity, 3]).buffer);
        s.buffers["2.bias"] = btoa(String.fromCharCode(...bytes));
      }),
      /"2.bias" has a value Infinity at 1 that is not finite in f32/,
    ],
    [
      "a module that is not wasm",
      edited(good, (s) => (s.wasm = btoa("not wasm"))),
      /WebAssembly module does not validate/,
    ],
  ];
  for (const [what, saved, pattern] of cases) await rejects(resign(saved), pattern, what);
});

Deno.test("metadata: types, sizes within memory (before any allocation), overlaps, data and prediction buffers", async () => {
  const good = await savedOf();
  const cases: [string, (s: Saved) => void, RegExp][] = [
    ["artifact format", (s) => (s.artifact.format = 1), /its format is 1; this mlpc runs format 2/],
    ["dtype", (s) => (s.artifact.dtype = "f16"), /dtype "f16" is not f32 or f64/],
    [
      "maxBatch 0",
      (s) => (s.artifact.maxBatch = 0),
      /maxBatch 0 is not an integer in 1\.\.1048576/,
    ],
    [
      // The audit's edit: a larger maxBatch would let predict write rows of x
      // over the parameters that follow it, and past the end of memory.
      "maxBatch raised",
      (s) => (s.artifact.maxBatch = 64),
      /slot "prediction" \[batch,3\] needs 768 bytes from byte \d+ at maxBatch 64, past the end of memory/,
    ],
    [
      "maxBatch raised by one",
      (s) => (s.artifact.maxBatch = 5),
      /slots "x" \(bytes 64\.\.124 at maxBatch 5\) and "0\.weight" \(from byte 112\) overlap/,
    ],
    [
      // Smaller sizes fit everywhere; the module's own record still disagrees.
      "maxBatch lowered",
      (s) => (s.artifact.maxBatch = 2),
      /the module's layout record differs from the metadata: maxBatch is 2 in the metadata, but the module was built for 4/,
    ],
    [
      "inputFeatures",
      (s) => (s.artifact.inputFeatures = 5),
      /slot "x" has the shape \[batch,3\], but inputFeatures 5 needs \[batch,5\]/,
    ],
    [
      "outputs",
      (s) => (s.artifact.outputs = 2),
      /slot "prediction" has the shape \[batch,3\], but outputs 2 needs \[batch,2\]/,
    ],
    [
      "labels",
      (s) => (s.artifact.labels = "values"),
      /slot "y" has the shape \[batch\], but labels "values" needs \[batch,3\]/,
    ],
    [
      // The audit's edit: 39 s before it failed; now a size rule, before anything is allocated.
      "a shape of 1e9",
      (s) => {
        slot(s, "0.weight").shape = [1e9];
        s.artifact.params[0].shape = [1e9];
      },
      /slot "0\.weight" \[1000000000\] needs 4000000000 bytes from byte 112 at maxBatch 4, past the end of memory \(memoryBytes \d+\)/,
    ],
    [
      "memoryBytes",
      (s) => (s.artifact.memoryBytes = 2 ** 33),
      /memoryBytes 8589934592 is not an integer in 1\.\.4294967296/,
    ],
    [
      "offset",
      (s) => (slot(s, "0.bias").offset += 4),
      /slot "0\.bias" has the offset \d+, not a multiple of 16/,
    ],
    ["kind", (s) => (slot(s, "0.bias").kind = "weights"), /slot "0\.bias" has the kind "weights"/],
    [
      "two slots of one name",
      (s) => (slot(s, "0.bias").name = "0.weight"),
      /two slots are named "0\.weight"/,
    ],
    ["no slots", (s) => (s.artifact.slots = {}), /slots is not a list/],
    ["a bad shape", (s) => (slot(s, "0.bias").shape = [0]), /slot "0\.bias" has the shape \[0\]/],
    ["no loss", (s) => (slot(s, "loss").name = "cost"), /there is no slot "loss"/],
    [
      "flag kind",
      (s) => (slot(s, "nonfinite").kind = "data"),
      /slot "nonfinite" is of kind data, not output/,
    ],
  ];
  for (const [what, edit, pattern] of cases) {
    await rejects(resign(edited(good, edit)), pattern, what);
  }
});

Deno.test("metadata: parameters, optimizer state and scalars against the slots", async () => {
  const good = await savedOf();
  const cases: [string, (s: Saved) => void, RegExp][] = [
    [
      "a parameter left out",
      (s) => s.artifact.params.pop(),
      /slot "2\.bias" \(param\) is not in params/,
    ],
    [
      "a parameter's shape",
      (s) => (s.artifact.params[1].shape = [2, 2]),
      /slot "0\.bias" has the shape \[4\], but params entry "0\.bias" needs \[2,2\]/,
    ],
    [
      // The audit's edit: Adam → SGD made training a no-op.
      "Adam edited to SGD",
      (s) => (s.artifact.optimizer = { kind: "sgd", lr: 0.01, momentum: 0 }),
      /there is no slot "optimizer\.lr" \(the sgd optimizer\)/,
    ],
    [
      "an invalid optimizer",
      (s) => (s.artifact.optimizer.betas = [2, 0.999]),
      /the optimizer is invalid/,
    ],
    [
      "a fingerprint that is no hash",
      (s) => (s.artifact.fingerprint = "relu"),
      /the fingerprint "relu" is not sha256: and 64 hex digits/,
    ],
    [
      "a fingerprint that is not the graphs'",
      (s) => (s.artifact.fingerprint = "sha256:" + "0".repeat(64)),
      /the fingerprint sha256:0{64} is not the predict graph's \(sha256:[0-9a-f]{64}\)/,
    ],
  ];
  for (const [what, edit, pattern] of cases) {
    await rejects(resign(edited(good, edit)), pattern, what);
  }
  // SGD with momentum has a state per parameter that plain SGD lacks.
  const sgdSaved = await savedOf(tanh, sgd({ lr: 0.1, momentum: 0.9 }));
  await rejects(
    resign(edited(sgdSaved, (s) => (s.artifact.optimizer.momentum = 0))),
    /slot "momentum_buffer\/0\.weight" \(state\) belongs to no part of the sgd optimizer/,
    "momentum edited away",
  );
});

Deno.test("the module: another model's, even with the same layout, is refused", async () => {
  const good = await savedOf(tanh);
  // Another model's module, of another layout.
  const other = JSON.parse(
    serialize(
      await compile(chain(dense(3, 5), tanh, dense(5, 3)), {
        loss: softmaxCrossEntropy,
        optimizer: adam({ lr: 0.01 }),
        batchSize: 4,
      }),
    ),
  );
  await rejects(
    resign(edited(good, (s) => (s.wasm = other.wasm))),
    /the module's (memory is|layout record differs)/,
    "another layout's module",
  );
  // relu's module where the metadata says tanh: the same buffers everywhere,
  // only the fingerprint in the module's layout record tells them apart.
  const reluSaved = await savedOf(relu);
  assert.deepEqual(reluSaved.artifact.slots, good.artifact.slots);
  await rejects(
    resign(edited(good, (s) => (s.wasm = reluSaved.wasm))),
    /layout record differs from the metadata: fingerprint is "sha256:[0-9a-f]{64}" in the metadata, but the module was built for "sha256:[0-9a-f]{64}"/,
    "relu's module for tanh",
  );
});

/** A module with chosen imports, exports and memory, carrying a real artifact's layout record. */
function crafted(
  artifact: Artifact,
  parts: { importFetch?: boolean; skipExport?: string; pages?: number; record?: boolean },
): Uint8Array<ArrayBuffer> {
  const w = new WasmModule();
  if (parts.importFetch) w.addImport("fetch", ["f64"], "f64");
  for (const name of ["train", "evaluate", "predict"]) {
    if (name === parts.skipExport) continue;
    const fb = new FunctionBuilder(w, ["i32"]);
    const result = name === "predict" ? "none" : "f32";
    w.addFunction(name, fb, result, name === "predict" ? w.nop() : w.f32.const(0), true);
  }
  const pages = parts.pages ?? Math.ceil(artifact.memoryBytes / 65536);
  const binary = w.finish(pages).binary;
  if (parts.record === false) return binary;
  const [record] = WebAssembly.Module.customSections(
    new WebAssembly.Module(artifact.wasm),
    LAYOUT_SECTION,
  );
  return withCustomSection(binary, LAYOUT_SECTION, new Uint8Array(record));
}

Deno.test("the module: imports, exports, memory size and layout record", async () => {
  const t = await classifier();
  const a = t.artifact;
  // The crafted module with everything right is accepted, so each case below fails for its rule.
  await instantiate({ ...a, wasm: crafted(a, {}) });
  const cases: [string, Uint8Array<ArrayBuffer>, RegExp][] = [
    [
      "an import",
      crafted(a, { importFetch: true }),
      /the module imports function "env\.fetch"; an f32 module imports nothing/,
    ],
    [
      "a missing export",
      crafted(a, { skipExport: "predict" }),
      /does not export the function "predict"/,
    ],
    [
      "memory",
      crafted(a, { pages: 3 }),
      /the module's memory is 3\.\.3 pages, but memoryBytes \d+ needs exactly 1 pages of 64 KiB/,
    ],
    ["no layout record", crafted(a, { record: false }), /the module has 0 layout records/],
  ];
  for (const [what, wasm, pattern] of cases) {
    await assert.rejects(
      () => instantiate({ ...a, wasm }),
      (e: Error) => e instanceof ArtifactError && pattern.test(e.message),
      what,
    );
    // And the same in a file.
    const saved = JSON.parse(serialize(t));
    saved.wasm = btoa(String.fromCharCode(...wasm));
    await rejects(resign(saved), pattern, what);
  }
});

Deno.test("a state or parameters from another architecture are refused even when every size agrees", async () => {
  const tanhModel = await classifier(tanh);
  const reluModel = await classifier(relu);
  assert.notEqual(tanhModel.artifact.fingerprint, reluModel.artifact.fingerprint);
  const before = reluModel.trainingState();
  assert.throws(
    () => reluModel.restoreTrainingState(tanhModel.trainingState()),
    (e: Error) =>
      e instanceof InputError &&
      /The state comes from a model of another architecture \(fingerprint sha256:[0-9a-f]{12}…\) than this one \(chain\(dense\(3 → 4\), relu, dense\(4 → 3\)\)\)/
        .test(e.message),
  );
  assert.throws(
    () => reluModel.setParams(tanhModel.getParams()),
    /These parameters come from a model of another architecture/,
  );
  assert.deepEqual(reluModel.trainingState(), before);
  // Same architecture: accepted, also from an f64 build or another optimizer,
  // and plain records (no fingerprint) are accepted as they are.
  const f64 = await compile(chain(dense(3, 4), relu, dense(4, 3)), {
    loss: softmaxCrossEntropy,
    batchSize: 2,
    dtype: "f64",
  });
  assert.equal(f64.artifact.fingerprint, reluModel.artifact.fingerprint);
  reluModel.setParams(f64.getParams());
  reluModel.setParams({ ...tanhModel.getParams() }); // a copy: the fingerprint is not copied
  const twin = await classifier(relu, sgd({ lr: 0.1 }));
  twin.setParams(reluModel.getParams());
});

Deno.test("file-system failures are FileErrors naming the path and the cause; sizes are checked before reading", async () => {
  const t = await classifier();
  const dir = await Deno.makeTempDir();
  try {
    const missing = `${dir}/no/such/dir/model.json`;
    await assert.rejects(
      () => save(t, missing),
      (e: Error) =>
        e instanceof FileError && e.path === missing && e.operation === "write" &&
        e.message.includes(`Cannot write "${missing}": NotFound`) &&
        (e.cause as Error).name === "NotFound",
    );
    await assert.rejects(
      () => load(`${dir}/absent.json`),
      (e: Error) =>
        e instanceof FileError &&
        new RegExp(`Cannot read ".*absent\\.json": NotFound`).test(e.message),
    );
    // A directory without write permission (root writes there anyway: then
    // the probe succeeds and this case is left to the next one).
    const locked = `${dir}/locked`;
    await Deno.mkdir(locked, { mode: 0o500 });
    const rootWrites = await Deno.writeTextFile(`${locked}/probe`, "").then(
      () => true,
      () => false,
    );
    if (!rootWrites) {
      await assert.rejects(
        () => save(t, `${locked}/model.json`),
        (e: Error) =>
          e instanceof FileError &&
          /Cannot write ".*locked\/model\.json": PermissionDenied/.test(e.message),
      );
    }
    // A process allowed to write elsewhere only (Deno's permissions, as the
    // README's least-privilege commands grant them): the refusal is a FileError too.
    const script = `${dir}/save_elsewhere.ts`;
    const target = `${dir}/elsewhere/model.json`;
    await Deno.mkdir(`${dir}/elsewhere`);
    await Deno.mkdir(`${dir}/allowed`);
    await Deno.writeTextFile(
      script,
      `import { compile, dense, mse, save } from ${
        JSON.stringify(new URL("../mod.ts", import.meta.url).href)
      };\n` +
        `const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });\n` +
        `try { await save(t, ${
          JSON.stringify(target)
        }); } catch (e) { console.log(e.name + ": " + e.message); }\n`,
    );
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-env", `--allow-write=${dir}/allowed`, script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(run.stdout);
    assert.match(
      said,
      new RegExp(`FileError: Cannot write "${target.replace(/[.]/g, "\\.")}": NotCapable`),
      said + new TextDecoder().decode(run.stderr),
    );
    // A file larger than any saved model is refused before it is read (a sparse file here).
    const huge = `${dir}/huge.json`;
    await Deno.writeTextFile(huge, "");
    await Deno.truncate(huge, 600 * 1024 * 1024);
    await assert.rejects(
      () => load(huge),
      (e: Error) =>
        e instanceof ArtifactError &&
        /huge\.json" has 629145600 bytes, more than a saved model can have/.test(e.message),
    );
    // A damaged file's error names the file.
    const path = `${dir}/model.json`;
    await save(t, path);
    const saved = JSON.parse(await Deno.readTextFile(path));
    saved.artifact.maxBatch = 64;
    await Deno.writeTextFile(path, resign(saved));
    await assert.rejects(
      () => load(path),
      (e: Error) =>
        e instanceof ArtifactError && e.message.startsWith(`${path}: The artifact is inconsistent`),
    );
    // Nothing half-written anywhere: no temporary files left beside the targets.
    for (const sub of [dir, `${dir}/elsewhere`, locked]) {
      assert.deepEqual([...Deno.readDirSync(sub)].filter((e) => e.name.endsWith(".tmp")), []);
    }
    assert.deepEqual([...Deno.readDirSync(`${dir}/elsewhere`)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a saved model loads and trains on exactly as before (the checks accept what save writes)", async () => {
  for (const model of [chain(dense(3, 4), tanh, dense(4, 1)), dense(3, 1)]) {
    const t = await compile(model, {
      loss: mse,
      optimizer: sgd({ lr: 0.1, momentum: 0.5 }),
      batchSize: 3,
    });
    t.fit(x, [[1], [0], [2]], { epochs: 3 });
    const dir = await Deno.makeTempDir();
    try {
      await save(t, `${dir}/m.json`);
      const copy = await load(`${dir}/m.json`);
      assert.deepEqual(copy.trainingState(), t.trainingState());
      assert.deepEqual(
        copy.fit(x, [[1], [0], [2]], { epochs: 2 }).loss,
        t.fit(x, [[1], [0], [2]], { epochs: 2 }).loss,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("every function that writes or reads a file reports a FileError naming the path and the cause", async () => {
  const t = await classifier();
  const dir = await Deno.makeTempDir();
  try {
    const missing = `${dir}/no/such/dir`;
    const writers: [string, string, () => Promise<unknown>][] = [
      ["save", `${missing}/m.json`, () => save(t, `${missing}/m.json`)],
      ["saveOnnx", `${missing}/m.onnx`, () => saveOnnx(t, `${missing}/m.onnx`)],
      [
        "saveSafetensors",
        `${missing}/m.safetensors`,
        () => saveSafetensors(t, `${missing}/m.safetensors`),
      ],
    ];
    for (const [what, path, write] of writers) {
      await assert.rejects(
        write,
        (e: Error) =>
          e instanceof FileError && e.operation === "write" && e.path === path &&
          e.message.startsWith(`Cannot write "${path}": NotFound`),
        what,
      );
    }
    await assert.rejects(
      () => loadSafetensors(t, `${missing}/m.safetensors`),
      (e: Error) =>
        e instanceof FileError && e.operation === "read" &&
        e.message.startsWith(`Cannot read "${missing}/m.safetensors": NotFound`),
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
