/**
 * Learning-rate schedules, named and defined as in `torch.optim.lr_scheduler`.
 * The learning rate is a per-step scalar of the compiled step, so `fit`
 * changes it between steps without recompiling.
 *
 * Each closed-form schedule is a function of a counter `t` — epochs (the
 * default, as PyTorch's schedulers are stepped once per epoch) or optimizer
 * steps (`unit: "step"`; `oneCycle` always counts steps) — and of the base
 * learning rate, the optimizer's `lr`. The counters are the trainer's own
 * (epochs and steps since it was created, kept in saves), so a schedule
 * continues across `fit` calls and after `load`. `reduceOnPlateau` reacts to
 * a monitored metric at the end of each epoch instead.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { checkNumber, checkOptionNames, describeValue } from "../core/options.ts";

/** What a closed-form schedule counts: epochs (default) or optimizer steps. */
export type ScheduleUnit = "epoch" | "step";

/**
 * `lr · factor` while t < totalIters, then `lr` (PyTorch `ConstantLR`); with
 * the defaults (factor 1), the optimizer's `lr` throughout.
 */
export interface ConstantSchedule {
  /** Discriminates schedules. */
  readonly kind: "constantLR";
  /** Multiplier of the rate during the first `totalIters` units. */
  readonly factor: number;
  /** Units during which the factor applies. */
  readonly totalIters: number;
  /** What `t` counts. */
  readonly unit: ScheduleUnit;
}

/** `lr · γ^⌊t / stepSize⌋` (PyTorch `StepLR`). */
export interface StepLRSchedule {
  /** Discriminates schedules. */
  readonly kind: "stepLR";
  /** Period of the decay, in `unit`s. */
  readonly stepSize: number;
  /** Multiplicative factor. */
  readonly gamma: number;
  /** What `t` counts. */
  readonly unit: ScheduleUnit;
}

/** `lr · γ^(number of milestones ≤ t)` (PyTorch `MultiStepLR`). */
export interface MultiStepLRSchedule {
  /** Discriminates schedules. */
  readonly kind: "multiStepLR";
  /** Increasing counts at which the rate is multiplied by γ. */
  readonly milestones: readonly number[];
  /** Multiplicative factor. */
  readonly gamma: number;
  /** What `t` counts. */
  readonly unit: ScheduleUnit;
}

/** `lr · γ^t` (PyTorch `ExponentialLR`). */
export interface ExponentialLRSchedule {
  /** Discriminates schedules. */
  readonly kind: "exponentialLR";
  /** Multiplicative factor per `unit`. */
  readonly gamma: number;
  /** What `t` counts. */
  readonly unit: ScheduleUnit;
}

/**
 * Cosine annealing (PyTorch `CosineAnnealingLR`, closed form)
 * `η_min + (lr − η_min)·(1 + cos(π·t/T_max))/2`, optionally after a linear
 * warmup of `warmup` units (PyTorch `LinearLR` from `warmupStartFactor` to 1,
 * chained by `SequentialLR`): for t < warmup the rate is
 * `lr·(f + (1 − f)·t/warmup)`, after it the cosine runs with t − warmup.
 */
export interface CosineAnnealingSchedule {
  /** Discriminates schedules. */
  readonly kind: "cosineAnnealing";
  /** Half period of the cosine, in `unit`s (after the warmup). */
  readonly tMax: number;
  /** Lowest rate. */
  readonly etaMin: number;
  /** Units of linear warmup before the cosine (0: none). */
  readonly warmup: number;
  /** The warmup's first rate, as a fraction of `lr`. */
  readonly warmupStartFactor: number;
  /** What `t` counts. */
  readonly unit: ScheduleUnit;
}

/**
 * The 1cycle policy (PyTorch `OneCycleLR`), counted in optimizer steps: from
 * `maxLr/divFactor` up to `maxLr` over the first `pctStart` of the steps, then
 * down to `maxLr/(divFactor·finalDivFactor)`, by cosine or linear annealing;
 * with `threePhase`, back to the initial rate before the final descent.
 */
export interface OneCycleSchedule {
  /** Discriminates schedules. */
  readonly kind: "oneCycle";
  /** Peak learning rate. */
  readonly maxLr: number;
  /** Steps of the whole cycle; default: every step the `fit` call may take. */
  readonly totalSteps?: number;
  /** Fraction of the cycle spent increasing the rate. */
  readonly pctStart: number;
  /** `"cos"` or `"linear"` annealing. */
  readonly annealStrategy: "cos" | "linear";
  /** Initial rate = maxLr / divFactor. */
  readonly divFactor: number;
  /** Final rate = initial rate / finalDivFactor. */
  readonly finalDivFactor: number;
  /** Three phases (up, down to the initial rate, down to the final rate) instead of two. */
  readonly threePhase: boolean;
}

/**
 * Multiplies the rate by `factor` when a monitored metric has not improved for
 * more than `patience` epochs (PyTorch `ReduceLROnPlateau`).
 */
export interface ReduceOnPlateauSchedule {
  /** Discriminates schedules. */
  readonly kind: "reduceOnPlateau";
  /** History key to watch (default `"valLoss"` with validation data, else `"loss"`). */
  readonly monitor?: string;
  /** `"min"`: lower is better; `"max"`: higher is better. */
  readonly mode: "min" | "max";
  /** Multiplier of the rate at each reduction. */
  readonly factor: number;
  /** Epochs without improvement tolerated before a reduction. */
  readonly patience: number;
  /** Least change that counts as an improvement. */
  readonly threshold: number;
  /** `"rel"`: relative to the best value; `"abs"`: absolute. */
  readonly thresholdMode: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. */
  readonly cooldown: number;
  /** Lower bound of the rate. */
  readonly minLr: number;
  /** Reductions smaller than this are skipped. */
  readonly eps: number;
}

/** Any learning-rate schedule: a named one, or a function of the step and epoch counts. */
export type Schedule =
  | ConstantSchedule
  | StepLRSchedule
  | MultiStepLRSchedule
  | ExponentialLRSchedule
  | CosineAnnealingSchedule
  | OneCycleSchedule
  | ReduceOnPlateauSchedule
  | ((step: number, epoch: number) => number);

const positive = { min: 0, minOpen: true } as const;
const count = { integer: true, min: 0 } as const;

function unitOf(what: string, unit: unknown): ScheduleUnit {
  if (unit === undefined) return "epoch";
  if (unit !== "epoch" && unit !== "step") {
    throw new InputError(
      `${what} option unit must be "epoch" or "step", got ${describeValue(unit)}`,
    );
  }
  return unit;
}

/**
 * A constant rate: the optimizer's `lr`, or `lr · factor` for the first
 * `totalIters` units and then `lr` (PyTorch `ConstantLR`, whose defaults are
 * factor 1/3 for 5 epochs; here the defaults leave the rate unchanged).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { constantLR, learningRateAt } from "./schedules.ts";
 * assert.equal(learningRateAt(constantLR(), 0.1, 7), 0.1);
 * const s = constantLR({ factor: 0.5, totalIters: 2 });
 * assert.deepEqual([0, 1, 2].map((t) => learningRateAt(s, 1, t)), [0.5, 0.5, 1]);
 * ```
 */
export function constantLR(
  options: { factor?: number; totalIters?: number; unit?: ScheduleUnit } = {},
): ConstantSchedule {
  checkOptionNames("constantLR", options, ["factor", "totalIters", "unit"], InputError);
  return {
    kind: "constantLR",
    factor: checkNumber(
      "constantLR",
      "factor",
      options.factor ?? 1,
      { min: 0, max: 1 },
      InputError,
    ),
    totalIters: checkNumber("constantLR", "totalIters", options.totalIters ?? 0, count, InputError),
    unit: unitOf("constantLR", options.unit),
  };
}

/**
 * `lr · γ^⌊t / stepSize⌋` (PyTorch `StepLR`; γ defaults to 0.1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRateAt, stepLR } from "./schedules.ts";
 * const s = stepLR({ stepSize: 2, gamma: 0.5 });
 * assert.deepEqual([0, 1, 2, 3, 4].map((t) => learningRateAt(s, 1, t)), [1, 1, 0.5, 0.5, 0.25]);
 * ```
 */
export function stepLR(
  options: { stepSize: number; gamma?: number; unit?: ScheduleUnit },
): StepLRSchedule {
  checkOptionNames("stepLR", options, ["stepSize", "gamma", "unit"], InputError);
  return {
    kind: "stepLR",
    stepSize: checkNumber(
      "stepLR",
      "stepSize",
      options?.stepSize,
      { integer: true, min: 1 },
      InputError,
    ),
    gamma: checkNumber("stepLR", "gamma", options.gamma ?? 0.1, positive, InputError),
    unit: unitOf("stepLR", options.unit),
  };
}

/**
 * `lr · γ^(number of milestones ≤ t)` (PyTorch `MultiStepLR`; γ defaults to 0.1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRateAt, multiStepLR } from "./schedules.ts";
 * const s = multiStepLR({ milestones: [1, 3], gamma: 0.5 });
 * assert.deepEqual([0, 1, 2, 3].map((t) => learningRateAt(s, 1, t)), [1, 0.5, 0.5, 0.25]);
 * ```
 */
export function multiStepLR(
  options: { milestones: readonly number[]; gamma?: number; unit?: ScheduleUnit },
): MultiStepLRSchedule {
  checkOptionNames("multiStepLR", options, ["milestones", "gamma", "unit"], InputError);
  const milestones = options.milestones;
  if (!Array.isArray(milestones)) {
    throw new InputError(
      `multiStepLR option milestones must be an array of integers, got ${
        describeValue(milestones)
      }`,
    );
  }
  milestones.forEach((m, i) => {
    checkNumber("multiStepLR", `milestones[${i}]`, m, count, InputError);
    if (i > 0 && m <= milestones[i - 1]) {
      throw new InputError(`multiStepLR milestones must increase, got [${milestones}]`);
    }
  });
  return {
    kind: "multiStepLR",
    milestones: [...milestones],
    gamma: checkNumber("multiStepLR", "gamma", options.gamma ?? 0.1, positive, InputError),
    unit: unitOf("multiStepLR", options.unit),
  };
}

/**
 * `lr · γ^t` (PyTorch `ExponentialLR`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exponentialLR, learningRateAt } from "./schedules.ts";
 * assert.equal(learningRateAt(exponentialLR({ gamma: 0.5 }), 1, 3), 0.125);
 * ```
 */
export function exponentialLR(
  options: { gamma: number; unit?: ScheduleUnit },
): ExponentialLRSchedule {
  checkOptionNames("exponentialLR", options, ["gamma", "unit"], InputError);
  return {
    kind: "exponentialLR",
    gamma: checkNumber("exponentialLR", "gamma", options?.gamma, positive, InputError),
    unit: unitOf("exponentialLR", options.unit),
  };
}

/**
 * Cosine annealing from `lr` to `etaMin` over `tMax` units (PyTorch
 * `CosineAnnealingLR`), optionally after `warmup` units of linear warmup
 * from `warmupStartFactor·lr` (PyTorch `LinearLR`, default factor 1/3, then
 * the cosine via `SequentialLR`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosineAnnealing, learningRateAt } from "./schedules.ts";
 * const s = cosineAnnealing({ tMax: 2, warmup: 2, warmupStartFactor: 0.5 });
 * assert.deepEqual([0, 1, 2, 4].map((t) => learningRateAt(s, 1, t)), [0.5, 0.75, 1, 0]);
 * ```
 */
export function cosineAnnealing(
  options: {
    tMax: number;
    etaMin?: number;
    warmup?: number;
    warmupStartFactor?: number;
    unit?: ScheduleUnit;
  },
): CosineAnnealingSchedule {
  checkOptionNames(
    "cosineAnnealing",
    options,
    ["tMax", "etaMin", "warmup", "warmupStartFactor", "unit"],
    InputError,
  );
  return {
    kind: "cosineAnnealing",
    tMax: checkNumber(
      "cosineAnnealing",
      "tMax",
      options?.tMax,
      { integer: true, min: 1 },
      InputError,
    ),
    etaMin: checkNumber("cosineAnnealing", "etaMin", options.etaMin ?? 0, { min: 0 }, InputError),
    warmup: checkNumber("cosineAnnealing", "warmup", options.warmup ?? 0, count, InputError),
    warmupStartFactor: checkNumber(
      "cosineAnnealing",
      "warmupStartFactor",
      options.warmupStartFactor ?? 1 / 3,
      { min: 0, minOpen: true, max: 1 },
      InputError,
    ),
    unit: unitOf("cosineAnnealing", options.unit),
  };
}

/**
 * The 1cycle policy (PyTorch `OneCycleLR`), counted in optimizer steps.
 * Defaults as PyTorch's: `pctStart` 0.3, cosine annealing, `divFactor` 25,
 * `finalDivFactor` 1e4, two phases; `totalSteps` defaults to every step the
 * `fit` call may take.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRateAt, oneCycle } from "./schedules.ts";
 * const s = oneCycle({ maxLr: 1, totalSteps: 10 });
 * assert.ok(Math.abs(learningRateAt(s, 0.1, 0) - 1 / 25) < 1e-15); // maxLr / divFactor
 * assert.equal(learningRateAt(s, 0.1, 2), 1); // the peak, at step 0.3·10 − 1
 * ```
 */
export function oneCycle(options: {
  maxLr: number;
  totalSteps?: number;
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}): OneCycleSchedule {
  checkOptionNames(
    "oneCycle",
    options,
    [
      "maxLr",
      "totalSteps",
      "pctStart",
      "annealStrategy",
      "divFactor",
      "finalDivFactor",
      "threePhase",
    ],
    InputError,
  );
  const strategy = options.annealStrategy ?? "cos";
  if (strategy !== "cos" && strategy !== "linear") {
    throw new InputError(
      `oneCycle option annealStrategy must be "cos" or "linear", got ${describeValue(strategy)}`,
    );
  }
  const threePhase = options.threePhase ?? false;
  if (typeof threePhase !== "boolean") {
    throw new InputError(
      `oneCycle option threePhase must be a boolean, got ${describeValue(threePhase)}`,
    );
  }
  return {
    kind: "oneCycle",
    maxLr: checkNumber("oneCycle", "maxLr", options?.maxLr, positive, InputError),
    ...(options.totalSteps === undefined ? {} : {
      totalSteps: checkNumber("oneCycle", "totalSteps", options.totalSteps, {
        integer: true,
        min: 2,
      }, InputError),
    }),
    pctStart: checkNumber("oneCycle", "pctStart", options.pctStart ?? 0.3, {
      min: 0,
      minOpen: true,
      max: 1,
    }, InputError),
    annealStrategy: strategy,
    divFactor: checkNumber("oneCycle", "divFactor", options.divFactor ?? 25, positive, InputError),
    finalDivFactor: checkNumber(
      "oneCycle",
      "finalDivFactor",
      options.finalDivFactor ?? 1e4,
      positive,
      InputError,
    ),
    threePhase,
  };
}

/**
 * Reduce the rate when a monitored metric stops improving (PyTorch
 * `ReduceLROnPlateau`; defaults as PyTorch's: factor 0.1, patience 10,
 * threshold 1e-4 relative, no cooldown, minLr 0, eps 1e-8).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reduceOnPlateau } from "./schedules.ts";
 * assert.equal(reduceOnPlateau({ patience: 2 }).factor, 0.1);
 * ```
 */
export function reduceOnPlateau(options: {
  monitor?: string;
  mode?: "min" | "max";
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  cooldown?: number;
  minLr?: number;
  eps?: number;
} = {}): ReduceOnPlateauSchedule {
  checkOptionNames(
    "reduceOnPlateau",
    options,
    [
      "monitor",
      "mode",
      "factor",
      "patience",
      "threshold",
      "thresholdMode",
      "cooldown",
      "minLr",
      "eps",
    ],
    InputError,
  );
  const mode = options.mode ?? "min";
  if (mode !== "min" && mode !== "max") {
    throw new InputError(
      `reduceOnPlateau option mode must be "min" or "max", got ${describeValue(mode)}`,
    );
  }
  const thresholdMode = options.thresholdMode ?? "rel";
  if (thresholdMode !== "rel" && thresholdMode !== "abs") {
    throw new InputError(
      `reduceOnPlateau option thresholdMode must be "rel" or "abs", got ${
        describeValue(thresholdMode)
      }`,
    );
  }
  if (options.monitor !== undefined && typeof options.monitor !== "string") {
    throw new InputError(
      `reduceOnPlateau option monitor must be a history key such as "valLoss", got ${
        describeValue(options.monitor)
      }`,
    );
  }
  return {
    kind: "reduceOnPlateau",
    ...(options.monitor === undefined ? {} : { monitor: options.monitor }),
    mode,
    factor: checkNumber("reduceOnPlateau", "factor", options.factor ?? 0.1, {
      min: 0,
      minOpen: true,
      max: 1,
    }, InputError),
    patience: checkNumber("reduceOnPlateau", "patience", options.patience ?? 10, count, InputError),
    threshold: checkNumber(
      "reduceOnPlateau",
      "threshold",
      options.threshold ?? 1e-4,
      { min: 0 },
      InputError,
    ),
    thresholdMode,
    cooldown: checkNumber("reduceOnPlateau", "cooldown", options.cooldown ?? 0, count, InputError),
    minLr: checkNumber("reduceOnPlateau", "minLr", options.minLr ?? 0, { min: 0 }, InputError),
    eps: checkNumber("reduceOnPlateau", "eps", options.eps ?? 1e-8, { min: 0 }, InputError),
  };
}

/** `start → end` over pct ∈ [0, 1], by half a cosine (PyTorch's `_annealing_cos`). */
function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** `start → end` over pct ∈ [0, 1], linearly (PyTorch's `_annealing_linear`). */
function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

function oneCycleAt(s: OneCycleSchedule, totalSteps: number, t: number): number {
  const initial = s.maxLr / s.divFactor;
  const final = initial / s.finalDivFactor;
  const up = s.pctStart * totalSteps - 1;
  const phases = s.threePhase
    ? [
      { end: up, from: initial, to: s.maxLr },
      { end: 2 * s.pctStart * totalSteps - 2, from: s.maxLr, to: initial },
      { end: totalSteps - 1, from: initial, to: final },
    ]
    : [{ end: up, from: initial, to: s.maxLr }, { end: totalSteps - 1, from: s.maxLr, to: final }];
  const anneal = s.annealStrategy === "cos" ? annealCos : annealLinear;
  let start = 0;
  for (let i = 0; i < phases.length; i++) {
    const phase = phases[i];
    if (t <= phase.end || i === phases.length - 1) {
      return anneal(phase.from, phase.to, (t - start) / (phase.end - start));
    }
    start = phase.end;
  }
  throw new Error("unreachable");
}

/**
 * The learning rate of a closed-form schedule at count `t` (0-based epochs or
 * steps, as the schedule counts), for the base rate `lr`. `oneCycle` needs
 * its `totalSteps` (or `totalSteps` here) and `t` below it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exponentialLR, learningRateAt } from "./schedules.ts";
 * assert.equal(learningRateAt(exponentialLR({ gamma: 0.1 }), 2, 1), 0.2);
 * ```
 */
export function learningRateAt(
  schedule: Exclude<Schedule, ReduceOnPlateauSchedule | ((step: number, epoch: number) => number)>,
  lr: number,
  t: number,
  totalSteps?: number,
): number {
  switch (schedule.kind) {
    case "constantLR":
      return t < schedule.totalIters ? lr * schedule.factor : lr;
    case "stepLR":
      return lr * Math.pow(schedule.gamma, Math.floor(t / schedule.stepSize));
    case "multiStepLR":
      return lr * Math.pow(schedule.gamma, schedule.milestones.filter((m) => m <= t).length);
    case "exponentialLR":
      return lr * Math.pow(schedule.gamma, t);
    case "cosineAnnealing": {
      const { warmup, warmupStartFactor: f, tMax, etaMin } = schedule;
      if (t < warmup) return lr * (f + ((1 - f) * t) / warmup);
      return etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * (t - warmup)) / tMax))) / 2;
    }
    case "oneCycle": {
      const total = schedule.totalSteps ?? totalSteps;
      if (total === undefined) {
        throw new InputError("oneCycle needs totalSteps to compute a rate outside fit");
      }
      if (t >= total) {
        throw new InputError(
          `oneCycle was asked for step ${t + 1} of a ${total}-step cycle: give a larger ` +
            `totalSteps, or train fewer epochs`,
        );
      }
      return oneCycleAt(schedule, total, t);
    }
  }
}

/**
 * Checks a schedule given to `fit`: one made by this module's functions, or
 * a function of (step, epoch).
 */
export function checkSchedule(schedule: unknown): Schedule {
  if (typeof schedule === "function") return schedule as Schedule;
  const kinds = [
    "constantLR",
    "stepLR",
    "multiStepLR",
    "exponentialLR",
    "cosineAnnealing",
    "oneCycle",
    "reduceOnPlateau",
  ];
  const kind = (schedule as { kind?: unknown } | null)?.kind;
  if (typeof schedule !== "object" || schedule === null || !kinds.includes(kind as string)) {
    throw new InputError(
      `fit option schedule must be a schedule (${kinds.join(", ")}: made by the functions of ` +
        `those names) or a function (step, epoch) => learning rate, got ${describeValue(schedule)}`,
    );
  }
  return schedule as Schedule;
}

/** The mutable state of `reduceOnPlateau` during one `fit` call (PyTorch's attributes). */
export interface PlateauState {
  /** Best monitored value so far. */
  best: number;
  /** Epochs since the last improvement. */
  badEpochs: number;
  /** Epochs of cooldown left. */
  cooldownLeft: number;
}

/**
 * One `ReduceLROnPlateau.step(metric)`: updates the state and returns the new
 * rate (PyTorch's algorithm, `is_better` and `_reduce_lr` included).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateauStep, reduceOnPlateau } from "./schedules.ts";
 * const s = reduceOnPlateau({ patience: 0, factor: 0.5 });
 * const state = { best: Infinity, badEpochs: 0, cooldownLeft: 0 };
 * assert.equal(plateauStep(s, state, 1, 1), 1);   // improved
 * assert.equal(plateauStep(s, state, 1, 1), 0.5); // one bad epoch > patience 0
 * ```
 */
export function plateauStep(
  s: ReduceOnPlateauSchedule,
  state: PlateauState,
  lr: number,
  metric: number,
): number {
  const better = s.mode === "min"
    ? (s.thresholdMode === "rel"
      ? metric < state.best * (1 - s.threshold)
      : metric < state.best - s.threshold)
    : (s.thresholdMode === "rel"
      ? metric > state.best * (1 + s.threshold)
      : metric > state.best + s.threshold);
  if (better) {
    state.best = metric;
    state.badEpochs = 0;
  } else {
    state.badEpochs++;
  }
  if (state.cooldownLeft > 0) {
    state.cooldownLeft--;
    state.badEpochs = 0;
  }
  if (state.badEpochs > s.patience) {
    state.cooldownLeft = s.cooldown;
    state.badEpochs = 0;
    const reduced = Math.max(lr * s.factor, s.minLr);
    if (lr - reduced > s.eps) return reduced;
  }
  return lr;
}
