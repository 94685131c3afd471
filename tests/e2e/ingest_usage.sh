#!/bin/bash
# covid-ingest's command line: --help, and every kind of bad usage exits 2
# with a clear message before touching the database.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

db=$T/usage.db
src=file://$SAMPLE/$REPORTS

"$INGEST" --help >"$T/help.out" 2>&1
check_eq "--help exits 0" "$?" 0
check_contains "--help shows the synopsis" "$T/help.out" "covid-ingest --db PATH"
check_contains "--help documents the lock exit status" "$T/help.out" "75"
check_contains "--help documents the timeouts" "$T/help.out" "COVID_FETCH_LOW_SPEED_TIME"
check_contains "--help documents the batch budget" "$T/help.out" "COVID_INGEST_BATCH_ROWS"

# usage_case DESCRIPTION EXPECTED-TEXT ARGS...: exits 2, says EXPECTED-TEXT
# on stderr with an error prefix, and creates no database.
usage_case() {
	local d=$1 text=$2; shift 2
	rm -f "$db" "$db.lock"
	"$INGEST" "$@" >"$T/u.out" 2>"$T/u.err"
	check_eq "$d: exits 2" "$?" 2
	check_contains "$d: says why" "$T/u.err" "$text"
	check_contains "$d: as an error line" "$T/u.err" "<3>"
	check "$d: no database created" test ! -e "$db"
}

usage_case "no arguments" "--db PATH is required"
usage_case "unknown option" "unknown option" --db "$db" --frobnicate
usage_case "option without its value" "needs a value" --db
usage_case "stray argument" "unexpected argument" --db "$db" extra
usage_case "date not zero-padded" "real date as YYYY-MM-DD" \
	--db "$db" --source "$src" --from 2020-1-22 --to 2020-01-23
usage_case "not a calendar date (Feb 30)" "real date" \
	--db "$db" --source "$src" --from 2020-02-30 --to 2020-03-01
usage_case "not a calendar date (2021-02-29, no leap year)" "real date" \
	--db "$db" --source "$src" --from 2021-02-28 --to 2021-02-29
usage_case "month 13" "real date" --db "$db" --from 2020-13-01 --to 2020-13-02
usage_case "trailing junk after the date" "real date" \
	--db "$db" --from 2020-01-22x --to 2020-01-23
usage_case "MM-DD-YYYY instead of YYYY-MM-DD" "real date" \
	--db "$db" --from 01-22-2020 --to 01-23-2020
usage_case "before the first JHU report" "before the first JHU report" \
	--db "$db" --from 2020-01-21 --to 2020-01-23
usage_case "in the future" "in the future" --db "$db" --from 2020-01-22 --to 2999-01-01
usage_case "--from after --to" "--from is after --to" \
	--db "$db" --from 2020-01-24 --to 2020-01-23
usage_case "--from without --to" "go together" --db "$db" --from 2020-01-22
usage_case "--to without --from" "go together" --db "$db" --to 2020-01-22
usage_case "--skip-missing without dates" "--skip-missing needs" --db "$db" --skip-missing
usage_case "ftp:// source" "--source must be" --db "$db" --source ftp://example.org/x
usage_case "source without a scheme" "--source must be" --db "$db" --source /tmp/x
usage_case "lookup with a query string" "--lookup must be" \
	--db "$db" --lookup "http://example.org/x.csv?a=b"
usage_case "source with no folder to find the lookup in" "give --lookup" \
	--db "$db" --source http://example.org/
COVID_FETCH_TIMEOUT=abc usage_case "a bad limit in the environment" \
	"COVID_FETCH_TIMEOUT" --db "$db" --source "$src"
COVID_FETCH_LOW_SPEED_TIME=0 usage_case "a zero limit in the environment" \
	"COVID_FETCH_LOW_SPEED_TIME" --db "$db" --source "$src"
COVID_INGEST_BATCH_ROWS=0 usage_case "a zero batch budget in the environment" \
	"COVID_INGEST_BATCH_ROWS" --db "$db" --source "$src"
COVID_INGEST_BATCH_SECONDS=1s usage_case "a batch time that is not a number" \
	"COVID_INGEST_BATCH_SECONDS" --db "$db" --source "$src"
