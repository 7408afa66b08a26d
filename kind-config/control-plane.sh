#!/usr/bin/env bash
# A real Kubernetes control plane on loopback, without containers: etcd, kube-apiserver and
# kube-controller-manager built from their Go modules (through the Go module proxy) into a cache folder outside
# the repository, started as local processes with generated certificates, and a kubeconfig whose context
# (kind-rollout-lab-local) rollout-lab's context guard allows. Upstream CRDs (Chaos Mesh, Istio, Gateway API)
# come from their Go modules too; nothing upstream is copied into the repository.
# See kind-config/CONTROL-PLANE.md.
set -euo pipefail

# ---- pinned versions (change them here only) ---------------------------------------------------------------
K8S_VERSION="v1.36.3"              # k8s.io/kubernetes: kube-apiserver, kube-controller-manager, kubectl
K8S_STAGING_VERSION="v0.36.3"      # its k8s.io/* staging modules, at the matching v0.Y.Z
ETCD_VERSION="v3.6.16"             # go.etcd.io/etcd/server/v3, whose root package is etcd's main; newest 3.6
                                   # patch served (Kubernetes 1.36.3 is built against the 3.6.8 client)
# Chaos Mesh 2.8.3, not 2.7.3: built against client-go 0.35 and containerd 1.7.32 (2.7.3: 0.28, 1.7.11), the
# nearer fit to Kubernetes 1.36. Its v2.x tags are not valid Go module versions (no /v2 path): the proxy refuses
# v2.8.3 and v2.7.3 and the pseudo-versions of their tag commits (403 "This module version is not available").
# The one version it serves is this master snapshot, whose manifests/crd.yaml is byte-identical to v2.8.3's:
# checked below by its sha256.
CHAOS_MESH_MODULE="github.com/chaos-mesh/chaos-mesh"
CHAOS_MESH_MODULE_VERSION="v0.9.1-0.20260902003049-47411975a8cb"
CHAOS_MESH_CRDS_SHA256="26a5b211c9e33380db651ca312b01321469b03d85ba7f3774e47501e32551a3a"  # = v2.8.3 manifests/crd.yaml
CHAOS_MESH_VERSION="2.8.3"
ISTIO_API_VERSION="v1.30.3"        # istio.io/api: kubernetes/customresourcedefinitions.gen.yaml (= up.sh's Istio)
GATEWAY_API_VERSION="v1.5.1"       # sigs.k8s.io/gateway-api: config/crd/standard/*.yaml

# ---- where things go ------------------------------------------------------------------------------------------
CACHE="${ROLLOUT_LAB_CACHE:-$HOME/.cache/rollout-lab}/control-plane"
BUILD="$CACHE/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"
BIN="$BUILD/bin"
CRDS="$CACHE/crds/chaos-mesh-${CHAOS_MESH_VERSION}_istio-${ISTIO_API_VERSION}_gateway-api-${GATEWAY_API_VERSION}"
STATE="$CACHE/state"

# ---- loopback ports (fixed, so the node agent and tests can find them; override when one is taken) ----------
ETCD_CLIENT_PORT="${ROLLOUT_LAB_CP_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${ROLLOUT_LAB_CP_ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${ROLLOUT_LAB_CP_APISERVER_PORT:-26443}"
KCM_PORT="${ROLLOUT_LAB_CP_KCM_PORT:-20257}"
SERVICE_CIDR="10.96.0.0/16"
SERVICE_API_IP="10.96.0.1"         # first address of SERVICE_CIDR: the 'kubernetes' Service
CLUSTER_NAME="rollout-lab-local"
CONTEXT="kind-${CLUSTER_NAME}"     # kind-* passes rollout-lab's context guard

log() { printf 'control-plane.sh: %s\n' "$*" >&2; }
die() { printf 'control-plane.sh: error: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found: it is needed $2"; }
now() { date +%s; }

# ---- build ----------------------------------------------------------------------------------------------------
go_env() { # the module proxy only, the local toolchain only, static binaries; no go.work from around the cache
  env GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" "$@"
}

# k8s.io/kubernetes replaces its k8s.io/* staging modules with ./staging paths; a dependency's replaces are
# ignored, so this wrapper module repeats them at the published v0.Y.Z versions.
write_k8s_wrapper() { # dir
  local dir="$1" mod="$1/go.mod" gomod replaces
  mkdir -p "$dir"
  gomod="$(go_env go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$gomod" ] || die "k8s.io/kubernetes@$K8S_VERSION: the module proxy did not give its go.mod"
  # sample-* are examples no binary here imports (and some are not published at every patch)
  replaces="$(awk '/^replace \(/{on=1; next} on && /^\)/{on=0} on && /=> \.\/staging/{print $1}' "$gomod" \
    | grep -v '^k8s.io/sample-' | sed "s|.*|\t& => & $K8S_STAGING_VERSION|")"
  [ -n "$replaces" ] || die "no staging replaces found in $gomod (has the module's layout changed?)"
  printf 'module rollout-lab.local/k8s-build\n\ngo 1.26\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n%s\n)\n' \
    "$K8S_VERSION" "$replaces" >"$mod"
}

write_etcd_wrapper() { # dir; etcd's own replaces (../api, ../client) are ignored in a dependency too
  mkdir -p "$1"
  printf 'module rollout-lab.local/etcd-build\n\ngo 1.26\n\nrequire go.etcd.io/etcd/server/v3 %s\n' \
    "$ETCD_VERSION" >"$1/go.mod"
}

k8s_ldflags() { # what hack/lib/version.sh stamps, so `version` and the API's /version tell the truth
  local minor="${K8S_VERSION#v1.}" date p f=""
  minor="${minor%%.*}"; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    f+=" -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  printf '%s' "-s -w$f"
}

module_zip_bytes() { # dir, packages...: bytes of the module zips the packages are built from
  local dir="$1"; shift
  local mods
  mods="$(cd "$dir" && go_env go list -deps -f '{{with .Module}}{{if not .Main}}{{with .Replace}}{{.Path}}@{{.Version}}{{else}}{{.Path}}@{{.Version}}{{end}}{{end}}{{end}}' "$@" | sort -u)"
  # shellcheck disable=SC2086 # one module@version a word
  (cd "$dir" && go_env go mod download -json $mods) | sed -n 's/^\t"Zip": "\(.*\)",$/\1/p' | xargs du -cb | tail -1 | cut -f1
}

build_binaries() {
  local t0 src tmp
  if [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kube-controller-manager" ] && [ -x "$BIN/kubectl" ] \
     && [ -x "$BIN/etcd" ]; then
    log "binaries already built: $BIN"
    return 0
  fi
  need go "to build the control plane from its Go modules (Go 1.26+)"
  mkdir -p "$BUILD"
  tmp="$BUILD/bin.partial"; rm -rf "$tmp"; mkdir -p "$tmp"

  src="$BUILD/src/kubernetes"
  write_k8s_wrapper "$src"
  log "building kube-apiserver, kube-controller-manager, kubectl $K8S_VERSION (nice -n 19; cold: about 8 minutes on 2 cores)"
  t0=$(now)
  (cd "$src" && go_env nice -n 19 go build -trimpath -ldflags "$(k8s_ldflags)" -o "$tmp/" \
     k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
  log "kubernetes binaries built in $(( $(now) - t0 )) s"

  src="$BUILD/src/etcd"
  write_etcd_wrapper "$src"
  log "building etcd $ETCD_VERSION (nice -n 19)"
  t0=$(now)
  (cd "$src" && go_env nice -n 19 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
  log "etcd built in $(( $(now) - t0 )) s"

  rm -rf "$BIN"; mv "$tmp" "$BIN"
  local k8s_zips etcd_zips  # for the record only: a failure here does not fail the build
  k8s_zips="$(module_zip_bytes "$BUILD/src/kubernetes" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl 2>/dev/null || true)"
  etcd_zips="$(module_zip_bytes "$BUILD/src/etcd" go.etcd.io/etcd/server/v3 2>/dev/null || true)"
  log "module zips used: kubernetes $(( ${k8s_zips:-0} / 1048576 )) MiB, etcd $(( ${etcd_zips:-0} / 1048576 )) MiB (they overlap)"
  log "binaries: $BIN ($(du -sh "$BIN" | cut -f1))"
}

module_dir() { # module@version -> its folder in the module cache; a refusal is printed and returns 1
  local out dir err
  out="$(go_env go mod download -json "$1" 2>&1 || true)"
  dir="$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$out")"
  if [ -z "$dir" ]; then
    err="$(sed -n 's/^\t"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$out")"
    log "refused: $1: ${err:-$out}"
    return 1
  fi
  printf '%s' "$dir"
}

fetch_crds() {
  local dir ok=true
  if [ -f "$CRDS/.complete" ]; then log "CRDs already fetched: $CRDS"; return 0; fi
  need go "to fetch the CRDs from their Go modules"
  rm -rf "$CRDS.partial"; mkdir -p "$CRDS.partial"
  if dir="$(module_dir "$CHAOS_MESH_MODULE@$CHAOS_MESH_MODULE_VERSION")"; then
    echo "$CHAOS_MESH_CRDS_SHA256  $dir/manifests/crd.yaml" | sha256sum -c --quiet - \
      || die "Chaos Mesh CRDs in $CHAOS_MESH_MODULE@$CHAOS_MESH_MODULE_VERSION are not v$CHAOS_MESH_VERSION's"
    cp "$dir/manifests/crd.yaml" "$CRDS.partial/chaos-mesh.yaml"
  else ok=false; fi
  if dir="$(module_dir "istio.io/api@$ISTIO_API_VERSION")"; then
    cp "$dir/kubernetes/customresourcedefinitions.gen.yaml" "$CRDS.partial/istio.yaml"
  else ok=false; fi
  if dir="$(module_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")"; then
    # the standard channel: its CRDs and the ValidatingAdmissionPolicy guarding upgrades (= standard-install.yaml)
    for f in "$dir"/config/crd/standard/*.yaml; do
      printf -- '---\n'; cat "$f"
    done >"$CRDS.partial/gateway-api.yaml"
  else ok=false; fi
  chmod -R u+w "$CRDS.partial"
  rm -rf "$CRDS"; mv "$CRDS.partial" "$CRDS"
  if [ "$ok" = true ]; then touch "$CRDS/.complete"; else log "some CRDs are missing (see above); 'build' tries again"; fi
  log "CRDs: $CRDS ($(ls "$CRDS" | tr '\n' ' '))"
}

cmd_build() {
  local t0; t0=$(now)
  build_binaries
  fetch_crds
  log "build done in $(( $(now) - t0 )) s"
}

# ---- certificates and kubeconfigs -----------------------------------------------------------------------------
PKI="$STATE/pki"

sign() { # name, subject, extensions[, CA name]: a key and a certificate signed by that CA (default: ca)
  local name="$1" subj="$2" ext="$3" ca="${4:-ca}"
  # RSA: Java clients (fabric8) read an RSA client key from a kubeconfig without extra configuration
  openssl req -new -newkey rsa:2048 -nodes -subj "$subj" \
    -keyout "$PKI/$name.key" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial -days 3650 \
    -extfile <(printf '%b' "$ext") -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr"
}

make_pki() { # kept across up/down; `down --purge` removes it with the rest of the state
  [ -f "$PKI/.complete" ] && [ "$(cat "$PKI/.complete")" = 2 ] && return 0  # 2: RSA leaves, front-proxy CA
  need openssl "to generate the control plane's certificates"
  rm -rf "$PKI"; mkdir -p "$PKI"; chmod 700 "$PKI"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=rollout-lab-local-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  local leaf='basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n'
  sign apiserver "/CN=kube-apiserver" "${leaf}extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,IP:$SERVICE_API_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # O=system:masters: the admin is a cluster-admin through the group, whatever RBAC holds
  sign admin "/O=system:masters/CN=rollout-lab-admin" "${leaf}extendedKeyUsage=clientAuth"
  # the user the default RBAC roles name for the controller manager (it then uses one SA per controller)
  sign controller-manager "/CN=system:kube-controller-manager" "${leaf}extendedKeyUsage=clientAuth"
  # front proxy (requestheader): the controller manager's delegated authentication reads this CA from the
  # extension-apiserver-authentication ConfigMap and logs errors every few seconds without it
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=rollout-lab-local-front-proxy-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$PKI/front-proxy-ca.key" -out "$PKI/front-proxy-ca.crt" 2>/dev/null
  sign front-proxy-client "/CN=front-proxy-client" "${leaf}extendedKeyUsage=clientAuth" front-proxy-ca
  # the service-account token signing pair (RSA: accepted by every token consumer)
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  chmod 600 "$PKI"/*.key
  echo 2 >"$PKI/.complete"
}

write_kubeconfig() { # file, user name, cert name, context name
  local b64="base64 -w0"
  cat >"$1" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: $CLUSTER_NAME
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $($b64 "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $($b64 "$PKI/$3.crt")
    client-key-data: $($b64 "$PKI/$3.key")
contexts:
- name: $4
  context:
    cluster: $CLUSTER_NAME
    user: $2
current-context: $4
KUBECONFIG
  chmod 600 "$1"
}

# ---- processes ------------------------------------------------------------------------------------------------
COMPONENTS=(etcd kube-apiserver kube-controller-manager)
pidfile() { printf '%s/pids/%s.pid' "$STATE" "$1"; }

running_pid() { # component -> its pid if the recorded process is alive and is our binary (not a reused pid)
  local f pid; f="$(pidfile "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$BIN/$1" ] || return 1
  printf '%s' "$pid"
}

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

start() { # component, port, args...: detached (own session), output to its log, pid recorded
  local name="$1" port="$2"; shift 2
  port_free "$port" || die "port $port (for $name) is in use by another program; set ROLLOUT_LAB_CP_*_PORT (see --help)"
  mkdir -p "$STATE/logs" "$STATE/pids"
  setsid "$BIN/$name" "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
  log "started $name (pid $!, port $port, log $STATE/logs/$name.log)"
}

wait_for() { # what, seconds, component whose death ends the wait, command...
  local what="$1" secs="$2" comp="$3"; shift 3
  local deadline=$(( $(now) + secs ))
  until "$@" >/dev/null 2>&1; do
    running_pid "$comp" >/dev/null || die "$comp exited while waiting for $what; see $STATE/logs/$comp.log:
$(tail -n 15 "$STATE/logs/$comp.log" 2>/dev/null)"
    [ "$(now)" -lt "$deadline" ] || die "timed out after ${secs}s waiting for $what; see $STATE/logs/$comp.log"
    sleep 0.5
  done
}

api_get() { # path: GET as the admin
  curl -fsS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT$1"
}
lease_holder() { # the controller manager's leader-election lease holder, empty if none
  api_get /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager 2>/dev/null \
    | grep -o '"holderIdentity": *"[^"]*"' | sed 's/.*: *"//; s/"$//' || true
}
new_lease_holder() { local h; h="$(lease_holder)"; [ -n "$h" ] && [ "$h" != "$1" ]; }
kc() { "$BIN/kubectl" --kubeconfig "$STATE/kubeconfig" --cache-dir "$STATE/kube-cache" "$@"; }

ETCD_ARGS=() APISERVER_ARGS=() KCM_ARGS=()
component_args() {
  ETCD_ARGS=(
    --name=rollout-lab-local --data-dir="$STATE/etcd"
    # plain HTTP on loopback only: nothing but the API server on this machine talks to it
    --listen-client-urls="http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_CLIENT_PORT"
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-cluster="rollout-lab-local=http://127.0.0.1:$ETCD_PEER_PORT"
  )
  APISERVER_ARGS=(
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT"
    --bind-address=127.0.0.1 --secure-port="$APISERVER_PORT" --advertise-address=127.0.0.1
    # Endpoints may not hold loopback addresses, so the 'kubernetes' Service gets none (no in-cluster clients here)
    --endpoint-reconciler-type=none
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key"
    --client-ca-file="$PKI/ca.crt"
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group
    --requestheader-extra-headers-prefix=X-Remote-Extra-
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key"
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key"
    --service-account-issuer=https://kubernetes.default.svc.cluster.local
    --service-cluster-ip-range="$SERVICE_CIDR"
    --authorization-mode=RBAC
    # the default admission plugins stay on (NamespaceLifecycle, ServiceAccount, PodSecurity, ResourceQuota,
    # the admission webhooks and policies, ...), as on a kind cluster
    --profiling=false
  )
  KCM_ARGS=(
    --kubeconfig="$STATE/controller-manager.kubeconfig"
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig"
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig"
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$STATE/kcm-serving"
    --leader-elect=true --cluster-name="$CLUSTER_NAME" --service-cluster-ip-range="$SERVICE_CIDR"
    --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key"
    --use-service-account-credentials=true
    # only what works without a cloud: workloads, endpoints, namespaces, GC, service accounts; node lifecycle
    # for the nodes the node agent will register (it must then post Node leases, or its pods get evicted)
    --controllers="$KCM_CONTROLLERS"
    --profiling=false
  )
}
KCM_CONTROLLERS="clusterrole-aggregation-controller,service-cidr-controller,validatingadmissionpolicy-status-controller,deployment-controller,replicaset-controller,endpoints-controller,endpointslice-controller,endpointslice-mirroring-controller,namespace-controller,garbage-collector-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,pod-garbage-collector-controller,resourcequota-controller,disruption-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,ttl-after-finished-controller,node-lifecycle-controller,taint-eviction-controller"

install_crds() {
  local f
  [ -d "$CRDS" ] || { log "no CRDs fetched (run 'build'); none installed"; return 0; }
  # they live in etcd: a restart on the same state has them already
  if [ "$(cat "$STATE/crds-installed" 2>/dev/null)" = "$CRDS" ]; then log "CRDs already installed ($(basename "$CRDS"))"; return 0; fi
  for f in "$CRDS"/*.yaml; do
    # server-side: the Chaos Mesh CRDs are too large for client-side apply's last-applied annotation
    kc apply --server-side --force-conflicts -f "$f" >/dev/null || die "installing $f failed"
  done
  kc wait --for=condition=Established --timeout=60s crd --all >/dev/null
  [ -f "$CRDS/.complete" ] && printf '%s\n' "$CRDS" >"$STATE/crds-installed"
  log "CRDs installed and established: $(kc get crd --no-headers 2>/dev/null | wc -l) ($(ls "$CRDS" | tr '\n' ' '))"
}

cmd_up() {
  local t0 c up=0 pid; t0=$(now)
  for c in "${COMPONENTS[@]}"; do running_pid "$c" >/dev/null && up=$((up + 1)); done
  if [ "$up" -eq "${#COMPONENTS[@]}" ] && api_get /readyz >/dev/null 2>&1; then
    log "already up (context $CONTEXT, kubeconfig $STATE/kubeconfig); 'down' stops it"
    return 0
  fi
  for c in "${COMPONENTS[@]}" kubectl; do
    [ -x "$BIN/$c" ] || die "$BIN/$c is missing: run 'kind-config/control-plane.sh build' first"
  done
  need curl "to wait for the API server"; need ss "to check the ports"
  mkdir -p "$STATE"
  make_pki
  write_kubeconfig "$STATE/kubeconfig" rollout-lab-admin admin "$CONTEXT"
  write_kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager controller-manager default
  component_args
  # every port first, so a taken one leaves nothing half started
  local busy=""
  running_pid etcd >/dev/null || { port_free "$ETCD_CLIENT_PORT" || busy+=" $ETCD_CLIENT_PORT(etcd, ROLLOUT_LAB_CP_ETCD_PORT)"
    port_free "$ETCD_PEER_PORT" || busy+=" $ETCD_PEER_PORT(etcd peer, ROLLOUT_LAB_CP_ETCD_PEER_PORT)"; }
  running_pid kube-apiserver >/dev/null || port_free "$APISERVER_PORT" \
    || busy+=" $APISERVER_PORT(kube-apiserver, ROLLOUT_LAB_CP_APISERVER_PORT)"
  running_pid kube-controller-manager >/dev/null || port_free "$KCM_PORT" \
    || busy+=" $KCM_PORT(kube-controller-manager, ROLLOUT_LAB_CP_KCM_PORT)"
  [ -z "$busy" ] || die "ports in use by other programs:$busy; set the variable named to a free port"

  if pid="$(running_pid etcd)"; then log "etcd already runs (pid $pid)"; else start etcd "$ETCD_CLIENT_PORT" "${ETCD_ARGS[@]}"; fi
  wait_for "etcd's /health" 60 etcd curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
  if pid="$(running_pid kube-apiserver)"; then log "kube-apiserver already runs (pid $pid)"
  else start kube-apiserver "$APISERVER_PORT" "${APISERVER_ARGS[@]}"; fi
  wait_for "the API server's /readyz" 120 kube-apiserver api_get /readyz
  # the lease outlives a restart in etcd: a new controller manager is ready when it, not the last one, holds it
  # (one killed without releasing it makes the next wait out the lease, 15 s)
  local previous=""
  if pid="$(running_pid kube-controller-manager)"; then log "kube-controller-manager already runs (pid $pid)"
  else previous="$(lease_holder)"; start kube-controller-manager "$KCM_PORT" "${KCM_ARGS[@]}"; fi
  wait_for "the controller manager's leader lease" 120 kube-controller-manager new_lease_holder "$previous"
  log "ready in $(( $(now) - t0 )) s (API server /readyz ok, controller manager holds its lease)"
  install_crds
  log "up in $(( $(now) - t0 )) s. Context $CONTEXT; kubeconfig $STATE/kubeconfig"
  cat >&2 <<MSG

  eval "\$(kind-config/control-plane.sh env)"     # KUBECONFIG for rollout-lab, fabric8 and kubectl
  $BIN/kubectl get ns
  kind-config/control-plane.sh down               # stop (--purge: also delete the state)
MSG
}

stop() { # component: TERM, then KILL after 20 s
  local pid i
  pid="$(running_pid "$1")" || { rm -f "$(pidfile "$1")"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "$1 (pid $pid) did not stop in 20 s: KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$(pidfile "$1")"
  log "stopped $1 (pid $pid)"
}

cmd_down() {
  local purge=false c
  case "${1:-}" in --purge) purge=true ;; "") ;; *) die "down: unknown option: $1" ;; esac
  stop kube-controller-manager
  # it does not release its lease on exit: delete it, or the next 'up' waits the lease out (15 s)
  if running_pid kube-apiserver >/dev/null && [ -f "$PKI/admin.crt" ]; then
    curl -fsS -o /dev/null --max-time 5 -X DELETE --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
      "https://127.0.0.1:$APISERVER_PORT/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager" \
      2>/dev/null || true
  fi
  for c in kube-apiserver etcd; do stop "$c"; done
  if [ "$purge" = true ]; then
    rm -rf "$STATE"; log "state removed ($STATE); binaries kept in $BIN"
  else
    log "down; state kept in $STATE (--purge removes it), binaries in $BIN"
  fi
}

cmd_status() {
  local c pid port
  for c in "${COMPONENTS[@]}"; do
    case "$c" in etcd) port=$ETCD_CLIENT_PORT ;; kube-apiserver) port=$APISERVER_PORT ;; *) port=$KCM_PORT ;; esac
    if pid="$(running_pid "$c")"; then
      printf '%-24s running   pid %-8s 127.0.0.1:%s\n' "$c" "$pid" "$port"
    else
      printf '%-24s stopped            127.0.0.1:%s\n' "$c" "$port"
    fi
  done
  if [ -f "$PKI/admin.crt" ] && api_get /readyz >/dev/null 2>&1; then
    printf '%-24s ok\n' "API /readyz"
  else
    printf '%-24s not ready\n' "API /readyz"
  fi
  printf '%-24s %s (context %s)\n' kubeconfig "$STATE/kubeconfig" "$CONTEXT"
  printf '%-24s %s\n' binaries "$BIN" state "$STATE"
}

cmd_smoke() { # the end-to-end check: real controllers, the CRDs under strict validation, namespace finalization
  local ns="smoke-$$" i n=0 t0
  running_pid kube-apiserver >/dev/null && api_get /readyz >/dev/null 2>&1 || die "not up: run 'up' first"
  kc create namespace "$ns" >/dev/null
  trap 'kc delete namespace "$ns" --wait=false >/dev/null 2>&1 || true' EXIT
  kc -n "$ns" create deployment web --image=rollout-lab/demo:0.1.0 --replicas=3 --port=8080 >/dev/null
  for i in $(seq 1 60); do
    n="$(kc -n "$ns" get pods -l app=web --no-headers 2>/dev/null | grep -c Pending || true)"
    [ "$n" -ge 3 ] && break; sleep 0.5
  done
  [ "$n" -ge 3 ] || die "the Deployment controller made no 3 pods (got $n): see $STATE/logs/kube-controller-manager.log"
  log "ok: Deployment -> ReplicaSet $(kc -n "$ns" get rs -l app=web -o name) -> 3 pods, Pending (no node yet)"
  # fieldValidation=Strict (kubectl --validate=strict): an unknown field is an error, not dropped
  kc create --validate=strict -f - >/dev/null <<YAML || die "a CRD object was refused (are the CRDs installed?)"
apiVersion: chaos-mesh.org/v1alpha1
kind: HTTPChaos
metadata: {name: errors, namespace: $ns}
spec:
  mode: all
  selector: {namespaces: [$ns], labelSelectors: {app: web}}
  target: Response
  port: 8080
  path: /api/*
  replace: {code: 503}
  duration: 30s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: $ns}
spec:
  hosts: ["*"]
  gateways: [rollout-lab/rollout-lab]
  http:
  - route:
    - {destination: {host: web-stable, port: {number: 80}}, weight: 90}
    - {destination: {host: web-canary, port: {number: 80}}, weight: 10}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: $ns}
spec:
  parentRefs: [{name: rollout-lab, namespace: rollout-lab}]
  rules:
  - backendRefs:
    - {name: web-stable, port: 80, weight: 90}
    - {name: web-canary, port: 80, weight: 10}
YAML
  log "ok: HTTPChaos, VirtualService, HTTPRoute created with fieldValidation=Strict"
  local out
  out="$(kc create --validate=strict -f - 2>&1 <<YAML || true
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad, namespace: $ns}
spec: {parentRefs: [{name: rollout-lab}], rulez: []}
YAML
)"
  grep -q 'unknown field "spec.rulez"' <<<"$out" || die "an unknown field was not refused under Strict: $out"
  log "ok: an unknown field (spec.rulez) is refused under Strict"
  kc -n "$ns" delete deployment web --cascade=background >/dev/null
  for i in $(seq 1 60); do
    n="$(kc -n "$ns" get rs,pods --no-headers 2>/dev/null | wc -l)"; [ "$n" -eq 0 ] && break; sleep 0.5
  done
  [ "$n" -eq 0 ] || die "the garbage collector left $n ReplicaSets/pods of the deleted Deployment"
  log "ok: the garbage collector removed the Deployment's ReplicaSet and pods"
  t0=$(now)
  kc delete namespace "$ns" --wait=true --timeout=120s >/dev/null || die "namespace $ns was not finalized in 120 s"
  trap - EXIT
  log "ok: namespace $ns finalized by the namespace controller in $(( $(now) - t0 )) s"
}

cmd_env() {
  printf 'export KUBECONFIG=%q\n' "$STATE/kubeconfig"
  printf '# kubectl: %s\n' "$BIN/kubectl"
}

usage() {
  cat <<USAGE
usage: kind-config/control-plane.sh build | up | down [--purge] | status | env | smoke

A Kubernetes $K8S_VERSION control plane on 127.0.0.1 without containers: etcd $ETCD_VERSION, kube-apiserver and
kube-controller-manager as local processes, context $CONTEXT (rollout-lab's guard allows kind-*).

  build          build etcd, kube-apiserver, kube-controller-manager and kubectl from their Go modules (nice -n 19)
                 into $BIN,
                 and fetch the CRDs of Chaos Mesh $CHAOS_MESH_VERSION, Istio $ISTIO_API_VERSION and Gateway API
                 $GATEWAY_API_VERSION from their Go modules; what is built is reused
  up             start the control plane (etcd :$ETCD_CLIENT_PORT, API server https://127.0.0.1:$APISERVER_PORT,
                 controller manager :$KCM_PORT), wait until ready, install the CRDs; says so when already up
  down           stop what 'up' started; --purge also deletes the state (etcd data, certificates, logs)
  status         what runs, its ports, the kubeconfig
  env            prints export KUBECONFIG=...  (eval "\$(kind-config/control-plane.sh env)")
  smoke          check the running plane end to end: a Deployment's ReplicaSet and (Pending) pods, Chaos Mesh,
                 Istio and Gateway API objects under fieldValidation=Strict, garbage collection, namespace deletion
  -h, --help     this text

Environment: ROLLOUT_LAB_CACHE (default \$HOME/.cache/rollout-lab), ROLLOUT_LAB_CP_APISERVER_PORT,
ROLLOUT_LAB_CP_ETCD_PORT, ROLLOUT_LAB_CP_ETCD_PEER_PORT, ROLLOUT_LAB_CP_KCM_PORT. Needs go (build), openssl, curl, ss.
USAGE
}

case "${1:-}" in
  build) [ $# -eq 1 ] || die "build takes no options"; cmd_build ;;
  up) [ $# -eq 1 ] || die "up takes no options"; cmd_up ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  smoke) cmd_smoke ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
