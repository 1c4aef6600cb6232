# Sourced by the bench scripts: a 2-host lab with a direct veth pair h1 bv1 198.18.1.1 <-> h2 bv2 198.18.1.2
# (as in the issue's reference figures), agents started, the neighbour entry pinned, teardown on exit.
# Sets CTL (the control, JSON output) and OUT.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
cd "$ROOT"
deploy/install-deps.sh
[ -f agent/target/fleetgen-agent.jar ] && [ -f control/target/fleetgen-control.jar ] || mvn -B -q package -DskipTests
trap 'deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
deploy/lab.sh up 2 >/dev/null
ip link add bv1 netns fg-h1 type veth peer name bv2 netns fg-h2
ip -n fg-h1 addr add 198.18.1.1/30 dev bv1
ip -n fg-h2 addr add 198.18.1.2/30 dev bv2
ip -n fg-h1 link set bv1 up
ip -n fg-h2 link set bv2 up
ip netns exec fg-h1 ip neigh replace 198.18.1.2 lladdr "$(ip netns exec fg-h2 cat /sys/class/net/bv2/address)" \
    dev bv1 nud permanent
deploy/lab.sh agents start >/dev/null
CTL=(deploy/fleetgen --members 198.19.0.1,198.19.0.2 --bind 198.19.0.254 --hosts 2 --json)
if [ "${RPS:-0}" = 1 ]; then
    # Receive packet steering: the receiving side's kernel work on core 1, not on the sender's core 0.
    ip netns exec fg-h2 sh -c 'echo 2 > /sys/class/net/bv2/queues/rx-0/rps_cpus'
fi
