#!/usr/bin/env bash
# Fleet figures at several sizes (issue 15): for each N, an N-host lab with an agent per host and a control in the
# root namespace, then
#   - agents: each one's start-to-ready time and idle resident size; the join time of one more agent into N-1,
#   - broadcast start: every agent but h1 sends to h1 (tcpdump on h1 stamps each sender's first packet): the
#     control's publish instant to the last agent's first packet,
#   - fleet poll of every agent: publish to the last reply,
#   - a 12 x 12 mesh (132 pairs, 1,000 packets each) from N = 12 on: exact counts and end-to-end time,
#   - counter events the control takes while every agent but h1 runs 30 senders at 2 pps (one signed batch of 30
#     events per agent and second), with the largest snapshot-to-taken delay,
#   - the control's resident size.
# Writes bench/out/scale-N.txt per size, bench/out/scale.tsv, and docs/scale.svg (the curves).
# Usage: sudo [DATA_MEMBERS=K] bench/scale.sh [SIZES="4 8 16 32"] [ROUNDS=4]   (DATA_MEMBERS: bench/out/lite-K/)
set -euo pipefail
SIZES=${1:-"4 8 16 32"}
ROUNDS=${2:-4}
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# Paced transmit threads without SCHED_FIFO: here every agent shares two vCPUs, and 31 real-time threads, each
# spinning up to 40 % of its period before a departure, starved the members' Hazelcast heartbeats until agents were
# declared dead (2026-11-28: broadcast start at 16 agents 2.3 s with them, 0.55 s without). On a fleet, one agent per
# host, the default stays. FLEETGEN_AGENT_OPTS set by the caller wins.
# And from 16 agents on, every member (agents and the control alike) waits 15 s, not 5, for a heartbeat before it
# declares a member gone (--heartbeat-timeout-seconds): with hundreds of runs on two vCPUs, members whose heartbeat
# thread was not scheduled for 5 s were dropped (the control itself at 32). HEARTBEAT sets it for every size.
# And the agents' JIT compilers run at nice 19 once they are ready (--jit-nice): each start makes 31 JVMs compile
# the code it ran at once, a third of two vCPUs in the first rounds, while the starts still to come waited
# (2026-11-30: broadcast start at 32 agents 663 and 400 ms median without, 293 and 284 ms with; docs/SCALE.md).
export FLEETGEN_AGENT_OPTS=${FLEETGEN_AGENT_OPTS---pacing-priority 0 --jit-nice 19}
# DATA_MEMBERS=K: only h1..hK hold the cluster's data; every other agent joins --lite-member (no partitions, no
# migration when it comes or goes), the deployment docs/SCALE.md proposes for large fleets. Unset: every agent does.
lite() { [ -n "${DATA_MEMBERS:-}" ] && [ "$1" -gt "$DATA_MEMBERS" ] && echo --lite-member || true; }
# start_agents N EXTRA_OPTS HOST...: starts those agents of an N-agent lab, four (from 17 agents on two) at a time.
start_agents() {
    local n=$1 extra=$2
    shift 2
    FLEETGEN_AGENT_OPTS="$FLEETGEN_AGENT_OPTS --heartbeat-timeout-seconds $(heartbeat "$n") $extra" \
        FLEETGEN_LAB_START_BATCH=$([ "$n" -gt 16 ] && echo 2 || echo 4) deploy/lab.sh agents start "$@" >/dev/null
}
if [ -n "${DATA_MEMBERS:-}" ]; then
    OUT=$OUT/lite-$DATA_MEMBERS
    export SCALE_SVG=$OUT/scale.svg
    mkdir -p "$OUT"
fi
heartbeat() { echo "${HEARTBEAT:-$([ "$1" -ge 16 ] && echo 15 || echo 5)}"; }
TD=
cleanup() {
    [ -n "$TD" ] && kill "$TD" 2>/dev/null || true
    deploy/lab.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Proportional set size: the agent's own pages plus its share of those every agent maps alike (libjvm, the class-data
# archive): what one more agent costs the host.
pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

for n in $SIZES; do
    f=$OUT/scale-$n.txt
    : >"$f"
    deploy/lab.sh up "$n" >/dev/null
    # All but the last agent in batches (deploy/lab.sh starts four at a time), then the last one alone: its
    # start-to-ready time is the join into a cluster of N-1 agents.
    t0=$(date +%s.%N)
    hb=$(heartbeat "$n")
    data=$(seq -f 'h%g' 1 $((n - 1)) | head -n "${DATA_MEMBERS:-$n}" | tr '\n' ' ')
    others=$(seq -f 'h%g' 1 $((n - 1)) | tail -n +$((${DATA_MEMBERS:-$n} + 1)) | tr '\n' ' ')
    # shellcheck disable=SC2086
    [ -z "$data" ] || start_agents "$n" "" $data
    # shellcheck disable=SC2086
    [ -z "$others" ] || start_agents "$n" --lite-member $others
    t1=$(date +%s.%N)
    start_agents "$n" "$(lite "$n")" "h$n"
    t2=$(date +%s.%N)
    python3 -c "print('agents %d ready after %.1f s; the last one joined %d in %.2f s' % ($n, $t2 - $t0, $n - 1, $t2 - $t1))" | tee -a "$f"
    for i in $(seq 1 "$n"); do
        python3 -c "import os; print('ready h$i %.2f s' % (os.stat('deploy/.lab/h$i.ready').st_mtime - float(open('deploy/.lab/h$i.started').read())))"
    done >>"$f"
    sleep 25   # idle: what an agent holds when nothing runs (its heap collected and trimmed)
    for i in $(seq 1 "$n"); do
        pid=$(cat "deploy/.lab/h$i.pid")
        echo "rss h$i $(rss_kib "$pid") KiB pss $(pss_kib "$pid") KiB threads $(ls "/proc/$pid/task" | wc -l)"
    done >>"$f"
    ip netns exec fg-h1 tcpdump -i data0 -Q in -n -tt --time-stamp-precision=micro udp dst portrange 8000-8099 \
        >"$OUT/scale-capture-$n.txt" 2>/dev/null &
    TD=$!
    sleep 2
    members=$(seq -s, -f '198.19.0.%g' 1 "$n")
    java -Xmx256m -Dgap=2500 -Dheartbeat="$hb" -Drate="${RATE:-1000}" -cp control/target/fleetgen-control.jar bench/src/ControlBench.java scale "$members" \
        198.19.0.254 "$n" 198.18.0.1 "$ROUNDS" 2>"$OUT/scale-control-$n.err" | tee -a "$f" \
        || echo "control bench failed at $n agents: $(grep -m1 -E '^[a-z.]+\.[A-Za-z]+Exception' "$OUT/scale-control-$n.err")" \
        | tee -a "$f"
    kill "$TD"
    TD=
    python3 - "$f" "$OUT/scale-capture-$n.txt" "$n" <<'PY' | tee -a "$f"
import re, statistics, sys
f, cap, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
pub = {}
for line in open(f):
    m = re.match(r"round (\d+) published (\d+) us", line)
    if m:
        pub[int(m.group(1))] = int(m.group(2)) / 1e6
first = {}
for line in open(cap):
    m = re.match(r"(\d+\.\d+) IP (198\.18\.0\.\d+)\.\d+ > [0-9.]+\.(\d+):", line)
    if m:
        r = int(m.group(3)) - 8000
        first.setdefault(r, {}).setdefault(m.group(2), float(m.group(1)))
lasts = []
for r, t in sorted(pub.items()):
    got = first.get(r, {})
    if r > 0 and len(got) == n - 1:
        lasts.append((max(got.values()) - t) * 1000)
    print("broadcast round %d: %d of %d senders seen" % (r, len(got), n - 1))
if lasts:
    print("broadcast-to-all-sending median %.1f ms max %.1f ms" % (statistics.median(lasts), max(lasts)))
PY
    deploy/lab.sh down >/dev/null
done

# The table (markdown, for docs/SCALE.md), bench/out/scale.tsv and docs/scale.svg, from every size measured.
python3 bench/scale_report.py "$OUT" $SIZES
