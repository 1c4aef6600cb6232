#!/usr/bin/env bash
# Broadcast start to N-1 agents: an N-host lab (default 9: h1 receives, h2..hN send to it over the lab's data
# bridge), one control in the root namespace. Each round is one broadcast START_SENDER (2 s at 1 kpps each, to port
# 8000 + round); tcpdump on h1 stamps the first packet of every sender; the figure is the control's publish
# instant to the last agent's first packet (one clock: same machine), and to the last reply. Round 0 also
# resolves ARP and warms up.
# Usage: sudo [GAP=ms between rounds, default 3000] bench/broadcast.sh [ROUNDS=6] [N=9]
#   FLEETGEN_AGENT_OPTS and FLEETGEN_JAVA_EXTRA reach the agents (deploy/lab.sh), e.g. "--pacing-priority 0".
set -euo pipefail
ROUNDS=${1:-6}
N=${2:-9}
[ "$N" -ge 2 ] || { echo "broadcast: N=$N (expected: at least 2 hosts)" >&2; exit 2; }
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TD=
cleanup() {
    [ -n "$TD" ] && kill "$TD" 2>/dev/null || true
    cp deploy/.lab/h*.log "$OUT/" 2>/dev/null || true
    deploy/lab.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT
deploy/lab.sh up "$N" >/dev/null
t0=$(date +%s.%N)
# A few at a time: many JVMs starting at once on two cores would take longer than the lab's ready timeout.
FLEETGEN_LAB_START_BATCH=${FLEETGEN_LAB_START_BATCH:-3} deploy/lab.sh agents start >/dev/null
python3 -c "print('$N agents ready (${FLEETGEN_LAB_START_BATCH:-3} at a time): %.1f s' % ($(date +%s.%N) - $t0))"
ip netns exec fg-h1 tcpdump -i data0 -Q in -n -tt --time-stamp-precision=micro udp dst portrange 8000-8099 \
    >"$OUT/broadcast-capture.txt" 2>/dev/null &
TD=$!
sleep 2
MEMBERS=$(seq -s, -f '198.19.0.%g' 1 "$N")
java -Xmx256m ${GAP:+-Dgap=$GAP} -cp control/target/fleetgen-control.jar bench/src/ControlBench.java broadcast "$MEMBERS" 198.19.0.254 \
    "$(seq -s, -f 'h%g' 2 "$N")" 198.18.0.1 "$ROUNDS" 2>/dev/null | grep '^round' | tee "$OUT/broadcast-rounds.txt"
sleep 1
kill "$TD"
TD=
python3 - "$OUT" "$((N - 1))" <<'PY' | tee "$OUT/broadcast.txt"
import re, statistics, sys
out = sys.argv[1]
senders = int(sys.argv[2])
rounds = []
for line in open(out + "/broadcast-rounds.txt"):
    m = re.match(r"round (\d+) published (\d+) us: (\d+)/(\d+) agents started, all replies after ([0-9.]+) ms", line)
    rounds.append((int(m.group(1)), int(m.group(2)) / 1e6, int(m.group(3)), float(m.group(5))))
pkts = []
for line in open(out + "/broadcast-capture.txt"):
    m = re.match(r"(\d+\.\d+) IP (198\.18\.0\.\d+)\.\d+ > [0-9.]+\.(\d+):", line)
    if m:
        pkts.append((float(m.group(1)), m.group(2), int(m.group(3))))
lasts, replies = [], []
for i, (r, pub, ok, rep) in enumerate(rounds):
    first = {}
    for t, src, dport in pkts:
        if dport == 8000 + r and src not in first:
            first[src] = t
    last = (max(first.values()) - pub) * 1000 if len(first) == senders else float("nan")
    print("round %d: %d agents started, %d sending; publish -> last agent's first packet %.1f ms, -> all replies %.1f ms"
          % (r, ok, len(first), last, rep))
    if r > 0:
        lasts.append(last)
        replies.append(rep)
print("median over rounds 1..%d: publish -> all %d agents sending %.1f ms (max %.1f), -> all replies %.1f ms"
      % (len(lasts), senders, statistics.median(lasts), max(lasts), statistics.median(replies)))
PY
