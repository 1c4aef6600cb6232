"""The figures of bench/scale.sh: a markdown table, bench/out/scale.tsv and docs/scale.svg (the curves).
Usage: python3 bench/scale_report.py OUT_DIR SIZE...   (sizes whose bench/out/scale-N.txt is missing are left out)"""
import os
import re, statistics, sys
out, sizes = sys.argv[1], [int(x) for x in sys.argv[2:]]
rows = []
for n in sizes:
    # A size whose control bench failed part way keeps what it measured (the rest shows as "-").
    if not os.path.exists("%s/scale-%d.txt" % (out, n)) or "ready after" not in open("%s/scale-%d.txt" % (out, n)).read():
        continue
    t = open("%s/scale-%d.txt" % (out, n)).read()
    g = lambda p, d=float("nan"): float(re.search(p, t).group(1)) if re.search(p, t) else d
    ready = [float(x) for x in re.findall(r"ready h\d+ ([0-9.]+) s", t)]
    rss = [int(x) for x in re.findall(r"rss h\d+ (\d+) KiB", t)]
    pss = [int(x) for x in re.findall(r"pss (\d+) KiB", t)]
    threads = [int(x) for x in re.findall(r"threads (\d+)", t)]
    polls = [float(x) for x in re.findall(r"poll \d+: \d+/\d+ replies after ([0-9.]+) ms", t)][1:]
    rows.append(dict(n=n, join=g(r"joined \d+ in ([0-9.]+) s"), ready=statistics.median(ready),
                     rss=statistics.median(rss) / 1024,
                     pss=statistics.median(pss) / 1024 if pss else float("nan"), threads=statistics.median(threads),
                     start=g(r"broadcast-to-all-sending median ([0-9.]+) ms"),
                     poll=statistics.median(polls) if polls else float("nan"),
                     mesh=g(r"mesh 12x12: .* ([0-9.]+) s end to end"), exact=("exact true" in t) if n >= 12 else None,
                     events=g(r"events (\d+) per second"), delay=g(r"largest delay ([0-9.]+) ms"),
                     control=g(r"control rss (\d+) KiB") / 1024, cjoin=g(r"^join (\d+) ms", 0)))
cols = ["n", "join", "ready", "rss", "pss", "threads", "start", "poll", "mesh", "exact", "events", "delay", "control"]
with open(out + "/scale.tsv", "w") as w:
    w.write("\t".join(cols) + "\n")
    for r in rows:
        w.write("\t".join(str(r[c]) for c in cols) + "\n")
print("| agents | last join (s) | ready, median (s) | agent RSS (MiB) | agent PSS (MiB) | threads | broadcast start -> all sending (ms)"
      " | fleet poll (ms) | 12x12 mesh (s) | events taken/s | largest delay (ms) | control RSS (MiB) |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    mesh = "-" if r["exact"] is None or r["mesh"] != r["mesh"] else "%.1f%s" % (r["mesh"], "" if r["exact"] else " (not exact)")
    f = lambda v, fmt: "-" if v != v else fmt % v
    print("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (r["n"], f(r["join"], "%.2f"),
          f(r["ready"], "%.2f"), f(r["rss"], "%.0f"), f(r["pss"], "%.0f"), f(r["threads"], "%.0f"),
          f(r["start"], "%.1f"), f(r["poll"], "%.1f"), mesh, f(r["events"], "%.0f"), f(r["delay"], "%.1f"),
          f(r["control"], "%.0f")))

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
        svg.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>' % (px(x), py(y) - 6, "%.0f" % y if y >= 100 else "%.3g" % y))
        svg.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%d</text>' % (px(x), oy + PH + 14, x))
svg.append('<text x="20" y="%d" fill="#555">agents (x axis); bench/scale.sh</text>' % (H - 6))
svg.append("</svg>")
# A variant run (bench/scale.sh with DATA_MEMBERS) keeps its curves beside its figures, not over the docs' plot.
open(os.environ.get("SCALE_SVG", "docs/scale.svg"), "w").write("\n".join(svg))
