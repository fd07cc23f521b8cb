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

/** A markdown table with padded columns (stable under `deno fmt`). */
function table(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(" | ")} |`;
  return [line(header), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A markdown list item, word-wrapped at 100 columns the way `deno fmt` wraps prose. */
function bullet(text: string, width = 100): string {
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
  const rate = (c: string, sys: string) => {
    const r = get(c, sys);
    return r && !r.error ? r.median! : undefined;
  };
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`;
  const bestOf = (c: string, names: string[]) => {
    const rates = names.map((n) => rate(c, n)).filter((v): v is number => v !== undefined);
    return rates.length === 0 ? undefined : Math.max(...rates);
  };
  const jax = peers.filter((p) => p.startsWith("jaxjs"));
  const ratioColumns = [
    ...peers.filter((p) => !p.startsWith("jaxjs")).map((p) => ({
      name: p,
      of: (c: string) => rate(c, p),
    })),
    ...(jax.length > 0 ? [{ name: "jax-js (best mode)", of: (c: string) => bestOf(c, jax) }] : []),
  ];
  const ratios = table(
    ["config", ...ratioColumns.flatMap((p) => [`mlpc / ${p.name}`, `mlpc-fast / ${p.name}`])],
    configs.map((c) => [
      c,
      ...ratioColumns.flatMap((
        p,
      ) => [ratio(rate(c, "mlpc"), p.of(c)), ratio(rate(c, "mlpc-fast"), p.of(c))]),
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
        `(~${s.repSec} s each); median samples/s with min-max over the repetitions.`,
    ),
    bullet(
      "Data: the same seeded synthetic batches for every system: inputs U(-1, 1), targets " +
        "from a fixed random linear teacher (argmax for classes, tanh for regression).",
    ),
    bullet("Loss: mean over the first vs the last steps of the run (warm-up included)."),
    bullet("mlpc/system: how many times faster mlpc is than that system (median vs median)."),
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
    ratios,
    "",
    "## Details",
    "",
    detail,
    "",
  ].join("\n");
}
