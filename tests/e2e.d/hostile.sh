# hostile.sh - hostile input: broken, truncated and bit-flipped files, files
# that are not traces at all, huge lines, odd bytes, and a big input through
# a pipe.  Sourced by tests/e2e.sh (see README here).
#
# The contract for every case: no crash (exit 0, 1 or 2 only, never a
# signal or a sanitizer report), exit 1 comes with one message naming the
# file and the position ("file=X ... byte=N" or "line=N"), a failed -o run
# leaves no output file, and when a trace is read, every line is accounted
# for: stats says events + unparsed + attached == lines == the text's lines.
# HOSTILE_BIG_MB sets the size of the pipe test (default 1024; make bench
# runs it with 2048).

# shellcheck shell=bash disable=SC2015
H=$TMP/hostile
mkdir -p "$H"

# hostile_run NAME WANT CMD...: exit status in WANT ("0", "1", "0|1"), a
# message with a position on failure, no trace of a crash.
hostile_run() {
	local name=$1 want=$2
	shift 2
	run "$H/o" "$H/e" "$@"
	if [ $rc -ge 128 ] || grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|Segmentation|Aborted' "$H/e"; then
		fail "$name" "crashed: exit $rc: $(first_line "$H/e")"
		return 1
	fi
	if ! grep -qxE "$want" <<<"$rc"; then
		fail "$name" "exit $rc, want $want: $(first_line "$H/e")"
		return 1
	fi
	if [ $rc -eq 1 ] && ! grep -qE '^sysrep: .*file=[^ ]+.*(byte[= ]|line=|compressed byte|record|block)' "$H/e"; then
		fail "$name" "error without a position: $(first_line "$H/e")"
		return 1
	fi
	pass "$name (exit $rc)"
	return 0
}

# accounted NAME FILE [FROM]: stats counts every line of a text input.
accounted() {
	local name=$1 f=$2 want got
	run "$H/s" "$H/e" "$BIN" stats --json ${3:+-f "$3"} "$f"
	want=$(($(wc -l <"$f") + $([ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ] && echo 1 || echo 0)))
	got=$(jq -r '"\(.lines) \(.events + .unparsed + .attached)"' "$H/s" 2>/dev/null)
	[ $rc -eq 0 ] && [ "$got" = "$want $want" ] && pass "$name: every line accounted for ($want)" ||
		fail "$name: every line accounted for" "exit $rc, lines/sum '$got', want $want"
}

# roundtrip NAME FILE: strace -> strace and strace -> pb -> strace are
# byte-identical, and the JSON Lines output is valid JSON.
roundtrip() {
	local name=$1 f=$2 n
	"$BIN" convert -t strace "$f" 2>"$H/e" | cmp -s - "$f" && pass "$name: strace round trip" ||
		fail "$name: strace round trip" "$(cmp <("$BIN" convert -t strace "$f" 2>&1) "$f" 2>&1)"
	"$BIN" convert -t pb "$f" 2>"$H/e" | "$BIN" convert -f pb -t strace 2>>"$H/e" |
		cmp -s - "$f" && pass "$name: pb round trip" ||
		fail "$name: pb round trip" "$(first_line "$H/e")"
	"$BIN" convert -t jsonl "$f" >"$H/j" 2>"$H/e"
	if n=$(jsonl_count "$H/j" 2>&1); then
		pass "$name: JSON Lines output is valid JSON ($n lines)"
	else
		fail "$name: JSON Lines output is valid JSON" "$n"
	fi
}

# --- broken binary inputs ---------------------------------------------------
SRC=corpus/signals-f-tt-T.strace
"$BIN" convert -t pb -o "$H/t.pb" "$SRC"
"$BIN" convert -t msgpack -o "$H/t.msgpack" "$SRC"
"$BIN" convert -t archive -o "$H/t.sra" "$SRC"
zstd -q -c "$SRC" >"$H/t.strace.zst"
gzip -c "$SRC" >"$H/t.strace.gz"
cp corpus/scap/test_ipv6_client.scap "$H/t.scap"

# flip FILE OFFSET OUT: OUT is FILE with the byte at OFFSET inverted
flip() {
	"$PY" - "$@" <<'PYEOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = int(sys.argv[2]) % len(d)
d[i] ^= 0xff
open(sys.argv[3], "wb").write(d)
PYEOF
}

# The format is given (-f): detection would take a file it does not
# recognize for strace text, which is not what is tested here.  A cut is
# always an error; a flipped byte may land in a string and go unnoticed.
for f in t.pb t.msgpack t.sra t.strace.zst t.strace.gz t.scap; do
	size=$(stat -c %s "$H/$f")
	ext=${f#t.}
	case $ext in
	pb | msgpack | scap) from=(-f "$ext") ;;
	sra) from=(-f archive) ;;
	*) from=(-f strace) ;;
	esac
	# (one byte of a compressed file is no magic: plain text, rightly)
	cuts=(7 $((size / 2)) $((size - 1)))
	[ ${#from[@]} -eq 2 ] && [ "${from[1]}" != strace ] && cuts=(1 "${cuts[@]}")
	for cut in "${cuts[@]}"; do
		head -c "$cut" "$H/$f" >"$H/cut.$ext"
		hostile_run "$f truncated to $cut bytes" 1 "$BIN" convert "${from[@]}" -t strace "$H/cut.$ext"
	done
	for at in 3 $((size / 3)) $((size / 2 + 5)) $((size - 2)); do
		flip "$H/$f" "$at" "$H/flip.$ext"
		hostile_run "$f with byte $at flipped" "0|1" "$BIN" convert "${from[@]}" -t jsonl "$H/flip.$ext"
	done
done
# a corrupt input with -o: exit 1, and no file, half-written or whole
head -c 500 "$H/t.pb" >"$H/cut.pb"
rm -f "$H/never.jsonl"
hostile_run "truncated pb with -o" 1 "$BIN" convert -f pb -o "$H/never.jsonl" "$H/cut.pb" &&
	{ [ ! -e "$H/never.jsonl" ] && [ -z "$(ls -A "$H" | grep '^\.never')" ] &&
		pass "truncated pb with -o leaves no output file" ||
		fail "truncated pb with -o leaves no output file" "$(ls -A "$H" | tr '\n' ' ')"; }
grep -q 'byte=' "$H/e" && pass "truncated pb: the error names the byte" ||
	fail "truncated pb: the error names the byte" "$(first_line "$H/e")"

# --- text that is no trace ---------------------------------------------------
# binary garbage (fixed seed), as strace text and auto-detected
"$PY" -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(200000)))' >"$H/garbage.bin"
hostile_run "binary garbage read as strace" 0 "$BIN" convert -f strace -t jsonl "$H/garbage.bin"
hostile_run "binary garbage, format detected" "0|1" "$BIN" convert -t jsonl "$H/garbage.bin"
accounted "binary garbage" "$H/garbage.bin" strace
"$BIN" convert -f strace -t strace "$H/garbage.bin" | cmp -s - "$H/garbage.bin" &&
	pass "binary garbage: strace round trip" || fail "binary garbage: strace round trip"
"$BIN" convert -f strace -t jsonl "$H/garbage.bin" >"$H/j"
n=$(jsonl_count "$H/j" 2>&1) && pass "binary garbage: JSON Lines output is valid JSON ($n lines)" ||
	fail "binary garbage: JSON Lines output is valid JSON" "$n"

# NUL bytes, inside and between lines, and no final newline
printf 'read(3, "a\\0b", 3) = 3\n\0\0\0\nwrite(1, "x", 1\0) = 1\nclose(3) = 0' >"$H/nul.strace"
hostile_run "NUL bytes" 0 "$BIN" convert -t jsonl "$H/nul.strace"
accounted "NUL bytes" "$H/nul.strace"
roundtrip "NUL bytes" "$H/nul.strace"

# CRLF line endings: kept, through every wire format
sed 's/$/\r/' corpus/ls-plain.strace >"$H/crlf.strace"
accounted "CRLF" "$H/crlf.strace"
roundtrip "CRLF" "$H/crlf.strace"
for t in msgpack archive jsonl; do
	"$BIN" convert -t "$t" "$H/crlf.strace" 2>"$H/e" | "$BIN" convert -f "$t" -t strace 2>>"$H/e" |
		cmp -s - "$H/crlf.strace" && pass "CRLF: $t round trip" || fail "CRLF: $t round trip" "$(first_line "$H/e")"
done

# invalid UTF-8 everywhere a byte can go
printf 'open("/tmp/\xff\xfe", O_RDONLY) = 3</tmp/\xc3\x28>\nread(3</tmp/\xe2\x82>, "\xf0\x28\x8c\xbc", 4) = 4 \xed\xa0\x80\n\xc0\xaf not strace \xff\n+++ exited with 0 +++\n' >"$H/utf8.strace"
accounted "invalid UTF-8" "$H/utf8.strace"
roundtrip "invalid UTF-8" "$H/utf8.strace"

# calls never resumed, resumptions without a start, detached calls
cat >"$H/cut.strace" <<'TRACE'
[pid  10] read(3,  <unfinished ...>
[pid  11] write(1, "x", 1 <unfinished ...>
[pid  12] <... close resumed>) = 0
[pid  13] <... read resumed>"abc", 3) = 3
[pid  11] <... write resumed>) = 1
[pid  11] <... write resumed>) = 1
[pid  14] futex(0x1, FUTEX_WAIT, 0, NULL <unfinished ...>
[pid  14] +++ exited with 0 +++
[pid  15] poll([{fd=3, events=POLLIN}], 1, -1 <detached ...>
TRACE
accounted "unfinished and orphan resumptions" "$H/cut.strace"
roundtrip "unfinished and orphan resumptions" "$H/cut.strace"

# unbalanced brackets and quotes
cat >"$H/unbal.strace" <<'TRACE'
open("/etc/passwd, O_RDONLY) = 3
read(3, {a=[1, 2, {b=3}, 4) = 1
write(1, "])}\"", 4)) = 4
ioctl(1, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0 = 0
select(4, [3 <unfinished ...>)]] = ?
x(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((( = 0
y([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ = 0
"
TRACE
accounted "unbalanced brackets and quotes" "$H/unbal.strace"
roundtrip "unbalanced brackets and quotes" "$H/unbal.strace"

# a 50 MB line, made here
"$PY" -c '
import sys
w = sys.stdout.buffer.write
w(b"write(1, \"" + b"x" * (50 << 20) + b"\", 52428800) = 52428800\n")
w(b"close(1) = 0\n")' >"$H/long.strace"
hostile_run "a 50 MB line" 0 "$BIN" convert -t strace -o "$H/long.out" "$H/long.strace"
cmp -s "$H/long.out" "$H/long.strace" && pass "a 50 MB line: strace round trip" ||
	fail "a 50 MB line: strace round trip" "$(cmp "$H/long.out" "$H/long.strace" 2>&1)"
accounted "a 50 MB line" "$H/long.strace"
rm -f "$H/long.strace" "$H/long.out"

# --- stop at the first error, or --keep-going --------------------------------
KG_OK=corpus/ls-plain.strace
head -c 300 "$H/t.strace.zst" >"$H/cut.strace.zst"
printf 'old\n' >"$H/kg.jsonl"
hostile_run "a corrupt input among several: exit 1" 1 \
	"$BIN" convert -o "$H/kg.jsonl" "$KG_OK" "$H/cut.strace.zst" "$KG_OK"
[ "$(cat "$H/kg.jsonl")" = old ] && [ "$(wc -l <"$H/e")" -eq 1 ] &&
	pass "the first error stops the run: one message, the old output stays" ||
	fail "the first error stops the run: one message, the old output stays" "$(tr '\n' '|' <"$H/e")"
run "$H/o" "$H/e" "$BIN" convert --keep-going -t strace -o "$H/kg.strace" \
	"$KG_OK" "$H/nonexistent" "$H/cut.strace.zst" "$KG_OK"
cat "$KG_OK" "$KG_OK" >"$H/kg.want"
if [ $rc -eq 1 ] && cmp -s "$H/kg.strace" "$H/kg.want" && grep -q "file=$H/nonexistent" "$H/e" &&
	grep -q "file=$H/cut.strace.zst.*compressed byte" "$H/e" && grep -q '2 of 4 inputs failed' "$H/e"; then
	pass "--keep-going: converts the others, reports each failure, exits 1, keeps the output"
else
	fail "--keep-going: converts the others, reports each failure, exits 1, keeps the output" \
		"exit $rc: $(tr '\n' '|' <"$H/e")"
fi
grep -q -- '--keep-going' <("$BIN" convert --help) && pass "convert --help documents --keep-going" ||
	fail "convert --help documents --keep-going"

# atomic outputs: zstd output and seq's adfa directory
rm -rf "$H/z.jsonl.zst" "$H/adfa"
hostile_run "zstd -o with a corrupt input" 1 "$BIN" convert -o "$H/z.jsonl.zst" "$KG_OK" "$H/cut.strace.zst"
[ -z "$(ls -A "$H" | grep 'z\.jsonl\.zst')" ] && pass "zstd -o: a failed run leaves no file" ||
	fail "zstd -o: a failed run leaves no file" "$(ls -A "$H" | tr '\n' ' ')"
hostile_run "seq adfa with a corrupt input" 1 "$BIN" convert --layout adfa -o "$H/adfa" "$KG_OK" "$H/cut.strace.zst"
[ ! -e "$H/adfa" ] && pass "seq adfa: a failed run leaves no directory" ||
	fail "seq adfa: a failed run leaves no directory" "$(ls -A "$H/adfa" | head -n 3 | tr '\n' ' ')"

# --- a big input through a pipe: memory stays bounded ------------------------
# (tests/bigpipe.sh; make bench runs it with 2048 MB)
while read -r word rest; do
	case $word in
	PASS) pass "$rest" ;;
	FAIL) fail "$rest" ;;
	esac
done < <(bash tests/bigpipe.sh "$BIN" "${HOSTILE_BIG_MB:-1024}")

# --- issue 22: reliability, round 2 -------------------------------------------
# 1. valid JSON of the wrong shape: an error naming what is missing, no crash
i=0
for j in '{"type":"syscall","syscall":"ioctl","args":[{"index":{"ident":"VINTR"}}]}' \
	'{"type":"syscall","syscall":"read","args":[{"named":"fd"}]}' \
	'{"type":"syscall","syscall":"stat","args":[{"struct":[{"name":"st_mode"}]}]}' \
	'{"cmd":"ioctl","args":[{"index":["VINTR"]}],"return":"0"}' \
	'{"cmd":"futex","args":[{"shift":[]}],"return":"0"}'; do
	i=$((i + 1))
	printf '%s\n' "$j" >"$H/shape$i.json"
	hostile_run "JSON of the wrong shape ($i)" 1 "$BIN" convert -f json -t jsonl "$H/shape$i.json"
done
# ... and every event of the fuzz corpora with one node changed (tests/shapes.py),
# through the fuzz targets (one process per reader; they abort on a crash)
if [ -x "$ROOT/build/replay/fuzz_json" ] && "$PY" -c 'import msgpack' 2>/dev/null; then
	"$PY" "$ROOT/tests/shapes.py" "$H/shapes" >"$H/shapes.n"
	for t in json msgpack; do
		"$ROOT/build/replay/fuzz_$t" "$H/shapes/$t" >"$H/o" 2>&1 &&
			pass "shape mutations through the $t reader: $(tail -n 1 "$H/o" | sed 's/.*: //')" ||
			fail "shape mutations through the $t reader" "$(grep -m1 -E 'ERROR|runtime error|fuzz check' "$H/o")"
	done
	rm -rf "$H/shapes"
fi

# 2. a scap exit event whose table entry lists no parameters, carrying some
"$PY" - "$H/noparams.scap" <<'PYEOF'
import struct, sys
def block(t, body):
    body += b"\0" * ((4 - len(body) % 4) % 4)
    n = 12 + len(body)
    return struct.pack("<II", t, n) + body + struct.pack("<I", n)
def event(typ, tid, ts, params):
    lens = b"".join(struct.pack("<H", len(p)) for p in params)
    data = b"".join(params)
    n = 26 + len(lens) + len(data)
    return block(0x216, struct.pack("<HQQIHI", 0, ts, tid, n, typ, len(params)) + lens + data)
cap = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 2, -1))
cap += event(39, 7, 20, [struct.pack("<q", 0), b"x\0"])       # getsockname exit
cap += event(38, 8, 21, [struct.pack("<q", 3)])
cap += event(39, 8, 22, [struct.pack("<q", -1), b"\1"])
open(sys.argv[1], "wb").write(cap)
PYEOF
hostile_run "scap exit with parameters its table does not list" 0 "$BIN" convert -f scap -t jsonl "$H/noparams.scap"
gzip -c "$H/noparams.scap" >"$H/noparams.scap.gz"
hostile_run "... gzipped" 0 "$BIN" convert -f scap -t jsonl "$H/noparams.scap.gz"

# 3. the plain scap seeds reach the parser: events, not a gzip error
for f in "$ROOT"/tests/fuzz/corpus/scap/*-plain-*.scap; do
	n=$("$BIN" stats --json -f scap "$f" 2>/dev/null | jq -r .events)
	[ "${n:-0}" -gt 0 ] && pass "fuzz seed $(basename "$f") reaches the scap parser ($n events)" ||
		fail "fuzz seed $(basename "$f") reaches the scap parser"
done

# 4. memory by events, not bytes: 10 MB of empty lines
head -c 10000000 /dev/zero | tr '\0' '\n' >"$H/empty.strace"
for j in 1 2 4; do
	/usr/bin/time -f '%M' -o "$H/rss" "$BIN" convert -j $j -t jsonl -o /dev/null "$H/empty.strace" 2>"$H/e"
	rss=$(tail -n 1 "$H/rss")
	[ "$rss" -lt 65536 ] && pass "10 MB of empty lines, -j $j: ${rss} KB peak (< 64 MB)" ||
		fail "10 MB of empty lines, -j $j: under 64 MB" "${rss} KB"
done
accounted "10 MB of empty lines" "$H/empty.strace"
rm -f "$H/empty.strace"

# 5. a line longer than the limit: its head kept, the rest counted, memory bounded
"$PY" -c 'import sys; sys.stdout.buffer.write(b"write(1, \"" + b"x" * (5 << 20) + b"\", 5) = 5\nclose(1) = 0\n")' >"$H/long5.strace"
/usr/bin/time -f '%M' -o "$H/rss" "$BIN" convert -O max_line=1M -t jsonl -o "$H/long5.jsonl" "$H/long5.strace" 2>"$H/e"
rc=$?
rss=$(tail -n 1 "$H/rss")
if [ $rc -eq 0 ] && [ "$(wc -l <"$H/long5.jsonl")" -eq 2 ] &&
	[ "$(head -n 1 "$H/long5.jsonl" | jq -r '.type + " " + (.text | length | tostring)')" = "unparsed 1048575" ] &&
	[ "$(sed -n 2p "$H/long5.jsonl" | jq -r .syscall)" = close ]; then
	pass "-O max_line=1M: a 5 MB line keeps its first 1 MiB - 1 bytes as unparsed (${rss} KB)"
else
	fail "-O max_line=1M: a 5 MB line keeps its first 1 MiB - 1 bytes as unparsed" "exit $rc"
fi
hostile_run "a bad max_line is a usage error" 2 "$BIN" convert -O max_line=1 "$H/long5.strace"
rm -f "$H/long5.strace" "$H/long5.jsonl"
# the default (64 MiB): one 1 GiB line in a small .zst
head -c 1073741824 /dev/zero | tr '\0' y | { printf 'write(1, "'; cat; printf '", 1) = 1\nclose(1) = 0\n'; } |
	zstd -q -1 -c >"$H/gig.strace.zst"
/usr/bin/time -f '%M' -o "$H/rss" "$BIN" convert -t jsonl -o /dev/null "$H/gig.strace.zst" 2>"$H/e"
rc=$?
rss=$(tail -n 1 "$H/rss")
[ $rc -eq 0 ] && [ "$rss" -lt 262144 ] &&
	pass "a 1 GiB line in a $(stat -c %s "$H/gig.strace.zst")-byte .zst: ${rss} KB peak (< 256 MB)" ||
	fail "a 1 GiB line in a .zst: under 256 MB" "exit $rc, ${rss} KB"
rm -f "$H/gig.strace.zst"

# 6. a signal during -o or --layout adfa leaves nothing behind, and the exit
# status is 128 + the signal.  The input is a FIFO held open: the run waits.
sig_case() { # NAME SIGNAL WANT_STATUS CLEAN_CHECK CMD...
	local name=$1 sig=$2 want=$3 check=$4 pid rc
	shift 4
	rm -rf "$H/fifo" "$H/sig"/*
	mkfifo "$H/fifo"
	(exec 3>"$H/fifo"; printf 'close(1) = 0\n' >&3; sleep 5) &
	local feeder=$!
	# (a background job starts with SIGINT ignored: restore it)
	env --default-signal=INT,TERM,HUP "$@" &
	pid=$!
	sleep 1
	kill -s "$sig" "$pid"
	wait "$pid"
	rc=$?
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
	[ $rc -eq "$want" ] && eval "$check" && pass "$name: exit $rc, nothing left behind" ||
		fail "$name: exit $want, nothing left behind" "exit $rc: $(ls -A "$H/sig" | tr '\n' ' ')"
}
mkdir -p "$H/sig"
for s in INT:130 TERM:143 HUP:129; do
	sig_case "SIG${s%:*} during -o FILE" "${s%:*}" "${s#*:}" '[ -z "$(ls -A "$H/sig")" ]' \
		"$BIN" convert -t jsonl -o "$H/sig/out.jsonl" "$H/fifo"
done
sig_case "SIGTERM during --layout adfa" TERM 143 '[ ! -e "$H/sig/adfa" ]' \
	"$BIN" convert --layout adfa -o "$H/sig/adfa" "$H/fifo"

# 7. tree of a 20,000-deep clone chain (pid N clones N+1): the text lists
# 100 levels and sums up the rest in one line, the output streams (memory
# by processes, not by output), and the time is linear in the depth: the
# chain 4 times as deep takes well under 16 times as long (best of 3).
chain() { # DEPTH FIRST_PID OUT
	"$PY" - "$@" <<'PYEOF'
import sys
n, p, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
fork = "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = "
with open(out, "w") as f:
    f.write(f'{p} execve("/bin/sh", ["sh"], 0x7ffd /* 1 var */) = 0\n')
    f.writelines(f"{p + i} {fork}{p + i + 1}\n" for i in range(n))
    f.writelines(f"{p + i} +++ exited with 0 +++\n" for i in range(n, -1, -1))
PYEOF
}
best_ms() { # CMD...: the shortest of 3 wall times, in ms
	local best= t0 t1 i
	for i in 1 2 3; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		t1=$(((t1 - t0) / 1000000))
		[ -z "$best" ] || [ "$t1" -lt "$best" ] && best=$t1
	done
	echo "$best"
}
chain 20000 1 "$H/chain20k.strace" # pids 1..20001: short ones unpadded
chain 5000 1 "$H/chain5k.strace"
for v in "" --json; do
	/usr/bin/time -f '%M' -o "$H/rss" "$BIN" tree $v -o "$H/chain.out" "$H/chain20k.strace" 2>"$H/e"
	rc=$?
	rss=$(tail -n 1 "$H/rss")
	[ $rc -eq 0 ] && [ "$rss" -lt 262144 ] &&
		pass "tree ${v:+$v }of a 20,000-deep chain: ${rss} KB peak (< 256 MB), $(stat -c %s "$H/chain.out") bytes" ||
		fail "tree ${v:+$v }of a 20,000-deep chain: under 256 MB" "exit $rc, ${rss} KB: $(first_line "$H/e")"
done
"$BIN" tree -o "$H/chain.out" "$H/chain20k.strace"
[ "$(wc -l <"$H/chain.out")" -eq 102 ] &&
	[ "$(tail -n 1 "$H/chain.out" | sed 's/^ *//')" = "└─… 19900 deeper levels collapsed (19900 processes)" ] &&
	pass "tree of a 20,000-deep chain: 101 levels, then one line for the 19,900 deeper" ||
	fail "tree of a 20,000-deep chain: 101 levels, then one line for the 19,900 deeper" \
		"$(wc -l <"$H/chain.out") lines, last: $(tail -n 1 "$H/chain.out" | sed 's/^ *//')"
"$BIN" tree --depth 0 "$H/chain5k.strace" | grep -c '(sh)' | grep -qx 5000 &&
	pass "tree --depth 0 lists all 5,000 levels" || fail "tree --depth 0 lists all 5,000 levels"
hostile_run "tree --depth with no number is a usage error" 2 "$BIN" tree --depth=x "$H/chain5k.strace"
for v in "" --json; do
	t5=$(best_ms "$BIN" tree $v "$H/chain5k.strace")
	t20=$(best_ms "$BIN" tree $v "$H/chain20k.strace")
	[ $((t20)) -lt $((8 * (t5 > 0 ? t5 : 1))) ] &&
		pass "tree ${v:+$v }time is linear in the depth: 20,000 levels ${t20} ms, 5,000 levels ${t5} ms" ||
		fail "tree ${v:+$v }time is linear in the depth" "20,000 levels ${t20} ms, 5,000 levels ${t5} ms (< 8x)"
done
rm -f "$H/chain20k.strace" "$H/chain5k.strace" "$H/chain.out"

# 8. report of many processes: memory grows by a few hundred bytes a
# process (it held 200 bin counters per task twice: 2 KB), and the
# timeline bins, now kept sparse for tasks of few calls, still add up to
# each process's calls.
pids() { # N OUT: a shell forks N children; each execs, opens a file, exits
	"$PY" - "$@" <<'PYEOF'
import sys
n, out, p = int(sys.argv[1]), sys.argv[2], 100000
fork = "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = "
with open(out, "w") as f:
    f.write(f'{p} execve("/bin/sh", ["sh"], 0x7ffd /* 1 var */) = 0\n')
    for i in range(1, n + 1):
        f.write(f'{p} {fork}{p + i}\n{p + i} execve("/bin/true", ["true", "{i}"], 0x7ffd /* 1 var */) = 0\n'
                f'{p + i} openat(AT_FDCWD, "/etc/f{i % 13}", O_RDONLY) = 3\n{p + i} +++ exited with 0 +++\n')
    f.write(f"{p} +++ exited with 0 +++\n")
PYEOF
}
pids 20000 "$H/pids20k.strace"
pids 100000 "$H/pids100k.strace"
for n in 20k 100k; do
	/usr/bin/time -f '%M' -o "$H/rss.$n" "$BIN" report -o "$H/pids.html" "$H/pids$n.strace" 2>"$H/e" ||
		fail "report of $n processes" "$(first_line "$H/e")"
done
r20=$(tail -n 1 "$H/rss.20k")
r100=$(tail -n 1 "$H/rss.100k")
per=$(((r100 - r20) * 1024 / 80000))
[ "$per" -lt 1024 ] && [ "$r100" -lt 131072 ] &&
	pass "report: ${r100} KB peak for 100,000 processes, ${r20} KB for 20,000: ${per} bytes a process (< 1 KB)" ||
	fail "report: under 1 KB a process" "${r100} KB for 100,000 processes, ${r20} KB for 20,000: ${per} bytes a process"
# the data of the page: every timeline adds up to its process's calls
report_bins_ok() { # HTML: prints the processes checked, fails on a mismatch
	"$PY" - "$1" <<'PYEOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(re.search(r'<script id="sysrep-data" type="application/json">(.*?)</script>', html, re.S).group(1))
lanes = [p for p in d["procs"] if "bins" in p]
bad = [p["pid"] for p in lanes if sum(p["bins"]) != p["calls"]]
print(f"{len(lanes)} timelines" if lanes and not bad else f"mismatch in {bad[:5]} of {len(lanes)}")
sys.exit(1 if bad or not lanes else 0)
PYEOF
}
for f in "$H/pids100k.strace" corpus/threads-f-ttt-T-y.strace corpus/zoo-py-f-tt-T.strace corpus/bench/bench-mixed.strace.zst; do
	"$BIN" report -o "$H/bins.html" "$f" 2>"$H/e" && msg=$(report_bins_ok "$H/bins.html") &&
		pass "report of $(basename "$f"): $msg add up to their calls" ||
		fail "report of $(basename "$f"): timelines add up to their calls" "${msg:-$(first_line "$H/e")}"
done
rm -f "$H/pids20k.strace" "$H/pids100k.strace" "$H/pids.html" "$H/bins.html"

# 9. pids under five digits: as strace pads them, after a comm (not
# padded), and unpadded as hand-made traces write them: pids, every line
# accounted for, round trips byte-identical
cat >"$H/shortpid.strace" <<'TRACE'
7 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = 8
8 read(3, "x", 1) = 1
[pid 9] read(3, "x", 1) = 1
[pid     9] write(1, "x", 1) = 1
7<a> getpid() = 7
7     getpid() = 7
99 12:00:01 getpid() = 99
42 +++ exited with 0 +++
TRACE
got=$("$BIN" convert -t jsonl "$H/shortpid.strace" | jq -r '.pid' | tr '\n' ' ')
[ "$got" = "7 8 9 9 7 7 99 42 " ] && pass "pids under five digits are pids: $got" ||
	fail "pids under five digits are pids" "got $got"
accounted "pids under five digits" "$H/shortpid.strace"
roundtrip "pids under five digits" "$H/shortpid.strace"

# 10. the strace reader's splice and output states (tests/fuzz/regress/strace,
# once pending): every line accounted for, round trips byte-identical; and
# a -c table row of 0 calls divides nothing by zero (stats died of SIGFPE)
for f in "$ROOT"/tests/fuzz/regress/strace/*; do
	accounted "fuzz regression $(basename "$f")" "$f" strace
done
cat >"$H/zero-calls.strace" <<'TRACE'
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
100.00    0.000010          10         0           read
------ ----------- ----------- --------- --------- ----------------
100.00    0.000010          10         0           total
TRACE
hostile_run "stats --json of a -c row of 0 calls" 0 "$BIN" stats --json "$H/zero-calls.strace"
hostile_run "stats -c of a -c row of 0 calls" 0 "$BIN" stats -c "$H/zero-calls.strace"

# 11. --max-line N: -O max_line=N under its own name, for every reading
# command (convert, stats, tree, report), documented in --help
"$PY" -c 'import sys; sys.stdout.buffer.write(b"write(1, \"" + b"x" * (20 << 20) + b"\", 5) = 5\nclose(1) = 0\n")' >"$H/long20.strace"
"$BIN" convert --max-line 1M -t jsonl -o "$H/long20.jsonl" "$H/long20.strace" 2>"$H/e"
[ "$(head -n 1 "$H/long20.jsonl" | jq -r '.type + " " + (.text | length | tostring)')" = "unparsed 1048575" ] &&
	pass "convert --max-line 1M: a 20 MB line keeps its first 1 MiB - 1 bytes" ||
	fail "convert --max-line 1M: a 20 MB line keeps its first 1 MiB - 1 bytes" "$(first_line "$H/e")"
"$BIN" convert --max-line=1M -O max_line=0 -t jsonl -o "$H/long20.jsonl" "$H/long20.strace" 2>"$H/e"
[ "$(head -n 1 "$H/long20.jsonl" | jq -r .type)" = unparsed ] &&
	pass "--max-line wins over -O max_line" || fail "--max-line wins over -O max_line" "$(first_line "$H/e")"
# (and skips the rest of the line in big reads: it read a byte at a time,
# 2 minutes for these 19 MB)
for cmd in stats tree report; do
	/usr/bin/time -f '%M %e' -o "$H/rss" timeout 60 "$BIN" $cmd --max-line=1M "$H/long20.strace" >/dev/null 2>"$H/e"
	rc=$?
	read -r rss secs < <(tail -n 1 "$H/rss")
	[ $rc -eq 0 ] && [ "$rss" -lt 16384 ] && [ "${secs%.*}" -lt 5 ] &&
		pass "$cmd --max-line=1M reads a 20 MB line in ${rss} KB (< 16 MB), ${secs} s (< 5 s)" ||
		fail "$cmd --max-line=1M reads a 20 MB line in under 16 MB and 5 s" "exit $rc, ${rss} KB, ${secs} s: $(first_line "$H/e")"
done
hostile_run "--max-line with no size is a usage error" 2 "$BIN" stats --max-line=x "$H/long20.strace"
for cmd in convert stats tree report; do
	"$BIN" $cmd --help | grep -q -- '--max-line=BYTES' && pass "$cmd --help documents --max-line" ||
		fail "$cmd --help documents --max-line"
done
rm -f "$H/long20.strace" "$H/long20.jsonl"
