#!/usr/bin/python3
"""pb_semantic.py - the semantic record of a sysrep pb stream, read with
Google's protobuf runtime and proto/sysrep.proto alone, against the JSON
Lines record of the same input (docs/semantic-record.md).

    python3 tests/pb_semantic.py MODULE_DIR FILE.pb FILE.jsonl [FILE.pb FILE.jsonl ...]

For every event, in order: Event.sem_args (each SValue's key, in order)
equals the record's "args" object, key for key and in the same order;
sem_return is present exactly when "return" is and equals it; sem_info
equals "info"; the strings marked truncated are the JSON Pointers of
"truncated".  Values are compared with their JSON types (a boolean is not
a number, an object is not an array), objects with their key order.  A
string the pb stream carries as bytes that are not UTF-8 (raw, or a table
entry) is compared as JSON Lines writes it: each byte of an invalid
sequence as U+FFFD.  Prints "FILE.pb: N events" per pair; exit status 1 on
the first difference.
"""
import json
import os
import sys

sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sysrep_pb2 as pb  # noqa: E402  (generated at test time)
from pb_read import messages  # noqa: E402  (the varint framing)


def seq_len(lead):
    """The length of the UTF-8 sequence lead starts (0: none)."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def as_json_text(b):
    """bytes as JSON Lines writes them: valid sequences kept, each byte of
    an invalid one U+FFFD (Python's "replace" replaces whole runs)."""
    out, i = [], 0
    while i < len(b):
        if b[i] < 0x80:
            out.append(chr(b[i]))
            i += 1
            continue
        k, ch = seq_len(b[i]), None
        if k and i + k <= len(b):
            try:
                ch = b[i:i + k].decode("utf-8", "strict")
            except UnicodeDecodeError:
                ch = None
        if ch is not None:
            out.append(ch)
            i += k
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def from_json(v):
    """A JSON value with its type: ("o", [(key, value)...]) keeps order."""
    if v is None:
        return ("n",)
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, list):
        return ("a", [from_json(x) for x in v])
    if isinstance(v, tuple):  # object_pairs_hook below
        return ("o", [(k, from_json(x)) for k, x in v])
    raise ValueError("unexpected JSON value %r" % (v,))


def from_pb(sv, table, path, truncs):
    """An SValue in the same form; records the pointers of cut strings."""
    kind = sv.WhichOneof("v")
    if sv.truncated:
        truncs.append(path)
    if kind == "null":
        return ("n",)
    if kind == "boolean":
        return ("b", sv.boolean)
    if kind == "integer":
        return ("i", sv.integer)
    if kind == "uinteger":
        if sv.uinteger < 1 << 63:
            raise ValueError("%s: uinteger %d fits integer" % (path, sv.uinteger))
        return ("i", sv.uinteger)
    if kind == "text":
        return ("s", sv.text)
    if kind == "raw":
        return ("s", as_json_text(sv.raw))
    if kind == "text_ref":
        if not 1 <= sv.text_ref <= len(table):
            raise ValueError("%s: text_ref %d, table has %d" % (path, sv.text_ref, len(table)))
        return ("s", as_json_text(table[sv.text_ref - 1]))
    if kind == "array":
        return ("a", [from_pb(x, table, "%s/%d" % (path, i), truncs)
                      for i, x in enumerate(sv.array.v)])
    if kind == "object":
        return ("o", [(x.key, from_pb(x, table, "%s/%s" % (path, pointer(x.key)), truncs))
                      for x in sv.object.v])
    raise ValueError("%s: SValue with no value" % path)


def pointer(key):
    return key.replace("~", "~0").replace("/", "~1")


def check_pair(pb_file, jsonl_file):
    data = open(pb_file, "rb").read()
    it = messages(data)
    header = pb.Header()
    header.ParseFromString(next(it))
    if header.magic != "sysrep.pb":
        raise ValueError("not a sysrep stream: magic %r" % header.magic)
    records = [json.loads(line, object_pairs_hook=tuple)
               for line in open(jsonl_file, encoding="utf-8")]
    table, n = [], 0
    for raw in it:
        if n >= len(records):
            raise ValueError("more events than JSON records (%d)" % len(records))
        ev = pb.Event()
        ev.ParseFromString(raw)
        table.extend(ev.strings)
        rec = dict(records[n])
        where = "event %d (line %s)" % (n + 1, rec.get("line"))
        truncs = []
        if "args" in rec:
            want = from_json(rec["args"])
            got = ("o", [(a.key, from_pb(a, table, "/args/" + pointer(a.key), truncs))
                         for a in ev.sem_args])
            if got != want:
                raise ValueError("%s: sem_args %r, jsonl args %r" % (where, got, want))
        elif len(ev.sem_args):
            raise ValueError("%s: sem_args without jsonl args" % where)
        for key, field in (("return", "sem_return"), ("info", "sem_info")):
            if ev.HasField(field) != (key in rec):
                raise ValueError("%s: %s present %s, jsonl %s present %s"
                                 % (where, field, ev.HasField(field), key, key in rec))
            if key in rec:
                got = from_pb(getattr(ev, field), table, "/" + key, truncs)
                if got != from_json(rec[key]):
                    raise ValueError("%s: %s %r, jsonl %s %r"
                                     % (where, field, got, key, from_json(rec[key])))
        if truncs != list(rec.get("truncated", [])):
            raise ValueError("%s: truncated %r, jsonl %r" % (where, truncs, rec.get("truncated")))
        n += 1
    if n != len(records):
        raise ValueError("%d events, %d JSON records" % (n, len(records)))
    return n


def main():
    args = sys.argv[2:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    for i in range(0, len(args), 2):
        try:
            n = check_pair(args[i], args[i + 1])
        except ValueError as e:
            sys.exit("pb_semantic: %s: %s" % (args[i], e))
        print("%s: %d events" % (args[i], n))


if __name__ == "__main__":
    main()
