// The optimizer table: exhaustive at compile time (shown with type-level
// checks that `deno test` type-checks: each `@ts-expect-error` line must be
// an error, or this file fails to type-check), strict about options, the
// source of saved files' validation, of state initial values and of the
// reserved names.

import assert from "node:assert/strict";
import {
  adagrad,
  adam,
  adamw,
  compile,
  CompileError,
  dense,
  deserialize,
  InputError,
  lion,
  mse,
  rmsprop,
  serialize,
  sgd,
} from "../mod.ts";
import type { BaseConfig, OptimizerDef } from "../core/optimizer/def.ts";
import {
  type OptimizerConfigs,
  optimizerFromPlain,
  OPTIMIZERS,
  type OptimizerTable,
} from "../core/optimizer/table.ts";
import { SGD } from "../core/optimizer/sgd.ts";
import { resign } from "./helpers.ts";

// --- Compile-time exhaustiveness -------------------------------------------
// A new kind "lamb" added to the configurations…
interface LambConfig extends BaseConfig {
  readonly kind: "lamb";
}
interface WithLamb extends OptimizerConfigs {
  readonly lamb: LambConfig;
}
const lambParts = {
  configure: (_: unknown): LambConfig => ({ kind: "lamb", lr: 1e-3 }),
  state: () => [],
  scalars: () => ["lr"],
  scalarValues: (_c: LambConfig, _t: number, lr: number, out: Float64Array) => {
    out[0] = lr;
  },
};
// …with no entry in the table is a type error:
// @ts-expect-error: property "lamb" is missing in the table
const missingEntry: OptimizerTable<WithLamb> = OPTIMIZERS;
// …and so is an entry without its update rule:
// @ts-expect-error: property "update" is missing in the "lamb" entry
const missingUpdate: OptimizerTable<WithLamb> = { ...OPTIMIZERS, lamb: lambParts };
// The complete entry type-checks (the control: the errors above are about the missing parts).
const lamb: OptimizerDef<LambConfig> = {
  ...lambParts,
  update: (e, _c, { param, grad }) => ({
    param: e.sub(param, e.mul(grad, e.scalar("lr"))),
    state: {},
  }),
};
const complete: OptimizerTable<WithLamb> = { ...OPTIMIZERS, lamb };
// A configuration whose kind is not its key is refused too.
// @ts-expect-error: the "adam" key holds SGD's entry
const swapped: OptimizerTable<OptimizerConfigs> = { ...OPTIMIZERS, adam: SGD };

Deno.test("the table has one entry per kind, each with every part", () => {
  void missingEntry;
  void missingUpdate;
  void swapped;
  assert.deepEqual(Object.keys(complete).sort(), [...Object.keys(OPTIMIZERS), "lamb"].sort());
  assert.deepEqual(Object.keys(OPTIMIZERS).sort(), [
    "adagrad",
    "adam",
    "adamw",
    "lion",
    "rmsprop",
    "sgd",
  ]);
  for (const entry of Object.values(OPTIMIZERS)) {
    for (const part of ["configure", "state", "scalars", "scalarValues", "update"] as const) {
      assert.equal(typeof entry[part], "function", part);
    }
  }
});

// --- Options: PyTorch's names and defaults, strict checks -------------------
Deno.test("defaults are PyTorch's", () => {
  assert.deepEqual(
    { ...sgd() },
    { kind: "sgd", lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  );
  assert.deepEqual(
    { ...adam() },
    { kind: "adam", lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
  );
  assert.deepEqual(
    { ...adamw() },
    { kind: "adamw", lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false },
  );
  assert.deepEqual(
    { ...rmsprop() },
    {
      kind: "rmsprop",
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
    },
  );
  assert.deepEqual(
    { ...adagrad() },
    {
      kind: "adagrad",
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
    },
  );
  assert.deepEqual({ ...lion() }, { kind: "lion", lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 });
});

Deno.test("bad options are CompileErrors naming the optimizer, the option and the value", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => sgd({ lr: -0.1 }), /^sgd: lr must be a number in \[0, ∞\), got -0\.1$/],
    [() => sgd({ lr: NaN }), /sgd: lr must be a number in \[0, ∞\), got NaN/],
    [
      () => sgd({ lr: "0.1" as never }),
      /sgd: lr must be a number in \[0, ∞\), got the string "0\.1"/,
    ],
    [() => sgd({ momentum: 1 }), /sgd: momentum must be a number in \[0, 1\), got 1/],
    [() => sgd({ dampening: 2 }), /sgd: dampening must be a number in \[0, 1\], got 2/],
    [() => sgd({ nesterov: true }), /nesterov needs momentum > 0 and dampening 0, got momentum 0/],
    [
      () => sgd({ momentum: 0.9, dampening: 0.1, nesterov: true }),
      /nesterov needs momentum > 0 and dampening 0, got momentum 0\.9 and dampening 0\.1/,
    ],
    [
      () => sgd({ momentun: 0.9 } as never),
      /^sgd: unknown option "momentun": did you mean "momentum"\? The sgd options are lr, momentum, dampening, nesterov, weightDecay, clipNorm, clipValue$/,
    ],
    [() => adam({ beta1: 0.9 } as never), /adam: unknown option "beta1": did you mean "betas"\?/],
    [
      () => adam({ betas: [0.9] as never }),
      /adam: betas must be two numbers in \[0, 1\), got \[0\.9\]/,
    ],
    [() => adam({ betas: [0.9, 1] }), /betas must be two numbers in \[0, 1\), got \[0\.9, 1\]/],
    [() => adam({ eps: -1 }), /adam: eps must be a number in \[0, ∞\), got -1/],
    [
      () => adam({ amsgrad: "yes" as never }),
      /adam: amsgrad must be true or false, got the string "yes"/,
    ],
    [() => adamw({ weightDecay: -0.01 }), /adamw: weightDecay must be a number/],
    [() => rmsprop({ alpha: 1.5 }), /rmsprop: alpha must be a number in \[0, 1\], got 1\.5/],
    [() => adagrad({ lrDecay: -1 }), /adagrad: lrDecay must be a number in \[0, ∞\), got -1/],
    [
      () => adagrad({ initialAccumulatorValue: Infinity }),
      /initialAccumulatorValue must be a number in \[0, ∞\), got Infinity/,
    ],
    [() => lion({ betas: [1, 0.9] }), /lion: betas must be two numbers/],
    [() => sgd({ clipNorm: 0 }), /sgd: clipNorm must be a number in \(0, ∞\), got 0/],
    [() => adam({ clipValue: -1 }), /adam: clipValue must be a number in \(0, ∞\), got -1/],
    [
      () => adam({ clipNorm: 1, clipValue: 1 }),
      /adam: clipNorm \(1\) and clipValue \(1\) cannot both be set; choose one/,
    ],
    [() => sgd(null as never), /sgd: options must be an object, got null/],
  ];
  for (const [make, message] of cases) {
    assert.throws(
      make,
      (e: unknown) => e instanceof CompileError && message.test(e.message),
      String(message),
    );
  }
});

// --- Saved files: validated through the table -------------------------------
Deno.test("a saved file's optimizer is validated through the table (InputError)", async () => {
  const t = await compile(dense(2, 1), {
    loss: mse,
    optimizer: rmsprop({ centered: true }),
    batchSize: 2,
  });
  const saved = JSON.parse(serialize(t));
  const edited = (optimizer: unknown) =>
    deserialize(resign({ ...saved, artifact: { ...saved.artifact, optimizer } }));
  const copy = await edited(saved.artifact.optimizer);
  assert.deepEqual(copy.artifact.optimizer, t.artifact.optimizer);
  const bad: [unknown, RegExp][] = [
    [
      { ...saved.artifact.optimizer, kind: "adamax" },
      /unknown optimizer "adamax"; the optimizers are sgd, adam, adamw, rmsprop, adagrad, lion/,
    ],
    [
      { ...saved.artifact.optimizer, alpha: 2 },
      /rmsprop: alpha must be a number in \[0, 1\], got 2/,
    ],
    [{ ...saved.artifact.optimizer, lr: "1" }, /rmsprop: lr must be a number/],
    [{ ...saved.artifact.optimizer, betas: [0.9, 0.99] }, /rmsprop: unknown option "betas"/],
    [null, /an optimizer must be an object, got null/],
    // Metadata edited to another optimizer than the module was compiled with:
    // the slots lack that optimizer's per-step scalars or state buffers.
    [
      { kind: "adam", lr: 0.01 },
      /there is no slot "exp_avg\/weight" \(the adam state of "weight"\)/,
    ],
    [
      { kind: "rmsprop", lr: 0.01, momentum: 0.9 },
      /there is no slot "momentum_buffer\/weight" \(the rmsprop state of "weight"\)/,
    ],
  ];
  for (const [optimizer, message] of bad) {
    await assert.rejects(
      () => edited(optimizer),
      (e: unknown) => e instanceof InputError && message.test(e.message),
      String(message),
    );
  }
  // Options absent from the file take their defaults (files are checked, not trusted).
  const { alpha: _, ...withoutAlpha } = saved.artifact.optimizer;
  assert.equal((await edited(withoutAlpha)).artifact.optimizer.kind, "rmsprop");
  const fail = (m: string): never => {
    throw new Error(m);
  };
  assert.deepEqual(optimizerFromPlain({ kind: "adam" }, fail), adam());
});

Deno.test("state starts at the table's initial values (Adagrad's initialAccumulatorValue)", async () => {
  const t = await compile(dense(2, 3), {
    loss: mse,
    optimizer: adagrad({ initialAccumulatorValue: 0.25 }),
    batchSize: 2,
  });
  const { buffers } = t.trainingState();
  assert.deepEqual(Array.from(buffers["sum/weight"]), new Array(6).fill(0.25));
  assert.deepEqual(Array.from(buffers["sum/bias"]), new Array(3).fill(0.25));
});

Deno.test("parameter names that would collide with the optimizer's buffers are refused", async () => {
  const { param, mul, chain } = await import("../mod.ts");
  const scaled = (name: string) => (x: Parameters<typeof mul>[0]) =>
    mul(x, param(name, [], "ones"));
  for (
    const [optimizer, name] of [
      [sgd({ momentum: 0.9 }), "momentum_buffer/x"],
      [adagrad(), "sum/w"],
      [rmsprop({ centered: true }), "grad_avg/w"],
      [lion(), "optimizer.lr"],
    ] as const
  ) {
    await assert.rejects(
      () => compile(chain(dense(2, 1), scaled(name)), { loss: mse, optimizer, batchSize: 2 }),
      (e: unknown) => e instanceof CompileError && e.message.includes(`"${name}" is reserved`),
    );
  }
  // The same name is free when the optimizer keeps no such buffer.
  await compile(chain(dense(2, 1), scaled("sum/w")), { loss: mse, optimizer: sgd(), batchSize: 2 });
});
