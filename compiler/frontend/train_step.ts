/**
 * Builds the graphs of a model: the forward (prediction) graph, the loss
 * graph, its symbolic gradient, and the training-step graph — forward, loss,
 * backward and the optimizer update, all as nodes of one graph whose updates
 * write the new parameters and optimizer state.
 *
 * @module
 */

import {
  DATA_INPUT,
  LABEL_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
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
import type { DType, Shape } from "../../core/shape.ts";
import { input, mean, mul } from "./tensor.ts";
import { trace } from "./trace.ts";

/** The graphs of one model, before optimization passes. */
export interface ModelGraphs {
  /** x → prediction. */
  readonly predict: Graph;
  /** x, y → loss, prediction. */
  readonly evaluate: Graph;
  /** The evaluate graph plus `grad:<param>` outputs. */
  readonly gradient: Graph;
  /** One training step: loss output, and updates of parameters and state. */
  readonly train: Graph;
  /** Shape of the prediction, `["batch", …]`. */
  readonly predictionShape: Shape;
  /** Shape of the labels. */
  readonly labelShape: Shape;
}

/**
 * Traces a model with its loss and optimizer into its graphs. With
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
  model: Model,
  loss: Loss,
  optimizer: OptimizerConfig,
  inputFeatures: number,
  dtype: DType,
  options: { sampleWeights?: boolean } = {},
): ModelGraphs {
  const x = input(DATA_INPUT, ["batch", inputFeatures]);
  const prediction = applyModel(model, x);
  if (prediction.shape.length !== 2 || prediction.shape[0] !== "batch") {
    throw new CompileError(
      `The model must map f32[batch,${inputFeatures}] to a [batch, outputs] tensor, got [${
        prediction.shape.join(",")
      }]`,
    );
  }
  const labelShape = loss.labelShape(prediction.shape);
  const y = input(LABEL_INPUT, labelShape, "label");
  // Weighted on request: mean(wᵢ·ℓᵢ), w written by the runtime for each batch (1s by default).
  if (options.sampleWeights && loss.perSample === undefined) {
    throw new CompileError(
      `The loss ${loss.name} has no per-sample form (perSample), so it cannot weight samples: ` +
        `compile without sampleWeights, or give the loss a perSample function`,
    );
  }
  const lossValue = options.sampleWeights
    ? mean(mul(loss.perSample!(prediction, y), input(SAMPLE_WEIGHT_INPUT, ["batch"], "label")))
    : loss.apply(prediction, y);
  const predict = trace({ [PREDICTION_OUTPUT]: prediction }, dtype);
  const evaluate = trace({ [LOSS_OUTPUT]: lossValue, [PREDICTION_OUTPUT]: prediction }, dtype);
  checkInputNames(evaluate, optimizer);
  const params = evaluate.nodes.filter((n) => n.op === "input" && n.attrs.kind === "param");
  if (params.length === 0) throw new CompileError("The model has no parameters to train");
  const gradient = differentiate(evaluate, LOSS_OUTPUT, params.map((p) => p.attrs.name ?? ""));
  const train = appendOptimizer(gradient, optimizer);
  return { predict, evaluate, gradient, train, predictionShape: prediction.shape, labelShape };
}

const RESERVED = [DATA_INPUT, LABEL_INPUT, SAMPLE_WEIGHT_INPUT, LOSS_OUTPUT, PREDICTION_OUTPUT];

/**
 * Rejects inputs the runtime cannot feed (anything but the data, the labels
 * and parameters) and parameter names that would collide with the names the
 * compiler gives its own buffers.
 */
function checkInputNames(graph: Graph, optimizer: OptimizerConfig): void {
  const reservedPrefixes = [
    OPTIMIZER_SCALAR_PREFIX,
    ...optimizerEntry(optimizer).state(optimizer).map((slot) => `${slot.name}/`),
  ];
  for (const node of graph.nodes) {
    if (node.op !== "input") continue;
    const name = node.attrs.name ?? "";
    if (node.attrs.kind === "param") {
      if (RESERVED.includes(name) || reservedPrefixes.some((p) => name.startsWith(p))) {
        throw new CompileError(
          `Parameter name "${name}" is reserved (${RESERVED.join(", ")} and names starting with ` +
            `${reservedPrefixes.join(", ")} name the compiler's own buffers): rename the parameter`,
        );
      }
    } else if (name !== DATA_INPUT && name !== LABEL_INPUT && name !== SAMPLE_WEIGHT_INPUT) {
      throw new CompileError(
        `The model reads input "${name}" (${node.attrs.kind}), which training cannot feed: ` +
          `only the data "x", the labels "y" and parameters made with param() are bound`,
      );
    }
  }
}
