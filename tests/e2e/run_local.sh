# run_local: `make run`'s script (etc/run-local.sh) on a free port with its
# state in $T/var: it loads the sample, serves pages and static files through
# nginx, refuses a busy port, starts again a worker that dies (kill -9, or a
# program that will not start: with a growing back-off), /healthz/export
# says when no export worker is there, and Ctrl-C (SIGINT to its process
# group, as a terminal sends it; ten times over) or SIGTERM stops every
# process and removes the sockets.
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
# A copy of the export program, which the test moves away and back.
[ -x "$OUT/cgi-bin/export.fcgi" ] || { not_ok "$OUT/cgi-bin/export.fcgi is built"; exit 1; }
mkdir -p "$T/bin" && cp "$OUT/cgi-bin/export.fcgi" "$T/bin/export.fcgi"
export COVID_EXPORT=$T/bin/export.fcgi
export COVID_INGEST=$INGEST
URL=http://127.0.0.1:$PORT
static_dir=${COVID_STATIC:-$ROOT/static}

# start_run_local [ignored]: in the background, in its own process group
# (set -m) like a job in a terminal, so that SIGINT to the group reaches it
# as Ctrl-C would. With SIGINT at its default action, as a terminal's job
# has it (the suite itself may run with it ignored), or with "ignored" as a
# script's background job has it. Waits up to 120 s (the sample loads
# first) for it to say it is serving.
start_run_local() {
	set -m
	if [ "${1:-}" = ignored ]; then
		(trap '' INT; exec sh "$ROOT/etc/run-local.sh") >"$T/run.out" 2>&1 &
	else
		env --default-signal=INT sh "$ROOT/etc/run-local.sh" >"$T/run.out" 2>&1 &
	fi
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

# run_pids: nginx's master and workers, the pools' supervisors and workers.
run_pids() {
	local f
	echo $(cat "$VAR/run/nginx.pid"; echo; pgrep -P "$(cat "$VAR/run/nginx.pid")"
		for f in portal export; do
			cat "$VAR/run/$f.supervisor.pid" "$VAR/run/$f.pid"; echo
		done)
}

# stopped_cleanly DESCRIPTION SIGNAL TARGET: sends the signal, waits up to
# 10 s for run-local.sh to exit, then checks its status and that nginx, every
# worker and every socket is gone.
stopped_cleanly() {
	local d=$1 sig=$2 target=$3 pids rc
	# nginx's master and workers, every FastCGI worker, the supervisors.
	pids=$(run_pids)
	kill "-$sig" -- "$target"
	wait_until 10 none_alive "$rl"
	wait "$rl"; rc=$?
	check_eq "$d: run-local.sh exits 0" "$rc" 0
	check_contains "$d: says it stopped" "$T/run.out" "run-local: stopped"
	# (A process killed as run-local.sh ends may take a moment to go.)
	local left=""
	wait_until 5 none_alive $pids
	for p in $pids; do alive "$p" && left="$left $p"; done
	check_eq "$d: nginx and all workers gone (of:$pids)" "$left" ""
	if [ -n "$left" ]; then
		ps -o pid,ppid,pgid,stat,etime,args -p "$(echo $left | tr ' ' ,)" | sed 's/^/#   /'
		grep -h '^pool.sh' "$VAR"/log/*.log | tail -n 6 | sed 's/^/#   /'
	fi
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

# --- A worker that dies is started again ------------------------------------
# workers NAME: the pids in NAME's pid file (its live workers).
workers() { cat "$VAR/run/$1.pid" 2>/dev/null; }
# replaced NAME PID...: NAME's pool has its 2 workers again, all alive, none
# of them one of PID...
replaced() {
	local name=$1 p n=0
	shift
	for p in $(workers "$name"); do
		alive "$p" || return 1
		case " $* " in *" $p "*) return 1 ;; esac
		n=$((n + 1))
	done
	[ $n -eq 2 ]
}
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$URL$1"; }
probe_ok() { [ "$(curl -s --max-time 20 "$URL/healthz/export")" = ok ]; }
CSV=/export.csv?level=country\&country=Germany

# only_new_answers NAME NEW PATH: with NAME's other workers stopped, PATH is
# answered 200 (by NEW, the one left to take it).
only_new_answers() {
	local name=$1 new=$2 path=$3 p code
	for p in $(workers "$name"); do [ "$p" != "$new" ] && kill -STOP "$p"; done
	code=$(status "$path")
	for p in $(workers "$name"); do [ "$p" != "$new" ] && kill -CONT "$p"; done
	[ "$code" = 200 ]
}

# (A worker killed within a second of its start comes back a second later,
# one that had run longer at once: either way within 10 s.)
for pool in portal export; do
	if [ $pool = portal ]; then path=/region/germany; else path=$CSV; fi
	before=$(workers $pool)
	w=$(echo "$before" | head -n 1)
	kill -KILL "$w"
	if wait_until 10 replaced $pool "$w"; then
		ok "$pool: a worker killed (-9) is started again"
	else
		not_ok "$pool: a worker killed (-9) is started again (pid file: $(echo $(workers $pool)))"
	fi
	check_contains "$pool: its log says so" "$VAR/log/$pool.log" \
		"pool.sh: ${pool}.fcgi: worker $w killed by signal KILL"
	new=$(workers $pool | grep -vxF "$before")
	check "$pool: the new worker ($new) answers $path" only_new_answers $pool "$new" "$path"
done

# --- No export worker: /healthz/export says so until they are back --------
# The supervisor stopped, so that the killed workers stay gone for a while.
sup=$(cat "$VAR/run/export.supervisor.pid")
old=$(workers export)
kill -STOP "$sup"
kill -KILL $old
wait_until 10 none_alive $old
check_eq "no export worker: /healthz/export says so (nginx's 504)" "$(status /healthz/export)" 504
check_eq "no export worker: the portal's /healthz still 200" "$(status /healthz)" 200
kill -CONT "$sup"
check "the supervisor starts them again" wait_until 10 replaced export $old
check "then /healthz/export answers ok" wait_until 10 probe_ok
check_eq "and /export.csv 200" "$(status "$CSV")" 200

# A program that cannot start (moved away, as by a half-done rebuild) is
# tried again and again, further apart each time; back, it serves again.
mv "$T/bin/export.fcgi" "$T/bin/export.away"
old=$(workers export)
kill -KILL $old
check "a program that will not start: tried again after 1 s, then 2 s" wait_until 20 \
	grep -q "exited with status 127 within a second of its start; restarting in 2 s" "$VAR/log/export.log"
check_contains "... after 1 s first" "$VAR/log/export.log" \
	"within a second of its start; restarting in 1 s"
check_contains "... the log says why it does not start" "$VAR/log/export.log" \
	"$T/bin/export.fcgi: No such file or directory"
check_eq "... meanwhile /healthz/export says so (504)" "$(status /healthz/export)" 504
mv "$T/bin/export.away" "$T/bin/export.fcgi"
check "back in place, it serves again (/healthz/export ok within 20 s)" wait_until 20 probe_ok
check "... with its 2 workers" wait_until 10 replaced export
check_eq "... and /export.csv 200" "$(status "$CSV")" 200

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

# Ctrl-C again and again: whichever process sees the SIGINT first, the run
# says it stopped and leaves nothing behind.
for round in $(seq 10); do
	start_run_local || { not_ok "run-local.sh starts (round $round)"; exit 1; }
	stopped_cleanly "Ctrl-C, round $round" INT "-$rl"
done
# Started with SIGINT ignored (a script's background job), SIGINT to its
# group stops it all the same.
start_run_local ignored || { not_ok "run-local.sh starts with SIGINT ignored"; exit 1; }
stopped_cleanly "SIGINT ignored at start" INT "-$rl"
