#!/usr/bin/env bash
# Install what kube4c needs, only what is missing (idempotent). `--test` adds what the test
# suite needs: Debian's chromium + chromium-driver (browser tests) and Go (tests/k8s-oracle
# builds Kubernetes' own reading code from Go modules; go.mod names the Go version, which the
# go command fetches from the module proxy when the installed one is older).
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { echo "setup: $*"; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else echo "setup: need root for: $*" >&2; exit 2; fi; }

apt_pkgs=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || apt_pkgs+=("$1"); }
command -v node >/dev/null && command -v npm >/dev/null || { need_pkg nodejs; need_pkg npm; }
command -v cc >/dev/null || need_pkg gcc
command -v curl >/dev/null || need_pkg curl
if [ $want_test = 1 ]; then
  for p in chromium chromium-driver; do need_pkg "$p"; done
  command -v go >/dev/null || need_pkg golang-go
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  say "apt-get install ${apt_pkgs[*]}"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  [ -x "$HOME/.cargo/bin/cargo" ] || { echo "setup: Rust (rustup) is required: https://rustup.rs" >&2; exit 2; }
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done

# wasm-bindgen-cli must equal the `=X` pin of the wasm-bindgen crate.
pin=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' crates/kube4c-wasm/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$pin" ]; then
  say "cargo install wasm-bindgen-cli --version $pin (have: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$pin" --quiet
fi

# Front-end packages, reinstalled only when the lock file changed.
lock_sum=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ "$(cat web/node_modules/.kube4c-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "npm ci (web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > web/node_modules/.kube4c-lock
fi
say "ready"
