#!/bin/bash
# reconcile: the numbers analysts see (v_country_daily) against JHU's own
# second product, the global time series, for every country and loaded date.
#
# covid-ingest loads every daily report of the development set
# (../shared/data/jhu, else the bundled sample) from file://; a Python reader
# sums time_series_covid19_{confirmed,deaths}_global.csv per country and
# compares. Every difference must be one of the documented JHU-side
# exceptions below, each with its country, dates, kind and reason; anything
# else fails. The kinds are checked, not just named:
#   blank     the daily report left the count empty (we store NULL, never 0),
#             the time series says 0
#   absent    the daily report has no row for the country, the series has one
#   shift     the report has the count the series gives the DAY BEFORE: that
#             day's source was stale and JHU later corrected the series only
#   row:P     the report has a row P (e.g. repatriated cruise passengers)
#             that the series leaves out: report minus row P = series
#   revised-M JHU rewrote the series for measure(s) M (c = confirmed,
#             d = deaths) after this version of the daily report; the other
#             measure must still match
# Why revisions dominate: the time series here is JHU's FINAL one (2023),
# while most daily reports are the versions copied on 2021-10-29 and
# 2022-01 (see PROVENANCE.md). JHU's README (csse_covid_19_data/README.md,
# "Data modification records") lists many series-only rewrites; where a
# record explains an exception it is cited. The last report, 03-09-2023, is
# of the same vintage as the series and matches it for every country but one
# (Netherlands, below). Exceptions that no longer match anything fail too,
# so the list cannot rot.
# The time series as covid-ingest loads them (issue 11) are checked too:
# v_country_series must be the files' sums exactly, and inside the
# database v_country_daily must agree with v_country_series wherever both
# have a figure but for the same documented exceptions (none new: the
# loaded series are the files), their count recorded per data set.
source "$(dirname "$0")/../lib.sh"

if [ -n "${JHU_DATA:-}" ]; then
	DATA=$JHU_DATA
elif [ -d "$ROOT/../shared/data/jhu/csse_covid_19_daily_reports" ]; then
	DATA=$ROOT/../shared/data/jhu
elif [ -d /work/shared/data/jhu/csse_covid_19_daily_reports ]; then
	DATA=/work/shared/data/jhu
else
	DATA=$SAMPLE
fi
DAILY=$DATA/csse_covid_19_daily_reports
echo "# data: $DATA"
nfiles=$(ls "$DAILY" | grep -c '^[0-1][0-9]-[0-3][0-9]-20[0-9][0-9]\.csv$')
last=$(ls "$DAILY" | sed -n 's/^\([0-9][0-9]\)-\([0-9][0-9]\)-\([0-9]\{4\}\)\.csv$/\3-\1-\2/p' | sort | tail -1)

db=$T/reconcile.db
"$INGEST" --db "$db" --source "file://$DAILY/" --from 2020-01-22 --to "$last" \
	--skip-missing 2>"$T/ingest.err"
rc=$?
check_eq "covid-ingest loads every daily report (exit status)" "$rc" 0
[ "$rc" = 0 ] || grep -v '^<6>' "$T/ingest.err" | head -20 | sed 's/^/#   /'
check_eq "every file is loaded" \
	"$(sqlite3 -batch "$db" 'SELECT count(*) FROM source_file')" "$nfiles"

# The reader prints "ok<TAB>text", "not ok<TAB>text" or "#<TAB>text".
/usr/bin/python3 - "$db" "$DATA/csse_covid_19_time_series" \
	"$([ "$DATA" = "$SAMPLE" ] && echo sample || echo full)" >"$T/cmp.out" <<'PY'
import collections, csv, datetime, sqlite3, sys

db, tsdir, dataset = sys.argv[1:4]

# (country, first date, last date, kind, reason). "*" is every country.
EXCEPTIONS = [
    ("*", "2020-01-22", "2020-01-31", "blank",
     "the January 2020 reports leave zero counts empty (mostly Deaths); "
     "we keep them NULL, the series writes 0"),
    # --- a country missing from the daily report
    ("Antarctica", "2022-01-21", "2022-01-21", "absent",
     "series counts Antarctica from 2021-12-14; JHU added its row to the "
     "daily reports only later (it is in 03-09-2023, not in 01-21-2022)"),
    ("Canada", "2020-01-23", "2020-01-25", "absent",
     "series back-filled Ontario's first cases; these reports have no Canada"),
    ("Chile", "2020-02-28", "2020-03-02", "absent",
     "series back-distributed cases (README 2020-07-26) to days whose "
     "reports have no Chile"),
    ("Kosovo", "2020-03-22", "2020-03-23", "absent",
     "the 03-22/03-23 reports have no Kosovo; series overwritten from 3/14 "
     "(README 2020-07-28)"),
    ("Uruguay", "2020-03-13", "2020-03-13", "absent",
     "the 03-13 report has no Uruguay; series back-filled"),
    ("West Bank and Gaza", "2020-03-13", "2020-03-23", "absent",
     "the 03-13..03-23 reports have no West Bank and Gaza (03-10 named it "
     "'occupied Palestinian territory'); series back-filled"),
    # --- the report repeats the day before (stale source), series corrected
    ("Pakistan", "2020-02-28", "2020-06-10", "shift",
     "README 2020-06-10: JHU's Pakistan data ran a day late; the series was "
     "pulled back one day, the daily reports were not"),
    ("Pakistan", "2020-03-22", "2020-03-22", "revised-cd",
     "inside the shifted period; the series' 03-21 deaths (5) differ too"),
    ("Mexico", "2020-03-13", "2020-04-18", "shift",
     "every March/April report has the count the series gives the day "
     "before: a consistent one-day offset"),
    ("Uruguay", "2020-03-21", "2020-04-18", "shift",
     "reports a day behind the series, as for Mexico"),
    ("Uruguay", "2020-03-29", "2020-04-02", "revised-c", "series revised"),
    ("Argentina", "2020-03-23", "2020-03-23", "shift", "stale source that day"),
    ("Bolivia", "2020-05-02", "2020-05-02", "shift", "stale source that day"),
    ("Panama", "2020-03-23", "2020-03-23", "shift", "stale source that day"),
    ("Spain", "2020-05-01", "2020-05-01", "shift", "stale source that day"),
    ("Colombia", "2020-04-18", "2020-04-18", "shift", "stale source that day"),
    ("Philippines", "2021-10-28", "2021-10-28", "shift", "stale source that day"),
    # --- rows the series leaves out
    ("Australia", "2020-02-28", "2020-02-28", "row:From Diamond Princess",
     "8 repatriated passengers filed under Australia; the series counts "
     "them under Diamond Princess only"),
    ("Netherlands", "2023-03-09", "2023-03-09", "row:Unknown",
     "the final report's 'Unknown, Netherlands' row has 2 deaths; the "
     "series' Netherlands row is the sum of the 12 provinces without it"),
    # --- the report's national row was lost in JHU's 2021 regeneration
    ("Malaysia", "2020-01-25", "2020-03-21", "revised-cd",
     "JHU's 2021 regeneration of the 2020 reports replaced the national "
     "row by state rows that are all 0 (historical/ 03-21-2020 still has "
     "Malaysia 1183); the series kept the national numbers"),
    # --- series rewritten after these reports (README records cited)
    ("United Kingdom", "2020-01-31", "2022-01-21", "revised-cd",
     "series-only rewrites: deaths in care homes (README 2020-04-30), cases "
     "from the four nations' dashboards (2020-07-03), deaths within 28 days "
     "(2020-08-17), later ones"),
    ("Sweden", "2020-01-31", "2020-09-15", "revised-cd",
     "series recreated from the Public Health Agency's cleaned data (README "
     "2020-08-27) and deaths by date of report (2021-01-21)"),
    ("Japan", "2020-01-23", "2022-01-21", "revised-cd",
     "series-only update of cases Feb 5..May 27 and deaths Feb 13..May 27 "
     "(README 2020-07-09), later revisions"),
    ("Kosovo", "2020-03-21", "2020-07-13", "revised-cd",
     "series overwritten from 3/14 to 7/26 because of a stale source "
     "(README 2020-07-28; also 2020-05-01)"),
    ("Chile", "2020-03-10", "2020-06-16", "revised-c",
     "back distribution of probable and non-notified cases before June 17 "
     "into the confirmed series only (README 2020-07-26)"),
    ("Iceland", "2020-06-15", "2020-07-13", "revised-c",
     "antibody cases reported June 15..July 20 removed from the confirmed "
     "series only (README 2020-07-22)"),
    ("France", "2020-03-22", "2021-01-01", "revised-cd",
     "confirmed series adjusted for ESMS cases (README 2020-04-16), "
     "corrections of March..December 2020 (2020-12-15), later ones"),
    ("China", "2020-01-23", "2022-01-21", "revised-cd",
     "Hubei/Wuhan series revisions (README 2020-02-13, 02-14, 04-17), an "
     "'Unknown' series row from April 2020 that the reports lack (0), "
     "Hong Kong revisions"),
    ("Israel", "2020-03-10", "2020-03-23", "revised-c",
     "cases revised from February 27 (README 2020-12-04)"),
    ("Lithuania", "2020-02-29", "2022-01-21", "revised-cd",
     "adjustment from the national dashboard (README 2021-02-02, 02-15) and "
     "later ones"),
    ("Haiti", "2020-05-12", "2022-01-21", "revised-cd",
     "series re-based on the Ministry of Health's data (README 2021-01-25)"),
    ("Peru", "2020-05-29", "2020-06-21", "revised-cd",
     "back distribution of backlogged deaths (README 2021-06-07), cases too"),
    # --- series revised after these reports, no record in the README copy
    ("US", "2020-01-31", "2022-01-21", "revised-cd",
     "many state/county back-distributions in the series (README lists "
     "dozens, 2020..2021), and later ones"),
    ("Canada", "2020-01-26", "2022-01-21", "revised-cd",
     "Ontario back-filled from January 2020 (the reports still split it "
     "into 'Toronto, ON', 'London, ON'), later provincial revisions"),
    ("Germany", "2020-02-28", "2022-01-21", "revised-cd", "series revised"),
    ("Austria", "2020-02-28", "2022-01-21", "revised-cd", "series revised"),
    ("Finland", "2020-02-15", "2022-01-21", "revised-cd", "series revised"),
    ("Netherlands", "2020-02-28", "2022-01-21", "revised-c",
     "confirmed series revised (deaths match)"),
    ("New Zealand", "2020-04-18", "2022-01-21", "revised-d",
     "deaths series revised by one (confirmed match)"),
    ("Nicaragua", "2020-03-21", "2022-01-21", "revised-cd",
     "weekly national reporting; series revised"),
    ("Brazil", "2020-05-20", "2021-10-28", "revised-cd", "series revised"),
    ("Colombia", "2020-05-28", "2020-07-13", "revised-cd", "series revised"),
    ("Mongolia", "2020-05-02", "2022-01-21", "revised-cd", "series revised"),
    ("Mauritius", "2020-03-21", "2022-01-21", "revised-cd", "series revised"),
    ("Slovakia", "2020-03-13", "2021-10-28", "revised-c",
     "confirmed series revised; from November 2020 far above the reports "
     "(881,087 vs 470,008 on 2021-10-28)"),
    ("Georgia", "2020-04-04", "2022-01-21", "revised-d",
     "deaths series revised (confirmed match)"),
    ("India", "2020-06-10", "2021-01-01", "revised-cd", "series revised"),
    ("Thailand", "2020-03-28", "2022-01-21", "revised-cd", "series revised"),
    ("Ecuador", "2021-08-09", "2022-01-21", "revised-cd", "series revised"),
    ("Turkey", "2021-08-09", "2021-10-28", "revised-c",
     "confirmed series 30 higher throughout (deaths match)"),
    ("Australia", "2020-01-25", "2020-01-25", "revised-c",
     "series starts Australia on 01-26; the report has 4 on 01-25"),
    ("Australia", "2020-03-22", "2020-03-22", "revised-c", "series revised"),
    ("Australia", "2020-04-18", "2020-04-18", "revised-c", "series revised"),
    ("Liechtenstein", "2020-06-22", "2020-06-23", "revised-c", "series revised"),
    ("Spain", "2020-03-22", "2020-03-22", "revised-cd", "series revised"),
    ("Korea, South", "2020-03-22", "2020-03-22", "revised-cd", "series revised"),
    ("West Bank and Gaza", "2020-03-10", "2020-04-18", "revised-c",
     "series revised"),
    ("Diamond Princess", "2020-03-10", "2020-03-13", "revised-c",
     "series says 706 where the reports say 696"),
    ("Russia", "2020-03-10", "2020-03-10", "revised-c", "series revised"),
    ("Azerbaijan", "2020-02-28", "2020-02-28", "revised-c",
     "report has ' Azerbaijan' 1 on 02-28, the series starts on 03-01"),
    ("Timor-Leste", "2020-03-21", "2020-03-21", "revised-c",
     "report has 'East Timor' 1 on 03-21, the series starts on 03-22"),
    ("Bahrain", "2020-03-13", "2020-03-13", "revised-c", "series revised"),
    ("Belarus", "2020-04-18", "2020-04-18", "revised-c", "series revised"),
    ("Bhutan", "2020-05-11", "2020-05-11", "revised-c", "series revised"),
    ("Bosnia and Herzegovina", "2020-03-23", "2020-03-23", "revised-c",
     "series revised"),
    ("Guyana", "2020-03-22", "2020-03-22", "revised-c", "series revised"),
    ("Honduras", "2020-03-23", "2020-03-23", "revised-c", "series revised"),
    ("Kazakhstan", "2020-03-22", "2020-03-22", "revised-c", "series revised"),
    ("Norway", "2020-03-22", "2020-03-22", "revised-c", "series revised"),
    ("Czechia", "2022-01-21", "2022-01-21", "revised-c", "series revised"),
    ("Kiribati", "2022-01-21", "2022-01-21", "revised-c",
     "series revised (39 where the report says 2)"),
]

def load_ts(kind):
    tot = collections.defaultdict(int)
    with open(f"{tsdir}/time_series_covid19_{kind}_global.csv", newline="",
              encoding="utf-8-sig") as f:
        r = csv.reader(f)
        head = next(r)
        dates = [datetime.datetime.strptime(d, "%m/%d/%y").strftime("%Y-%m-%d")
                 for d in head[4:]]
        for row in r:
            for d, v in zip(dates, row[4:]):
                if v != "":
                    tot[(row[1], d)] += int(float(v))
    return tot

conf, deaths = load_ts("confirmed"), load_ts("deaths")
con = sqlite3.connect(db)
dbv = {(c, d): (n, k) for d, c, n, k in con.execute(
    "SELECT date, country_region, confirmed, deaths FROM v_country_daily")}
loaded = [r[0] for r in con.execute("SELECT date FROM source_file ORDER BY date")]
countries = sorted({c for c, _ in conf} | {c for c, _ in dbv})

def day_before(d):
    return (datetime.date.fromisoformat(d) - datetime.timedelta(days=1)).isoformat()

def row_values(country, province, date):
    r = con.execute("SELECT coalesce(sum(confirmed), 0), coalesce(sum(deaths), 0) "
                    "FROM v_daily WHERE country_region = ? AND province_state = ? "
                    "AND admin2 IS NULL AND date = ?", (country, province, date)).fetchone()
    return r

def same(got, want, date):
    """Equal, or the empty field of a January 2020 report (first exception)."""
    return got == want or (got is None and want == 0 and
                           EXCEPTIONS[0][1] <= date <= EXCEPTIONS[0][2])

def holds(kind, country, date, got, want, series=None):
    """Does this kind of exception explain got (db) vs want (series)?
    series: the time series' (confirmed, deaths) of a country and date
    (default: the reader's sums of the files)."""
    series = series or (lambda c, d: (conf.get((c, d)), deaths.get((c, d))))
    if kind == "absent":
        return got is None and (want[0] or want[1])
    if got is None:
        return False
    if kind == "blank":
        return all(same(g, w, date) for g, w in zip(got, want))
    if kind == "shift":
        return got == series(country, day_before(date))
    if kind.startswith("row:"):
        p = row_values(country, kind[4:], date)
        return ((got[0] or 0) - p[0], (got[1] or 0) - p[1]) == want and p != (0, 0)
    if kind.startswith("revised-"):
        measures = kind[len("revised-"):]
        return (("c" in measures or same(got[0], want[0], date)) and
                ("d" in measures or same(got[1], want[1], date)))
    raise ValueError(kind)

used = collections.Counter()
exact = explained = 0
unexplained = []
for c in countries:
    for d in loaded:
        got = dbv.get((c, d))
        want = (conf.get((c, d)), deaths.get((c, d)))
        if want[0] is None and want[1] is None:
            if got is not None:
                unexplained.append((c, d, got, "no such country in the series"))
            continue
        if got is None and not (want[0] or want[1]):
            exact += 1      # nothing reported, nothing in the series
            continue
        if got == want:
            exact += 1
            continue
        for i, (ec, first, last_, kind, _) in enumerate(EXCEPTIONS):
            if (ec == "*" or ec == c) and first <= d <= last_ and \
                    holds(kind, c, d, got, want):
                used[i] += 1
                explained += 1
                break
        else:
            unexplained.append((c, d, got, want))

def out(status, text):
    print(f"{status}\t{text}")

total = exact + explained + len(unexplained)
out("#", f"{total} country-dates: {exact} exact, {explained} documented "
    f"exceptions, {len(unexplained)} unexplained")
if unexplained:
    out("not ok", f"{len(unexplained)} country-dates differ from the time "
        "series without a documented reason")
    for c, d, got, want in unexplained[:40]:
        out("#", f"  {c} {d}: v_country_daily (confirmed, deaths) = {got}, "
            f"time series = {want}")
else:
    out("ok", f"every country-date matches the time series or is a documented "
        f"JHU-side exception ({exact} exact of {total})")

# Each exception explains something (on the full data set; the sample has
# only some of the dates).
for i, (ec, first, last_, kind, reason) in enumerate(EXCEPTIONS):
    dates_in = [d for d in loaded if first <= d <= last_]
    if not dates_in:
        continue
    text = f"exception {ec} {first}..{last_} {kind}: {used[i]} country-dates ({reason})"
    if used[i] or dataset == "sample":
        out("ok" if used[i] else "#", text)
    else:
        out("not ok", text + ": explains nothing any more; remove it")

# The last report and the final series are the same vintage: strictly equal
# for every country but the one documented above.
if "2023-03-09" in loaded:
    bad = [(c, dbv.get((c, "2023-03-09")), (conf.get((c, "2023-03-09")),
            deaths.get((c, "2023-03-09"))))
           for c in countries
           if c != "Netherlands" and (conf.get((c, "2023-03-09")) is not None or
                                      dbv.get((c, "2023-03-09")) is not None)
           and dbv.get((c, "2023-03-09")) != (conf.get((c, "2023-03-09")),
                                              deaths.get((c, "2023-03-09")))]
    out("ok" if not bad else "not ok",
        f"2023-03-09 (final report, final series): every country equal but "
        f"Netherlands ({len(bad)} differ)")
    for b in bad[:10]:
        out("#", f"  {b}")
    world = con.execute("SELECT sum(confirmed) FROM v_country_daily "
                        "WHERE date = '2023-03-09'").fetchone()[0]
    out("ok" if world == sum(v for (c, d), v in conf.items() if d == "2023-03-09")
        else "not ok", f"2023-03-09 world total confirmed {world} equals the series'")

# --- the time series as covid-ingest loaded them (issue 11) ---------------
# The ingest loaded the same files into series and series_region; what the
# portal reads of a country (v_country_series) must be the reader's sums of
# the files exactly, every country and every date of the files.
dbs = {(c, d): (n, k) for d, c, n, k in con.execute(
    "SELECT date, country_region, confirmed, deaths FROM v_country_series")}
files = set(conf) | set(deaths)
differ = sorted(k for k in files | set(dbs)
                if dbs.get(k) != (conf.get(k), deaths.get(k)))
out("ok" if dbs and not differ else "not ok",
    f"v_country_series is the series files summed per country: {len(dbs)} "
    f"country-dates, {len(differ)} differ")
for k in differ[:10]:
    out("#", f"  {k}: v_country_series {dbs.get(k)}, files "
        f"{(conf.get(k), deaths.get(k))}")

# Then the two products inside the database: every country and loaded date
# where both v_country_daily and v_country_series have a figure agree, or
# differ for one of the documented exceptions above (the same JHU-side
# reasons: the series in the database are the files). "absent" cannot occur
# here (both have a figure). How many country-dates the exceptions explain is
# recorded per data set: more fails (a new difference hiding under an old
# reason), fewer too (then lower the number: the list must not rot).
DB_EXCEPTIONS = {"full": 1590, "sample": 707}
in_db = lambda c, d: dbs.get((c, d), (None, None))
used_db = collections.Counter()
both = exact_db = 0
unexplained_db = []
for (c, d), got in sorted(dbv.items()):
    want = dbs.get((c, d))
    if want is None or d not in loaded:
        continue
    both += 1
    if got == want:
        exact_db += 1
        continue
    for i, (ec, first, last_, kind, _) in enumerate(EXCEPTIONS):
        if (ec == "*" or ec == c) and first <= d <= last_ and \
                holds(kind, c, d, got, want, in_db):
            used_db[i] += 1
            break
    else:
        unexplained_db.append((c, d, got, want))
explained_db = sum(used_db.values())
out("#", f"{both} country-dates in both products: {exact_db} equal, "
    f"{explained_db} documented exceptions, {len(unexplained_db)} unexplained")
out("ok" if both and not unexplained_db else "not ok",
    f"v_country_daily agrees with v_country_series but for the documented "
    f"exceptions ({len(unexplained_db)} country-dates without a reason)")
for c, d, got, want in unexplained_db[:40]:
    out("#", f"  {c} {d}: v_country_daily {got}, v_country_series {want}")
out("ok" if explained_db == DB_EXCEPTIONS[dataset] else "not ok",
    f"the documented exceptions explain {explained_db} country-dates in the "
    f"database, as recorded ({DB_EXCEPTIONS[dataset]} for the {dataset} data)")
for i in sorted(used_db):
    ec, first, last_, kind, _ = EXCEPTIONS[i]
    out("#", f"  {ec} {first}..{last_} {kind}: {used_db[i]}")
PY
rc=$?
check_eq "the reconciliation reader ran" "$rc" 0
while IFS=$'\t' read -r status text; do
	case "$status" in
	ok) ok "$text" ;;
	"not ok") not_ok "$text" ;;
	*) echo "# $text" ;;
	esac
done <"$T/cmp.out"
