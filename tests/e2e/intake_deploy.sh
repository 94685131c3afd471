# intake_deploy: a blue/green deploy of the intake's writers under load
# (README, "Operations"). Two pools of intake.fcgi (blue: intake.sock, green:
# intake-green.sock) behind nginx's split_clients; the split is changed in
# the rendered site and nginx reloaded: all blue, then 10 % green, then all
# green, then blue is stopped. Four writers POST all along. Every request
# must get a 201 (0 failed) and cases.db must hold exactly the 201s' cases
# (0 lost); each step is checked by who served the requests (X-Served-By).
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/intake_lib.sh"
CASES=$T/cases.db
make_tokens
start_portal "$T/covid.db" || { not_ok "the portal starts"; exit 1; }
start_intake "$CASES" intake live intake-green || { not_ok "the pools start"; exit 1; }
ok "nginx, blue (intake), green (intake-green) and the readers start"
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
ONE='{"name":"Deploy Test","location":"Cobán","age":41,"infectedtype":"imported","state":"symptomatic"}'

# writer: POSTs until $T/stop exists; one "STATUS POOL" line a request.
writer() {
	while [ ! -e "$T/stop" ]; do
		curl -s -o /dev/null --max-time 20 -w '%{http_code} %header{x-served-by}\n' \
			-H 'Content-Type: application/json' -H "Authorization: Bearer $WTOKEN" \
			--data-binary "$ONE" "$PORTAL_URL/api/v1/cases"
	done >>"$T/load"
}
# One file for all four, appended to (each line one small write): its
# order is the order the answers came in.
: >"$T/load"
WRITERS=
for i in 1 2 3 4; do writer $i & WRITERS="$WRITERS $!"; done
# served_since N POOL: POOL served a request after line N of the combined log.
lines() { wc -l <"$T/load"; }
served_since() { cat "$T/load" | tail -n +"$(($1 + 1))" | grep -q " $2\$"; }
# split LINE: the split_clients block's one line, then a reload; returns
# once the workers of the old configuration have finished their requests
# and exited (the new ones take every request from then on).
split() {
	local old
	old=$(pgrep -P "$_portal_nginx" | tr '\n' ' ')
	sed -i "/split_clients .* \$intake_writers {/{n;s/^\( *\).*/\1$1/}" "$PORTAL_DIR/nginx.conf"
	"$NGINX_BIN" -e "$PORTAL_DIR/nginx-error.log" -p "$PORTAL_DIR" -c "$PORTAL_DIR/nginx.conf" -s reload
	wait_until 30 none_alive $old
}

check "all blue: blue serves" wait_until 20 served_since 0 intake
check_eq "all blue: green serves nothing" "$(grep -c ' intake-green$' "$T/load")" 0

split '10% intake_green; * intake_blue;'
n=$(lines)
check "10 %: green serves some" wait_until 30 served_since "$n" intake-green
check "10 %: blue still serves" wait_until 30 served_since "$n" intake

check "100 %: the old nginx workers finish and exit" split '* intake_green;'
n=$(lines)
check "100 %: green serves" wait_until 30 served_since "$n" intake-green
m=$(lines)
wait_until 30 sh -c "[ \$(wc -l <'$T/load') -ge $((m + 40)) ]"
check_eq "100 %: blue serves nothing new" "$(cat "$T/load" | tail -n +"$((m + 1))" | grep -c ' intake$')" 0

# Blue goes; the writers go on for a while against green alone.
sh "$ROOT/etc/spawn-fcgi/pool.sh" stop "$PORTAL_DIR/intake.sock"
m=$(lines)
wait_until 30 sh -c "[ \$(wc -l <'$T/load') -ge $((m + 40)) ]"
touch "$T/stop"
wait $WRITERS
TOTAL=$(lines)
OK201=$(cat "$T/load" | grep -c '^201 ')
check "the writers sent a fair number of requests ($TOTAL)" test "$TOTAL" -ge 150
check_eq "0 failed requests: every one a 201" "$OK201" "$TOTAL"
check_eq "0 lost cases: cases.db holds exactly the 201s" "$(cases_rows "$CASES")" "$OK201"
echo "# blue served $(cat "$T/load" | grep -c ' intake$'), green $(cat "$T/load" | grep -c ' intake-green$')"
stop_intake live intake-green
stop_portal
