#!/usr/bin/env bash
# The main job: build, bring up a 3-host lab with one agent per host, run the seed README's three examples
# (ICMP h1->h2, UDP h1->h3 to a floating IP DNATed to h3's own address, TCP h1->h2) through the control's Java
# API, print sent/received for each, tear everything down. Usage: sudo deploy/demo.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE/.."
"$HERE/install-deps.sh"
mvn -B -q package -DskipTests
trap 'deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
deploy/lab.sh up 3
# The floating IP: h3 answers ARP for 198.18.0.103 and DNATs it to its own 198.18.0.3.
ip -n fg-h3 addr add 198.18.0.103/32 dev data0
ip netns exec fg-h3 iptables -t nat -A PREROUTING -d 198.18.0.103 -j DNAT --to-destination 198.18.0.3
deploy/lab.sh agents start
# The JVM flags Hazelcast asks for (else it warns about the modular environment), logs at error level only.
java -Xmx256m --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.management/sun.management=ALL-UNNAMED \
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp control/target/fleetgen-control.jar io.fleetgen.control.Demo
