// The interchange writers and readers and the file system: `exportInference`
// creates the folder it is given (the README's `exportInference(trainer,
// "site/")`), and a file that cannot be written or read is a `FileError`
// naming the path and the cause, as `save` and `load` do — never the file
// system's raw error.
import assert from "node:assert/strict";
import { compile, dense, FileError, mse } from "../mod.ts";
import { exportInference, loadSafetensors, saveOnnx, saveSafetensors } from "../interchange/mod.ts";

const trainer = () => compile(dense(3, 2), { loss: mse, batchSize: 4, seed: 1 });

Deno.test("exportInference creates a missing folder, and a trailing slash gives no double slash", async () => {
  const root = await Deno.makeTempDir();
  try {
    const t = await trainer();
    const written = await exportInference(t, `${root}/site/nested/`);
    assert.equal(written.wasmPath, `${root}/site/nested/model.wasm`);
    assert.equal(written.modulePath, `${root}/site/nested/model.js`);
    assert.equal((await Deno.stat(written.wasmPath)).size, written.wasmBytes);
    const { predict } = await import(`file://${written.modulePath}`);
    assert.deepEqual(predict([[1, 2, 3]]), t.predict([[1, 2, 3]]));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writing where no file can be is a FileError naming the path, for every writer", async () => {
  const root = await Deno.makeTempDir();
  try {
    const t = await trainer();
    const aFile = `${root}/a_file`;
    await Deno.writeTextFile(aFile, "not a folder");
    const writers: [string, () => Promise<unknown>][] = [
      [`${aFile}/model.onnx`, () => saveOnnx(t, `${aFile}/model.onnx`)],
      [`${aFile}/w.safetensors`, () => saveSafetensors(t, `${aFile}/w.safetensors`)],
      [`${aFile}/site`, () => exportInference(t, `${aFile}/site`)],
    ];
    for (const [path, write] of writers) {
      await assert.rejects(write, (e: unknown) => {
        assert.ok(e instanceof FileError, `${path}: ${e}`);
        assert.equal(e.operation, "write");
        assert.ok(e.path.startsWith(path), `${e.path} starts with ${path}`);
        assert.match(e.message, /Cannot write/);
        return true;
      });
    }
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["a_file"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loading a safetensors file that is not there is a FileError naming the path", async () => {
  const root = await Deno.makeTempDir();
  try {
    const t = await trainer();
    const path = `${root}/missing.safetensors`;
    await assert.rejects(() => loadSafetensors(t, path), (e: unknown) => {
      assert.ok(e instanceof FileError, String(e));
      assert.equal(e.operation, "read");
      assert.equal(e.path, path);
      assert.match(e.message, /NotFound/);
      return true;
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
