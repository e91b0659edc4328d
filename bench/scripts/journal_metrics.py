#!/usr/bin/env python3
"""Prints, as JSON, each replica's journal counters (writes, events, steps) from its admin /metrics.

Usage: journal_metrics.py CLUSTER_JSON
A replica that does not answer is left out. cluster-bench.sh reads it before and after every run.
"""
import json
import re
import sys
import urllib.request

COUNTER = re.compile(r'^concordat_replica_events_total\{replica="(\d+)",event="journal\.(writes|events|steps)"\} (\d+)')

counters = {}
for replica in json.load(open(sys.argv[1]))["replicas"]:
    try:
        with urllib.request.urlopen(replica["adminEndpoint"] + "/metrics", timeout=5) as response:
            text = response.read().decode("utf-8")
    except OSError:
        continue
    values = {"writes": 0, "events": 0, "steps": 0}
    for line in text.splitlines():
        match = COUNTER.match(line)
        if match:
            values[match.group(2)] = int(match.group(3))
    counters[str(replica["id"])] = values
print(json.dumps(counters))
