/**
 * The layering of the source, checked on the real module graph: imports go
 * down the layers only, the runtime reaches nothing of the compiler, and
 * Binaryen is imported by one file. The checker itself is shown to fail on
 * planted violations.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { importEdges, violations } from "./import_rules.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRIES = [
  "mod.ts",
  "testing/mod.ts",
  "runtime/mod.ts",
  "plot/mod.ts",
  "interchange/mod.ts",
  "cli.ts",
];

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await sourceFiles(path));
    else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) found.push(path);
  }
  return found;
}

Deno.test("imports go down the layers only (deno info --json over every library module)", async () => {
  // Entry points first; library modules they do not reach are added as roots of their own.
  const { edges, modules } = await importEdges(ROOT, ENTRIES);
  const library = [
    ...await sourceFiles("core"),
    ...await sourceFiles("compiler"),
    ...await sourceFiles("runtime"),
    ...await sourceFiles("testing"),
    ...await sourceFiles("interchange"),
    ...await sourceFiles("data"),
    ...await sourceFiles("progress"),
  ];
  const unreached = library.filter((f) => !modules.has(f));
  if (unreached.length > 0) {
    const more = await importEdges(ROOT, unreached);
    edges.push(...more.edges);
    more.modules.forEach((m) => modules.add(m));
  }
  for (const file of library) assert.ok(modules.has(file), `${file} was not checked`);
  assert.deepEqual(violations(edges), []);
});

Deno.test("a threaded trainer's worker script loads core modules alone: no compiler, no npm", async () => {
  // runtime/threads.ts starts workers on this file by URL (deno info does not follow that).
  const threads = await Deno.readTextFile(`${ROOT}runtime/threads.ts`);
  assert.match(threads, /new URL\("\.\/thread_worker\.ts", import\.meta\.url\)/);
  // What a worker loads: the code imports (type-only ones are erased) reached from the script.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "runtime/thread_worker.ts"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: { code?: { specifier: string } }[] }[];
  };
  const base = new URL(`file://${ROOT.endsWith("/") ? ROOT : ROOT + "/"}`).href;
  const name = (specifier: string) => specifier.replace(base, "");
  const byName = new Map(info.modules.map((m) => [name(m.specifier), m]));
  const loaded = new Set<string>();
  const visit = (module: string) => {
    if (loaded.has(module)) return;
    loaded.add(module);
    for (const d of byName.get(module)?.dependencies ?? []) {
      if (d.code !== undefined) visit(name(d.code.specifier));
    }
  };
  visit("runtime/thread_worker.ts");
  const reached = [...loaded].sort();
  assert.ok(reached.includes("core/contract.ts"), reached.join(", "));
  assert.deepEqual(
    reached.filter((m) =>
      m !== "runtime/thread_worker.ts" && m !== "node:worker_threads" && !m.startsWith("core/")
    ),
    [],
  );
});

Deno.test("runtime/mod.ts reaches no compiler module and no Binaryen", async () => {
  const { modules, edges } = await importEdges(ROOT, ["runtime/mod.ts"]);
  const reached = [...modules];
  assert.ok(reached.includes("runtime/trainer.ts") && reached.includes("core/contract.ts"));
  assert.deepEqual(reached.filter((m) => m.startsWith("compiler/")), []);
  assert.deepEqual(edges.filter((e) => e.to.startsWith("npm:")), []);
});

Deno.test("the layering check fails on planted violations, naming both ends", () => {
  const planted = [
    { from: "runtime/trainer.ts", to: "compiler/ir/ir.ts" },
    { from: "core/shape.ts", to: "runtime/prng.ts" },
    { from: "compiler/ir/ops.ts", to: "compiler/frontend/tensor.ts" },
    { from: "compiler/schedule/fuse.ts", to: "compiler/codegen/wasm.ts" },
    { from: "compiler/codegen/emit_math.ts", to: "npm:binaryen@132.0.0" },
    { from: "compiler/frontend/layers.ts", to: "runtime/init_params.ts" },
    { from: "runtime/fit.ts", to: "node:process" },
    { from: "runtime/save_load.ts", to: "node:fs" },
    { from: "runtime/trainer.ts", to: "node:worker_threads" },
  ];
  const found = violations(planted);
  assert.equal(found.length, planted.length, found.join("\n"));
  planted.forEach((edge, i) => {
    assert.ok(found[i].includes(edge.from) && found[i].includes(edge.to), found[i]);
  });
  // And the allowed directions pass.
  assert.deepEqual(
    violations([
      { from: "compiler/driver/compile.ts", to: "runtime/trainer.ts" },
      { from: "compiler/codegen/wasm.ts", to: "npm:binaryen@132.0.0" },
      { from: "compiler/frontend/tensor.ts", to: "compiler/ir/ops.ts" },
      { from: "mod.ts", to: "compiler/driver/compile.ts" },
      { from: "runtime/trainer.ts", to: "core/contract.ts" },
      { from: "progress/progress_bar.ts", to: "node:process" },
      { from: "data/csv.ts", to: "npm:csv-parse@6.2.1/sync" },
      { from: "cli.ts", to: "node:util" },
      { from: "runtime/threads.ts", to: "node:worker_threads" },
    ]),
    [],
  );
});
