#!/usr/bin/env bash
# One-shot REPL command latency (issue 13): `deploy/fleetgen -c CMD` through a running `fleetgen serve` (the local
# default, 127.0.0.1:7480) against the same command joining the cluster, and the raw HTTP round trip (curl) as the
# floor, in the same run on a 3-host lab. Prints min / median / p90 / max in ms of N runs each (joining: N/5).
# Usage: sudo bench/service.sh [N=30]
set -euo pipefail
N=${1:-30}
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SERVE=
trap '[ -n "$SERVE" ] && kill "$SERVE" 2>/dev/null; deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
deploy/lab.sh up 3 >/dev/null
deploy/lab.sh agents start >/dev/null
LAB=(--members 198.19.0.1,198.19.0.2,198.19.0.3 --bind 198.19.0.254 --credentials deploy/.lab/creds/nodes/control
    --bus-tls false)
RESULTS=$OUT/service.txt
: >"$RESULTS"
deploy/fleetgen serve "${LAB[@]}" >"$OUT/serve.log" 2>&1 &
SERVE=$!
for _ in $(seq 600); do grep -q 'fleetgen serve:' "$OUT/serve.log" && break; sleep 0.1; done
CMD="poll h1; list"
# Warm-up: the first run makes the launcher's class-data archive; the service's first requests load classes.
deploy/fleetgen -c "$CMD" >/dev/null
deploy/fleetgen -c "$CMD" >/dev/null

ms() {   # runs "$@" N times quietly, prints the elapsed ms of each
    local n=$1 t0 t1
    shift
    for _ in $(seq "$n"); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done
}
stats() {   # label, then microsecond samples on stdin
    python3 -c '
import sys, statistics
v = sorted(int(x) / 1000 for x in sys.stdin.read().split())
p90 = v[min(len(v) - 1, int(len(v) * 0.9))]
print("%-58s n=%3d  min %7.1f  median %7.1f  p90 %7.1f  max %7.1f ms" % (sys.argv[1], len(v), v[0], statistics.median(v), p90, v[-1]))
' "$1" | tee -a "$RESULTS"
}
ms "$N" curl -s -X POST -H 'Content-Type: application/json' -d "{\"script\":\"$CMD\"}" \
    http://127.0.0.1:7480/api/script | stats "curl POST /api/script (the service's part)"
ms "$N" deploy/fleetgen -c "$CMD" | stats "deploy/fleetgen -c '$CMD' through the service"
ms "$N" deploy/fleetgen --json -c "$CMD" | stats "deploy/fleetgen --json -c '$CMD' through the service"
ms $((N / 5 > 3 ? N / 5 : 3)) deploy/fleetgen --no-service "${LAB[@]}" -c "$CMD" \
    | stats "deploy/fleetgen --no-service -c '$CMD' (joins the cluster)"
FLEETGEN_CDS=0 ms "$N" deploy/fleetgen -c "$CMD" | stats "the same through the service, without the CDS archive"
echo "service resident memory: $(($(awk '/VmRSS/ {print $2}' /proc/$SERVE/status) / 1024)) MiB" | tee -a "$RESULTS"
