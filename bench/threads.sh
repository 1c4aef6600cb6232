#!/usr/bin/env bash
# Scale-out on one host: 60-byte UDP frames h1 -> h2 from 1 and then 2 senders on the 2 cores, a Fleetgen
# receiver counting on h2 the whole time. Fleetgen (profile threads=N) and trafgen (-P N, its own per-CPU
# timing) alternate ROUNDS times; prints the medians, the two-over-one ratios and what the receiver counted.
# Usage: sudo bench/threads.sh [ROUNDS=3] [SECONDS=4]
set -euo pipefail
ROUNDS=${1:-3}
SECS=${2:-4}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
peer_frames
RESULTS=$OUT/threads.txt
: >"$RESULTS"

fleetgen_trial() { # ROUND THREADS
    "${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 threads=$2 duration=$SECS; receiver r$1$2 p h2; sender s$1$2 p h1; wait h1 s$1$2 finished timeout=$((SECS + 20)); sleep 1; stop h2 r$1$2" \
        | tail -3 | python3 -c "
import json, sys
rows = [json.loads(l)[0] for l in sys.stdin.read().strip().split('\n') if l.startswith('[')]
s, r = rows[-2], rows[-1]
secs = (s['endedAtMillis'] - s['startedAtMillis']) / 1000.0
print('fleetgen $2 %.0f %d %d' % (s['counters']['sent'] / secs, s['counters']['sent'], r['counters']['recv']))
"
}

trafgen_trial() { # ROUND THREADS
    "${CTL[@]}" -c "stream rs proto=udp dst=198.18.1.2 dport=8000; profile rp continuous stream=rs; receiver t$1$2 rp h2" >/dev/null
    local out
    out=$(ip netns exec fg-h1 timeout 60 trafgen -o bv1 -i "$OUT/udp60.trafgen" -n $((SECS * 400000 * $2)) -P "$2" -q -V \
        2>&1 | tr -d '\r' || true)
    sleep 1
    local recv
    recv=$("${CTL[@]}" -c "stop h2 t$1$2" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["counters"]["recv"])')
    # "N packets outgoing" is the total; each CPU reports "S sec, U usec on CPUi": the rate is over the slowest.
    echo "$out" | python3 -c "
import re, sys
t = sys.stdin.read()
sent = int(re.search(r'(\d+) packets outgoing', t).group(1)) if 'packets outgoing' in t else 0
secs = max([int(a) + int(b) / 1e6 for a, b in re.findall(r'(\d+) sec, (\d+) usec on CPU', t)] or [1])
print('trafgen $2 %.0f %d $recv' % (sent / secs, sent))
"
}

for r in $(seq 1 "$ROUNDS"); do
    for t in 1 2; do
        fleetgen_trial "$r" "$t" | tee -a "$RESULTS"
        trafgen_trial "$r" "$t" | tee -a "$RESULTS"
    done
done
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for tool in ("fleetgen", "trafgen"):
    m = {t: statistics.median(float(r[2]) for r in rows if r[0] == tool and r[1] == t) for t in ("1", "2")}
    print("%-9s median pps: 1 sender %.0f, 2 senders %.0f, ratio %.2fx; receiver counted %s" % (
        tool, m["1"], m["2"], m["2"] / m["1"],
        " ".join("%s/%s" % (r[4], r[3]) for r in rows if r[0] == tool)))
PY
