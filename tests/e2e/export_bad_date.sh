#!/bin/bash
# export_bad_date: a date in the database that is no day of the calendar
# (2020-02-31, put there by hand: the store refuses one) reaches the XLSX as
# the text it is, never as a date cell; Excel would roll it into March and
# show 2020-03-02, a day that has its own row.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../export_lib.sh"

DB=$T/sample.db
if ! export_setup "$DB"; then
	not_ok "sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
sqlite3 "$DB" "INSERT INTO region_daily (location_id, date, confirmed, deaths)
    SELECT location_id, '2020-02-31', confirmed, deaths FROM region_daily
    WHERE date = '2020-02-29' AND location_id = (SELECT id FROM location
    WHERE level = 'country' AND country_region = 'France')"
check_eq "the bad date is in the database" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM region_daily WHERE date = '2020-02-31'")" 1
export_start "$DB" || { not_ok "portal starts"; exit 1; }

q="level=country&country=France&from=2020-02-29&to=2020-03-02"
check_eq "the CSV answers" "$(get b.csv "/export.csv?$q")" 200
check_contains "the CSV carries the bad date as it is" "$T/b.csv.body" "2020-02-31,France"
check_eq "the XLSX answers" "$(get b.xlsx "/export.xlsx?$q")" 200
cp "$T/b.xlsx.body" "$T/b.xlsx"
/usr/bin/python3 - "$T/b.xlsx" >"$T/cells" 2>&1 <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Data"]
for row in ws.iter_rows(min_row=2, max_col=1, values_only=True):
    v = row[0]
    print(type(v).__name__, v.date().isoformat() if hasattr(v, "date") else v)
PY
check_contains "2020-02-31 is a text cell" "$T/cells" "str 2020-02-31"
check_contains "2020-02-29 is a date cell" "$T/cells" "datetime 2020-02-29"
check_eq "2020-03-02 appears once, its own row" "$(grep -c '2020-03-02' "$T/cells")" 1
stop_portal
