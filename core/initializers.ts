/**
 * Checks an `Initializer` (from a model definition or a loaded artifact) and
 * says what is wrong with it, so a bad one is a typed error when the model is
 * built — not NaN weights later.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { type Initializer, NAMED_INITIALIZERS } from "./contract.ts";

function finite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Returns `init` if it is a valid initializer, else throws an `InputError`
 * naming the parameter (`where`) and the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInitializer } from "./initializers.ts";
 * assert.equal(checkInitializer("heNormal", "0.weight"), "heNormal");
 * assert.throws(() => checkInitializer({ kind: "normal", std: -1 }, "0.weight"), /std/);
 * ```
 */
export function checkInitializer(init: unknown, where: string): Initializer {
  const bad = (why: string): never => {
    throw new InputError(`Parameter "${where}": ${why}, got ${JSON.stringify(init)}`);
  };
  if (typeof init === "string") {
    if (!NAMED_INITIALIZERS.includes(init)) {
      throw new InputError(
        `Parameter "${where}": unknown initializer "${init}" (use ${
          NAMED_INITIALIZERS.join(", ")
        }, or { kind: "constant" | "uniform" | "normal" | "truncatedNormal", … })`,
      );
    }
    return init as Initializer;
  }
  if (typeof init !== "object" || init === null || !("kind" in init)) {
    return bad("an initializer is a name or an object with a kind");
  }
  const o = init as Record<string, unknown>;
  const optional = (key: string, fallback: number): number => {
    const v = o[key] ?? fallback;
    if (!finite(v)) bad(`${key} must be a finite number`);
    return v as number;
  };
  switch (o.kind) {
    case "constant":
      if (!finite(o.value)) bad("constant needs a finite value");
      break;
    case "uniform":
      if (!finite(o.a) || !finite(o.b) || !(o.a < o.b)) {
        bad("uniform needs finite bounds a < b");
      }
      break;
    case "normal":
      optional("mean", 0);
      if (!finite(o.std) || !(o.std > 0)) bad("normal needs a finite std > 0");
      break;
    case "truncatedNormal": {
      optional("mean", 0);
      const std = optional("std", 1);
      const a = optional("a", -2);
      const b = optional("b", 2);
      if (!(std > 0)) bad("truncatedNormal needs std > 0");
      if (!(a < b)) bad("truncatedNormal needs bounds a < b");
      break;
    }
    default:
      bad(`unknown initializer kind "${String(o.kind)}"`);
  }
  return init as Initializer;
}
