// The planted bugs of mutants/bugs.ts stay runnable: every edit still
// matches the current source exactly as often as listed (so `deno task
// mutants` plants what it says), every catcher names a test that exists, and
// mutants/README.md lists exactly these bugs. Running the bugs themselves is
// `deno task mutants` (minutes; not part of this suite).
import assert from "node:assert/strict";
import { MUTANTS, mutantTable } from "../mutants/bugs.ts";

const root = new URL("../", import.meta.url);
const read = (file: string) => Deno.readTextFileSync(new URL(file, root));

Deno.test("planted bugs: every edit applies to the current source, as often as listed", () => {
  const ids = new Set<string>();
  for (const m of MUTANTS) {
    assert.ok(!ids.has(m.id), `two planted bugs are named ${m.id}`);
    ids.add(m.id);
    assert.ok(m.edits.length > 0 && m.caughtBy.length > 0, m.id);
    const texts = new Map<string, string>();
    for (const edit of m.edits) {
      const text = texts.get(edit.file) ?? read(edit.file);
      const found = text.split(edit.find).length - 1;
      assert.equal(
        found,
        edit.count ?? 1,
        `${m.id}: "${edit.find}" occurs ${found} times in ${edit.file}: the code changed, so ` +
          `update the edit in mutants/bugs.ts to plant the same bug in the new code`,
      );
      assert.notEqual(edit.find, edit.replace, m.id);
      // Later edits of the same bug see the earlier ones, as the runner applies them.
      texts.set(edit.file, text.replaceAll(edit.find, edit.replace));
    }
  }
});

Deno.test("planted bugs: every catcher names a test that exists", () => {
  for (const m of MUTANTS) {
    for (const c of m.caughtBy) {
      const text = read(c.file);
      const tests = [...text.matchAll(/(?:Deno\.test\(\s*|\bname:\s*)([`"])([^]*?)\1/g)].map((t) =>
        t[2]
      );
      assert.ok(
        tests.some((name) => name.includes(c.test)),
        `${m.id}: no test in ${c.file} has "${c.test}" in its name`,
      );
    }
  }
});

/** The cells of a markdown table's rows (not its separator row), whatever their padding. */
function tableRows(markdown: string): string[][] {
  return markdown.split("\n")
    .filter((line) => line.startsWith("|") && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

Deno.test("planted bugs: mutants/README.md lists exactly these, with their catchers", () => {
  const readme = read("mutants/README.md");
  const table = mutantTable();
  const start = readme.search(/^\| #\s+\| id\s+\|/m);
  assert.ok(start >= 0, "mutants/README.md has no table of planted bugs");
  const rows = tableRows(readme.slice(start, readme.indexOf("\n\n", start)));
  assert.deepEqual(
    rows,
    tableRows(table),
    "mutants/README.md's table is not the one mutants/bugs.ts describes; replace it with the " +
      `output of mutantTable() and run deno fmt:\n${table}`,
  );
});

Deno.test("the mutants task is separate from the default test run", () => {
  const tasks = JSON.parse(read("deno.json")).tasks as Record<string, string>;
  assert.match(tasks.mutants, /mutants\/run\.ts/);
  assert.doesNotMatch(tasks.test, /mutants/);
});
