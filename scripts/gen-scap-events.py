#!/usr/bin/env python3
"""gen-scap-events.py - builds formats/scap/scap_events.c, the scap reader's table.

    python3 scripts/gen-scap-events.py LIBS_DRIVER_DIR > formats/scap/scap_events.c

LIBS_DRIVER_DIR is the driver/ folder of a falcosecurity/libs checkout (the
event table is dual-licensed MIT / GPL-2.0 there).  From ppm_events_public.h,
event_table.c and flags_table.c it takes, per event type: the name, the
category (syscall, tracepoint, meta event...), whether parameter lengths are
32-bit (EF_LARGE_PAYLOAD), and each parameter's name, type, print format and
flag names (with the PPM_* values resolved, since the driver stores its own
flag values, not the kernel's).  It also writes an errno table from Python's
errno module and os.strerror (Linux numbers), with strace's choice of names
for aliases and the kernel-internal restart codes.

The output is committed: the build does not need a libs checkout.
"""
import errno
import os
import re
import sys


def strip_comments(s):
    s = re.sub(r'/\*.*?\*/', ' ', s, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', s)


def read_defines(text):
    defs = {}
    text = text.replace('\\\n', ' ')
    for m in re.finditer(r'^\s*#define\s+(\w+)\s+(.+)$', strip_comments(text), re.M):
        defs[m.group(1)] = m.group(2).strip()
    return defs


def read_enums(text):
    """Enumerators as expressions (strings), implicit values included."""
    vals = {}
    for m in re.finditer(r'\benum\b[^{;]*\{([^}]*)\}', strip_comments(text)):
        prev = None
        for item in m.group(1).split(','):
            item = item.strip()
            if not item:
                continue
            if '=' in item:
                name, expr = [x.strip() for x in item.split('=', 1)]
            else:
                name, expr = item, '(%s) + 1' % prev if prev else '0'
            vals[name] = expr
            prev = name
    return vals


def evaluator(defs, enums):
    cache = {}

    def ev(expr, depth=0):
        if depth > 40:
            raise ValueError(expr)
        expr = re.sub(r'\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b', r'\1', expr)
        expr = re.sub(r'\b0([0-7]+)\b', r'0o\1', expr)  # C octal

        def sub(m):
            w = m.group(0)
            if w in enums:
                return str(enums[w])
            if w in defs:
                if w not in cache:
                    cache[w] = ev(defs[w], depth + 1)
                return str(cache[w])
            return w
        py = re.sub(r'\b[A-Za-z_]\w*\b', sub, expr)
        py = ' '.join(py.split())
        return int(eval(py, {'__builtins__': {}})) & 0xffffffffffffffff
    return ev


def split_top(s, sep=','):
    """Splits s at sep outside braces, parentheses and strings."""
    out, depth, cur, q = [], 0, [], False
    for i, c in enumerate(s):
        if q:
            cur.append(c)
            if c == '"' and s[i - 1] != '\\':
                q = False
            continue
        if c == '"':
            q = True
        elif c in '{(':
            depth += 1
        elif c in '})':
            depth -= 1
        elif c == sep and depth == 0:
            out.append(''.join(cur).strip())
            cur = []
            continue
        cur.append(c)
    if ''.join(cur).strip():
        out.append(''.join(cur).strip())
    return out


def main():
    d = sys.argv[1]
    pub = open(os.path.join(d, 'ppm_events_public.h')).read()
    table = strip_comments(open(os.path.join(d, 'event_table.c')).read())
    flags = strip_comments(open(os.path.join(d, 'flags_table.c')).read())
    defs = read_defines(pub)
    defs.update(read_enums(pub))
    ev = evaluator(defs, {})
    enums = {k: ev(k) for k in defs if re.match(r'(PPME|PT|PF|EC|EF)_|PPM_EVENT_MAX$', k)}

    # flag tables: name -> [(flag, value)]
    ftabs = {}
    for m in re.finditer(r'const\s+struct\s+ppm_name_value\s+(\w+)\[\]\s*=\s*\{(.*?)\};',
                         flags, re.S):
        items = []
        for e in re.finditer(r'\{\s*"([^"]+)"\s*,\s*([^}]+)\}', m.group(2)):
            items.append((e.group(1), ev(e.group(2))))
        ftabs[m.group(1)] = items

    body = table[table.index('g_event_info[]'):]
    entries = re.split(r'\[\s*(PPME_\w+)\s*\]\s*=', body)[1:]
    events = {}
    used_tabs = []
    for code, text in zip(entries[0::2], entries[1::2]):
        text = text.strip()
        assert text[0] == '{', code
        # the initializer: up to the matching brace
        depth = 0
        for i, c in enumerate(text):
            depth += c == '{'
            depth -= c == '}'
            if depth == 0:
                break
        fields = split_top(text[1:i])
        name = fields[0].strip('"')
        cat = ev(fields[1])
        fl = ev(fields[2])
        nparams = int(fields[3]) if len(fields) > 3 else 0
        params = []
        if len(fields) > 4:
            for p in split_top(fields[4].strip()[1:-1]):
                pf = split_top(p.strip()[1:-1])
                pname = pf[0].strip('"')
                assert pf[1] in enums and (len(pf) < 3 or pf[2] in enums), p
                info = pf[3] if len(pf) > 3 else None
                tab = None
                if info and info in ftabs:
                    tab = info
                    if tab not in used_tabs:
                        used_tabs.append(tab)
                params.append((pname, pf[1][3:], pf[2][3:] if len(pf) > 2 else 'NA', tab))
        assert len(params) == nparams, (code, len(params), nparams)
        if name == 'NA' and fl & enums['EF_UNUSED']:
            continue
        events[enums[code]] = (code, name, cat, fl, params)

    nmax = enums['PPM_EVENT_MAX']
    o = []
    w = o.append
    w('/*')
    w(' * scap_events.c - the event types of sysdig / Falco captures: names,')
    w(' * categories and parameters, and the errno names of return values.')
    w(' *')
    w(' * GENERATED by scripts/gen-scap-events.py from the driver/ folder of')
    w(' * falcosecurity/libs (event_table.c, flags_table.c and')
    w(' * ppm_events_public.h, MIT licensed); do not edit by hand.  Event types')
    w(' * only ever gain parameters at the end, so one table reads every capture')
    w(' * version: a capture with fewer parameters uses the first ones.')
    w(' */')
    w('#include "scap_internal.h"')
    w('')
    for t in used_tabs:
        w('static const struct sr_scap_flag ft_%s[] = {' % t)
        for n, v in ftabs[t]:
            w('\t{ "%s", 0x%x },' % (n, v))
        w('\t{ NULL, 0 },')
        w('};')
        w('')
    w('#define P(n, t, f, x) { n, SR_PT_##t, SR_PF_##f, x }')
    w('')
    w('const struct sr_scap_evinfo sr_scap_events[SR_SCAP_NTYPES] = {')
    for num in sorted(events):
        code, name, cat, fl, params = events[num]
        kind = 'SR_SCAP_C_OTHER'
        if cat & enums['EC_SYSCALL']:
            kind = 'SR_SCAP_C_SYSCALL'
        elif cat & enums['EC_TRACEPOINT']:
            kind = 'SR_SCAP_C_TRACEPOINT'
        elif cat & enums['EC_METAEVENT']:
            kind = 'SR_SCAP_C_META'
        elif cat & enums['EC_PLUGIN']:
            kind = 'SR_SCAP_C_PLUGIN'
        large = 'true' if fl & enums['EF_LARGE_PAYLOAD'] else 'false'
        w('\t[%d] = { "%s", %s, %s, %d, /* %s */' % (num, name, kind, large, len(params), code))
        if not params:
            w('\t\tNULL },')
            continue
        ps = ['P("%s", %s, %s, %s)' % (pn, pt, pf, 'ft_' + tab if tab else 'NULL')
              for pn, pt, pf, tab in params]
        line = '\t\t(const struct sr_scap_param[]){ '
        for i, x in enumerate(ps):
            x += ',' if i + 1 < len(ps) else ' } },'
            if len(line.expandtabs(8)) + len(x) > 98:
                w(line.rstrip())
                line = '\t\t\t'
            line += x + ' '
        w(line.rstrip())
    w('};')
    w('')

    # errno names as strace prints them
    prefer = {11: 'EAGAIN', 35: 'EDEADLK', 95: 'EOPNOTSUPP'}
    extra = {512: ('ERESTARTSYS', 'To be restarted if SA_RESTART is set'),
             513: ('ERESTARTNOINTR', 'To be restarted'),
             514: ('ERESTARTNOHAND', 'To be restarted if no handler'),
             515: ('ENOIOCTLCMD', 'No ioctl command'),
             516: ('ERESTART_RESTARTBLOCK', 'Interrupted by signal'),
             517: ('EPROBE_DEFER', 'Driver requests probe retry'),
             518: ('EOPENSTALE', 'Open found a stale dentry'),
             519: ('ENOPARAM', 'Parameter not supported')}
    w('const struct sr_scap_errno sr_scap_errnos[SR_SCAP_NERRNO] = {')
    for n in sorted(errno.errorcode):
        if n >= 512:
            continue
        w('\t[%d] = { "%s", "%s" },' % (n, prefer.get(n, errno.errorcode[n]), os.strerror(n)))
    for n in sorted(extra):
        w('\t[%d] = { "%s", "%s" },' % (n, extra[n][0], extra[n][1]))
    w('};')
    sys.stdout.write('\n'.join(o) + '\n')
    print('/* %d event types, %d flag tables */' % (len(events), len(used_tabs)))
    if nmax > 1024:
        raise SystemExit('PPM_EVENT_MAX %d > SR_SCAP_NTYPES' % nmax)


if __name__ == '__main__':
    main()
