// The progress display as a person sees it: under a real terminal (tmux), fit
// shows a progress bar per epoch with the batch count, samples/s, ETA, the
// loss and the validation metric; piped, it prints nothing; verbose 2 prints
// one line per epoch; verbose 0 is silent everywhere.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./fixtures/fit_with_progress.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function run(command: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  return {
    ok: out.success,
    out: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}

async function hasTmux(): Promise<boolean> {
  try {
    return (await run("tmux", ["-V"])).ok;
  } catch {
    return false;
  }
}

/** Runs the script in a detached tmux session and returns the screen once it printed FIT DONE. */
async function screenOf(verbose?: string): Promise<string> {
  const session = `mlpc-progress-${crypto.randomUUID().slice(0, 8)}`;
  // A server of our own (its own socket), so other tmux users on the machine do not interfere.
  const tmux = (...args: string[]) => run("tmux", ["-L", session, ...args]);
  const deno = Deno.execPath();
  const command = `cd '${ROOT}' && '${deno}' run --allow-read --allow-env '${SCRIPT}' ${
    verbose ?? ""
  }; sleep 600`;
  const size = ["-x", "150", "-y", "20"];
  const started = await tmux(
    "-f",
    "/dev/null",
    "new-session",
    "-d",
    "-s",
    session,
    ...size,
    command,
  );
  assert.ok(started.ok, started.out);
  try {
    for (let i = 0; i < 600; i++) {
      const screen = (await tmux("capture-pane", "-p", "-t", session)).out;
      if (screen.includes("FIT DONE")) return screen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("the script did not finish within 120 s under tmux");
  } finally {
    await tmux("kill-server");
  }
}

const BAR = (epoch: number) =>
  new RegExp(
    `epoch ${epoch}/3 \\S+ 80/80 batches \\| [\\d,]+ samples/s \\| ETA \\d+s \\| loss \\d\\.\\d+` +
      (epoch === 1 ? "" : ` \\| valAccuracy \\d\\.\\d+`),
  );

Deno.test({
  name: "fit shows a live progress bar in a real terminal (tmux), one line per finished epoch",
  ignore: !(await hasTmux()),
  async fn() {
    const screen = await screenOf();
    const lines = screen.split("\n").filter((l) => l.startsWith("epoch"));
    assert.equal(lines.length, 3, screen);
    lines.forEach((line, i) => assert.match(line, BAR(i + 1), screen));
    assert.match(lines[2], /█/); // the bar itself, drawn by cli-progress
    // verbose 0: nothing but the script's own line, even on a terminal.
    const quiet = await screenOf("0");
    assert.deepEqual(quiet.split("\n").filter((l) => l.trim() !== ""), ["FIT DONE"]);
  },
});

Deno.test("piped, fit prints nothing by default; verbose 2 prints one line per epoch", async () => {
  const piped = await run(Deno.execPath(), ["run", "--allow-read", "--allow-env", SCRIPT]);
  assert.ok(piped.ok, piped.out);
  assert.equal(piped.out, "FIT DONE\n");
  const lines = await run(Deno.execPath(), ["run", "--allow-read", "--allow-env", SCRIPT, "2"]);
  const epochs = lines.out.split("\n").filter((l) => l.startsWith("epoch"));
  assert.equal(epochs.length, 3, lines.out);
  assert.match(
    epochs[2],
    /^epoch 3\/3 - \d+\.\d\ds - loss \d\.\d+ - accuracy .* - valLoss \d\.\d+ - valAccuracy /,
  );
  assert.ok(!lines.out.includes("\x1b"), "no escape codes when piped");
});
