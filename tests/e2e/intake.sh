# intake: case reports (issue 16) through real nginx (with nchan), the
# intake's two spawn-fcgi pools and a real cases.db: 201 with ids, 400
# naming each bad field with nothing stored, 401/403 by token, 415, 413 from
# nginx and from the program, 429 past a token's rate, Idempotency-Key,
# readers' full records by cursor, /live, and its events: delivered after a
# POST, resumed with Last-Event-ID, never carrying a name; no name on any
# public page, export or API answer.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/intake_lib.sh"
DB=$T/covid.db CASES=$T/cases.db
NAME1="Pablo Mendoza" NAME2="Zoë Ñandú-Quispe"

if ! "$INGEST" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2020-01-22 --to 2020-03-01 --skip-missing --no-series 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
make_tokens
# A low rate, so that w2 can pass it; w1's requests stay under the burst.
INTAKE_RATE=1r/s INTAKE_BURST=30 start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
start_intake "$CASES" || { not_ok "the intake starts"; exit 1; }
ok "portal and intake start"

# --- an SSE subscriber from the start ------------------------------------
curl -s -N --max-time 60 -H "Accept: text/event-stream" "$PORTAL_URL/live/events" >"$T/sse1.out" &
SSE1=$!
# nchan answers at once with its headers (": hi" first): subscribed.
check "an EventSource subscribes to /live/events" wait_until 10 test -s "$T/sse1.out"
# Subscribers split over channels (?shard=N, live.js picks one of the
# page's data-shards); a shard that is not one of them is channel 0's.
# The last one gets events: the page, nginx and the publisher agree.
NSH=$(curl -s "$PORTAL_URL/live" | sed -n 's/.*id="live"[^>]* data-shards="\([0-9]*\)".*/\1/p')
check "/live says how many channels there are (${NSH:-none})" test "${NSH:-0}" -ge 2
curl -s -N --max-time 60 -H "Accept: text/event-stream" "$PORTAL_URL/live/events?shard=$((${NSH:-1} - 1))" >"$T/sse5.out" &
SSE5=$!
curl -s -N --max-time 60 -H "Accept: text/event-stream" "$PORTAL_URL/live/events?shard=..%2f9" >"$T/ssex.out" &
SSEX=$!
check "a subscriber of the last channel is taken" wait_until 10 test -s "$T/sse5.out"

# --- 201 ------------------------------------------------------------------
ONE='{"name": "'"$NAME1"'", "location": "Guatemala City", "age": 35, "infectedtype": "communitary", "state": "asymptomatic"}'
post one "$ONE"
check_eq "one object: 201" "$CODE" 201
check_eq "one object: its id" "$(in_json one 'j["ids"]')" "[1]"
check_eq "one object: one row in cases.db" "$(cases_rows "$CASES")" 1
THREE='[{"name":"'"$NAME2"'","location":"Quetzaltenango","age":80,"infectedtype":"imported","state":"symptomatic","reported_at":"2021-03-04T05:06:07Z"},
 {"name":"Ana","location":"Guatemala City","age":0,"infectedtype":"contact","state":"recovered"},
 {"name":"Luis","location":"Escuintla","age":120,"infectedtype":"unknown","state":"deceased","reported_at":"2021-03-04T07:06:07+02:00"}]'
post three "$THREE"
check_eq "an array of three: 201" "$CODE" 201
check_eq "an array of three: their ids, in order" "$(in_json three 'j["ids"]')" "[2, 3, 4]"
check_eq "an array of three: four rows" "$(cases_rows "$CASES")" 4
check_eq "reported_at with an offset is stored in UTC" \
	"$(sqlite3 -readonly "$CASES" 'SELECT reported_at FROM cases WHERE id = 4')" "2021-03-04T05:06:07Z"

# --- 400: each bad field named, nothing stored ----------------------------
BAD='[{"name":"Ok","location":"X","age":3,"infectedtype":"imported","state":"recovered"},
 {"name":"","location":"X","age":121,"infectedtype":"alien","state":"recovered","colour":"red"},
 {"location":"X","age":3.5,"infectedtype":"imported","state":"recovered","reported_at":"2999-01-01T00:00:00Z"}]'
post bad "$BAD"
check_eq "a bad array: 400" "$CODE" 400
check_eq "a bad array: problem+json" "$(in_header bad Content-Type)" "application/problem+json"
check_eq "a bad array: each fault named by its JSON pointer" \
	"$(in_json bad 'sorted(e["pointer"] for e in j["errors"])')" \
	"['/1/age', '/1/colour', '/1/infectedtype', '/1/name', '/2/age', '/2/name', '/2/reported_at']"
check_eq "a bad array: nothing of it stored (not even the good record)" "$(cases_rows "$CASES")" 4
check_eq "a bad array: the reason for the age" \
	"$(in_json bad '[e["detail"] for e in j["errors"] if e["pointer"] == "/1/age"][0]')" "must be 0 to 120"
post notjson '{"name": "x",'
check_eq "not JSON: 400" "$CODE" 400
check "not JSON: says so" grep -q 'not valid JSON' "$T/in/notjson.body"
post deep '{"name": {"first": "x"}, "location": "X", "age": 3, "infectedtype": "imported", "state": "recovered"}'
check_eq "a nested value: 400 naming the field" "$CODE $(in_json deep 'j["errors"][0]["pointer"]')" "400 /name"

# --- 401, 403, 415 --------------------------------------------------------
AUTH= post noauth "$ONE"
check_eq "no token: 401" "$CODE" 401
check "no token: WWW-Authenticate: Bearer" grep -qi '^WWW-Authenticate: Bearer' "$T/in/noauth.hdr"
AUTH="Bearer not-a-token" post badauth "$ONE"
check_eq "an unknown token: 401" "$CODE" 401
check_not_contains "the 401 does not echo the token" "$T/in/badauth.body" "not-a-token"
AUTH="Bearer $RTOKEN" post reader "$ONE"
check_eq "a reader's token cannot write: 403" "$CODE" 403
CTYPE=text/plain post plain "$ONE"
check_eq "text/plain: 415" "$CODE" 415
check_eq "nothing stored by the refusals" "$(cases_rows "$CASES")" 4

# --- 413 ------------------------------------------------------------------
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/big.json"
CODE=$(curl -s -o "$T/in/big.body" -w '%{http_code}' -H 'Content-Type: application/json' \
	-H "Authorization: Bearer $WTOKEN" --data-binary "@$T/big.json" "$PORTAL_URL/api/v1/cases")
check_eq "over 1 MiB: 413 from nginx" "$CODE" 413
check "the 413 is problem+json" grep -q '"status":413' "$T/in/big.body"
# 1,001 records, under 1 MiB: the program refuses the count.
/usr/bin/python3 -c 'import json; print(json.dumps([{"name":"a","location":"b","age":1,"infectedtype":"imported","state":"recovered"}]*1001))' >"$T/many.json"
post many "$(cat "$T/many.json")"
check_eq "1,001 records: 400 saying at most 1,000" "$CODE $(grep -c 'at most 1000 records' "$T/in/many.body")" "400 1"

# --- Idempotency-Key ------------------------------------------------------
post idem1 "$ONE" -H 'Idempotency-Key: k-123'
post idem2 "$ONE" -H 'Idempotency-Key: k-123'
check_eq "a retried POST with its key: 201 both times" "$(in_json idem1 'j["ids"]') $CODE" "[5] 201"
check_eq "a retried POST: the same ids" "$(in_json idem2 'j["ids"]')" "[5]"
check_eq "a retried POST: says it was replayed" "$(in_header idem2 Idempotent-Replayed)" "true"
check_eq "a retried POST stores nothing twice" "$(cases_rows "$CASES")" 5
post idem3 "$THREE" -H 'Idempotency-Key: k-123'
check_eq "the key with another body: 422" "$CODE" 422

# --- readers --------------------------------------------------------------
CODE=$(curl -s -o "$T/in/read.body" -w '%{http_code}' -H "Authorization: Bearer $RTOKEN" \
	"$PORTAL_URL/api/v1/cases?limit=3")
check_eq "a reader reads the full records" "$CODE $(in_json read '[c["name"] for c in j["cases"]]')" \
	"200 ['$NAME1', '$NAME2', 'Ana']"
CUR=$(in_json read 'j["next_cursor"]')
CODE=$(curl -s -o "$T/in/read2.body" -w '%{http_code}' -H "Authorization: Bearer $RTOKEN" \
	"$PORTAL_URL/api/v1/cases?cursor=$CUR&limit=3")
check_eq "the next page from the cursor, then the end" \
	"$(in_json read2 '([c["id"] for c in j["cases"]], j["next_cursor"])')" "([4, 5], None)"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $WTOKEN" "$PORTAL_URL/api/v1/cases")
check_eq "a writer's token cannot read: 403" "$CODE" 403
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$PORTAL_URL/api/v1/cases")
check_eq "no token cannot read: 401" "$CODE" 401

# --- 429 past the rate (w2: 1 a second, a burst of 30) --------------------
# 60 requests, 4 at a time: far faster than 1 a second (even on a loaded
# machine, 30 of them would have to take 30 s to pass).
rate_one() {
	curl -s -o "$T/in/rate$1.body" -D "$T/in/rate$1.hdr" -w '%{http_code}\n' \
		-H 'Content-Type: application/json' -H "Authorization: Bearer $WTOKEN2" \
		--data-binary "$ONE" "$PORTAL_URL/api/v1/cases"
}
for i in $(seq 0 4 56); do
	pids=
	for k in 1 2 3 4; do rate_one $((i + k)) >>"$T/rate.codes" & pids="$pids $!"; done
	wait $pids
done
N201=$(grep -c '^201$' "$T/rate.codes") N429=$(grep -c '^429$' "$T/rate.codes")
check "past its rate a token gets 429 ($N201 x 201, $N429 x 429)" test "$N429" -ge 1
check_eq "every request either stored or refused with 429" "$((N201 + N429))" 60
check_eq "the rows are exactly the 201s" "$(cases_rows "$CASES")" "$((5 + N201))"
R429=$(grep -l '^HTTP/1.1 429' "$T"/in/rate*.hdr | head -n 1)
R429=$(basename "${R429:-none}" .hdr)
check_eq "the 429 is problem+json with Retry-After" \
	"$(in_header "$R429" Content-Type) $(in_header "$R429" Retry-After) $(in_json "$R429" 'j["status"]')" \
	"application/problem+json 1 429"
TOTAL=$(cases_rows "$CASES")

# --- /live and its events -------------------------------------------------
curl -s -o "$T/live.html" "$PORTAL_URL/live"
check_contains "/live shows the total" "$T/live.html" "<dd id=\"live-total\">$TOTAL</dd>"
check_contains "/live shows the top area" "$T/live.html" "Guatemala City"
check_contains "/live draws the donut" "$T/live.html" 'class="slice"'
check_contains "/live refreshes itself without script" "$T/live.html" '<noscript><meta http-equiv="refresh"'
# sse_ids FILE: the last_id of every event in an EventSource capture.
sse_ids() { /usr/bin/python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line.startswith("data: "):
        try:
            print(json.loads(line[6:])["last_id"])
        except ValueError:
            pass
PY
}
sse_has() { sse_ids "$1" 2>/dev/null | grep -qx "$2"; }
check "the subscriber got the last commit's event" wait_until 10 sse_has "$T/sse1.out" "$TOTAL"
# Two workers publish from threads of their own: their events may cross
# by a few milliseconds (clients keep the highest last_id, live.js does).
check_eq "every event names a stored case, none beyond" \
	"$(sse_ids "$T/sse1.out" | awk -v t="$TOTAL" '$1 < 1 || $1 > t' | wc -l)" 0
check "more than one event: commits are published as they come" \
	test "$(sse_ids "$T/sse1.out" | sort -u | wc -l)" -gt 1
# The event id nchan gave that commit, for Last-Event-ID.
EVID=$(/usr/bin/python3 - "$T/sse1.out" "$TOTAL" <<'PY'
import json, sys
eid = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("id: "):
        eid = line[4:].strip()
    elif line.startswith("data: ") and json.loads(line[6:])["last_id"] == int(sys.argv[2]):
        print(eid)
PY
)
check "the event has an id" test -n "$EVID"
# Two commits while this client is away (the first one stays, for
# reference), then it resumes after $EVID.
post gap1 "$ONE"
post gap2 "$ONE"
check "the staying client got the newest commit" wait_until 10 sse_has "$T/sse1.out" "$((TOTAL + 2))"
check "the last channel's subscriber got it too" wait_until 10 sse_has "$T/sse5.out" "$((TOTAL + 2))"
check "a bad shard subscribes to channel 0, and got it" wait_until 10 sse_has "$T/ssex.out" "$((TOTAL + 2))"
check_eq "the last channel's events name stored cases only" \
	"$(sse_ids "$T/sse5.out" | awk -v t="$((TOTAL + 2))" '$1 < 1 || $1 > t' | wc -l)" 0
curl -s -N --max-time 30 -H "Accept: text/event-stream" -H "Last-Event-ID: $EVID" "$PORTAL_URL/live/events" >"$T/sse2.out" &
SSE2=$!
check "a client resuming with Last-Event-ID gets the newest commit" \
	wait_until 10 sse_has "$T/sse2.out" "$((TOTAL + 2))"
after() { sse_ids "$1" | awk -v t="$TOTAL" '$1 > t'; }
check_eq "... and every event since its last one: it missed nothing" \
	"$(after "$T/sse2.out" | tr '\n' ' ')" "$(after "$T/sse1.out" | tr '\n' ' ')"
check "... and nothing it had seen" sh -c "! grep -q '\"last_id\":$TOTAL,' '$T/sse2.out'"
kill "$SSE1" "$SSE5" "$SSEX" 2>/dev/null
kill "$SSE2" 2>/dev/null

# --- privacy: no name anywhere public -------------------------------------
curl -s -o "$T/pub.live" "$PORTAL_URL/live"
curl -s -o "$T/pub.home" "$PORTAL_URL/"
curl -s -o "$T/pub.csv" "$PORTAL_URL/export.csv?level=country"
for f in sse1.out sse2.out sse5.out pub.live pub.home pub.csv; do
	check_not_contains "no name in $f" "$T/$f" "$NAME1"
	check_not_contains "no name in $f (2)" "$T/$f" "$NAME2"
done
check_not_contains "the log names no token" "$T/portal/nginx-access.log" "$WTOKEN"
check_not_contains "the intake's log names no token" "$T/portal/intake.log" "$WTOKEN"

# --- /metrics: the intake's answers by status, from the shared counters ---
curl -s -o "$T/metrics.txt" "$PORTAL_URL/metrics"
check "/metrics counts the intake's 201s" \
	grep -qE '^covid_http_requests_total\{program="intake",route="/api/",status="201"\} [1-9]' "$T/metrics.txt"
check "/metrics counts its refusals by status (400)" \
	grep -qE '^covid_http_requests_total\{program="intake",route="/api/",status="400"\} [1-9]' "$T/metrics.txt"
# The writers' commits: as many requests in them as 201s (every POST here
# stored new cases or was refused before its transaction, but replays and
# key conflicts, which commit nothing new, are transactions too).
commits=$(sed -n 's/^covid_intake_commit_requests_count //p' "$T/metrics.txt")
in_commits=$(sed -n 's/^covid_intake_commit_requests_sum //p' "$T/metrics.txt")
created=$(sed -n 's/^covid_http_requests_total{program="intake",route="\/api\/",status="201"} //p' "$T/metrics.txt")
check "/metrics counts the intake's commits (${commits:-none}, ${in_commits:-none} requests in them)" \
	test "${commits:-0}" -ge 1 -a "${in_commits:-0}" -ge "${commits:-1}"
check "every 201 was in a commit (${created:-none} 201s)" \
	test "${in_commits:-0}" -ge "${created:-1}"
check "the commits' durations are a histogram as long as their count" \
	grep -qE "^covid_intake_commit_duration_seconds_bucket\{le=\"\+Inf\"\} ${commits:-x}\$" "$T/metrics.txt"

stop_intake
stop_portal
