/* store_memtab: virtual tables over a date's rows and totals in memory. */
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

/* ---- the date's rows and totals, as tables ----
 *
 * The commit writes a date's rows, and then its region totals, with one
 * INSERT ... SELECT each from two eponymous virtual tables over the store's
 * memory: store_rows yields the rows store_date_row kept, store_totals the
 * totals totals_sum added up, both in location order, with the deltas
 * computed here. One statement per date instead of one per row saves
 * SQLite's per-statement work (binding, opening and closing cursors), which
 * was most of a row's cost, and its cursors stay open: the date's rows are
 * appended to the date-major table, and the per-place index is walked in
 * key order. Both tables exist only while the store is open, and only its
 * own statements read them. */

enum {
	COL_LOCATION, COL_CONFIRMED, COL_DEATHS, COL_RECOVERED, COL_ACTIVE,
	COL_NEW_CONFIRMED, COL_NEW_DEATHS, COL_KNOWN, COL_INCIDENT, COL_CFR,
	COL_LAT, COL_LONG, COL_LAST_UPDATE
};

struct mem_table {
	sqlite3_vtab  base;
	struct store *s;
	int           totals;   /* store_totals, else store_rows */
};

struct mem_cursor {
	sqlite3_vtab_cursor base;
	size_t              i;  /* location id */
};

/* Whether location id i has a row (a total) in the date being loaded. */
static int
mem_has(const struct mem_table *t, size_t i)
{
	const struct place *pl = &t->s->places[i];

	return (t->totals ? pl->rgen : pl->gen) == t->s->gen;
}

static int
mem_connect(sqlite3 *db, struct store *s, int totals, sqlite3_vtab **vt)
{
	struct mem_table *t;
	int rc;

	rc = sqlite3_declare_vtab(db, "CREATE TABLE x(location_id INTEGER, "
	    "confirmed INTEGER, deaths INTEGER, recovered INTEGER, active INTEGER, "
	    "new_confirmed INTEGER, new_deaths INTEGER, known INTEGER, "
	    "incident_rate REAL, case_fatality_ratio REAL, lat REAL, long REAL, "
	    "last_update TEXT)");
	if (rc != SQLITE_OK)
		return rc;
	if ((t = sqlite3_malloc(sizeof *t)) == NULL)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	t->s = s;
	t->totals = totals;
	*vt = &t->base;
	return SQLITE_OK;
}

static int
rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **vt, char **err)
{
	(void)argc, (void)argv, (void)err;
	return mem_connect(db, aux, 0, vt);
}

static int
totals_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **vt, char **err)
{
	(void)argc, (void)argv, (void)err;
	return mem_connect(db, aux, 1, vt);
}

static int
mem_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* A full scan, whatever the query: SQLite applies the constraints. */
static int
mem_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	info->estimatedCost = 4000;
	info->estimatedRows = 4000;
	return SQLITE_OK;
}

static int
mem_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **cur)
{
	struct mem_cursor *c;

	(void)vt;
	if ((c = sqlite3_malloc(sizeof *c)) == NULL)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*cur = &c->base;
	return SQLITE_OK;
}

static int
mem_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int
mem_next(sqlite3_vtab_cursor *cur)
{
	struct mem_cursor *c = (struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;

	while (++c->i < t->s->place_cap && !mem_has(t, c->i))
		;
	return SQLITE_OK;
}

static int
mem_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
    sqlite3_value **argv)
{
	struct mem_cursor *c = (struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;

	(void)idx, (void)idxstr, (void)argc, (void)argv;
	c->i = 0;
	if (c->i < t->s->place_cap && !mem_has(t, c->i))
		mem_next(cur);
	return SQLITE_OK;
}

static int
mem_eof(sqlite3_vtab_cursor *cur)
{
	const struct mem_cursor *c = (const struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;

	return c->i >= t->s->place_cap;
}

static int
mem_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((const struct mem_cursor *)cur)->i;
	return SQLITE_OK;
}

static void
result_int_if(sqlite3_context *ctx, int have, long long v)
{
	if (have)
		sqlite3_result_int64(ctx, v);
	else
		sqlite3_result_null(ctx);
}

static void
result_real_if(sqlite3_context *ctx, int have, double v)
{
	if (have)
		sqlite3_result_double(ctx, v);
	else
		sqlite3_result_null(ctx);
}

/* now - before, or NULL when either is unknown (or it overflows). */
static void
result_delta(sqlite3_context *ctx, int have_now, long long now,
    int have_before, long long before)
{
	long long d;

	if (have_now && have_before && !__builtin_sub_overflow(now, before, &d))
		sqlite3_result_int64(ctx, d);
	else
		sqlite3_result_null(ctx);
}

static int
mem_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct mem_cursor *c = (const struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;
	const struct place *pl = &t->s->places[c->i];
	const struct counts *n = t->totals ? &pl->total : &pl->now;
	const struct counts *p = t->totals ? &pl->rprev : &pl->prev;
	const struct daily_row *row = t->totals ? NULL : &t->s->rows[pl->slot];

	switch (col) {
	case COL_LOCATION:
		sqlite3_result_int64(ctx, (sqlite3_int64)c->i);
		break;
	case COL_CONFIRMED: result_int_if(ctx, n->has & HAS_C, n->c); break;
	case COL_DEATHS:    result_int_if(ctx, n->has & HAS_D, n->d); break;
	case COL_RECOVERED: result_int_if(ctx, n->has & HAS_R, n->r); break;
	case COL_ACTIVE:    result_int_if(ctx, n->has & HAS_A, n->a); break;
	case COL_NEW_CONFIRMED:
		result_delta(ctx, n->has & HAS_C, n->c, p->has & HAS_C, p->c);
		break;
	case COL_NEW_DEATHS:
		result_delta(ctx, n->has & HAS_D, n->d, p->has & HAS_D, p->d);
		break;
	case COL_KNOWN:
		sqlite3_result_int(ctx, (p->has & KNOWN) != 0);
		break;
	case COL_INCIDENT:
		result_real_if(ctx, row && (row->has & ROW_HAS_INCIDENT),
		    row ? row->incident_rate : 0);
		break;
	case COL_CFR:
		result_real_if(ctx, row && (row->has & ROW_HAS_CFR),
		    row ? row->case_fatality_ratio : 0);
		break;
	case COL_LAT:
		result_real_if(ctx, row && (row->has & ROW_HAS_LATLONG),
		    row ? row->lat : 0);
		break;
	case COL_LONG:
		result_real_if(ctx, row && (row->has & ROW_HAS_LATLONG),
		    row ? row->lon : 0);
		break;
	case COL_LAST_UPDATE:
		/* The row outlives the statement: no copy. */
		if (row && row->last_update[0] != '\0')
			sqlite3_result_text(ctx, row->last_update, -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	}
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): the name alone is the table. */
const sqlite3_module store_rows_module = {
	.xConnect = rows_connect, .xBestIndex = mem_best_index,
	.xDisconnect = mem_disconnect, .xOpen = mem_open, .xClose = mem_close,
	.xFilter = mem_filter, .xNext = mem_next, .xEof = mem_eof,
	.xColumn = mem_column, .xRowid = mem_rowid,
};
const sqlite3_module store_totals_module = {
	.xConnect = totals_connect, .xBestIndex = mem_best_index,
	.xDisconnect = mem_disconnect, .xOpen = mem_open, .xClose = mem_close,
	.xFilter = mem_filter, .xNext = mem_next, .xEof = mem_eof,
	.xColumn = mem_column, .xRowid = mem_rowid,
};

