#!/usr/bin/env bash
# Scale-out on one host: Continuous UDP 60-byte frames h1 -> h2 with 1 and then 2 transmit threads
# (profile threads=N), alternated ROUNDS times, receiver counting on h2; prints medians and the ratio.
# Usage: sudo bench/threads.sh [ROUNDS=3] [SECONDS=4]
set -euo pipefail
ROUNDS=${1:-3}
SECS=${2:-4}
. "$(dirname "${BASH_SOURCE[0]}")/lab-pair.sh"
RESULTS=$OUT/threads.txt
: >"$RESULTS"
for r in $(seq 1 "$ROUNDS"); do
    for t in 1 2; do
        "${CTL[@]}" -c "stream s proto=udp src=198.18.1.1 dst=198.18.1.2 dport=8000; profile p continuous stream=s size=18 threads=$t duration=$SECS; receiver r$r$t p h2; sender s$r$t p h1; wait h1 s$r$t finished timeout=$((SECS + 20)); sleep 1; stop h2 r$r$t" \
            | tail -3 | python3 -c "
import json, sys
rows = [json.loads(l)[0] for l in sys.stdin.read().strip().split('\n') if l.startswith('[')]
s, r = rows[-2], rows[-1]
secs = (s['endedAtMillis'] - s['startedAtMillis']) / 1000.0
print('threads $t %.0f %d %d' % (s['counters']['sent'] / secs, s['counters']['sent'], r['counters']['recv']))
" | tee -a "$RESULTS"
    done
done
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
m = {t: statistics.median(float(r[2]) for r in rows if r[1] == t) for t in ("1", "2")}
print("median pps: 1 thread %.0f, 2 threads %.0f, ratio %.2fx" % (m["1"], m["2"], m["2"] / m["1"]))
for r in rows:
    print("  threads %s: receiver counted %s of %s" % (r[1], r[4], r[3]))
PY
