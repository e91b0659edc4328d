#!/usr/bin/env bash
# Runs the JMH microbenchmarks (crypto and codec) with several forks and prints, per benchmark, the median
# of the per-fork means and their spread. Usage: bench/scripts/microbenchmarks.sh [FORKS] [JMH regex]
# Writes bench/target/jmh-results.json. Quote the medians in docs/benchmarks.md, with this command.
set -euo pipefail
cd "$(dirname "$0")/../.."
forks="${1:-3}"
pattern="${2:-.*}"
mvn -q -B -ntp -pl bench -am package -DskipTests
java -jar bench/target/benchmarks.jar "$pattern" -f "$forks" -rf json -rff bench/target/jmh-results.json >bench/target/jmh-output.txt
python3 bench/scripts/summarize_jmh.py bench/target/jmh-results.json
