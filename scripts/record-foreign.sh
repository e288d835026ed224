#!/usr/bin/env bash
# record-foreign.sh - records corpus/flagsets/prog.c with strace's unmerged
# structured-output branch, once as JSON (-B json) and once as text, for the
# foreign-JSON agreement test (issue 16: the same records from every input).
#
#   bash scripts/record-foreign.sh STRACE [OUTDIR]   (default tests/data/foreign)
#
# STRACE is the branch's strace binary (see tests/data/foreign/README.md for how
# it was built).  Both runs use the same binary, -f, an empty environment,
# `setarch -R` (no ASLR) inside `unshare -p -f --mount-proc -n` (pids repeat;
# the program's loopback ports are free) and the program's scratch directory
# on a fresh tmpfs, as scripts/record-flagsets.sh does.  The output file
# names have the same length, so strace's own stack (the first execve's envp
# pointer) is the same in both runs.  Needs root.
set -eu
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STRACE=${1:?usage: record-foreign.sh STRACE [OUTDIR]}
OUT=${2:-$ROOT/tests/data/foreign}
SRC=$ROOT/corpus/flagsets/prog.c
SCRATCH=/tmp/sysrep-agree      # fixed: it is in the traces

mkdir -p "$OUT" "$SCRATCH"
bin=$(mktemp)
tmpout=$(mktemp -d /tmp/sysrep-foreign.XXXXXX)
trap 'rm -rf "$bin" "$tmpout"' EXIT
cc -O1 -Wall -o "$bin" "$SRC"
# name|output file|the flag word (same length both times)
for run in 'prog-bjson.json|-Bjson' 'prog-text.strace|-Btext'; do
	name=${run%%|*}
	flag=${run#*|}
	[ "$flag" = -Btext ] && flag=-s0032   # the default, 6 characters like -Bjson
	unshare -p -f --mount-proc -n sh -ec '
		mount -t tmpfs -o size=1m,mode=0755 sysrep-agree "$1"
		mkdir "$1/bin" "$1/d"
		cp "$2" "$1/bin/prog"
		dir=$1 out=$3 strace=$4 flag=$5
		cd "$dir/d"
		exec env -i PATH=/usr/bin:/bin setarch "$(uname -m)" -R \
			"$strace" -f "$flag" -o "$out" "$dir/bin/prog" "$dir/d" \
			>/dev/null
	' sh "$SCRATCH" "$bin" "$tmpout/trace.out" "$STRACE" "$flag"
	mv "$tmpout/trace.out" "$OUT/$name"
	echo "recorded $OUT/$name"
done
