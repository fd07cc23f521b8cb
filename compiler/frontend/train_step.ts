/**
 * Builds the graphs of a model: the forward (prediction) and loss graphs in
 * inference mode, the loss graph in train mode, its symbolic gradient, and the
 * training-step graph — forward, loss, backward and the optimizer update, all
 * as nodes of one graph whose updates write the new parameters, optimizer
 * state and running statistics.
 *
 * @module
 */

import {
  DATA_INPUT,
  LABEL_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
  RNG_INPUT,
  SAMPLE_WEIGHT_INPUT,
} from "../../core/contract.ts";
import { appendOptimizer } from "../passes/append_optimizer.ts";
import { differentiate } from "../passes/differentiate.ts";
import { CompileError } from "../../core/errors.ts";
import type { Graph } from "../ir/ir.ts";
import { applyModel, type Model } from "./layers.ts";
import type { Loss } from "./losses.ts";
import {
  OPTIMIZER_SCALAR_PREFIX,
  type OptimizerConfig,
  optimizerEntry,
} from "../../core/optimizer/table.ts";
import { type DType, sameShape, type Shape } from "../../core/shape.ts";
import { INFERENCE, trainContext } from "./modes.ts";
import { input, mean, mul, type Tensor } from "./tensor.ts";
import {
  bufferNames,
  denseSignature,
  describeInput,
  inputBuffers,
  type InputSignature,
} from "../../core/inputs.ts";
import { resolveVocabularies, signatureValue } from "./inputs.ts";
import { trace } from "./trace.ts";

/** The graphs of one model, before optimization passes. */
export interface ModelGraphs {
  /** x → prediction, in inference mode. */
  readonly predict: Graph;
  /** x, y → loss, prediction, in inference mode. */
  readonly evaluate: Graph;
  /**
   * x, y → loss, prediction, in train mode, with the layers' updates of their
   * running statistics: the function a training step differentiates.
   */
  readonly trainLoss: Graph;
  /** The train-mode loss graph plus `grad:<param>` outputs. */
  readonly gradient: Graph;
  /** One training step: loss output, and updates of parameters and state. */
  readonly train: Graph;
  /** Shape of the prediction, `["batch", …]`. */
  readonly predictionShape: Shape;
  /** Shape of the labels. */
  readonly labelShape: Shape;
  /** What the model reads (token vocabularies resolved from the graph). */
  readonly signature: InputSignature;
}

/**
 * Traces a model with its loss and optimizer into its graphs: the model is
 * applied twice, in inference mode (predict, evaluate) and in train mode (the
 * loss the training step differentiates, and the running-statistic updates);
 * the two differ only where a layer says so (dropout, batch norm). With
 * `sampleWeights`, the loss is `mean(wᵢ·ℓᵢ)` over the loss's per-sample
 * values, with `w` an input (`sampleWeight`, one value per sample).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildGraphs } from "./train_step.ts";
 * import { chain, dense } from "./layers.ts";
 * import { mse } from "./losses.ts";
 * import { sgd } from "../../core/optimizers.ts";
 * import { relu } from "./tensor.ts";
 * const g = buildGraphs(chain(dense(2, 4), relu, dense(4, 1)), mse, sgd({ lr: 0.1 }), 2, "f32");
 * assert.ok(g.train.updates.length === 4);
 * ```
 */
export function buildGraphs(
  model: Model<never>,
  loss: Loss,
  optimizer: OptimizerConfig,
  inputs: number | InputSignature,
  dtype: DType,
  options: { sampleWeights?: boolean } = {},
): ModelGraphs {
  const signature = typeof inputs === "number" ? denseSignature(inputs) : inputs;
  const x = signatureValue(signature);
  const run = model as Model<unknown>;
  const prediction = applyModel(run, x, "", INFERENCE);
  if (prediction.shape.length !== 2 || prediction.shape[0] !== "batch") {
    const from = typeof inputs === "number" ? `f32[batch,${inputs}]` : "its inputs";
    throw new CompileError(
      `The model must map ${from} to a [batch, outputs] tensor, got [${
        prediction.shape.join(",")
      }]`,
    );
  }
  const labelShape = loss.labelShape(prediction.shape);
  const y = input(LABEL_INPUT, labelShape, "label");
  const { context, updates } = trainContext();
  const trainPrediction = applyModel(run, x, "", context);
  if (!sameShape(trainPrediction.shape, prediction.shape)) {
    throw new CompileError(
      `The model's prediction has shape [${trainPrediction.shape}] in train mode but ` +
        `[${prediction.shape}] in inference mode`,
    );
  }
  // Weighted on request: mean(wᵢ·ℓᵢ), w written by the runtime for each batch (1s by default).
  if (options.sampleWeights && loss.perSample === undefined) {
    throw new CompileError(
      `The loss ${loss.name} has no per-sample form (perSample), so it cannot weight samples: ` +
        `compile without sampleWeights, or give the loss a perSample function`,
    );
  }
  const lossOf = (p: Tensor) =>
    options.sampleWeights
      ? mean(mul(loss.perSample!(p, y), input(SAMPLE_WEIGHT_INPUT, ["batch"], "label")))
      : loss.apply(p, y);
  const predict = trace({ [PREDICTION_OUTPUT]: prediction }, dtype);
  const evaluate = trace(
    { [LOSS_OUTPUT]: lossOf(prediction), [PREDICTION_OUTPUT]: prediction },
    dtype,
  );
  const trainLoss = trace(
    { [LOSS_OUTPUT]: lossOf(trainPrediction), [PREDICTION_OUTPUT]: trainPrediction },
    dtype,
    Object.fromEntries(updates.map((u) => [u.target, u.value])),
  );
  const data = bufferNames(signature);
  checkInputsRead(signature, [evaluate, trainLoss]);
  checkInputNames(evaluate, optimizer, data);
  checkInputNames(trainLoss, optimizer, data);
  checkDropoutStreams(trainLoss);
  const params = trainLoss.nodes.filter((n) => n.op === "input" && n.attrs.kind === "param");
  if (params.length === 0) throw new CompileError("The model has no parameters to train");
  const gradient = differentiate(trainLoss, LOSS_OUTPUT, params.map((p) => p.attrs.name ?? ""));
  const train = appendOptimizer(gradient, optimizer);
  return {
    predict,
    evaluate,
    trainLoss,
    gradient,
    train,
    predictionShape: prediction.shape,
    labelShape,
    signature: resolveVocabularies(signature, trainLoss),
  };
}

const RESERVED = [
  DATA_INPUT,
  LABEL_INPUT,
  SAMPLE_WEIGHT_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
  RNG_INPUT,
];

/**
 * Rejects inputs the runtime cannot feed (anything but the data, the labels,
 * parameters, running statistics and the random key) and parameter names
 * that would collide with the names the compiler gives its own buffers.
 */
function checkInputNames(graph: Graph, optimizer: OptimizerConfig, data: readonly string[]): void {
  const reservedPrefixes = [
    OPTIMIZER_SCALAR_PREFIX,
    ...optimizerEntry(optimizer).state(optimizer).map((slot) => `${slot.name}/`),
  ];
  for (const node of graph.nodes) {
    if (node.op !== "input") continue;
    const name = node.attrs.name ?? "";
    const kind = node.attrs.kind;
    if (kind === "param" || kind === "running") {
      if (
        RESERVED.includes(name) || data.includes(name) ||
        reservedPrefixes.some((p) => name.startsWith(p))
      ) {
        throw new CompileError(
          `Parameter name "${name}" is reserved (${RESERVED.join(", ")} and names starting with ` +
            `${reservedPrefixes.join(", ")} name the compiler's own buffers): rename the parameter`,
        );
      }
    } else if (
      !(data.includes(name) && kind === "data") && !(name === LABEL_INPUT && kind === "label") &&
      !(name === SAMPLE_WEIGHT_INPUT && kind === "label") && !(name === RNG_INPUT && kind === "rng")
    ) {
      throw new CompileError(
        `The model reads input "${name}" (${kind}), which training cannot feed: ` +
          `only the model's inputs (${data.join(", ")}), the labels "y", sample weights, ` +
          `parameters made with param() and ` +
          `running statistics made with running() are bound`,
      );
    }
  }
}

/** Rejects a declared input the model never reads (a mistake in the model or in `inputs`). */
function checkInputsRead(signature: InputSignature, graphs: readonly Graph[]): void {
  const read = new Set(
    graphs.flatMap((g) => g.nodes.filter((n) => n.op === "input").map((n) => n.attrs.name)),
  );
  for (const entry of signature.inputs) {
    const b = inputBuffers(entry);
    if (![b.data, b.ids, b.values, b.ends].some((name) => name !== null && read.has(name))) {
      throw new CompileError(
        `The model does not read its ${describeInput(entry)}: use it, or leave it out of inputs`,
      );
    }
  }
}

/**
 * Rejects two dropout layers with the same stream (the same name): they would
 * draw the same masks.
 */
function checkDropoutStreams(graph: Graph): void {
  const seen = new Map<number, number>();
  for (const node of graph.nodes) {
    if (node.op !== "dropout") continue;
    const stream = node.attrs.stream ?? 0;
    const other = seen.get(stream);
    if (other !== undefined) {
      throw new CompileError(
        `Two dropout nodes (%${other} and %${node.id}) draw from the same stream ${stream}: ` +
          `a dropout layer is applied twice under the same name, so both would use one mask`,
      );
    }
    seen.set(stream, node.id);
  }
}
