#!/usr/bin/env bash
# Tracer overhead on one syscall-heavy workload (docs/record.md):
# tests/record/syscall_storm.c, ROUNDS rounds of 5 calls each, run plain,
# under strace (its default flags and sysrep record's), strace --seccomp-bpf
# (full trace, and with a filter, where it pays), perf trace (needs root or
# kernel.perf_event_paranoid <= -1 for tracepoints), the raw_syscalls
# tracepoints alone (perf stat counts them in the kernel; perf record copies
# every entry and exit into a ring buffer: the floor of an eBPF recorder),
# and sysrep record (jsonl, and the archive).  Every trace goes to
# /dev/null or a scratch file.
#
#   scripts/record-bench.sh [SYSREP] [ROUNDS] [RUNS]    defaults: ./sysrep 20000 5
#   FLOW_ONLY=1 scripts/record-bench.sh ...   only the second table
# Prints hyperfine's tables (markdown): the tracers, then the workflow.
set -euo pipefail
sysrep=${1:-./sysrep}
rounds=${2:-20000}
runs=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/storm" "$(dirname "$0")/../tests/record/syscall_storm.c"
prog="$tmp/storm $rounds $tmp/scratch"
# sysrep record's default flags (sr_record_default_flags)
flags="-f -n --absolute-timestamps=format:unix,precision:ns --syscall-times=ns -yy -Y -s 256"
cmds=(
	-n plain "$prog"
	-n "strace -o /dev/null" "strace -o /dev/null $prog"
	-n "strace (sysrep's flags)" "strace $flags -o /dev/null $prog"
	-n "strace --seccomp-bpf (sysrep's flags)" "strace --seccomp-bpf $flags -o /dev/null $prog"
	-n "strace --seccomp-bpf -e trace=%file (sysrep's flags)" \
		"strace --seccomp-bpf $flags -e trace=%file -o /dev/null $prog"
)
if perf trace -o /dev/null true 2>/dev/null; then
	cmds+=(-n "perf trace" "perf trace -o /dev/null $prog"
	       -n "perf stat -e raw_syscalls:*" \
		"perf stat -x, -o /dev/null -e raw_syscalls:sys_enter,raw_syscalls:sys_exit $prog"
	       -n "perf record -e raw_syscalls:*" \
		"perf record -q -o $tmp/perf.data -e raw_syscalls:sys_enter,raw_syscalls:sys_exit $prog")
else
	echo "record-bench: perf trace is not permitted here (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?'), or no tracefs): row skipped" >&2
fi
if [[ -x $sysrep ]] && "$sysrep" record --help >/dev/null 2>&1; then
	cmds+=(-n "sysrep record -t jsonl" "$sysrep record -o /dev/null -t jsonl -- $prog"
	       -n "sysrep record -o x.sra" "$sysrep record -o $tmp/x.sra -- $prog")
fi
if [[ -z ${FLOW_ONLY:-} ]]; then
	hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$tmp/table.md" "${cmds[@]}" >&2
	cat "$tmp/table.md"
fi
[[ -x $sysrep ]] && "$sysrep" record --help >/dev/null 2>&1 || exit 0

# The workflow: strace to a file (and then a convert) against sysrep record
# straight into jsonl and the archive; a quarter of the rounds, twice the
# runs, the commands interleaved by hyperfine's order.
small="$tmp/storm $((rounds / 4)) $tmp/scratch"
echo
hyperfine -N --warmup 1 --runs $((runs * 2)) --export-markdown "$tmp/flow.md" \
	-n "strace -o FILE" "strace $flags -o $tmp/t.strace $small" \
	-n "strace -o FILE, then sysrep convert" \
		"sh -c 'strace $flags -o $tmp/t.strace $small && $sysrep convert -o $tmp/t.jsonl $tmp/t.strace'" \
	-n "sysrep record -o x.jsonl" "$sysrep record -o $tmp/r.jsonl -- $small" \
	-n "sysrep record -o x.sra" "$sysrep record -o $tmp/r.sra -- $small" >&2
cat "$tmp/flow.md"
