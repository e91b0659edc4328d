#!/usr/bin/env bash
# Time from killing the primary to the first commit in the new view, with the default timeouts.
# Starts a fresh 4-replica cluster per run (./concordat up), kills its primary under a one-client load
# (./concordat failover), stops the cluster, and prints every run and the median.
# Usage: bench/scripts/failover.sh [RUNS] [BASE_PORT]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
base_port="${2:-34000}"
results=()
for run in $(seq 1 "$runs"); do
  data="$(mktemp -d /tmp/concordat-failover.XXXXXX)"
  port=$((base_port + run * 300))
  ./concordat up --data-dir "$data" --base-port "$port" >"$data/up.log" 2>&1 &
  up_pid=$!
  for _ in $(seq 1 150); do
    grep -q "cluster ready" "$data/up.log" && break
    kill -0 "$up_pid" 2>/dev/null || { echo "up failed:"; cat "$data/up.log"; exit 1; }
    sleep 1
  done
  line="$(./concordat failover --cluster "$data/cluster.json" | tee /dev/stderr | awk '/^failover-seconds/ {print $2}')"
  results+=("$line")
  kill -TERM "$up_pid" 2>/dev/null || true
  wait "$up_pid" 2>/dev/null || true
  rm -rf "$data"
done
echo "runs (s): ${results[*]}"
printf '%s\n' "${results[@]}" | sort -g | awk '{v[NR]=$1} END {printf "median %.3f s, min %.3f s, max %.3f s over %d runs\n", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), v[1], v[NR], NR}'
