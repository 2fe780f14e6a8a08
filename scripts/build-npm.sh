#!/usr/bin/env bash
# Assemble the npm package in npm/ from the wasm build (web/pkg, built by build-wasm.sh when
# missing) and check it: the Node example runs on the insecure example, and `npm pack
# --dry-run` lists what would be published.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f web/pkg/kube4c_wasm_bg.wasm ] || ./scripts/build-wasm.sh
cp web/pkg/kube4c_wasm.js web/pkg/kube4c_wasm.d.ts web/pkg/kube4c_wasm_bg.wasm web/pkg/kube4c_wasm_bg.wasm.d.ts npm/
cp LICENSE npm/LICENSE
# The <kube4c-check> element: its script, the worker it starts and the wasm, side by side.
[ -f web/dist/kube4c-embed.js ] || (cd web && node build.mjs >/dev/null)
rm -rf npm/embed && mkdir -p npm/embed
cp web/dist/kube4c-embed.js web/dist/worker.js web/dist/kube4c_wasm_bg.wasm npm/embed/
set +e
node npm/example/check-file.mjs examples/task-api-insecure.yaml > /tmp/kube4c-npm-example.txt
code=$?
set -e
tail -1 /tmp/kube4c-npm-example.txt
if [ "$code" -ne 1 ]; then echo "npm example: expected exit 1 on the insecure example, got $code" >&2; exit 1; fi
node npm/example/check-file.mjs examples/task-api-hardened.yaml | tail -1
(cd npm && npm pack --dry-run 2>&1 | grep -E "name:|total files|package size|embed/")
# The element's files are in the package, and the example page's one script tag is all it needs.
(cd npm && npm pack --dry-run 2>&1 | grep -q "embed/kube4c-embed.js") || { echo "npm: embed/kube4c-embed.js missing" >&2; exit 1; }
