#!/bin/bash
# export_cache: the export program's file cache, through real nginx and
# spawn-fcgi on the bundled sample.
#  - a cache directory whose parents do not exist yet is made (mkdir -p): the
#    program started from a directory without var/, as from a fresh checkout;
#  - no usable cache at all (its path leads through a file; the directory
#    replaced under a running worker): every export is still a 200, built in
#    a temporary file and sent with its length, and the log says why; a
#    cache that comes back is used again;
#  - a cached file is never served for a setting it was not made with: the
#    rows per sheet changed between two starts (as a release that changes
#    the workbook would) gives a new file and a new ETag.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../export_lib.sh"

DB=$T/sample.db
if ! export_setup "$DB"; then
	not_ok "sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
export_start "$DB" || { not_ok "portal starts with the export program"; exit 1; }
CSV="/export.csv?level=province&country=Canada"
XLSX="/export.xlsx?level=province&country=Canada"
check_eq "with its cache: csv 200" "$(get ref.csv "$CSV")" 200
check_eq "with its cache: xlsx 200" "$(get ref.xlsx "$XLSX")" 200

# whole NAME: the body is as long as the Content-Length says.
whole() {
	local len
	len=$(hdr "$1" Content-Length)
	[ -n "$len" ] && [ "$(wc -c < "$T/$1.body")" -eq "$len" ]
}

# exports_served WHAT: both formats answered in full, equal to the cached ones.
exports_served() {
	local what=$1
	check_eq "$what: xlsx 200" "$(get x "$XLSX")" 200
	check "$what: xlsx whole (Content-Length)" whole x
	cp "$T/x.body" "$T/x.xlsx"
	check "$what: xlsx holds the rows of the csv" xcheck xlsx "$T/x.xlsx" "$T/ref.csv.body"
	check_eq "$what: csv 200" "$(get c "$CSV")" 200
	check "$what: csv whole (Content-Length)" whole c
	check "$what: csv the same bytes" cmp -s "$T/c.body" "$T/ref.csv.body"
	check_eq "$what: csv ETag as from the cache" "$(hdr c ETag)" "$(hdr ref.csv ETag)"
	check_eq "$what: csv If-None-Match -> 304" \
	    "$(get c304 "$CSV" -H "If-None-Match: $(hdr ref.csv ETag)")" 304
	check_eq "$what: HEAD 200" "$(get ch "$CSV" -I)" 200
}

# ---- Parents made as mkdir -p does -------------------------------------------
# The default COVID_CACHE_DIR, var/cache, from a directory without var/.
# nginx's site sends files from $PORTAL_DIR/cache only: here the program
# sends them itself (COVID_EXPORT_ACCEL empty).
mkdir -p "$T/checkout"
EXPORT_CWD=$T/checkout export_workers COVID_CACHE_DIR=var/cache COVID_EXPORT_ACCEL= ||
    not_ok "workers start in a directory without var/"
exports_served "no var/ yet"
check "no var/ yet: var/cache was made, with the files in it" \
    test "$(find "$T/checkout/var/cache" -type f -name '*.xlsx' | wc -l)" -eq 1
check_not_contains "no var/ yet: no mkdir error logged" "$PORTAL_DIR/export.log" \
    "mkdir var/cache: No such file"

# ---- No usable cache ------------------------------------------------------------
: >"$T/not-a-dir"
export_workers COVID_CACHE_DIR="$T/not-a-dir/cache" TMPDIR="$T" ||
    not_ok "workers start with an unusable cache"
exports_served "unusable cache"
check_contains "unusable cache: the log says why" "$PORTAL_DIR/export.log" \
    "$T/not-a-dir/cache"
check_contains "unusable cache: the log says the file was built outside it" \
    "$PORTAL_DIR/export.log" "without the cache"
check "unusable cache: no temporary file left behind" \
    test -z "$(find "$T" -maxdepth 1 -name 'covid-export.*')"

# The cache directory taken away under running workers, then given back.
export_workers || not_ok "workers start with the usual cache"
check_eq "cache back: xlsx 200" "$(get x "$XLSX")" 200
rm -rf "$PORTAL_DIR/cache"
: >"$PORTAL_DIR/cache"
exports_served "cache replaced by a file"
rm -f "$PORTAL_DIR/cache"
mkdir "$PORTAL_DIR/cache"
exports_served "cache directory given back, empty"
check "cache directory given back: used again" \
    test "$(find "$PORTAL_DIR/cache" -type f -name '*.xlsx' | wc -l)" -eq 1

# ---- What the file depends on keys the cache ------------------------------------
# Rows per sheet change the workbook, as a release changing its layout would.
q="/export.xlsx?level=country&country=France&country=Italy"
export_workers COVID_EXPORT_SHEET_ROWS=50 || not_ok "workers start with 50 rows a sheet"
get s50 "$q" >/dev/null
get s50.csv "${q/xlsx/csv}" >/dev/null
cp "$T/s50.body" "$T/s50.xlsx"
check "50 rows a sheet: split" xcheck xlsx "$T/s50.xlsx" "$T/s50.csv.body" 50
export_workers || not_ok "workers start with Excel's rows a sheet"
get s1 "$q" >/dev/null
cp "$T/s1.body" "$T/s1.xlsx"
if xcheck xlsx "$T/s1.xlsx" "$T/s50.csv.body" >"$T/s1.out" 2>&1; then
	ok "after the change: a new workbook, one sheet (not the cached one)"
else
	not_ok "after the change: a new workbook, one sheet"; sed 's/^/#   /' "$T/s1.out"
fi
check "after the change: another ETag" test "$(hdr s1 ETag)" != "$(hdr s50 ETag)"
stop_portal
