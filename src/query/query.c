/* query: prepared statements and the functions over them (see query.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "base/sql_stmts.h"
#include "query/query.h"

enum stmt {
	S_BEGIN, S_COMMIT,
	S_DATA_VERSION, S_META, S_NEWEST, S_OLDEST,
	S_LOC_SLUG, S_LOC_ID,
	S_WORLD, S_REGION_SERIES, S_REPORT_SERIES,
	S_COUNTRIES, S_PROVINCES_ON, S_COUNTIES_ON, S_CHILDREN, S_COUNTRY_LIST,
	S_PLACES,
	S__MAX
};

#define LOC_COLS "l.id, l.parent_id, l.level, l.slug, l.country_region, " \
	"l.province_state, l.admin2, l.iso3, l.population, l.fips"
enum { LOC_NCOLS = 10 };

/* One place's history (?1 its id), as query.h says: its time series SER,
 * then the rows of its daily reports DAY dated after the series' last day
 * (every row when it has no series). Series rows leave the new figures to
 * C (the change from the row before); column 5 says the product. Two range
 * scans of the place's own rows, by primary key or index. */
#define HISTORY(SER, DAY) \
	"SELECT date, confirmed, deaths, NULL, NULL, 1 FROM " SER " " \
	"WHERE location_id = ?1 " \
	"UNION ALL " \
	"SELECT date, confirmed, deaths, new_confirmed, new_deaths, 0 FROM " DAY " " \
	"WHERE location_id = ?1 AND date > coalesce((SELECT max(date) FROM " SER " " \
	"WHERE location_id = ?1), '') ORDER BY 1"

/* The confirmed and deaths a week before, from the series row SER when
 * there is one, else from the daily row DAY (never one of each). */
#define WEEK_OLD(SER, DAY) \
	"CASE WHEN " SER ".location_id IS NOT NULL THEN " SER ".confirmed " \
	"ELSE " DAY ".confirmed END, " \
	"CASE WHEN " SER ".location_id IS NOT NULL THEN " SER ".deaths " \
	"ELSE " DAY ".deaths END"

/* The children of ?1 at the levels LEVEL, each on its newest date: from
 * its series SER when that reaches as far as its daily rows DAY (the
 * first half), else from DAY (the second, which also keeps the children
 * without any data, their figures NULL). The two halves' conditions are
 * each other's negation, so every child is in exactly one. */
#define CHILDREN(SER, DAY, LEVEL) \
	"SELECT " LOC_COLS ", s.date, s.confirmed, s.deaths, " \
	"s.confirmed - y.confirmed, s.deaths - y.deaths, " \
	"w.confirmed, w.deaths, 1 " \
	"FROM location AS l " \
	"JOIN " SER " AS s ON s.location_id = l.id AND s.date = " \
	"(SELECT max(date) FROM " SER " WHERE location_id = l.id) " \
	"LEFT JOIN " SER " AS y ON y.location_id = l.id " \
	"AND y.date = date(s.date, '-1 day') " \
	"LEFT JOIN " SER " AS w ON w.location_id = l.id " \
	"AND w.date = date(s.date, '-7 days') " \
	"WHERE l.parent_id = ?1 AND l.level " LEVEL " AND s.date >= coalesce(" \
	"(SELECT max(date) FROM " DAY " WHERE location_id = l.id), '') " \
	"UNION ALL " \
	"SELECT " LOC_COLS ", r.date, r.confirmed, r.deaths, " \
	"r.new_confirmed, r.new_deaths, " WEEK_OLD("w", "p") ", 0 " \
	"FROM location AS l " \
	"LEFT JOIN " DAY " AS r ON r.location_id = l.id AND r.date = " \
	"(SELECT max(date) FROM " DAY " WHERE location_id = l.id) " \
	"LEFT JOIN " SER " AS w ON w.location_id = l.id " \
	"AND w.date = date(r.date, '-7 days') " \
	"LEFT JOIN " DAY " AS p ON p.location_id = l.id " \
	"AND p.date = date(r.date, '-7 days') " \
	"WHERE l.parent_id = ?1 AND l.level " LEVEL " AND NOT EXISTS (SELECT 1 " \
	"FROM " SER " WHERE location_id = l.id AND date >= coalesce(r.date, ''))"

/* The places PLACES (a condition on l) with figures on the date ?1, as
 * S_COUNTRIES (?2 a week before, ?3 the day before): from the time series
 * SER when it has the date, else from the daily rows DAY. One pass: the
 * places come through location_parent, each seeks its series row (the
 * day before and the week before are on the same leaf, mostly) and, only
 * without one, its daily row. A date's slice of SER touches a page per
 * place (SER is ordered by place, then date): thousands for the counties,
 * so reading SER once per place, not twice, is most of the cost. */
#define HAS_S "s.location_id IS NOT NULL"
#define PLACES_ON(SER, DAY, PLACES) \
	"SELECT " LOC_COLS ", CASE WHEN " HAS_S " THEN s.date ELSE r.date END, " \
	"CASE WHEN " HAS_S " THEN s.confirmed ELSE r.confirmed END, " \
	"CASE WHEN " HAS_S " THEN s.deaths ELSE r.deaths END, " \
	"CASE WHEN " HAS_S " THEN s.confirmed - y.confirmed ELSE r.new_confirmed END, " \
	"CASE WHEN " HAS_S " THEN s.deaths - y.deaths ELSE r.new_deaths END, " \
	"CASE WHEN " HAS_S " THEN w.confirmed WHEN w.location_id IS NOT NULL " \
	"THEN w.confirmed ELSE p.confirmed END, " \
	"CASE WHEN " HAS_S " THEN w.deaths WHEN w.location_id IS NOT NULL " \
	"THEN w.deaths ELSE p.deaths END, " \
	HAS_S " " \
	"FROM location AS l " \
	"LEFT JOIN " SER " AS s ON s.location_id = l.id AND s.date = ?1 " \
	"LEFT JOIN " SER " AS y ON y.location_id = l.id AND y.date = ?3 " \
	"LEFT JOIN " SER " AS w ON w.location_id = l.id AND w.date = ?2 " \
	"LEFT JOIN " DAY " AS r ON " HAS_S " IS 0 AND r.date = ?1 " \
	"AND r.location_id = l.id " \
	"LEFT JOIN " DAY " AS p ON " HAS_S " IS 0 AND p.date = ?2 " \
	"AND p.location_id = l.id " \
	"WHERE " PLACES " AND (" HAS_S " OR r.location_id IS NOT NULL)"

/* The name a place is known by: its own level's name. */
#define LEAF_NAME "CASE l.level WHEN 'country' THEN l.country_region " \
	"WHEN 'province' THEN l.province_state ELSE l.admin2 END"

static const char *const sql[S__MAX] = {
	[S_BEGIN]  = "BEGIN",
	[S_COMMIT] = "COMMIT",
	[S_DATA_VERSION] = "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'data_version'",
	[S_META] = "SELECT (SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'data_version'), "
	    "(SELECT value FROM meta WHERE key = 'refreshed_at')",
	/* Both use the index on daily_report(date): one seek each. */
	[S_NEWEST] = "SELECT max(date) FROM daily_report",
	[S_OLDEST] = "SELECT min(date) FROM daily_report",
	[S_LOC_SLUG] = "SELECT " LOC_COLS " FROM location AS l WHERE l.slug = ?1",
	[S_LOC_ID]   = "SELECT " LOC_COLS " FROM location AS l WHERE l.id = ?1",
	/* O(rows of series_region, then of region_daily after the series' last
	 * date, for countries): once per data version. The world's new
	 * figures are differences of these totals, made in C. The last day
	 * of the series is found with one seek per country (series_region
	 * has no index by date). Column 5 says the product (1 = series). */
	[S_WORLD] = "SELECT r.date, sum(r.confirmed), sum(r.deaths), NULL, NULL, 1 "
	    "FROM series_region AS r JOIN location AS l ON l.id = r.location_id "
	    "WHERE l.level = 'country' GROUP BY r.date "
	    "UNION ALL "
	    "SELECT r.date, sum(r.confirmed), sum(r.deaths), NULL, NULL, 0 "
	    "FROM region_daily AS r JOIN location AS l ON l.id = r.location_id "
	    "WHERE l.level = 'country' AND r.date > coalesce((SELECT "
	    "max((SELECT max(date) FROM series_region WHERE location_id = c.id)) "
	    "FROM location AS c WHERE c.level = 'country'), '') "
	    "GROUP BY r.date ORDER BY 1",
	[S_REGION_SERIES] = HISTORY("series_region", "region_daily"),
	[S_REPORT_SERIES] = HISTORY("series", "daily_report"),
	/* ?1 the date, ?2 a week before, ?3 the day before: each country
	 * (parent_id NULL: found through location_parent, not a scan of
	 * every place) from its series when that has ?1, else from its daily
	 * total, as PLACES_ON says. */
	[S_COUNTRIES] = PLACES_ON("series_region", "region_daily",
	    "l.parent_id IS NULL AND l.level = 'country'"),
	/* ?4 a country: its provinces on a date; ?4 a country or a
	 * province: the counties under it (the country's provinces' or the
	 * province's own) on a date. */
	[S_PROVINCES_ON] = PLACES_ON("series_region", "region_daily",
	    "l.parent_id = ?4 AND l.level = 'province'"),
	[S_COUNTIES_ON] = PLACES_ON("series", "daily_report",
	    "l.parent_id IN (SELECT id FROM location WHERE id = ?4 "
	    "OR parent_id = ?4) AND l.level = 'county'"),
	/* Each child's newest figures: totals for provinces, rows for
	 * counties, each from its series unless its daily reports go on
	 * after the series' end. A handful of primary-key seeks per child. */
	[S_CHILDREN] = CHILDREN("series_region", "region_daily", "<> 'county'")
	    " UNION ALL " CHILDREN("series", "daily_report", "= 'county'"),
	[S_COUNTRY_LIST] = "SELECT " LOC_COLS " FROM location AS l "
	    "WHERE l.level = 'country' ORDER BY l.country_region",
	/* ?1 the text, ?2 'text%', ?3 '%text%' (LIKE-escaped with '\'). */
	/* Every place, for the search's index (query_search). */
	[S_PLACES] = "SELECT " LOC_COLS " FROM location AS l",
};

/* The search's index: every place with its own name in lower case, read
 * once per data version (query_search). */
struct search_place {
	const char       *lower;
	struct q_location loc;
};

struct query {
	sqlite3      *db;
	sqlite3_stmt *st[S__MAX];
	int           in_txn;
	struct {
		long long            version;   /* -1: not built */
		struct arena         arena;
		struct search_place *v;
		size_t               n;
	} search;
};

static int
fail(struct query *q, const char *what)
{
	log_err("query: %s: %s", what, sqlite3_errmsg(q->db));
	return -1;
}

/* Resets a statement for its next use: prepared once, reused always. */
static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

struct query *
query_open(sqlite3 *db)
{
	struct query *q = calloc(1, sizeof *q);

	if (q == NULL) {
		log_err("query: out of memory");
		return NULL;
	}
	q->db = db;
	q->search.version = -1;
	if (sql_stmts_prepare(db, sql, q->st, S__MAX, "query") != 0) {
		free(q);
		return NULL;
	}
	return q;
}

void
query_close(struct query *q)
{
	if (q == NULL)
		return;
	sql_stmts_finalize(q->st, S__MAX);
	arena_free(&q->search.arena);
	free(q);
}

static int
exec(struct query *q, enum stmt s)
{
	int rc = sqlite3_step(q->st[s]);

	done(q->st[s]);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
query_begin(struct query *q)
{
	if (q->in_txn)
		return 0;
	if (exec(q, S_BEGIN) != 0)
		return fail(q, "begin");
	q->in_txn = 1;
	return 0;
}

void
query_end(struct query *q)
{
	if (!q->in_txn)
		return;
	q->in_txn = 0;
	/* A read transaction: COMMIT only releases the snapshot. */
	if (exec(q, S_COMMIT) != 0) {
		fail(q, "commit");
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* Copies a text column into buf (truncating; for dates and timestamps). */
static void
col_copy(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", s ? (const char *)s : "");
}

static const char *
col_dup(struct arena *a, sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = arena_strndup(a, (const char *)s,
	    (size_t)sqlite3_column_bytes(st, i))) == NULL)
		*oom = 1;
	return p;
}

static long long
col_ll(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? Q_NONE :
	    sqlite3_column_int64(st, i);
}

static double
col_d(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    (double)sqlite3_column_int64(st, i);
}

/* Reads LOC_COLS starting at column 0. Returns 0, or -1 out of memory. */
static int
read_loc(struct arena *a, sqlite3_stmt *st, struct q_location *l)
{
	const char *level = (const char *)sqlite3_column_text(st, 2);
	int oom = 0;

	l->id = sqlite3_column_int64(st, 0);
	l->parent_id = sqlite3_column_int64(st, 1);   /* NULL reads as 0 */
	l->level = level == NULL ? GEO_COUNTRY :
	    strcmp(level, "county") == 0 ? GEO_COUNTY :
	    strcmp(level, "province") == 0 ? GEO_PROVINCE : GEO_COUNTRY;
	l->slug = col_dup(a, st, 3, &oom);
	l->country = col_dup(a, st, 4, &oom);
	l->province = col_dup(a, st, 5, &oom);
	l->county = col_dup(a, st, 6, &oom);
	l->iso3 = col_dup(a, st, 7, &oom);
	l->population = col_ll(st, 8);
	l->fips = col_dup(a, st, 9, &oom);
	if (oom || l->slug == NULL || l->country == NULL)
		return -1;
	if (l->province == NULL)
		l->province = "";
	if (l->county == NULL)
		l->county = "";
	l->name = l->level == GEO_COUNTY ? l->county :
	    l->level == GEO_PROVINCE ? l->province : l->country;
	return 0;
}

/* Reads date and the four counts starting at column i. */
static void
read_fig(sqlite3_stmt *st, int i, struct q_figures *f)
{
	col_copy(st, i, f->date, sizeof f->date);
	f->confirmed = col_ll(st, i + 1);
	f->deaths = col_ll(st, i + 2);
	f->new_confirmed = col_ll(st, i + 3);
	f->new_deaths = col_ll(st, i + 4);
	f->avg_confirmed = f->avg_deaths = NAN;
}

int
query_data_version(struct query *q, long long *version)
{
	sqlite3_stmt *st = q->st[S_DATA_VERSION];
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	done(st);
	return rc == SQLITE_ROW ? 0 : fail(q, "data version");
}

int
query_meta(struct query *q, struct q_meta *m)
{
	sqlite3_stmt *st = q->st[S_META];

	memset(m, 0, sizeof *m);
	if (sqlite3_step(st) != SQLITE_ROW) {
		done(st);
		return fail(q, "meta");
	}
	m->data_version = sqlite3_column_int64(st, 0);
	col_copy(st, 1, m->refreshed_at, sizeof m->refreshed_at);
	done(st);
	st = q->st[S_NEWEST];
	if (sqlite3_step(st) != SQLITE_ROW) {
		done(st);
		return fail(q, "newest date");
	}
	col_copy(st, 0, m->newest, sizeof m->newest);
	done(st);
	st = q->st[S_OLDEST];
	if (sqlite3_step(st) != SQLITE_ROW) {
		done(st);
		return fail(q, "oldest date");
	}
	col_copy(st, 0, m->oldest, sizeof m->oldest);
	done(st);
	return 0;
}

static int
location_by(struct query *q, struct arena *a, enum stmt s, struct q_location *loc)
{
	sqlite3_stmt *st = q->st[s];
	int rc = sqlite3_step(st), found = 0;

	if (rc == SQLITE_ROW) {
		if (read_loc(a, st, loc) != 0) {
			done(st);
			log_err("query: out of memory");
			return -1;
		}
		found = 1;
	} else if (rc != SQLITE_DONE) {
		done(st);
		return fail(q, "location");
	}
	done(st);
	return found;
}

int
query_location(struct query *q, struct arena *a, const char *slug,
    struct q_location *loc)
{
	if (sqlite3_bind_text(q->st[S_LOC_SLUG], 1, slug, -1, SQLITE_STATIC) != SQLITE_OK)
		return fail(q, "bind slug");
	return location_by(q, a, S_LOC_SLUG, loc);
}

int
query_location_id(struct query *q, struct arena *a, long long id,
    struct q_location *loc)
{
	if (sqlite3_bind_int64(q->st[S_LOC_ID], 1, id) != SQLITE_OK)
		return fail(q, "bind id");
	return location_by(q, a, S_LOC_ID, loc);
}

/*
 * Series.
 */

/* Growable columns while stepping; copied into the arena at the end. */
struct cols {
	size_t  n, cap, nseries;
	char   (*dates)[11];
	double *v[4];
};

static int
cols_push(struct cols *c, sqlite3_stmt *st)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		void *p = realloc(c->dates, cap * sizeof *c->dates);
		if (p == NULL)
			return -1;
		c->dates = p;
		for (int k = 0; k < 4; k++) {
			if ((p = realloc(c->v[k], cap * sizeof(double))) == NULL)
				return -1;
			c->v[k] = p;
		}
		c->cap = cap;
	}
	col_copy(st, 0, c->dates[c->n], sizeof c->dates[c->n]);
	for (int k = 0; k < 4; k++)
		c->v[k][c->n] = col_d(st, k + 1);
	/* Column 5: 1 for a row of the time series, which come first. */
	if (sqlite3_column_int(st, 5) == 1)
		c->nseries++;
	c->n++;
	return 0;
}

static void
cols_free(struct cols *c)
{
	free(c->dates);
	for (int k = 0; k < 4; k++)
		free(c->v[k]);
}

static double *
arena_doubles(struct arena *a, const double *src, size_t n)
{
	double *p = arena_alloc(a, (n ? n : 1) * sizeof *p);

	if (p != NULL && n > 0)
		memcpy(p, src, n * sizeof *p);
	return p;
}

static int
read_series(struct query *q, struct arena *a, sqlite3_stmt *st, struct q_series *s)
{
	struct cols c = { 0 };
	char *dates;
	int rc;

	memset(s, 0, sizeof *s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cols_push(&c, st) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	done(st);
	if (rc != SQLITE_DONE) {
		cols_free(&c);
		return rc == SQLITE_NOMEM ? (log_err("query: out of memory"), -1) :
		    fail(q, "series");
	}
	s->n = c.n;
	s->nseries = c.nseries;
	s->source = c.nseries > 0 ? Q_FROM_SERIES : Q_FROM_DAILY;
	s->dates = arena_alloc(a, (c.n ? c.n : 1) * sizeof *s->dates);
	dates = arena_alloc(a, (c.n ? c.n : 1) * 11);
	s->confirmed = arena_doubles(a, c.v[0], c.n);
	s->deaths = arena_doubles(a, c.v[1], c.n);
	s->new_confirmed = arena_doubles(a, c.v[2], c.n);
	s->new_deaths = arena_doubles(a, c.v[3], c.n);
	s->avg_confirmed = arena_alloc(a, (c.n ? c.n : 1) * sizeof(double));
	s->avg_deaths = arena_alloc(a, (c.n ? c.n : 1) * sizeof(double));
	if (s->dates == NULL || dates == NULL || s->confirmed == NULL ||
	    s->deaths == NULL || s->new_confirmed == NULL ||
	    s->new_deaths == NULL || s->avg_confirmed == NULL ||
	    s->avg_deaths == NULL) {
		cols_free(&c);
		log_err("query: out of memory");
		return -1;
	}
	for (size_t i = 0; i < c.n; i++) {
		memcpy(dates + 11 * i, c.dates[i], 11);
		s->dates[i] = dates + 11 * i;
	}
	cols_free(&c);
	/* The series' new figures: the change from the day before (its rows
	 * are consecutive days); NAN where either count is unknown. */
	for (size_t i = 1; i < s->nseries; i++) {
		s->new_confirmed[i] = s->confirmed[i] - s->confirmed[i - 1];
		s->new_deaths[i] = s->deaths[i] - s->deaths[i - 1];
	}
	q_series_average(s);
	return 0;
}

int
query_world_series(struct query *q, struct arena *a, struct q_series *s)
{
	if (read_series(q, a, q->st[S_WORLD], s) != 0)
		return -1;
	/* The change in the world total, not the sum of the countries'
	 * changes: a country reporting for the first time adds its whole
	 * total, one that stops reporting takes it away, as in the total. */
	for (size_t i = 1; i < s->n; i++) {
		s->new_confirmed[i] = s->confirmed[i] - s->confirmed[i - 1];
		s->new_deaths[i] = s->deaths[i] - s->deaths[i - 1];
	}
	return 0;
}

int
query_series(struct query *q, struct arena *a, const struct q_location *loc,
    struct q_series *s)
{
	sqlite3_stmt *st = q->st[loc->level == GEO_COUNTY ? S_REPORT_SERIES :
	    S_REGION_SERIES];

	if (sqlite3_bind_int64(st, 1, loc->id) != SQLITE_OK)
		return fail(q, "bind location");
	return read_series(q, a, st, s);
}

void
q_series_average(struct q_series *s)
{
	size_t j = 0;

	/* Two cursors over ascending dates: j trails i by a week. O(n). */
	for (size_t i = 0; i < s->n; i++) {
		long want = date_days(s->dates[i]) - 7;
		s->avg_confirmed[i] = s->avg_deaths[i] = NAN;
		while (j < i && date_days(s->dates[j]) < want)
			j++;
		if (j >= i || date_days(s->dates[j]) != want)
			continue;
		if (!isnan(s->confirmed[i]) && !isnan(s->confirmed[j]))
			s->avg_confirmed[i] = (s->confirmed[i] - s->confirmed[j]) / 7;
		if (!isnan(s->deaths[i]) && !isnan(s->deaths[j]))
			s->avg_deaths[i] = (s->deaths[i] - s->deaths[j]) / 7;
	}
}

static long long
to_ll(double v)
{
	return isnan(v) ? Q_NONE : (long long)v;
}

double
q_per_100k(long long count, long long population)
{
	if (count == Q_NONE || population == Q_NONE || population <= 0)
		return NAN;
	return (double)count * 100000.0 / (double)population;
}

void
q_series_figures(const struct q_series *s, size_t i, struct q_figures *f)
{
	snprintf(f->date, sizeof f->date, "%s", s->dates[i]);
	f->confirmed = to_ll(s->confirmed[i]);
	f->deaths = to_ll(s->deaths[i]);
	f->new_confirmed = to_ll(s->new_confirmed[i]);
	f->new_deaths = to_ll(s->new_deaths[i]);
	f->avg_confirmed = s->avg_confirmed[i];
	f->avg_deaths = s->avg_deaths[i];
	f->source = i < s->nseries ? Q_FROM_SERIES : Q_FROM_DAILY;
}

/*
 * Tables of places.
 */

/* Steps st into an arena array of rows: LOC_COLS, then (with figures) the
 * date and four counts, then (with week) last week's confirmed and deaths
 * and the product (1 = the time series). */
static int
read_rows(struct query *q, struct arena *a, sqlite3_stmt *st, int figures,
    int week, struct q_row **rows, size_t *n)
{
	struct q_row *buf = NULL;
	size_t cap = 0, len = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct q_row *r;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct q_row *p = realloc(buf, ncap * sizeof *p);
			if (p == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			buf = p;
			cap = ncap;
		}
		r = &buf[len];
		memset(r, 0, sizeof *r);
		if (read_loc(a, st, &r->loc) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (figures)
			read_fig(st, LOC_NCOLS, &r->fig);
		else {
			r->fig.confirmed = r->fig.deaths = Q_NONE;
			r->fig.new_confirmed = r->fig.new_deaths = Q_NONE;
			r->fig.avg_confirmed = r->fig.avg_deaths = NAN;
		}
		if (week) {
			long long c = col_ll(st, LOC_NCOLS + 5), d = col_ll(st, LOC_NCOLS + 6);
			if (c != Q_NONE && r->fig.confirmed != Q_NONE)
				r->fig.avg_confirmed = (double)(r->fig.confirmed - c) / 7;
			if (d != Q_NONE && r->fig.deaths != Q_NONE)
				r->fig.avg_deaths = (double)(r->fig.deaths - d) / 7;
			r->fig.source = sqlite3_column_int(st, LOC_NCOLS + 7) == 1 ?
			    Q_FROM_SERIES : Q_FROM_DAILY;
		}
		len++;
	}
	done(st);
	if (rc != SQLITE_DONE) {
		free(buf);
		if (rc == SQLITE_NOMEM) {
			log_err("query: out of memory");
			return -1;
		}
		return fail(q, "rows");
	}
	*rows = arena_alloc(a, (len ? len : 1) * sizeof **rows);
	if (*rows == NULL) {
		free(buf);
		log_err("query: out of memory");
		return -1;
	}
	if (len > 0)
		memcpy(*rows, buf, len * sizeof *buf);
	*n = len;
	free(buf);
	return 0;
}

int
query_countries(struct query *q, struct arena *a, const char *date,
    struct q_row **rows, size_t *n)
{
	sqlite3_stmt *st = q->st[S_COUNTRIES];
	char week[11], before[11];
	long d = date_days(date);

	if (d < 0) {
		*rows = NULL;
		*n = 0;
		return 0;   /* no data yet */
	}
	date_ymd(d - 7, week);
	date_ymd(d - 1, before);
	if (sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, week, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, before, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		return fail(q, "bind date");
	return read_rows(q, a, st, 1, 1, rows, n);
}

int
query_places_on(struct query *q, struct arena *a, const struct q_location *in,
    enum geo_level level, const char *date, struct q_row **rows, size_t *n)
{
	sqlite3_stmt *st = q->st[level == GEO_COUNTY ? S_COUNTIES_ON : S_PROVINCES_ON];
	char week[11], before[11];
	long d = date_days(date);

	*rows = NULL;
	*n = 0;
	if (d < 0 || level == GEO_COUNTRY)
		return 0;
	date_ymd(d - 7, week);
	date_ymd(d - 1, before);
	if (sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, week, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, before, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, in->id) != SQLITE_OK)
		return fail(q, "bind places");
	return read_rows(q, a, st, 1, 1, rows, n);
}

int
query_children(struct query *q, struct arena *a, const struct q_location *loc,
    struct q_row **rows, size_t *n)
{
	sqlite3_stmt *st = q->st[S_CHILDREN];

	if (sqlite3_bind_int64(st, 1, loc->id) != SQLITE_OK)
		return fail(q, "bind location");
	return read_rows(q, a, st, 1, 1, rows, n);
}

static int
locations(struct query *q, struct arena *a, sqlite3_stmt *st,
    struct q_location **out, size_t *n)
{
	struct q_row *rows;
	size_t i;

	if (read_rows(q, a, st, 0, 0, &rows, n) != 0)
		return -1;
	if ((*out = arena_alloc(a, (*n ? *n : 1) * sizeof **out)) == NULL) {
		log_err("query: out of memory");
		return -1;
	}
	for (i = 0; i < *n; i++)
		(*out)[i] = rows[i].loc;
	return 0;
}

int
query_country_list(struct query *q, struct arena *a, struct q_location **rows,
    size_t *n)
{
	return locations(q, a, q->st[S_COUNTRY_LIST], rows, n);
}

/*
 * The search. Every place is read once per data version into the query's
 * own arena, with its name in lower case; a search is then a scan of those
 * ~4,300 names in C and a sort of the matches: microseconds, where a LIKE
 * over the table (and its count) cost milliseconds a request, SQLite
 * preparing the statement again for each new pattern.
 */

static char *
lower_dup(struct arena *a, const char *s)
{
	size_t len = strlen(s);
	char *d = arena_alloc(a, len + 1);

	if (d != NULL)
		for (size_t i = 0; i <= len; i++)
			d[i] = (char)tolower((unsigned char)s[i]);
	return d;
}

static int
search_index(struct query *q)
{
	sqlite3_stmt *st = q->st[S_PLACES];
	long long version;
	size_t cap = 0;
	int rc;

	if (query_data_version(q, &version) != 0)
		return -1;
	if (q->search.version == version && q->search.v != NULL)
		return 0;
	arena_reset(&q->search.arena);
	q->search.v = NULL;
	q->search.n = 0;
	q->search.version = -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct search_place *p;
		if (q->search.n == cap) {
			struct search_place *v = arena_alloc(&q->search.arena,
			    (cap = cap ? 2 * cap : 4096) * sizeof *v);
			if (v == NULL)
				break;
			if (q->search.n > 0)
				memcpy(v, q->search.v, q->search.n * sizeof *v);
			q->search.v = v;
		}
		p = &q->search.v[q->search.n];
		if (read_loc(&q->search.arena, st, &p->loc) != 0 ||
		    (p->lower = lower_dup(&q->search.arena, p->loc.name)) == NULL)
			break;
		q->search.n++;
	}
	done(st);
	if (rc == SQLITE_ROW) {
		log_err("query: out of memory");
		return -1;
	}
	if (rc != SQLITE_DONE)
		return fail(q, "places");
	q->search.version = version;
	return 0;
}

/* A match and its rank: 0 the whole name, 1 its start, 2 elsewhere. */
struct search_hit {
	const struct search_place *p;
	int rank;
};

static int
cmp_hit(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;
	int c;

	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->p->loc.level != y->p->loc.level)
		return (int)x->p->loc.level - (int)y->p->loc.level;
	if ((c = strcmp(x->p->lower, y->p->lower)) != 0 ||
	    (c = strcmp(x->p->loc.country, y->p->loc.country)) != 0 ||
	    (c = strcmp(x->p->loc.province, y->p->loc.province)) != 0)
		return c;
	return strcmp(x->p->loc.slug, y->p->loc.slug);
}

int
query_search(struct query *q, struct arena *a, const char *text,
    size_t offset, size_t limit, struct q_location **rows, size_t *n,
    size_t *total)
{
	struct search_hit *hits;
	char *want;
	size_t k = 0;

	*rows = NULL;
	*n = *total = 0;
	if (search_index(q) != 0)
		return -1;
	if ((want = lower_dup(a, text)) == NULL || (hits = arena_alloc(a,
	    (q->search.n ? q->search.n : 1) * sizeof *hits)) == NULL) {
		log_err("query: out of memory");
		return -1;
	}
	for (size_t i = 0; i < q->search.n; i++) {
		const char *at = strstr(q->search.v[i].lower, want);
		if (at == NULL)
			continue;
		hits[k].p = &q->search.v[i];
		hits[k].rank = at != q->search.v[i].lower ? 2 :
		    at[strlen(want)] == '\0' ? 0 : 1;
		k++;
	}
	*total = k;
	if (k == 0 || offset >= k)
		return 0;
	qsort(hits, k, sizeof *hits, cmp_hit);
	*n = k - offset < limit ? k - offset : limit;
	if ((*rows = arena_alloc(a, *n * sizeof **rows)) == NULL) {
		log_err("query: out of memory");
		return -1;
	}
	/* The strings are the index's: they stay until the data changes
	 * and the next search reads the places again, after this request. */
	for (size_t i = 0; i < *n; i++)
		(*rows)[i] = hits[offset + i].p->loc;
	return 0;
}
