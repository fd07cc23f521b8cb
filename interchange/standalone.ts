/**
 * A trained model as a standalone, predict-only WebAssembly module and a
 * small dependency-free ES module that loads it: no compiler, no Binaryen, no
 * mlpc import — it runs in Deno, Node and browsers.
 *
 * The `.wasm` is lowered by the compiler's own pipeline (`lowerPrograms`)
 * from the model's predict graph alone, with the trained parameters (and
 * running statistics) in a data segment; its kernels are those `predict` runs, so its predictions are the
 * trainer's, bit for bit.
 *
 * @module
 */

import type { Trainer } from "../runtime/trainer.ts";
import { CompileError, FileError } from "../core/errors.ts";
import { DATA_INPUT, EXPORTS, PREDICTION_OUTPUT } from "../core/contract.ts";
import { refuseIndexInputs } from "./onnx.ts";
import { erfSource } from "../core/erf.ts";
import { MLPC_VERSION } from "../core/version.ts";
import { graphFromPlain } from "../compiler/ir/from_plain.ts";
import { lowerPrograms } from "../compiler/driver/lower.ts";
import { writeFileAtomic } from "../runtime/write_atomic.ts";

/** Options of `exportInference`. */
export interface InferenceExportOptions {
  /** Base name of the two files (default `"model"`: `model.wasm`, `model.js`). */
  readonly name?: string;
  /** Rows one wasm call handles (default: the trainer's batch size); `predict` takes any number. */
  readonly batchSize?: number;
}

/** What `exportInference` wrote. */
export interface InferenceExport {
  /** Path of the `.wasm` file. */
  readonly wasmPath: string;
  /** Path of the ES module. */
  readonly modulePath: string;
  /** Size of the `.wasm` file in bytes. */
  readonly wasmBytes: number;
  /** Size of the ES module in bytes. */
  readonly moduleBytes: number;
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
}

/** The predict-only module and the loader's source, in memory. */
export interface InferenceModule {
  /** The `.wasm` bytes (parameters included). */
  readonly wasm: Uint8Array<ArrayBuffer>;
  /** The ES module's source; it loads `./<name>.wasm` relative to itself. */
  readonly source: string;
  /** Bytes of memory the module uses. */
  readonly memoryBytes: number;
}

/**
 * Builds the predict-only module and its loader without writing files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { inferenceModule } from "./standalone.ts";
 * const t = await compile(dense(3, 2), { loss: mse, batchSize: 4 });
 * const { wasm, source } = inferenceModule(t);
 * assert.ok(WebAssembly.validate(wasm) && source.includes("export function predict"));
 * ```
 */
export function inferenceModule(
  trainer: Trainer,
  options: InferenceExportOptions = {},
): InferenceModule {
  const { artifact } = trainer;
  refuseIndexInputs("The standalone inference module", artifact.inputs);
  const plain = artifact.graphs?.predict;
  if (plain === undefined) {
    throw new CompileError(
      "exportInference reads the model's graph, which this model lacks (it was loaded from a " +
        "file saved before graphs were recorded): compile it again, or save it with this version",
    );
  }
  const batchSize = options.batchSize ?? artifact.maxBatch;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1 << 20) {
    throw new CompileError(`batchSize must be an integer in 1..${1 << 20}, got ${batchSize}`);
  }
  const name = options.name ?? "model";
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new CompileError(
      `name must be a plain file name (letters, digits, _ . -), got "${name}"`,
    );
  }
  const lowered = lowerPrograms(
    [{ name: EXPORTS.predict, graph: graphFromPlain(plain, "predict"), returns: null }],
    {
      maxBatch: batchSize,
      relaxedSimd: artifact.relaxedSimd,
      // Inference reads the running statistics (batch norm) as well as the parameters.
      initialValues: { ...trainer.getParams(), ...trainer.getRunningStats() },
    },
  );
  const offset = (slot: string) => lowered.layout.slots.find((s) => s.name === slot)!.offset;
  const source = loaderSource({
    name,
    description: artifact.description ?? artifact.inputLayer,
    dtype: artifact.dtype,
    features: artifact.inputFeatures,
    outputs: artifact.outputs,
    maxBatch: batchSize,
    xOffset: offset(DATA_INPUT),
    predictionOffset: offset(PREDICTION_OUTPUT),
    imports: WebAssembly.Module.imports(new WebAssembly.Module(lowered.binary)).map((i) => i.name),
  });
  return { wasm: lowered.binary, source, memoryBytes: lowered.memoryBytes };
}

/**
 * Writes `<name>.wasm` (predict only, parameters in a data segment) and
 * `<name>.js` (an ES module exposing `predict(Float32Array | number[][])`)
 * into `dir`, each atomically; `dir` is created if it does not exist. A
 * folder or file that cannot be written is a `FileError` naming its path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, mse } from "../mod.ts";
 * import { exportInference } from "./standalone.ts";
 * const t = await compile(dense(3, 2), { loss: mse, batchSize: 4 });
 * const dir = await Deno.makeTempDir();
 * const written = await exportInference(t, dir);
 * const { predict } = await import(`file://${written.modulePath}`);
 * assert.deepEqual(predict([[1, 2, 3]]), t.predict([[1, 2, 3]]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function exportInference(
  trainer: Trainer,
  dir: string,
  options: InferenceExportOptions = {},
): Promise<InferenceExport> {
  const name = options.name ?? "model";
  const built = inferenceModule(trainer, options);
  const source = new TextEncoder().encode(built.source);
  const folder = dir.replace(/\/+$/, "");
  const wasmPath = `${folder}/${name}.wasm`;
  const modulePath = `${folder}/${name}.js`;
  try {
    await Deno.mkdir(folder === "" ? "/" : folder, { recursive: true });
  } catch (e) {
    throw new FileError("write", dir, e);
  }
  // Each a FileError naming its path when it fails.
  await writeFileAtomic(wasmPath, built.wasm);
  await writeFileAtomic(modulePath, source);
  return {
    wasmPath,
    modulePath,
    wasmBytes: built.wasm.length,
    moduleBytes: source.length,
    memoryBytes: built.memoryBytes,
  };
}

interface LoaderConstants {
  readonly name: string;
  readonly description: string;
  readonly dtype: "f32" | "f64";
  readonly features: number;
  readonly outputs: number;
  readonly maxBatch: number;
  readonly xOffset: number;
  readonly predictionOffset: number;
  /** The functions the module imports from `env` (f64 modules' transcendentals). */
  readonly imports: readonly string[];
}

/** The loader's `env`: `Math` functions, and mlpc's erf written out when the module uses it. */
function envSource(imports: readonly string[]): string {
  const erfUsed = imports.includes("erf");
  const entries = imports.map((name) => (name === "erf" ? "erf" : `${name}: Math.${name}`));
  const comment = imports.length === 0
    ? "// This module imports nothing (f32 modules compute exp, log, … in WebAssembly)."
    : "// The f64 module computes these transcendentals with JavaScript's.";
  return [
    ...(erfUsed ? ["// erf as mlpc computes it (JavaScript has no Math.erf):", erfSource()] : []),
    comment,
    `const env = { ${entries.join(", ")} };`,
  ].join("\n");
}

/** The loader: plain JavaScript, the model's constants inlined. */
function loaderSource(c: LoaderConstants): string {
  const array = c.dtype === "f64" ? "Float64Array" : "Float32Array";
  const bytes = c.dtype === "f64" ? 8 : 4;
  return `// ${
    c.description.replace(/\n/g, " ")
  }: predict-only WebAssembly from mlpc ${MLPC_VERSION}.
// No dependencies; runs in Deno, Node and browsers. Loads ./${c.name}.wasm next to this file.
//   import { predict } from "./${c.name}.js";
//   predict([[...${c.features} numbers], ...]) // or a ${array} of rows × ${c.features}
//   → ${array} of rows × ${c.outputs}, row-major

/** Values per input sample. */
export const inputFeatures = ${c.features};
/** Values per prediction. */
export const outputs = ${c.outputs};
/** Element type of inputs and predictions. */
export const dtype = "${c.dtype}";
const MAX_BATCH = ${c.maxBatch}; // rows per call into WebAssembly
const X = ${c.xOffset / bytes}; // element offsets of the input and the prediction
const PREDICTION = ${c.predictionOffset / bytes};
const Values = ${array};

async function wasmBytes() {
  const url = new URL("./${c.name}.wasm", import.meta.url);
  if (url.protocol === "file:") {
    const { readFile } = await import("node:fs/promises"); // Deno and Node
    return await readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(\`Cannot load \${url}: HTTP \${response.status}\`);
  return new Uint8Array(await response.arrayBuffer());
}

${envSource(c.imports)}
const { instance } = await WebAssembly.instantiate(await wasmBytes(), { env });
const run = instance.exports.predict;
const memory = new Values(instance.exports.memory.buffer); // fixed size: never detached

function fail(message) {
  throw new RangeError(\`predict: \${message}\`);
}

/** The samples as one row-major ${array}, checked. */
function samples(x) {
  let data;
  if (x instanceof Float32Array || x instanceof Float64Array) {
    if (x.length % inputFeatures !== 0) {
      fail(\`\${x.length} values are not whole rows of \${inputFeatures} features\`);
    }
    data = x instanceof Values ? x : Values.from(x);
  } else if (Array.isArray(x)) {
    data = new Values(x.length * inputFeatures);
    x.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== inputFeatures) {
        fail(\`row \${r} must be an array of \${inputFeatures} numbers\`);
      }
      for (let c = 0; c < inputFeatures; c++) {
        if (typeof row[c] !== "number") fail(\`row \${r}, column \${c} is not a number\`);
        data[r * inputFeatures + c] = row[c];
      }
    });
  } else {
    fail("expected a Float32Array, a Float64Array or an array of rows");
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const r = Math.floor(bad / inputFeatures);
    fail(\`row \${r}, column \${bad % inputFeatures} holds \${data[bad]}, not a finite ${c.dtype}\`);
  }
  return data;
}

/**
 * The model's outputs for each sample: rows × ${c.outputs} values, row-major.
 * @param {Float32Array | Float64Array | number[][]} x rows × ${c.features} values
 * @returns {${array}}
 */
export function predict(x) {
  const data = samples(x);
  const rows = data.length / inputFeatures;
  const result = new Values(rows * outputs);
  for (let from = 0; from < rows; from += MAX_BATCH) {
    const n = Math.min(MAX_BATCH, rows - from);
    memory.set(data.subarray(from * inputFeatures, (from + n) * inputFeatures), X);
    run(n);
    result.set(memory.subarray(PREDICTION, PREDICTION + n * outputs), from * outputs);
  }
  return result;
}
`;
}
