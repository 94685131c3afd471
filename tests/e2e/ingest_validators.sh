#!/bin/bash
# A changed file is never taken for "unchanged" (issue 9, defect 2), for real:
# (a) the validators stored for one URL go to that URL only: 2023-03-09 loaded
#     from one folder, then from another whose file has the same mtime, is
#     loaded again (file://, and over HTTP with a strong Last-Modified), and
#     source_file names the new folder; identical bytes from a third folder
#     are 'unchanged' and move the validators there, so its next request is a
#     304;
# (b) over file:// the bytes decide, not the mtime: a replacement with the
#     same size and the old mtime (touch -r), or copied with cp -p from an
#     older backup, is loaded;
# (c) over HTTP (Python's http.server: Last-Modified, no ETag) a
#     Last-Modified less than 60 s before the response's Date is weak
#     (RFC 9110, 8.8.2.2): it is not sent back, so a file replaced within the
#     same second is fetched in full and loaded; once strong, a 304 again.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/fixtures/ingest/common.sh"

HOSTILE=$ROOT/tests/fixtures/hostile/$REPORTS
FILE=03-09-2023.csv
lookup=file://$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv
day="--from 2023-03-09 --to 2023-03-09"

# hostile DB: how many of the hostile fixture's three renamed places 2023-03-09
# has (3: the hostile file is loaded; 0: the sample's).
hostile() {
	q "$1" "SELECT count(*) FROM v_daily WHERE date = '2023-03-09' AND
	        (country_region LIKE '%<svg%' OR province_state LIKE '%<script>%'
	         OR admin2 LIKE '%onerror%')"
}
andorra() {
	q "$1" "SELECT confirmed FROM v_daily WHERE date = '2023-03-09'
	        AND country_region = 'Andorra' AND province_state IS NULL"
}
last_status() { q "$1" "SELECT status FROM ingest_file ORDER BY id DESC LIMIT 1"; }
source_url() { q "$1" "SELECT url FROM source_file WHERE date = '2023-03-09'"; }
# http_status PATH: the status http.server answered the last request for PATH.
http_status() {
	grep -F "\"GET $1 " "$T/http.log" | tail -1 | sed 's/.*" \([0-9]*\) .*/\1/'
}
# same_stat A B: same size and the same mtime to the nanosecond.
same_stat() { [ "$(stat -c '%s %y' "$1")" = "$(stat -c '%s %y' "$2")" ]; }

# The sample's file with Andorra's 47890 confirmed made 47891: the same size,
# other bytes.
edited=$T/edited.csv
sed 's/^,,,Andorra,\([^,]*,[^,]*,[^,]*\),47890,/,,,Andorra,\1,47891,/' \
	"$DAILY/$FILE" >"$edited"
andorra_field() { grep '^,,,Andorra,' "$1" | cut -d, -f8; }
check_eq "the edited copy: Andorra's count changed, the size the same" \
	"$(andorra_field "$DAILY/$FILE") $(andorra_field "$edited") \
$(cmp -s "$DAILY/$FILE" "$edited" && echo same || echo differ) \
$(stat -c %s "$edited")" "47890 47891 differ $(stat -c %s "$DAILY/$FILE")"
check_eq "the edited copy differs from the sample in one line" \
	"$(diff "$DAILY/$FILE" "$edited" | grep -c '^>')" 1

# --- (a) over file://: another folder, the same mtime ------------------------
db=$T/a.db
mkdir -p "$T/a1" "$T/a2"
cp -p "$HOSTILE/$FILE" "$T/a1/"
cp -p "$DAILY/$FILE" "$T/a2/"
touch -r "$T/a1/$FILE" "$T/a2/$FILE"
ingest --db "$db" --source "file://$T/a1" --lookup "$lookup" $day
check_rc "(a) file://: the hostile copy loads" 0
check_eq "(a) file://: its three renamed places are there" "$(hostile "$db")" 3
ingest --db "$db" --source "file://$T/a2" --lookup "$lookup" $day
check_rc "(a) file://: the other folder's copy (same mtime): exits 0" 0
check_eq "(a) file://: it is loaded, not 'unchanged'" "$(last_status "$db")" loaded
check_not_contains "(a) file://: not 'not modified'" "$T/ingest.err" "not modified"
check_eq "(a) file://: the hostile rows are gone" "$(hostile "$db")" 0
check_eq "(a) file://: source_file names the second folder" "$(source_url "$db")" \
	"file://$T/a2/$FILE"

# --- a server for (a) over HTTP and for (c): Python's http.server -----------
www=$T/www
mkdir -p "$www/hostile" "$www/sample" "$www/mirror" "$www/c"
port=$(free_port)
/usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 --directory "$www" \
	>/dev/null 2>"$T/http.log" &
_pids="$_pids $!"
wait_for_port "$port" || { not_ok "http.server starts"; cat "$T/http.log"; exit 1; }
base=http://127.0.0.1:$port

# --- (a) over HTTP: a strong Last-Modified, sent to another URL --------------
db=$T/ah.db
cp "$HOSTILE/$FILE" "$www/hostile/"
cp "$DAILY/$FILE" "$www/sample/"
cp "$DAILY/$FILE" "$www/mirror/"
# Both long before any response's Date: a strong Last-Modified, the same.
touch -d '2023-03-10 12:00:00 UTC' "$www/hostile/$FILE" "$www/sample/$FILE" \
	"$www/mirror/$FILE"
ingest --db "$db" --source "$base/hostile" --lookup "$lookup" $day
check_rc "(a) http: the hostile file loads" 0
check_eq "(a) http: its renamed places are there" "$(hostile "$db")" 3
ingest --db "$db" --source "$base/sample" --lookup "$lookup" $day
check_rc "(a) http: the sample's folder, same Last-Modified: exits 0" 0
check_eq "(a) http: fetched in full (200), not a 304 to the other URL's validators" \
	"$(http_status "/sample/$FILE")" 200
check_eq "(a) http: loaded" "$(last_status "$db")" loaded
check_eq "(a) http: the hostile rows are gone" "$(hostile "$db")" 0
check_eq "(a) http: source_file names the sample's folder" "$(source_url "$db")" \
	"$base/sample/$FILE"
ingest --db "$db" --source "$base/sample" --lookup "$lookup" $day
check_eq "(a) http: the same URL again: its validators are sent, a 304" \
	"$(http_status "/sample/$FILE") $(last_status "$db")" "304 unchanged"
# Identical bytes at a third URL: unchanged by SHA-256, and the validators
# (with the URL) move there, so that its next request is conditional.
ingest --db "$db" --source "$base/mirror" --lookup "$lookup" $day
check_eq "(a) http: identical bytes elsewhere: a 200, 'unchanged (same SHA-256)'" \
	"$(http_status "/mirror/$FILE") $(last_status "$db") \
$(grep -c 'unchanged (same SHA-256)' "$T/ingest.err")" "200 unchanged 1"
check_eq "(a) http: source_file now names the mirror" "$(source_url "$db")" \
	"$base/mirror/$FILE"
ingest --db "$db" --source "$base/mirror" --lookup "$lookup" $day
check_eq "(a) http: the mirror's next request is a 304" \
	"$(http_status "/mirror/$FILE") $(last_status "$db")" "304 unchanged"

# --- (b) file://: the old mtime, other bytes ---------------------------------
db=$T/b.db
mkdir -p "$T/b"
cp -p "$DAILY/$FILE" "$T/b/"
ingest --db "$db" --source "file://$T/b" --lookup "$lookup" $day
check_rc "(b) the sample's copy loads" 0
check_eq "(b) Andorra as in the sample" "$(andorra "$db")" 47890
dv=$(q "$db" "SELECT value FROM meta WHERE key = 'data_version'")
ingest --db "$db" --source "file://$T/b" --lookup "$lookup" $day
check_eq "(b) nothing changed: unchanged by SHA-256, data_version kept" \
	"$(last_status "$db") $(grep -c 'unchanged (same SHA-256)' "$T/ingest.err") \
$(q "$db" "SELECT value FROM meta WHERE key = 'data_version'")" "unchanged 1 $dv"
# Written in the same second (here: given the very same mtime), same size.
cp -p "$T/b/$FILE" "$T/ref"
cp "$edited" "$T/b/$FILE"
touch -r "$T/ref" "$T/b/$FILE"
check "(b) the replacement has the old size and mtime" same_stat "$T/ref" "$T/b/$FILE"
ingest --db "$db" --source "file://$T/b" --lookup "$lookup" $day
check_rc "(b) same size and mtime, other bytes: exits 0" 0
check_eq "(b) it is loaded" "$(last_status "$db")" loaded
check_eq "(b) Andorra is the new count" "$(andorra "$db")" 47891
# A restore from an older backup (cp -p, rsync -t, tar x keep the mtime).
cp "$HOSTILE/$FILE" "$T/backup.csv"
touch -d '2023-03-10 12:00:00 UTC' "$T/backup.csv"
cp -p "$T/backup.csv" "$T/b/$FILE"
ingest --db "$db" --source "file://$T/b" --lookup "$lookup" $day
check_rc "(b) cp -p of an older file: exits 0" 0
check_eq "(b) it is loaded: the hostile rows are there" \
	"$(last_status "$db") $(hostile "$db")" "loaded 3"

# --- (c) HTTP, a weak Last-Modified ------------------------------------------
db=$T/c.db
cp "$DAILY/$FILE" "$www/c/"            # mtime: now
ingest --db "$db" --source "$base/c" --lookup "$lookup" $day
check_rc "(c) a file written just now loads" 0
check_eq "(c) its Last-Modified is kept, marked weak" \
	"$(q "$db" "SELECT last_modified IS NOT NULL, last_modified_strong FROM source_file")" "1|0"
# Replaced within the same second: http.server's Last-Modified (whole
# seconds) stays what it was.
cp -p "$www/c/$FILE" "$T/ref"
cp "$edited" "$www/c/$FILE"
touch -r "$T/ref" "$www/c/$FILE"
check "(c) the replacement has the old mtime" same_stat "$T/ref" "$www/c/$FILE"
ingest --db "$db" --source "$base/c" --lookup "$lookup" $day
check_rc "(c) the replaced file: exits 0" 0
check_eq "(c) fetched in full (200): the weak Last-Modified was not sent" \
	"$(http_status "/c/$FILE")" 200
check_eq "(c) loaded, Andorra is the new count" \
	"$(last_status "$db") $(andorra "$db")" "loaded 47891"
# Two minutes old: the same Last-Modified is strong now. The first run fetches
# in full (nothing strong stored) and records it; the next gets its 304.
touch -d '-2 minutes' "$www/c/$FILE"
ingest --db "$db" --source "$base/c" --lookup "$lookup" $day
check_eq "(c) an old file: a 200, unchanged by SHA-256, Last-Modified now strong" \
	"$(http_status "/c/$FILE") $(last_status "$db") \
$(q "$db" "SELECT last_modified_strong FROM source_file")" "200 unchanged 1"
ingest --db "$db" --source "$base/c" --lookup "$lookup" $day
check_rc "(c) again: exits 0" 0
check_eq "(c) again: If-Modified-Since sent, a 304, 'not modified'" \
	"$(http_status "/c/$FILE") $(last_status "$db") \
$(grep -c 'unchanged (not modified)' "$T/ingest.err")" "304 unchanged 1"
