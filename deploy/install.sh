#!/usr/bin/env bash
# Installs (or upgrades in place) the Fleetgen agent on a Debian/Ubuntu host, from the unpacked distribution.
#
#   sudo ./install.sh --host-id h1 --members 10.0.0.1,10.0.0.2 --bind 10.0.0.1 --credentials DIR \
#        [--allow CIDR,...] [--cluster-name NAME] [--bus-tls true|false] [--no-start]
#   sudo ./install.sh ... --insecure      (no credentials: anyone on the management network can command the agent)
#   sudo ./install.sh ... --service CONTROL_DIR [--service-http-bind ADDR]
#                                        (also the control service, fleetgen serve, with a control credential:
#                                        dashboard, API and metrics on 127.0.0.1:7480, or on ADDR with HTTPS and
#                                        the token in /etc/fleetgen/service.token)
#
# Installs the JRE and libpcap0.8 when missing, creates the 'fleetgen' system user, puts the files in
# /opt/fleetgen, writes /etc/fleetgen/agent.conf, installs the systemd unit, enables and starts it (unless
# --no-start, or systemd is not running). --credentials DIR is the host's directory made by
# `deploy/tls.sh agent CA_DIR HOST_ID` (CA_DIR/nodes/HOST_ID: node.p12, node.password, fleet-ca.crt; never the CA
# key); it is copied to /etc/fleetgen/credentials. Without credentials the install refuses unless --insecure is
# given. Running it again upgrades the files and keeps what is not given.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=/opt/fleetgen
CONF=/etc/fleetgen
HOST_ID= MEMBERS= BIND= ALLOW= CLUSTER= CREDS= BUS_TLS= INSECURE=0 START=1 SERVICE= SERVICE_BIND=
while [ $# -gt 0 ]; do
    case "$1" in
        --host-id) HOST_ID=$2; shift 2 ;;
        --members) MEMBERS=$2; shift 2 ;;
        --bind) BIND=$2; shift 2 ;;
        --allow) ALLOW=$2; shift 2 ;;
        --cluster-name) CLUSTER=$2; shift 2 ;;
        --credentials) CREDS=$2; shift 2 ;;
        --bus-tls) BUS_TLS=$2; shift 2 ;;
        --insecure) INSECURE=1; shift ;;
        --no-start) START=0; shift ;;
        --service) SERVICE=$2; shift 2 ;;
        --service-http-bind) SERVICE_BIND=$2; shift 2 ;;
        *) echo "install: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$CREDS" ] && [ "$INSECURE" = 0 ] && ! grep -qs '^--credentials=' "$CONF/agent.conf"; then
    echo "install: no credentials: give --credentials DIR (deploy/tls.sh agent CA_DIR $HOST_ID makes" \
        "CA_DIR/nodes/$HOST_ID), or --insecure to let anyone on the management network command this agent" >&2
    exit 2
fi
if [ -n "$CREDS" ] && [ "$INSECURE" = 1 ]; then
    echo "install: --credentials and --insecure exclude each other" >&2
    exit 2
fi
if [ -n "$CREDS" ]; then
    for f in node.p12 node.password fleet-ca.crt; do
        [ -r "$CREDS/$f" ] || { echo "install: --credentials $CREDS: no readable $f (deploy/tls.sh makes it)" >&2; exit 2; }
    done
    [ ! -e "$CREDS/ca.key" ] && [ ! -e "$CREDS/../../ca/ca.key" ] || echo "install: WARNING: the CA key lies next to" \
        "$CREDS; only the node's directory belongs on a host" >&2
fi
if [ -n "$SERVICE" ]; then
    for f in node.p12 node.password fleet-ca.crt; do
        [ -r "$SERVICE/$f" ] || { echo "install: --service $SERVICE: no readable $f (deploy/tls.sh control CA_DIR NAME makes it)" >&2; exit 2; }
    done
fi
[ "$(id -u)" = 0 ] || { echo "install: run as root" >&2; exit 1; }
if [ ! -f "$CONF/agent.conf" ]; then
    [ -n "$HOST_ID" ] || { echo "install: --host-id is required on a first install" >&2; exit 2; }
    [ -n "$MEMBERS" ] || { echo "install: --members is required on a first install" >&2; exit 2; }
    [ -n "$BIND" ] || { echo "install: --bind is required on a first install" >&2; exit 2; }
fi
if [ -n "$BIND" ] && ! ip -o addr show | awk '{print $4}' | cut -d/ -f1 | grep -qx "$BIND"; then
    echo "install: --bind $BIND is not an address of this host" >&2
    exit 2
fi

pkgs=()
command -v java >/dev/null 2>&1 || pkgs+=(openjdk-17-jre-headless)
dpkg -s libpcap0.8 >/dev/null 2>&1 || pkgs+=(libpcap0.8)
command -v ip >/dev/null 2>&1 || pkgs+=(iproute2)
command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)
if [ ${#pkgs[@]} -gt 0 ]; then
    echo "install: installing ${pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
id -u fleetgen >/dev/null 2>&1 || useradd --system --home-dir /var/lib/fleetgen --shell /usr/sbin/nologin fleetgen

mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$CONF" /var/lib/fleetgen
install -m 0644 "$HERE/lib/fleetgen-agent.jar" "$HERE/lib/fleetgen-control.jar" "$PREFIX/lib/"
install -m 0755 "$HERE/bin/fleetgen-agent" "$HERE/bin/fleetgen" "$PREFIX/bin/"
install -m 0644 "$HERE/README.md" "$PREFIX/"
chown fleetgen:fleetgen /var/lib/fleetgen

if [ -n "$CREDS" ]; then
    mkdir -p "$CONF/credentials"
    chmod 0750 "$CONF/credentials"
    chgrp fleetgen "$CONF/credentials"
    install -m 0640 -g fleetgen "$CREDS/node.p12" "$CREDS/node.password" "$CREDS/fleet-ca.crt" "$CONF/credentials/"
fi

# agent.conf: given values replace old ones; the rest is kept.
touch "$CONF/agent.conf"
set_opt() {
    local key=$1 value=$2
    [ -n "$value" ] || return 0
    sed -i "/^--$key=/d" "$CONF/agent.conf"
    echo "--$key=$value" >>"$CONF/agent.conf"
}
set_opt host-id "$HOST_ID"
set_opt members "$MEMBERS"
set_opt bind "$BIND"
set_opt allow "$ALLOW"
set_opt cluster-name "$CLUSTER"
if [ -n "$CREDS" ]; then
    sed -i '/^--insecure$/d' "$CONF/agent.conf"
    set_opt credentials "$CONF/credentials"
elif [ "$INSECURE" = 1 ]; then
    sed -i '/^--credentials=/d' "$CONF/agent.conf"
    grep -qx -- '--insecure' "$CONF/agent.conf" || echo "--insecure" >>"$CONF/agent.conf"
    echo "install: WARNING: --insecure: this agent runs commands from anyone who reaches its management" \
        "address or any cluster member: it can be made to send, spoof and capture traffic on this host" >&2
fi
set_opt bus-tls "$BUS_TLS"
# Recordings in the agent's own state directory (mode 0700), not in a shared /tmp.
grep -q '^--pcap-dir=' "$CONF/agent.conf" || set_opt pcap-dir /var/lib/fleetgen/pcap
chmod 0640 "$CONF/agent.conf"
chgrp fleetgen "$CONF/agent.conf"

install -m 0644 "$HERE/systemd/fleetgen-agent.service" /etc/systemd/system/fleetgen-agent.service
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    if [ "$START" = 1 ]; then
        systemctl enable fleetgen-agent >/dev/null 2>&1
        systemctl restart fleetgen-agent
        echo "install: fleetgen-agent enabled and started (systemctl status fleetgen-agent)"
    fi
else
    echo "install: systemd is not running here; start the agent with the unit's ExecStart as user fleetgen"
fi
if [ -n "$SERVICE" ]; then
    # The control service: its own credential (role control), the agent's cluster options, loopback unless told.
    mkdir -p "$CONF/control-credentials"
    chmod 0750 "$CONF/control-credentials"
    chgrp fleetgen "$CONF/control-credentials"
    install -m 0640 -g fleetgen "$SERVICE/node.p12" "$SERVICE/node.password" "$SERVICE/fleet-ca.crt" \
        "$CONF/control-credentials/"
    {
        grep -E '^--(members|bind|cluster-name|bus-tls)=' "$CONF/agent.conf" || true
        echo "--credentials=$CONF/control-credentials"
        if [ -n "$SERVICE_BIND" ]; then
            [ -s "$CONF/service.token" ] || (umask 027; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$CONF/service.token")
            chgrp fleetgen "$CONF/service.token"
            chmod 0640 "$CONF/service.token"
            echo "--http-bind=$SERVICE_BIND"
            echo "--http-tls"
            echo "--token-file=$CONF/service.token"
        fi
    } >"$CONF/control.conf"
    chmod 0640 "$CONF/control.conf"
    chgrp fleetgen "$CONF/control.conf"
    install -m 0644 "$HERE/systemd/fleetgen-control.service" /etc/systemd/system/fleetgen-control.service
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        if [ "$START" = 1 ]; then
            systemctl enable fleetgen-control >/dev/null 2>&1
            systemctl restart fleetgen-control
            echo "install: fleetgen-control enabled and started (systemctl status fleetgen-control)"
        fi
    fi
fi
echo "install: done ($PREFIX, $CONF/agent.conf)"
