/* store_date: replacing one date's rows, resolving duplicates (store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "store/store_impl.h"

/*
 * Replacing a date. New rows are upserted over the old ones and carry the
 * new ingest_file id, so at commit the rows of the previous version that the
 * new file no longer has are exactly those with another id.
 *
 * Duplicates. A few JHU files name one location twice (after the country
 * renames, sometimes under two old names: "Bahamas, The" and "The Bahamas" on
 * 2020-03-21). They are two reports of one cumulative count, so summing them
 * is wrong; the one with the higher counts is the later report and is kept
 * (compared by confirmed, then deaths; equal rows keep the later line, as JHU
 * appended corrections at the end of a file: 03-22-2020 District of
 * Columbia). The other is recorded in rejected_row with the reason. This is
 * what JHU's own time series shows for every such case in the data. */

/* ---- one date ---- */

static void
date_reset(struct store *s)
{
	store_source_release(&s->src);
	s->in_date = 0;
	s->file_id = 0;
}

static int
date_state(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_DATE_STATE];

	store_bind_text(st, 1, s->date);
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_stmt_done(s, ST_DATE_STATE);
		return store_fail(s, "reading what the date has");
	}
	s->when = (sqlite3_column_int(st, 0) ? IF_OLD : 0) |
	    (sqlite3_column_int(st, 1) ? IF_LATER : 0);
	store_stmt_done(s, ST_DATE_STATE);
	return 0;
}

int
store_date_begin(struct store *s, long long run_id, const struct fetch_record *f)
{
	if (s->in_date) {
		log_err("store: a date is already being loaded");
		return -1;
	}
	if (date_days(f->date) < 0) {   /* a day of the calendar, or nothing */
		log_err("store: bad date '%s'", f->date ? f->date : "(null)");
		return -1;
	}
	if (store_file_begin(s, run_id, f, &s->file_id, &s->src) != 0)
		return -1;
	s->in_date = 1;
	memcpy(s->date, f->date, 11);
	if (date_state(s) != 0) {
		store_date_abort(s);
		return -1;
	}
	s->kept = s->rejected = 0;
	s->rows_n = 0;
	/* A new generation forgets the previous file's places. */
	if (++s->gen == 0) {
		for (size_t i = 0; i < s->place_cap; i++)
			s->places[i].gen = s->places[i].rgen = 0;
		s->gen = 1;
	}
	return 0;
}

static int
reject(struct store *s, long line, const char *reason, const char *raw)
{
	sqlite3_stmt *st = s->st[ST_REJECT];

	sqlite3_bind_int64(st, 1, s->file_id);
	sqlite3_bind_int64(st, 2, line);
	store_bind_text(st, 3, reason);
	store_bind_text(st, 4, raw);
	if (store_exec(s, ST_REJECT, "recording a rejected row") != 0)
		return -1;
	s->rejected++;
	return 0;
}

int
store_date_reject(struct store *s, long line, const char *reason,
    const char *raw)
{
	if (!s->in_date) {
		log_err("store: rejected row outside a date");
		return -1;
	}
	return reject(s, line, reason ? reason : "malformed", raw);
}

/* A count for a reason text: "12" or "unknown". */
static const char *
count_str(int have, long long v, char buf[24])
{
	if (!have)
		return "unknown";
	snprintf(buf, 24, "%lld", v);
	return buf;
}

/* -1, 0, 1 as a is less, as or more advanced than b (unknown is least). */
static int
cmp_count(int ha, long long a, int hb, long long b)
{
	if (ha != hb)
		return ha ? 1 : -1;
	if (!ha || a == b)
		return 0;
	return a > b ? 1 : -1;
}

/* The row's place was already given on line places[id].line of this file.
 * Returns 1 when the new row replaces the old, 0 when it is dropped, -1. */
static int
duplicate(struct store *s, long long id, const struct daily_row *row,
    const char *p, const char *a)
{
	const struct daily_row *old = &s->rows[s->places[id].slot];
	int hc = old->has & ROW_HAS_CONFIRMED, hd = old->has & ROW_HAS_DEATHS, c;
	long long oc = old->confirmed, od = old->deaths;
	char reason[512], b1[24], b2[24], b3[24], b4[24];
	long old_line = s->places[id].line;

	c = cmp_count(row->has & ROW_HAS_CONFIRMED, row->confirmed, hc, oc);
	if (c == 0)
		c = cmp_count(row->has & ROW_HAS_DEATHS, row->deaths, hd, od);
	if (c == 0)
		c = 1;   /* the same counts: the later line, a correction */
	snprintf(reason, sizeof reason, "duplicate of %s%s%s%s%s: line %ld "
	    "(confirmed %s, deaths %s) and line %ld (confirmed %s, deaths %s) "
	    "name the same place; kept line %ld, the more advanced report",
	    a, *a ? ", " : "", p, *p ? ", " : "", row->country_region,
	    old_line, count_str(hc, oc, b1), count_str(hd, od, b2),
	    row->line,
	    count_str(row->has & ROW_HAS_CONFIRMED, row->confirmed, b3),
	    count_str(row->has & ROW_HAS_DEATHS, row->deaths, b4),
	    c > 0 ? row->line : old_line);
	if (reject(s, c > 0 ? old_line : row->line, reason, NULL) != 0)
		return -1;
	if (c > 0)
		s->places[id].line = row->line;
	return c > 0;
}

/* Keeps a copy of the row for the commit (the parser's strings do not
 * last; a row needs none but last_update, which it holds). */
static int
row_keep(struct store *s, struct place *pl, const struct daily_row *row,
    int replace)
{
	struct daily_row *r;

	if (!replace) {
		if (s->rows_n == s->rows_cap) {
			size_t cap = s->rows_cap ? s->rows_cap * 2 : 4096;
			struct daily_row *v = realloc(s->rows, cap * sizeof *v);

			if (v == NULL) {
				log_err("store: out of memory");
				return -1;
			}
			s->rows = v;
			s->rows_cap = cap;
		}
		pl->slot = s->rows_n++;
	}
	r = &s->rows[pl->slot];
	*r = *row;
	r->country_region = r->province_state = r->admin2 = NULL;
	r->fips = r->combined_key = NULL;
	pl->now.has = (row->has & ROW_HAS_CONFIRMED ? HAS_C : 0) |
	    (row->has & ROW_HAS_DEATHS ? HAS_D : 0) |
	    (row->has & ROW_HAS_RECOVERED ? HAS_R : 0) |
	    (row->has & ROW_HAS_ACTIVE ? HAS_A : 0);
	pl->now.c = row->confirmed;
	pl->now.d = row->deaths;
	pl->now.r = row->recovered;
	pl->now.a = row->active;
	return 0;
}

/* A row is only kept here: the commit writes the date's rows in location
 * order (rows_put), so that each page of the per-place index is visited
 * once and in order, and the table's new rows are appended. */
int
store_date_row(struct store *s, const struct daily_row *row)
{
	const char *c = row->country_region;
	const char *p = row->province_state ? row->province_state : "";
	const char *a = row->admin2 ? row->admin2 : "";
	struct place *pl;
	long long id;
	int dup = 0, ren = store_rename_apply(s, c ? c : "", &p, &a);

	if (!s->in_date) {
		log_err("store: row outside a date");
		return -1;
	}
	if (c == NULL || *c == '\0') {
		log_err("store: line %ld: row without a country", row->line);
		return -1;
	}
	if ((id = store_location_id(s, c, p, a, row, 1)) < 0 ||
	    store_place_reserve(s, id) != 0)
		return -1;
	pl = &s->places[id];
	if (pl->gen == s->gen) {
		/* Two early names of one place add up (store_renames.c). */
		if ((dup = store_rename_merge(s, id, row, ren)) != 0)
			return dup < 0 ? -1 : 0;
		if ((dup = duplicate(s, id, row, p, a)) <= 0)
			return dup;
	}
	if (row_keep(s, pl, row, dup) != 0 ||
	    store_rename_given(s, id, ren) != 0)
		return -1;
	if (!dup) {
		pl->gen = s->gen;
		pl->line = row->line;
		s->kept++;
	}
	return 0;
}

/* Steps statement k (rows of location id, confirmed, deaths before the
 * date) into each place's prev (totals: rprev). */
static int
prev_read(struct store *s, enum stmt k, int totals)
{
	sqlite3_stmt *st = s->st[k];
	int rc;

	store_bind_text(st, 1, s->date);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		struct counts *p;

		if (store_place_reserve(s, id) != 0) {
			store_stmt_done(s, k);
			return -1;
		}
		p = totals ? &s->places[id].rprev : &s->places[id].prev;
		p->has = KNOWN |
		    (sqlite3_column_type(st, 1) != SQLITE_NULL ? HAS_C : 0) |
		    (sqlite3_column_type(st, 2) != SQLITE_NULL ? HAS_D : 0);
		p->c = sqlite3_column_int64(st, 1);
		p->d = sqlite3_column_int64(st, 2);
	}
	store_stmt_done(s, k);
	if (rc != SQLITE_DONE)
		return store_fail(s, "reading the previous counts");
	return 0;
}

/* A bulk load's prev_fill: no per-place index to seek, so what the places
 * lack is read in one scan of the table, once after each time they forgot
 * (ST_ROW_PREV_ALL); a place the scan does not find has no earlier row. */
static int
prev_fill_bulk(struct store *s, int totals)
{
	unsigned bit = totals ? PREV_TOTALS : PREV_ROWS;

	if (!(s->prev_complete & bit)) {
		if (prev_read(s, totals ? ST_REGION_PREV_ALL : ST_ROW_PREV_ALL,
		    totals) != 0)
			return -1;
		s->prev_complete |= bit;
	}
	for (size_t i = 0; i < s->place_cap; i++) {
		struct counts *p = totals ? &s->places[i].rprev : &s->places[i].prev;
		if (!(p->has & KNOWN))
			p->has = KNOWN;
	}
	return 0;
}

/* Fills prev (rprev) of the date's places that lack it from the database:
 * ST_ROW_PREV (ST_REGION_PREV), one statement for all of them. */
static int
prev_fill(struct store *s, int totals)
{
	if (s->bulk)
		return prev_fill_bulk(s, totals);
	return prev_read(s, totals ? ST_REGION_PREV : ST_ROW_PREV, totals);
}

/* A date that is not the newest: what the places remember is not the row
 * before it. */
static void
prev_forget_unless_in_order(struct store *s)
{
	if (s->when != 0)
		store_places_forget(s);
}

static int
rows_put(struct store *s)
{
	prev_forget_unless_in_order(s);
	if (prev_fill(s, 0) != 0)
		return -1;
	store_bind_text(s->st[ST_ROW_PUT], 1, s->date);
	sqlite3_bind_int64(s->st[ST_ROW_PUT], 2, s->file_id);
	return store_exec(s, ST_ROW_PUT, "adding the rows");
}

/* t += v as SQL's sum() adds: a value the row lacks is skipped, and a total
 * of only unknown values stays unknown (NULL), never a 0 made up from
 * nothing. Returns 0, or -1 when a total overflows (sum() fails then too). */
static int
counts_add(struct counts *t, const struct counts *v)
{
	static const unsigned bits[4] = { HAS_C, HAS_D, HAS_R, HAS_A };
	long long *tv[4] = { &t->c, &t->d, &t->r, &t->a };
	const long long vv[4] = { v->c, v->d, v->r, v->a };

	for (int i = 0; i < 4; i++) {
		if (!(v->has & bits[i]))
			continue;
		if (!(t->has & bits[i])) {
			t->has |= bits[i];
			*tv[i] = vv[i];
		} else if (__builtin_add_overflow(*tv[i], vv[i], tv[i]))
			return -1;
	}
	return 0;
}

/* The date's region totals: each row of the file is added to its place
 * (unless a county) and to every place above it. O(rows), where a GROUP BY
 * over the date's rows joined with location_region cost a seek per row and
 * two per region. The rows are this file's, which are the date's rows after
 * the commit: the same sums. */
static int
totals_sum(struct store *s)
{
	for (size_t i = 0; i < s->place_cap; i++) {
		const struct place *pl = &s->places[i];
		long long g;

		if (pl->gen != s->gen)
			continue;
		for (g = store_region_first(s, (long long)i); g > 0;
		    g = store_region_next(s, g)) {
			struct place *r = &s->places[g];

			if (r->rgen != s->gen) {
				r->rgen = s->gen;
				memset(&r->total, 0, sizeof r->total);
			}
			if (counts_add(&r->total, &pl->now) != 0) {
				log_err("store: %s: a region's total overflows", s->date);
				return -1;
			}
		}
		if (g < 0)
			return -1;
	}
	return 0;
}

/* One insert for all the date's region totals (summed by totals_sum; the
 * old ones are gone: ST_REGION_DELETE). */
static int
regions_put(struct store *s)
{
	if (prev_fill(s, 1) != 0)
		return -1;
	store_bind_text(s->st[ST_REGION_PUT], 1, s->date);
	return store_exec(s, ST_REGION_PUT, "adding the region totals");
}

/* The commit's statements, in order, and when each is needed: a date loaded
 * for the first time has no old rows to drop, and one newer than every
 * loaded date (a backfill, a daily run) has no next rows to fix. Each binds
 * ?1 = date and ?2 = this file. */
static const struct { enum stmt st; int when; } commit_steps[] = {
	{ ST_ROW_PUT,        ALWAYS },              /* the new rows (rows_put) */
	{ ST_TOUCHED_CLEAR,  IF_OLD | IF_LATER },   /* places the date had or has */
	{ ST_TOUCHED_FILL,   IF_OLD | IF_LATER },
	{ ST_ROWS_STALE,     IF_OLD },              /* the old version's rows go */
	{ ST_DELTA_NEXT,     IF_LATER },            /* the next rows' deltas */
	{ ST_RTOUCHED_CLEAR, IF_LATER },            /* the regions above them */
	{ ST_RTOUCHED_FILL,  IF_LATER },
	{ ST_REGION_DELETE,  IF_OLD },              /* the date's totals, new */
	{ ST_REGION_PUT,     ALWAYS },              /* (regions_put) */
	{ ST_RDELTA_NEXT,    IF_LATER },            /* the next totals' deltas */
};

int
store_date_commit(struct store *s, long long *loaded, long long *rejected)
{
	sqlite3_stmt *st;

	if (!s->in_date) {
		log_err("store: commit outside a date");
		return -1;
	}
	/* Whatever can be wrong with the file is known once its totals are
	 * summed (a total may overflow): up to here a date of a batch rolls
	 * back to its savepoint alone. What is left is writing rows that are
	 * known to be good, which only the database itself can fail (a full
	 * disk, an I/O error), and then the batch cannot commit anyway: so the
	 * savepoint ends here, and a failure from now on rolls the whole batch
	 * back (store_batch_commit says so; none of it is kept). Writing inside
	 * the savepoint would make SQLite copy each page first, one per place
	 * of each per-place index for every date: a quarter of a long
	 * backfill's time. */
	if (totals_sum(s) != 0)
		goto err;
	if (s->batching && store_step_end(s) != 0)
		goto err_ended;
	for (size_t i = 0; i < sizeof commit_steps / sizeof commit_steps[0]; i++) {
		enum stmt k = commit_steps[i].st;
		if (!(commit_steps[i].when & (ALWAYS | s->when)))
			continue;
		if (k == ST_ROW_PUT || k == ST_REGION_PUT) {
			if ((k == ST_ROW_PUT ? rows_put(s) : regions_put(s)) != 0)
				goto err;
			continue;
		}
		st = s->st[k];
		if (sqlite3_bind_parameter_count(st) >= 1)
			store_bind_text(st, 1, s->date);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_int64(st, 2, s->file_id);
		if (store_exec(s, k, "replacing the date's rows") != 0)
			goto err;
	}

	st = s->st[ST_FILE_FINISH];
	sqlite3_bind_int64(st, 1, s->file_id);
	sqlite3_bind_int64(st, 2, s->kept);
	sqlite3_bind_int64(st, 3, s->rejected);
	if (store_exec(s, ST_FILE_FINISH, "recording the file's counts") != 0)
		goto err;

	st = s->st[ST_SOURCE_PUT];
	store_bind_text(st, 1, s->date);
	store_bind_text(st, 2, s->src.url);
	store_bind_text_or_null(st, 3, s->src.etag);
	store_bind_text_or_null(st, 4, s->src.last_modified);
	store_bind_text(st, 5, s->src.sha256);
	sqlite3_bind_int64(st, 6, s->file_id);
	sqlite3_bind_int(st, 7, s->src.last_modified_strong);
	if (store_exec(s, ST_SOURCE_PUT, "recording the source file") != 0 ||
	    store_exec(s, ST_META_BUMP, "bumping the data version") != 0)
		goto err;
	if (!s->batching && store_step_end(s) != 0)
		goto err_ended;
	s->tx_rows += s->kept;
	if (s->when == 0)
		store_places_advance(s);
	else
		store_places_forget(s);
	if (loaded)
		*loaded = s->kept;
	if (rejected)
		*rejected = s->rejected;
	date_reset(s);
	return 0;
err:
	store_step_undo(s);
err_ended:
	date_reset(s);
	return -1;
}

void
store_date_abort(struct store *s)
{
	store_step_undo(s);
	date_reset(s);
}
