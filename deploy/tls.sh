#!/usr/bin/env bash
# Makes a private fleet CA and a certificate per node, for mutual TLS on the clustered event bus.
#
#   deploy/tls.sh DIR NAME [NAME...]
#
# DIR/ca.key, DIR/ca.crt     the fleet CA (keep ca.key off the hosts)
# DIR/NAME.p12               NAME's key and certificate signed by the CA (PKCS#12)
# DIR/truststore.p12         the CA certificate, which every node trusts (PKCS#12)
# DIR/password               the stores' password (mode 0640)
# Running it again adds the NAMEs that are missing and keeps the CA.
set -euo pipefail
DIR=${1:?usage: tls.sh DIR NAME [NAME...]}
shift
[ $# -ge 1 ] || { echo "usage: tls.sh DIR NAME [NAME...]" >&2; exit 2; }
command -v openssl >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
mkdir -p "$DIR"
chmod 0750 "$DIR"
cd "$DIR"
[ -f password ] || { openssl rand -hex 16 >password; chmod 0640 password; }
PW=$(cat password)
if [ ! -f ca.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=Fleetgen fleet CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    chmod 0600 ca.key
    echo "tls: made the fleet CA in $DIR/ca.crt"
fi
if [ ! -f truststore.p12 ]; then
    keytool -importcert -noprompt -storetype PKCS12 -keystore truststore.p12 -storepass "$PW" \
        -alias fleet-ca -file ca.crt >/dev/null 2>&1
fi
for name in "$@"; do
    [ -f "$name.p12" ] && continue
    openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name" 2>/dev/null
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" -days 825 \
        -extfile <(printf 'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:%s\n' "$name") 2>/dev/null
    openssl pkcs12 -export -in "$name.crt" -inkey "$name.key" -certfile ca.crt -name "$name" \
        -out "$name.p12" -passout "pass:$PW"
    rm -f "$name.csr" "$name.key"
    chmod 0640 "$name.p12"
    echo "tls: made $DIR/$name.p12"
done
