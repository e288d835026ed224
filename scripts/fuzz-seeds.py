#!/usr/bin/env python3
"""fuzz-seeds.py - seeds that reach the parsers, for tests/fuzz/corpus/.

    python3 scripts/fuzz-seeds.py scap OUTDIR FILE.scap[.gz]...
    python3 scripts/fuzz-seeds.py archive OUTDIR FILE.sra...

A fuzzer mutates bytes; when the seed is compressed, nearly every mutation
breaks the compression layer and never reaches the reader (issue 22: 2,874
edges after 8 minutes from gzipped scap seeds, 3,908 in 38 seconds from
plain ones).  So:

scap     the captures uncompressed and cut into small seeds: the section
         header, the small metadata blocks (process, fd, interface lists),
         then the first events of each event type, at most SEED_MAX bytes a
         seed, so that libFuzzer's -max_len keeps them whole.
archive  the same archive with every column stream stored in a zstd frame
         of raw (uncompressed) blocks: still a valid archive that any build
         reads, whose stream bytes a mutation changes directly.  The
         fuzzing build (-DSR_FUZZING) skips the CRC-32s and zstd checksums,
         so a mutated byte reaches the column decoders.
"""
import gzip
import os
import struct
import subprocess
import sys

SEED_MAX = 48 << 10
M64 = (1 << 64) - 1


# --- scap -----------------------------------------------------------------

def pcapng_blocks(data):
    """(type, bytes) of every whole block of a little-endian pcapng file."""
    at = 0
    while at + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, at)
        if blen < 12 or at + blen > len(data):
            break
        yield btype, data[at:at + blen]
        at += blen


def event_type(block):
    # block body: cpu u16, ts u64, tid u64, len u32, type u16
    return struct.unpack_from("<H", block, 8 + 2 + 8 + 8 + 4)[0] if len(block) >= 32 else -1


EVENT_BLOCKS = {0x204, 0x205, 0x208, 0x216, 0x217}
SHB = 0x0A0D0D0A


def scap_seeds(path, per_type=2):
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    shb, meta, events, seen = None, [], [], {}
    for btype, blk in pcapng_blocks(data):
        if btype == SHB:
            shb = shb or blk
        elif btype in EVENT_BLOCKS:
            t = event_type(blk)
            if seen.get(t, 0) < per_type:
                seen[t] = seen.get(t, 0) + 1
                events.append(blk)
        elif len(blk) <= 4096:
            meta.append(blk)
    if shb is None:
        return []
    head = shb + b"".join(meta)
    if len(head) > SEED_MAX // 2:
        head = shb
    seeds, cur = [], head
    for blk in events:
        if len(cur) + len(blk) > SEED_MAX and cur != head:
            seeds.append(cur)
            cur = head
        cur += blk
    seeds.append(cur)
    return seeds


# --- archive --------------------------------------------------------------

P1, P2, P3, P4, P5 = (11400714785074694791, 14029467366897019727, 1609587929392839161,
                      9650029242287828579, 2870177450012600261)


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def xxh_round(acc, lane):
    return (rotl((acc + lane * P2) & M64, 31) * P1) & M64


def xxh64(data, seed=0):
    n, i = len(data), 0
    if n >= 32:
        v = [(seed + P1 + P2) & M64, (seed + P2) & M64, seed, (seed - P1) & M64]
        while i + 32 <= n:
            for k in range(4):
                v[k] = xxh_round(v[k], struct.unpack_from("<Q", data, i + 8 * k)[0])
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M64
        for k in range(4):
            h = ((h ^ xxh_round(0, v[k])) * P1 + P4) & M64
    else:
        h = (seed + P5) & M64
    h = (h + n) & M64
    while i + 8 <= n:
        h ^= xxh_round(0, struct.unpack_from("<Q", data, i)[0])
        h = (rotl(h, 27) * P1 + P4) & M64
        i += 8
    if i + 4 <= n:
        h ^= (struct.unpack_from("<I", data, i)[0] * P1) & M64
        h = (rotl(h, 23) * P2 + P3) & M64
        i += 4
    while i < n:
        h ^= (data[i] * P5) & M64
        h = (rotl(h, 11) * P1) & M64
        i += 1
    h ^= h >> 33
    h = (h * P2) & M64
    h ^= h >> 29
    h = (h * P3) & M64
    return h ^ (h >> 32)


def zstd_stored(raw):
    """A zstd frame of raw blocks: single segment, content size, checksum."""
    n = len(raw)
    if n < 256:
        fcs, code = struct.pack("<B", n), 0
    elif n < 65536 + 256:
        fcs, code = struct.pack("<H", n - 256), 1
    else:
        fcs, code = struct.pack("<I", n), 2
    out = bytearray(b"\x28\xb5\x2f\xfd" + bytes([code << 6 | 1 << 5 | 1 << 2]) + fcs)
    at = 0
    while True:
        piece = raw[at:at + (128 << 10)]
        at += len(piece)
        last = at >= n
        out += struct.pack("<I", (len(piece) << 3) | last)[:3]
        out += piece
        if last:
            break
    return bytes(out) + struct.pack("<I", xxh64(raw) & 0xFFFFFFFF)


def uv(data, at):
    v, s = 0, 0
    while True:
        b = data[at]
        at += 1
        v |= (b & 0x7F) << s
        s += 7
        if not b & 0x80:
            return v, at


def put_uv(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def unzstd(frame):
    return subprocess.run(["zstd", "-d", "-q", "-c"], input=frame, stdout=subprocess.PIPE,
                          check=True).stdout


def archive_stored(data):
    out = bytearray(data[:10])  # magic, version, flags
    at = 10
    while at < len(data):
        tag = data[at]
        if tag == ord("E"):
            out += data[at:]
            break
        assert tag == ord("B"), "not an archive block at byte %d" % at
        p = at + 1
        nev, p = uv(data, p)
        ns, p = uv(data, p)
        sizes = []
        for _ in range(ns):
            raw, p = uv(data, p)
            comp, p = uv(data, p)
            sizes.append((raw, comp))
        p += 4  # crc
        streams = []
        for raw, comp in sizes:
            streams.append(zstd_stored(unzstd(data[p:p + comp])) if comp else b"")
            p += comp
        hdr = b"B" + put_uv(nev) + put_uv(ns)
        for (raw, _), s in zip(sizes, streams):
            hdr += put_uv(raw) + put_uv(len(s))
        import zlib
        out += hdr + struct.pack("<I", zlib.crc32(hdr) & 0xFFFFFFFF) + b"".join(streams)
        at = p
    return bytes(out)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("scap", "archive"):
        sys.exit(__doc__)
    kind, outdir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    for f in files:
        base = os.path.basename(f)
        for suffix in (".gz", ".scap", ".sra", ".archive"):
            if base.endswith(suffix):
                base = base[:-len(suffix)]
        if kind == "scap":
            for i, s in enumerate(scap_seeds(f)):
                open(os.path.join(outdir, "%s-plain-%d.scap" % (base, i)), "wb").write(s)
        else:
            s = archive_stored(open(f, "rb").read())
            open(os.path.join(outdir, base + "-stored.archive"), "wb").write(s)


if __name__ == "__main__":
    main()
