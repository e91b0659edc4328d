#!/usr/bin/env bash
# Recovery time of one durable replica against the size of its H2 journal since its last checkpoint.
# For each size: writes replica 0's journal (RecoveryTime generate: four real cores in one JVM order puts of
# 64 KB values until replica 0 has persisted SIZE x 10^6 payload bytes, without reaching a checkpoint), then
# starts replica 0 on it RUNS times, each in a fresh JVM (RecoveryTime recover: a real ReplicaNode on the H2
# journal, timed until it answers), and deletes the journal. Prints every run, then per size the medians
# with min and max, and the ratios of the medians to the smallest non-empty size's. Size 0 is an empty journal.
# Usage: bench/scripts/recovery-time.sh [RUNS] [SIZE_MB ...]         default: 3 runs, sizes 10 and 1000
# Environment: RECOVERY_HEAP   -Xmx of each recovering JVM (default 6g; 1000 MB needs about 4g)
#              GENERATOR_HEAP  -Xmx of the generator (default 8g)
#              RECOVERY_COLD=1 evict the journal file from the page cache before each run (posix_fadvise)
#              RECOVERY_WORK   where the journals are written (default /tmp)
#              RECOVERY_JAVA_OPTS more options for each recovering JVM, e.g. -XX:StartFlightRecording=filename=DIR/
# Writes bench/target/recovery-time/results.txt and each run's log there. Run it under nice -n -20.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10 1000)
recovery_heap="${RECOVERY_HEAP:-6g}"
generator_heap="${GENERATOR_HEAP:-8g}"
work="${RECOVERY_WORK:-/tmp}"
out="bench/target/recovery-time"
mvn -q -B -ntp -Dstyle.color=never -pl bench -am package -DskipTests
rm -rf "$out" && mkdir -p "$out"
jar=bench/target/benchmarks.jar
main=io.concordat.bench.recovery.RecoveryTime
echo "commit $(git rev-parse --short HEAD), $(nproc) CPUs, runs $runs, sizes ${sizes[*]} MB, recovery -Xmx$recovery_heap ${RECOVERY_JAVA_OPTS:-}, cold ${RECOVERY_COLD:-0}" | tee "$out/results.txt"
for size in "${sizes[@]}"; do
  free_mb=$(df -Pm "$work" | awk 'NR==2 {print $4}')
  if [ "$free_mb" -lt $(( size * 3 + 1024 )) ]; then
    echo "not enough space in $work for a $size MB journal ($free_mb MB free)" >&2
    exit 1
  fi
  dir="$(mktemp -d "$work/concordat-recovery.XXXXXX")"
  trap 'rm -rf "$dir"' EXIT
  timeout 3600 java "-Xmx$generator_heap" -cp "$jar" "$main" generate "$dir" "$size" 2>>"$out/stderr.txt" \
    | tee -a "$out/results.txt"
  cp "$dir/generate.log" "$out/generate-$size.log"
  for run in $(seq 1 "$runs"); do
    if [ "${RECOVERY_COLD:-0}" = 1 ]; then
      sync
      python3 -c "import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)" \
        "$dir/replica-0/journal.mv.db"
    fi
    # shellcheck disable=SC2086
    timeout 1800 java "-Xmx$recovery_heap" ${RECOVERY_JAVA_OPTS:-} -cp "$jar" "$main" recover "$dir" 2>>"$out/stderr.txt" \
      | tee "$out/recover-$size-$run.txt" | grep '^recovery-result' | tee -a "$out/results.txt"
    cp "$dir/recover.log" "$out/recover-$size-$run.log"
  done
  rm -rf "$dir"
  trap - EXIT
done
python3 bench/scripts/summarize_recovery.py "$out/results.txt" | tee "$out/summary.txt"
