#!/usr/bin/env bash
# The fleet's credentials: a private CA and one credential per node, with its role in the certificate.
#
#   deploy/tls.sh init DIR                  make the fleet CA in DIR/ca (once; keep DIR/ca on this machine)
#   deploy/tls.sh agent DIR HOST [HOST...]  issue agent credentials (CN=HOST, OU=fleetgen-agent)
#   deploy/tls.sh control DIR NAME [...]    issue control credentials (CN=NAME, OU=fleetgen-control)
#   deploy/tls.sh renew DIR NAME            re-issue NAME's credential (new key, same role); the running node
#                                           picks it up within 5 s, nothing else is touched
#   deploy/tls.sh show DIR                  every credential: role, name, expiry
#
# DIR/ca/ca.key             the CA's private key (mode 0600): it never leaves this machine
# DIR/ca/ca.crt             the CA certificate
# DIR/nodes/NAME/           what goes to host NAME, and nothing else:
#     node.p12              NAME's EC P-256 key and certificate (PKCS#12, mode 0640)
#     node.password         the password of node.p12 (its own, random; mode 0640)
#     fleet-ca.crt          the CA certificate, which NAME trusts
# Give a node its directory with --credentials DIR/nodes/NAME (install.sh --credentials copies it).
# Validity: DAYS (default 397) for node credentials, CA_DAYS (default 3650) for the CA. No secret is ever put on
# a command line: passwords go through files.
set -euo pipefail
umask 077
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
OP=$1 DIR=$2
shift 2
DAYS=${DAYS:-397}
CA_DAYS=${CA_DAYS:-3650}
command -v openssl >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }

ca_ready() {
    [ -f "$DIR/ca/ca.key" ] && [ -f "$DIR/ca/ca.crt" ] || { echo "tls: no CA in $DIR/ca (run: tls.sh init $DIR)" >&2; exit 2; }
}

issue() {  # issue ROLE NAME
    local role=$1 name=$2 out="$DIR/nodes/$2"
    if ! [[ "$name" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
        echo "tls: NAME: $name (expected: 1-64 characters of A-Z a-z 0-9 . _ -)" >&2
        exit 2
    fi
    mkdir -p "$out"
    [ -f "$out/node.password" ] || openssl rand -hex 24 >"$out/node.password"
    local tmp
    tmp=$(mktemp -d)
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tmp/key" -out "$tmp/csr" \
        -subj "/OU=fleetgen-$role/CN=$name" 2>/dev/null
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:%s\n' \
        "$name" >"$tmp/ext"
    openssl x509 -req -in "$tmp/csr" -CA "$DIR/ca/ca.crt" -CAkey "$DIR/ca/ca.key" -CAcreateserial \
        -CAserial "$DIR/ca/serial" -days "$DAYS" -sha256 -extfile "$tmp/ext" -out "$tmp/crt" 2>/dev/null
    openssl pkcs12 -export -in "$tmp/crt" -inkey "$tmp/key" -name node -out "$tmp/node.p12" \
        -passout "file:$out/node.password"
    cp "$DIR/ca/ca.crt" "$out/fleet-ca.crt"
    chmod 0640 "$tmp/node.p12" "$out/node.password"
    chmod 0644 "$out/fleet-ca.crt"
    chmod 0750 "$out"
    mv -f "$tmp/node.p12" "$out/node.p12"   # atomic: a running node never reads half a file
    rm -rf "$tmp"
    echo "tls: $role credential $name in $out (until $(openssl pkcs12 -in "$out/node.p12" -passin "file:$out/node.password" -nokeys 2>/dev/null \
        | openssl x509 -noout -enddate | cut -d= -f2))"
}

role_of() {  # the role in NAME's current certificate
    openssl pkcs12 -in "$DIR/nodes/$1/node.p12" -passin "file:$DIR/nodes/$1/node.password" -nokeys 2>/dev/null \
        | openssl x509 -noout -subject -nameopt multiline | sed -n 's/.*organizationalUnitName *= *fleetgen-//p'
}

case "$OP" in
    init)
        mkdir -p "$DIR/ca"
        chmod 0700 "$DIR/ca"
        if [ -f "$DIR/ca/ca.key" ]; then
            echo "tls: the CA in $DIR/ca exists; kept"
        else
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$DIR/ca/ca.key" \
                -out "$DIR/ca/ca.crt" -days "$CA_DAYS" -subj "/CN=Fleetgen fleet CA" \
                -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
                2>/dev/null
            chmod 0600 "$DIR/ca/ca.key"
            echo "tls: made the fleet CA in $DIR/ca (ca.key stays here)"
        fi ;;
    agent|control)
        [ $# -ge 1 ] || usage
        ca_ready
        for n in "$@"; do
            if [ -f "$DIR/nodes/$n/node.p12" ]; then
                echo "tls: $n has a credential; kept (renew it with: tls.sh renew $DIR $n)"
            else
                issue "$OP" "$n"
            fi
        done ;;
    renew)
        [ $# -eq 1 ] || usage
        ca_ready
        [ -f "$DIR/nodes/$1/node.p12" ] || { echo "tls: no credential for $1 in $DIR/nodes" >&2; exit 2; }
        role=$(role_of "$1")
        [ -n "$role" ] || { echo "tls: cannot read the role of $1's credential" >&2; exit 2; }
        issue "$role" "$1" ;;
    show)
        for d in "$DIR"/nodes/*/; do
            n=$(basename "$d")
            end=$(openssl pkcs12 -in "$d/node.p12" -passin "file:$d/node.password" -nokeys 2>/dev/null \
                | openssl x509 -noout -enddate | cut -d= -f2)
            printf '%-20s %-8s until %s\n' "$n" "$(role_of "$n")" "$end"
        done ;;
    *) usage ;;
esac
