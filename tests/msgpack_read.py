#!/usr/bin/python3
"""msgpack_read.py - reads a sysrep MessagePack stream with Python's msgpack
Unpacker, with its default (strict) settings: every record must come out as
plain dicts, lists, str, bytes, int, float, bool and None.

    python3 tests/msgpack_read.py FILE.msgpack

Checks the header map and prints the number of events.  The semantic form
(the default, header "record": "semantic"): every event is a map with the
jsonl record's "type".  The spelled form (-O record=spelling): resolves the
string-table references of event names.  Exit status 1 on any error.
"""
import sys

import msgpack

PLAIN = (dict, list, str, bytes, int, float, bool, type(None))


def plain(v, depth=0):
    if not isinstance(v, PLAIN) or depth > 1000:
        raise ValueError("not a plain value: %r" % (v,))
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str):
                raise ValueError("map key %r is not a str" % (k,))
            plain(x, depth + 1)
    elif isinstance(v, list):
        for x in v:
            plain(x, depth + 1)


def main():
    with open(sys.argv[1], "rb") as f:
        unpacker = msgpack.Unpacker(f, raw=False)
        header = next(unpacker)
        plain(header)
        if header.get("sysrep") != "msgpack":
            sys.exit("not a sysrep stream: %r" % header.get("sysrep"))
        semantic = header.get("record") == "semantic"
        table = []
        count = 0
        for ev in unpacker:
            if not isinstance(ev, dict):
                raise ValueError("event %d is not a map" % count)
            plain(ev)
            if semantic:
                if not isinstance(ev.get("type"), str):
                    raise ValueError("event %d has no \"type\"" % count)
            else:
                table.extend(ev.get("+", []))
                name = ev.get("s")
                if isinstance(name, int) and not 1 <= name <= len(table):
                    raise ValueError("event %d: name reference %d undefined" % (count, name))
            count += 1
    print(count)


if __name__ == "__main__":
    try:
        main()
    except (ValueError, msgpack.UnpackException) as e:
        sys.exit("msgpack_read: %s" % e)
