#!/usr/bin/env bash
# Starts a throwaway Kubernetes control plane for the integration suite: etcd,
# kube-apiserver and kube-controller-manager on 127.0.0.1, random free ports, a fresh CA,
# a token file and RBAC authorization. Nothing runs pods (no scheduler, no kubelet).
#
#   start-cluster.sh <state-dir>     # writes <state-dir>/cluster.env, pid files, logs
#   stop-cluster.sh <state-dir>      # stops exactly the processes started here
#
# cluster.env holds ZT_K8S_SERVER, ZT_K8S_CA (file) and ZT_K8S_ADMIN_TOKEN_FILE; tokens
# live only in files under <state-dir> (mode 600), never on a command line or in a log.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${1:?usage: start-cluster.sh <state-dir>}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
umask 077
log() { echo "[start-cluster] $*" >&2; }

CACHE="$("$HERE/build-kubernetes.sh")"
BIN="$CACHE/bin"

if ! command -v etcd >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then log "etcd is missing (apt-get install etcd-server as root)"; exit 1; fi
  log "apt-get install etcd-server"
  # policy-rc.d (when present) keeps the package's own etcd service from starting.
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
fi

free_port() {
  # Ask the kernel for a free port (bind to 0), then release it for the server to take.
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
ETCD_PORT=$(free_port)
ETCD_PEER_PORT=$(free_port)
API_PORT=$(free_port)

# --- credentials: CA, serving certificate, service-account key pair, tokens -------------
PKI="$STATE/pki"
mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=zt-integration-ca" \
  -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >"$PKI/san.ext"
openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
  -days 2 -extfile "$PKI/san.ext" -out "$PKI/apiserver.crt" 2>/dev/null
openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

ADMIN_TOKEN=$(openssl rand -hex 24)
CM_TOKEN=$(openssl rand -hex 24)
printf '%s' "$ADMIN_TOKEN" >"$STATE/admin.token"
# token,user,uid,"group,..."
{
  echo "$ADMIN_TOKEN,zt-admin,zt-admin,\"system:masters\""
  echo "$CM_TOKEN,system:kube-controller-manager,system:kube-controller-manager,\"system:masters\""
} >"$PKI/tokens.csv"

SERVER="https://127.0.0.1:$API_PORT"
cat >"$STATE/controller-manager.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "$SERVER", certificate-authority: "$PKI/ca.crt"}}]
users: [{name: controller-manager, user: {tokenFile: "$STATE/controller-manager.token"}}]
contexts: [{name: local, context: {cluster: local, user: controller-manager}}]
current-context: local
EOF
printf '%s' "$CM_TOKEN" >"$STATE/controller-manager.token"

# --- processes --------------------------------------------------------------------------
start() { # name, command...
  local name=$1; shift
  "$@" >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}
fail() {
  log "$1; last lines of $2:"
  tail -n 30 "$STATE/$2.log" >&2 || true
  "$HERE/stop-cluster.sh" "$STATE" || true
  exit 1
}
wait_for() { # seconds, name, check-command...
  local seconds=$1 name=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$STATE/$name.pid")" 2>/dev/null || fail "$name exited" "$name"
    sleep 0.2
  done
  fail "$name did not become ready within ${seconds}s" "$name"
}

t0=$(date +%s.%N)
start etcd etcd --name zt-integration --data-dir "$STATE/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "zt-integration=http://127.0.0.1:$ETCD_PEER_PORT"
wait_for 30 etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

start kube-apiserver "$BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --insecure-port 0 \
  --cert-dir "$STATE/apiserver-certs" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --token-auth-file "$PKI/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-account-issuer https://kubernetes.default.svc \
  --service-cluster-ip-range 10.96.0.0/16 \
  --allow-privileged=true \
  --profiling=false
# /readyz needs a credential: the token goes to curl through a header file, not argv.
printf 'Authorization: Bearer %s\n' "$ADMIN_TOKEN" >"$STATE/admin.header"
wait_for 90 kube-apiserver curl -sf --cacert "$PKI/ca.crt" -H "@$STATE/admin.header" "$SERVER/readyz"
t_api=$(date +%s.%N)

# The controller-manager creates the service-account token Secrets (and ReplicaSets for
# Deployments, as a real cluster would). Left out: the node lifecycle controller (it would
# mark the seeded Nodes, which have no kubelet, NotReady) and the garbage collector (the
# demo's Secrets name owners, cert-manager Certificates, that this cluster has no CRD for).
start kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig "$STATE/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --controllers '*,-nodelifecycle,-garbagecollector,-nodeipam,-cloud-node-lifecycle,-route,-service' \
  --leader-elect=false --port 0 --secure-port 0 --profiling=false
# Ready when the token controller has given the default service account its token Secret.
wait_for 60 kube-controller-manager bash -c \
  "curl -sf --cacert '$PKI/ca.crt' -H '@$STATE/admin.header' '$SERVER/api/v1/namespaces/default/serviceaccounts/default' | grep -q '\"secrets\"'"
t_cm=$(date +%s.%N)

cat >"$STATE/cluster.env" <<EOF
ZT_K8S_SERVER=$SERVER
ZT_K8S_CA=$PKI/ca.crt
ZT_K8S_ADMIN_TOKEN_FILE=$STATE/admin.token
ZT_K8S_VERSION=$("$BIN/kube-apiserver" --version | awk '{print $2}')
EOF
secs() { awk "BEGIN { printf \"%.1f\", $2 - $1 }"; }
log "ready at $SERVER: etcd+apiserver $(secs "$t0" "$t_api") s, controller-manager $(secs "$t_api" "$t_cm") s (state: $STATE)"
