#!/bin/bash
# One covid-ingest at a time: a second run while one holds the lock exits at
# once with status 75 and names the holder's pid; SIGTERM stops a run
# cleanly, marked 'interrupted', with the date it was on left as it was.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

www_copy "$T/www" 01-22-2020 01-23-2020
port=$(free_port)
# 01-22 trickles out (~2.5 kB at 1000 B/s): long enough to hold the lock.
start_nginx slow "server {
	listen 127.0.0.1:$port;
	root $T/www;
	location = /$REPORTS/01-22-2020.csv { limit_rate 1000; }
}"
wait_for_port "$port"
src=http://127.0.0.1:$port/$REPORTS
db=$T/covid.db

# wait_lock PID: until PID has written itself into the lock file (10 s).
wait_lock() {
	local i
	for i in $(seq 100); do
		[ "$(cat "$db.lock" 2>/dev/null)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

"$INGEST" --db "$db" --source "$src" --from 2020-01-22 --to 2020-01-23 2>"$T/a.err" &
a=$!
check "the first run takes the lock" wait_lock $a
t0=$(date +%s%N)
ingest --db "$db" --source "$src" --from 2020-01-22 --to 2020-01-23
t1=$(date +%s%N)
check_rc "a second run is refused with status 75" 75
check_contains "naming the running one" "$T/ingest.err" "another covid-ingest is running (pid $a)"
check "at once (under 2 s)" test $(( (t1 - t0) / 1000000 )) -lt 2000
wait $a
check_eq "the first run finishes normally" "$?" 0
check_eq "only the first run is in the job log" "$(q "$db" "SELECT count(*), min(status) FROM ingest_run")" "1|ok"
check_eq "the lock file no longer names a pid" "$(cat "$db.lock")" ""

# Any holder of the lock counts, e.g. flock(1): here on this shell's fd 7,
# held from the moment flock returns until the fd is closed.
exec 7>>"$db.lock"
check "flock(1) takes the lock" flock -n 7
ingest --db "$db" --source "$src" --from 2020-01-22 --to 2020-01-23 7>&-
check_rc "a run while flock(1) holds the lock: 75" 75
check_contains "with the message" "$T/ingest.err" "another covid-ingest is running"
exec 7>&-

# SIGTERM mid-transfer: the run ends 'interrupted', the date keeps its rows.
before=$(dump "$db")
cp "$T/www/$REPORTS/01-22-2020.csv" "$T/x" && sed -i '2s/,444,/,445,/' "$T/x"
mv "$T/x" "$T/www/$REPORTS/01-22-2020.csv"
touch -d '+1 minute' "$T/www/$REPORTS/01-22-2020.csv"
# receiving: a connection to the slow server has had some of the answer
# (it trickles for ~2.5 s): the transfer is under way.
receiving() {
	ss -Htin state established "( dport = :$port )" |
	    grep -qE 'bytes_received:[1-9]'
}
"$INGEST" --db "$db" --source "$src" --from 2020-01-22 --to 2020-01-23 2>"$T/b.err" &
b=$!
wait_lock $b
check "SIGTERM: sent mid-transfer" wait_until 10 receiving
kill -TERM $b
wait $b
check_eq "SIGTERM: exits 1" "$?" 1
check_contains "SIGTERM: says it was interrupted" "$T/b.err" "interrupted by signal 15"
check_eq "SIGTERM: the run is 'interrupted'" \
	"$(q "$db" "SELECT status FROM ingest_run ORDER BY id DESC LIMIT 1")" interrupted
check_eq "SIGTERM: the data is as before" "$(dump "$db")" "$before"
check_eq "SIGTERM: integrity_check" "$(q "$db" 'PRAGMA integrity_check')" ok
