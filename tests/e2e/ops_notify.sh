# ops_notify: covid-ingest --notify URL (and COVID_NOTIFY_URL) against a
# local webhook receiver (tests/fixtures/ops/webhook.py). A failing run
# POSTs a JSON {"text": ...} naming the run and its first failed file; the
# next successful run POSTs "recovered"; a run after a success posts
# nothing. A webhook that is unreachable, answers 500 or never answers
# leaves the exit status as it was and logs a warning.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"
DB=$T/covid.db
HOOKS=$T/hooks

# A receiver on a free port saving each POST into DIR; its URL in $HOOK.
receiver() {
	local dir=$1 status=${2:-200} port
	port=$(free_port)
	mkdir -p "$dir"
	/usr/bin/python3 "$ROOT/tests/fixtures/ops/webhook.py" "$port" "$dir" "$status" &
	_pids="$_pids $!"
	wait_for_port "$port"
	HOOK="http://127.0.0.1:$port/services/T000/B000/secret-token"
}
posts() { ls "$1" 2>/dev/null | grep -c '\.body$'; }
# text N: message N's "text", read by Python's json module (which also
# checks that the body is one JSON object with "text" and nothing else).
text() {
	/usr/bin/python3 - "$HOOKS/$1.body" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
obj = json.loads(raw.decode("utf-8"))      # strict UTF-8, strict JSON
assert isinstance(obj, dict) and list(obj) == ["text"], obj
print(obj["text"])
PY
}
sql() { sqlite3 -batch -noheader "$DB" "$1"; }

receiver "$HOOKS"
www_copy "$T/www" 01-22-2020 01-23-2020
start_static_server "$T/www"
GOOD="http://127.0.0.1:$STATIC_PORT/$REPORTS"
port=$(free_port)
start_nginx bad "server {
	listen 127.0.0.1:$port;
	root $T/www;
	location /$REPORTS/ { return 500; }
}"
wait_for_port "$port"
BAD="http://127.0.0.1:$port/$REPORTS"

# 1. The first run succeeds: nothing to say.
ingest --db "$DB" --source "$GOOD" --from 2020-01-22 --to 2020-01-23 --notify "$HOOK"
check_rc "run 1 succeeds" 0
check_eq "a first success posts nothing" "$(posts "$HOOKS")" 0

# 2. A run fails: one message.
ingest --db "$DB" --source "$BAD" --notify "$HOOK"
check_rc "run 2 fails (HTTP 500)" 1
check_eq "a failure posts one message" "$(posts "$HOOKS")" 1
check_eq "sent as application/json" "$(cat "$HOOKS/1.type")" application/json
t=$(text 1)
run=$(sql "SELECT id FROM ingest_run ORDER BY id DESC LIMIT 1")
msg=$(sql "SELECT message FROM ingest_run WHERE id = $run")
fin=$(sql "SELECT finished_at FROM ingest_run WHERE id = $run")
check_eq "the message: host, run, status, job-log summary, first failed file" "$t" \
	"covid-ingest on $(hostname): run $run failed at $fin: $msg. First failed file: 2020-01-24: HTTP 500."
check_contains "the ingest says it told the webhook (not its secret path)" \
	"$T/ingest.err" "notify: told http://127.0.0.1:"
check_not_contains "the webhook's path stays out of the log" "$T/ingest.err" "secret-token"

# 3. The next run succeeds: "recovered", from COVID_NOTIFY_URL this time.
cp "$DAILY/01-24-2020.csv" "$T/www/$REPORTS/"
COVID_NOTIFY_URL=$HOOK ingest --db "$DB" --source "$GOOD"
check_rc "run 3 succeeds" 0
check_eq "the success after a failure posts once" "$(posts "$HOOKS")" 2
t=$(text 2)
run3=$(sql "SELECT id FROM ingest_run ORDER BY id DESC LIMIT 1")
check_eq "the message: recovered, which run after which" "$t" \
	"covid-ingest on $(hostname): recovered: run $run3 succeeded at $(sql "SELECT finished_at FROM ingest_run WHERE id = $run3") after run $run failed: $(sql "SELECT message FROM ingest_run WHERE id = $run3")."

# 4. Another success: nothing.
ingest --db "$DB" --source "$GOOD" --notify "$HOOK"
check_rc "run 4 succeeds" 0
check_eq "a success after a success posts nothing" "$(posts "$HOOKS")" 2

# 5. A webhook nobody listens on: the failure is still exit 1, with a warning.
dead=$(free_port)
ingest --db "$DB" --source "$BAD" --notify "http://127.0.0.1:$dead/hook"
check_rc "an unreachable webhook: the failed run still exits 1" 1
check_contains "an unreachable webhook: a warning" "$T/ingest.err" "<4>notify: http://127.0.0.1:$dead not told"
ingest --db "$DB" --source "$GOOD" --notify "http://127.0.0.1:$dead/hook"
check_rc "an unreachable webhook: the recovering run still exits 0" 0
check_contains "... with a warning" "$T/ingest.err" "not told"

# 6. A webhook that answers 500, and one that never answers.
receiver "$T/hooks500" 500
ingest --db "$DB" --source "$BAD" --notify "$HOOK"
check_rc "a webhook answering 500: exit 1 as the run failed" 1
check_eq "... it was asked" "$(posts "$T/hooks500")" 1
check_contains "... and the warning says what it answered" "$T/ingest.err" "answered HTTP 500"
silent=$(free_port)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)     # accepted, never answered
' "$silent" &
_pids="$_pids $!"
wait_for_port "$silent"
start=$(date +%s)
COVID_NOTIFY_TIMEOUT=2 ingest --db "$DB" --source "$GOOD" --notify "http://127.0.0.1:$silent/hook"
took=$(( $(date +%s) - start ))
check_rc "a webhook that never answers: the run still exits 0" 0
check "... after the notification's timeout, not longer ($took s)" test "$took" -ge 1 -a "$took" -le 10
check_contains "... with a warning" "$T/ingest.err" "not told"

# 7. Bad webhook URLs: on the command line a usage error, in the
#    environment a warning (the run goes on).
ingest --db "$DB" --source "$GOOD" --notify "ftp://example.org/hook"
check_rc "--notify ftp://: bad usage" 2
COVID_NOTIFY_URL="file:///etc/passwd" ingest --db "$DB" --source "$GOOD"
check_rc "COVID_NOTIFY_URL file://: the run goes on" 0
check_contains "... with a warning" "$T/ingest.err" "COVID_NOTIFY_URL is not an http"

# 8. Another run holds the lock: not a run, nothing to say.
exec 9>"$DB.lock"
flock 9
COVID_NOTIFY_URL=$HOOK ingest --db "$DB" --source "$BAD"
check_rc "locked out: exit 75" 75
exec 9>&-
check_eq "locked out: no message" "$(posts "$HOOKS")" 2
