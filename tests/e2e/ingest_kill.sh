#!/bin/bash
# SIGKILL at any point leaves a consistent database, and the next run
# completes the work: after several runs killed at different moments, a
# final run gives exactly the content of one clean run.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

# Three contiguous weeks across the era 3 -> 4 header change (~75,000 rows).
dates=$(for d in 18 19 20 21 22 23 24 25 26 27 28 29 30 31; do echo 05-$d-2020; done
        for d in 01 02 03 04 05 06 07; do echo 06-$d-2020; done)
www_copy "$T/www" $dates
start_static_server "$T/www"
src=http://127.0.0.1:$STATIC_PORT/$REPORTS
range="--from 2020-05-18 --to 2020-06-07"

# The reference: one clean run.
t0=$(date +%s%N)
ingest --db "$T/clean.db" --source "$src" $range
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check_rc "clean run exits 0" 0
echo "# clean run took $ms ms"
want=$(dump "$T/clean.db")
check "the clean run loaded 21 dates" \
	test "$(q "$T/clean.db" "SELECT count(DISTINCT date) FROM daily_report")" = 21

# Runs killed at different stages: 50 ms after start (migrations, lookup
# table), and a moment after the database first holds 3, 8 and 14 dates
# (mid-date or between dates). Each run resumes where the last one stopped.
db=$T/killed.db
loaded() { q "$db" "SELECT count(DISTINCT date) FROM daily_report" 2>/dev/null || echo 0; }
kills=0
for target in 0 3 8 14; do
	"$INGEST" --db "$db" --source "$src" $range 2>"$T/k.err" &
	p=$!
	i=0
	while [ "$target" -gt 0 ] && [ "$(loaded)" -lt "$target" ] && [ $i -lt 500 ] &&
	    kill -0 $p 2>/dev/null; do
		sleep 0.02; i=$((i + 1))
	done
	sleep 0.05
	if kill -9 $p 2>/dev/null; then kills=$((kills + 1)); fi
	wait $p 2>/dev/null
	echo "# kill after $target dates: $(loaded) dates loaded when it died"
	if [ -e "$db" ]; then
		check_eq "killed after $target dates: integrity_check" "$(q "$db" 'PRAGMA integrity_check')" ok
	fi
	# Killed before the first migration committed: no schema, nothing to see.
	if [ -e "$db" ] && [ "$(q "$db" 'PRAGMA user_version')" -gt 0 ]; then
		check_eq "killed after $target dates: each loaded date is whole (rows = its file's)" \
			"$(q "$db" "SELECT count(*) FROM (SELECT d.date, count(*) AS n FROM daily_report d
			              JOIN source_file s ON s.date = d.date JOIN ingest_file f ON f.id = s.ingest_file_id
			              GROUP BY d.date HAVING n <> max(f.rows_loaded))")" 0
	fi
done
check "at least three runs were really killed mid-way" test $kills -ge 3

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
