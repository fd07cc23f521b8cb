/**
 * A graph of the IR drawn for people: Graphviz DOT (built with `ts-graphviz`,
 * which quotes and escapes) and Mermaid flowcharts (for Markdown). One box per
 * node, labelled as the printed graph labels it; one edge per operand; named
 * outputs as notes; state updates as dashed edges back to the input they
 * overwrite.
 *
 * @module
 */

import { digraph, toDot } from "npm:ts-graphviz@3.0.7";
import type { Graph, Node } from "../compiler/ir/ir.ts";
import { formatNode } from "../compiler/ir/print_graph.ts";

/** Two lines: the node as the printed graph shows it, then its type. */
function label(node: Node, dtype: Graph["dtype"]): [string, string] {
  const text = formatNode(node, dtype);
  const split = text.lastIndexOf(" : ");
  return [text.slice(0, split), text.slice(split + 3)];
}

/**
 * A graph as Graphviz DOT.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphToDot } from "./render_graph.ts";
 * import { trace } from "../compiler/frontend/trace.ts";
 * import { input, relu } from "../compiler/frontend/tensor.ts";
 * const dot = graphToDot(trace({ y: relu(input("x", ["batch", 3])) }), "forward");
 * assert.match(dot, /"n0" -> "n1"/);
 * ```
 */
export function graphToDot(graph: Graph, name: string): string {
  const g = digraph(name, { rankdir: "TB" }, (g) => {
    g.set("fontname", "monospace");
    for (const node of graph.nodes) {
      const [head, type] = label(node, graph.dtype);
      const input = node.op === "input";
      const kind = node.attrs.kind;
      g.node(`n${node.id}`, {
        label: `${head}\n${type}`,
        shape: input ? "ellipse" : node.op === "const" || node.op === "count" ? "plain" : "box",
        fontname: "monospace",
        ...(input && kind === "param" ? { style: "filled", fillcolor: "lightblue" } : {}),
        ...(input && (kind === "state" || kind === "running" || kind === "scalar" || kind === "rng")
          ? { style: "dashed" }
          : {}),
      });
      for (const operand of node.inputs) g.edge([`n${operand}`, `n${node.id}`]);
    }
    graph.outputs.forEach((o, i) => {
      g.node(`out${i}`, { label: `output ${o.name}`, shape: "note", fontname: "monospace" });
      g.edge([`n${o.node}`, `out${i}`]);
    });
    for (const u of graph.updates) {
      const target = graph.nodes.find((n) => n.op === "input" && n.attrs.name === u.target);
      if (target === undefined) continue;
      g.edge([`n${u.node}`, `n${target.id}`], { style: "dashed", label: "update" });
    }
  });
  return toDot(g);
}

/** Text a Mermaid label can hold: quotes and angle brackets as entities. */
function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/**
 * A graph as a Mermaid flowchart (```mermaid in Markdown).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphToMermaid } from "./render_graph.ts";
 * import { trace } from "../compiler/frontend/trace.ts";
 * import { input, relu } from "../compiler/frontend/tensor.ts";
 * const chart = graphToMermaid(trace({ y: relu(input("x", ["batch", 3])) }));
 * assert.match(chart, /^flowchart TD\n/);
 * assert.match(chart, /n0 --> n1/);
 * ```
 */
export function graphToMermaid(graph: Graph): string {
  const lines = ["flowchart TD"];
  for (const node of graph.nodes) {
    const [head, type] = label(node, graph.dtype).map(mermaidText);
    const text = `"${head}<br/>${type}"`;
    lines.push(`  n${node.id}${node.op === "input" ? `([${text}])` : `[${text}]`}`);
  }
  for (const node of graph.nodes) {
    for (const operand of node.inputs) lines.push(`  n${operand} --> n${node.id}`);
  }
  graph.outputs.forEach((o, i) => {
    lines.push(`  out${i}[/"output ${mermaidText(o.name)}"/]`);
    lines.push(`  n${o.node} --> out${i}`);
  });
  for (const u of graph.updates) {
    const target = graph.nodes.find((n) => n.op === "input" && n.attrs.name === u.target);
    if (target !== undefined) lines.push(`  n${u.node} -. update .-> n${target.id}`);
  }
  return lines.join("\n") + "\n";
}
