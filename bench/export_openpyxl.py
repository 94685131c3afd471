#!/usr/bin/python3
"""bench/export_openpyxl.py DB SQLFILE SHAPE OUT.xlsx [FROM TO]: the XLSX
benchmark's peer. openpyxl in write-only mode (its constant-memory mode) writes
the rows export.fcgi writes, from the same query on the same database: typed
cells (dates as dates, numbers as numbers, text as text), a header row, the same
sheet name, four rows per query row for the long shape, for the dates FROM..TO
(YYYY-MM-DD; by default the database's whole history). Prints the row count.
bench/export.sh also imports it for rows(), to check export.fcgi's cells.
"""
import datetime
import sqlite3
import sys

from openpyxl import Workbook

WIDE = ("Date,Country_Region,Province_State,Admin2,FIPS,ISO3,UID,Combined_Key,Lat,"
        "Long,Population,Confirmed,Deaths,Recovered,Active,New_Confirmed,New_Deaths,"
        "New_Confirmed_7d_Avg,Confirmed_per_100k,Incident_Rate,Case_Fatality_Ratio,"
        "Last_Update").split(",")
LONG = ("Date,Country_Region,Province_State,Admin2,FIPS,ISO3,UID,Combined_Key,Lat,"
        "Long,Population,Case_Type,Cases,Difference,Cases_7d_Avg,Cases_per_100k,"
        "Last_Update,Is_Latest").split(",")
TYPES = ("Confirmed", "Deaths", "Recovered", "Active")


def rows(db, sql_file, shape, first=None, last=None):
    """The header, then the typed rows of the export for first..last."""
    sql = open(sql_file).read().rstrip().rstrip(";")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    if first is None:
        first, last = con.execute("SELECT min(date), max(date) FROM daily_report").fetchone()
    yield WIDE if shape == "wide" else LONG
    day = datetime.date.fromisoformat
    stamp = datetime.datetime.fromisoformat
    for r in con.execute(sql, (first, last, None, None)):
        if r[0] < first:
            continue  # the days before FROM that the 7-day average reads
        ident = [day(r[0])] + list(r[1:11])
        if shape == "wide":
            yield ident + list(r[11:21]) + [stamp(r[21]) if r[21] else None]
            continue
        lu = stamp(r[11]) if r[11] else None
        for k, name in enumerate(TYPES):
            yield ident + [name] + list(r[13 + 4 * k:17 + 4 * k]) + [lu, bool(r[12])]


def main():
    db, sql_file, shape, out = sys.argv[1:5]
    first, last = sys.argv[5:7] if len(sys.argv) > 6 else (None, None)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.freeze_panes = "A2"
    it = rows(db, sql_file, shape, first, last)
    header = next(it)
    ws.append(header)
    n = 0
    for row in it:
        ws.append(row)
        n += 1
    ws.auto_filter.ref = f"A1:{chr(ord('A') + len(header) - 1)}{n + 1}"
    wb.save(out)
    print(n)


if __name__ == "__main__":
    main()
