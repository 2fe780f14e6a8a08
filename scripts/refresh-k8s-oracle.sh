#!/usr/bin/env bash
# Move the Kubernetes oracle (tests/k8s-oracle) to another Kubernetes release, then regenerate
# what Kubernetes reads for every case of tests/k8s-yaml:
#   ./scripts/refresh-k8s-oracle.sh v1.38.0
# Kubernetes vX.Y.Z publishes its libraries as v0.Y.Z. Nothing is absorbed silently: the
# regenerated readings show in `git diff tests/k8s-yaml`, and `./scripts/test.sh` fails until
# kube4c agrees with the new release on every case (and the differential test with it).
set -euo pipefail
cd "$(dirname "$0")/.."
release="${1:?usage: $0 vX.Y.Z (a Kubernetes release)}"
lib="v0.${release#v1.}"
(
  cd tests/k8s-oracle
  go get "k8s.io/apimachinery@$lib"
  go mod tidy
)
sed -i "s|^// release: .*|// release: $release|" tests/k8s-oracle/main.go
./scripts/k8s-yaml-table.sh
git --no-pager diff --stat -- tests/k8s-oracle tests/k8s-yaml || true
echo "refresh: oracle at Kubernetes $release (k8s.io/apimachinery $lib); now run ./scripts/test.sh"
