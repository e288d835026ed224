#!/usr/bin/python3
"""msgpack_equal.py - the semantic msgpack form is the JSON Lines record
(docs/pb-msgpack.md): Python's msgpack.Unpacker(raw=False) gives, event for
event, exactly what json.loads gives for the same event's line.

    python3 tests/msgpack_equal.py FILE.msgpack FILE.jsonl [...pairs]

"Exactly": the same keys in the same order, and the same types (an int is
not a float that compares equal, 1 != 1.0 here).  Prints the number of
records per pair; exit status 1 at the first difference, naming it.
"""
import json
import sys

import msgpack


def same(a, b, path="$"):
    """None when a and b are equal in value, type and key order, else where not."""
    if type(a) is not type(b):
        return "%s: %s %r vs %s %r" % (path, type(a).__name__, a, type(b).__name__, b)
    if isinstance(a, dict):
        if list(a) != list(b):
            return "%s: keys %r vs %r" % (path, list(a), list(b))
        for k in a:
            why = same(a[k], b[k], path + "." + k)
            if why:
                return why
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items vs %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            why = same(x, y, "%s[%d]" % (path, i))
            if why:
                return why
        return None
    return None if a == b else "%s: %r vs %r" % (path, a, b)


def check(mp_path, jsonl_path):
    with open(mp_path, "rb") as f, open(jsonl_path, encoding="utf-8") as j:
        records = msgpack.Unpacker(f, raw=False, strict_map_key=True)
        header = next(records)
        if header.get("sysrep") != "msgpack" or header.get("record") != "semantic":
            raise SystemExit("%s: not a semantic stream: %r" % (mp_path, header))
        n = 0
        for n, line in enumerate(j, 1):
            want = json.loads(line)
            try:
                got = next(records)
            except StopIteration:
                raise SystemExit("%s: %d records, the jsonl has more" % (mp_path, n - 1))
            why = same(got, want)
            if why:
                raise SystemExit("%s: record %d: %s" % (mp_path, n, why))
        for extra in records:
            raise SystemExit("%s: more records than the jsonl's %d" % (mp_path, n))
    return n


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        raise SystemExit(__doc__)
    for i in range(0, len(args), 2):
        print(check(args[i], args[i + 1]))


if __name__ == "__main__":
    main()
