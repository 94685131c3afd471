#!/usr/bin/python3
"""bench/export_openpyxl.py DB SQLFILE SHAPE OUT.xlsx: the XLSX benchmark's
peer. openpyxl in write-only mode (its constant-memory mode) writes the rows
export.fcgi writes, from the same query on the same database: typed cells
(dates as dates, numbers as numbers, text as text), a header row, the same
sheet name, four rows per query row for the long shape. Prints the row count.
"""
import datetime
import sqlite3
import sys

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

WIDE = ("Date,Country_Region,Province_State,Admin2,FIPS,ISO3,UID,Combined_Key,Lat,"
        "Long,Population,Confirmed,Deaths,Recovered,Active,New_Confirmed,New_Deaths,"
        "New_Confirmed_7d_Avg,Confirmed_per_100k,Incident_Rate,Case_Fatality_Ratio,"
        "Last_Update").split(",")
LONG = ("Date,Country_Region,Province_State,Admin2,FIPS,ISO3,UID,Combined_Key,Lat,"
        "Long,Population,Case_Type,Cases,Difference,Cases_7d_Avg,Cases_per_100k,"
        "Last_Update,Is_Latest").split(",")
TYPES = ("Confirmed", "Deaths", "Recovered", "Active")


def main():
    db, sql_file, shape, out = sys.argv[1:5]
    sql = open(sql_file).read().rstrip().rstrip(";")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    first, last = con.execute("SELECT min(date), max(date) FROM daily_report").fetchone()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.freeze_panes = "A2"
    header = WIDE if shape == "wide" else LONG
    ws.append(header)
    day = datetime.date.fromisoformat
    stamp = datetime.datetime.fromisoformat
    n = 0
    for r in con.execute(sql, (first, last, None, None)):
        if r[0] < first:
            continue
        ident = [day(r[0])] + list(r[1:11])
        if shape == "wide":
            row = ident + list(r[11:21]) + [stamp(r[21]) if r[21] else None]
            ws.append(row)
            n += 1
            continue
        lu = stamp(r[11]) if r[11] else None
        for k, name in enumerate(TYPES):
            ws.append(ident + [name] + list(r[13 + 4 * k:17 + 4 * k]) + [lu, bool(r[12])])
            n += 1
    ws.auto_filter.ref = f"A1:{chr(ord('A') + len(header) - 1)}{n + 1}"
    wb.save(out)
    print(n)


main()
