#!/bin/sh
# bench/map.sh: the maps' benchmark (issue 14). wrk drives one nginx (the
# local site, etc/nginx/local.conf.in) at 64 connections, uncached (no page
# cache, no ETag: every request draws the map), against:
#   portal PATH   each map of BENCH_MAPS from cgi-bin/portal.fcgi: the world,
#                 the US states, the US counties (3,143 areas), one state
#   hello         bench/hello.c, the FastCGI ceiling, on the same socket
#   static        nginx sending the bytes of /map and /map/us/counties from
#                 a file: what moving pages of that size costs at all
#   page cache, gzip  the county map as a browser gets it once the portal
#                 has stored it: its gzip twin from the page cache
# and measures each map page's size, plain and gzip-compressed (gzip -6,
# nginx's gzip_comp_level range), and the CPU time per request of the
# FastCGI and the nginx workers and of wrk itself: on a 2-core machine the
# load generator's share of the cores bounds what the others can have. Prints Markdown: each row beside hello,
# the issue's goals (/map >= 0.5 of hello with p99 < 20 ms; the county map
# p99 < 50 ms and under 400 kB gzipped) met or missed.
#
# Environment (all optional): BENCH_DB (a database to use as is, read
# only, e.g. the full-scale one), BENCH_DATA, BENCH_DIR, BENCH_PORTAL,
# WORKERS (4), DURATION (10 s per row), CONNS ("64"), and BENCH_MAPS
# ("/map /map/us /map/us/counties /map/us/new-york").
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

. "$ROOT/bench/lib.sh"
PORTAL=${BENCH_PORTAL:-$REL/cgi-bin/portal.fcgi}
MAPS=${BENCH_MAPS:-/map /map/us /map/us/counties /map/us/new-york}
WORKERS=${WORKERS:-4}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
SOCK=$B/run/portal.sock

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
[ -x "$PORTAL" ] || die "no portal program at $PORTAL"

rm -rf "$B/run" "$B/log" "$B/static"
unset COVID_PAGE_CACHE
mkdir -p "$B/run/tmp" "$B/log" "$B/static" "$B/cache"
bench_db
trap bench_stop EXIT
trap 'exit 130' INT TERM
sh bench/build-hello.sh "$B/hello"
bench_nginx "$B/static"

get() { curl -s -o "$B/body" -w '%{http_code}' "$URL$1" || true; }

pool_up() {
	COVID_DB=$DB COVID_TEMPLATES=$ROOT/templates COVID_CACHE_DIR=$B/cache \
		$POOL start "$1" "$SOCK" "$WORKERS" "$B/log/$(basename "$1").log"
	i=0
	until [ "$(get /healthz)" != 000 ]; do
		i=$((i + 1)); [ $i -lt 100 ] || die "nginx did not start"; sleep 0.1
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

. "$ROOT/bench/cpu.sh"

# run NAME PATH: one row per connection count: req/s, p50, p99, errors,
# and the CPU time per request (ms, user + system) of the FastCGI workers
# and of nginx's workers: a measure the machine's other load does not move
# as much as req/s.
run() {
	hdr=${3:-X-Bench: 1}
	wrk -t2 -c16 -d1s -H "$hdr" "$URL$2" >/dev/null   # warm the caches
	for c in $CONNS; do
		t=2; [ "$c" -lt 2 ] && t=1
		fcgi=; [ "$1" != static ] && fcgi=$(cat "$B/run/portal.pid")
		web=$(pgrep -P "$nginx_pid" || true)
		f0=$(ticks $fcgi); w0=$(ticks $web)
		/usr/bin/time -f '%U %S' -o "$B/wrk.cpu" \
			wrk -t$t -c"$c" -d"${DURATION}s" --latency -H "$hdr" "$URL$2" >"$B/wrk.out"
		f1=$(ticks $fcgi); w1=$(ticks $web)
		reqs=$(awk '/requests in/ { print $1 }' "$B/wrk.out")
		cpu=$(echo "$f0 $f1 $w0 $w1 $reqs $HZ $(tail -1 "$B/wrk.cpu")" |
			awk '{ r = $5 > 0 ? $5 : 1; printf "%.3f / %.3f / %.3f", ($2 - $1) * 1000 / $6 / r, ($4 - $3) * 1000 / $6 / r, ($7 + $8) * 1000 / r }')
		rps=$(awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$B/wrk.out")
		p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$B/wrk.out")")
		p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$B/wrk.out")")
		bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
			/Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
			END { print n + 0 }' "$B/wrk.out")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$c" "$rps" "$p50" "$p99" "$bad" "$cpu" >>"$B/rows"
	done
}

: >"$B/rows"; : >"$B/sizes"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
pool_up "$PORTAL"
for m in $MAPS; do
	[ "$(get "$m")" = 200 ] || die "the portal answered $(get "$m") to $m; see $B/log"
	printf '%s\t%s\t%s\n' "$m" "$(wc -c <"$B/body")" "$(gzip -6 -c "$B/body" | wc -c)" >>"$B/sizes"
	cp "$B/body" "$B/static/$(echo "$m" | tr / _).html"
done
for m in $MAPS; do
	run portal "$m"
done
$POOL stop "$SOCK"

# What a browser gets once the county map is in the page cache: its gzip
# twin (src/portal/portal_cache.h), sent by nginx alone.
COVID_PAGE_CACHE=$B/cache/pages
export COVID_PAGE_CACHE
rm -rf "$COVID_PAGE_CACHE"
pool_up "$PORTAL"
unset COVID_PAGE_CACHE
get /map/us/counties >/dev/null
[ "$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$URL/map/us/counties" |
	tr -d '\r' | sed -n 's/^X-Page-Cache: //Ip')" = hit ] ||
	die "the repeated county map did not come from the page cache; see $B/log"
run "page cache, gzip" /map/us/counties "Accept-Encoding: gzip"
$POOL stop "$SOCK"
rm -rf "$B/cache/pages"
pool_up "$B/hello"
[ "$(get /)" = 200 ] || die "hello answered $(get /) to /"
run hello /
$POOL stop "$SOCK"
for m in /map /map/us/counties; do
	f=/static/$(echo "$m" | tr / _).html
	[ "$(get "$f")" = 200 ] || die "nginx did not serve the saved $m"
	run static "$f"
done

dates=$(sqlite3 -readonly "$DB" 'SELECT count(DISTINCT date) || " dates, " || min(date) || " .. " || max(date) FROM daily_report' 2>/dev/null || echo "?")
cat <<EOT
### Maps, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs, load $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end

$($NGINX -v 2>&1 | sed 's/.*version: //'), $WORKERS FastCGI workers per pool; wrk $DURATION s per row, no
Accept-Encoding, no page cache: every request draws its map. Database: $dates.
Each map on its newest date, confirmed cases.

EOT
awk -F'\t' '
	FNR == NR { raw[$1] = $2; gz[$1] = $3; next }
	{ n++; name[n] = $1; path[n] = $2; c[n] = $3; rps[n] = $4; p50[n] = $5; p99[n] = $6; bad[n] = $7; cpu[n] = $8
	  if ($1 == "hello") hello[$3] = $4 }
	END {
		print "| what | path | conns | req/s | vs hello | p50 ms | p99 ms | errors | CPU ms/req (FastCGI / nginx / wrk) | page kB (gzip) | goal |"
		print "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|"
		for (i = 1; i <= n; i++) {
			vs = ""; goal = ""; size = ""
			if (name[i] == "portal") {
				x = hello[c[i]] > 0 ? rps[i] / hello[c[i]] : 0
				vs = sprintf("**%.2f**", x)
				size = sprintf("%.0f (%.0f)", raw[path[i]] / 1000, gz[path[i]] / 1000)
				if (path[i] == "/map" && c[i] == 64) {
					miss = (x >= 0.5 ? "" : ", >= 0.5 of hello") (p99[i] < 20 ? "" : ", p99 < 20 ms")
					goal = miss == "" ? "met (>= 0.5, p99 < 20 ms)" : "missed: " substr(miss, 3)
				}
				if (path[i] == "/map/us/counties" && c[i] == 64) {
					miss = (p99[i] < 50 ? "" : ", p99 < 50 ms") (gz[path[i]] < 400000 ? "" : ", gzip < 400 kB")
					goal = miss == "" ? "met (p99 < 50 ms, gzip < 400 kB)" : "missed: " substr(miss, 3)
				}
			} else if (name[i] == "static" || name[i] ~ /page cache/)
				vs = "nginx alone"
			else
				vs = "the reference"
			printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name[i], path[i],
			    c[i], rps[i], vs, p50[i], p99[i], bad[i], cpu[i], size, goal
		}
	}' "$B/sizes" "$B/rows"
