#!/usr/bin/env python3
"""Golden frames for FrameBuilderGoldenTest, made by Scapy (Debian's python3-scapy 2.5.0).

Each line: name | seed keywords as JSON (what the Java side builds the stream from) | payload length | frame hex.
The payload is bytes(i % 256 for i in range(n)). Run: /usr/bin/python3 gen_golden.py > golden.txt
"""
import json
from scapy.all import Ether, IP, IPv6, UDP, TCP, ICMP, ICMPv6EchoRequest, Raw, IPOption_Router_Alert

SRC4, DST4 = "198.18.0.1", "198.18.0.2"
SRC6, DST6 = "2001:2::1", "2001:2::2"
ETH = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")


def pay(n):
    return Raw(bytes(i % 256 for i in range(n))) if n else b""


def case(name, seed, n, pkt):
    print("%s|%s|%d|%s" % (name, json.dumps(seed), n, bytes(ETH / pkt).hex()))


case("udp4", {"proto": "udp", "src": SRC4, "dst": DST4}, 100,
     IP(src=SRC4, dst=DST4) / UDP(sport=8000, dport=8000) / pay(100))
case("udp4-odd", {"proto": "udp", "src": SRC4, "dst": DST4, "dport": 9}, 33,
     IP(src=SRC4, dst=DST4) / UDP(sport=8000, dport=9) / pay(33))
case("udp4-empty", {"proto": "udp", "src": SRC4, "dst": DST4}, 0,
     IP(src=SRC4, dst=DST4) / UDP(sport=8000, dport=8000))
case("udp4-options", {"proto": "udp", "src": SRC4, "dst": DST4, "options": "94040000", "ttl": 5, "tos": 16,
                      "id": 4660, "ipflags": 2},
     20, IP(src=SRC4, dst=DST4, ttl=5, tos=16, id=4660, flags=2, options=[IPOption_Router_Alert()])
     / UDP(sport=8000, dport=8000) / pay(20))
case("udp4-badsum", {"proto": "udp", "src": SRC4, "dst": DST4, "chksum": "0x1234", "ipchksum": 1}, 10,
     IP(src=SRC4, dst=DST4, chksum=1) / UDP(sport=8000, dport=8000, chksum=0x1234) / pay(10))
case("udp4-wronglen", {"proto": "udp", "src": SRC4, "dst": DST4, "len": 99, "iplen": 1000, "frag": 5}, 10,
     IP(src=SRC4, dst=DST4, len=1000, frag=5) / UDP(sport=8000, dport=8000, len=99) / pay(10))
case("tcp4-syn", {"proto": "tcp", "src": SRC4, "dst": DST4}, 0,
     IP(src=SRC4, dst=DST4) / TCP(sport=8000, dport=9000))
case("tcp4-pa-options", {"proto": "tcp", "src": SRC4, "dst": DST4, "flags": "PA", "seq": 1000, "ack": 2000,
                         "window": 1000, "urgptr": 3,
                         "tcpoptions": "MSS=1460,NOP,WScale=7,SAckOK,Timestamp=12345:6789"}, 41,
     IP(src=SRC4, dst=DST4) / TCP(sport=8000, dport=9000, flags="PA", seq=1000, ack=2000, window=1000, urgptr=3,
                                  options=[("MSS", 1460), ("NOP", None), ("WScale", 7), ("SAckOK", b""),
                                           ("Timestamp", (12345, 6789))]) / pay(41))
case("tcp4-sack", {"proto": "tcp", "src": SRC4, "dst": DST4, "flags": "A", "SAck": "100:200"}, 5,
     IP(src=SRC4, dst=DST4) / TCP(sport=8000, dport=9000, flags="A", options=[("SAck", (100, 200))]) / pay(5))
case("icmp4-echo", {"proto": "icmp", "src": SRC4, "dst": DST4, "icmp.id": 7, "seq": 9}, 56,
     IP(src=SRC4, dst=DST4) / ICMP(id=7, seq=9) / pay(56))
case("icmp4-echo-odd", {"proto": "icmp", "src": SRC4, "dst": DST4}, 7,
     IP(src=SRC4, dst=DST4) / ICMP() / pay(7))
case("icmp4-timestamp", {"proto": "icmp", "src": SRC4, "dst": DST4, "type": 13, "icmp.id": 1, "seq": 2,
                         "ts_ori": 100, "ts_rx": 200, "ts_tx": 300}, 0,
     IP(src=SRC4, dst=DST4) / ICMP(type=13, id=1, seq=2, ts_ori=100, ts_rx=200, ts_tx=300))
case("icmp4-redirect", {"proto": "icmp", "src": SRC4, "dst": DST4, "type": 5, "code": 1, "gw": "198.18.0.9"}, 28,
     IP(src=SRC4, dst=DST4) / ICMP(type=5, code=1, gw="198.18.0.9") / pay(28))
case("icmp4-paramproblem", {"proto": "icmp", "src": SRC4, "dst": DST4, "type": 12, "ptr": 4}, 28,
     IP(src=SRC4, dst=DST4) / ICMP(type=12, ptr=4) / pay(28))
case("icmp4-unreach", {"proto": "icmp", "src": SRC4, "dst": DST4, "type": 3, "code": 3, "reserved": 0}, 28,
     IP(src=SRC4, dst=DST4) / ICMP(type=3, code=3) / pay(28))
case("icmp4-timeexceeded", {"proto": "icmp", "src": SRC4, "dst": DST4, "type": 11}, 28,
     IP(src=SRC4, dst=DST4) / ICMP(type=11) / pay(28))
case("icmp4-addrmask", {"proto": "icmp", "src": SRC4, "dst": DST4, "type": 18, "icmp.id": 3,
                        "addr_mask": "255.255.255.0"}, 0,
     IP(src=SRC4, dst=DST4) / ICMP(type=18, id=3, addr_mask="255.255.255.0"))
case("icmp4-badsum", {"proto": "icmp", "src": SRC4, "dst": DST4, "chksum": 0}, 8,
     IP(src=SRC4, dst=DST4) / ICMP(chksum=0) / pay(8))
case("udp6", {"proto": "udp", "src": SRC6, "dst": DST6, "tc": 32, "fl": 12345, "hlim": 9}, 100,
     IPv6(src=SRC6, dst=DST6, tc=32, fl=12345, hlim=9) / UDP(sport=8000, dport=8000) / pay(100))
case("udp6-odd", {"proto": "udp", "src": SRC6, "dst": DST6, "ttl": 3}, 17,
     IPv6(src=SRC6, dst=DST6, hlim=3) / UDP(sport=8000, dport=8000) / pay(17))
case("tcp6-pa-options", {"proto": "tcp", "src": SRC6, "dst": DST6, "flags": "PA", "seq": 7, "ack": 8,
                         "tcpoptions": "NOP,NOP,Timestamp=1:2"}, 33,
     IPv6(src=SRC6, dst=DST6, hlim=64) / TCP(sport=8000, dport=9000, flags="PA", seq=7, ack=8,
                                              options=[("NOP", None), ("NOP", None), ("Timestamp", (1, 2))])
     / pay(33))
case("icmp6-echo", {"proto": "icmpv6", "src": SRC6, "dst": DST6, "id": 5, "seq": 6}, 56,
     IPv6(src=SRC6, dst=DST6, hlim=64) / ICMPv6EchoRequest(id=5, seq=6, data=bytes(i % 256 for i in range(56))))
case("icmp6-echo-odd", {"proto": "icmp", "src": SRC6, "dst": DST6}, 5,
     IPv6(src=SRC6, dst=DST6, hlim=64) / ICMPv6EchoRequest(data=bytes(i % 256 for i in range(5))))
