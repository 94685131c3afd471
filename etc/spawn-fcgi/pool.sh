#!/bin/bash
# etc/spawn-fcgi/pool.sh: starts and stops one pool of FastCGI workers on a
# unix socket, the way `make run` (etc/run-local.sh), the tests
# (tests/lib.sh) and the benchmark (bench/portal.sh) run the programs.
# Production runs them from systemd instead.
#
#   pool.sh start PROGRAM SOCKET WORKERS LOGFILE
#   pool.sh stop SOCKET
#
# spawn-fcgi makes the listening socket and hands it to a supervisor (this
# script, `supervise`), which keeps WORKERS copies of PROGRAM accepting on
# it, as systemd keeps covid-portal@N running in production: a worker that
# dies (a crash, kill -9) is started again at once, and one that dies within
# a second of its start again after 1, 2, 4, then every 8 s. The supervisor
# holds the socket, so while no worker is alive requests wait in its backlog
# (as with systemd's socket) instead of failing. Each restart is a line in
# LOGFILE ("pool.sh: portal.fcgi: worker 123 killed by signal KILL ...").
#
# Files next to SOCKET (its name with .sock replaced):
#   NAME.pid             the live workers' pids, one a line (rewritten on
#                        every restart); the pool stops if it is removed
#   NAME.supervisor.pid  the supervisor's pid; SIGTERM to it stops the pool
# The programs read their settings from the environment, which passes
# through unchanged:
#   COVID_DB         the database (both programs; required)
#   COVID_TEMPLATES  the templates directory (default "templates")
#   COVID_CACHE_DIR  where the export program keeps files (default var/cache)
# A worker's stdout and stderr are appended to LOGFILE: that is where
# log_err() lines and sanitizer reports end up.
#
# The pool runs in a session of its own (setsid): a terminal's Ctrl-C does
# not reach it; whoever started it stops it (run-local.sh does on Ctrl-C).
set -eu
# Callers run it with sh; the supervisor needs bash (arrays, EPOCHREALTIME,
# read -t).
if [ -z "${BASH_VERSION:-}" ]; then exec /bin/bash "$0" "$@"; fi

usage() {
	echo "usage: pool.sh start PROGRAM SOCKET WORKERS LOGFILE | stop SOCKET" >&2
	exit 2
}

# base_of SOCKET: the socket's path without .sock, for the pid files.
base_of() {
	case "$1" in
	*.sock) echo "${1%.sock}" ;;
	*) echo "pool.sh: socket name must end in .sock: $1" >&2; exit 2 ;;
	esac
}

# alive PID: the process exists and is not a zombie (an unreaped zombie has
# finished; its parent may be an init that does not reap).
alive() {
	[ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null
}

# wait_gone SECONDS PID...: until none of them is alive; the ones left after
# SECONDS (by the clock, however busy the machine) are printed.
wait_gone() {
	local end=$((SECONDS + $1)) p left
	shift
	while :; do
		left=
		for p in "$@"; do alive "$p" && left="$left $p"; done
		[ -z "$left" ] && return 0
		[ "$SECONDS" -ge "$end" ] && break
		sleep 0.1
	done
	echo "$left"
}

# members PGID: the live processes of a process group.
members() {
	local p
	for p in $(pgrep -g "$1"); do alive "$p" && echo "$p"; done
	return 0
}

# stop SOCKET: SIGTERM to the supervisor, which passes it on to every worker
# (each finishes the request in hand) and exits once they have, killing any
# still there after 5 s. Whatever is left of the pool then (its supervisor
# killed hard, say) gets the same here: the workers in the pid file and
# every process of the pool's process group (the supervisor's pid: it leads
# it), which holds the workers even when no list does. Removes the pid files
# and the socket.
stop() {
	local sock=$1 base sup= pids= left
	base=$(base_of "$sock")
	[ -f "$base.supervisor.pid" ] && sup=$(cat "$base.supervisor.pid")
	[ -f "$base.pid" ] && pids=$(cat "$base.pid")
	if [ -n "$sup" ] && alive "$sup"; then
		kill -TERM "$sup" 2>/dev/null || true
		left=$(wait_gone 8 "$sup")
		[ -n "$left" ] && kill -KILL "$sup" 2>/dev/null
	fi
	[ -n "$sup" ] && pids="$pids $(members "$sup")"
	for p in $pids; do alive "$p" && kill -TERM "$p" 2>/dev/null; done
	left=$(wait_gone 5 $pids)
	if [ -n "$left" ]; then
		echo "pool.sh: killing workers that ignored SIGTERM:$left" >&2
		for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
	fi
	rm -f "$base.pid" "$base.pid.tmp" "$base.supervisor.pid" "$sock"
}

start() {
	local prog=$1 sock=$2 workers=$3 log=$4 base sup i
	base=$(base_of "$sock")
	if [ ! -x "$prog" ]; then
		echo "pool.sh: no program at $prog (run make)" >&2
		exit 1
	fi
	case "$workers" in ''|*[!0-9]*|0) echo "pool.sh: WORKERS must be a positive number" >&2; exit 2 ;; esac
	mkdir -p "$(dirname "$sock")" "$(dirname "$log")"
	# A pool left by a run that was killed hard would hold the socket.
	if [ -f "$base.pid" ] || [ -f "$base.supervisor.pid" ]; then stop "$sock"; fi
	# -n: spawn-fcgi binds the socket and execs the supervisor with it as
	# fd 0 (same pid all the way from setsid).
	setsid spawn-fcgi -n -s "$sock" -- /bin/bash "$0" supervise \
	    "$prog" "$workers" "$log" "$base.pid" >>"$log" 2>&1 </dev/null &
	sup=$!
	echo "$sup" >"$base.supervisor.pid"
	# Up once the supervisor has written the workers' pid file.
	for ((i = 0; i < 100; i++)); do
		[ -f "$base.pid" ] && return 0
		alive "$sup" || break
		sleep 0.1
	done
	echo "pool.sh: could not start $prog on $sock:" >&2
	tail -n 5 "$log" >&2
	stop "$sock"
	exit 1
}

# supervise PROGRAM WORKERS LOGFILE PIDFILE, with the listening socket as
# fd 0: the supervisor's loop. Each worker has a slot. Five times a second it
# looks for workers that have exited (bash keeps each one's status for
# `wait PID`; `wait -n` would miss a worker that died while the loop was busy
# with another) and starts each slot's next worker when it is due.
supervise() {
	local prog=$1 workers=$2 log=$3 pidfile=$4 name=${1##*/}
	local -a worker=() started=() delay=() due=()
	local s pid rc now tick changed stopping=
	set +e                # nothing here may end the supervisor but SIGTERM
	exec 3<&0 </dev/null  # the socket on fd 3, for the workers' fd 0
	# bash would add a notice of its own ("line N: PID Killed ...") for each
	# worker killed by a signal; say() tells it once, and a worker's own
	# errors (exec failing too) go to the log through its redirections.
	exec 2>/dev/null
	# A pipe this shell holds both ends of: `read -t` on it is a sleep that
	# forks nothing and that SIGTERM interrupts.
	exec {tick}<> <(:)

	say() { echo "pool.sh: $name: $*"; }
	clock() { now=${EPOCHREALTIME//[!0-9]/}; now=$((now / 1000)); }  # ms
	write_pidfile() {
		{ printf '%s\n' "${worker[@]}" >"$pidfile.tmp" &&
		    mv -f "$pidfile.tmp" "$pidfile"; } ||
		    say "cannot write $pidfile"
	}
	start_worker() {
		"$prog" 0<&3 3<&- {tick}<&- >>"$log" 2>&1 &
		worker[$1]=$!
		clock
		started[$1]=$now
		unset "due[$1]"
	}
	# SIGTERM to every worker; SIGKILL to any still there after 5 s. Sent to
	# the whole process group (this one's: setsid made it its leader), so
	# that a worker started just before the signal, not yet written down,
	# gets it too.
	stop_workers() {
		local left pids
		trap '' TERM INT HUP
		kill -TERM 0
		# (Listed first: the subshell that waits must not wait for itself.)
		pids=$(members $$ | grep -vx "$$")
		left=$(wait_gone 5 $pids)
		if [ -n "$left" ]; then
			say "killing workers that ignored SIGTERM:$left"
			kill -KILL $left 2>/dev/null
		fi
		wait 2>/dev/null
		rm -f "$pidfile" "$pidfile.tmp"
		exit 0
	}
	# worker_exited SLOT PID STATUS: restarts it at once if it had run for a
	# second, else after its slot's back-off (1, 2, 4, 8, 8... s).
	worker_exited() {
		local s=$1 pid=$2 rc=$3 how
		unset "worker[$s]"
		if [ "$rc" -gt 128 ]; then
			how="killed by signal $(kill -l "$rc" 2>/dev/null || echo $((rc - 128)))"
		else
			how="exited with status $rc"
		fi
		clock
		if [ $((now - started[s])) -ge 1000 ]; then
			delay[$s]=0
			start_worker "$s"
			say "worker $pid $how; restarted as ${worker[$s]}"
		else
			delay[$s]=$((delay[s] == 0 ? 1 : delay[s] >= 8 ? 8 : delay[s] * 2))
			due[$s]=$((now + delay[s] * 1000))
			say "worker $pid $how within a second of its start; restarting in ${delay[$s]} s"
		fi
	}
	# The trap only takes note: the loop stops the pool. (A handler that
	# waits would be cut short when the `read -t` it interrupted times out,
	# and the loop would carry on.)
	trap 'stopping=1' TERM INT HUP

	for ((s = 0; s < workers; s++)); do delay[$s]=0; start_worker "$s"; done
	write_pidfile
	say "started $workers workers: ${worker[*]}"
	while :; do
		[ -n "$stopping" ] && stop_workers
		# Its directory cleaned away under it (a test's scratch directory,
		# rm -r var): nobody would ever stop this pool.
		if [ ! -f "$pidfile" ]; then
			say "$pidfile is gone: stopping the workers"
			stop_workers
		fi
		changed=
		for s in "${!worker[@]}"; do
			[ -n "$stopping" ] && break
			pid=${worker[$s]}
			kill -0 "$pid" 2>/dev/null && continue
			wait "$pid"; rc=$?
			worker_exited "$s" "$pid" "$rc"
			changed=1
		done
		clock
		for s in "${!due[@]}"; do
			[ -z "$stopping" ] && [ "$now" -ge "${due[$s]}" ] || continue
			start_worker "$s"
			say "worker restarted as ${worker[$s]}"
			changed=1
		done
		[ -n "$changed" ] && write_pidfile
		read -t 0.2 -u "$tick" _
	done
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case "$cmd" in
start) [ $# -eq 4 ] || usage; start "$@" ;;
stop)  [ $# -eq 1 ] || usage; stop "$@" ;;
supervise) [ $# -eq 4 ] || usage; supervise "$@" ;;
*) usage ;;
esac
