/**
 * The training worker: loads the compiler (mlpc and Binaryen.js, as in Deno),
 * compiles the page's model code and trains it in slices of about 60 ms,
 * posting metrics and the decision boundary after each slice and reading
 * messages (stop, a new run, save) between slices — so the page never waits
 * on training.
 *
 * @module
 */

import { type Dataset, type DatasetId, loadDataset } from "./datasets.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { Session } from "./session.ts";

/** The parts of a dedicated worker's global scope used here. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  location: { href: string };
}

const scope = globalThis as unknown as WorkerScope;
const SLICE_MS = 60;
const BOUNDARY_SIZE = 64;

const datasets = new Map<DatasetId, Promise<Dataset>>();
let session: Session | null = null;
/** The page's number of the current run; a new train request moves on from a run. */
let current = -1;
let stopRequested = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function dataset(id: DatasetId): Promise<Dataset> {
  let found = datasets.get(id);
  if (found === undefined) {
    found = loadDataset(id, async (file) => {
      const response = await fetch(new URL(file, scope.location.href));
      if (!response.ok) throw new Error(`Fetching ${file} failed: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    found.catch(() => datasets.delete(id));
    datasets.set(id, found);
  }
  return found;
}

/** Lets queued messages (stop, a new run) in: resolves after pending tasks. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function progress(run: number, s: Session, records: Session["records"]): void {
  const scores = s.boundary(BOUNDARY_SIZE);
  post(
    {
      type: "progress",
      run,
      records,
      boundary: scores === null ? null : { size: BOUNDARY_SIZE, scores },
    },
    scores === null ? [] : [scores.buffer],
  );
}

async function train(message: Extract<ToWorker, { type: "train" }>): Promise<void> {
  const run = message.run;
  current = run;
  stopRequested = false;
  try {
    post({ type: "status", text: `loading ${message.dataset}…` });
    const data = await dataset(message.dataset);
    if (run !== current) return;
    post({ type: "status", text: "compiling…" });
    const s = await Session.create(message.request, data);
    if (run !== current) return;
    session = s;
    post({
      type: "compiled",
      run,
      info: s.info,
      trainRows: data.train.rows,
      testRows: data.test.rows,
      points: data.view === undefined || data.features !== 2
        ? null
        : { x: data.train.x, y: data.train.y, view: data.view },
    });
    progress(run, s, []);
    while (!s.finished) {
      await yieldToMessages();
      if (run !== current) return;
      if (stopRequested) {
        post({ type: "ended", run, reason: "stopped" });
        return;
      }
      progress(run, s, s.trainFor(SLICE_MS));
    }
    post({ type: "ended", run, reason: "finished" });
  } catch (e) {
    if (run !== current) return;
    const error = e instanceof Error ? e : new Error(String(e));
    post({
      type: "ended",
      run,
      reason: "failed",
      error: { name: error.name, message: error.message },
    });
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case "train":
      void train(message);
      break;
    case "stop":
      stopRequested = true;
      break;
    case "save":
      if (session === null) {
        post({ type: "refused", message: "Nothing to save yet: train a model first" });
        break;
      }
      try {
        for (const file of session.save(message.format)) {
          post({ type: "file", ...file }, typeof file.data === "string" ? [] : [file.data.buffer]);
        }
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        post({ type: "refused", message: `${error.name}: ${error.message}` });
      }
      break;
  }
};

post({ type: "ready" });
