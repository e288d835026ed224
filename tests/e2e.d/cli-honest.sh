# cli-honest.sh - issue 20: no silent guesses.  Every option is checked,
# every message is true, and a mistake is a usage error (exit 2) that
# names it and lists what is valid.  Each case checks the exact stderr
# text and the exit status.  Sourced by tests/e2e.sh (see README here).

# shellcheck shell=bash disable=SC2015
CH=$TMP/cli-honest
mkdir -p "$CH"
CHT=corpus/ls-plain.strace
HINT="Try 'sysrep --help'."
EXTS=".jsonl, .strace, .json, .seq, .pb, .csv, .msgpack, .sra, .chrome.json, .txt, .trace, .log, .mpk, each + .zst"

# honest NAME STATUS STDERR CMD...: exit STATUS and stderr exactly STDERR
# (a printf %b string: \n between lines).
honest() {
	local name=$1 want=$2 text=$3
	shift 3
	run "$CH/o" "$CH/e" "$@"
	if [ -n "$text" ]; then printf '%b\n' "$text"; fi >"$CH/want"
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, want $want: $(first_line "$CH/e")"
	elif ! cmp -s "$CH/want" "$CH/e"; then
		fail "$name" "stderr: $(head -c 300 "$CH/e")"
	else
		pass "$name"
	fi
}

# -o with an extension no format claims
for x in yaml jsonl.gz; do
	ext=.${x##*.}
	honest "-o out.$x is a usage error" 2 \
		"sysrep: -o $CH/out.$x: unknown output extension '$ext' (known: $EXTS; or name the format with -t)\n$HINT" \
		"$BIN" convert -o "$CH/out.$x" "$CHT"
	[ ! -e "$CH/out.$x" ] && pass "-o out.$x writes nothing" || fail "-o out.$x writes nothing"
done
# the strace reader's extensions write strace, msgpack's .mpk msgpack
for x in txt trace log; do
	"$BIN" convert -o "$CH/x.$x" "$CHT" && cmp -s "$CH/x.$x" "$CHT" &&
		pass "-o x.$x writes strace (the reader's extension)" ||
		fail "-o x.$x writes strace (the reader's extension)"
done
"$BIN" convert -o "$CH/x.mpk" "$CHT" && "$BIN" convert -t msgpack "$CHT" | cmp -s - "$CH/x.mpk" &&
	pass "-o x.mpk writes msgpack" || fail "-o x.mpk writes msgpack"

# -O keys, --columns
honest "-O bogus=1 is a usage error naming the valid keys" 2 \
	"sysrep: -O bogus: unknown option for jsonl (known: arch, fmt, record, piece, max_line, verify)\n$HINT" \
	"$BIN" convert -O bogus=1 "$CHT"
honest "-O max_line (the text readers' key) is known without -f" 0 "" \
	"$BIN" convert -q -O max_line=1M "$CHT"
honest "-O max_line with -f pb (a binary reader) is a usage error" 2 \
	"sysrep: -O max_line: unknown option for pb -> jsonl (known: arch, fmt, record)\n$HINT" \
	"$BIN" convert -f pb -O max_line=1M "$CHT"
honest "-O colums= (a typo) names csv's keys" 2 \
	"sysrep: -O colums: unknown option for strace -> csv (known: arch, columns, record, piece, max_line, verify)\n$HINT" \
	"$BIN" convert -f strace -t csv -O colums=pid,syscall "$CHT"
honest "--columns pid,sycall names the column, not file=-" 2 \
	"sysrep: cannot write csv: unknown column 'sycall' (known: line,time,pid,type,syscall,signal,nr,return,errno,errmsg,duration,arg0,arg1,arg2,arg3,arg4,arg5,args,truncated,text, or an argument's name as in the JSON record's args: pathname, flags...)" \
	"$BIN" convert -t csv --columns pid,sycall "$CHT"
honest "--window 0 does not name file=-" 2 \
	"sysrep: invalid seq option: window=0: want a length from 1 to 1024" \
	"$BIN" convert --window 0 "$CHT"
honest "--layout adfa -o /proc/nope names the directory" 1 \
	"sysrep: cannot create the output directory: file=/proc/nope: No such file or directory" \
	"$BIN" convert --layout adfa -o /proc/nope "$CHT"

# -e trace=
honest "-e trace=openatt: invalid system call" 2 \
	"sysrep: -e trace: invalid system call 'openatt' (not in the x86_64, i386 or aarch64 table; ?openatt accepts it)\n$HINT" \
	"$BIN" convert -e trace=openatt "$CHT"
honest "-e trace= (empty) is a usage error" 2 \
	"sysrep: -e trace: empty set (name syscalls, %class, /regex, all or none)\n$HINT" \
	"$BIN" convert -e trace= "$CHT"
honest "-e trace=?openatt,openat is accepted (strace's ?)" 0 "" \
	"$BIN" convert -q -e 'trace=?openatt,openat' "$CHT"
honest "-e trace=rt_sigaction (x86_64), ugetrlimit (i386) are known" 0 "" \
	"$BIN" convert -q -e trace=rt_sigaction,ugetrlimit,%file,/^open "$CHT"

# inputs no reader recognises; a strace file with odd lines
# 4 KB of (seeded) random bytes
"$PY" -c 'import random, sys; r = random.Random(20); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))' >"$CH/random.bin"
printf 'a,b,c\n1,2,3\n4,5,6\n' >"$CH/t.csv"
honest "random bytes are refused" 1 \
	"sysrep: not a trace: file=$CH/random.bin line=1: none of its 16 lines parsed (no reader recognises it; -f FORMAT converts it anyway)" \
	"$BIN" convert -o "$CH/r.jsonl" "$CH/random.bin"
[ ! -e "$CH/r.jsonl" ] && pass "refused input: no output file" || fail "refused input: no output file"
honest "a CSV file fed as strace: one summary warning" 0 \
	"sysrep: warning: 3 unparsed lines (kept as \"unparsed\" records), the first at file=$CH/t.csv line=1; -q hides this, --strict makes it an error" \
	"$BIN" convert -f strace "$CH/t.csv"
honest "-q hides the unparsed warning" 0 "" "$BIN" convert -q -f strace "$CH/t.csv"
{ head -n 5 "$CHT"; echo 'this is not strace'; tail -n +6 "$CHT"; } >"$CH/odd.strace"
honest "a strace file with an odd line converts, with the warning" 0 \
	"sysrep: warning: 1 unparsed line (kept as \"unparsed\" records), the first at file=$CH/odd.strace line=6; -q hides this, --strict makes it an error" \
	"$BIN" convert -o "$CH/odd.jsonl" "$CH/odd.strace"

# stats on strace -c output
run "$CH/o" "$CH/e" "$BIN" stats corpus/summary-c.strace
[ "$rc" -eq 0 ] && tail -n 1 "$CH/o" | grep -qE '^100\.00 +0\.000872 +2 +318 +19 total$' &&
	pass "stats on strace -c output shows its table" ||
	fail "stats on strace -c output shows its table" "$(tail -n 1 "$CH/o")"

# commands
honest "convert --version" 0 "" "$BIN" convert --version
[ "$(cat "$CH/o")" = "sysrep 0.1.0" ] && pass "convert --version prints the version" ||
	fail "convert --version prints the version"
honest "sysrep help seq (a format)" 0 "" "$BIN" help seq
grep -q '^  writer (-t seq), extension .seq' "$CH/o" && grep -q '^      window ' "$CH/o" &&
	pass "help seq lists the writer and its keys" || fail "help seq lists the writer and its keys"
honest "help on neither a command nor a format" 2 \
	"sysrep: no help for 'nope': not a command or a format (see 'sysrep formats')\n$HINT" \
	"$BIN" help nope
for c in "formats" "--help" "help seq" "--version"; do
	# shellcheck disable=SC2086
	"$BIN" $c >/dev/full 2>"$CH/e"
	r=$?
	[ $r -eq 1 ] && [ "$(cat "$CH/e")" = "sysrep: cannot write to stdout: No space left on device" ] &&
		pass "$c into /dev/full: exit 1 with a message" ||
		fail "$c into /dev/full: exit 1 with a message" "exit $r: $(first_line "$CH/e")"
done

# --merge keeps the pids in every output format
"$BIN" convert -q --merge corpus/perpid/sh-ff.* | jq -r .pid | sort | uniq -c >"$CH/pids"
for t in strace jsonl json msgpack pb sra; do
	case $t in sra) to=archive ;; *) to=$t ;; esac
	"$BIN" convert -q --merge -t "$to" -o "$CH/m.$t" corpus/perpid/sh-ff.* &&
		"$BIN" convert -q -f "$to" "$CH/m.$t" | jq -r .pid | sort | uniq -c | cmp -s - "$CH/pids" &&
		pass "--merge -t $to keeps every pid" || fail "--merge -t $to keeps every pid"
done
"$BIN" convert -q --merge -t csv --columns pid corpus/perpid/sh-ff.* | tail -n +2 | sort | uniq -c |
	cmp -s - "$CH/pids" && pass "--merge -t csv keeps every pid" || fail "--merge -t csv keeps every pid"
[ "$(head -n 1 "$CH/m.strace" | cut -c 1-6)" = "13522 " ] &&
	pass "--merge -t strace lines carry the pid prefix" ||
	fail "--merge -t strace lines carry the pid prefix" "$(head -n 1 "$CH/m.strace" | cut -c 1-40)"

# the report's "Files and sockets": the cwd behind AT_FDCWD</tmp/lab> is no file
"$BIN" report -o "$CH/r.html" corpus/decode-fds-all.strace &&
	! grep -q '"kind":"file","name":"/tmp/lab"' "$CH/r.html" &&
	grep -q '"kind":"file","name":"/etc/hostname"' "$CH/r.html" &&
	pass "report: AT_FDCWD's directory is not counted as a file" ||
	fail "report: AT_FDCWD's directory is not counted as a file"

# -r through a symbolic link to a directory (with or without its slash)
# converts the directory's files: nftw(FTW_PHYS) saw one link, "0 files"
ln -s "$ROOT/corpus/perpid" "$CH/perpid-link"
for d in "$CH/perpid-link" "$CH/perpid-link/"; do
	rm -rf "$CH/rl"
	"$BIN" convert -q -r "$d" -o "$CH/rl" -t strace &&
		[ "$(ls "$CH/rl" | wc -l)" -eq "$(ls corpus/perpid | wc -l)" ] &&
		cmp -s "$CH/rl/sh-ff.13522.strace" corpus/perpid/sh-ff.13522 &&
		pass "-r $d (a link to a directory) converts its files" ||
		fail "-r $d (a link to a directory) converts its files" "$(ls "$CH/rl" 2>&1 | head -3 | tr '\n' ' ')"
done

# --merge: chrome and seq keep the pids too (every writer of convert)
"$BIN" convert -q --merge corpus/perpid/sh-ff.* | jq -r .pid | sort -u >"$CH/pidset"
"$BIN" convert -q --merge -t chrome corpus/perpid/sh-ff.* |
	jq -r '(if type == "object" then .traceEvents else . end)[] | .pid // empty' | sort -u |
	cmp -s - "$CH/pidset" && pass "--merge -t chrome keeps every pid" || fail "--merge -t chrome keeps every pid"
"$BIN" convert -q --merge -t seq corpus/perpid/sh-ff.* | cut -d: -f1 | sort -u | cmp -s - "$CH/pidset" &&
	pass "--merge -t seq keeps every pid (one sequence each)" || fail "--merge -t seq keeps every pid (one sequence each)"

# record checks -o and -O as convert does (before running anything)
honest "record -o x.yaml is a usage error" 2 \
	"sysrep: -o $CH/x.yaml: unknown output extension '.yaml' (known: $EXTS; or name the format with -t)\n$HINT" \
	"$BIN" record -o "$CH/x.yaml" -- /bin/true
honest "record -O bogus=1 is a usage error naming the valid keys" 2 \
	"sysrep: -O bogus: unknown option for strace -> jsonl (known: arch, fmt, record, piece, max_line, verify)\n$HINT" \
	"$BIN" record -O bogus=1 -- /bin/true
honest "record -e trace=openatt: invalid system call" 2 \
	"sysrep: -e trace: invalid system call 'openatt' (not in the x86_64, i386 or aarch64 table; ?openatt accepts it)\n$HINT" \
	"$BIN" record -e trace=openatt -- /bin/true
# stats, tree, report: -e trace= names too; tree and report warn of
# unparsed lines once and refuse an input that is no trace
for c in stats tree report; do
	honest "$c -e trace=openatt: invalid system call" 2 \
		"sysrep: -e trace: invalid system call 'openatt' (not in the x86_64, i386 or aarch64 table; ?openatt accepts it)\n$HINT" \
		"$BIN" $c -e trace=openatt -o "$CH/v.out" "$CHT"
done
for v in tree report; do
	honest "$v: a strace file with an odd line gives one warning" 0 \
		"sysrep: warning: 1 unparsed line (left out of the $v), the first at file=$CH/odd.strace line=6; -q hides this" \
		"$BIN" $v -o "$CH/v.$v" "$CH/odd.strace"
	honest "$v -q hides the unparsed warning" 0 "" "$BIN" $v -q -o "$CH/v.$v" "$CH/odd.strace"
	rm -f "$CH/csv.$v"
	honest "$v: a CSV file is refused (no reader recognises it)" 1 \
		"sysrep: not a trace: file=$CH/t.csv line=1: none of its 3 lines parsed (no reader recognises it; -f FORMAT converts it anyway)" \
		"$BIN" $v -o "$CH/csv.$v" "$CH/t.csv"
	[ ! -e "$CH/csv.$v" ] && pass "$v: a refused input writes no -o file" || fail "$v: a refused input writes no -o file"
done
