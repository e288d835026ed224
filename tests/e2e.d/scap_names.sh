# scap_names.sh - the scap reader's calls have strace's argument names,
# order and shapes (issue 16: every reader fills the same records).
# Sourced by tests/e2e.sh (see README here).
#
# tests/scap_names.py compares, for every call that corpus/scap/ and the
# strace traces of corpus/ and corpus/flagsets/ both have, each scap
# record's arguments with the kinds strace's records give them (by name, or
# by the position formats/scap/scap_strace.c's table gives): no record may
# differ.

run "$O" "$E" "$PY" tests/scap_names.py --bin "$BIN" --assert \
	--scap corpus/scap/*.scap --strace corpus/*.strace corpus/flagsets/*.strace
if [ $rc -eq 0 ]; then
	pass "scap names: $(tail -n 1 "$O" | sed 's/ (.*)//; s/^summary: //')"
else
	fail "scap names" "$(head -n 3 "$O" | tr '\n' ' ' | cut -c 1-300) $(first_line "$E")"
fi
