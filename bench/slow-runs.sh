#!/usr/bin/env bash
# What slow paced runs cost their agent (issue 15): RUNS senders (at most the agent's --max-tx-threads, 32) at PPS on h2 of a 2-host lab (to h1) for 45 s,
# and for comparison none; h2's CPU time and voluntary context switches (every thread) over 20 s while they run.
# Writes bench/out/slow-runs.txt.
# Usage: sudo [RUNS=30] [PPS=2] bench/slow-runs.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
trap 'deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
deploy/lab.sh up 2 >/dev/null
FLEETGEN_AGENT_OPTS="${FLEETGEN_AGENT_OPTS:---pacing-priority 0}" deploy/lab.sh agents start >/dev/null
sleep 15
PID=$(cat deploy/.lab/h2.pid)
switches() {
    local t=0 f
    for f in /proc/"$PID"/task/*/status; do
        t=$((t + $(awk '/^voluntary_ctxt_switches/ {print $2}' "$f" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
measure() { # RUNS
    java -Xmx256m -cp control/target/fleetgen-control.jar bench/src/ControlBench.java hold 198.19.0.1,198.19.0.2 \
        198.19.0.254 h2 198.18.0.1 "$1" "${PPS:-2}" 45 2>/dev/null >/dev/null &
    local j=$! c0 s0 c1 s1
    sleep 25
    c0=$(cpu); s0=$(switches)
    sleep 20
    c1=$(cpu); s1=$(switches)
    wait "$j"
    echo "$1 runs at ${PPS:-2} pps on h2: $(((c1 - c0) * 10 / 20)) ms of CPU a second, $(((s1 - s0) / 20)) wake-ups a second"
}
{ measure 0; measure "${RUNS:-30}"; } | tee "$OUT/slow-runs.txt"
