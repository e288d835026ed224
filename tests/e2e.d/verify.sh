# verify.sh - the strace reader prints back only the lines its parser
# flagged as spelled in a way the printer might not give back (enum
# sr_doubt); "-O verify=all" prints back every line.  Both must give the
# same events: byte-identical JSON Lines and strace output, on every corpus
# file (corpus/ and the shared corpus), on the fuzzers' strace seeds, and on
# corpus lines respelled by verify_mutate.py (padding, leading zeros,
# escapes, capital hex, tabs, raw bytes, separators, times...), whose strace
# output must also be the input, byte for byte.  Sourced by tests/e2e.sh.

# shellcheck shell=bash disable=SC2015
V=$TMP/verify
mkdir -p "$V"
SHARED_CORPUS=${SHARED_CORPUS:-/work/shared/corpus}

# same_both NAME FILE [ARGS...]: default and verify=all agree on FILE.
same_both() {
	local name=$1 f=$2 t
	shift 2
	for t in jsonl strace; do
		"$BIN" convert -q "$@" -t $t "$f" >"$V/d" 2>"$V/de"
		"$BIN" convert -q "$@" -O verify=all -t $t "$f" >"$V/a" 2>"$V/ae"
		if ! cmp -s "$V/d" "$V/a"; then
			fail "verify: $name: $t with and without verify=all" "$(cmp "$V/d" "$V/a" 2>&1)"
			return 1
		fi
	done
	return 0
}

# all the corpus files in one run per mode and format (fast); when the two
# differ, file by file to name the culprit
mapfile -t vfiles < <(find "$ROOT/corpus" "$SHARED_CORPUS" -type f ! -name '*.md' 2>/dev/null | sort)
vbad=0
for t in jsonl strace; do
	"$BIN" convert -q --keep-going -t $t "${vfiles[@]}" >"$V/d" 2>/dev/null
	"$BIN" convert -q --keep-going -O verify=all -t $t "${vfiles[@]}" >"$V/a" 2>/dev/null
	cmp -s "$V/d" "$V/a" || vbad=1
done
if [ $vbad -ne 0 ]; then
	vbad=0
	for f in "${vfiles[@]}"; do
		same_both "$f" "$f" || vbad=$((vbad + 1))
	done
fi
[ ${#vfiles[@]} -gt 0 ] && [ $vbad -eq 0 ] &&
	pass "verify: ${#vfiles[@]} corpus files read the same with verify=all" ||
	fail "verify: corpus files read the same with verify=all" "$vbad of ${#vfiles[@]} differ"

# the fuzzers' strace seeds, one after the other (compressed ones aside:
# the source would decompress them)
for f in "$ROOT"/tests/fuzz/corpus/strace/* "$ROOT"/tests/fuzz/corpus/roundtrip/* \
	"$ROOT"/tests/fuzz/regress/*/* "$ROOT"/tests/data/*; do
	[ -f "$f" ] || continue
	[ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' ')" = 28b52ffd ] && continue
	[ "$(head -c 2 "$f" | od -An -tx1 | tr -d ' ')" = 1f8b ] && continue
	cat "$f"
	echo
done >"$V/seeds.strace"
same_both "fuzz seeds and tests/data" "$V/seeds.strace" -f strace &&
	pass "verify: fuzz seeds and tests/data ($(wc -l <"$V/seeds.strace") lines) read the same with verify=all"

if n=$("$PY" "$ROOT/tests/e2e.d/verify_mutate.py" "$V/mut.strace" \
	$(find "$ROOT/corpus" -type f -name '*.strace' | sort) 2>"$V/pe"); then
	same_both "respelled lines" "$V/mut.strace" &&
		pass "verify: $n respelled corpus lines read the same with verify=all"
	"$BIN" convert -q -t strace "$V/mut.strace" 2>/dev/null | cmp -s - "$V/mut.strace" &&
		pass "verify: respelled corpus lines: strace round trip" ||
		fail "verify: respelled corpus lines: strace round trip" \
			"$("$BIN" convert -q -t strace "$V/mut.strace" 2>&1 | cmp - "$V/mut.strace" 2>&1)"
else
	fail "verify: verify_mutate.py" "$(first_line "$V/pe")"
fi

expect "verify: a bad verify= value is a usage error" 2 "$BIN" convert -O verify=some -t strace "$ROOT/corpus/ls-plain.strace"
