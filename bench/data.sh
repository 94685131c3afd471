#!/bin/sh
# bench/data.sh: the full-scale benchmark data. Builds, on demand, a JHU-shaped
# tree of all 1,143 dates (2020-01-22..2023-03-09) in var/bench/jhu and prints
# its path (the one line on stdout; progress goes to stderr):
#
#   var/bench/jhu/csse_covid_19_daily_reports/MM-DD-YYYY.csv   every date: the
#       real file where the development set has it, else one bench/synth.c
#       synthesises from the nearest real file of the date's header era
#   var/bench/jhu/csse_covid_19_time_series/   the real global files (confirmed
#       and deaths to 3/9/23, recovered to 10/28/21) and the US files extended
#       from 7/27/20 to 3/9/23 by bench/synth.c
#   var/bench/jhu/UID_ISO_FIPS_LookUp_Table.csv   a copy
#
# bench/synth.c's top comment has the synthesis rule. The tree is the same
# byte for byte on every build (fixed seeds). It is built again only when an
# input changed: the generator (bench/synth.c, src/base/date.[ch] and
# numfmt.[ch] it links, this
# script) or the source files. var/bench/jhu.stamp holds the SHA-256 of the
# inputs and of the tree's listing (path, size and SHA-256 of every file);
# a tree whose listing no longer matches (edited, half-written) is rebuilt.
#
# BENCH_REBUILD=1 builds it again anyway and says whether the bytes differ
# from the last build of the same inputs (they must not).
#
# Environment: JHU_SRC the real data set (default ../shared/data/jhu, else
# /work/shared/data/jhu); BENCH_JHU where the tree goes (var/bench/jhu);
# CC (cc).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ -z "${JHU_SRC:-}" ]; then
	JHU_SRC=$ROOT/../shared/data/jhu
	[ -d "$JHU_SRC" ] || JHU_SRC=/work/shared/data/jhu
fi
OUT=${BENCH_JHU:-$ROOT/var/bench/jhu}
STAMP=$OUT.stamp
TS=csse_covid_19_time_series
COPIED="$TS/time_series_covid19_confirmed_global.csv $TS/time_series_covid19_deaths_global.csv
$TS/time_series_covid19_recovered_global.csv"

note() { echo "bench/data.sh: $*" >&2; }
die() { note "$*"; exit 1; }

[ -d "$JHU_SRC/csse_covid_19_daily_reports" ] && [ -f "$JHU_SRC/UID_ISO_FIPS_LookUp_Table.csv" ] ||
	die "no JHU data set at $JHU_SRC (set JHU_SRC)"

# listing DIR: path, size and SHA-256 of every file under DIR, sorted.
listing() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum)
}

# The inputs: the generator's sources and every source file the tree uses.
inputs=$( {
	sha256sum bench/synth.c src/base/date.c src/base/date.h src/base/numfmt.c src/base/numfmt.h bench/data.sh
	(cd "$JHU_SRC" && sha256sum UID_ISO_FIPS_LookUp_Table.csv $COPIED \
		$TS/time_series_covid19_confirmed_US.csv $TS/time_series_covid19_deaths_US.csv \
		csse_covid_19_daily_reports/*.csv)
} | sha256sum | cut -d' ' -f1)

if [ -z "${BENCH_REBUILD:-}" ] && [ -f "$STAMP" ] && [ -d "$OUT" ] &&
   [ "$(sed -n 's/^inputs //p' "$STAMP")" = "$inputs" ] &&
   [ "$(sed -n 's/^tree //p' "$STAMP")" = "$(listing "$OUT" | sha256sum | cut -d' ' -f1)" ]; then
	echo "$OUT"
	exit 0
fi

note "building the full-scale data in $OUT (about a minute)"
mkdir -p "$(dirname "$OUT")"
BIN=$(dirname "$OUT")/synth
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -Isrc -o "$BIN" bench/synth.c src/base/date.c src/base/numfmt.c -lm ||
	die "bench/synth.c does not build"
rm -rf "$OUT.tmp"
"$BIN" "$JHU_SRC" "$OUT.tmp" >&2 || die "synth failed"
cp "$JHU_SRC/UID_ISO_FIPS_LookUp_Table.csv" "$OUT.tmp/"
for f in $COPIED; do cp "$JHU_SRC/$f" "$OUT.tmp/$TS/"; done
tree=$(listing "$OUT.tmp" | sha256sum | cut -d' ' -f1)
old_inputs=$(sed -n 's/^inputs //p' "$STAMP" 2>/dev/null || true)
old_tree=$(sed -n 's/^tree //p' "$STAMP" 2>/dev/null || true)
if [ "$old_inputs" = "$inputs" ] && [ -n "$old_tree" ] && [ "$old_tree" != "$tree" ]; then
	note "warning: the same inputs gave a different tree ($old_tree before, $tree now)"
elif [ "$old_inputs" = "$inputs" ]; then
	note "the same tree as the last build of these inputs"
fi
rm -rf "$OUT" "$STAMP"
mv "$OUT.tmp" "$OUT"
printf 'inputs %s\ntree %s\n' "$inputs" "$tree" >"$STAMP"
note "tree $tree ($(du -sh "$OUT" | cut -f1))"
echo "$OUT"
