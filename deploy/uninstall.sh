#!/usr/bin/env bash
# Removes the Fleetgen agent: stops and disables the unit, removes /opt/fleetgen, the unit, /etc/fleetgen,
# /var/lib/fleetgen and the 'fleetgen' user. Usage: sudo ./uninstall.sh
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "uninstall: run as root" >&2; exit 1; }
if [ -d /run/systemd/system ]; then
    systemctl disable --now fleetgen-agent fleetgen-control >/dev/null 2>&1 || true
fi
rm -f /etc/systemd/system/fleetgen-agent.service /etc/systemd/system/fleetgen-control.service
[ -d /run/systemd/system ] && systemctl daemon-reload || true
rm -rf /opt/fleetgen /etc/fleetgen /var/lib/fleetgen
if id -u fleetgen >/dev/null 2>&1; then
    userdel fleetgen 2>/dev/null || true
fi
echo "uninstall: done"
