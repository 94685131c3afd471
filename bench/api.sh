#!/bin/sh
# bench/api.sh: the JSON API's benchmark (issue 13), on the full-scale data,
# through the local nginx site (etc/nginx/local.conf.in) on a free port:
#   /api/v1/summary                the world on the newest date
#   /api/v1/places/us/series       a country's whole history, day by day
#   hello                          bench/hello.c on the same socket: the
#                                  FastCGI ceiling both are measured against
#   reports                        every county row of the newest date,
#                                  page after page (limit=1000, following
#                                  each page's next link), against
#                                  sqlite3 -json writing the same rows from
#                                  v_daily: bytes per second
# wrk rows at 64 connections (CONNS), 4 workers (WORKERS), DURATION s each;
# the listing REPEAT times, the best kept. Prints one Markdown table.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

. "$ROOT/bench/lib.sh"
API=${BENCH_API:-$REL/cgi-bin/api.fcgi}
WORKERS=${WORKERS:-4}
DURATION=${DURATION:-5}
CONNS=${CONNS:-64}
REPEAT=${REPEAT:-3}
SOCK=$B/run/api.sock
PATHS="/api/v1/summary /api/v1/places/us/series"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
[ -x "$API" ] || die "no API program at $API"

rm -rf "$B/run" "$B/log"
mkdir -p "$B/run/tmp" "$B/log" "$B/static"
bench_db
trap bench_stop EXIT
trap 'exit 130' INT TERM
sh bench/build-hello.sh "$B/hello"
bench_nginx "$B/static"

get() { curl -s -o "$B/body" -w '%{http_code}' "$URL$1" || true; }
pool_up() {
	COVID_DB=$DB COVID_TEMPLATES=$ROOT/templates \
		$POOL start "$1" "$SOCK" "$WORKERS" "$B/log/$(basename "$1").log"
	i=0
	until [ "$(get /api/v1/summary)" != 000 ] && [ "$(get /api/v1/summary)" != 502 ]; do
		i=$((i + 1)); [ $i -lt 100 ] || die "the pool did not start"; sleep 0.1
	done
}
ms() {
	case "$1" in
	*us) echo "${1%us}" | awk '{ printf "%.2f", $1 / 1000 }' ;;
	*ms) echo "${1%ms}" | awk '{ printf "%.2f", $1 }' ;;
	*s)  echo "${1%s}"  | awk '{ printf "%.0f", $1 * 1000 }' ;;
	*)   echo "?" ;;
	esac
}
# run NAME PATH: wrk at each connection count, a tab-separated row each.
run() {
	wrk -t2 -c16 -d1s "$URL$2" >/dev/null   # warm the caches
	for c in $CONNS; do
		t=2; [ "$c" -lt 2 ] && t=1
		wrk -t$t -c"$c" -d"${DURATION}s" --latency "$URL$2" >"$B/wrk.out"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$c" \
		    "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$B/wrk.out")" \
		    "$(ms "$(awk '$1 == "50%" { print $2 }' "$B/wrk.out")")" \
		    "$(ms "$(awk '$1 == "99%" { print $2 }' "$B/wrk.out")")" >>"$B/rows"
	done
}
now() { date +%s.%N; }
: >"$B/rows"

pool_up "$API"
for p in $PATHS; do
	[ "$(get "$p")" = 200 ] || die "the API answered $(get "$p") to $p; see $B/log"
done
sizes=$(for p in $PATHS; do get "$p" >/dev/null; printf '%s %s bytes; ' "$p" "$(wc -c <"$B/body")"; done)
for p in $PATHS; do run api "$p"; done

# The listing: every page of the newest date's county rows, as a client
# would read it (one connection per page, next links followed). Its time is
# the sum of curl's own time for each page (request to last byte): the
# shell around it is not the API's.
newest=$(sqlite3 -readonly "$DB" "SELECT max(date) FROM daily_report")
listing() {
	next="/api/v1/reports?date=$newest&level=county&limit=1000"
	: >"$B/listing.json"
	: >"$B/listing.t"
	while [ -n "$next" ]; do
		curl -s -o "$B/page.json" -w '%{time_total}\n' "$URL$next" >>"$B/listing.t"
		cat "$B/page.json" >>"$B/listing.json"
		next=$(sed -n 's/.*"next":"\([^"]*\)".*/\1/p' "$B/page.json")
	done
	awk '{ t += $1 } END { print t }' "$B/listing.t"
}
# The floor: sqlite3 writing the same rows as JSON, every column v_daily
# gives a county row, in the API's order; its time is the whole process's.
floor() {
	t0=$(now)
	sqlite3 -readonly -json "$DB" "SELECT * FROM v_daily WHERE date = '$newest'
	    AND admin2 <> '' ORDER BY country_region, province_state, admin2" >"$B/floor.json"
	echo "$t0 $(now)" | awk '{ print $2 - $1 }'
}
# best_of FUNCTION: the least of REPEAT runs of the seconds it prints.
best_of() {
	i=0
	while [ $i -lt "$REPEAT" ]; do
		"$1"
		i=$((i + 1))
	done | sort -g | head -n 1
}
lsec=$(best_of listing)
lbytes=$(wc -c <"$B/listing.json")
lrows=$(/usr/bin/python3 -c 'import json, sys
n = 0
dec = json.JSONDecoder()
s = open(sys.argv[1]).read()
i = 0
while i < len(s):
    obj, i = dec.raw_decode(s, i)
    n += len(obj["reports"])
print(n)' "$B/listing.json")
fsec=$(best_of floor)
fbytes=$(wc -c <"$B/floor.json")
frows=$(/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$B/floor.json")
[ "$lrows" = "$frows" ] || die "the listing has $lrows rows, sqlite3 $frows"
$POOL stop "$SOCK"

pool_up "$B/hello"
run hello /api/v1/summary
$POOL stop "$SOCK"

cat <<EOF
### API, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at the end

$WORKERS workers per pool; wrk $DURATION s per row, no gzip. Response sizes: $sizes
listing: $lrows county rows of $newest, best of $REPEAT.

| what | path | conns | req/s or bytes/s | vs reference | p50 ms | p99 ms | goal |
|---|---|---:|---:|---|---:|---:|---|
EOF
awk -F'\t' '
	{ n++; name[n] = $1; path[n] = $2; c[n] = $3; rps[n] = $4; p50[n] = $5; p99[n] = $6
	  if ($1 == "hello") hello[$3] = $4 }
	END {
		for (i = 1; i <= n; i++) {
			vs = "the reference"; goal = ""
			if (name[i] == "api" && hello[c[i]] > 0) {
				x = rps[i] / hello[c[i]]
				vs = sprintf("**%.2f** of hello", x)
				miss = (x >= 0.5 ? "" : ", >= 0.5") (p99[i] < 20 ? "" : ", p99 < 20 ms")
				if (c[i] == 64)
					goal = miss == "" ? "met" : "missed: " substr(miss, 3)
			}
			printf "| %s | `%s` | %s | %s | %s | %s | %s | %s |\n", name[i], path[i],
			    c[i], rps[i], vs, p50[i], p99[i], goal
		}
	}' "$B/rows"
awk -v lb="$lbytes" -v ls="$lsec" -v fb="$fbytes" -v fs="$fsec" 'BEGIN {
	x = (lb / ls) / (fb / fs)
	printf "| api, reports listing | `/api/v1/reports?level=county` | 1 | %.0f (%d bytes in %.3f s) | **%.2f** of sqlite3 -json | | | %s |\n",
	    lb / ls, lb, ls, x, (x >= 0.8 ? "met (>= 0.8)" : "missed (>= 0.8)")
	printf "| sqlite3 -json | the same rows | | %.0f (%d bytes in %.3f s) | the reference | | | |\n",
	    fb / fs, fb, fs
}'
