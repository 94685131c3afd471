#!/bin/bash
# SIGKILL at any point leaves a consistent database, and the next run
# completes the work: after several runs killed at different moments, a
# final run gives exactly the content of one clean run.
# A range is committed in batches of dates (a savepoint each), so the runs
# are killed in both places that opens: between and inside batches while
# earlier batches are committed (small batches), and inside the one batch of
# the default budget before anything of it is committed.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

# Three contiguous weeks across the era 3 -> 4 header change (~75,000 rows).
dates=$(for d in 18 19 20 21 22 23 24 25 26 27 28 29 30 31; do echo 05-$d-2020; done
        for d in 01 02 03 04 05 06 07; do echo 06-$d-2020; done)
www_copy "$T/www" $dates
start_static_server "$T/www"
src=http://127.0.0.1:$STATIC_PORT/$REPORTS
range="--from 2020-05-18 --to 2020-06-07"
# Batches end by rows only, never by the clock: the same at any speed.
export COVID_INGEST_BATCH_SECONDS=3600

# The reference: one clean run.
t0=$(date +%s%N)
ingest --db "$T/clean.db" --source "$src" $range
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check_rc "clean run exits 0" 0
echo "# clean run took $ms ms"
want=$(dump "$T/clean.db")
# indexes DB: the per-place indexes' definitions, as SQLite keeps them.
indexes() {
	q "$1" "SELECT group_concat(sql, ' / ') FROM (SELECT sql FROM sqlite_master
	        WHERE name IN ('daily_report_location', 'region_daily_location')
	        ORDER BY name)"
}
check_eq "the clean run (a first load) built both per-place indexes" \
	"$(indexes "$T/clean.db" | grep -o 'ON [a-z_]*(location_id, date, confirmed, deaths)' | tr '\n' ' ')" \
	"ON daily_report(location_id, date, confirmed, deaths) ON region_daily(location_id, date, confirmed, deaths) "
check "the clean run loaded 21 dates" \
	test "$(q "$T/clean.db" "SELECT count(DISTINCT date) FROM daily_report")" = 21

db=$T/killed.db
loaded() { q "$db" "SELECT count(DISTINCT date) FROM daily_report" 2>/dev/null || echo 0; }
# logged: dates the running ingest has said it loaded (not yet committed).
logged() { local n; n=$(grep -c ': loaded ' "$T/k.err" 2>/dev/null); echo "${n:-0}"; }

# consistent WHAT: what the database must show after any kill.
consistent() {
	check_eq "$1: integrity_check" "$(q "$db" 'PRAGMA integrity_check')" ok
	# Killed before the first migration committed: no schema, nothing to see.
	[ "$(q "$db" 'PRAGMA user_version')" -gt 0 ] || return 0
	check_eq "$1: each loaded date is whole (rows = its file's)" \
		"$(q "$db" "SELECT count(*) FROM (SELECT d.date, count(*) AS n FROM daily_report d
		              JOIN source_file s ON s.date = d.date JOIN ingest_file f ON f.id = s.ingest_file_id
		              GROUP BY d.date HAVING n <> max(f.rows_loaded))")" 0
	check_eq "$1: source_file names exactly the dates that have rows" \
		"$(q "$db" "SELECT count(*) FROM (SELECT date FROM source_file
		              EXCEPT SELECT date FROM daily_report)")+$(q "$db" "SELECT count(*) FROM
		              (SELECT date FROM daily_report EXCEPT SELECT date FROM source_file)")" "0+0"
	check_eq "$1: region totals exist for exactly those dates" \
		"$(q "$db" "SELECT count(DISTINCT date) FROM region_daily")" "$(loaded)"
	# The killed run's row was committed with the files it counts.
	check_eq "$1: the killed run's counters are its committed file log" \
		"$(q "$db" "SELECT count(*) FROM ingest_run r WHERE status = 'running' AND
		              (dates_loaded, rows_loaded) IS NOT (SELECT count(*), total(rows_loaded)
		               FROM ingest_file f WHERE f.run_id = r.id AND f.status = 'loaded')")" 0
}

# kill_when CONDITION DELAY: starts a run, SIGKILLs it DELAY seconds after
# CONDITION (a shell command) holds (or after 10 s). Counts the runs really
# killed in $kills.
kills=0
kill_when() {
	"$INGEST" --db "$db" --source "$src" $range 2>"$T/k.err" &
	p=$!
	i=0
	while ! eval "$1" && [ $i -lt 500 ] && kill -0 $p 2>/dev/null; do
		sleep 0.02; i=$((i + 1))
	done
	sleep "$2"
	if kill -9 $p 2>/dev/null; then kills=$((kills + 1)); fi
	wait $p 2>/dev/null
}

# 1. Small batches (about 3 dates): killed 50 ms after start (migrations,
# lookup table), and a moment after the database first holds 3, 8 and 14
# dates (inside a batch or between two). Each run resumes where the last
# one stopped.
for target in 0 3 8 14; do
	COVID_INGEST_BATCH_ROWS=8000 kill_when "[ \$(loaded) -ge $target ]" 0.05
	echo "# small batches, kill after $target dates: $(loaded) dates committed when it died"
	[ -e "$db" ] && consistent "small batches, killed after $target dates"
done
check "at least three runs with small batches were really killed mid-way" test $kills -ge 3
ingest --db "$db" --source "$src" $range
check_rc "the run after the kills exits 0" 0
check "it found the killed runs and marked them interrupted (>= 3)" \
	test "$(q "$db" "SELECT count(*) FROM ingest_run WHERE status = 'interrupted'")" -ge 3
check_eq "no run failed" \
	"$(q "$db" "SELECT count(*) FROM ingest_run WHERE status = 'failed'")" 0
check_eq "no run is left 'running'" \
	"$(q "$db" "SELECT count(*) FROM ingest_run WHERE status = 'running'")" 0
check_eq "v_daily and region_daily equal the clean run's" "$(dump "$db")" "$want"
check_eq "integrity_check at the end" "$(q "$db" 'PRAGMA integrity_check')" ok

# 2. The default budget (100,000 rows) holds the whole range in one batch:
# runs killed after 2 and 18 of its 21 dates are done but before the batch
# commits leave nothing of it behind, and readers never saw a part of it.
db=$T/batch.db
kills=0
for target in 2 18; do
	kill_when "[ \$(logged) -ge $target ]" 0
	echo "# one batch, kill after $target dates done: $(loaded) dates committed when it died"
	[ -e "$db" ] && consistent "one batch, killed after $target dates done"
	check_eq "one batch, killed after $target dates done: none of them is committed" \
		"$(q "$db" "SELECT count(*) FROM daily_report")+$(q "$db" "SELECT count(*)
		              FROM ingest_file WHERE status = 'loaded'")" "0+0"
done
check_eq "both runs with one batch were really killed before its commit" $kills 2
# A first load drops the per-place indexes (store_bulk.c) and keeps their
# definitions, committed, until its end builds them: killed, they wait.
check_eq "killed first loads: the per-place indexes wait in deferred_index" \
	"$(q "$db" "SELECT group_concat(name) FROM deferred_index")|$(indexes "$db")" \
	"daily_report_location,region_daily_location|"
unset COVID_INGEST_BATCH_SECONDS
ingest --db "$db" --source "$src" $range
check_rc "the run after them exits 0" 0
check_eq "it marked both interrupted" \
	"$(q "$db" "SELECT group_concat(status) FROM ingest_run")" "interrupted,interrupted,ok"
check_eq "the next run built them: none waits, both as migrated" \
	"$(q "$db" "SELECT count(*) FROM deferred_index")|$(indexes "$db")" \
	"0|$(indexes "$T/clean.db")"
check_eq "v_daily and region_daily equal the clean run's" "$(dump "$db")" "$want"
check_eq "integrity_check at the end" "$(q "$db" 'PRAGMA integrity_check')" ok
