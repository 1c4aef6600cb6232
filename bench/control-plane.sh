#!/usr/bin/env bash
# Control-plane figures: agent launch-to-ready time and idle resident memory, start/stop cycles per second
# from one control over the clustered bus, and start-to-first-packet (agent's start timestamp, ms, to the
# first frame's nanosecond capture timestamp on the wire; one clock: same machine).
# Usage: sudo bench/control-plane.sh [CYCLES=300]
set -euo pipefail
CYCLES=${1:-300}
t0=$(date +%s.%N)
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
RESULTS=$OUT/control-plane.txt
: >"$RESULTS"
python3 -c "print('agents launch to ready (2 in parallel, incl. lab setup): %.2f s' % ($(date +%s.%N) - $t0))" \
    | tee -a "$RESULTS"
for h in h1 h2; do
    sleep 5
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "deploy/.lab/$h.pid")/status")
    echo "agent $h idle resident memory: $((rss / 1024)) MiB" | tee -a "$RESULTS"
done
for h in h1; do
    echo "agent $h ready after launch: $(grep -o 'ready on' "deploy/.lab/$h.log" >/dev/null && \
        python3 -c "import os; print('%.2f s' % (os.path.getmtime('deploy/.lab/$h.ready') - os.path.getmtime('deploy/.lab/$h.pid')))")" \
        | tee -a "$RESULTS"
done
DEF="stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 pps=1000"
SCRIPT=$OUT/cycles.fg
{ echo "$DEF"; for i in $(seq 1 "$CYCLES"); do echo "sender c$i p h1"; echo "stop h1 c$i"; done; } >"$SCRIPT"
j0=$(date +%s.%N); "${CTL[@]}" -c "$DEF; hosts" >/dev/null; j1=$(date +%s.%N)
c0=$(date +%s.%N); "${CTL[@]}" <"$SCRIPT" >/dev/null; c1=$(date +%s.%N)
python3 -c "
join = $j1 - $j0; total = $c1 - $c0
print('start/stop cycles: %d in %.2f s after a %.2f s join: %.0f cycles/s (sequential, request/reply each)' % (
    $CYCLES, total - join, join, $CYCLES / (total - join)))" | tee -a "$RESULTS"
for i in 1 2 3 4 5 6 7; do
    ip netns exec fg-h2 tcpdump -i bv2 -Q in -n -tt --time-stamp-precision=nano -c 1 udp dst port 8000 \
        2>/dev/null >"$OUT/first$i.txt" &
    d=$!
    sleep 1
    started=$("${CTL[@]}" -c "$DEF; sender f$i p h1" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["startedAtMillis"])')
    wait "$d" || true
    "${CTL[@]}" -c "stop h1 f$i" >/dev/null
    python3 -c "print('%.1f' % (float(open('$OUT/first$i.txt').read().split()[0]) * 1000 - $started))" >>"$OUT/first.txt"
done
python3 -c "
import statistics
v = [float(x) for x in open('$OUT/first.txt')]
print('start (agent receipt) to first packet on the wire: median %.1f ms, min %.1f, max %.1f over %d starts' % (
    statistics.median(v), min(v), max(v), len(v)))" | tee -a "$RESULTS"
rm -f "$OUT/first.txt"
