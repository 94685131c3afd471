#!/bin/bash
# chart_svg_valid: the sample charts that test_chart writes (CHART_SVG_DIR)
# parse as XML with Python's own parser, independently of the C checker in
# the unit test, and hold what an inline SVG in our pages must: the SVG
# namespace, a viewBox matching width and height, role="img" with
# aria-labelledby/-describedby naming its <title>/<desc>, unique ids, no
# script, style attribute or on* handler, no "nan"/"inf", and every drawn
# coordinate inside the viewBox.
source "$(dirname "$0")/../lib.sh"

BUILD=${BUILD:-build/asan}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
bin=$BUILD/tests/test_chart
mkdir -p "$T/svg"

if [ ! -x "$bin" ]; then
	not_ok "test_chart binary missing at $bin (build the unit tests first)"
	exit 1
fi
check "test_chart writes its sample charts" \
	env CHART_SVG_DIR="$T/svg" "$bin" >"$T/unit.log" 2>&1

for name in basic hostile negative gaps daily two_weeks log empty \
    one_point cumulative cumulative_log; do
	check "sample chart $name.svg written" test -s "$T/svg/$name.svg"
done

/usr/bin/python3 - "$T/svg"/*.svg >"$T/py.log" 2>&1 <<'PY'
import re, sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
NUM = r"-?(?:\d+(?:\.\d+)?|\.\d+)"

def check(path):
    svg = ET.parse(path).getroot()          # raises on malformed XML
    if svg.tag != NS + "svg":
        return "root is %s" % svg.tag
    w, h = float(svg.get("width")), float(svg.get("height"))
    if svg.get("viewBox") != "0 0 %d %d" % (w, h):
        return "viewBox %r vs %gx%g" % (svg.get("viewBox"), w, h)
    if svg.get("role") != "img":
        return "role"
    ids = [e.get("id") for e in svg.iter() if e.get("id") is not None]
    if len(ids) != len(set(ids)):
        return "duplicate ids"
    byid = {e.get("id"): e for e in svg.iter() if e.get("id") is not None}
    lab = byid.get(svg.get("aria-labelledby"))
    if lab is None or lab.tag != NS + "title" or list(svg)[0] is not lab:
        return "aria-labelledby does not name the first child <title>"
    if svg.get("aria-describedby") is not None:
        d = byid.get(svg.get("aria-describedby"))
        if d is None or d.tag != NS + "desc":
            return "aria-describedby does not name a <desc>"
    for e in svg.iter():
        if e.tag == NS + "script" or e.tag == NS + "foreignObject":
            return "script element"
        for k, v in e.attrib.items():
            if k == "style" or k.startswith("on") or "javascript:" in v:
                return "attribute %s" % k
            if re.search(r"nan|inf", v, re.I):
                return "nan/inf in %s=%r" % (k, v)
        if e.text and re.search(r"\bnan\b|\binf", e.text, re.I):
            return "nan/inf in text %r" % e.text
        pts = []
        if e.tag == NS + "text" or e.tag == NS + "rect":
            pts.append((float(e.get("x")), float(e.get("y"))))
        if e.tag == NS + "path":
            # Every point the path goes through: M, L, H, V are positions;
            # l, h, v steps from the point before (chart.c writes the long
            # series as steps); z goes back to the subpath's start.
            x = y = sx = sy = 0.0
            for cmd, args in re.findall(r"([MLHVlhvz])([^MLHVlhvz]*)",
                                        e.get("d")):
                vals = [float(v) for v in re.findall(NUM, args)]
                if cmd == "z":
                    x, y = sx, sy
                elif cmd in "ML" or cmd == "l":
                    for i, (a, b) in enumerate(zip(vals[0::2], vals[1::2])):
                        x, y = (x + a, y + b) if cmd == "l" else (a, b)
                        if cmd == "M" and i == 0:
                            sx, sy = x, y
                        pts.append((x, y))
                else:
                    for v in vals:
                        if cmd in "Hh":
                            x = x + v if cmd == "h" else v
                        else:
                            y = y + v if cmd == "v" else v
                        pts.append((x, y))
        for x, y in pts:
            if not (0 <= x <= w and 0 <= y <= h):
                return "point (%g, %g) outside the viewBox" % (x, y)
    return None

for path in sys.argv[1:]:
    try:
        err = check(path)
    except Exception as ex:                 # parse error, missing attribute
        err = "%s: %s" % (type(ex).__name__, ex)
    name = path.rsplit("/", 1)[-1]
    print(("PASS %s" % name) if err is None else ("FAIL %s: %s" % (name, err)))
PY
check "python ran its checks" test "$?" -eq 0
while read -r verdict rest; do
	case "$verdict" in
	PASS) ok "valid SVG: $rest" ;;
	*) not_ok "$verdict $rest" ;;
	esac
done <"$T/py.log"
[ "$(grep -c '^PASS' "$T/py.log")" -ge 11 ] && ok "at least 11 charts validated" ||
	not_ok "fewer than 11 charts validated"
