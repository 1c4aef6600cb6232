#!/usr/bin/env bash
# What field ranges cost the transmit loop's own work per packet (issue 14), on one core, no kernel, no root.
# Usage: bench/patch.sh   (after mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p bench/out
taskset -c 1 java -Xmx256m -cp agent/target/fleetgen-agent.jar bench/src/PatchBench.java | tee bench/out/patch.txt
