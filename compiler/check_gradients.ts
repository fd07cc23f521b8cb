/**
 * Gradient checking: the symbolic gradient (differentiate, then the f64
 * interpreter) against central finite differences of the f64 interpreter.
 *
 * Central differences have truncation error O(h²·|f'''|) and rounding error
 * O(ε·|f|/h); with h = 1e-6 and ε = 2.2e-16 both stay near 1e-10 for the
 * smooth, O(1)-scaled functions checked here, so the default tolerance
 * |symbolic − numeric| ≤ 1e-6 + 1e-5·|numeric| leaves four orders of
 * magnitude of margin while a wrong rule (errors of order |f'|) fails it.
 * At kinks (relu at 0, ties of max) the derivative is not defined. An
 * element is treated as a kink when its one-sided differences disagree by
 * more than the tolerance; there the symbolic value passes when it lies
 * between the two one-sided slopes (it is then a valid subgradient, e.g.
 * relu'(0) = 0), and `kinks` counts such elements.
 *
 * @module
 */

import { differentiate, GRAD_PREFIX } from "./differentiate.ts";
import { type Bindings, interpret } from "./interpret.ts";
import type { Graph, OpName } from "./ir.ts";
import { type OpDef, OPS } from "./ops.ts";

/** Result of checking one input. */
export interface GradientReport {
  /** Input name. */
  readonly name: string;
  /** Largest |symbolic − numeric| over the elements. */
  readonly maxAbsError: number;
  /** Largest |symbolic − numeric| / max(|numeric|, 1e-12). */
  readonly maxRelError: number;
  /** Element with the largest excess over the tolerance (or error). */
  readonly worstIndex: number;
  /** Numeric (expected) derivative at the worst element. */
  readonly expected: number;
  /** Symbolic derivative at the worst element. */
  readonly got: number;
  /** Whether every element is within tolerance. */
  readonly ok: boolean;
  /** Elements where the function has a kink (one-sided slopes differ). */
  readonly kinks: number;
}

/** Options of `checkGraphGradients`. */
export interface GradientCheckOptions {
  /** Finite-difference step (default 1e-6). */
  readonly h?: number;
  /** Absolute tolerance (default 1e-6). */
  readonly atol?: number;
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /** The VJP rules to use (default: the op table). */
  readonly rules?: { readonly [K in OpName]: OpDef };
}

/**
 * Checks d(output `of`)/d(input) for every input in `wrt`.
 *
 * @example
 * ```ts
 * import { checkGraphGradients } from "./check_gradients.ts";
 * import { trace } from "./trace.ts";
 * import { input, sum, tanh } from "./tensor.ts";
 * const g = trace({ loss: sum(tanh(input("x", [3]))) }, "f64");
 * const [report] = checkGraphGradients(g, "loss", ["x"], { x: [0.1, -0.5, 2] }, 1);
 * console.assert(report.ok && report.maxAbsError < 1e-8);
 * ```
 */
export function checkGraphGradients(
  graph: Graph,
  of: string,
  wrt: readonly string[],
  bindings: Bindings,
  batch: number,
  options: GradientCheckOptions = {},
): GradientReport[] {
  const h = options.h ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const withGrads = differentiate(graph, of, wrt, options.rules ?? OPS);
  const symbolic = interpret(withGrads, bindings, batch).outputs;
  const f = (name: string, values: Float64Array) =>
    interpret(graph, { ...bindings, [name]: values }, batch).outputs[of][0];
  return wrt.map((name) => {
    const base = Float64Array.from(bindings[name]);
    const got = symbolic[GRAD_PREFIX + name];
    let maxAbsError = 0;
    let maxRelError = 0;
    let worstIndex = 0;
    let worstExcess = -Infinity;
    let expectedAtWorst = 0;
    let kinks = 0;
    const center = f(name, base);
    for (let i = 0; i < base.length; i++) {
      const plus = Float64Array.from(base);
      const minus = Float64Array.from(base);
      plus[i] += h;
      minus[i] -= h;
      const forward = (f(name, plus) - center) / h;
      const backward = (center - f(name, minus)) / h;
      const numeric = (forward + backward) / 2;
      let error = Math.abs(got[i] - numeric);
      // One-sided slopes of a smooth function differ by ~h·|f''|; far more means a kink.
      if (Math.abs(forward - backward) > 100 * (atol + rtol * Math.abs(numeric))) {
        kinks++;
        const low = Math.min(forward, backward) - atol;
        const high = Math.max(forward, backward) + atol;
        error = got[i] >= low && got[i] <= high
          ? 0
          : Math.min(Math.abs(got[i] - low), Math.abs(got[i] - high));
      }
      maxAbsError = Math.max(maxAbsError, error);
      maxRelError = Math.max(maxRelError, error / Math.max(Math.abs(numeric), 1e-12));
      const excess = error - (atol + rtol * Math.abs(numeric));
      if (excess > worstExcess || Number.isNaN(error)) {
        worstExcess = Number.isNaN(error) ? Infinity : excess;
        worstIndex = i;
        expectedAtWorst = numeric;
      }
    }
    return {
      name,
      maxAbsError,
      maxRelError,
      worstIndex,
      expected: expectedAtWorst,
      got: got[worstIndex],
      ok: worstExcess <= 0,
      kinks,
    };
  });
}
