#!/usr/bin/python3
"""portal_expect: what the portal's pages should show, worked out from the
JHU CSV files themselves (not from the database or the program), and small
readers for the HTML the portal sends. Used by tests/e2e/portal_*.sh.

  portal_expect.py place [--series TSDIR] DIR LOOKUP COUNTRY [PROVINCE [ADMIN2]]
      Shell assignments (for eval) of a place's figures as the portal
      formats them: its newest date and the one before, confirmed, deaths,
      new (signed), 7-day average of new cases (AVG, AVG_DEATHS), per 100k,
      and RECENT: the newest 14 rows of its history as
      "date|confirmed|deaths|new|new deaths|7-day avg" lines.
      COUNTRY alone: the whole country (every row of it); "*": the world.
      With --series, the history is JHU's time series in TSDIR where they
      list the place (summed over its rows), then the daily reports dated
      after the series' last day (query.h's rule: new figures against the
      row before in the row's own product, 7-day averages across the
      seam); SOURCE says which: series, series+daily or daily. SINCE is
      how the pages head the new figures (", last day" or " since DATE").
      NDAYS: the rows of the history with a confirmed count (the points of
      a cumulative chart); NAVG: those with a 7-day average of new cases
      (the points of the average's line).
  portal_expect.py charts HTML
      One line per SVG chart of the page: "title|first|last|points|edges":
      the x axis's first and last labels, the days the first data line spans
      in one stroke (the legend's sample left out; "N strokes" when it has
      gaps), and "edges" when those two labels sit
      at the two ends of the axis (else where they and the axis are).
  portal_expect.py order DIR LOOKUP METRIC asc|desc N
      The first N country names sorted as the dashboard sorts them.
  portal_expect.py table HTML CLASS
      Each body row of <table class="CLASS">, its cells joined by "|"
      (the "as of" note after a name left out).
  portal_expect.py text HTML
      The page's visible text (no tags), one line per block, and the
      <title> on a line of its own.
  portal_expect.py formquery HTML ACTION [NAME=VALUE ...]
      The query string the page's <form action=ACTION> submits (as a browser
      encodes it: application/x-www-form-urlencoded, in document order),
      with EVERY option of a multiple <select> selected, checked radios and
      checkboxes, and the text inputs' values (NAME=VALUE sets one).
  portal_expect.py gaps HTML
      Running text with a hole where a value should be: two spaces between
      words, a space before closing punctuation, empty brackets or quotes,
      a block ending in a space or opening with punctuation ("(as of )",
      "through  ·", "last refreshed </p>"). The text of the page and of its
      SVG titles and descriptions, block by block; one offending block per
      line, nothing when there is none.
  portal_expect.py unsafe HTML
      Elements that could run script: any on* attribute, <img>, <iframe>,
      <object>, <embed>, a <script> without src, a javascript: URL. One per
      line; nothing when the page is clean.
"""
import csv
import datetime
import glob
import html.parser
import math
import os
import re
import shlex
import sys

MINUS = "\u2212"


def thousands(v):
    return f"{v:,}"


def delta(v):
    if v is None:
        return ""
    return ("+" if v > 0 else MINUS if v < 0 else "") + thousands(abs(v))


def decimal(v, places):
    s = f"{v:,.{places}f}"
    if s.lstrip("-").replace("0", "").replace(".", "").replace(",", "") == "":
        s = s.lstrip("-")
    return s


def average(v):
    if v is None:
        return ""
    return decimal(v, 0 if abs(v) >= 100 else 1)


def per_100k(v, pop):
    if v is None or not pop:
        return ""
    return decimal(v * 100000.0 / pop, 1)


def num(s):
    s = (s or "").strip()
    if s == "":
        return None
    return int(float(s))


def read_reports(folder):
    """{date: [row dicts]} for every MM-DD-YYYY.csv in folder."""
    out = {}
    for path in glob.glob(os.path.join(folder, "*.csv")):
        name = os.path.basename(path)[:-4]
        try:
            d = datetime.datetime.strptime(name, "%m-%d-%Y").date()
        except ValueError:
            continue
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = []
            for r in csv.DictReader(f):
                rows.append({
                    "country": r.get("Country_Region", r.get("Country/Region", "")).strip(),
                    "province": r.get("Province_State", r.get("Province/State", "")).strip(),
                    "admin2": (r.get("Admin2") or "").strip(),
                    "confirmed": num(r.get("Confirmed")),
                    "deaths": num(r.get("Deaths")),
                })
            out[d.isoformat()] = rows
    return out


def population(lookup, country, province="", admin2=""):
    with open(lookup, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if (r["Country_Region"] == country and r["Province_State"] == province
                    and r["Admin2"] == admin2):
                return num(r["Population"])
    return None


def totals(reports, match):
    """[(date, confirmed, deaths)] for the dates where match() has rows."""
    series = []
    for d in sorted(reports):
        rows = [r for r in reports[d] if match(r)]
        if not rows:
            continue
        c = [r["confirmed"] for r in rows if r["confirmed"] is not None]
        k = [r["deaths"] for r in rows if r["deaths"] is not None]
        series.append((d, sum(c) if c else None, sum(k) if k else None))
    return series


def sub(a, b):
    return None if a is None or b is None else a - b


def series_dates(header):
    return [datetime.datetime.strptime(d, "%m/%d/%y").date().isoformat()
            for d in header]


def read_series(tsdir, country, province, admin2):
    """[(date, confirmed, deaths)] summed over the time series rows of the
    place, every date of the files; [] when the files do not list it. The
    US files list US states and counties; the global ones everything else
    (the US itself as one country row)."""
    us = country == "US" and province is not None
    family = "US" if us else "global"
    sums = {}
    for k, metric in enumerate(("confirmed", "deaths")):
        path = os.path.join(tsdir, f"time_series_covid19_{metric}_{family}.csv")
        with open(path, newline="", encoding="utf-8-sig") as f:
            r = csv.reader(f)
            head = next(r)
            if us:
                first = head.index("Population") + 1 if "Population" in head \
                    else head.index("Combined_Key") + 1
                col = {n: head.index(n) for n in ("Country_Region", "Province_State", "Admin2")}
            else:
                first = 4
            dates = series_dates(head[first:])
            for row in r:
                if us:
                    listed = (row[col["Country_Region"]] == country and
                              row[col["Province_State"]] == province and
                              (admin2 is None or row[col["Admin2"]] == admin2))
                else:
                    listed = country == "*" or (row[1] == country and
                                                province in (None, row[0]))
                if not listed:
                    continue
                for d, v in zip(dates, row[first:]):
                    if v.strip() == "":
                        continue
                    t = sums.setdefault(d, [None, None])
                    t[k] = (t[k] or 0) + int(float(v))
    return [(d, c, k) for d, (c, k) in sorted(sums.items())]


def history(reports, match, tsdir, where):
    """[(date, confirmed, deaths, previous row or None)] as the portal shows
    a place's history, and the product it comes from."""
    daily = totals(reports, match)
    series = read_series(tsdir, *where) if tsdir else []
    rows, source = [], "daily"
    for i, r in enumerate(series):
        rows.append(r + (series[i - 1] if i else None,))
    if series:
        end = series[-1][0]
        source = "series"
        for i, r in enumerate(daily):
            if r[0] > end:
                rows.append(r + (daily[i - 1] if i else None,))
                source = "series+daily"
    else:
        for i, r in enumerate(daily):
            rows.append(r + (daily[i - 1] if i else None,))
    return rows, source


def place(folder, lookup, country, province=None, admin2=None, tsdir=None):
    reports = read_reports(folder)
    if country == "*":
        match = lambda r: True
        pop = None
    elif province is None:
        match = lambda r: r["country"] == country
        pop = population(lookup, country)
    elif admin2 is None:
        match = lambda r: r["country"] == country and r["province"] == province
        pop = population(lookup, country, province)
    else:
        match = lambda r: (r["country"] == country and r["province"] == province
                           and r["admin2"] == admin2)
        pop = population(lookup, country, province, admin2)
    s, source = history(reports, match, tsdir,
                        (country, province, admin2))
    by_date = {d: (c, k) for d, c, k, _ in s}

    def week_average(d, v, m):
        week = (datetime.date.fromisoformat(d) - datetime.timedelta(days=7)).isoformat()
        if week in by_date and v is not None and by_date[week][m] is not None:
            return (v - by_date[week][m]) / 7
        return None

    out = {}
    d, c, k, prev = s[-1]
    out["DATE"] = d
    out["PREV"] = prev[0] if prev else ""
    out["SOURCE"] = source
    # How the pages head the new figures: the day before, or a gap.
    if prev and (datetime.date.fromisoformat(d) -
                 datetime.date.fromisoformat(prev[0])).days == 1:
        out["SINCE"] = ", last day"
    elif prev:
        p = datetime.date.fromisoformat(prev[0])
        out["SINCE"] = f" since {p.day} {p.strftime('%B')} {p.year}"
    else:
        out["SINCE"] = ""
    out["CONFIRMED"] = thousands(c)
    out["DEATHS"] = thousands(k)
    out["NEW"] = delta(sub(c, prev[1])) if prev else ""
    out["NEW_DEATHS"] = delta(sub(k, prev[2])) if prev else ""
    out["AVG"] = average(week_average(d, c, 0))
    out["AVG_DEATHS"] = average(week_average(d, k, 1))
    out["NDAYS"] = str(sum(1 for r in s if r[1] is not None))
    out["NAVG"] = str(sum(1 for r in s if week_average(r[0], r[1], 0) is not None))
    out["PER100K"] = per_100k(c, pop)
    out["DEATHS_PER100K"] = per_100k(k, pop)
    out["POPULATION"] = thousands(pop) if pop else ""
    recent = []
    for i in range(len(s) - 1, max(-1, len(s) - 15), -1):
        d, c, k, prev = s[i]
        day = datetime.date.fromisoformat(d)
        recent.append("|".join([
            f"{day.day} {day.strftime('%B')} {day.year}",
            thousands(c) if c is not None else "",
            thousands(k) if k is not None else "",
            delta(sub(c, prev[1])) if prev else "",
            delta(sub(k, prev[2])) if prev else "",
            average(week_average(d, c, 0))]))
    out["RECENT"] = "\n".join(recent)
    for key, v in out.items():
        print(f"X_{key}={shlex.quote(v)}")


def order(folder, lookup, metric, direction, n):
    reports = read_reports(folder)
    newest = max(reports)
    countries = sorted({r["country"] for r in reports[newest]})
    pops = {}
    with open(lookup, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["Province_State"] == "" and r["Admin2"] == "":
                pops[r["Country_Region"]] = num(r["Population"])
    rows = []
    for c in countries:
        rs = [r for r in reports[newest] if r["country"] == c]
        conf = sum(r["confirmed"] for r in rs if r["confirmed"] is not None)
        dead = sum(r["deaths"] for r in rs if r["deaths"] is not None)
        pop = pops.get(c)
        value = {
            "name": None,
            "confirmed": conf,
            "deaths": dead,
            "confirmed_per_100k": conf * 1e5 / pop if pop else math.nan,
            "deaths_per_100k": dead * 1e5 / pop if pop else math.nan,
        }[metric]
        rows.append((c, value))
    if metric == "name":
        rows.sort(key=lambda x: (x[0].lower(), x[0]), reverse=direction == "desc")
    else:
        known = [r for r in rows if not math.isnan(r[1])]
        unknown = sorted([r for r in rows if math.isnan(r[1])], key=lambda x: x[0].lower())
        known.sort(key=lambda x: x[0].lower())
        known.sort(key=lambda x: x[1], reverse=direction == "desc")
        rows = known + unknown
    for c, _ in rows[:n]:
        print(c)


class Table(html.parser.HTMLParser):
    """Body rows of <table class=CLASS>: [cell, cell, ...]. Cells and rows
    end where HTML ends them: at their end tag, or (end tags being optional
    for td, th and tr) at the next cell, row or the end of the body."""

    def __init__(self, cls):
        super().__init__()
        self.cls = cls
        self.rows, self.in_table, self.in_body, self.row, self.cell = [], False, False, None, None

    def end_cell(self):
        if self.cell is not None:
            self.row.append(self.cell.split("\0")[0].strip())
            self.cell = None

    def end_row(self):
        self.end_cell()
        if self.row is not None:
            if self.row and not all(c == "" for c in self.row):
                self.rows.append(self.row)
            self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and self.cls in (a.get("class") or "").split():
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif not self.in_body:
            return
        elif self.in_table and tag == "tr":
            self.end_row()
            self.row = []
        elif self.in_table and self.row is not None and tag in ("td", "th"):
            self.end_cell()
            self.cell = ""
        elif tag == "span" and self.cell is not None:
            self.cell += "\0"   # the "as of" note: cut below

    def handle_endtag(self, tag):
        if tag == "table":
            self.end_row()
            self.in_table = self.in_body = False
        elif self.in_body and tag == "tbody":
            self.end_row()
            self.in_body = False
        elif self.in_body and tag in ("td", "th"):
            self.end_cell()
        elif self.in_table and tag == "tr":
            self.end_row()

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


class Text(html.parser.HTMLParser):
    BLOCK = {"p", "div", "li", "tr", "h1", "h2", "h3", "dt", "dd", "title",
             "caption", "th", "td", "option", "figure", "section", "nav"}

    def __init__(self):
        super().__init__()
        self.out, self.skip = [""], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skip += 1
        if tag in self.BLOCK:
            self.out.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.out[-1] += data


class Gaps(html.parser.HTMLParser):
    """Text blocks (split at every block element's start and end), with the
    SVG <title>, <desc> and <text> included, whitespace kept as sent."""
    BLOCK = {"html", "head", "body", "header", "main", "footer", "nav",
             "section", "figure", "form", "fieldset", "legend", "label",
             "select", "option", "button", "p", "div", "ul", "ol", "li",
             "dl", "dt", "dd", "h1", "h2", "h3", "table", "caption", "thead",
             "tbody", "tr", "th", "td", "title", "desc", "text", "svg", "g"}
    HOLES = [
        (re.compile(r"\S {2,}\S"), "two spaces"),
        (re.compile(r" [)\],.;:!?\u201d]"), "a space before punctuation"),
        (re.compile(r"[(\u201c] "), "a space after an opening bracket"),
        (re.compile(r"\(\)|\u201c\u201d|\[\]"), "empty brackets"),
        (re.compile(r"\S +$"), "ends in a space"),
        (re.compile(r"^\s*[,.;:)\u00b7]|^ +\("), "opens with punctuation"),
    ]

    def __init__(self):
        super().__init__()
        self.blocks, self.cur, self.skip = [], "", 0

    def flush(self):
        if self.cur.strip():
            self.blocks.append(self.cur)
        self.cur = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur += data

    def holes(self):
        self.flush()
        for b in self.blocks:
            # A line break in the source is a word space inside a block;
            # at its edges (between template lines) it is nothing.
            line = re.sub(r"\n\s*$", "", re.sub(r"^\s*\n", "", b))
            line = re.sub(r"[ \t]*\n\s*", " ", line)
            for rx, what in self.HOLES:
                if rx.search(line):
                    yield f"{what}: {line.strip()[:160]!r}"
                    break


class Unsafe(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("img", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        if tag == "script" and not a.get("src"):
            self.found.append("<script> without src")
        for k, v in attrs:
            if k.startswith("on"):
                self.found.append(f"<{tag} {k}=...>")
            if v and v.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {k}=javascript:...>")

    handle_startendtag = handle_starttag


class FormQuery(html.parser.HTMLParser):
    """The fields of the first <form action=ACTION>, in document order, as
    submitted with every option of a multiple select chosen."""

    def __init__(self, action, overrides):
        super().__init__()
        self.action, self.overrides, self.fields = action, overrides, []
        self.in_form = self.done = False
        self.select = None   # (name, multiple) of the open <select>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("action") == self.action:
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset"):
                self.fields.append((name, self.overrides.get(name, a.get("value") or "")))
        elif tag == "select" and name:
            self.select = (name, "multiple" in a)
        elif tag == "option" and self.select and (self.select[1] or "selected" in a):
            self.fields.append((self.select[0], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def line_xs(d):
    """The x of every point a line's d goes through: "M x y", then "l" steps
    from the point before ("dx dy" pairs; chart.c writes the long series as
    steps), "h0" a dot."""
    xs, x, cmd, nums = [], 0.0, None, []
    for tok in re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", d):
        if tok.isalpha():
            cmd, nums = tok, []
            continue
        nums.append(float(tok))
        if cmd in ("M", "l") and len(nums) == 2:
            x = nums[0] if cmd == "M" else x + nums[0]
            xs.append(x)
            nums = []
        elif cmd == "h":
            x += nums.pop()
    return xs


def line_days(d, start, end, first, last):
    """The days a line spans, when it is one stroke (one "M"): the chart
    draws a day's point at the middle of its day and leaves out the points
    a reader cannot see (web/polyline.h), so a line's days are read from its
    ends on the axis (first..last date over start..end px), not counted."""
    strokes = d.count("M")
    if strokes != 1:
        return f"{strokes} strokes"
    xs = line_xs(d)
    ndays = (datetime.date.fromisoformat(last) -
             datetime.date.fromisoformat(first)).days + 1
    day = (end - start) / ndays
    return str(round((max(xs) - min(xs)) / day) + 1)


def charts(page):
    """(title, first label, last label, points, edges) of each SVG chart.
    The charts are the portal's own output, regular enough for patterns."""
    number = r"-?[\d.]+"
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1)
        axis = re.search(r'<g class="axis x".*?</g>', svg, re.S).group(0)
        start, end = re.search(r'd="M(' + number + r") " + number + r"H(" + number + r")",
                               axis).groups()
        labels = re.findall(r'<text x="(' + number + r')"[^>]*>([^<]*)</text>', axis)
        body = svg.split('<g class="legend"')[0]
        line = re.search(r'<path class="line [^"]*"[^>]* d="([^"]*)"', body)
        (x0, first), (x1, last) = labels[0], labels[1]
        edges = "edges" if (float(x0), float(x1)) == (float(start), float(end)) \
            else f"labels at {x0}, {x1}; axis {start}..{end}"
        points = line_days(line.group(1), float(start), float(end), first, last) \
            if line else "0"
        yield title, first, last, points, edges


def body_of(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # FastCGI/HTTP headers, when the file has them, end at the first blank line.
    for sep in ("\r\n\r\n", "\n\n"):
        i = text.find(sep)
        if i >= 0 and text[:i].lower().startswith(("http/", "status:")):
            return text[i + len(sep):]
    return text


def main(argv):
    cmd = argv[1]
    if cmd == "place":
        tsdir = None
        if argv[2] == "--series":
            tsdir = argv[3]
            del argv[2:4]
        place(argv[2], argv[3], *argv[4:7], tsdir=tsdir)
    elif cmd == "order":
        order(argv[2], argv[3], argv[4], argv[5], int(argv[6]))
    elif cmd == "table":
        t = Table(argv[3])
        t.feed(body_of(argv[2]))
        for r in t.rows:
            print("|".join(r))
    elif cmd == "formquery":
        import urllib.parse
        f = FormQuery(argv[3], dict(a.split("=", 1) for a in argv[4:]))
        f.feed(body_of(argv[2]))
        print(urllib.parse.urlencode(f.fields))
    elif cmd == "charts":
        for c in charts(body_of(argv[2])):
            print("|".join(c))
    elif cmd == "gaps":
        g = Gaps()
        g.feed(body_of(argv[2]))
        for h in g.holes():
            print(h)
    elif cmd == "unsafe":
        u = Unsafe()
        u.feed(body_of(argv[2]))
        for f in u.found:
            print(f)
    elif cmd == "text":
        t = Text()
        t.feed(body_of(argv[2]))
        print("\n".join(" ".join(l.split()) for l in t.out if l.strip()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
