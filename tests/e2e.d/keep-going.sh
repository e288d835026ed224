# keep-going.sh - issue 20: nothing read before an error is dropped.
# Without --keep-going the first error stops the run with its file and
# position (exit 1; stdout has the records before it, -o is not written).
# With it, a bad line of JSON Lines becomes an "unparsed" record and the
# rest is converted; a corrupt binary input (pb, msgpack, archive, scap)
# keeps the records before the corrupt byte and says how many, exit 1.
# Sourced by tests/e2e.sh (see README here).

# shellcheck shell=bash disable=SC2015
KG=$TMP/keep-going
mkdir -p "$KG"
KGT=corpus/ls-plain.strace
"$BIN" convert -q -o "$KG/all.jsonl" "$KGT"
KGN=$(wc -l <"$KG/all.jsonl")

# kg_check NAME STATUS STDERR CMD...: exit STATUS and stderr exactly STDERR
kg_check() {
	local name=$1 want=$2 text=$3
	shift 3
	run "$KG/o" "$KG/e" "$@"
	printf '%b\n' "$text" >"$KG/want"
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, want $want: $(first_line "$KG/e")"
	elif ! cmp -s "$KG/want" "$KG/e"; then
		fail "$name" "stderr: $(head -c 400 "$KG/e")"
	else
		pass "$name"
	fi
}

# --- JSON Lines: a line that is not JSON, line 200 of KGN ---------------------
{ head -n 199 "$KG/all.jsonl"; echo '{"type":"syscall", x}'; tail -n +201 "$KG/all.jsonl"; } >"$KG/bad.jsonl"
kg_check "JSON Lines, a bad line: the first error stops, file line col" 1 \
	"sysrep: cannot parse: file=$KG/bad.jsonl line=200 col=20: string or '}' expected near 'x'" \
	"$BIN" convert "$KG/bad.jsonl"
head -n 199 "$KG/all.jsonl" | cmp -s - "$KG/o" && pass "JSON Lines, a bad line: stdout has the 199 records before it" ||
	fail "JSON Lines, a bad line: stdout has the 199 records before it" "$(wc -l <"$KG/o") lines"
rm -f "$KG/bad.out"
"$BIN" convert -o "$KG/bad.out" "$KG/bad.jsonl" 2>/dev/null
[ ! -e "$KG/bad.out" ] && pass "JSON Lines, a bad line: -o is not written" ||
	fail "JSON Lines, a bad line: -o is not written"
kg_check "JSON Lines, a bad line, --keep-going: converted, one warning" 0 \
	"sysrep: warning: 1 unparsed line (kept as \"unparsed\" records), the first at file=$KG/bad.jsonl line=200; -q hides this, --strict makes it an error" \
	"$BIN" convert --keep-going -o "$KG/kg.jsonl" "$KG/bad.jsonl"
# every other record as without the bad line, the bad line as unparsed
if [ "$(wc -l <"$KG/kg.jsonl")" -eq "$KGN" ] &&
	[ "$(sed -n 200p "$KG/kg.jsonl")" = '{"type":"unparsed","line":200,"text":"{\"type\":\"syscall\", x}"}' ] &&
	cmp -s <(sed 200d "$KG/kg.jsonl") <(sed 200d "$KG/all.jsonl"); then
	pass "JSON Lines, a bad line, --keep-going: every good record kept, the bad one unparsed with its line"
else
	fail "JSON Lines, a bad line, --keep-going: every good record kept, the bad one unparsed with its line" \
		"$(sed -n 200p "$KG/kg.jsonl" | cut -c 1-120)"
fi
"$BIN" convert -q --keep-going -t strace "$KG/bad.jsonl" | sed -n 200p | grep -qxF '{"type":"syscall", x}' &&
	pass "JSON Lines, a bad line, --keep-going -t strace: the line is written back as it was" ||
	fail "JSON Lines, a bad line, --keep-going -t strace: the line is written back as it was"
kg_check "JSON Lines, a bad line, --keep-going --strict: exit 1" 1 \
	"sysrep: cannot parse every line (--strict): file=$KG/bad.jsonl line=200: 1 unparsed line, the first at line 200" \
	"$BIN" convert -q --strict --keep-going -o "$KG/kg.jsonl" "$KG/bad.jsonl"

# a value of the wrong type, and a cut last line without its newline
{ head -n 9 "$KG/all.jsonl"; echo '{"type":"syscall","syscall":"close","pid":"abc"}'; sed -n 11,20p "$KG/all.jsonl"; printf '{"type":"sysc'; } >"$KG/types.jsonl"
kg_check "JSON Lines, a wrong type, --keep-going: unparsed like a bad line" 0 \
	"sysrep: warning: 2 unparsed lines (kept as \"unparsed\" records), the first at file=$KG/types.jsonl line=10; -q hides this, --strict makes it an error" \
	"$BIN" convert --keep-going -o "$KG/types.out.jsonl" "$KG/types.jsonl"
[ "$(jq -r 'select(.type=="unparsed") | .line' "$KG/types.out.jsonl" | tr '\n' ' ')" = "10 21 " ] &&
	[ "$(jq -c 'select(.type!="unparsed")' "$KG/types.out.jsonl" | wc -l)" -eq 19 ] &&
	pass "JSON Lines, a wrong type and a cut last line: lines 10 and 21 unparsed, 19 kept" ||
	fail "JSON Lines, a wrong type and a cut last line: lines 10 and 21 unparsed, 19 kept"
"$BIN" stats --json --keep-going "$KG/types.jsonl" 2>/dev/null |
	jq -e '.lines == 21 and .unparsed == 2' >/dev/null &&
	pass "JSON Lines, --keep-going: stats counts the unparsed lines" ||
	fail "JSON Lines, --keep-going: stats counts the unparsed lines"
# a JSON array is not line-based: a syntax error still stops it
{ echo '['; head -n 3 "$KG/all.jsonl" | paste -sd, -; echo ', x]'; } >"$KG/arr.json"
kg_check "a JSON array with a syntax error stops, also with --keep-going" 1 \
	"sysrep: cannot parse: file=$KG/arr.json line=3 col=3: '[' or '{' expected near 'x'\nsysrep: --keep-going: file=$KG/arr.json: 3 records before the error kept, the rest of the input from there lost\nsysrep: 1 of 1 inputs failed (--keep-going: the others were converted)" \
	"$BIN" convert --keep-going -o "$KG/arr.out.jsonl" "$KG/arr.json"

# --- binary inputs cut short or damaged: the records before are kept ------------
# kg_binary NAME FILE: without --keep-going, exit 1, one message with the
# byte offset, stdout the records before it; with it, the same records in
# -o, the count on a second line, exit 1.  The records kept must be a
# prefix of the whole input's, and at least one.
kg_binary() {
	local name=$1 f=$2 whole=$3 n
	run "$KG/o" "$KG/e" "$BIN" convert -t jsonl "$f"
	n=$(wc -l <"$KG/o")
	if [ "$rc" -eq 1 ] && [ "$(wc -l <"$KG/e")" -eq 1 ] && grep -qE "file=$f.*byte[= ][0-9]+" "$KG/e" &&
		[ "$n" -gt 0 ] && head -n "$n" "$whole" | cmp -s - "$KG/o"; then
		pass "$name: stops at the error with its byte offset, stdout has the $n records before"
	else
		fail "$name: stops at the error with its byte offset, stdout has the records before" \
			"exit $rc, $n records: $(first_line "$KG/e")"
	fi
	run "$KG/o2" "$KG/e" "$BIN" convert --keep-going -o "$KG/kg.out.jsonl" "$f"
	if [ "$rc" -eq 1 ] && cmp -s "$KG/kg.out.jsonl" "$KG/o" &&
		sed -n 2p "$KG/e" | grep -qxF "sysrep: --keep-going: file=$f: $n records before the error kept, the rest of the input from there lost"; then
		pass "$name, --keep-going: -o keeps the $n records, says so, exit 1"
	else
		fail "$name, --keep-going: -o keeps the records, says so, exit 1" "exit $rc: $(tr '\n' '|' <"$KG/e")"
	fi
}
for t in pb msgpack; do
	"$BIN" convert -q -t "$t" -o "$KG/a.$t" "$KGT"
	s=$(stat -c %s "$KG/a.$t")
	head -c $((s * 2 / 3)) "$KG/a.$t" >"$KG/cut.$t"
	kg_binary "a cut $t" "$KG/cut.$t" "$KG/all.jsonl"
	# a byte in the middle changed to a length far beyond the input
	"$PY" -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[len(d) // 2:len(d) // 2 + 16] = b"\xff" * 16; sys.stdout.buffer.write(d)' \
		"$KG/a.$t" >"$KG/flip.$t"
done
kg_binary "a damaged pb" "$KG/flip.pb" "$KG/all.jsonl"
"$BIN" convert -q -t archive -O block=100 -o "$KG/a.sra" "$KGT"
head -c $(($(stat -c %s "$KG/a.sra") * 2 / 3)) "$KG/a.sra" >"$KG/cut.sra"
kg_binary "a cut archive (blocks of 100)" "$KG/cut.sra" "$KG/all.jsonl"
KGS=corpus/scap/curl_google.scap
"$BIN" convert -q "$KGS" >"$KG/scap.jsonl"
zcat -f "$KGS" >"$KG/c.scap"
head -c $(($(stat -c %s "$KG/c.scap") / 2)) "$KG/c.scap" >"$KG/cut.scap"
kg_binary "a cut scap capture" "$KG/cut.scap" "$KG/scap.jsonl"
# several inputs: the cut one keeps its head, the next is converted whole
run "$KG/o" "$KG/e" "$BIN" convert --keep-going -t strace -o "$KG/two.strace" "$KG/cut.pb" "$KGT"
n=$(sed -n 2p "$KG/e" | sed -E 's/.*: ([0-9]+) records.*/\1/')
if [ "$rc" -eq 1 ] && cmp -s "$KG/two.strace" <(head -n "$n" "$KGT"; cat "$KGT") &&
	[ "$(sed -n 3p "$KG/e")" = "sysrep: 1 of 2 inputs failed (--keep-going: the others were converted)" ]; then
	pass "--keep-going, a cut pb then a whole trace: the head of one, all of the other"
else
	fail "--keep-going, a cut pb then a whole trace: the head of one, all of the other" "exit $rc: $(tr '\n' '|' <"$KG/e")"
fi
