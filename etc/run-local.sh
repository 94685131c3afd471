#!/bin/sh
# etc/run-local.sh: what `make run` runs after building. Loads the bundled
# sample into var/covid.db when the database has no data (or an older
# schema), starts the FastCGI programs with spawn-fcgi on unix sockets under
# var/run/, then nginx in the foreground on http://127.0.0.1:$PORT/.
# Ctrl-C (or SIGTERM) stops nginx and every worker and removes the sockets.
# A worker that dies is started again by its pool's supervisor
# (etc/spawn-fcgi/pool.sh; a line in portal.log or export.log says so).
#
# nginx and the pools run in sessions of their own, so a terminal's Ctrl-C
# (SIGINT to the whole foreground process group) reaches only this script,
# which stops them in order; otherwise nginx could see it first and exit,
# and its exit would look like a failure here.
#
# Environment (all optional):
#   PORT             TCP port on 127.0.0.1 (8080)
#   WORKERS          workers per program (2)
#   COVID_VAR        state directory: database, run/, log/, cache/ (var)
#   COVID_STATIC     the static files nginx serves (static)
#   COVID_INGEST     the ingest program (bin/covid-ingest)
#   COVID_FORECAST   the forecast program (bin/covid-forecast)
#   COVID_PORTAL     the portal program (cgi-bin/portal.fcgi)
#   COVID_EXPORT     the export program (cgi-bin/export.fcgi; started if built)
#   COVID_API        the JSON API (cgi-bin/api.fcgi; started if built)
#   COVID_INTAKE     the case intake and /live (cgi-bin/intake.fcgi; started
#                    if built, in two pools: writers and readers). Its
#                    database is $COVID_VAR/cases.db; a writer and a reader
#                    token for local use are made once in $COVID_VAR/tokens/
set -eu
# A shell cannot trap a signal that was ignored when it started, as SIGINT
# is in a job a script started in the background: Ctrl-C (or SIGINT) would
# then stop nothing. Start again with SIGINT at its default action.
sigign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$$/status" 2>/dev/null || true)
if [ -n "$sigign" ] && [ $((0x$sigign & 2)) -ne 0 ]; then
	exec env --default-signal=INT sh "$0" "$@"
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

PORT=${PORT:-8080}
WORKERS=${WORKERS:-2}
VAR=${COVID_VAR:-$ROOT/var}
STATIC=${COVID_STATIC:-$ROOT/static}
INGEST=${COVID_INGEST:-$ROOT/bin/covid-ingest}
PORTAL=${COVID_PORTAL:-$ROOT/cgi-bin/portal.fcgi}
EXPORT=${COVID_EXPORT:-$ROOT/cgi-bin/export.fcgi}
API=${COVID_API:-$ROOT/cgi-bin/api.fcgi}
INTAKE=${COVID_INTAKE:-$ROOT/cgi-bin/intake.fcgi}
FORECAST=${COVID_FORECAST:-$ROOT/bin/covid-forecast}
DB=$VAR/covid.db
RUN=$VAR/run
LOG=$VAR/log
CACHE=$VAR/cache
SAMPLE=$ROOT/data/sample/csse_covid_19_daily_reports
# Debian keeps nginx in /usr/sbin, which is not on an ordinary user's PATH.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
POOL="sh $ROOT/etc/spawn-fcgi/pool.sh"

say() { echo "run-local: $*"; }
die() { echo "run-local: $*" >&2; exit 1; }

case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, not '$PORT'" ;; esac
[ -x "$PORTAL" ] || die "no portal program at $PORTAL (run make)"

# curl exits 7 when nothing accepts the connection; anything else means
# someone is there and nginx's bind() would fail.
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; rc=$?; [ "$rc" -ne 7 ]; then
	die "port $PORT on 127.0.0.1 is busy (another 'make run'?); try PORT=8081 make run"
fi

mkdir -p "$VAR" "$RUN/tmp" "$LOG" "$CACHE"

# Stops whatever has been started so far; safe to run twice.
nginx_pid=
stopped=
stop_all() {
	[ -n "$stopped" ] && return 0
	stopped=1
	if [ -n "$nginx_pid" ]; then
		kill -TERM "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	$POOL stop "$RUN/intake.sock"
	$POOL stop "$RUN/live.sock"
	$POOL stop "$RUN/api.sock"
	$POOL stop "$RUN/export.sock"
	$POOL stop "$RUN/portal.sock"
	rm -f "$RUN/nginx.conf"
}
on_signal() {
	echo
	say "stopping"
	stop_all
	say "stopped"
	exit 0
}
trap on_signal INT TERM
trap stop_all EXIT

# The page cache nginx sends repeated pages from (src/portal/portal_cache.h):
# the portal writes it, the ingest withdraws it when the data moves.
COVID_PAGE_CACHE=$CACHE/pages
export COVID_PAGE_CACHE

# The database: loaded from the bundled sample when it holds no reports or
# was made by an older schema (the ingest migrates it; dates already loaded
# come back "unchanged").
want_schema=$(ls migrations | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1)
have_schema=$(sqlite3 -readonly "$DB" 'PRAGMA user_version' 2>/dev/null || echo 0)
has_data=$(sqlite3 -readonly "$DB" 'SELECT EXISTS (SELECT 1 FROM daily_report)' 2>/dev/null || echo 0)
if [ ! -f "$DB" ] || [ "$has_data" != 1 ] || [ "$have_schema" -lt "$want_schema" ]; then
	[ -x "$INGEST" ] || die "no ingest program at $INGEST (run make)"
	say "loading the bundled sample into $DB (log: $LOG/ingest.log)"
	# A new database starts its data versions again: pages cached from
	# the old one could carry the same number.
	rm -rf "$COVID_PAGE_CACHE"
	if ! "$INGEST" --db "$DB" --source "file://$SAMPLE" \
	    --from 2020-01-22 --to 2023-03-09 --skip-missing >>"$LOG/ingest.log" 2>&1; then
		tail -n 20 "$LOG/ingest.log" >&2
		die "loading the sample failed; see $LOG/ingest.log"
	fi
fi
# The forecasts and their backtest (docs/forecasts.md); a run when the data
# has not moved since the last one writes nothing.
if [ -x "$FORECAST" ]; then
	say "forecasting (log: $LOG/forecast.log)"
	"$FORECAST" --db "$DB" >>"$LOG/forecast.log" 2>&1 ||
		die "the forecast failed; see $LOG/forecast.log"
fi

# The programs read their settings from the environment; absolute paths so
# nothing depends on their working directory.
COVID_DB=$DB
COVID_TEMPLATES=$ROOT/templates
COVID_CACHE_DIR=$CACHE
export COVID_DB COVID_TEMPLATES COVID_CACHE_DIR

$POOL start "$PORTAL" "$RUN/portal.sock" "$WORKERS" "$LOG/portal.log"
if [ -x "$EXPORT" ]; then
	$POOL start "$EXPORT" "$RUN/export.sock" "$WORKERS" "$LOG/export.log"
fi
if [ -x "$API" ]; then
	$POOL start "$API" "$RUN/api.sock" "$WORKERS" "$LOG/api.log"
fi

# The intake: a token of each kind for local use, made once (only their
# SHA-256 is in the files the intake reads; the tokens are for you).
TOKENS=$VAR/tokens
# new_token NAME KIND: $TOKENS/local-KIND.token and its line in KIND.tokens.
new_token() {
	[ -s "$TOKENS/local-$2.token" ] && return 0
	tok=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
	(umask 077 && printf '%s\n' "$tok" >"$TOKENS/local-$2.token" &&
	    echo "$1 $(printf %s "$tok" | sha256sum | cut -d' ' -f1)" >"$TOKENS/$2s.tokens")
}
if [ -x "$INTAKE" ]; then
	mkdir -p "$TOKENS"
	chmod 700 "$TOKENS"
	new_token local writer
	new_token local-reader reader
	COVID_CASES_DB=$VAR/cases.db COVID_INTAKE_TOKENS=$TOKENS/writers.tokens \
	COVID_READER_TOKENS=$TOKENS/readers.tokens COVID_LIVE_PUBLISH=http://localhost/live \
	COVID_LIVE_PUBLISH_SOCKET=$RUN/live-publish.sock
	export COVID_CASES_DB COVID_INTAKE_TOKENS COVID_READER_TOKENS COVID_LIVE_PUBLISH \
	    COVID_LIVE_PUBLISH_SOCKET
	# The writers: one worker whose threads commit in groups (docs/intake.md).
	COVID_INTAKE_THREADS=8 $POOL start "$INTAKE" "$RUN/intake.sock" 1 "$LOG/intake.log"
	$POOL start "$INTAKE" "$RUN/live.sock" "$WORKERS" "$LOG/live.log"
fi

user_line=
if [ "$(id -u)" -eq 0 ]; then user_line="user root;"; fi
PORT=$PORT RUN=$RUN LOG=$LOG STATIC=$STATIC CACHE=$CACHE USER_LINE=$user_line \
	sh etc/nginx/render.sh etc/nginx/local.conf.in \
	PORT RUN LOG STATIC CACHE USER_LINE >"$RUN/nginx.conf"

# -e: before reading its config nginx opens its built-in error log under
# /var/log/nginx, which an unprivileged user cannot write. setsid execs
# nginx (a background job is no group leader), so $! is nginx.
setsid "$NGINX" -e "$LOG/nginx-error.log" -p "$RUN" -c "$RUN/nginx.conf" </dev/null &
nginx_pid=$!

# Say where it is once nginx accepts connections (or why it never did), and
# whether the portal answers its front page.
i=0
until code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/"); rc=$?; [ "$rc" -ne 7 ]; do
	if ! kill -0 "$nginx_pid" 2>/dev/null || [ $i -ge 100 ]; then
		tail -n 5 "$LOG/nginx-error.log" >&2
		grep -q 'Address already in use' "$LOG/nginx-error.log" 2>/dev/null &&
			die "port $PORT is busy; try PORT=$((PORT + 1)) make run"
		die "nginx did not start; see $LOG/nginx-error.log"
	fi
	sleep 0.1
	i=$((i + 1))
done
[ "$code" = 200 ] || say "warning: / answered ${code:-nothing}; see $LOG/portal.log"
say "serving http://127.0.0.1:$PORT/"
say "database $DB"
say "logs     $LOG/ (portal.log, export.log, api.log, nginx-error.log, nginx-access.log)"
if [ -x "$INTAKE" ]; then
	say "cases    POST http://127.0.0.1:$PORT/api/v1/cases with the writer token in"
	say "         $TOKENS/local-writer.token (reader: local-reader.token); /live shows them"
fi
say "Ctrl-C stops everything"

# wait returns early when a trapped signal arrives; the trap then exits.
rc=0
wait "$nginx_pid" || rc=$?
nginx_pid=
say "nginx exited with status $rc; see $LOG/nginx-error.log"
exit "$rc"
