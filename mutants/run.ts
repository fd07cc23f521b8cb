/**
 * Runs the planted bugs of `mutants/bugs.ts` against the test suite:
 *
 * ```sh
 * deno task mutants                 # every planted bug against its catchers' test files
 * deno task mutants --full          # … against the whole suite (`deno task test`), slow
 * deno task mutants adam-bias-correction-power shuffle-loses-row   # some of them
 * deno task mutants --table         # print the table of mutants/README.md
 * ```
 *
 * The repository's files (tracked and untracked, not ignored) are copied to a
 * temporary folder; first the unmutated copy must pass the selected tests
 * (otherwise a failure would prove nothing); then each bug is planted in turn
 * (its edits must match exactly as often as listed), the tests run with the
 * permissions of `deno task test`, and the bug counts as caught when one of
 * its named catchers is among the failed tests. A run in which the tests do
 * not even start (a type error) is reported as not caught. Prints a table and
 * exits with 1 when a bug survives.
 *
 * @module
 */

import { type Mutant, MUTANTS, mutantTable } from "./bugs.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** The flags of `deno task test` (from deno.json), without `--doc`. */
async function testFlags(): Promise<{ flags: string[]; doc: boolean }> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const words = String(config.tasks.test).split(/\s+/);
  if (words[0] !== "deno" || words[1] !== "test") {
    throw new Error(`deno.json's test task is not "deno test …": ${config.tasks.test}`);
  }
  const rest = words.slice(2);
  return { flags: rest.filter((w) => w !== "--doc"), doc: rest.includes("--doc") };
}

async function run(cmd: string, args: string[], cwd: string) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

/** Copies the repository's files (tracked and untracked, not ignored) to a new temporary folder. */
async function copyRepository(): Promise<string> {
  const listed = await run("git", ["ls-files", "-z", "-co", "--exclude-standard"], ROOT);
  if (listed.code !== 0) throw new Error(`git ls-files failed: ${listed.text}`);
  const dir = await Deno.makeTempDir({ prefix: "mlpc_mutants_" });
  for (const file of listed.text.split("\0").filter((f) => f !== "")) {
    const from = `${ROOT}${file}`;
    const info = await Deno.lstat(from).catch(() => null);
    if (info === null || !info.isFile) continue; // deleted in the work tree
    const to = `${dir}/${file}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(from, to);
  }
  return dir;
}

/** Applies a mutant's edits in `dir`; returns the original texts, to undo them. */
async function plant(dir: string, mutant: Mutant): Promise<Map<string, string>> {
  const originals = new Map<string, string>();
  for (const edit of mutant.edits) {
    const path = `${dir}/${edit.file}`;
    const text = await Deno.readTextFile(path);
    if (!originals.has(path)) originals.set(path, text);
    const found = text.split(edit.find).length - 1;
    if (found !== (edit.count ?? 1)) {
      throw new Error(
        `${mutant.id}: "${edit.find}" occurs ${found} times in ${edit.file}, not ${
          edit.count ?? 1
        }: update mutants/bugs.ts`,
      );
    }
    await Deno.writeTextFile(path, text.replaceAll(edit.find, edit.replace));
  }
  return originals;
}

/** The names of the failed tests, from deno test's FAILURES section. */
function failedTests(output: string): { name: string; file: string }[] {
  const at = output.lastIndexOf("\n FAILURES");
  if (at < 0) return [];
  const failed: { name: string; file: string }[] = [];
  for (const line of output.slice(at).split("\n")) {
    const match = line.match(/^(.*) => \.\/(.+?):\d+:\d+$/);
    if (match !== null) failed.push({ name: match[1], file: match[2] });
  }
  return failed;
}

interface Outcome {
  readonly mutant: Mutant;
  readonly caught: boolean;
  readonly failed: { name: string; file: string }[];
  readonly note: string;
  readonly seconds: number;
}

async function tryMutant(
  dir: string,
  mutant: Mutant,
  testArgs: (files: string[]) => string[],
): Promise<Outcome> {
  const started = performance.now();
  const originals = await plant(dir, mutant);
  try {
    const files = [...new Set(mutant.caughtBy.map((c) => c.file))];
    const { code, text } = await run(Deno.execPath(), testArgs(files), dir);
    const failed = failedTests(text);
    const caught = code !== 0 &&
      mutant.caughtBy.some((c) => failed.some((f) => f.file === c.file && f.name.includes(c.test)));
    const note = caught
      ? ""
      : code === 0
      ? "every test passed"
      : failed.length === 0
      ? `the tests did not run: ${
        text.split("\n").find((l) => /error/i.test(l)) ?? text.slice(-300)
      }`
      : "only other tests failed";
    return { mutant, caught, failed, note, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const [path, text] of originals) await Deno.writeTextFile(path, text);
  }
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--table")) {
    console.log(mutantTable());
    return 0;
  }
  const full = args.includes("--full");
  const ids = args.filter((a) => !a.startsWith("--"));
  const unknown = ids.filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) {
    console.error(`No planted bug ${unknown.join(", ")}; see mutants/README.md`);
    return 2;
  }
  const chosen = ids.length === 0 ? MUTANTS : MUTANTS.filter((m) => ids.includes(m.id));
  const { flags, doc } = await testFlags();
  // The whole suite, but for tests/mutants_test.ts, which checks that the
  // edits apply to the unmutated source and so fails on every planted bug.
  const whole = ["test", ...flags, ...(doc ? ["--doc"] : []), "--ignore=tests/mutants_test.ts"];
  const testArgs = (files: string[]) => full ? whole : ["test", ...flags, ...files];
  const dir = await copyRepository();
  try {
    const allFiles = [...new Set(chosen.flatMap((m) => m.caughtBy.map((c) => c.file)))];
    console.log(
      `${chosen.length} planted bugs, against ${
        full ? "the whole suite" : `${allFiles.length} test files`
      } (copy in ${dir})`,
    );
    const started = performance.now();
    const control = await run(Deno.execPath(), testArgs(allFiles), dir);
    if (control.code !== 0) {
      const failed = failedTests(control.text).map((f) => `  ${f.file}: ${f.name}`);
      const errors = control.text.slice(control.text.lastIndexOf("\n ERRORS"));
      console.error(
        `The unmutated copy fails its tests, so no result would mean anything:\n${
          failed.join("\n") || control.text.slice(-3000)
        }\n${errors.slice(0, 4000)}`,
      );
      return 2;
    }
    console.log(`unmutated: passes (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    const outcomes: Outcome[] = [];
    for (const mutant of chosen) {
      const o = await tryMutant(dir, mutant, testArgs);
      outcomes.push(o);
      const others = o.failed.length;
      console.log(
        `${o.caught ? "caught  " : "SURVIVED"} ${mutant.id} (${
          o.seconds.toFixed(0)
        } s, ${others} ` +
          `failed test${others === 1 ? "" : "s"})${o.note === "" ? "" : `: ${o.note}`}`,
      );
    }
    const caught = outcomes.filter((o) => o.caught).length;
    const seconds = (performance.now() - started) / 1000;
    console.log(`\n| planted bug | result | failed tests | seconds |\n| - | - | - | - |`);
    for (const o of outcomes) {
      const names = o.failed.map((f) => `${f.file}: ${f.name}`).join("; ").replaceAll("|", "\\|");
      console.log(
        `| \`${o.mutant.id}\` | ${o.caught ? "caught" : `**survived** (${o.note})`} | ${names} | ${
          o.seconds.toFixed(0)
        } |`,
      );
    }
    console.log(`\n${caught} of ${outcomes.length} planted bugs caught in ${seconds.toFixed(0)} s`);
    return caught === outcomes.length ? 0 : 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
