# make_run: `make run` as a newcomer types it, `PORT=N make run`, with
# COVID_VAR on a scratch directory so the developer's var/ is left alone.
# It builds the release programs (bin/, cgi-bin/: make run's own build, not
# the suite's), loads the sample, serves: the front page, a region page and
# both exports answer (the XLSX opens in openpyxl). Ctrl-C, sent as a
# terminal sends it (SIGINT to the whole process group: make, run-local.sh),
# stops everything: make, nginx, every worker, both supervisors, and no
# socket is left. Once more with the settings on make's command line.
source "$(dirname "$0")/../lib.sh"

VAR=$T/var
PORT=$(free_port)
touch "$T/before"

# start_make_run OUTFILE [make args...]: `make run` in a session of its own
# (setsid: its process group is the session's, as a terminal's foreground
# job), with SIGINT at its default action as in a terminal. What the suite
# runs under must not leak in: its BUILD and OUT would send make run's
# release build into the suite's build directory, a parent make's MAKEFLAGS
# would carry SAN=1, and the COVID_* programs would replace the release
# ones. Leaves make's pid (= its process group) in $mk. Waits up to 15
# minutes (a full release build on a busy machine, then the sample) for it
# to say it is serving.
start_make_run() {
	local out=$1
	shift
	env -u BUILD -u OUT -u SAN -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    -u COVID_PORTAL -u COVID_EXPORT -u COVID_INGEST -u COVID_STATIC -u WORKERS \
	    --default-signal=INT \
	    setsid make --no-print-directory -C "$ROOT" run "$@" >"$out" 2>&1 </dev/null &
	mk=$!
	_pids="$_pids $mk"
	wait_until 900 grep -q 'run-local: serving http' "$out" && return 0
	tail -n 30 "$out" | sed 's/^/#   /'
	return 1
}

# everything: the pids of make's process group (make, the recipe's shell,
# run-local.sh), nginx's master and workers, the pools' supervisors and
# workers.
everything() {
	local f
	echo $(pgrep -g "$mk"
		cat "$VAR/run/nginx.pid" 2>/dev/null; echo
		pgrep -P "$(cat "$VAR/run/nginx.pid" 2>/dev/null)"
		for f in portal export; do
			cat "$VAR/run/$f.supervisor.pid" "$VAR/run/$f.pid" 2>/dev/null; echo
		done)
}

# ctrl_c NAME: SIGINT to make's process group; make must end within 20 s,
# run-local.sh say it stopped, and nothing be left: no process, no socket,
# no pid file, nobody listening on the port.
ctrl_c() {
	local name=$1 out=$2 pids left="" p
	pids=$(everything)
	check "$name: make, run-local.sh, nginx, supervisors and workers all there ($(echo $pids | wc -w))" \
		test "$(echo $pids | wc -w)" -ge 9
	kill -INT -- "-$mk"
	if wait_until 20 none_alive "$mk"; then ok "$name: make ends on Ctrl-C"; else
		not_ok "$name: make ends on Ctrl-C"; fi
	wait "$mk" 2>/dev/null
	check_contains "$name: run-local.sh says it stopped" "$out" "run-local: stopped"
	check_not_contains "$name: not that nginx exited on its own" "$out" "nginx exited"
	for p in $pids; do alive "$p" && left="$left $p"; done
	check_eq "$name: every process gone" "$left" ""
	[ -n "$left" ] && ps -o pid,pgid,sid,args -p "$(echo $left | tr ' ' ,)" | sed 's/^/#   /'
	check_eq "$name: no socket or pid file left" \
		"$(ls "$VAR/run" | grep -E '\.(sock|pid)$')" ""
	check_eq "$name: nobody listens on the port" "$(ss -Hltn "sport = :$PORT")" ""
}

if ! PORT=$PORT COVID_VAR=$VAR start_make_run "$T/run.out"; then
	not_ok "PORT=$PORT COVID_VAR=... make run serves"; exit 1
fi
ok "PORT=$PORT COVID_VAR=... make run serves"
check_contains "on the port given" "$T/run.out" "serving http://127.0.0.1:$PORT/"
check_contains "with the database in COVID_VAR" "$T/run.out" "database $VAR/covid.db"
check "the sample loaded into it" test "$(sqlite3 -readonly "$VAR/covid.db" \
	'SELECT count(*) FROM daily_report')" -gt 0
check "sockets under COVID_VAR/run" test -S "$VAR/run/portal.sock" -a -S "$VAR/run/export.sock"
check "the release programs (bin/, cgi-bin/), built" \
	test -x "$ROOT/bin/covid-ingest" -a -x "$ROOT/cgi-bin/portal.fcgi" -a -x "$ROOT/cgi-bin/export.fcgi"
check_eq "they are the ones serving" "$(readlink "/proc/$(head -n 1 "$VAR/run/portal.pid")/exe")" \
	"$ROOT/cgi-bin/portal.fcgi"
check_eq "the developer's var/ untouched" "$(find "$ROOT/var" -newer "$T/before" 2>/dev/null | head -n 3)" ""

# get NAME PATH: the body in $T/NAME, the headers in $T/NAME.h; the status.
get() { curl -s -o "$T/$1" -D "$T/$1.h" -w '%{http_code}' --max-time 120 "http://127.0.0.1:$PORT$2"; }
ctype() { grep -i '^Content-Type:' "$T/$1.h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }

check_eq "/ answers 200" "$(get index /)" 200
check_eq "a region page answers 200" "$(get region /region/germany)" 200
check_eq "... HTML" "$(ctype region)" "text/html; charset=utf-8"
check_contains "... Germany's" "$T/region" "<h1>Germany</h1>"
check_eq "/export.csv for Germany answers 200" \
	"$(get de.csv '/export.csv?level=country&country=Germany')" 200
check_eq "... text/csv" "$(ctype de.csv)" "text/csv; charset=utf-8"
# A row a date: "2023-03-09,Germany,...".
rows=$(grep -c '^[0-9-]*,Germany,' "$T/de.csv")
dates=$(sqlite3 -readonly "$VAR/covid.db" \
	"SELECT count(*) FROM v_country_daily WHERE country_region = 'Germany'")
check_eq "... Germany's rows, one a date it was reported" "$rows" "$dates"
check_eq "/export.xlsx for Germany answers 200" \
	"$(get de.xlsx '/export.xlsx?level=country&country=Germany')" 200
check_eq "... the XLSX type" "$(ctype de.xlsx)" \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
xrows=$(/usr/bin/python3 - "$T/de.xlsx" 2>"$T/xlsx.err" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
# The data sheets ("Data", "Data (2)", ...; "About" names the request too):
# rows whose Country_Region, the second column, is Germany.
print(sum(1 for ws in wb.worksheets if ws.title.startswith("Data")
          for row in ws.iter_rows(min_row=2, values_only=True)
          if len(row) > 1 and row[1] == "Germany"))
PY
)
check_eq "... opens in openpyxl, with Germany's rows" "$xrows" "$rows"
[ -s "$T/xlsx.err" ] && sed 's/^/#   /' "$T/xlsx.err"
check_eq "/healthz/export: an export worker answers" "$(get hx /healthz/export)" 200

ctrl_c "Ctrl-C" "$T/run.out"

# The same settings on make's command line (make hands them to the recipe).
PORT=$(free_port)
if ! start_make_run "$T/run2.out" PORT="$PORT" COVID_VAR="$VAR"; then
	not_ok "make run PORT=$PORT COVID_VAR=... serves"; exit 1
fi
ok "make run PORT=$PORT COVID_VAR=... serves"
check_contains "on that port" "$T/run2.out" "serving http://127.0.0.1:$PORT/"
check_not_contains "the loaded database kept" "$T/run2.out" "loading the bundled sample"
check_eq "/ answers 200" "$(get index2 /)" 200
ctrl_c "Ctrl-C again" "$T/run2.out"
