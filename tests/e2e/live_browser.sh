# live_browser: static/live.js in a real browser. Debian's headless
# Chromium, driven by chromedriver over its plain HTTP WebDriver protocol
# (curl here), keeps /live open through real nginx (nchan) and the intake's
# spawn-fcgi pools while cases are POSTed with a writer's token. Without a
# reload, the page's total, its newest cases and data-last-id must turn to
# the new values within seconds; live.js must have run under the page's
# Content-Security-Policy (which Chromium is shown to enforce, on the same
# page); its EventSource must be on /live/events?shard=N with N one of the
# page's data-shards; and no name may reach the rendered DOM. Two of
# live.js' promises are held to as well: an event older than the figures
# shown does not put them back, and /live is fetched at most once a second.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/intake_lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
CHROMEDRIVER=$(command -v chromedriver || true)
if [ -z "$CHROMIUM" ] || [ -z "$CHROMEDRIVER" ]; then
	not_ok "chromium and chromedriver are installed (apt-get install chromium chromium-driver)"
	exit 1
fi
DB=$T/covid.db CASES=$T/cases.db
NAME1="Pablo Mendoza" NAME2="Zoë Ñandú-Quispe"
# How long the page has for each change: live.js asks for /live within a
# second of an event naming a newer case; the rest is margin for a loaded
# machine (the changes took 0.4-1.1 s here).
WITHIN=10

if ! "$INGEST" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2020-01-22 --to 2020-01-31 --skip-missing --no-series 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
make_tokens
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
start_intake "$CASES" || { not_ok "the intake starts"; exit 1; }
ok "portal and intake start"

# case_json NAME LOCATION AGE: one case report.
case_json() {
	printf '{"name":"%s","location":"%s","age":%s,"infectedtype":"imported","state":"symptomatic"}' "$1" "$2" "$3"
}
# Two cases before the page opens: the figures it must show at first.
post seed "[$(case_json Ana Seedville 30),$(case_json Luis Seedville 41)]"
check_eq "two cases stored before the page opens" "$CODE $(in_json seed 'j["ids"]')" "201 [1, 2]"

# --- chromedriver and a Chromium session ----------------------------------
# chromedriver leads a process group of its own (setsid) that the browser
# it starts joins, so that an early exit can stop them all.
WD_PORT=$(free_port)
WD=http://127.0.0.1:$WD_PORT
setsid "$CHROMEDRIVER" --port="$WD_PORT" --log-path="$T/chromedriver.log" >/dev/null 2>&1 &
WD_PID=$!
SID=
stop_browser() {
	[ -n "$SID" ] && curl -s --max-time 15 -X DELETE "$WD/session/$SID" >/dev/null
	SID=
	kill -TERM -- "-$WD_PID" 2>/dev/null
	wait_until 5 none_alive "$WD_PID"
	kill -KILL -- "-$WD_PID" 2>/dev/null
	return 0
}
trap 'stop_browser; _cleanup' EXIT
check "chromedriver listens" wait_for_port "$WD_PORT"

# wd METHOD PATH [JSON]: a WebDriver command; prints its answer's "value"
# (a string as it is, anything else as JSON). Non-zero, with the error on
# stderr, when the driver answers an error or nothing.
wd() {
	local -a data=()
	[ $# -ge 3 ] && data=(--data-binary "$3")
	curl -s --max-time 30 -X "$1" -H 'Content-Type: application/json' "${data[@]}" "$WD$2" |
	/usr/bin/python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)["value"]
except (ValueError, KeyError):
    sys.exit("# no answer from chromedriver")
if isinstance(v, dict) and "error" in v:
    sys.exit("# webdriver: %s: %s" % (v["error"], v.get("message", "")[:300]))
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))'
}
# js BODY [ARG]: runs a function body in the page (WebDriver's execute,
# which the page's CSP does not govern), ARG as arguments[0].
js() {
	wd POST "/session/$SID/execute/sync" "$(/usr/bin/python3 -c '
import json, sys; print(json.dumps({"script": sys.argv[1], "args": sys.argv[2:]}))' "$@")"
}
# The browser's log (console messages; CSP violations among them) and its
# performance log (DevTools' Network events), gathered into files: the
# driver hands each entry out once.
logs() {
	local rc=0
	wd POST "/session/$SID/se/log" '{"type":"browser"}' | /usr/bin/python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print(e["level"], " ".join(e["message"].split()))' >>"$T/browser.log" || rc=1
	wd POST "/session/$SID/se/log" '{"type":"performance"}' |
		/usr/bin/python3 -c 'import json,sys; [print(e["message"]) for e in json.load(sys.stdin)]' \
		>>"$T/perf.log" || rc=1
	return $rc
}
# The driver talks to the browser through a pipe, not a DevTools port on
# "localhost": a brand-new Debian root has no /etc/hosts, and there that
# name does not resolve (chromedriver: "unable to connect to renderer").
CAPS=$(/usr/bin/python3 -c '
import json, sys
print(json.dumps({"capabilities": {"alwaysMatch": {
    "goog:chromeOptions": {"binary": sys.argv[1], "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--remote-debugging-pipe",
        "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + sys.argv[2]],
        "perfLoggingPrefs": {"enableNetwork": True, "enablePage": False}},
    "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}}}}))' \
	"$CHROMIUM" "$T/chrome")
SID=$(wd POST /session "$CAPS" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["sessionId"])')
if [ -z "$SID" ]; then
	not_ok "chromedriver opens a Chromium session"; tail -n 20 "$T/chromedriver.log" | sed 's/^/#   /'
	exit 1
fi
ok "chromedriver opens a Chromium session"

# --- /live opens with the stored figures ----------------------------------
wd POST "/session/$SID/url" "{\"url\": \"$PORTAL_URL/live\"}" >/dev/null
# page_state: "TOTAL LAST_ID LOCATION" - #live-total's text, #live's
# data-last-id and the newest case's location, as the page shows them now.
page_state() {
	js 'var box = document.getElementById("live"), t = document.getElementById("live-total");
	var td = document.querySelector("section[aria-labelledby=live-last-h] tbody tr td:nth-child(2)");
	return [t ? t.textContent : "-", box ? box.getAttribute("data-last-id") : "-",
	    td ? td.textContent : "-"].join(" ");'
}
shows() { STATE=$(page_state) && [ "$STATE" = "$1" ]; }
check "the page loads in Chromium" wait_until 10 shows "2 2 Seedville"
set -- $STATE
check_eq "at first #live-total shows the stored total" "${1:-}" 2
check_eq "at first data-last-id is the last stored case" "${2:-}" 2
check_eq "at first the newest case is the last stored one" "${3:-}" Seedville
SHARDS=$(js 'return document.getElementById("live").getAttribute("data-shards");')
# A mark that only this load of the page holds: a reload would lose it.
js 'window.liveBrowserMark = arguments[0]; return 1;' "$T" >/dev/null

# --- its EventSource ------------------------------------------------------
# perf METHOD: each of DevTools' Network events METHOD in the performance
# log, a line each: "TYPE URL" for requestWillBeSent, "TYPE STATUS MIME URL"
# for responseReceived, the data for eventSourceMessageReceived.
perf() {
	/usr/bin/python3 - "$T/perf.log" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)["message"]
    if m["method"] != sys.argv[2]:
        continue
    p = m["params"]
    if "request" in p:
        print(p.get("type", "?"), p["request"]["url"])
    elif "response" in p:
        print(p.get("type", "?"), p["response"]["status"], p["response"]["mimeType"], p["response"]["url"])
    elif "data" in p:
        print(p["data"])
PY
}
es_open() {
	logs
	perf Network.responseReceived | grep -q "^EventSource 200 text/event-stream $PORTAL_URL/live/events?shard="
}
check "the page's EventSource is answered with an event stream" wait_until 10 es_open
ES_URLS=$(perf Network.requestWillBeSent | sed -n 's/^EventSource //p')
check_eq "one EventSource, on /live/events?shard=N" \
	"$(printf '%s\n' "$ES_URLS" | sed "s|^$PORTAL_URL/live/events?shard=[0-9]*$|ok|" | tr '\n' ' ')" "ok "
SHARD=$(printf '%s\n' "$ES_URLS" | sed -n 's/.*?shard=//p' | head -n 1)
check "its shard ${SHARD:-none} is one of the page's data-shards (${SHARDS:-none})" \
	test -n "$SHARD" -a "${SHARDS:-0}" -ge 2 -a "${SHARD:-99}" -lt "${SHARDS:-0}"

# --- new cases show without a reload --------------------------------------
now_ms() { date +%s%3N; }
t0=$(now_ms)
post one "$(case_json "$NAME1" Coban 35)"
check_eq "a new case: 201, id 3" "$CODE $(in_json one 'j["ids"]')" "201 [3]"
if wait_until $WITHIN shows "3 3 Coban"; then
	echo "# the page showed case 3 $(( $(now_ms) - t0 )) ms after its POST began"
fi
set -- $STATE
check_eq "without a reload #live-total turns to the new total" "${1:-}" 3
check_eq "... data-last-id to the new case" "${2:-}" 3
check_eq "... and the newest cases begin with it" "${3:-}" Coban
t0=$(now_ms)
post two "[$(case_json "$NAME2" Flores 80),$(case_json "$NAME1" Huehuetenango 7)]"
check_eq "two more: 201, ids 4 and 5" "$CODE $(in_json two 'j["ids"]')" "201 [4, 5]"
if wait_until $WITHIN shows "5 5 Huehuetenango"; then
	echo "# the page showed case 5 $(( $(now_ms) - t0 )) ms after its POST began"
fi
set -- $STATE
check_eq "again #live-total turns to the new total" "${1:-}" 5
check_eq "... data-last-id to the last case" "${2:-}" 5
check_eq "... and the newest cases begin with it" "${3:-}" Huehuetenango
check_eq "the newest cases in order" \
	"$(js 'return Array.prototype.map.call(document.querySelectorAll(
	    "section[aria-labelledby=live-last-h] tbody tr td:nth-child(2)"),
	    function (td) { return td.textContent; }).join(" ");')" \
	"Huehuetenango Flores Coban Seedville Seedville"
check_eq "the page was not reloaded (its mark is still there)" \
	"$(js 'return window.liveBrowserMark || "gone";')" "$T"
logs
check_eq "the browser loaded /live as a document once" \
	"$(perf Network.requestWillBeSent | grep -c "^Document $PORTAL_URL/live\$")" 1
check "live.js fetched /live for the new figures" \
	grep -q "^Fetch 200 text/html $PORTAL_URL/live\$" <(perf Network.responseReceived)
check "the EventSource received the last case's event" \
	grep -q '"last_id":5[,}]' <(perf Network.eventSourceMessageReceived)

# --- an event older than the page it reaches ------------------------------
# The intake sends each channel the figures as they are when its turn comes,
# so an event can reach a page after live.js has fetched newer figures than
# it names. Made to happen here: cases 6 to 8 stored straight into cases.db
# (no event), then events sent straight to the page's channel through
# nchan's publisher socket, as the intake sends them (its last one, with
# last_id and total changed): case 6's, on which live.js fetches /live (8
# cases), then a late one, case 7's. The page must not go back to 7; a
# real POST (case 9) after it shows that the late event was handled.
sqlite3 "$CASES" ".timeout 5000" "INSERT INTO cases (name, location, age,
	infectedtype, state, received_at, writer) VALUES
	('$NAME1', 'Peten', 50, 'contact', 'recovered', strftime('%Y-%m-%dT%H:%M:%SZ'), 'w1'),
	('$NAME2', 'Peten', 51, 'contact', 'recovered', strftime('%Y-%m-%dT%H:%M:%SZ'), 'w1'),
	('$NAME1', 'Peten', 52, 'contact', 'recovered', strftime('%Y-%m-%dT%H:%M:%SZ'), 'w1')"
check_eq "three cases stored straight into cases.db" "$(cases_rows "$CASES")" 8
LAST_EVENT=$(perf Network.eventSourceMessageReceived | grep '"last_id":5[,}]' | tail -n 1)
# publish LAST_ID TOTAL: that event on the page's channel; nchan's status.
publish() {
	/usr/bin/python3 -c '
import json, sys
e = json.loads(sys.argv[1])
e["last_id"], e["total"] = int(sys.argv[2]), int(sys.argv[3])
print(json.dumps(e, separators=(",", ":")))' "$LAST_EVENT" "$1" "$2" >"$T/event.json" || return 1
	curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
		--unix-socket "$PORTAL_DIR/live-publish.sock" --data-binary "@$T/event.json" \
		"http://localhost/live$([ "${SHARD:-0}" -gt 0 ] && echo "/$SHARD")"
}
published() {
	local code
	code=$(publish "$@")
	case "$code" in 2??) return 0 ;; esac
	echo "#   nchan answered ${code:-nothing}"; return 1
}
check "case 6's event is published on the page's channel" published 6 6
if wait_until $WITHIN shows "8 8 Peten"; then ok "on it the page fetched the 8 cases"; else
	not_ok "on it the page fetched the 8 cases"; echo "#   it shows: $STATE"; fi
# Every total the page shows from now on.
js 'var seen = window.liveTotals = [];
	new MutationObserver(function () {
		var t = document.getElementById("live-total");
		seen.push(t ? t.textContent : "-");
	}).observe(document.getElementById("live"), { childList: true, subtree: true, characterData: true });
	return 1;' >/dev/null
check "a late event, case 7's, is published on it" published 7 7
t0=$(now_ms)
post nine "$(case_json "$NAME2" Solola 64)"
check_eq "then a new case: 201, id 9" "$CODE $(in_json nine 'j["ids"]')" "201 [9]"
if wait_until $WITHIN shows "9 9 Solola"; then
	echo "# the page showed case 9 $(( $(now_ms) - t0 )) ms after its POST began"
fi
check_eq "the page shows it" "$STATE" "9 9 Solola"
logs
check "the browser received the late event" \
	grep -q '"last_id":7[,}]' <(perf Network.eventSourceMessageReceived)
SEEN=$(js 'return window.liveTotals.join(" ");')
never_shown() { [ -n "$SEEN" ] && [[ " $SEEN " != *" $1 "* ]]; }
check "the late event did not put the total back to 7 (totals shown: ${SEEN:-none})" never_shown 7

# --- at most one fetch of /live a second ----------------------------------
# Under a stream of commits (the intake sends a channel an event every
# 100 ms while they last) live.js must not fetch /live on each event: 10,000
# pages would ask the readers' pool 10 times a second each. 15 cases 150 ms
# apart (the pace of the load, not a wait), then no two of the page's
# fetches of /live may start less than a second apart. DevTools stamps a
# request as the network service takes it, a few ms after live.js's clock
# (993-1008 ms apart here for its 1,000), so 900 ms is the bar; a fetch on
# every event came 230-270 ms apart.
t0=$(now_ms)
for i in $(seq 10 24); do
	post "burst$i" "$(case_json "$NAME1" "Zacapa$i" 20)"
	[ "$CODE" = 201 ] || echo "# case $i: HTTP $CODE"
	sleep 0.15
done
if wait_until $WITHIN shows "24 24 Zacapa24"; then
	echo "# the page showed case 24 $(( $(now_ms) - t0 )) ms after the first of 15 POSTs began"
fi
check_eq "after 15 more the page shows the last" "$STATE" "24 24 Zacapa24"
logs
GAPS=$(/usr/bin/python3 - "$T/perf.log" "$PORTAL_URL/live" <<'PY'
import json, sys
times = []
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)["message"]
    p = m["params"]
    if m["method"] == "Network.requestWillBeSent" and p.get("type") == "Fetch" \
            and p["request"]["url"] == sys.argv[2]:
        times.append(p["timestamp"])
print(" ".join(str(round((b - a) * 1000)) for a, b in zip(times, times[1:])))
PY
)
echo "# ms between the page's fetches of /live: $GAPS"
min_gap_at_least() { local g; for g in $GAPS; do [ "$g" -ge "$1" ] || return 1; done; }
check "live.js fetched /live at most once a second ($(wc -w <<<"$GAPS") gaps)" min_gap_at_least 900

# --- under the page's Content-Security-Policy -----------------------------
CSP_SEEN=$(/usr/bin/python3 - "$T/perf.log" "$PORTAL_URL/live" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)["message"]
    if m["method"] == "Network.responseReceived" and m["params"]["type"] == "Document" \
            and m["params"]["response"]["url"] == sys.argv[2]:
        h = {k.lower(): v for k, v in m["params"]["response"]["headers"].items()}
        print(h.get("content-security-policy", ""))
PY
)
check "the browser got /live with a CSP allowing only the site's scripts" \
	grep -q "script-src 'self';" <<<"$CSP_SEEN"
# csp_violations: the lines of the browser's log that report one (Chromium
# words them "... violates the following Content Security Policy
# directive", or for eval "... violates the fol…", cut short).
csp_violations() { grep -Ei "violates the fol|Content Security Policy" "$T/browser.log"; }
check "the browser's logs are read" logs
if csp_violations >/dev/null; then
	not_ok "no CSP violation in the browser's log"; csp_violations | head -n 3 | sed 's/^/#   /'
else
	ok "no CSP violation in the browser's log"
fi
if grep -q '^SEVERE .*/static/live\.js' "$T/browser.log"; then
	not_ok "live.js raised no error"; grep '^SEVERE .*/static/live\.js' "$T/browser.log" | head -n 3 | sed 's/^/#   /'
else
	ok "live.js raised no error"
fi
# The same page, an inline script put in: the policy stops it and the log
# says so (so the check above could see a violation).
check_eq "an inline script does not run on the page" \
	"$(js 'var s = document.createElement("script");
	s.textContent = "document.body.setAttribute(\"data-inline\", \"ran\")";
	document.body.appendChild(s);
	return document.body.getAttribute("data-inline") || "blocked";')" blocked
violation() { logs; csp_violations >/dev/null; }
check "... and the browser's log has the violation" wait_until 5 violation

# --- no name in the rendered page -----------------------------------------
js 'return document.documentElement.outerHTML;' >"$T/live.dom"
js 'return document.body.innerText;' >"$T/live.text"
check_contains "the rendered DOM has the newest case's place" "$T/live.dom" Zacapa24
for f in live.dom live.text; do
	check_not_contains "no name in $f" "$T/$f" "$NAME1"
	check_not_contains "no name in $f (2)" "$T/$f" "$NAME2"
done
check "the events carried no name" sh -c "! grep -qF -e 'Pablo' -e 'Quispe' '$T/perf.log'"

stop_browser
stop_intake
stop_portal
