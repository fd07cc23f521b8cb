/**
 * mlpc is a library: a script in another folder, with no deno.json of its
 * own, imports its entry points by path or by file:// URL and trains.
 */
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function runOutside(source: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mlpc-outside-" });
  try {
    assert.ok(!dir.startsWith(ROOT), `the temporary folder ${dir} must lie outside ${ROOT}`);
    const script = `${dir}/script.ts`;
    await Deno.writeTextFile(script, source);
    // --no-config: nothing of the repository's deno.json (or any other) applies.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-lock", "--quiet", script],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, `deno run failed:\n${stderr}`);
    return stdout;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a script outside the repository imports mod.ts by path and trains XOR", async () => {
  const out = await runOutside(`
    import { adam, chain, compile, dense, softmaxCrossEntropy, tanh } from ${
    JSON.stringify(`${ROOT}mod.ts`)
  };
    const trainer = await compile(chain(dense(2, 8), tanh, dense(8, 2)), {
      loss: softmaxCrossEntropy, optimizer: adam({ lr: 0.05 }), batchSize: 4, seed: 1,
    });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [0, 1, 1, 0];
    trainer.fit(x, y, { epochs: 300, seed: 1 });
    console.log(JSON.stringify(trainer.evaluate(x, y)));
  `);
  assert.equal(JSON.parse(out).accuracy, 1);
});

Deno.test("testing/mod.ts and runtime/mod.ts import by file:// URL from outside too", async () => {
  const url = (path: string) => JSON.stringify(pathToFileURL(`${ROOT}${path}`).href);
  const out = await runOutside(`
    import fc from "npm:fast-check@4.11.0";
    import { compile, dense, mse, serialize } from ${url("mod.ts")};
    import { activationGradientsMatch } from ${url("testing/mod.ts")};
    import { deserialize } from ${url("runtime/mod.ts")};
    import { sigmoid } from ${url("mod.ts")};
    fc.assert(activationGradientsMatch(sigmoid), { numRuns: 5, seed: 1 });
    const trainer = await compile(dense(2, 1), { loss: mse, batchSize: 2 });
    const again = await deserialize(serialize(trainer));
    console.log(JSON.stringify(Array.from(again.predict([[1, 2]]))));
  `);
  assert.equal(JSON.parse(out).length, 1);
});
