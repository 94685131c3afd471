#!/bin/sh
# bench/portal.sh: the portal's benchmark. wrk drives one nginx (the local
# site, etc/nginx/local.conf.in) at 1, 16 and 64 connections against:
#   portal PATH       each page of BENCH_PAGES, from cgi-bin/portal.fcgi: the
#                     dashboard, the search, a country, a US state and a US
#                     county (issue 12's pages)
#   hello             bench/hello.c, the FastCGI ceiling, on the same socket
#   static            nginx sending the bytes of / as a file
#   portal / (page cache)  the repeated dashboard, sent by nginx from the
#                     portal's page cache (COVID_PAGE_CACHE); every other
#                     row runs without it
#   ..., gzip         the static and the page cache rows again as a browser
#                     asks (Accept-Encoding: gzip): nginx compressing the
#                     file at every request, against the page's gzip twin
#                     the portal stored with it
# The portal and hello pools take turns behind the same nginx, each with the
# same number of workers. After each program's runs it reads every worker's
# VmRSS (resident now) and VmHWM (peak resident) from /proc. Prints Markdown.
#
# Environment (all optional):
#   BENCH_DATA     daily reports to load (default: the full-scale data,
#                  all 1,143 dates, built by bench/data.sh in var/bench/jhu;
#                  the sample when there is no JHU data set to build it from)
#   BENCH_DB       database to use as is instead (skips loading)
#   BENCH_DIR      work directory (var/bench); the database is kept there
#   BENCH_PORTAL   the portal program (cgi-bin/portal.fcgi of the release
#                  build, bench/build.sh)
#   BENCH_PAGES    the portal's pages ("/ /regions?q=new /region/us
#                  /region/us/new-york /region/us/new-york/kings")
#   WORKERS        workers per pool (4)
#   DURATION       seconds per wrk run (10)
#   CONNS          connection counts ("1 16 64")
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

. "$ROOT/bench/lib.sh"
PORTAL=${BENCH_PORTAL:-$REL/cgi-bin/portal.fcgi}
PAGES=${BENCH_PAGES:-/ /regions?q=new /region/us /region/us/new-york /region/us/new-york/kings}
WORKERS=${WORKERS:-4}
DURATION=${DURATION:-10}
CONNS=${CONNS:-1 16 64}
SOCK=$B/run/portal.sock

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
[ -x "$PORTAL" ] || die "no portal program at $PORTAL"

rm -rf "$B/run" "$B/log" "$B/static" "$B/cache/pages"
# The uncached rows stay uncached: no page cache but in its own row.
unset COVID_PAGE_CACHE
mkdir -p "$B/run/tmp" "$B/log" "$B/static" "$B/cache"

bench_db

trap bench_stop EXIT
trap 'exit 130' INT TERM

# The hello program, built with the project's warnings and -O2.
sh bench/build-hello.sh "$B/hello"

# The static copy of the repository's files, plus the page bytes later.
[ -d static ] && cp -R static/. "$B/static/"
bench_nginx "$B/static"

# get PATH: the status code, the body kept in $B/body.
get() { curl -s -o "$B/body" -w '%{http_code}' "$URL$1" || true; }

# pool_up PROGRAM: a pool of WORKERS on the one socket nginx sends pages to.
pool_up() {
	COVID_DB=$DB COVID_TEMPLATES=$ROOT/templates COVID_CACHE_DIR=$B/cache \
		$POOL start "$1" "$SOCK" "$WORKERS" "$B/log/$(basename "$1").log"
	i=0
	until [ "$(get /)" != 000 ]; do
		i=$((i + 1)); [ $i -lt 100 ] || die "nginx did not start"; sleep 0.1
	done
}

# ms VALUE: wrk's "812.00us" / "1.20ms" / "1.05s" in milliseconds.
ms() {
	case "$1" in
	*us) echo "${1%us}" | awk '{ printf "%.2f", $1 / 1000 }' ;;
	*ms) echo "${1%ms}" | awk '{ printf "%.2f", $1 }' ;;
	*s)  echo "${1%s}"  | awk '{ printf "%.0f", $1 * 1000 }' ;;
	*)   echo "?" ;;
	esac
}

# run NAME PATH [HEADER]: wrk at each connection count, one Markdown row
# per count, each request with HEADER when given. wrk wants at least one
# connection per thread: 1 connection gets 1 thread.
run() {
	name=$1 path=$2 hdr=${3:-X-Bench: 1}
	wrk -t2 -c16 -d1s -H "$hdr" "$URL$path" >/dev/null   # warm the caches
	for c in $CONNS; do
		t=2; [ "$c" -lt 2 ] && t=1
		wrk -t$t -c"$c" -d"${DURATION}s" --latency -H "$hdr" "$URL$path" >"$B/wrk.out"
		rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$B/wrk.out")
		p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$B/wrk.out")")
		p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$B/wrk.out")")
		bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
			/Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
			END { print n + 0 }' "$B/wrk.out")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$c" "$rps" "$p50" "$p99" "$bad" >>"$B/rows"
	done
}

# rss KEY: the largest VmRSS and VmHWM among the pool's workers, in MB,
# kept as "KEY<tab>VmRSS<tab>VmHWM" for the table.
rss() {
	for p in $(cat "$B/run/portal.pid"); do
		awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r, h }' "/proc/$p/status"
	done | awk -v key="$1" '
		{ if ($1 > r) r = $1; if ($2 > h) h = $2 }
		END { printf "%s\t%.1f\t%.1f\n", key, r / 1024, h / 1024 }' >>"$B/mem"
}

: >"$B/rows"; : >"$B/mem"

# The portal first: its / is also the page the static row serves.
pool_up "$PORTAL"
[ "$(get /)" = 200 ] || die "the portal answered $(get /) to /; see $B/log"
cp "$B/body" "$B/static/page.html"
sizes=
for page in $PAGES; do
	[ "$(get "$page")" = 200 ] || die "the portal answered $(get "$page") to $page"
	sizes="$sizes${sizes:+, }$page $(wc -c <"$B/body") bytes"
done
for page in $PAGES; do
	run "portal" "$page"
done
rss portal
$POOL stop "$SOCK"

# The ceiling: hello on the same socket, behind the same nginx.
pool_up "$B/hello"
[ "$(get /)" = 200 ] || die "hello answered $(get /) to /"
run "hello" /
rss "hello"
$POOL stop "$SOCK"

# nginx alone, sending the dashboard's bytes from disk.
[ "$(get /static/page.html)" = 200 ] || die "nginx did not serve the saved page"
cmp -s "$B/body" "$B/static/page.html" || die "static copy differs from /"
run "static" /static/page.html
# ... and as a browser asks for it (Accept-Encoding: gzip): nginx
# compresses it at every request.
run "static, gzip" /static/page.html "Accept-Encoding: gzip"

# The portal again, with its page cache: the first / writes it, the rest
# are nginx's (checked: X-Page-Cache and the same bytes as the static row).
COVID_PAGE_CACHE=$B/cache/pages
export COVID_PAGE_CACHE
pool_up "$PORTAL"
unset COVID_PAGE_CACHE
get / >/dev/null
[ "$(curl -s -o "$B/body" -D - "$URL/" | tr -d '\r' | sed -n 's/^X-Page-Cache: //Ip')" = hit ] ||
	die "the repeated / did not come from the page cache; see $B/log"
cmp -s "$B/body" "$B/static/page.html" || die "the cached / differs from the static copy"
run "portal / (page cache)" /
# As a browser asks: the page's gzip twin, compressed when it was stored.
[ "$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$URL/" | tr -d '\r' |
	sed -n 's/^Content-Encoding: //Ip')" = gzip ] ||
	die "the cached / was not sent gzip-compressed; see $B/log"
run "portal / (page cache), gzip" / "Accept-Encoding: gzip"
$POOL stop "$SOCK"
rm -rf "$B/cache/pages"

rows=$(sqlite3 -readonly "$DB" 'SELECT count(*) FROM daily_report' 2>/dev/null || echo "?")
dates=$(sqlite3 -readonly "$DB" 'SELECT count(DISTINCT date) || " dates, " || min(date) || " .. " || max(date) FROM daily_report' 2>/dev/null || echo "?")
cat <<EOF
### Portal, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg) at the end

$($NGINX -v 2>&1 | sed 's/.*version: //'), worker_processes auto; $WORKERS FastCGI workers per pool;
wrk $DURATION s per row, 2 threads (1 for 1 connection), no Accept-Encoding (no gzip) but in the rows that say gzip.
Database: $rows reports, $dates; $(du -k "$DB" | cut -f1) kB.
Page sizes: $sizes.
Each portal row beside hello (the FastCGI ceiling) at the same connection count, the
page cache's row beside static (nginx sending the same bytes from a file); worker MB:
the largest VmRSS / VmHWM over the pool's workers after all its rows.

EOF
# The table: each figure beside its reference, measured in this run.
awk -F'\t' '
	FNR == NR { mem[$1] = sprintf("%.1f / %.1f", $2, $3); peak[$1] = $3; next }
	{ n++; name[n] = $1; path[n] = $2; c[n] = $3; rps[n] = $4; p50[n] = $5; p99[n] = $6; bad[n] = $7
	  if ($1 == "hello") hello[$3] = $4
	  if ($1 == "static") stat[$3] = $4
	  if ($1 == "static, gzip") statgz[$3] = $4 }
	END {
		print "| what | path | conns | req/s | vs reference | p50 ms | p99 ms | errors | worker MB | goal (at 64 conns) |"
		print "|---|---|---:|---:|---|---:|---:|---:|---:|---|"
		for (i = 1; i <= n; i++) {
			vs = ""; goal = ""; m = ""
			if (name[i] == "portal") {
				m = mem["portal"]
				if (hello[c[i]] > 0) {
					x = rps[i] / hello[c[i]]
					vs = sprintf("**%.2f** of hello", x)
					if (c[i] == 64) {
						r_ok = x >= 0.5; p_ok = p99[i] < 20; m_ok = peak["portal"] < 20
						miss = (r_ok ? "" : ", >= 0.5") (p_ok ? "" : ", p99 < 20 ms") (m_ok ? "" : ", RSS < 20 MB")
						goal = miss == "" ? "met" : "missed: " substr(miss, 3)
					}
				}
			} else if (name[i] == "hello") {
				m = mem["hello"]; vs = "the reference"
			} else if (name[i] == "static") {
				vs = "the page cache'"'"'s reference"
			} else if (name[i] == "static, gzip") {
				vs = "the gzip twin'"'"'s reference"
			} else if (name[i] ~ /, gzip$/) {
				if (statgz[c[i]] > 0)
					vs = sprintf("**%.2f** of static, gzip", rps[i] / statgz[c[i]])
			} else if (stat[c[i]] > 0) {
				x = rps[i] / stat[c[i]]
				vs = sprintf("**%.2f** of static", x)
				if (c[i] == 64) goal = x >= 0.8 ? "met (>= 0.8)" : ">= 0.8 missed"
			}
			printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", name[i], path[i],
			    c[i], rps[i], vs, p50[i], p99[i], bad[i], m, goal
		}
	}' "$B/mem" "$B/rows"
