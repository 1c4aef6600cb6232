#!/usr/bin/env bash
# Pacing (issue 17): how evenly and how exactly Fleetgen and tcpreplay --pps space 60-byte UDP frames over the
# h1 -> h2 veth pair, alternated in the same run.
#  - Smoothness at 1, 10 and 100 kpps: every frame captured as it arrives on h2 (nanosecond timestamps; Fleetgen
#    bypasses the qdisc, so a tap on the sender's interface does not see its frames; on a veth pair arrival follows
#    departure in the same softirq), then CV and the largest gap over all gaps (no trimming) and the largest burst
#    (most frames in any interval of 1/pps) from bench/pacing_stats.py.
#  - Four paced runs at 10 kpps at once on h1 (Fleetgen: four runs on one agent; tcpreplay: four processes), each
#    measured apart by its destination port.
#  - Rate accuracy at 250 and 500 kpps, senders pinned to core 0 as in send-pps.sh (Fleetgen: sent over the agent's
#    run time; tcpreplay: its own "Rated" report).
#  - PROBE=1: a wake-up probe (bench/src/wakeprobe.c, SCHED_FIFO 20, 1 ms sleeps) on each CPU for the whole bench,
#    and every gap over 1 ms listed with its time: a stall the probe shares with a stream is the host's, not the JVM's.
# Usage: sudo [RPS=1] [PROBE=1] [RATES="1000 10000 100000"] [PARTS="smooth four accuracy"] bench/pacing.sh [SECONDS=3] [ROUNDS=2]
#        (RPS: see send-pps.sh; RATES and PARTS run a part of it)
set -euo pipefail
SECS=${1:-3}
ROUNDS=${2:-2}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
peer_frames
STATS=$(dirname "${BASH_SOURCE[0]}")/pacing_stats.py
AGENT_PID=$(cat deploy/.lab/h1.pid)
RESULTS=$OUT/pacing.txt
: >"$RESULTS"
/usr/bin/python3 - "$OUT" <<'PY'
import sys
from scapy.all import UDP, rdpcap, wrpcap
out = sys.argv[1]
frames = rdpcap(out + "/udp60.pcap")
for port in (8001, 8002, 8003, 8004):
    for f in frames:
        f[UDP].dport = port
        del f[UDP].chksum
    wrpcap("%s/udp60-%d.pcap" % (out, port), [f.__class__(bytes(f)) for f in frames])
PY

capture_start() { # FILE: every UDP frame arriving on h2, in the background, once tcpdump listens
    ip netns exec fg-h2 tcpdump -i bv2 -Q in -n -B 65536 --time-stamp-precision=nano -w "$1" udp 2>"$OUT/dump.err" &
    DUMP=$!
    for _ in $(seq 1 100); do
        grep -q "listening on" "$OUT/dump.err" && break
        sleep 0.05
    done
    sleep 0.2
}

capture_stop() { # reports what tcpdump's kernel buffer dropped, if anything
    # pcap's ring hands a block over when it is full or after its timeout (1 s): wait for the last one.
    sleep 1.5
    kill -INT "$DUMP" 2>/dev/null || true
    wait "$DUMP" || true
    grep "dropped by kernel" "$OUT/dump.err" | grep -v "^0 " | sed 's/^/capture: /' | tee -a "$RESULTS" || true
}

fleetgen() { # PPS RUN [PORT...]: one run per port, at PPS each, started together; prints the agent's figures
    local pps=$1 run=$2 cmd="" waits="" port
    shift 2
    for port in "$@"; do
        cmd+="stream s$port proto=udp src=198.18.1.1 dst=198.18.1.2 dport=$port; "
        cmd+="profile p$port continuous stream=s$port size=18 pps=$pps duration=$SECS; "
        waits+="sender $run$port p$port h1; "
    done
    for port in "$@"; do
        waits+="wait h1 $run$port finished timeout=$((SECS + 20)); "
    done
    "${CTL[@]}" -c "$cmd$waits poll h1" | tail -1 | /usr/bin/python3 -c "
import json, sys
for s in json.load(sys.stdin):
    if not s['name'].startswith('$run'):
        continue
    secs = (s['endedAtMillis'] - s['startedAtMillis']) / 1000.0
    rate = s['counters']['sent'] / secs
    print('fleetgen  pps %d achieved %.0f error %+.2f%% (sent %d in %.3f s, %d departures skipped after stalls)'
          % ($pps, rate, (rate / $pps - 1) * 100, s['counters']['sent'], secs, s['counters'].get('skipped', 0)))
" | tee -a "$RESULTS"
}

tcpreplay_one() { # PPS PCAP [CPUS]
    local out rate sent
    out=$(ip netns exec fg-h1 taskset -c "${3:-0,1}" timeout $((SECS * 3 + 20)) tcpreplay -i bv1 --pps="$1" \
        --loop=$(($1 * SECS / 1000)) "$2" 2>&1 || true)
    rate=$(echo "$out" | sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' | head -1)
    sent=$(echo "$out" | sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' | head -1)
    /usr/bin/python3 -c "print('tcpreplay pps %d achieved %.0f error %+.2f%% (sent %d)' % ($1, ${rate:-0}, (${rate:-0} / $1 - 1) * 100, ${sent:-0}))"
}

# A freshly launched agent spends its first seconds loading classes, compiling and collecting: one unmeasured
# 2 s run at 10 kpps first, then a pause.
"${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 pps=10000 duration=2; sender warm p h1; wait h1 warm finished timeout=30" >/dev/null
sleep 3
taskset -a -cp 0,1 "$AGENT_PID" >/dev/null
PROBES=()
if [ "${PROBE:-0}" = 1 ]; then
    trap 'kill "${PROBES[@]}" 2>/dev/null || true; deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
    command -v gcc >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc >/dev/null; }
    gcc -O2 -o "$OUT/wakeprobe" "$(dirname "${BASH_SOURCE[0]}")/src/wakeprobe.c"
    for cpu in $(seq 0 $(($(nproc) - 1))); do
        "$OUT/wakeprobe" "$cpu" 1800 >"$OUT/wakeprobe-$cpu.txt" &
        PROBES+=($!)
    done
    export STALLS=1
fi
n=0
PARTS=${PARTS:-smooth four accuracy}
for round in $(seq 1 "$ROUNDS"); do
    [[ " $PARTS " == *" smooth "* ]] || break
    for pps in ${RATES:-1000 10000 100000}; do
        order="fleetgen tcpreplay"
        [ $((round % 2)) = 0 ] && order="tcpreplay fleetgen"
        for tool in $order; do
            n=$((n + 1))
            capture_start "$OUT/pace-$tool-$pps.pcap"
            if [ "$tool" = fleetgen ]; then
                fleetgen "$pps" "r$n-" 8000
            else
                tcpreplay_one "$pps" "$OUT/udp60.pcap" | tee -a "$RESULTS"
            fi
            capture_stop
            /usr/bin/python3 "$STATS" "$tool" "$pps" "$OUT/pace-$tool-$pps.pcap" 8000 | tee -a "$RESULTS"
        done
    done
done

[[ " $PARTS " == *" four "* ]] && echo "four paced runs at 10 kpps at once on h1:" | tee -a "$RESULTS"
for tool in fleetgen tcpreplay; do
    [[ " $PARTS " == *" four "* ]] || break
    capture_start "$OUT/pace4-$tool.pcap"
    if [ "$tool" = fleetgen ]; then
        fleetgen 10000 q- 8001 8002 8003 8004
    else
        pids=()
        for port in 8001 8002 8003 8004; do
            tcpreplay_one 10000 "$OUT/udp60-$port.pcap" >"$OUT/tcpreplay-$port.txt" &
            pids+=($!)
        done
        wait "${pids[@]}"
        cat "$OUT"/tcpreplay-800?.txt | tee -a "$RESULTS"
    fi
    capture_stop
    for port in 8001 8002 8003 8004; do
        /usr/bin/python3 "$STATS" "$tool:$port" 10000 "$OUT/pace4-$tool.pcap" "$port" | tee -a "$RESULTS"
    done
done

if [ "${PROBE:-0}" = 1 ]; then
    kill "${PROBES[@]}" 2>/dev/null || true
    wait "${PROBES[@]}" 2>/dev/null || true
    echo "wake-up probes, SCHED_FIFO 20, wake-ups more than 1 ms late:" | tee -a "$RESULTS"
    cat "$OUT"/wakeprobe-*.txt | tee -a "$RESULTS"
fi
[[ " $PARTS " == *" accuracy "* ]] || exit 0
echo "rate accuracy, senders pinned to core 0:" | tee -a "$RESULTS"
taskset -a -cp 0 "$AGENT_PID" >/dev/null
for pps in 250000 500000; do
    fleetgen "$pps" "a$pps-" 8000
    tcpreplay_one "$pps" "$OUT/udp60.pcap" 0 | tee -a "$RESULTS"
done
