// Serve dist/ on 127.0.0.1 with correct types and a strict CSP. No other origin is contacted.
// Files are sent as build.mjs compressed them (brotli or gzip, by the client's Accept-Encoding),
// with an ETag: a reload that changed nothing costs a 304.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const root = resolve(process.env.KUBE4C_DIST ?? "dist");
const explicitPort = process.env.PORT !== undefined;
let port = Number(process.env.PORT ?? 8080);
const host = "127.0.0.1";
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".yaml": "text/yaml; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};
const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";

/** A file's variants (identity, br, gz) with their ETags, read once per modification. */
const cache = new Map();

async function variants(file) {
  const s = await stat(file);
  if (!s.isFile()) throw new Error("not a file");
  const key = `${s.size}:${s.mtimeMs}`;
  const hit = cache.get(file);
  if (hit && hit.key === key) return hit;
  const body = await readFile(file);
  const tag = createHash("sha256").update(body).digest("base64url").slice(0, 22);
  const v = { key, identity: { body, etag: `"${tag}"` } };
  for (const [enc, ext] of [["br", ".br"], ["gzip", ".gz"]]) {
    try {
      v[enc] = { body: await readFile(file + ext), etag: `"${tag}-${enc}"` };
    } catch {
      // Not precompressed (a file added by hand): sent as it is.
    }
  }
  cache.set(file, v);
  return v;
}

/** Whether the client accepts `enc` (and did not refuse it with q=0). */
function accepts(header, enc) {
  return header.split(",").some((part) => {
    const [name, ...params] = part.trim().split(";");
    return name.trim().toLowerCase() === enc && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

async function handle(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  } catch {
    // A malformed escape (`/%E0%A4%A`) is the client's mistake, not a reason to stop serving.
    res.writeHead(400, { "content-type": "text/plain" }).end("bad request\n");
    return;
  }
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  // Inside dist/ only: `dist-old/…` shares the prefix `dist` but is another folder.
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  let v;
  try {
    v = await variants(file);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  const headers = {
    "content-type": types[extname(file)] ?? "application/octet-stream",
    // The offline file holds its own, stricter policy (its one inline script, by hash).
    ...(file.endsWith(`${sep}kube4c-offline.html`) ? {} : { "content-security-policy": csp }),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    // Cross-origin isolated: the page may share memory with its worker, which lets a
    // keystroke's result be painted in the keystroke's own frame (src/checker.ts).
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cache-control": "no-cache",
    vary: "accept-encoding",
  };
  const ae = String(req.headers["accept-encoding"] ?? "");
  const enc = v.br && accepts(ae, "br") ? "br" : v.gzip && accepts(ae, "gzip") ? "gzip" : null;
  const chosen = enc ? v[enc] : v.identity;
  if (enc) headers["content-encoding"] = enc;
  headers.etag = chosen.etag;
  const inm = String(req.headers["if-none-match"] ?? "");
  if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === chosen.etag)) {
    res.writeHead(304, { etag: chosen.etag, vary: "accept-encoding", "cache-control": "no-cache" }).end();
    return;
  }
  headers["content-length"] = String(chosen.body.length);
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : chosen.body);
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
});
// Without an explicit PORT, a busy 8080 moves on to the next free port instead of failing.
server.on("error", (e) => {
  if (e.code === "EADDRINUSE" && !explicitPort && port < 8100) {
    port += 1;
    server.listen(port, host);
    return;
  }
  console.error(`kube4c: cannot serve on ${host}:${port}: ${e.message}`);
  process.exit(1);
});
server.on("listening", () => {
  const addr = server.address();
  console.log(`kube4c is served at http://${host}:${typeof addr === "object" && addr ? addr.port : port}/`);
});
server.listen(port, host);
