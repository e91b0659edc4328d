#!/usr/bin/env bash
# Concordat against the reference peer (BFT-SMaRt v2.0, ../shared/peers/bftsmart/bench.sh) in one run,
# alternating A B A B so that both see the same machine: each round starts a fresh in-memory 4-replica
# Concordat cluster (./concordat up --in-memory), loads it with ./concordat bench, stops it, then runs the
# peer's own microbenchmark in the same layout (4 replica JVMs and 1 client JVM on 127.0.0.1, closed-loop
# clients, f = 1, in memory).
#
# Usage: bench/scripts/compare-bftsmart.sh [ROUNDS] [CLIENTS] [PAYLOAD_BYTES] [WARMUP_SECONDS] [MEASURE_SECONDS]
#   defaults: 3 rounds, 16 clients, 0 B, 60 s of warm-up (JIT), 30 s measured.
# BASE_PORT (21000) is Concordat's base port, below the ephemeral range so that no outgoing connection holds it.
# PEER_BENCH overrides the peer's script (default ../shared/peers/bftsmart/bench.sh beside this repository).
# Writes bench/target/compare-bftsmart/c<C>-p<B>/ with one JSON (Concordat) and one log line (peer) per round,
# and prints the medians and the ratio of the medians (bench/scripts/compare_results.py, which also draws the
# throughput-latency chart from several such directories).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
clients="${2:-16}"
payload="${3:-0}"
warmup="${4:-60}"
measure="${5:-30}"
peer="${PEER_BENCH:-$(cd .. && pwd)/shared/peers/bftsmart/bench.sh}"
[ -x "$peer" ] || [ -f "$peer" ] || { echo "no peer benchmark at $peer (set PEER_BENCH)" >&2; exit 2; }
out="bench/target/compare-bftsmart/c$clients-p$payload"
rm -rf "$out" && mkdir -p "$out"
./concordat bench --help >/dev/null  # builds the launcher once, before anything is timed

# CPU seconds (user + system) of every JVM on the machine over the measured window, from /proc: the cluster
# and its load generator together, for CPU per operation.
# The second argument is how long the load generator takes to start after this is called.
cpu_window() {
  local file=$1 start_delay=${2:-0} before=0 after=0 pid
  sleep "$((start_delay + warmup + 2))"
  for pid in $(pgrep java); do before=$((before + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  sleep "$((measure - 4))"
  for pid in $(pgrep java); do after=$((after + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$(( after - before )) $(getconf CLK_TCK) $((measure - 4))" >"$file"
}

concordat_round() {
  local round=$1 data up_pid
  data="$(mktemp -d /tmp/concordat-compare.XXXXXX)"
  ./concordat up --in-memory --data-dir "$data" --base-port "${BASE_PORT:-21000}" >"$out/up-$round.log" 2>&1 &
  up_pid=$!
  for _ in $(seq 1 180); do
    grep -q "cluster ready" "$out/up-$round.log" && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$out/up-$round.log" >&2; exit 1; }
    sleep 1
  done
  cpu_window "$out/concordat-$round.cpu" &
  ./concordat bench --cluster "$data/cluster.json" --clients "$clients" --duration "$measure" --warmup "$warmup" \
    --payload "$payload" --json "$out/concordat-$round.json" >"$out/concordat-$round.log"
  kill -TERM "$up_pid" 2>/dev/null || true
  wait "$up_pid" 2>/dev/null || true
  rm -rf "$data"
}

for round in $(seq 1 "$rounds"); do
  echo "round $round: concordat" >&2
  concordat_round "$round"
  echo "round $round: bftsmart" >&2
  # The peer's script starts its 4 replicas 2 s apart and its client 8 s after the last: 16 s.
  cpu_window "$out/bftsmart-$round.cpu" 16 &
  bash "$peer" "$clients" "$payload" "$warmup" "$measure" "$out/bftsmart-$round" | tee "$out/bftsmart-$round.txt" >&2
done

python3 bench/scripts/compare_results.py summary "$out" "$rounds" "$(git rev-parse --short HEAD)"
