#!/usr/bin/env bash
# Stops the processes start-cluster.sh started, by the process ids it recorded in
# <state-dir> (never by name: other etcd or kube processes on the machine are left alone).
# Leaves the state directory (logs) to the caller.
set -uo pipefail
STATE="${1:?usage: stop-cluster.sh <state-dir>}"

pids=()
for name in kube-controller-manager kube-apiserver etcd; do
  f="$STATE/$name.pid"
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  rm -f "$f"
done
# Give them 10 s to exit cleanly, then force.
for _ in $(seq 1 50); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && exit 0
  sleep 0.2
done
for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
exit 0
