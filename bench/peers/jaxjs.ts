/**
 * jax-js 0.1.25 peer for the comparison benchmark, on its `wasm` device: one
 * `jit`-compiled step computing `valueAndGrad` of the loss and the optimizer
 * update (SGD, SGD with momentum, or Adam, written here in the optax style
 * since `@jax-js/optax` is not published on npm).
 *
 * Two execution modes of the same compiled step:
 * - `jaxjs-wasm`: main thread. Reading results with `dataSync()` makes
 *   jax-js prepare kernels synchronously and run them on the calling thread.
 * - `jaxjs-worker`: jax-js' worker pool. Reading with `await data()` prepares
 *   kernels asynchronously and splits each one across
 *   `navigator.hardwareConcurrency` Web Workers sharing a
 *   `SharedArrayBuffer` memory (enabled automatically when SharedArrayBuffer
 *   and Worker exist, as in Deno).
 *
 * jax-js arrays are reference counted: every function consumes its arguments,
 * `.ref` / `tree.ref` keeps one alive for another use.
 *
 * Benchmark-only: nothing in the library imports this.
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- pinned benchmark-only peer, kept out of deno.json
import { blockUntilReady, jit, nn, numpy as np, tree, valueAndGrad } from "npm:@jax-js/jax@0.1.25";
import {
  initParams,
  type Inputs,
  type Labels,
  type ModelSpec,
  type OptimizerSpec,
  type Peer,
  type Trainer,
} from "./common.ts";

type Layer = { w: np.Array; b: np.Array };
type Params = Layer[];
/** Optimizer state: per-leaf slots plus Adam's running `beta^t` scalars. */
type OptState = { m: Params; v: Params; b1t: np.Array; b2t: np.Array };

const BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-7; // TF.js / Keras Adam defaults

function forward(params: Params, x: np.Array, spec: ModelSpec): np.Array {
  let h = x;
  params.forEach((layer, i) => {
    h = np.matmul(h, layer.w).add(layer.b);
    if (i + 1 < params.length) h = spec.activation === "relu" ? nn.relu(h) : np.tanh(h);
  });
  return h;
}

function lossOf(spec: ModelSpec, params: Params, x: np.Array, y: np.Array): np.Array {
  const out = forward(params, x, spec);
  if (spec.loss === "mse") return np.square(out.sub(y)).mean();
  const classes = spec.sizes[spec.sizes.length - 1];
  return nn.logSoftmax(out, -1).mul(nn.oneHot(y, classes)).sum(-1).mean().neg();
}

const zerosLike = (p: Params): Params =>
  p.map((l) => ({ w: np.zeros(l.w.shape), b: np.zeros(l.b.shape) }));

function initOptState(o: OptimizerSpec, params: Params): OptState {
  const adam = o.kind === "adam", mom = o.kind === "sgd" && !!o.momentum;
  return {
    m: adam || mom ? zerosLike(params) : [],
    v: adam ? zerosLike(params) : [],
    b1t: np.array([1]),
    b2t: np.array([1]),
  };
}

/** Pure update rule (traced inside `jit`): consumes all arguments. */
function update(o: OptimizerSpec, p: Params, g: Params, s: OptState): [Params, OptState] {
  if (o.kind === "sgd" && !o.momentum) {
    const next = tree.map((pi: np.Array, gi: np.Array) => pi.sub(gi.mul(o.lr)), p, g) as Params;
    return [next, s];
  }
  if (o.kind === "sgd") {
    const mu = o.momentum!;
    const m = tree.map((mi: np.Array, gi: np.Array) => mi.mul(mu).add(gi), s.m, g) as Params;
    const next = tree.map((pi: np.Array, mi: np.Array) => pi.sub(mi.mul(o.lr)), p, tree.ref(m));
    return [next as Params, { ...s, m }];
  }
  const m = tree.map(
    (mi: np.Array, gi: np.Array) => mi.mul(BETA1).add(gi.mul(1 - BETA1)),
    s.m,
    tree.ref(g),
  ) as Params;
  const v = tree.map(
    (vi: np.Array, gi: np.Array) => vi.mul(BETA2).add(np.square(gi).mul(1 - BETA2)),
    s.v,
    g,
  ) as Params;
  const b1t = s.b1t.mul(BETA1), b2t = s.b2t.mul(BETA2);
  // p -= lr * m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps)
  const c1 = np.reciprocal(np.negative(b1t.ref).add(1)).mul(o.lr);
  const c2 = np.reciprocal(np.negative(b2t.ref).add(1));
  const next = tree.map(
    (pi: np.Array, mi: np.Array, vi: np.Array) =>
      pi.sub(mi.mul(c1.ref).div(np.sqrt(vi.mul(c2.ref)).add(EPS))),
    p,
    tree.ref(m),
    tree.ref(v),
  ) as Params;
  c1.dispose();
  c2.dispose();
  return [next, { m, v, b1t, b2t }];
}

function createTrainer(worker: boolean, spec: ModelSpec, batchSize: number, seed: number): Trainer {
  const inDim = spec.sizes[0], outDim = spec.sizes[spec.sizes.length - 1];
  let params: Params = initParams(spec, seed).map((l, i) => ({
    w: np.array(l.w, { shape: [spec.sizes[i], spec.sizes[i + 1]] }),
    b: np.array(l.b),
  }));
  let state = initOptState(spec.optimizer, params);
  const step = jit((p: Params, s: OptState, x: np.Array, y: np.Array) => {
    const [loss, grads] = valueAndGrad((q: Params) => lossOf(spec, q, x, y))(tree.ref(p));
    const [next, nextState] = update(spec.optimizer, p, grads, s);
    return [loss, next, nextState] as [np.Array, Params, OptState];
  });
  const predictFn = jit((p: Params, x: np.Array) => forward(p, x, spec));
  const asX = (x: Inputs) => np.array(x, { shape: [x.length / inDim, inDim] });
  const asY = (y: Labels, n: number) =>
    y instanceof Int32Array
      ? np.array(y, { dtype: np.int32 })
      : np.array(y, { shape: [n, outDim] });
  const train = (x: Inputs, y: Labels): np.Array => {
    const n = x.length / inDim;
    if (n !== batchSize) throw new Error(`batch of ${n}, compiled for ${batchSize}`);
    const [loss, next, nextState] = step(params, state, asX(x), asY(y, n));
    params = next;
    state = nextState;
    return loss;
  };
  const predict = (x: Inputs) => predictFn(tree.ref(params), asX(x));
  const dispose = async () => {
    await blockUntilReady([params, state]);
    tree.dispose([params, state]);
    step.dispose();
    predictFn.dispose();
  };
  if (worker) {
    return {
      async trainBatch(x, y) {
        const loss = train(x, y);
        await blockUntilReady([params, state]);
        return (await loss.data())[0];
      },
      async predict(x) {
        return (await predict(x).data()) as Float32Array;
      },
      dispose,
    };
  }
  return {
    trainBatch: (x, y) => train(x, y).dataSync()[0],
    predict: (x) => predict(x).dataSync() as Float32Array,
    dispose,
  };
}

/** jax-js on its wasm device, kernels run synchronously on the main thread. */
export const jaxjsWasm: Peer = {
  name: "jaxjs-wasm",
  note: "jax-js 0.1.25, wasm, jit step, main thread (dataSync)",
  create: (spec, batchSize, seed) =>
    Promise.resolve().then(() => createTrainer(false, spec, batchSize, seed)),
};

/** jax-js on its wasm device, kernels split across its Web Worker pool. */
export const jaxjsWorker: Peer = {
  name: "jaxjs-worker",
  note: `jax-js 0.1.25, wasm, jit step, ${navigator.hardwareConcurrency} workers (await data)`,
  create: (spec, batchSize, seed) =>
    Promise.resolve().then(() => createTrainer(true, spec, batchSize, seed)),
};
