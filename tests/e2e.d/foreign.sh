# foreign.sh - the foreign JSON inputs give the records strace text gives
# (issue 16: "strace -B json ... fill the same records: same names, same
# order, same types").  Sourced by tests/e2e.sh (see README here).
#
# tests/data/foreign/ holds genuine output of strace's structured-output branch
# (-B json) and the text of the same program from the same strace binary
# (tests/data/foreign/README.md).  tests/agree.py --foreign aligns the calls per
# pid (calls, signals, exits, kills) and asserts that every aligned pair
# agrees and has the same argument names in the same order.  Unmatched text
# records are at most FOREIGN_UNMATCHED: the branch's five socket lines that
# are not JSON (kept as unparsed; tests/data/foreign/README.md).
FOREIGN_UNMATCHED=5

run "$O" "$E" "$PY" tests/agree.py --bin "$BIN" --assert --max-unmatched "$FOREIGN_UNMATCHED" \
	--foreign tests/data/foreign/prog-text.strace tests/data/foreign/prog-bjson.json
if [ $rc -eq 0 ]; then
	pass "foreign: strace -B json agrees with strace text ($(tail -n 1 "$O" | cut -d: -f3-))"
else
	fail "foreign: strace -B json vs text" "$(head -n 2 "$O" | tr '\n' ' ' | cut -c 1-300); $(tail -n 1 "$O")"
fi

# the branch's file as it is: objects separated by ", " and a newline
run "$O" "$E" "$BIN" convert -q --keep-going -t jsonl tests/data/foreign/prog-bjson.json
n=$(grep -c '"type":"syscall"' "$O")
[ $rc -eq 0 ] && [ "$n" -eq 173 ] && pass "foreign: -B json file read through ($n calls)" ||
	fail "foreign: -B json file read through" "exit $rc, $n calls: $(first_line "$E")"

# posix-omni-parser: its view of a text trace (tests/data/foreign/omni/README.md).
# One known defect of its own: _mode_to_flags strips a mode's trailing
# zeros (str(mode).strip("0")), so creat's 0600 comes out as 06.
# It writes calls only (no signals or exits).
run "$O" "$E" "$PY" tests/agree.py --bin "$BIN" --assert --max-unmatched 0 \
	--calls-only --known creat:/args/mode/value \
	--foreign tests/data/foreign/omni/prog.strace tests/data/foreign/omni/prog-omni.json
if [ $rc -eq 0 ]; then
	pass "foreign: posix-omni-parser agrees with strace text ($(grep '^foreign' "$O" | cut -d: -f3-))"
else
	fail "foreign: posix-omni-parser vs text" "$(head -n 2 "$O" | tr '\n' ' ' | cut -c 1-300); $(grep '^foreign' "$O")"
fi
