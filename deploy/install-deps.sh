#!/usr/bin/env bash
# Installs the Debian packages Fleetgen needs to build, test and run, when missing.
set -euo pipefail
pkgs=()
dpkg -s libpcap0.8 >/dev/null 2>&1 || pkgs+=(libpcap0.8)
command -v ip >/dev/null 2>&1 || pkgs+=(iproute2)
command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)
command -v tcpdump >/dev/null 2>&1 || pkgs+=(tcpdump)
command -v nft >/dev/null 2>&1 || pkgs+=(nftables)
command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
command -v java >/dev/null 2>&1 || pkgs+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
# With --test: what the tests alone use (a real browser for the dashboard test, Prometheus's own text-format
# parser for the metrics test).
if [ "${1:-}" = --test ]; then
    command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || pkgs+=(chromium-driver)
    /usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || pkgs+=(python3-prometheus-client)
    command -v curl >/dev/null 2>&1 || pkgs+=(curl)
fi
if [ ${#pkgs[@]} -gt 0 ]; then
    echo "install-deps: installing ${pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
