#!/usr/bin/python3
"""scap_names.py - do the scap reader's calls have strace's argument names,
order and shapes?  (issue 16: every reader fills the same records)

    /usr/bin/python3 tests/scap_names.py [--bin ./sysrep] [--assert]
                                         --scap CAPTURE... --strace TRACE...

The captures and traces are of different runs, so values differ; what must
not is the form.  For every syscall found in both, each scap record's
arguments are compared with the shapes strace's records of that call show
(any of them: strace's shapes vary with its flags, which tests/agree.py
checks separately):

  - with semantic records (args a JSON object): every scap key that names
    an argument strace's records have comes in strace's order, no key is
    argN, and the value's kind matches strace's for that key;
  - with positional records (args an array): each scap argument (named in
    its fmt.argn) is found among strace's arguments, by the names strace
    printed (clone's flags=) or else by its position in the scap reader's
    table of strace's arguments (formats/scap/scap_strace.c), and its kind
    matches one of strace's kinds there; the capture's own parameters,
    which strace does not print, are left aside.

Kinds: string, array, object, and "scalar" for numbers, constants, flag
sets, fds and NULL (strace prints a number, a constant or NULL where the
capture may print another of them: those are the semantic layer's to
unify, and tests/agree.py's).  Prints each mismatch and a summary.
"""

import json
import os
import re
import subprocess
import sys

ARG_N = re.compile(r'^arg\d+$')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strace_args():
    """formats/scap/scap_strace.c's table: strace's call name -> (argument
    names, the capture's names they are made from)."""
    out = {}
    with open(os.path.join(ROOT, 'formats', 'scap', 'scap_strace.c')) as f:
        for m in re.finditer(r'\{ "(\w+)", (NULL|"(\w+)"), "([^"]*)" \}',
                             f.read()):
            words = m.group(4).split()
            names = [w.lstrip('-').split('=')[0] for w in words]
            src = set()
            for w in words:
                if '=' in w:
                    src.update(re.split(r'[|+]', w.split('=', 1)[1]))
            out[m.group(3) or m.group(1)] = (names, src - set(names))
    return out


def kind(v):
    if isinstance(v, str):
        return 'string'
    if isinstance(v, list):
        return 'array'
    if isinstance(v, dict):
        if 'str' in v and isinstance(v['str'], str):
            return 'string'  # a truncated or styled string
        if v.keys() & {'fd', 'flags', 'ident', 'hex', 'oct', 'value',
                       'names', 'name', 'expr', 'call', 'comment'}:
            return 'scalar'
        return 'object'
    return 'scalar'


def records(binary, paths):
    calls = {}
    for p in paths:
        out = subprocess.run([binary, 'convert', '-t', 'jsonl', p], check=True,
                             stdout=subprocess.PIPE).stdout
        for raw in out.splitlines():
            r = json.loads(raw)
            if r.get('type') == 'syscall' and 'args' in r:
                calls.setdefault(r['syscall'], []).append(r)
    return calls


def main(argv):
    binary, strict, scap, strace, cur = './sysrep', False, [], [], None
    it = iter(argv)
    for a in it:
        if a == '--bin':
            binary = next(it)
        elif a == '--assert':
            strict = True
        elif a == '--scap':
            cur = scap
        elif a == '--strace':
            cur = strace
        elif cur is not None:
            cur.append(a)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if not scap or not strace:
        print(__doc__, file=sys.stderr)
        return 2
    sc, st = records(binary, scap), records(binary, strace)
    table = strace_args()
    common = sorted(set(sc) & set(st))
    bad_calls, n_rec, n_bad = [], 0, 0
    for name in common:
        # strace's kinds per position, and per name, and its name order
        pos_kinds, key_kinds, order, printed = {}, {}, [], {}
        for r in st[name]:
            a = r['args']
            argn = (r.get('fmt') or {}).get('argn')
            if isinstance(argn, list) and isinstance(a, list):
                for i, n in enumerate(argn):
                    if n and i < len(a):
                        printed.setdefault(n, set()).add(kind(a[i]))
            if isinstance(a, dict):
                for k, v in a.items():
                    key_kinds.setdefault(k, set()).add(kind(v))
                    if k not in order:
                        order.append(k)
            else:
                for i, v in enumerate(a):
                    pos_kinds.setdefault(i, set()).add(kind(v))
        problems = set()
        for r in sc[name]:
            n_rec += 1
            a = r['args']
            why = None
            if isinstance(a, dict):
                keys = [k for k in a if k in key_kinds]
                idx = [order.index(k) for k in keys]
                if idx != sorted(idx):
                    why = 'order %s, strace %s' % (keys, order)
                elif any(ARG_N.match(k) for k in a):
                    why = 'unnamed %s' % [k for k in a if ARG_N.match(k)]
                else:
                    for k in keys:
                        if kind(a[k]) not in key_kinds[k]:
                            why = '%s is %s, strace %s' % (
                                k, kind(a[k]), sorted(key_kinds[k]))
                            break
            else:
                names = (r.get('fmt') or {}).get('argn') or []
                tnames, tsrc = table.get(name, ([], set()))
                left = [n for n in names if n in tsrc]
                at = [tnames.index(n) for n in names if n in tnames]
                if left:
                    why = 'the capture\'s %s, not strace\'s name' % left
                elif not r.get('resumed') and at != sorted(at):
                    why = 'order %s, strace %s' % (names, tnames)
                for i, v in enumerate(a):
                    if why:
                        break
                    n = names[i] if i < len(names) else None
                    if n in printed:
                        want = printed[n]
                    elif n in tnames:
                        want = pos_kinds.get(tnames.index(n))
                    else:
                        continue  # the capture's own parameter
                    if want and kind(v) not in want:
                        why = '%s is %s, strace %s' % (n, kind(v),
                                                       sorted(want))
                        break
            if why:
                n_bad += 1
                problems.add(why)
        if problems:
            bad_calls.append(name)
            for w in sorted(problems)[:3]:
                print('%s: %s' % (name, w))
    print('summary: %d calls in both (%s); %d of %d scap records differ in '
          'form from strace\'s, in %d calls%s'
          % (len(common), ' '.join(common), n_bad, n_rec, len(bad_calls),
             (': ' + ' '.join(bad_calls)) if bad_calls else ''))
    return 1 if strict and (n_bad or not common) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
