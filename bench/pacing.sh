#!/usr/bin/env bash
# Pacing accuracy: 60-byte UDP frames at a set pps over the h1 -> h2 veth pair, from Fleetgen (Continuous, pps=N)
# and from tcpreplay --pps=N in the same run. For each rate the achieved rate and its error (Fleetgen: sent over
# the agent's run time; tcpreplay: its own "Rated" report); at 10 kpps also the smoothness of both, from
# nanosecond capture timestamps of the frames as they arrive on h2 (Fleetgen bypasses the qdisc, so taps on the
# sender's interface do not see its frames; on a veth pair arrival follows departure in the same softirq).
# Usage: sudo [RPS=1] bench/pacing.sh [SECONDS=3]   (RPS: see send-pps.sh)
set -euo pipefail
SECS=${1:-3}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
peer_frames
# Senders pinned to core 0 for the rates, as in send-pps.sh; free to use both cores for the 10 kpps smoothness
# runs (pinned, the agent's own JVM threads preempt its transmit thread on that core: CV ~1 instead of ~0.3).
AGENT_PID=$(cat deploy/.lab/h1.pid)
RESULTS=$OUT/pacing.txt
: >"$RESULTS"

capture_start() { # FILE: capture 10 kpps x SECS frames arriving on h2, in the background
    ip netns exec fg-h2 tcpdump -i bv2 -Q in -n -tt --time-stamp-precision=nano -c $((SECS * 10000 - 100)) -w "$1" \
        udp dst port 8000 2>/dev/null &
    DUMP=$!
    sleep 1
}

smoothness() { # TOOL FILE
    wait "$DUMP" || true
    /usr/bin/python3 - "$1" "$2" <<'PY' | tee -a "$RESULTS"
import statistics, sys
from scapy.all import PcapReader
tool, path = sys.argv[1:3]
ts = [float(p.time) for p in PcapReader(path)]
gaps = [b - a for a, b in zip(ts, ts[1:])]
steady = [b - a for a, b in zip(ts, ts[1:]) if a - ts[0] >= 0.5]  # after the first 0.5 s (JIT warm-up)
m = statistics.mean(gaps)
s = sorted(gaps)
trim = s[len(s) // 100:len(s) * 99 // 100]
near = sum(1 for g in gaps if abs(g - 1e-4) <= 2e-5) / len(gaps)
print("%-9s 10 kpps inter-departure: mean %.1f us, CV %.3f over all %d gaps (largest %.2f ms); CV %.3f after the "
      "first 0.5 s; CV of the 1-99 %% range %.3f; %.1f %% of gaps within 100 +- 20 us"
      % (tool, m * 1e6, statistics.pstdev(gaps) / m, len(gaps), s[-1] * 1e3,
         statistics.pstdev(steady) / statistics.mean(steady), statistics.pstdev(trim) / statistics.mean(trim),
         near * 100))
PY
}

# A freshly launched agent spends its first seconds loading classes, compiling and collecting (young GC pauses
# of 4-9 ms, seen with -Xlog:safepoint): one unmeasured 2 s run at 10 kpps first, then a pause.
"${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 pps=10000 duration=2; sender warm p h1; wait h1 warm finished timeout=30" >/dev/null
sleep 5
i=0
for pps in 1000 10000 100000 250000 500000; do
    i=$((i + 1))
    pin=0
    [ "$pps" = 10000 ] && pin=0,1
    taskset -a -cp "$pin" "$AGENT_PID" >/dev/null
    [ "$pps" = 10000 ] && capture_start "$OUT/pace10k-fleetgen.pcap"
    "${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 pps=$pps duration=$SECS; sender p$i p h1; wait h1 p$i finished timeout=$((SECS + 20))" \
        | tail -1 | python3 -c "
import json, sys
s = json.load(sys.stdin)[0]
secs = (s['endedAtMillis'] - s['startedAtMillis']) / 1000.0
rate = s['counters']['sent'] / secs
print('fleetgen  pps %d achieved %.0f error %+.2f%% (sent %d in %.3f s)' % ($pps, rate, (rate / $pps - 1) * 100, s['counters']['sent'], secs))
" | tee -a "$RESULTS"
    [ "$pps" = 10000 ] && smoothness fleetgen "$OUT/pace10k-fleetgen.pcap"
    [ "$pps" = 10000 ] && capture_start "$OUT/pace10k-tcpreplay.pcap"
    out=$(ip netns exec fg-h1 taskset -c "$pin" timeout $((SECS * 3 + 20)) tcpreplay -i bv1 --pps="$pps" \
        --loop=$((pps * SECS / 1000)) "$OUT/udp60.pcap" 2>&1 || true)
    rate=$(echo "$out" | sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' | head -1)
    sent=$(echo "$out" | sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' | head -1)
    python3 -c "print('tcpreplay pps %d achieved %.0f error %+.2f%% (sent %d)' % ($pps, ${rate:-0}, (${rate:-0} / $pps - 1) * 100, ${sent:-0}))" \
        | tee -a "$RESULTS"
    [ "$pps" = 10000 ] && smoothness tcpreplay "$OUT/pace10k-tcpreplay.pcap"
done
