# api: the JSON API (issue 13) through real nginx and spawn-fcgi on the
# bundled sample as covid-ingest loads it: status codes and RFC 9457 bodies,
# ETag/304, HEAD, CORS, 405 with Allow, unknown and misplaced parameters
# refused, places by slug/ISO3/UID/FIPS, figures equal to the pages', a
# series that adds up to the place's totals, the document and the route
# table in step, and every response checked against the OpenAPI document by
# outside validators (swagger-parser, ajv: tests/e2e/api_validate.js).
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/api_lib.sh"
DB=$T/covid.db

if ! "$INGEST" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2020-01-22 --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
start_api "$DB" || { not_ok "the api starts"; exit 1; }
ok "the sample loads; portal and api start"

# --- HTTP: headers, 304, HEAD, CORS, 405 --------------------------------
fetch summary /api/v1/summary /api/v1/summary -H 'Origin: https://example.org'
check_eq "summary: 200" "$CODE" 200
check_eq "summary: JSON" "$(header summary Content-Type)" "application/json; charset=utf-8"
check_eq "summary: any origin may read it" "$(header summary Access-Control-Allow-Origin)" "*"
check_contains "summary: the licence in a Link header" "$T/api/summary.hdr" \
    '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
check_eq "summary: the body credits JHU CSSE under CC BY 4.0" \
    "$(jq_py summary '"CSSE" in j["source"] and j["license"].endswith("/by/4.0/")')" True
check_eq "summary: cacheable" "$(header summary Cache-Control)" "public, max-age=300"
ETAG=$(header summary ETag)
check "summary: an ETag naming the data version" grep -qE '^"v[0-9]+-[0-9a-f]{8}"$' <<<"$ETAG"
fetch summary-304 /api/v1/summary /api/v1/summary -H "If-None-Match: $ETAG"
check_eq "summary: If-None-Match with its ETag: 304" "$CODE" 304
check "summary: the 304 has no body" test ! -s "$T/api/summary-304.body"
fetch summary-304w /api/v1/summary /api/v1/summary -H "If-None-Match: W/$ETAG"
check_eq "summary: a weakened ETag (gzip) matches too" "$CODE" 304
# The world's recovered: the countries' time series on a date they have,
# JHU's own column summed here from the file the sample ships.
fetch summary-rec /api/v1/summary "/api/v1/summary?date=2021-01-01"
check_eq "summary: recovered is the sum of JHU's recovered_global column" \
    "$(jq_py summary-rec 'j["recovered"]')" \
    "$(/usr/bin/python3 -c 'import csv, sys
r = csv.reader(open(sys.argv[1], encoding="utf-8-sig"))
h = next(r); i = h.index("1/1/21")
print(sum(int(float(x[i])) for x in r if x[i]))' \
    "$ROOT/data/sample/csse_covid_19_time_series/time_series_covid19_recovered_global.csv")"
fetch summary-date /api/v1/summary "/api/v1/summary?date=2023-03-09"
check "summary: another request, another ETag" test "$(header summary-date ETag)" != "$ETAG"
fetch summary-date2 /api/v1/summary "/api/v1/summary?date=2023%2D03%2D09"
check_eq "summary: one request spelt two ways shares its ETag" \
    "$(header summary-date2 ETag)" "$(header summary-date ETag)"
CODE=$(curl -s -o "$T/api/head.body" -D "$T/api/head.hdr" -w '%{http_code}' -I "$PORTAL_URL/api/v1/summary")
check_eq "HEAD: 200" "$CODE" 200
# With -I curl writes the headers where the body would go: nothing else.
check "HEAD: no body" cmp -s "$T/api/head.body" "$T/api/head.hdr"
check_eq "HEAD: the GET's type" "$(header head Content-Type)" "application/json; charset=utf-8"
check_eq "HEAD: the GET's ETag" "$(header head ETag)" "$ETAG"
fetch post /api/v1/summary /api/v1/summary -X POST -d x=1
check_eq "POST: 405" "$CODE" 405
check_eq "POST: Allow says GET, HEAD" "$(header post Allow)" "GET, HEAD"
check_eq "POST: a problem+json" "$(header post Content-Type)" "application/problem+json"
check_eq "POST: RFC 9457 members" "$(jq_py post '(j["status"], j["title"], j["type"])')" \
    "(405, 'Method Not Allowed', '/api#problem-405')"

# --- parameters: unknown, misplaced, bad values, all 400 naming it -------
problem() { # NAME PATTERN PATH STATUS PARAM: a problem naming PARAM
	fetch "$1" "$2" "$3"
	check_eq "$3: $4" "$CODE" "$4"
	check_eq "$3: problem+json" "$(header "$1" Content-Type)" "application/problem+json"
	check_eq "$3: names the parameter" "$(jq_py "$1" 'j["parameter"]')" "$5"
	check_eq "$3: the detail says which" "$(jq_py "$1" "'$5' in j['detail'] and j['status'] == $4")" True
}
problem unknown /api/v1/summary "/api/v1/summary?dat=2023-03-09" 400 dat
problem misplaced /api/v1/status "/api/v1/status?limit=5" 400 limit
problem badint /api/v1/places "/api/v1/places?limit=0" 400 limit
problem bigint /api/v1/places "/api/v1/places?limit=1001" 400 limit
problem baddate /api/v1/countries "/api/v1/countries?date=2023-02-30" 400 date
problem badenum /api/v1/countries "/api/v1/countries?sort=population" 400 sort
problem twice /api/v1/places "/api/v1/places?q=a&q=b" 400 q
problem range "/api/v1/places/{place}/series" "/api/v1/places/germany/series?from=2023-03-09&to=2023-03-01" 400 from
problem nodate /api/v1/summary "/api/v1/summary?date=2019-01-01" 404 date
fetch noplace "/api/v1/places/{place}" /api/v1/places/nowhere
check_eq "an unknown place: 404" "$CODE" 404
check_eq "an unknown place: problem+json" "$(jq_py noplace 'j["status"], "nowhere" in j["detail"]')" "(404, True)"
fetch noroute /api/v1/nothing /api/v1/nothing
check_eq "an unknown endpoint: 404 problem" "$CODE $(header noroute Content-Type)" "404 application/problem+json"
sed -i '$d' "$T/api/manifest"   # not a documented path: nothing to check it against

# --- places: search, pages, one place by every key -----------------------
fetch places /api/v1/places "/api/v1/places?q=new&level=province&limit=3"
check_eq "places: 200" "$CODE" 200
check_eq "places: provinces only, 3 of them" \
    "$(jq_py places 'len(j["places"]), {p["level"] for p in j["places"]}')" "(3, {'province'})"
NEXT=$(jq_py places 'j["next"]')
check_eq "places: a next link with the cursor" "$NEXT" "/api/v1/places?q=new&level=province&limit=3&cursor=3"
fetch places2 /api/v1/places "$NEXT"
check_eq "places: the next page follows on" \
    "$(jq_py places2 'j["cursor"], j["total"]')" "$(jq_py places '3, j["total"]')"
fetch de-slug "/api/v1/places/{place}" /api/v1/places/germany
fetch de-iso "/api/v1/places/{place}" /api/v1/places/DEU
fetch de-uid "/api/v1/places/{place}" /api/v1/places/276
check_eq "a country by ISO3 and by UID is the same place as by slug" \
    "$(jq_py de-iso 'j["place"]["slug"]') $(jq_py de-uid 'j["place"]["slug"]')" "germany germany"
fetch kings "/api/v1/places/{place}" /api/v1/places/36047
check_eq "a county by FIPS" "$(jq_py kings 'j["place"]["name"], j["place"]["fips"], j["parent"]["name"]')" \
    "('Kings', '36047', 'New York')"
fetch canada "/api/v1/places/{place}" /api/v1/places/canada
fetch kings-link "/api/v1/places/{place}" "$(jq_py kings 'j["place"]["api"]')"
check_eq "a county's own api link (a slug of three segments) names it" \
    "$CODE $(jq_py kings-link 'j["place"]["fips"]')" "200 36047"
fetch child-series "/api/v1/places/{place}/series" "$(jq_py canada 'j["children"][0]["api"]')/series?lastdays=3"
check_eq "a province's series by its slug (two segments)" \
    "$CODE $(jq_py child-series 'j["place"]["slug"] == j["place"]["api"].split("/places/")[1]')" "200 True"
check "a country lists its provinces as children" test "$(jq_py canada 'len(j["children"])')" -gt 5

# --- figures equal the pages' -------------------------------------------
thousands() { /usr/bin/python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }
curl -s -o "$T/dashboard.html" "$PORTAL_URL/"
curl -s -o "$T/germany.html" "$PORTAL_URL/region/germany"
WORLD=$(jq_py summary 'j["confirmed"]')
check_contains "summary: the world's confirmed cases are the dashboard's" "$T/dashboard.html" \
    "$(thousands "$WORLD")"
DE=$(jq_py de-slug 'j["place"]["latest"]["confirmed"]')
check_contains "Germany's confirmed cases are its page's" "$T/germany.html" \
    "<dd>$(thousands "$DE")</dd>"
DED=$(jq_py de-slug 'j["place"]["latest"]["deaths"]')
check_contains "Germany's deaths are its page's" "$T/germany.html" "<dd>$(thousands "$DED")</dd>"
curl -s -o "$T/de.csv" "$PORTAL_URL/export.csv?level=country&country=DEU&from=2023-03-09&to=2023-03-09&shape=long"
check_eq "Germany's figures and per-100k are the CSV export's" "$(/usr/bin/python3 - "$T/de.csv" "$T/api/de-slug.body" <<'PY'
import csv, json, sys
rows = {r["Case_Type"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
j = json.load(open(sys.argv[2]))
print(int(rows["Confirmed"]["Cases"]) == j["place"]["latest"]["confirmed"],
      int(rows["Deaths"]["Cases"]) == j["place"]["latest"]["deaths"],
      abs(float(rows["Confirmed"]["Cases_per_100k"]) - j["confirmed_per_100k"]) < 1e-6,
      abs(float(rows["Deaths"]["Cases_per_100k"]) - j["deaths_per_100k"]) < 1e-6)
PY
)" "True True True True"
fetch countries /api/v1/countries "/api/v1/countries?sort=deaths"
check_eq "countries: Germany's figures there are its place's" \
    "$(jq_py countries '[(c["confirmed"], c["deaths"]) for c in j["countries"] if c["slug"] == "germany"][0]')" \
    "($DE, $DED)"
check_eq "countries: sorted by deaths, most first" \
    "$(jq_py countries '[c["deaths"] for c in j["countries"] if c["deaths"] is not None] == sorted([c["deaths"] for c in j["countries"] if c["deaths"] is not None], reverse=True)')" True
check_eq "countries: the world's sum is the summary's" \
    "$(jq_py countries 'sum(c["confirmed"] or 0 for c in j["countries"])')" "$WORLD"

# --- a series adds up -----------------------------------------------------
fetch de-day "/api/v1/places/{place}/series" /api/v1/places/germany/series
fetch de-week "/api/v1/places/{place}/series" "/api/v1/places/germany/series?interval=week"
fetch de-month "/api/v1/places/{place}/series" "/api/v1/places/germany/series?interval=month"
check_eq "series: the last day is the place's latest" \
    "$(jq_py de-day 'j["points"][-1]["confirmed"], j["points"][-1]["deaths"]')" "($DE, $DED)"
check_eq "series: the first total plus every new case after it is the last total" \
    "$(jq_py de-day 'j["points"][0]["confirmed"] + sum(p["new_confirmed"] or 0 for p in j["points"][1:])')" "$DE"
SUM_DAY=$(jq_py de-day 'sum(p["new_confirmed"] or 0 for p in j["points"])')
check_eq "series: weeks add up to the days" "$(jq_py de-week 'sum(p["new_confirmed"] or 0 for p in j["points"])')" "$SUM_DAY"
check_eq "series: months add up to the days" "$(jq_py de-month 'sum(p["new_confirmed"] or 0 for p in j["points"])')" "$SUM_DAY"
check_eq "series: one point a month, ending on the last day" \
    "$(jq_py de-month 'len(j["points"]), j["points"][-1]["date"]')" "(39, '2023-03-09')"
fetch de-metrics "/api/v1/places/{place}/series" "/api/v1/places/germany/series?interval=month&metrics=new_confirmed,deaths_per_100k"
check_eq "series: metrics= gives those figures and the date, nothing else" \
    "$(jq_py de-metrics '{tuple(sorted(p)) for p in j["points"]}')" "{('date', 'deaths_per_100k', 'new_confirmed')}"
check_eq "series: ... the same figures as without it" \
    "$(jq_py de-metrics '[p["new_confirmed"] for p in j["points"]]')" "$(jq_py de-month '[p["new_confirmed"] for p in j["points"]]')"
problem badmetrics "/api/v1/places/{place}/series" "/api/v1/places/germany/series?metrics=deaths,recovered" 400 metrics
fetch de-last "/api/v1/places/{place}/series" "/api/v1/places/germany/series?lastdays=7&to=2023-03-05"
check_eq "series: lastdays after to" "$(jq_py de-last '[p["date"] for p in j["points"]][::6]')" \
    "['2023-02-27', '2023-03-05']"
check_eq "series: no number is a string, unknown is null" \
    "$(jq_py de-day 'all(type(p[k]) in (int, float, type(None)) for p in j["points"] for k in p if k != "date")')" True

fetch world-day /api/v1/world/series /api/v1/world/series
fetch world-month /api/v1/world/series "/api/v1/world/series?interval=month"
check_eq "world series: its last day is the summary's" \
    "$(jq_py world-day 'j["points"][-1]["date"], j["points"][-1]["confirmed"]')" "('2023-03-09', $WORLD)"
check_eq "world series: months add up to the days" \
    "$(jq_py world-month 'sum(p["new_confirmed"] or 0 for p in j["points"])')" \
    "$(jq_py world-day 'sum(p["new_confirmed"] or 0 for p in j["points"])')"

# --- reports: the rows as published, in pages -----------------------------
fetch reports /api/v1/reports "/api/v1/reports?date=2023-03-09&country=Canada&limit=5"
check_eq "reports: a page of 5 Canadian rows" \
    "$(jq_py reports 'len(j["reports"]), {r["country"] for r in j["reports"]}')" "(5, {'Canada'})"
check_eq "reports: the rows are v_daily's" \
    "$(jq_py reports '[r["confirmed"] for r in j["reports"]]' | tr -d '[] ')" \
    "$(sqlite3 "$DB" "SELECT group_concat(c, ',') FROM (SELECT COALESCE(confirmed, 'None') AS c FROM v_daily WHERE date = '2023-03-09' AND country_region = 'Canada' ORDER BY country_region, province_state, admin2 LIMIT 5)")"
fetch reports-iso /api/v1/reports "/api/v1/reports?date=2023-03-09&country=can&limit=5"
check_eq "reports: a country by its ISO3 code (any case), the same rows" \
    "$(jq_py reports-iso 'j["reports"]')" "$(jq_py reports 'j["reports"]')"
fetch reports-all /api/v1/reports "/api/v1/reports?date=2023-03-09&level=county&limit=1000"
N=0; PAGE=/api/v1/reports?date=2023-03-09\&level=county\&limit=1000
while [ -n "$PAGE" ] && [ "$PAGE" != None ] && [ "$N" -lt 10 ]; do
	fetch "page$N" /api/v1/reports "$PAGE"
	PAGE=$(jq_py "page$N" 'j["next"]'); N=$((N + 1))
done
check_eq "reports: the pages hold every county row once" \
    "$(cat "$T"/api/page*.body | /usr/bin/python3 -c 'import json,sys
d=json.JSONDecoder(); s=sys.stdin.read(); i=0; rows=[]
while i < len(s):
    j,i=d.raw_decode(s,i); rows+=[(r["country"],r["province"],r["county"]) for r in j["reports"]]
print(len(rows), len(set(rows)))')" \
    "$(sqlite3 "$DB" "SELECT count(*) || ' ' || count(*) FROM v_daily WHERE date = '2023-03-09' AND admin2 IS NOT NULL")"
fetch status /api/v1/status /api/v1/status
check_eq "status: the last run succeeded" "$(jq_py status 'j["last_run"]["status"], j["newest_date"]')" "('ok', '2023-03-09')"

# --- the document and the page, and the two in step with the program ------
fetch page /api /api
check_eq "/api: an HTML page" "$CODE $(header page Content-Type)" "200 text/html; charset=utf-8"
check "/api: links an example of every endpoint" /usr/bin/python3 - "$T/api/page.body" "$PORTAL_URL" <<'PY'
import re, sys, urllib.request
html = open(sys.argv[1]).read()
links = re.findall(r'Example: <a href="([^"]+)"', html)
assert len(links) >= 9, links
for l in links:
    url = sys.argv[2] + l.replace("&amp;", "&")
    code = urllib.request.urlopen(url).status
    assert code == 200, (l, code)
PY
fetch doc /api/openapi.json /api/openapi.json
# Every parameter the document gives a path is accepted there (its example
# gets no 400); every parameter the document names anywhere that it does
# not give a path is refused there with a 400 naming it.
check "the document and the program agree on every path's parameters" \
    /usr/bin/python3 - "$T/api/doc.body" "$PORTAL_URL" <<'PY'
import json, sys, urllib.request, urllib.error, urllib.parse
doc = json.load(open(sys.argv[1])); base = sys.argv[2]; bad = []
params = {p["name"]: p["example"] for item in doc["paths"].values()
          for p in item["get"].get("parameters", []) if p["in"] == "query"}
for path, item in doc["paths"].items():
    own = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"}
    for name, ex in params.items():
        url = base + path.replace("{place}", "canada") + "?" + urllib.parse.urlencode({name: ex})
        try:
            code, body = urllib.request.urlopen(url).status, None
        except urllib.error.HTTPError as e:
            code, body = e.code, json.load(e)
        refused = code == 400 and body.get("parameter") == name
        if (name in own) == refused:
            bad.append(f"{path} {name}: {code}")
if bad:
    print("#   " + "\n#   ".join(bad)); sys.exit(1)
PY
# A new data version (as an ingest that changed the data writes it): the
# old ETag no longer matches, the new one names the version.
sqlite3 "$DB" "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"
NEWV=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'data_version'")
fetch summary-new /api/v1/summary /api/v1/summary -H "If-None-Match: $ETAG"
check_eq "a new data version: the old ETag gets a 200" "$CODE" 200
check_eq "... with the new version in its ETag and body" \
    "$(header summary-new ETag | cut -d- -f1) $(jq_py summary-new 'j["data_version"]')" "\"v$NEWV $NEWV"
# The world's history is read once per data version: a version whose data
# lost its newest day answers with the day before, the first time.
LAST=$(jq_py summary-new 'j["date"]')
sqlite3 "$DB" "DELETE FROM series_region WHERE date = '$LAST';
    DELETE FROM region_daily WHERE date = '$LAST';
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"
fetch summary-less /api/v1/summary /api/v1/summary
check_eq "a version without its newest day: the summary is of the day before" \
    "$(jq_py summary-less 'j["date"] < "'"$LAST"'"')" True
stop_api

# Without a database: the data is a 503 problem, the document still there.
start_api "$T/none/covid.db" || { not_ok "the api starts without a database"; exit 1; }
fetch nodb /api/v1/summary /api/v1/summary
check_eq "no database: a 503 problem" "$CODE $(header nodb Content-Type)" "503 application/problem+json"
check_eq "no database: not cached" "$(header nodb Cache-Control)" "no-store"
fetch nodb-doc /api/openapi.json /api/openapi.json
check_eq "no database: the document is served" "$CODE" 200
validate
stop_api
stop_portal
