# pb_msgpack.sh - the Protocol Buffers and MessagePack formats
# (docs/pb-msgpack.md), checked with the ecosystem's own tools: protoc
# --decode, Google's Python protobuf runtime and Python's msgpack.Unpacker.
# Sourced by tests/e2e.sh.

# For every corpus file: strace -> pb/msgpack -> strace gives the input
# bytes back, and jsonl read from either agrees with jsonl from the text.
for f in corpus/*.strace corpus/perpid/* corpus/old/*.strace corpus/flagsets/*.strace \
	corpus/gen/*.strace; do
	[ -f "$f" ] || continue
	"$BIN" convert -t jsonl "$f" >"$TMP/want.jsonl" 2>/dev/null
	for t in pb msgpack; do
		run "$TMP/rt.$t" "$E" "$BIN" convert -t "$t" "$f"
		if [ $rc -ne 0 ]; then
			fail "$t roundtrip $f" "write: exit $rc: $(first_line "$E")"
			continue
		fi
		run "$O" "$E" "$BIN" convert -t strace "$TMP/rt.$t"
		if [ $rc -ne 0 ]; then
			fail "$t roundtrip $f" "read: exit $rc: $(first_line "$E")"
		elif ! why=$(cmp "$O" "$f" 2>&1); then
			fail "$t roundtrip $f" "$why"
		else
			pass "$t roundtrip $f"
		fi
		run "$O" "$E" "$BIN" convert -t jsonl "$TMP/rt.$t"
		[ $rc -eq 0 ] && cmp -s "$O" "$TMP/want.jsonl" && pass "$t agrees with jsonl: $f" ||
			fail "$t agrees with jsonl: $f" "exit $rc: $(first_line "$E")"
	done
done

# msgpack on the whole corpus (old strace, generated and flag-set traces
# too): in both forms strace -> msgpack -> strace gives the input bytes
# back; the semantic default reads back as the jsonl; and Python's
# msgpack.Unpacker(raw=False) gives, record for record, exactly what
# json.loads gives for the jsonl lines (same keys in the same order, same
# types: tests/msgpack_equal.py), checked in one interpreter at the end.
mkdir -p "$TMP/mpeq"
mpeq=()
k=0
for f in corpus/*.strace corpus/gen/*.strace corpus/old/*.strace corpus/perpid/* \
	corpus/flagsets/*.strace; do
	[ -f "$f" ] || continue
	k=$((k + 1))
	"$BIN" convert -t jsonl "$f" >"$TMP/mpeq/$k.jsonl" 2>/dev/null
	run "$TMP/mpeq/$k.msgpack" "$E" "$BIN" convert -t msgpack "$f"
	if [ $rc -ne 0 ]; then
		fail "msgpack (semantic) of $f" "exit $rc: $(first_line "$E")"
		continue
	fi
	mpeq+=("$TMP/mpeq/$k.msgpack" "$TMP/mpeq/$k.jsonl")
	run "$O" "$E" "$BIN" convert -f msgpack -t strace "$TMP/mpeq/$k.msgpack"
	[ $rc -eq 0 ] && cmp -s "$O" "$f" && pass "msgpack (semantic) roundtrip $f" ||
		fail "msgpack (semantic) roundtrip $f" "exit $rc: $(first_line "$E")"
	run "$O" "$E" "$BIN" convert -t jsonl "$TMP/mpeq/$k.msgpack"
	[ $rc -eq 0 ] && cmp -s "$O" "$TMP/mpeq/$k.jsonl" && pass "msgpack (semantic) reads back as the jsonl: $f" ||
		fail "msgpack (semantic) reads back as the jsonl: $f" "exit $rc: $(first_line "$E")"
	"$BIN" convert -t msgpack -O record=spelling "$f" -o "$TMP/mpeq/sp.msgpack" 2>"$E"
	run "$O" "$E" "$BIN" convert -t strace "$TMP/mpeq/sp.msgpack"
	[ $rc -eq 0 ] && cmp -s "$O" "$f" && pass "msgpack -O record=spelling roundtrip $f" ||
		fail "msgpack -O record=spelling roundtrip $f" "exit $rc: $(first_line "$E")"
done
# the scap captures: msgpack -> jsonl is the capture's jsonl
for f in corpus/scap/*.scap; do
	[ -f "$f" ] || continue
	k=$((k + 1))
	"$BIN" convert -t jsonl "$f" >"$TMP/mpeq/$k.jsonl" 2>/dev/null
	"$BIN" convert -t msgpack "$f" -o "$TMP/mpeq/$k.msgpack" 2>"$E"
	mpeq+=("$TMP/mpeq/$k.msgpack" "$TMP/mpeq/$k.jsonl")
	run "$O" "$E" "$BIN" convert -t jsonl "$TMP/mpeq/$k.msgpack"
	[ $rc -eq 0 ] && cmp -s "$O" "$TMP/mpeq/$k.jsonl" && pass "msgpack (semantic) of a capture reads back as its jsonl: $f" ||
		fail "msgpack (semantic) of a capture reads back as its jsonl: $f" "exit $rc: $(first_line "$E")"
done
run "$O" "$E" "$PY" tests/msgpack_equal.py "${mpeq[@]}"
[ $rc -eq 0 ] && [ "$(wc -l <"$O")" -eq $((${#mpeq[@]} / 2)) ] &&
	pass "python msgpack.Unpacker gives json.loads of the jsonl, record for record ($((${#mpeq[@]} / 2)) files, $(awk '{ s += $1 } END { print s }' "$O") records)" ||
	fail "python msgpack.Unpacker gives json.loads of the jsonl, record for record" "$(tail -n 1 "$E")"

# The header says the form; a semantic stream is schema_version 2.
"$BIN" convert -t msgpack "$LS" -o "$TMP/h.msgpack"
"$BIN" convert -t msgpack -O record=spelling "$LS" -o "$TMP/hs.msgpack"
run "$O" "$E" "$PY" -c 'import msgpack, sys
for path in sys.argv[1:]:
    h = next(msgpack.Unpacker(open(path, "rb"), raw=False))
    print(list(h)[0], h["sysrep"], h["schema_version"], h.get("record"))' "$TMP/h.msgpack" "$TMP/hs.msgpack"
[ "$(cat "$O")" = "sysrep msgpack 2 semantic
sysrep msgpack 1 None" ] && pass "msgpack headers: \"sysrep\" first, \"record\": \"semantic\" (schema 2) or absent (spelled, schema 1)" ||
	fail "msgpack headers say the form" "$(tr '\n' '|' <"$O") $(first_line "$E")"
expect "msgpack: an unknown -O record is a usage error" 2 "$BIN" convert -t msgpack -O record=typed "$LS"

# A semantic record the JSON reader refuses (a pid that is a string) is
# named by its map's byte offset; --keep-going keeps it as "unparsed" (its
# JSON text) and converts the records around it.
"$PY" - "$TMP/refused.msgpack" <<'PYEOF'
import sys
import msgpack
with open(sys.argv[1], "wb") as out:
    for m in ({"sysrep": "msgpack", "schema_version": 2, "record": "semantic", "arch": "x86_64"},
              {"type": "syscall", "line": 1, "syscall": "close", "nr": 3, "args": {"fd": {"fd": 3}}, "return": 0},
              {"type": "syscall", "line": 2, "syscall": "close", "pid": "abc"},
              {"type": "syscall", "line": 3, "syscall": "close", "nr": 3, "args": {"fd": {"fd": 4}}, "return": 0}):
        out.write(msgpack.packb(m))
PYEOF
run "$O" "$E" "$BIN" convert -t strace "$TMP/refused.msgpack"
[ $rc -eq 1 ] && [ "$(cat "$O")" = "close(3)                                = 0" ] &&
	grep -qxF "sysrep: cannot parse msgpack input: file=$TMP/refused.msgpack: byte=120: record 2: \"pid\": expected an integer, got a string" "$E" &&
	pass "msgpack (semantic): a refused record stops at its map's byte, the records before it written" ||
	fail "msgpack (semantic): a refused record stops at its map's byte" "exit $rc: $(first_line "$E")"
run "$O" "$E" "$BIN" convert --keep-going -t jsonl "$TMP/refused.msgpack"
[ $rc -eq 0 ] && [ "$(jq -r .type "$O" | tr '\n' ' ')" = "syscall unparsed syscall " ] &&
	pass "msgpack (semantic), --keep-going: a refused record is kept as unparsed, the others converted" ||
	fail "msgpack (semantic), --keep-going: a refused record is kept as unparsed" "exit $rc: $(first_line "$E")"

# A capture has no strace text to give back: scap -> pb -> strace is the
# text scap -> strace writes, and jsonl through pb is jsonl from the capture.
for f in corpus/scap/*.scap; do
	[ -f "$f" ] || continue
	"$BIN" convert -t strace "$f" >"$TMP/want.strace" 2>/dev/null
	"$BIN" convert -t jsonl "$f" >"$TMP/want.jsonl" 2>/dev/null
	run "$TMP/rt.pb" "$E" "$BIN" convert -t pb "$f"
	run "$O" "$E" "$BIN" convert -t strace "$TMP/rt.pb"
	[ $rc -eq 0 ] && cmp -s "$O" "$TMP/want.strace" && pass "pb roundtrip $f (its strace text)" ||
		fail "pb roundtrip $f (its strace text)" "exit $rc: $(first_line "$E")"
	run "$O" "$E" "$BIN" convert -t jsonl "$TMP/rt.pb"
	[ $rc -eq 0 ] && cmp -s "$O" "$TMP/want.jsonl" && pass "pb agrees with jsonl: $f" ||
		fail "pb agrees with jsonl: $f" "exit $rc: $(first_line "$E")"
done

# The semantic record (Event.sem_args, sem_return, sem_info) is the JSON
# Lines record's args, return and info, event for event, names in order,
# read with Google's runtime and the schema alone (tests/pb_semantic.py):
# every corpus file, the captures included, in one interpreter.
mkdir -p "$TMP/pbsem"
if protoc --python_out="$TMP/pbsem" --proto_path=proto proto/sysrep.proto 2>"$E"; then
	pairs=()
	i=0
	for f in corpus/*.strace corpus/perpid/* corpus/old/*.strace corpus/flagsets/*.strace \
		corpus/gen/*.strace corpus/scap/*.scap corpus/bench/*.zst; do
		[ -f "$f" ] || continue
		i=$((i + 1))
		if "$BIN" convert -t pb "$f" -o "$TMP/pbsem/$i.pb" 2>"$E" &&
			"$BIN" convert -t jsonl "$f" -o "$TMP/pbsem/$i.jsonl" 2>>"$E"; then
			pairs+=("$TMP/pbsem/$i.pb" "$TMP/pbsem/$i.jsonl")
		else
			fail "pb semantic record of $f" "$(first_line "$E")"
		fi
	done
	if "$PY" tests/pb_semantic.py "$TMP/pbsem" "${pairs[@]}" >"$O" 2>"$E"; then
		pass "pb semantic record equals jsonl's args/return/info: $((${#pairs[@]} / 2)) files"
	else
		fail "pb semantic record equals jsonl's args/return/info" "$(first_line "$E")"
	fi
	rm -f "$TMP"/pbsem/*.pb "$TMP"/pbsem/*.jsonl
else
	fail "protoc --python_out generates the module" "$(first_line "$E")"
fi

# -O record=spelling leaves the semantic record out: a smaller stream that
# reads back to the same text.
"$BIN" convert -t pb "$LS" -o "$TMP/sem.pb"
"$BIN" convert -t pb -O record=spelling "$LS" -o "$TMP/spell.pb"
run "$O" "$E" "$BIN" convert -t strace "$TMP/spell.pb"
sem_count() {
	"$PY" - "$TMP/pbsem" "$1" <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import sysrep_pb2 as pb
data, pos, n = open(sys.argv[2], "rb").read(), 0, 0
first = True
while pos < len(data):
    size = shift = 0
    while True:
        b = data[pos]; pos += 1
        size |= (b & 0x7f) << shift; shift += 7
        if not b & 0x80:
            break
    if not first:
        ev = pb.Event(); ev.ParseFromString(data[pos:pos + size])
        n += len(ev.sem_args) + ev.HasField("sem_return") + ev.HasField("sem_info")
    first = False
    pos += size
print(n)
PYEOF
}
if [ $rc -eq 0 ] && cmp -s "$O" "$LS" &&
	[ "$(stat -c %s "$TMP/spell.pb")" -lt "$(stat -c %s "$TMP/sem.pb")" ] &&
	[ "$(sem_count "$TMP/spell.pb")" = 0 ] && [ "$(sem_count "$TMP/sem.pb")" -gt 0 ]; then
	pass "pb -O record=spelling: smaller, same text back"
else
	fail "pb -O record=spelling: smaller, same text back" "exit $rc: $(first_line "$E")"
fi
run "$O" "$E" "$BIN" convert -t pb -O record=positional "$LS"
[ $rc -eq 2 ] && grep -q "record=positional" "$E" && pass "pb: an unknown record form is a usage error" ||
	fail "pb: an unknown record form is a usage error" "exit $rc: $(first_line "$E")"

# Auto-detection and the output extensions.
"$BIN" convert -o "$TMP/ls.pb" "$LS" && "$BIN" convert -o "$TMP/ls.msgpack" "$LS"
for t in pb msgpack; do
	run "$O" "$E" "$BIN" convert -t strace "$TMP/ls.$t"
	[ $rc -eq 0 ] && cmp -s "$O" "$LS" && pass "-o x.$t writes $t, read back by detection" ||
		fail "-o x.$t writes $t, read back by detection" "exit $rc: $(first_line "$E")"
done

# protoc decodes the header and a framed event with the schema alone.
"$PY" - "$TMP/ls.pb" "$TMP/hdr.bin" "$TMP/ev.bin" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
pos = 0
for out in sys.argv[2:]:
    n = shift = 0
    while True:
        b = data[pos]; pos += 1
        n |= (b & 0x7f) << shift; shift += 7
        if not b & 0x80:
            break
    open(out, "wb").write(data[pos:pos + n])
    pos += n
PYEOF
if protoc --decode=sysrep.Header --proto_path=proto proto/sysrep.proto <"$TMP/hdr.bin" >"$O" 2>"$E" &&
	grep -q '^magic: "sysrep.pb"' "$O"; then
	pass "protoc --decode=sysrep.Header reads the header"
else
	fail "protoc --decode=sysrep.Header reads the header" "$(first_line "$E")"
fi
if protoc --decode=sysrep.Event --proto_path=proto proto/sysrep.proto <"$TMP/ev.bin" >"$O" 2>"$E" &&
	grep -q '^args {' "$O" && grep -q '^strings: "execve"' "$O"; then
	pass "protoc --decode=sysrep.Event reads a framed event"
else
	fail "protoc --decode=sysrep.Event reads a framed event" "$(first_line "$E")"
fi
# the semantic record's names are plain strings: execve's pathname, argv
# and envp, in signature order, and its return
if protoc --decode=sysrep.Event --proto_path=proto proto/sysrep.proto <"$TMP/ev.bin" >"$O" 2>"$E" &&
	[ "$(grep -A1 '^sem_args {' "$O" | grep -o '^  key: "[a-z]*"' | tr '\n' ' ')" = \
		'  key: "pathname"   key: "argv"   key: "envp" ' ] &&
	grep -q '^sem_return {' "$O"; then
	pass "protoc --decode shows the semantic record's argument names"
else
	fail "protoc --decode shows the semantic record's argument names" \
		"$(grep -m3 'key:' "$O" | tr '\n' ' ') $(first_line "$E")"
fi

# Google's Python runtime and Python's msgpack read whole streams; their
# counts match sysrep stats (events + unparsed).  A few files that cover
# every part of the model (interpreters start slowly: not all of them).
mkdir -p "$TMP/pbpy"
if protoc --python_out="$TMP/pbpy" --proto_path=proto proto/sysrep.proto 2>"$E"; then
	for f in corpus/ls-plain.strace corpus/stack-k.strace corpus/summary-c.strace \
		corpus/io-dump-e-read-write.strace corpus/zoo-py-f-tt-T.strace \
		corpus/ip-i-n.strace corpus/hexdump-xx.strace corpus/perpid/sh-ff.13522; do
		[ -f "$f" ] || continue
		want=$("$BIN" stats --json "$f" | jq '.events + .unparsed')
		"$BIN" convert -t pb "$f" -o "$TMP/py.pb"
		got=$("$PY" tests/pb_read.py "$TMP/pbpy" "$TMP/py.pb" 2>&1)
		[ "$got" = "$want" ] && pass "python protobuf reads $f ($got events)" ||
			fail "python protobuf reads $f" "got '$got', want $want"
		for form in semantic spelling; do
			"$BIN" convert -t msgpack -O record=$form "$f" -o "$TMP/py.msgpack"
			got=$("$PY" tests/msgpack_read.py "$TMP/py.msgpack" 2>&1)
			[ "$got" = "$want" ] && pass "python msgpack reads $f, $form form ($got events)" ||
				fail "python msgpack reads $f, $form form" "got '$got', want $want"
		done
	done
else
	fail "protoc --python_out generates the module" "$(first_line "$E")"
fi

# Cut and corrupt streams: exit 1, one message naming the file, the byte
# offset and what was expected (msgpack-spelling: -O record=spelling).
"$BIN" convert -t msgpack -O record=spelling -o "$TMP/ls.msgpack-spelling" "$LS"
for t in pb msgpack msgpack-spelling; do
	size=$(stat -c %s "$TMP/ls.$t")
	head -c $((size - 7)) "$TMP/ls.$t" >"$TMP/cut.$t"
	run "$O" "$E" "$BIN" convert -t strace "$TMP/cut.$t"
	[ $rc -eq 1 ] && grep -q "file=$TMP/cut.$t" "$E" && grep -q "byte=[0-9]*: expected" "$E" &&
		pass "$t: a cut stream is an error with its offset" ||
		fail "$t: a cut stream is an error with its offset" "exit $rc: $(first_line "$E")"
	{ head -c 200 "$TMP/ls.$t"; printf '\377\377\377\377\377\377\377\377\377\377\377'; } >"$TMP/bad.$t"
	run "$O" "$E" "$BIN" convert -f "${t%-spelling}" -t strace "$TMP/bad.$t"
	[ $rc -eq 1 ] && grep -q "byte=" "$E" && pass "$t: a corrupt stream is an error" ||
		fail "$t: a corrupt stream is an error" "exit $rc: $(first_line "$E")"
done
