# tests/intake_lib.sh: what the intake's end-to-end tests share (source it
# after lib.sh): token files, and the intake's two pools (writers on
# intake.sock, readers and /live on live.sock) beside start_portal's, where
# its nginx (etc/nginx/local.conf.in) sends /api/v1/cases and /live.

# make_tokens: writer tokens $WTOKEN (w1) and $WTOKEN2 (w2), reader token
# $RTOKEN (r1); files $T/writers.tokens and $T/readers.tokens hold their
# SHA-256 as the intake wants them.
make_tokens() {
	WTOKEN=w1-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	WTOKEN2=w2-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	RTOKEN=r1-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	{
		echo "# writers"
		echo "w1 $(printf %s "$WTOKEN" | sha256sum | cut -d' ' -f1)"
		echo "w2 $(printf %s "$WTOKEN2" | sha256sum | cut -d' ' -f1)"
	} >"$T/writers.tokens"
	echo "r1 $(printf %s "$RTOKEN" | sha256sum | cut -d' ' -f1)" >"$T/readers.tokens"
}

# start_intake CASES_DB [POOL...]: intake.fcgi in pools (default "intake
# live"; a deploy test names others, such as intake-green) on
# $PORTAL_DIR/POOL.sock, 2 workers each, publishing to nginx's nchan
# socket. Writers' pools (all but "live") run 4 threads a worker, which
# commit in groups (src/intake/intake_commit.h), and their two workers
# still share cases.db's write lock. Returns once every worker says "<6>intake: ready" (30 s at most).
start_intake() {
	local db=$1 pool
	shift
	for pool in ${@:-intake live}; do
		eval "_${pool//-/_}_mark=\$(stat -c %s \"\$PORTAL_DIR/\$pool.log\" 2>/dev/null || echo 0)"
		COVID_CASES_DB=$db COVID_INTAKE_TOKENS=$T/writers.tokens \
		COVID_READER_TOKENS=$T/readers.tokens COVID_TEMPLATES=$ROOT/templates \
		COVID_LIVE_PUBLISH=http://localhost/live \
		COVID_LIVE_PUBLISH_SOCKET=$PORTAL_DIR/live-publish.sock \
		COVID_DB=${COVID_DB:-$T/covid.db} COVID_INTAKE_POOL=$pool \
		COVID_INTAKE_THREADS=$([ "$pool" = live ] && echo 1 || echo 4) \
			sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$OUT/cgi-bin/intake.fcgi" \
			"$PORTAL_DIR/$pool.sock" 2 "$PORTAL_DIR/$pool.log" || return 1
		_pids="$(cat "$PORTAL_DIR/$pool.supervisor.pid") $_pids $(cat "$PORTAL_DIR/$pool.pid")"
		if ! wait_until 30 intake_ready "$pool"; then
			echo "# the $pool workers are not ready within 30 s:"
			tail -n 20 "$PORTAL_DIR/$pool.log" | sed 's/^/#   /'
			return 1
		fi
	done
}
intake_ready() {
	local mark
	eval "mark=\$_${1//-/_}_mark"
	[ "$(tail -c +$((mark + 1)) "$PORTAL_DIR/$1.log" 2>/dev/null | grep -c '^<6>intake: ready$')" -ge 2 ]
}

# stop_intake [POOL...]: stops the pools; one result: their logs hold no
# sanitizer report.
stop_intake() {
	local pool logs=
	for pool in ${@:-intake live}; do
		sh "$ROOT/etc/spawn-fcgi/pool.sh" stop "$PORTAL_DIR/$pool.sock"
		logs="$logs $PORTAL_DIR/$pool.log"
	done
	if grep -qE 'Sanitizer|runtime error:' $logs; then
		not_ok "intake workers exit without sanitizer reports"
		grep -hE -A 15 'Sanitizer|runtime error:' $logs | head -n 40 | sed 's/^/#   /'
	else
		ok "intake workers stopped cleanly, no sanitizer reports"
	fi
}

# post NAME BODY [CURL ARGS...]: POSTs BODY (a string) to /api/v1/cases
# with Content-Type $CTYPE (application/json) and "Authorization: $AUTH"
# (default "Bearer $WTOKEN"; AUTH= sends none); response in
# $T/in/NAME.{body,hdr}, status in CODE.
mkdir -p "$T/in"
post() {
	local name=$1 body=$2 auth=${AUTH-Bearer $WTOKEN}
	local -a h=(-H "Content-Type: ${CTYPE:-application/json}")
	shift 2
	[ -n "$auth" ] && h+=(-H "Authorization: $auth")
	printf '%s' "$body" >"$T/in/$name.req"
	CODE=$(curl -s -o "$T/in/$name.body" -D "$T/in/$name.hdr" -w '%{http_code}' \
		"${h[@]}" --data-binary "@$T/in/$name.req" "$@" "$PORTAL_URL/api/v1/cases")
}
# in_header NAME FIELD, in_json NAME EXPR: as api_lib.sh's header and jq_py.
in_header() { sed -n "s/^$2: *//Ip" "$T/in/$1.hdr" | tr -d '\r' | head -n 1; }
in_json() {
	/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$T/in/$1.body" "$2"
}
# cases_rows DB: rows in cases.
cases_rows() { sqlite3 -readonly "$1" 'SELECT count(*) FROM cases'; }
