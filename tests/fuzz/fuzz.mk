# Fuzzing: libFuzzer harnesses (tests/fuzz/fuzz_*.c) for every parser of
# outside input, built with clang and run on a scratch copy of their seeds.
#   make fuzz                     each harness FUZZ_SECONDS (20) seconds
#   make fuzz FUZZ_SECONDS=600    the long run
#   make fuzz FUZZ_TARGETS=date   some of them
#   make fuzz-build               build them only (tests/e2e/fuzz.sh does)
# A harness that crashes (a sanitizer report or a broken invariant) fails the
# run; its input is saved under $(FUZZ_BUILD)/artifacts/NAME/ and the line
# says how to replay it. The harnesses compile the src/*.c files they need
# themselves, with coverage: libcovid.a is gcc-built without it.

FUZZ_BUILD   ?= build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_NAMES    = csv daily_parse series_parse lookup date slug template escape http export_request api intake geo
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_CFLAGS   = $(WARN) -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -D_DEFAULT_SOURCE -Isrc -Itests/fuzz

# The src/ files each harness needs (folder/name, without .c).
FUZZ_SRC_csv            = base/csv base/csv_writer base/sink base/numfmt
FUZZ_SRC_daily_parse    = ingest/daily_parse ingest/jhu_text store/place_names base/csv base/utf8 base/numfmt
FUZZ_SRC_lookup         = store/lookup base/csv
FUZZ_SRC_series_parse   = ingest/series_parse ingest/jhu_text store/place_names base/csv base/date base/utf8 base/numfmt
FUZZ_SRC_date           = base/date ingest/daily_parse ingest/jhu_text store/place_names base/csv base/utf8 base/numfmt
FUZZ_SRC_slug           = base/slug base/utf8
FUZZ_SRC_geo            = web/choropleth web/escape base/sink base/log base/numfmt
FUZZ_SRC_template       = web/template web/escape base/sink base/log base/hash base/numfmt
FUZZ_SRC_escape         = web/escape base/sink base/numfmt
FUZZ_SRC_http           = web/http base/date web/escape base/sink base/log web/page web/template base/hash base/utf8 base/numfmt
FUZZ_SRC_export_request = export/export_request query/query_export base/sql_stmts $(FUZZ_SRC_http)
FUZZ_LIBS_export_request = $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
FUZZ_SRC_api            = api/api_params api/api_tables api/api_http web/json_writer \
                          api/api_handlers api/api_openapi api/api_doc query/query \
                          query/query_status query/query_api query/query_forecast \
                          base/sql_stmts base/arena \
                          base/date web/http web/escape base/sink base/log base/utf8 \
                          base/numfmt base/hash
FUZZ_LIBS_api           = $(shell pkg-config --libs sqlite3 yajl 2>/dev/null || echo -lsqlite3 -lyajl)
FUZZ_SRC_intake         = intake/intake_case base/arena base/date base/utf8 base/numfmt
FUZZ_LIBS_intake        = $(shell pkg-config --libs yajl 2>/dev/null || echo -lyajl)

.PHONY: fuzz fuzz-build fuzz-tools

# One line naming the package when clang or its libFuzzer runtime is missing.
fuzz-tools:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make: $(FUZZ_CC) is missing: install the Debian package clang (make deps-test does, as root)" >&2; exit 1; }
	@ls "$$($(FUZZ_CC) -print-runtime-dir)"/libclang_rt.fuzzer-*.a >/dev/null 2>&1 || { echo "make: the libFuzzer runtime is missing: install the Debian package libclang-rt-14-dev (make deps-test does, as root)" >&2; exit 1; }

define FUZZ_RULE
$(FUZZ_BUILD)/fuzz_$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/fuzz.h \
    $(patsubst %,src/%.c,$(FUZZ_SRC_$(1))) $(wildcard src/*/*.h) | fuzz-tools
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$(filter %.c,$$^) $(FUZZ_LIBS_$(1)) -lm
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

fuzz-build: $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_TARGETS))

# Every harness runs, then the run fails if any of them crashed.
fuzz: fuzz-build
	@fail=; for n in $(FUZZ_TARGETS); do \
	    sh tests/fuzz/run.sh $$n $(FUZZ_SECONDS) $(FUZZ_BUILD) || fail="$$fail $$n"; \
	done; \
	if [ -n "$$fail" ]; then echo "make: fuzzing failed:$$fail" >&2; exit 1; fi
