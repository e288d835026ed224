#!/usr/bin/env python3
"""run.py - runs every shell recipe of README.md and docs/sysrep.1 (issue 20).

    python3 tests/recipes/run.py SYSREP [--update]

Each recipe (tests/recipes/extract.py) runs with bash in a scratch
directory in which the documentation's placeholder names are real files
(FIXTURES), after the substitutions in SUBST (a live program becomes
/bin/true, /tmp/ the scratch directory), with SYSREP's directory first on
PATH and the Python module its build made (build/python) on PYTHONPATH.

The recipes of one block of the documentation run in order, in a scratch
directory of their own (a block is a story: write app.csv, then read it);
the blocks run in parallel (JOBS at a time), the ones in JOIN after the
block whose files they read, in its directory.  The independent answers
(CHECKS) are computed once per input, from the repository's file.  It must exit 0 with nothing on stderr (STDERR_OK lists the
exceptions), and its stdout must be the golden file
tests/golden/recipes/<hash>.txt, keyed by the recipe's own text: a changed
recipe has no golden until --update writes one (review it before
committing).  Recipes whose output changes from run to run (a live
program) are checked by property instead (LIVE), and the ones that once
gave wrong answers are also checked against a count made here (CHECKS).
SKIP names the few that cannot run inside make check, and why.

Prints "PASS name" / "FAIL name -- why" lines for tests/e2e.d/recipes.sh.
"""
import collections
import concurrent.futures
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, 'tests', 'golden', 'recipes')
DOCS = ['README.md', 'docs/sysrep.1']

# The placeholder names of the recipes, as files in the scratch directory.
# app.strace: -f, -ttt, -T durations, calls cut by <unfinished ...>,
# failures: every recipe over it has something to show.
FIXTURES = {
    'app.strace': 'corpus/gen/n-i-ttt-yy-X-verbose-f.strace',
    'big.strace': 'corpus/pipeline-f.strace',
    'traces/ls-plain.strace': 'corpus/ls-plain.strace',
    'traces/gcc-build-f-tt.strace': 'corpus/gcc-build-f-tt.strace',
    'traces/sub/signals-f-tt-T.strace': 'corpus/signals-f-tt-T.strace',
}
LINKS = ['corpus', 'proto']  # the repository's own, by relative name

# Blocks that read what an earlier block of the same document wrote:
# (document, first recipe of the block, first recipe of the earlier block),
# recipes by their first words.
JOIN = [
    # pandas over app.jsonl, which the first example block wrote
    ('docs/sysrep.1', 'sysrep convert -t csv app.strace', 'strace -f -tt -T -o app.strace'),
]

# Blocks run at once: most of a recipe's time is a process starting
# (python3 importing pandas, strace attaching), not CPU.
JOBS = int(os.environ.get('RECIPE_JOBS', '4'))

# (old, new): literal replacements in every recipe, in order.
SUBST = [
    # a live program: the trace goes to live.strace, so that app.strace
    # stays the corpus file the other recipes are checked against
    ('strace -f -tt -T -o app.strace ./app', 'strace -f -tt -T -o live.strace /bin/true'),
    ('sysrep record -- ./app --flag > app.jsonl', 'sysrep record -- /bin/true --flag > rec.jsonl'),
    ('sysrep record -o app.sra -- ./app', 'sysrep record -o rec.sra -- /bin/true'),
    ('-o app.pb -e trace=%file -- make', '-o rec.pb -e trace=%file -- /bin/true'),
    ('-- ./server', '-- /bin/true'),
    ('-- ./app', '-- /bin/true'),
    # attach: to a process of ours, as root already
    ('sudo sysrep record -p "$(pidof nginx)"', 'sysrep record -p "$SLEEPER"'),
    ('/tmp/', 'tmp/'),
    ('--pid 1234', '--pid 32101'),  # a pid of app.strace
    ('-j 8', '-j 2'),               # the machine has 2 cores
]

# Recipes (by their first words) that cannot run inside make check.
SKIP = {
    'make demo': 'builds the tree: make check has built it',
    'make check': 'is the run this test is part of',
    'make install': 'installs into a root of its own: needs the -fPIC build',
    'PKG_CONFIG_PATH=': 'reads what make install installed',
    'man -l': 'reads what make install installed',
    'cd /data/traces': 'needs GNU parallel and ssh hosts',
    'hadoop jar': 'needs a Hadoop cluster',
}

# stderr a recipe may print: a regex over the whole of it.
STDERR_OK = {
    # corpus/ holds a C program and a README: named, skipped, not converted
    'sysrep convert -r corpus -o': r'sysrep: warning: 2 files skipped, not traces: '
                                   r'corpus/flagsets/prog\.c \([^)]*\), corpus/old/README\.md \([^)]*\); '
                                   r'-f FORMAT reads every file as FORMAT\n'
                                   r'sysrep: \d+ files \(\d+ inputs\), \d+ events, 0 unparsed, .* 0 failed, '
                                   r'2 skipped \(not traces\)\n',
    'sysrep convert -r traces/': r'sysrep: 3 files \(3 inputs\), \d+ events, 0 unparsed, .* 0 failed, '
                                 r'0 skipped \(not traces\)\n',
    'strace -f -tt -T': r'',
    'sudo sysrep record -p': r'(/usr/bin/)?strace: Process \d+ attached\n',
}


def stats(path, cwd):
    out = subprocess.run(['sysrep', 'stats', '--json', path], capture_output=True, text=True,
                         cwd=cwd)
    return json.loads(out.stdout) if out.returncode == 0 else None


def live_trace(path):
    """A trace of /bin/true: read whole, an execve in it."""
    def check(res, cwd):
        s = stats(path, cwd)
        if not s or not s['events'] or s['unparsed']:
            return '%s: not a whole trace: %s' % (path, s)
        return None
    return check


def live_jsonl(res, cwd):
    for line in res.stdout.splitlines():
        if 'errno' not in json.loads(line):
            return 'a record without errno: ' + line[:80]
    return None


def dry_run(res, cwd):
    if not re.fullmatch(r'strace -f -n .* -- /bin/true\n', res.stdout):
        return 'not the strace command: ' + res.stdout[:120]
    return None


LIVE = {
    'strace -f -tt -T -o app.strace': live_trace('live.strace'),
    'sysrep record -- ./app --flag': live_trace('rec.jsonl'),
    'sysrep record -o app.sra': live_trace('rec.sra'),
    'sysrep record -t pb -o app.pb': live_trace('rec.pb'),
    'sysrep record -- ./server': live_jsonl,
    'sudo sysrep record -p': live_trace('nginx.jsonl'),
    'sysrep record --dry-run': dry_run,
}


# --- independent answers for the recipes that once were wrong ---------------
@functools.lru_cache(maxsize=None)
def _records(path, opts):
    out = subprocess.run(['sysrep', 'convert', '-q', *opts, path], capture_output=True,
                         text=True, check=True).stdout
    return tuple(json.loads(line) for line in out.splitlines())


def records(path, *opts):
    """The records of a fixture (by its placeholder name) or a corpus file,
    converted once for all the recipes that are checked against them."""
    return _records(os.path.join(ROOT, FIXTURES.get(path, path)), opts)


def calls(path, *opts):
    """The calls, each once: unfinished markers are not calls."""
    return [r for r in records(path, *opts) if r['type'] == 'syscall']


def uniq_c(names):
    """The lines of 'sort | uniq -c'."""
    c = collections.Counter(names)
    return ''.join('%7d %s\n' % (c[k], k) for k in sorted(c))


def want(text):
    return lambda res, cwd: None if res.stdout == text else 'want %r, got %r' % (text[:200], res.stdout[:200])


def slowest(res, cwd):
    durs = sorted((r['duration'] for r in calls('app.strace') if 'duration' in r), reverse=True)[:10]
    got = [float(line.split()[0]) for line in res.stdout.splitlines()]
    return None if got == durs else 'durations %s, want %s' % (got, durs)


def pandas_size(res, cwd):
    c = collections.Counter(r['syscall'] for r in calls('app.strace'))
    got = {}
    for line in res.stdout.splitlines()[1:]:
        m = re.fullmatch(r'(\w+)\s+(\d+)', line)
        if m:
            got[m.group(1)] = int(m.group(2))
    return None if got == dict(c) else 'counts %s, want %s' % (got, dict(c))


CHECKS = {
    "sysrep convert app.strace | jq -r 'select(.type==\"syscall\" and .syscall==\"openat\")":
        lambda res, cwd: want(''.join(r['args']['pathname'] + '\n' for r in calls('app.strace')
                                 if r['syscall'] == 'openat'))(res, cwd),
    'sysrep convert app.strace | jq -r \'select(.duration)': slowest,
    'sysrep convert -e trace=openat,close corpus/gcc-build-f-tt.strace':
        lambda res, cwd: want(uniq_c(r['syscall'] for r in calls('corpus/gcc-build-f-tt.strace',
                                                             '-e', 'trace=openat,close')))(res, cwd),
    'sysrep convert --failed -e trace=%file corpus/gcc-build-f-tt.strace':
        lambda res, cwd: want(uniq_c(r['errno'] for r in calls('corpus/gcc-build-f-tt.strace', '-e',
                                                           'trace=%file') if 'errno' in r))(res, cwd),
    'sysrep convert --failed app.strace':
        lambda res, cwd: want(uniq_c(r['errno'] for r in calls('app.strace') if 'errno' in r))(res, cwd),
    'python3 -c \'import sysrep; df = sysrep.read_csv("app.csv")': pandas_size,
    "sysrep convert -e trace=openat app.strace | jq -r 'select(.type==\"syscall\")":
        lambda res, cwd: want(''.join(r['args']['pathname'] + '\n' for r in calls('app.strace')
                                 if r['syscall'] == 'openat'))(res, cwd),
    "sysrep convert -e 'trace=!%file' --pid 13507":
        lambda res, cwd: want(''.join(n + '\n' for n in sorted({r['syscall'] for r in records(
            'corpus/gcc-build-f-tt.strace', '-e', 'trace=!%file', '--pid', '13507')
            if 'syscall' in r})))(res, cwd),
}


def starts(text, table):
    for k, v in table.items():
        if text.startswith(k):
            return v
    return None


def golden_path(text):
    return os.path.join(GOLDEN, hashlib.sha1(text.encode()).hexdigest()[:12] + '.txt')


def golden_text(text, rc, out, wrote):
    cmd = ''.join('$ %s\n' % line for line in text.split('\n'))
    return '%sexit %d\n%s%s' % (cmd, rc, ''.join('wrote %s\n' % w for w in wrote), out)


def snapshot(top):
    """Every file under the scratch directory top (not into the links), by
    its stat: what a recipe wrote is what changed."""
    seen = {}
    for d, _, files in os.walk(top):
        for f in files:
            full = os.path.join(d, f)
            if not os.path.islink(full):
                st = os.stat(full)
                seen[os.path.relpath(full, top)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return seen


def wrote(before, after, text, top):
    """The files a recipe wrote, with their size and hash: the golden
    holds what a recipe that writes -o FILE makes, not just its exit."""
    out = []
    changed = [p for p in sorted(after) if before.get(p) != after[p]]
    for p in changed:
        # a tree of outputs (-r): which files, the contents being the
        # writers' (checked per file by the corpus tests)
        if text.startswith('protoc ') or len(changed) > 10:
            out.append(p)  # protoc's own code: its version's, not ours
            continue
        with open(os.path.join(top, p), 'rb') as f:
            out.append('%s %d bytes sha1 %s' % (p, after[p][1], hashlib.sha1(f.read()).hexdigest()[:12]))
    return out


def setup(tmp):
    for name, src in FIXTURES.items():
        os.makedirs(os.path.dirname(os.path.join(tmp, name)) or tmp, exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, src), os.path.join(tmp, name))
    for name in LINKS:
        os.symlink(os.path.join(ROOT, name), os.path.join(tmp, name))
    os.makedirs(os.path.join(tmp, 'tmp'))


def run_one(r, ctx, top):
    """Runs recipe r in the scratch directory top; returns its report line."""
    text, name = r['text'], '%s %s' % (r['src'], r['text'].split('\n')[0][:70])
    why = starts(text, SKIP)
    if why:
        return 'SKIP %s -- %s' % (name, why)
    if starts(text, LIVE) and not ctx['can_trace']:
        return 'SKIP %s -- strace cannot trace here (no strace, or ptrace not permitted)' % name
    if 'import sysrep' in text and not ctx['module']:
        return 'SKIP %s -- the Python module is not built (make python)' % name
    cmd = text
    for old, new in SUBST:
        cmd = cmd.replace(old, new)
    env = dict(ctx['env'])
    sleeper = None
    if '$SLEEPER' in cmd:
        sleeper = subprocess.Popen(['sleep', '1'])
        env['SLEEPER'] = str(sleeper.pid)
    before = snapshot(top)
    try:
        res = subprocess.run(['bash', '-c', cmd], capture_output=True, text=True, env=env,
                             cwd=top, timeout=300)
    except subprocess.TimeoutExpired:
        return 'FAIL %s -- timed out' % name
    finally:
        if sleeper:
            sleeper.wait()
    err_ok = starts(text, STDERR_OK)
    if res.returncode != 0:
        return 'FAIL %s -- exit %d: %s' % (name, res.returncode, res.stderr[:200])
    if res.stderr and not (err_ok is not None and re.fullmatch(err_ok, res.stderr)):
        return 'FAIL %s -- stderr: %s' % (name, res.stderr[:200])
    live = starts(text, LIVE)
    if live:
        bad = live(res, top)
        return 'FAIL %s -- %s' % (name, bad) if bad else 'PASS %s (by property)' % name
    check = starts(text, CHECKS)
    if check:
        bad = check(res, top)
        if bad:
            return 'FAIL %s -- wrong answer: %s' % (name, bad)
    g = golden_path(text)
    ctx['used'].add(os.path.basename(g))
    got = golden_text(text, res.returncode, res.stdout, wrote(before, snapshot(top), text, top))
    if ctx['update']:
        os.makedirs(GOLDEN, exist_ok=True)
        with open(g, 'w') as f:
            f.write(got)
    if not os.path.exists(g):
        return ('FAIL %s -- no golden %s (run tests/recipes/run.py ./sysrep --update, '
                'then review it)' % (name, os.path.relpath(g, ROOT)))
    if open(g).read() != got:
        return 'FAIL %s -- output differs from %s' % (name, os.path.relpath(g, ROOT))
    return 'PASS %s%s' % (name, ' (checked, and golden)' if check else '')


def run_chain(chain, ctx, tmp):
    """The recipes of chain (blocks in order) in a scratch directory of
    their own; [(index, report line)]."""
    top = tempfile.mkdtemp(prefix='chain.', dir=tmp)
    setup(top)
    return [(i, run_one(r, ctx, top)) for i, r in chain]


def chains(recipes, joins):
    """The recipes grouped by block, a JOINed block with the one it reads
    from (it comes later in the documentation: index order runs it after):
    a list of [(index, recipe)]."""
    after = dict(joins)
    out = {}
    for i, r in enumerate(recipes):
        b = r['block']
        while b in after:
            b = after[b]
        out.setdefault(b, []).append((i, r))
    return list(out.values())


def main():
    sysrep = os.path.abspath(sys.argv[1])
    update = '--update' in sys.argv[2:]
    recipes = []
    for doc in DOCS:
        out = subprocess.run([sys.executable, os.path.join(ROOT, 'tests/recipes/extract.py'),
                              os.path.join(ROOT, doc)], capture_output=True, text=True, check=True)
        for line in out.stdout.splitlines():
            r = json.loads(line)
            for k in ('src', 'block'):
                r[k] = os.path.relpath(r[k].rsplit(':', 1)[0], ROOT) + ':' + r[k].rsplit(':', 1)[1]
            recipes.append(r)
    joins = []
    first = {}
    for r in recipes:
        first.setdefault(r['block'], r)
    for doc, later, earlier in JOIN:
        b = [{r['block'] for r in recipes if r['src'].startswith(doc + ':') and
              r['text'].startswith(t) and r is first[r['block']]} for t in (later, earlier)]
        if len(b[0]) != 1 or len(b[1]) != 1:
            print('FAIL JOIN %s: %r after %r -- not one block each (update JOIN in '
                  'tests/recipes/run.py)' % (doc, later, earlier))
            continue
        joins.append((b[0].pop(), b[1].pop()))
    tmp = tempfile.mkdtemp(prefix='recipes.')
    # /usr/bin first after sysrep: the python3 with Debian's pandas and
    # protobuf (make deps), whatever other python3 PATH holds; the module
    # "make python" built next to SYSREP, for the recipes that import it
    pydir = os.path.join(os.path.dirname(sysrep), 'build', 'python')
    env = dict(os.environ, PATH=os.path.dirname(sysrep) + ':/usr/bin:' + os.environ['PATH'],
               LC_ALL='C', PYTHONPATH=pydir)
    os.environ.update(PATH=env['PATH'], LC_ALL='C')  # the checks run sysrep too
    # the live recipes need a working strace (a container may forbid ptrace)
    try:
        can_trace = subprocess.run(['strace', '-o', '/dev/null', '/bin/true'],
                                   capture_output=True).returncode == 0
    except OSError:
        can_trace = False
    ctx = {'env': env, 'update': update, 'used': set(), 'can_trace': can_trace,
           'module': any(f.startswith('_sysrep') for f in os.listdir(os.path.join(pydir, 'sysrep')))
           if os.path.isdir(os.path.join(pydir, 'sysrep')) else False}
    lines = {}
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, JOBS)) as ex:
            for done in ex.map(lambda c: run_chain(c, ctx, tmp), chains(recipes, joins)):
                lines.update(done)
        for i in sorted(lines):
            print(lines[i])
        if update and os.path.isdir(GOLDEN):
            for f in os.listdir(GOLDEN):
                if f not in ctx['used']:
                    os.unlink(os.path.join(GOLDEN, f))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
