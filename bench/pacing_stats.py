#!/usr/bin/env python3
"""Smoothness of one paced stream from a capture: CV and largest gap over all gaps (no trimming), and the largest
burst (most packets in any half-open interval of 1/pps). Reads the pcap or pcapng records' nanosecond timestamps
itself (no Scapy: 300,000 packets at 100 kpps), optionally only UDP packets to one destination port.
With STALLS=1 in the environment it also lists every gap longer than 1 ms with the time it began (epoch seconds
mod 100, as bench/src/wakeprobe.c prints its late wake-ups).
Usage: pacing_stats.py TOOL PPS FILE [DPORT]"""
import os
import statistics
import struct
import sys


def timestamps(path, dport):
    """Timestamps (ns) of the packets in a pcap with nanosecond resolution, Ethernet, IPv4 or IPv6 UDP."""
    out = []
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        if magic != 0xA1B23C4D:
            sys.exit("%s: not a nanosecond pcap (magic %#x; run tcpdump with --time-stamp-precision=nano)"
                     % (path, magic))
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return out
            sec, nsec, incl, _ = struct.unpack("<IIII", rec)
            data = f.read(incl)
            if dport is not None:
                ether = struct.unpack("!H", data[12:14])[0]
                if ether == 0x0800:
                    l4 = 14 + (data[14] & 0x0F) * 4
                    proto = data[23]
                elif ether == 0x86DD:
                    l4, proto = 54, data[20]
                else:
                    continue
                if proto != 17 or len(data) < l4 + 4 or struct.unpack("!H", data[l4 + 2:l4 + 4])[0] != dport:
                    continue
            out.append(sec * 1_000_000_000 + nsec)


def largest_burst(ts, window):
    """Most packets in any half-open interval [t, t + window) that starts at a packet."""
    best, j = 0, 0
    for i in range(len(ts)):
        if j < i:
            j = i
        while j < len(ts) and ts[j] - ts[i] < window:
            j += 1
        best = max(best, j - i)
    return best


def main():
    tool, pps, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    dport = int(sys.argv[4]) if len(sys.argv) > 4 else None
    ts = timestamps(path, dport)
    if len(ts) < 3:
        sys.exit("%s: %d packets captured" % (path, len(ts)))
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    mean = statistics.mean(gaps)
    period = 1e9 / pps
    print("%-9s %7d pps: %d packets, rate %.0f pps, CV %.3f over all %d gaps, largest gap %.3f ms, "
          "largest burst %d packets in 1/pps, %.1f %% of gaps within +-20 %% of 1/pps"
          % (tool, pps, len(ts), 1e9 / mean, statistics.pstdev(gaps) / mean, len(gaps), max(gaps) / 1e6,
             largest_burst(ts, period), 100.0 * sum(1 for g in gaps if abs(g - period) <= 0.2 * period) / len(gaps)))
    if os.environ.get("STALLS") == "1":
        for a, g in zip(ts, gaps):
            if g > 1_000_000:
                print("  %s gap %.3f ms at %.6f" % (tool, g / 1e6, (a % 100_000_000_000) / 1e9))


if __name__ == "__main__":
    main()
