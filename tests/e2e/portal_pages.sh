# portal_pages: every page of the portal through real nginx and spawn-fcgi,
# on the bundled sample loaded by covid-ingest (the daily reports, then JHU's
# time series). Expected figures are worked out from the CSV files by
# tests/e2e/portal_expect.py (a place's history from the time series where
# they list it, then the daily reports after their end; or from the database
# with the sqlite3 CLI), never taken from the program's output.
source "$(dirname "$0")/../lib.sh"
EXPECT="/usr/bin/python3 $ROOT/tests/e2e/portal_expect.py"
DAILY=$SAMPLE/csse_covid_19_daily_reports
TS=$SAMPLE/csse_covid_19_time_series
LOOKUP=$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv
DB=$T/covid.db

if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
ok "the portal starts"

# get NAME PATH: the body into $T/NAME, the status on stdout.
get() { curl -s -o "$T/$1" -w '%{http_code}' "$PORTAL_URL$2"; }
# table NAME CLASS: the rows of a table of the page, cells joined by "|".
table() { $EXPECT table "$T/$1" "$2"; }
# row NAME CLASS FIRST: the row whose first cell is FIRST.
row() { table "$1" "$2" | awk -F'|' -v n="$3" '$1 == n && !done { print; done = 1 }'; }
sql() { sqlite3 "$DB" "$1"; }
# expect PLACE...: the place's expected figures as X_* variables.
expect() { eval "$($EXPECT place --series "$TS" "$DAILY" "$LOOKUP" "$@")"; }

VERSION=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
REFRESHED=$(sql "SELECT value FROM meta WHERE key = 'refreshed_at'")
REFRESHED_TEXT=$(/usr/bin/python3 -c '
import datetime, sys
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ")
print(f"{t.day} {t:%B} {t.year}, {t:%H:%M} UTC")' "$REFRESHED")

# Every page carries the attribution and the data version in its footer.
footer() {
	check_contains "$1: attribution in the footer" "$T/$1" \
	    'COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) at Johns Hopkins University</a>, licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'
	check_contains "$1: data version in the footer" "$T/$1" "Data version $VERSION ·"
	check_contains "$1: the footer links the JSON API" "$T/$1" '<a href="/api">JSON API</a>'
}

# --- / ---------------------------------------------------------------
check_eq "/ answers 200" "$(get dash /)" 200
footer dash
expect '*'
check_eq "/: the world's history is the time series" "$X_SOURCE $X_PREV" "series 2023-03-08"
check_contains "/: data through the newest report" "$T/dash" \
    "Data through <time datetime=\"$X_DATE\">9 March 2023</time>, last refreshed $REFRESHED_TEXT."
check_contains "/: says JHU stopped publishing" "$T/dash" \
    "stopped publishing the daily reports on 10 March 2023"
check_contains "/: world confirmed" "$T/dash" "<dt>Confirmed cases</dt><dd>$X_CONFIRMED</dd>"
check_contains "/: world deaths" "$T/dash" "<dt>Deaths</dt><dd>$X_DEATHS</dd>"
check_contains "/: world new cases since the day before" "$T/dash" \
    "<dt>New cases, last day</dt><dd>$X_NEW</dd>"
check_contains "/: world new deaths" "$T/dash" \
    "<dt>New deaths, last day</dt><dd>$X_NEW_DEATHS</dd>"
check_contains "/: world 7-day average of new cases" "$T/dash" \
    "<dt>New cases, 7-day average</dt><dd>$X_AVG a day</dd>"
check_contains "/: world 7-day average of new deaths" "$T/dash" \
    "<dt>New deaths, 7-day average</dt><dd>$X_AVG_DEATHS a day</dd>"
check_contains "/: the new-cases chart" "$T/dash" "Daily new cases, world</title>"
check_eq "/: one SVG chart" "$(grep -o '<svg' "$T/dash" | wc -l)" 1
NCOUNTRIES=$(/usr/bin/python3 -c '
import csv, sys
print(len({r["Country_Region"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}))' \
    "$DAILY/03-09-2023.csv")
check_eq "/: one row per country in the newest report" "$(table dash places | wc -l)" "$NCOUNTRIES"
for c in US India "Korea, South" "Cote d'Ivoire" Germany; do
	expect "$c"
	check_eq "/: the row of $c" "$(row dash places "$c")" \
	    "$c|$X_CONFIRMED|$X_DEATHS|$X_NEW|$X_NEW_DEATHS|$X_AVG|$X_PER100K|$X_DEATHS_PER100K"
done
# Sorting, server-side, by each metric.
check_eq "/: sorted by confirmed cases by default" \
    "$(table dash places | cut -d'|' -f1 | sed -n 1,10p)" \
    "$($EXPECT order "$DAILY" "$LOOKUP" confirmed desc 10)"
for s in "deaths desc" "name asc" "name desc" "confirmed asc" \
    "confirmed_per_100k desc" "deaths_per_100k asc"; do
	set -- $s
	check_eq "/?sort=$1&order=$2 (200)" "$(get sorted "/?sort=$1&order=$2")" 200
	check_eq "/?sort=$1&order=$2: rows in order" \
	    "$(table sorted places | cut -d'|' -f1 | sed -n 1,12p)" \
	    "$($EXPECT order "$DAILY" "$LOOKUP" "$1" "$2" 12)"
done
check_contains "/: a link to sort by deaths" "$T/dash" 'href="?sort=deaths&amp;order=desc"'
check_contains "/: the current sort column says so" "$T/dash" 'aria-sort="descending"'
get sorted "/?sort=deaths&order=desc" >/dev/null
check_contains "/?sort=deaths: its heading flips the order" "$T/sorted" 'href="?sort=deaths&amp;order=asc"'

# --- /region/us/new-york/kings ---------------------------------------
check_eq "/region/us/new-york/kings answers 200" "$(get kings /region/us/new-york/kings)" 200
footer kings
expect US "New York" Kings
check_eq "kings: its history is the US series, then the reports" "$X_SOURCE" series+daily
check_contains "kings: the title names the place" "$T/kings" "<title>Kings, New York, US · COVID-19 data portal</title>"
check_contains "kings: the heading" "$T/kings" "<h1>Kings, New York, US</h1>"
check_contains "kings: breadcrumb to the country" "$T/kings" '<li><a href="/region/us">US</a></li>'
check_contains "kings: breadcrumb to the state" "$T/kings" '<li><a href="/region/us/new-york">New York</a></li>'
check_contains "kings: population" "$T/kings" "County · population $X_POPULATION"
check_contains "kings: confirmed" "$T/kings" "<dt>Confirmed cases</dt><dd>$X_CONFIRMED</dd>"
check_contains "kings: deaths" "$T/kings" "<dt>Deaths</dt><dd>$X_DEATHS</dd>"
check_contains "kings: cases per 100k" "$T/kings" "<dt>Cases per 100,000</dt><dd>$X_PER100K</dd>"
check_contains "kings: deaths per 100k" "$T/kings" "<dt>Deaths per 100,000</dt><dd>$X_DEATHS_PER100K</dd>"
check_contains "kings: new cases" "$T/kings" "<dt>New cases$X_SINCE</dt><dd>$X_NEW</dd>"
check_eq "kings: the recent reports" "$(table kings days)" "$X_RECENT"
check_eq "kings: four SVG charts" "$(grep -o '<svg' "$T/kings" | wc -l)" 4
check_contains "kings: a CSV download of its state's counties" "$T/kings" \
    'href="/export.csv?level=county&amp;country=USA&amp;province=New%20York"'
check_eq "kings ?scale=log (200)" "$(get kingslog '/region/us/new-york/kings?scale=log')" 200
check_contains "kings ?scale=log: the charts say so" "$T/kingslog" "logarithmic scale"
check_not_contains "kings (linear): the charts do not" "$T/kings" "logarithmic scale"

# --- /region/us/new-york: a state and its counties --------------------
check_eq "/region/us/new-york answers 200" "$(get ny /region/us/new-york)" 200
expect US "New York"
check_contains "new york: confirmed" "$T/ny" "<dt>Confirmed cases</dt><dd>$X_CONFIRMED</dd>"
check_contains "new york: deaths" "$T/ny" "<dt>Deaths</dt><dd>$X_DEATHS</dd>"
check_eq "new york: its recent reports" "$(table ny days)" "$X_RECENT"
NCOUNTIES=$(sql "SELECT count(*) FROM location WHERE parent_id = (SELECT id FROM location WHERE slug = 'us/new-york')")
check_eq "new york: one row per county" "$(table ny places | wc -l)" "$NCOUNTIES"
expect US "New York" Kings
check_eq "new york: the row of Kings" "$(row ny places Kings)" \
    "Kings|$X_CONFIRMED|$X_DEATHS|$X_NEW|$X_NEW_DEATHS|$X_AVG|$X_PER100K|$X_DEATHS_PER100K"
check_contains "new york: a link to Kings" "$T/ny" '<a href="/region/us/new-york/kings">Kings</a>'
check_eq "new york ?sort=deaths&order=desc (200)" "$(get nys '/region/us/new-york?sort=deaths&order=desc')" 200
TOP=$(sql "SELECT l.admin2 FROM location l JOIN daily_report d ON d.location_id = l.id
    AND d.date = (SELECT max(date) FROM daily_report WHERE location_id = l.id)
    WHERE l.parent_id = (SELECT id FROM location WHERE slug = 'us/new-york')
    ORDER BY d.deaths DESC LIMIT 1")
check_eq "new york sorted by deaths: the county with most first" \
    "$(table nys places | sed -n 1p | cut -d'|' -f1)" "$TOP"

# --- /region/us: a country ---------------------------------------------
check_eq "/region/us answers 200" "$(get us /region/us)" 200
expect US
check_eq "us: its history is the global series" "$X_SOURCE" series
check_contains "us: confirmed" "$T/us" "<dt>Confirmed cases</dt><dd>$X_CONFIRMED</dd>"
check_contains "us: per 100k" "$T/us" "<dt>Cases per 100,000</dt><dd>$X_PER100K</dd>"
check_eq "us: the recent days" "$(table us days)" "$X_RECENT"
check_contains "us: new cases against the day before" "$T/us" \
    "<dt>New cases, last day</dt><dd>$X_NEW</dd>"
check_contains "us: Provinces and states" "$T/us" '<a href="/region/us/new-york">New York</a>'

# --- /regions ------------------------------------------------------------
check_eq "/regions answers 200" "$(get search0 /regions)" 200
footer search0
check_eq "/regions?q=korea (200)" "$(get search1 '/regions?q=korea')" 200
check_contains "korea finds Korea, South" "$T/search1" '<a href="/region/korea-south">Korea, South</a>'
get search2 '/regions?q=cote' >/dev/null
check_contains "cote finds Cote d'Ivoire" "$T/search2" ">Cote d&#39;Ivoire</a>"
get search3 '/regions?q=NEW+YORK' >/dev/null
first_two=$(grep -o 'href="/region/[^"]*"' "$T/search3" | sed -n '1,2p' | tr '\n' ' ')
check_eq "new york: the state first, then the county (case-insensitive)" "$first_two" \
    'href="/region/us/new-york" href="/region/us/new-york/new-york" '
get search4 '/regions?q=kings' >/dev/null
check_contains "kings finds the county in its state" "$T/search4" \
    '<a href="/region/us/new-york/kings">Kings</a> <span class="context">New York, US</span>'
# Paging: the total from the database itself.
TOTAL=$(sql "SELECT count(*) FROM location WHERE (CASE level WHEN 'country' THEN country_region
    WHEN 'province' THEN province_state ELSE admin2 END) LIKE '%an%'")
PAGES=$(( (TOTAL + 19) / 20 ))
get page1 '/regions?q=an' >/dev/null
check_contains "an: the number of matches" "$T/page1" "<h2 id=\"results-h\">$TOTAL places match “an”</h2>"
check_contains "an: page 1 of $PAGES" "$T/page1" "Showing 1–20, page 1 of $PAGES."
check_contains "an: a link to page 2" "$T/page1" 'href="/regions?q=an&amp;page=2"'
check_eq "an page 2 (200)" "$(get page2 '/regions?q=an&page=2')" 200
check_contains "an: page 2 shows 21-40" "$T/page2" "Showing 21–40, page 2 of $PAGES."
check_eq "an page 2: 20 results" "$(grep -c '^<li><a href="/region/' "$T/page2")" 20
check_eq "a page past the end (200)" "$(get page9 "/regions?q=an&page=$((PAGES + 1))")" 200
check_contains "a page past the end says so" "$T/page9" "There are only $PAGES pages of results."
get none '/regions?q=zzzzqqq' >/dev/null
check_contains "no match says so" "$T/none" "No places match “zzzzqqq”"

# --- /downloads ------------------------------------------------------------
check_eq "/downloads answers 200" "$(get dl /downloads)" 200
footer dl
NC=$(sql "SELECT count(*) FROM location WHERE level = 'country'")
check_eq "/downloads: every country to choose from" "$(grep -c '^<option value=' "$T/dl")" "$NC"
check_contains "/downloads: the form asks the export program" "$T/dl" '<form class="export" action="/export.csv" method="get">'
check_contains "/downloads: an Excel button" "$T/dl" 'formaction="/export.xlsx"'
check_contains "/downloads: dates default to the whole range" "$T/dl" \
    "value=\"$(sql 'SELECT min(date) FROM daily_report')\" min="
get dl2 '/downloads?level=province&country=USA&province=New+York&shape=long&bom=1' >/dev/null
check_contains "/downloads prefilled: the country" "$T/dl2" '<option value="USA" selected>US</option>'
check_contains "/downloads prefilled: the level" "$T/dl2" '<input type="radio" name="level" value="province" checked>'
check_contains "/downloads prefilled: the province" "$T/dl2" 'name="province" type="text" value="New York"'
check_contains "/downloads prefilled: the shape" "$T/dl2" 'value="long" checked>'

# --- /about ------------------------------------------------------------------
check_eq "/about answers 200" "$(get about /about)" 200
footer about
check_contains "/about: the attribution" "$T/about" \
    "“COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) at Johns Hopkins University”"
check_contains "/about: the repository" "$T/about" "https://github.com/CSSEGISandData/COVID-19"
check_contains "/about: the licence" "$T/about" "Creative Commons Attribution 4.0 International licence (CC BY 4.0)"
check_contains "/about: how new cases are derived" "$T/about" "derived as the difference between a place"
check_contains "/about: negative corrections" "$T/about" "Negative corrections."
check_contains "/about: the range held" "$T/about" "from 22 January 2020 through 9 March 2023"

stop_portal
