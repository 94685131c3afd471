# covid-portal build.
#   make          build bin/covid-ingest and cgi-bin/*.fcgi
#   make test     build under ASan+UBSan into build/asan and run the whole suite
#   make run      install missing packages (as root), build, load the sample, serve
#   make deps     install the Debian packages the build and `make run` need
# Personal overrides (CC, CFLAGS, ...) go in Makefile.local.
#
# The library flags come from pkg-config when this file is read. `make run`
# and `make test` install packages first and then build in a second make,
# which reads them after the libraries are there; a plain `make` with a
# library missing stops at once with a line naming its Debian package.

# pkg-config module and the Debian package that brings it.
PKGS     = sqlite3 libcurl fcgi xlsxwriter zlib libcrypto yajl
PKG_DEB_sqlite3    = libsqlite3-dev
PKG_DEB_libcurl    = libcurl4-openssl-dev
PKG_DEB_fcgi       = libfcgi-dev
PKG_DEB_xlsxwriter = libxlsxwriter-dev
PKG_DEB_zlib       = zlib1g-dev
PKG_DEB_libcrypto  = libssl-dev
PKG_DEB_yajl       = libyajl-dev
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
           -Wwrite-strings -Wshadow -Wformat=2
CPPFLAGS += -D_DEFAULT_SOURCE -Isrc -I$(BUILD)
PKG_MISSING := $(shell command -v pkg-config >/dev/null || echo pkg-config; \
               for m in $(PKGS); do pkg-config --exists $$m 2>/dev/null || echo $$m; done)
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

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

# Shared code: every src/FOLDER/*.c but the programs' mains (the folders
# and the direction of their arrows: docs/architecture.md).
MAINS    = src/ingest/ingest_main.c src/forecast/forecast_main.c
HEADERS  = $(wildcard src/*/*.h)
LIB_SRC  = $(filter-out $(MAINS),$(wildcard src/*/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/src/%.o) $(BUILD)/migrations.o \
           $(BUILD)/cases_migrations.o
LIB      = $(BUILD)/libcovid.a

CGI      = $(patsubst cgi-bin/%.c,$(OUT)/cgi-bin/%.fcgi,$(wildcard cgi-bin/*.c))
INGEST   = $(OUT)/bin/covid-ingest
FORECAST = $(OUT)/bin/covid-forecast
# Unit tests live beside the folder they test (tests/unit/store/test_store.c);
# the binaries land side by side in $(BUILD)/tests/ for tests/run.sh.
UNIT_SRC = $(wildcard tests/unit/*/test_*.c)
UNIT     = $(patsubst %.c,$(BUILD)/tests/%,$(notdir $(UNIT_SRC)))
vpath test_%.c $(sort $(dir $(UNIT_SRC)))

# Debian packages: to build, to run, and to run the test suite.
DEBS_BUILD = gcc make pkg-config libc6-dev $(foreach m,$(PKGS),$(PKG_DEB_$(m)))
DEBS_RUN   = nginx libnginx-mod-nchan spawn-fcgi sqlite3 curl ca-certificates
DEBS_TEST  = python3 python3-openpyxl chromium chromium-driver \
             libreoffice-calc-nogui prometheus systemd iproute2 libfcgi-bin \
             procps valgrind clang libclang-rt-14-dev time nodejs npm \
             libxml2-utils
DEBS_BENCH = wrk time

.PHONY: all test check run deps deps-test deps-bench bench clean libs units fuzz geo
all: $(INGEST) $(FORECAST) $(CGI)
# Everything the suite runs, without running it (for tests/run.sh PATTERN).
units: $(INGEST) $(FORECAST) $(CGI) $(UNIT)

# Every compile waits on this: one clear line per missing library.
libs:
ifneq ($(strip $(PKG_MISSING)),)
	@$(foreach m,$(PKG_MISSING),echo "make: $(m) is missing: install the Debian package $(or $(PKG_DEB_$(m)),$(m)) (make deps does, as root)" >&2;) exit 1
endif

-include Makefile.local

$(BUILD)/src/%.o: src/%.c $(HEADERS) | libs $(BUILD)/migrations.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/migrations.c: src/store/gen-migrations.sh $(wildcard migrations/*.sql)
	@mkdir -p $(@D)
	sh src/store/gen-migrations.sh $(sort $(wildcard migrations/*.sql)) > $@.tmp && mv $@.tmp $@

$(BUILD)/migrations.o: $(BUILD)/migrations.c src/store/migrations.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# cases.db's own migrations (the intake, issue 16): migrations/cases/.
$(BUILD)/cases_migrations.c: src/store/gen-migrations.sh $(wildcard migrations/cases/*.sql)
	@mkdir -p $(@D)
	MIGRATIONS_SYMBOL=cases_migrations sh src/store/gen-migrations.sh \
	    $(sort $(wildcard migrations/cases/*.sql)) > $@.tmp && mv $@.tmp $@

$(BUILD)/cases_migrations.o: $(BUILD)/cases_migrations.c src/store/migrations.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(INGEST): $(BUILD)/src/ingest/ingest_main.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(FORECAST): $(BUILD)/src/forecast/forecast_main.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgi-bin/%.o: cgi-bin/%.c $(HEADERS) | libs
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OUT)/cgi-bin/%.fcgi: $(BUILD)/cgi-bin/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# Shared test setup: tests/unit/*_fixture.c goes into every test, a
# folder's tests/unit/FOLDER/*_fixture.c into that folder's tests.
UNIT_FIXTURES = $(wildcard tests/unit/*_fixture.[ch] tests/unit/*/*_fixture.[ch])
$(BUILD)/tests/%: %.c tests/unit/check.h $(UNIT_FIXTURES) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
	    $(wildcard tests/unit/*_fixture.c $(dir $<)*_fixture.c) $(LIB) $(LDLIBS)

# make geo: the maps' geometry, data/geo/{world,us_states,us_counties,
# us_counties_whole}.tsv (committed; the portal reads only those), made again from Natural Earth
# and the US Census outlines by tools/geo_build.c.
GEO_DIR ?= ../shared/data/geo
$(BUILD)/tools/geo_build: tools/geo_build.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)
geo: $(BUILD)/tools/geo_build
	$(BUILD)/tools/geo_build world $(GEO_DIR)/ne_110m_admin_0_countries.json > data/geo/world.tsv.tmp
	$(BUILD)/tools/geo_build states $(GEO_DIR)/ne_110m_admin_1_states_provinces.json > data/geo/us_states.tsv.tmp
	$(BUILD)/tools/geo_build counties $(GEO_DIR)/us_counties_fips.geojson > data/geo/us_counties.tsv.tmp
	$(BUILD)/tools/geo_build counties-whole $(GEO_DIR)/us_counties_fips.geojson > data/geo/us_counties_whole.tsv.tmp
	mv data/geo/world.tsv.tmp data/geo/world.tsv
	mv data/geo/us_states.tsv.tmp data/geo/us_states.tsv
	mv data/geo/us_counties.tsv.tmp data/geo/us_counties.tsv
	mv data/geo/us_counties_whole.tsv.tmp data/geo/us_counties_whole.tsv

# The whole suite, under sanitizers, ending with "N passed, N failed".
test: deps-test
	@$(MAKE) --no-print-directory SAN=1 check

check: $(INGEST) $(FORECAST) $(CGI) $(UNIT)
	BUILD=$(BUILD) OUT=$(OUT) sh tests/run.sh

# A second make: it reads the library flags after deps has installed them.
run: deps
	@$(MAKE) --no-print-directory all
	sh etc/run-local.sh

# Installs what is missing, when root; otherwise says what to install.
deps:
	@sh etc/install-debs.sh $(DEBS_BUILD) $(DEBS_RUN)
deps-test: deps
	@sh etc/install-debs.sh $(DEBS_TEST)
	@$(MAKE) --no-print-directory npm-test

# The API's validators (tests/e2e/api.sh): the npm packages
# tests/npm/package-lock.json pins, each with the sha512 of its tarball,
# installed with `npm ci` into a folder of the checkout's own, again only
# when the lock changes. npm checks every tarball against that sha512. On a
# machine behind a proxy that re-signs TLS with a CA a brand-new Debian
# lacks, npm cannot verify the registry's certificate; it then fetches
# without that check, and the lock's hashes still refuse any byte that
# differs from what was pinned.
NPM_DIR  = var/npm
NPM_LOCK = tests/npm/package-lock.json
.PHONY: npm-test
npm-test:
	@if ! cmp -s $(NPM_LOCK) $(NPM_DIR)/package-lock.json; then \
	    rm -rf $(NPM_DIR) && mkdir -p $(NPM_DIR) && \
	    cp tests/npm/package.json $(NPM_LOCK) $(NPM_DIR)/ && \
	    { npm ci --no-audit --no-fund --prefix $(NPM_DIR) 2>$(NPM_DIR)/npm.err || \
	      { grep -q CERT $(NPM_DIR)/npm.err && \
	        echo "npm: the registry's certificate does not verify here; installing by the lock's sha512 alone" && \
	        npm ci --no-audit --no-fund --strict-ssl=false --prefix $(NPM_DIR); }; } || \
	    { cat $(NPM_DIR)/npm.err >&2; rm -f $(NPM_DIR)/package-lock.json; exit 1; }; fi
deps-bench: deps-test
	@sh etc/install-debs.sh $(DEBS_BENCH)

# The three benchmarks on a release build of HEAD of their own
# (bench/build.sh, build/bench-rel): bench/run.sh.
bench: deps-bench
	sh bench/run.sh

clean:
	rm -rf build bin cgi-bin/*.fcgi

# Install into the FHS places; DESTDIR for a staged install. The units and
# the nginx site name /usr/local paths, which are rewritten to PREFIX.
# On the real system (no DESTDIR, as root) it also creates the covid-portal
# user and reloads systemd; enabling the units is the operator's call
# (README, "Operations").
PREFIX     ?= /usr/local
DATADIR     = $(PREFIX)/share/covid-portal
UNITDIR    ?= /etc/systemd/system
SITEDIR    ?= /etc/nginx/sites-available
STATEDIR    = /var/lib/covid-portal
CACHEDIR    = /var/cache/covid-portal
UNITS       = $(wildcard etc/systemd/*.service etc/systemd/*.socket etc/systemd/*.timer)
RENDER      = sed -e 's|/usr/local/|$(PREFIX)/|g'
.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/covid-portal \
	    $(DESTDIR)$(DATADIR)/migrations $(DESTDIR)$(PREFIX)/share/doc/covid-portal \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SITEDIR) $(DESTDIR)/etc/sysusers.d
	install -d -m 0700 $(DESTDIR)$(STATEDIR)
	install -d -m 0755 $(DESTDIR)$(CACHEDIR)
	install -m 0755 $(INGEST) $(FORECAST) $(DESTDIR)$(PREFIX)/bin/
	$(if $(CGI),install -m 0755 $(CGI) $(DESTDIR)$(PREFIX)/lib/covid-portal/)
	for d in $(wildcard templates static); do \
	    rm -rf $(DESTDIR)$(DATADIR)/$$d && cp -R $$d $(DESTDIR)$(DATADIR)/$$d && \
	    chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/$$d || exit 1; done
	install -m 0644 migrations/*.sql $(DESTDIR)$(DATADIR)/migrations/
	install -d $(DESTDIR)$(DATADIR)/migrations/cases
	install -m 0644 migrations/cases/*.sql $(DESTDIR)$(DATADIR)/migrations/cases/
	install -d $(DESTDIR)$(DATADIR)/data/geo
	install -m 0644 data/geo/world.tsv data/geo/us_states.tsv \
	    data/geo/us_counties.tsv data/geo/us_counties_whole.tsv \
	    $(DESTDIR)$(DATADIR)/data/geo/
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/covid-portal/
	for u in $(UNITS); do \
	    $(RENDER) $$u > $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; done
	$(RENDER) etc/nginx/covid-portal.conf > $(DESTDIR)$(SITEDIR)/covid-portal
	install -m 0644 etc/sysusers.d/covid-portal.conf $(DESTDIR)/etc/sysusers.d/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then \
	    systemd-sysusers /etc/sysusers.d/covid-portal.conf && \
	    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; fi
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/covid-ingest $(DESTDIR)$(PREFIX)/bin/covid-forecast $(DESTDIR)$(SITEDIR)/covid-portal \
	    $(DESTDIR)/etc/sysusers.d/covid-portal.conf
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(notdir $(UNITS)))
	rm -rf $(DESTDIR)$(PREFIX)/lib/covid-portal $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(PREFIX)/share/doc/covid-portal
	@echo "Kept $(STATEDIR) (the database), $(CACHEDIR) and the covid-portal user."

# make fuzz: libFuzzer harnesses for the parsers of outside input.
include tests/fuzz/fuzz.mk
