// safetensors: mlpc → file → mlpc is bit-identical (parameters, optimizer
// state, step counts), in both layouts; files made by an independent writer
// from PyTorch's tensors load, and the "torch" layout computes what PyTorch
// computed; every rule of the format has a corrupt-file test; loading into a
// model that does not fit is a typed error that changes nothing.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  adam,
  chain,
  compile,
  dense,
  type Model,
  mse,
  relu,
  sgd,
  softmaxCrossEntropy,
  tanh,
} from "../mod.ts";
import {
  decodeSafetensors,
  encodeSafetensors,
  fromSafetensors,
  loadSafetensors,
  type RawTensor,
  SafetensorsError,
  saveSafetensors,
  toSafetensors,
} from "../interchange/mod.ts";
import { floatValues } from "../interchange/safetensors_format.ts";
import { MLPC_VERSION } from "../core/version.ts";
import { SEED, uniformStream } from "./helpers.ts";
import * as library from "../mod.ts";

const FIXTURES = new URL("./fixtures/safetensors/", import.meta.url);

function rows(n: number, features: number, seed: number): number[][] {
  const u = uniformStream(seed);
  return Array.from({ length: n }, () => Array.from({ length: features }, () => u() * 4 - 2));
}

Deno.test("mlpc → safetensors → mlpc is bit-identical, in both layouts, at f32 and f64", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        widths: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 4 }),
        dtype: fc.constantFrom("f32" as const, "f64" as const),
        layout: fc.constantFrom("mlpc" as const, "torch" as const),
        momentum: fc.boolean(),
        steps: fc.integer({ min: 0, max: 3 }),
      }),
      async ({ widths, dtype, layout, momentum, steps }) => {
        const layers: Model[] = [];
        for (let i = 1; i < widths.length; i++) {
          if (i > 1) layers.push(tanh);
          layers.push(dense(widths[i - 1], widths[i]));
        }
        const make = (seed: number) =>
          compile(chain(...layers), {
            loss: mse,
            optimizer: sgd({ lr: 0.05, momentum: momentum ? 0.9 : 0 }),
            batchSize: 4,
            dtype,
            seed,
          });
        const a = await make(1);
        const x = rows(4, widths[0], 7);
        const y = rows(4, widths[widths.length - 1], 8);
        for (let s = 0; s < steps; s++) a.trainBatch(x, y);
        const optimizer = layout === "mlpc";
        const bytes = toSafetensors(a, { layout, optimizer });
        const b = await make(2);
        fromSafetensors(b, bytes);
        assert.deepEqual(b.getParams(), a.getParams());
        if (optimizer) assert.deepEqual(b.trainingState(), a.trainingState());
        assert.deepEqual(b.predict(x), a.predict(x));
        assert.deepEqual(toSafetensors(b, { layout, optimizer }), bytes);
      },
    ),
    { seed: SEED, numRuns: 25 },
  );
});

Deno.test("with the optimizer's state, training resumes from a safetensors file exactly", async () => {
  const make = (seed: number) =>
    compile(chain(dense(3, 8), relu, dense(8, 3)), {
      loss: softmaxCrossEntropy,
      optimizer: adam({ lr: 0.01 }),
      batchSize: 4,
      seed,
    });
  const x = rows(10, 3, 3);
  const labels = x.map((r) => (r[0] > 0 ? 0 : r[1] > 0 ? 1 : 2));
  const a = await make(1);
  a.fit(x, labels, { epochs: 2, seed: 5 });
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/model.safetensors`;
    a.learningRate = 0.004; // as a schedule would have left it
    await saveSafetensors(a, path, { optimizer: true, metadata: { note: "resumed" } });
    const b = await make(2);
    const { metadata, loaded } = await loadSafetensors(b, path);
    assert.equal(b.learningRate, 0.004);
    assert.equal(metadata.get("note"), "resumed");
    assert.equal(metadata.get("mlpc.version"), MLPC_VERSION);
    assert.equal(metadata.get("mlpc.architecture"), "chain(dense(3 → 8), relu, dense(8 → 3))");
    assert.equal(metadata.get("mlpc.step"), "6");
    assert.ok(loaded.includes("exp_avg/0.weight") && loaded.includes("exp_avg_sq/2.bias"));
    assert.equal(b.steps, a.steps);
    const ha = a.fit(x, labels, { epochs: 2, seed: 5 });
    const hb = b.fit(x, labels, { epochs: 2, seed: 5 });
    assert.deepEqual(hb.loss, ha.loss);
    assert.deepEqual(b.trainingState(), a.trainingState());
    // Without the optimizer's state, only the parameters are written.
    const plain = decodeSafetensors(toSafetensors(a));
    assert.deepEqual([...plain.tensors.keys()].sort(), [
      "0.bias",
      "0.weight",
      "2.bias",
      "2.weight",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("batchNorm's running statistics round-trip; the torch layout adds num_batches_tracked", async () => {
  const make = (seed: number) =>
    compile(chain(dense(3, 6), library.batchNorm(6), relu, dense(6, 2)), {
      loss: mse,
      batchSize: 4,
      seed,
    });
  const a = await make(1);
  const x = rows(8, 3, 21);
  a.fit(x, rows(8, 2, 22), { epochs: 2 });
  assert.notDeepEqual(Array.from(a.getRunningStats()["1.running_mean"]), [0, 0, 0, 0, 0, 0]);
  for (const layout of ["mlpc", "torch"] as const) {
    const bytes = toSafetensors(a, { layout });
    const file = decodeSafetensors(bytes);
    assert.deepEqual(
      new Uint8Array(file.tensors.get("1.running_var")!.data),
      new Uint8Array(a.getRunningStats()["1.running_var"].buffer),
    );
    const counter = file.tensors.get("1.num_batches_tracked");
    if (layout === "torch") {
      assert.deepEqual([counter?.dtype, counter?.shape], ["I64", []]);
      const view = new DataView(counter!.data.buffer, counter!.data.byteOffset, 8);
      assert.equal(view.getBigInt64(0, true), BigInt(a.steps));
    } else {
      assert.equal(counter, undefined);
    }
    const b = await make(2);
    fromSafetensors(b, bytes);
    assert.deepEqual(b.getRunningStats(), a.getRunningStats());
    assert.deepEqual(b.predict(x), a.predict(x));
  }
});

interface TorchFixture {
  x: number[][];
  y: number[][];
  state_dict: Record<string, number[] | number[][]>;
}

Deno.test("a state dict written from PyTorch loads with layout torch and computes PyTorch's outputs", async () => {
  const bytes = await Deno.readFile(new URL("torch_mlp.safetensors", FIXTURES));
  const expected: TorchFixture = JSON.parse(
    await Deno.readTextFile(new URL("torch_mlp.json", FIXTURES)),
  );
  const t = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
    loss: softmaxCrossEntropy,
    batchSize: 8,
  });
  const { metadata } = fromSafetensors(t, bytes, { layout: "torch" });
  assert.equal(metadata.get("format"), "pt");
  // mlpc's [in, out] weight is the transpose of torch's [out, in].
  const params = t.getParams();
  const w0 = expected.state_dict["0.weight"] as number[][];
  for (let i = 0; i < 4; i++) {
    for (let o = 0; o < 8; o++) assert.equal(params["0.weight"][i * 8 + o], Math.fround(w0[o][i]));
  }
  assert.deepEqual(
    Array.from(params["2.bias"]),
    (expected.state_dict["2.bias"] as number[]).map(Math.fround),
  );
  // PyTorch's outputs, up to f32 rounding in a different summation order.
  const got = t.predict(expected.x);
  expected.y.flat().forEach((y, i) => {
    assert.ok(Math.abs(got[i] - y) <= 1e-6 * (1 + Math.abs(y)), `output ${i}: ${got[i]} vs ${y}`);
  });
  // Written back in the torch layout: the same tensors (bytes), and the same
  // header layout as the reference writer (so the same file but for metadata).
  const again = decodeSafetensors(toSafetensors(t, { layout: "torch" }));
  const original = decodeSafetensors(bytes);
  for (const [name, tensor] of original.tensors) assert.deepEqual(again.tensors.get(name), tensor);
  assert.deepEqual(encodeSafetensors(original.tensors, original.metadata), bytes);
});

Deno.test("F16, BF16 and F64 tensors decode to the values PyTorch gave them; integers keep their bytes", async () => {
  const file = decodeSafetensors(await Deno.readFile(new URL("dtypes.safetensors", FIXTURES)));
  const expected = JSON.parse(await Deno.readTextFile(new URL("dtypes.json", FIXTURES)));
  assert.deepEqual(Array.from(floatValues("half", file.tensors.get("half")!)), expected.half);
  assert.deepEqual(Array.from(floatValues("brain", file.tensors.get("brain")!)), expected.brain);
  assert.deepEqual(Array.from(floatValues("double", file.tensors.get("double")!)), expected.double);
  assert.ok(Object.is(floatValues("half", file.tensors.get("half")!)[4], -0));
  const long = file.tensors.get("long")!;
  assert.deepEqual(long.shape, [6]);
  const view = new DataView(long.data.buffer, long.data.byteOffset, long.data.byteLength);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => view.getBigInt64(i * 8, true)), [
    -3n,
    -2n,
    -1n,
    0n,
    1n,
    2n,
  ]);
  assert.throws(
    () => floatValues("long", long),
    (e: Error) => e instanceof SafetensorsError && e.tensor === "long" && /I64/.test(e.message),
  );
  assert.deepEqual(Object.fromEntries(file.metadata), { note: "one tensor per dtype", empty: "" });
});

// ------------------------------------------------------------ corrupt files --

/** A file from a header object (or text) and a data buffer, the header unpadded. */
function fileOf(header: unknown, data: Uint8Array, declared?: bigint): Uint8Array {
  const text = typeof header === "string" ? header : JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const data16 = new Uint8Array(16).map((_, i) => i);
const good = {
  a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
  b: { dtype: "F32", shape: [2], data_offsets: [8, 16] },
};

Deno.test("the well-formed file the corrupt cases start from decodes", () => {
  const file = decodeSafetensors(fileOf(good, data16));
  assert.deepEqual([...file.tensors.keys()], ["a", "b"]);
  assert.deepEqual(file.tensors.get("b")!.data, data16.slice(8));
  // A tensor named __proto__ is an ordinary tensor, not a prototype.
  const proto = decodeSafetensors(
    fileOf('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(7)),
  );
  assert.deepEqual(proto.tensors.get("__proto__")!.data, Uint8Array.of(7));
  const encoded = encodeSafetensors(
    new Map([["__proto__", { dtype: "U8", shape: [1], data: Uint8Array.of(7) } as RawTensor]]),
  );
  assert.deepEqual(decodeSafetensors(encoded).tensors.get("__proto__")!.data, Uint8Array.of(7));
});

Deno.test("every rule of the format: a corrupt file is a SafetensorsError naming the tensor", () => {
  const with_ = (name: string, info: unknown) => ({ ...good, [name]: info });
  const cases: [string, Uint8Array, RegExp, string | undefined][] = [
    [
      "shorter than the length field",
      Uint8Array.of(1, 2, 3),
      /3 bytes, fewer than the 8/,
      undefined,
    ],
    [
      "header over the bound",
      fileOf(good, data16, 100_000_001n),
      /header length 100000001 exceeds the limit/,
      undefined,
    ],
    ["huge header length", fileOf(good, data16, 2n ** 63n), /exceeds the limit/, undefined],
    ["header past the end", fileOf(good, data16, 500n), /runs past the end of the file/, undefined],
    [
      "not UTF-8",
      fileOf('{"a\xff":1}', data16).map((v, i) => (i === 11 ? 0xff : v)),
      /not valid UTF-8/,
      undefined,
    ],
    [
      "not starting with {",
      fileOf(" " + JSON.stringify(good), data16),
      /does not start with "\{"/,
      undefined,
    ],
    ["not JSON", fileOf("{a: 1}", data16), /not JSON/, undefined],
    [
      "not an object",
      fileOf("{}", data16).map((v, i) => (i === 8 ? 0x5b : v)),
      /does not start/,
      undefined,
    ],
    [
      "duplicate key",
      fileOf(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}',
        data16,
      ),
      /names "a" twice/,
      "a",
    ],
    [
      "metadata not strings",
      fileOf({ __metadata__: { n: 1 }, ...good }, data16),
      /__metadata__ entry "n" is 1/,
      undefined,
    ],
    [
      "metadata not an object",
      fileOf({ __metadata__: "x", ...good }, data16),
      /__metadata__ is not an object/,
      undefined,
    ],
    ["entry not an object", fileOf(with_("b", [1]), data16), /tensor "b" is not an object/, "b"],
    [
      "unknown field",
      fileOf(with_("b", { ...good.b, code: "x" }), data16),
      /tensor "b" has unknown fields code/,
      "b",
    ],
    [
      "unknown dtype",
      fileOf(with_("b", { ...good.b, dtype: "F128" }), data16),
      /tensor "b" has an unknown dtype "F128"/,
      "b",
    ],
    [
      "dtype not a string",
      fileOf(with_("b", { ...good.b, dtype: 4 }), data16),
      /unknown dtype 4/,
      "b",
    ],
    [
      "dtype missing",
      fileOf(with_("b", { shape: [2], data_offsets: [8, 16] }), data16),
      /unknown dtype undefined/,
      "b",
    ],
    [
      "negative dimension",
      fileOf(with_("b", { ...good.b, shape: [-2] }), data16),
      /malformed shape \[-2\]/,
      "b",
    ],
    [
      "fractional dimension",
      fileOf(with_("b", { ...good.b, shape: [1.5] }), data16),
      /malformed shape/,
      "b",
    ],
    [
      "shape missing",
      fileOf(with_("b", { dtype: "F32", data_offsets: [8, 16] }), data16),
      /malformed shape/,
      "b",
    ],
    [
      "offsets reversed",
      fileOf(with_("b", { ...good.b, data_offsets: [16, 8] }), data16),
      /malformed data_offsets \[16,8\]/,
      "b",
    ],
    [
      "offsets not a pair",
      fileOf(with_("b", { ...good.b, data_offsets: [8] }), data16),
      /malformed data_offsets/,
      "b",
    ],
    [
      "offset not an integer",
      fileOf(with_("b", { ...good.b, data_offsets: [8, "16"] }), data16),
      /malformed data_offsets/,
      "b",
    ],
    [
      "offset beyond the buffer",
      fileOf(with_("b", { ...good.b, shape: [4], data_offsets: [8, 24] }), data16),
      /\[8, 24\] beyond the data buffer \(16 bytes\)/,
      "b",
    ],
    [
      "size disagrees with dtype × shape",
      fileOf(with_("b", { ...good.b, dtype: "F64" }), data16),
      /F64\[2\] needs 16 bytes, its data_offsets \[8, 16\] hold 8/,
      "b",
    ],
    [
      "shape too large",
      fileOf(with_("b", { ...good.b, shape: [2 ** 40, 2 ** 20] }), data16),
      /too large to address/,
      "b",
    ],
    [
      "overlap",
      fileOf({ a: { dtype: "F32", shape: [3], data_offsets: [0, 12] }, b: good.b }, data16),
      /tensor "b" \(bytes 8\.\.16\) overlaps tensor "a"/,
      "b",
    ],
    [
      "hole",
      fileOf({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: good.b }, data16),
      /bytes 4\.\.8 of the data buffer, before tensor "b", belong to no tensor/,
      "b",
    ],
    [
      "trailing bytes",
      fileOf(good, new Uint8Array(20)),
      /bytes 16\.\.20 of the data buffer, after tensor "b",/,
      "b",
    ],
    [
      "no tensors, stray data",
      fileOf({}, Uint8Array.of(1)),
      /bytes 0\.\.1 of the data buffer belong to no tensor/,
      undefined,
    ],
  ];
  for (const [what, bytes, pattern, tensor] of cases) {
    assert.throws(
      () => decodeSafetensors(bytes),
      (e: Error) => {
        assert.ok(e instanceof SafetensorsError, `${what}: ${e}`);
        assert.match(e.message, pattern, what);
        assert.equal(e.tensor, tensor, what);
        return true;
      },
      what,
    );
  }
  // The bound is an option: a small one refuses a header a larger one accepts.
  assert.throws(
    () => decodeSafetensors(fileOf(good, data16), { maxHeaderBytes: 16 }),
    /exceeds the limit of 16/,
  );
});

Deno.test("a file that does not fit the model is a SafetensorsError, and the model is unchanged", async () => {
  const make = (seed: number) =>
    compile(chain(dense(3, 4), relu, dense(4, 2)), {
      loss: mse,
      optimizer: adam(),
      batchSize: 2,
      seed,
    });
  const source = await make(1);
  const target = await make(2);
  const before = target.trainingState();
  const mlpcFile = decodeSafetensors(toSafetensors(source, { optimizer: true }));
  const edit = (change: (t: Map<string, RawTensor>, m: Map<string, string>) => void) => {
    const tensors = new Map(mlpcFile.tensors);
    const metadata = new Map(mlpcFile.metadata);
    change(tensors, metadata);
    return encodeSafetensors(tensors, metadata);
  };
  const f32 = (values: number[], shape: number[]): RawTensor => ({
    dtype: "F32",
    shape,
    data: new Uint8Array(Float32Array.from(values).buffer),
  });
  const cases: [
    string,
    Uint8Array,
    { layout?: "mlpc" | "torch"; optimizer?: boolean },
    RegExp,
    string | undefined,
  ][] = [
    ["missing parameter", edit((t) => t.delete("2.bias")), {}, /lacks "2\.bias"/, "2.bias"],
    [
      "unknown tensor",
      edit((t) => t.set("3.weight", f32([1], [1]))),
      {},
      /tensors the model does not: "3\.weight"/,
      "3.weight",
    ],
    [
      "wrong shape",
      edit((t) => t.set("2.bias", f32([1, 2, 3], [3]))),
      {},
      /"2\.bias" has shape \[3\]; the model's needs \[2\]/,
      "2.bias",
    ],
    [
      "integer dtype",
      edit((t) => t.set("2.bias", { dtype: "I32", shape: [2], data: new Uint8Array(8) })),
      {},
      /dtype I32; parameters need a floating-point dtype/,
      "2.bias",
    ],
    [
      "not finite",
      edit((t) => t.set("2.bias", f32([1, Infinity], [2]))),
      {},
      /"2\.bias" has the value Infinity at element 1/,
      "2.bias",
    ],
    [
      "f64 overflowing f32",
      edit((t) =>
        t.set("2.bias", {
          dtype: "F64",
          shape: [2],
          data: new Uint8Array(Float64Array.of(1, 1e300).buffer),
        })
      ),
      {},
      /value 1e\+300 at element 1, not finite in f32/,
      "2.bias",
    ],
    [
      "layout disagrees with the file",
      toSafetensors(source),
      { layout: "torch" },
      /written with layout "mlpc", but layout "torch"/,
      undefined,
    ],
    [
      "torch shapes read as mlpc",
      edit((t, m) => {
        t.set("0.weight", f32(new Array(12).fill(0), [4, 3]));
        m.delete("mlpc.layout");
      }),
      {},
      /"0\.weight" has shape \[4,3\]; the model's needs \[3,4\]/,
      "0.weight",
    ],
    [
      "optimizer state incomplete",
      edit((t) => t.delete("exp_avg_sq/0.weight")),
      {},
      /lacks "exp_avg_sq\/0\.weight"/,
      "exp_avg_sq/0.weight",
    ],
    [
      "optimizer state asked for, absent",
      toSafetensors(source),
      { optimizer: true },
      /lacks "exp_avg\/0\.weight"/,
      "exp_avg/0.weight",
    ],
    [
      "learning rate malformed",
      edit((_, m) => m.set("mlpc.learningRate", "-1")),
      {},
      /mlpc\.learningRate is "-1", not a positive number/,
      undefined,
    ],
    [
      "step count malformed",
      edit((_, m) => m.set("mlpc.step", "1.5")),
      {},
      /mlpc\.step is "1\.5", not a non-negative integer/,
      undefined,
    ],
  ];
  for (const [what, bytes, options, pattern, tensor] of cases) {
    assert.throws(
      () => fromSafetensors(target, bytes, options),
      (e: Error) => {
        assert.ok(e instanceof SafetensorsError, `${what}: ${e}`);
        assert.match(e.message, pattern, what);
        assert.equal(e.tensor, tensor, what);
        return true;
      },
      what,
    );
    assert.deepEqual(target.trainingState(), before, `${what} changed the model`);
  }
  assert.throws(
    () => toSafetensors(source, { layout: "torch", optimizer: true }),
    /no place for optimizer state/,
  );
  // Not strict: missing tensors keep their values, unknown ones are ignored.
  const partial = edit((t, m) => {
    m.delete("mlpc.step");
    t.delete("2.bias");
    t.set("extra", f32([1], [1]));
    for (const name of [...t.keys()]) if (name.includes("/")) t.delete(name);
  });
  fromSafetensors(target, partial, { strict: false });
  assert.deepEqual(target.getParams()["0.weight"], source.getParams()["0.weight"]);
  assert.deepEqual(target.getParams()["2.bias"], before.buffers["2.bias"]);
});

Deno.test("saveSafetensors writes whole files or nothing", async () => {
  const t = await compile(dense(2, 2), { loss: mse, batchSize: 2 });
  const dir = await Deno.makeTempDir();
  try {
    const blocked = `${dir}/blocked`;
    await Deno.mkdir(blocked);
    await Deno.writeTextFile(`${blocked}/keep.txt`, "kept");
    await assert.rejects(() => saveSafetensors(t, blocked));
    assert.equal(await Deno.readTextFile(`${blocked}/keep.txt`), "kept");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["blocked"]);
    await saveSafetensors(t, `${dir}/ok.safetensors`);
    assert.deepEqual(await Deno.readFile(`${dir}/ok.safetensors`), toSafetensors(t));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MLPC_VERSION is deno.json's version", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assert.equal(MLPC_VERSION, config.version);
});
