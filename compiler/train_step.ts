/**
 * Builds the graphs of a model: the forward (prediction) graph, the loss
 * graph, its symbolic gradient, and the training-step graph — forward, loss,
 * backward and the optimizer update, all as nodes of one graph whose updates
 * write the new parameters and optimizer state.
 *
 * @module
 */

import { ADAM_SCALARS } from "../runtime/optimizer_scalars.ts";
import { differentiate, GRAD_PREFIX } from "./differentiate.ts";
import { CompileError } from "./errors.ts";
import { GraphBuilder } from "./graph_builder.ts";
import type { Graph, Node, Update } from "./ir.ts";
import { applyModel, type Model } from "./layers.ts";
import type { Loss } from "./losses.ts";
import type { OptimizerConfig } from "./optimizers.ts";
import type { DType, Shape } from "./shape.ts";
import { input } from "./tensor.ts";
import { trace } from "./trace.ts";

/** Name of the data input. */
export const DATA_INPUT = "x";
/** Name of the label input. */
export const LABEL_INPUT = "y";
/** Name of the loss output. */
export const LOSS_OUTPUT = "loss";
/** Name of the prediction output. */
export const PREDICTION_OUTPUT = "prediction";

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
 * Traces a model with its loss and optimizer into its graphs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildGraphs } from "./train_step.ts";
 * import { chain, dense } from "./layers.ts";
 * import { mse } from "./losses.ts";
 * import { sgd } from "./optimizers.ts";
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
  const lossValue = loss.apply(prediction, y);
  const predict = trace({ [PREDICTION_OUTPUT]: prediction }, dtype);
  const evaluate = trace({ [LOSS_OUTPUT]: lossValue, [PREDICTION_OUTPUT]: prediction }, dtype);
  checkInputNames(evaluate);
  const params = evaluate.nodes.filter((n) => n.op === "input" && n.attrs.kind === "param");
  if (params.length === 0) throw new CompileError("The model has no parameters to train");
  const gradient = differentiate(evaluate, LOSS_OUTPUT, params.map((p) => p.attrs.name ?? ""));
  const train = appendOptimizer(gradient, optimizer);
  return { predict, evaluate, gradient, train, predictionShape: prediction.shape, labelShape };
}

const RESERVED = [DATA_INPUT, LABEL_INPUT, LOSS_OUTPUT, PREDICTION_OUTPUT];
const RESERVED_PREFIXES = ["adam.", "m/", "v/", "velocity/"];

/**
 * Rejects inputs the runtime cannot feed (anything but the data, the labels
 * and parameters) and parameter names that would collide with the names the
 * compiler gives its own buffers.
 */
function checkInputNames(graph: Graph): void {
  for (const node of graph.nodes) {
    if (node.op !== "input") continue;
    const name = node.attrs.name ?? "";
    if (node.attrs.kind === "param") {
      if (RESERVED.includes(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) {
        throw new CompileError(
          `Parameter name "${name}" is reserved (${RESERVED.join(", ")} and names starting with ` +
            `${
              RESERVED_PREFIXES.join(", ")
            } name the compiler's own buffers): rename the parameter`,
        );
      }
    } else if (name !== DATA_INPUT && name !== LABEL_INPUT) {
      throw new CompileError(
        `The model reads input "${name}" (${node.attrs.kind}), which training cannot feed: ` +
          `only the data "x", the labels "y" and parameters made with param() are bound`,
      );
    }
  }
}

/**
 * Appends the optimizer update of every parameter to a gradient graph: the
 * result keeps only the loss output and has one update per parameter and
 * per optimizer state tensor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendOptimizer, buildGraphs } from "./train_step.ts";
 * import { dense } from "./layers.ts";
 * import { mse } from "./losses.ts";
 * import { adam, sgd } from "./optimizers.ts";
 * const g = buildGraphs(dense(2, 1), mse, sgd(), 2, "f32");
 * assert.ok(appendOptimizer(g.gradient, adam()).updates.length === 6);
 * ```
 */
export function appendOptimizer(gradient: Graph, optimizer: OptimizerConfig): Graph {
  const b = new GraphBuilder(gradient.dtype, gradient.nodes);
  const updates: Update[] = [];
  const c = (value: number) => b.emit("const", [], { value });
  const state = (name: string, shape: Shape) => b.emit("input", [], { name, kind: "state", shape });
  const scalar = (name: string) => b.emit("input", [], { name, kind: "scalar", shape: [] });
  const stepSize = optimizer.kind === "adam" ? scalar(ADAM_SCALARS.stepSize) : -1;
  const vScale = optimizer.kind === "adam" ? scalar(ADAM_SCALARS.vScale) : -1;

  for (const out of gradient.outputs) {
    if (!out.name.startsWith(GRAD_PREFIX)) continue;
    const name = out.name.slice(GRAD_PREFIX.length);
    const p = gradient.nodes.find((n: Node) => n.op === "input" && n.attrs.name === name)!;
    const g = out.node;
    if (optimizer.kind === "sgd" && optimizer.momentum === 0) {
      // p ← p − lr·g
      updates.push({
        target: name,
        node: b.emit("sub", [p.id, b.emit("mul", [g, c(optimizer.lr)])]),
      });
    } else if (optimizer.kind === "sgd") {
      // v ← μv + g;  p ← p − lr·v
      const v = state(`velocity/${name}`, p.shape);
      const v2 = b.emit("add", [b.emit("mul", [v, c(optimizer.momentum)]), g]);
      updates.push({ target: `velocity/${name}`, node: v2 });
      updates.push({
        target: name,
        node: b.emit("sub", [p.id, b.emit("mul", [v2, c(optimizer.lr)])]),
      });
    } else {
      // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − α_t·m / (√v·s_t + ε)
      // with α_t = lr/(1−β₁ᵗ) and s_t = 1/√(1−β₂ᵗ) written by the runtime each step.
      const m = state(`m/${name}`, p.shape);
      const v = state(`v/${name}`, p.shape);
      const m2 = b.emit("add", [
        b.emit("mul", [m, c(optimizer.beta1)]),
        b.emit("mul", [g, c(1 - optimizer.beta1)]),
      ]);
      const v2 = b.emit("add", [
        b.emit("mul", [v, c(optimizer.beta2)]),
        b.emit("mul", [b.emit("mul", [g, g]), c(1 - optimizer.beta2)]),
      ]);
      const denom = b.emit("add", [
        b.emit("mul", [b.emit("sqrt", [v2]), vScale]),
        c(optimizer.epsilon),
      ]);
      const step = b.emit("div", [b.emit("mul", [m2, stepSize]), denom]);
      updates.push({ target: `m/${name}`, node: m2 });
      updates.push({ target: `v/${name}`, node: v2 });
      updates.push({ target: name, node: b.emit("sub", [p.id, step]) });
    }
  }
  const lossOutputs = gradient.outputs.filter((o) => o.name === LOSS_OUTPUT);
  return b.finish(lossOutputs, updates);
}
