# portal_browser: a real browser (Debian's headless Chromium) loads the
# dashboard and a region page through nginx. The screenshots must not be
# blank (decoded here with zlib: the PNG's pixels, not its size), the SVG
# charts must be in the rendered DOM, and static/search.js must have run
# under the Content-Security-Policy (it marks the search box a combobox).
# The policy itself is put to the test: the header the portal sends, on a
# page of the test's own with an inline script and an external one, must
# stop the inline one in Chromium (and Chromium must say so in its log,
# where the portal's own pages must then show no violation).
source "$(dirname "$0")/../lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	not_ok "chromium is installed (apt-get install chromium)"; exit 1
fi
DB=$T/covid.db
if ! "$INGEST" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2020-01-22 --to 2023-03-09 --skip-missing 2>"$T/ingest.log"; then
	not_ok "the sample loads"; tail -5 "$T/ingest.log" | sed 's/^/#   /'; exit 1
fi
# A run that fails, so /status lists a failed file (a long file:// URL).
"$INGEST" --db "$DB" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
    --from 2023-03-10 --to 2023-03-10 2>>"$T/ingest.log"
# The static files as served, with one addition to search.js (the only
# script the CSP lets a page run): it writes the width of every table and
# of the box around it, and of the page, into the DOM that --dump-dom
# prints. Test instrumentation, not part of the portal.
mkdir -p "$T/static"
cp -R "$ROOT/static/." "$T/static/"
cat >>"$T/static/search.js" <<'JS'

/* tests/e2e/portal_browser.sh: widths as laid out, for the test to read. */
(function () {
	var out = [];
	document.querySelectorAll("table").forEach(function (t) {
		out.push((t.id || t.className) + "=" + t.scrollWidth + "/" +
		    t.parentElement.clientWidth);
	});
	document.body.setAttribute("data-table-widths", out.join(" "));
	document.body.setAttribute("data-page-width",
	    document.documentElement.scrollWidth + "/" +
	    document.documentElement.clientWidth);
})();
JS
PORTAL_STATIC=$T/static start_portal "$DB" || { not_ok "the portal starts"; exit 1; }

# chrome ARGS...: headless Chromium; its log (console messages, CSP
# violations among them) appended to $CHROME_LOG.
CHROME_LOG=$T/chrome.log
chrome() {
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$T/chrome" --enable-logging=stderr --v=0 \
	    "$@" 2>>"$CHROME_LOG"
}

# --- The portal's Content-Security-Policy, enforced --------------------------
csp=$(curl -s -D - -o /dev/null "$PORTAL_URL/" | tr -d '\r' |
	sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p')
check "the pages send a Content-Security-Policy ($csp)" test -n "$csp"
mkdir -p "$T/csp"
cat >"$T/csp/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP test</title>
<script src="/external.js"></script></head>
<body><p id="inline">inline: did not run</p><p id="external">external: did not run</p>
<script>document.getElementById("inline").textContent = "inline: " + "ran";</script>
</body></html>
HTML
cat >"$T/csp/external.js" <<'JS'
document.addEventListener("DOMContentLoaded", function () {
	document.getElementById("external").textContent = "external: " + "ran";
});
JS
csp_port=$(free_port)
start_nginx csp "server { listen 127.0.0.1:$csp_port; root $T/csp;
	add_header Content-Security-Policy \"$csp\" always; }"
wait_for_port "$csp_port"
CHROME_LOG=$T/chrome-csp.log chrome --dump-dom "http://127.0.0.1:$csp_port/" >"$T/csp.dom"
check_contains "under the portal's CSP, a script from the site runs" "$T/csp.dom" \
	'<p id="external">external: ran</p>'
check_contains "under the portal's CSP, an inline script does not" "$T/csp.dom" \
	'<p id="inline">inline: did not run</p>'
check_contains "... and Chromium logs the violation" "$T/chrome-csp.log" \
	"violates the following Content Security Policy directive"

# png_report FILE: "WIDTHxHEIGHT COLOURS SHARE" - the distinct colours and
# the share of the commonest one, from the decoded pixels.
png_report() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
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
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
counts = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[i] = (line[i] + pr) & 255
    # Every 4th pixel of every 2nd row is plenty to count colours.
    if y % 2 == 0:
        for x in range(0, stride, 4 * bpp):
            px = bytes(line[x:x + 3])
            counts[px] = counts.get(px, 0) + 1
    prev = line
total = sum(counts.values())
print(f"{w}x{h} {len(counts)} {max(counts.values()) / total:.3f}")
PY
}

for page in "dashboard /" "region /region/us/new-york/kings"; do
	set -- $page
	name=$1 path=$2
	chrome --screenshot="$T/$name.png" --window-size=1280,1600 "$PORTAL_URL$path" >/dev/null
	if [ ! -s "$T/$name.png" ]; then
		not_ok "$name: chromium took a screenshot"; tail -5 "$T/chrome.log" | sed 's/^/#   /'
		continue
	fi
	ok "$name: chromium took a screenshot"
	set -- $(png_report "$T/$name.png")
	check_eq "$name: the screenshot is 1280x1600" "$1" 1280x1600
	check "$name: the screenshot is not blank ($2 colours)" [ "${2:-0}" -ge 16 ]
	check "$name: no colour covers most of it (commonest ${3:-1})" \
	    /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 0.97 else 1)" "${3:-1}"
	chrome --dump-dom "$PORTAL_URL$path" > "$T/$name.dom"
	check_contains "$name: the DOM has the page" "$T/$name.dom" "COVID-19 data portal"
	check_contains "$name: search.js ran under the CSP" "$T/$name.dom" 'role="combobox"'
done
# /status at 1280 px: its tables (the runs' messages, the failed files'
# URLs and reasons are long) fit their boxes, long cells wrapping, and the
# page does not scroll sideways.
chrome --dump-dom --window-size=1280,1600 "$PORTAL_URL/status" > "$T/status.dom"
check_contains "status: the DOM has the page" "$T/status.dom" '<table id="runs" class="log">'
widths() {   # widths ATTRIBUTE: its value on <body>
	/usr/bin/python3 -c '
import re, sys
m = re.search(sys.argv[1] + r"=\"([^\"]*)\"", open(sys.argv[2], encoding="utf-8").read())
print(m.group(1) if m else "")' "$1" "$T/status.dom"
}
fits() { [ -n "$1" ] && [ "${1%/*}" -le "${1#*/}" ]; }   # fits WIDTH/BOX
TW=$(widths data-table-widths)
echo "# status at 1280 px, table=width/box: $TW; page $(widths data-page-width)"
for t in runs failed; do
	w=$(printf '%s\n' $TW | sed -n "s|^$t=||p")
	check "status: the $t table fits its box (${w:-not measured})" fits "$w"
done
w=$(widths data-page-width)
check "status: the page is no wider than the window (${w:-not measured})" fits "$w"
check_eq "dashboard: one SVG chart in the DOM" "$(grep -o '<svg' "$T/dashboard.dom" | wc -l)" 1
check_contains "dashboard: the chart's bars are drawn" "$T/dashboard.dom" 'class="bar s0"'
check_eq "region: four SVG charts in the DOM" "$(grep -o '<svg' "$T/region.dom" | wc -l)" 4
check_contains "region: the charts' lines are drawn" "$T/region.dom" 'class="line s0"'
# The log that showed the test page's violation above, for the portal's
# own pages: none.
if [ ! -s "$T/chrome.log" ]; then
	not_ok "no CSP violations reported (no Chromium log)"
elif grep -qi "Content Security Policy" "$T/chrome.log"; then
	not_ok "no CSP violations reported"; grep -i "Content Security Policy" "$T/chrome.log" | head -3 | sed 's/^/#   /'
else
	ok "no CSP violations reported"
fi
stop_portal
