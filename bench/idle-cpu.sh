#!/usr/bin/env bash
# Idle CPU of the agents: a lab of N agents doing nothing, each agent's CPU over a window and which of its threads
# spent it (summed over the agents, by thread name). Each CONFIG is NAME=JAVA_OPTS ("default": the launcher's own
# flags); the configurations take turns ROUNDS times, the agents restarted for each.
# Usage: sudo bench/idle-cpu.sh [N=4] [ROUNDS=1] [CONFIG ...]
#   SETTLE (s, default 120) after every agent is ready, WINDOW (s, default 60) measured.
# Prints one line per configuration and round: the agents' start-to-ready time (s, median and range; started as
# lab.sh does, four at a time), CPU ms a second per agent (median and range), idle RSS (MiB, median), the busiest
# thread classes; the lines go to bench/out/idle-cpu.txt.
set -euo pipefail
N=${1:-4}
ROUNDS=${2:-1}
shift $(($# < 2 ? $# : 2))
CONFIGS=("$@")
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=("default=")
SETTLE=${SETTLE:-120}
WINDOW=${WINDOW:-60}
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RESULTS=$OUT/idle-cpu.txt
: >"$RESULTS"
export LC_ALL=C
trap 'deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
deploy/lab.sh down >/dev/null 2>&1 || true
deploy/lab.sh up "$N" >/dev/null

# Each thread's CPU ticks, as "pid:tid ticks" (the name in /proc/PID/task/TID/stat may hold spaces: cut after it).
ticks() {
    for p in "$@"; do
        for t in /proc/"$p"/task/*; do
            echo "$p:${t##*/} $(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
        done
    done | sort
}

measure() { # NAME JAVA_OPTS
    local name=$1 opts=$2
    # Every round from no agent at all: lab.sh restarts running agents one by one, and an agent that restarts
    # into a running cluster is ready in about 2 s, where N starting together from none take 6-8 s.
    deploy/lab.sh agents stop >/dev/null
    if [ -n "$opts" ]; then
        JAVA_OPTS="$opts" deploy/lab.sh agents start >/dev/null
    else
        env -u JAVA_OPTS deploy/lab.sh agents start >/dev/null
    fi
    local ready
    ready=$(for i in $(seq 1 "$N"); do
        echo "$(stat -c %.3Y "deploy/.lab/h$i.ready") $(cat "deploy/.lab/h$i.started")" | awk '{printf "%.2f\n", $1 - $2}'
    done | sort -n | awk '{a[NR] = $1} END {printf "%s (%s-%s)", a[int((NR + 1) / 2)], a[1], a[NR]}')
    sleep "$SETTLE"
    local pids
    pids=$(cat deploy/.lab/h*.pid)
    for p in $pids; do jstack "$p" >"$OUT/idle-jstack.$p" 2>/dev/null || true; done
    local before after
    before=$(for p in $pids; do awk '{print $14 + $15}' /proc/"$p"/stat; done)
    ticks $pids >"$OUT/idle-ticks.a"
    sleep "$WINDOW"
    ticks $pids >"$OUT/idle-ticks.b"
    after=$(for p in $pids; do awk '{print $14 + $15}' /proc/"$p"/stat; done)
    local hz rss
    hz=$(getconf CLK_TCK)
    rss=$(for p in $pids; do awk '/VmRSS/ {print int($2 / 1024)}' /proc/"$p"/status; done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    local per_agent
    per_agent=$(paste <(echo "$before") <(echo "$after") | awk -v hz="$hz" -v w="$WINDOW" \
        '{print ($2 - $1) * 1000 / hz / w}' | sort -n | awk '{a[NR] = $1} END {printf "%.1f (%.1f-%.1f)", a[int((NR + 1) / 2)], a[1], a[NR]}')
    local top
    top=$(join "$OUT/idle-ticks.a" "$OUT/idle-ticks.b" | awk '$3 > $2 {print $3 - $2, $1}' | while read -r d key; do
        local nid name
        nid=$(printf '0x%x' "${key##*:}")
        name=$(grep -m1 "nid=$nid " "$OUT/idle-jstack.${key%%:*}" | sed 's/^"\([^"]*\)".*/\1/; s/hz\.[a-z_]*\./hz./; s/[-#]*[0-9]*$//')
        echo "$d ${name:-?}" | tr ' ' '_' | sed 's/_/ /'
    done | awk -v hz="$hz" -v w="$WINDOW" -v n="$N" '{c[$2] += $1} END {for (k in c) printf "%.1f %s\n", c[k] * 1000 / hz / w / n, k}' \
        | sort -rn | head -6 | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')
    rm -f "$OUT"/idle-jstack.*
    echo "$name: ready $ready s, CPU per agent $per_agent ms/s, RSS $rss MiB; by thread (ms/s per agent): $top" | tee -a "$RESULTS"
}

for round in $(seq 1 "$ROUNDS"); do
    for c in "${CONFIGS[@]}"; do
        measure "${c%%=*}" "${c#*=}"
    done
done
