/* store_fixture: what the store's tests start from (store_fixture.h). */
#include <stdio.h>
#include <string.h>

#include "store_fixture.h"

int
store_fixture_open(struct store_fixture *fx, const char *name)
{
	fx->st = NULL;
	fx->run_id = -1;
	if (db_fixture_open(&fx->file, name, NULL) != 0)
		return -1;
	if ((fx->st = store_open(fx->file.db)) == NULL) {
		printf("# store_open failed\n");
		db_fixture_remove(&fx->file);
		return -1;
	}
	if ((fx->run_id = store_run_begin(fx->st, "file:///data/")) < 0) {
		printf("# store_run_begin failed\n");
		store_fixture_close(fx);
		return -1;
	}
	return 0;
}

void
store_fixture_close(struct store_fixture *fx)
{
	store_close(fx->st);
	fx->st = NULL;
	db_fixture_remove(&fx->file);
}

long long
store_fixture_int(sqlite3 *db, const char *sql, const char *a1, const char *a2)
{
	sqlite3_stmt *s;
	long long v = FIXTURE_NULL + 1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		printf("# prepare: %s: %s\n", sqlite3_errmsg(db), sql);
		return FIXTURE_NULL + 1;
	}
	if (a1)
		sqlite3_bind_text(s, 1, a1, -1, SQLITE_TRANSIENT);
	if (a2)
		sqlite3_bind_text(s, 2, a2, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? FIXTURE_NULL :
		    sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

long long
store_fixture_figure(sqlite3 *db, const char *table, const char *col,
    const char *slug, const char *date)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT t.%s FROM %s t JOIN location l "
	    "ON l.id = t.location_id WHERE l.slug = ?1 AND t.date = ?2", col,
	    table);
	return store_fixture_int(db, sql, slug, date);
}

struct daily_row
store_fixture_row(const char *country, const char *province,
    const char *admin2, long long confirmed, long long deaths)
{
	struct daily_row r;
	static long line;

	memset(&r, 0, sizeof r);
	r.line = ++line;
	r.country_region = country;
	r.province_state = province;
	r.admin2 = admin2;
	r.fips = "";
	r.combined_key = "";
	if (confirmed >= 0) {
		r.has |= ROW_HAS_CONFIRMED;
		r.confirmed = confirmed;
	}
	if (deaths >= 0) {
		r.has |= ROW_HAS_DEATHS;
		r.deaths = deaths;
	}
	return r;
}
