#!/usr/bin/env bash
# Throughput, memory and linearity benchmark (make bench).
#
#   scripts/bench.sh [path/to/sysrep]
#
# Every time is CPU time (user + system, from GNU time), the best of
# BENCH_RUNS runs, and is shown as a ratio to `zstd -3` of the same input
# measured in the same run: the machine is shared and noisy, so only ratios
# measured together mean anything.  Peak RSS is the largest seen.
#
#   1. conversions of the bench trace repeated to BENCH_MB megabytes
#      (default 48): stats, jsonl, pb, msgpack, csv, strace, seq, -j 1/-j 2;
#   2. instructions per byte (callgrind, BENCH_CALLGRIND=0 skips it) on a
#      3 MB slice: they do not depend on the load, so they compare across
#      runs and machines;
#   3. linearity: each row times an input of size n and one of size 10n
#      (or the same bytes shaped worse), and shows cost(big) / (10 cost(n))
#      or cost(worse) / cost(plain): 1.0 is linear, 10 is quadratic;
#   4. the archive against zstd -19 on the one bench trace (11.7 MB) and on
#      a small strace -ff file (BENCH_ARCHIVE=0 skips it).
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
sysrep=$(realpath "${1:-./sysrep}")
runs=${BENCH_RUNS:-3}
min_mb=${BENCH_MB:-48}
src=corpus/bench/bench-mixed.strace.zst
dir=build/bench
one=$dir/bench-mixed.strace
big=$dir/bench-$min_mb.strace
slice=$dir/bench-3mb.strace

[[ -x $sysrep ]] || { echo "bench.sh: $sysrep is not built (make)" >&2; exit 1; }
[[ -f $src ]] || { echo "bench.sh: $src is missing" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench.sh: GNU time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$dir"

# --- inputs, made once and kept (a newer corpus file remakes them) ------
if [[ ! -f $one || $src -nt $one ]]; then
	zstd -q -d -f -o "$one" "$src"
fi
if [[ ! -f $big || $one -nt $big ]]; then
	one_bytes=$(stat -c %s "$one")
	copies=$(((min_mb * 1000000 + one_bytes - 1) / one_bytes))
	for ((i = 0; i < copies; i++)); do cat "$one"; done >"$big.tmp"
	mv "$big.tmp" "$big"
fi
if [[ ! -f $slice || $one -nt $slice ]]; then
	# the first 3 MB, to a line end
	head -c 3000000 "$one" | awk '{ print }' >"$slice.tmp"
	mv "$slice.tmp" "$slice"
fi

# gen_open ROUNDS WIDTH: WIDTH tasks cut an openat, then all resume, ROUNDS
# times.  WIDTH 10000 and WIDTH 1 give the same bytes and lines.
gen_open() {
	awk -v rounds="$1" -v width="$2" 'BEGIN {
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < width; i++)
				printf "%d openat(AT_FDCWD, \"/usr/lib/x86_64-linux-gnu/libc.so.6\", O_RDONLY|O_CLOEXEC <unfinished ...>\n", 10000 + i
			for (i = 0; i < width; i++)
				printf "%d <... openat resumed>) = 3\n", 10000 + i
		}
	}'
}

# gen_procs N: one shell forking N children that exec, open a file of their
# own and exit (a process tree, paths and pids all growing with N).
gen_procs() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			c = 10000 + i
			printf "10000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3c2b1d4a10) = %d\n", c
			printf "%d execve(\"/usr/bin/tool%d\", [\"tool%d\", \"-x\"], 0x7ffd2c0e8f08 /* 20 vars */) = 0\n", c, i % 50, i % 50
			printf "%d openat(AT_FDCWD, \"/tmp/work/f%d\", O_RDONLY) = 3\n", c, i
			printf "%d read(3, \"data\", 4096)         = 4\n", c
			printf "%d exit_group(0)                    = ?\n", c
			printf "%d +++ exited with 0 +++\n", c
			printf "10000 wait4(-1, NULL, 0, NULL)      = %d\n", c
		}
	}'
}

# gen_ff DIR FILES LINES: the per-pid files of strace -ff -tt, DIR/t.PID,
# whose lines interleave in time.
gen_ff() {
	rm -rf "$1"
	mkdir -p "$1"
	awk -v dir="$1" -v files="$2" -v lines="$3" 'BEGIN {
		for (f = 0; f < files; f++) {
			out = sprintf("%s/t.%d", dir, 20000 + f)
			for (i = 0; i < lines; i++) {
				us = i * files + f
				printf "10:%02d:%02d.%06d openat(AT_FDCWD, \"/tmp/f%d\", O_RDONLY) = 3\n",
					int(us / 60000000) % 60, int(us / 1000000) % 60, us % 1000000, i >out
			}
			close(out)
		}
	}'
}

lin=$dir/lin
mkdir -p "$lin"
[[ -f $lin/open10k.strace ]] || gen_open 20 10000 >"$lin/open10k.strace"
[[ -f $lin/open1.strace ]] || gen_open 200000 1 >"$lin/open1.strace"
[[ -f $lin/procs-n.strace ]] || gen_procs 4000 >"$lin/procs-n.strace"
[[ -f $lin/procs-10n.strace ]] || gen_procs 40000 >"$lin/procs-10n.strace"
[[ -d $lin/ff-n ]] || gen_ff "$lin/ff-n" 20 4000
[[ -d $lin/ff-10n ]] || gen_ff "$lin/ff-10n" 200 4000
if [[ ! -f $lin/slice-10n.strace ]]; then
	for ((i = 0; i < 10; i++)); do cat "$slice"; done >"$lin/slice-10n.strace"
fi

# --- measuring ------------------------------------------------------------
# cpu CMD... -> "CPU_SECONDS WALL_SECONDS PEAK_RSS_KB", the best of $runs
# runs (least CPU; its wall time; the largest RSS of all runs).  The
# command's output is discarded.
cpu() {
	local i f best="" bw="" rss=0 u s e m t
	f=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%U %S %e %M' -o "$f" "$@" >/dev/null || {
			rm -f "$f"
			return 1
		}
		read -r u s e m < <(tail -n 1 "$f")
		t=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
		if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
			bw=$e
		fi
		((m > rss)) && rss=$m
	done
	rm -f "$f"
	echo "$best $bw $rss"
}

bytes=$(stat -c %s "$big")
printf 'input: %s (%.1f MB, %d lines); CPU time (user+sys), best of %d\n\n' "$big" \
	"$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$(wc -l <"$big")" "$runs"

read -r zcpu _ zrss < <(cpu zstd -3 -T1 -q -c "$big")
printf '%-30s %8s %9s %8s %9s\n' "command" "CPU s" "x zstd-3" "MB/s" "RSS MiB"
printf '%-30s %8s %9s %8s %9s\n' "------------------------------" "-----" "--------" "----" "-------"
row() { # LABEL CPU RSS_KB
	awk -v l="$1" -v t="$2" -v z="$zcpu" -v b="$bytes" -v r="$3" 'BEGIN {
		printf "%-30s %8.3f %9.2f %8.1f %9.1f\n", l, t, t / z, b / 1e6 / (t > 0 ? t : 1e-9), r / 1024
	}'
}
row "zstd -3" "$zcpu" "$zrss"

CONVERSIONS=(
	"stats (parse only)|stats -q"
	"strace -> jsonl|convert -q -t jsonl"
	"strace -> pb|convert -q -t pb"
	"strace -> msgpack|convert -q -t msgpack"
	"strace -> csv|convert -q -t csv"
	"strace -> strace|convert -q -t strace"
	"strace -> seq|convert -q -t seq"
)
for c in "${CONVERSIONS[@]}"; do
	read -r -a args <<<"${c#*|}"
	if [[ ${args[0]} == convert ]]; then
		set -- "$sysrep" "${args[@]}" "$big" -o /dev/null
	else
		set -- "$sysrep" "${args[@]}" "$big"
	fi
	if read -r t _ r < <(cpu "$@"); then
		row "${c%%|*}" "$t" "$r"
	else
		printf '%-30s %8s\n' "${c%%|*}" "FAILED"
	fi
done

# -j: the same conversion on one and on two threads.  On a shared machine
# wall time says little; the CPU -j 2 spends over -j 1 is its overhead
# (the replay, the hand-off, memory touched on two cores), and the output
# must be the same bytes.  The runs alternate -j 1 and -j 2 (twice
# BENCH_RUNS each), so that a change in the load falls on both.
jpair() { # TYPE -> rows and the ratio line
	local i f u s e m t k
	local -A best=() wall=() rss=()
	f=$(mktemp)
	for ((i = 0; i < 2 * runs; i++)); do
		for k in 1 2; do
			/usr/bin/time -f '%U %S %e %M' -o "$f" \
				"$sysrep" convert -q -j "$k" -t "$1" "$big" -o /dev/null >/dev/null
			read -r u s e m < <(tail -n 1 "$f")
			t=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
			if [[ -z ${best[$k]:-} ]] || awk -v a="$t" -v b="${best[$k]}" 'BEGIN { exit !(a < b) }'; then
				best[$k]=$t
				wall[$k]=$e
			fi
			((m > ${rss[$k]:-0})) && rss[$k]=$m
		done
	done
	rm -f "$f"
	row "strace -> $1 -j 1" "${best[1]}" "${rss[1]}"
	row "strace -> $1 -j 2" "${best[2]}" "${rss[2]}"
	awk -v a="${best[1]}" -v b="${best[2]}" -v aw="${wall[1]}" -v bw="${wall[2]}" -v t="$1" 'BEGIN {
		printf "-j 2 / -j 1 (%s): CPU %.2fx (1.00 = no overhead), wall %.2fx of -j 1 (loaded machine)\n", t, b / a, bw / aw
	}'
}
jpair jsonl
jpair strace
if cmp -s <("$sysrep" convert -q -j 1 -t jsonl "$big" | cksum) \
	<("$sysrep" convert -q -j 2 -t jsonl "$big" | cksum); then
	echo "-j 2 output == -j 1 output (jsonl)"
else
	echo "-j 2 output DIFFERS from -j 1" >&2
	exit 1
fi

# --- instructions per byte ----------------------------------------------
if [[ ${BENCH_CALLGRIND:-1} != 0 ]] && command -v valgrind >/dev/null; then
	sbytes=$(stat -c %s "$slice")
	# instr CMD... -> instructions the command executed (callgrind)
	instr() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
			awk '/Collected :/ { print $NF }'
	}
	printf '\ninstructions per byte (callgrind), %s (%d bytes)\n\n' "$slice" "$sbytes"
	printf '%-30s %10s %9s\n' "command" "instr/B" "x zstd-3"
	printf '%-30s %10s %9s\n' "------------------------------" "-------" "--------"
	zi=$(instr zstd -3 -T1 -q -c "$slice")
	irow() {
		awk -v l="$1" -v i="$2" -v z="$zi" -v b="$sbytes" 'BEGIN {
			printf "%-30s %10.1f %9.2f\n", l, i / b, i / z
		}'
	}
	irow "zstd -3" "$zi"
	irow "stats (parse only)" "$(instr "$sysrep" stats -q "$slice")"
	for t in jsonl pb msgpack csv strace; do
		irow "strace -> $t" "$(instr "$sysrep" convert -q -t "$t" "$slice" -o /dev/null)"
	done

	# -j 2 on an idle 2-core machine, estimated from instructions, which
	# the load does not move: the calling thread reads, stitches and runs
	# the writer while two workers parse, so the run takes about
	# max(calling thread, all threads / 2); the speed-up is -j 1's
	# instructions over that.  Memory stalls are not in it: read the CPU
	# ratio above for those (the estimate is an upper bound by about it).
	printf '\n-j 2 against -j 1 (callgrind, %s): instructions, and the idle 2-core speed-up\n\n' "$slice"
	printf '%-22s %8s %14s %14s %10s\n' "conversion" "-j2/-j1" "calling thread" "of all -j 2" "speed-up"
	printf '%-22s %8s %14s %14s %10s\n' "----------------------" "-------" "--------------" "-----------" "--------"
	for t in jsonl strace pb stats; do
		if [[ $t == stats ]]; then
			set -- "$sysrep" stats -q
		else
			set -- "$sysrep" convert -q -t "$t" -o /dev/null
		fi
		i1=$(instr "$@" -j 1 "$slice")
		jd=$(mktemp -d)
		valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$jd/cg" \
			"$@" -j 2 "$slice" >/dev/null 2>&1
		im=$(awk '/^summary:/ { print $2 }' "$jd/cg-01")
		it=$(cat "$jd"/cg-0* | awk '/^summary:/ { s += $2 } END { print s }')
		rm -rf "$jd"
		awk -v l="$t" -v a="$i1" -v m="$im" -v t="$it" 'BEGIN {
			h = t / 2
			printf "%-22s %8.3f %14d %13.0f%% %9.2fx\n", l, t / a, m, 100 * m / t, a / (m > h ? m : h)
		}'
	done
	echo "goal: -j 2 >= 1.6x -j 1 on an idle 2-core machine"
fi

# --- linearity ----------------------------------------------------------
printf '\nlinearity: cost of the big input / (10 x cost of the small one), or of\nthe worse shape / the plain one (CPU, best of %d; 1.0 = linear)\n\n' "$runs"
printf '%-44s %8s %8s %7s\n' "case" "small s" "big s" "ratio"
printf '%-44s %8s %8s %7s\n' "--------------------------------------------" "-------" "-----" "-----"
# lin LABEL SCALE SMALL_CMD... -- BIG_CMD...
lin() {
	local label=$1 scale=$2 a=() b=() ta tb
	shift 2
	while [[ $1 != -- ]]; do a+=("$1"); shift; done
	shift
	b=("$@")
	read -r ta _ _ < <(cpu "${a[@]}") || ta=FAILED
	read -r tb _ _ < <(cpu "${b[@]}") || tb=FAILED
	awk -v l="$label" -v a="$ta" -v b="$tb" -v k="$scale" 'BEGIN {
		if (a == "FAILED" || b == "FAILED") { printf "%-44s %8s\n", l, "FAILED"; exit }
		printf "%-44s %8.3f %8.3f %7.2f\n", l, a, b, b / (k * (a > 0.005 ? a : 0.005))
	}'
}
lin "10k open calls vs 1 (stats, same bytes)" 1 \
	"$sysrep" stats -q "$lin/open1.strace" -- "$sysrep" stats -q "$lin/open10k.strace"
lin "10k open calls vs 1 (-j 2 -t strace)" 1 \
	"$sysrep" convert -q -j 2 -t strace "$lin/open1.strace" -o /dev/null -- \
	"$sysrep" convert -q -j 2 -t strace "$lin/open10k.strace" -o /dev/null
lin "-j 2 replay: 3 MB vs 30 MB" 10 \
	"$sysrep" convert -q -j 2 -t strace "$slice" -o /dev/null -- \
	"$sysrep" convert -q -j 2 -t strace "$lin/slice-10n.strace" -o /dev/null
lin "tree: 4k vs 40k processes" 10 \
	"$sysrep" tree "$lin/procs-n.strace" -- "$sysrep" tree "$lin/procs-10n.strace"
lin "tree --json: 4k vs 40k processes" 10 \
	"$sysrep" tree --json "$lin/procs-n.strace" -- "$sysrep" tree --json "$lin/procs-10n.strace"
lin "report: 4k vs 40k processes" 10 \
	"$sysrep" report "$lin/procs-n.strace" -o /dev/null -- \
	"$sysrep" report "$lin/procs-10n.strace" -o /dev/null
lin "--merge: 20 vs 200 -ff files" 10 \
	"$sysrep" convert -q --merge -t jsonl "$lin"/ff-n/t.* -o /dev/null -- \
	"$sysrep" convert -q --merge -t jsonl "$lin"/ff-10n/t.* -o /dev/null
lin "corpus mode (-r): 20 vs 200 files" 10 \
	"$sysrep" convert -q -r "$lin/ff-n" -o "$lin/out-n" -t jsonl -- \
	"$sysrep" convert -q -r "$lin/ff-10n" -o "$lin/out-10n" -t jsonl
lin "corpus mode (-r --merge): 20 vs 200 files" 10 \
	"$sysrep" convert -q -r "$lin/ff-n" -o "$lin/mout-n" --merge -t jsonl -- \
	"$sysrep" convert -q -r "$lin/ff-10n" -o "$lin/mout-10n" --merge -t jsonl
rm -rf "$lin/out-n" "$lin/out-10n" "$lin/mout-n" "$lin/mout-10n"

# --- the archive --------------------------------------------------------
# Against zstd -19 on the text: the goal is at most 0.6x its size, written
# in at most a tenth of its CPU time; small files smaller than zstd -19.
if [[ ${BENCH_ARCHIVE:-1} != 0 ]]; then
	# corpus/perpid/ is held out of the archive dictionaries' training
	smalls=(corpus/perpid/sh-ff.*)
	arch() { # LABEL FILE
		local f=$2 zt zb at ab dt z3
		read -r z3 _ _ < <(cpu zstd -3 -T1 -q -c "$f")
		read -r zt _ _ < <(cpu zstd -19 -T1 -q -c "$f")
		zb=$(zstd -19 -T1 -q -c "$f" | wc -c)
		read -r at _ _ < <(cpu "$sysrep" convert -q -t archive "$f" -o "$dir/a.sra")
		ab=$(stat -c %s "$dir/a.sra")
		read -r dt _ _ < <(cpu "$sysrep" convert -q -t strace "$dir/a.sra" -o "$dir/a.back")
		if ! cmp -s "$dir/a.back" "$f"; then
			echo "archive round trip of $f: DIFFERENT" >&2
			exit 1
		fi
		awk -v l="$1" -v n="$(stat -c %s "$f")" -v z3="$z3" -v zt="$zt" -v zb="$zb" \
			-v at="$at" -v ab="$ab" -v dt="$dt" 'BEGIN {
			if (z3 < 0.02) {
				# too fast for the clock (10 ms): sizes only
				printf "%-16s %10d %9d %9d %8.2f %9s %9s %9s\n", l, n, zb, ab,
					ab / zb, "-", "-", "-"
				exit
			}
			printf "%-16s %10d %9d %9d %8.2f %9.2f %9.2f %9.2f\n", l, n, zb, ab,
				ab / zb, at / z3, at / zt, dt / z3
		}'
		rm -f "$dir/a.sra" "$dir/a.back"
	}
	printf '\narchive (-t archive) vs zstd -19, byte-identical round trip checked\n\n'
	printf '%-16s %10s %9s %9s %8s %9s %9s %9s\n' "input" "bytes" "zstd-19" "archive" \
		"size/z19" "t/zstd-3" "t/z19" "decode/z3"
	printf '%-16s %10s %9s %9s %8s %9s %9s %9s\n' "----------------" "-----" "-------" \
		"-------" "--------" "--------" "-----" "---------"
	arch "bench trace" "$one"
	for small in "${smalls[@]}"; do
		[[ -f $small ]] && arch "$(basename "$small")" "$small"
	done
	echo "goals: size/z19 <= 0.60 and t/z19 <= 0.10 on the bench trace; size/z19 < 1 on the small files"
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
	printf '\nPython: sysrep.frame() against convert -t csv + pandas.read_csv, %s\n' "$big"
	printf '(CPU time, best of %d; the x zstd-3 column is against the zstd -3 row above)\n\n' "$runs"
	printf '%-30s %8s %9s %8s %9s\n' "command" "CPU s" "x zstd-3" "MB/s" "RSS MiB"
	printf '%-30s %8s %9s %8s %9s\n' "------------------------------" "-----" "--------" "----" "-------"
	# pyrow LABEL CMD... -> a row, and "CPU RSS_KB" appended to py.rows
	pyrow() {
		local label=$1 t r
		shift
		if read -r t _ r < <(cpu "$@"); then
			row "$label" "$t" "$r"
			echo "$t $r" >>"$dir/py.rows"
		else
			printf '%-30s %8s\n' "$label" "FAILED"
			echo "0 0" >>"$dir/py.rows"
		fi
	}
	rm -f "$dir/py.rows"
	pyrow "python: import only" "$py" -c 'import sysrep, pandas'
	pyrow "python: sysrep.frame()" "$py" -c 'import sys, sysrep; sysrep.frame(sys.argv[1])' "$big"
	pyrow "csv + pandas.read_csv" sh -c '"$1" convert -q -t csv "$2" -o "$3" &&
		"$4" -c "import sys, pandas; pandas.read_csv(sys.argv[1])" "$3"' \
		sh "$sysrep" "$big" "$dir/frame.csv" "$py"
	rm -f "$dir/frame.csv"
	awk '{ t[NR] = $1; m[NR] = $2 } END {
		printf "frame / (csv + read_csv): %.2fx the CPU time (goal <= 0.5x); ", (t[3] > 0 ? t[2] / t[3] : 0)
		printf "peak RSS above the imports: %.1f MiB (csv route: %.1f MiB)\n", (m[2] - m[1]) / 1024, (m[3] - m[1]) / 1024
	}' "$dir/py.rows"
	rm -f "$dir/py.rows"
	"$py" -c 'import sys, sysrep
df = sysrep.frame(sys.argv[1])
print("DataFrame: %d rows, %.1f MiB (memory_usage)" % (len(df), df.memory_usage().sum() / 2**20))' "$big"
fi
