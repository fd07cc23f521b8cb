/**
 * Planted bugs (mutants): each is a small edit of the source that a correct
 * test suite must notice. `deno task mutants` applies each one to a temporary
 * copy of the repository, runs the tests named as its catchers (their whole
 * files; `--full` runs the whole suite instead) and reports whether a named
 * catcher failed. `tests/mutants_test.ts` checks in the default suite that
 * every edit still applies to the current source, that every catcher names a
 * test that exists, and that `mutants/README.md` lists exactly these bugs.
 *
 * The first nine are the bugs an outside audit planted that the suite let
 * through (or that only an example or a doc example caught); the rest plant
 * the failure each reliability rule guards against.
 *
 * @module
 */

/** One search-and-replace in one file. */
export interface Edit {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The exact text to replace. */
  readonly find: string;
  /** What replaces it. */
  readonly replace: string;
  /** How often `find` occurs in the file (each occurrence is replaced); 1 unless given. */
  readonly count?: number;
}

/** A test that must fail with the bug planted. */
export interface Catcher {
  /** The test file, relative to the repository root. */
  readonly file: string;
  /** Part of the test's name, as it appears literally in the file. */
  readonly test: string;
}

/** Where a planted bug comes from. */
export type Origin = "audit: survived" | "audit: only an example caught it" | "reliability rule";

/** A planted bug. */
export interface Mutant {
  /** A short, unique identifier (`deno task mutants <id>` runs it alone). */
  readonly id: string;
  /** The bug, in words. */
  readonly bug: string;
  /** Where it comes from. */
  readonly origin: Origin;
  /** The edits that plant it. */
  readonly edits: readonly Edit[];
  /** The tests that catch it (at least one of them must fail). */
  readonly caughtBy: readonly Catcher[];
}

const OPTIMIZER_REFERENCE: Catcher = {
  file: "tests/optimizers_test.ts",
  test: "compiled f64 steps = PyTorch's algorithm (dense layer, closed-form gradient)",
};

/** Every planted bug, in the order of the table in `mutants/README.md`. */
export const MUTANTS: readonly Mutant[] = [
  {
    id: "sgd-momentum-ignored",
    bug: "SGD momentum ignored: the buffer is the gradient alone (b ← g)",
    origin: "audit: survived",
    edits: [{
      file: "core/optimizer/sgd.ts",
      find: `const b = e.add(e.mul(state.momentum_buffer, e.scalar("momentum")), scaled);`,
      replace: `const b = scaled;`,
    }],
    caughtBy: [OPTIMIZER_REFERENCE],
  },
  {
    id: "sgd-momentum-sign",
    bug: "SGD momentum with the wrong sign: b ← μb − g, gradient ascent",
    origin: "audit: survived",
    edits: [{
      file: "core/optimizer/sgd.ts",
      find: `const b = e.add(e.mul(state.momentum_buffer, e.scalar("momentum")), scaled);`,
      replace: `const b = e.sub(e.mul(state.momentum_buffer, e.scalar("momentum")), scaled);`,
    }],
    caughtBy: [OPTIMIZER_REFERENCE],
  },
  {
    id: "softmax-ce-no-max",
    bug: "softmax cross-entropy without its max subtraction: log Σ eˣ − x[label] " +
      "(infinite once a logit passes 88 in f32)",
    origin: "audit: survived",
    edits: [
      {
        file: "compiler/codegen/emit_softmax_ce.ts",
        find: `...k.reduceRun(m, { ...row, op: "max" }),`,
        replace: `k.set(m, F.const(0)),`,
      },
      {
        file: "compiler/codegen/emit_softmax_ce.ts",
        find: `e.sub(k.get(t), e.mul(k.get(t), e.ge(k.get(a), M(lanes)))),`,
        replace: `k.get(t),`,
      },
      {
        file: "compiler/codegen/emit_softmax_ce.ts",
        find: `k.set(rest, F.add(F.sub(k.get(maxima), F.const(1)), k.get(sum))),`,
        replace: `k.set(rest, F.sub(k.get(sum), F.const(1))),`,
      },
      {
        file: "compiler/codegen/emit_softmax_ce.ts",
        find: `F.ge(xLabel(), k.get(m)),`,
        replace: `w.i32.const(0),`,
      },
    ],
    caughtBy: [{ file: "tests/softmax_ce_test.ts", test: "logits [c+10, c], label 0, c = " }],
  },
  {
    id: "relaxed-fallback-never-taken",
    bug: "relaxed-SIMD fallback never taken: fast mode emits relaxed code for an engine without it",
    origin: "audit: survived",
    edits: [{
      file: "compiler/driver/compile.ts",
      find: `const relaxedSimd = (options.relaxedSimd ?? false) && engine.relaxedSimd;`,
      replace: `const relaxedSimd = options.relaxedSimd ?? false;`,
    }],
    caughtBy: [{
      file: "tests/relaxed_simd_test.ts",
      test: "fast mode falls back to the default code on an engine without relaxed SIMD",
    }],
  },
  {
    id: "relaxed-detection-false",
    bug: "relaxed-SIMD detection always false (fast mode silently never used)",
    origin: "audit: survived",
    edits: [{
      file: "compiler/codegen/wasm.ts",
      find: `export function relaxedSimdSupported(): boolean {`,
      replace:
        `export function relaxedSimdSupported(): boolean {\n  if (Date.now() > 0) return false;`,
    }],
    caughtBy: [{
      file: "tests/relaxed_simd_test.ts",
      test: "relaxed-SIMD detection agrees with the engine",
    }],
  },
  {
    id: "label-equal-to-classes",
    bug: "a class label equal to the class count accepted (the kernel then ignores it)",
    origin: "audit: survived",
    edits: [{
      file: "runtime/data.ts",
      find: `(v < 0 || v >= spec.width)`,
      replace: `(v < 0 || v > spec.width)`,
    }],
    caughtBy: [{
      file: "tests/shuffle_and_labels_test.ts",
      test: "class labels: accepted exactly when integers in 0..classes−1",
    }],
  },
  {
    id: "adam-bias-correction-power",
    bug: "Adam's bias correction with the power off by one: 1 − β₁^(t+1)",
    origin: "audit: only an example caught it",
    edits: [{
      file: "core/optimizer/adam.ts",
      find: `out[0] = lr / (1 - Math.pow(c.betas[0], t));`,
      replace: `out[0] = lr / (1 - Math.pow(c.betas[0], t + 1));`,
    }],
    caughtBy: [OPTIMIZER_REFERENCE],
  },
  {
    id: "shuffle-loses-row",
    bug: "the epoch's shuffle loses a row (and repeats row 0)",
    origin: "audit: only an example caught it",
    edits: [{
      file: "runtime/prng.ts",
      find: `for (let i = 0; i < n; i++) order[i] = i;`,
      replace: `for (let i = 0; i < n - 1; i++) order[i] = i;`,
    }],
    caughtBy: [{
      file: "tests/shuffle_and_labels_test.ts",
      test: "an epoch's shuffle is a permutation of all rows",
    }],
  },
  {
    id: "shuffle-unpaired-labels",
    bug: "shuffled rows paired with unshuffled labels",
    origin: "audit: only an example caught it",
    edits: [{
      file: "runtime/module.ts",
      find: `view[yi + r * perLabel + c] = y[row * perLabel + c];`,
      replace: `view[yi + r * perLabel + c] = y[(from + r) * perLabel + c];`,
    }],
    caughtBy: [{
      file: "tests/shuffle_and_labels_test.ts",
      test: "shuffled batches keep every row with its own label or target",
    }],
  },
  {
    id: "plan-in-kernel-aliasing",
    bug: "the memory plan frees a kernel's inputs before placing its outputs " +
      "(a kernel writes over what it still reads)",
    origin: "reliability rule",
    edits: [{
      file: "compiler/schedule/plan_memory.ts",
      find: `if (live[j].until < i) {`,
      replace: `if (live[j].until <= i) {`,
    }],
    caughtBy: [{
      file: "tests/memory_plan_test.ts",
      test: "simulated execution: every read finds the value it expects",
    }],
  },
  {
    id: "matmul-signed-addresses",
    bug: "the matmul pointer loops compare addresses signed (wrong results past byte 2³¹)",
    origin: "reliability rule",
    edits: [
      {
        file: "compiler/codegen/emit_matmul.ts",
        find: `w.i32.ge_u(fb.get(dst), fb.get(this.#dstEnd))`,
        replace: `w.i32.ge_s(fb.get(dst), fb.get(this.#dstEnd))`,
        count: 2,
      },
      {
        file: "compiler/codegen/emit_matmul.ts",
        find: `w.i32.lt_u(fb.get(dst), fb.get(this.#dstEnd))`,
        replace: `w.i32.lt_s(fb.get(dst), fb.get(this.#dstEnd))`,
        count: 2,
      },
      {
        file: "compiler/codegen/emit_matmul.ts",
        find: `w.i32.lt_u(fb.get(this.#pB), fb.get(this.#pBEnd))`,
        replace: `w.i32.lt_s(fb.get(this.#pB), fb.get(this.#pBEnd))`,
      },
    ],
    caughtBy: [{ file: "tests/memory_above_2gib_test.ts", test: "memory above 2 GiB" }],
  },
  {
    id: "relaxed-madd-wrong",
    bug: "the relaxed-SIMD fused multiply-add computes a·a + c (only the fast path is wrong)",
    origin: "reliability rule",
    edits: [{
      file: "compiler/codegen/wasm.ts",
      find: `api.RelaxedMaddVecF32x4, a, b, c);`,
      replace: `api.RelaxedMaddVecF32x4, a, a, c);`,
    }],
    caughtBy: [{
      file: "tests/relaxed_simd_test.ts",
      test: "default, relaxed and f64 builds train alike",
    }],
  },
  {
    id: "nonfinite-flag-ignored",
    bug: "the runtime ignores the step's non-finite flag (only the loss is checked)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/module.ts",
      find: `(this.#flag < 0 || this.#view[this.#flag] === 0)`,
      replace: `(this.#flag < 0 || this.#flag >= 0)`,
    }],
    caughtBy: [{
      file: "tests/divergence_test.ts",
      test: "the last update overflowing (SGD lr 1e38, one step) is caught",
    }],
  },
  {
    id: "nonfinite-flag-not-cleared",
    bug: "the step does not clear the non-finite flag (one divergence poisons every later step)",
    origin: "reliability rule",
    edits: [{
      file: "compiler/codegen/emit_module.ts",
      find: `flag === undefined ? [] : [k.store(flag.offset, k.i32(0), k.F.const(0))];`,
      replace: `flag === undefined ? [] : [];`,
    }],
    caughtBy: [{
      file: "tests/divergence_test.ts",
      test: "fit after a trainBatch divergence trains like a twin",
    }],
  },
  {
    id: "nonfinite-check-drops-lanes",
    bug: "the folded non-finite check sums only lanes 0 and 1 of each vector",
    origin: "reliability rule",
    edits: [{
      file: "compiler/codegen/emit_finite_check.ts",
      find: `w.f32.add(w.f32x4.extract_lane(fb.get(v), 2), w.f32x4.extract_lane(fb.get(v), 3)),`,
      replace: `w.f32.const(0),`,
    }],
    caughtBy: [{
      file: "tests/finite_check_test.ts",
      test: "matmul + epilogue: the flag is NaN exactly when a stored element is not finite",
    }],
  },
  {
    id: "nonfinite-check-counts-junk-lanes",
    bug: "the folded non-finite check counts the junk lanes past a row's end",
    origin: "reliability rule",
    edits: [{
      file: "compiler/codegen/emit_finite_check.ts",
      find: `if (lanes < 4) {`,
      replace: `if (lanes < 0) {`,
    }],
    caughtBy: [{
      file: "tests/finite_check_test.ts",
      test: "matmul + epilogue: the flag is NaN exactly when a stored element is not finite",
    }],
  },
  {
    id: "divergence-no-rollback",
    bug: "a diverging step throws without restoring the last good state",
    origin: "reliability rule",
    edits: [{
      file: "runtime/module.ts",
      find: `this.rollback();\n    throw stepDiverged(step, reason, this.step);`,
      replace: `throw stepDiverged(step, reason, this.step);`,
    }],
    caughtBy: [{
      file: "tests/divergence_test.ts",
      test: "the last update overflowing (SGD lr 1e38, one step) is caught",
    }],
  },
  {
    id: "rollback-skips-optimizer-state",
    bug: "the rollback restores the parameters but not the optimizer state (Adam's moments)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/module.ts",
      find: `s.kind === "param" || s.kind === "state" || s.kind === "running";`,
      replace: `s.kind === "param" || s.kind === "running";`,
    }],
    caughtBy: [{ file: "tests/divergence_test.ts", test: "Adam after a divergence" }],
  },
  {
    id: "rollback-skips-running-stats",
    bug: "the rollback leaves batch norm's running statistics diverged",
    origin: "reliability rule",
    edits: [{
      file: "runtime/module.ts",
      find: `s.kind === "param" || s.kind === "state" || s.kind === "running";`,
      replace: `s.kind === "param" || s.kind === "state";`,
    }],
    caughtBy: [{
      file: "tests/divergence_test.ts",
      test: "batch norm's running statistics are restored with the parameters",
    }],
  },
  {
    id: "fit-divergence-drops-history",
    bug: "fit's DivergenceError loses the epochs completed before it",
    origin: "reliability rule",
    edits: [{
      file: "runtime/fit.ts",
      find: `throw fitDiverged(e, before, epoch);`,
      replace: `throw e;`,
    }],
    caughtBy: [{
      file: "tests/divergence_test.ts",
      test: "a divergence in a later epoch keeps the epochs completed before",
    }],
  },
  {
    id: "save-writes-nonfinite",
    bug: "save writes a non-finite state, a file load would refuse",
    origin: "reliability rule",
    edits: [{
      file: "runtime/save_load.ts",
      find: `if (bad !== undefined) throw notSavable(state.step, bad);`,
      replace: `if (bad === "") throw notSavable(state.step, bad);`,
    }],
    caughtBy: [{
      file: "tests/divergence_test.ts",
      test: "without the compiled check, the overflowing last update would escape",
    }],
  },
  {
    id: "save-not-atomic",
    bug: "save writes into the target file itself (a failed write leaves it half-written)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/write_atomic.ts",
      find: "const temporary = `${path}.${crypto.randomUUID()}.tmp`;",
      replace: "const temporary = path;",
    }],
    caughtBy: [{
      file: "tests/save_load_test.ts",
      test: "a save is written whole or not at all",
    }],
  },
  {
    id: "checksum-not-verified",
    bug: "load does not compare the content checksum",
    origin: "reliability rule",
    edits: [{
      file: "runtime/save_load.ts",
      find: `if (computed !== checksum) {`,
      replace: `if (computed === "") {`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "the file's own rules: JSON, format, version, checksum, structure",
    }],
  },
  {
    id: "layout-record-not-compared",
    bug: "the module's layout record is not compared with the metadata " +
      "(another model's wasm loads)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/verify_artifact.ts",
      find: `if (found !== expected) {`,
      replace: `if (found === "") {`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "the module: another model's, even with the same layout, is refused",
    }],
  },
  {
    id: "slot-bounds-not-checked",
    bug: "slot sizes are not checked against memory before allocating (shape [1e9], maxBatch)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/verify_artifact.ts",
      find: `if (end > memoryBytes) {`,
      replace: `if (end < 0) {`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "metadata: types, sizes within memory (before any allocation)",
    }],
  },
  {
    id: "slot-overlap-not-checked",
    bug: "overlapping slots accepted (a raised maxBatch lets x overwrite the parameters)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/verify_artifact.ts",
      find: `if (prev.end > slot.offset) {`,
      replace: `if (prev.end < 0) {`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "metadata: types, sizes within memory (before any allocation)",
    }],
  },
  {
    id: "optimizer-state-not-checked",
    bug: "optimizer state slots not checked against the optimizer (an Adam → SGD edit loads)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/verify_artifact.ts",
      find: `if ((slot.kind === "state" || slot.kind === "scalar") && !wanted.has(name)) {`,
      replace: `if ((slot.kind === "state" || slot.kind === "scalar") && name === "") {`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "metadata: parameters, optimizer state and scalars against the slots",
    }],
  },
  {
    id: "architecture-not-checked",
    bug: "restoreTrainingState and setParams accept a state of another architecture " +
      "(tanh for relu, same sizes)",
    origin: "reliability rule",
    edits: [{
      file: "runtime/state.ts",
      find: `if (fingerprint === undefined || fingerprint === artifact.fingerprint) return;`,
      replace: `if (fingerprint !== null) return;`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "a state or parameters from another architecture are refused",
    }],
  },
  {
    id: "progress-bar-import-unguarded",
    bug: "on a terminal, compile fails when Deno refuses to load the progress bar's module",
    origin: "reliability rule",
    edits: [{
      file: "progress/with_progress_bar.ts",
      find: `    } catch {
      // Not loadable,`,
      replace: `    } catch (e) {
      throw e; // Not loadable,`,
    }],
    caughtBy: [{
      file: "tests/permissions_test.ts",
      test: "on a terminal, fit shows the bar with read access to its module",
    }],
  },
  {
    id: "file-error-unwrapped",
    bug: "a failed write surfaces as the raw Deno error, not a FileError naming path and cause",
    origin: "reliability rule",
    edits: [{
      file: "runtime/write_atomic.ts",
      find: `throw new FileError("write", path, e);`,
      replace: `throw e;`,
    }],
    caughtBy: [{
      file: "tests/save_verification_test.ts",
      test: "every function that writes or reads a file reports a FileError",
    }],
  },
];

/** The table of `mutants/README.md`: one row per planted bug and its catchers. */
export function mutantTable(mutants: readonly Mutant[] = MUTANTS): string {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const rows = mutants.map((m, i) =>
    `| ${i + 1} | \`${m.id}\` | ${cell(m.bug)} | ${m.origin} | ${
      m.caughtBy.map((c) => `\`${c.file}\`: ${cell(c.test)}`).join("; ")
    } |`
  );
  return [
    "| # | id | planted bug | origin | caught by (test file: test) |",
    "| - | -- | ----------- | ------ | --------------------------- |",
    ...rows,
  ].join("\n");
}
