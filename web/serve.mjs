// Serve dist/ on 127.0.0.1 with correct types and a strict CSP. No other origin is contacted.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

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
};
const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Gzipped bodies, computed once per file and modification. */
const gzipped = new Map();

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
  let body;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  const headers = {
    "content-type": types[extname(file)] ?? "application/octet-stream",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
    vary: "accept-encoding",
  };
  if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
    let z = gzipped.get(file);
    if (!z || z.size !== body.length || !z.source.equals(body)) {
      z = { size: body.length, source: body, data: gzipSync(body, { level: 9 }) };
      gzipped.set(file, z);
    }
    headers["content-encoding"] = "gzip";
    body = z.data;
  }
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
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
