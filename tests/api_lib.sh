# tests/api_lib.sh: what the API's end-to-end tests share (source it
# after lib.sh): the API's own pool beside start_portal's, and fetching a
# response with its status, headers and body kept for the validators.

# start_api DB: api.fcgi ($OUT/cgi-bin/api.fcgi) in a pool of etc/spawn-fcgi/
# pool.sh on $PORTAL_DIR/api.sock, where the portal's nginx (start_portal,
# etc/nginx/local.conf.in) sends /api and /api/. Returns once both workers
# say "<6>api: ready" (30 s at most).
start_api() {
	local db=$1
	API_LOG=$PORTAL_DIR/api.log
	# Where this start begins in the log (a test may start it twice).
	_api_mark=$(stat -c %s "$API_LOG" 2>/dev/null || echo 0)
	COVID_DB=$db sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$OUT/cgi-bin/api.fcgi" \
		"$PORTAL_DIR/api.sock" 2 "$API_LOG" || return 1
	_pids="$(cat "$PORTAL_DIR/api.supervisor.pid") $_pids $(cat "$PORTAL_DIR/api.pid")"
	if ! wait_until 30 api_ready; then
		echo "# the api workers are not ready within 30 s:"
		tail -n 20 "$API_LOG" | sed 's/^/#   /'
		return 1
	fi
}
api_ready() {
	[ "$(tail -c +$((_api_mark + 1)) "$API_LOG" 2>/dev/null | grep -c '^<6>api: ready$')" -ge 2 ]
}

# stop_api: stops the pool; one result: it stopped and its log holds no
# sanitizer report.
stop_api() {
	sh "$ROOT/etc/spawn-fcgi/pool.sh" stop "$PORTAL_DIR/api.sock"
	if grep -qE 'Sanitizer|runtime error:' "$API_LOG"; then
		not_ok "api workers exit without sanitizer reports"
		grep -hE -A 15 'Sanitizer|runtime error:' "$API_LOG" | head -n 40 | sed 's/^/#   /'
	else
		ok "api workers stopped cleanly, no sanitizer reports"
	fi
}

# fetch NAME PATTERN PATH [CURL ARGS...]: GETs $PORTAL_URL$PATH into
# $T/api/NAME.{body,hdr}; sets CODE; notes it in $T/api/manifest for
# api_validate.js as a response of PATTERN (the document's path).
mkdir -p "$T/api"
: >"$T/api/manifest"
fetch() {
	local name=$1 pattern=$2 path=$3 ctype
	shift 3
	CODE=$(curl -s -o "$T/api/$name.body" -D "$T/api/$name.hdr" -w '%{http_code}' \
		"$@" "$PORTAL_URL$path")
	ctype=$(header "$name" Content-Type)
	printf '%s\t%s\t%s\t%s\n' "$pattern" "$CODE" "$ctype" "$T/api/$name.body" \
		>>"$T/api/manifest"
}
# header NAME FIELD: a header's value in NAME's response ("" when none).
header() {
	sed -n "s/^$2: *//Ip" "$T/api/$1.hdr" | tr -d '\r' | head -n 1
}
# jq_py NAME EXPR: a Python expression over the body parsed as JSON (j).
jq_py() {
	/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$T/api/$1.body" "$2"
}

# validate: api_validate.js over the document and every response fetched;
# its PASS/FAIL lines become results. Fails when the validators are not
# installed (make deps-test installs them), never passes without them.
validate() {
	local modules=$ROOT/var/npm/node_modules line
	fetch openapi /api/openapi.json /api/openapi.json
	if ! command -v node >/dev/null || [ ! -d "$modules/ajv-formats" ]; then
		not_ok "the validators are installed (node, $modules: make deps-test)"
		return
	fi
	NODE_PATH=$modules node "$ROOT/tests/e2e/api_validate.js" "$T/api/openapi.body" \
		"$T/api/manifest" >"$T/api/validate.out" 2>&1
	while IFS= read -r line; do
		case "$line" in
		PASS\ *) ok "${line#PASS }" ;;
		FAIL\ *) not_ok "${line#FAIL }" ;;
		*) echo "#   $line" ;;
		esac
	done <"$T/api/validate.out"
	grep -q '^PASS swagger-parser' "$T/api/validate.out" ||
		not_ok "the validator ran (see above)"
}
