# scale.sh - everyday use at scale: -j on one file (output identical to -j 1),
# corpus mode (-r, --merge), filters, the stats table, the progress line,
# the stdin -> stdout mapper contract, make install.
# Sourced by tests/e2e.sh: uses pass/fail/run/expect, BIN, ROOT, TMP, PY.
# shellcheck shell=bash disable=SC2015

SC="$TMP/scale" # this part's files, apart from the other parts
mkdir -p "$SC"

# --- one file on several threads ------------------------------------------

# Small pieces put many <unfinished ...>/<... resumed> pairs across piece
# boundaries: the stitching must still give the single-threaded bytes.
bad=
for f in corpus/*.strace corpus/gen/*.strace corpus/perpid/*; do
	"$BIN" convert -t jsonl "$f" >"$SC/j1" 2>/dev/null
	for chunk in 1 700; do
		"$BIN" convert -t jsonl -j 2 --chunk $chunk "$f" 2>/dev/null | cmp -s - "$SC/j1" ||
			bad="$bad $f:jsonl:$chunk"
		"$BIN" convert -t strace -j 2 --chunk $chunk "$f" 2>/dev/null | cmp -s - "$f" ||
			bad="$bad $f:strace:$chunk"
	done
done
[ -z "$bad" ] && pass "-j 2 gives the -j 1 output on every corpus trace (jsonl, strace)" ||
	fail "-j 2 gives the -j 1 output on every corpus trace (jsonl, strace)" "$bad"

BENCH_ONE="$SC/bench-mixed.strace"
zstd -q -d -c corpus/bench/bench-mixed.strace.zst >"$BENCH_ONE"
"$BIN" convert -t jsonl "$BENCH_ONE" >"$SC/b1"
bad=
for chunk in 65536 0; do
	args=(-j 2)
	[ $chunk -ne 0 ] && args+=(--chunk $chunk)
	"$BIN" convert -t jsonl "${args[@]}" "$BENCH_ONE" | cmp -s - "$SC/b1" || bad="$bad jsonl:$chunk"
	"$BIN" convert -t strace "${args[@]}" "$BENCH_ONE" | cmp -s - "$BENCH_ONE" ||
		bad="$bad strace:$chunk"
done
"$BIN" convert -t jsonl -j 2 --chunk 65536 corpus/bench/bench-mixed.strace.zst |
	cmp -s - "$SC/b1" || bad="$bad zst"
[ -z "$bad" ] && pass "-j 2 gives the -j 1 output on the bench trace (11.7 MB)" ||
	fail "-j 2 gives the -j 1 output on the bench trace (11.7 MB)" "$bad"

# memory: -j N holds 2N+1 pieces with their batches, whatever the input
# (issue 17: at most 64 MB a worker; -j 2 peaks near 15 MB)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$SC/rss" "$BIN" convert -q -t jsonl -j 2 "$BENCH_ONE" -o /dev/null
	rss=$(tail -n 1 "$SC/rss")
	[ "$rss" -le 65536 ] && pass "-j 2 on the bench trace peaks at $((rss / 1024)) MB (<= 64 MB)" ||
		fail "-j 2 on the bench trace peaks at $((rss / 1024)) MB (<= 64 MB)"
fi

expect "-j 0 is a usage error" 2 "$BIN" convert -j 0 corpus/ls-plain.strace

# --- corpus mode --------------------------------------------------------------

mkdir -p "$SC/in/sub" "$SC/in/.git"
cp corpus/ls-plain.strace "$SC/in/a.strace"
zstd -q -c corpus/pipeline-f.strace >"$SC/in/sub/b.strace.zst"
cp corpus/perpid/sh-ff.* "$SC/in/sub/"
echo junk >"$SC/in/.git/config"
run "$O" "$E" "$BIN" convert -r "$SC/in" -o "$SC/out" -t jsonl -j 2
outs=$(cd "$SC/out" 2>/dev/null && find . -type f | sort | tr '\n' ' ')
if [ $rc -eq 0 ] && [ "$outs" = "./a.jsonl ./sub/b.jsonl ./sub/sh-ff.13522.jsonl ./sub/sh-ff.13523.jsonl ./sub/sh-ff.13524.jsonl ./sub/sh-ff.13525.jsonl " ] &&
	"$BIN" convert corpus/pipeline-f.strace | cmp -s - "$SC/out/sub/b.jsonl" &&
	grep -q '^sysrep: 6 files (6 inputs), [0-9]* events, 0 unparsed, .* MB/s, 0 failed, 0 skipped (not traces)$' "$E"; then
	pass "convert -r mirrors the tree, replaces extensions, prints a summary"
else
	fail "convert -r mirrors the tree, replaces extensions, prints a summary" "exit $rc: $outs $(head -c 300 "$E")"
fi

run "$O" "$E" "$BIN" convert -r "$SC/in/sub" -o "$SC/merged" --merge -t strace -q
n_in=$(cat corpus/perpid/sh-ff.* | wc -l)
if [ $rc -eq 0 ] && [ ! -s "$E" ] && [ -f "$SC/merged/sh-ff.strace" ] &&
	[ "$(wc -l <"$SC/merged/sh-ff.strace")" -eq "$n_in" ] &&
	"$BIN" convert "$SC/merged/sh-ff.strace" >/dev/null &&
	"$BIN" convert --merge corpus/perpid/sh-ff.* | jq -r '.time // empty' |
	"$PY" -c 'import sys; t = [float(x) for x in sys.stdin]; sys.exit(not t or t != sorted(t))'; then
	pass "--merge: the -ff files of one trace become one stream ordered by time"
else
	fail "--merge: the -ff files of one trace become one stream ordered by time" "exit $rc: $(head -c 300 "$E")"
fi

printf 'x\n' >"$SC/in/sub/c.strace"
chmod 000 "$SC/in/sub/c.strace"
if [ "$(id -u)" -ne 0 ]; then
	run "$O" "$E" "$BIN" convert -r "$SC/in" -o "$SC/out2"
	[ $rc -eq 1 ] && grep -q 'c.strace' "$E" && grep -q ', 1 failed, 0 skipped (not traces)$' "$E" &&
		pass "convert -r: a failing file is named, the others converted, exit 1" ||
		fail "convert -r: a failing file is named, the others converted, exit 1" "exit $rc"
fi
rm -f "$SC/in/sub/c.strace"
expect "convert -r needs -o" 2 "$BIN" convert -r "$SC/in"

# --- filters ------------------------------------------------------------------

F=corpus/gcc-build-f-tt.strace
"$BIN" convert "$F" >"$SC/all.jsonl"
count() { jq -c "select($1)" "$SC/all.jsonl" | wc -l; }
bad=
n=$("$BIN" convert -e trace=openat,close "$F" | jq -c 'select(.type=="syscall" or .type=="unfinished")' | wc -l)
[ "$n" -eq "$(count '(.type=="syscall" or .type=="unfinished") and (.syscall=="openat" or .syscall=="close")')" ] || bad="$bad names"
n=$("$BIN" convert -e 'trace=!openat' "$F" | jq -c 'select(.syscall=="openat")' | wc -l)
[ "$n" -eq 0 ] || bad="$bad negation"
n=$("$BIN" convert -e trace=%process "$F" | jq -r 'select(.type=="syscall") | .syscall' | sort -u | tr '\n' ' ')
case "$n" in *execve*) ;; *) bad="$bad class:$n" ;; esac
case "$n" in *openat*) bad="$bad class-openat" ;; esac
n=$("$BIN" convert -e trace=%file "$F" | jq -r 'select(.type=="syscall") | .syscall' | sort -u | tr '\n' ' ')
case "$n" in *openat*readlink*) ;; *) bad="$bad %file:$n" ;; esac
n=$("$BIN" convert --pid 13507 "$F" | jq -r '.pid' | sort -u | tr '\n' ' ')
[ "$n" = "13507 " ] || bad="$bad pid:$n"
n=$("$BIN" convert --failed "$F" | jq -c 'select(.type=="syscall" and .errno==null)' | wc -l)
[ "$n" -eq 0 ] || bad="$bad failed"
n=$("$BIN" convert --successful "$F" | jq -c 'select(.errno)' | wc -l)
[ "$n" -eq 0 ] || bad="$bad successful"
n=$("$BIN" convert --since 10388.4 --until 10388.45 "$F" | jq -c 'select(.time < 10388.4 or .time >= 10388.45)' | wc -l)
m=$("$BIN" convert --since 2:53:08.4 --until 2:53:08.45 "$F" | wc -l)
[ "$n" -eq 0 ] && [ "$m" -gt 0 ] && [ "$m" -lt "$(wc -l <"$SC/all.jsonl")" ] || bad="$bad window:$n:$m"
n=$("$BIN" convert -e trace=/^open "$F" | jq -r 'select(.syscall) | .syscall' | sort -u | tr '\n' ' ')
[ "$n" = "openat " ] || bad="$bad regex:$n"
[ -z "$bad" ] && pass "filters: -e names, !, %class, /regex, --pid, --failed, --successful, --since/--until" ||
	fail "filters: -e names, !, %class, /regex, --pid, --failed, --successful, --since/--until" "$bad"

"$BIN" tree --pid 13506 "$F" >"$O" && "$BIN" report -e trace=%file "$F" -o "$SC/r.html" &&
	"$BIN" stats --json --failed "$F" | jq -e '.syscalls | all(.errors == .calls)' >/dev/null &&
	"$BIN" convert -j 2 --chunk 4096 -e trace=%file "$F" | cmp -s - <("$BIN" convert -e trace=%file "$F") &&
	pass "filters work for tree, report, stats and with -j" ||
	fail "filters work for tree, report, stats and with -j"
expect "-e with an unknown class is a usage error" 2 "$BIN" convert -e trace=%nosuch "$F"
expect "--since with a bad time is a usage error" 2 "$BIN" stats --since yesterday "$F"

# --- stats: the strace -c table -------------------------------------------------

run "$O" "$E" "$BIN" stats -c corpus/threads-f-ttt-T-y.strace
if [ $rc -eq 0 ] && [ "$(head -n 1 "$O")" = "% time     seconds  usecs/call     calls    errors syscall" ] &&
	tail -n 1 "$O" | grep -Eq '^100\.00 +[0-9]+\.[0-9]{6} +[0-9]+ +[0-9]+ +[0-9]* total$' &&
	! sed -n '3,$p' "$O" | grep -v '^------' | grep -Evq '^ *[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{6} +[0-9]+ +[0-9]+ +([0-9]+ )?[a-z_0-9]+$' &&
	"$PY" - "$O" <<'PYEOF'
import sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[2:-2]]
secs = [float(r[1]) for r in rows]
total = open(sys.argv[1]).read().splitlines()[-1].split()
assert secs == sorted(secs, reverse=True), "not sorted by time"
assert abs(sum(secs) - float(total[1])) < 1e-5 * (len(rows) + 1), "seconds do not add up"
assert sum(int(r[3]) for r in rows) == int(total[3]), "calls do not add up"
PYEOF
then
	pass "stats -c: strace's layout, sorted by time, the total row adds up"
else
	fail "stats -c: strace's layout, sorted by time, the total row adds up" "exit $rc: $(head -n 4 "$O" | tr '\n' '|')"
fi

run "$O" "$E" "$BIN" stats -c corpus/ls-plain.strace
[ $rc -eq 0 ] && grep -q 'no -T durations' "$E" && grep -q ' 0.000000 ' "$O" &&
	pass "stats without -T: zero time columns, and a note says so" ||
	fail "stats without -T: zero time columns, and a note says so" "exit $rc"

"$BIN" stats --json corpus/threads-f-ttt-T-y.strace >"$O"
jq -e 'has("files") and has("lines") and has("events") and has("unparsed") and has("verbatim")
	and has("attached") and has("bytes") and has("kinds")
	and (.syscalls | length > 0 and all(has("name") and has("calls") and has("errors")
	and has("seconds") and has("usecs_per_call")))' "$O" >/dev/null &&
	"$BIN" stats corpus/threads-f-ttt-T-y.strace | grep -q '^% time ' &&
	pass "stats --json keeps its keys and adds syscalls; plain stats shows the table" ||
	fail "stats --json keeps its keys and adds syscalls; plain stats shows the table"
"$BIN" stats --json corpus/ls-plain.strace >"$O"
jq -e '.timed == false and (.syscalls | length > 0 and all(has("calls")
	and (has("seconds") or has("usecs_per_call") | not)))' "$O" >/dev/null &&
	pass "stats --json without -T: no seconds or usecs_per_call (absent, not 0)" ||
	fail "stats --json without -T: no seconds or usecs_per_call (absent, not 0)" "$(head -c 200 "$O")"

# Against strace -c itself on the same program, when ptrace is allowed here.
if command -v strace >/dev/null &&
	strace -f -T -o "$SC/live.strace" sh -c 'ls / >/dev/null; cat /nonexistent 2>/dev/null; true' 2>/dev/null &&
	strace -f -c -o "$SC/live.c" sh -c 'ls / >/dev/null; cat /nonexistent 2>/dev/null; true' 2>/dev/null; then
	"$BIN" stats -c "$SC/live.strace" 2>/dev/null | awk 'NR > 2 && !/^---/ && $NF != "total" { print $NF, $4, ($6 == "" ? 0 : $5) }' | sort >"$SC/ours"
	awk 'NR > 2 && !/^---/ && $NF != "total" && NF >= 5 { print $NF, $4, (NF == 6 ? $5 : 0) }' "$SC/live.c" | sort >"$SC/theirs"
	# the same calls and errors per syscall (a live program may differ in a
	# call or two: compare the names and the error counts of the failing ones)
	if [ "$(cut -d' ' -f1 "$SC/ours")" = "$(cut -d' ' -f1 "$SC/theirs")" ]; then
		pass "stats -c lists the syscalls strace -c lists for the same program"
	else
		fail "stats -c lists the syscalls strace -c lists for the same program" \
			"$(diff "$SC/ours" "$SC/theirs" | head -5 | tr '\n' '|')"
	fi
fi

# --- progress --------------------------------------------------------------------

"$PY" - "$BIN" "$BENCH_ONE" <<'PYEOF' >"$O" 2>&1
import os, pty, subprocess, sys
try:
    os.close(pty.openpty()[0])
except OSError:
    # a chroot or container without /dev/pts: there is no terminal to test
    print("SKIP: no pseudo-terminal on this machine")
    sys.exit(3)
def run(extra):
    master, slave = pty.openpty()
    p = subprocess.Popen([sys.argv[1], "convert", "-t", "strace", *extra, sys.argv[2], "-o", "/dev/null"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            d = os.read(master, 4096)
        except OSError:
            break
        if not d:
            break
        out += d
    p.wait()
    os.close(master)
    return p.returncode, out
rc, out = run(["--chunk", "65536", "-j", "1"])
# slow the run down: a pass through the parallel reader on tiny pieces
rc2, out2 = run(["-j", "2", "--chunk", "512"])
q, outq = run(["-q", "-j", "2", "--chunk", "512"])
print(rc, rc2, q, repr(out[-200:]), repr(out2[-300:]), repr(outq))
ok = rc == 0 and rc2 == 0 and b"MB/s" in out2 and b"\r" in out2 and outq == b""
sys.exit(0 if ok else 1)
PYEOF
prc=$?
if [ $prc -eq 3 ]; then
	echo "SKIP progress on a terminal: no pseudo-terminal here"
elif [ $prc -eq 0 ] && [ -z "$("$BIN" convert -t strace "$BENCH_ONE" -o /dev/null 2>&1)" ]; then
	pass "progress on a terminal (\\r, MB/s), none with -q or off a terminal"
else
	fail "progress on a terminal (\\r, MB/s), none with -q or off a terminal" "$(tail -c 400 "$O")"
fi

# --- the stdin -> stdout mapper contract (Hadoop/Spark streaming) -----------------

P=corpus/pipeline-f.strace
mkdir -p "$SC/slices"
split -l 100 "$P" "$SC/slices/part-"
for s in "$SC"/slices/part-*; do
	"$BIN" convert -f strace -t jsonl - <"$s" >"$s.out"
	"$BIN" stats --json -f strace - <"$s" | jq -e --argjson n "$(wc -l <"$s")" \
		'.lines == $n and .events + .unparsed + .attached == $n' >/dev/null || echo "$s" >>"$SC/slices/bad"
done
cat "$SC"/slices/part-*.out >"$SC/mapped.jsonl"
"$BIN" convert -f strace -t jsonl "$P" >"$SC/whole.jsonl"
"$PY" - "$SC/whole.jsonl" "$SC/mapped.jsonl" <<'PYEOF' >"$O" 2>&1
import json, sys
whole = [json.loads(l) for l in open(sys.argv[1])]
mapped = [json.loads(l) for l in open(sys.argv[2])]
assert len(whole) == len(mapped), ("records", len(whole), len(mapped))
diff = 0
for w, m in zip(whole, mapped):
    # "line" counts from the slice's start; "fmt" holds how a record differs
    # from the first of its stream in print form
    for k in ("line", "fmt"):
        w.pop(k, None); m.pop(k, None)
    if w != m:
        # a resumption whose start went to the slice before: an orphan
        # holding the tail; nothing else may differ
        assert m.get("orphan") and m.get("resumed") and w.get("resumed"), (w, m)
        assert m["syscall"] == w["syscall"] and m["pid"] == w["pid"], (w, m)
        diff += 1
assert diff > 0, "no resumption crossed a slice"
print("boundary orphans:", diff)
PYEOF
[ $? -eq 0 ] && [ ! -f "$SC/slices/bad" ] &&
	pass "mapper contract: slices through stdin -> stdout give the same records but boundary orphans" ||
	fail "mapper contract: slices through stdin -> stdout give the same records but boundary orphans" "$(tail -c 400 "$O")"

# --- make install into a temporary DESTDIR -----------------------------------------

D="$SC/dest"
if make -s -C "$ROOT" -j2 install DESTDIR="$D" PREFIX=/usr/local >"$O" 2>&1 &&
	[ -x "$D/usr/local/bin/sysrep" ] && [ -f "$D/usr/local/lib/libsysrep.a" ] &&
	[ -f "$D/usr/local/include/sysrep.h" ] && [ -f "$D/usr/local/share/man/man1/sysrep.1" ] &&
	objdump -p "$D/usr/local/lib/libsysrep.so" 2>/dev/null | grep -q 'SONAME *libsysrep.so.0'; then
	cat >"$SC/use.c" <<'CEOF'
#include <stdio.h>
#include <sysrep.h>

int main(int argc, char **argv)
{
	const struct sr_reader_class *rc = sr_reader_find("strace");
	struct sr_intern *atoms = sr_intern_new();
	struct sr_source *src;
	struct sr_reader *r;
	struct sr_batch b;
	struct sr_counts c = { 0 };
	enum sr_status st;

	if (argc < 2 || !rc || sr_source_open(&src, argv[1], NULL) < 0 ||
	    rc->open(&r, src, NULL, NULL) < 0 || sr_batch_init(&b, atoms) < 0)
		return 1;
	do {
		st = rc->next(r, &b, NULL);
		sr_counts_add(&c, &b);
	} while (st == SR_OK);
	printf("%s %llu events\n", SR_VERSION, (unsigned long long)c.events);
	rc->close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	sr_intern_free(atoms);
	return st < 0;
}
CEOF
	flags=$(PKG_CONFIG_PATH="$D/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" \
		pkg-config --cflags --libs sysrep)
	want=$("$BIN" stats --json corpus/ls-plain.strace | jq -r '"0.1.0 \(.events) events"')
	# shellcheck disable=SC2086
	if cc -o "$SC/use" "$SC/use.c" $flags &&
		[ "$(LD_LIBRARY_PATH="$D/usr/local/lib" "$SC/use" corpus/ls-plain.strace)" = "$want" ] &&
		ldd "$SC/use" 2>/dev/null | grep -q 'libsysrep.so.0 => not found'; then
		pass "make install: a C program builds with pkg-config and runs on the shared library"
	else
		fail "make install: a C program builds with pkg-config and runs on the shared library" "$flags"
	fi
	page="$D/usr/local/share/man/man1/sysrep.1"
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$page" 2>"$E" >"$O"
	elif command -v groff >/dev/null; then
		groff -man -Tutf8 "$page" 2>"$E" >"$O"
	else
		# no formatter on this machine: read the roff source itself, its
		# escapes ("\-", font changes) taken out
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(em/--/g' "$page" >"$O" 2>"$E"
	fi
	missing=
	for opt in $("$BIN" help convert; "$BIN" help record; "$BIN" help stats; "$BIN" help tree;
		"$BIN" help report); do
		case "$opt" in --*=*) opt=${opt%%=*} ;; esac
		case "$opt" in --[a-z]*)
			o=${opt#--}
			opt="--${o%%[!a-z-]*}"
			grep -q -- "$opt" "$O" || missing="$missing $opt" ;;
		esac
	done
	[ -z "$missing" ] && ! grep -qi warning "$E" && grep -q 'sysrep convert -r' "$O" &&
		pass "the man page renders and names every option of --help" ||
		fail "the man page renders and names every option of --help" "missing:$missing $(head -c 200 "$E")"
else
	fail "make install: a C program builds with pkg-config and runs on the shared library" "$(tail -c 300 "$O")"
fi
