# views.sh - sysrep tree, the chrome writer and sysrep report (docs/views.md).
# Sourced by tests/e2e.sh: uses pass/fail/run/expect, BIN, ROOT, TMP, PY.
# shellcheck shell=bash disable=SC2015

GCC=corpus/gcc-build-f-tt.strace

# --- tree ---------------------------------------------------------------

run "$O" "$E" "$BIN" tree "$GCC"
if [ $rc -eq 0 ] && [ "$(wc -l <"$O")" -eq 3 ] &&
	[ "$(head -n 1 "$O")" = "13506 gcc -c -o /tmp/lab/t.o /tmp/lab/threads.c [exit 0]" ] &&
	grep -q '^├─13507 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 ' "$O" &&
	grep -q '^└─13508 as --64 ' "$O"; then
	pass "tree of gcc-build: gcc with cc1 and as"
else
	fail "tree of gcc-build: gcc with cc1 and as" "exit $rc: $(head -n 3 "$O" | tr '\n' '|')"
fi
cp "$O" "$TMP/gcc.tree"

run "$O" "$E" "$BIN" tree corpus/perpid/sh-ff.*
if [ $rc -eq 0 ] && [ "$(wc -l <"$O")" -eq 4 ] && grep -q '^13522 sh -c ' "$O" &&
	grep -q '^├─13523 ls /etc \[exit 0\]$' "$O" && grep -q '^└─13525 cat /etc/hostname' "$O"; then
	pass "tree of a -ff file set: one tree"
else
	fail "tree of a -ff file set: one tree" "exit $rc: $(tr '\n' '|' <"$O")"
fi

run "$O" "$E" "$BIN" tree corpus/threads-f-ttt-T-y.strace
[ $rc -eq 0 ] && grep -q '^13440 /tmp/lab/threads \[4 threads\] \[exit 0\]$' "$O" &&
	pass "tree folds threads into a count" ||
	fail "tree folds threads into a count" "$(tr '\n' '|' <"$O")"

run "$O" "$E" "$BIN" tree --json "$GCC"
if [ $rc -eq 0 ] && "$PY" - "$O" <<'PYEOF'; then
import json, sys
t = json.load(open(sys.argv[1]))
assert t["processes"] == 3 and t["threads"] == 0, t
r = t["roots"][0]
assert r["pid"] == 13506 and r["parent"] is None
assert r["execs"][-1]["argv"][0] == "gcc" and r["execs"][-1]["ok"]
assert r["exit"] == {"status": 0}
kids = r["children"]
assert [k["pid"] for k in kids] == [13507, 13508]
assert all(k["parent"] == 13506 for k in kids)
assert [x["ok"] for x in kids[1]["execs"]] == [False, True]
assert kids[1]["execs"][0]["errno"] == "ENOENT"
PYEOF
	pass "tree --json: nested processes, execs, exits"
else
	fail "tree --json: nested processes, execs, exits" "exit $rc"
fi

# any reader: the same tree from JSON Lines
"$BIN" convert -t jsonl "$GCC" >"$TMP/gcc.jsonl" 2>/dev/null
run "$O" "$E" "$BIN" tree "$TMP/gcc.jsonl"
[ $rc -eq 0 ] && cmp -s "$O" "$TMP/gcc.tree" && pass "tree from JSON Lines input is the same" ||
	fail "tree from JSON Lines input is the same" "exit $rc: $(head -n 1 "$E")"

expect "tree --bogus exits 2" 2 "$BIN" tree --bogus "$GCC"
expect "tree of a missing input exits 1" 1 "$BIN" tree "$TMP/nonexistent"
for c in tree report; do
	if expect "$c --help exits 0" 0 "$BIN" "$c" --help; then
		grep -q "^Usage: sysrep $c" "$O" && pass "$c --help shows its usage" ||
			fail "$c --help shows its usage"
	fi
done

# --- chrome -------------------------------------------------------------

# chrome_check FILE TRACE [pid=N]: the Trace Event format, one X event per
# syscall event of TRACE, metadata names for every pid.
chrome_check() {
	local trace=$2 calls
	calls=$("$BIN" stats --json "$trace" | jq .kinds.syscall)
	"$PY" - "$1" "$calls" "${3:-}" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
calls, want_pid = int(sys.argv[2]), sys.argv[3]
assert d["displayTimeUnit"] == "ms"
ev = d["traceEvents"]
xs = [e for e in ev if e["ph"] == "X"]
assert len(xs) == calls, (len(xs), calls)
for e in xs:
    for k in ("ts", "dur", "pid", "tid"):
        assert isinstance(e[k], (int, float)), (k, e)
    assert e["dur"] >= 0 and isinstance(e["name"], str)
names = {e["pid"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
threads = {e["tid"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
for e in ev:
    if e["ph"] in "Xi":
        assert e["pid"] in names, ("no process_name", e["pid"])
        assert e["tid"] in threads, ("no thread_name", e["tid"])
if want_pid:
    assert {e["pid"] for e in xs} == {int(want_pid)}, {e["pid"] for e in xs}
for e in ev:
    if e["ph"] == "i":
        assert e["s"] == "t" and "ts" in e
print(len(ev))
PYEOF
}

for f in "$GCC" corpus/signals-f-tt-T.strace corpus/pipeline-f.strace corpus/ls-plain.strace; do
	run "$TMP/c.json" "$E" "$BIN" convert -t chrome "$f"
	if [ $rc -eq 0 ] && n=$(chrome_check "$TMP/c.json" "$f" 2>&1); then
		pass "chrome of $f: valid, one X per call ($n trace events)"
	else
		fail "chrome of $f" "exit $rc: $(tail -n 1 <<<"${n:-}")"
	fi
done
run "$TMP/c.json" "$E" "$BIN" convert -t chrome corpus/threads-f-ttt-T-y.strace
if [ $rc -eq 0 ] && n=$(chrome_check "$TMP/c.json" corpus/threads-f-ttt-T-y.strace 13440 2>&1); then
	pass "chrome: threads share their process's pid"
else
	fail "chrome: threads share their process's pid" "exit $rc: $(tail -n 1 <<<"${n:-}")"
fi
# -T durations, and times in microseconds since midnight
run "$TMP/c.json" "$E" "$BIN" convert -t chrome corpus/signals-f-tt-T.strace
"$PY" - "$TMP/c.json" <<'PYEOF' && pass "chrome: -tt times in us, -T durations, signal and exit instants" ||
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
xs = [e for e in ev if e["ph"] == "X"]
assert 0 < xs[0]["ts"] < 86400e6, xs[0]["ts"]
assert sum(1 for e in xs if e["dur"] > 0) > len(xs) / 2
inst = {e["name"] for e in ev if e["ph"] == "i"}
assert any(n.startswith("SIG") for n in inst) and any(n.startswith("exit") for n in inst), inst
PYEOF
	fail "chrome: -tt times in us, -T durations, signal and exit instants"
# no times: sequence positions
run "$TMP/c.json" "$E" "$BIN" convert -t chrome corpus/ls-plain.strace
"$PY" - "$TMP/c.json" <<'PYEOF' && pass "chrome: a trace without times gets event positions" ||
import json, sys
d = json.load(open(sys.argv[1]))
xs = [e for e in d["traceEvents"] if e["ph"] == "X"]
assert [e["ts"] for e in xs[:3]] == [0, 1, 2], [e["ts"] for e in xs[:3]]
assert d["otherData"]["clock"] == "seq"
PYEOF
	fail "chrome: a trace without times gets event positions"

# --- report -------------------------------------------------------------

# self_contained FILE: no network, no other files, valid inlined data.
self_contained() {
	! grep -Eq 'https?://|[[:space:]]src=|href="[^#]' "$1" &&
		"$PY" - "$1" <<'PYEOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script id="sysrep-data" type="application/json">(.*?)</script>', html, re.S)
d = json.loads(m.group(1))
assert d["tree"]["processes"] >= 1 and d["syscalls"] and d["procs"]
PYEOF
}

run "$O" "$E" "$BIN" report "$GCC" -o "$TMP/gcc.html"
[ $rc -eq 0 ] && [ ! -s "$O" ] && self_contained "$TMP/gcc.html" &&
	pass "report of gcc-build: self-contained HTML, data inlined" ||
	fail "report of gcc-build: self-contained HTML, data inlined" "exit $rc: $(head -n 1 "$E")"

run "$O" "$E" "$BIN" report corpus/bench/bench-mixed.strace.zst -o "$TMP/bench.html"
size=$(stat -c %s "$TMP/bench.html" 2>/dev/null || echo 0)
[ $rc -eq 0 ] && [ "$size" -gt 50000 ] && [ "$size" -lt 1000000 ] && self_contained "$TMP/bench.html" &&
	pass "report of the bench trace: self-contained, $size bytes (< 1 MB)" ||
	fail "report of the bench trace" "exit $rc, $size bytes: $(head -n 1 "$E")"

# In a real browser, when there is one: no script error, the page drawn.
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
	chr() {
		timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
			--disable-background-networking --disable-component-update --disable-sync \
			--no-first-run --user-data-dir="$TMP/chr" --enable-logging=stderr --v=0 "$@"
	}
	chr --dump-dom "file://$TMP/bench.html" >"$TMP/dom.html" 2>"$TMP/chr.err"
	if grep -q 'data-sysrep-ok="' "$TMP/dom.html" && ! grep -q 'data-sysrep-error="' "$TMP/dom.html"; then
		pass "report loads in chromium without script errors ($(grep -o 'data-sysrep-ok="[^"]*"' "$TMP/dom.html") ms)"
	else
		fail "report loads in chromium without script errors" \
			"$(grep -o '<div id="sysrep-error"[^<]*' "$TMP/dom.html" | head -n 1)"
	fi
	chr --screenshot="$TMP/report.png" --window-size=1400,2000 "file://$TMP/bench.html" \
		>/dev/null 2>&1
	[ -s "$TMP/report.png" ] && pass "report screenshot taken in chromium" ||
		fail "report screenshot taken in chromium"
else
	echo "SKIP report in a browser: no $CHROMIUM"
fi
