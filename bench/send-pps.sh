#!/usr/bin/env bash
# Send rate, one transmit thread, Continuous UDP 60-byte frames h1 -> h2 over a veth pair, with a Fleetgen
# receiver counting on h2 the whole time. Fleetgen, tcpreplay --topspeed, trafgen and a Scapy sendp loop take
# turns in the same run (ROUNDS rounds); prints each trial, the medians and the ratios to tcpreplay.
# Usage: sudo [RPS=1] [TOOLS="fleetgen tcpreplay"] bench/send-pps.sh [ROUNDS=5] [SECONDS=4]
# TOOLS picks the tools that take turns (tcpreplay, the reference, among them); all four by default.
# RPS=1 steers the receiving side's kernel work to core 1 (receive packet steering on bv2), so that the
# sender's core does only the transmit work; trafgen aborts on that path ("Flushing TX_RING failed: Resource
# temporarily unavailable") and is then reported as 0.
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-4}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
peer_frames
# Pin the sender's work to core 0: the agent JVM here, the peer tools with taskset below.
AGENT_PID=$(cat deploy/.lab/h1.pid)
taskset -a -cp 0 "$AGENT_PID" >/dev/null
now() { date +%s.%N; }
recv_start() { "${CTL[@]}" -c "stream rs proto=udp dst=198.18.1.2 dport=8000; profile rp continuous stream=rs; receiver $1 rp h2" >/dev/null; }
recv_stop() { "${CTL[@]}" -c "stop h2 $1" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["counters"]["recv"])'; }

fleetgen_trial() {
    local name=$1
    recv_start "r$name"
    local out
    out=$("${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 duration=$SECS; sender s$name p h1; wait h1 s$name finished timeout=$((SECS + 20))" | tail -1)
    local rate sent
    read -r sent rate < <(echo "$out" | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; c=s["counters"]["sent"]; print(c, c/((s["endedAtMillis"]-s["startedAtMillis"])/1000.0))')
    sleep 0.5
    local recv
    recv=$(recv_stop "r$name")
    echo "fleetgen $rate $sent $recv"
}

tcpreplay_trial() {
    local name=$1
    recv_start "r$name"
    local loops=$((SECS * 400))
    local out
    out=$(ip netns exec fg-h1 taskset -c 0 timeout 60 tcpreplay -i bv1 --topspeed -K --loop="$loops" "$OUT/udp60.pcap" 2>&1 || true)
    local sent rate
    sent=$(echo "$out" | sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' | head -1)
    rate=$(echo "$out" | sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' | head -1)
    sleep 0.5
    echo "tcpreplay $rate $sent $(recv_stop "r$name")"
}

trafgen_trial() {
    local name=$1
    recv_start "r$name"
    local n=$((SECS * 400000)) out sent secs
    out=$(ip netns exec fg-h1 timeout 60 taskset -c 0 trafgen -o bv1 -i "$OUT/udp60.trafgen" -n "$n" -P 1 -q -V 2>&1 || true)
    out=$(echo "$out" | tr -d '\r')
    sent=$(echo "$out" | sed -n 's/^ *\([0-9]*\) packets outgoing.*/\1/p' | head -1)
    # trafgen's own sending time, as tcpreplay's rate is its own ("N sec, M usec on CPU0").
    secs=$(echo "$out" | sed -n 's/^ *\([0-9]*\) sec, \([0-9]*\) usec on CPU.*/\1 + \2 \/ 1e6/p' | head -1)
    sleep 0.5
    echo "trafgen $(python3 -c "print(${sent:-0}/(${secs:-1}))") ${sent:-0} $(recv_stop "r$name")"
}

scapy_trial() {
    local name=$1
    recv_start "r$name"
    local n=20000 t0 t1
    t0=$(now)
    ip netns exec fg-h1 taskset -c 0 /usr/bin/python3 -c "
from scapy.all import Ether, sendp
f = Ether(bytes.fromhex(open('$OUT/udp60.hex').read()))
sendp(f, iface='bv1', count=$n, verbose=0)"
    t1=$(now)
    sleep 0.5
    echo "scapy $(python3 -c "print($n/($t1-$t0))") $n $(recv_stop "r$name")"
}

RESULTS=$OUT/send-pps.txt
: >"$RESULTS"
for r in $(seq 1 "$ROUNDS"); do
    for tool in ${TOOLS:-fleetgen tcpreplay trafgen scapy}; do
        line=$(${tool}_trial "${tool:0:3}$r")
        echo "round $r $line" | tee -a "$RESULTS"
    done
done
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r[2], []).append((float(r[3]), int(r[4]), int(r[5])))
med = {t: statistics.median(x[0] for x in v) for t, v in by.items()}
print("\n%-10s %12s %10s %s" % ("tool", "median pps", "vs tcpreplay", "receiver counted (recv/sent, per trial)"))
for t, v in by.items():
    print("%-10s %12.0f %10.2fx %s" % (t, med[t], med[t] / med["tcpreplay"],
          " ".join("%d/%d" % (x[2], x[1]) for x in v)))
if "scapy" in med:
    print("fleetgen vs scapy: %.0fx" % (med["fleetgen"] / med["scapy"]))
PY
