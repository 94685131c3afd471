# tests/lib.sh: shared helpers for the end-to-end scripts (bash).
# Source it first; it makes $T (a scratch directory removed on exit), reports
# results as TAP-style "ok"/"not ok" lines, and starts real servers (nginx,
# spawn-fcgi) on free ports, stopping them on exit.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$ROOT/build/asan}
case "$OUT" in /*) ;; *) OUT=$ROOT/$OUT ;; esac
INGEST=${INGEST:-$OUT/bin/covid-ingest}
SAMPLE=$ROOT/data/sample
T=$(mktemp -d "${TMPDIR:-/tmp}/covid-test.XXXXXX")
# mktemp makes it 0700; nginx workers (nobody, when the suite runs as root)
# must read the files and sockets the tests put here.
chmod go+rx "$T"
_n=0
_pids=""

_cleanup() {
	for p in $_pids; do kill "$p" 2>/dev/null; done
	# An nginx killed just above may remove its pid file between the test
	# and the cat: quietly.
	for f in "$T"/*.pid "$T"/*/*.pid; do [ -f "$f" ] && kill $(cat "$f" 2>/dev/null) 2>/dev/null; done
	sleep 0.1
	for p in $_pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap _cleanup EXIT

ok()     { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); echo "not ok $_n - $*"; }

# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"; echo "#   got:  $2"; echo "#   want: $3"; fi
}

# check_contains DESCRIPTION FILE TEXT: a fixed string occurs in the file.
check_contains() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"; echo "#   '$3' not in $2:"; head -c 600 "$2" | sed 's/^/#   /'; fi
}
check_not_contains() {
	if ! grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"; echo "#   '$3' unexpectedly in $2"; fi
}

# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for_port PORT: up to 10 s for something to accept on it.
wait_for_port() {
	local i
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# nothing listening on port $1" >&2
	return 1
}

# wait_for_socket PATH: up to 10 s for a unix socket to appear.
wait_for_socket() {
	local i
	for i in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.1; done
	echo "# no socket at $1" >&2
	return 1
}

# start_nginx NAME SERVER_BLOCK: runs a real nginx in the foreground (as a
# background job) with a minimal main config around the given server block.
# Logs go to $T/NAME.*.log.
start_nginx() {
	local name=$1 server=$2 dir=$T/nginx-$1
	mkdir -p "$dir/tmp"
	cat >"$dir/nginx.conf" <<NGINX
worker_processes 1;
pid $dir/nginx.pid;
error_log $T/$name.error.log info;
daemon off;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $T/$name.access.log;
    client_body_temp_path $dir/tmp/body;
    fastcgi_temp_path $dir/tmp/fastcgi;
    proxy_temp_path $dir/tmp/proxy;
    scgi_temp_path $dir/tmp/scgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    $server
}
NGINX
	nginx -e "$T/$name.error.log" -p "$dir" -c "$dir/nginx.conf" &
	_pids="$_pids $!"
}

# start_static_server ROOT: nginx serving ROOT on a free port, which it
# leaves in $STATIC_PORT (not printed: a $(...) subshell would lose the
# server's pid). Requests are logged to $T/static.access.log.
start_static_server() {
	STATIC_PORT=$(free_port)
	start_nginx static "server { listen 127.0.0.1:$STATIC_PORT; root $1; etag on; }"
	wait_for_port "$STATIC_PORT"
}

# alive PID: the process exists and has not finished (a zombie has; this
# machine's init may never reap it).
alive() {
	[ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null
}

# start_portal DB: the portal as it runs for `make run`, on a free port:
# etc/nginx/local.conf.in rendered into $PORTAL_DIR (= $T/portal), with
# $OUT/cgi-bin/portal.fcgi (and export.fcgi when built) under spawn-fcgi on
# unix sockets there, COVID_DB=DB and the repository's templates. Sets
# PORTAL_PORT and PORTAL_URL (http://127.0.0.1:PORT, no trailing slash).
# Logs: $PORTAL_DIR/{portal,export,nginx-error,nginx-access}.log.
# Overrides: PORTAL_PROGRAM, EXPORT_PROGRAM, PORTAL_WORKERS (2), PORTAL_STATIC.
# Returns non-zero, printing the logs, when something did not come up:
#   start_portal "$db" || { not_ok "portal starts"; exit 1; }
start_portal() {
	local db=$1 dir=$T/portal user_line=
	local portal=${PORTAL_PROGRAM:-$OUT/cgi-bin/portal.fcgi}
	local exporter=${EXPORT_PROGRAM:-$OUT/cgi-bin/export.fcgi}
	local workers=${PORTAL_WORKERS:-2}
	local nginx_bin
	nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
	mkdir -p "$dir/tmp" "$dir/cache"
	PORTAL_DIR=$dir
	PORTAL_PORT=$(free_port)
	PORTAL_URL=http://127.0.0.1:$PORTAL_PORT
	[ "$(id -u)" -eq 0 ] && user_line="user root;"
	PORT=$PORTAL_PORT RUN=$dir LOG=$dir STATIC=${PORTAL_STATIC:-$ROOT/static} \
	CACHE=$dir/cache USER_LINE=$user_line \
		sh "$ROOT/etc/nginx/render.sh" "$ROOT/etc/nginx/local.conf.in" \
		PORT RUN LOG STATIC CACHE USER_LINE >"$dir/nginx.conf" || return 1
	# The exit trap stops the workers if the test never calls stop_portal (it
	# reads pid files as one pid each; these hold one per worker).
	COVID_DB=$db COVID_TEMPLATES=$ROOT/templates COVID_CACHE_DIR=$dir/cache \
		sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$portal" "$dir/portal.sock" \
		"$workers" "$dir/portal.log" || return 1
	_pids="$_pids $(cat "$dir/portal.pid")"
	if [ -x "$exporter" ]; then
		COVID_DB=$db COVID_TEMPLATES=$ROOT/templates COVID_CACHE_DIR=$dir/cache \
			sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$exporter" "$dir/export.sock" \
			"$workers" "$dir/export.log" || return 1
		_pids="$_pids $(cat "$dir/export.pid")"
	fi
	"$nginx_bin" -e "$dir/nginx-error.log" -p "$dir" -c "$dir/nginx.conf" &
	_portal_nginx=$!
	_pids="$_pids $_portal_nginx"
	if ! wait_for_socket "$dir/portal.sock" || ! wait_for_port "$PORTAL_PORT"; then
		tail -n 20 "$dir"/*.log | sed 's/^/#   /'
		return 1
	fi
	# A worker that fails slowly (a bad database, say) outlives spawn-fcgi's
	# 0.1 s check; give it a moment to die where we can see it.
	local p
	sleep 0.5
	# (spawn-fcgi ends its pid file without a newline: read each on its own.)
	for p in $(cat "$dir"/portal.pid) $(cat "$dir"/export.pid 2>/dev/null); do
		if ! alive "$p"; then
			echo "# worker $p exited:"
			tail -n 20 "$dir"/*.log | sed 's/^/#   /'
			return 1
		fi
	done
}

# stop_portal: stops nginx and the workers started by start_portal (SIGTERM,
# as systemd would) and reports one result: every worker exited within 5 s
# and their logs hold no sanitizer report (a leak shows only at exit).
stop_portal() {
	local dir=$T/portal p pids="" left="" i
	kill -TERM "$_portal_nginx" 2>/dev/null
	wait "$_portal_nginx" 2>/dev/null
	for p in portal export; do
		[ -f "$dir/$p.pid" ] && pids="$pids $(cat "$dir/$p.pid")"
		[ -f "$dir/$p.pid" ] && kill -TERM $(cat "$dir/$p.pid") 2>/dev/null
	done
	for i in $(seq 50); do
		left=""
		for p in $pids; do alive "$p" && left="$left $p"; done
		[ -z "$left" ] && break
		sleep 0.1
	done
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
	rm -f "$dir"/*.pid "$dir"/*.sock
	if [ -n "$left" ]; then
		not_ok "portal workers exit on SIGTERM (still running:$left)"
	elif grep -qE 'Sanitizer|runtime error:' "$dir"/portal.log "$dir"/export.log 2>/dev/null; then
		not_ok "portal workers exit without sanitizer reports"
		grep -hE -A 15 'Sanitizer|runtime error:' "$dir"/portal.log "$dir"/export.log 2>/dev/null |
			head -n 60 | sed 's/^/#   /'
	else
		ok "portal workers stopped cleanly, no sanitizer reports"
	fi
}
