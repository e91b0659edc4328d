#!/usr/bin/env bash
# Throughput and latency of a local 4-replica cluster under ./concordat bench, for clients 1, 16 and 64 and
# payloads 0 B and 1 KiB, RUNS times each, with the median and spread per point.
# Usage: bench/scripts/cluster-bench.sh [RUNS] [h2|h2-unforced|postgresql|in-memory] [SECONDS] [BASE_PORT] [CLIENTS...]
# h2-unforced is the H2 journal with concordat.replica.persistence.h2.force-writes = off, to price the fdatasync.
# Writes one JSON per run and a summary table under bench/target/cluster-bench-<journal>/. Around every run it
# reads each replica's journal counters from /metrics (journal_metrics.py): journal writes per second per
# replica, and operations, core steps and events per write (group commit).
# postgresql needs a local server (bash .ci/run starts one, or apt-get install postgresql) and runs as root
# to create a fresh database concordat_bench owned by the role concordat; the four replicas share it (their
# persistence ids differ) as they share the machine's disk. Production gives each replica its own server.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
journal="${2:-h2}"
seconds="${3:-10}"
base_port="${4:-39000}"
shift $(( $# < 4 ? $# : 4 ))
client_counts=("${@:-1 16 64}")
client_counts=(${client_counts[*]})
out="bench/target/cluster-bench-$journal"
rm -rf "$out" && mkdir -p "$out"
data="$(mktemp -d /tmp/concordat-bench.XXXXXX)"
flags=(--journal "$journal")
if [ "$journal" = "h2-unforced" ]; then
  flags=(--journal h2)
  echo 'concordat.replica.persistence.h2.force-writes = off' >"$data/unforced.conf"
  flags+=("--java-option=-Dconfig.file=$data/unforced.conf")
fi
if [ "$journal" = "postgresql" ]; then
  su postgres -c "psql -q -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS concordat_bench' \
    -c 'CREATE DATABASE concordat_bench OWNER concordat'"
  cat >"$data/postgresql.conf" <<CONF
concordat.replica.persistence.postgresql {
  url = "jdbc:postgresql://127.0.0.1:5432/concordat_bench"
  user = "concordat"
  password = "concordat"
}
CONF
  flags+=("--java-option=-Dconfig.file=$data/postgresql.conf")
fi
./concordat up --data-dir "$data" --base-port "$base_port" "${flags[@]}" >"$out/up.log" 2>&1 &
up_pid=$!
trap 'kill -TERM "$up_pid" 2>/dev/null; wait "$up_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 180); do
  grep -q "cluster ready" "$out/up.log" && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$out/up.log"; exit 1; }
  sleep 1
done
for clients in "${client_counts[@]}"; do
  for payload in 0 1024; do
    for run in $(seq 1 "$runs"); do
      before="$(python3 bench/scripts/journal_metrics.py "$data/cluster.json")"
      started="$(date +%s.%N)"
      ./concordat bench --cluster "$data/cluster.json" --clients "$clients" --duration "$seconds" --warmup 3 \
        --payload "$payload" --json "$out/c$clients-p$payload-r$run.json" >/dev/null
      ended="$(date +%s.%N)"
      after="$(python3 bench/scripts/journal_metrics.py "$data/cluster.json")"
      echo "{\"before\": $before, \"after\": $after, \"seconds\": $(python3 -c "print($ended - $started)")}" \
        >"$out/c$clients-p$payload-r$run.journal.json"
    done
  done
done
python3 bench/scripts/summarize_cluster_bench.py "$out"
