#!/usr/bin/env bash
# Build the wasm face into web/pkg: cargo (profile `wasm`), wasm-bindgen --target web,
# wasm-opt from the npm package binaryen (Debian's binaryen corrupts current wasm-bindgen output).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p kube4c-wasm --target wasm32-unknown-unknown --profile wasm --quiet
rm -rf web/pkg
wasm-bindgen --target web --out-dir web/pkg target/wasm32-unknown-unknown/wasm/kube4c_wasm.wasm
web/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  web/pkg/kube4c_wasm_bg.wasm -o web/pkg/kube4c_wasm_bg.wasm
raw=$(stat -c %s web/pkg/kube4c_wasm_bg.wasm)
gz=$(gzip -9 -c web/pkg/kube4c_wasm_bg.wasm | wc -c)
echo "wasm: web/pkg/kube4c_wasm_bg.wasm $raw bytes raw, $gz bytes gzipped"
