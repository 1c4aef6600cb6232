#!/usr/bin/env bash
# The Fleetgen namespace lab (SPEC §8): hosts h1..hN as network namespaces fg-h1..fg-hN on one machine.
#
#   lab.sh up N          create N hosts (tears down a previous or crashed lab first)
#   lab.sh down          remove every namespace, link and bridge the lab made (and stop its agents); restore the
#                        neighbour-table limits `up` raised
#   lab.sh status        show the hosts and their addresses
#   lab.sh agents start [hI ...]  start one agent per host (host ids h1..hN, or those named; one still running is restarted), wait until ready.
#                        Agents run with credentials from the lab's fleet CA (deploy/.lab/creds, made by `up`;
#                        the control's is deploy/.lab/creds/nodes/control): commands are authenticated. Bus TLS is
#                        off unless FLEETGEN_LAB_BUS_TLS=1; FLEETGEN_LAB_INSECURE=1 runs them --insecure instead;
#                        FLEETGEN_AGENT_OPTS adds options (limits, policy) to every agent.
#   lab.sh agents stop   stop the agents the lab started, by pid
#   lab.sh split hI ...  partition the management network: the hosts named reach only each other on it, not the
#                        other hosts nor the root namespace (the control); the data network is untouched
#   lab.sh heal          remove the partition
#
# Management: bridge fg-mgmt in the root namespace, 198.19.0.254/24; host i at 198.19.0.i (interface mgmt0).
# Data:       bridge fg-data, no address in the root namespace; host i at 198.18.0.i/24 and 2001:2::i/64
#             (interface data0). Loopback up. No default route anywhere in the lab: traffic cannot leave it.
# Addresses come only from 198.18.0.0/15 and 2001:2::/48, the ranges reserved for benchmarking (RFC 2544, 5180).
set -euo pipefail

PREFIX=fg-h
MGMT_BR=fg-mgmt
DATA_BR=fg-data
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
STATE=${FLEETGEN_LAB_STATE:-$HERE/.lab}
MAX_HOSTS=200

need() {
    if ! command -v ip >/dev/null 2>&1; then
        echo "lab: installing iproute2" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "lab: must run as root (it creates network namespaces)" >&2
        exit 1
    fi
}

hosts() {
    ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+$" | sort -V || true
}

down() {
    agents_stop
    for ns in $(hosts); do
        ip netns del "$ns" 2>/dev/null || true
    done
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^fg-(m|d)[0-9]+$' || true); do
        ip link del "$link" 2>/dev/null || true
    done
    ip link del "$MGMT_BR" 2>/dev/null || true
    ip link del "$DATA_BR" 2>/dev/null || true
    neighbours_restore
    echo "lab: down"
}

up() {
    local n=$1
    if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt $MAX_HOSTS ]; then
        echo "lab: N: $n (expected: 1-$MAX_HOSTS)" >&2
        exit 2
    fi
    down >/dev/null
    neighbours "$n"
    ip link add "$MGMT_BR" type bridge
    ip addr add 198.19.0.254/24 dev "$MGMT_BR"
    ip link set "$MGMT_BR" up
    ip link add "$DATA_BR" type bridge
    # No address and no IPv6 on the data bridge in the root namespace: the root never joins the data network.
    sysctl -qw "net.ipv6.conf.$DATA_BR.disable_ipv6=1" || true
    ip link set "$DATA_BR" up
    for i in $(seq 1 "$n"); do
        local ns=$PREFIX$i
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        ip link add "fg-m$i" type veth peer name mgmt0 netns "$ns"
        ip link set "fg-m$i" master "$MGMT_BR" up
        ip -n "$ns" addr add "198.19.0.$i/24" dev mgmt0
        ip -n "$ns" link set mgmt0 up
        ip link add "fg-d$i" type veth peer name data0 netns "$ns"
        sysctl -qw "net.ipv6.conf.fg-d$i.disable_ipv6=1" || true
        ip link set "fg-d$i" master "$DATA_BR" up
        ip -n "$ns" addr add "198.18.0.$i/24" dev data0
        ip -n "$ns" addr add "2001:2::$i/64" dev data0 nodad
        ip -n "$ns" link set data0 up
        echo "lab: host h$i  netns $ns  mgmt0 198.19.0.$i/24  data0 198.18.0.$i/24 2001:2::$i/64"
    done
    echo "lab: bridges $MGMT_BR (198.19.0.254/24, cluster) and $DATA_BR (traffic); no default routes"
    credentials "$n"
}

# The kernel's neighbour (ARP, NDP) tables are one per machine, shared by every namespace, and their limits are the
# root namespace's: 1,024 entries by default (gc_thresh3). Every host of the lab learns every other one on both
# networks, some 2 N^2 entries: at 32 hosts the table overflowed, ARP requests went unanswered ("neighbor table
# overflow!" in the kernel log) and members could not connect to one another or to the control (issue 15). The
# limits are raised to 4 N^2 + 1,024 for the lab's life and restored by `down`.
neighbours() {
    local need=$((4 * $1 * $1 + 1024))
    mkdir -p "$STATE"
    for fam in ipv4 ipv6; do
        local key=net.$fam.neigh.default
        [ "$(sysctl -n "$key.gc_thresh3")" -lt "$need" ] || continue
        [ -f "$STATE/neigh-$fam" ] || sysctl -n "$key.gc_thresh1" "$key.gc_thresh2" "$key.gc_thresh3" \
            | paste -sd' ' >"$STATE/neigh-$fam"
        sysctl -qw "$key.gc_thresh1=$((need / 4))" "$key.gc_thresh2=$((need / 2))" "$key.gc_thresh3=$need"
    done
}

neighbours_restore() {
    for fam in ipv4 ipv6; do
        [ -f "$STATE/neigh-$fam" ] || continue
        local key=net.$fam.neigh.default t
        read -r -a t <"$STATE/neigh-$fam"
        sysctl -qw "$key.gc_thresh1=${t[0]}" "$key.gc_thresh2=${t[1]}" "$key.gc_thresh3=${t[2]}" || true
        rm -f "$STATE/neigh-$fam"
    done
}

# The lab's fleet CA and a credential for every host and for the control (kept across ups; tls.sh keeps what
# exists).
credentials() {
    local n=$1 names=()
    for i in $(seq 1 "$n"); do names+=("h$i"); done
    "$HERE/tls.sh" init "$STATE/creds" >/dev/null
    "$HERE/tls.sh" agent "$STATE/creds" "${names[@]}" >/dev/null
    "$HERE/tls.sh" control "$STATE/creds" control >/dev/null
    echo "lab: credentials in $STATE/creds/nodes (control: $STATE/creds/nodes/control)"
}

# A partition of the management network (issue 15): in each named host's namespace, chains FG-SPLIT-IN and
# FG-SPLIT-OUT, jumped to first from INPUT and OUTPUT on mgmt0, accept the named hosts' management addresses (as
# source coming in, as destination going out) and drop the rest: the two halves lose each other both ways.
split() {
    [ $# -gt 0 ] || { echo "usage: lab.sh split hI ..." >&2; exit 2; }
    heal >/dev/null
    local h
    for h in "$@"; do
        [[ "$h" =~ ^h[0-9]+$ ]] && hosts | grep -qx "$PREFIX${h#h}" \
            || { echo "lab: split: no lab host '$h' (expected h1..hN of this lab)" >&2; exit 2; }
    done
    for h in "$@"; do
        local ns=$PREFIX${h#h} o
        ip netns exec "$ns" iptables -w -N FG-SPLIT-IN
        ip netns exec "$ns" iptables -w -N FG-SPLIT-OUT
        for o in "$@"; do
            ip netns exec "$ns" iptables -w -A FG-SPLIT-IN -s "198.19.0.${o#h}" -j ACCEPT
            ip netns exec "$ns" iptables -w -A FG-SPLIT-OUT -d "198.19.0.${o#h}" -j ACCEPT
        done
        ip netns exec "$ns" iptables -w -A FG-SPLIT-IN -j DROP
        ip netns exec "$ns" iptables -w -A FG-SPLIT-OUT -j DROP
        ip netns exec "$ns" iptables -w -I INPUT 1 -i mgmt0 -j FG-SPLIT-IN
        ip netns exec "$ns" iptables -w -I OUTPUT 1 -o mgmt0 -j FG-SPLIT-OUT
    done
    echo "lab: management network split: {$*} | {the other hosts, the control}"
}

heal() {
    local ns
    for ns in $(hosts); do
        ip netns exec "$ns" iptables -w -n -L FG-SPLIT-IN >/dev/null 2>&1 || continue
        ip netns exec "$ns" iptables -w -D INPUT -i mgmt0 -j FG-SPLIT-IN
        ip netns exec "$ns" iptables -w -D OUTPUT -o mgmt0 -j FG-SPLIT-OUT
        ip netns exec "$ns" iptables -w -F FG-SPLIT-IN
        ip netns exec "$ns" iptables -w -F FG-SPLIT-OUT
        ip netns exec "$ns" iptables -w -X FG-SPLIT-IN
        ip netns exec "$ns" iptables -w -X FG-SPLIT-OUT
    done
    echo "lab: management network whole"
}

status() {
    for ns in $(hosts); do
        echo "== $ns"
        ip -n "$ns" -brief addr show
    done
}

agents_start() {
    local only=" $* "
    mkdir -p "$STATE"
    local jar="$ROOT/agent/target/fleetgen-agent.jar"
    if [ ! -f "$jar" ]; then
        echo "lab: $jar missing; build first (mvn -B package -DskipTests)" >&2
        exit 1
    fi
    # The agents' class-data-sharing archive for this jar, made once (deploy/agent-cds.sh): each agent is then ready
    # in about 2 s instead of 2.5-5.
    if [ "${FLEETGEN_CDS:-1}" = 1 ]; then
        "$HERE/agent-cds.sh" "$jar" >/dev/null || echo "lab: no class-data archive; agents start slower" >&2
    fi
    # Every lab agent maps the archives at the address they were made for, so that their pages are shared between
    # the agents rather than relocated into each one's own memory (deploy/fleetgen-agent; FLEETGEN_CDS_SHARED=0: not).
    export FLEETGEN_CDS_SHARED=${FLEETGEN_CDS_SHARED:-1}
    local members
    members=$(hosts | sed "s/^$PREFIX/198.19.0./" | paste -sd, -)
    local batch=()
    for ns in $(hosts); do
        local i=${ns#"$PREFIX"}
        [ "$only" = "  " ] || [[ "$only" == *" h$i "* ]] || continue
        batch+=("$ns")
        # A few JVMs at a time: dozens starting at once on a small machine would each take longer than the
        # ready timeout (FLEETGEN_LAB_START_BATCH, default 4).
        if [ "${#batch[@]}" -ge "${FLEETGEN_LAB_START_BATCH:-4}" ]; then
            agents_launch "$members" "${batch[@]}"
            batch=()
        fi
    done
    [ "${#batch[@]}" -eq 0 ] || agents_launch "$members" "${batch[@]}"
}

# Starts the agents of the given namespaces and waits until each is ready (its start time in hI.started).
agents_launch() {
    local members=$1
    shift
    for ns in "$@"; do
        local i=${ns#"$PREFIX"}
        local auth=(--credentials "$STATE/creds/nodes/h$i" --bus-tls "$([ "${FLEETGEN_LAB_BUS_TLS:-0}" = 1 ] && echo true || echo false)")
        if [ "${FLEETGEN_LAB_INSECURE:-0}" = 1 ]; then
            auth=(--insecure)
        elif [ ! -f "$STATE/creds/nodes/h$i/node.p12" ]; then
            "$HERE/tls.sh" agent "$STATE/creds" "h$i" >/dev/null
        fi
        # Starting a host whose agent still runs restarts it: the old one is stopped first, not left unlisted.
        agent_stop "$STATE/h$i.pid"
        rm -f "$STATE/h$i.ready"
        date +%s.%N >"$STATE/h$i.started"
        ip netns exec "$ns" "$HERE/fleetgen-agent" --host-id "h$i" --bind "198.19.0.$i" \
            --members "$members,198.19.0.254" --ready-file "$STATE/h$i.ready" "${auth[@]}" ${FLEETGEN_AGENT_OPTS:-} \
            >"$STATE/h$i.log" 2>&1 &
        echo $! >"$STATE/h$i.pid"
    done
    for ns in "$@"; do
        local i=${ns#"$PREFIX"}
        for _ in $(seq 1 $((${FLEETGEN_LAB_READY_SECONDS:-60} * 10))); do
            [ -f "$STATE/h$i.ready" ] && break
            if ! kill -0 "$(cat "$STATE/h$i.pid")" 2>/dev/null; then
                echo "lab: agent h$i exited; log:" >&2
                tail -20 "$STATE/h$i.log" >&2
                exit 1
            fi
            sleep 0.1
        done
        [ -f "$STATE/h$i.ready" ] || { echo "lab: agent h$i not ready in ${FLEETGEN_LAB_READY_SECONDS:-60} s" >&2; exit 1; }
        echo "lab: agent h$i ready (pid $(cat "$STATE/h$i.pid"), log $STATE/h$i.log)"
    done
}

# Stops the agents the pid files name: TERM to all at once, KILL to any still running 10 s later; removes the files.
agent_stop() {
    local pids=() pidfile pid
    for pidfile in "$@"; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
        rm -f "$pidfile"
    done
    for _ in $(seq 1 100); do
        local alive=0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && return 0
        sleep 0.1
    done
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
}

agents_stop() {
    [ -d "$STATE" ] || return 0
    agent_stop "$STATE"/*.pid
}

need
case "${1:-}" in
    up) up "${2:-3}" ;;
    down) down ;;
    status) status ;;
    split) shift; split "$@" ;;
    heal) heal ;;
    agents)
        case "${2:-}" in
            start) shift 2; agents_start "$@" ;;
            stop) agents_stop; echo "lab: agents stopped" ;;
            *) echo "usage: lab.sh agents start|stop" >&2; exit 2 ;;
        esac ;;
    *) echo "usage: lab.sh up N | down | status | split hI ... | heal | agents start|stop" >&2; exit 2 ;;
esac
