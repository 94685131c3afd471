# bench/lib.sh: what bench/portal.sh and bench/export.sh share, sourced
# after they set ROOT and cd there: the benchmark database and the local
# nginx site on a free port, and the release build (bench/build.sh) they
# measure: REL/bin, REL/cgi-bin.
#
# Environment: BENCH_DATA (the daily reports to load: by default the
# full-scale data, all 1,143 dates, that bench/data.sh builds in
# var/bench/jhu; the bundled sample when there is no JHU data set to build
# it from), BENCH_DB (a database to use as it is), BENCH_DIR (var/bench).

if [ -z "${BENCH_DATA:-}" ] && [ -n "${BENCH_DB:-}" ]; then
	BENCH_DATA=none         # BENCH_DB is used as it is: nothing to load
elif [ -z "${BENCH_DATA:-}" ]; then
	if full=$(sh "$ROOT/bench/data.sh"); then
		BENCH_DATA=$full/csse_covid_19_daily_reports
	else
		echo "bench: no full-scale data; loading the bundled sample" >&2
		BENCH_DATA=$ROOT/data/sample/csse_covid_19_daily_reports
	fi
fi
# What was loaded: the folder, and the tree's stamp when bench/data.sh built
# it (a rebuilt tree at the same path is new data).
BENCH_DATA_ID="$BENCH_DATA $(cat "$(dirname "$BENCH_DATA").stamp" 2>/dev/null | tr '\n' ' ')"
B=${BENCH_DIR:-$ROOT/var/bench}
REL=$(sh "$ROOT/bench/build.sh") || exit 1
INGEST=$REL/bin/covid-ingest
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
POOL="sh $ROOT/etc/spawn-fcgi/pool.sh"
DB=${BENCH_DB:-$B/covid.db}

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# bench_db: the whole history in $DB, loaded once and kept for later runs
# (of either script); loaded again when the data or the schema changed.
bench_db() {
	want=$(ls migrations | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1)
	have=$(sqlite3 -readonly "$DB" 'PRAGMA user_version' 2>/dev/null || echo 0)
	[ -n "${BENCH_DB:-}" ] && return 0
	[ "$(cat "$B/loaded" 2>/dev/null)" = "$BENCH_DATA_ID" ] && [ "$have" = "$want" ] && return 0
	[ -x "$INGEST" ] || die "no ingest program at $INGEST (run make)"
	note "loading $BENCH_DATA into $DB (log: $B/log/ingest.log)"
	rm -f "$B/loaded" "$DB" "$DB-wal" "$DB-shm"
	"$INGEST" --db "$DB" --source "file://$BENCH_DATA" \
		--from 2020-01-22 --to 2023-03-09 --skip-missing >"$B/log/ingest.log" 2>&1 ||
		die "loading failed; see $B/log/ingest.log"
	echo "$BENCH_DATA_ID" >"$B/loaded"
}

# bench_nginx STATIC_DIR: the local site (etc/nginx/local.conf.in) on a free
# port of 127.0.0.1, sockets in $B/run, access log off (it costs the same
# for every row; off, as a busy site might). Sets PORT, URL and nginx_pid;
# bench_stop stops it and the pool on $SOCK.
bench_nginx() {
	user_line=
	[ "$(id -u)" -eq 0 ] && user_line="user root;"
	PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	URL=http://127.0.0.1:$PORT
	PORT=$PORT RUN=$B/run LOG=$B/log STATIC=$1 CACHE=$B/cache USER_LINE=$user_line \
		sh etc/nginx/render.sh etc/nginx/local.conf.in \
		PORT RUN LOG STATIC CACHE USER_LINE >"$B/run/nginx.conf"
	sed -i 's|^\( *\)access_log .*;|\1access_log off;|' "$B/run/nginx.conf"
	"$NGINX" -e "$B/log/nginx-error.log" -p "$B/run" -c "$B/run/nginx.conf" &
	nginx_pid=$!
}

nginx_pid=
bench_stop() {
	[ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null && { wait "$nginx_pid" 2>/dev/null || true; }
	$POOL stop "$SOCK" 2>/dev/null || true
}
