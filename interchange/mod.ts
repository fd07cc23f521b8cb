/**
 * Interchange and deployment: a trained model's weights as safetensors (in
 * mlpc's layout or PyTorch's), its inference graph as ONNX, and a standalone
 * predict-only WebAssembly module with a small loader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, relu, softmaxCrossEntropy } from "../mod.ts";
 * import { fromSafetensors, toSafetensors } from "./mod.ts";
 * const make = (seed: number) =>
 *   compile(chain(dense(4, 8), relu, dense(8, 3)), { loss: softmaxCrossEntropy, batchSize: 8, seed });
 * const a = await make(1);
 * const b = await make(2);
 * fromSafetensors(b, toSafetensors(a));
 * assert.deepEqual(b.predict([[1, 2, 3, 4]]), a.predict([[1, 2, 3, 4]]));
 * ```
 *
 * @module
 */

export {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  type RawTensor,
  SAFETENSORS_DTYPES,
  type SafetensorsContents,
  type SafetensorsDType,
  SafetensorsError,
} from "./safetensors_format.ts";
export {
  fromSafetensors,
  type LoadedSafetensors,
  loadSafetensors,
  type LoadSafetensorsOptions,
  METADATA_KEYS,
  type SafetensorsLayout,
  saveSafetensors,
  type SaveSafetensorsOptions,
  toSafetensors,
} from "./safetensors.ts";
export {
  exportOnnx,
  graphToOnnx,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type OnnxExportOptions,
  saveOnnx,
} from "./onnx.ts";
export {
  ONNX_OPS,
  type OnnxAttribute,
  type OnnxEmitter,
  type OnnxRule,
  type OnnxTable,
} from "./onnx_ops.ts";
export {
  exportInference,
  type InferenceExport,
  type InferenceExportOptions,
  type InferenceModule,
  inferenceModule,
} from "./standalone.ts";
export { inspectModel, type ModelGraphs, type ModelInspection, pickGraph } from "./inspect.ts";
export { graphToDot, graphToMermaid } from "./render_graph.ts";
