#!/usr/bin/python3
"""agree.py - do the records of one program, traced under several flag sets,
agree call by call?  (issue 16, item 5: one meaning per call)

    /usr/bin/python3 tests/agree.py [--bin ./sysrep] [--max N] [--quiet]
                                    [--assert] [--named] TRACE...

Each TRACE is converted with `sysrep convert -t jsonl` (a .jsonl file is read
as it is).  The calls (records of type "syscall") are taken per pid, in
order, and call i of pid P in one trace is compared with call i of pid P in
every other trace.  Two records agree when, recursively:

  - two objects share at least one key (unless one of them is empty) and
    agree on every key they share: one record may hold what the other lacks
    (a path, struct fields, an address), but a value never changes shape;
  - two arrays agree element by element;
  - two scalars are equal;
  - the keys fmt, time, duration, resumed_time, rel and line are left aside.

Partial values, which a flag set cuts where another does not, agree on what
they show (this is the rule applied to what the record says it lacks):

  - a string the record marks as truncated (a JSON Pointer to it in the
    record's "truncated" list, or the {"str":S,"truncated":true} form)
    agrees with a string it is a prefix of;
  - an array ending in an ellipsis element ({"ellipsis":true} or
    {"...":true}), or marked truncated, agrees element by element with the
    other array's first elements.

Run-to-run variation that no program can avoid, and which the rule leaves
aside explicitly (see scripts/record-flagsets.sh; each flag set is a run):

  - the inode numbers of sockets and pipes (sockfs and pipefs number them
    from a global counter): an fd object's "inode" and "peer" members, and
    the numbers in -y/-yy's spellings pipe:[N], socket:[N], UNIX:[N->M],
    TCP:[N];
  - the times a stat struct or a siginfo carries (st_atime, st_mtime,
    st_ctime with their _nsec, si_utime, si_stime).

Prints, per pair of traces, each disagreeing call (pid, index, line numbers,
syscall, the JSON Pointer of the first disagreement, the two values), then a
summary: calls compared, calls disagreeing in at least one pair, and the
percentage.  --named also reports the share of calls whose args is an object
with no argN key (named arguments).  --assert exits 1 when any call
disagrees (or, with --named, when a call lacks named arguments).

Foreign inputs (--foreign TEXT FOREIGN [--keep-going]): FOREIGN (strace
-B json, posix-omni-parser JSON) and TEXT (strace text of the same run) are
converted; per pid, the two sequences of calls, signals, exits and kills are
aligned by what they are: syscall name, type and signal (difflib; a foreign
line that is not JSON, kept as "unparsed", leaves a gap)
and each aligned pair must agree by the rule above; besides, the foreign
record's argument names must be the text record's, in the same order (the
signature's).  --known SYSCALL:POINTER names a disagreement that is a
defect of the foreign input itself (its producer got the value wrong): it
is reported apart and must occur.  --calls-only leaves the other events
aside (for a producer that has none).  --arch ARCH is passed to convert.  Prints calls compared, disagreeing, unmatched on either side,
and with --assert exits 1 on any disagreement or key-order difference, or
when --max-unmatched N is exceeded.
"""

import difflib
import json
import os
import re
import subprocess
import sys

SKIP = {'fmt', 'time', 'duration', 'resumed_time', 'rel', 'line'}
# run-to-run variation (documented above)
VARY_KEYS = {'st_atime', 'st_atime_nsec', 'st_mtime', 'st_mtime_nsec',
             'st_ctime', 'st_ctime_nsec', 'si_utime', 'si_stime'}
FD_VARY_KEYS = {'inode', 'peer'}
INODE_SPELLING = re.compile(r'^([A-Za-z0-9_-]+):\[(\d+)(?:->(\d+))?')
HEX_ONLY = re.compile(r'^(?:\\x[0-9a-f]{2})+$')
ARG_N = re.compile(r'^arg\d+$')


CONVERT_OPTS = []


def load(path, binary, types=('syscall',)):
    if path.endswith('.jsonl'):
        with open(path, 'rb') as f:
            data = f.read()
    else:
        data = subprocess.run([binary, 'convert', '--keep-going', '-t',
                               'jsonl'] + CONVERT_OPTS + [path],
                              check=True, stdout=subprocess.PIPE).stdout
    calls = {}
    for raw in data.splitlines():
        rec = json.loads(raw)
        if rec.get('type') not in types:
            continue
        calls.setdefault(rec.get('pid', 0), []).append(rec)
    return calls


def is_ellipsis(v):
    return isinstance(v, dict) and (v == {'ellipsis': True} or
                                    v == {'...': True})


def norm_inode(s):
    if HEX_ONLY.match(s):  # -xx's spelling of an -y annotation
        s = bytes.fromhex(s.replace('\\x', '')).decode('latin-1')
    m = INODE_SPELLING.match(s)
    if not m:
        return s
    return m.group(1) + ':[#' + ('->#' if m.group(3) else '') + \
        s[m.end():]


class Cmp:
    """Compares two records; self.where/a/b describe the first difference."""

    def __init__(self, ra, rb):
        self.ta = set(ra.get('truncated') or []) \
            if isinstance(ra.get('truncated'), list) else set()
        self.tb = set(rb.get('truncated') or []) \
            if isinstance(rb.get('truncated'), list) else set()
        self.where = self.a = self.b = None

    def fail(self, ptr, a, b):
        self.where, self.a, self.b = ptr or '/', a, b
        return False

    def agree(self, a, b, ptr):
        if isinstance(a, dict) and isinstance(b, dict):
            return self.objects(a, b, ptr)
        if isinstance(a, list) and isinstance(b, list):
            return self.arrays(a, b, ptr)
        # the {"str":S,"truncated":true} form against itself
        if isinstance(a, str) and isinstance(b, str):
            return self.strings(a, b, ptr, ptr in self.ta, ptr in self.tb)
        if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
            return self.fail(ptr, a, b)
        if type(a) is not type(b) and not (
                isinstance(a, (int, float)) and isinstance(b, (int, float))
                and not isinstance(a, bool) and not isinstance(b, bool)):
            return self.fail(ptr, a, b)
        return a == b or self.fail(ptr, a, b)

    def strings(self, a, b, ptr, cut_a, cut_b):
        if a == b:
            return True
        if cut_a and b.startswith(a) or cut_b and a.startswith(b):
            return True
        if cut_a and cut_b and (a.startswith(b) or b.startswith(a)):
            return True
        if norm_inode(a) == norm_inode(b) != a:
            return True
        return self.fail(ptr, a, b)

    def objects(self, a, b, ptr):
        sa = {'str', 'truncated'} if a.get('truncated') is True else None
        sb = {'str', 'truncated'} if b.get('truncated') is True else None
        if sa and sb and set(a) == sa and set(b) == sb \
                and isinstance(a['str'], str) and isinstance(b['str'], str):
            return self.strings(a['str'], b['str'], ptr + '/str', True, True)
        if not a or not b:
            return True
        shared = [k for k in a if k in b]
        if not shared:
            return self.fail(ptr, a, b)
        is_fd = 'fd' in a and 'fd' in b
        for k in shared:
            if k in SKIP or k in VARY_KEYS or (is_fd and k in FD_VARY_KEYS):
                continue
            if not self.agree(a[k], b[k], ptr + '/' + esc(k)):
                return False
        return True

    def arrays(self, a, b, ptr):
        cut_a = ptr in self.ta or (a and is_ellipsis(a[-1]))
        cut_b = ptr in self.tb or (b and is_ellipsis(b[-1]))
        ea = a[:-1] if a and is_ellipsis(a[-1]) else a
        eb = b[:-1] if b and is_ellipsis(b[-1]) else b
        if len(ea) != len(eb):
            short_ok = (cut_a and len(ea) < len(eb)) or \
                (cut_b and len(eb) < len(ea))
            if not short_ok:
                return self.fail(ptr, a, b)
        for i, (x, y) in enumerate(zip(ea, eb)):
            if not self.agree(x, y, '%s/%d' % (ptr, i)):
                return False
        return True


def esc(k):
    return k.replace('~', '~0').replace('/', '~1')


def named(rec):
    args = rec.get('args')
    if isinstance(args, dict):
        return not any(ARG_N.match(k) for k in args)
    return False


def short(v, n=120):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n - 3] + '...'


# (record a, record b, agree?) - the rule on small cases; --self-test
CASES = [
    ({'args': {'fd': {'fd': 3}}}, {'args': {'fd': {'fd': 3, 'path': '/x'}}},
     True),
    ({'args': {'fd': {'fd': 3}}}, {'args': {'fd': 3}}, False),
    ({'args': {'fd': {'fd': 3}}}, {'args': {'fd': {'fd': 4}}}, False),
    ({'args': {'a': {'x': 1}}}, {'args': {'a': {'y': 1}}}, False),
    ({'args': {'a': {}}}, {'args': {'a': {'y': 1}}}, True),
    ({'args': [1, 2]}, {'args': [1, 2, 3]}, False),
    ({'args': [[1, {'ellipsis': True}]]}, {'args': [[1, 2, 3]]}, True),
    ({'args': [[9, {'ellipsis': True}]]}, {'args': [[1, 2, 3]]}, False),
    ({'args': {'s': 'ab'}, 'truncated': ['/args/s']},
     {'args': {'s': 'abcd'}}, True),
    ({'args': {'s': 'ab'}}, {'args': {'s': 'abcd'}}, False),
    ({'args': {'s': 'ab'}, 'truncated': ['/args/s']},
     {'args': {'s': 'xbcd'}}, False),
    ({'args': [{'str': 'ab', 'truncated': True}]},
     {'args': [{'str': 'abc', 'truncated': True}]}, True),
    ({'args': ['ab']}, {'args': [{'str': 'ab', 'truncated': True}]}, False),
    ({'args': [1], 'time': 1, 'line': 2, 'fmt': {'x': 1}, 'duration': 3},
     {'args': [1], 'time': 2, 'line': 3, 'fmt': {'y': 2}, 'duration': 4},
     True),
    ({'return': 1}, {'return': True}, False),
    ({'return': 1}, {'return': 1.0}, True),
    ({'args': [{'fd': 3, 'inode': 5}]}, {'args': [{'fd': 3, 'inode': 6}]},
     True),
    ({'args': [{'ino': 5}]}, {'args': [{'ino': 6}]}, False),
    ({'args': [{'fd': 3, 'path': 'pipe:[12]'}]},
     {'args': [{'fd': 3, 'path': 'pipe:[13]'}]}, True),
    ({'args': [{'fd': 3, 'path': 'a:[12]x'}]},
     {'args': [{'fd': 3, 'path': 'a:[13]y'}]}, False),
    ({'args': ['\\x61\\x3a\\x5b\\x31\\x5d']}, {'args': ['a:[2]']}, True),
]


def self_test():
    bad = 0
    for i, (a, b, want) in enumerate(CASES):
        for x, y in ((a, b), (b, a)):
            got = Cmp(x, y).agree(x, y, '')
            if got != want:
                bad += 1
                print('self-test case %d: %s vs %s: got %s' % (i, x, y, got))
    print('self-test: %d cases, %d wrong' % (len(CASES), bad))
    return 1 if bad else 0


def foreign_main(text, foreign, binary, strict, max_shown, max_unmatched,
                 known=(), calls_only=False):
    """--foreign: each foreign call against the text call it aligns with.
    known: (syscall, JSON Pointer) pairs where the foreign input itself is
    wrong (a defect of its producer, documented where the input is made):
    such a disagreement is counted apart, and each must occur."""
    # calls, then the other events (signals, exits, kills), each aligned
    # per pid by what they are (the syscall; the type and signal)
    types = ('syscall',) if calls_only else \
        ('syscall', 'signal', 'exit', 'killed')
    ct, cf = load(text, binary, types), load(foreign, binary, types)
    compared = bad = order_bad = unmatched_t = unmatched_f = 0
    seen_known = set()
    lines = []

    def what(r):
        return (r.get('type'), r.get('syscall') or r.get('signal'))
    for pid in sorted(set(ct) | set(cf), key=str):
        lt, lf = ct.get(pid, []), cf.get(pid, [])
        sm = difflib.SequenceMatcher(None, [what(r) for r in lt],
                                     [what(r) for r in lf],
                                     autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag != 'equal':
                unmatched_t += i2 - i1
                unmatched_f += j2 - j1
                for r in lt[i1:i2]:
                    lines.append('  pid %s text line %s %s: no foreign record'
                                 % (pid, r.get('line'), what(r)))
                for r in lf[j1:j2]:
                    lines.append('  pid %s foreign line %s %s: no text record'
                                 % (pid, r.get('line'), what(r)))
                continue
            for a, b in zip(lt[i1:i2], lf[j1:j2]):
                compared += 1
                c = Cmp(a, b)
                ka = list(a['args']) if isinstance(a.get('args'), dict) \
                    else None
                kb = list(b['args']) if isinstance(b.get('args'), dict) \
                    else None
                if not c.agree(a, b, ''):
                    if (a.get('syscall'), c.where) in known:
                        seen_known.add((a.get('syscall'), c.where))
                        lines.append('  pid %s lines %s/%s %s %s: %s | %s '
                                     '(known defect of the input)'
                                     % (pid, a.get('line'), b.get('line'),
                                        a.get('syscall'), c.where,
                                        short(c.a), short(c.b)))
                        continue
                    bad += 1
                    lines.append('  pid %s lines %s/%s %s %s: %s | %s'
                                 % (pid, a.get('line'), b.get('line'),
                                    a.get('syscall'), c.where, short(c.a),
                                    short(c.b)))
                elif ka != kb:
                    order_bad += 1
                    lines.append('  pid %s lines %s/%s %s: argument names %s'
                                 ' | %s' % (pid, a.get('line'), b.get('line'),
                                            a.get('syscall'), ka, kb))
    for ln in lines[:max_shown]:
        print(ln)
    if len(lines) > max_shown:
        print('  ... %d more' % (len(lines) - max_shown))
    print('foreign: %s vs %s: %d records compared, %d disagree, %d with other '
          'argument names or order, %d text records and %d foreign records '
          'unmatched' % (os.path.basename(text), os.path.basename(foreign),
                         compared, bad, order_bad, unmatched_t, unmatched_f))
    missing = set(known) - seen_known
    if known:
        print('known defects of the input: %d expected, %d seen%s'
              % (len(known), len(seen_known),
                 '; not seen: %s' % sorted(missing) if missing else ''))
    if strict and (bad or order_bad or not compared or missing):
        return 1
    if max_unmatched is not None and unmatched_t + unmatched_f > max_unmatched:
        return 1
    return 0


def main(argv):
    if argv == ['--self-test']:
        return self_test()
    binary, max_shown, quiet, strict, want_named = './sysrep', 20, False, \
        False, False
    max_bad = max_unmatched = foreign_pair = None
    known = []
    calls_only = False
    paths = []
    it = iter(argv)
    for a in it:
        if a == '--bin':
            binary = next(it)
        elif a == '--max':
            max_shown = int(next(it))
        elif a == '--quiet':
            quiet = True
        elif a == '--assert':
            strict = True
        elif a == '--named':
            want_named = True
        elif a == '--arch':
            CONVERT_OPTS.extend(['--arch', next(it)])
        elif a == '--calls-only':
            calls_only = True
        elif a == '--known':
            name, _, ptr = next(it).partition(':')
            known.append((name, ptr))
        elif a == '--foreign':
            foreign_pair = (next(it), next(it))
        elif a == '--max-unmatched':
            max_unmatched = int(next(it))
        elif a == '--max-disagree':
            # a ratchet while the goal (0) is not reached: more fails,
            # and every call must have named arguments
            max_bad = int(next(it))
        else:
            paths.append(a)
    if foreign_pair:
        return foreign_main(foreign_pair[0], foreign_pair[1], binary, strict,
                            max_shown, max_unmatched, set(known),
                            calls_only)
    if len(paths) < 2 and not want_named:
        print(__doc__, file=sys.stderr)
        return 2
    traces = [(os.path.basename(p), load(p, binary)) for p in paths]
    # call identity: (pid, index) over the first trace's calls, plus any
    # a later trace has beyond them
    keys = []
    for _, calls in traces:
        for pid, lst in calls.items():
            for i in range(len(lst)):
                if (pid, i) not in keys:
                    keys.append((pid, i))
    keyset = set(keys)
    bad = set()
    pair_lines = []
    for x in range(len(traces)):
        for y in range(x + 1, len(traces)):
            na, ca = traces[x]
            nb, cb = traces[y]
            n_bad, shown, lines = 0, 0, []
            for pid, i in keys:
                la, lb = ca.get(pid, []), cb.get(pid, [])
                if i >= len(la) and i >= len(lb):
                    continue
                if i >= len(la) or i >= len(lb):
                    r = la[i] if i < len(la) else lb[i]
                    ok, where, va, vb = False, '(missing)', \
                        r.get('syscall') if i < len(la) else None, \
                        r.get('syscall') if i < len(lb) else None
                    name = r.get('syscall')
                    lna = la[i].get('line') if i < len(la) else '-'
                    lnb = lb[i].get('line') if i < len(lb) else '-'
                else:
                    c = Cmp(la[i], lb[i])
                    ok = c.agree(la[i], lb[i], '')
                    where, va, vb = c.where, c.a, c.b
                    name = la[i].get('syscall')
                    lna, lnb = la[i].get('line'), lb[i].get('line')
                if ok:
                    continue
                n_bad += 1
                bad.add((pid, i))
                if not quiet and shown < max_shown:
                    shown += 1
                    lines.append('  pid %s #%d (lines %s/%s) %s %s: %s | %s'
                                 % (pid, i, lna, lnb, name, where,
                                    short(va), short(vb)))
            pair_lines.append((na, nb, n_bad, lines))
    total = len(keyset)
    for na, nb, n_bad, lines in pair_lines:
        print('%s vs %s: %d of %d calls disagree (%.1f%%)'
              % (na, nb, n_bad, total, 100.0 * n_bad / max(total, 1)))
        for ln in lines:
            print(ln)
        if len(lines) < n_bad and not quiet:
            print('  ... %d more' % (n_bad - len(lines)))
    status = 0
    if want_named:
        n_calls = sum(len(v) for _, c in traces for v in c.values())
        n_named = sum(1 for _, c in traces for v in c.values() for r in v
                      if named(r))
        print('named arguments: %d of %d calls (%.1f%%)'
              % (n_named, n_calls, 100.0 * n_named / max(n_calls, 1)))
        if strict and n_named != n_calls:
            status = 1
    print('summary: %d traces, %d calls, %d disagree in at least one pair '
          '(%.1f%%)' % (len(traces), total, len(bad),
                        100.0 * len(bad) / max(total, 1)))
    if strict and bad:
        status = 1
    if max_bad is not None and (len(bad) > max_bad or
                                (want_named and n_named != n_calls)):
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
