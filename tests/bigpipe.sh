#!/usr/bin/env bash
# bigpipe.sh - memory stays bounded on a big input read through a pipe.
#
#   bash tests/bigpipe.sh ./sysrep [MB]      (default 1024; make bench: 2048)
#
# The bench trace (corpus/bench/bench-mixed.strace.zst, 11.7 MB of text) is
# repeated into a pipe until MB megabytes went through, into `sysrep stats -`
# and `sysrep convert -t jsonl - -o /dev/null`.  GNU time gives the peak RSS
# of sysrep alone, which must stay under 64 MB, and stats must count every
# line.  Prints PASS/FAIL lines (tests/e2e.d/hostile.sh counts them); exits
# 1 when one failed.
set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 2
BIN=$1
MB=${2:-1024}
LIMIT_KB=65536
[ -x /usr/bin/time ] || { echo "FAIL big pipe: /usr/bin/time is missing (apt-get install time)"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
zstd -q -d -c corpus/bench/bench-mixed.strace.zst >"$TMP/one.strace"
one=$(stat -c %s "$TMP/one.strace")
copies=$(((MB * 1048576 + one - 1) / one))
feed() { for ((i = 0; i < copies; i++)); do cat "$TMP/one.strace"; done; }
bad=0

t0=$(date +%s)
feed | /usr/bin/time -f %M -o "$TMP/rss" "$BIN" stats --json - >"$TMP/s" 2>"$TMP/e"
rss=$(tail -n 1 "$TMP/rss")
want=$(($(wc -l <"$TMP/one.strace") * copies))
got=$(jq -r '"\(.lines) \(.events + .unparsed + .attached)"' "$TMP/s" 2>/dev/null)
if [ "$got" = "$want $want" ] && [ "$rss" -lt $LIMIT_KB ]; then
	echo "PASS stats of $MB MB through a pipe: $want lines accounted for, peak RSS $((rss / 1024)) MB < 64 MB ($(($(date +%s) - t0)) s)"
else
	echo "FAIL stats of $MB MB through a pipe -- lines/sum '$got' want $want, peak RSS $rss KB: $(head -n 1 "$TMP/e")"
	bad=1
fi

t0=$(date +%s)
feed | /usr/bin/time -f %M -o "$TMP/rss" "$BIN" convert -t jsonl - -o /dev/null 2>"$TMP/e"
st=$?
rss=$(tail -n 1 "$TMP/rss")
if [ $st -eq 0 ] && [ "$rss" -lt $LIMIT_KB ]; then
	echo "PASS convert -t jsonl of $MB MB through a pipe: peak RSS $((rss / 1024)) MB < 64 MB ($(($(date +%s) - t0)) s)"
else
	echo "FAIL convert -t jsonl of $MB MB through a pipe -- exit $st, peak RSS $rss KB: $(head -n 1 "$TMP/e")"
	bad=1
fi
exit $bad
