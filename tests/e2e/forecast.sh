# forecast: covid-forecast on the bundled sample, then /forecasts, a region
# page's fan and the forecast files through real nginx and spawn-fcgi. The
# scores and the skill are worked out again by tests/e2e/forecast_check.py
# from the stored quantiles, never taken from the program's aggregates.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/api_lib.sh"
FORECAST=${FORECAST:-$OUT/bin/covid-forecast}
CHECK="/usr/bin/python3 $ROOT/tests/e2e/forecast_check.py"
DB=$T/covid.db
sql() { sqlite3 "$DB" "$1"; }
get() { curl -s -o "$T/$1" -w '%{http_code}' "$PORTAL_URL$2"; }

if ! "$INGEST" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2020-01-22 --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
V0=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
"$FORECAST" --db "$DB" >"$T/skill.txt" 2>"$T/forecast.log"
check_eq "covid-forecast succeeds on the sample" "$?" 0
check_eq "its job log says ok" \
    "$(sql "SELECT status FROM forecast_run ORDER BY id DESC LIMIT 1")" ok
check "it moved the data version (pages follow)" \
    [ "$(sql "SELECT value FROM meta WHERE key = 'data_version'")" -gt "$V0" ]
check_contains "it prints the skill table" "$T/skill.txt" "country   inc death  1"
V1=$(sql "SELECT value FROM meta WHERE key = 'data_version'")
"$FORECAST" --db "$DB" >/dev/null 2>"$T/again.log"
check_contains "a second run with no new data writes nothing" "$T/again.log" \
    "nothing new since the last run"
check_eq "and leaves the data version" \
    "$(sql "SELECT value FROM meta WHERE key = 'data_version'")" "$V1"
check_eq "and its job log has one run" "$(sql "SELECT count(*) FROM forecast_run")" 1
"$FORECAST" --db "$DB" --bogus >/dev/null 2>&1
check_eq "a bad option is usage (2)" "$?" 2
"$FORECAST" --db "$DB" --revised >/dev/null 2>&1
check_eq "--revised without --dry-run is usage (2): it would store them" "$?" 2
# Every place of the sample is forecast from the time series already, so
# scoring on the time series alone (--revised) gives the same table.
"$FORECAST" --db "$DB" --dry-run --no-counties >"$T/dry.txt" 2>/dev/null
"$FORECAST" --db "$DB" --dry-run --revised --no-counties >"$T/revised.txt" \
    2>/dev/null
check_contains "--dry-run --revised prints the skill table" "$T/revised.txt" \
    "country   inc death  1"
check "the same table as from the daily reports and the series" \
    cmp -s "$T/dry.txt" "$T/revised.txt"
check_eq "dry runs write no job log" "$(sql "SELECT count(*) FROM forecast_run")" 1

# The sample's daily reports are sparse: its countries are forecast from
# JHU's time series, and say so.
check "countries are forecast" [ "$(sql "SELECT count(DISTINCT country_region)
    FROM v_forecast WHERE province_state = ''")" -gt 100 ]
check_eq "from the revised series, marked so" \
    "$(sql "SELECT DISTINCT history FROM v_forecast_score s
    WHERE province_state = '' AND country_region = 'Germany'")" revised
check_eq "no forecast from the scattered daily reports" \
    "$(sql "SELECT count(*) FROM forecast WHERE history = 1")" 0
check_eq "23 quantiles a forecast, as the Hub's" \
    "$(sql "SELECT count(*) FROM v_forecast WHERE model = 'baseline'
    AND country_region = 'Germany' AND province_state = ''
    AND origin_date = '2021-01-02' AND target = 'inc death'
    AND horizon_weeks = 1")" 23
check_eq "the baseline's median is the last week's total" \
    "$(sql "SELECT count(*) FROM forecast WHERE model_id = 1
    AND q12 <> max(0, round(last_week))")" 0

# Every WIS and coverage stored is what the formula gives.
read -r n bad <<<"$($CHECK wis "$DB")"
check "400 stored scores recomputed ($n)" [ "$n" -eq 400 ]
check_eq "every recomputed WIS and coverage agrees" "$bad" 0

start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
start_api "$DB" || { not_ok "the api starts"; exit 1; }
ok "the portal and the api start"

check_eq "/forecasts answers 200" "$(get fc /forecasts)" 200
$CHECK cells "$T/fc" >"$T/cells"
for t in "inc case:cases" "inc death:deaths"; do
	read -r rel beats <<<"$($CHECK skill "$DB" "${t%%:*}" 1)"
	check_contains "/forecasts: countries, ${t#*:}, 1 week: relative WIS $rel, beats in $beats" \
	    "$T/cells" "Countries|${t#*:}|1 week|"
	grep "^Countries|${t#*:}|1 week|" "$T/cells" >"$T/row"
	check_contains "/forecasts: its relative WIS is the recomputed one" "$T/row" "|$rel|"
	check_contains "/forecasts: its share of countries beaten too" "$T/row" "|$beats|"
done
check_contains "/forecasts: the chart of skill over time" "$T/fc" \
    'Relative WIS by quarter of the forecast date'
check_contains "/forecasts: a section the region pages link to" "$T/fc" 'id="skill"'

SLUG=$(sql "SELECT slug FROM location WHERE country_region = 'Germany' AND level = 'country'")
check_eq "/region/$SLUG answers 200" "$(get de "/region/$SLUG")" 200
check_contains "the region page draws the forecast fan" "$T/de" 'class="chart fan"'
check_contains "its median dashed" "$T/de" 'class="median" fill="none" stroke="#08519c" stroke-width="2" stroke-dasharray="6 4"'
check_contains "its 50 % band" "$T/de" 'class="band50"'
check_contains "its 95 % band" "$T/de" 'class="band95"'
check_contains "and a link: how good is this" "$T/de" '<a href="/forecasts#skill">How good is this?</a>'
check_contains "it says the forecast used the revised series" "$T/de" \
    'its forecast uses JHU'"'"'s time series'
ORIGIN=$(sql "SELECT max(origin_date) FROM v_forecast WHERE country_region = 'Germany' AND province_state = ''")
check_contains "the fan is the newest forecast ($ORIGIN)" "$T/de" \
    "forecast from $ORIGIN</title>"

# The files: the Hub's long layout, one row per quantile.
check_eq "/forecasts/forecasts.csv answers 200" "$(get f.csv /forecasts/forecasts.csv)" 200
check_eq "its header is the Hub's columns" "$(head -1 "$T/f.csv" | tr -d '\r')" \
    "model,forecast_date,target,target_end_date,location,country_region,province_state,admin2,type,quantile,value"
NEWEST=$(sql "SELECT max(f.origin_date) FROM forecast f JOIN location l ON l.id = f.location_id WHERE l.level = 'country'")
check_eq "a row per quantile of the newest origin's country forecasts" \
    "$(($(wc -l <"$T/f.csv") - 1))" \
    "$(sql "SELECT count(*) FROM v_forecast v JOIN location l USING (country_region, province_state,
    admin2) WHERE l.level = 'country' AND v.origin_date = '$NEWEST'")"
ROW=$(sql "SELECT model || ',' || origin_date || ',' || horizon_weeks || ' wk ahead ' || target || ',' || target_end_date || ',' || uid || ',' || country_region || ',,,quantile,' || printf('%.3f', quantile) || ',' || printf('%.0f', value) FROM v_forecast WHERE country_region = 'Germany' AND province_state = '' AND origin_date = '$NEWEST' AND model = 'ensemble' AND target = 'inc case' AND horizon_weeks = 2 AND quantile = 0.975")
check_contains "Germany's 2-week 0.975 quantile is the database's" "$T/f.csv" "$ROW"
check_eq "/forecasts/scores.csv?date=2021-01-02 answers 200" \
    "$(get s.csv '/forecasts/scores.csv?date=2021-01-02')" 200
check_eq "a row per scored forecast of that origin" \
    "$(($(wc -l <"$T/s.csv") - 1))" \
    "$(sql "SELECT count(*) FROM v_forecast_score v JOIN location l USING (country_region,
    province_state, admin2) WHERE l.level = 'country' AND v.origin_date = '2021-01-02'")"
check_eq "a bad level is a 400" "$(get bad '/forecasts/forecasts.csv?level=planet')" 400
check_eq "an unknown file is a 404" "$(get nf '/forecasts/other.csv')" 404

# The JSON API serves them too.
check_eq "/api/v1/forecasts/skill answers 200" "$(get skill.json /api/v1/forecasts/skill)" 200
read -r rel beats <<<"$($CHECK skill "$DB" "inc death" 1)"
check_eq "its countries' 1-week deaths row is the recomputed one" \
    "$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["skill"] if x["model"] == "ensemble" and x["scope"] == "country"
     and x["target"] == "inc death" and x["horizon_weeks"] == 1][0]
print("%.3f %.1f %%" % (r["relative_wis"], 100 * r["beats_baseline"]))' "$T/skill.json")" "$rel $beats"
check_eq "/api/v1/places/$SLUG/forecast answers 200" \
    "$(get de.json "/api/v1/places/$SLUG/forecast")" 200
check_eq "its forecasts: 2 models x 2 targets x 4 horizons, 23 quantiles each, from $ORIGIN" \
    "$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["forecasts"]
print(len(f), sorted(set(len(x["quantiles"]) for x in f)), sorted(set(x["origin_date"] for x in f)))' "$T/de.json")" \
    "16 [23] ['$ORIGIN']"
check_eq "its ensemble's 4-week 0.975 death quantile is the database's" \
    "$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
x = [x for x in d["forecasts"] if x["model"] == "ensemble" and x["target"] == "inc death" and x["horizon_weeks"] == 4][0]
print("%.0f" % [q["value"] for q in x["quantiles"] if q["quantile"] == 0.975][0])' "$T/de.json")" \
    "$(sql "SELECT printf('%.0f', value) FROM v_forecast WHERE model = 'ensemble' AND country_region = 'Germany' AND province_state = '' AND origin_date = '$ORIGIN' AND target = 'inc death' AND horizon_weeks = 4 AND quantile = 0.975")"
check_eq "an unknown place's forecast is a 404" "$(get no.json /api/v1/places/atlantis/forecast)" 404

# /status shows the forecast program's job log beside the ingest's.
check_eq "/status answers 200" "$(get status.html /status)" 200
check_contains "/status: the forecast runs' table" "$T/status.html" 'id="fc-runs"'
/usr/bin/python3 - "$T/status.html" >"$T/fc-runs" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.on = False; s.rows = []; s.cell = None
    def handle_starttag(s, t, a):
        if t == "table" and dict(a).get("id") == "fc-runs": s.on = True
        elif s.on and t == "tr": s.rows.append([])
        elif s.on and t in ("td", "th"): s.cell = ""
    def handle_endtag(s, t):
        if t == "table": s.on = False
        elif s.on and t in ("td", "th") and s.cell is not None:
            s.rows[-1].append(s.cell.strip()); s.cell = None
    def handle_data(s, d):
        if s.cell is not None: s.cell += d
p = P(); p.feed(open(sys.argv[1]).read())
for r in p.rows[1:]: print("|".join(r))
PY
check_eq "/status lists every forecast run" "$(wc -l <"$T/fc-runs")" \
    "$(sql "SELECT count(*) FROM forecast_run")"
check_contains "/status: the newest forecast run is listed" "$T/fc-runs" \
    "$(sql "SELECT id || '|' FROM forecast_run ORDER BY id DESC LIMIT 1")"
check_eq "/status: its rows written are the job log's" \
    "$(head -1 "$T/fc-runs" | cut -d'|' -f6 | tr -d ',')" \
    "$(sql "SELECT rows_written FROM forecast_run ORDER BY id DESC LIMIT 1")"
