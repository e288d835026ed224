#!/usr/bin/python3
"""verify_mutate.py - lines of real traces respelled the ways the strace
grammar (or a hand edit, or damage) allows: for tests/e2e.d/verify.sh, which
reads them with and without verify=all and wants the same output.

    verify_mutate.py OUT FILE...

Each line gives up to twelve mutants, each changing one spelling of one line taken from FILE...: padding,
leading zeros, escapes written another way, capital hex, a tab or a raw byte
in a string, a separator, a time or duration past its rules, a random byte.
Then 3000 writes of a few bytes, each spelled one of the ways a string
literal may hold it.  A fixed seed makes the same lines every run.
"""
import random
import re
import sys

rng = random.Random(17)


def sub_one(pattern, line, repl):
    """line with one match of pattern (chosen at random) replaced by repl(m)."""
    ms = list(re.finditer(pattern, line))
    if not ms:
        return None
    m = rng.choice(ms)
    return line[:m.start()] + repl(m) + line[m.end():]


ESC_OTHER = {
    '\\n': ['\\12', '\\012', '\\x0a', '\\X0a'],
    '\\t': ['\\11', '\\x09', '\\011'],
    '\\0': ['\\00', '\\000', '\\x00'],
    '\\"': ['\\x22', '\\42'],
    '\\\\': ['\\x5c', '\\134'],
}

MUTATIONS = [
    # padding and separators
    lambda l: sub_one(r' ', l, lambda m: '  '),
    lambda l: sub_one(r' ', l, lambda m: '\t'),
    lambda l: sub_one(r', ', l, lambda m: rng.choice([',', ' ', ',  ', ' ,'])),
    lambda l: sub_one(r'\) += ', l, lambda m: rng.choice([') = ', ')= ', ')' + ' ' * rng.randint(2, 40) + '= '])),
    lambda l: sub_one(r'\{', l, lambda m: '{ '),
    lambda l: sub_one(r'\}', l, lambda m: ' }'),
    lambda l: sub_one(r'\[(\w+) ', l, lambda m: '[' + m.group(1) + ', '),
    lambda l: sub_one(r'~\[', l, lambda m: '~[A, '),
    lambda l: sub_one(r'^\[pid +', l, lambda m: rng.choice(['[pid ', '[pid  ', '[pid 0', '[pid      '])),
    lambda l: sub_one(r'^(\d+) +', l, lambda m: m.group(1) + rng.choice([' ', '  ', '      ', '0 '])),
    lambda l: sub_one(r'^(\d+)', l, lambda m: '0' + m.group(1)),
    # numbers
    lambda l: sub_one(r'(?<![\w.])(\d)', l, lambda m: '0' + m.group(1)),
    lambda l: sub_one(r'0x([0-9a-f]+)', l, lambda m: '0x' + m.group(1).upper()),
    lambda l: sub_one(r'0x', l, lambda m: '0X'),
    lambda l: sub_one(r'\[([0-9a-f]{8,16})\]', l, lambda m: '[' + m.group(1).upper() + ']'),
    lambda l: sub_one(r'\[ *(\d+)\]', l, lambda m: '[0' + m.group(1) + ']'),
    # times and durations
    lambda l: sub_one(r'(\d\d):(\d\d):(\d\d)', l, lambda m: m.group(1) + ':' + rng.choice(['61', '99', m.group(2)]) + ':' + rng.choice(['60', '75', m.group(3)])),
    lambda l: sub_one(r'(\d\d:\d\d:\d\d)\.\d+', l, lambda m: m.group(1) + rng.choice(['.', '.0123456789', ''])),
    lambda l: sub_one(r'<(\d+)\.(\d+)>$', l, lambda m: rng.choice(['<0' + m.group(1) + '.' + m.group(2) + '>', '<' + m.group(1) + '.>', '<' + m.group(1) + '.' + m.group(2) + '1234>', '<' + m.group(1) + '.' + m.group(2) + '.5>', '<' + m.group(1) + '>'])),
    lambda l: sub_one(r'\(\+ *(\d+)\.', l, lambda m: '(+0' + m.group(1) + '.'),
    lambda l: sub_one(r'^( *)(\d+)\.(\d+) ', l, lambda m: m.group(1) + '0' + m.group(2) + '.' + m.group(3) + ' '),
    lambda l: sub_one(r'with (\d+)', l, lambda m: 'with 0' + m.group(1)),
    lambda l: sub_one(r'exit status (\d+)', l, lambda m: 'exit status 0' + m.group(1)),
    lambda l: sub_one(r'pid changed to (\d+)', l, lambda m: 'pid changed to 0' + m.group(1)),
    # strings
    lambda l: sub_one(r'\\[nt0"\\]', l, lambda m: rng.choice(ESC_OTHER.get(m.group(0), [m.group(0)]))),
    lambda l: sub_one(r'\\([0-7]{1,3})', l, lambda m: '\\x%02x' % (int(m.group(1), 8) & 255)),
    lambda l: sub_one(r'\\x([0-9a-f]{2})', l, lambda m: rng.choice(['\\x' + m.group(1).upper(), '\\%o' % int(m.group(1), 16), '\\%03o' % int(m.group(1), 16)])),
    lambda l: sub_one(r'"([^"\\]*)"', l, lambda m: '"' + m.group(1) + rng.choice(['\t', '\x01', '\x7f', '\x80', '\xe9', '\\101', '\\x41']) + '"'),
    lambda l: sub_one(r'"([^"\\]+)"', l, lambda m: '"' + m.group(1)[:1] + '\\' + m.group(1)[1:] + '"'),
    # anything
    lambda l: (lambda i: l[:i] + chr(rng.randint(32, 126)) + l[i + 1:])(rng.randrange(len(l))) if l else None,
    lambda l: (lambda i: l[:i] + l[i + 1:])(rng.randrange(len(l))) if l else None,
]


LETTERS = {9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\'}


def spell_byte(b):
    """One byte as a string literal may hold it: raw, a letter escape, octal
    in 1 to 3 digits (as many as allowed), hex; right or wrong for strace."""
    ways = []
    if 32 <= b <= 126 and b not in (34, 92):
        ways.append(chr(b))
    if b in LETTERS:
        ways.append('\\' + LETTERS[b])
    for n in (1, 2, 3):
        if b < 8 ** n:
            ways.append('\\' + format(b, 'o').zfill(n))
    ways.append('\\x%02x' % b)
    if b >= 128 or b < 32:
        ways.append(chr(b))
    return rng.choice(ways)


def random_string():
    """A write() of a few bytes, each spelled one of its ways: tests the
    parser's check of escapes against the printer's rules."""
    data = [rng.choice([0, 1, 7, 8, 9, 10, 27, 34, 48, 49, 55, 56, 57, 65, 92, 127, 128, 255])
            for _ in range(rng.randint(1, 6))]
    toks = [spell_byte(b) for b in data]
    for i in range(len(toks) - 1):
        # a short octal escape before an octal digit would read it too
        if re.fullmatch(r'\\[0-7]{1,2}', toks[i]) and toks[i + 1][0] in '01234567':
            toks[i] = '\\' + format(data[i], 'o').zfill(3)
    lit = ''.join(toks)
    return 'write(1, "%s", %d) = %d' % (lit, len(data), len(data))


def main():
    out, files = sys.argv[1], sys.argv[2:]
    lines = []
    for f in files:
        with open(f, 'rb') as fh:
            for raw in fh.read().split(b'\n'):
                try:
                    lines.append(raw.decode('latin-1'))
                except UnicodeDecodeError:
                    pass
    lines = [l for l in lines if l]
    picked = rng.sample(lines, min(len(lines), 6000))
    n = 0
    with open(out, 'wb') as fh:
        for l in picked:
            for _ in range(12):
                m = rng.choice(MUTATIONS)(l)
                if m is not None and m != l:
                    fh.write(m.encode('latin-1') + b'\n')
                    n += 1
        for _ in range(3000):
            fh.write(random_string().encode('latin-1') + b'\n')
            n += 1
    print(n)


if __name__ == '__main__':
    main()
