#!/bin/bash
# Which dates covid-ingest tries: with no dates, everything after the newest
# loaded up to the first gap in the source (from 2020-01-22 on an empty
# database); with --from/--to every date, where a missing one fails unless
# --skip-missing. Over HTTP (nginx) and file://.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

# The sample is sparse: 01-22..01-26, then 01-31, 02-01, 02-02, ...
www_copy "$T/www" 01-22-2020 01-23-2020 01-24-2020 01-25-2020 01-26-2020 \
	01-31-2020 02-01-2020
start_static_server "$T/www"
src=http://127.0.0.1:$STATIC_PORT/$REPORTS
log=$T/static.access.log

# --- no dates, empty database: stops at the first gap ----------------------
db=$T/new.db
ingest --db "$db" --no-series --source "$src"
check_rc "no-dates run on an empty db exits 0" 0
check_eq "it loaded 2020-01-22 .. 2020-01-26 and nothing else" \
	"$(q "$db" "SELECT group_concat(date, ' ') FROM (SELECT DISTINCT date FROM daily_report ORDER BY date)")" \
	"2020-01-22 2020-01-23 2020-01-24 2020-01-25 2020-01-26"
check_eq "the gap is no failure: no failed file" \
	"$(q "$db" "SELECT count(*) FROM ingest_file WHERE status = 'failed'")" 0
check_contains "it says where it stopped" "$T/ingest.err" "2020-01-27: not in the source yet"
check_eq "the run is ok with 5 loaded" \
	"$(q "$db" "SELECT status, dates_tried, dates_loaded FROM ingest_run")" "ok|5|5"
: >"$log"
ingest --db "$db" --no-series --source "$src"
check_rc "again: exits 0" 0
check_contains "again: says nothing new" "$T/ingest.err" "nothing new"
check_eq "again: one request, for 01-27" "$(requests "$log")" "GET /$REPORTS/01-27-2020.csv"

# --- a source without the first report, empty db: a wrong --source --------
ingest --db "$T/wrong.db" --source "http://127.0.0.1:$STATIC_PORT/nothing-here" \
	--lookup "http://127.0.0.1:$STATIC_PORT/UID_ISO_FIPS_LookUp_Table.csv"
check_rc "empty db and no 01-22-2020.csv: exits 1" 1
check_contains "and says to check --source" "$T/ingest.err" "check --source"

# --- a range with a gap -----------------------------------------------------
db=$T/range.db
ingest --db "$db" --no-series --source "$src" --from 2020-01-25 --to 2020-01-31
check_rc "range over a gap exits 1" 1
check_eq "each missing date failed, with the reason" \
	"$(q "$db" "SELECT group_concat(date || ' ' || error, '; ') FROM ingest_file WHERE status = 'failed'")" \
	"2020-01-27 not found (HTTP 404); 2020-01-28 not found (HTTP 404); 2020-01-29 not found (HTTP 404); 2020-01-30 not found (HTTP 404)"
check_eq "the dates around the gap loaded" \
	"$(q "$db" "SELECT group_concat(date, ' ') FROM ingest_file WHERE status = 'loaded'")" \
	"2020-01-25 2020-01-26 2020-01-31"
check_eq "the run is failed, 7 tried, 3 loaded, 4 failed" \
	"$(q "$db" "SELECT status, dates_tried, dates_loaded, dates_failed FROM ingest_run")" \
	"failed|7|3|4"

db=$T/skip.db
ingest --db "$db" --no-series --source "$src" --from 2020-01-25 --to 2020-02-01 --skip-missing
check_rc "the same with --skip-missing exits 0" 0
check_eq "no failed file" "$(q "$db" "SELECT count(*) FROM ingest_file WHERE status = 'failed'")" 0
check_eq "the four it has loaded" \
	"$(q "$db" "SELECT group_concat(date, ' ') FROM ingest_file WHERE status = 'loaded'")" \
	"2020-01-25 2020-01-26 2020-01-31 2020-02-01"
check_contains "the skipped dates are in the log" "$T/ingest.err" "2020-01-28: not in the source, skipped"
check_contains "and counted in the summary" "$T/ingest.err" "4 not in the source (skipped)"
check_contains "and in the run's message" <(q "$db" "SELECT message FROM ingest_run") \
	"4 not in the source (skipped)"

# --- file:// works the same, lookup found one folder up ---------------------
db=$T/file.db
ingest --db "$db" --source "file://$T/www/$REPORTS/" --from 2020-01-22 --to 2020-01-23
check_rc "file:// range exits 0" 0
check_eq "file:// loaded both dates with no HTTP status" \
	"$(q "$db" "SELECT group_concat(date || ':' || status || ':' || ifnull(http_status, 'null'), ' ')
	              FROM ingest_file")" "2020-01-22:loaded:null 2020-01-23:loaded:null"
check "the lookup table was loaded (Guangdong has its UID)" \
	test -n "$(q "$db" "SELECT uid FROM location WHERE province_state = 'Guangdong' AND uid IS NOT NULL")"
ingest --db "$db" --source "file://$T/www/$REPORTS" --from 2020-01-22 --to 2020-01-23
check_eq "file:// again: both unchanged (by SHA-256)" \
	"$(q "$db" "SELECT group_concat(status, ' ') FROM ingest_file
	              WHERE run_id = (SELECT max(id) FROM ingest_run)")" "unchanged unchanged"
ingest --db "$db" --source "file://$T/www/$REPORTS" --from 2020-01-27 --to 2020-01-27
check_rc "file:// missing date exits 1" 1
check_eq "with a reason" "$(q "$db" "SELECT error FROM ingest_file WHERE date = '2020-01-27'")" \
	"not found (no such file)"
