# old_strace.sh - the old-strace corpus (corpus/old/, traces recorded with
# strace 4.x built from source; see corpus/old/README.md and
# docs/strace-grammar.md).  Sourced by tests/e2e.sh.
#
# For every file: every line is understood (no unparsed line, no line kept
# verbatim), and the text comes back byte for byte from strace itself and
# through every lossless format (jsonl, pb, msgpack, the archive), and from
# the parallel reader (-j 2 with small chunks).

for f in corpus/old/*.strace; do
	[ -f "$f" ] || continue
	run "$O" "$E" "$BIN" stats --json "$f"
	got=$(jq -r '"\(.lines) \(.unparsed) \(.verbatim)"' "$O" 2>&1)
	read -r lines unparsed verbatim <<<"$got"
	want=$(wc -l <"$f" | tr -d ' ')
	[ $rc -eq 0 ] && [ "$lines" = "$want" ] && [ "$unparsed" = 0 ] && [ "$verbatim" = 0 ] &&
		pass "old strace: every line typed: $f ($lines lines)" ||
		fail "old strace: every line typed: $f" "exit $rc, $got (lines unparsed verbatim)"
	run "$O" "$E" "$BIN" convert -t strace "$f"
	[ $rc -eq 0 ] && cmp -s "$O" "$f" && pass "old strace: round trip $f" ||
		fail "old strace: round trip $f" "exit $rc: $(cmp "$O" "$f" 2>&1)"
	for t in jsonl pb msgpack sra; do
		"$BIN" convert -o "$TMP/old.$t" "$f" 2>"$E" &&
			"$BIN" convert -f "${t/sra/archive}" -t strace "$TMP/old.$t" >"$O" 2>>"$E"
		rc=$?
		[ $rc -eq 0 ] && cmp -s "$O" "$f" && pass "old strace: round trip through $t: $f" ||
			fail "old strace: round trip through $t: $f" "exit $rc: $(first_line "$E")"
	done
	run "$O" "$E" "$BIN" convert -t strace -j 2 --chunk 4096 "$f"
	[ $rc -eq 0 ] && cmp -s "$O" "$f" && pass "old strace: -j 2 round trip $f" ||
		fail "old strace: -j 2 round trip $f" "exit $rc: $(first_line "$E")"
done
