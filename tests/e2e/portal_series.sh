# portal_series: the dashboard and the region pages read JHU's time series
# where the database has them (issue 11), through real nginx and
# spawn-fcgi, on the bundled sample as covid-ingest loads it (46 scattered
# daily reports, then the five time series: global to 2023-03-09, US to
# 2020-07-27). Issue 11's item 5: the dashboard shows the world chart from
# 2020-01-22 to 2023-03-09 with a 7-day average and last-day new figures
# measured against 2023-03-08, and country pages the same (Germany; Canada,
# a sum of provinces). Expected figures come from the CSV files (Python's
# csv module, here and in portal_expect.py), never from the pages.
source "$(dirname "$0")/../lib.sh"
DAILY=$SAMPLE/csse_covid_19_daily_reports
TS=$SAMPLE/csse_covid_19_time_series
LOOKUP=$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv
EXPECT="/usr/bin/python3 $ROOT/tests/e2e/portal_expect.py"
DB=$T/covid.db

if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi

# The reader prints shell assignments: how many rows of the global files
# name no place of the database, and the last-day new figures (the
# 3/9/23 column minus the 3/8/23 one, summed over the rows) of the world,
# Germany, Canada and Korea, formatted as the pages format them.
/usr/bin/python3 - "$DB" "$TS" >"$T/expect.sh" <<'PY' || exit 1
import collections, csv, sqlite3, sys

db, ts = sys.argv[1:3]
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
places = {(c, p) for c, p in con.execute(
    "SELECT country_region, province_state FROM location WHERE level <> 'county'")}
unknown = 0
new = collections.Counter()
for metric in ("confirmed", "deaths"):
    with open(f"{ts}/time_series_covid19_{metric}_global.csv", newline="",
              encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            place = (row["Country/Region"], row["Province/State"])
            if metric == "confirmed" and place not in places:
                unknown += 1
            day = int(row["3/9/23"]) - int(row["3/8/23"])
            new[("World", metric)] += day
            new[(place[0], metric)] += day

def delta(v):
    return ("+" if v > 0 else "\u2212" if v < 0 else "") + f"{abs(v):,}"

print(f"X_UNKNOWN={unknown}")
for name, key in (("World", "WORLD"), ("Germany", "DEU"), ("Canada", "CAN"),
                  ("Korea, South", "KOR")):
    print(f"X_{key}_NEW='{delta(new[(name, 'confirmed')])}'")
    print(f"X_{key}_NEW_DEATHS='{delta(new[(name, 'deaths')])}'")
PY
. "$T/expect.sh"
check_eq "every row of the sample's time series names a known place" "$X_UNKNOWN" 0

start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
ok "the portal starts"
get() { curl -s -o "$T/$1" -w '%{http_code}' "$PORTAL_URL$2"; }
expect() { eval "$($EXPECT place --series "$TS" "$DAILY" "$LOOKUP" "$@")"; }
charts() { $EXPECT charts "$T/$1"; }

# history_checks PAGE NEW NEW_DEATHS: a page whose history is the global
# series to 2023-03-09 (the X_* of its place set): last-day new figures
# (NEW, NEW_DEATHS, from the CSV columns) measured against 2023-03-08, the
# 7-day averages as numbers, and every chart from 2020-01-22 to 2023-03-09
# at the ends of its axis, its line over every day in one stroke (a
# cumulative chart: every day; an average's line: every day with a day 7
# days before it).
history_checks() {
	local page=$1 new=$2 new_deaths=$3 title first last points edges bad=
	check_eq "$page: the history is the time series, the newest day after 2023-03-08" \
	    "$X_SOURCE $X_PREV $X_DATE" "series 2023-03-08 2023-03-09"
	check_contains "$page: new cases against 2023-03-08" "$T/$page" \
	    "<dt>New cases, last day</dt><dd>$new</dd>"
	check_contains "$page: new deaths against 2023-03-08" "$T/$page" \
	    "<dt>New deaths, last day</dt><dd>$new_deaths</dd>"
	check_eq "$page: the expected new cases agree (CSV columns, CSV history)" "$new" "$X_NEW"
	check_contains "$page: the 7-day average of new cases" "$T/$page" \
	    "<dt>New cases, 7-day average</dt><dd>$X_AVG a day</dd>"
	check_contains "$page: the 7-day average of new deaths" "$T/$page" \
	    "<dt>New deaths, 7-day average</dt><dd>$X_AVG_DEATHS a day</dd>"
	check_not_contains "$page: no average 'not available'" "$T/$page" "not available"
	check_contains "$page: says its history is the time series" "$T/$page" \
	    "<p class=\"note source\">Daily history from JHU&#39;s time series.</p>"
	charts "$page" >"$T/$page.charts"
	check "$page: has charts" [ -s "$T/$page.charts" ]
	while IFS='|' read -r title first last points edges; do
		check_eq "$page, $title: from the first day to the last, at the axis' ends" \
		    "$first $last $edges" "2020-01-22 2023-03-09 edges"
		case "$title" in
		*cumulative*) check_eq "$page, $title: a line over each day" "$points" "$X_NDAYS" ;;
		*[Nn]ew*) check_eq "$page, $title: the 7-day average each day it has one" \
		    "$points" "$X_NAVG" ;;
		*) bad="$bad $title" ;;
		esac
	done <"$T/$page.charts"
	check_eq "$page: no chart of an unknown kind" "$bad" ""
}

# --- / ---------------------------------------------------------------
check_eq "/ answers 200" "$(get dash /)" 200
expect '*'
history_checks dash "$X_WORLD_NEW" "$X_WORLD_NEW_DEATHS"
check_eq "/: one chart, the world's new cases" "$(charts dash | cut -d'|' -f1)" \
    "Daily new cases, world"
check_contains "/: the chart runs over every day of the series" "$T/dash" \
    "each day, 22 January 2020 to 9 March 2023"
check_contains "/: the chart's text alternative names the product" "$T/dash" \
    "Daily history from JHU&#39;s time series.</desc>"
check_eq "/: the world's series runs 2020-01-22 to 2023-03-09, a row a day" "$X_NDAYS" \
    "$(sqlite3 "$DB" "SELECT (julianday(max(date)) - julianday(min(date)) + 1) || ' ' ||
        count(DISTINCT date) FROM v_country_series" | awk '{ print ($1 == $2) ? $2 : "gaps" }')"

# --- two countries: one row in the files, and a sum of provinces ------
check_eq "/region/germany answers 200" "$(get deu /region/germany)" 200
expect Germany
history_checks deu "$X_DEU_NEW" "$X_DEU_NEW_DEATHS"
check_contains "germany: its figures are the series' newest day" "$T/deu" \
    "the newest day of JHU's time series for this place."
check_eq "/region/canada answers 200" "$(get can /region/canada)" 200
expect Canada
history_checks can "$X_CAN_NEW" "$X_CAN_NEW_DEATHS"
check "canada: the files list it by province only (a sum)" /usr/bin/python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))
        if r["Country/Region"] == "Canada"]
sys.exit(not (len(rows) > 10 and all(r["Province/State"] for r in rows)))' \
    "$TS/time_series_covid19_confirmed_global.csv"

check_eq "/region/korea-south answers 200" "$(get kor /region/korea-south)" 200
check_contains "korea: new cases against the day before" "$T/kor" \
    "<dt>New cases, last day</dt><dd>$X_KOR_NEW</dd>"

# --- a county: the US series to 2020-07-27, then the daily reports -----
check_eq "/region/us/new-york/kings answers 200" \
    "$(get kings /region/us/new-york/kings)" 200
expect US "New York" Kings
check_eq "kings: its history is the US series, then the reports" "$X_SOURCE" series+daily
check_contains "kings: says where its history comes from" "$T/kings" \
    "<p class=\"note source\">Daily history from JHU&#39;s time series to 27 July 2020, then from the daily reports.</p>"
check_contains "kings: its figures are its newest report" "$T/kings" \
    "the newest report for this place."
# A cumulative line joins the series' days and the reports after it in one
# stroke over the whole axis (1,143 days; the chart draws only the points a
# reader can see, so its days are read from its ends); an average's line
# has a value only where a day 7 days before it is known.
while IFS='|' read -r title first last points edges; do
	case "$title" in
	*cumulative*) want=1143 ;;
	*) want=$X_NAVG ;;
	esac
	check_eq "kings, $title: one line from the series' first day to the newest report" \
	    "$first $last $points $edges" "2020-01-22 2023-03-09 $want edges"
done < <(charts kings)

# --- the US: states and territories only -------------------------------
# Its children are the places the daily reports list under the US, after
# the early city-style names ("Boston, MA", "Chicago", "Cook County, IL")
# went to their county and state (migration 0006): each must be a
# Province_State of JHU's lookup table for the US, but for one JHU row
# that names no place.
check_eq "/region/us answers 200" "$(get us /region/us)" 200
$EXPECT table "$T/us" places | cut -d'|' -f1 >"$T/us.children"
check "us: lists its states" grep -qx "New York" "$T/us.children"
check_eq "us: no city-style child (\"Boston, MA\", \"... County\")" \
    "$(grep -E ', [A-Z][A-Z]$|County|^Chicago$' "$T/us.children" | tr '\n' ';')" ""
STRAY=$(/usr/bin/python3 - "$LOOKUP" "$T/us.children" <<'PY'
import csv, sys
# JHU's own row in the 2020-03-22 report for the people flown out of
# Wuhan, not a state or territory; kept as the report gives it.
JHU_ROWS = {"Wuhan Evacuee"}
states = {r["Province_State"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))
          if r["Country_Region"] == "US" and r["Province_State"]}
for name in open(sys.argv[2], encoding="utf-8").read().splitlines():
    if name not in states and name not in JHU_ROWS:
        print(name)
PY
)
check_eq "us: every child is a state or territory of JHU's lookup table" \
    "$(echo $STRAY)" ""

stop_portal
