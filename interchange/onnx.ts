/**
 * ONNX export of a model's inference graph (x → prediction), with its
 * parameters as initializers, encoded by protobuf.js with the ONNX schema of
 * `npm:onnx-proto` (IR version 8, opset 17).
 *
 * The graph exported is the model's predict graph after the compiler's
 * optimization passes. Layers are recognized first (`onnx_patterns.ts`: a
 * dense layer becomes one Gemm, softmax one Softmax); every other node goes
 * through the op table (`onnx_ops.ts`). A node without an ONNX equivalent is
 * a `CompileError` naming it.
 *
 * The ONNX model of a trainer has one input, `x` (`[batch, features]`, the
 * batch symbolic), and one output, `prediction` (`[batch, outputs]`): what
 * `trainer.predict` returns. (`graphToOnnx` translates any graph: each
 * non-parameter input becomes a graph input, each output a graph output.)
 *
 * @module
 */

import onnxProto from "npm:onnx-proto@8.0.1";
import type { onnx as OnnxTypes } from "npm:onnx-proto@8.0.1";
import type { Trainer } from "../runtime/trainer.ts";
import { describeInput, type InputSignature, isDenseSignature } from "../core/inputs.ts";
import { CompileError } from "../core/errors.ts";
import type { Shape } from "../core/shape.ts";
import { MLPC_VERSION } from "../core/version.ts";
import { consumers, type Graph, type Node } from "../compiler/ir/ir.ts";
import { graphFromPlain } from "../compiler/ir/from_plain.ts";
import { formatNode } from "../compiler/ir/print_graph.ts";
import { optimize } from "../compiler/passes/pipeline.ts";
import { writeFileAtomic } from "../runtime/write_atomic.ts";
import { int, ONNX_OPS, ONNX_TYPES, type OnnxAttribute, type OnnxEmitter } from "./onnx_ops.ts";
import { type PatternMatch, PATTERNS } from "./onnx_patterns.ts";

const { onnx } = onnxProto as unknown as { onnx: typeof OnnxTypes };

/** The opset the exported models import. */
export const ONNX_OPSET = 17;
/** The ONNX IR version of the exported models. */
export const ONNX_IR_VERSION = 8;

/** Options of `exportOnnx`. */
export interface OnnxExportOptions {
  /** The ONNX graph's name (default `"mlpc"`). */
  readonly name?: string;
  /** Run the compiler's optimization passes first (default true). */
  readonly optimize?: boolean;
}

const ATTRIBUTE_TYPES = { float: 1, int: 2, ints: 7 } as const;

function attribute(name: string, a: OnnxAttribute): OnnxTypes.IAttributeProto {
  switch (a.kind) {
    case "int":
      return { name, type: ATTRIBUTE_TYPES.int, i: a.value };
    case "ints":
      return { name, type: ATTRIBUTE_TYPES.ints, ints: [...a.value] };
    case "float":
      return { name, type: ATTRIBUTE_TYPES.float, f: a.value };
  }
}

function valueInfo(name: string, shape: Shape, elemType: number): OnnxTypes.IValueInfoProto {
  const dim = shape.map((d) => (d === "batch" ? { dimParam: "batch" } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function littleEndian(values: ArrayLike<number>, dtype: "f32" | "f64"): Uint8Array {
  const size = dtype === "f64" ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === "f64") view.setFloat64(i * 8, values[i], true);
    else view.setFloat32(i * 4, values[i], true);
  }
  return bytes;
}

/** Collects nodes and initializers; hands out unique value names. */
class Builder implements OnnxEmitter {
  readonly dtype: "f32" | "f64";
  readonly elemType: number;
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  readonly #params: Readonly<Record<string, ArrayLike<number>>>;
  readonly #batchInput: string | undefined;
  readonly #constants = new Map<string, string>();
  readonly #bound = new Map<string, string>();
  #count = 0;
  #batch: string | undefined;
  /** The IR node being exported (names its ONNX nodes). */
  current = "";

  constructor(graph: Graph, params: Readonly<Record<string, ArrayLike<number>>>) {
    const dtype = graph.dtype;
    this.dtype = dtype;
    this.#batchInput = graph.nodes.find((n) =>
      n.op === "input" && n.attrs.kind !== "param" && n.shape[0] === "batch"
    )?.attrs.name;
    this.elemType = dtype === "f64" ? ONNX_TYPES.double : ONNX_TYPES.float;
    this.#params = params;
  }

  op(
    type: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
  ): string {
    const output = `${this.current}_${this.#count++}`;
    this.nodes.push({
      opType: type,
      name: `${output}_${type}`,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([k, a]) => attribute(k, a)),
    });
    return output;
  }

  #initializer(key: string, tensor: OnnxTypes.ITensorProto): string {
    const known = this.#constants.get(key);
    if (known !== undefined) return known;
    const name = tensor.name ?? `const_${this.#constants.size}`;
    this.initializers.push({ ...tensor, name });
    this.#constants.set(key, name);
    return name;
  }

  scalar(value: number): string {
    const key = `scalar:${Object.is(value, -0) ? "-0" : value}`;
    return this.#initializer(key, {
      name: `const_${this.#constants.size}`,
      dataType: this.elemType,
      dims: [],
      rawData: littleEndian([value], this.dtype),
    });
  }

  tensor(values: readonly number[], shape: readonly number[]): string {
    return this.#initializer(`tensor:${shape.join(",")}:${values.join(",")}`, {
      name: `const_${this.#constants.size}`,
      dataType: this.elemType,
      dims: [...shape],
      rawData: littleEndian(values, this.dtype),
    });
  }

  int64s(values: readonly number[]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    return this.#initializer(`int64s:${values.join(",")}`, {
      name: `const_${this.#constants.size}`,
      dataType: ONNX_TYPES.int64,
      dims: [values.length],
      rawData: bytes,
    });
  }

  bind(node: Node): string {
    const name = node.attrs.name ?? "";
    const known = this.#bound.get(name);
    if (known !== undefined) return known;
    // Parameters and running statistics (batch norm) are the model's constants.
    const constant = node.attrs.kind === "param" || node.attrs.kind === "running";
    if (constant && Object.hasOwn(this.#params, name)) {
      this.initializers.push({
        name,
        dataType: this.elemType,
        dims: node.shape.map((d) => (d === "batch" ? 1 : d)),
        rawData: littleEndian(this.#params[name], this.dtype),
      });
    } else if (constant) {
      throw new CompileError(`ONNX export: no value was given for ${node.attrs.kind} "${name}"`);
    } else {
      this.inputs.push(valueInfo(name, node.shape, this.elemType));
    }
    this.#bound.set(name, name);
    return name;
  }

  /** The batch size as a 1-element int64 tensor, read from a batched input's shape. */
  #batchDim(): string {
    if (this.#batch !== undefined) return this.#batch;
    if (this.#batchInput === undefined) {
      throw new CompileError(
        `ONNX export: node ${this.current} needs the batch size, but no input has a batch dimension`,
      );
    }
    const shape = this.op("Shape", [this.#batchInput]);
    this.#batch = this.op("Slice", [shape, this.int64s([0]), this.int64s([1])]);
    return this.#batch;
  }

  batchSize(): string {
    const scalar = this.op("Reshape", [this.#batchDim(), this.int64s([])]);
    return this.op("Cast", [scalar], { to: int(this.elemType) });
  }

  shape(shape: Shape): string {
    if (!shape.includes("batch")) return this.int64s(shape as number[]);
    const parts = shape.map((d) => (d === "batch" ? this.#batchDim() : this.int64s([d])));
    return this.op("Concat", parts, { axis: int(0) });
  }
}

/** For each node to export, the pattern that covers it or the op table. */
function plan(graph: Graph): { node: Node; match: PatternMatch | null }[] {
  const users = consumers(graph);
  const matches = new Map<number, PatternMatch>();
  for (const node of graph.nodes) {
    for (const pattern of PATTERNS) {
      const m = pattern(graph, node, users);
      if (m !== null) {
        matches.set(node.id, m);
        break;
      }
    }
  }
  const needed = new Set(graph.outputs.map((o) => o.node));
  const steps: { node: Node; match: PatternMatch | null }[] = [];
  for (let id = graph.nodes.length - 1; id >= 0; id--) {
    if (!needed.has(id)) continue;
    const match = matches.get(id) ?? null;
    (match?.inputs ?? graph.nodes[id].inputs).forEach((i) => needed.add(i));
    steps.push({ node: graph.nodes[id], match });
  }
  return steps.reverse();
}

/**
 * Translates an inference graph (optimized or not) with the values of its
 * parameters and running statistics (its initializers) to the bytes of an
 * ONNX model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphToOnnx } from "./onnx.ts";
 * import { trace } from "../compiler/frontend/trace.ts";
 * import { input, relu } from "../compiler/frontend/tensor.ts";
 * const bytes = graphToOnnx(trace({ prediction: relu(input("x", ["batch", 3])) }), {});
 * assert.ok(bytes.length > 0);
 * ```
 */
export function graphToOnnx(
  graph: Graph,
  params: Readonly<Record<string, ArrayLike<number>>>,
  options: OnnxExportOptions = {},
): Uint8Array {
  const optimized = options.optimize === false ? graph : optimize(graph);
  const b = new Builder(optimized, params);
  const names = new Map<number, string>();
  for (const { node, match } of plan(optimized)) {
    b.current = `n${node.id}_${match?.name ?? node.op}`;
    if (match !== null) {
      names.set(node.id, match.emit(b, match.inputs.map((i) => names.get(i)!)));
      continue;
    }
    const rule = ONNX_OPS[node.op];
    if (rule === null) {
      throw new CompileError(
        `ONNX export: node ${formatNode(node, optimized.dtype)} (${node.op}) has no ONNX ` +
          `equivalent; only training kernels should contain it`,
      );
    }
    names.set(node.id, rule(b, node, node.inputs.map((i) => names.get(i)!)));
  }
  const outputs: OnnxTypes.IValueInfoProto[] = [];
  const renamed = new Set<string>();
  for (const out of optimized.outputs) {
    const value = names.get(out.node)!;
    const producer = b.nodes.find((n) => n.output?.[0] === value);
    if (value === out.name) {
      // Already the output's name (an input named like the output).
    } else if (producer !== undefined && !renamed.has(value)) {
      // Name the value after the output, where it is made and where it is read.
      producer.output = [out.name];
      for (const n of b.nodes) n.input = n.input?.map((i) => (i === value ? out.name : i));
      names.set(out.node, out.name);
      renamed.add(out.name);
    } else {
      // An input, a constant, or a value another output already names.
      b.nodes.push({
        opType: "Identity",
        name: `${out.name}_Identity`,
        input: [value],
        output: [out.name],
      });
    }
    outputs.push(valueInfo(out.name, optimized.nodes[out.node].shape, b.elemType));
  }
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "mlpc",
    producerVersion: MLPC_VERSION,
    graph: {
      name: options.name ?? "mlpc",
      node: b.nodes,
      initializer: b.initializers,
      input: b.inputs,
      output: outputs,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * A trained model's inference graph as the bytes of an ONNX model: input
 * `x` `[batch, features]`, output `prediction` `[batch, outputs]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chain, compile, dense, relu, softmaxCrossEntropy } from "../mod.ts";
 * import { exportOnnx } from "./onnx.ts";
 * const t = await compile(chain(dense(4, 8), relu, dense(8, 3)), {
 *   loss: softmaxCrossEntropy,
 *   batchSize: 8,
 * });
 * const bytes = exportOnnx(t); // e.g. onnxruntime's InferenceSession.create(bytes)
 * assert.ok(bytes.length > 4 * (4 * 8 + 8 + 8 * 3 + 3));
 * ```
 */
export function exportOnnx(trainer: Trainer, options: OnnxExportOptions = {}): Uint8Array {
  refuseIndexInputs("ONNX export", trainer.artifact.inputs);
  const plain = trainer.artifact.graphs?.predict;
  if (plain === undefined) {
    throw new CompileError(
      "ONNX export reads the model's graph, which this model lacks (it was loaded from a file " +
        "saved before graphs were recorded): compile it again, or save it with this version",
    );
  }
  const values = { ...trainer.getParams(), ...trainer.getRunningStats() };
  return graphToOnnx(graphFromPlain(plain, "predict"), values, options);
}

/**
 * Writes `exportOnnx`'s bytes to `path`, atomically; a file that cannot be
 * written is a `FileError` naming the path and the cause.
 *
 * @example
 * ```ts ignore
 * import { saveOnnx } from "./onnx.ts";
 * await saveOnnx(trainer, "model.onnx");
 * ```
 */
export async function saveOnnx(
  trainer: Trainer,
  path: string,
  options: OnnxExportOptions = {},
): Promise<void> {
  await writeFileAtomic(path, exportOnnx(trainer, options)); // a FileError when it fails
}

/**
 * Refuses a model whose inputs are not one dense matrix (token ids, token
 * lists, sparse rows, several named inputs): the exporters translate the
 * dense case only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refuseIndexInputs } from "./onnx.ts";
 * assert.throws(
 *   () => refuseIndexInputs("ONNX export", { record: false, inputs: [{ kind: "tokens", name: "x", maxTokens: 8, vocab: 4 }] }),
 *   /token input "x"/,
 * );
 * refuseIndexInputs("ONNX export", undefined); // one dense input: fine
 * ```
 */
export function refuseIndexInputs(what: string, signature: InputSignature | undefined): void {
  if (signature === undefined || isDenseSignature(signature)) return;
  throw new CompileError(
    `${what} supports models with one dense input; this model reads ` +
      `${signature.inputs.map(describeInput).join(", ")}. Token ids, token lists, sparse rows ` +
      `and named inputs are not exported: save the model and run it with the runtime instead`,
  );
}
