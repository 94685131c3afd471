#!/bin/bash
# export: /export.csv and /export.xlsx through real nginx and spawn-fcgi on
# the bundled sample (real JHU files, loaded by covid-ingest): every level x
# shape x format, the XLSX read back with openpyxl and LibreOffice against
# the CSV, values against the source files, the 400s, 304s, the file cache
# (X-Accel-Redirect with a length, ranges, gzip, one generation for
# concurrent requests), the /downloads form taking the same keys.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../export_lib.sh"

DB=$T/sample.db
if ! export_setup "$DB"; then
	not_ok "sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
export_start "$DB" || { not_ok "portal starts with the export program"; exit 1; }
RANGE=2020-01-22_2023-03-09     # the sample's first and last dates

# ---- Every level, shape and format ----------------------------------------
XLSX_DONE=""
for level in country province county; do
	case $level in
	country)  q="level=country"; place="" ;;
	province) q="level=province&country=US&country=Canada"; place="_selection" ;;
	county)   q="level=county&province=New+York"; place="_US_New_York" ;;
	esac
	for shape in wide long; do
		n=$level-$shape
		suffix=""; [ $shape = long ] && suffix="_long"
		check_eq "$n csv: 200" "$(get $n.csv "/export.csv?$q&shape=$shape")" 200
		check_eq "$n csv: Content-Type" "$(hdr $n.csv Content-Type)" "text/csv; charset=utf-8"
		check_eq "$n csv: filename" "$(hdr $n.csv Content-Disposition)" \
		    "attachment; filename=\"covid_$level$place${suffix}_$RANGE.csv\""
		check "$n csv: the issue's columns" xcheck columns "$T/$n.csv.body" $shape
		check "$n csv: one level, rows ordered by location then date" \
		    xcheck order "$T/$n.csv.body" $level
		check "$n csv: CRLF line ends throughout" \
		    test "$(grep -c $'\r$' "$T/$n.csv.body")" -eq "$(wc -l < "$T/$n.csv.body")"
		rows=$(($(wc -l < "$T/$n.csv.body") - 1))
		check "$n csv: has rows ($rows)" test "$rows" -gt 10

		check_eq "$n xlsx: 200" "$(get $n.xlsx "/export.xlsx?$q&shape=$shape")" 200
		check_eq "$n xlsx: Content-Type" "$(hdr $n.xlsx Content-Type)" \
		    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		check_eq "$n xlsx: filename" "$(hdr $n.xlsx Content-Disposition)" \
		    "attachment; filename=\"covid_$level$place${suffix}_$RANGE.xlsx\""
		cp "$T/$n.xlsx.body" "$T/$n.xlsx"
		if xcheck xlsx "$T/$n.xlsx" "$T/$n.csv.body" >"$T/$n.xcheck" 2>&1; then
			ok "$n xlsx (openpyxl): typed cells equal the CSV, sheets, header, About"
		else
			not_ok "$n xlsx (openpyxl) equals the CSV"; sed 's/^/#   /' "$T/$n.xcheck"
		fi
		XLSX_DONE="$XLSX_DONE $n"
	done
done
# The issue's example name, for the default request.
check_eq "default request's filename" "$(get default "/export.csv")" 200
check_contains "default filename is covid_country_<first>_<last>.csv" "$T/default.head" \
    'filename="covid_country_2020-01-22_2023-03-09.csv"'

# LibreOffice, one run for all six workbooks (it converts the first sheet).
mkdir -p "$T/lo"
files=""; for n in $XLSX_DONE; do files="$files $T/$n.xlsx"; done
(cd "$T" && timeout 300 soffice -env:UserInstallation=file://$T/lo-profile --headless \
    --convert-to csv --outdir "$T/lo" $files >"$T/lo.log" 2>&1)
for n in $XLSX_DONE; do
	if [ ! -s "$T/lo/$n.csv" ]; then
		not_ok "$n xlsx (LibreOffice) converts"; sed 's/^/#   /' "$T/lo.log"
	elif xcheck lo "$T/lo/$n.csv" "$T/$n.csv.body" >"$T/$n.lo" 2>&1; then
		ok "$n xlsx (LibreOffice): values equal the CSV"
	else
		not_ok "$n xlsx (LibreOffice) equals the CSV"; sed 's/^/#   /' "$T/$n.lo"
	fi
done

# ---- Values against the source files ----------------------------------------
for d in 2021-01-01 2023-03-09; do
	f=$SAMPLE/csse_covid_19_daily_reports/${d:5:2}-${d:8:2}-${d:0:4}.csv
	get src-county "/export.csv?level=county&from=$d&to=$d" >/dev/null
	check "county rows of $d carry the source file's values" \
	    xcheck county "$f" "$T/src-county.body" $d
	get src-country "/export.csv?from=$d&to=$d" >/dev/null
	check "country rows of $d are the sums of the source file's rows" \
	    xcheck country "$f" "$T/src-country.body" $d
done
# Unknown is empty, never 0: JHU stopped reporting Recovered in 2021.
check "Recovered unknown in 2023: empty fields, not 0" \
    xcheck empty "$T/src-county.body" Recovered
check_contains "names with commas are quoted" "$T/src-country.body" '"Korea, South"'

# ---- bom ----------------------------------------------------------------------
get bom "/export.csv?bom=1&country=US" >/dev/null
check_eq "bom=1: a UTF-8 BOM first" "$(head -c 3 "$T/bom.body" | od -An -tx1 | tr -d ' ')" efbbbf
check_eq "bom=0 (default): none" "$(head -c 4 "$T/default.body")" "Date"

# ---- 400: each kind, before any byte of a file --------------------------------
bad() {   # bad DESCRIPTION QUERY TEXT-IN-PAGE [path]
	local path=${4:-/export.csv}
	check_eq "400 $1" "$(get bad "$path?$2")" 400
	if grep -qi "^Content-Disposition" "$T/bad.head" || grep -q "^Date,Country" "$T/bad.body"; then
		not_ok "400 $1: no file bytes"
	else
		ok "400 $1: no file bytes"
	fi
	check_contains "400 $1: says what" "$T/bad.body" "$3"
}
bad "unknown key" "level=county&lvl=country" "is unknown here"
bad "key given twice" "level=county&level=country" "was given more than once"
bad "unknown level" "level=city" "must be one of: country, province, county"
bad "unknown shape" "shape=tall" "must be one of: wide, long"
bad "bad bom" "bom=2" "must be one of: 0, 1"
bad "not a date" "from=2020-02-30" "must be a date written YYYY-MM-DD"
bad "reversed dates" "from=2021-01-01&to=2020-12-31" "from=2021-01-01 is after to=2020-12-31"
bad "date outside the data" "to=2024-01-01" "to=2024-01-01 is outside the data"
bad "unknown country" "country=US&country=Atlantis" "No country is called"
bad "unknown country named" "country=Atlantis" "Atlantis"
bad "unknown province" "level=province&province=Atlantis" "No province or state is called"
bad "province at country level" "province=New+York" "applies to level=province or level=county"
bad "no data at that level" "level=county&country=France" "France has no county-level data"
bad "malformed escape" "country=%zz" "not properly encoded"
bad "markup is escaped" "country=%3Cb%3Ex" "&lt;b&gt;x"
check_not_contains "400: the raw markup never reaches the page" "$T/bad.body" "<b>x"
bad "xlsx: unknown country" "country=Atlantis" "No country is called" /export.xlsx
check_eq "405 for POST" "$(get post /export.csv -X POST)" 405
check_contains "405 names what is allowed" "$T/post.head" "Allow: GET, HEAD"

# ---- ETag and 304 --------------------------------------------------------------
get e1 "/export.csv?level=province&country=US" >/dev/null
etag=$(hdr e1 ETag)
check "csv: an ETag" test -n "$etag"
check_eq "csv: If-None-Match -> 304" \
    "$(get e2 "/export.csv?level=province&country=US" -H "If-None-Match: $etag")" 304
check_eq "csv: 304 has no body" "$(wc -c < "$T/e2.body")" 0
get e3 "/export.csv?country=usa&level=province&from=2020-01-22" >/dev/null
check_eq "csv: the same request spelt differently, the same ETag" "$(hdr e3 ETag)" "$etag"
get e4 "/export.csv?level=province&country=US&shape=long" >/dev/null
check "csv: another request, another ETag" test "$(hdr e4 ETag)" != "$etag"
get e5 "/export.xlsx?level=province&country=US" >/dev/null
check "xlsx and csv differ in ETag" test "$(hdr e5 ETag)" != "$etag"
check_eq "HEAD: 200" "$(get h1 "/export.csv?level=province&country=US" -I)" 200
check_eq "HEAD: the same ETag" "$(hdr h1 ETag)" "$etag"
check_eq "HEAD: no body" "$(head_body_bytes "/export.csv?level=province&country=US")" 0
get xh "/export.xlsx?level=province&country=US" -I >/dev/null
xetag=$(hdr xh ETag)
check_eq "xlsx: If-None-Match with the export's ETag -> 304" \
    "$(get x304 "/export.xlsx?level=province&country=US" -H "If-None-Match: $xetag")" 304
check_eq "xlsx: If-None-Match with the ETag the download carried -> 304" \
    "$(get x304b "/export.xlsx?level=province&country=US" -H "If-None-Match: $(hdr e5 ETag)")" 304

# ---- CSV: a file nginx sends, with its length -----------------------------------
check_eq "csv: a Content-Length, the body's" "$(hdr e1 Content-Length)" "$(wc -c < "$T/e1.body")"
check_eq "csv: sent by nginx from the cache (a Range gives 206)" \
    "$(get e6 "/export.csv?level=province&country=US" -r 0-99)" 206
check_eq "csv: ... of the file's first 100 bytes" "$(head -c 100 "$T/e1.body" | md5sum)" \
    "$(md5sum < "$T/e6.body")"
check_eq "csv: gzip when asked: 200" \
    "$(get gz "/export.csv?level=province&country=US" -H 'Accept-Encoding: gzip')" 200
check_eq "csv: gzip when asked: compressed" "$(hdr gz Content-Encoding)" gzip
check "csv: gzipped, the same file" cmp -s <(gunzip -c "$T/gz.body") "$T/e1.body"
# ... the entry's gzip twin, made with it: nginx sends the file as it is,
# with its length, rather than compressing the CSV again.
twin=
for f in "$PORTAL_DIR"/cache/files/*.csv.gz; do
	[ -f "$f" ] && gunzip -c "$f" | cmp -s - "$T/e1.body" && twin=$f
done
check "csv: the entry has a gzip twin in the cache" test -s "${twin:-/none}"
check "csv: gzipped, the twin's bytes" cmp -s "$T/gz.body" "${twin:-/none}"
check_eq "csv: gzipped, with the twin's length" "$(hdr gz Content-Length)" \
    "$(wc -c < "${twin:-/dev/null}")"
# The ETag of what goes out compressed is weak (as nginx's own gzip makes
# it: etc/nginx, $export_etag); it still answers 304.
check_eq "csv: gzipped, the same ETag (weak)" "$(hdr gz ETag)" "W/$etag"
check_eq "csv: gzipped, its ETag in If-None-Match -> 304" \
    "$(get gz304 "/export.csv?level=province&country=US" -H 'Accept-Encoding: gzip' \
    -H "If-None-Match: $(hdr gz ETag)")" 304
check_contains "csv: the second was a cache hit" "$PORTAL_DIR/export.log" \
    "export: csv cache hit csv?level=province&shape=wide"

# ---- The XLSX cache and X-Accel-Redirect ----------------------------------------
q="level=province&country=Canada&from=2020-05-18"
canon="xlsx?level=province&shape=wide&from=2020-05-18&to=2023-03-09&country=Canada"
get c1 "/export.xlsx?$q" >/dev/null
get c2 "/export.xlsx?$q" >/dev/null
check_eq "xlsx: generated once for two requests" "$(generated "$canon")" 1
check "xlsx: the second download is the same file" cmp -s "$T/c1.body" "$T/c2.body"
check_contains "xlsx: the second was a cache hit" "$PORTAL_DIR/export.log" \
    "export: xlsx cache hit $canon"
# nginx sent it from disk: its static module answers ranges.
check_eq "xlsx: sent by nginx from the cache (a Range gives 206)" \
    "$(get c3 "/export.xlsx?$q" -r 0-99)" 206
check_eq "xlsx: ... of 100 bytes" "$(wc -c < "$T/c3.body")" 100
check "xlsx: the cached file is in the cache directory" \
    test "$(ls "$PORTAL_DIR/cache/files" | grep -c '\.xlsx$')" -ge 1

# Three identical requests at once: one generation, three equal files.
q="level=county&province=Texas&shape=long"
canon="xlsx?level=county&shape=long&from=2020-01-22&to=2023-03-09&province=US:Texas"
kids=""
for i in 1 2 3; do
	curl -s -o "$T/par$i.xlsx" "$PORTAL_URL/export.xlsx?$q" &
	kids="$kids $!"
done
wait $kids     # not a bare wait: nginx is a background job of this shell too
check_eq "concurrent identical xlsx requests: generated once" "$(generated "$canon")" 1
check "concurrent identical xlsx requests: the same bytes" \
    sh -c "cmp -s '$T/par1.xlsx' '$T/par2.xlsx' && cmp -s '$T/par1.xlsx' '$T/par3.xlsx'"
check "concurrent identical xlsx requests: a real workbook" \
    xcheck xlsxzip "$T/par1.xlsx"

# ---- The portal's links and form lead to files --------------------------------
if [ -x "$OUT/cgi-bin/portal.fcgi" ]; then
	get page /region/us/new-york >/dev/null
	links=$(grep -o 'href="/export[^"]*"' "$T/page.body" | sed 's/^href="//; s/"$//; s/&amp;/\&/g')
	check "the region page links to exports" test -n "$links"
	for l in $links; do
		check_eq "portal link $l: a file" "$(get link "$l")" 200
	done
	# What a browser sends for the untouched /downloads form plus two
	# countries picked from its list (empty province: not given).
	get form /downloads >/dev/null
	picks=$(grep -o '<option value="[^"]*"' "$T/form.body" | sed -n '1,2s/.*value="\([^"]*\)"/\1/p')
	q="level=county&province=&from=2020-01-22&to=2023-03-09&shape=wide&country=USA"
	check_eq "the /downloads form as sent: csv" "$(get f1 "/export.csv?$q")" 200
	q="level=country&province=&from=&to=&shape=long&bom=1"
	for c in $picks; do q="$q&country=$c"; done
	check_eq "the /downloads form with two picked countries: xlsx" "$(get f2 "/export.xlsx?$q")" 200
	# The form and the files take the same keys with the same rules.
	for q in bom=0 bom=1 bom=2 level=city "shape=long&level=county" "from=2020-02-30"; do
		check_eq "/downloads?$q answers as /export.csv?$q does" \
		    "$(get dl "/downloads?$q")" "$(get ex "/export.csv?$q")"
	done
	get dl "/downloads?bom=0" >/dev/null
	check_not_contains "/downloads?bom=0: the BOM box is not ticked" "$T/dl.body" \
	    'name="bom" value="1" checked'
	get dl "/downloads?bom=1" >/dev/null
	check_contains "/downloads?bom=1: the BOM box is ticked" "$T/dl.body" \
	    'name="bom" value="1" checked'
else
	not_ok "cgi-bin/portal.fcgi is built (its links and form are tested here)"
fi

stop_portal
