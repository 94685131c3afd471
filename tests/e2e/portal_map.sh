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
		    counties:us_counties:us_counties_fips.geojson \
		    counties-whole:us_counties_whole:us_counties_fips.geojson; do
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
    """Each <path data-code> of the map: code, class and fill (its own, or
    those of the <g> with a fill around it), its <title>."""
    def __init__(self):
        super().__init__(); self.areas = []; self.cur = None; self.intitle = False
        self.group = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "g" and "fill" in a:
            self.group = a
        elif tag == "path" and "data-code" in a:
            self.cur = {"code": a["data-code"],
                        "class": a.get("class", self.group.get("class", "")),
                        "fill": a.get("fill", self.group.get("fill", "")), "title": ""}
            self.areas.append(self.cur)
        elif tag == "title" and self.cur is not None:
            self.intitle = True
    def handle_endtag(self, tag):
        if tag == "title": self.intitle = False
        if tag == "path": self.cur = None
        if tag == "g": self.group = {}
    def handle_data(self, d):
        if self.intitle and self.cur is not None: self.cur["title"] += d

def areas(page):
    p = Areas(); p.feed(svg(page)); return p.areas

def polygons(prefix=""):
    return {l.split("\t")[0] for l in open(sys.argv[2], encoding="utf-8")
            if l.strip() and not l.startswith("#") and l.startswith(prefix)}

def expected(day, lookup):
    """ISO3 codes of the countries with a confirmed count on day, through
    JHU's lookup table (country rows): in the daily report of day, or in
    JHU's global time series (which the ingest loads beside it; a country
    with provinces there is the sum of its rows)."""
    iso = {}
    for r in csv.DictReader(open(lookup, encoding="utf-8-sig")):
        if not r["Province_State"] and not r["Admin2"] and r["iso3"]:
            iso[r["Country_Region"]] = r["iso3"]
    # The one place the exceptions table gives a code JHU's table lacks.
    iso.setdefault("Korea, North", "PRK")
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

def pad(f, n):
    """JHU's FIPS ("1001", "1001.0") as n digits; None when not a number."""
    try: return str(int(float(f))).zfill(n)
    except ValueError: return None

def expected_us(day, lookup, level):
    """US codes with a confirmed count on day: counties by their 5-digit
    FIPS, states by the lookup table's FIPS of their Province_State; from
    the daily report of day and JHU's US time series."""
    state = {}
    for r in csv.DictReader(open(lookup, encoding="utf-8-sig")):
        if r["Country_Region"] == "US" and r["Province_State"] and not r["Admin2"] and r["FIPS"]:
            state[r["Province_State"]] = pad(r["FIPS"], 2)
    def code(r):
        if level == "states": return state.get(r.get("Province_State"))
        return pad(r["FIPS"], 5) if r.get("Admin2") and r.get("FIPS") else None
    y, m, d = day.split("-")
    codes = set()
    for r in csv.DictReader(open(f"{sys.argv[4]}/{m}-{d}-{y}.csv", encoding="utf-8-sig")):
        if r.get("Country_Region") == "US" and (r.get("Confirmed") or "").strip() and code(r):
            codes.add(code(r))
    col = f"{int(m)}/{int(d)}/{y[2:]}"
    ts = f"{sys.argv[4]}/../csse_covid_19_time_series/time_series_covid19_confirmed_US.csv"
    for r in csv.DictReader(open(ts, encoding="utf-8-sig")):
        if (r.get(col) or "").strip() and code(r):
            codes.add(code(r))
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
elif cmd == "group":   # group PAGE CODE: the class and fill CODE is drawn with
    for a in areas(sys.argv[2]):
        if a["code"] == sys.argv[3]: print(a["class"], a["fill"])
elif cmd == "coloured":   # coloured PAGE: the codes in a bin's colour
    for a in areas(sys.argv[2]):
        if re.fullmatch(r"b[0-9]", a["class"]): print(a["code"])
elif cmd == "coverage":   # coverage GEO PAGE DAILY DAY LOOKUP
    want = expected(sys.argv[5], sys.argv[6]); poly = polygons(); got = areas(page)
    seen = [a["code"] for a in got]
    if sorted(seen) != sorted(poly): print("polygons drawn:", len(seen), "in the file:", len(poly))
    for a in got:
        filled = a["fill"].startswith("#") and re.fullmatch(r"b[0-9]", a["class"])
        nodata = a["fill"] == "url(#nodata)"
        if a["code"] in want and not filled: print("not filled:", a["code"], a["fill"])
        if a["code"] not in want and not nodata: print("not the pattern:", a["code"], a["fill"])
elif cmd == "coverage_us":   # coverage_us GEO PAGE DAILY DAY LOOKUP states|counties PREFIX
    want = expected_us(sys.argv[5], sys.argv[6], sys.argv[7])
    prefix = sys.argv[8] if len(sys.argv) > 8 else ""
    poly = polygons(prefix); got = areas(page)
    seen = [a["code"] for a in got]
    if sorted(seen) != sorted(poly): print("polygons drawn:", len(seen), "in the file:", len(poly))
    if len(want & poly) < 0.5 * len(poly): print("only", len(want & poly), "of", len(poly), "expected filled")
    for a in got:
        filled = a["fill"].startswith("#") and re.fullmatch(r"b[0-9]", a["class"])
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
                        int(a["class"][1:]), lum(a["fill"]), a["code"]))
    if len(pts) < int(sys.argv[4] if len(sys.argv) > 4 else 50): print("only", len(pts), "areas filled")
    if len({p[1] for p in pts}) < 3: print("fewer than 3 bins used")
    pts.sort()
    for lo, hi in zip(pts, pts[1:]):
        if hi[0] > lo[0] and (hi[1] < lo[1] or hi[2] > lo[2]):
            print("higher value, lighter colour:", lo, hi)
PY
MAPPY="/usr/bin/python3 $T/map.py"

# page NAME PATH [VIEWBOX]: 200, a well-formed <svg> with a viewBox (by
# default the whole map's, 960 pixels wide in its geometry's unit: halves
# of a pixel for the world and the states, tenths for the counties).
page() {
	check_eq "$1: 200" "$(get "$1" "$2")" 200
	$MAPPY svg "$T/$1" > "$T/$1.svg"
	check "$1: the map's <svg> is well-formed XML" xmllint --noout "$T/$1.svg"
	check_contains "$1: the <svg> has a viewBox" "$T/$1.svg" "${3:-viewBox=\"0 0 1920 }"
}

page newest /map
check_contains "newest: the newest date by default" "$T/newest" 'value="2023-03-09"'
check_contains "newest: Natural Earth credited" "$T/newest" "Made with Natural Earth"
check_contains "newest: the legend explains the pattern" "$T/newest" 'fill="url(#nodata)" stroke="#666" stroke-width="0.5"/></svg> No data'
check_contains "newest: a cruise ship is listed as not on the map" "$T/newest" ">Diamond Princess</a>"
# The optional play button: a script file (no inline script) that steps to
# the link marked rel="next", the day after; none on the newest date.
check_contains "the play script is loaded from static/" "$T/newest" '<script src="/static/map-play.js" defer></script>'
check "static/map-play.js is there" test -s "$ROOT/static/map-play.js"
check_not_contains "newest: no day after" "$T/newest" 'rel="next"'
check_eq "2021-01-01: the day after is rel=next" "$(get next '/map/us?date=2021-01-01' >/dev/null
	grep -o '<a href="[^"]*" rel="next">A day forward' "$T/next")" \
	'<a href="/map/us?metric=confirmed&amp;date=2021-01-02" rel="next">A day forward'

for day in 2021-01-01 2021-10-28 2023-03-09; do
	page "map-$day" "/map?metric=confirmed&date=$day"
	check_eq "$day: every country with data and a polygon filled, every other polygon the pattern" \
	    "$($MAPPY coverage "$GEO" "$T/map-$day" "$DAILY" "$day" "$LOOKUP" 2>&1 | head -5)" ""
	check_eq "$day: colours never lighter for a higher value (confirmed)" \
	    "$($MAPPY monotone "$GEO" "$T/map-$day" 2>&1 | head -5)" ""
done
for metric in deaths_per_100k cfr new_per_100k_7d; do
	page "map-$metric" "/map?metric=$metric&date=2021-10-28"
	# The same date drawn again for another metric: never the last one's map.
	case $metric in
	deaths_per_100k) label="Deaths per 100,000 people" ;;
	cfr) label="Case-fatality ratio" ;;
	*) label="New cases per 100,000 people, 7-day average" ;;
	esac
	check_contains "$metric: the map drawn is of this metric" "$T/map-$metric.svg" \
	    "<title id=\"map-title\">$label by country, 28 October 2021</title>"
	check_eq "$metric: colours never lighter for a higher value" \
	    "$($MAPPY monotone "$GEO" "$T/map-$metric" 2>&1 | head -5)" ""
done
# The table below the map is kept by each worker for the last metric and
# order drawn: asked in turn in other orders and for another metric (three
# rounds, so each of the two workers gets repeats), every answer is in the
# order and of the metric asked, and the same request the same table.
tbl() { $EXPECT table "$T/$1" map-values; }
for round in 1 2 3; do
	get "tv$round" '/map?metric=confirmed&date=2021-10-28' >/dev/null
	get "tn$round" '/map?metric=confirmed&date=2021-10-28&sort=name&order=asc' >/dev/null
	get "tz$round" '/map?metric=confirmed&date=2021-10-28&sort=name&order=desc' >/dev/null
	get "tc$round" '/map?metric=cfr&date=2021-10-28&order=asc' >/dev/null
done
for round in 1 2 3; do
	check_eq "table round $round: by value, highest first" \
	    "$(tbl "tv$round" | cut -d'|' -f2 | tr -d , | sort -rn -c 2>&1 && tbl "tv$round" | wc -l)" \
	    "$(tbl tv1 | wc -l)"
	check_eq "table round $round: by name, A to Z" \
	    "$(tbl "tn$round" | cut -d'|' -f1 | LC_ALL=C sort -c 2>&1 && tbl "tn$round" | wc -l)" \
	    "$(tbl tv1 | wc -l)"
	check_eq "table round $round: by name, Z to A" \
	    "$(tbl "tz$round" | cut -d'|' -f1 | LC_ALL=C sort -r -c 2>&1 && tbl "tz$round" | wc -l)" \
	    "$(tbl tv1 | wc -l)"
	check_eq "table round $round: the case-fatality ratio, lowest first, each a percentage" \
	    "$(tbl "tc$round" | cut -d'|' -f2 | grep -v '%$'; tbl "tc$round" | cut -d'|' -f2 | tr -d '%' | sort -n -c 2>&1)" ""
	check "table round $round: the same request, the same table" cmp -s <(tbl tv1) <(tbl "tv$round")
done
check "the tables have rows ($(tbl tv1 | wc -l))" test "$(tbl tv1 | wc -l)" -gt 150
# The dashboard's table component: the sorted column says so (aria-sort),
# and its heading's link flips the order.
check_contains "the values table is the dashboard's component: sorted by name, A to Z" "$T/tn1" \
    '<th scope="col" class="name" aria-sort="ascending"><a href="?metric=confirmed&amp;date=2021-10-28&amp;sort=name&amp;order=desc"'
check_contains "... the value's column not sorted, its link largest first" "$T/tn1" \
    '<th scope="col" class="num" aria-sort="none"><a href="?metric=confirmed&amp;date=2021-10-28&amp;order=desc"'

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
	$MAPPY group "$T/map.dom" FRA > "$T/map.dom.fra"
	check "chromium: the areas are in the DOM (France in a bin's colour)" \
	    grep -Eqx 'b[0-9] #[0-9a-f]{6}' "$T/map.dom.fra"
	check_contains "chromium: map-play.js ran under the CSP (its button)" "$T/map.dom" 'class="map-play"'
fi

# The US maps: states and counties joined on FIPS, every area with data
# filled and every other the pattern, at dates from the first county rows
# to the last; a state's counties zoomed; colours monotone.
STATES=$ROOT/data/geo/us_states.tsv
COUNTIES=$ROOT/data/geo/us_counties.tsv
WHOLE=$ROOT/data/geo/us_counties_whole.tsv
check_eq "the national county map's outlines (halves of a pixel) have the zoomable file's areas, in order" \
    "$(grep -v '^#' "$WHOLE" | cut -f1 | md5sum)" "$(grep -v '^#' "$COUNTIES" | cut -f1 | md5sum)"
for day in 2020-03-22 2021-01-01 2023-03-09; do
	page "us-$day" "/map/us?metric=confirmed&date=$day"
	check_eq "us $day: every state with data filled, every other the pattern" \
	    "$($MAPPY coverage_us "$STATES" "$T/us-$day" "$DAILY" "$day" "$LOOKUP" states 2>&1 | head -5)" ""
	page "usc-$day" "/map/us/counties?metric=confirmed&date=$day" 'viewBox="0 0 1920 '
	check_eq "us counties $day: every county with data filled, every other the pattern" \
	    "$($MAPPY coverage_us "$WHOLE" "$T/usc-$day" "$DAILY" "$day" "$LOOKUP" counties 2>&1 | head -5)" ""
done
for day in 2021-01-01 2023-03-09; do
	check_eq "us $day: colours never lighter for a higher value" \
	    "$($MAPPY monotone "$STATES" "$T/us-$day" 40 2>&1 | head -5)" ""
	check_eq "us counties $day: colours never lighter for a higher value" \
	    "$($MAPPY monotone "$WHOLE" "$T/usc-$day" 2000 2>&1 | head -5)" ""
done
# (the sample's US time series ends on 2020-07-27: a week before 2021-10-28
# is in neither product, so the 7-day average is drawn on 2020-06-07)
for metric in deaths_per_100k:2021-10-28 new_per_100k_7d:2020-06-07 cfr:2021-10-28; do
	day=${metric#*:} metric=${metric%:*}
	page "usc-$metric" "/map/us/counties?metric=$metric&date=$day" 'viewBox="0 0 1920 '
	check_eq "us counties $metric: colours never lighter for a higher value" \
	    "$($MAPPY monotone "$WHOLE" "$T/usc-$metric" 1000 2>&1 | head -5)" ""
	page "us-$metric" "/map/us?metric=$metric&date=$day"
	check_eq "us $metric: colours never lighter for a higher value" \
	    "$($MAPPY monotone "$STATES" "$T/us-$metric" 40 2>&1 | head -5)" ""
done
page ny "/map/us/new-york?date=2021-01-01" 'viewBox="'
check_eq "new york: its counties only, each with data filled" \
    "$($MAPPY coverage_us "$COUNTIES" "$T/ny" "$DAILY" 2021-01-01 "$LOOKUP" counties 36 2>&1 | head -5)" ""
NY_W=$(sed -n 's/^<svg [^>]*class="map" viewBox="[0-9.]* [0-9.]* \([0-9]*\)[. ].*/\1/p' "$T/ny.svg")
check "new york: zoomed (a viewBox under a fifth of the country's 9600 wide: $NY_W)" \
    test "${NY_W:-9600}" -lt 1920
check_contains "new york: the heading names the state" "$T/ny" "<h1>New York: counties</h1>"
# Not on the map: each JHU place not drawn, with the exceptions table's reason.
check_contains "us counties 2020-03-22: New York City's own row listed, not drawn" \
    "$T/usc-2020-03-22" ">New York City, New York</a>: 9,654 (JHU&#39;s one row for the five boroughs"
# The whole country's counties carry their states' names (thirty states
# have a Washington County); one state's zoomed map needs no state.
check_contains "us counties: a county's row names its state" \
    "$T/usc-2021-01-01" '<a href="/region/us/alabama/washington">Washington, Alabama</a><td>'
check_contains "us counties: a county's <title> names its state" \
    "$T/usc-2021-01-01" '<title>Washington, Florida: '
check_contains "new york: its counties without the state's name" "$T/ny" '<title>Albany: 
check_contains "us counties 2021-01-01: Unassigned rows listed as such" \
    "$T/usc-2021-01-01" "(&quot;Unassigned&quot;: cases not (yet) assigned to a county)"
check_contains "us 2021-01-01: a cruise ship listed as not on the map" \
    "$T/us-2021-01-01" ">Grand Princess</a>: "
check_contains "us 2021-01-01: a territory listed as not on the map" \
    "$T/us-2021-01-01" ">Puerto Rico</a>: "
check_eq "a place that is not a state: 404" "$(get us-guam /map/us/guam)" 404
check_eq "not a map: 404" "$(get us-nowhere /map/us/nowhere)" 404
check_eq "not the US: 404" "$(get usa /map/usa)" 404
check_eq "us: bad metric 400" "$(get us-badm '/map/us/counties?metric=cases')" 400
check_contains "us: bad metric says which" "$T/us-badm" "“metric”"
check_eq "us: a date without data 200" "$(get us-nodata '/map/us?date=2019-06-01')" 200
check_contains "us: a date without data says so" "$T/us-nodata" "No state has figures on"
check_not_contains "us: a date without data, no empty map" "$T/us-nodata" 'class="map"'
# Region pages' small maps: the US by its states, a state by its counties,
# another country with provinces where it lies; none for a county.
locator() { /usr/bin/python3 -c '
import sys; s = open(sys.argv[1], encoding="utf-8").read()
a = s.find("<figure class=\"locator\">"); b = s.find("</svg>", a)
print(s[s.find("<svg", a):b + 6] if a >= 0 and b > a else "")' "$1"; }
for r in us:51:: us/new-york:62:36: canada:1:CAN:; do
	IFS=: read -r slug n code _ <<<"$r"
	name=region-$(echo "$slug" | tr / -)
	check_eq "$name: 200" "$(get "$name" "/region/$slug")" 200
	locator "$T/$name" > "$T/$name.svg"
	check "$name: a small map, well-formed XML" xmllint --noout "$T/$name.svg"
	if [ "$slug" = canada ]; then
		check_eq "$name: Canada alone coloured on the world" \
		    "$($MAPPY coloured "$T/$name.svg")" CAN
		check_eq "$name: the rest plain, not hatched" "$($MAPPY group "$T/$name.svg" FRA)" "plain #e3e3e3"
		check_not_contains "$name: and not called no data" "$T/$name.svg" '<title>No data</title>'
	else
		check_eq "$name: its $n sub-regions drawn" "$(grep -o 'data-code="'"$code"'[0-9]*"' "$T/$name.svg" | sort -u | wc -l)" "$n"
		check_contains "$name: each a link to its region" "$T/$name.svg" '<a href="/region/'"$slug"'/'
		check_contains "$name: a link to the full map" "$T/$name" '<a href="/map/'
	fi
done
check_eq "a county's page: 200" "$(get region-kings /region/us/new-york/kings)" 200
check_not_contains "a county's page: no small map" "$T/region-kings" '<figure class="locator">'

check_eq "/about: 200" "$(get about /about)" 200
check_contains "/about credits the county outlines" "$T/about" "US Census Bureau's cartographic boundary files"
check_contains "/about credits Natural Earth's states" "$T/about" "Natural Earth's 1:110m Admin 1 states"
check_contains "us counties: the Census credited under the map" "$T/usc-2021-01-01" "Outlines: US Census Bureau"
check "us counties: the page gzip-compressed under 400 kB" \
    test "$(gzip -6 -c "$T/usc-2023-03-09" | wc -c)" -lt 400000
if [ -n "$CHROMIUM" ]; then
	chrome --screenshot="$T/usc.png" --window-size=1280,1400 \
	    "$PORTAL_URL/map/us/counties?metric=confirmed&date=2021-10-28" >/dev/null
	get usc-chrome "/map/us/counties?metric=confirmed&date=2021-10-28" >/dev/null
	if [ -s "$T/usc.png" ]; then
		check_eq "chromium: every fill colour of the county map is on the screenshot" \
		    "$($MAPPY rendered "$T/usc.png" "$T/usc-chrome" 2>&1 | head -3)" ""
	else
		not_ok "chromium: a screenshot of /map/us/counties"
	fi
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
# The whole country's map names the county's state after it, a state's
# zoomed map does not.
for path in /map/us/counties /map/us/new-york; do
	name=hostile$(echo "$path" | tr / -)
	state=; [ "$path" = /map/us/counties ] && state=", New York"
	page "$name" "$path" 'viewBox="'
	check_contains "$name: the county's name escaped in its <title>" "$T/$name.svg" \
	    "<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;$state: 963,672"
	check_contains "$name: and in the table" "$T/$name" \
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;$state</a><td>963,672"
	check_not_contains "$name: no raw <img" "$T/$name" "<img src=x"
	check_eq "$name: no element that runs script" \
	    "$($EXPECT unsafe "$T/$name" || echo "the HTML reader failed ($?)")" ""
done

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
