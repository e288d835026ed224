# arch.sh - constants per architecture (docs/semantic-record.md, "Constant
# sets"): --arch picks the syscall signatures and the constant values both
# ways, value -> names in the record and names -> value when it is spelled
# back.  Sourced by tests/e2e.sh.

printf '%s\n' 'openat(AT_FDCWD, "/d", O_RDONLY|O_DIRECTORY) = 3' \
	'openat(AT_FDCWD, "/d", 0x4000) = 3' \
	'mmap(NULL, 4096, PROT_READ|PROT_BTI, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xffff8000' \
	'fcntl(3, F_GETFL) = 0x4000 (flags O_RDONLY|O_DIRECTORY)' >"$TMP/a64.strace"

run "$O" "$E" "$BIN" convert --arch aarch64 -t jsonl "$TMP/a64.strace"
got=$(jq -c '[.args.flags.value, .args.flags.names, .args.prot.value, (.return | if type == "object" then .fd else . end)]' "$O" 2>&1 | tr '\n' ' ')
want='[16384,["O_RDONLY","O_DIRECTORY"],null,3] [16384,["O_RDONLY","O_DIRECTORY"],null,3] [34,["MAP_PRIVATE","MAP_ANONYMOUS"],17,4294934528] [null,null,null,16384] '
[ $rc -eq 0 ] && [ "$got" = "$want" ] && pass "arch: aarch64 values and names (O_DIRECTORY 0x4000, PROT_BTI)" ||
	fail "arch: aarch64 values and names" "exit $rc: got $got"

# the same lines as x86_64 has them: 0x4000 is O_DIRECT there, PROT_BTI unknown
run "$O" "$E" "$BIN" convert --arch x86_64 -t jsonl "$TMP/a64.strace"
got=$(jq -c '[.args.flags.value, .args.flags.names]' "$O" 2>&1 | head -n 2 | tr '\n' ' ')
[ $rc -eq 0 ] && [ "$got" = '[65536,["O_RDONLY","O_DIRECTORY"]] [16384,["O_RDONLY","O_DIRECT"]] ' ] &&
	pass "arch: x86_64 values and names of the same lines" ||
	fail "arch: x86_64 values and names of the same lines" "exit $rc: got $got"

# the round trip through jsonl and the other lossless formats, per arch
for a in x86_64 i386 aarch64; do
	for t in jsonl pb msgpack; do
		"$BIN" convert --arch $a -t $t -o "$TMP/a64.$t" "$TMP/a64.strace" 2>"$E" &&
			"$BIN" convert --arch $a -f $t -t strace "$TMP/a64.$t" >"$O" 2>>"$E"
		rc=$?
		[ $rc -eq 0 ] && cmp -s "$O" "$TMP/a64.strace" && pass "arch: $a round trip through $t" ||
			fail "arch: $a round trip through $t" "exit $rc: $(first_line "$E")"
	done
done

# names -> value: a record with a flag set's names alone (as another
# program may write it) is spelled back by name, and those names have the
# value of the arch
printf '%s\n' '{"type":"syscall","syscall":"openat","args":{"dirfd":{"fd":-100,"name":"AT_FDCWD"},"pathname":"/d","flags":{"names":["O_RDONLY","O_DIRECTORY"]}},"return":{"fd":3}}' >"$TMP/a64.jsonl"
for aw in aarch64:16384 i386:65536 x86_64:65536; do
	a=${aw%%:*}
	"$BIN" convert --arch $a -f jsonl -t strace "$TMP/a64.jsonl" 2>"$E" >"$TMP/a64.txt" &&
		"$BIN" convert --arch $a -t jsonl "$TMP/a64.txt" >"$O" 2>>"$E"
	rc=$?
	got=$(jq -c '[.args.flags.value, .args.flags.names]' "$O" 2>&1)
	[ $rc -eq 0 ] && [ "$got" = "[${aw#*:},[\"O_RDONLY\",\"O_DIRECTORY\"]]" ] &&
		pass "arch: $a names -> value ${aw#*:}" ||
		fail "arch: $a names -> value" "exit $rc: got $got $(first_line "$E")"
done
