/// <reference lib="dom" />
/**
 * The playground page: the form, the model editor, the live chart, the
 * decision boundary, the inspection tabs and the downloads. Compiling and
 * training happen in `worker.ts`; this file only talks to it.
 *
 * @module
 */

import { drawBoundary } from "./boundary.ts";
import { LiveChart } from "./chart.ts";
import { recordsToCsv } from "./csv.ts";
import { type DatasetId, DATASETS, isDatasetId } from "./datasets.ts";
import { type OptimizerName, OPTIMIZERS, type Preset, preset, PRESETS } from "./presets.ts";
import {
  type FromWorker,
  type Points,
  SAVE_FORMATS,
  type SaveFormat,
  type ToWorker,
} from "./protocol.ts";
import type { CompiledInfo, EpochRecord } from "./session.ts";

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
};

const form = $<HTMLFormElement>("form");
const presetSelect = $<HTMLSelectElement>("preset");
const datasetSelect = $<HTMLSelectElement>("dataset");
const optimizerSelect = $<HTMLSelectElement>("optimizer");
const lrInput = $<HTMLInputElement>("lr");
const batchInput = $<HTMLInputElement>("batch");
const epochsInput = $<HTMLInputElement>("epochs");
const seedInput = $<HTMLInputElement>("seed");
const code = $<HTMLTextAreaElement>("code");
const trainButton = $<HTMLButtonElement>("train");
const stopButton = $<HTMLButtonElement>("stop");
const downloadButton = $<HTMLButtonElement>("download");
const csvButton = $<HTMLButtonElement>("metrics-csv");
const saveFormatSelect = $<HTMLSelectElement>("save-format");
const status = $<HTMLParagraphElement>("status");
const canvas = $<HTMLCanvasElement>("boundary");
const boundaryNote = $<HTMLParagraphElement>("boundary-note");
const sizes = $<HTMLParagraphElement>("sizes");
const tabText = $<HTMLPreElement>("tab-text");
const chart = new LiveChart($("chart"));

type TabName = "graph" | "gradientGraph" | "trainGraph" | "fusion" | "memoryPlan" | "wat";
let selectedTab: TabName = "graph";
let compiled: CompiledInfo | null = null;
let points: Points | null = null;
let run = 0;
let training = false;

function options(select: HTMLSelectElement, entries: [string, string][]): void {
  select.replaceChildren(...entries.map(([value, text]) => new Option(text, value)));
}

function setStatus(state: string, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function applyPreset(p: Preset): void {
  datasetSelect.value = p.dataset;
  optimizerSelect.value = p.optimizer;
  lrInput.value = String(p.lr);
  batchInput.value = String(p.batchSize);
  epochsInput.value = String(p.epochs);
  seedInput.value = String(p.seed);
  code.value = p.code;
}

function number(input: HTMLInputElement, what: string, integer: boolean): number {
  const value = Number(input.value);
  if (
    input.value.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))
  ) {
    throw new Error(`${what} must be ${integer ? "an integer" : "a number"}, got "${input.value}"`);
  }
  return value;
}

const percent = (v: number | undefined) => v === undefined ? "–" : `${(v * 100).toFixed(1)} %`;

function showMetrics(r: EpochRecord | undefined, epochs: number): void {
  const set = (id: string, text: string) => $(id).textContent = text;
  set("m-epoch", r === undefined ? "–" : `${r.epoch} / ${epochs}`);
  set("m-speed", r === undefined ? "–" : Math.round(r.samplesPerSecond).toLocaleString("en"));
  set("m-loss", r === undefined ? "–" : r.loss.toFixed(4));
  set("m-test-loss", r === undefined ? "–" : r.testLoss.toFixed(4));
  set("m-train-acc", percent(r?.trainAccuracy));
  set("m-test-acc", percent(r?.testAccuracy));
  // The same figures at full precision, for scripts (the e2e test reads them).
  const data = status.dataset;
  for (const key of Object.keys(data)) if (key !== "state") delete data[key];
  if (r !== undefined) {
    data.epoch = String(r.epoch);
    data.loss = String(r.loss);
    data.testLoss = String(r.testLoss);
    if (r.trainAccuracy !== undefined) data.trainAccuracy = String(r.trainAccuracy);
    if (r.testAccuracy !== undefined) data.testAccuracy = String(r.testAccuracy);
    data.samplesPerSecond = String(r.samplesPerSecond);
  }
}

function showTab(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>("#tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === selectedTab));
  }
  tabText.textContent = compiled === null ? "" : compiled[selectedTab];
}

function showCompiled(info: CompiledInfo, trainRows: number, testRows: number): void {
  compiled = info;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  sizes.textContent = `compiled in ${info.compileMs.toFixed(0)} ms · ` +
    `WebAssembly ${kb(info.wasmBytes)} · memory ${kb(info.memoryBytes)} · ` +
    `${info.parameters.toLocaleString("en")} parameters · WAT ${
      info.wat.split("\n").length.toLocaleString("en")
    } lines · loss ${info.loss} · optimizer ${info.optimizer} · ` +
    `${trainRows} training rows, ${testRows} test rows`;
  showTab();
}

/** Seconds a stop may take before the worker is replaced (a very long epoch, a stuck model). */
const STOP_GRACE_SECONDS = 3;
let worker = startWorker();
let stopTimer: ReturnType<typeof setTimeout> | null = null;
let lastRecords: EpochRecord[] = [];
let epochsOfRun = 0;

function send(message: ToWorker): void {
  worker.postMessage(message);
}

function endRun(): void {
  training = false;
  if (stopTimer !== null) clearTimeout(stopTimer);
  stopTimer = null;
  trainButton.disabled = false;
  stopButton.disabled = true;
  downloadButton.disabled = compiled === null;
  csvButton.disabled = lastRecords.length === 0;
}

function offerFile(name: string, mime: string, data: string | Uint8Array<ArrayBuffer>): void {
  const url = URL.createObjectURL(new Blob([data], { type: mime }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function startWorker(): Worker {
  const w = new Worker(new URL("worker.js", location.href), { type: "module" });
  w.onmessage = onMessage;
  w.onerror = (event) => {
    event.preventDefault();
    setStatus("failed", `The worker failed: ${event.message}`);
    endRun();
  };
  return w;
}

function onMessage(event: MessageEvent<FromWorker>): void {
  const message = event.data;
  switch (message.type) {
    case "ready":
      trainButton.disabled = false;
      setStatus("ready", "Ready: pick a preset or write a model, then compile & train.");
      break;
    case "status":
      if (training) setStatus("compiling", message.text);
      break;
    case "compiled":
      if (message.run !== run) return;
      showCompiled(message.info, message.trainRows, message.testRows);
      points = message.points;
      boundaryNote.textContent = points === null
        ? "The decision boundary shows for 2-D data sets."
        : "Probability of class 1 (orange = 0, blue = 1) and the training points.";
      canvas.style.display = points === null ? "none" : "block";
      setStatus("training", "training…");
      break;
    case "progress": {
      if (message.run !== run) return;
      lastRecords.push(...message.records);
      chart.add(message.records);
      showMetrics(lastRecords.at(-1), epochsOfRun);
      if (points !== null) drawBoundary(canvas, points, message.boundary);
      break;
    }
    case "ended": {
      if (message.run !== run) return;
      const last = lastRecords.at(-1);
      void chart.finish(last);
      const summary = last === undefined
        ? ""
        : ` after ${last.epoch} epoch${last.epoch === 1 ? "" : "s"}: loss ${last.loss.toFixed(4)}` +
          (last.testAccuracy === undefined ? "" : `, test accuracy ${percent(last.testAccuracy)}`);
      if (message.reason === "failed") {
        setStatus("failed", `${message.error?.name}: ${message.error?.message}`);
      } else {
        setStatus(
          message.reason,
          `${message.reason === "stopped" ? "Stopped" : "Done"}${summary}.`,
        );
      }
      endRun();
      break;
    }
    case "file":
      offerFile(message.name, message.mime, message.data);
      break;
    case "refused":
      setStatus(status.dataset.state ?? "ready", message.message);
      break;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  let message: ToWorker;
  try {
    const dataset = datasetSelect.value;
    if (!isDatasetId(dataset)) throw new Error(`Unknown data set "${dataset}"`);
    const epochs = number(epochsInput, "Epochs", true);
    message = {
      type: "train",
      run: run + 1,
      dataset: dataset as DatasetId,
      request: {
        code: code.value,
        optimizer: optimizerSelect.value as OptimizerName,
        lr: number(lrInput, "The learning rate", false),
        batchSize: number(batchInput, "The batch size", true),
        epochs,
        seed: number(seedInput, "The seed", true),
      },
    };
    epochsOfRun = epochs;
  } catch (e) {
    setStatus("failed", (e as Error).message);
    return;
  }
  run++;
  training = true;
  lastRecords = [];
  compiled = null;
  showTab();
  showMetrics(undefined, 0);
  sizes.textContent = "compiling…";
  chart.reset(epochsOfRun);
  trainButton.disabled = true;
  stopButton.disabled = false;
  downloadButton.disabled = true;
  csvButton.disabled = true;
  setStatus("compiling", "compiling…");
  send(message);
});

stopButton.addEventListener("click", () => {
  if (!training || stopTimer !== null) return;
  setStatus("stopping", "stopping after this epoch…");
  send({ type: "stop" });
  // The worker reads the stop between epochs; if an epoch takes too long, replace the worker.
  stopTimer = setTimeout(() => {
    stopTimer = null;
    if (!training) return;
    worker.terminate();
    run++;
    void chart.finish(lastRecords.at(-1));
    endRun();
    compiled = null;
    downloadButton.disabled = true;
    trainButton.disabled = true;
    setStatus(
      "stopped",
      `Stopped: the worker did not stop within ${STOP_GRACE_SECONDS} s, so it was replaced ` +
        "(the model is lost); loading the compiler again…",
    );
    worker = startWorker();
  }, STOP_GRACE_SECONDS * 1000);
});

downloadButton.addEventListener(
  "click",
  () => send({ type: "save", format: saveFormatSelect.value as SaveFormat }),
);
csvButton.addEventListener(
  "click",
  () => offerFile("mlpc-metrics.csv", "text/csv", recordsToCsv(lastRecords)),
);

presetSelect.addEventListener("change", () => applyPreset(preset(presetSelect.value)));

for (const button of document.querySelectorAll<HTMLButtonElement>("#tabs button")) {
  button.addEventListener("click", () => {
    selectedTab = button.dataset.tab as TabName;
    showTab();
  });
}

code.addEventListener("keydown", (event) => {
  if (event.key !== "Tab" || event.shiftKey) return;
  event.preventDefault();
  code.setRangeText("  ", code.selectionStart, code.selectionEnd, "end");
});

options(presetSelect, PRESETS.map((p) => [p.id, p.title]));
options(datasetSelect, Object.entries(DATASETS));
options(optimizerSelect, Object.entries(OPTIMIZERS));
options(saveFormatSelect, Object.entries(SAVE_FORMATS));
applyPreset(PRESETS[0]);
canvas.style.display = "none";
