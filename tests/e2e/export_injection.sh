#!/bin/bash
# export_injection: formula injection (OWASP "CSV injection"). A real daily
# report with hostile names (starting with = + - @, one a HYPERLINK with
# quotes and commas), loaded by covid-ingest, exported: in CSV those text
# fields carry a leading ' (numbers never do), in XLSX they are string
# cells, and neither openpyxl nor LibreOffice sees a formula.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../export_lib.sh"

src=$T/hostile/csse_covid_19_daily_reports
mkdir -p "$src"
cp "$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv" "$T/hostile/"
HYPER='=HYPERLINK("http://example.com/x","click")'
"$PY" - "$SAMPLE/csse_covid_19_daily_reports/01-01-2021.csv" "$src/01-01-2021.csv" "$HYPER" <<'PY'
import csv, sys
src, dst, hyper = sys.argv[1:]
names = {"Autauga": "=SUM(1+1)", "Baldwin": "+1-2", "Barbour": "-3+4",
         "Bibb": "@cmd|' /C calc'!A0"}
rows = list(csv.DictReader(open(src, newline="", encoding="utf-8-sig")))
done = set()
for r in rows:
    if r["Province_State"] == "Alabama" and r["Admin2"] in names:
        new = names[r["Admin2"]]
        done.add(r["Admin2"])
        r["Admin2"] = new
        r["Combined_Key"] = new + ", Alabama, US"
    if r["Country_Region"] == "Afghanistan":
        r["Country_Region"] = hyper
        r["Combined_Key"] = hyper
        done.add("Afghanistan")
assert len(done) == 5, done
with open(dst, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
PY
DB=$T/hostile.db
if ! "$INGEST" --db "$DB" --source "file://$src" --from 2021-01-01 --to 2021-01-01 \
    >"$T/ingest.log" 2>&1; then
	not_ok "the hostile file loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
export_start "$DB" || { not_ok "portal starts"; exit 1; }

check_eq "county csv: 200" "$(get county.csv "/export.csv?level=county&province=Alabama")" 200
check "county csv: hostile names guarded, numbers not" xcheck guarded "$T/county.csv.body" 8
check_contains "county csv: '=SUM(1+1)" "$T/county.csv.body" ",'=SUM(1+1),"
check_contains "county csv: '+1-2" "$T/county.csv.body" ",'+1-2,"
check_contains "county csv: '-3+4" "$T/county.csv.body" ",'-3+4,"
check_contains "county csv: '@cmd..., guarded inside its quotes" "$T/county.csv.body" \
    "\"'@cmd|' /C calc'!A0, Alabama, US\""
check_contains "county csv: a negative longitude stays a number" "$T/county.csv.body" ",-86."
check_eq "country csv: 200" "$(get country.csv "/export.csv?level=country")" 200
check "country csv: guarded" xcheck guarded "$T/country.csv.body" 2
check_contains "country csv: the HYPERLINK is quoted text" "$T/country.csv.body" \
    "\"'=HYPERLINK(\"\"http://example.com/x\"\",\"\"click\"\")\""

for lv in county country; do
	q="level=$lv"; [ $lv = county ] && q="$q&province=Alabama"
	check_eq "$lv xlsx: 200" "$(get $lv.xlsx "/export.xlsx?$q")" 200
	cp "$T/$lv.xlsx.body" "$T/$lv.xlsx"
	check "$lv xlsx: equals the CSV (text as strings, no formulas)" \
	    xcheck xlsx "$T/$lv.xlsx" "$T/$lv.csv.body"
done
check "county xlsx: the hostile names are string cells, no <f> anywhere" \
    xcheck xlsx-strings "$T/county.xlsx" "=SUM(1+1)" "+1-2" "-3+4" "@cmd|' /C calc'!A0" \
    "=SUM(1+1), Alabama, US"
check "country xlsx: the HYPERLINK is a string cell" \
    xcheck xlsx-strings "$T/country.xlsx" "$HYPER"

# LibreOffice computes formulas when it converts: a string stays the string.
mkdir -p "$T/lo"
(cd "$T" && timeout 300 soffice -env:UserInstallation=file://$T/lo-profile --headless \
    --convert-to csv --outdir "$T/lo" "$T/county.xlsx" "$T/country.xlsx" >"$T/lo.log" 2>&1)
for lv in county country; do
	check "$lv xlsx (LibreOffice): the names as text, equal to the CSV" \
	    xcheck lo "$T/lo/$lv.csv" "$T/$lv.csv.body"
done
check_contains "LibreOffice did not evaluate =SUM(1+1)" "$T/lo/county.csv" ",=SUM(1+1),"

stop_portal
