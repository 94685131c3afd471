# api_hostile: names that are markup, quotes, backslashes, control
# characters or not UTF-8 at all come back from the JSON API as exactly the
# JSON strings they should be: tests/fixtures/hostile's three places
# (loaded by covid-ingest), and one county renamed in the database to bytes
# no CSV file would carry (a newline, a quote, a backslash, a 0xFF byte,
# which must come back as U+FFFD). Through real nginx and spawn-fcgi; every
# response is checked against the OpenAPI document too.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/api_lib.sh"
FIX=$ROOT/tests/fixtures/hostile
DB=$T/hostile.db

if ! "$INGEST" --db "$DB" --source "file://$FIX/csse_covid_19_daily_reports" \
    --lookup "file://$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv" \
    --from 2023-03-09 --to 2023-03-09 2>"$T/ingest.log"; then
	not_ok "the hostile fixture loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
# Bad"<newline>\<0xFF>x: what a broken source could leave in a name.
sqlite3 "$DB" "UPDATE location SET admin2 = CAST(X'4261642210225CFF78' AS TEXT) WHERE admin2 = 'Autauga'"
check_eq "a county now has a name that is not UTF-8" \
    "$(sqlite3 "$DB" "SELECT hex(admin2) FROM location WHERE slug = 'us/alabama/autauga'")" "4261642210225CFF78"
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
start_api "$DB" || { not_ok "the api starts"; exit 1; }

# exact NAME EXPR WANT: EXPR over the body is the Python string WANT, and
# the body is strict UTF-8 with no raw control character.
exact() {
	check_eq "$1: the name, exactly" "$(/usr/bin/python3 -c '
import json, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")          # strict: fails on any invalid byte
assert not any(ord(c) < 0x20 for c in text), "a raw control character"
j = json.loads(text)
print(eval(sys.argv[2]) == eval(sys.argv[3]))' "$T/api/$1.body" "$2" "$3" 2>&1)" True
}

fetch province /api/v1/places "/api/v1/places?q=script"
exact province 'j["places"][0]["name"]' '"<script>alert(1)</script>"'
fetch county /api/v1/places "/api/v1/places?q=onerror"
exact county 'j["places"][0]["name"]' '"\"><img src=x onerror=alert(1)>"'
fetch country /api/v1/countries /api/v1/countries
exact country '[c["name"] for c in j["countries"] if c["name"].startswith("<svg")][0]' \
    "\"<svg/onload=alert(3)> & 'Co'\""
SLUG=$(sqlite3 "$DB" "SELECT slug FROM location WHERE country_region = '<svg/onload=alert(3)> & ''Co''' AND level = 'country'")
fetch country-place "/api/v1/places/{place}" "/api/v1/places/$SLUG"
exact country-place 'j["place"]["name"], j["place"]["url"]' "(\"<svg/onload=alert(3)> & 'Co'\", \"/region/$SLUG\")"
fetch province-reports /api/v1/reports "/api/v1/reports?country=Canada&level=province"
exact province-reports '[r["province"] for r in j["reports"] if "script" in r["province"]]' \
    '["<script>alert(1)</script>"]'
fetch broken-place "/api/v1/places/{place}" /api/v1/places/us/alabama/autauga
check_eq "a county by its slug (three segments)" "$CODE" 200
exact broken-place 'j["place"]["name"], j["parent"]["name"]' '("Bad\"\x10\"\\\ufffdx", "Alabama")'
fetch broken /api/v1/places "/api/v1/places?q=bad&level=county&country=US"
exact broken '[p["name"] for p in j["places"] if p["name"].startswith("Bad")]' \
    '["Bad\"\x10\"\\\ufffdx"]'
fetch broken-reports /api/v1/reports "/api/v1/reports?country=US&province=Alabama&level=county&limit=1"
exact broken-reports 'j["reports"][0]["county"]' '"Bad\"\x10\"\\\ufffdx"'
check_not_contains "the 0xFF byte is not passed through" "$T/api/broken-reports.body" $'\xff'
check_contains "the control character is escaped" "$T/api/broken-reports.body" 'Bad\"\u0010\"\\'
validate
stop_api
stop_portal
