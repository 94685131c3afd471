# Fuzzing: libFuzzer harnesses (tests/fuzz/fuzz_*.c) for every parser of
# outside input, built with clang and run on a scratch copy of their seeds.
#   make fuzz                     each harness FUZZ_SECONDS (20) seconds
#   make fuzz FUZZ_SECONDS=600    the long run
#   make fuzz FUZZ_TARGETS=date   some of them
#   make fuzz-build               build them only (tests/e2e/fuzz.sh does)
# A harness that crashes (a sanitizer report or a broken invariant) fails the
# run; its input is saved under $(FUZZ_BUILD)/artifacts/NAME/ and the line
# says how to replay it. The harnesses link an archive of their own,
# $(FUZZ_BUILD)/libcovid-fuzz.a: every shared src/ file (the Makefile's
# LIB_SRC) compiled by clang with coverage and the sanitizers (libcovid.a is
# gcc-built without coverage). A harness takes from it what its calls need,
# so no list of files per harness can fall behind the code (one did: a
# function the API began to call broke fuzz_api's link).

FUZZ_BUILD   ?= build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_NAMES    = csv daily_parse series_parse lookup date slug template escape http export_request api intake geo
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_CFLAGS   = $(WARN) -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -D_DEFAULT_SOURCE -Isrc -Itests/fuzz

FUZZ_OBJ_CFLAGS = $(WARN) -g -O1 -fno-omit-frame-pointer \
                  -fsanitize=fuzzer-no-link,address,undefined \
                  -fno-sanitize-recover=undefined -D_DEFAULT_SOURCE -Isrc $(PKG_CFLAGS)
FUZZ_OBJ = $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB = $(FUZZ_BUILD)/libcovid-fuzz.a

.PHONY: fuzz fuzz-build fuzz-tools

# One line naming the package when clang or its libFuzzer runtime is missing.
fuzz-tools:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make: $(FUZZ_CC) is missing: install the Debian package clang (make deps-test does, as root)" >&2; exit 1; }
	@ls "$$($(FUZZ_CC) -print-runtime-dir)"/libclang_rt.fuzzer-*.a >/dev/null 2>&1 || { echo "make: the libFuzzer runtime is missing: install the Debian package libclang-rt-14-dev (make deps-test does, as root)" >&2; exit 1; }

$(FUZZ_BUILD)/obj/%.o: src/%.c $(HEADERS) | fuzz-tools
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_OBJ_CFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $(FUZZ_OBJ)

define FUZZ_RULE
$(FUZZ_BUILD)/fuzz_$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/fuzz.h $(FUZZ_LIB) | fuzz-tools
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ tests/fuzz/fuzz_$(1).c $(FUZZ_LIB) $(PKG_LIBS) -lm
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

fuzz-build: $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_TARGETS))

# Every harness runs, then the run fails if any of them crashed.
fuzz: fuzz-build
	@fail=; for n in $(FUZZ_TARGETS); do \
	    sh tests/fuzz/run.sh $$n $(FUZZ_SECONDS) $(FUZZ_BUILD) || fail="$$fail $$n"; \
	done; \
	if [ -n "$$fail" ]; then echo "make: fuzzing failed:$$fail" >&2; exit 1; fi
