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
_n=0
_pids=""

_cleanup() {
	for p in $_pids; do kill "$p" 2>/dev/null; done
	for f in "$T"/*.pid "$T"/*/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
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
