# sysrep - GNU make build.
#
# Everything but core/main.c goes into build/libsysrep.a; the CLI (./sysrep)
# and the unit tests (build/test_sysrep) link that library, so a test sees
# exactly the code the CLI runs.  Sources are found by wildcard: a new
# formats/out_x.c or core/x.c is picked up without touching this file.
#
#   make            build ./sysrep (installs missing Debian packages first)
#   make check      unit tests, then tests/e2e.sh when it exists
#   make demo       convert corpus/ls-plain.strace to JSON Lines and show stats
#   make bench      throughput and peak RSS on a 150 MB trace
#   make deps       install build dependencies (scripts/deps.sh)
#   make syscall-tables  regenerate core/tables/*.in from the kernel headers
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
SR_CPPFLAGS := -D_GNU_SOURCE -Iinclude -Iformats -Icore -MMD -MP $(CPPFLAGS)
LDLIBS      := -lprotobuf-c -lmsgpackc -lcsv -ljansson -lzstd -lz -lm $(LDLIBS)

LIB      := $(BUILD)/libsysrep.a
BIN      ?= sysrep
TEST_BIN := $(BUILD)/test_sysrep

# core/main.c is the CLI; everything else in core/ and formats/ is library.
LIB_SRCS  := $(filter-out core/main.c,$(wildcard core/*.c)) $(wildcard formats/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/core/main.o
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
	/usr/lib/python3/dist-packages/msgpack /usr/lib/python3/dist-packages/pandas

.PHONY: all deps check demo bench clean syscall-tables
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

# The report page: core/report.html becomes one C string literal (each line
# quoted, \ " and ? escaped, the last against trigraphs) that only
# core/report.c includes.
$(BUILD)/gen/report_html.h: core/report.html
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@

$(BUILD)/core/report.o: $(BUILD)/gen/report_html.h
$(BUILD)/core/report.o: SR_CPPFLAGS += -I$(BUILD)/gen

syscall-tables:
	$(PYTHON) scripts/gen-syscalls.py tables core/tables

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

# --- targets that run things ---------------------------------------------

check: $(TEST_BIN) $(if $(E2E),$(BIN))
	$(TEST_BIN)
ifneq ($(E2E),)
	bash tests/e2e.sh ./$(BIN)
endif

DEMO_IN := corpus/ls-plain.strace

demo: $(BIN)
	@echo '--- ./$(BIN) convert -t jsonl $(DEMO_IN) (first 5 lines)'
	@./$(BIN) convert -t jsonl $(DEMO_IN) | head -n 5
	@echo '--- ./$(BIN) stats --json $(DEMO_IN)'
	@./$(BIN) stats --json $(DEMO_IN)

bench: $(BIN)
	bash scripts/bench.sh ./$(BIN)

clean:
	rm -rf $(BUILD) $(BIN)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJS:.o=.d)
