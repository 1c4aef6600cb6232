#!/usr/bin/env bash
# Builds the agent's class-data-sharing archive for one agent jar (issue 15): the classes an agent loads until it is
# ready (Vert.x, Hazelcast, Netty, picocli, Fleetgen's own), dumped by a training run, so that every agent started
# from that jar maps them instead of parsing and verifying them again: ready in about 2 s instead of 2.5-5.
# The training agent runs alone in a namespace of its own (fg-cds, loopback only, insecure, no peers) and is stopped
# once ready; its archive is written beside the jar, named after the jar's time and size, which is how
# deploy/fleetgen-agent finds it (a rebuilt jar gets a new one). Needs root (the agent does).
# Usage: deploy/agent-cds.sh [JAR]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=${1:-$HERE/../agent/target/fleetgen-agent.jar}
JSA=$(dirname "$JAR")/$(basename "$JAR" .jar)-$(stat -c '%Y-%s' "$JAR").jsa
[ -f "$JSA" ] && { echo "$JSA"; exit 0; }
NS=fg-cds
WORK=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up
# The training agent runs with the launcher's own JVM flags (or the caller's JAVA_OPTS), the archive flags added.
FLEETGEN_AGENT_JAR=$JAR FLEETGEN_JAVA_EXTRA="-XX:ArchiveClassesAtExit=$WORK/agent.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
    ip netns exec "$NS" "$HERE/fleetgen-agent" --host-id cds --bind 127.0.0.1 --members 127.0.0.1 --insecure \
    --pcap-dir "$WORK/pcap" --ready-file "$WORK/ready" >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
    [ -f "$WORK/ready" ] && break
    kill -0 "$PID" 2>/dev/null || { echo "agent-cds: the training agent exited:" >&2; tail -5 "$WORK/log" >&2; exit 1; }
    sleep 0.1
done
[ -f "$WORK/ready" ] || { echo "agent-cds: the training agent was not ready in 30 s" >&2; exit 1; }
kill -TERM "$PID"
wait "$PID" || true
PID=
[ -s "$WORK/agent.jsa" ] || { echo "agent-cds: no archive written" >&2; tail -5 "$WORK/log" >&2; exit 1; }
rm -f "$(dirname "$JAR")/$(basename "$JAR" .jar)"-*.jsa
mv "$WORK/agent.jsa" "$JSA.tmp" && mv "$JSA.tmp" "$JSA"
echo "$JSA"
