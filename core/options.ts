/**
 * Strict checking of option objects at run time: an unknown option name is
 * an error that names it and suggests the closest known one (`batchsize` →
 * `batchSize`), so a misspelt option never passes silently in untyped code.
 *
 * @module
 */

import type { MlpcError } from "./errors.ts";

/** The edit distance of two strings (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitute));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name closest to `name`: the same name in another case, or one
 * within two edits (ties: the first in `known`). Undefined when none is close.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closestName } from "./options.ts";
 * assert.equal(closestName("batchsize", ["epochs", "batchSize"]), "batchSize");
 * assert.equal(closestName("epoch", ["epochs", "batchSize"]), "epochs");
 * assert.equal(closestName("colour", ["epochs"]), undefined);
 * ```
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Rejects an options value that is not a plain object, or that has a key not
 * in `known`, with an error of class `ErrorClass` naming the key, the closest
 * known name and the list of known names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError } from "./errors.ts";
 * import { checkOptionNames } from "./options.ts";
 * assert.throws(
 *   () => checkOptionNames("fit", { batchsize: 32 }, ["epochs", "batchSize"], InputError),
 *   /Unknown fit option "batchsize": did you mean "batchSize"\?/,
 * );
 * ```
 */
export function checkOptionNames(
  what: string,
  options: unknown,
  known: readonly string[],
  ErrorClass: new (message: string) => MlpcError,
): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ErrorClass(
      `The ${what} options must be an object, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = closestName(key, known);
    throw new ErrorClass(
      `Unknown ${what} option "${key}"${close === undefined ? "" : `: did you mean "${close}"?`}` +
        ` The ${what} options are ${known.join(", ")}`,
    );
  }
}

/**
 * A value as a message shows it: strings quoted and called strings, arrays
 * and objects by kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeValue } from "./options.ts";
 * assert.equal(describeValue("10"), 'the string "10"');
 * assert.equal(describeValue(2.5), "2.5");
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string "${value}"`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return `an object`;
  if (typeof value === "function") return "a function";
  return String(value);
}

/**
 * Checks a numeric option: a number (not a numeric string), optionally an
 * integer, within [min, max]. Returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError } from "./errors.ts";
 * import { checkNumber } from "./options.ts";
 * assert.equal(checkNumber("fit", "epochs", 3, { integer: true, min: 0 }, InputError), 3);
 * assert.throws(
 *   () => checkNumber("fit", "epochs", "3", { integer: true, min: 0 }, InputError),
 *   /fit option epochs must be an integer ≥ 0, got the string "3"/,
 * );
 * ```
 */
export function checkNumber(
  what: string,
  name: string,
  value: unknown,
  rule: { integer?: boolean; min?: number; max?: number; minOpen?: boolean },
  ErrorClass: new (message: string) => MlpcError,
): number {
  const ok = typeof value === "number" && Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.minOpen ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const kind = rule.integer ? "an integer" : "a number";
    const bounds = [
      rule.min === undefined ? "" : `${rule.minOpen ? ">" : "≥"} ${rule.min}`,
      rule.max === undefined ? "" : `≤ ${rule.max}`,
    ].filter((s) => s !== "").join(" and ");
    throw new ErrorClass(
      `${what} option ${name} must be ${kind}${bounds === "" ? "" : ` ${bounds}`}, got ${
        describeValue(value)
      }`,
    );
  }
  return value as number;
}
