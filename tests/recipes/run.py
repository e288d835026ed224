#!/usr/bin/env python3
"""run.py - runs every shell recipe of README.md and docs/sysrep.1 (issue 20).

    python3 tests/recipes/run.py SYSREP [--update]

Each recipe (tests/recipes/extract.py) runs with bash in a scratch
directory in which the documentation's placeholder names are real files
(FIXTURES), after the substitutions in SUBST (a live program becomes
/bin/true, /tmp/ the scratch directory), with SYSREP's directory first on
PATH.  It must exit 0 with nothing on stderr (STDERR_OK lists the
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
import hashlib
import json
import os
import re
import shutil
import signal
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
    'sysrep convert -r corpus -o': r'sysrep: \d+ files \(\d+ inputs\), \d+ events, \d+ unparsed, .* 0 failed\n',
    'sysrep convert -r traces/': r'sysrep: 3 files \(3 inputs\), \d+ events, 0 unparsed, .* 0 failed\n',
    'strace -f -tt -T': r'',
    'sudo sysrep record -p': r'(/usr/bin/)?strace: Process \d+ attached\n',
}


def stats(path):
    out = subprocess.run(['sysrep', 'stats', '--json', path], capture_output=True, text=True)
    return json.loads(out.stdout) if out.returncode == 0 else None


def live_trace(path):
    """A trace of /bin/true: read whole, an execve in it."""
    def check(res):
        s = stats(path)
        if not s or not s['events'] or s['unparsed']:
            return '%s: not a whole trace: %s' % (path, s)
        return None
    return check


def live_jsonl(res):
    for line in res.stdout.splitlines():
        if 'errno' not in json.loads(line):
            return 'a record without errno: ' + line[:80]
    return None


def dry_run(res):
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
def records(path, *opts):
    out = subprocess.run(['sysrep', 'convert', '-q', *opts, path], capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def calls(path, *opts):
    """The calls, each once: unfinished markers are not calls."""
    return [r for r in records(path, *opts) if r['type'] == 'syscall']


def uniq_c(names):
    """The lines of 'sort | uniq -c'."""
    c = collections.Counter(names)
    return ''.join('%7d %s\n' % (c[k], k) for k in sorted(c))


def want(text):
    return lambda res: None if res.stdout == text else 'want %r, got %r' % (text[:200], res.stdout[:200])


def slowest(res):
    durs = sorted((r['duration'] for r in calls('app.strace') if 'duration' in r), reverse=True)[:10]
    got = [float(line.split()[0]) for line in res.stdout.splitlines()]
    return None if got == durs else 'durations %s, want %s' % (got, durs)


def pandas_size(res):
    c = collections.Counter(r['syscall'] for r in calls('app.strace'))
    got = {}
    for line in res.stdout.splitlines()[1:]:
        m = re.fullmatch(r'(\w+)\s+(\d+)', line)
        if m:
            got[m.group(1)] = int(m.group(2))
    return None if got == dict(c) else 'counts %s, want %s' % (got, dict(c))


CHECKS = {
    "sysrep convert app.strace | jq -r 'select(.type==\"syscall\" and .syscall==\"openat\")":
        lambda res: want(''.join(r['args']['pathname'] + '\n' for r in calls('app.strace')
                                 if r['syscall'] == 'openat'))(res),
    'sysrep convert app.strace | jq -r \'select(.duration)': slowest,
    'sysrep convert -e trace=openat,close corpus/gcc-build-f-tt.strace':
        lambda res: want(uniq_c(r['syscall'] for r in calls('corpus/gcc-build-f-tt.strace',
                                                             '-e', 'trace=openat,close')))(res),
    'sysrep convert --failed -e trace=%file corpus/gcc-build-f-tt.strace':
        lambda res: want(uniq_c(r['errno'] for r in calls('corpus/gcc-build-f-tt.strace', '-e',
                                                           'trace=%file') if 'errno' in r))(res),
    'sysrep convert --failed app.strace':
        lambda res: want(uniq_c(r['errno'] for r in calls('app.strace') if 'errno' in r))(res),
    'python3 -c \'import pandas; df = pandas.read_csv("app.csv")': pandas_size,
    "sysrep convert -e trace=openat app.strace | jq -r 'select(.type==\"syscall\")":
        lambda res: want(''.join(r['args']['pathname'] + '\n' for r in calls('app.strace')
                                 if r['syscall'] == 'openat'))(res),
    "sysrep convert -e 'trace=!%file' --pid 13507":
        lambda res: want(''.join(n + '\n' for n in sorted({r['syscall'] for r in records(
            'corpus/gcc-build-f-tt.strace', '-e', 'trace=!%file', '--pid', '13507')
            if 'syscall' in r})))(res),
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


def snapshot():
    """Every file under the scratch directory (not into the links), by
    its stat: what a recipe wrote is what changed."""
    seen = {}
    for d, _, files in os.walk('.'):
        for f in files:
            p = os.path.join(d, f)[2:]
            if not os.path.islink(p):
                st = os.stat(p)
                seen[p] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return seen


def wrote(before, after, text):
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
        with open(p, 'rb') as f:
            out.append('%s %d bytes sha1 %s' % (p, after[p][1], hashlib.sha1(f.read()).hexdigest()[:12]))
    return out


def setup(tmp):
    for name, src in FIXTURES.items():
        os.makedirs(os.path.dirname(os.path.join(tmp, name)) or tmp, exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, src), os.path.join(tmp, name))
    for name in LINKS:
        os.symlink(os.path.join(ROOT, name), os.path.join(tmp, name))
    os.makedirs(os.path.join(tmp, 'tmp'))


def main():
    sysrep = os.path.abspath(sys.argv[1])
    update = '--update' in sys.argv[2:]
    recipes = []
    for doc in DOCS:
        out = subprocess.run([sys.executable, os.path.join(ROOT, 'tests/recipes/extract.py'),
                              os.path.join(ROOT, doc)], capture_output=True, text=True, check=True)
        for line in out.stdout.splitlines():
            r = json.loads(line)
            r['src'] = os.path.relpath(r['src'].rsplit(':', 1)[0], ROOT) + ':' + r['src'].rsplit(':', 1)[1]
            recipes.append(r)
    tmp = tempfile.mkdtemp(prefix='recipes.')
    # /usr/bin first after sysrep: the python3 with Debian's pandas and
    # protobuf (make deps), whatever other python3 PATH holds
    env = dict(os.environ, PATH=os.path.dirname(sysrep) + ':/usr/bin:' + os.environ['PATH'],
               LC_ALL='C')
    sleeper = None
    used = set()
    # the live recipes need a working strace (a container may forbid ptrace)
    try:
        can_trace = subprocess.run(['strace', '-o', '/dev/null', '/bin/true'],
                                   capture_output=True).returncode == 0
    except OSError:
        can_trace = False
    try:
        setup(tmp)
        os.chdir(tmp)
        os.environ.update(env)
        for r in recipes:
            text, name = r['text'], '%s %s' % (r['src'], r['text'].split('\n')[0][:70])
            why = starts(text, SKIP)
            if why:
                print('SKIP %s -- %s' % (name, why))
                continue
            if starts(text, LIVE) and not can_trace:
                print('SKIP %s -- strace cannot trace here (no strace, or ptrace not permitted)' % name)
                continue
            cmd = text
            for old, new in SUBST:
                cmd = cmd.replace(old, new)
            if '$SLEEPER' in cmd:
                sleeper = subprocess.Popen(['sleep', '1'])
                env['SLEEPER'] = str(sleeper.pid)
            before = snapshot()
            try:
                res = subprocess.run(['bash', '-c', cmd], capture_output=True, text=True, env=env,
                                     timeout=300)
            except subprocess.TimeoutExpired:
                print('FAIL %s -- timed out' % name)
                continue
            finally:
                if sleeper:
                    sleeper.wait()
                    sleeper = None
            err_ok = starts(text, STDERR_OK)
            if res.returncode != 0:
                print('FAIL %s -- exit %d: %s' % (name, res.returncode, res.stderr[:200]))
                continue
            if res.stderr and not (err_ok is not None and re.fullmatch(err_ok, res.stderr)):
                print('FAIL %s -- stderr: %s' % (name, res.stderr[:200]))
                continue
            live = starts(text, LIVE)
            if live:
                bad = live(res)
                print('FAIL %s -- %s' % (name, bad) if bad else 'PASS %s (by property)' % name)
                continue
            check = starts(text, CHECKS)
            if check:
                bad = check(res)
                if bad:
                    print('FAIL %s -- wrong answer: %s' % (name, bad))
                    continue
            g = golden_path(text)
            used.add(os.path.basename(g))
            got = golden_text(text, res.returncode, res.stdout, wrote(before, snapshot(), text))
            if update:
                os.makedirs(GOLDEN, exist_ok=True)
                with open(g, 'w') as f:
                    f.write(got)
            if not os.path.exists(g):
                print('FAIL %s -- no golden %s (run tests/recipes/run.py ./sysrep --update, '
                      'then review it)' % (name, os.path.relpath(g, ROOT)))
            elif open(g).read() != got:
                print('FAIL %s -- output differs from %s' % (name, os.path.relpath(g, ROOT)))
            else:
                print('PASS %s%s' % (name, ' (checked, and golden)' if check else ''))
        if update and os.path.isdir(GOLDEN):
            for f in os.listdir(GOLDEN):
                if f not in used:
                    os.unlink(os.path.join(GOLDEN, f))
    finally:
        os.chdir(ROOT)
        shutil.rmtree(tmp, ignore_errors=True)
        if sleeper:
            sleeper.send_signal(signal.SIGKILL)


if __name__ == '__main__':
    main()
