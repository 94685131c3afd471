#!/bin/sh
# etc/spawn-fcgi/pool.sh: starts and stops one pool of FastCGI workers on a
# unix socket, the way `make run` (etc/run-local.sh), the tests
# (tests/lib.sh) and the benchmark (bench/portal.sh) run the programs.
# Production runs them from systemd instead.
#
#   pool.sh start PROGRAM SOCKET WORKERS LOGFILE
#   pool.sh stop SOCKET
#
# The pid file is SOCKET with .sock replaced by .pid; it lists every worker.
# The programs read their settings from the environment, which passes
# through unchanged:
#   COVID_DB         the database (both programs; required)
#   COVID_TEMPLATES  the templates directory (default "templates")
#   COVID_CACHE_DIR  where the export program keeps files (default var/cache)
#
# spawn-fcgi sends a forked program's stdout and stderr to /dev/null, so each
# worker goes through `sh -c 'exec ...'` (same pid, as exec replaces the
# shell) with both appended to LOGFILE: that is where log_err() lines and
# sanitizer reports end up.
set -eu

usage() {
	echo "usage: pool.sh start PROGRAM SOCKET WORKERS LOGFILE | stop SOCKET" >&2
	exit 2
}

pidfile_of() {
	case "$1" in
	*.sock) echo "${1%.sock}.pid" ;;
	*) echo "pool.sh: socket name must end in .sock: $1" >&2; exit 2 ;;
	esac
}

# alive PID: the process exists and is not a zombie (an unreaped zombie has
# finished; its parent may be an init that does not reap).
alive() {
	[ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null
}

# stop SOCKET: SIGTERM to every worker (each finishes the request in hand),
# up to 5 s for them to exit, then SIGKILL; removes the pid file and socket.
stop() {
	sock=$1
	pidfile=$(pidfile_of "$sock")
	pids=
	[ -f "$pidfile" ] && pids=$(cat "$pidfile")
	for p in $pids; do
		alive "$p" && kill -TERM "$p" 2>/dev/null
	done
	i=0
	while [ $i -lt 50 ]; do
		left=
		for p in $pids; do alive "$p" && left="$left $p"; done
		[ -z "$left" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	if [ -n "${left:-}" ]; then
		echo "pool.sh: killing workers that ignored SIGTERM:$left" >&2
		for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
	fi
	rm -f "$pidfile" "$sock"
}

start() {
	prog=$1 sock=$2 workers=$3 log=$4
	pidfile=$(pidfile_of "$sock")
	if [ ! -x "$prog" ]; then
		echo "pool.sh: no program at $prog (run make)" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$sock")" "$(dirname "$log")"
	# Workers left by a run that was killed hard would hold the socket.
	[ -f "$pidfile" ] && stop "$sock"
	if ! spawn-fcgi -s "$sock" -F "$workers" -P "$pidfile" -- \
	    /bin/sh -c 'log=$1; shift; exec "$@" >>"$log" 2>&1' sh "$log" "$prog" \
	    >>"$log" 2>&1; then
		echo "pool.sh: spawn-fcgi could not start $prog on $sock:" >&2
		tail -n 5 "$log" >&2
		stop "$sock"   # the workers that did start
		exit 1
	fi
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case "$cmd" in
start) [ $# -eq 4 ] || usage; start "$@" ;;
stop)  [ $# -eq 1 ] || usage; stop "$@" ;;
*) usage ;;
esac
