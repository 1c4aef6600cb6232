#!/usr/bin/env bash
# Allocation per packet in the transmit and capture loops, from a JFR allocation profile of a benchmark run:
# Continuous UDP h1 -> h2 for SECONDS with a receiver counting; JFR records both agents; the sampled
# allocation weight of the fleetgen-tx-* and fleetgen-rx-* threads is divided by the packets they handled.
# Usage: sudo bench/alloc-jfr.sh [SECONDS=5]
set -euo pipefail
SECS=${1:-5}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
RESULTS=$OUT/alloc.txt
for h in h1 h2; do
    jcmd "$(cat "deploy/.lab/$h.pid")" JFR.start name=alloc settings=profile >/dev/null
done
"${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 duration=$SECS; receiver a p h2; sender a p h1; wait h1 a finished timeout=$((SECS + 20)); sleep 1; stop h2 a" \
    >"$OUT/alloc-run.json"
for h in h1 h2; do
    jcmd "$(cat "deploy/.lab/$h.pid")" JFR.dump name=alloc filename="$OUT/alloc-$h.jfr" >/dev/null
done
python3 - "$OUT" <<'PY' | tee "$RESULTS"
import json, re, subprocess, sys
out = sys.argv[1]
lines = open(out + "/alloc-run.json").read().strip().split("\n")
sent = json.loads(lines[-2])[0]["counters"]["sent"]
recv = json.loads(lines[-1])[0]["counters"]["recv"]
def weights(host, prefix):
    txt = subprocess.run(["jfr", "print", "--events", "jdk.ObjectAllocationSample", out + "/alloc-%s.jfr" % host],
                         capture_output=True, text=True).stdout
    total, classes = 0, {}
    for ev in txt.split("jdk.ObjectAllocationSample")[1:]:
        t = re.search(r'eventThread = "([^"]+)"', ev)
        w = re.search(r"weight = ([0-9.]+) ([kMG]?B)", ev)
        c = re.search(r"objectClass = (\S+)", ev)
        if not t or not w or not t.group(1).startswith(prefix):
            continue
        mult = {"B": 1, "kB": 1024, "MB": 1 << 20, "GB": 1 << 30}[w.group(2)]
        b = float(w.group(1)) * mult
        total += b
        classes[c.group(1)] = classes.get(c.group(1), 0) + b
    return total, sorted(classes.items(), key=lambda x: -x[1])[:3]
tx, txc = weights("h1", "fleetgen-tx-")
rx, rxc = weights("h2", "fleetgen-rx-")
print("transmit loop: %d packets, ~%.0f bytes sampled allocation, %.2f bytes/packet %s" % (sent, tx, tx / max(sent, 1), txc))
print("capture loop:  %d packets, ~%.0f bytes sampled allocation, %.2f bytes/packet %s" % (recv, rx, rx / max(recv, 1), rxc))
PY
