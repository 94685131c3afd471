# run_local: `make run`'s script (etc/run-local.sh) on a free port with its
# state in $T/var: it loads the sample, serves pages and static files through
# nginx, refuses a busy port, and Ctrl-C (SIGINT to its process group, as a
# terminal sends it) or SIGTERM stops every process and removes the sockets.
source "$(dirname "$0")/../lib.sh"

VAR=$T/var
PORT=$(free_port)
# lib.sh's cleanup looks for pid files one level down; ours are two.
trap 'for f in "$VAR"/run/*.pid; do [ -f "$f" ] && kill $(cat "$f") 2>/dev/null; done; _cleanup' EXIT
export PORT COVID_VAR=$VAR

# The real programs, never stand-ins: a missing build must fail here.
for prog in "$OUT/cgi-bin/portal.fcgi" "$INGEST"; do
	[ -x "$prog" ] || { not_ok "$prog is built"; exit 1; }
done
export COVID_PORTAL=$OUT/cgi-bin/portal.fcgi
[ -x "$OUT/cgi-bin/export.fcgi" ] && export COVID_EXPORT=$OUT/cgi-bin/export.fcgi
export COVID_INGEST=$INGEST
static_dir=${COVID_STATIC:-$ROOT/static}

# start_run_local: in the background, in its own process group (set -m) like
# a job in a terminal, so SIGINT reaches it and nginx as Ctrl-C would. Waits
# up to 120 s (the sample loads first) for it to say it is serving.
start_run_local() {
	set -m
	sh "$ROOT/etc/run-local.sh" >"$T/run.out" 2>&1 &
	rl=$!
	set +m
	_pids="$_pids $rl"
	local i
	for i in $(seq 1200); do
		grep -q 'serving http' "$T/run.out" && return 0
		kill -0 "$rl" 2>/dev/null || break
		sleep 0.1
	done
	sed 's/^/#   /' "$T/run.out"
	return 1
}

# stopped_cleanly DESCRIPTION SIGNAL TARGET: sends the signal, waits up to
# 10 s for run-local.sh to exit, then checks its status and that nginx, every
# worker and every socket is gone.
stopped_cleanly() {
	local d=$1 sig=$2 target=$3 pids rc i
	# nginx's master and workers, every FastCGI worker.
	pids=$(cat "$VAR/run/nginx.pid"; pgrep -P "$(cat "$VAR/run/nginx.pid")"
		cat "$VAR/run/portal.pid"; echo; cat "$VAR/run/export.pid" 2>/dev/null)
	pids=$(echo $pids)
	kill "-$sig" -- "$target"
	for i in $(seq 100); do kill -0 "$rl" 2>/dev/null || break; sleep 0.1; done
	wait "$rl"; rc=$?
	check_eq "$d: run-local.sh exits 0" "$rc" 0
	check_contains "$d: says it stopped" "$T/run.out" "run-local: stopped"
	local left=""
	for p in $pids; do alive "$p" && left="$left $p"; done
	check_eq "$d: nginx and all workers gone (of:$pids)" "$left" ""
	check_eq "$d: no sockets or pid files left" "$(ls "$VAR/run" | grep -E '\.(sock|pid)$')" ""
}

start_run_local || { not_ok "run-local.sh starts"; exit 1; }
ok "run-local.sh starts"
check_contains "prints the URL" "$T/run.out" "http://127.0.0.1:$PORT/"
check_contains "says where the database is" "$T/run.out" "$VAR/covid.db"
check_contains "says where the logs are" "$T/run.out" "$VAR/log/"
check "portal socket under var/run" test -S "$VAR/run/portal.sock"
check "nginx runs from the rendered local config" grep -q "listen 127.0.0.1:$PORT;" "$VAR/run/nginx.conf"
n=$(sqlite3 -readonly "$VAR/covid.db" 'SELECT count(*) FROM daily_report')
check "the database has reports ($n)" test "$n" -gt 0
# Every sample file holds reports, and the ingest keeps each date it loads.
files=$(ls "$SAMPLE/csse_covid_19_daily_reports" | grep -c '\.csv$')
dates=$(sqlite3 -readonly "$VAR/covid.db" 'SELECT count(DISTINCT date) FROM daily_report')
check_eq "every sample date loaded" "$dates" "$files"

code=$(curl -s -o "$T/index" -w '%{http_code}' "http://127.0.0.1:$PORT/")
check_eq "/ answers 200" "$code" 200
check "/ is an HTML page" grep -qi '<html' "$T/index"
curl -s -D "$T/css.h" -o "$T/css" "http://127.0.0.1:$PORT/static/style.css"
check_eq "/static/style.css is text/css" \
	"$(grep -i '^Content-Type:' "$T/css.h" | tr -d '\r' | cut -d' ' -f2-)" "text/css"
check "/static/style.css is the file on disk" cmp -s "$T/css" "$static_dir/style.css"

# A second copy on the same port says so and leaves the first alone.
if sh "$ROOT/etc/run-local.sh" >"$T/busy.out" 2>&1; then
	not_ok "a second run on a busy port fails"
else
	check_contains "a second run on a busy port says the port is busy" "$T/busy.out" "port $PORT on 127.0.0.1 is busy"
fi
check "the first run's socket survives the second" test -S "$VAR/run/portal.sock"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")
check_eq "the first run still answers" "$code" 200

stopped_cleanly "Ctrl-C" INT "-$rl"

# Again with the database now loaded: no second ingest; SIGTERM to the
# script alone (not its group) stops everything too.
ingest_log=$(cat "$VAR/log/ingest.log")
start_run_local || { not_ok "run-local.sh starts again"; exit 1; }
check_contains "the restart serves" "$T/run.out" "http://127.0.0.1:$PORT/"
check_not_contains "the restart does not load the sample again" "$T/run.out" "loading the bundled sample"
check_eq "the ingest log is unchanged" "$(cat "$VAR/log/ingest.log")" "$ingest_log"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")
check_eq "/ answers 200 after the restart" "$code" 200
stopped_cleanly "SIGTERM" TERM "$rl"
