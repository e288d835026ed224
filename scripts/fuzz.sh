#!/usr/bin/env bash
# Runs the libFuzzer binaries of $FUZZ_BUILD/bin (default build/fuzz; make
# fuzz builds them there, make fuzz-fast in build/fuzz-fast).
#
#   scripts/fuzz.sh SECONDS [JOBS] [TARGET...]
#
# Each target fuzz_<x> runs SECONDS seconds, JOBS targets at a time, on its
# corpus tests/fuzz/corpus/<x>/ and regression inputs tests/fuzz/regress/<x>/
# (both read only).  New inputs go to $FB/corpus/<x>/, crashes,
# leaks and timeouts to $FB/crash/<x>/, the log to
# $FB/log/<x>.log.  Ends with one line per target: executions, the
# corpus size and whether it found something; exits 1 when one did.
# FUZZ_KEEP_GOING=1: a crash does not end the run (libFuzzer -fork=1
# -ignore_crashes=1), so one run collects every crash it can find.
# FUZZ_RUNS=N: each target stops after N executions (or SECONDS, whichever
# comes first).  The summary gives the coverage (libFuzzer's "cov:" edges).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${1:-60}
jobs=${2:-2}
shift 2 2>/dev/null || shift $#
targets=("$@")
FB=${FUZZ_BUILD:-build/fuzz}
export FB
if ((${#targets[@]} == 0)); then
	for f in "$FB"/bin/fuzz_*; do targets+=("$(basename "$f")"); done
fi

run_one() { # TARGET SECONDS
	local t=$1 secs=$2 name=${1#fuzz_}
	mkdir -p "$FB/corpus/$name" "$FB/crash/$name" "$FB/log"
	# the corpus dirs after the first are read, never written; a missing
	# regress dir is fine
	local dirs=("$FB/corpus/$name" "tests/fuzz/corpus/$name")
	[[ -d tests/fuzz/regress/$name ]] && dirs+=("tests/fuzz/regress/$name")
	local more=()
	[[ ${FUZZ_KEEP_GOING:-0} == 1 ]] &&
		more=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
	[[ -n ${FUZZ_RUNS:-} ]] && more+=(-runs="$FUZZ_RUNS")
	"$FB/bin/$t" "${more[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$FB/crash/$name/" "${dirs[@]}" \
		>"$FB/log/$name.log" 2>&1
	echo $? >"$FB/log/$name.rc"
}
export -f run_one

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$1" "$2"' _ {} "$secs"

bad=0
printf '%-18s %12s %8s %8s %s\n' target executions coverage corpus result
for t in "${targets[@]}"; do
	name=${t#fuzz_}
	log=$FB/log/$name.log
	# the final stats, or (fork mode) the last "#N" progress line
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' |
		tail -n 1)
	[[ -n $execs ]] || execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
	[[ -n $execs ]] || execs='?'
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')
	units=$(find "$FB/corpus/$name" -type f | wc -l)
	rc=$(cat "$FB/log/$name.rc" 2>/dev/null || echo '?')
	if [[ $rc == 0 ]] && [[ -z $(ls "$FB/crash/$name") ]]; then
		result=ok
	else
		result="FOUND (exit $rc): $(ls "$FB/crash/$name" | head -n 3 | tr '\n' ' ')see $log"
		bad=1
	fi
	printf '%-18s %12s %8s %8s %s\n' "$t" "$execs" "${cov:-?}" "$units" "$result"
done
exit $bad
