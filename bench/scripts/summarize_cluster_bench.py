#!/usr/bin/env python3
"""Summarizes a cluster-bench.sh output directory: per point (clients, payload), the median throughput with
min-max, latency medians, errors, and the journal rates from the .journal.json files beside each run.

Usage: summarize_cluster_bench.py OUT_DIRECTORY
"""
import glob, json, statistics, sys
out = sys.argv[1]
def journal_rates(clients, payload):
    """Median over runs of (journal writes/s per replica, operations per write, steps per write, events per write).

    The counters span the whole bench command (its 3 s warm-up too), so writes/s is over that wall time and
    operations per write is the measured throughput over it: both are steady-state rates."""
    rows = []
    for name in sorted(glob.glob(f"{out}/c{clients}-p{payload}-r*.journal.json")):
        window = json.load(open(name))
        result = json.load(open(name.replace(".journal.json", ".json")))["results"]
        replicas = [r for r in window["after"] if r in window["before"]]
        if not replicas:
            continue
        delta = lambda key: sum(window["after"][r][key] - window["before"][r][key] for r in replicas) / len(replicas)
        writes = delta("writes")
        if writes == 0:
            continue
        per_second = writes / window["seconds"]
        rows.append((per_second, result["throughputOperationsPerSecond"] / per_second,
                     delta("steps") / writes, delta("events") / writes))
    if not rows:
        return None
    return tuple(statistics.median(row[i] for row in rows) for i in range(4))

print(f"{'clients':>7} {'payload':>7}  {'ops/s median (min-max)':>26}  {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9}  errors"
      f"  {'writes/s':>8} {'ops/write':>9} {'steps/write':>11} {'events/write':>12}")
for clients in (1, 16, 64):
    for payload in (0, 1024):
        docs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/c{clients}-p{payload}-r*.json"))
                if not f.endswith(".journal.json")]
        if not docs:
            continue
        tput = [d["results"]["throughputOperationsPerSecond"] for d in docs]
        lat = lambda key: statistics.median(d["results"]["latencyMicroseconds"][key] for d in docs) / 1000
        errors = sum(d["results"]["errors"] for d in docs)
        print(f"{clients:>7} {payload:>7}  {statistics.median(tput):>10.1f} ({min(tput):.1f}-{max(tput):.1f})"
              f"  {lat('p50'):>8.1f} {lat('p99'):>8.1f} {lat('p99.9'):>9.1f}  {errors:>6}", end="")
        rates = journal_rates(clients, payload)
        print("" if rates is None else f"  {rates[0]:>8.1f} {rates[1]:>9.2f} {rates[2]:>11.2f} {rates[3]:>12.2f}")
print(f"commit {docs[0]['commit']}, {len(docs)} runs per point")
