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

test("precompressed files: brotli, else gzip, else identity, each the same bytes", async () => {
  const { brotliDecompressSync, gunzipSync } = await import("node:zlib");
  const plain = await get("/kube4c_wasm_bg.wasm");
  assert.equal(plain.headers["content-encoding"], undefined);
  const br = await get("/kube4c_wasm_bg.wasm", { "accept-encoding": "gzip, deflate, br" });
  assert.equal(br.headers["content-encoding"], "br");
  assert.ok(br.body.length < plain.body.length / 2, `${br.body.length} vs ${plain.body.length}`);
  assert.ok(brotliDecompressSync(br.body).equals(plain.body));
  const gz = await get("/kube4c_wasm_bg.wasm", { "accept-encoding": "gzip, br;q=0" });
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.ok(gunzipSync(gz.body).equals(plain.body));
  assert.equal(br.headers.vary, "accept-encoding");
});

test("ETags: an unchanged file is a 304, one per encoding", async () => {
  const first = await get("/main.js", { "accept-encoding": "br" });
  assert.equal(first.status, 200);
  assert.match(first.headers.etag, /^"[\w-]+-br"$/);
  const again = await get("/main.js", { "accept-encoding": "br", "if-none-match": first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // The identity body's tag does not validate the brotli one.
  const plain = await get("/main.js");
  assert.notEqual(plain.headers.etag, first.headers.etag);
  assert.equal((await get("/main.js", { "if-none-match": first.headers.etag })).status, 200);
});

test("the strict CSP is sent with every page: no unsafe-inline script, wasm-unsafe-eval only", async () => {
  const check = (csp, path) => {
    const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
    assert.ok(script, `${path}: ${csp}`);
    assert.ok(!script.includes("unsafe-inline"), `${path}: ${script}`);
    assert.ok(!script.replace(/'wasm-unsafe-eval'/g, "").includes("unsafe-eval"), `${path}: ${script}`);
  };
  for (const path of ["/", "/embed.html"]) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    check(r.headers["content-security-policy"], path);
    assert.match(r.headers["content-security-policy"], /script-src 'self' 'wasm-unsafe-eval';/);
    // Cross-origin isolated, so the page may share memory with its worker (src/checker.ts).
    assert.equal(r.headers["cross-origin-opener-policy"], "same-origin", path);
    assert.equal(r.headers["cross-origin-embedder-policy"], "require-corp", path);
  }
  // The offline file carries its own policy (its one script allowed by hash), also when served.
  const off = await get("/kube4c-offline.html");
  const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(off.body.toString())?.[1] ?? "";
  check(meta, "offline");
  assert.match(meta, /script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval';/);
  assert.match(meta, /connect-src 'none'/);
  assert.equal(off.headers["content-security-policy"], undefined);
});
