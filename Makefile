# covid-portal build.
#   make          build bin/covid-ingest and cgi-bin/*.fcgi
#   make test     build under ASan+UBSan into build/asan and run the whole suite
#   make run      install missing packages (as root), build, load the sample, serve
#   make deps     install the Debian packages the build and `make run` need
# Personal overrides (CC, CFLAGS, ...) go in Makefile.local.

PKGS     = sqlite3 libcurl fcgi xlsxwriter
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
           -Wwrite-strings -Wshadow -Wformat=2
CPPFLAGS += -D_DEFAULT_SOURCE -Isrc -I$(BUILD)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# The test build: same sources, sanitizers on, outputs kept apart.
ifeq ($(SAN),1)
BUILD   ?= build/asan
OUT     ?= $(BUILD)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
else
BUILD   ?= build/rel
OUT     ?= .
endif

ALL_CFLAGS  = $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LDLIBS     += $(PKG_LIBS) -lm

# Shared code: every src/*.c but the programs' mains.
MAINS    = src/ingest_main.c
LIB_SRC  = $(filter-out $(MAINS),$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/src/%.o) $(BUILD)/migrations.o
LIB      = $(BUILD)/libcovid.a

CGI      = $(patsubst cgi-bin/%.c,$(OUT)/cgi-bin/%.fcgi,$(wildcard cgi-bin/*.c))
INGEST   = $(OUT)/bin/covid-ingest
UNIT     = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

# Debian packages: to build, to run, and to run the test suite.
DEBS_BUILD = gcc make pkg-config libsqlite3-dev libcurl4-openssl-dev \
             libfcgi-dev libxlsxwriter-dev
DEBS_RUN   = nginx spawn-fcgi sqlite3 curl ca-certificates
DEBS_TEST  = python3 python3-openpyxl chromium libreoffice-calc-nogui \
             prometheus systemd iproute2
DEBS_BENCH = wrk time

.PHONY: all test check run deps deps-test deps-bench bench clean
all: $(INGEST) $(CGI)

-include Makefile.local

$(BUILD)/src/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/migrations.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/migrations.c: src/gen-migrations.sh $(wildcard migrations/*.sql)
	@mkdir -p $(@D)
	sh src/gen-migrations.sh $(sort $(wildcard migrations/*.sql)) > $@.tmp && mv $@.tmp $@

$(BUILD)/migrations.o: $(BUILD)/migrations.c src/migrations.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(INGEST): $(BUILD)/src/ingest_main.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgi-bin/%.o: cgi-bin/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OUT)/cgi-bin/%.fcgi: $(BUILD)/cgi-bin/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# The whole suite, under sanitizers, ending with "N passed, N failed".
test: deps-test
	$(MAKE) SAN=1 check

check: $(INGEST) $(CGI) $(UNIT)
	BUILD=$(BUILD) OUT=$(OUT) sh tests/run.sh

run: deps all
	sh etc/run-local.sh

# Installs what is missing, when root; otherwise says what to install.
deps:
	@sh etc/install-debs.sh $(DEBS_BUILD) $(DEBS_RUN)
deps-test: deps
	@sh etc/install-debs.sh $(DEBS_TEST)
deps-bench: deps-test
	@sh etc/install-debs.sh $(DEBS_BENCH)

bench: deps-bench all
	sh bench/run.sh

clean:
	rm -rf build bin cgi-bin/*.fcgi
