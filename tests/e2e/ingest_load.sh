#!/bin/bash
# covid-ingest against real nginx serving a copy of real JHU files: a date
# range loads; a second run changes nothing and costs one request per date;
# an edited file reloads only its date (and the next date's deltas follow);
# a new mtime with the same bytes is 'unchanged' by SHA-256, and its new
# validators are kept, so the next run gets a 304 for it. The daily reports
# alone (--no-series): the time series have their own test, ingest_series.sh.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

dates="01-22-2020 01-23-2020 01-24-2020 01-25-2020 01-26-2020"
www_copy "$T/www" $dates
start_static_server "$T/www"
src=http://127.0.0.1:$STATIC_PORT/$REPORTS
db=$T/covid.db
log=$T/static.access.log
range="--from 2020-01-22 --to 2020-01-26"

# --- first load ----------------------------------------------------------
ingest --db "$db" --no-series --source "$src" $range
check_rc "first load exits 0" 0
check_eq "integrity_check after the load" "$(q "$db" 'PRAGMA integrity_check')" ok
check_eq "the run is logged as ok with 5 dates loaded" \
	"$(q "$db" "SELECT status, dates_tried, dates_loaded, dates_failed FROM ingest_run")" \
	"ok|5|5|0"
check_eq "every date has a 'loaded' file record with HTTP 200 and an ETag" \
	"$(q "$db" "SELECT count(*) FROM ingest_file WHERE status = 'loaded'
	              AND http_status = 200 AND etag IS NOT NULL AND length(sha256) = 64")" 5
for d in $dates; do
	iso=${d:6:4}-${d:0:2}-${d:3:2}
	want=$(csv_rows "$DAILY/$d.csv")
	check_eq "$iso: rows loaded + rejected = the file's data rows ($want)" \
		"$(q "$db" "SELECT rows_loaded + rows_rejected FROM ingest_file WHERE date = '$iso'")" \
		"$want"
	check_eq "$iso: source_file holds the body's SHA-256" \
		"$(q "$db" "SELECT sha256 FROM source_file WHERE date = '$iso'")" \
		"$(sha256sum <"$DAILY/$d.csv" | cut -d' ' -f1)"
done
check_eq "Guangdong 2020-01-24 as in the file" \
	"$(q "$db" "SELECT confirmed FROM v_daily WHERE date = '2020-01-24'
	              AND province_state = 'Guangdong'")" \
	"$(csv_value "$DAILY/01-24-2020.csv" Guangdong Confirmed)"
check_contains "a summary line at the end" "$T/ingest.err" "<6>done: 5 dates tried: 5 loaded"

# --- second run: nothing changes ------------------------------------------
dv=$(q "$db" "SELECT value FROM meta WHERE key = 'data_version'")
before=$(q "$db" "SELECT * FROM daily_report ORDER BY location_id, date")
: >"$log"
ingest --db "$db" --no-series --source "$src" $range
check_rc "second run exits 0" 0
check_eq "data_version unchanged" \
	"$(q "$db" "SELECT value FROM meta WHERE key = 'data_version'")" "$dv"
check_eq "daily_report untouched (same rows, same ingest_file ids)" \
	"$(q "$db" "SELECT * FROM daily_report ORDER BY location_id, date")" "$before"
check_eq "all 5 dates 'unchanged' in the job log" \
	"$(q "$db" "SELECT group_concat(status) FROM ingest_file
	              WHERE run_id = (SELECT max(id) FROM ingest_run)")" \
	"unchanged,unchanged,unchanged,unchanged,unchanged"
check_eq "the run counts them as unchanged" \
	"$(q "$db" "SELECT status, dates_unchanged FROM ingest_run ORDER BY id DESC LIMIT 1")" \
	"ok|5"
check_eq "one request per date, nothing else" "$(requests "$log" | sort)" \
	"$(for d in $dates; do echo "GET /$REPORTS/$d.csv"; done)"
check_eq "every answer a 304" "$(awk '{print $9}' "$log" | sort -u)" 304

# --- a revision: one served file changes -----------------------------------
old24=$(csv_value "$DAILY/01-24-2020.csv" Guangdong Confirmed)
sed -i "s/^Guangdong,Mainland China,\(1\/24\/20 17:00\),$old24,/Guangdong,Mainland China,\1,5300,/" \
	"$T/www/$REPORTS/01-24-2020.csv"
touch -d '+1 minute' "$T/www/$REPORTS/01-24-2020.csv"
check_eq "the served copy now says 5300" \
	"$(csv_value "$T/www/$REPORTS/01-24-2020.csv" Guangdong Confirmed)" 5300
# Same bytes, new mtime: a 200, then the SHA-256 says unchanged.
touch -d '+1 minute' "$T/www/$REPORTS/01-26-2020.csv"
dv=$(q "$db" "SELECT value FROM meta WHERE key = 'data_version'")
before_other=$(q "$db" "SELECT * FROM daily_report WHERE date NOT IN ('2020-01-24', '2020-01-25')
                         ORDER BY location_id, date")
: >"$log"
ingest --db "$db" --no-series --source "$src" $range
check_rc "revision run exits 0" 0
check_eq "only 2020-01-24 loaded; the rest unchanged" \
	"$(q "$db" "SELECT group_concat(date || ':' || status, ' ') FROM ingest_file
	              WHERE run_id = (SELECT max(id) FROM ingest_run)")" \
	"2020-01-22:unchanged 2020-01-23:unchanged 2020-01-24:loaded 2020-01-25:unchanged 2020-01-26:unchanged"
check_eq "the touched-but-identical file was fetched in full (200)" \
	"$(grep -F "/01-26-2020.csv" "$log" | awk '{print $9}')" 200
check_eq "data_version went up" \
	"$(q "$db" "SELECT value > $dv FROM meta WHERE key = 'data_version'")" 1
check_eq "Guangdong 2020-01-24 is the new number" \
	"$(q "$db" "SELECT confirmed FROM v_daily WHERE date = '2020-01-24'
	              AND province_state = 'Guangdong'")" 5300
c23=$(csv_value "$DAILY/01-23-2020.csv" Guangdong Confirmed)
c25=$(csv_value "$DAILY/01-25-2020.csv" Guangdong Confirmed)
check_eq "its new_confirmed follows (5300 - $c23)" \
	"$(q "$db" "SELECT new_confirmed FROM v_daily WHERE date = '2020-01-24'
	              AND province_state = 'Guangdong'")" $((5300 - c23))
check_eq "the next date's new_confirmed is recomputed ($c25 - 5300, negative)" \
	"$(q "$db" "SELECT new_confirmed FROM v_daily WHERE date = '2020-01-25'
	              AND province_state = 'Guangdong'")" $((c25 - 5300))
check_eq "rows of the other dates untouched" \
	"$(q "$db" "SELECT * FROM daily_report WHERE date NOT IN ('2020-01-24', '2020-01-25')
	              ORDER BY location_id, date")" "$before_other"
check_eq "integrity_check after the revision" "$(q "$db" 'PRAGMA integrity_check')" ok
check_eq "the touched file's new ETag is kept for the next request" \
	"$(q "$db" "SELECT etag FROM source_file WHERE date = '2020-01-26'")" \
	"$(q "$db" "SELECT etag FROM ingest_file WHERE date = '2020-01-26'
	              AND run_id = (SELECT max(id) FROM ingest_run)")"

# --- the run after: everything, the touched file too, is a 304 -------------
: >"$log"
ingest --db "$db" --no-series --source "$src" $range
check_rc "the run after the revision exits 0" 0
check_eq "one request per date again" "$(requests "$log" | wc -l)" 5
check_eq "every answer a 304, the touched file's too" \
	"$(awk '{print $9}' "$log" | sort -u)" 304

# --- no dates: nothing after 2020-01-26 in the source ---------------------
: >"$log"
ingest --db "$db" --no-series --source "$src"
check_rc "no-dates run with nothing new exits 0" 0
check_contains "it says nothing new" "$T/ingest.err" "nothing new"
check_eq "it asked for the next date only" "$(requests "$log")" \
	"GET /$REPORTS/01-27-2020.csv"
