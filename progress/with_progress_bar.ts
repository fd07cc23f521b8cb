/**
 * `compile`, `instantiate`, `load` and `deserialize` as the `mod.ts` entry
 * exports them: the runtime's and the driver's functions, with the live
 * progress bar (`progress_bar.ts`, `npm:cli-progress`) handed to every
 * trainer they make when stdout is a terminal. The bar's module is loaded
 * only then (a dynamic import), so `mod.ts` loads no npm package for it and
 * bundles for the browser without it. The runtime entry (`runtime/mod.ts`)
 * never loads it: its trainers print one line per epoch instead of a bar.
 *
 * @module
 */

import { compile as compileModel, type CompileOptions } from "../compiler/driver/compile.ts";
import type { Model } from "../compiler/frontend/layers.ts";
import type { Artifact } from "../core/artifact.ts";
import { deserialize as deserializeTrainer, load as loadTrainer } from "../runtime/save_load.ts";
import {
  instantiate as instantiateArtifact,
  type InstantiateOptions,
  type Trainer,
} from "../runtime/trainer.ts";
/** Where the bar lives; not a literal in the import, so bundlers leave it out. */
const PROGRESS_BAR_MODULE = new URL("./progress_bar.ts", import.meta.url).href;

function stdoutIsTerminal(): boolean {
  try {
    return globalThis.Deno?.stdout?.isTerminal?.() ?? false;
  } catch {
    return false;
  }
}

async function withBar(trainer: Trainer): Promise<Trainer> {
  if (trainer.progressBar === undefined && stdoutIsTerminal()) {
    const bar = await import(PROGRESS_BAR_MODULE) as typeof import("./progress_bar.ts");
    trainer.progressBar = bar.progressBar();
  }
  return trainer;
}

/**
 * Compiles a model into a trainer (see the driver's `compile`); its `fit`
 * shows a live progress bar on a terminal (`trainer.progressBar` is set
 * when stdout is one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, relu, sgd, softmaxCrossEntropy } from "../mod.ts";
 * const trainer = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
 *   loss: softmaxCrossEntropy,
 *   optimizer: sgd({ lr: 0.1 }),
 *   batchSize: 16,
 * });
 * assert.equal(trainer.progressBar !== undefined, Deno.stdout.isTerminal());
 * ```
 */
export async function compile(model: Model<never>, options: CompileOptions): Promise<Trainer> {
  return withBar(await compileModel(model, options));
}

/**
 * Instantiates an artifact (see the runtime's `instantiate`), with the
 * progress bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArtifact, dense, instantiate, mse } from "../mod.ts";
 * const { artifact } = compileArtifact(dense(2, 1), { loss: mse, batchSize: 2 });
 * const trainer = await instantiate(artifact);
 * assert.equal(trainer.progressBar !== undefined, Deno.stdout.isTerminal());
 * ```
 */
export async function instantiate(
  artifact: Artifact,
  options: InstantiateOptions = {},
): Promise<Trainer> {
  return withBar(await instantiateArtifact(artifact, options));
}

/**
 * Rebuilds a trainer from `serialize`'s output (see the runtime's
 * `deserialize`), with the progress bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, dense, deserialize, mse, serialize } from "../mod.ts";
 * const copy = await deserialize(serialize(await compile(dense(2, 1), { loss: mse, batchSize: 2 })));
 * assert.equal(copy.progressBar !== undefined, Deno.stdout.isTerminal());
 * ```
 */
export async function deserialize(text: string): Promise<Trainer> {
  return withBar(await deserializeTrainer(text));
}

/**
 * Loads a trainer saved by `save` (see the runtime's `load`), with the
 * progress bar.
 *
 * @example
 * ```ts ignore
 * import { load } from "../mod.ts";
 * const trainer = await load("model.json");
 * ```
 */
export async function load(path: string): Promise<Trainer> {
  return withBar(await loadTrainer(path));
}
