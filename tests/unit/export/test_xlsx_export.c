/* test_xlsx_export: sheet splitting at its boundaries and failures, on the
 * hand-made fixture (7 county rows). Reading the cells back is the e2e
 * tests' job (openpyxl, LibreOffice). */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "export/export_request.h"
#include "export/xlsx_export.h"
#include "export_fixture.h"
#include "query/query_export.h"
#include "web/http.h"

static struct export_query *q;
static struct export_request req;
static char dir[64], path[128];

static int
resolve(const char *query)
{
	char err[256];

	export_request_free(&req);
	return fixture_parse(&req, EXPORT_XLSX, query, err, sizeof err) == 0 &&
	    export_request_resolve(&req, q, err, sizeof err) == 0 ? 0 : -1;
}

/* Writes the workbook; returns xlsx_export_write's result. */
static int
write_book(unsigned long per_sheet, const char *tmpdir, struct xlsx_export_info *info)
{
	memset(info, 0, sizeof *info);
	info->data_version = 7;
	info->generated = "2020-03-11T00:00:00Z";
	info->rows_per_sheet = per_sheet;
	if (export_query_begin(q, &req) != 0)
		return -2;
	int rc = xlsx_export_write(path, tmpdir, q, &req, info);
	export_query_end(q);
	return rc;
}

/* Whether the zip holds a part of that name (names are stored plainly). */
static int
has_part(const char *name)
{
	FILE *fp = fopen(path, "rb");
	size_t len = strlen(name), got, at = 0;
	static char buf[1 << 20];
	int found = 0;

	if (fp == NULL)
		return 0;
	got = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	for (at = 0; at + len <= got && !found; at++)
		found = memcmp(buf + at, name, len) == 0;
	return found;
}

/* Every column of both shapes has a width of its own (a new column
 * without one would get libxlsxwriter's narrow default), and the widths
 * stay the ones the files had when the query's table held them. */
static void
test_column_widths(void)
{
	size_t n, missing = 0;

	for (int shape = 0; shape < SHAPE__MAX; shape++) {
		const struct export_column *c = export_columns(shape, &n);

		for (size_t i = 0; i < n; i++)
			if (!(xlsx_column_width(c[i].name) > 0)) {
				printf("# no width for %s\n", c[i].name);
				missing++;
			}
	}
	CHECK_INT(missing, 0);
	CHECK(xlsx_column_width("Date") == 11);
	CHECK(xlsx_column_width("Combined_Key") == 30);
	CHECK(xlsx_column_width("Is_Latest") == 9);
	CHECK(xlsx_column_width("No_Such_Column") == 0);
}

int
main(void)
{
	struct xlsx_export_info info;
	sqlite3 *db = fixture_open();
	static const struct { unsigned long per_sheet; unsigned sheets; } cases[] = {
		{ 0, 1 },       /* Excel's limit */
		{ 8, 1 },       /* header + 7: exactly full, no empty second sheet */
		{ 7, 2 },       /* 6 + 1 */
		{ 3, 4 },       /* 2 + 2 + 2 + 1 */
		{ 2, 7 },       /* one row each */
	};

	snprintf(dir, sizeof dir, "/tmp/xlsx-test.XXXXXX");
	if (mkdtemp(dir) == NULL || (q = export_query_open(db)) == NULL)
		return 2;
	snprintf(path, sizeof path, "%s/out.xlsx", dir);
	test_column_widths();
	CHECK_INT(resolve("level=county"), 0);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char part[64];
		CHECK_INT(write_book(cases[i].per_sheet, dir, &info), 0);
		CHECK_INT(info.rows, 7);
		CHECK_INT(info.sheets, cases[i].sheets);
		/* Data sheets, then About: one part more. */
		snprintf(part, sizeof part, "xl/worksheets/sheet%u.xml", cases[i].sheets + 1);
		CHECK(has_part(part));
		snprintf(part, sizeof part, "xl/worksheets/sheet%u.xml", cases[i].sheets + 2);
		CHECK(!has_part(part));
		unlink(path);
	}
	/* The long shape: four rows per location and date. */
	CHECK_INT(resolve("level=county&shape=long"), 0);
	CHECK_INT(write_book(0, dir, &info), 0);
	CHECK_INT(info.rows, 28);
	CHECK(has_part("xl/worksheets/sheet2.xml"));
	unlink(path);
	/* No rows at all still makes a workbook: the header and About. */
	CHECK_INT(resolve("level=county&province=Georgia&to=2020-03-02"), 0);
	CHECK_INT(write_book(0, dir, &info), 0);
	CHECK_INT(info.rows, 0);
	CHECK_INT(info.sheets, 1);
	unlink(path);

	/* Failures are reported, not hidden. */
	CHECK_INT(resolve("level=county"), 0);
	CHECK_INT(write_book(1, dir, &info), -1);           /* no room for a row */
	CHECK_INT(write_book(1048577, dir, &info), -1);     /* beyond Excel */
	snprintf(path, sizeof path, "%s/no/such/dir/out.xlsx", dir);
	CHECK_INT(write_book(0, dir, &info), -1);

	export_request_free(&req);
	export_query_close(q);
	sqlite3_close(db);
	rmdir(dir);
	return check_exit();
}
