#!/usr/bin/env bash
# Every test: formatting and lints, native tests (model, rules, Kubernetes agreement table),
# the wasm face in Node and in headless Chromium, the page's type check and build, and the
# end-to-end browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
step() { echo; echo "==> $*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy (native and wasm32), warnings are errors"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p kube4c-wasm --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "Kubernetes' own YAML reading (Go, sigs.k8s.io/yaml) regenerated: must match the committed table"
./scripts/k8s-yaml-table.sh
# The recorded readings must not change (TABLE.md's header names package versions: not compared).
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- tests/k8s-yaml/cases; then
  git --no-pager diff --stat -- tests/k8s-yaml/cases
  echo "tests/k8s-yaml changed when regenerated: commit the regenerated files" >&2
  exit 1
fi

step "docs/RULES.md is generated from the rules: must be up to date"
cargo run --quiet -p kube4c-cli -- rules --format markdown > docs/RULES.md
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- docs/RULES.md; then
  echo "docs/RULES.md was stale: commit the regenerated file" >&2
  exit 1
fi

step "cargo test (native)"
cargo test --workspace --quiet

step "wasm-bindgen-test in Node"
cargo test -p kube4c-wasm --target wasm32-unknown-unknown
step "wasm-bindgen-test in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test -p kube4c-wasm --target wasm32-unknown-unknown

step "page: build wasm, type-check, bundle"
./scripts/build-wasm.sh
(cd web && npx tsc --noEmit -p tsconfig.json && node build.mjs)
step "npm package: assemble, run its Node example, list what would be published"
./scripts/build-npm.sh

step "end-to-end in headless Chromium (playwright-core)"
(cd web && node --test ../tests/e2e/)
echo
echo "all tests passed"
