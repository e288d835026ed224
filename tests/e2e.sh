#!/usr/bin/env bash
# e2e.sh - end-to-end tests of the sysrep command line.
#
#   bash tests/e2e.sh ./sysrep
#
# For every trace in corpus/ (and corpus/perpid/):
#   (a) stats --json: lines == wc -l, and events + unparsed + attached == lines
#   (b) convert -t jsonl: every output line is JSON; output lines == events + unparsed
#   (c) convert -t strace: the output is byte-identical to the input (round trip)
# then the CLI contract: --version, --help, exit statuses 0/1/2, error
# messages, formats, stdin, -o, --strict, several inputs, a jq query.
#
# Prints PASS/FAIL per check and ends with "N passed, N failed"; exits 1
# when any check failed.

# pass() always succeeds, so "A && pass || fail" is an if-then-else here.
# shellcheck disable=SC2015,SC2012
set -u
export LC_ALL=C

if [ $# -ne 1 ]; then
	echo "usage: bash tests/e2e.sh PATH/TO/sysrep" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
cd "$ROOT" || exit 2
if [ ! -x "$BIN" ]; then
	echo "e2e: $BIN is not executable" >&2
	exit 2
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0

pass() {
	passed=$((passed + 1))
	echo "PASS $1"
}

# fail NAME [WHY]
fail() {
	failed=$((failed + 1))
	echo "FAIL $1${2:+ -- $2}"
}

# run OUT ERR CMD...: runs CMD with stdout/stderr to files; sets rc.
run() {
	local out=$1 err=$2
	shift 2
	"$@" >"$out" 2>"$err"
	rc=$?
}

first_line() {
	head -n 1 "$1" | cut -c 1-200
}

# Validates a JSON Lines file: prints its line count, or fails with the
# first bad line.
jsonl_count() {
	"$PY" - "$1" <<'EOF'
import json, sys
n = 0
with open(sys.argv[1], 'rb') as f:
    for n, raw in enumerate(f, 1):
        try:
            v = json.loads(raw)
        except ValueError as e:
            sys.exit("line %d: %s" % (n, e))
        if not isinstance(v, dict):
            sys.exit("line %d: not an object" % n)
print(n)
EOF
}

# ------------------------------------------------------------------
# Per-file checks

check_stats() { # FILE
	local f=$1 want got
	run "$TMP/stats.json" "$TMP/err" "$BIN" stats --json "$f"
	if [ $rc -ne 0 ]; then
		fail "stats $f" "exit $rc: $(first_line "$TMP/err")"
		return
	fi
	want=$(wc -l <"$f" | tr -d ' ')
	got=$(jq -r '"\(.lines) \(.events) \(.unparsed) \(.attached) \(.verbatim)"' "$TMP/stats.json" 2>&1)
	read -r lines events unparsed attached verbatim <<<"$got"
	if [ "$lines" != "$want" ]; then
		fail "stats $f" "lines $lines, wc -l $want"
	elif [ $((events + unparsed + attached)) != "$lines" ]; then
		fail "stats $f" "events $events + unparsed $unparsed + attached $attached != lines $lines"
	elif [ "$unparsed" != 0 ] || [ "$verbatim" != 0 ]; then
		# the corpus is real strace output: every line must be understood
		fail "stats $f" "$unparsed unparsed, $verbatim verbatim (want 0 and 0)"
	else
		pass "stats $f ($lines lines, $unparsed unparsed)"
	fi
}

check_jsonl() { # FILE (uses $events $unparsed from check_stats)
	local f=$1 n
	run "$TMP/out.jsonl" "$TMP/err" "$BIN" convert -t jsonl "$f"
	if [ $rc -ne 0 ]; then
		fail "jsonl $f" "exit $rc: $(first_line "$TMP/err")"
		return
	fi
	if ! n=$(jsonl_count "$TMP/out.jsonl" 2>&1); then
		fail "jsonl $f" "invalid JSON: $n"
	elif [ "$n" != $((events + unparsed)) ]; then
		fail "jsonl $f" "$n lines, events + unparsed = $((events + unparsed))"
	else
		pass "jsonl $f ($n lines)"
	fi
}

check_roundtrip() { # FILE
	local f=$1 diff
	run "$TMP/out.strace" "$TMP/err" "$BIN" convert -t strace "$f"
	if [ $rc -ne 0 ]; then
		fail "roundtrip $f" "exit $rc: $(first_line "$TMP/err")"
	elif ! diff=$(cmp "$TMP/out.strace" "$f" 2>&1); then
		fail "roundtrip $f" "$diff"
	else
		pass "roundtrip $f"
	fi
}

# E2E_PARTS="agree pb_msgpack": only those parts of tests/e2e.d, without the
# checks written here (for working on one area; make check runs them all).
ONLY=${E2E_PARTS:-}
[ -n "$ONLY" ] || for f in corpus/*.strace corpus/perpid/* corpus/gen/*; do
	[ -f "$f" ] || continue
	lines=0 events=0 unparsed=0 attached=0
	check_stats "$f"
	check_jsonl "$f"
	check_roundtrip "$f"
done

# ------------------------------------------------------------------
# CLI contract

LS=corpus/ls-plain.strace
O="$TMP/o" E="$TMP/e"

# expect NAME WANT_RC CMD...: checks the exit status only.
expect() {
	local name=$1 want=$2
	shift 2
	run "$O" "$E" "$@"
	if [ "$rc" -eq "$want" ]; then
		pass "$name"
		return 0
	fi
	fail "$name" "exit $rc, want $want: $(first_line "$E")"
	return 1
}

# The two lines of a usage error: "sysrep: ..." then the hint.
usage_shape() {
	[ "$(wc -l <"$E")" -eq 2 ] && grep -q '^sysrep: ' "$E" &&
		[ "$(tail -n 1 "$E")" = "Try 'sysrep --help'." ] && [ ! -s "$O" ]
}

if [ -z "$ONLY" ]; then
if expect "--version exits 0" 0 "$BIN" --version; then
	[ "$(cat "$O")" = "sysrep 0.1.0" ] && pass "--version prints 'sysrep 0.1.0'" ||
		fail "--version prints 'sysrep 0.1.0'" "got '$(first_line "$O")'"
fi

if expect "--help exits 0" 0 "$BIN" --help; then
	grep -q '^Usage: sysrep' "$O" && [ ! -s "$E" ] && pass "--help goes to stdout" ||
		fail "--help goes to stdout"
	cp "$O" "$TMP/help.txt"
fi
if expect "help subcommand exits 0" 0 "$BIN" help; then
	cmp -s "$O" "$TMP/help.txt" && pass "help prints the --help text" ||
		fail "help prints the --help text"
fi
for c in convert stats formats; do
	if expect "$c --help exits 0" 0 "$BIN" "$c" --help; then
		grep -q "^Usage: sysrep $c" "$O" && pass "$c --help shows its usage" ||
			fail "$c --help shows its usage"
	fi
done
expect "help convert exits 0" 0 "$BIN" help convert
expect "no command exits 2" 2 "$BIN"

for args in "convert --bogus" "stats -z" "--bogus" "frobnicate" "convert -o" \
	"convert -t nope $LS" "convert -f nope $LS" "formats extra"; do
	# shellcheck disable=SC2086
	if expect "'sysrep $args' exits 2" 2 "$BIN" $args; then
		usage_shape && pass "'sysrep $args' prints a message and the hint" ||
			fail "'sysrep $args' prints a message and the hint" "$(tr '\n' '|' <"$E")"
	fi
done

# A missing input: one line naming the file, exit 1.
(cd "$TMP" && exec "$BIN" convert x.strace) >"$O" 2>"$E"
rc=$?
msg=$(cat "$E")
want="sysrep: cannot open input: file=x.strace: No such file or directory"
[ $rc -eq 1 ] && [ "$msg" = "$want" ] && pass "missing input: exit 1 and '$want'" ||
	fail "missing input: exit 1 and '$want'" "exit $rc: '$msg'"
expect "stats of a missing input exits 1" 1 "$BIN" stats --json "$TMP/nonexistent" &&
	{ grep -q "file=$TMP/nonexistent" "$E" && pass "stats error names the file" ||
		fail "stats error names the file" "$(first_line "$E")"; }

if expect "formats exits 0" 0 "$BIN" formats; then
	grep -qw strace "$O" && grep -qw jsonl "$O" && pass "formats lists strace and jsonl" ||
		fail "formats lists strace and jsonl" "$(tr '\n' '|' <"$O")"
fi

# stdin, as '-' and by default.
"$BIN" convert -t jsonl "$LS" >"$TMP/ls.jsonl" 2>/dev/null
run "$O" "$E" "$BIN" convert -t jsonl - <"$LS"
[ $rc -eq 0 ] && cmp -s "$O" "$TMP/ls.jsonl" && pass "convert reads stdin as '-'" ||
	fail "convert reads stdin as '-'" "exit $rc"
run "$O" "$E" "$BIN" convert <"$LS"
[ $rc -eq 0 ] && cmp -s "$O" "$TMP/ls.jsonl" && pass "convert defaults to stdin and jsonl" ||
	fail "convert defaults to stdin and jsonl" "exit $rc"
want=$(wc -l <"$LS" | tr -d ' ')
run "$O" "$E" "$BIN" stats --json - <"$LS"
[ $rc -eq 0 ] && [ "$(jq .lines "$O")" = "$want" ] && pass "stats reads stdin" ||
	fail "stats reads stdin" "exit $rc"
gzip -c "$LS" >"$TMP/ls.strace.gz"
run "$O" "$E" "$BIN" convert -t jsonl "$TMP/ls.strace.gz"
[ $rc -eq 0 ] && cmp -s "$O" "$TMP/ls.jsonl" && pass "gzip input is decompressed" ||
	fail "gzip input is decompressed" "exit $rc: $(first_line "$E")"
if command -v zstd >/dev/null; then
	zstd -q -c "$LS" | "$BIN" convert -t jsonl >"$O" 2>"$E"
	cmp -s "$O" "$TMP/ls.jsonl" && pass "zstd input on stdin is decompressed" ||
		fail "zstd input on stdin is decompressed" "$(first_line "$E")"
fi

# -o: the file has what stdout would have had, nothing is left beside it,
# the extension picks the writer, and a failed run leaves an old file alone.
mkdir "$TMP/out"
run "$O" "$E" "$BIN" convert -o "$TMP/out/ls.jsonl" "$LS"
if [ $rc -eq 0 ] && [ ! -s "$O" ] && cmp -s "$TMP/out/ls.jsonl" "$TMP/ls.jsonl" &&
	[ "$(ls -A "$TMP/out")" = "ls.jsonl" ]; then
	pass "-o writes the file and nothing else"
else
	fail "-o writes the file and nothing else" "exit $rc; dir: $(ls -A "$TMP/out" | tr '\n' ' ')"
fi
run "$O" "$E" "$BIN" convert -o "$TMP/out/ls.strace" "$LS"
[ $rc -eq 0 ] && cmp -s "$TMP/out/ls.strace" "$LS" && pass "-o x.strace picks the strace writer" ||
	fail "-o x.strace picks the strace writer" "exit $rc: $(first_line "$E")"
printf 'old\n' >"$TMP/out/keep.jsonl"
run "$O" "$E" "$BIN" convert -o "$TMP/out/keep.jsonl" "$LS" "$TMP/nonexistent"
if [ $rc -eq 1 ] && [ "$(cat "$TMP/out/keep.jsonl")" = old ] &&
	[ "$(ls -A "$TMP/out" | wc -l)" -eq 3 ]; then
	pass "-o is atomic: a failed run keeps the old file"
else
	fail "-o is atomic: a failed run keeps the old file" \
		"exit $rc; dir: $(ls -A "$TMP/out" | tr '\n' ' ')"
fi
expect "-o into a missing directory exits 1" 1 "$BIN" convert -o "$TMP/no/such/dir.jsonl" "$LS"

# Several inputs: one output, in order; stats totals and per_file.
set -- corpus/perpid/*
run "$O" "$E" "$BIN" convert -t strace "$@"
cat "$@" >"$TMP/cat.strace"
[ $rc -eq 0 ] && cmp -s "$O" "$TMP/cat.strace" && pass "convert of several inputs concatenates" ||
	fail "convert of several inputs concatenates" "exit $rc: $(cmp "$O" "$TMP/cat.strace" 2>&1)"
run "$O" "$E" "$BIN" stats --json "$@"
want=$(cat "$@" | wc -l | tr -d ' ')
if [ $rc -eq 0 ] && [ "$(jq '.files' "$O")" = $# ] && [ "$(jq '.lines' "$O")" = "$want" ] &&
	[ "$(jq '.per_file | length' "$O")" = $# ] &&
	[ "$(jq '[.per_file[].lines] | add' "$O")" = "$want" ] &&
	[ "$(jq '[.kinds[]] | add' "$O")" = "$(jq '.events + .unparsed' "$O")" ]; then
	pass "stats of several inputs: totals, kinds and per_file"
else
	fail "stats of several inputs: totals, kinds and per_file" "exit $rc: $(first_line "$E")"
fi
run "$O" "$E" "$BIN" stats "$@"
[ $rc -eq 0 ] && grep -q lines "$O" && grep -q unparsed "$O" && pass "stats prints a table" ||
	fail "stats prints a table" "exit $rc"

# --strict: an unparsed line is exit 1 naming the count and the line; the
# output is still complete.  Without --strict the same input is fine.
{ head -n 5 "$LS"; echo '@@ this is not strace output (('; tail -n 3 "$LS"; } >"$TMP/bad.strace"
run "$O" "$E" "$BIN" convert --strict -t strace "$TMP/bad.strace"
if [ $rc -eq 1 ] && grep -q "line=6" "$E" && grep -q "1 unparsed" "$E" &&
	[ "$(wc -l <"$E")" -eq 1 ] && cmp -s "$O" "$TMP/bad.strace"; then
	pass "--strict fails on an unparsed line, after the output"
else
	fail "--strict fails on an unparsed line, after the output" "exit $rc: $(first_line "$E")"
fi
expect "without --strict an unparsed line is fine" 0 "$BIN" convert "$TMP/bad.strace"
expect "--strict on a clean trace exits 0" 0 "$BIN" convert --strict "$LS"

# The jq query from the README.
paths=$(jq -r 'select(.syscall=="openat") | .args.pathname' "$TMP/ls.jsonl" 2>&1)
if [ -n "$paths" ] && ! grep -qv '^/' <<<"$paths"; then
	pass "jq: openat paths of ls-plain start with / ($(wc -l <<<"$paths") paths)"
else
	fail "jq: openat paths of ls-plain start with /" "$(head -n 1 <<<"$paths")"
fi

fi # ONLY

# More checks, one file per area (formats, tools): each is sourced here and
# uses pass/fail/run/expect and $BIN, $ROOT, $TMP, $PY like the checks above.
for part in "$ROOT"/tests/e2e.d/*.sh; do
	[ -e "$part" ] || continue
	if [ -n "$ONLY" ] && ! grep -qw -- "$(basename "$part" .sh)" <<<"$ONLY"; then
		continue
	fi
	echo "== $(basename "$part")"
	# shellcheck disable=SC1090
	. "$part"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
