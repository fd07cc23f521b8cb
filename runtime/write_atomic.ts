/**
 * Writing a file whole or not at all: the data go to a temporary file next to
 * the target, which is renamed over the target only once it is complete. A
 * failed write leaves the target as it was and removes the temporary file.
 *
 * @module
 */

import { FileError } from "../core/errors.ts";

/**
 * Writes `data` to `path` atomically: a reader of `path` sees the old file or
 * the new one, whole, never a mixture; when writing fails (the data, a
 * stream, breaks off, or the disk is full), `path` keeps its old content,
 * and the error is a `FileError` naming the path and the cause.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./write_atomic.ts";
 * const path = await Deno.makeTempFile();
 * await writeFileAtomic(path, Uint8Array.of(1, 2, 3));
 * assert.deepEqual(await Deno.readFile(path), Uint8Array.of(1, 2, 3));
 * await Deno.remove(path);
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string | ReadableStream<Uint8Array>,
): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(temporary, data);
    else await Deno.writeFile(temporary, data);
    await Deno.rename(temporary, path);
  } catch (e) {
    await Deno.remove(temporary).catch(() => {});
    throw new FileError("write", path, e);
  }
}
