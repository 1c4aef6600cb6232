#!/usr/bin/env bash
# Builds the agent's class-data-sharing archive for one agent jar (issue 15): the classes an agent loads until it is
# ready (Vert.x, Hazelcast, Netty, picocli, Fleetgen's own) and those its runs load (commands, seals, frames, send and
# capture loops, counter batches), dumped by a training run, so that every agent started from that jar maps them
# instead of parsing and verifying them again: ready in about 2 s instead of 2.5-5, and an agent's first run does
# not first load some 700 classes (32 lab agents: the first broadcast start's last agent sent after 7.2-7.9 s, 10.9
# with an archive of a start only; docs/SCALE.md).
#
# The training is a fleet of its own, in namespaces of its own (nothing else is touched, no default route):
#   fg-cds   the training agent "cds"       mgmt 198.19.255.1/29, data 198.18.255.1/30
#   fg-cdsp  a peer agent "cdsp"            mgmt 198.19.255.2/29, data 198.18.255.2/30 (a veth pair to fg-cds)
#   fg-cdsc  the control, on a bridge that joins the two management links, 198.19.255.3/29
# with a throw-away fleet CA. The control runs pairs, a mesh and a fleet-wide start between the two agents (a few
# thousand packets, for about 5 s, on the data veth pair only), then the training agent is stopped and its archive
# is written beside the jar, named after the jar's time and size, which is how deploy/fleetgen-agent finds it (a
# rebuilt jar gets a new one). If the runs fail, the archive of what was loaded until then is kept (and said so).
# The control is the control jar's (control/target, or lib/ when installed); without one (only the agent built) the
# training agent just starts and stops, the archive is marked start-only, and it is made again once there is one.
# Needs root (the agent does).
# Usage: deploy/agent-cds.sh [JAR]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=${1:-$HERE/../agent/target/fleetgen-agent.jar}
JSA=$(dirname "$JAR")/$(basename "$JAR" .jar)-$(stat -c '%Y-%s' "$JAR").jsa
CONTROL=
for j in "${FLEETGEN_CONTROL_JAR:-}" "$HERE/../control/target/fleetgen-control.jar" "$HERE/../lib/fleetgen-control.jar"; do
    [ -n "$j" ] && [ -f "$j" ] && { CONTROL=$j; break; }
done
if [ -f "$JSA" ] && { [ ! -f "$JSA.start-only" ] || [ -z "$CONTROL" ]; }; then
    echo "$JSA"
    exit 0
fi
A=fg-cds
B=fg-cdsp
C=fg-cdsc
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for ns in "$A" "$B" "$C"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
for ns in "$A" "$B" "$C"; do
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
ip -n "$C" link add br0 type bridge
ip -n "$C" addr add 198.19.255.3/29 dev br0
ip -n "$C" link set br0 up
i=1
for ns in "$A" "$B"; do
    ip -n "$C" link add "m$i" type veth peer name mgmt0 netns "$ns"
    ip -n "$C" link set "m$i" master br0 up
    ip -n "$ns" addr add "198.19.255.$i/29" dev mgmt0
    ip -n "$ns" link set mgmt0 up
    i=$((i + 1))
done
ip -n "$A" link add data0 type veth peer name data0 netns "$B"
ip -n "$A" addr add 198.18.255.1/30 dev data0
ip -n "$B" addr add 198.18.255.2/30 dev data0
ip -n "$A" link set data0 up
ip -n "$B" link set data0 up

"$HERE/tls.sh" init "$WORK/creds" >/dev/null
"$HERE/tls.sh" agent "$WORK/creds" cds cdsp >/dev/null
"$HERE/tls.sh" control "$WORK/creds" control >/dev/null
MEMBERS=198.19.255.1,198.19.255.2,198.19.255.3

# agent NS HOST I [JAVA_EXTRA]: starts an agent, its pid appended to PIDS.
agent() {
    FLEETGEN_CDS=0 FLEETGEN_AGENT_JAR=$JAR FLEETGEN_JAVA_EXTRA="${4:-}" ip netns exec "$1" "$HERE/fleetgen-agent" \
        --host-id "$2" --bind "198.19.255.$3" --members "$MEMBERS" --credentials "$WORK/creds/nodes/$2" \
        --bus-tls false --pcap-dir "$WORK/pcap-$2" --ready-file "$WORK/ready-$2" >"$WORK/log-$2" 2>&1 &
    PIDS+=($!)
}
# The training agent runs with the launcher's own JVM flags (or the caller's JAVA_OPTS), the archive flags added.
agent "$A" cds 1 "-XX:ArchiveClassesAtExit=$WORK/agent.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
TRAINEE=${PIDS[0]}
HOSTS=(cds)
[ -z "$CONTROL" ] || { agent "$B" cdsp 2; HOSTS+=(cdsp); }
# Until every agent started is ready (60 s at most); one that exits stops the training.
for _ in $(seq 1 600); do
    waiting=0
    for k in "${!HOSTS[@]}"; do
        h=${HOSTS[$k]}
        [ -f "$WORK/ready-$h" ] && continue
        waiting=1
        kill -0 "${PIDS[$k]}" 2>/dev/null \
            || { echo "agent-cds: the $h agent exited:" >&2; tail -5 "$WORK/log-$h" >&2; exit 1; }
    done
    [ "$waiting" = 0 ] && break
    sleep 0.1
done
[ "$waiting" = 0 ] || { echo "agent-cds: the training agents were not ready in 60 s" >&2; exit 1; }

# What an agent does for a control: pairs (frame-ring and block-ring receivers, UDP and TCP, a flow range),
# polls, a mesh, a fleet-wide start, poll and stop, a list. Every run is bounded in count and time.
SCRIPT="stream u proto=udp dst=198.18.255.2 dport=8000; profile p standard stream=u count=500 pps=1000;
pair r1 p cds cdsp; wait cdsp r1 finished timeout=15; poll cdsp r1;
stream v proto=udp dst=198.18.255.1 dport=8001; profile q standard stream=v count=500 pps=1000 range=sport=1000..1015;
pair r2 q cdsp cds; wait cds r2 finished timeout=15; poll cds r2;
stream t proto=tcp dst=198.18.255.1 dport=8002; profile c continuous stream=t pps=500 duration=1;
pair r3 c cdsp cds; poll cds r3; sleep 1; stop cds r3; stop cdsp r3;
mesh m p timeout=20;
profile f continuous stream=u pps=200 duration=1; fleet start sender b1 f cds; fleet poll b1 cds; sleep 1; fleet stop b1 cds;
list"
if [ -z "$CONTROL" ]; then
    echo "agent-cds: no control jar (build control/): the archive holds what a start loads, not what runs load" >&2
elif ! FLEETGEN_CONTROL_JAR=$CONTROL ip netns exec "$C" timeout 120 "$HERE/fleetgen" --members "$MEMBERS" \
        --bind 198.19.255.3 --credentials "$WORK/creds/nodes/control" --bus-tls false \
        -c "$(echo "$SCRIPT" | tr '\n' ' ')" >"$WORK/control.log" 2>&1; then
    echo "agent-cds: the training runs failed (the archive holds what was loaded until then):" >&2
    tail -5 "$WORK/control.log" >&2
fi
kill -TERM "$TRAINEE"
wait "$TRAINEE" || true
[ -s "$WORK/agent.jsa" ] || { echo "agent-cds: no archive written" >&2; tail -5 "$WORK/log-cds" >&2; exit 1; }
rm -f "$(dirname "$JAR")/$(basename "$JAR" .jar)"-*.jsa "$(dirname "$JAR")/$(basename "$JAR" .jar)"-*.jsa.start-only
[ -n "$CONTROL" ] || touch "$JSA.start-only"
mv "$WORK/agent.jsa" "$JSA.tmp" && mv "$JSA.tmp" "$JSA"
echo "$JSA"
