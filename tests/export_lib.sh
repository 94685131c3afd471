# export_lib.sh: what the export tests share (sourced after lib.sh).
#   export_setup DB     ingests the bundled sample into DB (once per script)
#   export_start DB     start_portal with the export program (in the portal's
#                       place too when portal.fcgi is not built)
#   export_workers ENV...  the export pool restarted with other settings
#   get NAME URLPATH [curl args...]
#                       GETs $PORTAL_URL/URLPATH into $T/NAME.body, headers
#                       in $T/NAME.head; prints the status code
#   hdr NAME HEADER     a response header's value
#   xcheck ARGS...      tests/e2e/export_check.py (exit status says)
PY=/usr/bin/python3
XCHECK=$ROOT/tests/e2e/export_check.py

export_setup() {
	"$INGEST" --db "$1" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
	    --from 2020-01-22 --to 2023-03-09 --skip-missing >"$T/ingest.log" 2>&1
}

export_start() {
	EXPORT_DB=$1
	[ -x "$OUT/cgi-bin/portal.fcgi" ] || PORTAL_PROGRAM=$OUT/cgi-bin/export.fcgi
	PORTAL_PROGRAM=${PORTAL_PROGRAM:-} start_portal "$1"
}

get() {
	local name=$1 path=$2
	shift 2
	: >"$T/$name.body"      # curl writes no file for an empty body
	curl -s -o "$T/$name.body" -D "$T/$name.head" "$@" "$PORTAL_URL$path" >/dev/null
	sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$T/$name.head"
}

# head_body_bytes URLPATH: a HEAD request in plain HTTP/1.0; prints how many
# bytes came after the headers (curl never reads a body for HEAD).
head_body_bytes() {
	local port=${PORTAL_URL##*:}
	exec 3<>"/dev/tcp/127.0.0.1/$port"
	printf 'HEAD %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
	cat <&3 >"$T/raw-head"
	exec 3<&-
	"$PY" -c 'import sys; d=open(sys.argv[1],"rb").read(); i=d.find(b"\r\n\r\n"); print(len(d)-i-4 if i >= 0 else -1)' "$T/raw-head"
}

hdr() {
	grep -i "^$2:" "$T/$1.head" | head -n 1 | cut -d' ' -f2- | tr -d '\r'
}

xcheck() {
	"$PY" "$XCHECK" "$@"
}

# generated CANONICAL_PREFIX: how many times the export program generated an
# XLSX whose canonical request starts with it (its log says so each time).
generated() {
	grep -cF "export: xlsx generated $1" "$PORTAL_DIR/export.log"
}

# export_workers [NAME=VALUE...]: the export pool stopped and started again
# with start_portal's settings (export_start's database, $PORTAL_DIR/cache,
# PORTAL_WORKERS) and these on top; in the directory EXPORT_CWD when set.
# For a worker that was killed, or to change its settings mid-test.
export_workers() {
	local dir=$PORTAL_DIR
	sh "$ROOT/etc/spawn-fcgi/pool.sh" stop "$dir/export.sock" || return 1
	(cd "${EXPORT_CWD:-.}" &&
	 env COVID_DB="$EXPORT_DB" COVID_TEMPLATES="$ROOT/templates" \
	    COVID_CACHE_DIR="$dir/cache" "$@" \
	    sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$OUT/cgi-bin/export.fcgi" \
	    "$dir/export.sock" "${PORTAL_WORKERS:-2}" "$dir/export.log") \
	    2>"$T/export_workers.err"
	if [ $? -ne 0 ]; then
		cat "$T/export_workers.err" | sed 's/^/#   /'
		tail -n 5 "$dir/export.log" | sed 's/^/#   /'
		return 1
	fi
	# For the exit trap: a pool's supervisor (when it has one) first.
	[ -f "$dir/export.supervisor.pid" ] && _pids="$(cat "$dir/export.supervisor.pid") $_pids"
	_pids="$_pids $(cat "$dir/export.pid")"
}

