#!/usr/bin/env python3
"""Train the archive's shipped zstd dictionaries (formats/archive/sra_dict.c).

    /usr/bin/python3 scripts/archive-dict.py ./sysrep [--size BYTES]

Every training trace is written as an archive without dictionaries in small
blocks (-O dict=0 -O block=N), so that each block's column streams look like
those of a short trace: its first events, its tables still empty.  The
archive is parsed here (docs/archive.md, "Layout"), each stream's frame
decompressed with the zstd program, and one dictionary per stream trained
with `zstd --train` (libzstd's ZDICT trainer) on that stream's samples.
The result is written as C arrays with the set's id: the CRC-32 of the
dictionaries, which every archive made with them records in its header and
the reader checks.

Training data: the corpus except corpus/perpid/ and the bench trace, which
are held out so that the sizes make bench reports are measured on traces
the dictionaries never saw (--with-bench adds the bench trace).  The
shipped set: --size 8192 --block 512.  Retraining changes the id: archives made with the
old set then need a sysrep that has it (the reader says so, naming both ids).
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import zlib

STREAMS = ["EV", "LEAD", "PID", "TIME", "DUR", "NAME", "SHAPE", "IDENT", "INT", "HEX",
           "STRREF", "STRLEN", "STRDAT", "TXTDAT", "IDDAT", "MISC"]
MAGIC = b"\x89SRA\r\n\x1a\n"
ZMAGIC = b"\x28\xb5\x2f\xfd"


def uv(buf, pos):
    v = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return v, pos


def unzstd(frame):
    return subprocess.run(["zstd", "-q", "-d", "-c"], input=frame, check=True,
                          stdout=subprocess.PIPE).stdout


def blocks(data):
    """Yields each block's list of raw streams (an archive without dictionaries)."""
    pos = 0
    while pos < len(data):
        if data[pos:pos + 8] != MAGIC:
            raise ValueError("no archive magic at byte %d" % pos)
        flags = data[pos + 9]
        if flags & 1:
            raise ValueError("write the training archives with -O dict=0")
        lean = flags & 2
        pos += 10
        while True:
            tag = data[pos]
            pos += 1
            if tag == ord("E"):
                _, pos = uv(data, pos)
                _, pos = uv(data, pos)
                pos += 4
                break
            assert tag == ord("B")
            _, pos = uv(data, pos)
            ns, pos = uv(data, pos)
            sizes = []
            for _ in range(ns):
                raw, pos = uv(data, pos)
                comp, pos = uv(data, pos)
                sizes.append((raw, comp))
            pos += 8 if lean else 4  # (payload crc), header crc
            out = []
            for raw, comp in sizes:
                if not raw:
                    out.append(b"")
                elif not comp:
                    out.append(data[pos:pos + raw])  # stored as is (lean)
                    pos += raw
                else:
                    # a lean frame is a zstd frame without its magic number
                    out.append(unzstd((ZMAGIC if lean else b"") + data[pos:pos + comp]))
                    pos += comp
            yield out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sysrep")
    ap.add_argument("--size", type=int, default=8192, help="bytes per dictionary at most")
    ap.add_argument("--block", type=int, default=512, help="events per training block")
    ap.add_argument("--with-bench", action="store_true",
                    help="train on the bench trace too (then make bench's sizes flatter it)")
    ap.add_argument("-o", default="formats/archive/sra_dict.c")
    a = ap.parse_args()

    files = sorted(glob.glob("corpus/*.strace") + glob.glob("corpus/flagsets/*.strace") +
                   glob.glob("corpus/gen/*.strace") + glob.glob("corpus/old/*.strace"))
    with tempfile.TemporaryDirectory() as tmp:
        if a.with_bench:
            bench = os.path.join(tmp, "bench.strace")
            subprocess.run(["zstd", "-q", "-d", "-f", "-o", bench,
                            "corpus/bench/bench-mixed.strace.zst"], check=True)
            files.append(bench)
        for k in STREAMS:
            os.mkdir(os.path.join(tmp, k))
        nsamples = [0] * len(STREAMS)
        for n, f in enumerate(files):
            sra = os.path.join(tmp, "t.sra")
            subprocess.run([a.sysrep, "convert", "-q", "-t", "archive", "-O", "dict=0",
                            "-O", "block=%d" % a.block, "-o", sra, f], check=True)
            with open(sra, "rb") as fh:
                for b, streams in enumerate(blocks(fh.read())):
                    for i, s in enumerate(streams):
                        if s:
                            with open(os.path.join(tmp, STREAMS[i], "%d.%d" % (n, b)), "wb") as o:
                                o.write(s)
                            nsamples[i] += 1
        dicts = []
        for i, k in enumerate(STREAMS):
            out = os.path.join(tmp, k + ".dict")
            r = subprocess.run(["zstd", "-q", "--train", "-r", os.path.join(tmp, k),
                                "--maxdict=%d" % a.size, "--dictID=%d" % (1000 + i), "-o", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if r.returncode != 0:
                # too few or too small samples: this stream goes without
                print("%-6s %5d samples: no dictionary (%s)" %
                      (k, nsamples[i], r.stderr.decode().strip().splitlines()[-1:]),
                      file=sys.stderr)
                dicts.append(b"")
                continue
            with open(out, "rb") as fh:
                dicts.append(fh.read())
            print("%-6s %5d samples: %5d bytes" % (k, nsamples[i], len(dicts[-1])), file=sys.stderr)

    set_id = 0
    for d in dicts:
        set_id = zlib.crc32(d, set_id)
    with open(a.o, "w") as o:
        o.write("/*\n * sra_dict.c - the archive's zstd dictionaries, one per column stream.\n"
                " *\n * Generated by scripts/archive-dict.py (--size %d --block %d) from the\n"
                " * corpus (corpus/perpid/ and the bench trace held out); do not edit.\n"
                " * The set's id is the CRC-32 of the dictionaries: archives record it\n"
                " * and the reader checks it.\n"
                " */\n#include \"archive_internal.h\"\n\n" % (a.size, a.block))
        for i, d in enumerate(dicts):
            if not d:
                continue
            o.write("static const unsigned char dict_%s[%d] = {" % (STREAMS[i].lower(), len(d)))
            for j, c in enumerate(d):
                o.write(("\n\t" if j % 16 == 0 else " ") + "0x%02x," % c)
            o.write("\n};\n\n")
        o.write("const struct sra_dict sra_dicts[SRA_NSTREAMS] = {\n")
        for i, d in enumerate(dicts):
            if d:
                o.write("\t[SRA_S_%s] = { dict_%s, sizeof(dict_%s) },\n" %
                        (STREAMS[i], STREAMS[i].lower(), STREAMS[i].lower()))
        o.write("};\n\nconst uint32_t sra_dict_set_id = 0x%08xu;\n" % set_id)
    print("wrote %s: set id 0x%08x, %d bytes of dictionaries" %
          (a.o, set_id, sum(len(d) for d in dicts)), file=sys.stderr)


if __name__ == "__main__":
    main()
