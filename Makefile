# sysrep - GNU make build.
#
# core/ and formats/<name>/ go into build/libsysrep.a; the CLI in cli/
# (./sysrep) and the unit tests (build/test_sysrep) link that library, so a
# test sees exactly the code the CLI runs.  Sources are found by wildcard: a
# new formats/x/out_x.c, core/x.c or cli/x.c is picked up without touching
# this file.  Objects mirror the tree under $(BUILD)/.
#
#   make            build ./sysrep (installs missing Debian packages first)
#   make check      unit tests, then tests/e2e.sh when it exists
#   make demo       convert corpus/ls-plain.strace to JSON Lines and show stats
#   make bench      throughput and peak RSS on a 150 MB trace
#   make deps       install build dependencies (scripts/deps.sh)
#   make syscall-tables  regenerate core/tables/*.in from the kernel headers
#   make semantic-tables regenerate the signature and constant tables
#   make install    bin, static and shared library, header, sysrep.pc, man page
#                   (PREFIX=/usr/local DESTDIR=); make uninstall; make shared
#   make clean      remove build/ and ./sysrep
#
# Build variants live side by side without a clean by moving BUILD and BIN:
#   make BUILD=build/asan BIN=build/asan/sysrep LDFLAGS=-fsanitize=address \
#	CFLAGS='-O1 -g -Wall -Wextra -fsanitize=address' check

CC      ?= cc
AR      ?= ar
BUILD   ?= build

# CFLAGS is the user's to override (make CFLAGS='-O0 -g'); what the code
# needs to compile at all is kept apart in SR_CFLAGS / SR_CPPFLAGS.
CFLAGS      ?= -O2 -g -Wall -Wextra
SR_CFLAGS   := -std=c11 $(CFLAGS)
FMT_DIRS    := $(patsubst %/,%,$(sort $(dir $(wildcard formats/*/*.c))))
SR_CPPFLAGS := -D_GNU_SOURCE -Iinclude -Iformats $(FMT_DIRS:%=-I%) -Icore -MMD -MP $(CPPFLAGS)
LDLIBS      := -lprotobuf-c -lmsgpackc -lcsv -ljansson -lzstd -lz -lm -lpthread $(LDLIBS)

LIB      := $(BUILD)/libsysrep.a
BIN      ?= sysrep
TEST_BIN := $(BUILD)/test_sysrep

# cli/ is the command line; core/ and formats/<name>/ are the library.
LIB_SRCS  := $(wildcard core/*.c) $(wildcard formats/*/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS  := $(wildcard cli/*.c)
MAIN_OBJ  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)

# Syscall tables: core/tables/syscalls_<arch>.in (committed; regenerate with
# "make syscall-tables" after a linux-libc-dev update) become headers in
# $(BUILD)/gen at build time.  Only core/syscalls.c includes them.
PYTHON    ?= python3
SC_ARCHES := x86_64 i386 aarch64
SC_HDRS   := $(SC_ARCHES:%=$(BUILD)/gen/syscalls_%.h)

# Protocol Buffers: proto/sysrep.proto is compiled by protoc-c at build time
# into $(BUILD)/proto; the generated code goes into the library, and every
# object waits for the header (order-only: the first build has no .d files
# yet to say which objects include it, later builds know from them).
PROTO     := proto/sysrep.proto
PROTO_GEN := $(BUILD)/proto/sysrep.pb-c.c $(BUILD)/proto/sysrep.pb-c.h
PROTO_OBJ := $(BUILD)/proto/sysrep.pb-c.o
LIB_OBJS  += $(PROTO_OBJ)
SR_CPPFLAGS += -I$(BUILD)/proto

# The end-to-end script drives the CLI, so check needs ./sysrep only when
# the script exists; without it the unit tests run on the library alone.
E2E := $(wildcard tests/e2e.sh)

# Dependency check.  scripts/deps.sh asks dpkg and may use the network, so
# make only looks for one file per package and calls the script when one
# is missing; the stamp then records the result for later runs.  Every
# object waits for it (order-only, so touching the stamp rebuilds nothing).
DEPS_STAMP := $(BUILD)/.deps-ok
DEPS_FILES := /usr/include/zstd.h /usr/include/zlib.h \
	/usr/include/CUnit/CUnit.h /usr/include/protobuf-c/protobuf-c.h \
	/usr/include/msgpack.h /usr/include/csv.h /usr/include/jansson.h \
	/usr/bin/protoc-c /usr/bin/protoc /usr/bin/jq /usr/bin/pkg-config \
	/usr/lib/python3/dist-packages/google/protobuf \
	/usr/lib/python3/dist-packages/msgpack /usr/lib/python3/dist-packages/pandas \
	/usr/bin/valgrind /usr/bin/zstd /usr/bin/time \
	/usr/bin/python3-config /usr/lib/python3/dist-packages/numpy \
	/usr/lib/python3/dist-packages/dask /usr/lib/python3/dist-packages/distributed \
	/usr/bin/strace

.PHONY: all deps check demo bench clean syscall-tables semantic-tables asan ubsan sanitize fuzz fuzz-fast \
	fuzzers replays shared install uninstall
.DEFAULT_GOAL := all

all: $(BIN)

$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p $(@D)
	@missing=; \
	for f in $(DEPS_FILES); do test -e $$f || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
		echo "missing:$$missing; running scripts/deps.sh"; \
		bash scripts/deps.sh || exit 1; \
	fi
	@touch $@

deps:
	bash scripts/deps.sh

# --- the library, the CLI and the tests ---------------------------------

$(BUILD)/%.o: %.c | $(DEPS_STAMP) $(PROTO_GEN)
	@mkdir -p $(@D)
	$(CC) $(SR_CPPFLAGS) $(SR_CFLAGS) -c -o $@ $<

# One protoc-c run makes both files (a grouped target).
$(PROTO_GEN) &: $(PROTO) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	protoc-c --proto_path=$(dir $(PROTO)) --c_out=$(@D) $(PROTO)

# Generated code: its initializer macros trip -Wmissing-braces.
$(PROTO_OBJ): $(BUILD)/proto/sysrep.pb-c.c
	$(CC) $(SR_CPPFLAGS) $(SR_CFLAGS) -Wno-missing-braces -c -o $@ $<

$(BUILD)/gen/syscalls_%.h: core/tables/syscalls_%.in scripts/gen-syscalls.py
	@mkdir -p $(@D)
	$(PYTHON) scripts/gen-syscalls.py header $< $* $@

$(BUILD)/core/syscalls.o: $(SC_HDRS)
$(BUILD)/core/syscalls.o: SR_CPPFLAGS += -I$(BUILD)/gen

# The report page: formats/report/report.html becomes one C string literal
# (each line quoted, \ " and ? escaped, the last against trigraphs) that
# only formats/report/report.c includes.
$(BUILD)/gen/report_html.h: formats/report/report.html
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@

$(BUILD)/formats/report/report.o: $(BUILD)/gen/report_html.h
$(BUILD)/formats/report/report.o: SR_CPPFLAGS += -I$(BUILD)/gen

# strace's syscall classes (-e trace=%file): core/tables/classes.in, one
# "%class name..." per line, becomes { "%class", "name..." } initializers.
$(BUILD)/gen/classes.h: core/tables/classes.in
	@mkdir -p $(@D)
	sed -n 's/^\(%[%a-z]*\) \(.*\)$$/{ "\1", "\2" },/p' $< >$@

$(BUILD)/core/filter.o: $(BUILD)/gen/classes.h
$(BUILD)/core/filter.o: SR_CPPFLAGS += -I$(BUILD)/gen

syscall-tables:
	$(PYTHON) scripts/gen-syscalls.py tables core/tables

# Semantic records: signatures and constant sets, core/tables/constants.in
# (x86_64's), constants_<arch>.in (the sets that differ on i386, aarch64),
# signatures_<arch>.in (committed; "make semantic-tables" regenerates them
# from manpages-dev, linux-source-6.1 and the kernel headers, see
# scripts/gen-semantic.py) and semantic-hand.in become one header.
SEM_INS := core/tables/constants.in core/tables/constants_i386.in \
	core/tables/constants_aarch64.in $(SC_ARCHES:%=core/tables/signatures_%.in) \
	core/tables/semantic-hand.in
$(BUILD)/gen/semantic_tables.h: $(SEM_INS) scripts/gen-semantic.py
	@mkdir -p $(@D)
	$(PYTHON) scripts/gen-semantic.py header $(SEM_INS) $@

$(BUILD)/core/semantic_tables.o: $(BUILD)/gen/semantic_tables.h
$(BUILD)/core/semantic_tables.o: SR_CPPFLAGS += -I$(BUILD)/gen

semantic-tables: syscall-tables
	bash scripts/deps.sh --semantic
	$(PYTHON) scripts/gen-semantic.py tables core/tables

# The CLI uses the library through its public header alone: cli/ sees
# include/ and its own folder, nothing else.
$(BUILD)/cli/%.o: SR_CPPFLAGS := -D_GNU_SOURCE -Iinclude -MMD -MP $(CPPFLAGS)

# Tests include their own headers (sr_test.h, suites.def) from tests/.
$(BUILD)/tests/%.o: SR_CPPFLAGS += -Itests

# Rebuilt from scratch so an object whose source was deleted cannot linger.
$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(TEST_BIN): $(TEST_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ -lcunit $(LDLIBS)

# --- fuzz targets and their replay driver --------------------------------
#
# tests/fuzz/fuzz_<target>.c each define LLVMFuzzerTestOneInput.  Linked
# with tests/fuzz/replay.c they become $(BUILD)/replay/fuzz_<target>, which
# any compiler builds and make check runs over tests/fuzz/corpus/<target>/
# and tests/fuzz/regress/<target>/; linked by clang with -fsanitize=fuzzer
# they become the libFuzzer binaries of make fuzz ($(BUILD)/bin/...).
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BINS  := $(FUZZ_TARGETS:%=$(BUILD)/replay/%)
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BUILD)/bin/%)

$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bin/%: $(BUILD)/tests/fuzz/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# the objects of a target stay for the next link
.SECONDARY: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/%.o) $(BUILD)/tests/fuzz/replay.o

replays: $(REPLAY_BINS)
fuzzers: $(FUZZ_BINS)

# --- sanitizer builds -----------------------------------------------------
#
# Each in its own folder, so switching needs no clean.  Every report is
# fatal (-fno-sanitize-recover=all) and LeakSanitizer runs at exit.
SAN_CFLAGS  := -O1 -g -Wall -Wextra -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_FLAGS  := -fsanitize=address,undefined
UBSAN_FLAGS := -fsanitize=undefined

asan:
	$(MAKE) BUILD=build/asan BIN=build/asan/sysrep \
		CFLAGS='$(SAN_CFLAGS) $(ASAN_FLAGS)' LDFLAGS='$(ASAN_FLAGS)' \
		build/asan/sysrep build/asan/test_sysrep replays

ubsan:
	$(MAKE) BUILD=build/ubsan BIN=build/ubsan/sysrep \
		CFLAGS='$(SAN_CFLAGS) $(UBSAN_FLAGS)' LDFLAGS='$(UBSAN_FLAGS)' \
		build/ubsan/sysrep build/ubsan/test_sysrep replays

# The unit tests, the fuzz corpora and a round trip of every corpus file
# through every reader and writer, under AddressSanitizer + UBSan; then
# valgrind's leak check on one conversion per reader and writer.
sanitize: asan $(BIN)
	PLAIN=./$(BIN) bash tests/sanitize.sh build/asan

# --- fuzzing ---------------------------------------------------------------
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_JOBS=2] [FUZZ_TARGETS='fuzz_strace ...']
#
# clang builds the library and every target with -fsanitize=fuzzer,address,
# undefined and -DSR_FUZZING (checksums are not checked: the archive's
# CRC-32s and zstd's frame checksums would stop a mutation before the
# parsers) into build/fuzz/ and runs each target FUZZ_SECONDS seconds,
# FUZZ_JOBS at a time, on tests/fuzz/corpus/<target>/ (read only: new inputs
# go to build/fuzz/corpus/<target>/, crashes to build/fuzz/crash/<target>/).
# clang is installed on demand: make check does not need it.
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?=
FUZZ_JOBS    ?= 2
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz:
	@command -v $(FUZZ_CC) >/dev/null || bash scripts/deps.sh --fuzz
	$(MAKE) BUILD=build/fuzz CC=$(FUZZ_CC) \
		CFLAGS='-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_FLAGS)' \
		CPPFLAGS=-DSR_FUZZING \
		LDFLAGS='-fsanitize=fuzzer $(FUZZ_FLAGS)' fuzzers
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

# The same without sanitizers, 20 to 40 times faster (issue 22: 60-100
# executions a second under ASan on the shared machine, 2,000 without):
# the way to a million executions per target.  A memory error that does not
# crash goes unseen here, so the grown corpus, copied into
# tests/fuzz/corpus/, is replayed under ASan+UBSan by make sanitize.
#   make fuzz-fast [FUZZ_RUNS=1000000] [FUZZ_SECONDS=3600] [FUZZ_TARGETS=...]
fuzz-fast:
	@command -v $(FUZZ_CC) >/dev/null || bash scripts/deps.sh --fuzz
	$(MAKE) BUILD=build/fuzz-fast CC=$(FUZZ_CC) CPPFLAGS=-DSR_FUZZING \
		CFLAGS='-O2 -g -fsanitize=fuzzer-no-link' LDFLAGS='-fsanitize=fuzzer' fuzzers
	FUZZ_BUILD=build/fuzz-fast FUZZ_RUNS=$(FUZZ_RUNS) \
		bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

# --- the shared library and make install ---------------------------------
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#
# installs bin/sysrep, lib/libsysrep.a, lib/libsysrep.so (its objects built
# with -fPIC in $(BUILD)/pic, soname libsysrep.so.$(SO_MAJOR)),
# include/sysrep.h, lib/pkgconfig/sysrep.pc and share/man/man1/sysrep.1.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
SR_VER     := $(shell sed -n 's/^\#define SR_VERSION "\(.*\)"/\1/p' include/sysrep.h)
SO_MAJOR   := 0
SONAME     := libsysrep.so.$(SO_MAJOR)
SO         := $(BUILD)/libsysrep.so.$(SR_VER)
PIC_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/proto/sysrep.pb-c.o
GEN_HDRS   := $(SC_HDRS) $(BUILD)/gen/report_html.h $(BUILD)/gen/classes.h

$(BUILD)/pic/%.o: %.c | $(DEPS_STAMP) $(PROTO_GEN) $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SR_CPPFLAGS) -I$(BUILD)/gen $(SR_CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/pic/proto/sysrep.pb-c.o: $(BUILD)/proto/sysrep.pb-c.c
	@mkdir -p $(@D)
	$(CC) $(SR_CPPFLAGS) $(SR_CFLAGS) -fPIC -Wno-missing-braces -c -o $@ $<

$(SO): $(PIC_OBJS)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS)

shared: $(SO)

install: $(BIN) $(LIB) $(SO) docs/sysrep.1
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/sysrep
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libsysrep.a
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/libsysrep.so.$(SR_VER)
	ln -sf libsysrep.so.$(SR_VER) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsysrep.so
	install -m 644 include/sysrep.h $(DESTDIR)$(INCLUDEDIR)/sysrep.h
	install -m 644 docs/sysrep.1 $(DESTDIR)$(MANDIR)/man1/sysrep.1
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
		'Name: sysrep' \
		'Description: lossless transcoder for Linux system-call traces' \
		'Version: $(SR_VER)' \
		'Cflags: -I$${includedir}' \
		'Libs: -L$${libdir} -lsysrep' \
		'Libs.private: $(LDLIBS)' >$(DESTDIR)$(LIBDIR)/pkgconfig/sysrep.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sysrep $(DESTDIR)$(LIBDIR)/libsysrep.a \
		$(DESTDIR)$(LIBDIR)/libsysrep.so* $(DESTDIR)$(INCLUDEDIR)/sysrep.h \
		$(DESTDIR)$(LIBDIR)/pkgconfig/sysrep.pc $(DESTDIR)$(MANDIR)/man1/sysrep.1

# --- targets that run things ---------------------------------------------

# check: the unit tests, the end-to-end tests (tests/e2e.d/hostile.sh
# included), then make sanitize (ASan+UBSan build, fuzz corpora, valgrind).
# A variant build (make BUILD=build/x check) skips the last step.
# The normal build's end-to-end run (hostile inputs included) goes under
# ulimit -v 1G: memory bounded by design, not by the machine (issue 22).
# Sanitizer builds reserve terabytes of virtual memory, so a variant build
# runs without it.
check: $(TEST_BIN) $(if $(E2E),$(BIN)) replays
	$(TEST_BIN)
ifneq ($(E2E),)
ifeq ($(BUILD),build)
	ulimit -v 1048576 && bash tests/e2e.sh ./$(BIN)
else
	bash tests/e2e.sh ./$(BIN)
endif
endif
ifeq ($(BUILD),build)
	$(MAKE) sanitize
endif

DEMO_IN := corpus/ls-plain.strace

demo: $(BIN)
	@echo '--- ./$(BIN) convert -t jsonl $(DEMO_IN) (first 5 lines)'
	@./$(BIN) convert -t jsonl $(DEMO_IN) | head -n 5
	@echo '--- ./$(BIN) stats --json $(DEMO_IN)'
	@./$(BIN) stats --json $(DEMO_IN)

bench: $(BIN)
	bash scripts/bench.sh ./$(BIN)
	bash tests/bigpipe.sh ./$(BIN) 2048

clean:
	rm -rf $(BUILD) $(BIN)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJS:.o=.d) \
	$(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/%.d) $(BUILD)/tests/fuzz/replay.d \
	$(PIC_OBJS:.o=.d)

# --- the Python module (python/) -------------------------------------------
#
#   make python      build/python/sysrep/: the _sysrep extension + the package
#   make check       also runs tests/python/ with /usr/bin/python3
#   make install     also installs the package into Debian's dist-packages
#
# The extension is a client of include/sysrep.h alone (no -Icore, no
# -Iformats) and links the library's PIC objects in, so it needs no
# installed libsysrep.so.  Debian's /usr/bin/python3 (python3-dev) builds and
# runs it, whatever python3 comes first on PATH.
PY3       ?= /usr/bin/python3
PY_INC    := $(shell $(PY3) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PY_EXT    := $(shell $(PY3) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PY_VER    := $(shell $(PY3) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PY_OBJS   := $(patsubst python/%.c,$(BUILD)/pyext/%.o,$(wildcard python/*.c))
PY_MOD    := $(BUILD)/python/sysrep/_sysrep$(PY_EXT)
PY_PKG    := $(patsubst python/%,$(BUILD)/python/%,$(wildcard python/sysrep/*.py))
# Debian's python3 looks in /usr/lib/python3/dist-packages and, for local
# installs, /usr/local/lib/python3.X/dist-packages.
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/python$(PY_VER)/dist-packages)

.PHONY: python check-python install-python uninstall-python
python: $(PY_MOD) $(PY_PKG)

$(BUILD)/pyext/%.o: python/%.c python/sr_py.h include/sysrep.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -Iinclude -I$(PY_INC) $(SR_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(PY_MOD): $(PY_OBJS) $(PIC_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -o $@ $^ $(LDLIBS)

$(BUILD)/python/sysrep/%.py: python/sysrep/%.py
	@mkdir -p $(@D)
	cp $< $@

# unittest's last line is "OK" (or "FAILED (...)"); the CLI is needed to
# compare with "sysrep convert" and "sysrep stats".
check-python: python $(BIN)
	@cd tests/python && SYSREP=$(abspath $(BIN)) PYTHONPATH=$(abspath $(BUILD)/python) \
		$(PY3) -m unittest -v >$(abspath $(BUILD))/python-tests.log 2>&1; \
		st=$$?; tail -n 30 $(abspath $(BUILD))/python-tests.log; exit $$st
check: check-python

install-python: python
	install -d $(DESTDIR)$(PYTHONDIR)/sysrep
	install -m 644 $(PY_PKG) $(DESTDIR)$(PYTHONDIR)/sysrep/
	install -m 755 $(PY_MOD) $(DESTDIR)$(PYTHONDIR)/sysrep/
install: install-python
uninstall: uninstall-python
bench: python

uninstall-python:
	rm -rf $(DESTDIR)$(PYTHONDIR)/sysrep
