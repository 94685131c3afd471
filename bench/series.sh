#!/bin/sh
# bench/series.sh: covid-ingest loading JHU's five time series files, side by
# side with sqlite3's .import of the same files into plain tables (the floor:
# one row per place, no parsing of the dates, no places, no totals). Reports
# place-dates (values) per second and peak RSS (/usr/bin/time -v), and the
# peak RSS of the same load with the files cut to their first 300 date
# columns, to show memory does not grow with the number of date columns.
#
# Usage: sh bench/series.sh         (release build: bench/build.sh)
# Env:   SERIES_DATA  the folder of the five files (default: the full-scale
#                     tree var/bench/jhu/csse_covid_19_time_series when built,
#                     else ../shared/data/jhu/..., else the bundled sample)
#        REPEAT       runs of each, best time kept (default 3)
#        BENCH_DIR    scratch directory on a real disk (default build/bench-series)
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TS=csse_covid_19_time_series
if [ -z "${SERIES_DATA:-}" ]; then
	for d in "$ROOT/var/bench/jhu/$TS" "$ROOT/../shared/data/jhu/$TS" \
	    /work/shared/data/jhu/$TS "$ROOT/data/sample/$TS"; do
		[ -f "$d/time_series_covid19_confirmed_US.csv" ] && { SERIES_DATA=$d; break; }
	done
fi
[ -n "${SERIES_DATA:-}" ] || { echo "no time series folder found" >&2; exit 1; }
LOOKUP=$ROOT/data/sample/UID_ISO_FIPS_LookUp_Table.csv
REPEAT=${REPEAT:-3}
W=${BENCH_DIR:-$ROOT/build/bench-series}
[ -x /usr/bin/time ] || { echo "bench needs /usr/bin/time (Debian package: time)" >&2; exit 1; }

REL=$(sh bench/build.sh) || exit 1
rm -rf "$W" && mkdir -p "$W"

. bench/timing.sh   # timed, best

# tree DIR SERIES: JHU's layout with no daily reports, so that a one-date
# run loads the series alone (the date is skipped: not in the source).
tree() {
	mkdir -p "$1/csse_covid_19_daily_reports"
	cp "$LOOKUP" "$1/"
	ln -s "$2" "$1/$TS"
}
ingest_cmd() {
	echo "$REL/bin/covid-ingest --db $W/ingest.db --source file://$1/csse_covid_19_daily_reports --from 2020-01-22 --to 2020-01-22 --skip-missing"
}

# cut300 IN OUT: the file with its place columns and its first 300 dates
# (quoted fields such as "Korea, South" kept whole).
cut300() {
	awk -v keep=300 'function split_csv(line, f,   n, q, c, i, cur) {
		n = 0; q = 0; cur = ""
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (c == "\"") q = !q
			if (c == "," && !q) { f[++n] = cur; cur = "" } else cur = cur c
		}
		f[++n] = cur
		return n
	}
	NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) if (h[i] ~ /^[0-9]+\/[0-9]+\/[0-9]+\r?$/) { first = i; break } }
	{ n = split_csv($0, f); last = first + keep - 1; if (last > n) last = n
	  out = f[1]; for (i = 2; i <= last; i++) out = out "," f[i]; print out }' "$1" >"$2"
}

tree "$W/full" "$SERIES_DATA"
mkdir -p "$W/cut"
for f in "$SERIES_DATA"/time_series_covid19_*.csv; do
	cut300 "$f" "$W/cut/$(basename "$f")"
done
tree "$W/short" "$W/cut"

columns=$(head -1 "$SERIES_DATA/time_series_covid19_confirmed_global.csv" | tr ',' '\n' | grep -c '^[0-9]*/[0-9]*/[0-9]*')
bytes=$(cat "$SERIES_DATA"/time_series_covid19_*.csv | wc -c)

# --- covid-ingest, the five files -------------------------------------------
clean="rm -f $W/ingest.db $W/ingest.db-wal $W/ingest.db-shm"
best "$W/ingest.t" "$clean" $(ingest_cmd "$W/full")
values=$(sqlite3 "$W/ingest.db" "SELECT sum(rows_loaded) FROM ingest_file WHERE series IS NOT NULL AND status = 'loaded'")
files=$(sqlite3 "$W/ingest.db" "SELECT count(*) FROM ingest_file WHERE series IS NOT NULL AND status = 'loaded'")
[ "$files" -eq 5 ] || { echo "covid-ingest loaded $files of 5 series files" >&2; exit 1; }
best "$W/short.t" "$clean" $(ingest_cmd "$W/short")

# --- sqlite3 .import of the same files, each into a table from its header ---
{
	echo "PRAGMA journal_mode=WAL;"
	echo "PRAGMA synchronous=NORMAL;"
	for f in "$SERIES_DATA"/time_series_covid19_*.csv; do
		echo ".import --csv $f \"$(basename "$f" .csv)\""
	done
} >"$W/import.sql"
best "$W/import.t" "rm -f $W/import.db $W/import.db-wal $W/import.db-shm" \
	sh -c "sqlite3 $W/import.db <$W/import.sql"

read -r iw ik ic <"$W/ingest.t"
read -r sw sk sc <"$W/short.t"
read -r mw mk mc <"$W/import.t"
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
echo "### Time series load, $(date -u +%Y-%m-%d) ($(nproc) CPUs)"
echo
echo "Data: $SERIES_DATA: 5 files, $bytes bytes, $values place-dates, up to $columns date columns. Best of $REPEAT runs."
echo
echo "| run | wall s | CPU s | place-dates/s | peak RSS kB |"
echo "|---|---|---|---|---|"
echo "| covid-ingest, the five files | $iw | $ic | $(rate "$values" "$iw") | $ik |"
echo "| sqlite3 .import, the same files (floor) | $mw | $mc | $(rate "$values" "$mw") | $mk |"
echo "| covid-ingest, cut to 300 date columns | $sw | $sc | - | $sk |"
echo
awk -v a="$iw" -v b="$mw" -v k="$ik" -v s="$sk" 'BEGIN {
	printf "covid-ingest / floor: %.2f of sqlite3 .import'"'"'s rate (goal >= 0.5); ", b / a
	printf "peak RSS %d kB for all columns, %d kB for 300 (%.2fx)\n", k, s, k / s }'
