# json-types.sh - issue 20: the JSON reader rejects a value of the wrong
# type with the file, the line and column of the value, and what the key
# expects (exit 1), where it used to read "return":"x" as 0 and
# "time":1e308 as midnight.  One case per key type; each case is line 3 of
# a file whose other lines are good.  Sourced by tests/e2e.sh.

# shellcheck shell=bash disable=SC2015
JT=$TMP/json-types
mkdir -p "$JT"
"$BIN" convert -q corpus/ls-plain.strace | head -n 4 >"$JT/good.jsonl"

# jt_case KEY VALUE EXPECTED: line 3 with KEY set to VALUE (appended last,
# so its column is the line's length minus the value's) must fail so.
jt_case() {
	local key=$1 val=$2 want=$3 line col
	line=$(sed -n 3p "$JT/good.jsonl" | jq -c --arg k "$key" --argjson v "$val" 'del(.[$k]) | .[$k] = $v')
	col=${line%\"$key\":*}
	col=$((${#col} + ${#key} + 4))
	{ sed -n 1,2p "$JT/good.jsonl"; echo "$line"; sed -n 4p "$JT/good.jsonl"; } >"$JT/t.jsonl"
	run "$JT/o" "$JT/e" "$BIN" convert -t strace "$JT/t.jsonl"
	if [ "$rc" -eq 1 ] &&
		[ "$(cat "$JT/e")" = "sysrep: cannot parse: file=$JT/t.jsonl line=3 col=$col: \"$key\": expected $want" ] &&
		head -n 2 "$JT/good.jsonl" | "$BIN" convert -q -t strace | cmp -s - "$JT/o"; then
		pass "JSON \"$key\":$val is refused with its line and column"
	else
		fail "JSON \"$key\":$val is refused with its line and column" "exit $rc: $(first_line "$JT/e") (col $col)"
	fi
}

jt_case pid '"abc"' 'an integer, got a string'
jt_case pid '1.5' 'an integer, got a number with a fraction'
jt_case line 'true' 'an integer (the input line), got a boolean'
jt_case nr '"x"' 'an integer (the syscall number), got a string'
jt_case args '5' 'an object of named arguments (or an array), got an integer'
jt_case args '"x"' 'an object of named arguments (or an array), got a string'
jt_case return '"x"' 'an integer, null or a typed value object, got a string'
jt_case return '[]' 'an integer, null or a typed value object, got an array'
jt_case time '[]' 'a number of seconds, got an array'
jt_case time '1e308' 'a number of seconds, got a number out of range'
jt_case time '"12:00"' 'a number of seconds, got a string'
jt_case resumed_time '{}' 'a number of seconds, got an object'
jt_case rel 'null' 'a number of seconds, got null'
jt_case duration '-1' 'a number of seconds, not negative, got a negative number'
jt_case duration '"0.1"' 'a number of seconds, not negative, got a string'
jt_case syscall '5' "a string (the syscall's name), got an integer"
jt_case signal '[]' "a string (the signal's name), got an array"
jt_case errno '5' "a string (the errno's name), got an integer"
jt_case errmsg 'false' 'a string, got a boolean'
jt_case comm '1' 'a string, got an integer'
jt_case type '5' 'one of "syscall", "unfinished", "signal", "exit", "killed", "superseded", "message", "summary", "unparsed", got an integer'
jt_case type '"sycall"' 'one of "syscall", "unfinished", "signal", "exit", "killed", "superseded", "message", "summary", "unparsed", got another string'
jt_case ip '7' 'a hex string or null, got an integer'
jt_case notes '"x"' 'an array of strings, got a string'
jt_case stack '{}' 'an array, got an object'
jt_case fmt '5' 'an object, got an integer'
jt_case resumed '1' 'true or false, got an integer'
jt_case exit_status '"0"' 'an integer, got a string'
jt_case calls '1.5' 'an integer, got a number with a fraction'
jt_case percent '"5"' 'a number, got a string'

# what the check must let through: integers beyond int64 (the jsonl writer
# prints RLIM64_INFINITY as a number), null returns, typed return objects,
# integral times
for ok in '"return":18446744073709551615' '"return":null' '"return":{"fd":3}' '"time":5' '"duration":0'; do
	k=${ok%%:*}
	sed -n 3p "$JT/good.jsonl" | jq -c "del(.$k)" | sed "s/^{/{$ok,/" >"$JT/ok.jsonl"
	"$BIN" convert -q "$JT/ok.jsonl" >/dev/null 2>"$JT/e" &&
		pass "JSON $ok is accepted" || fail "JSON $ok is accepted" "$(first_line "$JT/e")"
done

# the position of an error in a pretty-printed array: the value's own line
printf '[\n%s,\n{\n  "type": "syscall",\n  "syscall": "close",\n  "pid":\n    "abc"\n}\n]\n' \
	"$(sed -n 1p "$JT/good.jsonl")" >"$JT/arr.json"
run "$JT/o" "$JT/e" "$BIN" convert "$JT/arr.json"
[ "$rc" -eq 1 ] && [ "$(cat "$JT/e")" = "sysrep: cannot parse: file=$JT/arr.json line=7 col=5: \"pid\": expected an integer, got a string" ] &&
	pass "JSON array: a wrong type is placed at its value's line and column" ||
	fail "JSON array: a wrong type is placed at its value's line and column" "exit $rc: $(first_line "$JT/e")"
