# scap.sh - sysdig / Falco captures (corpus/scap/*.scap, gzip-compressed).
# Sourced by tests/e2e.sh (see README here).
#
# For every capture:
#   - it is detected as scap, and stats are consistent (events + attached ==
#     lines, kinds add up to events);
#   - convert -t jsonl gives one JSON object per event;
#   - sysrep's events, taken apart again into sysdig's enter/exit records,
#     match sysdig's own decoding (tests/golden/scap/*.sysdig.txt, made by
#     tests/golden/scap/regen.sh): event number, ns time, thread, direction,
#     type.  sysdig hides procinfo events; sysrep keeps them as messages.
#     curl_google_comments.scap (which Debian's sysdig cannot read) is the
#     same capture as curl_google.scap with pcapng comments added, so it is
#     compared with that file's decoding;
#   - every other registered writer converts it;
#   - the same capture plain (not gzip) and on stdin gives the same output;
#   - cut short, it fails with exit 1 and a message naming the byte offset.

SCAP_CMP=$(
	cat <<'EOF'
import decimal, json, sys

def ns(x):
    return int(decimal.Decimal(x) * 1000000000)

def records(path):
    out = []
    with open(path, 'rb') as f:
        for raw in f:
            e = json.loads(raw, parse_float=str, parse_int=str)
            t, line = e['type'], int(e['line'])
            if line == 0:
                continue  # section header comments
            pid, tm = int(e['pid']), ns(e['time'])
            if t in ('syscall', 'unfinished'):
                name = e['syscall']
                if t == 'unfinished':
                    out.append((line, tm, pid, '>', name))
                elif e.get('resumed'):
                    # "time" is the enter's, "resumed_time" the exit's
                    out.append((line, ns(e.get('resumed_time', e['time'])), pid, '<', name))
                elif 'duration' in e:
                    out.append((line, tm, pid, '>', name))
                    out.append((line + 1, tm + ns(e['duration']), pid, '<', name))
                else:
                    out.append((line, tm, pid, '<', name))
            elif t in ('exit', 'killed'):
                out.append((line, tm, pid, '>', 'procexit'))
            elif t == 'signal':
                out.append((line, tm, pid, '>', 'signaldeliver'))
            elif t == 'message':
                out.append((line, tm, pid, '>', e['text'].split(' ', 1)[0]))
            else:
                sys.exit('unexpected event type %s at line %d' % (t, line))
    return sorted(out)

mine = [r for r in records(sys.argv[1]) if r[4] != 'procinfo']
want = []
with open(sys.argv[2]) as f:
    for l in f:
        n, t, tid, d, name = l.split()
        want.append((int(n), int(t), int(tid), d, name))
if len(mine) != len(want):
    sys.exit('%d records, sysdig has %d' % (len(mine), len(want)))
for a, b in zip(mine, want):
    if a != b:
        sys.exit('first difference: sysrep %s, sysdig %s' % (a, b))
print(len(mine))
EOF
)

scap_files=("$ROOT"/corpus/scap/*.scap)
for f in "${scap_files[@]}"; do
	[ -f "$f" ] || continue
	base=$(basename "$f" .scap)
	name=scap/$base

	run "$TMP/scap.stats" "$TMP/err" "$BIN" stats --json "$f"
	if [ $rc -ne 0 ]; then
		fail "$name: stats" "exit $rc: $(first_line "$TMP/err")"
		continue
	fi
	read -r lines events unparsed attached kinds <<<"$(jq -r \
		'"\(.lines) \(.events) \(.unparsed) \(.attached) \([.kinds[]] | add)"' "$TMP/scap.stats")"
	if [ "$unparsed" = 0 ] && [ $((events + attached)) = "$lines" ] && [ "$kinds" = "$events" ] &&
		[ "$events" -gt 0 ]; then
		pass "$name: stats consistent ($events events, $attached attached)"
	else
		fail "$name: stats consistent" "lines $lines events $events unparsed $unparsed attached $attached kinds $kinds"
	fi

	run "$TMP/scap.jsonl" "$TMP/err" "$BIN" convert -t jsonl "$f"
	if [ $rc -ne 0 ]; then
		fail "$name: jsonl" "exit $rc: $(first_line "$TMP/err")"
		continue
	fi
	if ! n=$(jsonl_count "$TMP/scap.jsonl" 2>&1); then
		fail "$name: jsonl" "invalid JSON: $n"
	elif [ "$n" != "$events" ]; then
		fail "$name: jsonl" "$n lines, $events events"
	else
		pass "$name: jsonl ($n lines)"
	fi

	golden=$ROOT/tests/golden/scap/$base.sysdig.txt
	[ -f "$golden" ] || golden=$ROOT/tests/golden/scap/${base%_comments}.sysdig.txt
	if [ -f "$golden" ]; then
		if out=$("$PY" -c "$SCAP_CMP" "$TMP/scap.jsonl" "$golden" 2>&1); then
			pass "$name: matches sysdig's decoding ($out records, $(basename "$golden"))"
		else
			fail "$name: matches sysdig's decoding" "$out"
		fi
	fi

	# every other writer there is
	for w in $("$BIN" formats 2>/dev/null | awk '/^Writers/ {on = 1; next} /^[^ ]/ {on = 0} on && NF {print $1}'); do
		[ "$w" = jsonl ] && continue
		run "$TMP/scap.out" "$TMP/err" "$BIN" convert -t "$w" "$f"
		if [ $rc -eq 0 ] && [ -s "$TMP/scap.out" ]; then
			pass "$name: writer $w"
		else
			fail "$name: writer $w" "exit $rc: $(first_line "$TMP/err")"
		fi
	done

	gzip -dc "$f" >"$TMP/plain.scap"
	run "$TMP/scap2.jsonl" "$TMP/err" "$BIN" convert -t jsonl - <"$TMP/plain.scap"
	[ $rc -eq 0 ] && cmp -s "$TMP/scap.jsonl" "$TMP/scap2.jsonl" &&
		pass "$name: plain capture on stdin detected, same output" ||
		fail "$name: plain capture on stdin detected, same output" "exit $rc: $(first_line "$TMP/err")"

	size=$(wc -c <"$TMP/plain.scap")
	head -c $((size / 2 + 3)) "$TMP/plain.scap" >"$TMP/cut.scap"
	run "$TMP/scap.out" "$TMP/err" "$BIN" convert -f scap -t jsonl "$TMP/cut.scap"
	if [ $rc -eq 1 ] && grep -q "file=$TMP/cut.scap: at byte [0-9]*: expected" "$TMP/err"; then
		pass "$name: cut short, exit 1 naming the byte offset"
	else
		fail "$name: cut short, exit 1 naming the byte offset" "exit $rc: $(first_line "$TMP/err")"
	fi
done
