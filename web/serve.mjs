// Serve dist/ on 127.0.0.1 with correct types and a strict CSP. No other origin is contacted.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

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

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "content-security-policy": csp,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-cache",
    });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
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
