#!/usr/bin/python3
"""Reads the /status page for tests/e2e/ops_status.sh (an independent HTML
parser: Python's html.parser), and prints what it shows, one fact a line,
tab-separated, text unescaped and whitespace collapsed:

    stale   1|0                     #freshness's data-stale
    reason  TEXT                    each reason the data is older than expected
    fresh   TEXT                    the "up to date" paragraph
    dd      ID  TEXT                the database facts
    run     ID  STARTED  SECONDS  STATUS  LOADED  UNCHANGED  FAILED  ROWS  REJECTED  MESSAGE
    failed  RUN  DATE  URL  HTTP  ERROR  SINCE

Numbers lose their thousands separators; STARTED is the <time datetime>,
SECONDS the cell's data-seconds.

    ops_status.py PAGE.html
"""
import html.parser
import re
import sys


def squash(s):
    return re.sub(r"\s+", " ", s).strip()


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.table = None      # id of the table we are in
        self.row = None        # cells of the row
        self.cell = None       # text of the cell
        self.extra = {}        # attributes picked up in the row
        self.li = None
        self.in_fresh = 0
        self.para = None
        self.dd = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("id") == "freshness":
            self.out.append(("stale", a.get("data-stale", "")))
            self.in_fresh = 1
        elif tag == "div" and self.in_fresh:
            self.in_fresh += 1
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr" and self.table:
            self.row, self.extra = [], {}
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
            if "data-seconds" in a:
                self.extra["seconds"] = a["data-seconds"]
        elif tag == "time" and self.row is not None:
            self.extra["datetime"] = a.get("datetime", "")
        elif tag == "li" and self.in_fresh:
            self.li = ""
        elif tag == "p" and self.in_fresh:
            self.para = ""
        elif tag == "dd":
            self.dd = (a.get("id", ""), "")

    def handle_endtag(self, tag):
        if tag == "div" and self.in_fresh:
            self.in_fresh -= 1
        if tag == "table":
            self.table = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(squash(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row and self.table == "runs" and self.row[0] != "Run":
                r = self.row
                nums = [x.replace(",", "") for x in r[4:9]]
                self.out.append(("run", r[0], self.extra.get("datetime", ""),
                                 self.extra.get("seconds", ""), r[3], *nums,
                                 r[9]))
            elif self.row and self.table == "failed" and self.row[0] != "Run":
                self.out.append(("failed", *self.row))
            self.row = None
        elif tag == "li" and self.li is not None:
            self.out.append(("reason", squash(self.li)))
            self.li = None
        elif tag == "p" and self.para is not None:
            if self.para.strip().startswith("The data is up to date."):
                self.out.append(("fresh", squash(self.para)))
            self.para = None
        elif tag == "dd" and self.dd is not None:
            self.out.append(("dd", self.dd[0], squash(self.dd[1])))
            self.dd = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.li is not None:
            self.li += data
        if self.para is not None:
            self.para += data
        if self.dd is not None:
            self.dd = (self.dd[0], self.dd[1] + data)


p = Page()
with open(sys.argv[1], encoding="utf-8") as f:
    p.feed(f.read())
for fact in p.out:
    print("\t".join(fact))
