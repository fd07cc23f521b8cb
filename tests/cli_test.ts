// The inspect CLI, flag by flag, on a saved file: every text equals what
// `trainer.inspect()` gave right after `compile` (so inspection of a file
// shows what the compiler did); the summary's numbers are recomputed here
// from the artifact; DOT is read back by Graphviz (its WebAssembly build)
// and Mermaid by Mermaid's own parser; bad usage and bad files give exit
// codes and messages; `deno task inspect` and running cli.ts by URL work.
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { instance as graphviz } from "npm:@viz-js/viz@3.31.0";
import { parseHTML } from "npm:linkedom@0.18.15";
import {
  adam,
  chain,
  compile,
  dense,
  relu,
  save,
  serialize,
  softmaxCrossEntropy,
  tanh,
  type Trainer,
} from "../mod.ts";
import { runCli, USAGE } from "../cli.ts";
import type { Graph } from "../compiler/ir/ir.ts";
import { graphFromPlain } from "../compiler/ir/from_plain.ts";
import { optimize } from "../compiler/passes/pipeline.ts";
import { resign } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, {
    readTextFile: (path) => Deno.readTextFile(path),
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

interface Saved {
  readonly trainer: Trainer;
  readonly path: string;
  readonly dir: string;
}

async function savedModel(): Promise<Saved> {
  const trainer = await compile(chain(dense(4, 8), relu, dense(8, 6), tanh, dense(6, 3)), {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 0.01 }),
    batchSize: 4,
    seed: 2,
  });
  trainer.fit([[1, 2, 3, 4], [0, 1, 0, 1], [-1, 0, 2, 1], [3, 3, 0, 0], [1, 0, 0, 0]], [
    0,
    1,
    2,
    0,
    1,
  ], { epochs: 3 });
  const dir = await Deno.makeTempDir({ prefix: "mlpc-cli-" });
  const path = `${dir}/model.json`;
  await save(trainer, path);
  return { trainer, path, dir };
}

async function withSaved(f: (s: Saved) => Promise<void>): Promise<void> {
  const s = await savedModel();
  try {
    await f(s);
  } finally {
    await Deno.remove(s.dir, { recursive: true });
  }
}

Deno.test("summary: the model, layers, parameter count, memory and wasm size, recomputed", async () => {
  await withSaved(async ({ trainer, path }) => {
    const { code, out, err } = await cli([path]);
    assert.equal(code, 0, err);
    const a = trainer.artifact;
    const parameters = a.params.reduce((n, p) => n + p.shape.reduce((x, d) => x * d, 1), 0);
    assert.equal(parameters, 4 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3);
    const lines = out.split("\n");
    const line = (key: string) => lines.find((l) => l.startsWith(key)) ?? "";
    assert.equal(
      line("model"),
      "model       chain(dense(4 → 8), relu, dense(8 → 6), tanh, dense(6 → 3))",
    );
    assert.equal(line("shapes"), "shapes      f32[batch,4] → f32[batch,3], batch ≤ 4");
    assert.equal(line("trained"), `trained     ${trainer.steps} steps, 3 epochs`);
    assert.equal(trainer.steps, 6);
    assert.match(
      line("layers"),
      /^layers {6}0 {2}0\.weight f32\[4,8\] {2}0\.bias f32\[8\] +40 parameters$/,
    );
    assert.ok(
      lines.some((l) =>
        /^ {12}4 {2}4\.weight f32\[6,3\] {2}4\.bias f32\[3\] +21 parameters$/.test(l)
      ),
    );
    assert.equal(
      line("parameters"),
      `parameters  ${parameters} (${parameters * 4} B)`,
    );
    assert.match(
      line("memory"),
      new RegExp(`\\(${a.memoryBytes.toLocaleString("en-US")} bytes\\)$`),
    );
    assert.match(
      line("wasm"),
      new RegExp(
        `^wasm {8}${
          a.wasm.length.toLocaleString("en-US")
        } bytes; exports train, evaluate, predict, memory; relaxed SIMD no$`,
      ),
    );
    const optimized = optimize(graphFromPlain(a.graphs!.train, "train"));
    assert.match(
      line("graphs"),
      new RegExp(`training step ${optimized.nodes.length} \\(optimized\\)`),
    );
    assert.ok(!out.includes("note"), "the saved module is reproduced");
  });
});

Deno.test("each text flag prints what trainer.inspect() gave at compile time", async () => {
  await withSaved(async ({ trainer, path }) => {
    const inspection = trainer.inspect();
    const expected: [string, string][] = [
      ["--graph", inspection.graph],
      ["--gradient", inspection.gradientGraph],
      ["--train", inspection.trainGraph],
      ["--fusion", inspection.fusion],
      ["--memory", inspection.memoryPlan],
      ["--wat", inspection.wat],
    ];
    for (const [flag, text] of expected) {
      const { code, out, err } = await cli([path, flag]);
      assert.equal(code, 0, `${flag}: ${err}`);
      assert.equal(out, text, flag);
    }
    // Several flags: sections in a fixed order, each under a header; --summary adds the summary.
    const both = await cli(["--memory", path, "--fusion", "--summary"]);
    assert.equal(
      both.out,
      `== summary ==\n${(await cli([path])).out}\n== fusion groups ==\n${inspection.fusion}\n` +
        `== memory plan ==\n${inspection.memoryPlan}`,
    );
  });
});

function graphOf(trainer: Trainer, which: "predict" | "gradient"): Graph {
  return graphFromPlain(trainer.artifact.graphs![which], which);
}

Deno.test("--dot: Graphviz reads every node, operand edge, output and update back", async () => {
  await withSaved(async ({ trainer, path }) => {
    const viz = await graphviz();
    const counts = (dot: string) => {
      const json = viz.renderJSON(dot) as { objects?: unknown[]; edges?: { style?: string }[] };
      return {
        nodes: json.objects?.length ?? 0,
        edges: json.edges?.length ?? 0,
        dashed: json.edges?.filter((e) => e.style === "dashed").length ?? 0,
      };
    };
    const expect = (g: Graph) => ({
      nodes: g.nodes.length + g.outputs.length,
      edges: g.nodes.reduce((n, node) => n + node.inputs.length, 0) + g.outputs.length +
        g.updates.length,
      dashed: g.updates.length,
    });
    const forward = await cli([path, "--dot"]);
    assert.equal(forward.code, 0, forward.err);
    assert.match(forward.out, /^digraph "forward" \{/);
    assert.deepEqual(counts(forward.out), expect(graphOf(trainer, "predict")));
    const gradient = await cli([path, "--gradient", "--dot"]);
    assert.deepEqual(counts(gradient.out), expect(graphOf(trainer, "gradient")));
    const train = await cli([path, "--train", "--dot"]);
    const optimized = optimize(graphFromPlain(trainer.artifact.graphs!.train, "train"));
    assert.ok(optimized.updates.length > 0);
    assert.deepEqual(counts(train.out), expect(optimized));
  });
});

Deno.test("--mermaid: Mermaid's parser reads every node and edge back", async () => {
  // Mermaid sanitizes labels with DOMPurify, which needs a window: a DOM without a browser.
  const dom = parseHTML("<html><body></body></html>") as unknown as {
    window: unknown;
    document: unknown;
  };
  Object.assign(globalThis, { window: dom.window, document: dom.document });
  try {
    const { default: mermaid } = await import("npm:mermaid@12.3.0");
    await mermaid.parse("flowchart TD\n  a --> b\n"); // registers the diagram types
    await withSaved(async ({ trainer, path }) => {
      for (
        const [flags, g] of [
          [["--mermaid"], graphOf(trainer, "predict")],
          [["--gradient", "--mermaid"], graphOf(trainer, "gradient")],
        ] as const
      ) {
        const { code, out, err } = await cli([path, ...flags]);
        assert.equal(code, 0, err);
        assert.match(out, /^flowchart TD\n/);
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(out);
        const db = diagram.db as unknown as {
          getVertices(): Map<string, unknown>;
          getEdges(): unknown[];
        };
        assert.equal(db.getVertices().size, g.nodes.length + g.outputs.length, flags.join(" "));
        assert.equal(
          db.getEdges().length,
          g.nodes.reduce((n, node) => n + node.inputs.length, 0) + g.outputs.length,
          flags.join(" "),
        );
      }
    });
  } finally {
    Reflect.deleteProperty(globalThis, "window");
    Reflect.deleteProperty(globalThis, "document");
  }
});

Deno.test("--help, bad usage and bad files: exit codes and messages", async () => {
  assert.deepEqual(await cli(["--help"]), { code: 0, out: USAGE, err: "" });
  assert.deepEqual(await cli(["-h"]), { code: 0, out: USAGE, err: "" });
  for (
    const flag of [
      "--graph",
      "--gradient",
      "--train",
      "--fusion",
      "--memory",
      "--wat",
      "--dot",
      "--mermaid",
      "--summary",
    ]
  ) {
    assert.ok(USAGE.includes(`  ${flag} `), `--help documents ${flag}`);
  }
  const unknown = await cli(["--frobnicate", "m.json"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /Unknown option '--frobnicate'/);
  assert.equal((await cli([])).code, 2);
  assert.match((await cli(["a.json", "b.json"])).err, /expected one saved model file, got 2/);
  await withSaved(async ({ trainer, path, dir }) => {
    assert.match((await cli([path, "--dot", "--mermaid"])).err, /choose --dot or --mermaid/);
    const missing = await cli([`${dir}/nothing.json`]);
    assert.deepEqual([missing.code, missing.err], [
      1,
      `mlpc inspect: no such file: ${dir}/nothing.json\n`,
    ]);
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    const bad = await cli([`${dir}/bad.json`]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /bad\.json: Not a saved mlpc model: the file is not JSON/);
    // A file saved before graphs were recorded: the summary and the WAT, not the graphs.
    const old = JSON.parse(serialize(trainer));
    delete old.artifact.graphs;
    await Deno.writeTextFile(`${dir}/old.json`, resign(old)); // checksum fixed after the edit
    const summary = await cli([`${dir}/old.json`]);
    assert.equal(summary.code, 0);
    assert.match(summary.out, /graphs {6}none \(saved before graphs were recorded\)/);
    assert.equal((await cli([`${dir}/old.json`, "--wat"])).out, trainer.inspect().wat);
    for (const flag of ["--graph", "--fusion", "--memory", "--dot"]) {
      const refused = await cli([`${dir}/old.json`, flag]);
      assert.equal(refused.code, 1, flag);
      assert.match(refused.err, /saved before graphs were recorded/, flag);
    }
  });
});

Deno.test("deno task inspect, and cli.ts run by file:// URL from another folder", async () => {
  await withSaved(async ({ trainer, path, dir }) => {
    const run = async (args: string[], cwd: string) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args,
        cwd,
        stdout: "piped",
        stderr: "piped",
      })
        .output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      return new TextDecoder().decode(out.stdout);
    };
    assert.equal(
      await run(["task", "--quiet", "inspect", path, "--fusion"], ROOT),
      trainer.inspect().fusion,
    );
    const url = pathToFileURL(`${ROOT}cli.ts`).href;
    const byUrl = await run(
      ["run", "--no-config", "--no-lock", "--quiet", "--allow-read", "--allow-env", url, path],
      dir,
    );
    assert.equal(byUrl, (await cli([path])).out);
  });
});
