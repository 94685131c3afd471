# page_cache: repeated pages sent by nginx from the page cache
# (src/portal/portal_cache.h, base/vdir.h, the "location /" of
# etc/nginx/local.conf.in) through real nginx, spawn-fcgi and covid-ingest:
# a repeat is nginx's (X-Page-Cache, the workers' request counter unchanged)
# with the portal's bytes and headers; a new ingest run withdraws the old
# pages before anyone sees them again; a query string, HEAD, an error page, a
# path with "..", or a page of an older snapshot never land in or come from
# the cache.
source "$(dirname "$0")/../lib.sh"
DAILY=$SAMPLE/csse_covid_19_daily_reports
DB=$T/covid.db
PAGES=$T/portal/cache/pages

ingest() { # ingest DATE: that one date, daily reports only
	"$INGEST" --db "$DB" --source "file://$DAILY" --no-series \
	    --from "$1" --to "$1" 2>>"$T/ingest.log"
}
sql() { sqlite3 "$DB" "$1"; }
req() { # req NAME [curl args...] URL: headers in $T/NAME.h, body in $T/NAME
	local name=$1; shift
	curl -s -D "$T/$name.h" -o "$T/$name" -w '%{http_code}' "$@"
}
header() { grep -i "^$2:" "$T/$1.h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# The portal workers' count of 200s for the dashboard (the shared metrics
# file every worker writes: a request nginx answered alone is not in it).
dash_count() {
	curl -s "$PORTAL_URL/metrics" |
	    sed -n 's/^covid_http_requests_total{program="portal",route="\/",status="200"} //p'
}
# The world's confirmed cases on the newest date, as the dashboard writes
# them (thousands separators), from SQL.
world_confirmed() {
	sql "SELECT sum(confirmed) FROM v_country_daily
	     WHERE date = (SELECT max(date) FROM v_country_daily)" |
	    sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'
}

ingest 2020-03-22 || { not_ok "the first date loads"; exit 1; }
export COVID_PAGE_CACHE=$PAGES
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }

# 1. The first request renders and stores the page; the repeat is nginx's.
check_eq "first /: 200" "$(req d1 "$PORTAL_URL/")" 200
check_eq "first /: from the portal (no X-Page-Cache)" "$(header d1 X-Page-Cache)" ""
v=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
check "the page is stored under its version's directory" \
	sh -c "ls -d '$PAGES'/v$v-*/index.html >/dev/null"
check_eq "current names that version" \
	"$(readlink "$PAGES/current" | sed 's/-.*//')" "v$v"
check "the stored page is the portal's body, byte for byte" \
	cmp -s "$T/d1" "$PAGES/current/index.html"
n1=$(dash_count)
check_eq "second /: 200" "$(req d2 "$PORTAL_URL/")" 200
check_eq "second /: from the page cache" "$(header d2 X-Page-Cache)" hit
check "second /: the same bytes" cmp -s "$T/d1" "$T/d2"
check_eq "second /: no worker served it (counter unchanged)" "$(dash_count)" "$n1"
for h in Content-Type Cache-Control Content-Security-Policy \
    X-Content-Type-Options Referrer-Policy Last-Modified; do
	check_eq "cached /: $h as the portal sends it" "$(header d2 "$h")" "$(header d1 "$h")"
done
# Its gzip twin, written with it, is what a client that accepts gzip gets:
# the file's own bytes (nginx's gzip_static), not compressed again.
check "the stored page has a gzip twin" test -s "$PAGES/current/index.html.gz"
check "the twin is the page compressed" \
	sh -c "gzip -dc '$PAGES/current/index.html.gz' | cmp -s - '$T/d1'"
check_eq "/ accepting gzip: 200" "$(req dz -H 'Accept-Encoding: gzip' "$PORTAL_URL/")" 200
check_eq "/ accepting gzip: from the page cache" "$(header dz X-Page-Cache)" hit
check_eq "/ accepting gzip: Content-Encoding" "$(header dz Content-Encoding)" gzip
check "/ accepting gzip: the twin's bytes, byte for byte" \
	cmp -s "$T/dz" "$PAGES/current/index.html.gz"
check_eq "/ accepting gzip: Content-Type as the portal sends it" \
	"$(header dz Content-Type)" "$(header d1 Content-Type)"
check_eq "/ accepting gzip: Vary: Accept-Encoding" "$(header dz Vary)" Accept-Encoding
check_eq "/ without Accept-Encoding: not compressed" "$(header d2 Content-Encoding)" ""
check_eq "cached /: no ETag unlike the portal's" "$(header d2 ETag)" ""
check_eq "cached /: If-Modified-Since gets 304" \
	"$(req d3 -H "If-Modified-Since: $(header d1 Last-Modified)" "$PORTAL_URL/")" 304
check_eq "cached HEAD /: 200" "$(req d4 -I "$PORTAL_URL/")" 200
check_eq "cached HEAD /: from the cache" "$(header d4 X-Page-Cache)" hit
# curl -I writes the headers as its output: nothing else came.
check "cached HEAD /: no body" cmp -s "$T/d4" "$T/d4.h"
check_eq "cached HEAD /: its Content-Length is the page's" \
	"$(header d4 Content-Length)" "$(stat -c %s "$T/d1")"

# 2. A new ingest run: the next request shows the new figures, first time.
want=$(world_confirmed)
check_contains "before: the dashboard shows the loaded figures" "$T/d2" \
	"<dt>Confirmed cases</dt><dd>$want</dd>"
ingest 2020-03-23 || not_ok "the second date loads"
check "the run withdrew the old pages" test ! -e "$PAGES/current"
want2=$(world_confirmed)
check "the new date changes the world's total" test "$want" != "$want2"
check_eq "after: / answers 200" "$(req a1 "$PORTAL_URL/")" 200
check_contains "after: the first / shows the new figures" "$T/a1" \
	"<dt>Confirmed cases</dt><dd>$want2</dd>"
check_eq "after: the first / is the portal's" "$(header a1 X-Page-Cache)" ""
check_eq "after: the repeat comes from the cache" \
	"$(req a2 "$PORTAL_URL/"; header a2 X-Page-Cache)" "200hit"
check_contains "after: ... with the new figures" "$T/a2" \
	"<dt>Confirmed cases</dt><dd>$want2</dd>"
check "after: the new version's directory is current" \
	test "$(readlink "$PAGES/current" | sed 's/-.*//')" = \
	"v$(sql "SELECT value FROM meta WHERE key = 'data_version'")"

# 3. A run that changes nothing keeps the cache; a stale link (a run killed
# after its commit) is withdrawn by the next one.
ingest 2020-03-23 || not_ok "the unchanged date runs"
check "an unchanged run keeps the current pages" test -e "$PAGES/current/index.html"
mkdir -p "$PAGES/v1-deadbeef" && echo stale >"$PAGES/v1-deadbeef/index.html"
ln -sfn v1-deadbeef "$PAGES/current"
ingest 2020-03-23 || not_ok "the unchanged date runs again"
check "a run withdraws a link to another version" test ! -e "$PAGES/current"
req s1 "$PORTAL_URL/" >/dev/null
check_not_contains "the stale page is never sent" "$T/s1" stale

# 4. Region pages too; a query string never comes from or goes to the cache.
check_eq "/region/us: 200" "$(req r1 "$PORTAL_URL/region/us")" 200
check "/region/us stored" test -f "$PAGES/current/region/us/index.html"
check_eq "/region/us repeat: cached" "$(req r2 "$PORTAL_URL/region/us"; header r2 X-Page-Cache)" 200hit
check "/region/us repeat: the same bytes" cmp -s "$T/r1" "$T/r2"
n=$(dash_count)
check_eq "/?sort=name: 200" "$(req q1 "$PORTAL_URL/?sort=name")" 200
check_eq "/?sort=name: from the portal" "$(header q1 X-Page-Cache)" ""
check_eq "/?sort=name: a worker served it" "$(dash_count)" "$((n + 1))"
check "/?sort=name is a different page" sh -c "! cmp -s '$T/q1' '$T/a2'"
check "/?sort=name did not replace the cached page" \
	cmp -s "$PAGES/current/index.html" "$T/a2"
check_eq "/region/us?scale=log: from the portal" \
	"$(req q2 "$PORTAL_URL/region/us?scale=log"; header q2 X-Page-Cache)" 200
req q3 "$PORTAL_URL/regions?q=korea" >/dev/null
check "a search is never stored" test ! -e "$PAGES/current/regions/index.html"
check_eq "POST / is the portal's 405" "$(req p1 -X POST "$PORTAL_URL/")" 405
check_eq "POST /: Allow from the portal" "$(header p1 Allow)" "GET, HEAD"

# The maps without a query string (the newest date, confirmed cases) too;
# with one, never.
check_eq "/map/us/counties: 200" "$(req m1 "$PORTAL_URL/map/us/counties")" 200
check_eq "/map/us/counties repeat: cached" \
	"$(req m2 "$PORTAL_URL/map/us/counties"; header m2 X-Page-Cache)" 200hit
check "/map/us/counties repeat: the same bytes" cmp -s "$T/m1" "$T/m2"
check_eq "/map?metric=deaths: from the portal" \
	"$(req m3 "$PORTAL_URL/map?metric=deaths"; header m3 X-Page-Cache)" 200
rm -rf "$PAGES/current/map"

# 5. Errors and odd paths are neither stored nor served from the cache.
check_eq "/region/nowhere: 404" "$(req e1 "$PORTAL_URL/region/nowhere")" 404
check "a 404 is not stored" test ! -e "$PAGES/current/region/nowhere"
check_eq "/region/nowhere again: still the portal's 404" \
	"$(req e2 "$PORTAL_URL/region/nowhere"; header e2 X-Page-Cache)" 404
check_eq "/status is not stored" \
	"$(req st "$PORTAL_URL/status" >/dev/null; ls "$PAGES/current")" "index.html
index.html.gz
region"
# A file outside the cache named index.html: a path escaping it would send it.
mkdir -p "$T/portal/cache/secret" && echo SECRET >"$T/portal/cache/secret/index.html"
for p in '/../secret' '/..%2fsecret' '/%2e%2e/secret' '/region/..%2F..%2F..%2Fsecret' \
    '/region/%2e%2e/%2e%2e/%2e%2e/secret' '/.%2e/.%2e/.%2e/secret'; do
	req tr --path-as-is "$PORTAL_URL$p" >/dev/null
	check_not_contains "$p: nothing from outside the cache" "$T/tr" SECRET
	check_eq "$p: not from the cache" "$(header tr X-Page-Cache)" ""
done
# A dot name inside the cache (the lock, a temporary file) is never sent.
echo DOT >"$PAGES/current/.hidden"
mkdir -p "$PAGES/current/.x" && echo DOT >"$PAGES/current/.x/index.html"
req dot "$PORTAL_URL/.x" >/dev/null
check_not_contains "a dot directory in the cache is never sent" "$T/dot" DOT

# 6. A page rendered from an old snapshot never becomes current: a worker
# publishes only after checking, under the cache's lock and outside its
# read transaction, that the database is still at the version it rendered
# (base/vdir.h). Provoked here: hold the cache's lock, so the worker
# rendering / at version N (current withdrawn) waits for it after writing
# its page; meanwhile a run commits N+1 without withdrawing anything (as one
# killed after its commit would: here one without COVID_PAGE_CACHE); then
# let the worker go.
ingest 2020-04-18 || not_ok "a third date loads"
v3=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
exec 9>"$PAGES/.lock"
flock 9
curl -s -o "$T/o1" "$PORTAL_URL/" &
curlpid=$!
wait_until 10 sh -c "ls '$PAGES'/v$v3-*/index.html" >/dev/null 2>&1 ||
	not_ok "the worker wrote its page"
COVID_PAGE_CACHE= ingest 2020-05-18 || not_ok "a fourth date loads"
flock -u 9
exec 9>&-
wait "$curlpid"
check "the worker's page of version N was sent" grep -q "Confirmed cases" "$T/o1"
check "the old snapshot's page did not become current" \
	sh -c "! readlink '$PAGES/current' | grep -q '^v$v3-'"
check_eq "the next / is the portal's" "$(req o2 "$PORTAL_URL/"; header o2 X-Page-Cache)" 200
check_contains "... with the newest figures" "$T/o2" \
	"<dt>Confirmed cases</dt><dd>$(world_confirmed)</dd>"

stop_portal
