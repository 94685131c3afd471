# portal_http: HTTP done right, through real nginx and spawn-fcgi: status
# codes (404, 400 saying which parameter and why, 405 with Allow), ETag and
# If-None-Match -> 304, Last-Modified and If-Modified-Since, HEAD without a
# body, security headers on every answer, no inline script, a new data
# version seen by running workers, 503 without a database.
source "$(dirname "$0")/../lib.sh"
DAILY=$SAMPLE/csse_covid_19_daily_reports
DB=$T/covid.db

# Everything but the final report first, and not the time series (they
# run to 2023-03-09, so the dashboard would already show that date): the
# final report and the series come later, into the running portal.
if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2021-10-28 --skip-missing --no-series 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }

# req NAME [curl args...] PATH: headers into $T/NAME.h, body into $T/NAME,
# the status on stdout.
req() {
	local name=$1; shift
	curl -s -D "$T/$name.h" -o "$T/$name" -w '%{http_code}' "$@"
}
header() { grep -i "^$2:" "$T/$1.h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
sql() { sqlite3 "$DB" "$1"; }

# Security headers, on every kind of answer.
secure() {
	local csp
	csp=$(header "$1" Content-Security-Policy)
	case "$csp" in
	*"default-src 'none'"*"script-src 'self'"*) ok "$1: a Content-Security-Policy" ;;
	*) not_ok "$1: a Content-Security-Policy (got '$csp')" ;;
	esac
	case "$csp" in
	*unsafe-inline*|*unsafe-eval*) not_ok "$1: the CSP allows inline script or style" ;;
	*) ok "$1: the CSP allows no inline script or style" ;;
	esac
	check_eq "$1: X-Content-Type-Options" "$(header "$1" X-Content-Type-Options)" nosniff
	check_eq "$1: Referrer-Policy" "$(header "$1" Referrer-Policy)" strict-origin-when-cross-origin
	check_eq "$1: Content-Type" "$(header "$1" Content-Type)" "text/html; charset=utf-8"
}

# --- 200, ETag, Last-Modified, 304 ------------------------------------------
VERSION=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
check_eq "/ answers 200" "$(req dash "$PORTAL_URL/")" 200
secure dash
ETAG=$(header dash ETag)
case "$ETAG" in
"\"v$VERSION-"*\") ok "/: the ETag carries the data version ($ETAG)" ;;
*) not_ok "/: the ETag carries the data version $VERSION (got '$ETAG')" ;;
esac
check_eq "/: Cache-Control" "$(header dash Cache-Control)" "public, max-age=300"
LM=$(header dash Last-Modified)
WANT_LM=$(/usr/bin/python3 -c '
import datetime, email.utils, sys
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
print(email.utils.format_datetime(t, usegmt=True))' "$(sql "SELECT value FROM meta WHERE key = 'refreshed_at'")")
check_eq "/: Last-Modified is when the data was refreshed" "$LM" "$WANT_LM"
check_eq "/ with If-None-Match: 304" "$(req dash304 -H "If-None-Match: $ETAG" "$PORTAL_URL/")" 304
check "/ 304: no body" [ ! -s "$T/dash304" ]
check_eq "/ 304: the ETag again" "$(header dash304 ETag)" "$ETAG"
check_eq "/ with a weak If-None-Match (as after gzip): 304" \
    "$(req weak -H "If-None-Match: W/$ETAG" "$PORTAL_URL/")" 304
check_eq "/ with If-None-Match in a list: 304" \
    "$(req list -H "If-None-Match: \"x\", $ETAG" "$PORTAL_URL/")" 304
check_eq "/ with another ETag: 200" \
    "$(req other -H 'If-None-Match: "v0-00000000"' "$PORTAL_URL/")" 200
check_eq "/ with If-Modified-Since = Last-Modified: 304" \
    "$(req ims -H "If-Modified-Since: $LM" "$PORTAL_URL/")" 304
check_eq "/ modified since 2020: 200" \
    "$(req ims2 -H 'If-Modified-Since: Wed, 01 Jan 2020 00:00:00 GMT' "$PORTAL_URL/")" 200
# A date later than now is no date (RFC 9110): no 304 for it, however old
# the data.
check_eq "/ modified since the year 9999: 200" \
    "$(req imsf -H 'If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT' "$PORTAL_URL/")" 200
check "/ modified since 9999: the page" [ -s "$T/imsf" ]
check_eq "a region page modified since 9999: 200" "$(req imsf2 \
    -H 'If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT' "$PORTAL_URL/region/us")" 200
check_eq "a region page: 200" "$(req kings "$PORTAL_URL/region/us/new-york/kings")" 200
secure kings
check_eq "a region page with its ETag: 304" \
    "$(req kings304 -H "If-None-Match: $(header kings ETag)" "$PORTAL_URL/region/us/new-york/kings")" 304

# --- Content-Length (the program gathers a page whole and says its length,
# so nginx need not chunk it); gzip still applies on top ------------------
check_eq "/: Content-Length is the body's length" "$(header dash Content-Length)" "$(wc -c <"$T/dash")"
check_eq "/: not chunked" "$(header dash Transfer-Encoding)" ""
check_eq "a region page: Content-Length is the body's length" \
    "$(header kings Content-Length)" "$(wc -c <"$T/kings")"
check_eq "/ gzipped: 200" "$(req gz -H 'Accept-Encoding: gzip' "$PORTAL_URL/")" 200
check_eq "/ gzipped: Content-Encoding" "$(header gz Content-Encoding)" gzip
check "/ gzipped: unpacks to the same page" cmp -s <(gunzip -c "$T/gz") "$T/dash"

# --- HEAD ------------------------------------------------------------------
check_eq "HEAD /: 200" "$(req head -I "$PORTAL_URL/")" 200
check_eq "HEAD /: no body" "$(curl -s -X HEAD --max-time 5 -o /dev/null -w '%{size_download}' "$PORTAL_URL/")" 0
check_eq "HEAD /: the same ETag as GET" "$(header head ETag)" "$ETAG"
check_eq "HEAD /: no Content-Length for a body not made" "$(header head Content-Length)" ""
check_eq "HEAD of a missing page: 404" "$(req head404 -I "$PORTAL_URL/nowhere")" 404

# --- 404 -------------------------------------------------------------------
check_eq "an unknown path: 404" "$(req nf "$PORTAL_URL/no/such/page")" 404
secure nf
check_contains "404: says why" "$T/nf" "There is no page at this address."
check_contains "404: offers a search" "$T/nf" '<form class="search-big" action="/regions" method="get">'
check_contains "404: the footer still names the source" "$T/nf" "Center for Systems Science and Engineering (CSSE)"
check_contains "404: and the data version" "$T/nf" "Data version $VERSION ·"
check_eq "404: cached briefly" "$(header nf Cache-Control)" "public, max-age=60"
check_eq "404: no ETag" "$(header nf ETag)" ""
check_eq "an unknown region: 404" "$(req nr "$PORTAL_URL/region/atlantis/lost-city")" 404
check_contains "unknown region: says so" "$T/nr" "There is no region at this address."
check_not_contains "unknown region: the address is not echoed" "$T/nr" "atlantis"
check_eq "/region/ alone: 404" "$(req nr2 "$PORTAL_URL/region/")" 404
check_eq "a hostile path: 404" "$(req nh "$PORTAL_URL/region/%3Cscript%3Ealert(1)%3C/script%3E")" 404
check_not_contains "hostile path: not echoed" "$T/nh" "<script>alert"
check_not_contains "hostile path: not echoed, even escaped" "$T/nh" "&lt;script&gt;alert"

# --- 400 -------------------------------------------------------------------
bad() {   # bad DESCRIPTION PATH TEXT-IN-PAGE [TEXT-NOT-IN-PAGE]
	check_eq "$1: 400" "$(req bad "$PORTAL_URL$2")" 400
	check_contains "$1: says which and why" "$T/bad" "$3"
	[ -n "${4:-}" ] && check_not_contains "$1: does not echo the value" "$T/bad" "$4"
	check_eq "$1: not cached" "$(header bad Cache-Control)" "no-store"
}
bad "/?sort=bogus" "/?sort=bogusvalue" \
    "The parameter “sort” must be one of: name, confirmed, deaths, new_confirmed, new_deaths, avg_confirmed, confirmed_per_100k, deaths_per_100k." bogusvalue
secure bad
bad "/?order=up" "/?order=upwards" "The parameter “order” must be one of: asc, desc." upwards
bad "sort given twice" "/?sort=name&sort=deaths" "The parameter “sort” was given more than once."
bad "a hostile sort" "/?sort=%3Cscript%3Ealert(1)%3C%2Fscript%3E" "“sort” must be one of" "alert(1)"
bad "?scale=big" "/region/us?scale=big" "The parameter “scale” must be one of: lin, log." big
bad "?page=0" "/regions?q=a&page=0" "The parameter “page” must be a whole number from 1 to 10000."
bad "?page=x" "/regions?q=a&page=x" "The parameter “page” must be a whole number"
bad "a search too long" "/regions?q=$(printf 'a%.0s' $(seq 101))" "The parameter “q” must be text of at most 100 bytes"
bad "a search with a control character" "/regions?q=a%01b" "The parameter “q” must be text"
bad "a search that is not UTF-8" "/regions?q=%C3%28" "The parameter “q” must be text"
bad "a malformed escape" "/regions?q=%zz" "The query string is not properly encoded."
bad "?from=2021-02-30" "/downloads?from=2021-02-30" "The parameter “from” must be a date written YYYY-MM-DD"
bad "?level=planet" "/downloads?level=planet" "The parameter “level” must be one of: country, province, county." planet
check_eq "an undeclared parameter is ignored" "$(req extra "$PORTAL_URL/?utm_source=x")" 200
check_eq "a parameter the page does not read is ignored" "$(req extra2 "$PORTAL_URL/about?sort=bogus")" 200

# --- the limits of a request: what the export form sends, and past it ------
# The query the form on /downloads submits with every country selected (a
# browser's encoding, read from the page), to the form's target and back to
# /downloads (its "more options" links prefill it).
EXPECT="/usr/bin/python3 $ROOT/tests/e2e/portal_expect.py"
NC=$(sql "SELECT count(*) FROM location WHERE level = 'country'")
req form "$PORTAL_URL/downloads" >/dev/null
FORM_QS=$($EXPECT formquery "$T/form" /export.csv)
check_eq "the form sends every country ($NC)" \
    "$(printf '%s' "$FORM_QS" | tr '&' '\n' | grep -c '^country=')" "$NC"
echo "# the form's query with every country: ${#FORM_QS} bytes"
check_eq "/downloads with every country: 200" "$(req dlall "$PORTAL_URL/downloads?$FORM_QS")" 200
check_eq "/downloads with every country: all selected again" \
    "$(grep -c '^<option value=.* selected>' "$T/dlall")" "$NC"
if [ -x "$OUT/cgi-bin/export.fcgi" ]; then
	check_eq "/export.csv with every country: 200" "$(req expall "$PORTAL_URL/export.csv?$FORM_QS")" 200
	check_eq "/export.csv with every country: a row per country and date" \
	    "$(($(wc -l < "$T/expall") - 1))" \
	    "$(sql "SELECT count(*) FROM v_country_daily")"
fi
# With the province at the longest the key takes (100 bytes: 33 three-byte
# characters, percent-encoded to 297).
LONG_PROV=$(printf '\xe2\x80\x93%.0s' $(seq 33))
FORM_QS2=$($EXPECT formquery "$T/form" /export.csv "province=$LONG_PROV")
check_eq "/downloads with every country and a 99-byte province: 200" \
    "$(req dllong "$PORTAL_URL/downloads?$FORM_QS2")" 200
check_contains "... the province comes back" "$T/dllong" "name=\"province\" type=\"text\" value=\"$LONG_PROV\""
# The query string cap (src/web/http.h), which nginx lets through: 8192 bytes
# answered (an undeclared key: ignored), 8193 refused by the program,
# saying why.
Q8K="x=$(head -c 8190 /dev/zero | tr '\0' a)"
check_eq "a query of exactly 8192 bytes: 200" "$(req q8k "$PORTAL_URL/about?$Q8K")" 200
check_eq "a query of 8193 bytes: 414" "$(req q8k1 "$PORTAL_URL/about?${Q8K}a")" 414
check_contains "414: says why" "$T/q8k1" "The query string is too long: this site accepts at most 8192 bytes."
secure q8k1
check_eq "414: not cached" "$(header q8k1 Cache-Control)" "no-store"
check_eq "1025 parameters: 400" "$(req pairs "$PORTAL_URL/about?$(printf 'a&%.0s' $(seq 1024))a")" 400
check_contains "1025 parameters: says why" "$T/pairs" "The query string has too many parameters: this site accepts at most 1024."

# --- 405 -------------------------------------------------------------------
for m in POST PUT DELETE PATCH; do
	check_eq "$m /: 405" "$(req m405 -X "$m" -d 'x=1' "$PORTAL_URL/")" 405
	check_eq "$m /: Allow" "$(header m405 Allow)" "GET, HEAD"
done
secure m405
check_contains "405: says why" "$T/m405" "This address only answers GET and HEAD requests."
check_eq "POST to a region page: 405" "$(req m405b -X POST "$PORTAL_URL/region/us")" 405

# --- no inline script or style in any page ---------------------------------------
# Only a whole page proves anything: an empty or failed answer has no
# script either.
for p in / /region/us/new-york/kings /regions?q=york /downloads /about /nowhere; do
	code=$(curl -s -o "$T/page" -w '%{http_code}' "$PORTAL_URL$p")
	want=200; [ "$p" = /nowhere ] && want=404
	if [ "$code" != "$want" ] || ! grep -q '</html>' "$T/page"; then
		not_ok "$p: no inline script, handler or style (no page to look at: HTTP $code, $(wc -c <"$T/page") bytes)"
	elif grep -qiE '<script[^>]*>[^<]|<script>|<style|[[:space:]]on[a-z]+=|[[:space:]]style=' "$T/page"; then
		not_ok "$p: no inline script, handler or style"
		grep -oiE '.{30}(<script>|<style|[[:space:]]on[a-z]+=|[[:space:]]style=).{30}' "$T/page" | head -3 | sed 's/^/#   /'
	else
		ok "$p: no inline script, handler or style"
	fi
done

# --- bad input never yields a 5xx ----------------------------------------------
# Random paths and query strings (percent-encoded bytes, the portal's own
# keys with odd values): every answer is a 2xx, 3xx or 4xx, never a 5xx or
# a dropped connection, and the workers keep answering.
/usr/bin/python3 - "$PORTAL_URL" > "$T/fuzz.urls" <<'PY'
import random, sys
random.seed(3)
base = sys.argv[1]
paths = ["/", "/regions", "/region/", "/region/us", "/region/us/new-york/kings",
         "/downloads", "/about", "/x", "/region/%00", "/region/..%2f..%2fetc"]
keys = ["sort", "order", "page", "q", "scale", "level", "country", "province",
        "from", "to", "shape", "bom", "x"]
def junk():
    return "".join(random.choice(["%", "%2", "%41", "%C3", "%ff", "%00", "+",
        "a", "Z", "-", "1", "9999999999999999999", "=", "%26", "%3D", "..",
        "%0A", "%E2%80%AE", "2021-02-29", "desc", "log", "county"])
        for _ in range(random.randint(0, 8)))
for _ in range(250):
    p = random.choice(paths) + random.choice(["", junk().replace("%00", "")])
    q = "&".join(f"{random.choice(keys)}={junk()}" for _ in range(random.randint(0, 6)))
    print(f"url = \"{base}{p}?{q}\"")
    print("write-out = \"%{http_code}\\n\"")
    print("output = \"/dev/null\"")
PY
curl -s --max-time 10 -K "$T/fuzz.urls" > "$T/fuzz.codes" 2>/dev/null
echo "# fuzz statuses: $(sort "$T/fuzz.codes" | uniq -c | tr -s ' \n' ' ')"
check_eq "fuzz: 250 answers" "$(wc -l < "$T/fuzz.codes")" 250
check_eq "fuzz: no 5xx and no dropped connection" \
    "$(grep -vcE '^(200|304|400|404|405)$' "$T/fuzz.codes")" 0
check_eq "fuzz: the workers still answer" "$(req afterfuzz "$PORTAL_URL/")" 200

# --- a new data version reaches running workers ----------------------------
OLD_NEWEST=$(sql "SELECT max(date) FROM daily_report")
check_eq "before: the dashboard shows the old newest date" \
    "$(curl -s "$PORTAL_URL/" | grep -c "datetime=\"$OLD_NEWEST\"")" 1
if "$INGEST" --db "$DB" --source "file://$DAILY" --from 2023-03-09 --to 2023-03-09 \
    2>>"$T/ingest.log"; then ok "the final report and the time series load while the portal runs"
else not_ok "the final report and the time series load while the portal runs"; fi
NEW_VERSION=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
check "the data version moved" [ "$NEW_VERSION" -gt "$VERSION" ]
# Every worker answers from the new version (several requests: two workers).
stale=0
for i in 1 2 3 4 5 6; do
	curl -s "$PORTAL_URL/" | grep -q 'datetime="2023-03-09"' || stale=$((stale + 1))
done
check_eq "after: every answer shows 9 March 2023" "$stale" 0
check_eq "after: the old ETag no longer matches" \
    "$(req after -H "If-None-Match: $ETAG" "$PORTAL_URL/")" 200
case "$(header after ETag)" in
"\"v$NEW_VERSION-"*) ok "after: the ETag carries the new version" ;;
*) not_ok "after: the ETag carries the new version (got '$(header after ETag)')" ;;
esac
# The world is now the sum of the countries' time series on their last day.
WORLD=$(/usr/bin/python3 -c '
import csv, sys
rows = csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))
print(format(sum(int(r["3/9/23"] or 0) for r in rows), ","))' \
    "$SAMPLE/csse_covid_19_time_series/time_series_covid19_confirmed_global.csv")
check_contains "after: the new world total" "$T/after" "<dt>Confirmed cases</dt><dd>$WORLD</dd>"
check_contains "after: the history is the time series" "$T/after" \
    "Daily history from JHU&#39;s time series."
stop_portal

# --- no database: 503, and the workers stay up -------------------------------
start_portal "$T/missing.db" || { not_ok "the portal starts without a database"; exit 1; }
ok "the portal starts without a database"
check_eq "no database: / answers 503" "$(req nodb "$PORTAL_URL/")" 503
secure nodb
check_contains "503: says why" "$T/nodb" "The database is not available right now."
check_contains "503: data version unavailable" "$T/nodb" "Data version unavailable."
check_eq "503: not cached" "$(header nodb Cache-Control)" "no-store"
check_eq "no database: an unknown path is still 404" "$(req nodb404 "$PORTAL_URL/nowhere")" 404
# The database appears: once each worker has retried (at most every 2 s),
# the pages work.
# ten_in_a_row PATH: ten answers in a row are 200 (the workers take turns).
ten_in_a_row() {
	local i
	for i in $(seq 10); do [ "$(req late "$PORTAL_URL$1")" = 200 ] || return 1; done
}
cp "$DB" "$T/missing.db"
check "once the database exists, the pages answer (ten 200s in a row, within 15 s)" \
	wait_until 15 ten_in_a_row /about
stop_portal
