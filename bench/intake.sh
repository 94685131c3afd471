#!/bin/sh
# bench/intake.sh: the live intake (issue 16) under generated traffic,
# through the local nginx site (etc/nginx/local.conf.in, with nchan) on a
# free port, on the release build of HEAD (bench/build.sh):
#   1. bench/traffic: USERS writers POSTing one record each (bench/
#      traffic.json's records) for DURATION s while 16 readers load /live
#      as fast as it answers; then the check: rows in cases.db == 201s, no
#      5xx.
#   2. the same with the readers at a browser's pace: each loads /live once
#      a second (live.js fetches it at most once a second; without script
#      it reloads every 5 s).
#   3. 2 with SSE open /live/events connections (10,000), the first
#      timing each case from its 201 to an event that includes it; 4. the
#      same with the readers of 1.
# Figures go to bench/README.md ("Live intake") by hand, with uptime's load.
# Environment: USERS (64), DURATION (10), READERS (16), SSE (10000),
# SSE_SHARDS (8), PUBLISH_INTERVAL_MS (500), ONLY,
# WRITERS (writer workers, 1), THREADS (threads per writer worker, whose
# POSTs are committed in groups: 8), BENCH_DIR (var/bench-live).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
B=${BENCH_DIR:-$ROOT/var/bench-live}
USERS=${USERS:-64} DURATION=${DURATION:-10} READERS=${READERS:-16} SSE=${SSE:-10000}
WRITERS=${WRITERS:-1} THREADS=${THREADS:-8}
# The subscribers spread over the live channels as live.js spreads them
# (src/intake/intake_live.h); SSE_SHARDS=0: all on the first channel.
SSE_SHARDS=${SSE_SHARDS:-8}
REL=$(sh bench/build.sh)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
POOL="sh $ROOT/etc/spawn-fcgi/pool.sh"
rm -rf "$B" && mkdir -p "$B/run/tmp" "$B/log" "$B/cache"
# 10,000 subscribers plus the writers: descriptors for nginx and the client
# (as many as the hard limit allows; 20,000 here).
ulimit -n "$(ulimit -Hn)"

cc -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra bench/traffic.c \
	$(pkg-config --cflags --libs libcurl yajl) -lm -o "$B/traffic"

tok=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
printf '%s\n' "$tok" >"$B/writer.token"
echo "bench $(printf %s "$tok" | sha256sum | cut -d' ' -f1)" >"$B/writers.tokens"
: >"$B/readers.tokens"

PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
user_line=
[ "$(id -u)" -eq 0 ] && user_line="user root;"
# No rate limit to speak of: one token stands for all the simulated users.
PORT=$PORT RUN=$B/run LOG=$B/log STATIC=$ROOT/static CACHE=$B/cache USER_LINE=$user_line \
INTAKE_RATE=1000000r/s INTAKE_BURST=100000 \
	sh etc/nginx/render.sh etc/nginx/local.conf.in \
	PORT RUN LOG STATIC CACHE USER_LINE INTAKE_RATE INTAKE_BURST >"$B/run/nginx.conf"
sed -i -e 's|^\( *\)access_log .*;|\1access_log off;|' \
	-e 's|worker_connections 1024;|worker_connections 19000;|' \
	-e 's|^worker_processes auto;|worker_processes auto;\nworker_rlimit_nofile 20000;|' "$B/run/nginx.conf"

# At most two events a second from the one writer worker with 10,000
# subscribers (each event is 10,000 writes for nginx): docs/intake.md,
# "Coalescing". One a second made a case wait up to a second for its event
# (201-to-event p99 1.24 s); two, p99 0.78-1.06 s (bench/README.md).
export COVID_LIVE_PUBLISH_INTERVAL_MS=${PUBLISH_INTERVAL_MS:-500}
export COVID_CASES_DB=$B/cases.db COVID_INTAKE_TOKENS=$B/writers.tokens \
	COVID_READER_TOKENS=$B/readers.tokens COVID_TEMPLATES=$ROOT/templates \
	COVID_LIVE_PUBLISH=http://localhost/live COVID_LIVE_PUBLISH_SOCKET=$B/run/live-publish.sock \
	COVID_DB=$B/covid.db
"$NGINX" -e "$B/log/nginx-error.log" -p "$B/run" -c "$B/run/nginx.conf" &
nginx_pid=$!
COVID_INTAKE_THREADS=$THREADS \
	$POOL start "$REL/cgi-bin/intake.fcgi" "$B/run/intake.sock" "$WRITERS" "$B/log/intake.log"
$POOL start "$REL/cgi-bin/intake.fcgi" "$B/run/live.sock" 2 "$B/log/live.log"
stop() {
	kill -TERM "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true
	$POOL stop "$B/run/intake.sock" || true
	$POOL stop "$B/run/live.sock" || true
}
trap stop EXIT
i=0
# Ready: nginx answers and the writers' worker has made cases.db.
until curl -s -o /dev/null "$URL/live" && [ -f "$B/cases.db" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: nginx did not start" >&2; exit 1; }
	sleep 0.1
done

rows() { sqlite3 -readonly "$B/cases.db" 'SELECT count(*) FROM cases'; }
. "$ROOT/bench/cpu.sh"
# cpu_now: the CPU ticks so far of the writers' workers, the readers'
# workers and nginx's workers, one line (the traffic generator reports
# its own: self_cpu_s).
cpu_now() {
	echo "$(ticks $(cat "$B/run/intake.pid")) $(ticks $(cat "$B/run/live.pid"))" \
	    "$(ticks $(pgrep -P "$nginx_pid"))"
}
# run NAME SSE READ_EVERY_MS: one traffic run (readers as fast as /live
# answers when READ_EVERY_MS is 0, else each once per that); its figures in
# $B/NAME.out, then the check.
run() {
	before=$(rows)
	hold=
	if [ "$2" -gt 1 ]; then
		# The subscribers in a process of their own (the writers' client
		# must not wait on 10,000 streams), all connected before the run.
		"$B/traffic" bench/traffic.json url="$URL/api/v1/cases" token_file="$B/writer.token" \
			sse_url="$URL/live/events" sse_shards="$SSE_SHARDS" users=0 readers=0 sse="$(($2 - 1))" \
			duration="$((DURATION + 20))" >"$B/$1.hold.out" &
		hold=$!
		i=0
		until [ "$(ss -Htn state established "( dport = :$PORT )" | wc -l)" -ge "$(($2 - 1))" ]; do
			i=$((i + 1)); [ $i -lt 600 ] || { echo "bench: the subscribers did not connect" >&2; break; }
			sleep 0.1
		done
		echo "subscribers_connected $(ss -Htn state established "( dport = :$PORT )" | wc -l)"
	fi
	c0=$(cpu_now); t0=$(date +%s.%N)
	echo "== $1: $USERS writers, $READERS readers of /live ($([ "$3" -gt 0 ] && echo "each every $3 ms" || echo "closed loop")), $2 SSE connections, ${DURATION} s; load: $(uptime | sed 's/.*load average: //')"
	"$B/traffic" bench/traffic.json url="$URL/api/v1/cases" token_file="$B/writer.token" \
		read_url="$URL/live" sse_url="$URL/live/events" sse_shards="$SSE_SHARDS" users="$USERS" spawn_rate="$USERS" \
		duration="$DURATION" readers="$READERS" read_every_ms="$3" \
		sse="$([ "$2" -gt 0 ] && echo 1 || echo 0)" |
		tee "$B/$1.out" || true
	c1=$(cpu_now); t1=$(date +%s.%N)
	# Where the machine's time went: per accepted case (us), and as cores
	# busy over the run, for each part and in all.
	echo "$c0 $c1 $t0 $t1 $HZ $(sed -n 's/^accepted //p' "$B/$1.out")" \
	    "$(sed -n 's/^self_cpu_s //p' "$B/$1.out")" | awk '{
		s = $8 - $7; n = $10 > 0 ? $10 : 1; all = $11
		split("intake readers nginx", name, " ")
		for (i = 1; i <= 3; i++) {
			d = ($(i + 3) - $i) / $9; all += d
			printf "cpu_%s_us_per_case %.1f cores %.2f\n", name[i], d * 1e6 / n, d / s
		}
		printf "cpu_traffic_us_per_case %.1f cores %.2f\n", $11 * 1e6 / n, $11 / s
		printf "cpu_all_us_per_case %.1f cores %.2f\n", all * 1e6 / n, all / s }'
	if [ -n "$hold" ]; then
		echo "subscribers_still_connected $(ss -Htn state established "( dport = :$PORT )" | wc -l)"
		kill "$hold" 2>/dev/null; wait "$hold" 2>/dev/null || true
	fi
	after=$(rows)
	acc=$(sed -n 's/^accepted //p' "$B/$1.out")
	echo "rows_added $((after - before)) (201s: $acc): $([ "$((after - before))" = "$acc" ] && echo "0 lost" || echo "MISMATCH")"
	echo "load_after $(uptime | sed 's/.*load average: //')"
}
# ONLY names the runs to do ("writers paced sse sse-closed", all by
# default): the pages' benchmark beside the intake runs "paced" alone.
only() { case " ${ONLY:-writers paced sse sse-closed} " in *" $1 "*) return 0 ;; esac; return 1; }
only writers && run writers 0 0
only paced && run paced 0 1000
only sse && run sse "$SSE" 1000
only sse-closed && run sse-closed "$SSE" 0
exit 0
