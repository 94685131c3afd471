# portal_map: /map through real nginx and spawn-fcgi on the sample loaded
# by covid-ingest. What is drawn is checked against what the CSV files and
# the committed geometry say, never against the program's own output: the
# countries JHU reports on a date (its daily report, joined to ISO3 codes
# through JHU's lookup table) that have a polygon are filled, every other
# polygon shows the no-data pattern; the colours never get lighter as the
# value grows; the SVG is well-formed XML with a viewBox; hostile names are
# escaped; bad keys are a 400 saying which; a date without data is a 200
# saying so. Also: the committed data/geo/world.tsv is what tools/geo_build.c
# makes from ../shared/data/geo (when that is there).
source "$(dirname "$0")/../lib.sh"
EXPECT="/usr/bin/python3 $ROOT/tests/e2e/portal_expect.py"
DAILY=$SAMPLE/csse_covid_19_daily_reports
LOOKUP=$SAMPLE/UID_ISO_FIPS_LookUp_Table.csv
GEO=$ROOT/data/geo/world.tsv
NE=$ROOT/../shared/data/geo/ne_110m_admin_0_countries.json
DB=$T/covid.db

# The geometry: made again from the sources, byte for byte the committed files.
if [ -f "$NE" ]; then
	BUILD_DIR=${BUILD:-build/asan}
	if make -s --no-print-directory -C "$ROOT" SAN=1 BUILD="$BUILD_DIR" \
	    OUT="$OUT" "$BUILD_DIR/tools/geo_build" >"$T/geo-make.log" 2>&1; then
		for m in world:world:ne_110m_admin_0_countries.json \
		    states:us_states:ne_110m_admin_1_states_provinces.json \
		    counties:us_counties:us_counties_fips.geojson; do
			IFS=: read -r kind file src <<<"$m"
			if (cd "$ROOT" && "$BUILD_DIR/tools/geo_build" "$kind" "$(dirname "$NE")/$src") \
			    >"$T/$file.tsv" 2>"$T/geo-$kind.log"; then
				check "data/geo/$file.tsv is what tools/geo_build.c makes" \
				    cmp -s "$T/$file.tsv" "$ROOT/data/geo/$file.tsv"
			else
				not_ok "tools/geo_build.c makes $file.tsv"; tail -n 5 "$T/geo-$kind.log" | sed 's/^/#   /'
			fi
		done
	else
		not_ok "tools/geo_build.c builds"; tail -n 5 "$T/geo-make.log" | sed 's/^/#   /'
	fi
else
	ok "data/geo/*.tsv are what tools/geo_build.c makes # SKIP no ../shared/data/geo"
fi

if ! "$INGEST" --db "$DB" --source "file://$DAILY" --from 2020-01-22 \
    --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
start_portal "$DB" || { not_ok "the portal starts"; exit 1; }
ok "the portal starts"

get() { curl -s -o "$T/$1" -w '%{http_code}' "$PORTAL_URL$2"; }

# The reader of the page (Python, test side): the map's <svg>, its areas,
# and what the sample's files expect on a date.
cat > "$T/map.py" <<'PY'
import csv, html.parser, re, sys

def svg(page):
    s = open(page, encoding="utf-8").read()
    a = s.find('<svg xmlns="http://www.w3.org/2000/svg" class="map"')
    b = s.find("</svg>", a)
    return s[a:b + 6] if a >= 0 and b > a else ""

class Areas(html.parser.HTMLParser):
    """Each <path data-code> of the map: code, class, fill, its <title>."""
    def __init__(self):
        super().__init__(); self.areas = []; self.cur = None; self.intitle = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "path" and "data-code" in a:
            self.cur = {"code": a["data-code"], "class": a.get("class", ""),
                        "fill": a.get("fill", ""), "title": ""}
            self.areas.append(self.cur)
        elif tag == "title" and self.cur is not None:
            self.intitle = True
    def handle_endtag(self, tag):
        if tag == "title": self.intitle = False
        if tag == "path": self.cur = None
    def handle_data(self, d):
        if self.intitle and self.cur is not None: self.cur["title"] += d

def areas(page):
    p = Areas(); p.feed(svg(page)); return p.areas

def polygons():
    return {l.split("\t")[0] for l in open(sys.argv[2], encoding="utf-8")
            if l.strip() and not l.startswith("#")}

def expected(day, lookup):
    """ISO3 codes of the countries with a confirmed count on day, through
    JHU's lookup table (country rows): in the daily report of day, or in
    JHU's global time series (which the ingest loads beside it; a country
    with provinces there is the sum of its rows)."""
    iso = {}
    for r in csv.DictReader(open(lookup, encoding="utf-8-sig")):
        if not r["Province_State"] and not r["Admin2"] and r["iso3"]:
            iso[r["Country_Region"]] = r["iso3"]
    y, m, d = day.split("-")
    codes = set()
    for r in csv.DictReader(open(f"{sys.argv[4]}/{m}-{d}-{y}.csv", encoding="utf-8-sig")):
        c = r.get("Country_Region") or r.get("Country/Region")
        if c in iso and (r.get("Confirmed") or "").strip():
            codes.add(iso[c])
    col = f"{int(m)}/{int(d)}/{y[2:]}"
    ts = f"{sys.argv[4]}/../csse_covid_19_time_series/time_series_covid19_confirmed_global.csv"
    for r in csv.DictReader(open(ts, encoding="utf-8-sig")):
        c = r["Country/Region"]
        if c in iso and (r.get(col) or "").strip():
            codes.add(iso[c])
    return codes

def lum(h):
    return 0.2126 * int(h[1:3], 16) + 0.7152 * int(h[3:5], 16) + 0.0722 * int(h[5:7], 16)

def png_colours(path):
    """The set of "#rrggbb" colours in a PNG's pixels (8-bit RGB or RGBA),
    decoded with zlib and the five PNG row filters."""
    import struct, zlib
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * bpp
    prev, seen = bytearray(stride), set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            seen.add("#%02x%02x%02x" % tuple(line[x:x + 3]))
        prev = line
    return seen

cmd, page = sys.argv[1], sys.argv[3] if len(sys.argv) > 3 else None
if cmd == "svg":
    sys.stdout.write(svg(sys.argv[2]))
elif cmd == "coverage":   # coverage GEO PAGE DAILY DAY LOOKUP
    want = expected(sys.argv[5], sys.argv[6]); poly = polygons(); got = areas(page)
    seen = [a["code"] for a in got]
    if sorted(seen) != sorted(poly): print("polygons drawn:", len(seen), "in the file:", len(poly))
    for a in got:
        filled = a["fill"].startswith("#") and a["class"].startswith("area b")
        nodata = a["fill"] == "url(#nodata)"
        if a["code"] in want and not filled: print("not filled:", a["code"], a["fill"])
        if a["code"] not in want and not nodata: print("not the pattern:", a["code"], a["fill"])
elif cmd == "rendered":   # rendered PNG PAGE: the fills drawn are on screen
    want = {a["fill"] for a in areas(page) if a["fill"].startswith("#")}
    seen = png_colours(sys.argv[2])
    missing = sorted(want - seen)
    if len(want) < 4 or missing: print("fills used:", sorted(want), "not on screen:", missing)
elif cmd == "monotone":   # monotone GEO PAGE: values from the titles
    pts = []
    for a in areas(page):
        if a["fill"].startswith("#"):
            m = re.search(r": ([-0-9.,]+)%? \(", a["title"])
            if not m: print("no value in", a["title"]); continue
            pts.append((float(m.group(1).replace(",", "")),
                        int(a["class"].split(" b")[1]), lum(a["fill"]), a["code"]))
    if len(pts) < 50: print("only", len(pts), "areas filled")
    if len({p[1] for p in pts}) < 3: print("fewer than 3 bins used")
    pts.sort()
    for lo, hi in zip(pts, pts[1:]):
        if hi[0] > lo[0] and (hi[1] < lo[1] or hi[2] > lo[2]):
            print("higher value, lighter colour:", lo, hi)
PY
MAPPY="/usr/bin/python3 $T/map.py"

# page NAME PATH: 200, a well-formed <svg> with a viewBox.
page() {
	check_eq "$1: 200" "$(get "$1" "$2")" 200
	$MAPPY svg "$T/$1" > "$T/$1.svg"
	check "$1: the map's <svg> is well-formed XML" xmllint --noout "$T/$1.svg"
	check_contains "$1: the <svg> has a viewBox" "$T/$1.svg" 'viewBox="0 0 960 '
}

page newest /map
check_contains "newest: the newest date by default" "$T/newest" 'value="2023-03-09"'
check_contains "newest: Natural Earth credited" "$T/newest" "Made with Natural Earth"
check_contains "newest: the legend explains the pattern" "$T/newest" 'fill="url(#nodata)" stroke="#666" stroke-width="0.5"/></svg> No data'
check_contains "newest: a cruise ship is listed as not on the map" "$T/newest" ">Diamond Princess</a>"
for day in 2021-01-01 2021-10-28 2023-03-09; do
	page "map-$day" "/map?metric=confirmed&date=$day"
	check_eq "$day: every country with data and a polygon filled, every other polygon the pattern" \
	    "$($MAPPY coverage "$GEO" "$T/map-$day" "$DAILY" "$day" "$LOOKUP" 2>&1 | head -5)" ""
	check_eq "$day: colours never lighter for a higher value (confirmed)" \
	    "$($MAPPY monotone "$GEO" "$T/map-$day" 2>&1 | head -5)" ""
done
for metric in deaths_per_100k cfr new_per_100k_7d; do
	page "map-$metric" "/map?metric=$metric&date=2021-10-28"
	check_eq "$metric: colours never lighter for a higher value" \
	    "$($MAPPY monotone "$GEO" "$T/map-$metric" 2>&1 | head -5)" ""
done
# A real browser draws it: headless Chromium's screenshot holds every fill
# colour the page's areas use (the pixels, decoded), and its DOM the areas.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	not_ok "chromium is installed (apt-get install chromium)"
else
	chrome() {
		timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		    --no-first-run --disable-background-networking --disable-sync \
		    --force-color-profile=srgb --user-data-dir="$T/chrome" "$@" 2>>"$T/chrome.log"
	}
	chrome --screenshot="$T/map.png" --window-size=1280,1400 \
	    "$PORTAL_URL/map?metric=confirmed&date=2021-10-28" >/dev/null
	if [ -s "$T/map.png" ]; then
		check_eq "chromium: every fill colour of the map is on the screenshot" \
		    "$($MAPPY rendered "$T/map.png" "$T/map-2021-10-28" 2>&1 | head -3)" ""
	else
		not_ok "chromium: a screenshot of /map"; tail -5 "$T/chrome.log" | sed 's/^/#   /'
	fi
	chrome --dump-dom "$PORTAL_URL/map?metric=confirmed&date=2021-10-28" > "$T/map.dom"
	check_contains "chromium: the areas are in the DOM" "$T/map.dom" 'data-code="FRA" class="area b'
fi

# The same figure as the dashboard's table (the same statement).
US_DASH=$($EXPECT table "$T/newest" places 2>/dev/null | awk -F'|' '$1 == "US" { print $2; exit }')
get dash / >/dev/null
US_DASH=$($EXPECT table "$T/dash" places | awk -F'|' '$1 == "US" { print $2; exit }')
US_MAP=$($EXPECT table "$T/newest" map-values | awk -F'|' '$1 == "US" { print $2; exit }')
check "the US's confirmed count as on the dashboard ($US_DASH)" [ -n "$US_DASH" ]
check_eq "the map's table agrees with the dashboard's" "$US_MAP" "$US_DASH"

# Bad keys: a 400 naming the key; a date without data: a 200 saying so.
check_eq "bad metric: 400" "$(get badm '/map?metric=cases')" 400
check_contains "bad metric: says which" "$T/badm" "“metric”"
check_eq "bad date: 400" "$(get badd '/map?date=2021-02-30')" 400
check_contains "bad date: says which" "$T/badd" "“date”"
check_eq "a date without data: 200" "$(get nodata '/map?date=2019-06-01')" 200
check_contains "a date without data: says so" "$T/nodata" "No country has figures on"
check_not_contains "a date without data: no empty map" "$T/nodata" 'class="map"'

# Hostile names (tests/fixtures/hostile): escaped in the table, never raw.
stop_portal
HDB=$T/hostile.db
if ! "$INGEST" --db "$HDB" --source "file://$ROOT/tests/fixtures/hostile/csse_covid_19_daily_reports" \
    --lookup "file://$LOOKUP" --from 2023-03-09 --to 2023-03-09 2>"$T/ingest-h.log"; then
	not_ok "the hostile fixture loads"; exit 1
fi
start_portal "$HDB" || { not_ok "the portal starts on the hostile fixture"; exit 1; }
page hostile /map
check_contains "hostile: the country's name escaped" "$T/hostile" "&lt;svg/onload=alert(3)&gt; &amp; &#39;Co&#39;"
check_not_contains "hostile: no raw <svg/onload" "$T/hostile" "<svg/onload"
check_not_contains "hostile: no raw <script>alert" "$T/hostile" "<script>alert"
check_eq "hostile: no element that runs script" \
	"$($EXPECT unsafe "$T/hostile" || echo "the HTML reader failed ($?)")" ""

# Without its geometry (a file that is not there, or one that does not
# parse) /map is a 503 saying so, and the rest of the portal runs.
stop_portal
printf '# viewBox 0 0 10 10\nfra\tM1 1z\n' > "$T/broken.tsv"
for geo in "$T/missing.tsv" "$T/broken.tsv"; do
	name=$(basename "$geo" .tsv)
	COVID_GEO=$geo start_portal "$HDB" || { not_ok "the portal starts without geometry ($name)"; continue; }
	check_eq "$name geometry: /map is a 503" "$(get "geo-$name" /map)" 503
	check_contains "$name geometry: says why" "$T/geo-$name" "geometry"
	check_eq "$name geometry: the dashboard still answers" "$(get "dash-$name" /)" 200
	stop_portal
done
