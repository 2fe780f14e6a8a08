// The local server: survives malformed requests, never serves outside dist/, compresses.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repo, serve } from "./harness.mjs";

let server;
const sibling = join(repo, "web", "dist-sibling-test");
before(async () => {
  mkdirSync(sibling, { recursive: true });
  writeFileSync(join(sibling, "secret.txt"), "not for the page\n");
  server = await serve();
});
after(() => {
  server?.close();
  rmSync(sibling, { recursive: true, force: true });
});

/** A raw GET (the path is sent as written, not normalised by a URL parser). */
function get(path, headers = {}) {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("a malformed path is a 400 and the server keeps serving", async () => {
  assert.equal((await get("/%E0%A4%A")).status, 400);
  assert.equal((await get("/")).status, 200);
});

test("files of sibling folders sharing the dist prefix are not served", async () => {
  // `%2F` survives URL parsing, so this decodes to `/../dist-sibling-test/secret.txt`: a
  // prefix test without the separator (`startsWith(".../dist")`) served it.
  assert.equal((await get("/..%2Fdist-sibling-test%2Fsecret.txt")).status, 403);
  for (const path of ["/../dist-sibling-test/secret.txt", "/%2e%2e/dist-sibling-test/secret.txt"]) {
    const r = await get(path);
    assert.notEqual(r.status, 200, path);
    assert.ok(!r.body.toString().includes("not for the page"), path);
  }
});

test("gzip when the client accepts it", async () => {
  const plain = await get("/kube4c_wasm_bg.wasm");
  const z = await get("/kube4c_wasm_bg.wasm", { "accept-encoding": "gzip, br" });
  assert.equal(z.headers["content-encoding"], "gzip");
  assert.ok(z.body.length < plain.body.length / 2, `${z.body.length} vs ${plain.body.length}`);
});
