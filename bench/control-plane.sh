#!/usr/bin/env bash
# Control-plane figures: agent launch-to-ready time and idle resident memory, start/stop cycles per second
# from one control over the clustered bus, and start-to-first-packet (agent's start timestamp, ms, to the
# first frame's nanosecond capture timestamp on the wire; one clock: same machine).
# Usage: sudo bench/control-plane.sh [CYCLES=1000]
set -euo pipefail
CYCLES=${1:-1000}
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
# Start/stop cycles through the Java API (bench/src/ControlBench.java, run as a single source file on the
# control's class path): a warm-up pass, then the measured pass, with 1 and 16 cycles in flight.
for lanes in 1 16; do
    java -Xmx256m -cp control/target/fleetgen-control.jar bench/src/ControlBench.java cycles 198.19.0.1,198.19.0.2 \
        198.19.0.254 h1 198.18.1.2 "$CYCLES" "$lanes" 2>/dev/null | grep '^measured' | sed 's/^measured: //' \
        | tee -a "$RESULTS"
done
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
