#!/usr/bin/env bash
# The test command: installs what a fresh Debian machine lacks, then builds and runs every test, the lab
# integration tests included (they need root: network namespaces, pcap). Usage: sudo deploy/test.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$HERE/install-deps.sh" --test
cd "$HERE/.."
deploy/lab.sh down >/dev/null 2>&1 || true
mvn -B -Plab verify
