#!/usr/bin/env bash
# The main job: install what is missing, build the wasm and the page, serve it on 127.0.0.1.
# PORT=9000 ./scripts/serve.sh to use another port.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
./scripts/build-wasm.sh
(cd web && node build.mjs)
cd web && exec node serve.mjs
