#!/usr/bin/env bash
# sanitize.sh - the sanitized and leak-checked part of make check.
#
#   bash tests/sanitize.sh build/asan      (make sanitize builds it first)
#
# With the AddressSanitizer + UBSan build in DIR (every report fatal,
# LeakSanitizer at exit):
#   1. the unit tests;
#   2. every fuzz target replayed over tests/fuzz/corpus/<t>/ and
#      tests/fuzz/regress/<t>/ (tests/fuzz/replay.c, no libFuzzer);
#   3. every corpus trace through every writer, and back to strace text
#      through every reader that has a writer (pb, msgpack, jsonl, json,
#      archive): byte-identical; the scap captures through every writer;
#      stats, tree and report of each; two files at a time.
# Then, with the plain build (./sysrep), valgrind --leak-check=full on one
# small conversion per writer and per reader.
# Prints PASS/FAIL per check, ends with "N passed, N failed", exits 1 when
# any check failed.
set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 2
DIR=${1:-build/asan}
SAN=$DIR/sysrep
PLAIN=${PLAIN:-./sysrep}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86:${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86:${UBSAN_OPTIONS:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+ -- $2}"; }

for f in "$SAN" "$DIR/test_sysrep"; do
	[ -x "$f" ] || { echo "sanitize.sh: $f is not built (make asan)" >&2; exit 2; }
done

# 1. unit tests
if "$DIR/test_sysrep" >"$TMP/unit.log" 2>&1; then
	pass "unit tests under ASan+UBSan"
else
	fail "unit tests under ASan+UBSan" "$(grep -m1 -E 'ERROR|runtime error|FAIL|Run Summary' "$TMP/unit.log")"
	tail -n 30 "$TMP/unit.log"
fi

# 2. fuzz corpora and regression inputs
for b in "$DIR"/replay/fuzz_*; do
	t=$(basename "$b")
	n=${t#fuzz_}
	if out=$("$b" "tests/fuzz/corpus/$n" "tests/fuzz/regress/$n" 2>&1); then
		pass "replay $t: $(tail -n 1 <<<"$out" | sed 's/.*: //')"
	else
		fail "replay $t" "$(grep -m1 -E 'ERROR|runtime error|fuzz check|differs' <<<"$out")"
		tail -n 20 <<<"$out"
	fi
done

# 3. every trace through every writer and back (one job per file, 2 at a time)
one_file() { # FILE -> prints PASS/FAIL lines
	local f=$1 d t r
	d=$(mktemp -d "$TMP/f.XXXXXX")
	for t in jsonl json csv pb msgpack archive seq chrome strace; do
		if ! "$SAN" convert -t "$t" -o "$d/out.$t" "$f" 2>"$d/err"; then
			echo "FAIL asan $t $f -- $(grep -m1 -E 'ERROR|runtime error|sysrep:' "$d/err")"
			continue
		fi
		case $t in
		pb | msgpack | archive | json) r=$t ;;
		jsonl) r=jsonl ;;
		*) continue ;;
		esac
		if ! "$SAN" convert -f "$r" -t strace -o "$d/back.$t" "$d/out.$t" 2>"$d/err"; then
			echo "FAIL asan $t -> strace $f -- $(grep -m1 -E 'ERROR|runtime error|sysrep:' "$d/err")"
		elif [[ $f == *.scap ]] || cmp -s "$d/back.$t" "$f"; then
			echo "PASS asan $t round trip $f"
		else
			echo "FAIL asan $t round trip $f -- $(cmp "$d/back.$t" "$f" 2>&1)"
		fi
	done
	for v in "stats --json" "tree" "tree --json" "report"; do
		# shellcheck disable=SC2086
		"$SAN" $v "$f" >"$d/view" 2>"$d/err" && echo "PASS asan $v $f" ||
			echo "FAIL asan $v $f -- $(grep -m1 -E 'ERROR|runtime error|sysrep:' "$d/err")"
	done
	rm -rf "$d"
}
export -f one_file
export SAN TMP
ls corpus/*.strace corpus/gen/*.strace corpus/perpid/* corpus/scap/*.scap |
	xargs -P 2 -I{} bash -c 'one_file "$1"' _ {} >"$TMP/files.log"
while read -r word rest; do
	case $word in
	PASS) passed=$((passed + 1)) ;;
	FAIL) failed=$((failed + 1)); echo "FAIL $rest" ;;
	esac
done <"$TMP/files.log"
echo "asan: $(grep -c '^PASS' "$TMP/files.log") corpus conversions passed"

# seq's adfa layout (a directory of files) and zstd output
if "$SAN" convert --layout adfa -o "$TMP/adfa" corpus/pipeline-f.strace 2>"$TMP/err" &&
	"$SAN" convert -o "$TMP/z.jsonl.zst" corpus/ls-plain.strace 2>>"$TMP/err" &&
	"$SAN" convert -t strace "$TMP/z.jsonl.zst" 2>>"$TMP/err" | cmp -s - corpus/ls-plain.strace; then
	pass "asan: seq adfa directory, zstd output and its round trip"
else
	fail "asan: seq adfa directory, zstd output and its round trip" "$(grep -m1 . "$TMP/err")"
fi

# 4. valgrind: no leak, no invalid access, one small conversion per format
if command -v valgrind >/dev/null && [ -x "$PLAIN" ]; then
	vg() { # NAME CMD...
		local name=$1
		shift
		if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
			"$@" >/dev/null 2>"$TMP/vg"; then
			pass "valgrind: $name"
		else
			fail "valgrind: $name" "$(grep -m1 -E '==[0-9]+== .*(lost|Invalid|uninitialised)' "$TMP/vg")"
		fi
	}
	small=corpus/signals-f-tt-T.strace
	for t in jsonl json csv pb msgpack archive seq chrome strace; do
		vg "strace -> $t" "$PLAIN" convert -t "$t" -o "$TMP/vg.$t" "$small"
	done
	"$PLAIN" convert -t json -o "$TMP/vg.json" "$small"
	for r in pb msgpack archive jsonl json; do
		vg "$r -> strace" "$PLAIN" convert -f "$r" -t strace "$TMP/vg.$r"
	done
	vg "scap -> jsonl" "$PLAIN" convert -t jsonl corpus/scap/test_ipv6_client.scap
	vg "zstd output" "$PLAIN" convert -o "$TMP/vg.jsonl.zst" "$small"
	vg "zstd input" "$PLAIN" stats "$TMP/vg.jsonl.zst"
	vg "tree and report" "$PLAIN" report "$small"
	vg "corrupt pb input (error path)" sh -c \
		"head -c 700 '$TMP/vg.pb' >'$TMP/cut.pb'; '$PLAIN' convert -f pb '$TMP/cut.pb'; [ \$? -eq 1 ]"
else
	fail "valgrind" "valgrind or $PLAIN missing"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
