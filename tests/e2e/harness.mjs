// Shared by the browser tests: serve web/dist on a free loopback port and launch Debian's
// Chromium through playwright-core (no browser download: executablePath is the system one).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");
const require = createRequire(join(repo, "web", "package.json"));
const { chromium } = require("playwright-core");

export async function serve() {
  const child = spawn(process.execPath, [join(repo, "web", "serve.mjs")], {
    env: { ...process.env, PORT: "0", KUBE4C_DIST: process.env.KUBE4C_DIST ?? join(repo, "web", "dist") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, close: () => child.kill() };
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Extra switches for experiments (e.g. KUBE4C_CHROMIUM_ARGS=--disable-features=X).
      ...(process.env.KUBE4C_CHROMIUM_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
  });
}
