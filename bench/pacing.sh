#!/usr/bin/env bash
# Pacing accuracy: Continuous UDP 60-byte frames at a set pps over the h1 -> h2 veth pair, for each rate the
# achieved rate (sent / run time) and its error; at 10 kpps also the coefficient of variation of the
# inter-departure times, from nanosecond capture timestamps of the frames as they arrive on h2 (the sender
# bypasses the qdisc, so taps on its own interface do not see them; on a veth pair arrival follows departure
# within the same softirq).
# Usage: sudo [RPS=1] bench/pacing.sh [SECONDS=3]   (RPS: see send-pps.sh)
set -euo pipefail
SECS=${1:-3}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
# The sender's agent pinned to core 0 for the rates, as in send-pps.sh; free to use both cores for the 10 kpps
# smoothness run (pinned, its own JVM threads preempt the transmit thread on that core: CV ~1 instead of ~0.3).
AGENT_PID=$(cat deploy/.lab/h1.pid)
RESULTS=$OUT/pacing.txt
: >"$RESULTS"
i=0
for pps in 1000 10000 100000 250000 500000; do
    i=$((i + 1))
    dump=
    taskset -a -cp 0 "$AGENT_PID" >/dev/null
    if [ "$pps" = 10000 ]; then
        taskset -a -cp 0,1 "$AGENT_PID" >/dev/null
        ip netns exec fg-h2 tcpdump -i bv2 -Q in -n -tt --time-stamp-precision=nano -c 20000 -w "$OUT/pace10k.pcap" \
            udp dst port 8000 2>/dev/null &
        dump=$!
        sleep 1
    fi
    "${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 pps=$pps duration=$SECS; sender p$i p h1; wait h1 p$i finished timeout=$((SECS + 20))" \
        | tail -1 | python3 -c "
import json, sys
s = json.load(sys.stdin)[0]
secs = (s['endedAtMillis'] - s['startedAtMillis']) / 1000.0
rate = s['counters']['sent'] / secs
print('pps %d achieved %.0f error %+.2f%% (sent %d in %.3f s)' % ($pps, rate, (rate / $pps - 1) * 100, s['counters']['sent'], secs))
" | tee -a "$RESULTS"
    if [ -n "$dump" ]; then
        wait "$dump" || true
        /usr/bin/python3 - "$OUT/pace10k.pcap" <<'PY' | tee -a "$RESULTS"
import statistics, sys
from scapy.all import PcapReader
ts = [float(p.time) for p in PcapReader(sys.argv[1])]
gaps = [b - a for a, b in zip(ts, ts[1:])]
steady = [b - a for a, b in zip(ts, ts[1:]) if a - ts[0] >= 0.5]  # after the first 0.5 s (JIT warm-up)
m = statistics.mean(gaps)
s = sorted(gaps)
trim = s[len(s) // 100:len(s) * 99 // 100]
near = sum(1 for g in gaps if abs(g - 1e-4) <= 2e-5) / len(gaps)
print("10 kpps inter-departure: mean %.1f us, CV %.3f over all %d gaps (largest %.2f ms); CV %.3f after the "
      "first 0.5 s (%d gaps, largest %.2f ms); CV of the 1-99 %% range %.3f; %.1f %% of gaps within 100 +- 20 us"
      % (m * 1e6, statistics.pstdev(gaps) / m, len(gaps), s[-1] * 1e3,
         statistics.pstdev(steady) / statistics.mean(steady), len(steady), max(steady) * 1e3,
         statistics.pstdev(trim) / statistics.mean(trim), near * 100))
PY
    fi
done
