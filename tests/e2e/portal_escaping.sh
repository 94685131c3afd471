# portal_escaping: names that are markup (tests/fixtures/hostile) show as
# text on every page that names them: the dashboard table, search results,
# region pages (title, heading, breadcrumbs, tables, chart text), the
# download form. Through real nginx and spawn-fcgi, loaded by covid-ingest.
source "$(dirname "$0")/../lib.sh"
EXPECT="/usr/bin/python3 $ROOT/tests/e2e/portal_expect.py"
FIX=$ROOT/tests/fixtures/hostile
DB=$T/hostile.db

if ! "$INGEST" --db "$DB" --source "file://$FIX/csse_covid_19_daily_reports" \
    --lookup "file://$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv" \
    --from 2023-03-09 --to 2023-03-09 2>"$T/ingest.log"; then
	not_ok "the hostile fixture loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
ok "the hostile fixture loads"
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }

PROVINCE='<script>alert(1)</script>'
COUNTY='"><img src=x onerror=alert(1)>'
COUNTRY="<svg/onload=alert(3)> & 'Co'"
# The names as the HTML must carry them (escaped as the escaper does).
PROVINCE_HTML='&lt;script&gt;alert(1)&lt;/script&gt;'
COUNTY_HTML='&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
COUNTRY_HTML='&lt;svg/onload=alert(3)&gt; &amp; &#39;Co&#39;'
sql() { sqlite3 "$DB" "$1"; }
# The slugs, from the database (the ingest made them).
P_SLUG=$(sql "SELECT slug FROM location WHERE province_state = '$PROVINCE' AND level = 'province'")
C_SLUG=$(sql "SELECT slug FROM location WHERE admin2 = '\"><img src=x onerror=alert(1)>'")
K_SLUG=$(sql "SELECT slug FROM location WHERE country_region = '<svg/onload=alert(3)> & ''Co''' AND level = 'country'")
# none_empty VALUE...: every value is a non-empty string.
none_empty() { local v; for v in "$@"; do [ -n "$v" ] || return 1; done; }
check "the three places have slugs" none_empty "$P_SLUG" "$C_SLUG" "$K_SLUG"

# page NAME PATH NAME...: the page answers 200, holds each name escaped
# (HTML) and as visible text, never raw, and has no element that could run
# script.
page() {
	local name=$1 path=$2 code n
	shift 2
	code=$(curl -s -o "$T/$name" -w '%{http_code}' "$PORTAL_URL$path")
	check_eq "$name: 200" "$code" 200
	$EXPECT text "$T/$name" > "$T/$name.txt"
	for n in "$@"; do
		case "$n" in
		"$PROVINCE") html=$PROVINCE_HTML ;;
		"$COUNTY")   html=$COUNTY_HTML ;;
		*)           html=$COUNTRY_HTML ;;
		esac
		check_contains "$name: the name, escaped" "$T/$name" "$html"
		check_contains "$name: the name, as text" "$T/$name.txt" "$n"
	done
	check_not_contains "$name: no raw <script>alert" "$T/$name" "<script>alert"
	check_not_contains "$name: no raw <img" "$T/$name" "<img"
	check_not_contains "$name: no raw <svg/onload" "$T/$name" "<svg/onload"
	# The reader failing (no Python, a crash) must not read as "no element".
	check_eq "$name: no element that runs script" \
		"$($EXPECT unsafe "$T/$name" || echo "the HTML reader failed ($?)")" ""
}

page dashboard / "$COUNTRY"
check_contains "dashboard: the country links to its page" "$T/dashboard" \
    "<a href=\"/region/$K_SLUG\">$COUNTRY_HTML</a>"
page search-script "/regions?q=script" "$PROVINCE"
page search-img "/regions?q=onerror" "$COUNTY"
page search-svg "/regions?q=onload" "$COUNTRY"
page search-echo "/regions?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E" "$PROVINCE"
check_contains "search: the query echoed escaped" "$T/search-echo" \
    "places match “$PROVINCE_HTML”"
page country "/region/$K_SLUG" "$COUNTRY"
check_contains "country page: the title" "$T/country" "<title>$COUNTRY_HTML · COVID-19 data portal</title>"
check_contains "country page: the heading" "$T/country" "<h1>$COUNTRY_HTML</h1>"
check_contains "country page: the current breadcrumb" "$T/country" "<li aria-current=\"page\">$COUNTRY_HTML</li>"
check_contains "country page: chart text" "$T/country" "in $COUNTRY_HTML, each reported date"
page country-log "/region/$K_SLUG?scale=log" "$COUNTRY"
page province "/region/$P_SLUG" "$PROVINCE"
check_contains "province page: the title" "$T/province" "<title>$PROVINCE_HTML, Canada · COVID-19 data portal</title>"
check_contains "province page: the heading" "$T/province" "<h1>$PROVINCE_HTML, Canada</h1>"
check_contains "province page: breadcrumb to Canada" "$T/province" '<li><a href="/region/canada">Canada</a></li>'
check_contains "province page: the current breadcrumb" "$T/province" "<li aria-current=\"page\">$PROVINCE_HTML</li>"
page canada /region/canada "$PROVINCE"
check_contains "canada: the province in its table, linked" "$T/canada" \
    "<a href=\"/region/$P_SLUG\">$PROVINCE_HTML</a>"
page county "/region/$C_SLUG" "$COUNTY"
check_contains "county page: the title" "$T/county" "<title>$COUNTY_HTML, New York, US · COVID-19 data portal</title>"
check_contains "county page: the heading" "$T/county" "<h1>$COUNTY_HTML, New York, US</h1>"
check_contains "county page: the current breadcrumb" "$T/county" "<li aria-current=\"page\">$COUNTY_HTML</li>"
check_contains "county page: the table caption" "$T/county" "The newest reports for $COUNTY_HTML, newest first."
page new-york /region/us/new-york "$COUNTY"
check_contains "new york: the county in its table, linked" "$T/new-york" \
    "<a href=\"/region/$C_SLUG\">$COUNTY_HTML</a>"
page downloads /downloads "$COUNTRY"
check_contains "downloads: the country as an option" "$T/downloads" ">$COUNTRY_HTML</option>"
page downloads-pre "/downloads?province=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
check_contains "downloads: a hostile province parameter prefilled as a value" "$T/downloads-pre" \
    "value=\"$PROVINCE_HTML\""
stop_portal
