# corpus-sniff.sh - issue 20: corpus mode (convert -r) converts traces
# only.  A directory of traces also holds the program traced, a README, an
# empty file, a binary: without -f those are skipped, named in one
# warning (not with -q), counted in the summary, and --strict makes a
# skipped file an error; with -f FORMAT every file is read as FORMAT.
# Sourced by tests/e2e.sh (see README here).

# shellcheck shell=bash disable=SC2015
CS=$TMP/corpus-sniff
D=$CS/in
mkdir -p "$D/sub"
cp corpus/ls-plain.strace "$D/"
cp corpus/signals-f-tt-T.strace "$D/sub/"
cp corpus/attach-restart.strace "$D/"                    # one "<... resuming ...>" line
zstd -q -c corpus/threads-f-ttt-T-y.strace >"$D/t.strace.zst" # decompressed to be recognised
"$BIN" convert -q -t pb -o "$D/ls.pb" corpus/ls-plain.strace
"$BIN" convert -q -t jsonl -o "$D/sig.jsonl" corpus/signals-f-tt-T.strace
# a trace opening with strace's own messages (no ") = " in its first lines)
{
	for p in 101 102 103 104 105 106 107 108 109; do echo "strace: Process $p attached"; done
	echo '[pid   101] close(3) = 0'
} >"$D/attached.strace"
# not traces: C code with an "= 3" in it, a README quoting a trace line,
# a diff (its "--- "/"+++ " lines look like signals and exits), an empty
# file, a binary file
printf '#include <stdio.h>\nint main(void)\n{\n\tint n;\n\tif ((n = printf("hi\\n")) != 3)\n\t\treturn 1;\n\treturn 0;\n}\n' >"$D/prog.c"
printf '# traces\n\nThese were recorded with\n\n    strace -f -o x.strace ./prog\n\nA line looks like\n\n    close(3) = 0\n\nand nothing else here is one.\n' >"$D/README.md"
printf -- '--- a/prog.c\n+++ b/prog.c\n@@ -1 +1 @@\n-int n;\n+long n;\n' >"$D/fix.diff"
: >"$D/empty"
head -c 4096 "$BIN" >"$D/sub/blob.bin"

TRACES="attached.jsonl ls-plain.jsonl ls.jsonl sig.jsonl sub/signals-f-tt-T.jsonl t.jsonl attach-restart.jsonl"
outputs() { (cd "$1" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' '); }
want_out=$(printf '%s\n' $TRACES | sort | tr '\n' ' ')

run "$CS/o" "$CS/e" "$BIN" convert -r "$D" -o "$CS/out"
[ $rc -eq 0 ] && [ "$(outputs "$CS/out")" = "$want_out" ] &&
	pass "-r: every trace converted, the files that are not traces skipped (no output)" ||
	fail "-r: every trace converted, the files that are not traces skipped" "exit $rc: outputs $(outputs "$CS/out")"
printf '%s\n' "sysrep: warning: 5 files skipped, not traces: $D/README.md (its first lines read as strace: 10 unparsed, 0 events), $D/empty (empty), $D/fix.diff (its first lines read as strace: 4 unparsed, 0 events), $D/prog.c (its first lines read as strace: 7 unparsed, 0 events), $D/sub/blob.bin (no reader knows its first bytes); -f FORMAT reads every file as FORMAT" >"$CS/want"
head -n 1 "$CS/e" | cmp -s - "$CS/want" &&
	pass "-r: one warning names each skipped file and why, in path order" ||
	fail "-r: one warning names each skipped file and why" "$(head -c 400 "$CS/e")"
sed -n 2p "$CS/e" | grep -Eq '^sysrep: 7 files \(7 inputs\), [0-9]+ events, 0 unparsed, .* 0 failed, 5 skipped \(not traces\)$' &&
	[ "$(wc -l <"$CS/e")" -eq 2 ] &&
	pass "-r: the summary counts the skipped files, and nothing is unparsed" ||
	fail "-r: the summary counts the skipped files" "$(sed -n 2,3p "$CS/e")"
# every output is the same as converting its trace alone
ok=1
for f in ls-plain.strace sub/signals-f-tt-T.strace t.strace.zst ls.pb attached.strace; do
	o=$(printf '%s' "$f" | sed 's/\.strace\.zst$//; s/\.strace$//; s/\.pb$//').jsonl
	"$BIN" convert -q "$D/$f" | cmp -s - "$CS/out/$o" || { ok=0; echo "  differs: $f"; }
done
[ $ok -eq 1 ] && pass "-r: each output is its trace converted alone" ||
	fail "-r: each output is its trace converted alone"

run "$CS/o" "$CS/e" "$BIN" convert -q -r "$D" -o "$CS/outq"
[ $rc -eq 0 ] && [ ! -s "$CS/e" ] && [ "$(outputs "$CS/outq")" = "$want_out" ] &&
	pass "-r -q: the same outputs, nothing on stderr" ||
	fail "-r -q: the same outputs, nothing on stderr" "exit $rc: $(first_line "$CS/e")"

run "$CS/o" "$CS/e" "$BIN" convert -q --strict -r "$D" -o "$CS/outs"
[ $rc -eq 1 ] && [ "$(cat "$CS/e")" = "sysrep: --strict: 5 files skipped as not traces" ] &&
	pass "-r --strict: a skipped file is a data error (exit 1)" ||
	fail "-r --strict: a skipped file is a data error" "exit $rc: $(first_line "$CS/e")"

# -f strace: the user says every file is strace text; nothing is skipped
# and the lines that are not strace are counted as unparsed
run "$CS/o" "$CS/e" "$BIN" convert -f strace -r "$D" -o "$CS/outf"
n=$(find "$CS/outf" -type f | wc -l)
[ $rc -eq 0 ] && [ "$n" -eq 12 ] && ! grep -q warning "$CS/e" &&
	grep -Eq '^sysrep: 12 files \(12 inputs\), .* [1-9][0-9]* unparsed, .* 0 skipped \(not traces\)$' "$CS/e" &&
	pass "-r -f strace: every file read as strace, none skipped, the unparsed lines counted" ||
	fail "-r -f strace: every file read as strace" "exit $rc, $n outputs: $(first_line "$CS/e")"

# a directory without a trace: nothing written, exit 0, the warning says why
mkdir -p "$CS/none"
cp "$D/prog.c" "$CS/none/"
run "$CS/o" "$CS/e" "$BIN" convert -r "$CS/none" -o "$CS/outn"
[ $rc -eq 0 ] && [ ! -e "$CS/outn/prog.jsonl" ] && grep -q "^sysrep: 0 files (0 inputs), .* 1 skipped (not traces)$" "$CS/e" &&
	pass "-r over no trace: no output, the summary says 0 files, 1 skipped" ||
	fail "-r over no trace" "exit $rc: $(tail -n 1 "$CS/e")"
