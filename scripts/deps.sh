#!/usr/bin/env bash
# Installs the Debian packages that building and testing sysrep needs.
#
# Asks dpkg first and touches the network only when something is missing,
# so it is cheap to run on a machine that is already set up.  Meant for a
# Debian 12 that has at least build-essential, git, pkg-config and python3.
#
#   scripts/deps.sh          install what is missing
#   scripts/deps.sh --check  only report; exit 1 when something is missing
#   scripts/deps.sh --fuzz   also clang and its fuzzer runtime (make fuzz)
#   scripts/deps.sh --semantic  also what make semantic-tables reads (the
#                            build itself needs none of it)
set -euo pipefail

packages=(
	libzstd-dev          # zstd input and output
	zlib1g-dev           # gzip input
	libprotobuf-c-dev    # protobuf output (runtime library)
	protobuf-c-compiler  # protoc-c, compiles proto/sysrep.proto
	libmsgpack-dev       # msgpack output
	libcsv-dev           # csv output
	libjansson-dev       # JSON input
	protobuf-compiler    # protoc: tests decode our protobuf output with it
	python3-protobuf     # tests read our protobuf stream from Python
	python3-msgpack      # tests read our msgpack stream from Python
	python3-pandas       # tests load our CSV with pandas.read_csv; sysrep.frame()
	python3-dev          # the Python module (make python): Python.h
	python3-numpy        # the Python module: frame columns, sequences, windows
	python3-dask         # sysrep.dask.read_traces
	python3-distributed  # its tests and docs/python.md: LocalCluster, dask scheduler/worker
	libcunit1-dev        # unit tests
	jq                   # end-to-end tests check JSON with it
	valgrind             # make check: no leak in one conversion per format
	zstd                 # tests make zstd inputs and the big pipe input
	time                 # /usr/bin/time: peak RSS in the hostile-input tests
	strace               # sysrep record runs it; make check records programs
	pkg-config
)
if [[ ${1:-} == --semantic ]]; then
	# make semantic-tables only: section-2 synopses, the kernel's syscall
	# prototypes (include/linux/syscalls.h), the uapi and libc headers; clang
	# compiles the uapi headers for i386 and aarch64 (constants_<arch>.in)
	packages+=(manpages-dev linux-source-6.1 linux-libc-dev libc6-dev xz-utils clang)
fi
if [[ ${1:-} == --fuzz ]]; then
	# make fuzz only: clang with libFuzzer and the sanitizer runtimes
	packages+=(clang libclang-rt-14-dev)
fi

if ! command -v dpkg-query >/dev/null; then
	echo "deps.sh: dpkg-query not found; install by hand: ${packages[*]}" >&2
	exit 1
fi

missing=()
for p in "${packages[@]}"; do
	# "installed" only; a package that is merely unpacked or removed with
	# its configuration left behind still needs installing.
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
	exit 0
fi
if [[ ${1:-} == --check ]]; then
	echo "deps.sh: missing: ${missing[*]}" >&2
	exit 1
fi

sudo=()
if ((EUID != 0)); then
	if ! command -v sudo >/dev/null; then
		echo "deps.sh: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
		exit 1
	fi
	sudo=(sudo)
fi

echo "deps.sh: installing ${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y --no-install-recommends "${missing[@]}"
