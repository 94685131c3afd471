# valgrind: memcheck over what ASan cannot see. AddressSanitizer finds bad
# addresses and leaks but not reads of uninitialised memory (a value never
# set, formatted into a page); valgrind's memcheck does, on a build without
# the sanitizers (they cannot share a process). So this script builds a
# plain -O1 -g copy of everything into build/valgrind (VALGRIND_BUILD to put
# it elsewhere) and runs under memcheck, each with --error-exitcode:
#   - every unit test binary: one result per binary;
#   - every page of the portal (and an export of each kind), one request
#     each in CGI mode (fcgi_loop: with stdin not a socket, libfcgi's
#     FCGX_IsCGI says CGI and the program answers one request from its
#     environment), on a migrated database that holds no rows (a first
#     ingest whose every date failed; that ingest runs under memcheck too)
#     and on the sample: one result per page and database.
# Leaks are ASan's job (the rest of the suite); here --leak-check=no.
# Time on the 2-core development machine, busy with other builds: the build
# 20 s to 2 min (nothing when up to date), the unit tests 2 min (test_chart
# and test_daily_parse ~20 s each), the pages 2.5 min (each request starts
# a worker, which computes the dashboard's data first): 5 min in all, about
# half that on an idle machine. VALGRIND_UNITS=0 skips the unit tests.
source "$(dirname "$0")/../lib.sh"
if ! command -v valgrind >/dev/null; then
	not_ok "valgrind is installed (apt-get install valgrind)"; exit 1
fi
cd "$ROOT" || exit 1
VB=${VALGRIND_BUILD:-build/valgrind}
start=$SECONDS
# A make of its own: none of the suite's (SAN=1, its jobserver) leaks in.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 --no-print-directory \
    SAN= BUILD="$VB" OUT="$VB" CFLAGS='-O1 -g' units >"$T/make.log" 2>&1; then
	ok "a plain -O1 -g build in $VB ($((SECONDS - start)) s)"
else
	not_ok "a plain -O1 -g build in $VB"; tail -n 15 "$T/make.log" | sed 's/^/#   /'; exit 1
fi
if nm "$VB/cgi-bin/portal.fcgi" | grep -q __asan_init; then
	not_ok "the build has no sanitizer in it"; exit 1
fi

# Timing checks in the unit tests allow for valgrind's slowness.
export COVID_UNDER_VALGRIND=1
VG="valgrind --tool=memcheck --error-exitcode=99 --leak-check=no
    --track-origins=yes --num-callers=20"

# memcheck NAME LOG COMMAND...: runs it under memcheck, its output in
# $T/NAME.out, valgrind's report in LOG. The command's exit status.
memcheck() {
	local name=$1 log=$2; shift 2
	$VG --log-file="$log" "$@" >"$T/$name.out" 2>"$T/$name.err"
}

# report DESCRIPTION RC LOG: one result; the first errors when there are.
report() {
	if [ "$2" -eq 99 ] || grep -q '== ERROR SUMMARY: [1-9]' "$3"; then
		not_ok "$1: memcheck errors"
		# The first error with its stack, after valgrind's banner.
		sed -E 's/^==[0-9]+== ?//' "$3" | awk 'seen && /^$/ { n++ }
		    seen && n >= 1 && n <= 3 { print } /^(Command|Parent PID):/ { seen = 1 }' |
			grep -v '^$' | head -n 18 | sed 's/^/#   /'
		return 1
	fi
	ok "$1: no memcheck errors"
}

# --- the unit tests ----------------------------------------------------------
if [ "${VALGRIND_UNITS:-1}" != 0 ]; then
	for t in "$VB"/tests/test_*; do
		[ -x "$t" ] || continue
		name=${t##*/}
		t0=$SECONDS
		memcheck "$name" "$T/$name.vg" "$t"
		rc=$?
		if report "$name ($((SECONDS - t0)) s)" "$rc" "$T/$name.vg" && [ "$rc" -ne 0 ]; then
			not_ok "$name: its own checks pass in the plain build (exit $rc)"
			grep '^not ok' "$T/$name.out" | head -5 | sed 's/^/#   /'
		fi
	done
fi

# --- every page, in CGI mode ----------------------------------------------------
PAGES="/ /regions /regions?q=an /regions?q=an&page=2 /region/us
/region/us/new-york?sort=deaths&order=desc /region/us/new-york/kings?scale=log
/region/us/federal-bureau-of-prisons /downloads /downloads?level=province&country=USA
/about /status /healthz /metrics /nowhere /?sort=bogus /forecasts
/forecasts/forecasts.csv /forecasts/scores.csv?date=2021-01-02&level=country
/region/germany"
EXPORTS="/export.csv?level=country&country=USA /export.xlsx?level=province&country=USA"

# request DB PROGRAM URL: one request in CGI mode, one result.
request() {
	local db=$1 prog=$2 url=$3 path query name rc
	path=${url%%\?*}
	query=
	case "$url" in *\?*) query=${url#*\?} ;; esac
	name=$(printf '%s' "${db##*/}$url" | tr -c 'a-z0-9' _)
	mkdir -p "$T/cache"
	REQUEST_METHOD=GET DOCUMENT_URI=$path REQUEST_URI=$url QUERY_STRING=$query \
	COVID_DB=$db COVID_TEMPLATES=$ROOT/templates COVID_CACHE_DIR=$T/cache \
	COVID_METRICS_FILE=$T/metrics \
		memcheck "$name" "$T/$name.vg" "$VB/cgi-bin/$prog" </dev/null
	rc=$?
	if report "${db##*/} $url" "$rc" "$T/$name.vg" &&
	    ! head -n 1 "$T/$name.out" | grep -q '^Status: [2-5][0-9][0-9] '; then
		not_ok "${db##*/} $url: an HTTP answer (exit $rc)"
		head -n 3 "$T/$name.out" "$T/$name.err" | sed 's/^/#   /'
	fi
}

every_page() {
	local u
	for u in $PAGES; do request "$1" portal.fcgi "$u"; done
	for u in $EXPORTS; do request "$1" export.fcgi "$u"; done
}

# A migrated database without a row: every date of the first ingest failed.
EMPTY=$T/empty.db
mkdir -p "$T/nothing"
memcheck ingest-empty "$T/ingest-empty.vg" "$VB/bin/covid-ingest" --db "$EMPTY" \
    --source "file://$T/nothing" --from 2020-01-22 --to 2020-01-23
rc=$?
report "covid-ingest, every date failing" "$rc" "$T/ingest-empty.vg" &&
	check_eq "... exits 1, the database migrated and empty" \
	    "$rc $(sqlite3 "$EMPTY" 'SELECT count(*) FROM daily_report')" "1 0"
t0=$SECONDS
every_page "$EMPTY"
echo "# the empty database's pages: $((SECONDS - t0)) s"

# The sample, loaded by the plain build (memcheck would take minutes).
DB=$T/sample.db
if ! "$VB/bin/covid-ingest" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2020-01-22 --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
# Its forecasts: the whole backtest under memcheck without writing (writing
# its half a million rows would take memcheck many minutes), then written
# by the plain build for the pages.
memcheck forecast "$T/forecast.vg" "$VB/bin/covid-forecast" --db "$DB" --dry-run
rc=$?
report "covid-forecast --dry-run on the sample" "$rc" "$T/forecast.vg" &&
	check_eq "... exits 0" "$rc" 0
"$VB/bin/covid-forecast" --db "$DB" --no-counties >/dev/null 2>"$T/forecast.log"
check_eq "covid-forecast writes the sample's forecasts" \
    "$? $(sqlite3 "$DB" 'SELECT count(*) > 0 FROM forecast')" "0 1"
t0=$SECONDS
every_page "$DB"
echo "# the sample's pages: $((SECONDS - t0)) s; all: $((SECONDS - start)) s"
