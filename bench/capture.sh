#!/usr/bin/env bash
# Receive (target 3): does the Fleetgen receiver on h2 count every frame Fleetgen's sender on h1 sends at a set
# rate? Continuous UDP 60-byte frames over the veth pair for SECONDS at each rate (0: as fast as it can), the
# sending agent pinned to core 0; prints sent, received and the share counted.
# Usage: sudo [RPS=1] bench/capture.sh [SECONDS=4] [RATES="700000 780000 0"]
set -euo pipefail
SECS=${1:-4}
RATES=${2:-700000 780000 0}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
taskset -a -cp 0 "$(cat deploy/.lab/h1.pid)" >/dev/null
for rate in $RATES; do
    pps=""
    [ "$rate" = 0 ] || pps="pps=$rate"
    "${CTL[@]}" -c "stream rs proto=udp dst=198.18.1.2 dport=8000; profile rp continuous stream=rs; receiver r$rate rp h2" >/dev/null
    sent=$("${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 $pps duration=$SECS; sender s$rate p h1; wait h1 s$rate finished timeout=$((SECS + 20))" | tail -1 \
        | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; c=s["counters"]["sent"]; print(c, round(c/((s["endedAtMillis"]-s["startedAtMillis"])/1000.0)))')
    sleep 0.5
    recv=$("${CTL[@]}" -c "stop h2 r$rate" | tail -1 | python3 -c 'import json,sys; c=json.load(sys.stdin)[0]["counters"]; print(c["recv"], c.get("drops", 0))')
    read -r s r <<<"$sent"
    read -r got drops <<<"$recv"
    python3 -c "import sys; s,r,g,d=map(int,sys.argv[1:5]); print(f'rate {sys.argv[5]:>7}: sent {s} at {r} pps, received {g} ({100.0*g/s:.2f} %), pcap drops {d}')" "$s" "$r" "$got" "$drops" "${rate/#0/max}"
done
