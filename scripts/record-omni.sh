#!/usr/bin/env bash
# record-omni.sh - records tests/data/foreign/omni/prog.c with strace as text and
# converts the trace with posix-omni-parser, for the foreign-JSON agreement
# test (issue 16).
#
#   bash scripts/record-omni.sh OMNI_DIR [OUTDIR]   (default tests/data/foreign/omni)
#
# OMNI_DIR is a checkout of github.com/ssavvides/posix-omni-parser (Python 2:
# `python2` must run it; it reads syscall_definitions.pickle from the current
# directory).  The program runs under `setarch -R` in a pid namespace with
# an empty environment, its directory on a fresh tmpfs (statfs gives the
# same numbers every time).  Needs root.
set -eu
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OMNI=$(cd "${1:?usage: record-omni.sh OMNI_DIR [OUTDIR]}" && pwd)
OUT=${2:-$ROOT/tests/data/foreign/omni}
SCRATCH=/tmp/sysrep-omni      # fixed: it is in the trace
mkdir -p "$OUT" "$SCRATCH"
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
cc -O1 -static -nostdlib -fno-stack-protector -o "$bin" "$ROOT/tests/data/foreign/omni/prog.c"
unshare -p -f --mount-proc sh -ec '
	mount -t tmpfs -o size=1m,mode=0755 sysrep-omni "$1"
	mkdir "$1/bin" "$1/d"
	cp "$2" "$1/bin/prog"
	exec env -i setarch "$(uname -m)" -R strace -f -o "$3" "$1/bin/prog"
' sh "$SCRATCH" "$bin" "$OUT/prog.strace"
(cd "$OMNI" && PYTHONPATH="$OMNI" python2 "$ROOT/scripts/omni-json.py" "$OUT/prog.strace") \
	>"$OUT/prog-omni.json" 2>/dev/null
echo "recorded $OUT/prog.strace and $OUT/prog-omni.json"
