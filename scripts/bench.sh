#!/usr/bin/env bash
# Throughput benchmark: sysrep conversions against `wc -l` on one big trace.
#
#   scripts/bench.sh [path/to/sysrep]        (make bench runs it)
#
# The 11.7 MB corpus trace is decompressed into build/bench/ and repeated
# until the file is at least BENCH_MB megabytes.  Each command runs
# BENCH_RUNS times; the table shows the median wall time, the throughput
# that gives (MB = 10^6 bytes of input) and the largest peak RSS seen.
# wc -l is the floor: reading the bytes and finding the newlines.
#
# To time another conversion, add a line to CONVERSIONS below:
# "label|arguments", run as `sysrep ARGUMENTS FILE -o /dev/null`.
set -euo pipefail

CONVERSIONS=(
	"strace -> jsonl|convert -f strace -t jsonl"
	"strace -> strace|convert -f strace -t strace"
	"strace -> pb|convert -f strace -t pb"
	"strace -> msgpack|convert -f strace -t msgpack"
	"strace -> csv|convert -f strace -t csv"
	"strace -> seq|convert -f strace -t seq"
	"stats (parse only)|stats"
	"strace -> jsonl -j 1|convert -q -j 1 -f strace -t jsonl"
	"strace -> jsonl -j 2|convert -q -j 2 -f strace -t jsonl"
	"strace -> strace -j 2|convert -q -j 2 -f strace -t strace"
)

cd "$(dirname "${BASH_SOURCE[0]}")/.."
sysrep=$(realpath "${1:-./sysrep}")
runs=${BENCH_RUNS:-5}
min_mb=${BENCH_MB:-150}
src=corpus/bench/bench-mixed.strace.zst
dir=build/bench
one=$dir/bench-mixed.strace
big=$dir/bench-$min_mb.strace

[[ -x $sysrep ]] || { echo "bench.sh: $sysrep is not built (make)" >&2; exit 1; }
[[ -f $src ]] || { echo "bench.sh: $src is missing" >&2; exit 1; }
mkdir -p "$dir"

# The inputs are made once and kept: only a newer corpus file remakes them.
if [[ ! -f $one || $src -nt $one ]]; then
	zstd -q -d -f -o "$one" "$src"
fi
if [[ ! -f $big || $one -nt $big ]]; then
	one_bytes=$(stat -c %s "$one")
	copies=$(( (min_mb * 1000000 + one_bytes - 1) / one_bytes ))
	for ((i = 0; i < copies; i++)); do cat "$one"; done >"$big.tmp"
	mv "$big.tmp" "$big"
fi
bytes=$(stat -c %s "$big")
lines=$(wc -l <"$big")

# measure CMD... -> prints "SECONDS PEAK_RSS_KB" for one run of CMD, whose
# own output is discarded.  GNU time gives the peak RSS of the command
# alone.  Without it, a tiny C helper reads it from wait4(): a Python or
# shell parent would not do, as a child's peak RSS counts the pages it
# shared with its parent before exec, i.e. the interpreter's.
if [[ -x /usr/bin/time ]]; then
	measure() {
		local t0 t1 rss rss_file
		rss_file=$(mktemp)
		t0=$(date +%s%N)
		/usr/bin/time -f %M -o "$rss_file" "$@" >/dev/null
		t1=$(date +%s%N)
		rss=$(tail -n 1 "$rss_file")
		rm -f "$rss_file"
		echo "$(( (t1 - t0) / 1000 ))e-6 $rss"
	}
else
	cc -O2 -o "$dir/rusage" -x c - <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		/* the command's output is not what is measured */
		dup2(open("/dev/null", O_WRONLY), 1);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.6f %ld\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
	       ru.ru_maxrss);
	return 0;
}
EOF
	measure() {
		"$dir/rusage" "$@"
	}
fi

# bench LABEL CMD... -> one row of the table
bench() {
	local label=$1 times=() rss_max=0 i t rss median
	shift
	for ((i = 0; i < runs; i++)); do
		if ! read -r t rss < <(measure "$@"); then
			printf '%-28s %10s\n' "$label" "FAILED"
			return
		fi
		times+=("$t")
		((rss > rss_max)) && rss_max=$rss
	done
	median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	awk -v label="$label" -v t="$median" -v b="$bytes" -v rss="$rss_max" 'BEGIN {
		printf "%-28s %10.3f %10.1f %12.1f\n", label, t, b / 1e6 / t, rss / 1024
	}'
}

printf 'input: %s (%.1f MB, %d lines), %d runs each\n\n' "$big" \
	"$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$lines" "$runs"
printf '%-28s %10s %10s %12s\n' "command" "median s" "MB/s" "peak RSS MiB"
printf '%-28s %10s %10s %12s\n' "----------------------------" "--------" "------" "------------"
bench "wc -l" wc -l "$big"
for c in "${CONVERSIONS[@]}"; do
	read -r -a args <<<"${c#*|}"
	if [[ ${args[0]} == convert ]]; then
		bench "${c%%|*}" "$sysrep" "${args[@]}" "$big" -o /dev/null
	else
		bench "${c%%|*}" "$sysrep" "${args[@]}" "$big"
	fi
done

# Output sizes of the one trace, before any compression (issue 4's goal:
# pb and msgpack at most half the text).
one_bytes=$(stat -c %s "$one")
printf '\noutput size for %s (%d bytes)\n\n' "$one" "$one_bytes"
printf '%-10s %12s %9s\n' "writer" "bytes" "of input"
for t in jsonl pb msgpack csv archive; do
	"$sysrep" convert -q -t "$t" "$one" -o "$dir/size.$t"
	awk -v t="$t" -v b="$(stat -c %s "$dir/size.$t")" -v n="$one_bytes" \
		'BEGIN { printf "%-10s %12d %8.1f%%\n", t, b, 100 * b / n }'
	rm -f "$dir/size.$t"
done
echo

# One file on several threads (-j): the speedup of -j 2 over -j 1, and the
# proof that the output is the same bytes.
if [[ ${BENCH_PAR:-1} != 0 ]]; then
	"$sysrep" convert -q -j 1 -t jsonl "$big" | cksum >"$dir/j1.sum"
	"$sysrep" convert -q -j 2 -t jsonl "$big" | cksum >"$dir/j2.sum"
	if cmp -s "$dir/j1.sum" "$dir/j2.sum"; then
		echo "-j 2 output == -j 1 output (jsonl, cksum $(cut -d' ' -f1 "$dir/j1.sum"))"
	else
		echo "-j 2 output DIFFERS from -j 1" >&2
		exit 1
	fi
	rm -f "$dir/j1.sum" "$dir/j2.sum"
fi

# Compression: the archive (-t archive) against zstd -19 and xz -9 on the raw
# text of the one trace (11.7 MB), one run each (zstd -19 alone takes
# seconds).  The archive must come back byte-identical, and the goal is at
# most 60% of zstd -19's size in less time than zstd -19 takes.
# BENCH_ARCHIVE=0 skips this part.
if [[ ${BENCH_ARCHIVE:-1} != 0 ]]; then
	one_bytes=$(stat -c %s "$one")
	# squeeze LABEL OUT CMD... -> "SECONDS BYTES" of one run writing OUT
	squeeze() {
		local out=$1 t0 t1
		shift
		t0=$(date +%s%N)
		"$@" || return 1
		t1=$(date +%s%N)
		echo "$(( (t1 - t0) / 1000 ))e-6 $(stat -c %s "$out")"
	}
	row() { # LABEL SECONDS BYTES REF_BYTES
		awk -v l="$1" -v t="$2" -v b="$3" -v n="$one_bytes" -v z="$4" 'BEGIN {
			printf "%-28s %10.3f %12d %8.2f%% %9.1f%%\n", l, t, b, 100 * b / n, 100 * b / z
		}'
	}
	printf '\ncompression of %s (%.1f MB, %d lines), one run each\n\n' "$one" \
		"$(awk -v b="$one_bytes" 'BEGIN { print b / 1e6 }')" "$(wc -l <"$one")"
	printf '%-28s %10s %12s %9s %10s\n' "command" "seconds" "bytes" "of input" "of zstd-19"
	printf '%-28s %10s %12s %9s %10s\n' "----------------------------" "-------" "-----" \
		"--------" "----------"
	read -r zt zb < <(squeeze "$dir/one.zst" zstd -q -19 -f -o "$dir/one.zst" "$one")
	read -r xt xb < <(squeeze "$dir/one.xz" sh -c 'xz -9 -c "$1" >"$2"' sh "$one" "$dir/one.xz")
	read -r at ab < <(squeeze "$dir/one.sra" "$sysrep" convert -t archive -o "$dir/one.sra" "$one")
	read -r dt _ < <(squeeze "$dir/one.back" "$sysrep" convert -t strace -o "$dir/one.back" \
		"$dir/one.sra")
	row "zstd -19" "$zt" "$zb" "$zb"
	row "xz -9" "$xt" "$xb" "$zb"
	row "sysrep -t archive" "$at" "$ab" "$zb"
	printf '%-28s %10.3f\n' "archive -> strace (decode)" "$dt"
	if cmp -s "$dir/one.back" "$one"; then
		echo "round trip archive -> strace: byte-identical"
	else
		echo "round trip archive -> strace: DIFFERENT" >&2
		exit 1
	fi
	awk -v a="$ab" -v z="$zb" -v x="$xb" -v at="$at" -v zt="$zt" 'BEGIN {
		printf "archive / zstd -19: %.1f%% of the size (goal <= 60%%), %.1f%% of the time (goal < 100%%)\n",
			100 * a / z, 100 * at / zt
		printf "archive / xz -9:    %.1f%% of the size\n", 100 * a / x
	}'
	rm -f "$dir/one.zst" "$dir/one.xz" "$dir/one.sra" "$dir/one.back"
fi

# Python (issue 19): sysrep.frame() of the big trace against the CSV route
# it replaces, "sysrep convert -t csv" to a file then pandas.read_csv, each
# in a fresh /usr/bin/python3 (so both pay the pandas import).  Goal: frame
# <= 0.5x the CSV route's time; its memory about the DataFrame's own size
# (peak RSS minus the interpreter with sysrep and pandas imported).
# Needs "make python"; BENCH_PY=0 skips this part.
if [[ ${BENCH_PY:-1} != 0 ]]; then
	py=/usr/bin/python3
	export PYTHONPATH=$PWD/build/python
	printf '\nPython: sysrep.frame() against convert -t csv + pandas.read_csv, %s\n\n' "$big"
	printf '%-28s %10s %10s %12s\n' "command" "median s" "MB/s" "peak RSS MiB"
	printf '%-28s %10s %10s %12s\n' "----------------------------" "--------" "------" "------------"
	bench "python: import only" "$py" -c 'import sysrep, pandas' | tee "$dir/py.rows"
	bench "python: sysrep.frame()" "$py" -c 'import sys, sysrep; sysrep.frame(sys.argv[1])' \
		"$big" | tee -a "$dir/py.rows"
	bench "csv + pandas.read_csv" sh -c '"$1" convert -q -t csv "$2" -o "$3" &&
		"$4" -c "import sys, pandas; pandas.read_csv(sys.argv[1])" "$3"' \
		sh "$sysrep" "$big" "$dir/frame.csv" "$py" | tee -a "$dir/py.rows"
	rm -f "$dir/frame.csv"
	# the label has spaces: the numbers are the last three fields
	awk '{ t[NR] = $(NF - 2); m[NR] = $NF } END {
		printf "frame / (csv + read_csv): %.2fx the time (goal <= 0.5x); ", t[2] / t[3]
		printf "peak RSS above the imports: %.1f MiB (csv route: %.1f MiB)\n", m[2] - m[1], m[3] - m[1]
	}' "$dir/py.rows"
	rm -f "$dir/py.rows"
	"$py" -c 'import sys, sysrep
df = sysrep.frame(sys.argv[1])
print("DataFrame: %d rows, %.1f MiB (memory_usage)" % (len(df), df.memory_usage().sum() / 2**20))' "$big"
fi
