#!/usr/bin/env python3
"""The analysis of bench/scripts/packet-timeline.sh: packet_timeline.py DIR BASE_PORT REPLICAS PRIMARY.

A replica is the process that listens on Artery port BASE+i; every other port of that process (its outgoing
Artery connections) is replica i too, and a port of any other process is the client. An operation starts
with the client's segment to the primary's client port; its events are the segments that follow, until the
next operation starts. Only meaningful for one closed-loop client, whose operations do not overlap.
"""
import re
import statistics
import sys


def owners(directory, base, replicas):
    replica_of_pid = {}
    for line in open(f"{directory}/listening.txt"):
        found = re.search(r":(\d+)\s.*pid=(\d+)", line)
        if found and base <= int(found.group(1)) < base + replicas:
            replica_of_pid[int(found.group(2))] = int(found.group(1)) - base
    owner = {}
    for name in ("listening.txt", "established.txt"):
        for line in open(f"{directory}/{name}"):
            local = re.search(r":(\d+)\s", line)  # the local address comes first, after the queue sizes
            found = re.search(r"pid=(\d+)", line)
            if found and local:
                port = int(local.group(1))
                pid = int(found.group(1))
                owner[port] = f"R{replica_of_pid[pid]}" if pid in replica_of_pid else "client"
    return owner


def operations(directory, base, owner, primary):
    ops, current = [], None
    for line in open(f"{directory}/packets.txt"):
        found = re.match(r"([\d.]+) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): tcp (\d+)", line)
        if not found:
            continue
        time, source, target = float(found.group(1)), int(found.group(2)), int(found.group(3))
        client_port = base + 100 <= source < base + 200 or base + 100 <= target < base + 200
        event = (time, owner.get(source, "client"), owner.get(target, "client"), client_port)
        if client_port and event[1] == "client" and target == base + 100 + primary:
            current = [event]
            ops.append(current)
        elif current is not None:
            current.append(event)
    return ops


def main(directory, base, replicas, primary):
    owner = owners(directory, base, replicas)
    ops = operations(directory, base, owner, primary)
    name = f"R{primary}"
    marks = {"primary's pre-prepare leaves": [], "first prepare leaves": [], "primary's commit leaves": []}
    replies = [[] for _ in range(replicas)]
    for op in ops[1:-1]:
        start = op[0][0]
        artery = [event for event in op if not event[3]]
        pre_prepare = next((event for event in artery if event[1] == name), None)
        if pre_prepare is None:
            continue
        marks["primary's pre-prepare leaves"].append(pre_prepare[0] - start)
        prepare = next((event for event in artery if event[0] > pre_prepare[0] and event[1] != name), None)
        if prepare:
            marks["first prepare leaves"].append(prepare[0] - start)
        # The primary's next segment after its pre-prepare went to every backup is its commit.
        sent = [event for event in artery if event[1] == name]
        commit = next((event for event in sent if event[0] - pre_prepare[0] > 0.0002), None)
        if commit:
            marks["primary's commit leaves"].append(commit[0] - start)
        # A reply before this operation's pre-prepare is a slow replica's reply to the previous operation.
        answers = sorted(event[0] for event in op if event[3] and event[2] == "client" and event[0] > pre_prepare[0])
        for index, event in enumerate(answers):
            if index < replicas:
                replies[index].append(event - start)
    print(f"{len(ops)} operations captured; milliseconds after the client's request to the primary left:")
    rows = list(marks.items()) + [(f"reply {index + 1} of {replicas} arrives", values)
                                  for index, values in enumerate(replies)]
    for label, values in rows:
        if values:
            values = sorted(values)
            print(f"  {label:32} median {1000 * statistics.median(values):7.3f}"
                  f"  p10 {1000 * values[len(values) // 10]:7.3f}  p90 {1000 * values[9 * len(values) // 10]:7.3f}"
                  f"  ({len(values)} operations)")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
