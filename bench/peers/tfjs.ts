/**
 * TensorFlow.js 4.22.0 peer for the comparison benchmark: the same MLP built
 * from `tf.variable`s, trained with `optimizer.minimize` (eager ops, tape
 * gradients), on either the `wasm` backend (XNNPACK, SIMD build,
 * single-threaded) or the pure-JS `cpu` backend.
 *
 * The wasm binaries ship inside the npm package; they are located next to the
 * package's entry point in Deno's npm cache and handed to `setWasmPaths` as a
 * directory path (no network needed).
 *
 * Benchmark-only: nothing in the library imports this.
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- pinned benchmark-only peer, kept out of deno.json
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
// deno-lint-ignore no-import-prefix
import { setWasmPaths } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
import { fileURLToPath } from "node:url";
import {
  initParams,
  type Inputs,
  type Labels,
  type ModelSpec,
  type Peer,
  type Trainer,
} from "./common.ts";

const WASM_PKG = "npm:@tensorflow/tfjs-backend-wasm@4.22.0";

let wasmPathsSet = false;

/** Points the wasm backend at the `.wasm` files in the npm cache (once). */
function prepareWasm(): void {
  if (wasmPathsSet) return;
  const dist = new URL("./", import.meta.resolve(WASM_PKG));
  setWasmPaths(fileURLToPath(dist)); // e.g. …/tfjs-backend-wasm/4.22.0/dist/
  // Pin the single-threaded SIMD binary (also tfjs' own choice in Deno: no crossOriginIsolated).
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasmPathsSet = true;
}

async function useBackend(backend: "wasm" | "cpu"): Promise<void> {
  if (backend === "wasm") prepareWasm();
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to init`);
  await tf.ready();
}

function makeOptimizer(spec: ModelSpec): tf.Optimizer {
  const o = spec.optimizer;
  if (o.kind === "adam") return tf.train.adam(o.lr);
  return o.momentum ? tf.train.momentum(o.lr, o.momentum) : tf.train.sgd(o.lr);
}

async function createTrainer(
  backend: "wasm" | "cpu",
  spec: ModelSpec,
  batchSize: number,
  seed: number,
): Promise<Trainer> {
  await useBackend(backend);
  const inDim = spec.sizes[0], outDim = spec.sizes[spec.sizes.length - 1];
  const vars = initParams(spec, seed).map((p, i) => ({
    w: tf.variable(tf.tensor2d(p.w, [spec.sizes[i], spec.sizes[i + 1]])),
    b: tf.variable(tf.tensor1d(p.b)),
  }));
  const varList = vars.flatMap((v) => [v.w, v.b]);
  const act = spec.activation === "relu" ? tf.relu : tf.tanh;
  const optimizer = makeOptimizer(spec);
  const forward = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    vars.forEach((v, i) => {
      h = tf.add(tf.matMul(h, v.w), v.b);
      if (i + 1 < vars.length) h = act(h);
    });
    return h;
  };
  const rows = (x: Inputs) => x.length / inDim;
  return {
    trainBatch(x: Inputs, y: Labels): number {
      const n = rows(x);
      if (n !== batchSize) throw new Error(`batch of ${n}, compiled for ${batchSize}`);
      const cost = tf.tidy(() => {
        const xs = tf.tensor2d(x, [n, inDim]);
        const target = spec.loss === "softmaxCrossEntropy"
          ? tf.oneHot(tf.tensor1d(y as Int32Array, "int32"), outDim)
          : tf.tensor2d(y as Float32Array, [n, outDim]);
        const lossFn = spec.loss === "softmaxCrossEntropy"
          ? () => tf.losses.softmaxCrossEntropy(target, forward(xs)) as tf.Scalar
          : () => tf.losses.meanSquaredError(target, forward(xs)) as tf.Scalar;
        return optimizer.minimize(lossFn, true, varList)!;
      });
      const value = cost.dataSync()[0];
      cost.dispose();
      return value;
    },
    predict(x: Inputs): Float32Array {
      const out = tf.tidy(() => forward(tf.tensor2d(x, [rows(x), inDim])));
      const data = out.dataSync() as Float32Array;
      out.dispose();
      return data;
    },
    dispose(): void {
      optimizer.dispose();
      tf.dispose(varList);
    },
  };
}

/** TF.js on its wasm backend (XNNPACK, SIMD, single thread). */
export const tfjsWasm: Peer = {
  name: "tfjs-wasm",
  note: "TF.js 4.22.0, wasm backend (SIMD, 1 thread)",
  create: (spec, batchSize, seed) => createTrainer("wasm", spec, batchSize, seed),
};

/** TF.js on its pure-JavaScript cpu backend. */
export const tfjsCpu: Peer = {
  name: "tfjs-cpu",
  note: "TF.js 4.22.0, cpu backend (pure JS)",
  create: (spec, batchSize, seed) => createTrainer("cpu", spec, batchSize, seed),
};
