/**
 * Appends a custom section to a finished WebAssembly binary: id 0, the
 * section's size, then its name and payload (WebAssembly core spec §5.5.3).
 * Engines ignore custom sections; `WebAssembly.Module.customSections` reads
 * them back.
 *
 * @module
 */

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/**
 * `binary` with the custom section `name` holding `payload` at its end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withCustomSection } from "./custom_section.ts";
 * const empty = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0);
 * const binary = withCustomSection(empty, "note", new TextEncoder().encode("hi"));
 * const [section] = WebAssembly.Module.customSections(new WebAssembly.Module(binary), "note");
 * assert.equal(new TextDecoder().decode(section), "hi");
 * ```
 */
export function withCustomSection(
  binary: Uint8Array,
  name: string,
  payload: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb128(nameBytes.length), ...nameBytes];
  const size = leb128(body.length + payload.length);
  const out = new Uint8Array(binary.length + 1 + size.length + body.length + payload.length);
  let at = 0;
  out.set(binary, at);
  at += binary.length;
  out[at++] = 0;
  out.set(size, at);
  at += size.length;
  out.set(body, at);
  at += body.length;
  out.set(payload, at);
  return out;
}
