#!/usr/bin/env bash
# The test command: installs what a fresh Debian machine lacks, then builds and runs every test, the lab
# integration tests included (they need root: network namespaces, pcap). Usage: sudo deploy/test.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$HERE/install-deps.sh" --test
cd "$HERE/.."
deploy/lab.sh down >/dev/null 2>&1 || true
# The control jar first: the agent module's lab tests start agents, and lab.sh trains their class-data archive with
# runs that a control drives (deploy/agent-cds.sh), before the reactor reaches the control module.
mvn -B -q package -DskipTests -pl control -am
if ! mvn -B -Plab verify; then
    # The agents' logs of each failed lab test (KeepLabLogs), for the cause.
    for f in */target/lab-logs/*/*.log; do
        [ -f "$f" ] && { echo "=== $f (last 40 lines)"; tail -40 "$f"; }
    done
    exit 1
fi
