#!/usr/bin/env bash
# Fuzz the document model and the full check with cargo-fuzz (libFuzzer).
#   ./scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 600; document check differential)
# `differential` compares every input with Kubernetes' own reading (tests/k8s-oracle, built
# here); a difference is kept as a crash like a panic is.
# Seeds: every document of ../shared/corpus/real (when present), the PSS fixtures, the
# Kubernetes agreement cases, the examples and the regression inputs. Crashers land in
# fuzz/artifacts/<target>/; copy each into tests/fuzz-regressions/ (the test suite replays them).
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the one stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --quiet
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(document check differential)
mkdir -p target/k8s-oracle
(cd tests/k8s-oracle && go build -o ../../target/k8s-oracle/k8s-oracle .)
export KUBE4C_ORACLE="$PWD/target/k8s-oracle/k8s-oracle"
for t in "${targets[@]}"; do
  seeds="fuzz/corpus/$t"
  mkdir -p "$seeds"
  cp tests/conformance/pss/*/*/*.yaml tests/k8s-yaml/cases/*.yaml tests/k8s-yaml/cases/*.json examples/*.yaml "$seeds"/ 2>/dev/null || true
  # The rules' fixtures (their «» span marks are just more text to the fuzzer).
  for f in crates/kube4c-core/tests/rules/*/*/*.yaml; do cp "$f" "$seeds/rule-$(echo "$f" | cut -d/ -f5- | tr / -)"; done
  cp tests/fuzz-regressions/* "$seeds"/ 2>/dev/null || true
  if [ -d ../shared/corpus/real ]; then
    python3 - "$seeds" ../shared/corpus/real/*.yaml <<'PY'
import sys, hashlib, re
out = sys.argv[1]
for path in sys.argv[2:]:
    for doc in re.split(r"(?m)^---\s*$", open(path, encoding="utf-8").read()):
        if 0 < len(doc) <= 65536:
            open(f"{out}/{hashlib.sha1(doc.encode()).hexdigest()}", "w").write(doc)
PY
  fi
  echo "fuzz: $t for ${secs}s with $(ls "$seeds" | wc -l) inputs"
  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$t" "$seeds" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
