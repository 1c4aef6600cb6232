#!/usr/bin/env bash
# What field ranges cost (issue 14): one transmit thread, 60-byte UDP frames h1 -> h2 over a veth pair, a
# Fleetgen receiver counting on h2. Takes turns in the same run (ROUNDS rounds): Fleetgen with a single flow, with
# 4,096 flows (64 source addresses x 64 destination ports, inc), the same in random order, and tcpreplay
# --topspeed replaying one frame and 4,096 distinct frames, and Fleetgen sending the simple IMIX (64:7,570:4,1518:1:
# the same per-packet work on frames of 60 to 1514 bytes, so its pps is bounded by copying bytes, not by patching).
# Prints each trial and the medians.
# Usage: sudo [RPS=1] bench/flows.sh [ROUNDS=3] [SECONDS=4]
set -euo pipefail
ROUNDS=${1:-3}
SECS=${2:-4}
# The ranged sources are spoofed: the agents allow them.
export FLEETGEN_AGENT_OPTS="--allow-sources 198.18.1.0/24"
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
peer_frames
/usr/bin/python3 - "$OUT" <<'PY'
import sys
from scapy.all import Ether, Raw, wrpcap
base = Ether(bytes.fromhex(open(sys.argv[1] + "/udp60.hex").read()))
frames = []
for dport in range(9000, 9064):
    for i in range(64):
        f = base.copy()
        f["IP"].src = "198.18.1.%d" % (100 + i)
        f["UDP"].dport = dport
        del f["IP"].chksum
        del f["UDP"].chksum
        frames.append(Ether(bytes(f)))
wrpcap(sys.argv[1] + "/udp60-4096.pcap", frames)
wrpcap(sys.argv[1] + "/udp60-1flow.pcap", [frames[0]] * 1000)   # the same path: a spoofed source, no listener
PY
# Core 0 sends and does nothing else: the sending agent's threads there, the receiving agent, the control's JVMs
# and (with RPS=1) the receiving kernel work on core 1.
taskset -a -cp 0 "$(cat deploy/.lab/h1.pid)" >/dev/null
taskset -a -cp 1 "$(cat deploy/.lab/h2.pid)" >/dev/null
CTL=(taskset -c 1 "${CTL[@]}")
recv_start() { "${CTL[@]}" -c "stream rs proto=udp dst=198.18.1.2 dport=8000; profile rp continuous stream=rs capfilter=udp; receiver $1 rp h2" >/dev/null; }
recv_stop() { "${CTL[@]}" -c "stop h2 $1" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["counters"]["recv"])'; }

fleetgen_trial() {   # name, label, extra profile keywords
    local name=$1 label=$2 extra=$3
    # Every trial takes the same kernel path on both ends: a source of the ranged set (198.18.1.100, allowed by
    # --allow-sources) and destination ports without a listener (9000..), so only the number of flows differs.
    recv_start "r$name"
    local out rate sent
    out=$("${CTL[@]}" -c "stream s proto=udp src=198.18.1.100 dst=198.18.1.2 dport=9000; profile p continuous stream=s size=18 duration=$SECS $extra; sender s$name p h1; wait h1 s$name finished timeout=$((SECS + 20))" | tail -1)
    read -r sent rate < <(echo "$out" | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; c=s["counters"]["sent"]; print(c, c/((s["endedAtMillis"]-s["startedAtMillis"])/1000.0))')
    sleep 0.5
    echo "$label $rate $sent $(recv_stop "r$name")"
}

tcpreplay_trial() {   # name, label, pcap, frames in it
    local name=$1 label=$2 pcap=$3 frames=$4
    recv_start "r$name"
    local out sent rate
    out=$(ip netns exec fg-h1 taskset -c 0 timeout 60 tcpreplay -i bv1 --topspeed -K --loop=$((SECS * 400000 / frames)) "$pcap" 2>&1 || true)
    sent=$(echo "$out" | sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' | head -1)
    rate=$(echo "$out" | sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' | head -1)
    sleep 0.5
    echo "$label $rate $sent $(recv_stop "r$name")"
}

RESULTS=$OUT/flows.txt
: >"$RESULTS"
for r in $(seq 1 "$ROUNDS"); do
    # Each round takes every trial once, in the reverse order of the round before: a drift of the VM's speed
    # during a round weighs on both ends alike, and each round's ratios to its own single flow cancel it.
    order="one inc rnd mix tr1 trN"
    [ $((r % 2)) = 0 ] && order="trN tr1 mix rnd inc one"
    for t in $order; do
        case $t in
            one) line=$(fleetgen_trial "one$r" fleetgen-1-flow "") ;;
            inc) line=$(fleetgen_trial "inc$r" fleetgen-4096-flows "range=src=198.18.1.100..198.18.1.163,dport=9000..9063") ;;
            rnd) line=$(fleetgen_trial "rnd$r" fleetgen-4096-random "range=src=198.18.1.100..198.18.1.163@random,dport=9000..9063@random seed=7") ;;
            mix) line=$(fleetgen_trial "mix$r" fleetgen-imix "imix=64:7,570:4,1518:1") ;;
            tr1) line=$(tcpreplay_trial "tr1$r" tcpreplay-1-flow "$OUT/udp60-1flow.pcap" 1000) ;;
            trN) line=$(tcpreplay_trial "trN$r" tcpreplay-4096-flows "$OUT/udp60-4096.pcap" 4096) ;;
        esac
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
rate = {(r[1], r[2]): float(r[3]) for r in rows}
rounds = sorted({r[1] for r in rows}, key=int)
print("\n%-22s %12s %10s %26s  %s" % ("how", "median pps", "vs 1 flow", "paired: median [min, max]",
                                       "receiver counted (recv/sent, per trial)"))
for t, v in by.items():
    one = "fleetgen-1-flow" if t.startswith("fleetgen") else "tcpreplay-1-flow"
    # The paired figure: in each round, this trial's rate over the same round's single flow.
    pair = sorted(100 * (rate[(k, t)] / rate[(k, one)] - 1) for k in rounds if (k, t) in rate and (k, one) in rate)
    print("%-22s %12.0f %9.1f%% %11.1f%% [%5.1f, %5.1f]  %s" % (t, med[t], 100 * (med[t] / med[one] - 1),
          statistics.median(pair), pair[0], pair[-1], " ".join("%d/%d" % (x[2], x[1]) for x in v)))
PY
