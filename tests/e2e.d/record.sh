# record.sh - sysrep record end to end (sourced by tests/e2e.sh; see
# tests/e2e.d/README).  Skips, saying why, where strace is missing or
# ptrace is not permitted.
#
# Three programs: a file writer (jsonl), a forking shell that exits 3 (the
# archive, -o x.sra; its children one at a time, so each run has them in
# the same order) and the seed's overflow, killed by SIGABRT (pb).  For
# each: the exit status, and the records against strace's own text of the
# same run converted by sysrep.  "The same run": both run in a fresh pid
# namespace with address randomization off (unshare -p, setarch -R), so
# pids, addresses and fds repeat; what a run cannot repeat is left out of
# the comparison (times, durations, getrandom's bytes, where a call was cut
# by another task's line, where a SIGCHLD came in, the name of a new task
# and of a task at its execve (-Y: read before or after the exec), pipe and
# socket inodes, the address of execve's environment: it lies in strace's
# memory, which differs with strace's own command line).  Where unshare is
# not permitted, pids and arguments go too and the calls are compared per
# task, in order.
# Then: output appears while the program runs, the program keeps its
# stdout/stderr and gets no extra fd, filters apply, a missing strace.

rec_dir="$TMP/record"
mkdir -p "$rec_dir"

rec_skip=
if ! command -v strace >/dev/null 2>&1; then
	rec_skip="strace is not installed (scripts/deps.sh installs it)"
elif ! command -v cc >/dev/null 2>&1; then
	rec_skip="no C compiler for the test programs"
elif ! "$BIN" record -o "$rec_dir/probe.jsonl" -- /bin/true >/dev/null 2>"$rec_dir/probe.err"; then
	rec_skip=$(head -n 1 "$rec_dir/probe.err")
fi

# What two runs of one program share, as sorted-by-task JSON lines.
# $2 = strict: everything but times, durations, the cut markers, random
# bytes; loose: per task (numbered by first appearance), the call names,
# errnos and event kinds.
rec_project() {
	if [ "$2" = strict ]; then
		jq -c 'select(.type != "unfinished" and .signal != "SIGCHLD" and .syscall != "rt_sigreturn")
			| del(.line, .time, .duration, .resumed_time, .resumed, .fmt)
			| if .syscall == "getrandom" then del(.args.buf)
			  elif .syscall == "execve" then del(.args.envp, .comm)
			  else . end
			| walk(if type == "string"
			       then sub("(?<k>pipe|socket|anon_inode):\\[[0-9]+\\]"; "\(.k):[]")
			       else . end)' "$1"
	else
		jq -c 'select(.type != "unfinished" and .signal != "SIGCHLD" and .syscall != "rt_sigreturn") | [.pid, .type, .syscall, .errno]' "$1" |
			awk -F, '{ p = substr($1, 2); if (!(p in id)) id[p] = n++;
				   $1 = "[" id[p]; print }' OFS=,
	fi | jq -s -c 'group_by(if type == "array" then .[0] else .pid end) | .[] | .[]'
}

rec_run() { # rec_run NAME: runs the rest, in the same-run setup when there is one
	shift
	if [ -n "$rec_ns" ]; then
		unshare -p -f --mount-proc setarch -R "$@"
	else
		setarch -R "$@"
	fi
}

record_tests() {
	local prog="$ROOT/tests/record" mode flags st t
	cc -O2 -D_FORTIFY_SOURCE=2 -o "$rec_dir/overflow" "$prog/overflow.c" || {
		fail "record: build the overflow program"
		return
	}
	rec_ns=
	unshare -p -f --mount-proc setarch -R /bin/true 2>/dev/null && rec_ns=yes
	mode=loose
	[ -n "$rec_ns" ] && mode=strict
	# the strace options sysrep uses, from its own dry run
	flags=$("$BIN" record --dry-run -- x | sed -e 's/^[^ ]* //' -e 's/ -o .*//')

	for t in writer shell overflow; do
		local want wargs cmd out got
		case $t in
		writer)
			want=0 out="$rec_dir/$t.jsonl" wargs=(-o "$out")
			cmd=(sh -c 'for i in 1 2 3; do echo "line $i" >>"$0"; done; cat "$0" >/dev/null'
			     "$rec_dir/file.txt") ;;
		shell)
			want=3 out="$rec_dir/$t.sra" wargs=(-o "$out")
			cmd=(sh -c '/bin/echo a >/dev/null; ls / >/dev/null; (exit 2); exit 3') ;;
		overflow)
			want=134 out="$rec_dir/$t.pb" wargs=(-t pb -o "$out")
			cmd=("$rec_dir/overflow" "a name far longer than eight bytes") ;;
		esac
		# The reference: strace's own text of the same run.  Pids line up:
		# sysrep is pid 1 and its ptrace probe pid 2 before strace, as
		# the shell and /bin/true are here.
		rm -f "$rec_dir/file.txt"
		# shellcheck disable=SC2086
		rec_run x sh -c 'ulimit -c 0; /bin/true; strace '"$flags"' -o "$0" -- "$@"' \
			"$rec_dir/$t.strace" "${cmd[@]}" >/dev/null 2>"$rec_dir/stderr"
		st=$?
		rm -f "$rec_dir/file.txt"
		rec_run x sh -c 'ulimit -c 0; exec "$@"' sh \
			"$BIN" record "${wargs[@]}" -- "${cmd[@]}" >/dev/null 2>"$rec_dir/stderr"
		got=$?
		if [ "$got" -ne "$want" ]; then
			fail "record $t: exit status" "$got, want $want: $(grep -m 1 sysrep "$rec_dir/stderr")"
			continue
		fi
		pass "record $t: exit status $got (strace's own: $st)"
		if ! "$BIN" convert -t jsonl -o "$rec_dir/$t.ours.jsonl" "$out" ||
			! "$BIN" convert -t jsonl -o "$rec_dir/$t.ref.jsonl" "$rec_dir/$t.strace"; then
			fail "record $t: convert"
			continue
		fi
		rec_project "$rec_dir/$t.ours.jsonl" $mode >"$rec_dir/$t.ours.p"
		rec_project "$rec_dir/$t.ref.jsonl" $mode >"$rec_dir/$t.ref.p"
		if [ ! -s "$rec_dir/$t.ours.p" ]; then
			fail "record $t: records" "none"
		elif cmp -s "$rec_dir/$t.ours.p" "$rec_dir/$t.ref.p"; then
			pass "record $t: $(wc -l <"$rec_dir/$t.ours.p") records equal strace's own text ($mode)"
		else
			fail "record $t: records differ from strace's own text ($mode)" \
				"$(diff "$rec_dir/$t.ref.p" "$rec_dir/$t.ours.p" | grep -m 2 '^[<>]' | cut -c 1-200 | tr '\n' ' ')"
		fi
	done
	jq -e 'select(.type == "killed" and .signal == "SIGABRT")' \
		"$rec_dir/overflow.ours.jsonl" >/dev/null &&
		pass "record overflow: killed by SIGABRT is in the trace" ||
		fail "record overflow: no 'killed by SIGABRT' record"

	# Live: the first write's record is on the pipe while the program
	# sleeps, two seconds before it ends.
	"$BIN" record -t jsonl -- sh -c 'exec >/dev/null; echo first; sleep 2; echo second' 2>/dev/null |
		"$PY" -c '
import json, sys, time
t0 = time.monotonic(); first = None
for line in sys.stdin:
    ev = json.loads(line)
    if first is None and ev.get("syscall") == "write":
        first = time.monotonic() - t0
end = time.monotonic() - t0
print("%.2f %.2f" % (first if first is not None else -1, end))' >"$rec_dir/live.out"
	read -r first end <"$rec_dir/live.out"
	if awk -v f="$first" -v e="$end" 'BEGIN { exit !(f >= 0 && e - f >= 1.5) }'; then
		pass "record: the first write is on the pipe at ${first}s, the program ends at ${end}s"
	else
		fail "record: output does not follow the program" "first write at ${first}s, end at ${end}s"
	fi

	# The program keeps its stdout and stderr, and no fd of ours: it sees
	# the fds it sees when run directly.
	sh -c 'ls /proc/self/fd' >"$rec_dir/own.direct"
	"$BIN" record -o "$rec_dir/own.jsonl" -- sh -c \
		'echo out; echo err >&2; ls /proc/self/fd' >"$rec_dir/own.out" 2>"$rec_dir/own.err"
	if [ "$(head -n 1 "$rec_dir/own.out")" = out ] && [ "$(cat "$rec_dir/own.err")" = err ] &&
		[ "$(tail -n +2 "$rec_dir/own.out")" = "$(cat "$rec_dir/own.direct")" ]; then
		pass "record: the program keeps its stdout and stderr and gets no extra fd"
	else
		fail "record: the program's own output or fds" \
			"$(tr '\n' ' ' <"$rec_dir/own.out") / $(tr '\n' ' ' <"$rec_dir/own.err")"
	fi

	# sysrep's filters and writers apply to the records.
	"$BIN" record -e trace=write -t csv -o "$rec_dir/f.csv" -- sh -c 'echo x' >/dev/null
	if [ "$(tail -n +2 "$rec_dir/f.csv" | grep -c ',write,')" = 1 ] &&
		! tail -n +2 "$rec_dir/f.csv" | grep -q ',execve,'; then
		pass "record: -e trace=write with the csv writer"
	else
		fail "record: -e trace=write with the csv writer" "$(head -n 3 "$rec_dir/f.csv" | tr '\n' ' ')"
	fi

	# No strace: a message that says what to do, exit 1.
	run "$O" "$E" "$BIN" record --strace /nonexistent/strace -- /bin/true
	[ $rc -eq 1 ] && grep -q 'apt-get install strace' "$E" &&
		pass "record: a missing strace says how to install it" ||
		fail "record: missing strace" "exit $rc: $(first_line "$E")"
	run "$O" "$E" "$BIN" record --strace-opt=-ofile -- /bin/true
	[ $rc -eq 2 ] && pass "record: a pass-through -o is refused" ||
		fail "record: pass-through -o" "exit $rc"
}

if [ -n "$rec_skip" ]; then
	echo "SKIP record: $rec_skip"
else
	record_tests
fi
