/* store_renames: early city-style names to their county and state (place_rename, migration 0006). */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/store_impl.h"

/*
 * JHU's files of early 2020 name places "Boston, MA", "Cook County, IL",
 * "Toronto, ON" in Province/State; migration 0006's table place_rename says
 * which county and state each is. It is read once, at store_open, into a
 * sorted array (about 150 names): a row's names cost one binary search.
 *
 * Two renamed rows of one date that land on one place are added (see the
 * migration: "Toronto, ON" and "London, ON" are both Ontario), so the store
 * remembers, for the date being loaded, which name gave each such place its
 * row.
 */

struct rename {
	char *country, *province;       /* the early name */
	char *to_province, *to_admin2;  /* where it goes */
};

/* A place of the date being loaded whose row came through a rename. */
struct given {
	long long id;
	int       entry;                /* index in v, or -1: its own name */
};

struct store_renames {
	struct rename *v;               /* sorted by (country, province) */
	size_t         n;
	struct given  *given;           /* of generation given_gen */
	size_t         given_n, given_cap;
	unsigned       given_gen;
};

static int
rename_cmp(const char *c1, const char *p1, const char *c2, const char *p2)
{
	int r = strcmp(c1, c2);

	return r != 0 ? r : strcmp(p1, p2);
}

static int
rename_sort_cmp(const void *a, const void *b)
{
	const struct rename *x = a, *y = b;

	return rename_cmp(x->country, x->province, y->country, y->province);
}

static char *
column_dup(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return strdup(t ? t : "");
}

/* Appends one row of place_rename. */
static int
rename_add(struct store_renames *r, sqlite3_stmt *st, size_t *cap)
{
	struct rename *e;

	if (r->n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct rename *v = realloc(r->v, c * sizeof *v);

		if (v == NULL)
			return -1;
		r->v = v;
		*cap = c;
	}
	e = &r->v[r->n++];
	e->country = column_dup(st, 0);
	e->province = column_dup(st, 1);
	e->to_province = column_dup(st, 2);
	e->to_admin2 = column_dup(st, 3);
	if (!e->country || !e->province || !e->to_province || !e->to_admin2)
		return -1;
	return 0;
}

int
store_renames_load(struct store *s)
{
	static const char sql[] = "SELECT country_region, province_state, "
	    "to_province_state, to_admin2 FROM place_rename";
	struct store_renames *r = calloc(1, sizeof *r);
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = SQLITE_ERROR;

	if (r == NULL) {
		log_err("store: out of memory");
		return -1;
	}
	s->renames = r;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_err("store: reading place_rename: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rename_add(r, st, &cap) != 0) {
			sqlite3_finalize(st);
			log_err("store: out of memory");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_err("store: reading place_rename: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	qsort(r->v, r->n, sizeof *r->v, rename_sort_cmp);
	return 0;
}

void
store_renames_free(struct store *s)
{
	struct store_renames *r = s->renames;

	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].country);
		free(r->v[i].province);
		free(r->v[i].to_province);
		free(r->v[i].to_admin2);
	}
	free(r->v);
	free(r->given);
	free(r);
	s->renames = NULL;
}

/* The entry for (c, p) with no county, or -1. */
static int
rename_find(const struct store_renames *r, const char *c, const char *p)
{
	size_t lo = 0, hi = r ? r->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = rename_cmp(c, p, r->v[mid].country, r->v[mid].province);

		if (k == 0)
			return (int)mid;
		if (k < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int
store_rename_apply(const struct store *s, const char *c, const char **p,
    const char **a)
{
	int e;

	if (**a != '\0' || (e = rename_find(s->renames, c, *p)) < 0)
		return -1;
	*p = s->renames->v[e].to_province;
	*a = s->renames->v[e].to_admin2;
	return e;
}

/* What the date being loaded remembers of place id, or NULL. */
static struct given *
given_find(struct store *s, long long id)
{
	struct store_renames *r = s->renames;

	if (r->given_gen != s->gen)
		return NULL;
	for (size_t i = 0; i < r->given_n; i++)
		if (r->given[i].id == id)
			return &r->given[i];
	return NULL;
}

int
store_rename_given(struct store *s, long long id, int entry)
{
	struct store_renames *r = s->renames;
	struct given *g;

	if (r->given_gen != s->gen) {
		r->given_gen = s->gen;
		r->given_n = 0;
	}
	if ((g = given_find(s, id)) == NULL) {
		if (entry < 0)
			return 0;   /* nothing to remember: the usual case */
		if (r->given_n == r->given_cap) {
			size_t cap = r->given_cap ? r->given_cap * 2 : 16;
			struct given *v = realloc(r->given, cap * sizeof *v);

			if (v == NULL) {
				log_err("store: out of memory");
				return -1;
			}
			r->given = v;
			r->given_cap = cap;
		}
		g = &r->given[r->given_n++];
		g->id = id;
	}
	g->entry = entry;
	return 0;
}

/* *t += v for one count, as SQL's sum(): an absent value is skipped. */
static int
add_count(unsigned *has, unsigned bit, long long *t, unsigned vhas,
    long long v)
{
	if (!(vhas & bit))
		return 0;
	if (!(*has & bit)) {
		*has |= bit;
		*t = v;
		return 0;
	}
	return __builtin_add_overflow(*t, v, t) ? -1 : 0;
}

int
store_rename_merge(struct store *s, long long id, const struct daily_row *row,
    int entry)
{
	struct given *g = given_find(s, id);
	struct place *pl = &s->places[id];
	struct daily_row *old = &s->rows[pl->slot];

	/* Only two different early names of one place are added: a name given
	 * twice, or the place's own name, is a duplicate (store_date.c). */
	if (entry < 0 || g == NULL || g->entry < 0 || g->entry == entry)
		return 0;
	if (add_count(&old->has, ROW_HAS_CONFIRMED, &old->confirmed, row->has,
	    row->confirmed) != 0 ||
	    add_count(&old->has, ROW_HAS_DEATHS, &old->deaths, row->has,
	    row->deaths) != 0 ||
	    add_count(&old->has, ROW_HAS_RECOVERED, &old->recovered, row->has,
	    row->recovered) != 0 ||
	    add_count(&old->has, ROW_HAS_ACTIVE, &old->active, row->has,
	    row->active) != 0) {
		log_err("store: line %ld: a place's sum overflows", row->line);
		return -1;
	}
	/* Rates of one part are not the sum's. */
	old->has &= ~(unsigned)(ROW_HAS_INCIDENT | ROW_HAS_CFR);
	if (strcmp(row->last_update, old->last_update) > 0)
		memcpy(old->last_update, row->last_update, sizeof old->last_update);
	pl->now.has = (old->has & ROW_HAS_CONFIRMED ? HAS_C : 0) |
	    (old->has & ROW_HAS_DEATHS ? HAS_D : 0) |
	    (old->has & ROW_HAS_RECOVERED ? HAS_R : 0) |
	    (old->has & ROW_HAS_ACTIVE ? HAS_A : 0);
	pl->now.c = old->confirmed;
	pl->now.d = old->deaths;
	pl->now.r = old->recovered;
	pl->now.a = old->active;
	log_info("store: %s: line %ld (\"%s\") added to the row of \"%s\" "
	    "(place_rename)", s->date, row->line, row->province_state,
	    s->renames->v[g->entry].province);
	s->kept++;
	return 1;
}
