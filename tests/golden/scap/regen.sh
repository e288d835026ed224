#!/usr/bin/env bash
# regen.sh - regenerates tests/golden/scap/*.sysdig.txt: sysdig's own
# decoding of the captures in corpus/scap/, which tests/e2e.d/scap.sh
# compares with sysrep's (event numbers, times, threads, directions and
# types).  Needs sysdig (Debian: apt-get install sysdig); the test itself
# does not.
#
#   bash tests/golden/scap/regen.sh
#
# A capture sysdig cannot read (Debian's sysdig 0.29.3 fails on
# curl_google_comments.scap, a newer file version) gets no file; the test
# compares it with the capture it was made from instead.
set -u
cd "$(dirname "$0")/../../.." || exit 2
command -v sysdig >/dev/null || { echo "regen.sh: sysdig is not installed" >&2; exit 2; }
fmt='%evt.num %evt.rawtime %thread.tid %evt.dir %evt.type'
for f in corpus/scap/*.scap; do
	out=tests/golden/scap/$(basename "$f" .scap).sysdig.txt
	if sysdig -r "$f" -p "$fmt" >"$out.tmp" 2>"$out.err" && [ -s "$out.tmp" ]; then
		mv "$out.tmp" "$out"
		echo "wrote $out ($(wc -l <"$out") events)"
	else
		echo "sysdig cannot read $f: $(head -n 1 "$out.err")"
		rm -f "$out.tmp"
	fi
	rm -f "$out.err"
done
