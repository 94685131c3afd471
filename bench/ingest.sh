#!/bin/sh
# bench/ingest.sh: covid-ingest loading every daily report of the development
# set, side by side with sqlite3's .import of the same files into plain tables
# (the floor: no parsing beyond CSV, no locations, no deltas, no totals).
# The daily reports alone (--no-series): bench/series.sh measures the series.
# Reports rows/s and peak RSS (/usr/bin/time -v), and the peak RSS of a run
# over the first 300 dates only, to show memory does not grow with the
# history (issue 12: the same for 300 and 1,143 dates).
#
# Usage: sh bench/ingest.sh         (release build: bench/build.sh)
# Env:   JHU_DATA   the data set: a folder with csse_covid_19_daily_reports/,
#                   UID_ISO_FIPS_LookUp_Table.csv and csse_covid_19_time_series/
#                   (default: the full-scale data, all 1,143 dates, that
#                   bench/data.sh builds in var/bench/jhu)
#        BENCH_DATA a daily reports folder instead (its parent is the data set)
#        REPEAT     runs of each, best time kept (default 3)
#        BENCH_DIR  scratch directory on a real disk (default build/bench)
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${JHU_DATA:-}" ]; then
	if [ -n "${BENCH_DATA:-}" ]; then JHU_DATA=$(dirname "$BENCH_DATA")
	else JHU_DATA=$(sh "$ROOT/bench/data.sh") || exit 1; fi
fi
REPEAT=${REPEAT:-3}
W=${BENCH_DIR:-$ROOT/build/bench}
DAILY=$JHU_DATA/csse_covid_19_daily_reports
LOOKUP=$JHU_DATA/UID_ISO_FIPS_LookUp_Table.csv
[ -d "$DAILY" ] && [ -f "$LOOKUP" ] || { echo "no data set at $JHU_DATA" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench needs /usr/bin/time (Debian package: time)" >&2; exit 1; }

REL=$(sh bench/build.sh) || exit 1
rm -rf "$W" && mkdir -p "$W"

. bench/timing.sh   # timed, best

# ingest_cmd DIR [TO]: the command loading every date of the report folder
# DIR up to TO (default the last, 2023-03-09), into an empty database
# (word-split by the caller: paths without spaces).
ingest_cmd() {
	echo "$REL/bin/covid-ingest --db $W/ingest.db --source file://$1 --lookup file://$LOOKUP --from 2020-01-22 --to ${2:-2023-03-09} --skip-missing --no-series"
}

nfiles=$(ls "$DAILY"/*.csv | wc -l)
bytes=$(cat "$DAILY"/*.csv | wc -c)

# --- covid-ingest, every file ------------------------------------------------
best "$W/ingest.t" "rm -f $W/ingest.db $W/ingest.db-wal $W/ingest.db-shm" $(ingest_cmd "$DAILY")
rows=$(sqlite3 "$W/ingest.db" "SELECT sum(rows_loaded) FROM ingest_file WHERE status = 'loaded'")
rejected=$(sqlite3 "$W/ingest.db" "SELECT sum(rows_rejected) FROM ingest_file")
loaded=$(sqlite3 "$W/ingest.db" "SELECT count(*) FROM ingest_file WHERE status = 'loaded'")
[ "$loaded" -eq "$nfiles" ] || { echo "covid-ingest loaded $loaded of $nfiles files" >&2; exit 1; }

# --- sqlite3 .import, every file, each into a plain table made from its header
{
	echo "PRAGMA journal_mode=WAL;"
	echo "PRAGMA synchronous=NORMAL;"
	i=0
	for f in "$DAILY"/*.csv; do
		i=$((i + 1))
		echo ".import --csv '$f' t$i"
	done
} >"$W/import.sql"
best "$W/import.t" "rm -f $W/import.db $W/import.db-wal $W/import.db-shm" \
	sh -c "sqlite3 $W/import.db <$W/import.sql"
irows=0
i=0
while [ $i -lt "$nfiles" ]; do
	i=$((i + 1))
	irows=$((irows + $(sqlite3 "$W/import.db" "SELECT count(*) FROM t$i")))
done

# --- memory against the history: the first 300 dates alone -------------------
# 2020-01-22 + 299 days.
best "$W/few.t" "rm -f $W/ingest.db $W/ingest.db-wal $W/ingest.db-shm" $(ingest_cmd "$DAILY" 2020-11-16)
frows=$(sqlite3 "$W/ingest.db" "SELECT sum(rows_loaded) FROM ingest_file WHERE status = 'loaded'")
fdates=$(sqlite3 "$W/ingest.db" "SELECT count(DISTINCT date) FROM daily_report")

read -r isec ikb icpu <"$W/ingest.t"
read -r fsec fkb fcpu <"$W/import.t"
read -r ssec skb scpu <"$W/few.t"
awk -v n="$nfiles" -v b="$bytes" -v r="$rows" -v rj="$rejected" -v is="$isec" -v ik="$ikb" \
    -v ic="$icpu" -v ir="$irows" -v fs="$fsec" -v fk="$fkb" -v fc="$fcpu" -v sr="$frows" \
    -v ss="$ssec" -v sk="$skb" -v sc="$scpu" -v fd="$fdates" -v rep="$REPEAT" \
    -v when="$(date -u '+%Y-%m-%d %H:%M')" -v cpus="$(nproc)" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	printf "### Ingest, %s UTC, %d CPUs, load %s at the end\n\n", when, cpus, load
	printf "%d daily reports, %.1f MB; best of %d run(s) each; CPU s = user + system " \
	    "(steadier than wall time when other jobs share the machine).\n\n", n, b / 1e6, rep
	wall = (r / is) / (ir / fs); cpu = (r / ic) / (ir / fc)
	print "| run | files | rows | wall s | CPU s | rows/s | rows/CPU s | peak RSS | vs the floor |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|---|"
	line = "| %s | %d | %d | %.2f | %.2f | %.0f | %.0f | %.1f MB | %s |\n"
	printf line, "covid-ingest, every file", n, r, is, ic, r / is, r / ic, ik / 1024,
	    sprintf("**%.2f** by wall, **%.2f** by CPU (goal >= 0.6: %s)", wall, cpu,
	        wall >= 0.6 ? "met" : (cpu >= 0.6 ? "met by CPU only" : "missed"))
	printf line, "sqlite3 `.import` (the floor)", n, ir, fs, fc, ir / fs, ir / fc, fk / 1024, "1"
	printf line, sprintf("covid-ingest, the first %d dates", fd), fd, sr, ss, sc, sr / ss, sr / sc, sk / 1024,
	    sprintf("peak RSS of all %d dates %.2fx this (flat: %s)", n, ik / sk,
	        ik / sk <= 1.1 ? "met" : "missed")
	printf "\nRows rejected by covid-ingest: %d (duplicates and malformed rows, each in rejected_row).\n", rj
}'
echo
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)."
