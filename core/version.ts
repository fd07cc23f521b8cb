/**
 * The library's version, as written into exported files (safetensors
 * metadata, ONNX producer version, standalone modules). A test keeps it equal
 * to `deno.json`'s `version`.
 *
 * @module
 */

/**
 * mlpc's version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLPC_VERSION } from "./version.ts";
 * assert.match(MLPC_VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const MLPC_VERSION = "0.1.0";
