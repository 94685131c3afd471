# ops_metrics: /metrics through real nginx and spawn-fcgi. promtool accepts
# it; the request counters go up by exactly the requests made, summed over
# every worker (each worker is made to serve some of them alone, by stopping
# the others) and over both programs when export.fcgi is built; the
# latency histogram counts the same requests; HEAD and 304 count no bytes;
# the ingest's gauges are the job log's figures.
source "$(dirname "$0")/../lib.sh"
DAILY=$SAMPLE/csse_covid_19_daily_reports
DB=$T/covid.db
WORKERS=3

if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2020-02-02 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
unset COVID_METRICS_FILE
PORTAL_WORKERS=$WORKERS start_portal "$DB" || { not_ok "the portal starts"; exit 1; }

# scrape NAME: /metrics into $T/NAME (body) and $T/NAME.h (headers).
scrape() {
	curl -s -D "$T/$1.h" -o "$T/$1" -w '%{http_code}' "$PORTAL_URL/metrics"
}
# value FILE SERIES: a sample's value, exactly as the series is written
# ('name{a="b",c="d"}'); 0 when absent (a counter not yet touched).
value() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import sys
want, found = sys.argv[2], "0"
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("#") or not line:
        continue
    series, _, v = line.rpartition(" ")
    if series == want:
        found = v
print(found)
PY
}
delta() { echo $(( $(value "$T/$3" "$1") - $(value "$T/$2" "$1") )); }
req() { echo "covid_http_requests_total{program=\"$1\",route=\"$2\",status=\"$3\"}"; }
hcount() { echo "covid_http_request_duration_seconds_count{program=\"$1\",route=\"$2\"}"; }
bytes() { echo "covid_http_response_bytes_total{program=\"$1\",route=\"$2\"}"; }

check_eq "/metrics answers 200" "$(scrape m0)" 200
check "the counters live next to the database by default" test -s "$T/metrics.shm"
check_contains "/metrics: the Prometheus text format" "$T/m0.h" \
	"Content-Type: text/plain; version=0.0.4; charset=utf-8"
check_contains "/metrics: not cached" "$T/m0.h" "Cache-Control: no-store"
check_not_contains "/metrics: no ETag" "$T/m0.h" "ETag"
if promtool check metrics <"$T/m0" >"$T/promtool.out" 2>&1; then
	ok "promtool check metrics accepts /metrics"
else
	not_ok "promtool check metrics accepts /metrics"; sed 's/^/#   /' "$T/promtool.out"
fi

# --- Counters: every worker serves some requests on its own ----------------
# A stopped worker takes no connection from the shared socket, so the others
# serve everything until it continues.
pids=$(cat "$T/portal/portal.pid")
check_eq "$WORKERS portal workers" "$(echo $pids | wc -w)" $WORKERS
per_worker=4
for p in $pids; do
	for q in $pids; do [ "$q" != "$p" ] && kill -STOP "$q"; done
	for i in $(seq $per_worker); do
		curl -s -o /dev/null --max-time 20 "$PORTAL_URL/about"
	done
	for q in $pids; do [ "$q" != "$p" ] && kill -CONT "$q"; done
done
n_about=$((per_worker * WORKERS))
# And a mix, many at once.
seq 20 | xargs -P 8 -I{} curl -s -o /dev/null "$PORTAL_URL/"
for i in 1 2 3; do curl -s -o /dev/null -I "$PORTAL_URL/"; done
for i in 1 2 3 4 5; do curl -s -o /dev/null "$PORTAL_URL/no/such/page$i"; done
slug=$(sqlite3 "$DB" "SELECT slug FROM location WHERE level = 'country' AND
	id IN (SELECT location_id FROM region_daily) ORDER BY slug LIMIT 1")
for i in 1 2; do curl -s -o /dev/null "$PORTAL_URL/region/$slug"; done
curl -s -o /dev/null "$PORTAL_URL/regions?page=x"      # 400
curl -s -o /dev/null -X POST "$PORTAL_URL/about"       # 405
etag=$(curl -s -D - -o /dev/null "$PORTAL_URL/about" | tr -d '\r' | sed -n 's/^ETag: //Ip')
curl -s -o /dev/null -H "If-None-Match: $etag" "$PORTAL_URL/about"   # 304
sizes=$(for i in 1 2; do curl -s "$PORTAL_URL/about" | wc -c; done)
check_eq "/metrics answers 200 again" "$(scrape m1)" 200
check_eq "/about: 200s counted once each, summed over all $WORKERS workers" \
	"$(delta "$(req portal /about 200)" m0 m1)" $((n_about + 1 + 2))
check_eq "/: 20 GETs and 3 HEADs" "$(delta "$(req portal / 200)" m0 m1)" 23
check_eq "unknown addresses: 404s under route \"other\"" \
	"$(delta "$(req portal other 404)" m0 m1)" 5
check_eq "a region page: route /region/" "$(delta "$(req portal /region/ 200)" m0 m1)" 2
check_eq "a bad parameter: 400" "$(delta "$(req portal /regions 400)" m0 m1)" 1
check_eq "a POST: 405" "$(delta "$(req portal /about 405)" m0 m1)" 1
check_eq "If-None-Match: 304" "$(delta "$(req portal /about 304)" m0 m1)" 1
check_eq "the scrape before counts itself once it is done" \
	"$(delta "$(req portal /metrics 200)" m0 m1)" 1
check_eq "the histogram counts every /about request" \
	"$(delta "$(hcount portal /about)" m0 m1)" $((n_about + 1 + 2 + 1 + 1))
check_eq "the histogram counts every / request" "$(delta "$(hcount portal /)" m0 m1)" 23
inf=$(value "$T/m1" 'covid_http_request_duration_seconds_bucket{program="portal",route="/",le="+Inf"}')
check_eq "+Inf bucket = count" "$inf" "$(value "$T/m1" "$(hcount portal /)")"
# Bytes: at least the bodies of the GETs answered 200, at most a kilobyte
# of headers more each, and the 405's error page.
set -- $sizes
check_eq "/about: the same body twice" "$1" "$2"
one_body=$1
got=$(delta "$(bytes portal /about)" m0 m1)
gets=$((n_about + 1 + 2))
min=$((one_body * gets))
max=$(((one_body + 1024) * gets + 16384))
if [ "$got" -ge "$min" ] && [ "$got" -le "$max" ]; then
	ok "/about bytes: $gets bodies plus headers ($got)"
else
	not_ok "/about bytes: $got not in [$min, $max]"
fi
if promtool check metrics <"$T/m1" >"$T/promtool.out" 2>&1; then
	ok "promtool check metrics accepts /metrics with traffic"
else
	not_ok "promtool check metrics accepts /metrics with traffic"; sed 's/^/#   /' "$T/promtool.out"
fi

# HEAD and 304 send no body: they add nothing to the bytes.
scrape m2 >/dev/null
curl -s -o /dev/null -I "$PORTAL_URL/about"
curl -s -o /dev/null -H "If-None-Match: $etag" "$PORTAL_URL/about"
scrape m3 >/dev/null
check_eq "HEAD and 304: counted" "$(( $(delta "$(req portal /about 200)" m2 m3) + \
	$(delta "$(req portal /about 304)" m2 m3) ))" 2
check_eq "HEAD and 304: no bytes" "$(delta "$(bytes portal /about)" m2 m3)" 0

# --- The export program, when it is built ----------------------------------
if [ -x "$OUT/cgi-bin/export.fcgi" ]; then
	scrape e0 >/dev/null
	n=0
	for i in 1 2 3; do
		n=$((n + $(curl -s "$PORTAL_URL/export.csv?level=country" | wc -c)))
	done
	curl -s -o /dev/null "$PORTAL_URL/export.csv?level=nonsense"
	scrape e1 >/dev/null
	check_eq "export: 3 CSVs counted by the portal's /metrics" \
		"$(delta "$(req export /export.csv 200)" e0 e1)" 3
	check_eq "export: a 400 counted" "$(delta "$(req export /export.csv 400)" e0 e1)" 1
	got=$(delta covid_export_bytes_total e0 e1)
	if [ "$got" -ge "$n" ] && [ "$got" -le $((n + 4 * 2048)) ]; then
		ok "export: bytes exported cover the CSVs ($got for $n of body)"
	else
		not_ok "export: bytes exported $got for $n bytes of CSV"
	fi
else
	echo "# export.fcgi is not built on this branch: the portal's counters only"
fi

# --- Gauges from the job log ------------------------------------------------
sql() { sqlite3 "$DB" "$1"; }
check_eq "covid_data_version is meta's" "$(value "$T/m1" covid_data_version)" \
	"$(sql "SELECT value FROM meta WHERE key = 'data_version'")"
check_eq "the last run's rows loaded" "$(value "$T/m1" covid_ingest_last_run_rows_loaded)" \
	"$(sql "SELECT rows_loaded FROM ingest_run ORDER BY id DESC LIMIT 1")"
check_eq "the last run's rows rejected" "$(value "$T/m1" covid_ingest_last_run_rows_rejected)" \
	"$(sql "SELECT rows_rejected FROM ingest_run ORDER BY id DESC LIMIT 1")"
check_eq "the last success's time" \
	"$(value "$T/m1" covid_ingest_last_success_timestamp_seconds)" \
	"$(date -u -d "$(sql "SELECT replace(replace(finished_at, 'T', ' '), 'Z', '')
	    FROM ingest_run WHERE status = 'ok' ORDER BY id DESC LIMIT 1")" +%s)"
check_eq "the last run's status: ok" \
	"$(value "$T/m1" 'covid_ingest_last_run_status{status="ok"}') $(value "$T/m1" 'covid_ingest_last_run_status{status="failed"}')" "1 0"
check_eq "the newest date as a time" "$(value "$T/m1" covid_data_newest_date_timestamp_seconds)" \
	"$(date -u -d "$(sql "SELECT max(date) FROM daily_report")" +%s)"
check_eq "the database is up" "$(value "$T/m1" covid_database_up)" 1

# A failed run: the status gauge follows, rows of that run.
port=$(free_port)
mkdir -p "$T/www"
start_nginx bad "server { listen 127.0.0.1:$port; location / { return 500; } }"
wait_for_port "$port"
"$INGEST" --db "$DB" --source "http://127.0.0.1:$port/r" 2>>"$T/ingest.log"
check_eq "the failing run exits 1" "$?" 1
scrape m4 >/dev/null
check_eq "the last run's status: failed" \
	"$(value "$T/m4" 'covid_ingest_last_run_status{status="ok"}') $(value "$T/m4" 'covid_ingest_last_run_status{status="failed"}')" "0 1"
check_eq "the last run's dates failed" "$(value "$T/m4" covid_ingest_last_run_dates_failed)" \
	"$(sql "SELECT dates_failed FROM ingest_run ORDER BY id DESC LIMIT 1")"
check_eq "the last success is still the earlier run" \
	"$(value "$T/m4" covid_ingest_last_success_timestamp_seconds)" \
	"$(value "$T/m1" covid_ingest_last_success_timestamp_seconds)"
check_eq "a newer date failed: stale" "$(value "$T/m4" covid_data_stale)" 1
if promtool check metrics <"$T/m4" >"$T/promtool.out" 2>&1; then
	ok "promtool check metrics accepts /metrics after a failed run"
else
	not_ok "promtool check metrics accepts /metrics after a failed run"; sed 's/^/#   /' "$T/promtool.out"
fi

# Counters survive the workers: a restart starts from the file's counts.
before=$(value "$T/m4" "$(req portal /about 200)")
stop_portal
PORTAL_WORKERS=2 start_portal "$DB" || { not_ok "the portal starts again"; exit 1; }
scrape m5 >/dev/null
check_eq "after a restart the counts go on" "$(value "$T/m5" "$(req portal /about 200)")" "$before"
stop_portal
