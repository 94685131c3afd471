# portal_series: the dashboard and a country page read JHU's time series
# where the database has one (issue 11), through real nginx and spawn-fcgi.
# The bundled sample's daily reports (46 scattered dates) are loaded by
# covid-ingest; its global time series are written into series and
# series_region by the reader below (until the ingest loads them itself),
# which also works out the expected figures from the CSV files.
source "$(dirname "$0")/../lib.sh"
DAILY=$SAMPLE/csse_covid_19_daily_reports
TS=$SAMPLE/csse_covid_19_time_series
DB=$T/covid.db

if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi

# The reader fills the series tables and prints shell assignments: the
# world's last-day new cases, its 7-day average, Korea's last-day new cases
# (formatted as the pages format them), and how many file rows had no place.
/usr/bin/python3 - "$DB" "$TS" >"$T/expect.sh" <<'PY' || exit 1
import collections, csv, datetime, sqlite3, sys

db, ts = sys.argv[1:3]
con = sqlite3.connect(db)
places = {(c, p): i for i, c, p in con.execute(
    "SELECT id, country_region, province_state FROM location "
    "WHERE level <> 'county'")}
rows, region, world = {}, collections.defaultdict(dict), collections.Counter()
unknown = 0
for k, metric in enumerate(("confirmed", "deaths")):
    with open(f"{ts}/time_series_covid19_{metric}_global.csv", newline="",
              encoding="utf-8-sig") as f:
        r = csv.reader(f)
        dates = [datetime.datetime.strptime(d, "%m/%d/%y").date().isoformat()
                 for d in next(r)[4:]]
        for row in r:
            prov, country = row[0], row[1]
            lid = places.get((country, prov))
            if lid is None:
                unknown += 1
                continue
            cid = places[(country, "")]
            for d, v in zip(dates, row[4:]):
                v = int(float(v)) if v != "" else None
                rows.setdefault((lid, d), [None, None])[k] = v
                if v is not None:
                    t = region[(cid, d)].setdefault(k, 0)
                    region[(cid, d)][k] = t + v
                    if prov:
                        region[(lid, d)][k] = v
                    if k == 0:
                        world[d] += v
con.executemany("INSERT INTO series (location_id, date, product, confirmed, "
                "deaths) VALUES (?, ?, 1, ?, ?)",
                [(l, d, c, x) for (l, d), (c, x) in rows.items()])
con.executemany("INSERT INTO series_region (location_id, date, confirmed, "
                "deaths) VALUES (?, ?, ?, ?)",
                [(l, d, v.get(0), v.get(1)) for (l, d), v in region.items()])
con.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
con.commit()

def delta(v):
    return ("+" if v > 0 else "\u2212" if v < 0 else "") + f"{abs(v):,}"

def average(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}"

kor = {d: c for (l, d), (c, x) in rows.items()
       if l == places[("Korea, South", "")]}
print(f"X_UNKNOWN={unknown}")
print(f"X_WORLD_NEW='{delta(world['2023-03-09'] - world['2023-03-08'])}'")
print(f"X_WORLD_AVG='{average((world['2023-03-09'] - world['2023-03-02']) / 7)}'")
print(f"X_KOR_NEW='{delta(kor['2023-03-09'] - kor['2023-03-08'])}'")
PY
. "$T/expect.sh"
check_eq "every row of the sample's time series names a known place" "$X_UNKNOWN" 0

start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
ok "the portal starts"
get() { curl -s -o "$T/$1" -w '%{http_code}' "$PORTAL_URL$2"; }

# --- / ---------------------------------------------------------------
check_eq "/ answers 200" "$(get dash /)" 200
check_contains "/: says its history is the time series" "$T/dash" \
    "<p class=\"note source\">Daily history from JHU&#39;s time series.</p>"
check_contains "/: new cases measured against the day before" "$T/dash" \
    "<dt>New cases, last day</dt><dd>$X_WORLD_NEW</dd>"
check_contains "/: the 7-day average from the series" "$T/dash" \
    "<dt>New cases, 7-day average</dt><dd>$X_WORLD_AVG a day</dd>"
check_not_contains "/: no 'not available' average" "$T/dash" "not available"
check_contains "/: the chart runs over every day of the series" "$T/dash" \
    "each day, 22 January 2020 to 9 March 2023"
check_contains "/: the chart's text alternative names the product" "$T/dash" \
    "Daily history from JHU&#39;s time series."

# --- a country --------------------------------------------------------
check_eq "/region/korea-south answers 200" "$(get kor /region/korea-south)" 200
check_contains "korea: its figures are the series' newest day" "$T/kor" \
    "the newest day of JHU's time series for this place."
check_contains "korea: new cases against the day before" "$T/kor" \
    "<dt>New cases, last day</dt><dd>$X_KOR_NEW</dd>"
check_contains "korea: says its history is the time series" "$T/kor" \
    "<p class=\"note source\">Daily history from JHU&#39;s time series.</p>"

# --- a county: the global files have none ------------------------------
check_eq "/region/us/new-york/kings answers 200" \
    "$(get kings /region/us/new-york/kings)" 200
check_contains "kings: says its history is the daily reports" "$T/kings" \
    "<p class=\"note source\">Daily history from JHU&#39;s daily reports.</p>"
check_contains "kings: its figures are its newest report" "$T/kings" \
    "the newest report for this place."
