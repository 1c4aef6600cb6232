#!/usr/bin/env bash
# Builds the distribution tarball: deploy/target/fleetgen-VERSION.tar.gz with the agent and control jars,
# launchers, the systemd unit, a config template, the installer, the uninstaller and the TLS script.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VERSION=0.1.0
cd "$ROOT"
[ -f agent/target/fleetgen-agent.jar ] && [ -f control/target/fleetgen-control.jar ] || mvn -B -q package -DskipTests
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
D=$STAGE/fleetgen-$VERSION
mkdir -p "$D/lib" "$D/bin" "$D/etc" "$D/systemd"
cp agent/target/fleetgen-agent.jar control/target/fleetgen-control.jar "$D/lib/"
cp deploy/fleetgen-agent deploy/fleetgen "$D/bin/"
cp deploy/fleetgen-agent.service deploy/fleetgen-control.service "$D/systemd/"
cp deploy/agent.conf.example "$D/etc/"
cp deploy/install.sh deploy/uninstall.sh deploy/tls.sh "$D/"
cp README.md "$D/"
mkdir -p "$HERE/target"
tar -C "$STAGE" -czf "$HERE/target/fleetgen-$VERSION.tar.gz" "fleetgen-$VERSION"
echo "$HERE/target/fleetgen-$VERSION.tar.gz"
