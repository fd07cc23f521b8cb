// Least privilege: the README's "Permissions" table says which Deno
// permissions each entry point needs. Each command here is written there
// word for word; it runs with exactly those permissions and works, and with
// any one of its permissions taken away it fails with Deno's refusal (as a
// typed FileError where the library does the file access) — so every granted
// permission is needed. The tasks in deno.json grant what the table says.
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const MOD = pathToFileURL(`${ROOT}/mod.ts`).href;
const RUNTIME = pathToFileURL(`${ROOT}/runtime/mod.ts`).href;
const INTERCHANGE = pathToFileURL(`${ROOT}/interchange/mod.ts`).href;
const README = Deno.readTextFileSync(`${ROOT}/README.md`);

/** The README's section on permissions. */
function permissionsSection(): string {
  const start = README.indexOf("\n## Permissions\n");
  assert.ok(start >= 0, "the README has no Permissions section");
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** A user's scripts, importing mlpc by URL from a folder of their own. */
const SCRIPTS: Record<string, string> = {
  "train.ts": `import { chain, compile, dense, relu, softmaxCrossEntropy } from "${MOD}";
const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]);
const y = x.map(([a, b]) => (a + b > 0 ? 1 : 0));
const t = await compile(chain(dense(2, 8), relu, dense(8, 2)), { loss: softmaxCrossEntropy, batchSize: 8 });
t.fit(x, y, { epochs: 3 });
console.log("TRAINED", t.predict(x).length, t.evaluate(x, y).loss > 0);
`,
  "save.ts": `import { compile, dense, load, mse, save } from "${MOD}";
import { exportInference, saveOnnx, saveSafetensors } from "${INTERCHANGE}";
const t = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
t.fit([[1, 2], [3, 4]], [[1], [2]], { epochs: 2 });
await save(t, "models/model.json");
await saveSafetensors(t, "models/model.safetensors");
await saveOnnx(t, "models/model.onnx");
await exportInference(t, "models");
const back = await load("models/model.json");
console.log("SAVED", back.predict([[1, 2]])[0] === t.predict([[1, 2]])[0]);
`,
  "predict.ts": `import { load } from "${RUNTIME}";
const t = await load("models/model.json");
console.log("PREDICTED", t.predict([[1, 2]]).length);
`,
};

/** What an example prints when it may not write its charts. */
const NO_SVG = /no SVG written: run with --allow-write=examples\/out/;

interface Case {
  /** The command as the README writes it (`<mlpc>`: the folder mlpc is in). */
  readonly command: string;
  /** Run in the repository or in the user's folder (with SCRIPTS and a saved model). */
  readonly cwd: "repository" | "user";
  /** Arguments the test adds to keep it short (e.g. one epoch), not part of the README's command. */
  readonly extra?: readonly string[];
  /** What the output shows when it worked. */
  readonly worked: RegExp;
  /** Permissions for an optional part: without them the command still works, printing this. */
  readonly optional?: Readonly<Record<string, RegExp>>;
}

const CASES: readonly Case[] = [
  { command: "deno run train.ts", cwd: "user", worked: /TRAINED 80 true/ },
  {
    command: "deno run --allow-read=models --allow-write=models save.ts",
    cwd: "user",
    worked: /SAVED true/,
  },
  {
    command: "deno run --allow-read=models/model.json predict.ts",
    cwd: "user",
    worked: /PREDICTED 1/,
  },
  {
    command: "deno run --allow-read=models/model.json <mlpc>/cli.ts models/model.json",
    cwd: "user",
    worked: /model {7}dense\(2 → 1\)/,
  },
  { command: "deno run examples/xor.ts", cwd: "repository", worked: /accuracy 100 %/ },
  {
    command: "deno run examples/mnist.ts",
    cwd: "repository",
    extra: ["--epochs", "1"],
    worked: /test accuracy \d+\.\d+ %/,
  },
  {
    command: "deno run --allow-write=examples/out examples/mnist_strong.ts",
    cwd: "repository",
    extra: ["--epochs", "1", "--copies", "0"],
    worked: /wrote .*examples\/out\/mnist_strong\/learning_curve\.svg/,
    optional: { "--allow-write=examples/out": NO_SVG },
  },
  { command: "deno run examples/gradcheck.ts", cwd: "repository", worked: /f32 training step/ },
  ...(["breast_cancer", "forecast", "spoken_digits", "authorship"] as const).map((name): Case => ({
    command: `deno run --allow-read=examples/data --allow-write=examples/out examples/${name}.ts`,
    cwd: "repository",
    extra: name === "forecast"
      ? ["--epochs", "5", "--seeds", "1"]
      : name === "spoken_digits"
      ? ["--epochs", "1"]
      : name === "authorship"
      ? ["--lines", "600", "--epochs", "2", "--seeds", "1"]
      : [],
    worked: new RegExp(`wrote .*examples/out/${name}/`),
    optional: { "--allow-write=examples/out": NO_SVG },
  })),
];

async function run(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, text };
}

/** A folder with the user's scripts and a saved model in models/. */
async function userFolder(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mlpc_user_" });
  for (const [name, text] of Object.entries(SCRIPTS)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  await Deno.mkdir(`${dir}/models`);
  return dir;
}

function argsOf(c: Case): string[] {
  const words = c.command.replaceAll("<mlpc>", ROOT).split(" ");
  assert.deepEqual(words.slice(0, 2), ["deno", "run"]);
  return [...words.slice(1), ...(c.extra ?? [])];
}

Deno.test("least privilege: each README command works with exactly its permissions, and needs each one", async () => {
  const section = permissionsSection();
  const dir = await userFolder();
  try {
    for (const c of CASES) {
      assert.ok(section.includes(`\`${c.command}\``), `the README's table lacks ${c.command}`);
      const cwd = c.cwd === "user" ? dir : ROOT;
      const args = argsOf(c);
      const ran = await run(args, cwd);
      assert.ok(ran.ok && c.worked.test(ran.text), `${c.command}:\n${ran.text}`);
      // Without any one of its permissions, Deno refuses (and the library says so in a FileError).
      for (const flag of args.filter((a) => a.startsWith("--allow-"))) {
        const without = await run(args.filter((a) => a !== flag), cwd);
        const optional = c.optional?.[flag];
        if (optional !== undefined) {
          assert.ok(without.ok && optional.test(without.text), `${c.command} without ${flag}`);
          continue;
        }
        assert.ok(!without.ok, `${c.command} works without ${flag}: it is not needed`);
        assert.match(
          without.text,
          /NotCapable|Requires \w+ access/,
          `${c.command} without ${flag}`,
        );
        if (c.command.includes("save.ts") || c.command.includes("predict.ts")) {
          assert.match(without.text, /FileError: Cannot (read|write) "models\//, flag);
        }
        if (c.command.includes("cli.ts")) {
          assert.match(without.text, /mlpc inspect: cannot read models\/model\.json: NotCapable/);
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("least privilege: the tasks grant what the README says", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks as Record<
    string,
    string
  >;
  const section = permissionsSection();
  for (const name of ["demo", "inspect", "test", "mutants"]) {
    const flags = tasks[name].split(" ").filter((w) => w.startsWith("--allow-"));
    const row = section.split("\n").find((line) => line.includes(`deno task ${name}`));
    assert.ok(row !== undefined, `the README's table has no row for deno task ${name}`);
    const documented = row.includes("none") && flags.length === 0;
    assert.ok(
      documented || flags.every((f) => row.includes(`\`${f}\``)),
      `deno task ${name} grants ${flags.join(" ") || "nothing"}; the README says: ${row}`,
    );
  }
});

/** Whether `script` (util-linux) can run a command on a pseudo-terminal here. */
async function hasScript(): Promise<boolean> {
  try {
    const out = await new Deno.Command("script", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "least privilege: on a terminal, fit shows the bar with read access to its module, and one line per epoch without it",
  ignore: !(await hasScript()),
  async fn() {
    const dir = await userFolder();
    try {
      const onTerminal = async (command: string) => {
        const out = await new Deno.Command("script", {
          args: ["-qec", command.replace(/^deno /, `'${Deno.execPath()}' `), "/dev/null"],
          cwd: dir,
          stdout: "piped",
          stderr: "piped",
          stdin: "null",
          // Deno refuses instead of asking, as a script run with --no-prompt would.
          env: { DENO_NO_PROMPT: "1", NO_COLOR: "1" },
        }).output();
        return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      };
      const granted = "deno run --allow-read=<mlpc>/progress/progress_bar.ts train.ts";
      assert.ok(permissionsSection().includes(`\`${granted}\``), granted);
      const bar = await onTerminal(granted.replace("<mlpc>", ROOT));
      assert.match(bar, /TRAINED 80 true/, bar);
      assert.match(bar, /epoch 3\/3 \S+ 5\/5 batches/, bar);
      const lines = await onTerminal("deno run train.ts");
      assert.match(lines, /TRAINED 80 true/, lines);
      assert.match(lines, /epoch 3\/3 - \d+\.\d\ds - loss/, lines);
      assert.doesNotMatch(lines, /Uncaught|TypeError/, lines);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
