#!/usr/bin/env bash
# Every figure of BENCHMARKS.md in one run (so ratios compare like with like):
#   ./scripts/bench.sh [CORPUS_DIR]        default ../shared/corpus/real
# Needs: hyperfine (apt), Chromium (scripts/setup.sh --test), and for the comparison Checkov in
# a virtualenv at $CHECKOV (default /opt/checkov-venv/bin/checkov; `python3 -m venv
# /opt/checkov-venv && /opt/checkov-venv/bin/pip install checkov`), run offline.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="$(realpath "${1:-../shared/corpus/real}")"
checkov="${CHECKOV:-/opt/checkov-venv/bin/checkov}"
export PATH="$HOME/.cargo/bin:$PATH"
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "rustc $(rustc --version | cut -d' ' -f2), $(chromium --version 2>/dev/null || true)"
echo "corpus: $(ls "$corpus"/*.yaml | wc -l) files, $(cat "$corpus"/*.yaml | wc -c) bytes"

echo; echo "== criterion: parse only vs full check over the corpus, and documents scaling"
KUBE4C_CORPUS="$corpus" cargo bench -q -p kube4c-core --bench corpus -- --noplot 2>/dev/null \
  | grep -E "^(corpus|file|documents)/|time:|thrpt:" || true

echo; echo "== CLI on the whole corpus (hyperfine, JSON output to /dev/null)"
cargo build --release -q -p kube4c-cli
hyperfine -N -w 2 -r 15 --export-json /tmp/kube4c-hf.json \
  "./target/release/kube4c check --format json --fail-on never $corpus" 2>&1 | grep -E "Time|Range"
./target/release/kube4c check --timings --format json --fail-on never "$corpus" 2>&1 >/dev/null | head -4

echo; echo "== peak heap memory of a full check, per corpus file"
cargo run --release -q -p kube4c-core --example peak_memory -- "$corpus"/*.yaml

echo; echo "== sizes"
./scripts/build-wasm.sh
(cd web && node build.mjs | tail -1)

echo; echo "== browser (the real page and worker, headless Chromium)"
(cd web && node ../tests/bench/browser-bench.mjs "$corpus")

if [ -x "$checkov" ]; then
  echo; echo "== Checkov $("$checkov" --version) on the same files, offline (3 runs)"
  export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
  hyperfine -i -N -w 0 -r 3 --export-json /tmp/checkov-hf.json \
    "$checkov -d $corpus --framework kubernetes --quiet --compact -o json --skip-download" 2>&1 | grep -E "Time|Range" || true
  python3 - <<'PY'
import json
k = json.load(open("/tmp/kube4c-hf.json"))["results"][0]["median"]
c = json.load(open("/tmp/checkov-hf.json"))["results"][0]["median"]
print(f"median: kube4c {k*1000:.0f} ms, Checkov {c*1000:.0f} ms: kube4c is {c/k:.0f}x faster")
PY
fi
