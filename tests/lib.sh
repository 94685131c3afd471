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
	local p f all=$_pids pools=
	# Read before any is killed: nginx and the pools remove their pid files
	# as they stop (quietly: one may go between the test and the cat). A
	# pool's supervisor leads a process group that holds all its workers.
	for f in $(find "$T" -maxdepth 3 -name '*.pid' 2>/dev/null); do
		all="$all $(cat "$f" 2>/dev/null)"
		case "$f" in *.supervisor.pid) pools="$pools $(cat "$f" 2>/dev/null)" ;; esac
	done
	for p in $all; do kill "$p" 2>/dev/null; done
	# A pool's supervisor gives its workers up to 5 s.
	wait_until 6 none_alive $all
	for p in $all; do kill -9 "$p" 2>/dev/null; done
	for p in $pools; do kill -9 -- "-$p" 2>/dev/null; done
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
		not_ok "$1"; echo "#   '$3' not in $2:"
		{ head -c 600 "$2"; echo; } | sed 's/^/#   /'; fi
}
# check_not_contains DESCRIPTION FILE TEXT: the file exists and lacks it (a
# missing or unreadable file proves nothing, so it fails).
check_not_contains() {
	if [ ! -f "$2" ] || [ ! -r "$2" ]; then
		not_ok "$1"; echo "#   no file $2 to look in"
	elif ! grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"; echo "#   '$3' unexpectedly in $2"; fi
}

# wait_until SECONDS COMMAND...: polls the condition until it holds (0) or
# SECONDS have passed (1). The limit is wall-clock time, however long each
# try takes.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
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
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
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
# none_alive PID...: every one of them has finished.
none_alive() {
	local p
	for p in "$@"; do alive "$p" && return 1; done
	return 0
}

# start_portal's helpers. program_of POOL: the program it runs;
# log_since_start POOL: what the pool logged since start_portal started it.
program_of() { eval "echo \"\$_${1}_program\""; }
log_since_start() { eval "tail -c +\$((_${1}_mark + 1)) \"\$PORTAL_DIR/\$1.log\""; }
# pool_ready POOL N: its N workers are ready to take requests. Ours each
# log "<6>NAME: ready"; a stand-in that does not is ready once it answers.
pool_ready() {
	case "$(program_of "$1")" in
	*.fcgi) [ "$(log_since_start "$1" | grep -c '^<6>[a-z]*: ready$')" -ge "$2" ] ;;
	*) if [ "$1" = portal ]; then program_answers /; else program_answers /healthz/export; fi ;;
	esac
}

# program_answers PATH: a FastCGI program answered PATH through the portal's
# nginx, not nginx itself: while no worker takes a request nginx gives a 504
# (or a 502 without a socket), or curl gives up (000).
program_answers() {
	case "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$PORTAL_URL$1")" in
	000|502|504) return 1 ;;
	esac
}

# start_portal DB: the portal as it runs for `make run`, on a free port:
# etc/nginx/local.conf.in rendered into $PORTAL_DIR (= $T/portal), with
# $OUT/cgi-bin/portal.fcgi (and export.fcgi when built) in pools of
# etc/spawn-fcgi/pool.sh (spawn-fcgi and a supervisor that restarts a worker
# that dies) on unix sockets there, COVID_DB=DB and the repository's
# templates. Sets PORTAL_PORT and PORTAL_URL (http://127.0.0.1:PORT, no
# trailing slash). Logs: $PORTAL_DIR/{portal,export,nginx-error,nginx-access}.log.
# Overrides: PORTAL_PROGRAM, EXPORT_PROGRAM, PORTAL_WORKERS (2), PORTAL_STATIC,
# INTAKE_RATE and INTAKE_BURST (the intake's per-token limit_req).
# Returns once every worker is ready: our programs say "<6>NAME: ready" as
# they start accepting (src/web/fcgi_loop.c), one line each; a stand-in program
# not named *.fcgi (bench/hello.c) once it answers through nginx. (Not a
# request to our programs: tests count the requests they served.) Non-zero,
# printing the logs, when that takes over 30 s or a worker died meanwhile:
#   start_portal "$db" || { not_ok "portal starts"; exit 1; }
start_portal() {
	local db=$1 dir=$T/portal user_line= pool p
	local portal=${PORTAL_PROGRAM:-$OUT/cgi-bin/portal.fcgi}
	local exporter=${EXPORT_PROGRAM:-$OUT/cgi-bin/export.fcgi}
	local workers=${PORTAL_WORKERS:-2}
	local nginx_bin pools=portal
	nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
	mkdir -p "$dir/tmp" "$dir/cache"
	PORTAL_DIR=$dir
	PORTAL_PORT=$(free_port)
	PORTAL_URL=http://127.0.0.1:$PORTAL_PORT
	[ "$(id -u)" -eq 0 ] && user_line="user root;"
	# The intake's rate (INTAKE_RATE, INTAKE_BURST) when a test sets it.
	PORT=$PORTAL_PORT RUN=$dir LOG=$dir STATIC=${PORTAL_STATIC:-$ROOT/static} \
	CACHE=$dir/cache USER_LINE=$user_line \
		sh "$ROOT/etc/nginx/render.sh" "$ROOT/etc/nginx/local.conf.in" \
		PORT RUN LOG STATIC CACHE USER_LINE \
		${INTAKE_RATE:+INTAKE_RATE} ${INTAKE_BURST:+INTAKE_BURST} >"$dir/nginx.conf" || return 1
	[ -x "$exporter" ] && pools="portal export"
	_portal_program=$portal _export_program=$exporter
	for pool in $pools; do
		p=$(program_of $pool)
		# Where this start begins in the log (a test may start it twice).
		eval "_${pool}_mark=\$(stat -c %s \"\$dir/\$pool.log\" 2>/dev/null || echo 0)"
		COVID_DB=$db COVID_TEMPLATES=$ROOT/templates COVID_CACHE_DIR=$dir/cache \
			sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$p" "$dir/$pool.sock" \
			"$workers" "$dir/$pool.log" || return 1
		# The exit trap stops them if the test never calls stop_portal: the
		# supervisor first, so that it does not restart the workers.
		_pids="$(cat "$dir/$pool.supervisor.pid") $_pids $(cat "$dir/$pool.pid")"
	done
	"$nginx_bin" -e "$dir/nginx-error.log" -p "$dir" -c "$dir/nginx.conf" &
	_portal_nginx=$!
	_pids="$_pids $_portal_nginx"
	if ! wait_for_port "$PORTAL_PORT"; then
		tail -n 20 "$dir"/*.log | sed 's/^/#   /'
		return 1
	fi
	for pool in $pools; do
		if ! wait_until 30 pool_ready $pool "$workers"; then
			echo "# the $pool workers are not ready within 30 s:"
			tail -n 20 "$dir"/*.log | sed 's/^/#   /'
			return 1
		fi
		# A worker that died meanwhile (its supervisor said so).
		if log_since_start $pool | grep -q '^pool.sh: .*: worker '; then
			echo "# a $pool worker died as the portal started:"
			tail -n 20 "$dir"/*.log | sed 's/^/#   /'
			return 1
		fi
	done
	for p in $(cat "$dir"/portal.pid) $(cat "$dir"/export.pid 2>/dev/null); do
		if ! alive "$p"; then
			echo "# worker $p exited:"
			tail -n 20 "$dir"/*.log | sed 's/^/#   /'
			return 1
		fi
	done
}

# stop_portal: stops nginx and the pools started by start_portal (SIGTERM,
# as systemd would: each supervisor passes it to its workers) and reports
# one result: every worker exited within 5 s of its own accord and their
# logs hold no sanitizer report (a leak shows only at exit).
stop_portal() {
	local dir=$T/portal p pids="" left="" stop_err
	kill -TERM "$_portal_nginx" 2>/dev/null
	wait "$_portal_nginx" 2>/dev/null
	for p in portal export; do
		[ -f "$dir/$p.pid" ] && pids="$pids $(cat "$dir/$p.pid")"
	done
	stop_err=$(for p in portal export; do
		if [ -f "$dir/$p.supervisor.pid" ] || [ -f "$dir/$p.pid" ]; then
			sh "$ROOT/etc/spawn-fcgi/pool.sh" stop "$dir/$p.sock"
		fi
	done 2>&1)
	for p in $pids; do alive "$p" && left="$left $p"; done
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
	rm -f "$dir"/*.pid "$dir"/*.sock
	if [ -n "$left" ] || [ -n "$stop_err" ] ||
	    grep -q 'killing workers that ignored SIGTERM' "$dir"/portal.log "$dir"/export.log 2>/dev/null; then
		not_ok "portal workers exit on SIGTERM (still running:$left)"
		{ echo "$stop_err"; grep -h 'ignored SIGTERM' "$dir"/portal.log "$dir"/export.log; } 2>/dev/null |
			sed 's/^/#   /'
	elif grep -qE 'Sanitizer|runtime error:' "$dir"/portal.log "$dir"/export.log 2>/dev/null; then
		not_ok "portal workers exit without sanitizer reports"
		grep -hE -A 15 'Sanitizer|runtime error:' "$dir"/portal.log "$dir"/export.log 2>/dev/null |
			head -n 60 | sed 's/^/#   /'
	else
		ok "portal workers stopped cleanly, no sanitizer reports"
	fi
}
