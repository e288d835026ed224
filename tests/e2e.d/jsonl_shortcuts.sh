# jsonl_shortcuts.sh - the jsonl writer's shortcuts give the general answer.
#
# Sourced by tests/e2e.sh (see README here): uses pass/fail/run and BIN TMP.
# The writer keeps an argument's spelled tree under fmt.av only when the
# canonical spelling of its meaning prints differently.  For fd annotations
# (N<path>, AT_FDCWD<path>), commented numbers and the shapes of
# core/semantic_same.c (structs, modes, signal sets, vectors) it answers
# without spelling and printing; each line below is one case of those
# shortcuts with the answer the general path gives (1: kept in av, 0: not),
# as the writer without them gave it, and the
# file must come back byte for byte (but for the raw byte 0xff in an fd
# annotation, which the JSON record does not keep yet: left out there).

# shellcheck shell=bash
SC=$TMP/shortcuts
mkdir -p "$SC"
{
	printf '4321  read(3</etc/passwd>, "x", 1) = 1\n'                      # 0
	printf '4321  openat(AT_FDCWD</tmp/lab>, "/x", O_RDONLY) = 3</x>\n'     # 0
	printf '4321  read(03</etc/passwd>, "x", 1) = 1\n'                     # 1: octal fd
	printf '4321  read(3</tmp/a\\nb>, "x", 1) = 1\n'                       # 1: escaped path
	printf '4321  read(3</tmp/\377>, "x", 1) = 1\n'                        # 1: not UTF-8
	printf '4321  read(3</tmp/x (deleted)>, "x", 1) = 1\n'                 # 1: deleted inside
	printf '4321  fstat(3</tmp/y>(deleted), 0x7ffc00001000) = 0\n'          # 0
	printf '4321  getdents64(3</d>, 0x55d0c0ffee00 /* 2 entries */, 32768) = 48\n' # 0: {"addr","count"}
	printf '4321  read(-1</x>, "x", 1) = -1 EBADF (Bad file descriptor)\n' # 0
	# the shapes core/semantic_same.c answers for (structs, modes, sets, vectors)
	printf '4321  newfstatat(3</x>, "", {st_mode=S_IFREG|0644, st_size=12, ...}, AT_EMPTY_PATH) = 0\n' # 0
	printf '4321  newfstatat(3</x>, "", {st_mode=S_IFREG|0x1a4, st_size=12, ...}, 0) = 0\n' # 1: hex mode bits
	printf '4321  openat(AT_FDCWD</d>, "x", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3</d/x>\n' # 0
	printf '4321  rt_sigprocmask(SIG_BLOCK, [HUP INT], [], 8) = 0\n'      # 0
	printf '4321  rt_sigprocmask(SIG_BLOCK, [1], NULL, 8) = 0\n'          # 1: a signal by number
	printf '4321  getdents64(3</d>, 0x55d0c0ffee00 /* 1 entries */, 32768) = 24\n' # 0
	printf '4321  execve("/bin/ls", ["ls", "-l"], 0x7ffd00001000 /* 1 vars */) = 0\n' # 1: "1 var"
	printf '4321  pipe([3, 4]) = 0\n'                                     # 0
	printf '4321  uname({sysname="Linux", nodename="h\\377", ...}) = 0\n' # 1: not UTF-8
} >"$SC/in.strace"
want="0 0 1 1 1 1 0 0 0 0 1 0 0 1 0 1 0 1"
if "$BIN" convert -t jsonl "$SC/in.strace" >"$SC/out.jsonl" 2>"$SC/e" &&
	got=$(jq -r 'if .fmt.av then 1 else 0 end' "$SC/out.jsonl" | tr '\n' ' ') &&
	[ "${got% }" = "$want" ]; then
	pass "jsonl: fd and comment shortcuts keep fmt.av exactly where needed"
else
	fail "jsonl: fd and comment shortcuts keep fmt.av exactly where needed" \
		"got '${got:-}' want '$want' $(head -c 200 "$SC/e")"
fi
grep -av "$(printf '\377')" "$SC/in.strace" >"$SC/rt.strace"
if "$BIN" convert -t jsonl "$SC/rt.strace" 2>"$SC/e" | "$BIN" convert -f jsonl -t strace 2>>"$SC/e" |
	cmp -s - "$SC/rt.strace"; then
	pass "jsonl: the shortcut cases round-trip byte for byte"
else
	fail "jsonl: the shortcut cases round-trip byte for byte" "$(head -c 200 "$SC/e")"
fi
