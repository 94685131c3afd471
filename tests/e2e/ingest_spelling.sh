#!/bin/bash
# A place a daily report spells differently from the lookup table is the
# lookup table's place: 03-22-2020 and 03-23-2020 name both "Dona Ana" (the
# table's spelling) and "Doña Ana" (New Mexico, US), 03-22-2020 both "Desoto"
# and "DeSoto" (Florida, US). One county each, one series: of its two rows on
# a date the more advanced is kept and the other recorded as a duplicate.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

www_copy "$T/www" 03-22-2020 03-23-2020
db=$T/covid.db
ingest --db "$db" --source "file://$T/www/$REPORTS" --from 2020-03-22 --to 2020-03-23
check_rc "the two dates load" 0

# folded FILE PROVINCE NAME: "rows max-confirmed" of the file's rows whose
# Admin2, accents and case dropped, is NAME (Python's csv and unicodedata).
folded() {
	/usr/bin/python3 - "$@" <<'PY'
import csv, sys, unicodedata
path, prov, name = sys.argv[1:4]
fold = lambda s: unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode().lower()
with open(path, newline='', encoding='utf-8-sig') as f:
    rows = [r for r in csv.DictReader(f)
            if r['Province_State'] == prov and fold(r['Admin2']) == name]
print(len(rows), max(int(r['Confirmed']) for r in rows))
PY
}
# uid PROVINCE ADMIN2: the lookup table's UID of the county.
uid() {
	/usr/bin/python3 - "$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv" "$@" <<'PY'
import csv, sys
path, prov, name = sys.argv[1:4]
with open(path, newline='', encoding='utf-8-sig') as f:
    print(*[r['UID'] for r in csv.DictReader(f)
            if r['Province_State'] == prov and r['Admin2'] == name])
PY
}

for place in "New Mexico|Dona Ana|dona ana" "Florida|DeSoto|desoto"; do
	IFS='|' read -r prov name key <<<"$place"
	check_eq "$name, $prov: one place for both spellings" \
		"$(q "$db" "SELECT count(*) FROM location WHERE province_state = '$prov'
		              AND lower(replace(admin2, 'ñ', 'n')) = '$key'")" 1
	check_eq "$name, $prov: the lookup table's (its UID)" \
		"$(q "$db" "SELECT uid FROM location WHERE province_state = '$prov'
		              AND admin2 = '$name'")" "$(uid "$prov" "$name")"
	for d in 03-22-2020 03-23-2020; do
		iso=${d:6:4}-${d:0:2}-${d:3:2}
		read -r n max <<<"$(folded "$DAILY/$d.csv" "$prov" "$key")"
		check_eq "$name, $prov, $iso: one row, the more advanced of the file's $n ($max)" \
			"$(q "$db" "SELECT count(*) || ' ' || max(confirmed) FROM v_daily
			              WHERE date = '$iso' AND province_state = '$prov'
			              AND admin2 = '$name'")" "1 $max"
		check_eq "$name, $prov, $iso: the other $((n - 1)) recorded as duplicates" \
			"$(q "$db" "SELECT count(*) FROM rejected_row r JOIN ingest_file f
			              ON f.id = r.ingest_file_id WHERE f.date = '$iso'
			              AND r.reason LIKE 'duplicate of %, $prov, US:%'
			              AND lower(replace(r.reason, 'ñ', 'n')) LIKE 'duplicate of $key,%'")" \
			$((n - 1))
	done
done
check_contains "the log names the other spelling" "$T/ingest.err" \
	'"Doña Ana" is the lookup table'"'"'s "Dona Ana"'
check_eq "integrity_check" "$(q "$db" 'PRAGMA integrity_check')" ok
