#!/bin/bash
# export_sheets: the XLSX data continues on "Data (2)", "Data (3)", ... past
# the rows a sheet holds, each with the header again. Excel's limit is
# 1,048,576 rows; the export program takes a smaller one from
# COVID_EXPORT_SHEET_ROWS so the split is tested at a small scale here (the
# real size is in bench/export.sh: too slow under the sanitizers).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../export_lib.sh"

DB=$T/sample.db
if ! export_setup "$DB"; then
	not_ok "sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
ROWS=50         # per sheet, the header included: 49 data rows
export COVID_EXPORT_SHEET_ROWS=$ROWS
export_start "$DB" || { not_ok "portal starts"; exit 1; }

for q in "level=county&province=New+York&from=2020-12-31&to=2021-01-01" \
    "level=county&province=Delaware&shape=long" \
    "level=country&country=France&country=Italy"; do
	get s.csv "/export.csv?$q" >/dev/null
	get s.xlsx "/export.xlsx?$q" >/dev/null
	cp "$T/s.xlsx.body" "$T/s.xlsx"
	n=$(($(wc -l < "$T/s.csv.body") - 1))
	want=$(( (n + ROWS - 2) / (ROWS - 1) ))
	if xcheck xlsx "$T/s.xlsx" "$T/s.csv.body" $ROWS >"$T/s.out" 2>&1; then
		ok "$q: $n rows on $want sheets of at most $ROWS, header on each, equal to the CSV"
	else
		not_ok "$q: $n rows split across sheets"; sed 's/^/#   /' "$T/s.out"
	fi
	check "$q: more than one sheet was needed" test "$want" -gt 1
	check_contains "$q: the program counted as many sheets" "$PORTAL_DIR/export.log" "rows=$n sheets=$want "
done
stop_portal
