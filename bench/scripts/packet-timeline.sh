#!/usr/bin/env bash
# Where one operation's latency goes, from the packets on the loopback interface: while a local cluster is
# under load (./concordat up --in-memory --base-port B, then ./concordat bench), this captures every TCP
# segment with a payload to or from the cluster's Artery and client ports for a few seconds, maps each
# port to the replica (or client) that owns it, and prints, per operation of a one-client run, when the
# primary's pre-prepare, the first prepare, the primary's commit and each reply left, as medians over all
# operations captured (bench/scripts/packet_timeline.py). Needs root and tcpdump (apt-get install tcpdump).
#
# Usage: bench/scripts/packet-timeline.sh [BASE_PORT] [REPLICAS] [SECONDS] [PRIMARY]
#   defaults: 21000, 4, 10, 0 (the primary of view 0). Artery ports are B..B+n-1, client ports B+100...
# Writes bench/target/packet-timeline/ (the capture, the socket table) and prints the timeline.
set -euo pipefail
cd "$(dirname "$0")/../.."
base="${1:-21000}"
replicas="${2:-4}"
seconds="${3:-10}"
primary="${4:-0}"
command -v tcpdump >/dev/null || { echo "tcpdump is not installed (apt-get install tcpdump)" >&2; exit 2; }
out="bench/target/packet-timeline"
rm -rf "$out" && mkdir -p "$out"
last=$((base + replicas - 1))
ss -tlnpH >"$out/listening.txt"
ss -tnpH state established >"$out/established.txt"
# TCP segments with a payload only: IP total length minus the IP and TCP header lengths is not zero.
timeout "$seconds" tcpdump -i lo -n -w "$out/capture.pcap" \
  "tcp and (portrange $base-$last or portrange $((base + 100))-$((last + 100))) and \
   (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)" 2>"$out/tcpdump.log" || true
tcpdump -r "$out/capture.pcap" -n -tt -q 2>/dev/null >"$out/packets.txt"
python3 bench/scripts/packet_timeline.py "$out" "$base" "$replicas" "$primary"
