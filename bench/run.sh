#!/bin/sh
# bench/run.sh: what `make bench` runs: the four benchmarks in turn, each
# printing one Markdown table with the reference beside each figure, all on
# the full-scale data (all 1,143 dates, bench/data.sh) and one release build
# of HEAD (bench/build.sh):
#   ingest  bench/ingest.sh: one backfill of every daily report vs
#           sqlite3 .import of the same files
#   portal  bench/portal.sh: each page at 64 connections vs hello, the
#           page cache vs static
#   export  bench/export.sh: CSV of the whole county history vs
#           sqlite3 -csv; XLSX of the county slice vs openpyxl
#   api     bench/api.sh: the JSON API's summary and a country's series
#           vs hello, the county reports listing vs sqlite3 -json
#   map     bench/map.sh: the world, US state and county maps vs hello
# One run of each measurement (REPEAT=1, RUNS=1), 5 s per wrk row at 64
# connections only (the goals' figures) and no whole county history as XLSX
# (EXPORTS=whole: about 4 minutes alone) keep the whole under 15 minutes on
# a 2-CPU machine; set REPEAT, RUNS, DURATION, CONNS, EXPORTS for more.
# Arguments pick some of the three ("sh bench/run.sh export"). bench/README.md has the
# figures.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REPEAT=${REPEAT:-1} RUNS=${RUNS:-1} DURATION=${DURATION:-5} CONNS=${CONNS:-64}
EXPORTS=${EXPORTS:-csv xlsx}
export REPEAT RUNS DURATION CONNS EXPORTS
[ $# -gt 0 ] || set -- ingest portal export api map

start=$(date +%s)
rel=$(sh bench/build.sh)
BENCH_BUILT=1
export BENCH_BUILT
# The data, checked once (each script would check it again otherwise).
BENCH_DATA=$(sh bench/data.sh)/csse_covid_19_daily_reports
export BENCH_DATA
echo "## make bench, $(date -u '+%Y-%m-%d %H:%M') UTC: release build of $(cat "$rel/rev"), $(nproc) CPUs"
echo
spent=
for b in "$@"; do
	t=$(date +%s)
	sh "bench/$b.sh"
	echo
	spent="$spent${spent:+, }$b $(($(date +%s) - t)) s"
done
echo "Wall time: $(($(date +%s) - start)) s in all ($spent, the rest building and checking the data)."
