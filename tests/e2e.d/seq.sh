# seq.sh - the seq writer and the syscall tables end to end (sourced by
# tests/e2e.sh; see tests/e2e.d/README).

# ADFA layout, per trace with calls: one file per task (by=tid), each one
# line of numbers, and as many numbers as SYSCALL events.
for f in corpus/*.strace corpus/perpid/*; do
	[ -f "$f" ] || continue
	calls=$("$BIN" stats --json "$f" 2>/dev/null | jq '.kinds.syscall')
	[ "${calls:-0}" -gt 0 ] 2>/dev/null || continue
	d="$TMP/adfa-$(basename "$f")"
	run "$O" "$E" "$BIN" convert -t seq --by tid --layout adfa -o "$d" "$f"
	if [ $rc -ne 0 ]; then
		fail "seq adfa $f" "exit $rc: $(first_line "$E")"
		continue
	fi
	pids=$("$BIN" convert -t jsonl "$f" | jq -r 'select(.type=="syscall") | .pid // 0' |
		sort -u | wc -l)
	files=$(ls "$d" | wc -l)
	bad=$(for x in "$d"/*; do
		[ "$(wc -l <"$x")" -eq 1 ] && grep -qE '^[0-9]+( [0-9]+)*$' "$x" || echo "$x"
	done | head -n 1)
	nums=$(cat "$d"/* | wc -w)
	if [ "$files" -ne "$pids" ]; then
		fail "seq adfa $f" "$files files, $pids pids with calls"
	elif [ -n "$bad" ]; then
		fail "seq adfa $f" "not one line of numbers: $bad"
	elif [ "$nums" -ne "$calls" ]; then
		fail "seq adfa $f" "$nums numbers, $calls syscall events"
	else
		pass "seq adfa $f ($files files, $nums calls)"
	fi
done

# strace -n printed the numbers of corpus/ip-i-n.strace: the x86_64 table
# must give the same ones for the same trace with the numbers removed.
IPN=corpus/ip-i-n.strace
sed -E 's/^\[ *[0-9]+\] //' "$IPN" >"$TMP/ip-i.strace"
"$BIN" convert -t jsonl "$IPN" |
	jq -c 'select(.type=="syscall" or .type=="unfinished") | [.line, .syscall, .nr]' >"$TMP/printed"
"$BIN" convert -t jsonl "$TMP/ip-i.strace" |
	jq -c 'select(.type=="syscall" or .type=="unfinished") | [.line, .syscall, .nr]' >"$TMP/table"
n=$(grep -c . "$TMP/printed")
if [ "$n" -gt 0 ] && ! grep -q null "$TMP/printed" && cmp -s "$TMP/printed" "$TMP/table"; then
	pass "syscall table agrees with every number strace -n printed ($n calls)"
else
	fail "syscall table agrees with every number strace -n printed" \
		"$(diff "$TMP/printed" "$TMP/table" | head -n 2 | tr '\n' ' ')"
fi

# The default layout, --names, --arch, windows.
LSP=corpus/ls-plain.strace
run "$O" "$E" "$BIN" convert -t seq "$LSP"
[ $rc -eq 0 ] && [ "$(wc -l <"$O")" -eq 1 ] && grep -q '^0: 59 12 9 ' "$O" &&
	pass "seq: one 'PID: n n n' line (no pids printed: pid 0)" ||
	fail "seq: one 'PID: n n n' line" "exit $rc: $(first_line "$O")"
calls=$(sed 's/^[0-9]*://' "$O" | wc -w)
run "$O" "$E" "$BIN" convert --names "$LSP"
grep -q '^0: execve brk mmap ' "$O" && pass "--names implies -t seq and prints names" ||
	fail "--names implies -t seq and prints names" "$(first_line "$O")"
# (ls-plain's first three calls: the rest has x86-only calls like access)
head -n 3 "$LSP" >"$TMP/ls3.strace"
run "$O" "$E" "$BIN" convert --arch aarch64 -t seq "$TMP/ls3.strace"
[ "$(cat "$O")" = "0: 221 214 222" ] && pass "--arch aarch64 numbers execve 221, brk 214, mmap 222" ||
	fail "--arch aarch64 numbers execve 221, brk 214, mmap 222" "$(first_line "$O") $(first_line "$E")"
run "$O" "$E" "$BIN" convert --window 3 "$LSP"
sum=$(tail -n +2 "$O" | awk -F, '{ s += $NF } END { print s }')
[ $rc -eq 0 ] && [ "$(head -n 1 "$O")" = "pid,call_1,call_2,call_3,count" ] &&
	[ "$sum" -eq $((calls - 2)) ] &&
	pass "--window 3: CSV counts add up to calls - 2 ($sum)" ||
	fail "--window 3: CSV counts add up to calls - 2" "exit $rc, sum $sum, calls $calls"
run "$O" "$E" "$BIN" convert --window 4 --lookahead -O format=jsonl "$LSP"
n=$(jsonl_count "$O" 2>&1)
sum=$(jq -s 'map(.count) | add' "$O")
[ $rc -eq 0 ] && [ "$sum" -eq $((3 * calls - 6)) ] &&
	pass "--lookahead: $n JSON pairs, counts add up to 3 * calls - 6" ||
	fail "--lookahead: counts add up to 3 * calls - 6" "exit $rc, $n, sum $sum, calls $calls"
run "$O" "$E" "$BIN" convert --layout unm corpus/threads-f-ttt-T-y.strace
groups=$(cut -d' ' -f1 "$O" | sort -u | wc -l)
[ $rc -eq 0 ] && [ "$groups" -eq 1 ] && pass "--layout unm: threads joined into their process" ||
	fail "--layout unm: threads joined into their process" "exit $rc, $groups pids"

# Usage errors: exit 2.
expect "--layout adfa without -o exits 2" 2 "$BIN" convert --layout adfa "$LSP"
expect "--lookahead without --window exits 2" 2 "$BIN" convert --lookahead "$LSP"
expect "--arch vax exits 2" 2 "$BIN" convert --arch vax "$LSP"
expect "--by process exits 2" 2 "$BIN" convert --by process "$LSP"
# An i386 trace read as x86_64: a name the table lacks is an error, not a guess.
printf '_llseek(3, 0, [0], SEEK_SET) = 0\n' >"$TMP/i386.strace"
expect "a name the --arch table lacks exits 1" 1 "$BIN" convert -t seq "$TMP/i386.strace"
run "$O" "$E" "$BIN" convert -t seq --arch i386 "$TMP/i386.strace"
[ "$(cat "$O")" = "0: 140" ] && pass "--arch i386 numbers _llseek 140" ||
	fail "--arch i386 numbers _llseek 140" "$(first_line "$O") $(first_line "$E")"
