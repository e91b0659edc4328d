"""Summarises recovery-time.sh results: per journal size, the median, min and max of each phase and of the
heap over the runs, then the ratios of the medians to those of the smallest non-empty size. Several results
files (several invocations of the script) are pooled."""
import statistics
import sys

COLUMNS = [
    ("servingSeconds", "start to first answer, s"),
    ("firstStepSeconds", "start to first step done, s"),
    ("recoverySeconds", "actor recovery to first answer, s"),
    ("startupSeconds", "  start-up (cluster, shard), s"),
    ("snapshotSeconds", "  snapshot lookup, s"),
    ("replaySeconds", "  journal read + deserialize, s"),
    ("coreSeconds", "  core rebuild + re-execution, s"),
    ("heapAfterGcMaxMegabytes", "heap after GC, max, MB"),
    ("liveHeapMegabytes", "live heap once serving, MB"),
    ("gcSeconds", "GC time to first answer, s"),
]


def fields(line):
    return dict(pair.split("=", 1) for pair in line.split()[1:])


runs = {}
journals = {}
for path in sys.argv[1:]:
    with open(path) as source:
        for line in source:
            if line.startswith("recovery-result "):
                run = fields(line)
                runs.setdefault(int(run["targetMegabytes"]), []).append(run)
            elif line.startswith("journal-generated "):
                journal = fields(line)
                journals[int(journal["targetMegabytes"])] = journal

medians = {}
for size in sorted(runs):
    journal = journals.get(size, runs[size][0])
    print(f"journal {size} MB: {int(journal['payloadBytes']):,} payload bytes in {int(journal['events']):,} events, "
          f"file {int(journal['fileBytes']):,} bytes, {journal.get('batches', '?')} batches, "
          f"{journal.get('requests', '?')} requests; {len(runs[size])} runs")
    for key, label in COLUMNS:
        values = [float(run[key]) for run in runs[size]]
        medians[(size, key)] = statistics.median(values)
        print(f"  {label:38} median {statistics.median(values):9.3f}  min {min(values):9.3f}  max {max(values):9.3f}")
    if size > 0:
        rate = int(journal["payloadBytes"]) / 1e6 / medians[(size, "replaySeconds")]
        print(f"  journal read + deserialize rate {rate:.1f} MB/s (medians)")
# Ratios to the smallest journal that is not empty (an empty one is only the fixed cost).
sizes = [size for size in sorted(runs) if size > 0]
for size in sizes[1:]:
    base = sizes[0]
    ratios = ", ".join(f"{key} {medians[(size, key)] / medians[(base, key)]:.1f}x"
                       for key in ("servingSeconds", "recoverySeconds", "replaySeconds", "coreSeconds"))
    print(f"{size} MB over {base} MB (medians): {ratios}")
