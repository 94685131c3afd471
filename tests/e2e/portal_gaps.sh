# portal_gaps: a value the database does not have never leaves a hole in a
# sentence ("(as of )", "data through  · last refreshed "): it reads as
# "not reported", or the phrase is left out. Every page, through nginx, on
# the sample and on a migrated database that holds no rows (a first ingest
# whose every date failed); tests/e2e/portal_expect.py gaps finds the holes
# in the text (and in the charts' titles and descriptions).
source "$(dirname "$0")/../lib.sh"
EXPECT="/usr/bin/python3 $ROOT/tests/e2e/portal_expect.py"
DAILY=$SAMPLE/csse_covid_19_daily_reports

PAGES="/ /regions /regions?q=an /region/us /region/us/federal-bureau-of-prisons
/region/us/new-york /region/us/new-york/kings /downloads /about /status /nowhere"

# no_gaps LABEL: every page of the running portal, checked.
no_gaps() {
	local p name
	for p in $PAGES; do
		name=$(printf '%s' "$1$p" | tr -c 'a-z0-9' _)
		curl -s -o "$T/$name" "$PORTAL_URL$p"
		$EXPECT gaps "$T/$name" > "$T/$name.gaps"
		if [ -s "$T/$name.gaps" ]; then
			not_ok "$1 $p: no hole in the text"; head -5 "$T/$name.gaps" | sed 's/^/#   /'
		else
			ok "$1 $p: no hole in the text"
		fi
	done
}

# --- the sample ------------------------------------------------------------
DB=$T/covid.db
if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
no_gaps sample
# The US has places in JHU's lookup table that the sample never reports on
# (the Federal Bureau of Prisons): their row in its table says so.
NONE=$(sqlite3 "$DB" "SELECT count(*) FROM location l WHERE parent_id =
    (SELECT id FROM location WHERE slug = 'us') AND NOT EXISTS
    (SELECT 1 FROM region_daily d WHERE d.location_id = l.id)")
check "the sample has US places without reports ($NONE)" [ "$NONE" -gt 0 ]
curl -s -o "$T/us" "$PORTAL_URL/region/us"
check_contains "/region/us: such a place reads as not reported" "$T/us" \
    '<a href="/region/us/federal-bureau-of-prisons">Federal Bureau of Prisons</a> <span class="asof">(not reported)</span>'
check_eq "/region/us: one such note per place without reports" \
    "$(grep -c '(not reported)' "$T/us")" "$NONE"
curl -s -o "$T/search" "$PORTAL_URL/regions?q=andorra"
check_contains "a country in the search results: no empty context" "$T/search" \
    '<a href="/region/andorra">Andorra</a> <span class="level">Country</span>'
# A successful run without its finishing time (a job log edited by hand, a
# clock that failed): /status says so instead of an empty time and age.
sqlite3 "$DB" "UPDATE ingest_run SET finished_at = NULL WHERE status = 'ok'"
PAGES=/status no_gaps sample-unfinished
check_contains "/status: the run without a finishing time says so" "$T/sample_unfinished_status" \
    "has no finishing time in the job log."
stop_portal

# --- a migrated database without a single row ------------------------------
EMPTY=$T/empty.db
mkdir -p "$T/nothing"
"$INGEST" --db "$EMPTY" --source "file://$T/nothing" --from 2020-01-22 \
    --to 2020-01-23 2>"$T/ingest-empty.log"
check_eq "an ingest whose every date fails: exit 1" "$?" 1
check_eq "... leaves a migrated database without rows" \
    "$(sqlite3 "$EMPTY" "SELECT count(*) FROM daily_report")" 0
start_portal "$EMPTY" || { not_ok "the portal starts on it"; exit 1; }
no_gaps empty
# A failed file without a reason: the sentence about it has no empty brackets.
sqlite3 "$EMPTY" "UPDATE ingest_file SET error = '' WHERE status = 'failed'"
PAGES=/status no_gaps empty-noreason
check_contains "/status: a failure without a reason says so" "$T/empty_noreason_status" \
    "(no reason recorded)"
curl -s -o "$T/empty-about" "$PORTAL_URL/about"
check_contains "empty: the footer says no reports are loaded" "$T/empty-about" \
    '<p class="version">Data version 0 · no reports loaded yet</p>'
check_contains "empty: /about says the database holds none" "$T/empty-about" \
    "This database holds no reports yet (data version 0)."
stop_portal
