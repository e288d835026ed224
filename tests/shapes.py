#!/usr/bin/env python3
"""shapes.py - valid input of the wrong shape, for every structured reader.

    /usr/bin/python3 tests/shapes.py OUTDIR

A fuzzer flips bytes, so it mostly makes input that does not parse at all;
issue 22's crashes came from input that parses perfectly but has the wrong
shape (a typed object without its value, a pair of one item).  This script
takes valid events of each structured format (sysrep JSON Lines, strace
-B json, posix-omni-parser JSON, msgpack) and writes, one file per mutation,
every event with ONE node changed, at every path of its tree:

  - a member deleted;
  - a value replaced by each of: null, 0, -1, 2**64, 1.5, "", "x", true,
    [], [1], {}, {"value": 1};
  - an array cut to 0 and to 1 item.

OUTDIR/<reader>/ then holds the files; tests/e2e.d/hostile.sh replays them
through the fuzz targets (build/replay/fuzz_json, fuzz_msgpack: one process
for all), which abort on a crash or a broken line count.  Prints the number
of files per reader.
"""
import copy
import json
import os
import sys

try:
    import msgpack
except ImportError:  # the msgpack part is skipped without python3-msgpack
    msgpack = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPLACEMENTS = [None, 0, -1, 2**64, 1.5, "", "x", True, [], [1], {}, {"value": 1}]
MAX_EVENTS = 40  # per source file: the distinct shapes are in the first ones


def paths(node, at=()):
    """Every path into node (a path is a tuple of keys and indexes)."""
    yield at
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, at + (i,))


def get(node, path):
    for k in path:
        node = node[k]
    return node


def mutants(event):
    """(name, event) for every single-node change of event."""
    for path in paths(event):
        if not path:
            continue
        parent, key = get(event, path[:-1]), path[-1]
        if isinstance(parent, dict):
            m = copy.deepcopy(event)
            del get(m, path[:-1])[key]
            yield m
        for rep in REPLACEMENTS:
            if get(event, path) == rep and type(get(event, path)) is type(rep):
                continue
            m = copy.deepcopy(event)
            get(m, path[:-1])[key] = rep
            yield m
        node = get(event, path)
        if isinstance(node, list) and len(node) > 1:
            for n in (0, 1):
                m = copy.deepcopy(event)
                get(m, path)[:] = node[:n]
                yield m


def distinct(events):
    """Events with a new set of keys, first seen first (the shapes)."""
    seen, out = set(), []
    for ev in events:
        sig = json.dumps(sorted(paths_keys(ev)))
        if sig not in seen:
            seen.add(sig)
            out.append(ev)
    return out[:MAX_EVENTS]


def paths_keys(ev):
    return {"/".join(str(k) if isinstance(k, str) else "#" for k in p) for p in paths(ev)}


def load_json_events(path):
    text = open(path, "rb").read().decode("utf-8", "surrogateescape")
    try:
        doc = json.loads(text)
        return doc if isinstance(doc, list) else [doc]
    except ValueError:
        pass
    out = []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def write(outdir, reader, name, blob):
    d = os.path.join(outdir, reader)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    counts = {}
    sources = [os.path.join(ROOT, "tests/fuzz/corpus/jsonl", f)
               for f in sorted(os.listdir(os.path.join(ROOT, "tests/fuzz/corpus/jsonl")))]
    sources += [os.path.join(ROOT, "tests/fuzz/corpus/json", f)
                for f in sorted(os.listdir(os.path.join(ROOT, "tests/fuzz/corpus/json")))]
    events = []
    for src in sources:
        events += [e for e in load_json_events(src) if isinstance(e, dict)]
    events = distinct(events)
    n = 0
    for ev in events:
        for m in mutants(ev):
            blob = json.dumps(m, ensure_ascii=False).encode("utf-8", "surrogateescape")
            write(outdir, "json", "%06d.json" % n, blob + b"\n")
            n += 1
    counts["json"] = n
    if msgpack:
        # a msgpack stream is stateful (a header, then events adding to a
        # string table): each file is the stream up to the event, then the
        # event changed
        n, seen = 0, set()
        mp_dir = os.path.join(ROOT, "tests/fuzz/corpus/msgpack")
        for f in sorted(os.listdir(mp_dir)):
            up = msgpack.Unpacker(raw=False, strict_map_key=False,
                                  unicode_errors="surrogateescape")
            up.feed(open(os.path.join(mp_dir, f), "rb").read())
            try:
                objs = list(up)
            except Exception:
                continue
            for i in range(1, len(objs)):
                ev = objs[i]
                sig = json.dumps(sorted(paths_keys(ev)))
                if sig in seen or len(seen) >= MAX_EVENTS:
                    continue
                seen.add(sig)
                # a fuzzed corpus file may hold what Python cannot pack again
                # (invalid UTF-8 as surrogates, 2**64): such events are skipped
                try:
                    prefix = b"".join(msgpack.packb(o, use_bin_type=True) for o in objs[:i])
                except (OverflowError, UnicodeEncodeError, ValueError, TypeError):
                    continue
                for m in mutants(ev):
                    try:
                        blob = msgpack.packb(m, use_bin_type=True)
                    except (OverflowError, UnicodeEncodeError, ValueError, TypeError):
                        continue
                    write(outdir, "msgpack", "%06d.msgpack" % n, prefix + blob)
                    n += 1
        counts["msgpack"] = n
    for k, v in counts.items():
        print("%s %d" % (k, v))


if __name__ == "__main__":
    main()
