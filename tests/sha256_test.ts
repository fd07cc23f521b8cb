// core/sha256.ts (synchronous, for fingerprints and `serialize`) against
// WebCrypto's SHA-256 (what `load` verifies checksums with), on random inputs
// of every length around the padding boundaries, and on FIPS 180-4's vectors.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { sha256Hex } from "../core/sha256.ts";
import { SEED } from "./helpers.ts";

async function webCrypto(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("sha256Hex: FIPS 180-4 example vectors", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  assert.equal(
    sha256Hex(text("")),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    sha256Hex(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("sha256Hex equals WebCrypto's digest on random inputs (fast-check)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.integer({ min: 50, max: 130 }).map((n) => new Uint8Array(n).fill(0x61)),
        fc.uint8Array({ minLength: 1000, maxLength: 5000 }),
      ),
      async (bytes) => {
        assert.equal(sha256Hex(bytes), await webCrypto(bytes));
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});
