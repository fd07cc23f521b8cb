// examples/gradcheck.ts runs as documented (with fewer cases per property
// here), and the deliberately wrong hand-written derivative is caught with a
// message naming the input, the element, the expected and the got value.
import assert from "node:assert/strict";
import { runGradcheck } from "../examples/gradcheck.ts";
import { SEED } from "./helpers.ts";

Deno.test("examples/gradcheck.ts: custom activations, loss and model pass; the wrong derivative is caught", async () => {
  const r = await runGradcheck({ numRuns: 40, seed: SEED, log: () => {} });
  assert.match(r.caught, /^Gradient check failed for "x":/);
  assert.match(r.caught, /"x" f64\[1,4\] at element \[0, \d\] \(flat index \d\)/);
  assert.match(r.caught, /expected -?[\d.e-]+ \(central finite differences\), got -?[\d.e-]+/);
  assert.ok(r.lines.some((l) => l.startsWith("swish and softplus: gradients match")));
  assert.ok(r.lines.some((l) => l.startsWith("f32 training step = f64 training step")));
});
