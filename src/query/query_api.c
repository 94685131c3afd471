/* query_api: the API's own statements (see query_api.h). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sql_stmts.h"
#include "query/query_api.h"

enum stmt { S_BY_ISO3, S_BY_UID, S_BY_FIPS, S_IDS, S_REPORTS, S_WORLD_RECOVERED,
    S__MAX };

/* A row's level as the daily report shows it: a county names its admin2,
 * a province its province_state, a country neither. */
#define LEVEL_OF "CASE WHEN admin2 IS NOT NULL THEN 2 " \
	"WHEN province_state IS NOT NULL THEN 1 ELSE 0 END"

static const char *const sql[S__MAX] = {
	[S_BY_ISO3] = "SELECT id FROM location WHERE level = 'country' "
	    "AND iso3 = upper(?1) ORDER BY id LIMIT 1",
	[S_BY_UID] = "SELECT id FROM location WHERE uid = ?1 ORDER BY id LIMIT 1",
	[S_BY_FIPS] = "SELECT id FROM location WHERE level = 'county' "
	    "AND fips = ?1 ORDER BY id LIMIT 1",
	[S_IDS] = "SELECT uid, COALESCE(fips, '') FROM location WHERE id = ?1",
	[S_REPORTS] = "SELECT date, country_region, province_state, admin2, fips, "
	    "iso3, uid, combined_key, lat, long, population, confirmed, deaths, "
	    "recovered, active, new_confirmed, new_deaths, incident_rate, "
	    "case_fatality_ratio, last_update FROM v_daily WHERE date = ?1 "
	    "AND (?2 IS NULL OR country_region = ?2 OR iso3 = upper(?2)) "
	    "AND (?3 IS NULL OR province_state = ?3) "
	    "AND (?4 < 0 OR " LEVEL_OF " = ?4) "
	    "ORDER BY country_region, province_state, admin2 LIMIT ?5 OFFSET ?6",
	/* The world's recovered on ?1 by the world's own rule (query.c,
	 * S_WORLD): the countries' time series totals on a date the series
	 * have, else their daily totals. NULL when no country has one. One
	 * primary-key seek per country (CROSS JOIN keeps location outer). */
	[S_WORLD_RECOVERED] = "SELECT CASE WHEN EXISTS (SELECT 1 FROM location AS c "
	    "CROSS JOIN series_region AS s ON s.location_id = c.id AND s.date = ?1 "
	    "WHERE c.level = 'country') "
	    "THEN (SELECT sum(s.recovered) FROM location AS c CROSS JOIN "
	    "series_region AS s ON s.location_id = c.id AND s.date = ?1 "
	    "WHERE c.level = 'country') "
	    "ELSE (SELECT sum(r.recovered) FROM region_daily AS r JOIN location "
	    "AS c ON c.id = r.location_id WHERE r.date = ?1 AND c.level = 'country') END",
};

struct query_api {
	sqlite3      *db;
	sqlite3_stmt *st[S__MAX];
};

struct query_api *
query_api_open(sqlite3 *db)
{
	struct query_api *qa = calloc(1, sizeof *qa);

	if (qa == NULL) {
		log_err("query_api: out of memory");
		return NULL;
	}
	qa->db = db;
	if (sql_stmts_prepare(db, sql, qa->st, S__MAX, "query_api") != 0) {
		free(qa);
		return NULL;
	}
	return qa;
}

void
query_api_close(struct query_api *qa)
{
	if (qa == NULL)
		return;
	sql_stmts_finalize(qa->st, S__MAX);
	free(qa);
}

static int
failed(struct query_api *qa, sqlite3_stmt *st, const char *what)
{
	log_err("query_api: %s: %s", what, sqlite3_errmsg(qa->db));
	sqlite3_reset(st);
	return -1;
}

/* Runs st (bound) for one id: 1 found, 0 not, -1 on error. */
static int
one_id(struct query_api *qa, sqlite3_stmt *st, long long *id)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	if (rc != SQLITE_DONE)
		return failed(qa, st, "find a place");
	sqlite3_reset(st);
	return 0;
}

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
query_api_find(struct query_api *qa, const char *key, long long *id)
{
	size_t n = strlen(key);
	sqlite3_stmt *st;
	int rc;

	if (n == 3 && strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == 3) {
		st = qa->st[S_BY_ISO3];
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		return one_id(qa, st, id);
	}
	/* JHU's UIDs are at most 8 digits; 18 cannot overflow. */
	if (!all_digits(key, 1, 18))
		return 0;
	st = qa->st[S_BY_UID];
	sqlite3_bind_int64(st, 1, atoll(key));
	if ((rc = one_id(qa, st, id)) != 0 || n != 5)
		return rc;
	st = qa->st[S_BY_FIPS];
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return one_id(qa, st, id);
}

int
query_api_ids(struct query_api *qa, long long id, long long *uid,
    char *fips, size_t fipslen)
{
	sqlite3_stmt *st = qa->st[S_IDS];
	int rc;

	*uid = LLONG_MIN;
	fips[0] = '\0';
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			*uid = sqlite3_column_int64(st, 0);
		const char *f = (const char *)sqlite3_column_text(st, 1);
		if (f != NULL && strlen(f) < fipslen)
			strcpy(fips, f);
	} else if (rc != SQLITE_DONE)
		return failed(qa, st, "a place's ids");
	sqlite3_reset(st);
	return 0;
}

int
query_api_world_recovered(struct query_api *qa, const char *date,
    long long *recovered)
{
	sqlite3_stmt *st = qa->st[S_WORLD_RECOVERED];
	int rc;

	*recovered = LLONG_MIN;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			*recovered = sqlite3_column_int64(st, 0);
	} else if (rc != SQLITE_DONE)
		return failed(qa, st, "the world's recovered");
	sqlite3_reset(st);
	return 0;
}

static const char *
text_or_null(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static long long
count_or_none(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? LLONG_MIN :
	    sqlite3_column_int64(st, col);
}

static double
real_or_nan(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, col);
}

static void
read_report(sqlite3_stmt *st, struct qa_report *r)
{
	r->date = text_or_null(st, 0);
	r->country = text_or_null(st, 1);
	r->province = text_or_null(st, 2);
	r->county = text_or_null(st, 3);
	r->fips = text_or_null(st, 4);
	r->iso3 = text_or_null(st, 5);
	r->uid = count_or_none(st, 6);
	r->combined_key = text_or_null(st, 7);
	r->lat = real_or_nan(st, 8);
	r->lon = real_or_nan(st, 9);
	r->population = count_or_none(st, 10);
	r->confirmed = count_or_none(st, 11);
	r->deaths = count_or_none(st, 12);
	r->recovered = count_or_none(st, 13);
	r->active = count_or_none(st, 14);
	r->new_confirmed = count_or_none(st, 15);
	r->new_deaths = count_or_none(st, 16);
	r->incident_rate = real_or_nan(st, 17);
	r->case_fatality_ratio = real_or_nan(st, 18);
	r->last_update = text_or_null(st, 19);
}

int
query_api_reports(struct query_api *qa, const char *date,
    const char *country, const char *province, int level, size_t offset,
    size_t limit, int (*row)(const struct qa_report *r, void *arg), void *arg,
    size_t *n)
{
	sqlite3_stmt *st = qa->st[S_REPORTS];
	struct qa_report r;
	int rc;

	*n = 0;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	if (country != NULL)
		sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (province != NULL)
		sqlite3_bind_text(st, 3, province, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int(st, 4, level);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_report(st, &r);
		(*n)++;
		if (row(&r, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return failed(qa, st, "reports");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}
