"""forecast_check: the test-side reader for tests/e2e/forecast.sh. Works
out, from the database's rows with the sqlite3 module and the formulas of
Bracher et al. 2021 written out again here, what covid-forecast's scores
and skill must be, never from the program's own aggregates.

  forecast_check.py wis DB          every stored WIS and coverage recomputed
  forecast_check.py skill DB TARGET H
                                    the geometric mean over countries of the
                                    ensemble's summed WIS over the
                                    baseline's, and the share of countries
                                    below 1
  forecast_check.py cells PAGE      the skill table of /forecasts, a row a
                                    line, cells joined by |
"""
import math
import sqlite3
import sys
from html.parser import HTMLParser


def wis(qs, y):
    """qs: (level, value) pairs, 23 of them."""
    qs = sorted(qs)
    med = [v for p, v in qs if abs(p - 0.5) < 1e-9][0]
    total = 0.5 * abs(y - med)
    for k in range(11):
        alpha = 2 * qs[k][0]
        lo, hi = qs[k][1], qs[22 - k][1]
        score = (hi - lo) + (2 / alpha) * max(lo - y, 0) + (2 / alpha) * max(y - hi, 0)
        total += alpha / 2 * score
    return total / 11.5, lo_hi(qs, 0.25, 0.75, y), lo_hi(qs, 0.025, 0.975, y)


def lo_hi(qs, a, b, y):
    d = dict((round(p, 3), v) for p, v in qs)
    return int(d[a] <= y <= d[b])


def check_wis(db):
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT s.model, s.country_region, s.province_state, s.admin2, s.target, s.origin_date, s.horizon_weeks, "
        "s.observed, s.wis, s.covered_50, s.covered_95 FROM v_forecast_score s "
        "ORDER BY random() LIMIT 400").fetchall()
    bad = 0
    for model, cr, ps, a2, target, origin, h, y, w, c50, c95 in rows:
        qs = con.execute(
            "SELECT quantile, value FROM v_forecast WHERE model = ? "
            "AND country_region = ? AND province_state = ? AND admin2 = ? "
            "AND target = ? AND origin_date = ? AND horizon_weeks = ?",
            (model, cr, ps, a2, target, origin, h)).fetchall()
        mine, m50, m95 = wis(qs, y)
        if len(qs) != 23 or abs(mine - w) > 1e-6 * max(1, w) or m50 != c50 or m95 != c95:
            bad += 1
            print(f"# {model} {cr}/{ps}/{a2} {target} {origin} {h}: {w} {c50} {c95} "
                  f"!= {mine} {m50} {m95}")
    print(f"{len(rows)} {bad}")


def check_skill(db, target, h):
    con = sqlite3.connect(db)
    logs, beats = [], 0
    for (m, b) in con.execute(
            "SELECT sum(f.wis), sum(b.wis) FROM forecast f "
            "JOIN forecast b ON b.location_id = f.location_id AND b.target = f.target "
            "AND b.origin_date = f.origin_date AND b.horizon = f.horizon AND b.model_id = 1 "
            "JOIN location l ON l.id = f.location_id "
            "WHERE f.model_id = 2 AND l.level = 'country' AND f.target = ? "
            "AND f.horizon = ? AND f.observed IS NOT NULL GROUP BY f.location_id",
            (1 if target == "inc case" else 2, int(h))):
        if m > 0 and b > 0:
            logs.append(math.log(m / b))
            beats += m < b
    print(f"{math.exp(sum(logs) / len(logs)):.3f} {100 * beats / len(logs):.1f} %")


class Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.inside = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "skill") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.row = []
        elif self.inside and tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif self.inside and tag == "tr" and self.row:
            self.rows.append("|".join(self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def main():
    what = sys.argv[1]
    if what == "wis":
        check_wis(sys.argv[2])
    elif what == "skill":
        check_skill(sys.argv[2], sys.argv[3], sys.argv[4])
    elif what == "cells":
        p = Cells()
        with open(sys.argv[2], encoding="utf-8") as f:
            p.feed(f.read())
        print("\n".join(p.rows))


main()
