#!/usr/bin/env bash
# Where the send path's time goes: perf samples core 0 (the pinned sender's core) for 3 s in the middle of a
# Fleetgen Continuous UDP run with a receiver counting, and prints the split by thread and binary and the top
# symbols. Usage: sudo [RPS=1] bench/profile-send.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
command -v perf >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
taskset -a -cp 0 "$(cat deploy/.lab/h1.pid)" >/dev/null
"${CTL[@]}" -c "stream rs proto=udp dst=198.18.1.2 dport=8000; profile rp continuous stream=rs; receiver r1 rp h2" >/dev/null
"${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 duration=8; sender s1 p h1" >/dev/null
sleep 2
perf record -F 2000 -g -C 0 -o "$OUT/send.perf" -- sleep 3 >/dev/null 2>&1
"${CTL[@]}" -c "wait h1 s1 finished timeout=20" | tail -1 | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]
print("sent %d in %.1f s: %.0f pps" % (s["counters"]["sent"], (s["endedAtMillis"] - s["startedAtMillis"]) / 1e3,
      s["counters"]["sent"] / ((s["endedAtMillis"] - s["startedAtMillis"]) / 1e3)))'
echo "--- core 0 by thread and binary"
perf report -i "$OUT/send.perf" --no-children --sort comm,dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -6
echo "--- top symbols"
perf report -i "$OUT/send.perf" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -20
