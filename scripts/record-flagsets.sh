#!/usr/bin/env bash
# record-flagsets.sh - records corpus/flagsets/prog.c under many strace flag
# sets, for the agreement test (issue 16: one meaning per call).
#
#   sudo bash scripts/record-flagsets.sh [OUTDIR]     (default corpus/flagsets)
#   bash scripts/record-flagsets.sh --check           (records twice in a
#        scratch directory and checks that the two recordings agree)
#
# Each set is recorded with -f, under `setarch -R` (no ASLR) inside
# `unshare -p -f --mount-proc -n` (a pid namespace, so pids repeat; a network
# namespace, so the program's fixed loopback ports are free), with the
# program's scratch directory on a fresh tmpfs (per-mount inode numbers, so
# file inodes repeat) and an empty environment.  Needs root (namespaces,
# mount), strace, setarch, unshare, cc.
#
# What still varies from run to run, and so between two flag sets (which are
# two runs): times (strace's -v stat times; excluded by the agreement rule),
# and the inode numbers of sockets and pipes (sockfs/pipefs number them from
# a global counter), which tests/agree.py leaves aside explicitly.  The
# interleaving of the pids' lines (and so where strace splits a call into
# <unfinished ...> and resumed) may differ too; the test compares per pid.
set -eu
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/corpus/flagsets/prog.c
SCRATCH=/tmp/sysrep-agree      # fixed: it is in the traces

# name|strace flags (besides -f and -o)
SETS='plain|
X-raw|-X raw
X-verbose|-X verbose
y|-y
yy|-yy
v|-v
x|-x
xx|-xx
s8|-s 8
yy-X-verbose-xx-v|-yy -X verbose -xx -v
X-raw-y-v-s64|-X raw -y -v -s 64
x-yy-s8|-x -yy -s 8'

# strace's own argv and environment sit on its stack, and the first execve
# prints the tracee's envp, which is a pointer into strace's stack.  So every
# strace command line here has the same number of words and the same total
# length: the flags are padded with "-etrace=all" (the default) and the
# output file's name with X's; the trace is moved to its place after.
WORDS=8          # flag words, padded
LEN=200          # length of the flag words + the output path, padded

# record OUTDIR: one trace per set, OUTDIR/NAME.strace
record() {
	local out=$1 bin name flags words len tmpout i
	mkdir -p "$out"
	bin=$(mktemp)
	tmpout=$(mktemp -d /tmp/sysrep-agree-out.XXXXXX)
	cc -O1 -Wall -o "$bin" "$SRC"
	mkdir -p "$SCRATCH"
	while IFS='|' read -r name flags; do
		# shellcheck disable=SC2206  # flags are words
		words=($flags)
		while [ ${#words[@]} -lt $WORDS ]; do
			words+=(-etrace=all)
		done
		len=0
		for i in "${words[@]}"; do len=$((len + ${#i} + 1)); done
		if [ $((LEN - len - ${#tmpout} - 8)) -lt 1 ]; then
			echo "record-flagsets.sh: LEN is too small" >&2
			exit 2
		fi
		pad=$(printf "%$((LEN - len - ${#tmpout} - 8))s" '' | tr ' ' X)
		unshare -p -f --mount-proc -n sh -ec '
			mount -t tmpfs -o size=1m,mode=0755 sysrep-agree "$1"
			mkdir "$1/bin" "$1/d"
			cp "$2" "$1/bin/prog"
			dir=$1 out=$3
			shift 3
			cd "$dir/d"
			exec env -i PATH=/usr/bin:/bin setarch "$(uname -m)" -R \
				strace -f -o "$out" "$@" "$dir/bin/prog" "$dir/d" \
				>/dev/null
		' "$SCRATCH" "$SCRATCH" "$bin" "$tmpout/$pad.strace" "${words[@]}"
		mv "$tmpout/$pad.strace" "$out/$name.strace"
		echo "recorded $out/$name.strace"
	done <<<"$SETS"
	rm -f "$bin"
	rmdir "$tmpout"
}

if [ "${1:-}" = "--check" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	record "$tmp/a"
	record "$tmp/b"
	status=0
	for f in "$tmp"/a/*.strace; do
		n=$(basename "$f")
		if cmp -s "$f" "$tmp/b/$n"; then
			echo "identical: $n"
		else
			echo "differs:   $n ($(diff "$f" "$tmp/b/$n" | grep -c '^<') lines)"
		fi
	done
	# identical or not, the two runs of each set must agree call by call
	for f in "$tmp"/a/*.strace; do
		n=$(basename "$f")
		/usr/bin/python3 "$ROOT/tests/agree.py" --bin "$ROOT/sysrep" \
			"$f" "$tmp/b/$n" >"$tmp/agree.txt" || status=1
		tail -n 1 "$tmp/agree.txt"
	done
	exit $status
fi
record "${1:-$ROOT/corpus/flagsets}"
