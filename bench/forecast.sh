#!/bin/sh
# bench/forecast.sh DB: covid-forecast at full scale (issue 15), on a COPY of
# the full database (it writes): the whole backtest (--full, every country,
# province and state at every Saturday, and every county's newest week), a
# daily run (the newest origins again), a run with nothing new, and the
# scoring alone (--dry-run), and the scoring on JHU's time series
# (--dry-run --revised: the real data, where most of the full-scale daily
# reports are synthesised, bench/README.md), each with its wall time and
# peak memory and the load average beside it. The reference: the goal's 2
# minutes for the whole backtest. Usage: sh bench/forecast.sh var/full.db > bench/forecast/run.txt
set -eu
DB=$1
BIN=${FORECAST:-bin/covid-forecast}
run() {
	echo "== $*"
	uptime
	/usr/bin/time -f "%e s wall, %M KB peak RSS" "$BIN" --db "$DB" "$@" 2>&1
}
run --full
run --full --no-counties
sqlite3 "$DB" "UPDATE meta SET value = value + 1 WHERE key = 'data_version'"
run
run
run --dry-run --no-counties
run --dry-run --revised --no-counties
uptime
echo "== size of the forecast table (MB)"
sqlite3 "$DB" "SELECT name, round(sum(pgsize) / 1e6, 1) FROM dbstat WHERE name LIKE 'forecast%' GROUP BY name"
