/**
 * Messages between the page and the training worker.
 *
 * @module
 */

import type { DatasetId, ViewBox } from "./datasets.ts";
import type { CompiledInfo, EpochRecord, TrainRequest } from "./session.ts";

/** Page → worker. */
export type ToWorker =
  /**
   * Compile the code and train on a data set (stops a run in progress first).
   * `run` numbers the page's runs; the worker's messages about it carry it back.
   */
  | {
    readonly type: "train";
    readonly run: number;
    readonly request: TrainRequest;
    readonly dataset: DatasetId;
  }
  /** Stop after the epoch in progress. */
  | { readonly type: "stop" }
  /** Send the trained model in a format. */
  | { readonly type: "save"; readonly format: SaveFormat };

/** Formats the trained model downloads in. */
export const SAVE_FORMATS = {
  mlpc: "mlpc save format (JSON)",
  safetensors: "safetensors (mlpc layout, with optimizer state)",
  torch: "safetensors (PyTorch nn.Linear layout)",
  onnx: "ONNX (inference graph)",
  standalone: "standalone inference (.wasm + .js loader)",
} as const;

/** A format of `SAVE_FORMATS`. */
export type SaveFormat = keyof typeof SAVE_FORMATS;

/** The points of a 2-D data set, for the decision-boundary view. */
export interface Points {
  /** Coordinates, two per point. */
  readonly x: Float32Array;
  /** Class of each point. */
  readonly y: Int32Array;
  /** The box to draw. */
  readonly view: ViewBox;
}

/** Why a run ended. */
export type EndReason = "finished" | "stopped" | "failed";

/** Worker → page. */
export type FromWorker =
  /** The compiler (Binaryen) is loaded: runs can start. */
  | { readonly type: "ready" }
  /** What the worker is doing, for people. */
  | { readonly type: "status"; readonly text: string }
  /** The model compiled. */
  | {
    readonly type: "compiled";
    readonly run: number;
    readonly info: CompiledInfo;
    readonly trainRows: number;
    readonly testRows: number;
    readonly points: Points | null;
  }
  /** Epochs that finished since the last message, and the decision boundary after them. */
  | {
    readonly type: "progress";
    readonly run: number;
    readonly records: readonly EpochRecord[];
    readonly boundary: { readonly size: number; readonly scores: Float32Array } | null;
  }
  /** The run ended. `error` says why it failed. */
  | {
    readonly type: "ended";
    readonly run: number;
    readonly reason: EndReason;
    readonly error?: { readonly name: string; readonly message: string };
  }
  /** A file to download. */
  | {
    readonly type: "file";
    readonly name: string;
    readonly mime: string;
    readonly data: string | Uint8Array<ArrayBuffer>;
  }
  /** A request could not be served (e.g. save before any training). */
  | { readonly type: "refused"; readonly message: string };
