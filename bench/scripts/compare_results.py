#!/usr/bin/env python3
"""The results of bench/scripts/compare-bftsmart.sh: its summary table, and a throughput-latency chart.

    compare_results.py summary DIR ROUNDS COMMIT
        prints the medians of the rounds in DIR (bench/target/compare-bftsmart/c<C>-p<B>) and the ratios
    compare_results.py chart OUT.svg DIR [DIR ...]
        writes an SVG chart: for each system, one point per DIR (one client count), median throughput
        against median p50 latency, labelled with the client count, joined in order of throughput

No dependency beyond Python 3's standard library, so that any machine that runs the benchmark can draw it.
"""
import json
import os
import re
import statistics
import sys
from html import escape


def load(directory, rounds=None):
    """Each system's rounds in DIR: (ops/s, p50 ms, p99 ms, errors, CPU ms per op or None)."""
    if rounds is None:
        rounds = len([name for name in os.listdir(directory) if re.fullmatch(r"concordat-\d+\.json", name)])
    ours, theirs = [], []
    for r in range(1, rounds + 1):
        doc = json.load(open(f"{directory}/concordat-{r}.json"))["results"]
        ops = doc["throughputOperationsPerSecond"]
        ours.append((ops, doc["latencyMicroseconds"]["p50"] / 1000, doc["latencyMicroseconds"]["p99"] / 1000,
                     doc["errors"], cpu_ms_per_op(f"{directory}/concordat-{r}.cpu", ops)))
        line = open(f"{directory}/bftsmart-{r}.txt").read()
        field = lambda name: float(re.search(name + r"=([0-9.]+|nan)", line).group(1))
        ops = field("ops_per_s")
        theirs.append((ops, field("p50_ms"), field("p99_ms"), 0, cpu_ms_per_op(f"{directory}/bftsmart-{r}.cpu", ops)))
    return ours, theirs


def cpu_ms_per_op(path, ops):
    """All JVMs' CPU over the window (ticks, ticks per second, seconds) over the operations in it."""
    if not os.path.exists(path) or ops <= 0:
        return None
    ticks, hz, seconds = map(int, open(path).read().split())
    return 1000 * ticks / hz / (ops * seconds)


def median(rows, index):
    values = [row[index] for row in rows if row[index] is not None]
    return statistics.median(values) if values else float("nan")


def summary(directory, rounds, commit):
    ours, theirs = load(directory, rounds)
    print(f"commit {commit}, {rounds} rounds alternating, per round: {directory}")
    print(f"{'':10} {'ops/s median (min-max)':>28} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/op':>10}")
    for name, rows in (("concordat", ours), ("bftsmart", theirs)):
        values = [row[0] for row in rows]
        print(f"{name:10} {median(rows, 0):>12.1f} ({min(values):.1f}-{max(values):.1f})"
              f" {median(rows, 1):>8.2f} {median(rows, 2):>8.2f} {median(rows, 4):>10.2f}")
    print(f"errors (concordat): {sum(row[3] for row in ours)}")
    print(f"ratio concordat/bftsmart: throughput {median(ours, 0) / median(theirs, 0):.3f},"
          f" p50 latency {median(ours, 1) / median(theirs, 1):.2f}")


def tick_step(largest):
    """A round step (1, 2 or 5 times a power of ten) that divides 0..largest into about five parts."""
    power = 10 ** max(0, len(str(int(largest / 5))) - 1) if largest >= 5 else 1
    for multiple in (1, 2, 5, 10):
        if largest / (multiple * power) <= 6:
            return multiple * power
    return 10 * power


def chart(output, directories):
    series = {"Concordat": [], "BFT-SMaRt v2.0": []}
    for directory in directories:
        clients = re.search(r"c(\d+)-p(\d+)", os.path.basename(os.path.normpath(directory)))
        label = f"{clients.group(1)} cl." if clients else os.path.basename(directory)
        ours, theirs = load(directory)
        series["Concordat"].append((median(ours, 0), median(ours, 1), label))
        series["BFT-SMaRt v2.0"].append((median(theirs, 0), median(theirs, 1), label))
    width, height, left, bottom, top, right = 640, 400, 70, 50, 30, 20
    x_step = tick_step(max(point[0] for points in series.values() for point in points))
    y_step = tick_step(max(point[1] for points in series.values() for point in points))
    # Headroom of a tenth beyond the largest point, for its label.
    x_max = x_step * (1 + int(1.1 * max(point[0] for points in series.values() for point in points) / x_step))
    y_max = y_step * (1 + int(1.1 * max(point[1] for points in series.values() for point in points) / y_step))
    x = lambda value: left + (width - left - right) * value / x_max
    y = lambda value: height - bottom - (height - bottom - top) * value / y_max
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif"'
           f' font-size="12">', f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
           f'<text x="{(width + left) / 2}" y="{height - 12}" text-anchor="middle">throughput (operations per'
           f' second, median of the rounds)</text>',
           f'<text x="16" y="{(height - bottom + top) / 2}" text-anchor="middle" transform="rotate(-90 16'
           f' {(height - bottom + top) / 2})">p50 latency (ms)</text>']
    for step in range(round(x_max / x_step) + 1):
        svg.append(f'<text x="{x(step * x_step)}" y="{height - bottom + 16}" text-anchor="middle">'
                   f'{step * x_step:g}</text>')
    for step in range(1, round(y_max / y_step) + 1):
        vy = step * y_step
        svg.append(f'<text x="{left - 6}" y="{y(vy) + 4}" text-anchor="end">{vy:g}</text>')
        svg.append(f'<line x1="{left}" y1="{y(vy)}" x2="{width - right}" y2="{y(vy)}" stroke="#ddd"/>')
    for (name, points), colour, row in zip(series.items(), ("#c0392b", "#2c3e50"), range(2)):
        points = sorted(points)
        path = " ".join(f"{x(px):.1f},{y(py):.1f}" for px, py, _ in points)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py, label in points:
            svg.append(f'<circle cx="{x(px):.1f}" cy="{y(py):.1f}" r="4" fill="{colour}"/>')
            svg.append(f'<text x="{x(px) + 6:.1f}" y="{y(py) - 6:.1f}" fill="{colour}">{escape(label)}</text>')
        svg.append(f'<rect x="{width - right - 150}" y="{top + 4 + 18 * row}" width="12" height="12"'
                   f' fill="{colour}"/>')
        svg.append(f'<text x="{width - right - 132}" y="{top + 14 + 18 * row}">{escape(name)}</text>')
    svg.append("</svg>")
    with open(output, "w") as file:
        file.write("\n".join(svg) + "\n")
    print(f"wrote {output}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "summary":
        summary(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) >= 4 and sys.argv[1] == "chart":
        chart(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
