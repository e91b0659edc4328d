"""Summarises a JMH JSON result: per benchmark, the median of the per-fork means, min and max, in the unit JMH used."""
import json
import statistics
import sys

with open(sys.argv[1]) as source:
    results = json.load(source)
print(f"{'benchmark':60} {'median':>12} {'min':>12} {'max':>12}  unit  forks")
for result in results:
    forks = [statistics.fmean(fork) for fork in result["primaryMetric"]["rawData"]]
    name = result["benchmark"].split(".", 4)[-1]
    unit = result["primaryMetric"]["scoreUnit"]
    print(f"{name:60} {statistics.median(forks):12.3f} {min(forks):12.3f} {max(forks):12.3f}  {unit}  {len(forks)}")
