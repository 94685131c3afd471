#!/usr/bin/python3
"""export_check: the export tests' reader (tests/e2e/export*.sh).

  export_check.py xlsx XLSX CSV [SHEET_ROWS]
      The workbook holds the same values as the CSV export, typed: dates and
      times are date cells, numbers numbers, text strings (never formulas),
      empty cells for empty fields; sheets Data, Data (2), ... (header on each,
      frozen, autofiltered, at most SHEET_ROWS rows) and then About.
  export_check.py lo LO_CSV CSV
      LibreOffice's CSV conversion of the workbook's first sheet holds the same
      values as the CSV export.
  export_check.py county SOURCE CSV DATE / country SOURCE CSV DATE
      The export's rows for DATE carry the source file's values (county rows
      as they are; countries as the sums of their rows).
  export_check.py columns CSV wide|long
      The header is the issue's column list.
  export_check.py order CSV country|province|county
      Every row is of that level; rows come by location, then date.
  export_check.py empty CSV COLUMN / xlsxzip XLSX
      The column is empty in every row / the file is a sound workbook.
  export_check.py guarded CSV N / xlsx-strings XLSX VALUE...
      Formula injection: no text field starts like a formula, at least N
      carry the ' guard, numbers are never guarded / each VALUE is a string
      cell and no sheet holds a formula.
Prints what differs and exits 1 on the first few differences."""
import csv, datetime, math, sys

WIDE = ("Date,Country_Region,Province_State,Admin2,FIPS,ISO3,UID,Combined_Key,Lat,"
        "Long,Population,Confirmed,Deaths,Recovered,Active,New_Confirmed,New_Deaths,"
        "New_Confirmed_7d_Avg,Confirmed_per_100k,Incident_Rate,Case_Fatality_Ratio,"
        "Last_Update").split(",")
LONG = ("Date,Country_Region,Province_State,Admin2,FIPS,ISO3,UID,Combined_Key,Lat,"
        "Long,Population,Case_Type,Cases,Difference,Cases_7d_Avg,Cases_per_100k,"
        "Last_Update,Is_Latest").split(",")
TEXT = {"Country_Region", "Province_State", "Admin2", "FIPS", "ISO3", "Combined_Key",
        "Case_Type"}
GUARD = ("=", "+", "-", "@", "\t", "\r", "\n")

errors = 0


def fail(msg):
    global errors
    errors += 1
    print("#   " + msg)
    if errors >= 10:
        sys.exit(1)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def unguard(v):
    """The text a guarded CSV field stands for."""
    if len(v) > 1 and v[0] == "'" and v[1] in GUARD:
        return v[1:]
    return v


def same_number(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def check_cell(where, name, cell, want):
    if want == "":
        if cell.value is not None:
            fail(f"{where} {name}: want empty, got {cell.value!r}")
        return
    v = cell.value
    if name == "Date":
        if not isinstance(v, datetime.datetime) or not cell.is_date:
            fail(f"{where} Date: not a date cell: {v!r}")
        elif v.strftime("%Y-%m-%d") != want or v.time() != datetime.time(0):
            fail(f"{where} Date: {v} != {want}")
    elif name == "Last_Update":
        if not isinstance(v, datetime.datetime) or not cell.is_date:
            fail(f"{where} Last_Update: not a date cell: {v!r}")
        elif v.strftime("%Y-%m-%d %H:%M:%S") != want:
            fail(f"{where} Last_Update: {v} != {want}")
    elif name == "Is_Latest":
        if v is not (want == "TRUE") or want not in ("TRUE", "FALSE"):
            fail(f"{where} Is_Latest: {v!r} != {want}")
    elif name in TEXT:
        if cell.data_type != "s" or v != unguard(want):
            fail(f"{where} {name}: {cell.data_type} {v!r} != {unguard(want)!r}")
    else:
        if cell.data_type != "n" or isinstance(v, bool) or not same_number(v, want):
            fail(f"{where} {name}: {cell.data_type} {v!r} != {want}")


def cmd_xlsx(path, csv_path, sheet_rows=1048576):
    import openpyxl
    sheet_rows = int(sheet_rows)
    rows = read_csv(csv_path)
    header, data = rows[0], rows[1:]
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    if not names or names[-1] != "About":
        fail(f"sheets {names}: the last is not About")
    datasheets = names[:-1]
    want_sheets = max(1, math.ceil(len(data) / (sheet_rows - 1)))
    want_names = ["Data"] + [f"Data ({i})" for i in range(2, want_sheets + 1)]
    if datasheets != want_names:
        fail(f"data sheets {datasheets} != {want_names}")
    at = 0
    for name in datasheets:
        ws = wb[name]
        got_header = [c.value for c in ws[1]]
        if got_header != header:
            fail(f"{name}: header {got_header} != {header}")
        if ws.freeze_panes != "A2":
            fail(f"{name}: freeze panes {ws.freeze_panes}")
        n = ws.max_row - 1
        if ws.auto_filter.ref is None or not ws.auto_filter.ref.startswith("A1:") or \
                not ws.auto_filter.ref.endswith(str(n + 1)):
            fail(f"{name}: autofilter {ws.auto_filter.ref} for {n} rows")
        if ws.max_row > sheet_rows:
            fail(f"{name}: {ws.max_row} rows > {sheet_rows}")
        if ws.column_dimensions["A"].width is None or ws.column_dimensions["A"].width < 8:
            fail(f"{name}: column A has no sensible width")
        for r, row in enumerate(ws.iter_rows(min_row=2), start=2):
            if at >= len(data):
                fail(f"{name} row {r}: more rows than the CSV's {len(data)}")
                break
            want = data[at]
            for c, cell in enumerate(row):
                if cell.data_type == "f":
                    fail(f"{name}!{cell.coordinate}: a formula")
                check_cell(f"{name}!{cell.coordinate}", header[c], cell, want[c])
            at += 1
    if at != len(data):
        fail(f"{at} data rows in the workbook, {len(data)} in the CSV")
    about = wb["About"]
    text = "\n".join(str(c.value) for row in about.iter_rows() for c in row
                     if c.value is not None)
    for needed in ("Johns Hopkins University", "CC BY 4.0",
                   "https://github.com/CSSEGISandData/COVID-19", "Data version",
                   "Generated", "Data dictionary", "canonical request"):
        if needed not in text:
            fail(f"About: no {needed!r}")
    dictionary = [row[0].value for row in about.iter_rows() if row[0].value in header]
    if dictionary != header:
        fail(f"About: data dictionary lists {dictionary}")


def cmd_lo(lo_path, csv_path):
    lo, ours = read_csv(lo_path), read_csv(csv_path)
    if len(lo) != len(ours):
        fail(f"LibreOffice has {len(lo)} lines, the CSV {len(ours)}")
    header = ours[0]
    if lo[0] != header:
        fail(f"LibreOffice header {lo[0]}")
    for i, (a, b) in enumerate(zip(lo[1:], ours[1:]), start=2):
        for name, x, y in zip(header, a, b):
            if name in TEXT:
                if x != unguard(y):
                    fail(f"line {i} {name}: LibreOffice {x!r}, CSV {y!r}")
            elif y == "" or name in ("Date", "Last_Update", "Is_Latest"):
                if x != y:
                    fail(f"line {i} {name}: LibreOffice {x!r}, CSV {y!r}")
            elif not math.isclose(float(x), float(y), rel_tol=1e-9):
                # LibreOffice writes numbers as displayed (General: ~10
                # significant digits), so only that much must agree.
                fail(f"line {i} {name}: LibreOffice {x!r}, CSV {y!r}")


def source_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def export_rows(path, date):
    return [r for r in csv.DictReader(open(path, newline="", encoding="utf-8-sig"))
            if r["Date"] == date]


def cmd_county(source, csv_path, date):
    mine = {(r["Country_Region"], r["Province_State"], r["Admin2"]): r
            for r in export_rows(csv_path, date)}
    n = 0
    for s in source_rows(source):
        if not s.get("Admin2"):
            continue
        key = (s["Country_Region"], s["Province_State"], s["Admin2"])
        if key not in mine:
            continue
        n += 1
        r = mine[key]
        for col in ("Confirmed", "Deaths", "Incident_Rate", "Case_Fatality_Ratio"):
            if (s[col] == "") != (r[col] == "") or \
                    (s[col] and not math.isclose(float(s[col]), float(r[col]), rel_tol=1e-12)):
                fail(f"{key} {col}: source {s[col]!r}, export {r[col]!r}")
        if s["FIPS"] and r["FIPS"] != str(int(float(s["FIPS"]))).zfill(5):
            fail(f"{key} FIPS: source {s['FIPS']!r}, export {r['FIPS']!r}")
        if s["Lat"] and not math.isclose(float(s["Lat"]), float(r["Lat"]), rel_tol=1e-12):
            fail(f"{key} Lat: source {s['Lat']!r}, export {r['Lat']!r}")
        if s["Last_Update"] and s["Last_Update"][:16] != r["Last_Update"][:16]:
            fail(f"{key} Last_Update: source {s['Last_Update']!r}, export {r['Last_Update']!r}")
    if n < 100:
        fail(f"only {n} county rows of {source} found in the export")
    print(f"# {n} county rows match the source")


def cmd_country(source, csv_path, date):
    totals = {}
    for s in source_rows(source):
        if s["Confirmed"]:
            totals[s["Country_Region"]] = totals.get(s["Country_Region"], 0) + int(float(s["Confirmed"]))
    mine = {r["Country_Region"]: r for r in export_rows(csv_path, date)}
    for country, total in totals.items():
        if country not in mine:
            fail(f"{country}: not in the export")
        elif int(mine[country]["Confirmed"]) != total:
            fail(f"{country}: source total {total}, export {mine[country]['Confirmed']}")
    if len(totals) < 150:
        fail(f"only {len(totals)} countries in {source}")
    print(f"# {len(totals)} country totals match the source")


def cmd_order(csv_path, level):
    """One level per file, rows ordered by location then date (then case type)."""
    rows = list(csv.DictReader(open(csv_path, newline="", encoding="utf-8-sig")))
    types = {"Confirmed": 0, "Deaths": 1, "Recovered": 2, "Active": 3}
    keys = []
    for i, r in enumerate(rows, start=2):
        province, admin2 = r["Province_State"] != "", r["Admin2"] != ""
        if (level == "country" and (province or admin2)) or \
                (level == "province" and (not province or admin2)) or \
                (level == "county" and not admin2):
            fail(f"line {i}: not a {level} row: {r['Combined_Key']!r}")
        keys.append((unguard(r["Country_Region"]), unguard(r["Province_State"]),
                     unguard(r["Admin2"]), r["Date"], types.get(r.get("Case_Type"), 0)))
    for i in range(1, len(keys)):
        if keys[i - 1] >= keys[i]:
            fail(f"line {i + 2}: {keys[i]} does not come after {keys[i - 1]}")
    if not rows:
        fail("no rows")


def cmd_empty(csv_path, column):
    rows = list(csv.DictReader(open(csv_path, newline="", encoding="utf-8-sig")))
    filled = [r[column] for r in rows if r[column] != ""]
    if not rows or filled:
        fail(f"{len(rows)} rows, {column} filled in {len(filled)}: {filled[:5]}")


def cmd_xlsxzip(path):
    import zipfile
    with zipfile.ZipFile(path) as z:
        if z.testzip() is not None or "xl/workbook.xml" not in z.namelist():
            fail(f"{path}: not a sound workbook")


def cmd_guarded(csv_path, want_guarded):
    """No text field starts like a formula; at least want_guarded carry the
    guard; numbers (negative ones too) are never guarded."""
    rows = list(csv.DictReader(open(csv_path, newline="", encoding="utf-8-sig")))
    guarded = negatives = 0
    for i, r in enumerate(rows, start=2):
        for name, v in r.items():
            if name in TEXT:
                if v[:1] in GUARD and v != "":
                    fail(f"line {i} {name}: unguarded {v!r}")
                if v[:1] == "'" and v[1:2] in GUARD:
                    guarded += 1
            elif v.startswith("'"):
                fail(f"line {i} {name}: a guarded number {v!r}")
            elif v.startswith("-"):
                float(v)
                negatives += 1
    if guarded < int(want_guarded):
        fail(f"{guarded} guarded fields, want at least {want_guarded}")
    if negatives == 0:
        fail("no negative number to show numbers stay numbers")
    print(f"# {guarded} guarded text fields, {negatives} negative numbers as they are")


def cmd_xlsx_strings(path, *values):
    """Each value is in the workbook as a string cell, and no cell anywhere
    is a formula (in the sheet XML itself, not only as openpyxl reads it)."""
    import openpyxl, zipfile
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in values:
                    found[c.value] = c.data_type
    for v in values:
        if found.get(v) != "s":
            fail(f"{v!r}: {'not found' if v not in found else 'type ' + found[v]}")
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/") and b"<f>" in z.read(n):
                fail(f"{n}: has a formula element")


def cmd_columns(csv_path, shape):
    header = read_csv(csv_path)[0]
    want = WIDE if shape == "wide" else LONG
    if header != want:
        fail(f"header {header} != {want}")


if __name__ == "__main__":
    cmd = {"xlsx": cmd_xlsx, "lo": cmd_lo, "county": cmd_county,
           "country": cmd_country, "columns": cmd_columns, "order": cmd_order,
           "empty": cmd_empty, "xlsxzip": cmd_xlsxzip, "guarded": cmd_guarded,
           "xlsx-strings": cmd_xlsx_strings}[sys.argv[1]]
    cmd(*sys.argv[2:])
    sys.exit(1 if errors else 0)
