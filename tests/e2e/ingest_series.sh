#!/bin/bash
# covid-ingest's time series (issue 11) against real nginx serving copies of
# JHU's five files (data/sample/csse_covid_19_time_series/): the first load
# (the job log, series_source, figures equal to the CSV read by Python's csv
# module, the world total of PROVENANCE.md); a second run is five 304s; a
# revised cell reloads its file and changes exactly that place-date and its
# region totals; each bad input (HTML, truncated mid-row, a US header in a
# global file, a row one date short, "12x", a file cut at a line end to 99 of
# its places) fails its file with the reason
# and keeps what was loaded; a mirror without series is warnings only;
# --no-series asks for none; --series elsewhere; --series with --no-series is
# a usage error; over file://, a file of 3,001 dates and 4,000 rows loads in
# memory that does not grow with the file (only with the region totals).
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

SERIES=csse_covid_19_time_series
SER=$SAMPLE/$SERIES
TS="/usr/bin/python3 $ROOT/tests/fixtures/series/ts.py"
NAMES="confirmed_global deaths_global recovered_global confirmed_US deaths_US"
file_of() { echo "time_series_covid19_$1.csv"; }

www_copy "$T/www" 03-09-2023
cp -r "$SER" "$T/www/"
W=$T/www/$SERIES
start_static_server "$T/www"
base=http://127.0.0.1:$STATIC_PORT
src=$base/$REPORTS
db=$T/covid.db
log=$T/static.access.log
day="--from 2023-03-09 --to 2023-03-09"

# sdump DB: every series value and region total, keyed by the place's slug,
# fully ordered (independent of row ids).
sdump() {
	sqlite3 -batch -noheader "$1" \
	  "SELECT 'S', l.slug, s.date, s.product, s.confirmed, s.deaths, s.recovered
	     FROM series s JOIN location l ON l.id = s.location_id ORDER BY 2, 3;
	   SELECT 'R', l.slug, r.date, r.confirmed, r.deaths, r.recovered
	     FROM series_region r JOIN location l ON l.id = r.location_id ORDER BY 2, 3;"
}
dv() { q "$db" "SELECT value FROM meta WHERE key = 'data_version'"; }
# last_run: "name:status" of the newest run's series files, in order.
last_run() {
	q "$db" "SELECT group_concat(series || ':' || status, ' ') FROM (SELECT series,
	           status FROM ingest_file WHERE series IS NOT NULL AND run_id =
	           (SELECT max(id) FROM ingest_run) ORDER BY id)"
}
# nginx's ETag of a served file: "mtime-size" in hex.
etag_of() { printf '"%x-%x"' "$(stat -c %Y "$1")" "$(stat -c %s "$1")"; }
vs() {   # vs COLUMN COUNTRY PROVINCE ADMIN2 DATE: a v_series figure
	q "$db" "SELECT $1 FROM v_series WHERE country_region = '$2'
	           AND province_state IS NULLIF('$3', '') AND admin2 IS NULLIF('$4', '')
	           AND date = '$5'"
}
vc() {   # vc COLUMN COUNTRY DATE: a v_country_series figure
	q "$db" "SELECT $1 FROM v_country_series WHERE country_region = '$2' AND date = '$3'"
}

# --- first load through nginx ----------------------------------------------
ingest --db "$db" --source "$src" $day
check_rc "first load exits 0" 0
check_eq "integrity_check" "$(q "$db" 'PRAGMA integrity_check')" ok
check_eq "the five files 'loaded' with HTTP 200 in the job log" "$(last_run)" \
	"confirmed_global:loaded deaths_global:loaded recovered_global:loaded confirmed_US:loaded deaths_US:loaded"
check_eq "the run is ok" "$(q "$db" "SELECT status FROM ingest_run")" ok
for n in $NAMES; do
	f=$W/$(file_of "$n")
	read -r rows dates <<<"$($TS shape "$f")"
	check_eq "$n: series_source holds the body's SHA-256, nginx's ETag and the URL" \
		"$(q "$db" "SELECT sha256, etag, url FROM series_source WHERE name = '$n'")" \
		"$(sha256sum <"$f" | cut -d' ' -f1)|$(etag_of "$f")|$base/$SERIES/$(file_of "$n")"
	check_eq "$n: ingest_file: HTTP 200, rows_loaded = $rows places x $dates dates" \
		"$(q "$db" "SELECT http_status, rows_loaded, rows_rejected FROM ingest_file
		              WHERE series = '$n'")" "200|$((rows * dates))|0"
	check_contains "$n: the log line" "$T/ingest.err" \
		"series $n: loaded $rows places, $((rows * dates)) values through"
done
check_eq "ingest_file.date is each file's newest date column" \
	"$(q "$db" "SELECT group_concat(date, ' ') FROM (SELECT date FROM ingest_file
	              WHERE series IS NOT NULL ORDER BY id)")" \
	"2023-03-09 2023-03-09 2021-10-28 2020-07-27 2020-07-27"

G=$W/$(file_of confirmed_global) GD=$W/$(file_of deaths_global)
GR=$W/$(file_of recovered_global) U=$W/$(file_of confirmed_US) UD=$W/$(file_of deaths_US)
for d in 2020-03-01 2021-01-01 2023-03-09; do
	check_eq "Germany $d: confirmed and deaths as in the CSV (v_country_series)" \
		"$(vc confirmed Germany $d)|$(vc deaths Germany $d)" \
		"$($TS one "$G" $d Country/Region=Germany Province/State=)|$($TS one "$GD" $d Country/Region=Germany Province/State=)"
done
check_eq "Germany 2021-01-01: recovered as in the CSV" "$(vc recovered Germany 2021-01-01)" \
	"$($TS one "$GR" 2021-01-01 Country/Region=Germany Province/State=)"
check_eq "Germany 2023-03-09: no recovered figure (the file stops in 2021): NULL" \
	"$(vc "coalesce(recovered, 'NULL')" Germany 2023-03-09)" NULL
for d in 2020-04-01 2020-07-27; do
	check_eq "Autauga, Alabama $d: confirmed and deaths as in the US files" \
		"$(vs confirmed US Alabama Autauga $d)|$(vs deaths US Alabama Autauga $d)" \
		"$($TS one "$U" $d Admin2=Autauga Province_State=Alabama)|$($TS one "$UD" $d Admin2=Autauga Province_State=Alabama)"
done
check_eq "a US county has no recovered figure: NULL, not 0" \
	"$(vs "coalesce(recovered, 'NULL')" US Alabama Autauga 2020-07-27)" NULL
check_eq "Ontario 2021-01-01 as in the CSV" "$(vs confirmed Canada Ontario '' 2021-01-01)" \
	"$($TS one "$G" 2021-01-01 Country/Region=Canada Province/State=Ontario)"
check_eq "Canada 2021-01-01 = the sum of its provinces' rows" \
	"$(vc confirmed Canada 2021-01-01)|$(vc deaths Canada 2021-01-01)" \
	"$($TS sum "$G" 2021-01-01 Country/Region=Canada)|$($TS sum "$GD" 2021-01-01 Country/Region=Canada)"
check_eq "Alabama 2020-07-27 (series_region) = the sum of its counties in the US file" \
	"$(q "$db" "SELECT r.confirmed FROM series_region r JOIN location l ON l.id = r.location_id
	              WHERE l.slug = 'us/alabama' AND r.date = '2020-07-27'")" \
	"$($TS sum "$U" 2020-07-27 Province_State=Alabama)"
check_eq "the US on 2020-07-27 is its own global row, not its counties' sum" \
	"$(vc confirmed US 2020-07-27)" \
	"$($TS one "$G" 2020-07-27 Country/Region=US Province/State=)"
check_eq "the world on 2023-03-09 = 676,570,149 (PROVENANCE.md) = the CSV's column" \
	"$(q "$db" "SELECT sum(confirmed) FROM v_country_series WHERE date = '2023-03-09'")" \
	"676570149"
check_eq "... which is the CSV column's sum" "$($TS sum "$G" 2023-03-09)" 676570149

# --- second run: every series request a 304 --------------------------------
dv0=$(dv)
sdump "$db" >"$T/dump0"
: >"$log"
ingest --db "$db" --source "$src" $day
check_rc "second run exits 0" 0
check_eq "the five files 'unchanged'" "$(last_run)" \
	"confirmed_global:unchanged deaths_global:unchanged recovered_global:unchanged confirmed_US:unchanged deaths_US:unchanged"
check_eq "one request per series file and the date" "$(requests "$log" | sort)" \
	"$( (echo "GET /$REPORTS/03-09-2023.csv"; for n in $NAMES; do echo "GET /$SERIES/$(file_of "$n")"; done) | sort)"
check_eq "every answer a 304" "$(awk '{print $9}' "$log" | sort -u)" 304
check_eq "data_version unchanged" "$(dv)" "$dv0"
check_contains "the log says not modified" "$T/ingest.err" "series deaths_US: unchanged (not modified)"

# --- a revision: one cell of confirmed_US ----------------------------------
line=$(grep -n '^84001001,' "$U" | cut -d: -f1)   # Autauga, Alabama
old=$($TS one "$U" 2020-07-27 Admin2=Autauga Province_State=Alabama)
state=$($TS sum "$U" 2020-07-27 Province_State=Alabama)
$TS set "$U" "$line" 1 $((old + 1000))   # its last date, 7/27/20
touch -d '+1 minute' "$U"
check_eq "fixture: the served file differs in one line" \
	"$(diff "$SER/$(file_of confirmed_US)" "$U" | grep -c '^>')" 1
: >"$log"
ingest --db "$db" --source "$src" $day
check_rc "the revision run exits 0" 0
check_eq "only confirmed_US loads" "$(last_run)" \
	"confirmed_global:unchanged deaths_global:unchanged recovered_global:unchanged confirmed_US:loaded deaths_US:unchanged"
check_eq "its rows_loaded: every value of the file" \
	"$(q "$db" "SELECT rows_loaded FROM ingest_file WHERE series = 'confirmed_US'
	              ORDER BY id DESC LIMIT 1")" 627920
check_contains "the log line: two values changed (the county and its state)" "$T/ingest.err" \
	"series confirmed_US: loaded 3340 places, 627920 values through 2020-07-27 (2 changed)"
sdump "$db" >"$T/dump1"
deaths=$($TS one "$UD" 2020-07-27 Admin2=Autauga Province_State=Alabama)
state_deaths=$($TS sum "$UD" 2020-07-27 Province_State=Alabama)
check_eq "exactly the county's value and its state's total changed (not the US's)" \
	"$(diff "$T/dump0" "$T/dump1" | grep '^[<>]')" \
"< S|us/alabama/autauga|2020-07-27|2|$old|$deaths|
> S|us/alabama/autauga|2020-07-27|2|$((old + 1000))|$deaths|
< R|us/alabama|2020-07-27|$state|$state_deaths|
> R|us/alabama|2020-07-27|$((state + 1000))|$state_deaths|"
check_eq "data_version went up" "$(q "$db" "SELECT value > $dv0 FROM meta WHERE key = 'data_version'")" 1
check_eq "series_source has the new SHA-256 and ETag" \
	"$(q "$db" "SELECT sha256, etag FROM series_source WHERE name = 'confirmed_US'")" \
	"$(sha256sum <"$U" | cut -d' ' -f1)|$(etag_of "$U")"

# --- bad input in place of deaths_global: fails alone, loses nothing --------
# Where a body is CSV, it also changes Afghanistan's last value (line 2),
# which streams into the transaction before the bad row: it must roll back.
orig=$SER/$(file_of deaths_global)
afg=$($TS one "$orig" 2023-03-09 Country/Region=Afghanistan)
bad=$T/bad.csv
csv_edit() { cp "$orig" "$bad"; $TS set "$bad" 2 1 999999; }
lines=$(wc -l <"$orig")
k=0
for kind in html truncated header short number cut; do
	case $kind in
	html)      cp "$FIX/error-page.html" "$bad"
	           why="body is HTML, not CSV" ;;
	truncated) csv_edit
	           # cut mid-row: the last line keeps no line end
	           n=$(( $(stat -c %s "$bad") * 2 / 3 ))
	           while [ "$(head -c "$n" "$bad" | tail -c 1 | od -An -c | tr -d ' ')" = '\n' ]; do
	           	n=$((n + 1)); done
	           head -c "$n" "$bad" >"$bad.cut" && mv "$bad.cut" "$bad"
	           why="(the last line has no line end: truncated body)" ;;
	header)    cp "$SER/$(file_of confirmed_US)" "$bad"
	           why="wrong header: the US layout in a global file" ;;
	short)     csv_edit; $TS drop "$bad" 200
	           why="line 200: 1146 cells, the header has 1147" ;;
	number)    csv_edit; $TS set "$bad" 250 500 12x
	           why="line 250, column $(date -d '2023-03-09 - 499 days' +%-m/%-d/%y): not a whole number: \"12x\"" ;;
	cut)       # cut at a line end: every row well formed, most missing
	           csv_edit; head -n 100 "$bad" >"$bad.cut" && mv "$bad.cut" "$bad"
	           why="only 99 places where $((lines - 1)) are loaded: truncated? (kept the old values)" ;;
	esac
	k=$((k + 1))
	cp "$bad" "$GD"
	touch -d "+$((k + 1)) minutes" "$GD"
	ingest --db "$db" --source "$src" $day
	check_rc "$kind: the run exits 1" 1
	check_eq "$kind: deaths_global failed, the other files unchanged" "$(last_run)" \
		"confirmed_global:unchanged deaths_global:failed recovered_global:unchanged confirmed_US:unchanged deaths_US:unchanged"
	check_contains "$kind: ingest_file.error says why" \
		<(q "$db" "SELECT error FROM ingest_file WHERE series = 'deaths_global' ORDER BY id DESC LIMIT 1") \
		"$why"
	check_contains "$kind: so does the log" "$T/ingest.err" "series deaths_global: failed: "
	check_contains "$kind: ... with the reason" <(grep 'series deaths_global: failed' "$T/ingest.err") "$why"
	check_eq "$kind: the run is 'failed'" \
		"$(q "$db" "SELECT status FROM ingest_run ORDER BY id DESC LIMIT 1")" failed
	sdump "$db" >"$T/dump2"
	check "$kind: every series value and total as before" cmp -s "$T/dump1" "$T/dump2"
	check_eq "$kind: Afghanistan's last value is the loaded one" \
		"$(vc deaths Afghanistan 2023-03-09)" "$afg"
	check_eq "$kind: series_source still names the loaded body" \
		"$(q "$db" "SELECT sha256 FROM series_source WHERE name = 'deaths_global'")" \
		"$(sha256sum <"$orig" | cut -d' ' -f1)"
done
cp "$orig" "$GD"
touch -d '+9 minutes' "$GD"
ingest --db "$db" --source "$src" $day
check_rc "the file restored: exits 0" 0
check_eq "... and it is 'unchanged' by its SHA-256" "$(last_run)" \
	"confirmed_global:unchanged deaths_global:unchanged recovered_global:unchanged confirmed_US:unchanged deaths_US:unchanged"
check_contains "... said so" "$T/ingest.err" "series deaths_global: unchanged (same SHA-256)"

# --- a mirror of the daily reports only: warnings, not failures ------------
www_copy "$T/www/dailyonly" 03-09-2023
: >"$log"
ingest --db "$db" --source "$base/dailyonly/$REPORTS" $day
check_rc "a mirror without series: exits 0" 0
check_eq "five warnings, one per file" \
	"$(grep -c '^<4>series [a-zA-Z_]*: not in the source, skipped' "$T/ingest.err")" 5
check_eq "it asked for them (404s)" \
	"$(grep -F "/dailyonly/$SERIES/" "$log" | awk '{print $9}' | sort | uniq -c | tr -s ' ')" " 5 404"
check_eq "the run is ok and logs no series file" \
	"$(q "$db" "SELECT status FROM ingest_run ORDER BY id DESC LIMIT 1")|$(last_run)" "ok|"
check_contains "the summary counts them" "$T/ingest.err" "series: 0 loaded, 0 unchanged, 0 failed, 5 not in the source"
sdump "$db" >"$T/dump2"
check "the series are as before" cmp -s "$T/dump1" "$T/dump2"

# --- --series names another folder ------------------------------------------
mkdir "$T/www/mirror"
cp -p "$W"/*.csv "$T/www/mirror/"
gline=$(grep -n '^,Germany,' "$T/www/mirror/$(file_of recovered_global)" | cut -d: -f1)
$TS set "$T/www/mirror/$(file_of recovered_global)" "$gline" 1 4242   # 2021-10-28
: >"$log"
ingest --db "$db" --source "$src" --series "$base/mirror/" $day
check_rc "--series elsewhere: exits 0" 0
check_eq "every series request went there" \
	"$(requests "$log" | grep time_series_ | sort)" \
	"$(for n in $NAMES; do echo "GET /mirror/$(file_of "$n")"; done | sort)"
check_eq "its edited file loaded, the same bytes elsewhere 'unchanged'" "$(last_run)" \
	"confirmed_global:unchanged deaths_global:unchanged recovered_global:loaded confirmed_US:unchanged deaths_US:unchanged"
check_eq "Germany's recovered on 2021-10-28 is the mirror's" "$(vc recovered Germany 2021-10-28)" 4242
check_eq "series_source names the mirror's URLs" \
	"$(q "$db" "SELECT count(*) FROM series_source WHERE url LIKE '$base/mirror/time_series_covid19_%.csv'")" 5

# --- --no-series: no series request at all ----------------------------------
: >"$log"
ingest --db "$db" --source "$src" --no-series $day
check_rc "--no-series: exits 0" 0
check_eq "--no-series: the date's request only" "$(requests "$log")" "GET /$REPORTS/03-09-2023.csv"
check_eq "--no-series: no series file in the job log" "$(last_run)" ""
check_not_contains "--no-series: the summary has no series part" "$T/ingest.err" "series:"

# --- --series and --no-series together: a usage error -----------------------
: >"$log"
ingest --db "$db" --source "$src" --series "$base/mirror" --no-series $day
check_rc "--series with --no-series: exit 2" 2
check_contains "... says why" "$T/ingest.err" "--series and --no-series go apart"
check_eq "... and fetches nothing" "$(requests "$log" | wc -l)" 0
check_eq "integrity_check at the end of the HTTP part" "$(q "$db" 'PRAGMA integrity_check')" ok

# --- over file://: a wide file streams ---------------------------------------
# A global-layout file of 4,000 places and 3,001 dates from 2020-01-22 (the
# only series file of its folder: four warnings), against the same places
# with 300 dates. The body (24 MB here) goes to an unlinked temporary file
# and is read through a window of it, so it must not show; what may grow
# with the dates is the store's region totals, kept in memory as the values
# stream (9 bytes a region and date: every row is a province, so 4,000 + 40
# regions, 95 MB more here; a few hundred regions in JHU's files). Beyond
# those, the wide file's peak RSS must be within 1.25 times the narrow
# one's: flat. (Under ASan its shadow of the window's reads, an eighth of
# the bytes, 3 MB here, is in the RSS too.) ASan's quarantine of freed
# blocks (256 MB) is turned off so that the RSS is the program's.
F=$T/files
mkdir -p "$F/wide" "$F/narrow"
rows=4000
for w in narrow:300 wide:3001; do
	name=${w%:*} dates=${w#*:}
	$TS wide "$F/$name/$(file_of confirmed_global)" $rows "$dates"
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		/usr/bin/time -f %M -o "$T/$name.rss" "$INGEST" --db "$T/$name.db" \
		--source "file://$SAMPLE/$REPORTS" --series "file://$F/$name" $day \
		>"$T/ingest.out" 2>"$T/ingest.err"
	rc=$?
	check_rc "$name ($dates dates): exits 0" 0
	check_eq "$name: the file loaded, the four others not in the source" \
		"$(grep -c 'not in the source, skipped' "$T/ingest.err")|$(q "$T/$name.db" \
		  "SELECT status || ' ' || rows_loaded || ' ' || date FROM ingest_file
		    WHERE series = 'confirmed_global'")" \
		"4|loaded $((rows * dates)) $(date -d "2020-01-22 + $((dates - 1)) days" +%F)"
	check_eq "$name: series_source names the file:// URL, no ETag" \
		"$(q "$T/$name.db" "SELECT url, etag IS NULL FROM series_source")" \
		"file://$F/$name/$(file_of confirmed_global)|1"
done
wdb=$T/wide.db
last=$(date -d "2020-01-22 + 3000 days" +%F)
check_eq "wide: every value is a row" "$(q "$wdb" "SELECT count(*) FROM series")" $((rows * 3001))
for d in 2020-01-22 2022-06-30 "$last"; do
	check_eq "wide: Province 0007 on $d as in the CSV" \
		"$(db=$wdb vs confirmed 'Testland 07' 'Province 0007' '' "$d")" \
		"$($TS one "$F/wide/$(file_of confirmed_global)" "$d" 'Province/State=Province 0007')"
	check_eq "wide: Testland 13 on $d = the sum of its 100 rows" \
		"$(db=$wdb vc confirmed 'Testland 13' "$d")" \
		"$($TS sum "$F/wide/$(file_of confirmed_global)" "$d" 'Country/Region=Testland 13')"
done
narrow_rss=$(cat "$T/narrow.rss") wide_rss=$(cat "$T/wide.rss")
totals_kb=$(( 9 * (rows + 40) * (3001 - 300) / 1024 ))
echo "# peak RSS: narrow $narrow_rss kB, wide $wide_rss kB, of which $totals_kb kB more region totals"
check "wide: beyond the region totals, the peak RSS is within 1.25 x the narrow file's" \
	test $(( (wide_rss - totals_kb) * 4 )) -le $((narrow_rss * 5))
check_eq "integrity_check of the wide database" "$(q "$wdb" 'PRAGMA integrity_check')" ok
