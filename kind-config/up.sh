#!/usr/bin/env bash
# Brings up the local kind cluster rollout-lab's Kubernetes platform runs on (context kind-rollout-lab):
# the cluster from cluster.yaml, the demo-service image built and loaded into it, Chaos Mesh, and on request
# Istio (--istio) and the Gateway API CRDs (--gateway-api). Safe to run again: what exists is kept or upgraded.
# Needs a Docker host (Linux with cgroup v2, or Docker Desktop). kind-config/down.sh deletes the cluster.
set -euo pipefail

# ---- pinned versions (change them here only) ---------------------------------------------------------------
KIND_VERSION="v0.32.0"   # the kind the node image below was built for (a warning if yours differs)
KIND_NODE_IMAGE="kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5"
CHAOS_MESH_VERSION="2.8.3"          # Helm chart chaos-mesh (= Chaos Mesh 2.8.3: client-go 0.35, nearer Kubernetes 1.36 than 2.7.3's 0.28; its CRDs are the ones control-plane.sh tests against)
CHAOS_MESH_CHART_REPO="https://charts.chaos-mesh.org"
ISTIO_VERSION="1.30.3"              # Helm charts base, istiod, gateway
ISTIO_CHART_REPO="https://istio-release.storage.googleapis.com/charts"
GATEWAY_API_VERSION="v1.5.1"        # standard channel CRDs (Istio 1.30 is built against v1.5.1)
GATEWAY_API_CRDS="https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml"

CLUSTER_NAME="rollout-lab"          # also `name:` in cluster.yaml
CONTEXT="kind-${CLUSTER_NAME}"
DEMO_IMAGE="rollout-lab/demo:0.1.0" # the Kubernetes platform's default image (imagePullPolicy IfNotPresent)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

usage() {
  cat <<EOF
usage: kind-config/up.sh [--istio] [--gateway-api] [--jib | --skip-build]

Creates the kind cluster '$CLUSTER_NAME' (context $CONTEXT; kept if it exists), builds the demo image
$DEMO_IMAGE and loads it into the cluster, installs Chaos Mesh $CHAOS_MESH_VERSION.

  --istio        also install Istio $ISTIO_VERSION (istiod; ingress gateway on NodePort 30081 = 127.0.0.1:30081)
  --gateway-api  also install the Gateway API $GATEWAY_API_VERSION standard CRDs; with --istio, Istio serves
                 Gateways of class 'istio' on NodePort 30082 = 127.0.0.1:30082
  --jib          build the image with Jib (mvn -Pjib) instead of kind-config/Dockerfile
  --skip-build   do not build; load the $DEMO_IMAGE already in the local Docker
  -h, --help     this text
EOF
}

log() { printf 'up.sh: %s\n' "$*" >&2; }
die() { printf 'up.sh: error: %s\n' "$*" >&2; exit 1; }

with_istio=false
with_gateway_api=false
build=dockerfile
while [ $# -gt 0 ]; do
  case "$1" in
    --istio) with_istio=true ;;
    --gateway-api) with_gateway_api=true ;;
    --jib) build=jib ;;
    --skip-build) build=none ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

# ---- tools ----------------------------------------------------------------------------------------------------
need() { # command, what it is for, where to get it
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found: it is needed $2. Install it: $3"
}
need docker "to run the kind nodes and build the image" "https://docs.docker.com/engine/install/"
need kind "to create the cluster" "https://kind.sigs.k8s.io/docs/user/quick-start/#installation (pinned: $KIND_VERSION)"
need kubectl "to talk to the cluster" "https://kubernetes.io/docs/tasks/tools/"
need helm "to install Chaos Mesh (and Istio)" "https://helm.sh/docs/intro/install/"
if [ "$build" != none ]; then
  need java "to build the rollout-lab jar (Java 17+)" "https://adoptium.net/"
  need mvn "to build the rollout-lab jar (Maven 3.8+)" "https://maven.apache.org/install.html"
fi
docker info >/dev/null 2>&1 || die "docker is installed but its daemon does not answer (is Docker running? can this user use it?)"

kind_version="$(kind version 2>/dev/null | awk '{print $2}')"
if [ "$kind_version" != "$KIND_VERSION" ]; then
  log "warning: kind is ${kind_version:-unknown}, pinned $KIND_VERSION; the node image is the one built for $KIND_VERSION"
fi
if [ "$with_gateway_api" = true ] && [ "$with_istio" = false ]; then
  log "note: --gateway-api without --istio installs the CRDs only; nothing serves a Gateway until an implementation does (add --istio)"
fi

# ---- cluster --------------------------------------------------------------------------------------------------
clusters="$(kind get clusters 2>/dev/null || true)"
if grep -qx "$CLUSTER_NAME" <<<"$clusters"; then
  log "cluster '$CLUSTER_NAME' exists; keeping it (kind-config/down.sh deletes it)"
  kind export kubeconfig --name "$CLUSTER_NAME" >/dev/null
else
  log "creating cluster '$CLUSTER_NAME' (1 control plane + 3 workers in zone-a/b/c, node image $KIND_NODE_IMAGE)"
  kind create cluster --config "$here/cluster.yaml" --image "$KIND_NODE_IMAGE" --wait 180s
fi
kubectl --context "$CONTEXT" wait --for=condition=Ready nodes --all --timeout=180s >/dev/null

# ---- demo image -----------------------------------------------------------------------------------------------
case "$build" in
  dockerfile)
    log "building simulator/target/rollout-lab.jar (mvn -pl simulator -am package)"
    (cd "$root" && mvn -B -q -pl simulator -am -DskipTests package)
    log "building $DEMO_IMAGE from kind-config/Dockerfile"
    DOCKER_BUILDKIT=1 docker build -f "$here/Dockerfile" -t "$DEMO_IMAGE" "$root"
    ;;
  jib)
    case "$(docker info --format '{{.Architecture}}')" in
      aarch64|arm64) arch=arm64 ;;
      *) arch=amd64 ;;
    esac
    log "building $DEMO_IMAGE with Jib for linux/$arch (mvn -Pjib -pl simulator -am package)"
    (cd "$root" && mvn -B -q -Pjib -pl simulator -am -DskipTests package -Djib.from.platforms="linux/$arch")
    ;;
  none)
    docker image inspect "$DEMO_IMAGE" >/dev/null 2>&1 || die "--skip-build: no image $DEMO_IMAGE in the local Docker"
    ;;
esac
log "loading $DEMO_IMAGE into the cluster's nodes"
if ! kind load docker-image "$DEMO_IMAGE" --name "$CLUSTER_NAME"; then
  # Docker's containerd image store (the default on Docker Desktop and Docker 29+) can save an image with
  # manifests whose blobs it does not hold, and the nodes' import fails ("content digest ... not found",
  # kind issue #3795). The known workaround: save the one platform (docker >= 28) and load that archive.
  platform="$(docker image inspect --format '{{.Os}}/{{.Architecture}}' "$DEMO_IMAGE")"
  log "kind load docker-image failed; retrying with a single-platform ($platform) archive"
  archive="$(mktemp "${TMPDIR:-/tmp}/rollout-lab-demo-image.XXXXXX")"
  trap 'rm -f "$archive"' EXIT
  docker image save --platform "$platform" -o "$archive" "$DEMO_IMAGE"
  kind load image-archive "$archive" --name "$CLUSTER_NAME"
fi

# ---- Gateway API CRDs (before Istio, so istiod finds them at start) --------------------------------------------
if [ "$with_gateway_api" = true ]; then
  log "applying Gateway API $GATEWAY_API_VERSION standard CRDs"
  kubectl --context "$CONTEXT" apply --server-side -f "$GATEWAY_API_CRDS" >/dev/null
  kubectl --context "$CONTEXT" wait --for=condition=Established --timeout=60s \
    crd/gatewayclasses.gateway.networking.k8s.io crd/gateways.gateway.networking.k8s.io \
    crd/httproutes.gateway.networking.k8s.io >/dev/null
fi

# ---- Chaos Mesh -----------------------------------------------------------------------------------------------
log "installing Chaos Mesh $CHAOS_MESH_VERSION into namespace chaos-mesh (containerd runtime) and waiting for it"
helm upgrade --install chaos-mesh chaos-mesh --repo "$CHAOS_MESH_CHART_REPO" --version "$CHAOS_MESH_VERSION" \
  --kube-context "$CONTEXT" --namespace chaos-mesh --create-namespace \
  -f "$here/values/chaos-mesh.yaml" --wait --timeout 10m >/dev/null
kubectl --context "$CONTEXT" -n chaos-mesh rollout status deployment/chaos-controller-manager --timeout=300s >/dev/null
kubectl --context "$CONTEXT" -n chaos-mesh rollout status daemonset/chaos-daemon --timeout=300s >/dev/null
kubectl --context "$CONTEXT" wait --for=condition=Established --timeout=60s \
  crd/podchaos.chaos-mesh.org crd/networkchaos.chaos-mesh.org \
  crd/httpchaos.chaos-mesh.org crd/stresschaos.chaos-mesh.org >/dev/null

# ---- Istio ----------------------------------------------------------------------------------------------------
if [ "$with_istio" = true ]; then
  log "installing Istio $ISTIO_VERSION (base, istiod) into istio-system"
  helm upgrade --install istio-base base --repo "$ISTIO_CHART_REPO" --version "$ISTIO_VERSION" \
    --kube-context "$CONTEXT" --namespace istio-system --create-namespace --wait --timeout 5m >/dev/null
  helm upgrade --install istiod istiod --repo "$ISTIO_CHART_REPO" --version "$ISTIO_VERSION" \
    --kube-context "$CONTEXT" --namespace istio-system \
    -f "$here/values/istiod.yaml" --wait --timeout 10m >/dev/null
  log "installing Istio's ingress gateway into istio-ingress (NodePort 30081)"
  helm upgrade --install istio-ingressgateway gateway --repo "$ISTIO_CHART_REPO" --version "$ISTIO_VERSION" \
    --kube-context "$CONTEXT" --namespace istio-ingress --create-namespace \
    -f "$here/values/istio-ingressgateway.yaml" --wait --timeout 10m >/dev/null
  log "creating the Istio Gateway rollout-lab/rollout-lab that VirtualServices of runs bind to"
  kubectl --context "$CONTEXT" apply -f "$here/gateways/istio.yaml" >/dev/null
  if [ "$with_gateway_api" = true ]; then
    log "creating the Gateway API Gateway rollout-lab/rollout-lab (class istio) that HTTPRoutes of runs attach to"
    kubectl --context "$CONTEXT" apply -f "$here/gateways/gateway-api.yaml" >/dev/null
  fi
fi

# ---- summary --------------------------------------------------------------------------------------------------
nodes="$(kubectl --context "$CONTEXT" get nodes --no-headers -o name)"
line() { printf '  %-22s %s\n' "$1" "$2" >&2; }
printf '\nup.sh: ready. Context %s (%s nodes), image %s loaded.\n' "$CONTEXT" "$(grep -c . <<<"$nodes")" "$DEMO_IMAGE" >&2
line "Chaos Mesh $CHAOS_MESH_VERSION" "namespace chaos-mesh"
if [ "$with_istio" = true ]; then
  line "Istio $ISTIO_VERSION" "istio-system; ingress gateway (pods istio: ingressgateway) at http://127.0.0.1:30081/"
  line "" "runs routed by Istio create their namespace labelled istio-injection=enabled"
fi
if [ "$with_gateway_api" = true ]; then
  if [ "$with_istio" = true ]; then
    line "Gateway API $GATEWAY_API_VERSION" "a Gateway of class istio, listener on port 80, at http://127.0.0.1:30082/"
  else
    line "Gateway API $GATEWAY_API_VERSION" "CRDs only (no implementation installed)"
  fi
fi
line "a run's Service" "NodePort 30080 = http://127.0.0.1:30080/"
cat >&2 <<EOF

Try:  ./rollout-lab run scenarios/kubernetes/rolling.yaml
Gone: kind-config/down.sh
EOF
