#!/bin/bash
# Bad input fails only its own date, with the reason in ingest_file.error,
# keeps that date's previous rows, and lets the other dates load: an HTML
# page, a truncated file, HTTP 500, a stalled response, a transfer cut off
# mid-body, an unknown header, a body over the size cap. A malformed row is
# rejected alone (file, line, reason) and the rest of its file loads.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

www_copy "$T/www" 01-22-2020 01-23-2020 01-24-2020 01-25-2020 01-26-2020 \
	01-31-2020 02-01-2020 02-02-2020
R=$T/www/$REPORTS
db=$T/covid.db

# A well-behaved server for the first load ...
start_static_server "$T/www"
ingest --db "$db" --source "http://127.0.0.1:$STATIC_PORT/$REPORTS" \
	--from 2020-01-22 --to 2020-01-25
check_rc "first load of 01-22..01-25 exits 0" 0
for d in 2020-01-22 2020-01-23 2020-01-24 2020-01-25; do
	eval "rows_$(echo $d | tr - _)=\$(q \"\$db\" \"SELECT * FROM v_daily WHERE date = '$d' ORDER BY country_region, province_state\")"
done
check "01-22 has rows to lose" test -n "$rows_2020_01_22"

# ... then the files go bad, and a misbehaving server serves them.
cp "$FIX/error-page.html" "$R/01-22-2020.csv"                 # HTML body, 200
head -c $(( $(stat -c %s "$R/01-23-2020.csv") / 3 )) "$DAILY/01-23-2020.csv" \
	>"$R/01-23-2020.csv"                                      # file cut off
touch -d '+1 minute' "$R/01-25-2020.csv"                       # served slowly
# 01-31: a number that is not a number, and a row with too many fields.
bad_num=5 bad_count=9
sed -i "${bad_num}s/,352,2,3\$/,35x2,2,3/; ${bad_count}s/\$/,1,2/" "$R/01-31-2020.csv"
check_eq "fixture: line $bad_num now has a bad number" \
	"$(sed -n ${bad_num}p "$R/01-31-2020.csv")" "Henan,Mainland China,1/31/2020 23:59,35x2,2,3"
sed -i '1s/.*/Region,Cases,When/' "$R/02-02-2020.csv"             # unknown header
short_port=$(free_port)
/usr/bin/python3 "$FIX/short_body.py" "$short_port" "$DAILY/02-01-2020.csv" &
_pids="$_pids $!"
wait_for_port "$short_port"
port=$(free_port)
start_nginx bad "server {
	listen 127.0.0.1:$port;
	root $T/www;
	etag on;
	location = /$REPORTS/01-24-2020.csv { return 500; }
	location = /$REPORTS/01-25-2020.csv { limit_rate 1; }
	location = /$REPORTS/02-01-2020.csv { proxy_pass http://127.0.0.1:$short_port; }
}"
wait_for_port "$port"

start=$(date +%s)
COVID_FETCH_LOW_SPEED_TIME=2 ingest --db "$db" --source "http://127.0.0.1:$port/$REPORTS" \
	--from 2020-01-22 --to 2020-02-02 --skip-missing
check_rc "the run exits 1" 1
check "the stall cost seconds, not minutes" test $(( $(date +%s) - start )) -lt 30
err() { q "$db" "SELECT status || ': ' || error FROM ingest_file WHERE date = '$1'
                   AND run_id = (SELECT max(id) FROM ingest_run)"; }
check_contains "HTML body: failed by the parser" <(err 2020-01-22) "failed: "
check_contains "truncated file: failed as truncated" <(err 2020-01-23) "truncated"
check_eq "HTTP 500: failed with the status" "$(err 2020-01-24)" "failed: HTTP 500"
check_contains "stalled response: failed as stalled" <(err 2020-01-25) "failed: stalled"
check_contains "cut-off transfer: failed as truncated" <(err 2020-02-01) "failed: truncated transfer"
check_contains "unknown header: failed" <(err 2020-02-02) "failed: "
for d in 2020-01-22 2020-01-23 2020-01-24 2020-01-25; do
	v=rows_$(echo $d | tr - _)
	check_eq "$d: the old rows are intact" \
		"$(q "$db" "SELECT * FROM v_daily WHERE date = '$d' ORDER BY country_region, province_state")" \
		"${!v}"
done
check_eq "02-01 and 02-02 have no rows" \
	"$(q "$db" "SELECT count(*) FROM daily_report WHERE date IN ('2020-02-01', '2020-02-02')")" 0
check_eq "the good new date loaded in full" \
	"$(q "$db" "SELECT count(*) FROM daily_report WHERE date = '2020-01-26'")" \
	"$(q "$db" "SELECT rows_loaded FROM ingest_file WHERE date = '2020-01-26'")"
check_eq "01-26: every row of the file" \
	"$(q "$db" "SELECT rows_loaded FROM ingest_file WHERE date = '2020-01-26'")" \
	"$(csv_rows "$DAILY/01-26-2020.csv")"
check_eq "the run: 8 tried, 2 loaded, 6 failed" \
	"$(q "$db" "SELECT status, dates_tried, dates_loaded, dates_failed FROM ingest_run
	              ORDER BY id DESC LIMIT 1")" "failed|8|2|6"
check_eq "the run counts the rejected rows" \
	"$(q "$db" "SELECT rows_rejected FROM ingest_run ORDER BY id DESC LIMIT 1")" 2

# The malformed rows: rejected alone, with line and reason; the rest loaded.
check_eq "01-31 is loaded" "$(q "$db" "SELECT status FROM ingest_file WHERE date = '2020-01-31'")" loaded
check_eq "01-31: two rejected, the rest loaded" \
	"$(q "$db" "SELECT rows_loaded, rows_rejected FROM ingest_file WHERE date = '2020-01-31'")" \
	"$(( $(csv_rows "$DAILY/01-31-2020.csv") - 2 ))|2"
check_eq "rejected_row names the lines" \
	"$(q "$db" "SELECT group_concat(line, ' ') FROM (SELECT r.line FROM rejected_row r
	              JOIN ingest_file f ON f.id = r.ingest_file_id WHERE f.date = '2020-01-31' ORDER BY r.line)")" \
	"$bad_num $bad_count"
check_eq "each with a reason" \
	"$(q "$db" "SELECT count(*) FROM rejected_row r JOIN ingest_file f ON f.id = r.ingest_file_id
	              WHERE f.date = '2020-01-31' AND length(r.reason) > 0")" 2
check_eq "and the raw text of the bad-number line" \
	"$(q "$db" "SELECT raw FROM rejected_row WHERE line = $bad_num")" \
	"Henan,Mainland China,1/31/2020 23:59,35x2,2,3"
check_eq "Henan is absent on 01-31, Hunan (next line) present" \
	"$(q "$db" "SELECT group_concat(province_state) FROM v_daily WHERE date = '2020-01-31'
	              AND province_state IN ('Henan', 'Hunan')")" "Hunan"
check_eq "integrity_check after the failures" "$(q "$db" 'PRAGMA integrity_check')" ok

# The truncation guard on a clean transfer: a file cut at a row boundary to a
# quarter of its rows is refused, the loaded rows stay.
lines=$(wc -l <"$DAILY/01-26-2020.csv")
head -n $((lines / 4)) "$DAILY/01-26-2020.csv" >"$R/01-26-2020.csv"
touch -d '+2 minutes' "$R/01-26-2020.csv"
before=$(q "$db" "SELECT * FROM v_daily WHERE date = '2020-01-26' ORDER BY country_region, province_state")
ingest --db "$db" --source "http://127.0.0.1:$STATIC_PORT/$REPORTS" --from 2020-01-26 --to 2020-01-26
check_rc "a quarter of the rows: exits 1" 1
check_contains "said why" <(err 2020-01-26) "truncated?"
check_eq "the old rows of 01-26 are intact" \
	"$(q "$db" "SELECT * FROM v_daily WHERE date = '2020-01-26' ORDER BY country_region, province_state")" \
	"$before"

# A body over the size cap.
cp "$DAILY/01-22-2020.csv" "$R/01-22-2020.csv"
touch -d '+3 minutes' "$R/01-22-2020.csv"
COVID_FETCH_MAX_BODY=1000 ingest --db "$db" --source "http://127.0.0.1:$STATIC_PORT/$REPORTS" \
	--from 2020-01-22 --to 2020-01-22
check_rc "over the size cap: exits 1" 1
check_contains "said why" <(err 2020-01-22) "size cap of 1000 bytes"
check_eq "01-22's rows still intact" \
	"$(q "$db" "SELECT * FROM v_daily WHERE date = '2020-01-22' ORDER BY country_region, province_state")" \
	"$rows_2020_01_22"
check_eq "integrity_check at the end" "$(q "$db" 'PRAGMA integrity_check')" ok
