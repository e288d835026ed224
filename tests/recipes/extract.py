#!/usr/bin/env python3
"""extract.py - the shell recipes of README.md and docs/sysrep.1, one per
command, as JSON Lines: {"src": "README.md:LINE", "block": "README.md:LINE0",
"text": COMMAND}, where block names the fenced block the command is in (its
opening line).

README.md: every ```sh fenced block.  docs/sysrep.1: the .nf ... .fi
blocks of the EXAMPLES section, with the roff escapes undone.  A command
goes on over lines ending in '\\' or '|' and over lines inside an open
single or double quote (python3 -c '...'); comment lines are dropped.

Used by tests/recipes/run.py (make check runs it from
tests/e2e.d/recipes.sh), so a recipe in the documentation is a test.
"""
import json
import re
import sys


def open_quote(text):
    """The quote character left open at the end of text, or None."""
    q = None
    i = 0
    while i < len(text):
        c = text[i]
        if q:
            if c == q:
                q = None
            elif c == '\\' and q == '"':
                i += 1
        elif c in '\'"':
            q = c
        elif c == '\\':
            i += 1
        elif c == '#' and (i == 0 or text[i - 1] in ' \t'):
            break  # a comment: quotes in it do not count
        i += 1
    return q


def commands(lines):
    """(first line number, command) for each command of a block."""
    cur, start = [], 0
    for n, line in lines:
        if not cur:
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            start = n
        cur.append(line)
        text = '\n'.join(cur)
        code = re.sub(r'\s+#[^\'"]*$', '', line).rstrip()
        if open_quote(text) or code.endswith('\\') or code.endswith('|'):
            continue
        yield start, text
        cur = []
    if cur:
        yield start, '\n'.join(cur)


def readme(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    block = None
    for n, line in enumerate(lines, 1):
        if block is None:
            if line.strip() == '```sh':
                block, first = [], n
        elif line.strip() == '```':
            for start, text in commands(block):
                yield first, start, text
            block = None
        else:
            block.append((n, line))


def man(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    inside = block = None
    for n, line in enumerate(lines, 1):
        if line.startswith('.SH'):
            inside = line.strip() == '.SH EXAMPLES'
            continue
        if not inside:
            continue
        if line == '.nf':
            block, first = [], n
        elif line == '.fi' and block is not None:
            for start, text in commands(block):
                yield first, start, text
            block = None
        elif block is not None and not line.startswith('.'):
            block.append((n, line.replace('\\-', '-').replace('\\e', '\\')))


def main():
    for path in sys.argv[1:]:
        gen = man(path) if path.endswith('.1') else readme(path)
        for first, n, text in gen:
            print(json.dumps({'src': '%s:%d' % (path, n), 'block': '%s:%d' % (path, first),
                              'text': text}))


if __name__ == '__main__':
    main()
