#!/usr/bin/env python3
"""Write the hand-made seed inputs of each fuzz target into corpus/<name>/.
The fuzzers grow the corpus from these; run again to restore the seeds."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def txslot(gref, off, flags, sid, size):
    return struct.pack("<IHHHH", gref, off, flags, sid, size)


def extra_gso(size, gtype, more=False):
    return struct.pack("<BBHBBH", 1, 1 if more else 0, size, gtype, 0, 0) + b"\0" * 4


MORE, EXTRA = 4, 8
put("tx_chain", "single", b"\x0f" + txslot(10, 0, 0, 0, 60))
put("tx_chain", "two", b"\x0f" + txslot(10, 100, MORE, 0, 3000) + txslot(11, 0, 0, 1, 1000))
put("tx_chain", "gso", b"\x0f" + txslot(10, 0, EXTRA | MORE, 0, 9000) + extra_gso(1448, 1)
    + txslot(11, 0, MORE, 1, 4096) + txslot(12, 0, 0, 2, 4096))
put("tx_chain", "tiny18", b"\x0f" + b"".join(txslot(i, 0, MORE if i < 17 else 0, i, 60 if i == 0 else 1) for i in range(18)))


def extra_raw(etype, payload, more=False):
    return struct.pack("<BB", etype, 1 if more else 0) + payload.ljust(10, b"\0")


# One seed per verdict the parser can give (the random mutations rarely
# reach past the page-crossing checks on their own).
def chain(n, first=60, each=1):
    return b"".join(txslot(i, 0, MORE if i < n - 1 else 0, i, first if i == 0 else each) for i in range(n))


put("tx_chain", "drop-19slots", b"\x0f" + chain(19, 60))
put("tx_chain", "fatal-21slots", b"\x0f" + chain(21, 60))
put("tx_chain", "drop-short", b"\x0f" + txslot(10, 0, 0, 0, 5))
put("tx_chain", "drop-size-mismatch", b"\x0f" + txslot(10, 0, MORE, 0, 100) + txslot(11, 0, 0, 1, 200))
put("tx_chain", "drop-repeated-gso", b"\x0f" + txslot(10, 0, EXTRA, 0, 60) + extra_gso(1448, 1, True)
    + extra_gso(1448, 1))
put("tx_chain", "drop-hash-type", b"\x0f" + txslot(10, 0, EXTRA, 0, 60)
    + extra_raw(4, struct.pack("<BB4s", 200, 1, b"\1\2\3\4")))
put("tx_chain", "mcast-add", b"\x0f" + txslot(10, 0, EXTRA, 0, 60) + extra_raw(2, b"\x01\x00\x5e\x00\x00\x01"))
put("tx_chain", "mcast-del-unneg", b"\x07" + txslot(10, 0, EXTRA, 0, 60) + extra_raw(3, b"\x01\x00\x5e\x00\x00\x01"))
put("tx_chain", "gso-unneg", b"\x01" + txslot(10, 0, EXTRA | MORE, 0, 5000) + extra_gso(1448, 2)
    + txslot(11, 0, 0, 1, 2000))
put("tx_chain", "truncated-claim", b"\x8f" + txslot(10, 0, MORE, 0, 3000) + txslot(11, 0, MORE, 1, 1000))


def rxrsp(rid, off, flags, status):
    return struct.pack("<HHHh", rid, off, flags, status)


RMORE, REXTRA = 4, 8
put("rx_rsp", "single", b"\x07" + rxrsp(0, 0, 0, 1500))
put("rx_rsp", "gso", b"\x07" + rxrsp(0, 0, RMORE | REXTRA, 4096) + extra_gso(1448, 1) + rxrsp(2, 0, 0, 2000))


def ctrl(rid, rtype, d0=0, d1=0, d2=0):
    return struct.pack("<HHIII", rid, rtype, d0, d1, d2)


put("ctrl", "setup", b"\x03" + ctrl(1, 7, 1) + ctrl(2, 2, 0xf) + ctrl(3, 3, 0, 40) + ctrl(4, 5, 8)
    + ctrl(5, 6, 0, 8, 0) + ctrl(6, 1) + ctrl(7, 4) + b"\x01\0\0\0" * 8)
put("ctrl", "xsa270", b"\x01" + ctrl(1, 7, 1) + ctrl(2, 5, 16) + ctrl(3, 6, 0, 2, 0xffffffff))

put("xs", "onequeue", b"tx-ring-ref=8\nrx-ring-ref=9\nevent-channel=5\nrequest-rx-copy=1\n"
    b"feature-rx-notify=1\nfeature-sg=1\nfeature-gso-tcpv4=1\nfrontend-id=3\nmac=00:16:3e:00:00:01\nmtu=1500\n"
    b"rate=1000000,50000\nvifname=guest0\nonline=1\n")
put("xs", "twoqueues", b"multi-queue-num-queues=2\nqueue-0/tx-ring-ref=8\nqueue-0/rx-ring-ref=9\n"
    b"queue-0/event-channel-tx=5\nqueue-0/event-channel-rx=6\nqueue-1/tx-ring-ref=10\nqueue-1/rx-ring-ref=11\n"
    b"queue-1/event-channel=7\nrequest-rx-copy=1\nfeature-rx-notify=1\nctrl-ring-ref=12\nevent-channel-ctrl=9\n"
    b"xdp-headroom=256\nfrontend-id=1\n")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


eth4 = b"\xfe\xff\xff\xff\xff\xff" + b"\x00\x16\x3e\x00\x00\x01" + b"\x08\x00"
tcp = struct.pack("!HHIIBBHHH", 2794, 1766, 1, 0, 5 << 4, 0x18, 65535, 0, 0) + b"hello"
ip4 = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes([66, 9, 149, 187]), bytes([161, 142, 100, 80]))
ip4 = ip4[:10] + struct.pack("!H", csum(ip4)) + ip4[12:]
put("hdr", "ipv4tcp", eth4 + ip4 + tcp)
eth6 = eth4[:12] + b"\x86\xdd"
udp = struct.pack("!HHHH", 1000, 2000, 8 + 4, 0) + b"ping"
ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(udp) + 8, 60, 64, b"\x3f\xfe" + b"\0" * 13 + b"\x01",
                  b"\x3f\xfe" + b"\0" * 13 + b"\x02")
put("hdr", "ipv6udp_dstopts", eth6 + ip6 + bytes([17, 0]) + b"\0" * 6 + udp)
put("hdr", "vlan", eth4[:12] + b"\x81\x00\x00\x05\x08\x00" + ip4 + tcp)


# Engine programs: an opcode byte is (op << 1) | queue (fuzz_engine.c).
E_TX_SLOT, E_TX_PUSH, E_RX_POST, E_RUN, E_RSP, E_ADOPT = 0, 1, 3, 10, 13, 14


def eop(op, q=0):
    return bytes([(op << 1) | q])


# A packet out, RX buffers posted, then a restart that takes back one TX
# and one RX response (the kill -9 window), and the rings used again.
put("engine", "adopt", b"\x0c\x00" + eop(E_RX_POST) + b"\x10" + eop(E_TX_SLOT) + txslot(64, 0, 0, 0, 60)
    + eop(E_TX_PUSH) + eop(E_RUN) + eop(E_ADOPT) + b"\x11" + eop(E_RUN) + eop(E_TX_SLOT)
    + txslot(65, 0, 0, 1, 60) + eop(E_TX_PUSH) + eop(E_RUN) + eop(E_RSP))
