# csv_json.sh - the CSV writer, the JSON readers and format detection.
#
# Sourced by tests/e2e.sh (see README here): uses pass/fail/run/expect and
# BIN ROOT TMP PY.
#   - every corpus file: CSV loads in pandas with numeric pid/return/duration
#     and one row per event (events + unparsed of stats --json); its args
#     cell is the jsonl record's args, the same members in the same order;
#   - every corpus file: strace -> jsonl -> strace and strace -> json ->
#     strace give back the input bytes;
#   - the JSON samples in tests/data/ (strace -B json as array and lines,
#     posix-omni-parser) convert to every writer, found without -f;
#   - bad JSON: "cannot parse: file=F line=L col=C: ...", exit 1;
#   - -o x.csv / x.json pick their writers, --columns orders the columns.

# shellcheck shell=bash disable=SC2015
mkdir -p "$TMP/csv"
: >"$TMP/csv/want"
for f in corpus/*.strace corpus/perpid/*; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	n=$("$BIN" stats --json "$f" | jq '.events + .unparsed')
	if ! "$BIN" convert -t csv -o "$TMP/csv/$b.csv" "$f" 2>"$TMP/e"; then
		fail "csv $f" "$(first_line "$TMP/e")"
		continue
	fi
	echo "$TMP/csv/$b.csv $n" >>"$TMP/csv/want"

	run "$TMP/rt.jsonl" "$TMP/e" "$BIN" convert -t jsonl "$f"
	cp "$TMP/rt.jsonl" "$TMP/csv/$b.jsonl"
	"$BIN" convert -f jsonl -t strace "$TMP/rt.jsonl" >"$TMP/rt.strace" 2>>"$TMP/e"
	if cmp -s "$TMP/rt.strace" "$f"; then
		pass "jsonl round trip $f"
	else
		fail "jsonl round trip $f" "$(cmp "$TMP/rt.strace" "$f" 2>&1) $(first_line "$TMP/e")"
	fi
	"$BIN" convert -t json "$f" 2>"$TMP/e" | "$BIN" convert -t strace >"$TMP/rt.strace" 2>>"$TMP/e"
	if cmp -s "$TMP/rt.strace" "$f"; then
		pass "json array round trip (detected) $f"
	else
		fail "json array round trip (detected) $f" "$(cmp "$TMP/rt.strace" "$f" 2>&1)"
	fi
done

# One Python run for all the CSV files: pandas is slow to import.
"$PY" - "$TMP/csv/want" >"$TMP/csv/out" 2>&1 <<'PYEOF'
import sys
import pandas as pd
from pandas.api.types import is_numeric_dtype

import csv, json
pairs = lambda text: json.loads(text, object_pairs_hook=list)
for line in open(sys.argv[1]):
    path, want = line.split()
    name = path.rsplit("/", 1)[-1]
    try:
        df = pd.read_csv(path)
    except Exception as e:
        print("FAIL csv pandas %s -- %s" % (name, str(e).splitlines()[0]))
        continue
    # args: the record's, compact, members in order (csv module: no guesses)
    recs = [pairs(l) for l in open(path[:-4] + ".jsonl", encoding="utf-8", errors="replace")]
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8", errors="replace")))
    bad = [i for i, (r, row) in enumerate(zip(recs, rows))
           if (dict(r)["type"] in ("syscall", "unfinished")) !=
           (row["args"] != "") or (row["args"] and pairs(row["args"]) != dict(r)["args"])]
    if bad or len(recs) != len(rows):
        print("FAIL csv args %s -- row %s: %s" % (name, bad[:1], rows[bad[0]]["args"][:100] if bad else len(rows)))
    else:
        print("PASS csv args %s: the jsonl record's args, in order (%d rows)" % (name, len(rows)))
    bad = [c for c in ("pid", "return", "duration", "nr", "time")
           if c in df and not is_numeric_dtype(df[c])]
    if len(df) != int(want):
        print("FAIL csv pandas %s -- %d rows, want %s" % (name, len(df), want))
    elif bad:
        print("FAIL csv pandas %s -- not numeric: %s" % (name, ",".join(
            "%s=%s" % (c, df[c].dtype) for c in bad)))
    else:
        print("PASS csv pandas %s (%d rows, pid %s, return %s)" % (
            name, len(df), df["pid"].dtype, df["return"].dtype))
PYEOF
while read -r verdict rest; do
	case $verdict in
	PASS) pass "$rest" ;;
	FAIL) fail "$rest" ;;
	*) fail "csv pandas" "$verdict $rest" ;;
	esac
done <"$TMP/csv/out"

# --columns and -O columns=: the header is the list, in order.
LS=corpus/ls-plain.strace
run "$O" "$E" "$BIN" convert -t csv --columns pid,syscall,time "$LS"
[ $rc -eq 0 ] && [ "$(head -n 1 "$O")" = "pid,syscall,time" ] &&
	pass "--columns chooses and orders the CSV columns" ||
	fail "--columns chooses and orders the CSV columns" "exit $rc: $(head -n 1 "$O")"
run "$O" "$E" "$BIN" convert -t csv -O columns=syscall,return "$LS"
[ $rc -eq 0 ] && [ "$(head -n 1 "$O")" = "syscall,return" ] &&
	pass "-O columns= chooses the CSV columns" || fail "-O columns= chooses the CSV columns"
expect "an unknown CSV column is a usage error" 2 "$BIN" convert -t csv --columns pid,bogus "$LS"

# An argument's name is a column holding the JSON record's args[name]: a
# string as itself, a number in decimal, an object as compact JSON.
NAMED=corpus/threads-f-ttt-T-y.strace
"$BIN" convert -t jsonl "$NAMED" >"$TMP/named.jsonl" &&
	"$BIN" convert -t csv --columns syscall,dirfd,pathname,flags,count "$NAMED" >"$TMP/named.csv"
rc=$?
if [ $rc -eq 0 ] && "$PY" - "$TMP/named.jsonl" "$TMP/named.csv" <<'PYEOF'; then
import csv, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(rows) == len(recs), (len(rows), len(recs))
seen = 0
for r, row in zip(recs, rows):
    args = r.get("args") if r.get("type") in ("syscall", "unfinished") else None
    for k in ("dirfd", "pathname", "flags", "count"):
        v = args.get(k) if isinstance(args, dict) else None
        want = "" if v is None else v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
        got = row[k]
        if isinstance(v, dict) or isinstance(v, list):
            assert json.loads(got) == v, (k, got, v)
        else:
            assert got == want, (k, got, want)
        seen += v is not None
assert seen > 100, seen
PYEOF
	pass "csv: argument columns (dirfd,pathname,flags,count) hold the JSON record's args"
else
	fail "csv: argument columns hold the JSON record's args" "exit $rc"
fi
# arg0..arg5: a string is its text, without strace's C quotes; bytes that
# are not UTF-8 keep strace's escaped spelling (pandas reads UTF-8)
printf 'openat(AT_FDCWD, "/tmp/a \\"q\\",b", O_RDONLY) = 3\nwrite(1, "\\xff\\xfe", 2) = 2\n' >"$TMP/cq.strace"
run "$O" "$E" "$BIN" convert -t csv --columns syscall,arg1 "$TMP/cq.strace"
if [ $rc -eq 0 ] && "$PY" -c '
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
assert df["arg1"][0] == "/tmp/a \"q\",b", df["arg1"][0]
assert df["arg1"][1] == "\"\\xff\\xfe\"", df["arg1"][1]
' "$O" 2>"$E"; then
	pass "csv: string arguments lose strace's C quotes; non-UTF-8 bytes stay escaped"
else
	fail "csv: string arguments lose strace's C quotes" "$(tail -n 2 "$E" | tr '\n' ' ')"
fi
expect "csv: a misspelt argument column is a usage error" 2 \
	"$BIN" convert -t csv --columns syscall,pathnme "$LS"

# The extension of -o picks the writer.
run "$O" "$E" "$BIN" convert -o "$TMP/x.csv" "$LS"
[ $rc -eq 0 ] && head -n 1 "$TMP/x.csv" | grep -q '^time,pid,type,syscall' &&
	pass "-o x.csv picks the csv writer" || fail "-o x.csv picks the csv writer" "exit $rc"
run "$O" "$E" "$BIN" convert -o "$TMP/x.json" "$LS"
[ $rc -eq 0 ] && jq -e 'type == "array" and length > 0' "$TMP/x.json" >/dev/null &&
	pass "-o x.json picks the json (array) writer" ||
	fail "-o x.json picks the json (array) writer" "exit $rc"

# Every JSON shape, detected without -f, to every writer.
writers=$("$BIN" formats | sed -n '/^Writers/,$p' | awk 'NR > 1 { print $1 }')
for f in tests/data/strace-bjson.json tests/data/strace-bjson.jsonl tests/data/posix-omni.json; do
	want=$(jq -s 'if length == 1 and (.[0] | type) == "array" then .[0] | length else length end' "$f")
	run "$O" "$E" "$BIN" stats --json "$f"
	[ $rc -eq 0 ] && [ "$(jq .events "$O")" = "$want" ] && [ "$(jq -r .per_file "$O")" = null ] &&
		pass "$f: detected, $want events" || fail "$f: detected, $want events" "exit $rc: $(first_line "$E")"
	for w in $writers; do
		run "$O" "$E" "$BIN" convert -t "$w" "$f"
		[ $rc -eq 0 ] && [ -s "$O" ] && pass "$f converts to $w" ||
			fail "$f converts to $w" "exit $rc: $(first_line "$E")"
	done
done
run "$O" "$E" "$BIN" convert -t csv tests/data/posix-omni.json
if [ $rc -eq 0 ] && "$PY" -c '
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
assert list(df["pid"]) == [2704] * 6 + [2705], df["pid"]
assert list(df["return"]) == [0, 3, 1024, 0x7f3c2a1b4000, -1, 0, 2705], df["return"]
assert df["arg1"][1] == "/etc/passwd" and df["arg2"][1] == "O_RDONLY|O_CLOEXEC"
assert df["errno"][4] == "ENOENT"
' "$O" 2>"$E"; then
	pass "posix-omni-parser values are typed again (pid, return, strings, flags, errno)"
else
	fail "posix-omni-parser values are typed again" "$(tail -n 1 "$E")"
fi
"$BIN" convert -t jsonl tests/data/strace-bjson.json >"$O" 2>"$E"
if [ "$(jq -c 'select(.syscall == "mmap") | [.args.length, .args.prot.names[0], .return]' "$O")" = '[8192,"PROT_READ",129454751137792]' ]; then
	pass "strace -B json integers-as-strings become integers"
else
	fail "strace -B json integers-as-strings become integers" "$(grep mmap "$O" | head -c 200)"
fi

# Bad JSON: one line naming file, line and column; exit 1.
(cd tests/data && exec "$BIN" convert -t strace bad-missing-comma.json) >"$O" 2>"$E"
rc=$?
msg=$(cat "$E")
want="sysrep: cannot parse: file=bad-missing-comma.json line=3 col=27: '}' expected near '\"args\"'"
[ $rc -eq 1 ] && [ "$msg" = "$want" ] && pass "bad JSON: exit 1 and '$want'" ||
	fail "bad JSON: exit 1 and '$want'" "exit $rc: '$msg'"
printf '{"type":"exit","line":1,"status":0}\n{"type":"exit",\n' >"$TMP/cut.jsonl"
run "$O" "$E" "$BIN" convert -f json "$TMP/cut.jsonl"
[ $rc -eq 1 ] && grep -q "line=3" "$E" && grep -q "cannot parse" "$E" &&
	pass "JSON cut short: exit 1 with the line" || fail "JSON cut short: exit 1 with the line" "exit $rc: $(first_line "$E")"
