// Learning-rate schedules against (1) plain-number implementations written
// here from the formulas of PyTorch's torch.optim.lr_scheduler documentation,
// (2) values printed by PyTorch 1.13 itself, and (3) inside fit: the rate each
// step used is recorded, the parameters move as plain SGD with those rates
// says, and no module is compiled or instantiated while the rate changes.
import assert from "node:assert/strict";
import {
  compile,
  constantLR,
  cosineAnnealing,
  dense,
  exponentialLR,
  InputError,
  learningRateAt,
  mse,
  multiStepLR,
  oneCycle,
  reduceOnPlateau,
  sgd,
  stepLR,
} from "../mod.ts";
import { plateauStep } from "../runtime/schedules.ts";

const close = (got: readonly number[], want: readonly number[], tol = 1e-12) => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) =>
    assert.ok(
      Math.abs(g - want[i]) <= tol * Math.abs(want[i]) + 1e-300,
      `t=${i}: ${g} vs ${want[i]}`,
    )
  );
};
const ts = (n: number) => Array.from({ length: n }, (_, t) => t);

// --- (1) The documented formulas, as plain numbers -------------------------
// StepLR: "Decays the learning rate by gamma every step_size epochs."
function stepOracle(lr: number, stepSize: number, gamma: number, n: number): number[] {
  const out: number[] = [];
  let current = lr;
  for (let t = 0; t < n; t++) {
    if (t > 0 && t % stepSize === 0) current *= gamma;
    out.push(current);
  }
  return out;
}
// MultiStepLR: "Decays the learning rate by gamma once the number of epoch reaches one of the milestones."
function multiStepOracle(lr: number, milestones: number[], gamma: number, n: number): number[] {
  const out: number[] = [];
  let current = lr;
  for (let t = 0; t < n; t++) {
    for (const m of milestones) if (t === m) current *= gamma;
    out.push(current);
  }
  return out;
}
// ExponentialLR: "Decays the learning rate by gamma every epoch."
function exponentialOracle(lr: number, gamma: number, n: number): number[] {
  const out = [lr];
  for (let t = 1; t < n; t++) out.push(out[t - 1] * gamma);
  return out;
}
// CosineAnnealingLR: η_t = η_min + ½(η_max − η_min)(1 + cos(T_cur/T_max · π)).
const cosineOracle = (lr: number, etaMin: number, tMax: number, t: number) =>
  etaMin + 0.5 * (lr - etaMin) * (1 + Math.cos((t / tMax) * Math.PI));
// LinearLR: factor from start_factor to end_factor (1) over total_iters, then SequentialLR hands over.
const warmupCosineOracle =
  (lr: number, f: number, w: number, etaMin: number, tMax: number) => (t: number) =>
    t < w ? lr * (f + ((1 - f) / w) * t) : cosineOracle(lr, etaMin, tMax, t - w);
// OneCycleLR: from max_lr/div_factor up to max_lr over pct_start of the cycle, then down to
// initial/final_div_factor; phase ends at pct_start·total − 1 and total − 1 (two phases) or
// pct_start·total − 1, 2·pct_start·total − 2, total − 1 (three phases).
function oneCycleOracle(
  maxLr: number,
  total: number,
  pct: number,
  div: number,
  finalDiv: number,
  cos: boolean,
  three: boolean,
): number[] {
  const initial = maxLr / div;
  const final = initial / finalDiv;
  const ends = three
    ? [pct * total - 1, 2 * pct * total - 2, total - 1]
    : [pct * total - 1, total - 1];
  const levels = three ? [initial, maxLr, initial, final] : [initial, maxLr, final];
  const anneal = (a: number, b: number, p: number) =>
    cos ? b + ((a - b) / 2) * (1 + Math.cos(Math.PI * p)) : a + (b - a) * p;
  return ts(total).map((t) => {
    let phase = ends.findIndex((e) => t <= e);
    if (phase < 0) phase = ends.length - 1;
    const start = phase === 0 ? 0 : ends[phase - 1];
    return anneal(levels[phase], levels[phase + 1], (t - start) / (ends[phase] - start));
  });
}
// ReduceLROnPlateau (mode min, threshold_mode rel): better if a < best·(1 − threshold);
// after more than `patience` bad epochs: lr ← max(lr·factor, min_lr), then `cooldown` epochs ignored.
function plateauOracle(
  lr: number,
  metrics: number[],
  o: { factor: number; patience: number; threshold: number; cooldown: number; minLr: number },
): number[] {
  const out: number[] = [];
  let best = Infinity;
  let bad = 0;
  let cooldown = 0;
  for (const value of metrics) {
    out.push(lr);
    if (value < best * (1 - o.threshold)) {
      best = value;
      bad = 0;
    } else bad++;
    if (cooldown > 0) {
      cooldown--;
      bad = 0;
    }
    if (bad > o.patience) {
      const next = Math.max(lr * o.factor, o.minLr);
      if (lr - next > 1e-8) lr = next;
      cooldown = o.cooldown;
      bad = 0;
    }
  }
  return out;
}

// --- (2) PyTorch 1.13's own values (SGD lr 0.1; lr read before each scheduler.step) ---
// Printed by: for each scheduler, `out.append(opt.param_groups[0]["lr"]); opt.step(); s.step()`
// with StepLR(step_size=3, gamma=0.5), MultiStepLR([2, 5, 6], 0.3), ExponentialLR(0.9),
// CosineAnnealingLR(T_max=6, eta_min=0.01), SequentialLR([LinearLR(start_factor=0.25,
// total_iters=3), CosineAnnealingLR(T_max=5, eta_min=0.001)], milestones=[3]),
// ConstantLR(factor=0.5, total_iters=3), OneCycleLR(max_lr=1, total_steps=12),
// OneCycleLR(max_lr=0.5, total_steps=15, anneal_strategy="linear", three_phase=True,
// pct_start=0.25, div_factor=10, final_div_factor=100), ReduceLROnPlateau(factor=0.5,
// patience=1, threshold=0.05, cooldown=1) and ReduceLROnPlateau(mode="max", factor=0.1,
// patience=0, threshold=0.01, threshold_mode="abs", min_lr=0.0005) stepped with PLATEAU_METRICS.
const TORCH = {
  stepLR: [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125],
  multiStepLR: [0.1, 0.1, 0.03, 0.03, 0.03, 0.009, 0.0027, 0.0027, 0.0027, 0.0027],
  exponentialLR: [
    0.1,
    0.09000000000000001,
    0.08100000000000002,
    0.07290000000000002,
    0.06561000000000002,
    0.05904900000000002,
    0.05314410000000002,
    0.04782969000000002,
    0.043046721000000024,
    0.03874204890000002,
  ],
  cosine: [
    0.1,
    0.09397114317029975,
    0.07750000000000001,
    0.055000000000000014,
    0.032500000000000015,
    0.01602885682970026,
    0.01,
    0.01602885682970026,
    0.03250000000000001,
    0.05500000000000004,
  ],
  warmupCosine: [
    0.025,
    0.05,
    0.07500000000000001,
    0.1,
    0.0905463412215599,
    0.06579634122155989,
    0.035203658778440096,
    0.010453658778440105,
    0.001,
    0.010453658778440102,
  ],
  constantLR: [0.05, 0.05, 0.05, 0.1, 0.1, 0.1],
  oneCycle: [
    0.040000000000000036,
    0.3497896542195831,
    0.8792851591221287,
    0.9944154354509117,
    0.9330129698414117,
    0.811745653949763,
    0.6473789976951033,
    0.46263710266697505,
    0.28306099820869923,
    0.1334775301888306,
    0.03456698742539522,
    4e-06,
  ],
  oneCycleLinear3: [
    0.05,
    0.21363636363636362,
    0.37727272727272726,
    0.4590909090909091,
    0.29545454545454547,
    0.13181818181818178,
    0.04708823529411765,
    0.04126470588235294,
    0.03544117647058824,
    0.029617647058823533,
    0.023794117647058823,
    0.01797058823529412,
    0.012147058823529414,
    0.006323529411764707,
    0.0005000000000000004,
  ],
  plateau: [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125],
  plateauMaxAbs: [
    0.1,
    0.1,
    0.01,
    0.001,
    0.0005,
    0.0005,
    0.0005,
    0.0005,
    0.0005,
    0.0005,
    0.0005,
    0.0005,
  ],
};
const PLATEAU_METRICS = [1.0, 0.9, 0.9, 0.95, 0.91, 0.9, 0.9, 0.89, 0.88, 0.9, 0.9, 0.9];

Deno.test("closed-form schedules equal the documented formulas and PyTorch's values", () => {
  const at = (s: Parameters<typeof learningRateAt>[0], n: number, total?: number) =>
    ts(n).map((t) => learningRateAt(s, 0.1, t, total));
  close(at(stepLR({ stepSize: 3, gamma: 0.5 }), 10), stepOracle(0.1, 3, 0.5, 10));
  close(at(stepLR({ stepSize: 3, gamma: 0.5 }), 10), TORCH.stepLR);
  close(
    at(multiStepLR({ milestones: [2, 5, 6], gamma: 0.3 }), 10),
    multiStepOracle(0.1, [2, 5, 6], 0.3, 10),
  );
  close(at(multiStepLR({ milestones: [2, 5, 6], gamma: 0.3 }), 10), TORCH.multiStepLR);
  close(at(exponentialLR({ gamma: 0.9 }), 10), exponentialOracle(0.1, 0.9, 10));
  close(at(exponentialLR({ gamma: 0.9 }), 10), TORCH.exponentialLR);
  close(
    at(cosineAnnealing({ tMax: 6, etaMin: 0.01 }), 10),
    ts(10).map((t) => cosineOracle(0.1, 0.01, 6, t)),
  );
  close(at(cosineAnnealing({ tMax: 6, etaMin: 0.01 }), 10), TORCH.cosine);
  const warm = cosineAnnealing({ tMax: 5, etaMin: 0.001, warmup: 3, warmupStartFactor: 0.25 });
  close(at(warm, 10), ts(10).map(warmupCosineOracle(0.1, 0.25, 3, 0.001, 5)));
  close(at(warm, 10), TORCH.warmupCosine);
  close(at(constantLR({ factor: 0.5, totalIters: 3 }), 6), TORCH.constantLR);
  close(at(constantLR(), 6), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
  close(
    at(oneCycle({ maxLr: 1, totalSteps: 12 }), 12),
    oneCycleOracle(1, 12, 0.3, 25, 1e4, true, false),
  );
  close(at(oneCycle({ maxLr: 1, totalSteps: 12 }), 12), TORCH.oneCycle, 1e-9);
  const linear3 = oneCycle({
    maxLr: 0.5,
    totalSteps: 15,
    annealStrategy: "linear",
    threePhase: true,
    pctStart: 0.25,
    divFactor: 10,
    finalDivFactor: 100,
  });
  close(at(linear3, 15), oneCycleOracle(0.5, 15, 0.25, 10, 100, false, true));
  close(at(linear3, 15), TORCH.oneCycleLinear3, 1e-9);
  assert.throws(
    () => learningRateAt(oneCycle({ maxLr: 1, totalSteps: 12 }), 0.1, 12),
    (e: Error) => e instanceof InputError && /step 13 of a 12-step cycle/.test(e.message),
  );
});

Deno.test("reduceOnPlateau steps as PyTorch's ReduceLROnPlateau", () => {
  const run = (s: ReturnType<typeof reduceOnPlateau>) => {
    const state = { best: s.mode === "min" ? Infinity : -Infinity, badEpochs: 0, cooldownLeft: 0 };
    let lr = 0.1;
    return PLATEAU_METRICS.map((metric) => {
      const used = lr;
      lr = plateauStep(s, state, lr, metric);
      return used;
    });
  };
  const options = { factor: 0.5, patience: 1, threshold: 0.05, cooldown: 1, minLr: 0 };
  close(run(reduceOnPlateau(options)), plateauOracle(0.1, PLATEAU_METRICS, options));
  close(run(reduceOnPlateau(options)), TORCH.plateau);
  close(
    run(
      reduceOnPlateau({
        mode: "max",
        factor: 0.1,
        patience: 0,
        threshold: 0.01,
        thresholdMode: "abs",
        minLr: 0.0005,
      }),
    ),
    TORCH.plateauMaxAbs,
  );
});

const xs = [[0.5], [-1], [2], [0.25], [1.5], [-0.75]];
const ys = xs.map(([v]) => [3 * v - 1]);

/** Plain SGD on y = w·x + b with mse, full batch: w ← w − lr·∂L/∂w. */
function sgdOracle(w: number, b: number, lrs: number[]): [number, number] {
  for (const lr of lrs) {
    let gw = 0;
    let gb = 0;
    xs.forEach(([v], i) => {
      const r = w * v + b - ys[i][0];
      gw += (2 * r * v) / xs.length;
      gb += (2 * r) / xs.length;
    });
    w -= lr * gw;
    b -= lr * gb;
  }
  return [w, b];
}

Deno.test("fit follows a schedule step by step without compiling or instantiating anything", async () => {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 6,
    dtype: "f64",
  });
  const [w0, b0] = [t.getParams().weight[0], t.getParams().bias[0]];
  const artifact = t.artifact;
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  const saved = {
    instantiate: wasm.instantiate,
    compile: wasm.compile,
    Module: wasm.Module,
    Instance: wasm.Instance,
  };
  let calls = 0;
  for (const name of Object.keys(saved)) {
    wasm[name] = function () {
      calls++;
      throw new Error(`WebAssembly.${name} called during fit`);
    };
  }
  let h;
  try {
    h = t.fit(xs, ys, {
      epochs: 8,
      shuffle: false,
      schedule: cosineAnnealing({ tMax: 4, warmup: 2, warmupStartFactor: 0.5 }),
    });
  } finally {
    Object.assign(wasm, saved);
  }
  assert.equal(calls, 0);
  assert.equal(t.artifact, artifact); // the same compiled module, trained in place
  const want = ts(8).map(warmupCosineOracle(0.1, 0.5, 2, 0, 4));
  close(h.lr, want);
  close(h.stepLr, want);
  const [w, b] = sgdOracle(w0, b0, want);
  close([t.getParams().weight[0], t.getParams().bias[0]], [w, b], 1e-12);
  assert.equal(t.learningRate, want[7]);
});

Deno.test("per-step schedules and functions of (step, epoch) set each step's rate", async () => {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 2,
    dtype: "f64",
  });
  const seen: [number, number][] = [];
  const h = t.fit(xs, ys, {
    epochs: 2,
    shuffle: false,
    schedule: (step, epoch) => {
      seen.push([step, epoch]);
      return 0.01 * (step + 1) + epoch;
    },
  });
  assert.deepEqual(seen, [[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1]]);
  close(h.stepLr, [0.01, 0.02, 0.03, 1.04, 1.05, 1.06]);
  close(h.lr, [0.01, 1.04]);
  // Schedules count the trainer's steps: a second fit continues the cycle.
  const cycle = oneCycle({ maxLr: 0.5, totalSteps: 12 });
  const u = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 2,
    dtype: "f64",
  });
  const first = u.fit(xs, ys, { epochs: 2, shuffle: false, schedule: cycle });
  const second = u.fit(xs, ys, { epochs: 2, shuffle: false, schedule: cycle });
  close([...first.stepLr, ...second.stepLr], oneCycleOracle(0.5, 12, 0.3, 25, 1e4, true, false));
  assert.throws(
    () => u.fit(xs, ys, { epochs: 1, schedule: cycle }),
    (e: Error) => e instanceof InputError && /step 13 of a 12-step cycle/.test(e.message),
  );
  // Without totalSteps, oneCycle spans the fit call.
  const v = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.1 }),
    batchSize: 2,
    dtype: "f64",
  });
  close(
    v.fit(xs, ys, { epochs: 3, shuffle: false, schedule: oneCycle({ maxLr: 0.5 }) }).stepLr,
    oneCycleOracle(0.5, 9, 0.3, 25, 1e4, true, false),
  );
});

Deno.test("reduceOnPlateau in fit reduces as the oracle says for the losses it saw", async () => {
  const t = await compile(dense(1, 1), {
    loss: mse,
    optimizer: sgd({ lr: 0.3 }),
    batchSize: 6,
    dtype: "f64",
  });
  const options = { factor: 0.5, patience: 0, threshold: 0.7, cooldown: 0, minLr: 0 };
  const h = t.fit(xs, ys, { epochs: 12, shuffle: false, schedule: reduceOnPlateau(options) });
  close(h.lr, plateauOracle(0.3, h.loss, options));
  assert.ok(h.lr[11] < 0.3, "the rate was reduced at least once");
});

Deno.test("bad schedule options are InputErrors naming the option", () => {
  assert.throws(
    () => stepLR({ stepSize: 0 }),
    /stepLR option stepSize must be an integer ≥ 1, got 0/,
  );
  assert.throws(
    () => stepLR({ step_size: 2 } as never),
    /Unknown stepLR option "step_size": did you mean "stepSize"\?/,
  );
  assert.throws(() => multiStepLR({ milestones: [3, 2] }), /milestones must increase/);
  assert.throws(
    () => exponentialLR({ gamma: "0.9" as never }),
    /gamma must be a number > 0, got the string "0.9"/,
  );
  assert.throws(
    () => cosineAnnealing({ tMax: 5, unit: "batch" as never }),
    /unit must be "epoch" or "step"/,
  );
  assert.throws(
    () => oneCycle({ maxLr: 1, annealStrategy: "cosine" as never }),
    /annealStrategy must be "cos" or "linear"/,
  );
  assert.throws(() => reduceOnPlateau({ mode: "up" as never }), /mode must be "min" or "max"/);
});
