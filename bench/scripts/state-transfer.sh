#!/usr/bin/env bash
# State-transfer speed between real JVMs: builds a state of about TARGET_MB in a local in-memory cluster
# (60 KiB values), kills replica 3, writes past two checkpoints, starts replica 3 again empty, and reports
# the time from its admin endpoint first answering to it reaching the others' sequence number and digest.
# Usage: bench/scripts/state-transfer.sh [TARGET_MB] [BASE_PORT]
set -euo pipefail
cd "$(dirname "$0")/../.."
target_mb="${1:-100}"
base_port="${2:-42000}"
data="$(mktemp -d /tmp/concordat-transfer.XXXXXX)"
./concordat up --in-memory --data-dir "$data" --base-port "$base_port" >"$data/up.log" 2>&1 &
up_pid=$!
trap 'kill -TERM "$up_pid" 2>/dev/null; pkill -TERM -f "replica 3 --data-dir $data" 2>/dev/null; wait "$up_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 180); do grep -q "cluster ready" "$data/up.log" && break; sleep 1; done
operations=$(( target_mb * 1024 / 60 + 1 ))
clients=16
echo "writing about $target_mb MB ($operations puts of 60 KiB)"
# Each bench client puts under its own keys, so the state grows with every operation.
./concordat bench --cluster "$data/cluster.json" --clients "$clients" --duration $(( operations / 40 + 5 )) --warmup 0 \
  --payload 61440 >"$data/fill.txt"
grep throughput "$data/fill.txt"
kill -9 "$(awk '$1==3 {print $2}' "$data/pids")"
./concordat bench --cluster "$data/cluster.json" --clients 16 --duration 8 --warmup 0 --payload 10 >/dev/null
status() { curl -s "http://127.0.0.1:$((base_port + 200 + $1))/v1/status"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['applicationState']['sequence'], d['applicationState']['digest'])"; }
./concordat node --config "$data/cluster.conf" --replica 3 --data-dir "$data" --journal in-memory >"$data/replica-3-again.log" 2>&1 &
until status 3 >/dev/null 2>&1 && status 3 | grep -q applicationState; do sleep 0.2; done
started=$(date +%s.%N)
reference="$(status 0 | field)"
until [ "$(status 3 | field 2>/dev/null)" = "$reference" ]; do sleep 0.2; done
finished=$(date +%s.%N)
written=$(sed -n 's/.*(\([0-9]*\) operations.*/\1/p' "$data/fill.txt")
# Each client cycles over 128 keys, so the state holds at most 16 x 128 distinct 60 KiB values.
size_mb=$(python3 -c "print(round(min($written, 16 * 128) * 61440 / 1e6, 1))")
seconds=$(python3 -c "print(round($finished - $started, 2))")
echo "replica 3 caught up to '$reference' in $seconds s after its endpoint answered; state about $size_mb MB (values only)"
python3 -c "print('about', round($size_mb / ($finished - $started), 1), 'MB/s including cluster join and the status polling interval')"
trap - EXIT
kill -TERM "$up_pid" 2>/dev/null; pkill -TERM -f "replica 3 --data-dir $data" 2>/dev/null; wait "$up_pid" 2>/dev/null; rm -rf "$data"
exit 0
