/**
 * The optimization pipeline, as a readable list of named passes with the one
 * reason each exists. Every pass is a pure `Graph → Graph` function; the
 * verifier runs after each one.
 *
 * @module
 */

import { cse } from "./cse.ts";
import { dce } from "./dce.ts";
import { dropStopGradients } from "./drop_stop_gradients.ts";
import type { Graph } from "../ir/ir.ts";
import { simplify } from "./simplify.ts";
import { verify } from "../ir/verify.ts";

/** A named pass. */
export interface Pass {
  /** Short name, shown in inspection output. */
  readonly name: string;
  /** Why the pass is in the pipeline. */
  readonly why: string;
  /** The pass. */
  readonly run: (graph: Graph) => Graph;
}

/** The passes, in order. */
export const PASSES: readonly Pass[] = [
  {
    name: "drop-stop-gradients",
    why: "stopgrad only steers differentiate, which has run: it is an identity now",
    run: dropStopGradients,
  },
  {
    name: "simplify",
    why: "drop identities the VJP rules leave behind (x·1, x+0, no-op broadcasts)",
    run: simplify,
  },
  { name: "cse", why: "share values the forward and backward graphs both compute", run: cse },
  { name: "simplify", why: "rules exposed by sharing", run: simplify },
  { name: "dce", why: "drop gradients nothing needs (e.g. of the data input)", run: dce },
];

/**
 * The passes for graphs that may be differentiated again (`grad`'s results):
 * everything but dropping `stopgrad`.
 */
export const GRAD_PASSES: readonly Pass[] = PASSES.filter((p) => p.name !== "drop-stop-gradients");

/**
 * Runs every pass, verifying the graph before and after each one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimize } from "./pipeline.ts";
 * import { trace } from "../frontend/trace.ts";
 * import { input, mul } from "../frontend/tensor.ts";
 * const g = optimize(trace({ y: mul(input("x", [2]), 1) }));
 * assert.ok(g.nodes.length === 1);
 * ```
 */
export function optimize(graph: Graph, passes: readonly Pass[] = PASSES): Graph {
  return passes.reduce((g, pass) => verify(pass.run(g)), verify(graph));
}
