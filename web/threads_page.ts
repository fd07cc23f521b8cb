/// <reference lib="dom" />
/**
 * The page script of the threads browser check (`threads_e2e.ts`): loads a
 * saved threaded trainer with the runtime alone, trains three steps on the
 * served batch, and shows what it got — thread count, note, losses, a hash
 * of the parameters' bytes, and how many calls the workers took part in — as
 * JSON in `#out` (`data-done` set when it is there).
 *
 * @module
 */

import { deserialize } from "../runtime/mod.ts";
import { instantiateThreaded } from "../runtime/threads.ts";
import { Trainer } from "../runtime/trainer.ts";
import type { ModuleExports } from "../runtime/module.ts";
import { hashArrays, type ThreadsPageReport } from "./threads_report.ts";

async function main(out: HTMLElement) {
  const trainer = await deserialize(await (await fetch("./model.json")).text());
  const data = await (await fetch("./data.json")).json() as { x: number[][]; y: number[] };
  const losses = [0, 1, 2].map(() => trainer.trainBatch(data.x, data.y));
  const params = trainer.getParams();
  const report: ThreadsPageReport = {
    isolated: globalThis.crossOriginIsolated === true,
    threads: trainer.threads,
    note: trainer.threadsNote ?? null,
    losses,
    paramsHash: hashArrays(Object.keys(params).sort().map((k) => params[k])),
    workerCalls: null,
  };
  await trainer.dispose();
  const { artifact } = trainer;
  const { exports, pool } = await instantiateThreaded(artifact.wasm, artifact.memoryBytes, 2);
  const counted = new Trainer(artifact, exports as unknown as ModuleExports, 0, undefined, pool);
  counted.trainBatch(data.x, data.y);
  const calls = pool?.calls ?? null;
  await counted.dispose();
  out.textContent = JSON.stringify({ ...report, workerCalls: calls });
}

const out = document.getElementById("out")!;
main(out).catch((e) => (out.textContent = `error ${(e as Error).stack}`)).finally(() =>
  out.dataset.done = "1"
);
