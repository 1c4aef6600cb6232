#!/usr/bin/env bash
# Fleet figures at several sizes (issue 15): for each N, an N-host lab with an agent per host and a control in the
# root namespace, then
#   - agents: each one's start-to-ready time and idle resident size; the join time of one more agent into N-1,
#   - broadcast start: every agent but h1 sends to h1 (tcpdump on h1 stamps each sender's first packet): the
#     control's publish instant to the last agent's first packet,
#   - fleet poll of every agent: publish to the last reply,
#   - a 12 x 12 mesh (132 pairs, 1,000 packets each) from N = 12 on: exact counts and end-to-end time,
#   - counter events the control takes while every agent but h1 runs ten senders (at --counter-interval-ms 100:
#     ten events per run and second), with the largest snapshot-to-taken delay,
#   - the control's resident size.
# Writes bench/out/scale-N.txt per size, bench/out/scale.tsv, and docs/scale.svg (the curves).
# Usage: sudo bench/scale.sh [SIZES="4 8 16 32"] [ROUNDS=4]
set -euo pipefail
SIZES=${1:-"4 8 16 32"}
ROUNDS=${2:-4}
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export FLEETGEN_AGENT_OPTS="${FLEETGEN_AGENT_OPTS:---counter-interval-ms 100}"
TD=
cleanup() {
    [ -n "$TD" ] && kill "$TD" 2>/dev/null || true
    deploy/lab.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

for n in $SIZES; do
    f=$OUT/scale-$n.txt
    : >"$f"
    deploy/lab.sh up "$n" >/dev/null
    # All but the last agent in batches (deploy/lab.sh starts four at a time), then the last one alone: its
    # start-to-ready time is the join into a cluster of N-1 agents.
    t0=$(date +%s.%N)
    others=$(seq -f 'h%g' 1 $((n - 1)) | tr '\n' ' ')
    # shellcheck disable=SC2086
    [ "$n" -gt 1 ] && deploy/lab.sh agents start $others >/dev/null
    t1=$(date +%s.%N)
    deploy/lab.sh agents start "h$n" >/dev/null
    t2=$(date +%s.%N)
    python3 -c "print('agents %d ready after %.1f s; the last one joined %d in %.2f s' % ($n, $t2 - $t0, $n - 1, $t2 - $t1))" | tee -a "$f"
    for i in $(seq 1 "$n"); do
        python3 -c "import os; print('ready h$i %.2f s' % (os.stat('deploy/.lab/h$i.ready').st_mtime - float(open('deploy/.lab/h$i.started').read())))"
    done >>"$f"
    sleep 25   # idle: what an agent holds when nothing runs (its heap collected and trimmed)
    for i in $(seq 1 "$n"); do
        pid=$(cat "deploy/.lab/h$i.pid")
        echo "rss h$i $(rss_kib "$pid") KiB threads $(ls "/proc/$pid/task" | wc -l)"
    done >>"$f"
    ip netns exec fg-h1 tcpdump -i data0 -Q in -n -tt --time-stamp-precision=micro udp dst portrange 8000-8099 \
        >"$OUT/scale-capture-$n.txt" 2>/dev/null &
    TD=$!
    sleep 2
    members=$(seq -s, -f '198.19.0.%g' 1 "$n")
    java -Xmx256m -Dgap=2500 -cp control/target/fleetgen-control.jar bench/src/ControlBench.java scale "$members" \
        198.19.0.254 "$n" 198.18.0.1 "$ROUNDS" 2>"$OUT/scale-control-$n.err" | tee -a "$f"
    kill "$TD"
    TD=
    python3 - "$f" "$OUT/scale-capture-$n.txt" "$n" <<'PY' | tee -a "$f"
import re, statistics, sys
f, cap, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
pub = {}
for line in open(f):
    m = re.match(r"round (\d+) published (\d+) us", line)
    if m:
        pub[int(m.group(1))] = int(m.group(2)) / 1e6
first = {}
for line in open(cap):
    m = re.match(r"(\d+\.\d+) IP (198\.18\.0\.\d+)\.\d+ > [0-9.]+\.(\d+):", line)
    if m:
        r = int(m.group(3)) - 8000
        first.setdefault(r, {}).setdefault(m.group(2), float(m.group(1)))
lasts = []
for r, t in sorted(pub.items()):
    got = first.get(r, {})
    if r > 0 and len(got) == n - 1:
        lasts.append((max(got.values()) - t) * 1000)
    print("broadcast round %d: %d of %d senders seen" % (r, len(got), n - 1))
if lasts:
    print("broadcast-to-all-sending median %.1f ms max %.1f ms" % (statistics.median(lasts), max(lasts)))
PY
    deploy/lab.sh down >/dev/null
done

python3 - "$OUT" $SIZES <<'PY'
import re, statistics, sys
out, sizes = sys.argv[1], [int(x) for x in sys.argv[2:]]
rows = []
for n in sizes:
    t = open("%s/scale-%d.txt" % (out, n)).read()
    g = lambda p, d=float("nan"): float(re.search(p, t).group(1)) if re.search(p, t) else d
    ready = [float(x) for x in re.findall(r"ready h\d+ ([0-9.]+) s", t)]
    rss = [int(x) for x in re.findall(r"rss h\d+ (\d+) KiB", t)]
    threads = [int(x) for x in re.findall(r"threads (\d+)", t)]
    polls = [float(x) for x in re.findall(r"poll \d+: \d+/\d+ replies after ([0-9.]+) ms", t)][1:]
    rows.append(dict(n=n, join=g(r"joined \d+ in ([0-9.]+) s"), ready=statistics.median(ready),
                     rss=statistics.median(rss) / 1024, threads=statistics.median(threads),
                     start=g(r"broadcast-to-all-sending median ([0-9.]+) ms"),
                     poll=statistics.median(polls) if polls else float("nan"),
                     mesh=g(r"mesh 12x12: .* ([0-9.]+) s end to end"), exact=("exact true" in t) if n >= 12 else None,
                     events=g(r"events (\d+) per second"), delay=g(r"largest delay ([0-9.]+) ms"),
                     control=g(r"control rss (\d+) KiB") / 1024, cjoin=g(r"^join (\d+) ms", 0)))
cols = ["n", "join", "ready", "rss", "threads", "start", "poll", "mesh", "exact", "events", "delay", "control"]
with open(out + "/scale.tsv", "w") as w:
    w.write("\t".join(cols) + "\n")
    for r in rows:
        w.write("\t".join(str(r[c]) for c in cols) + "\n")
print("| agents | last join (s) | ready, median (s) | agent RSS (MiB) | threads | broadcast start -> all sending (ms)"
      " | fleet poll (ms) | 12x12 mesh (s) | events taken/s | largest delay (ms) | control RSS (MiB) |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    mesh = "-" if r["exact"] is None else "%.1f%s" % (r["mesh"], "" if r["exact"] else " (not exact)")
    print("| %d | %.2f | %.2f | %.0f | %.0f | %.1f | %.1f | %s | %.0f | %.1f | %.0f |" % (r["n"], r["join"], r["ready"],
          r["rss"], r["threads"], r["start"], r["poll"], mesh, r["events"], r["delay"], r["control"]))

# The curves, as an SVG the docs embed: one panel per figure against the number of agents.
panels = [("broadcast start -> all sending (ms)", "start"), ("fleet poll (ms)", "poll"),
          ("agent join into N-1 (s)", "join"), ("control RSS (MiB)", "control"), ("events taken / s", "events")]
W, H, PW, PH = 1000, 220, 180, 150
svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
       % (W, H), '<rect width="100%" height="100%" fill="white"/>']
xs = [r["n"] for r in rows]
for k, (title, key) in enumerate(panels):
    ox, oy = 20 + k * (PW + 16), 30
    ys = [r[key] for r in rows]
    good = [(x, y) for x, y in zip(xs, ys) if y == y]
    top = max([y for _, y in good] + [1e-9]) * 1.15
    svg.append('<text x="%d" y="18" font-weight="bold">%s</text>' % (ox, title))
    svg.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>' % (ox, oy, PW, PH))
    px = lambda x: ox + 10 + (PW - 20) * (x - xs[0]) / max(1, xs[-1] - xs[0])
    py = lambda y: oy + PH - PH * y / top
    svg.append('<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="%s"/>'
               % " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in good))
    for x, y in good:
        svg.append('<circle cx="%.1f" cy="%.1f" r="3" fill="#1f6feb"/>' % (px(x), py(y)))
        svg.append('<text x="%.1f" y="%.1f" text-anchor="middle">%.3g</text>' % (px(x), py(y) - 6, y))
        svg.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%d</text>' % (px(x), oy + PH + 14, x))
svg.append('<text x="20" y="%d" fill="#555">agents (x axis); bench/scale.sh</text>' % (H - 6))
svg.append("</svg>")
open("docs/scale.svg", "w").write("\n".join(svg))
PY
