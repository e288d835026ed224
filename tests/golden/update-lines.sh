#!/usr/bin/env bash
# update-lines.sh - regenerate the expected ("> ") lines of tests/golden/lines.txt
# from what the current binary prints.
#
#	tests/golden/update-lines.sh [SYSREP] [FILE]
#
# SYSREP defaults to ./sysrep and FILE to tests/golden/lines.txt (run it from
# the repository root).  For every case the "< " input lines are written to a
# temporary file, converted with "SYSREP convert -f strace -t jsonl", and the
# case's "> " lines are replaced by that output.  Comments, blank lines and
# input lines are kept as they are; the file is rewritten in place.
#
# This is a reviewer's tool: run it, then read "git diff tests/golden/lines.txt".
# Every changed "> " line is a change of behaviour to judge by hand against
# docs/jsonl-schema.md.  Beware that it also overwrites the hand-written
# expectations of the section "KNOWN DISCREPANCIES" with what the binary
# prints today: do not commit those hunks unless the parser was fixed.
set -euo pipefail

sysrep=${1:-./sysrep}
file=${2:-tests/golden/lines.txt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$tmp/out
in=$tmp/case
: >"$out"
: >"$in"
have=0

flush() {
	if [ "$have" = 1 ]; then
		cat "$in" | sed 's/^/< /; s/^< $/</' >>"$out"
		LC_ALL=C "$sysrep" convert -f strace -t jsonl "$in" | sed 's/^/> /' >>"$out"
	fi
	: >"$in"
	have=0
}

while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'<')	printf '\n' >>"$in"; have=1 ;;
	'< '*)	printf '%s\n' "${line#< }" >>"$in"; have=1 ;;
	'> '*|'>') ;;
	*)	flush; printf '%s\n' "$line" >>"$out" ;;
	esac
done <"$file"
flush
cp "$out" "$file"
