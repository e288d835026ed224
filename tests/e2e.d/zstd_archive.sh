# zstd_archive.sh - compressed output (-z, --threads, .zst names) and the
# archive format: sourced by tests/e2e.sh (see README here).
# shellcheck shell=bash disable=SC2015

ZLS=corpus/ls-plain.strace
"$BIN" convert -t jsonl "$ZLS" >"$TMP/z-plain.jsonl" 2>/dev/null

if command -v zstd >/dev/null; then
	# -z, -zLEVEL, --zstd=LEVEL, --threads: zstd -dc gives the plain output
	for zopt in "-z" "-z19" "--zstd=1" "--threads 2" "-z3 --threads 2"; do
		# shellcheck disable=SC2086
		run "$TMP/z.out" "$TMP/z.err" "$BIN" convert -t jsonl $zopt "$ZLS"
		if [ "$rc" -eq 0 ] && zstd -q -dc "$TMP/z.out" 2>/dev/null | cmp -s - "$TMP/z-plain.jsonl"; then
			pass "convert $zopt: zstd -dc gives the uncompressed output"
		else
			fail "convert $zopt: zstd -dc gives the uncompressed output" "exit $rc: $(first_line "$TMP/z.err")"
		fi
	done
	# .zst output names: compressed, the writer from the extension before .zst
	run "$O" "$E" "$BIN" convert -o "$TMP/ls.jsonl.zst" "$ZLS"
	[ "$rc" -eq 0 ] && zstd -q -dc "$TMP/ls.jsonl.zst" | cmp -s - "$TMP/z-plain.jsonl" &&
		pass "-o x.jsonl.zst writes zstd-compressed JSON Lines" ||
		fail "-o x.jsonl.zst writes zstd-compressed JSON Lines" "exit $rc: $(first_line "$E")"
	run "$O" "$E" "$BIN" convert --threads 2 -o "$TMP/ls.strace.zst" "$ZLS"
	[ "$rc" -eq 0 ] && zstd -q -dc "$TMP/ls.strace.zst" | cmp -s - "$ZLS" &&
		pass "-o x.strace.zst --threads 2 round-trips the text" ||
		fail "-o x.strace.zst --threads 2 round-trips the text" "exit $rc: $(first_line "$E")"
	# and sysrep reads its own compressed output back
	run "$O" "$E" "$BIN" convert -t strace "$TMP/ls.strace.zst"
	[ "$rc" -eq 0 ] && cmp -s "$O" "$ZLS" && pass "sysrep reads its .zst output" ||
		fail "sysrep reads its .zst output" "exit $rc: $(first_line "$E")"
	# truncated zstd input: exit 1 naming the file and the offset
	head -c 300 "$TMP/ls.strace.zst" >"$TMP/cut.strace.zst"
	run "$O" "$E" "$BIN" convert -t strace "$TMP/cut.strace.zst"
	[ "$rc" -eq 1 ] && grep -q "file=$TMP/cut.strace.zst" "$E" && grep -q "byte 300" "$E" &&
		pass "truncated zstd input: exit 1, file and offset" ||
		fail "truncated zstd input: exit 1, file and offset" "exit $rc: $(first_line "$E")"
fi
gzip -c "$ZLS" | head -c 500 >"$TMP/cut.strace.gz"
run "$O" "$E" "$BIN" convert -t strace "$TMP/cut.strace.gz"
[ "$rc" -eq 1 ] && grep -q "file=$TMP/cut.strace.gz" "$E" && grep -q "byte 500" "$E" &&
	pass "truncated gzip input: exit 1, file and offset" ||
	fail "truncated gzip input: exit 1, file and offset" "exit $rc: $(first_line "$E")"
for zopt in "-z0" "-z23" "--threads x" "--threads -1"; do
	# shellcheck disable=SC2086
	expect "'convert $zopt' is a usage error" 2 "$BIN" convert $zopt "$ZLS"
done

# The archive: byte-identical round trip of every corpus trace.
n_ok=0 n_bad=0
for f in corpus/*.strace corpus/perpid/* corpus/gen/* corpus/old/*.strace corpus/flagsets/*.strace; do
	[ -f "$f" ] || continue
	if "$BIN" convert -t archive -o "$TMP/rt.sra" "$f" 2>"$E" &&
		"$BIN" convert -t strace "$TMP/rt.sra" >"$TMP/rt.strace" 2>"$E" &&
		cmp -s "$TMP/rt.strace" "$f"; then
		n_ok=$((n_ok + 1))
	else
		n_bad=$((n_bad + 1))
		fail "archive round trip $f" "$(first_line "$E")"
	fi
done
[ "$n_bad" -eq 0 ] && pass "archive round trip is byte-identical on all $n_ok corpus traces"

# -o x.sra picks the archive; it is detected on input; stats agree
run "$O" "$E" "$BIN" convert -o "$TMP/ls.sra" "$ZLS"
[ "$rc" -eq 0 ] && [ "$(head -c 4 "$TMP/ls.sra" | tail -c 3)" = "SRA" ] &&
	pass "-o x.sra writes an archive" || fail "-o x.sra writes an archive" "exit $rc"
"$BIN" stats --json "$ZLS" >"$TMP/st1" 2>/dev/null
"$BIN" stats --json "$TMP/ls.sra" >"$TMP/st2" 2>/dev/null
[ "$(jq -c 'del(.bytes)' "$TMP/st1")" = "$(jq -c 'del(.bytes)' "$TMP/st2")" ] &&
	pass "stats of an archive equal the stats of its trace" ||
	fail "stats of an archive equal the stats of its trace"
"$BIN" convert -t jsonl "$TMP/ls.sra" >"$O" 2>"$E"
cmp -s "$O" "$TMP/z-plain.jsonl" && pass "archive -> jsonl equals strace -> jsonl" ||
	fail "archive -> jsonl equals strace -> jsonl" "$(first_line "$E")"
run "$O" "$E" "$BIN" convert -t strace - <"$TMP/ls.sra"
[ "$rc" -eq 0 ] && cmp -s "$O" "$ZLS" && pass "an archive on stdin is detected" ||
	fail "an archive on stdin is detected" "exit $rc: $(first_line "$E")"

# A cut or damaged archive: exit 1, the file and a byte offset in the message.
size=$(stat -c %s "$TMP/ls.sra")
for cut in 5 12 $((size / 2)) $((size - 1)); do
	head -c "$cut" "$TMP/ls.sra" >"$TMP/cut.sra"
	run "$O" "$E" "$BIN" convert -t strace "$TMP/cut.sra"
	[ "$rc" -eq 1 ] && grep -q "file=$TMP/cut.sra" "$E" && grep -q "byte [0-9]" "$E" &&
		pass "archive cut at $cut of $size: exit 1, file and offset" ||
		fail "archive cut at $cut of $size: exit 1, file and offset" "exit $rc: $(first_line "$E")"
done
"$PY" - "$TMP/ls.sra" "$TMP/bad.sra" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[len(d) // 2] ^= 0xff
open(sys.argv[2], 'wb').write(d)
EOF
run "$O" "$E" "$BIN" convert -t strace "$TMP/bad.sra"
[ "$rc" -eq 1 ] && grep -q "file=$TMP/bad.sra" "$E" && grep -q "byte [0-9]" "$E" &&
	pass "damaged archive: exit 1, file and offset" ||
	fail "damaged archive: exit 1, file and offset" "exit $rc: $(first_line "$E")"
