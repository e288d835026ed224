#!/usr/bin/env python2
"""omni-json.py - posix-omni-parser's view of an strace text trace, as JSON
objects, one a line, for sysrep's JSON reader (docs/json-input.md).

    PYTHONPATH=OMNI_CHECKOUT python2 scripts/omni-json.py TRACE > OUT.json

posix-omni-parser (github.com/ssavvides/posix-omni-parser, Python 2) parses
the trace into Syscall objects and prints none of them as JSON: this driver
writes, for each call the parser returns, the fields it holds as it holds
them: "pid", "syscall" (its name), "args" (str() of its argument tuple: the
parser's typed wrappers <Type value>), "return" (its return pair: value and
errno label or None).  A call the parser left unfinished is written with
"type": "unfinished"; nothing is added or reordered.
"""
import json
import sys

from Trace import Trace
from Syscall import Syscall


def main(path):
    # the parser prints its progress ("Syscall Name: ...") on stdout
    out, sys.stdout = sys.stdout, sys.stderr
    try:
        calls = Trace(path).syscalls
    finally:
        sys.stdout = out
    for sc in calls:
        obj = {"pid": sc.pid, "syscall": sc.name, "args": str(sc.args),
               "return": list(sc.ret) if sc.ret is not None else None}
        if sc.type == Syscall.UNFINISHED:
            obj["type"] = "unfinished"
        sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
