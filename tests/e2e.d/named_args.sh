# named_args.sh - every call of the corpus has named arguments
# (docs/semantic-record.md, "Record keys"): no syscall or unfinished event
# of a known call has an argI key.  strace 4.x's "syscall_NNN(...)" raw
# values past the call's arguments are "unusedI", prctl's arg2..arg5 are
# named by option, restart_syscall's "<... resuming interrupted read ...>"
# is "resuming".  Sourced by tests/e2e.sh.

n=0
bad=""
for f in $(find corpus -type f -name '*.strace' | sort) corpus/perpid/* corpus/scap/*.scap; do
	[ -f "$f" ] || continue
	c=$("$BIN" convert -t jsonl "$f" 2>/dev/null |
		jq -c 'select(.args | type == "object") | select([.args | keys[] | select(test("^arg[0-9]"))] | length > 0) | .syscall' |
		wc -l)
	n=$((n + c))
	[ "$c" -eq 0 ] || bad="$bad $f:$c"
done
[ "$n" -eq 0 ] && pass "named args: no argI key over the corpus" ||
	fail "named args: no argI key over the corpus" "$n events:$bad"

printf '%s\n' 'syscall_332(0xffffff9c, 0x7ffe8454c9bd, 0x900, 0x25e, 0x7ffe8454a830, 0x73) = 0' \
	'prctl(PR_CAPBSET_READ, 0x20, 0, 0x7fc6785e5bc8, 0) = 1' \
	'prctl(PR_SET_NAME, "abc") = 0' \
	'restart_syscall(<... resuming interrupted read ...>) = 0' >"$TMP/named.strace"
run "$O" "$E" "$BIN" convert -t jsonl "$TMP/named.strace"
got=$(jq -c '.args | keys_unsorted' "$O" 2>&1 | tr '\n' ' ')
want='["dirfd","pathname","flags","mask","statxbuf","unused5"] ["option","capability","unused2","unused3","unused4"] ["option","name"] ["resuming"] '
[ $rc -eq 0 ] && [ "$got" = "$want" ] && pass "named args: surplus values, prctl by option, restart_syscall" ||
	fail "named args: surplus values, prctl by option, restart_syscall" "exit $rc: got $got"
got=$(jq -c '[.args.capability, .args.resuming]' "$O" 2>&1 | sed -n '2p;4p' | tr '\n' ' ')
[ "$got" = '[{"value":32,"name":"CAP_MAC_OVERRIDE"},null] [null,"read"] ' ] &&
	pass "named args: capability and resumed call values" ||
	fail "named args: capability and resumed call values" "got $got"
for t in jsonl pb msgpack; do
	"$BIN" convert -t $t -o "$TMP/named.$t" "$TMP/named.strace" 2>"$E" &&
		"$BIN" convert -f $t -t strace "$TMP/named.$t" >"$O" 2>>"$E"
	rc=$?
	[ $rc -eq 0 ] && cmp -s "$O" "$TMP/named.strace" && pass "named args: round trip through $t" ||
		fail "named args: round trip through $t" "exit $rc: $(first_line "$E")"
done
