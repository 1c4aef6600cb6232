#!/usr/bin/env bash
# What authenticating a command costs (issue 10): seal + open of a start command with the lab's credentials, per
# command to one agent (HMAC from the pair's ECDH key) and signed for the whole fleet (ECDSA), on one core.
# Usage: bench/seal.sh   (after mvn -B -q package -DskipTests; makes lab credentials if missing, needs no root)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CREDS=${CREDS:-bench/out/creds}
deploy/tls.sh init "$CREDS" >/dev/null
deploy/tls.sh agent "$CREDS" h1 h2 >/dev/null
deploy/tls.sh control "$CREDS" control >/dev/null
mkdir -p bench/out
taskset -c 1 java -Xmx256m -cp control/target/fleetgen-control.jar bench/src/SealBench.java "$CREDS" \
    | tee bench/out/seal.txt
