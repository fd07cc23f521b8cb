/**
 * Result types of the comparison benchmark and their rendering as
 * `bench/RESULTS.md` (markdown laid out so that `deno fmt --check` passes).
 *
 * @module
 */

/** One measured (or failed) system × config cell. */
export interface Row {
  config: string;
  system: string;
  mode: "train" | "predict";
  batch: number;
  /** Set instead of the measurements when loading or running failed. */
  error?: string;
  /** Time to build the trainer (compilation included), ms. */
  setupMs?: number;
  stepsPerRep?: number;
  /** Samples per second of each timed repetition. */
  reps?: number[];
  median?: number;
  min?: number;
  max?: number;
  /** Mean training loss over the first / last steps of the run. */
  lossFirst?: number;
  lossLast?: number;
  lossFalls?: boolean;
}

/** Timing knobs of a run. */
export interface Settings {
  quick: boolean;
  reps: number;
  warmupSec: number;
  minWarmupSteps: number;
  repSec: number;
  timeoutSec: number;
}

/** Where the run happened. */
export interface Machine {
  date: string;
  hardwareConcurrency: number;
  cpu: string;
  os: string;
  deno: string;
  v8: string;
  typescript: string;
}

/** Everything `renderMarkdown` needs. */
export interface Report {
  machine: Machine;
  settings: Settings;
  /** Config ids in display order. */
  configs: string[];
  /** System names in display order. */
  systems: string[];
  /** System name → how it runs (absent when it failed to load). */
  notes: Record<string, string>;
  /** Model name → description. */
  models: Record<string, string>;
  rows: Row[];
}

/** Formats a rate with three significant digits and thousands separators. */
export function fmtRate(v: number): string {
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.max(v, 1e-9))));
  return Number(v.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** A config's per-repetition ratios are flagged when their max / min exceeds this. */
export const NOISY_SPREAD = 1.5;

/** Statistics of per-repetition ratios a[r] / b[r]. */
export interface RatioStats {
  median: number;
  min: number;
  max: number;
  /** max / min > NOISY_SPREAD: the machine's speed moved too much to trust this ratio. */
  noisy: boolean;
}

/**
 * The ratios a[r] / b[r] of two systems' repetitions taken in the same
 * round, summarized; undefined when either is missing.
 */
export function repetitionRatios(
  a: readonly number[] | undefined,
  b: readonly number[] | undefined,
): RatioStats | undefined {
  if (a === undefined || b === undefined || a.length === 0 || a.length !== b.length) {
    return undefined;
  }
  const ratios = a.map((v, i) => v / b[i]).sort((x, y) => x - y);
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
  const min = ratios[0];
  const max = ratios[ratios.length - 1];
  return { median, min, max, noisy: max / min > NOISY_SPREAD };
}

/** A ratio cell: median, range, and a flag when the spread is too wide to trust. */
export function ratioCell(r: RatioStats | undefined): string {
  if (r === undefined) return "-";
  return `${r.median.toFixed(2)}x (${r.min.toFixed(2)}-${r.max.toFixed(2)})${
    r.noisy ? " noisy" : ""
  }`;
}

/** A markdown table with padded columns (stable under `deno fmt`). */
export function table(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(" | ")} |`;
  return [line(header), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A markdown list item, word-wrapped at 100 columns the way `deno fmt` wraps prose. */
export function bullet(text: string, width = 100): string {
  const lines: string[] = [];
  let line = "-";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 2 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = " ";
    }
    line += ` ${word}`;
  }
  return [...lines, line].join("\n");
}

function detailCells(r: Row, mlpcMedian: number | undefined): string[] {
  if (r.error) {
    return [
      r.config,
      r.system,
      `error: ${r.error.replaceAll("|", "/").slice(0, 120)}`,
      "",
      "",
      "",
      "",
      "",
    ];
  }
  const loss = r.mode === "predict"
    ? "(predict)"
    : `${r.lossFirst!.toPrecision(3)} -> ${r.lossLast!.toPrecision(3)} ` +
      (r.lossFalls ? "falls" : "DOES NOT FALL");
  const ratio = mlpcMedian && r.system !== "mlpc" ? `${(mlpcMedian / r.median!).toFixed(2)}x` : "-";
  return [
    r.config,
    r.system,
    fmtRate(r.median!),
    `${fmtRate(r.min!)}-${fmtRate(r.max!)}`,
    String(r.stepsPerRep),
    loss,
    ratio,
    r.setupMs!.toFixed(0),
  ];
}

/** Renders a run as the markdown of `bench/RESULTS.md`. */
export function renderMarkdown(report: Report): string {
  const { machine: m, settings: s, systems, rows } = report;
  const get = (c: string, sys: string) => rows.find((r) => r.config === c && r.system === sys);
  const configs = report.configs.filter((c) => rows.some((r) => r.config === c));
  const summary = table(
    ["config", ...systems],
    configs.map((c) => [
      c,
      ...systems.map((sys) => {
        const r = get(c, sys);
        return !r ? "-" : r.error ? "error" : fmtRate(r.median!);
      }),
    ]),
  );
  const peers = systems.filter((sys) => !sys.startsWith("mlpc"));
  const repsOf = (c: string, sys: string) => {
    const r = get(c, sys);
    return r && !r.error ? r.reps : undefined;
  };
  /** Per repetition, the best of several systems (jax-js's modes). */
  const bestReps = (c: string, names: string[]) => {
    const all = names.map((n) => repsOf(c, n)).filter((v): v is number[] => v !== undefined);
    if (all.length === 0) return undefined;
    return all[0].map((_, i) => Math.max(...all.map((reps) => reps[i] ?? 0)));
  };
  const jax = peers.filter((p) => p.startsWith("jaxjs"));
  const ratioColumns = [
    ...peers.filter((p) => !p.startsWith("jaxjs")).map((p) => ({
      name: p,
      of: (c: string) => repsOf(c, p),
    })),
    ...(jax.length > 0
      ? [{ name: "jax-js (best mode)", of: (c: string) => bestReps(c, jax) }]
      : []),
  ];
  const mine = systems.filter((sys) => sys.startsWith("mlpc"));
  const ratios = table(
    ["config", ...ratioColumns.flatMap((p) => mine.map((m) => `${m} / ${p.name}`))],
    configs.map((c) => [
      c,
      ...ratioColumns.flatMap((p) =>
        mine.map((m) => ratioCell(repetitionRatios(repsOf(c, m), p.of(c))))
      ),
    ]),
  );
  // Threaded variants (`mlpc-2t`, `mlpc-fast-2t`, …) against their one-thread selves.
  const threaded = mine.filter((m) =>
    /-\d+t$/.test(m) && systems.includes(m.replace(/-\d+t$/, ""))
  );
  const speedups = threaded.length === 0 ? "" : table(
    ["config", ...threaded.map((t) => `${t} / ${t.replace(/-\d+t$/, "")}`)],
    configs.map((c) => [
      c,
      ...threaded.map((t) =>
        ratioCell(repetitionRatios(repsOf(c, t), repsOf(c, t.replace(/-\d+t$/, ""))))
      ),
    ]),
  );
  const header = [
    "config",
    "system",
    "samples/s (median)",
    "min-max",
    "steps/rep",
    "loss first -> last",
    "mlpc/system",
    "setup ms",
  ];
  const detail = table(
    header,
    configs.flatMap((c) =>
      systems.flatMap((sys) => {
        const r = get(c, sys);
        return r ? [detailCells(r, get(c, "mlpc")?.median)] : [];
      })
    ),
  );
  return [
    "# mlpc comparison benchmark",
    "",
    `Generated by \`deno run -A bench/compare.ts${s.quick ? " --quick" : ""}\` on ${m.date}.`,
    ...(s.quick ? ["", "**Quick smoke run: too few repetitions to compare systems.**"] : []),
    "",
    bullet(
      `Machine: ${m.cpu}, \`navigator.hardwareConcurrency\` = ${m.hardwareConcurrency}, ${m.os}`,
    ),
    bullet(`Deno ${m.deno}, V8 ${m.v8}, TypeScript ${m.typescript}`),
    bullet(
      `Timing: >= ${s.warmupSec} s warm-up, then ${s.reps} repetitions of a fixed step count ` +
        `(~${s.repSec} s each) per system, interleaved; median samples/s with min-max.`,
    ),
    bullet(
      "Data: the same seeded synthetic batches for every system: inputs U(-1, 1), targets " +
        "from a fixed random linear teacher (argmax for classes, tanh for regression).",
    ),
    bullet("Loss: mean over the first vs the last steps of the run (warm-up included)."),
    bullet(
      "Interleaved: per config, every system is built and warmed up, then the systems take " +
        "turns one repetition each (A B C, B C A, ...), so that the machine's speed drifts " +
        "alike for all; ratios are taken repetition by repetition.",
    ),
    bullet("mlpc/system (details): median vs median, for reference."),
    "",
    "Models:",
    "",
    ...Object.entries(report.models).map(([k, v]) => bullet(`${k}: ${v}`)),
    "- `M<n>b<B>`: training steps at batch B; `M<n>p128`: prediction only, batch 128",
    "",
    "Systems:",
    "",
    ...systems.map((sys) => bullet(`${sys}: ${report.notes[sys] ?? "failed to load"}`)),
    "",
    "## Samples/s (median)",
    "",
    summary,
    "",
    "## Ratios (higher is better for mlpc)",
    "",
    "Median of the per-repetition ratios (repetitions of all systems interleaved), with their range;",
    `"noisy" marks a spread (max / min) above ${NOISY_SPREAD}.`,
    "",
    ratios,
    "",
    ...(speedups === "" ? [] : ["## Threads: speed-up over one thread", "", speedups, ""]),
    "## Details",
    "",
    detail,
    "",
  ].join("\n");
}
