/**
 * Lowers an artifact's graphs again with other lowering options, keeping
 * everything else: for A/B measurements of a lowering choice (the non-finite
 * check on or off, relaxed SIMD) on one model, and for tests of what the
 * runtime does with a module built without a check. Not part of the public
 * API.
 *
 * @module
 */

import type { Artifact } from "../../core/artifact.ts";
import { EXPORTS, LOSS_OUTPUT } from "../../core/contract.ts";
import { CompileError } from "../../core/errors.ts";
import { graphFromPlain } from "../ir/from_plain.ts";
import { type LowerOptions, lowerPrograms } from "./lower.ts";

/**
 * The artifact with its module lowered again from its graphs (`artifact.graphs`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact } from "./compile.ts";
 * import { lowerAgain } from "./lower_again.ts";
 * import { dense } from "../frontend/layers.ts";
 * import { mse } from "../frontend/losses.ts";
 * const { artifact } = compileArtifact(dense(3, 1), { loss: mse, batchSize: 8 });
 * const unchecked = lowerAgain(artifact, { finiteCheck: false });
 * assert.ok(!unchecked.slots.some((s) => s.name === "nonfinite"));
 * assert.ok(artifact.slots.some((s) => s.name === "nonfinite"));
 * ```
 */
export function lowerAgain(
  artifact: Artifact,
  options: Pick<LowerOptions, "finiteCheck" | "relaxedSimd">,
): Artifact {
  const graphs = artifact.graphs;
  if (graphs === undefined) throw new CompileError("The artifact holds no graphs to lower again");
  const lowered = lowerPrograms([
    { name: EXPORTS.train, graph: graphFromPlain(graphs.train, "train"), returns: LOSS_OUTPUT },
    {
      name: EXPORTS.evaluate,
      graph: graphFromPlain(graphs.evaluate, "evaluate"),
      returns: LOSS_OUTPUT,
    },
    { name: EXPORTS.predict, graph: graphFromPlain(graphs.predict, "predict"), returns: null },
  ], {
    maxBatch: artifact.maxBatch,
    relaxedSimd: options.relaxedSimd ?? artifact.relaxedSimd,
    ...(options.finiteCheck === undefined ? {} : { finiteCheck: options.finiteCheck }),
  });
  return {
    ...artifact,
    wasm: lowered.binary,
    memoryBytes: lowered.memoryBytes,
    slots: lowered.layout.slots.map((s) => ({
      name: s.name,
      kind: s.kind as Artifact["slots"][number]["kind"],
      offset: s.offset,
      shape: s.shape,
    })),
    relaxedSimd: options.relaxedSimd ?? artifact.relaxedSimd,
  };
}
