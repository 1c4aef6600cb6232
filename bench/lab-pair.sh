# Sourced by the bench scripts: a 2-host lab with a direct veth pair h1 bv1 198.18.1.1 <-> h2 bv2 198.18.1.2
# (as in the issue's reference figures), agents started, the neighbour entry pinned, teardown on exit.
# Sets CTL (the control, JSON output) and OUT.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
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
CTL=(deploy/fleetgen --members 198.19.0.1,198.19.0.2 --bind 198.19.0.254 --credentials deploy/.lab/creds/nodes/control
    --bus-tls false --json)
if [ "${RPS:-0}" = 1 ]; then
    # Receive packet steering: the receiving side's kernel work on core 1, not on the sender's core 0.
    ip netns exec fg-h2 sh -c 'echo 2 > /sys/class/net/bv2/queues/rx-0/rps_cpus'
fi

# The peer tools and the 60-byte frame they send (the same as Fleetgen's size=18 UDP frame h1 -> h2), written
# as $OUT/udp60.pcap (1000 copies, tcpreplay), udp60.trafgen and udp60.hex (Scapy).
peer_frames() {
    local p
    for p in tcpreplay netsniff-ng python3-scapy; do
        dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
    done
    /usr/bin/python3 - "$(ip netns exec fg-h1 cat /sys/class/net/bv1/address)" \
        "$(ip netns exec fg-h2 cat /sys/class/net/bv2/address)" "$OUT" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
src, dst, out = sys.argv[1:4]
f = Ether(src=src, dst=dst) / IP(src="198.18.1.1", dst="198.18.1.2") / UDP(sport=8000, dport=8000) / Raw(b"\0" * 18)
assert len(bytes(f)) == 60
wrpcap(out + "/udp60.pcap", [f] * 1000)
with open(out + "/udp60.trafgen", "w") as t:
    t.write("{ " + ", ".join("0x%02x" % b for b in bytes(f)) + " }\n")
open(out + "/udp60.hex", "w").write(bytes(f).hex())
PY
}
