# ops_status: /status through real nginx and spawn-fcgi, against the job log
# read with the sqlite3 CLI: the data version and dates, each of the last 30
# runs (start, duration, status, dates and rows), the failed files and
# whether a later run loaded them, and whether the data is older than
# expected and why: a newer date failed after the last success, or the last
# success is older than COVID_STALE_HOURS. Never cached; job-log text shown
# as text.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"
DB=$T/covid.db
PAGE=$T/status.html

sql() { sqlite3 -batch -noheader -separator "$(printf '\t')" "$DB" "$1"; }
# status NAME [curl args]: /status into $T/NAME (and .h); the code on stdout.
status() {
	local name=$1; shift
	curl -s -D "$T/$name.h" -o "$T/$name" -w '%{http_code}' "$@" "$PORTAL_URL/status"
}
# facts NAME: what the page shows (tests/e2e/ops_status.py).
facts() { /usr/bin/python3 "$ROOT/tests/e2e/ops_status.py" "$T/$1"; }
fact() { facts "$1" | awk -F '\t' -v k="$2" '$1 == k' | cut -f2-; }
unix() { date -u -d "$(echo "$1" | sed 's/T/ /; s/Z$//')" +%s; }
# The runs as the job log has them, in the page's layout (newest 30).
want_runs() {
	sql "SELECT id, started_at, COALESCE(finished_at, ''), status, dates_loaded,
	            dates_unchanged, dates_failed, rows_loaded, rows_rejected,
	            COALESCE(message, '')
	       FROM ingest_run ORDER BY id DESC LIMIT 30" |
	while IFS="$(printf '\t')" read -r id started finished st l u f rl rr msg; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$started" \
		    $(( $(unix "$finished") - $(unix "$started") )) "$st" "$l" "$u" \
		    "$f" "$rl" "$rr" "$msg"
	done
}

# --- Two runs: a success, then a newer date that fails ----------------------
www_copy "$T/www" 01-22-2020 01-23-2020
start_static_server "$T/www"
GOOD="http://127.0.0.1:$STATIC_PORT/$REPORTS"
ingest --db "$DB" --source "$GOOD" --from 2020-01-22 --to 2020-01-23
check_rc "run 1 loads two dates" 0
port=$(free_port)
start_nginx bad "server {
	listen 127.0.0.1:$port;
	root $T/www;
	location = /$REPORTS/01-24-2020.csv { return 500; }
}"
wait_for_port "$port"
ingest --db "$DB" --source "http://127.0.0.1:$port/$REPORTS"
check_rc "run 2 fails on the next date (HTTP 500)" 1

start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
check_eq "/status answers 200" "$(status s1)" 200
check_contains "/status: HTML" "$T/s1.h" "Content-Type: text/html; charset=utf-8"
check_contains "/status: never cached" "$T/s1.h" "Cache-Control: no-store"
check_not_contains "/status: no ETag" "$T/s1.h" "ETag"
check_eq "the data version is meta's" "$(fact s1 dd | awk -F '\t' '$1 == "data-version"' | cut -f2)" \
	"$(sql "SELECT value FROM meta WHERE key = 'data_version'")"
check_eq "the newest date" "$(fact s1 dd | awk -F '\t' '$1 == "newest-date"' | cut -f2)" \
	"$(sql "SELECT max(date) FROM daily_report")"
check_eq "the oldest date" "$(fact s1 dd | awk -F '\t' '$1 == "oldest-date"' | cut -f2)" \
	"$(sql "SELECT min(date) FROM daily_report")"
check_eq "the runs are the job log's" "$(fact s1 run)" "$(want_runs)"
check_eq "two runs shown" "$(fact s1 run | wc -l | tr -d ' ')" 2
check_eq "the failed file: run, date, URL, HTTP status, reason, not loaded since" \
	"$(fact s1 failed)" \
	"$(sql "SELECT run_id, date, url, http_status, error, 'no' FROM ingest_file
	         WHERE status = 'failed' ORDER BY id DESC")"
check_eq "stale: a newer date failed after the last success" "$(fact s1 stale)" 1
check_eq "one reason" "$(fact s1 reason | wc -l | tr -d ' ')" 1
check_eq "the reason names the run, the date, the status and the newest date" \
	"$(fact s1 reason)" \
	"Run 2 could not load 2020-01-24 (HTTP status 500, HTTP 500), which is newer than the newest date loaded, 2020-01-23."
check_eq "the last successful run" "$(fact s1 dd | awk -F '\t' '$1 == "last-ok"' | cut -f2)" \
	"$(sql "SELECT replace(replace(finished_at, 'T', ' '), 'Z', ' UTC') || ' (run ' || id || ')'
	         FROM ingest_run WHERE status = 'ok' ORDER BY id DESC LIMIT 1")"
check_eq "HEAD /status: 200" "$(status s1head -I)" 200
check_eq "If-None-Match never makes a 304" \
	"$(status s1inm -H 'If-None-Match: *')" 200

# --- The next run loads the date: up to date ---------------------------------
cp "$DAILY/01-24-2020.csv" "$T/www/$REPORTS/"
ingest --db "$DB" --source "$GOOD"
check_rc "run 3 loads 01-24" 0
check_eq "/status answers 200" "$(status s2)" 200
check_eq "no longer stale" "$(fact s2 stale)" 0
check_eq "no reasons" "$(fact s2 reason)" ""
case "$(fact s2 fresh)" in
"The data is up to date. The last successful ingest run, run 3, finished "*" ago (the limit is 48 hours), and no newer date has failed to load since.")
	ok "says why it is up to date" ;;
*) not_ok "says why it is up to date (got '$(fact s2 fresh)')" ;;
esac
check_eq "the runs are the job log's" "$(fact s2 run)" "$(want_runs)"
check_eq "the failed file: loaded since, in run 3" "$(fact s2 failed | cut -f1,2,6)" \
	"$(printf '2\t2020-01-24\tin run 3')"
check_eq "the newest date moved" "$(fact s2 dd | awk -F '\t' '$1 == "newest-date"' | cut -f2)" 2020-01-24

# --- The last success grows old ----------------------------------------------
old=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ)
sql "UPDATE ingest_run SET started_at = '$old', finished_at = '$old' WHERE id = 3"
check_eq "/status answers 200" "$(status s3)" 200
check_eq "stale: no success in 48 hours" "$(fact s3 stale)" 1
check_eq "the reason: the last success and its age" "$(fact s3 reason)" \
	"The last successful ingest run, run 3, finished $(echo "$old" | sed 's/T/ /; s/Z$/ UTC/'), 3 days ago: more than 48 hours ago."
stop_portal
export COVID_STALE_HOURS=100
start_portal "$DB" || { not_ok "the portal starts with COVID_STALE_HOURS=100"; exit 1; }
check_eq "/status answers 200" "$(status s4)" 200
check_eq "COVID_STALE_HOURS=100: three days is fresh" "$(fact s4 stale)" 0
check_contains "the page names the limit" "$T/s4" "in the last 100 hours"
unset COVID_STALE_HOURS

# --- Job-log text is text ----------------------------------------------------
hostile='<script>alert(1)</script> & "q" '"'"'x'"'"
sql "UPDATE ingest_file SET error = '$(echo "$hostile" | sed "s/'/''/g")' WHERE status = 'failed'"
sql "UPDATE ingest_run SET message = '<img src=x onerror=alert(2)>' WHERE id = 2"
check_eq "/status answers 200" "$(status s5)" 200
check_not_contains "no markup from the job log" "$T/s5" "<script>alert(1)"
check_not_contains "no markup from the job log (attributes)" "$T/s5" "<img src=x"
check_eq "the error shown as text" "$(fact s5 failed | cut -f5)" "$hostile"
check_eq "the message shown as text" "$(fact s5 run | awk -F '\t' '$1 == 2' | cut -f10)" \
	'<img src=x onerror=alert(2)>'

# --- Only the last 30 runs ---------------------------------------------------
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 31)
     INSERT INTO ingest_run (started_at, finished_at, status, source,
                             dates_tried, dates_loaded, rows_loaded, message)
     SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (40 - i) || ' minutes'),
            strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (40 - i) || ' minutes', '+' || i || ' seconds'),
            'ok', 'test', 1, 1, 1000 * i, 'synthetic run ' || i FROM n"
check_eq "/status answers 200" "$(status s6)" 200
check_eq "30 runs shown" "$(fact s6 run | wc -l | tr -d ' ')" 30
check_eq "the newest 30, as the job log has them" "$(fact s6 run)" "$(want_runs)"
check_eq "failed files only of the runs shown" "$(fact s6 failed)" ""
stop_portal
