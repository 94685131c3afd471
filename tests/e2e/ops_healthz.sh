# ops_healthz: /healthz through real nginx and spawn-fcgi. 503 and why while
# the database is missing or not a database; 200 "ok" once an ingest has made
# it; 503 naming the run after a run fails (a source answering 500), 200
# after the next run succeeds; 503 when the schema version under the running
# portal changes; 503 while the file a worker opened is moved away or replaced.
# text/plain, one line, never cached; HEAD answers the same.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"
DB=$T/covid.db

# health NAME [curl args]: the body into $T/NAME, headers into $T/NAME.h,
# the status on stdout.
health() {
	local name=$1; shift
	curl -s -D "$T/$name.h" -o "$T/$name" -w '%{http_code}' "$@" "$PORTAL_URL/healthz"
}
# settle WANT: asks until every worker answers WANT (each retries opening
# the database at most every 2 s): ten answers in a row, within 15 s.
settle() {
	local i run=0
	for i in $(seq 150); do
		if [ "$(health settle)" = "$1" ]; then
			run=$((run + 1))
			[ $run -ge 10 ] && return 0
		else
			run=0
			sleep 0.1
		fi
	done
	return 1
}
lines() { wc -l <"$1" | tr -d ' '; }
sql() { sqlite3 "$DB" "$1"; }

# --- No database yet --------------------------------------------------------
start_portal "$DB" || { not_ok "the portal starts without a database"; exit 1; }
check_eq "no database: 503" "$(health none)" 503
check_contains "no database: says so" "$T/none" "database unavailable"
check_eq "no database: one line" "$(lines "$T/none")" 1
check_contains "text/plain" "$T/none.h" "Content-Type: text/plain; charset=utf-8"
check_contains "not cached" "$T/none.h" "Cache-Control: no-store"
check_eq "HEAD: 503 too" "$(health none_head -I)" 503
check_contains "HEAD: the same headers" "$T/none_head.h" "Cache-Control: no-store"
check_eq "a POST: 405" "$(health post -X POST)" 405
# /metrics answers without a database too, and says it is down.
check_eq "no database: /metrics answers 200" \
	"$(curl -s -o "$T/metrics" -w '%{http_code}' "$PORTAL_URL/metrics")" 200
check_contains "no database: covid_database_up 0" "$T/metrics" $'\ncovid_database_up 0\n'
check_contains "no database: the healthz answers were counted" "$T/metrics" \
	'covid_http_requests_total{program="portal",route="/healthz",status="503"} 2'
check "no database: promtool accepts /metrics" promtool check metrics <"$T/metrics"

# --- Not a database -----------------------------------------------------------
head -c 8192 /dev/urandom >"$DB"
# tried_it: asked, a worker has opened it again (at most every 2 s) and
# found no database of its schema in it (before, the file was not there).
tried_it() { health corrupt >/dev/null; grep -qF "database: $DB has schema version" "$PORTAL_DIR/portal.log"; }
check "a corrupt database: a worker tries it (within 15 s)" wait_until 15 tried_it
check_eq "a corrupt database: 503" "$(health corrupt)" 503
check_contains "a corrupt database: unavailable" "$T/corrupt" "database unavailable"
rm -f "$DB"

# --- The first ingest makes it ----------------------------------------------
www_copy "$T/www" 01-22-2020 01-23-2020
start_static_server "$T/www"
GOOD="http://127.0.0.1:$STATIC_PORT/$REPORTS"
ingest --db "$DB" --source "$GOOD"
check_rc "the first ingest loads" 0
check "every worker answers 200 once the database is there" settle 200
check_eq "healthy: 200" "$(health good)" 200
check_eq "healthy: the body is ok" "$(cat "$T/good")" ok
check_contains "healthy: not cached" "$T/good.h" "Cache-Control: no-store"
check_not_contains "healthy: no ETag" "$T/good.h" "ETag"
check_eq "HEAD: 200" "$(health good_head -I)" 200
check_contains "HEAD: the same headers" "$T/good_head.h" "Content-Type: text/plain"

# --- A failed run ---------------------------------------------------------------
port=$(free_port)
start_nginx bad "server { listen 127.0.0.1:$port; location / { return 500; } }"
wait_for_port "$port"
ingest --db "$DB" --source "http://127.0.0.1:$port/$REPORTS"
check_rc "a run against a source that answers 500 fails" 1
run=$(sql "SELECT id || ' ' || status || ' at ' || finished_at FROM ingest_run
           ORDER BY id DESC LIMIT 1")
case "$run" in *" failed at "*) ok "the job log has the failed run ($run)" ;;
*) not_ok "the job log has the failed run (got '$run')" ;; esac
check_eq "after a failed run: 503" "$(health failed)" 503
check_eq "after a failed run: the run, in one line" "$(cat "$T/failed")" \
	"last ingest run $run"
check "every worker says so" settle 503

# A run in progress does not hide the failure before it.
sql "INSERT INTO ingest_run (started_at, status, source)
     VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'running', 'test')"
check_eq "a run in progress: still the failed one" "$(health running)" 503
check_eq "a run in progress: the failed run named" "$(cat "$T/running")" \
	"last ingest run $run"
sql "DELETE FROM ingest_run WHERE status = 'running'"

# --- The next run succeeds ------------------------------------------------------
ingest --db "$DB" --source "$GOOD"
check_rc "the next run succeeds" 0
check "every worker is healthy again" settle 200
check_eq "recovered: ok" "$(cat "$T/settle")" ok

# --- The schema changes under the running portal ----------------------------
have=$(sql "PRAGMA user_version")
sql "PRAGMA user_version = 999"
check_eq "another schema version: 503" "$(health schema)" 503
check_eq "another schema version: says which" "$(cat "$T/schema")" \
	"database check failed: schema version 999, this program needs $have"
sql "PRAGMA user_version = $have"
check "back to its version: 200" settle 200

# The other pages are unaffected by any of this: / still answers 200.
check_eq "/ answers 200" "$(curl -s -o /dev/null -w '%{http_code}' "$PORTAL_URL/")" 200

# --- The file under the running portal moves or is replaced -----------------
# The workers keep their handle on the old file, so /healthz must say so.
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
mv "$DB" "$DB.moved"
check_eq "the database file moved away: 503" "$(health moved)" 503
check_eq "moved: says which file and what to do" "$(cat "$T/moved")" \
	"database file $DB is gone (No such file or directory); this worker still serves the file it opened: restart it"
mv "$DB.moved" "$DB"
check "the same file back: 200" settle 200
cp "$DB" "$T/copy.db"
mv "$T/copy.db" "$DB"
check_eq "another file in its place: 503" "$(health replaced)" 503
check_eq "replaced: says so" "$(cat "$T/replaced")" \
	"database file $DB was replaced; this worker still serves the file it opened: restart it"
check "every worker says so" settle 503
stop_portal

# Restarted, the workers open the new file and are healthy.
start_portal "$DB" || not_ok "the portal restarts"
check "after a restart: 200" settle 200
stop_portal
