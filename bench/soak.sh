#!/usr/bin/env bash
# Soak (issue 15): MINUTES (default 30) at 100 kpps in all over 4 sender/receiver pairs on a 4-host lab (h1 -> h2,
# h2 -> h3, h3 -> h4, h4 -> h1, 25 kpps each, 74-byte UDP frames carrying the signature): every agent sends one stream and receives one.
# At the start and the end, and every minute in between, each agent's resident size, threads, open descriptors,
# packet sockets (pcap handles) and the lab's iptables rules are sampled; at the end the counters must be exact
# (sent = 25,000 x duration per pair, received = sent). Writes bench/out/soak.txt and bench/out/soak.tsv.
# Usage: sudo bench/soak.sh [MINUTES=30]
set -euo pipefail
MINUTES=${1:-30}
SECS=$((MINUTES * 60))
PPS=25000
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# Four agents on one host's cores, each with a 25 kpps thread: real-time, those four threads would take the cores
# from every other thread of the lab (each agent's budget counts only its own), as they did on 2026-11-28 when the
# runs never started. Agents packed several to a few cores run with --pacing-priority 0, as in bench/scale.sh; the
# runs of the soak in docs/SCALE.md paced at nice -10. FLEETGEN_AGENT_OPTS set by the caller wins.
export FLEETGEN_AGENT_OPTS=${FLEETGEN_AGENT_OPTS---pacing-priority 0}
trap 'deploy/lab.sh down >/dev/null 2>&1 || true' EXIT
deploy/lab.sh up 4 >/dev/null
deploy/lab.sh agents start >/dev/null
CTL=(deploy/fleetgen --members 198.19.0.1,198.19.0.2,198.19.0.3,198.19.0.4 --bind 198.19.0.254
    --credentials deploy/.lab/creds/nodes/control --bus-tls false --json)
TSV=$OUT/soak.tsv
TXT=$OUT/soak.txt
: >"$TXT"

sample() {   # label: one row per agent
    local label=$1 i pid fds pkt rules
    for i in 1 2 3 4; do
        pid=$(cat "deploy/.lab/h$i.pid")
        fds=$(ls "/proc/$pid/fd" | wc -l)
        # Packet sockets of the agent's namespace: the pcap handles (transmit and capture) it holds open.
        pkt=$(ip netns exec "fg-h$i" sh -c 'tail -n +2 /proc/net/packet | wc -l')
        rules=$(ip netns exec "fg-h$i" iptables-save 2>/dev/null | grep -c fleetgen || true)
        printf '%s\th%d\t%d\t%d\t%d\t%d\t%d\n' "$label" "$i" "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")" \
            "$(ls "/proc/$pid/task" | wc -l)" "$fds" "$pkt" "$rules"
    done
}

printf 'when\thost\trss_kib\tthreads\tfds\tpacket_sockets\tiptables_rules\n' >"$TSV"
sample idle >>"$TSV"
script="stream s1 proto=udp src=198.18.0.1 dst=198.18.0.2 dport=8601; stream s2 proto=udp src=198.18.0.2 dst=198.18.0.3 dport=8602"
script+="; stream s3 proto=udp src=198.18.0.3 dst=198.18.0.4 dport=8603; stream s4 proto=udp src=198.18.0.4 dst=198.18.0.1 dport=8604"
for i in 1 2 3 4; do
    script+="; profile p$i continuous stream=s$i size=32 pps=$PPS duration=$SECS"
done
script+="; pair soak1 p1 h1 h2; pair soak2 p2 h2 h3; pair soak3 p3 h3 h4; pair soak4 p4 h4 h1"
"${CTL[@]}" -c "$script" >"$OUT/soak-start.json" 2>"$OUT/soak-start.err" \
    || { echo "soak: the runs did not start:" >&2; cat "$OUT/soak-start.json" "$OUT/soak-start.err" >&2; exit 1; }
sleep 60
sample start >>"$TSV"
for m in $(seq 2 "$MINUTES"); do
    sleep 60
    sample "minute$m" >>"$TSV"
done
sleep 5
for i in 1 2 3 4; do
    to=$(( i % 4 + 1 ))
    "${CTL[@]}" -c "wait h$i soak$i finished timeout=60; wait h$to soak$i finished timeout=60" | tail -2 | python3 -c '
import json, sys
s, r = [json.loads(l)[0] for l in sys.stdin.read().split("\n") if l.strip()]
print("soak%s: sender %s sent %d (expected %d), receiver %s received %d, lost %d, duplicates %d, out of order %d" % (
    sys.argv[1], s["state"], s["counters"]["sent"], int(sys.argv[2]), r["state"], r["counters"]["recv"],
    s["counters"]["sent"] - r["counters"]["recv"], r["counters"]["duplicates"], r["counters"]["outOfOrder"]))' \
        "$i" $((PPS * SECS)) | tee -a "$TXT"
done
sleep 15   # the runs' threads and handles are returned; the heap settles
sample end >>"$TSV"
python3 - "$TSV" <<'PY' | tee -a "$TXT"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def at(label):
    return {r["host"]: r for r in rows if r["when"] == label}
s, e = at("start"), at("end")
# The last minute sampled while every run was still live (each agent holding the packet sockets it held at the
# start): the runs end a little before the last minute's sample, and then the heap and the handles are given back.
live = [r["when"] for r in rows if r["when"].startswith("minute")
        and all(at(r["when"])[h]["packet_sockets"] == s[h]["packet_sockets"] for h in s)]
last = max(live, key=lambda w: int(w[6:]), default="start")
l = at(last)
print("last sample with every run live: " + last)
print("%-4s %26s %10s %14s %14s %14s %16s" % ("host", "RSS MiB start->" + last, "growth", "peak (growth)", "threads",
      "fds", "iptables"))
for h in sorted(s):
    a, b = int(s[h]["rss_kib"]), int(l[h]["rss_kib"])
    peak = max(int(r["rss_kib"]) for r in rows if r["host"] == h and r["when"] in live + ["start"])
    print("%-4s %12.1f -> %8.1f %+9.1f%% %7.1f (%+.1f%%) %6s -> %-5s %6s -> %-5s %6s -> %s" % (h, a / 1024,
          b / 1024, 100.0 * (b - a) / a, peak / 1024, 100.0 * (peak - a) / a, s[h]["threads"], l[h]["threads"],
          s[h]["fds"], l[h]["fds"], s[h]["iptables_rules"], l[h]["iptables_rules"]))
i = at("idle")
print("after the runs (end) vs before them (idle): " + ", ".join("%s threads %s->%s fds %s->%s packet sockets %s->%s "
      "rules %s->%s" % (h, i[h]["threads"], e[h]["threads"], i[h]["fds"], e[h]["fds"], i[h]["packet_sockets"],
      e[h]["packet_sockets"], i[h]["iptables_rules"], e[h]["iptables_rules"]) for h in sorted(i)))
PY
