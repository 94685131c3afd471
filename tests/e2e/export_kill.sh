#!/bin/bash
# export_kill: a client can always tell an incomplete export. The export
# worker is killed (SIGKILL) while it serves a large CSV (every county over
# the sample's whole range, several MB), through real nginx: the client must
# then see a failure (an error status, or curl failing on a body shorter
# than its Content-Length), never a 200 that looks like a whole file. Once
# with the cache in use, once with no usable cache (the worker builds the
# file in a temporary file of its own). After each kill a new worker sends
# the whole file: nothing half-made was kept.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../export_lib.sh"

DB=$T/sample.db
if ! export_setup "$DB"; then
	not_ok "sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
PORTAL_WORKERS=1        # one export worker: the one serving the download
export_start "$DB" || { not_ok "portal starts with the export program"; exit 1; }
URL=/export.csv?level=county
WTMP=$T/wtmp            # the workers' TMPDIR
mkdir -p "$WTMP"
: >"$T/not-a-dir"

# at_work: the worker has begun: the client has bytes, or (unless
# KILL_WHEN_SENDING) a file is being built, in the cache or in the worker's
# TMPDIR.
at_work() {
	[ -s "$T/k.body" ] || { [ -z "${KILL_WHEN_SENDING:-}" ] &&
	    [ -n "$(find "$PORTAL_DIR/cache/tmp" "$WTMP" -type f 2>/dev/null)" ]; }
}

# complete NAME: a 200 whose body is as long as its Content-Length says and
# ends with a whole row.
complete() {
	local len
	len=$(hdr "$1" Content-Length)
	[ -n "$len" ] && [ "$(wc -c < "$T/$1.body")" -eq "$len" ] &&
	    [ "$(tail -c 2 "$T/$1.body" | od -An -tx1 | tr -d ' ')" = 0d0a ]
}

# kill_mid_download WHAT [NAME=VALUE...]: with workers of these settings, one
# download, its worker killed once it is at work.
kill_mid_download() {
	local what=$1 pid code rc
	shift
	export_workers "$@" || { not_ok "$what: the worker starts"; return; }
	rm -f "$T/k.body" "$T/k.head"
	(curl -s -o "$T/k.body" -D "$T/k.head" -w '%{http_code}' "$PORTAL_URL$URL" \
	    >"$T/k.code"; echo $? >"$T/k.rc") &
	pid=$!
	if ! wait_until 60 at_work; then
		not_ok "$what: the worker began within 60 s"
	fi
	kill -KILL $(cat "$PORTAL_DIR/export.pid")
	wait "$pid"
	code=$(cat "$T/k.code") rc=$(cat "$T/k.rc")
	echo "# $what: HTTP $code, curl exit $rc, $(wc -c < "$T/k.body") bytes," \
	    "Content-Length: $(hdr k Content-Length)"

	# A new worker, and the file whole.
	export_workers "$@" || { not_ok "$what: a new worker starts"; return; }
	check_eq "$what: afterwards a new worker answers 200" "$(get ref "$URL")" 200
	check "$what: ... with the whole file (its Content-Length, whole rows)" complete ref
	check "$what: ... every county, in order" xcheck order "$T/ref.body" county
	rows=$(($(wc -l < "$T/ref.body") - 1))
	check "$what: ... a large export ($rows rows, over the 256 kB gather buffer)" \
	    test "$(wc -c < "$T/ref.body")" -gt 262144

	# The point: the killed download was a failure the client could see,
	# or else it was the whole file.
	if [ "$rc" -ne 0 ] || [ "$code" != 200 ]; then
		ok "$what: the client sees the failure (HTTP $code, curl exit $rc)"
	elif complete k && cmp -s "$T/k.body" "$T/ref.body"; then
		ok "$what: the download had finished: the whole file"
	else
		not_ok "$what: HTTP 200 and curl exit 0 for an incomplete file"
		tail -c 80 "$T/k.body" | od -c | tail -n 3 | sed 's/^/#   /'
	fi
}

kill_mid_download "cache in use" TMPDIR="$WTMP"
kill_mid_download "no usable cache" COVID_CACHE_DIR="$T/not-a-dir/cache" TMPDIR="$WTMP"
# The worker sends that file itself: killed once the client has bytes.
KILL_WHEN_SENDING=1 kill_mid_download "no usable cache, sending" \
    COVID_CACHE_DIR="$T/not-a-dir/cache" TMPDIR="$WTMP"
check_contains "no usable cache: the log says why" "$PORTAL_DIR/export.log" \
    "$T/not-a-dir/cache"
stop_portal
