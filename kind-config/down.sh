#!/usr/bin/env bash
# Deletes the kind cluster kind-config/up.sh created (context kind-rollout-lab), with everything in it:
# runs' namespaces, Chaos Mesh, Istio. The demo image stays in the local Docker (docker rmi rollout-lab/demo:0.1.0).
set -euo pipefail

CLUSTER_NAME="rollout-lab"

case "${1:-}" in
  "") ;;
  -h|--help) echo "usage: kind-config/down.sh   (deletes the kind cluster '$CLUSTER_NAME')"; exit 0 ;;
  *) echo "down.sh: unknown argument: $1 (usage: kind-config/down.sh)" >&2; exit 1 ;;
esac

command -v kind >/dev/null 2>&1 || { echo "down.sh: error: 'kind' not found (https://kind.sigs.k8s.io/)" >&2; exit 1; }

clusters="$(kind get clusters 2>/dev/null || true)"
if grep -qx "$CLUSTER_NAME" <<<"$clusters"; then
  kind delete cluster --name "$CLUSTER_NAME"
else
  echo "down.sh: no kind cluster '$CLUSTER_NAME'; nothing to delete" >&2
fi
