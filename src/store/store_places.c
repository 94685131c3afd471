/* store_places: the place tree and the location cache (names, slugs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/log.h"
#include "base/slug.h"
#include "store/store_impl.h"

/* ---- places ---- */

/* Grows the place array to hold location id. */
int
store_place_reserve(struct store *s, long long id)
{
	struct place *v;
	size_t cap;

	if ((size_t)id < s->place_cap)
		return 0;
	cap = s->place_cap ? s->place_cap : 4096;
	while (cap <= (size_t)id)
		cap *= 2;
	if ((v = realloc(s->places, cap * sizeof *v)) == NULL) {
		log_err("store: out of memory");
		return -1;
	}
	memset(v + s->place_cap, 0, (cap - s->place_cap) * sizeof *v);
	s->places = v;
	s->place_cap = cap;
	return 0;
}

/* Forgets every place's previous counts (see struct place). */
void
store_places_forget(struct store *s)
{
	for (size_t i = 0; i < s->place_cap; i++)
		s->places[i].prev.has = s->places[i].rprev.has = 0;
	s->prev_complete = 0;
}

/* After an in-order date: its rows and totals are the previous ones of the
 * next date. */
void
store_places_advance(struct store *s)
{
	for (size_t i = 0; i < s->place_cap; i++) {
		struct place *pl = &s->places[i];
		if (pl->gen == s->gen) {
			pl->prev = pl->now;
			pl->prev.has = KNOWN | (pl->now.has & (HAS_C | HAS_D));
		}
		if (pl->rgen == s->gen) {
			pl->rprev = pl->total;
			pl->rprev.has = KNOWN | (pl->total.has & (HAS_C | HAS_D));
		}
	}
}

/* The regions whose totals a place's row counts towards, the pairs of
 * location_region (migration 0002): the place itself unless it is a county,
 * then each place above it. for (g = store_region_first(s, id); g > 0;
 * g = store_region_next(s, g)); -1 (logged) if the parents make no tree. The
 * places of id and of everything above it are set. */
long long
store_region_first(const struct store *s, long long id)
{
	return s->places[id].county ? s->places[id].parent : id;
}

long long
store_region_next(const struct store *s, long long g)
{
	long long up = s->places[g].parent;

	/* Parents are created before their children, so ids go down. */
	if (up >= g || up < 0) {
		log_err("store: location %lld: its parent %lld makes no tree", g, up);
		return -1;
	}
	return up;
}

/* Records where location id sits in the tree. */
static int
place_set(struct store *s, long long id, long long parent, int county)
{
	if (store_place_reserve(s, id) != 0)
		return -1;
	s->places[id].parent = parent;
	s->places[id].county = county;
	return 0;
}

/* ---- the location cache ---- */

/* Builds "country\0province\0admin2" in s->key; returns its length or 0. */
static size_t
make_key(struct store *s, const char *c, const char *p, const char *a)
{
	size_t lc = strlen(c), lp = strlen(p), la = strlen(a);
	size_t n = lc + lp + la + 2;

	if (n + 1 > s->key_cap) {
		size_t cap = n + 64;
		char *k = realloc(s->key, cap);
		if (k == NULL) {
			log_err("store: out of memory");
			return 0;
		}
		s->key = k;
		s->key_cap = cap;
	}
	memcpy(s->key, c, lc);
	s->key[lc] = '\0';
	memcpy(s->key + lc + 1, p, lp);
	s->key[lc + 1 + lp] = '\0';
	memcpy(s->key + lc + lp + 2, a, la);
	s->key[n] = '\0';
	return n;
}

static struct loc *
loc_find(struct store *s, size_t keylen, uint32_t h)
{
	size_t mask = s->loc_cap - 1;

	if (s->loc_cap == 0)
		return NULL;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct loc *l = &s->locs[i];
		if (l->key == NULL)
			return NULL;
		if (l->hash == h && l->keylen == keylen &&
		    memcmp(l->key, s->key, keylen) == 0)
			return l;
	}
}

void
store_loc_clear(struct store *s)
{
	for (size_t i = 0; i < s->loc_cap; i++) {
		free(s->locs[i].key);
		free(s->locs[i].slug);
	}
	free(s->locs);
	s->locs = NULL;
	s->loc_cap = s->loc_n = 0;
}

/* Adds the key in s->key (not yet present). */
static struct loc *
loc_add(struct store *s, size_t keylen, long long id, const char *slug)
{
	struct loc *l;
	uint32_t h = fnv1a32(s->key, keylen);

	if ((s->loc_n + 1) * 2 > s->loc_cap) {
		size_t cap = s->loc_cap ? s->loc_cap * 2 : 1024;
		struct loc *v = calloc(cap, sizeof *v);
		if (v == NULL) {
			log_err("store: out of memory");
			return NULL;
		}
		for (size_t i = 0; i < s->loc_cap; i++) {
			struct loc *o = &s->locs[i];
			size_t j;
			if (o->key == NULL)
				continue;
			for (j = o->hash & (cap - 1); v[j].key != NULL;
			    j = (j + 1) & (cap - 1))
				;
			v[j] = *o;
		}
		free(s->locs);
		s->locs = v;
		s->loc_cap = cap;
	}
	for (size_t i = h & (s->loc_cap - 1);; i = (i + 1) & (s->loc_cap - 1)) {
		l = &s->locs[i];
		if (l->key == NULL)
			break;
	}
	l->key = malloc(keylen + 1);
	l->slug = strdup(slug);
	if (l->key == NULL || l->slug == NULL) {
		free(l->key);
		free(l->slug);
		l->key = l->slug = NULL;
		log_err("store: out of memory");
		return NULL;
	}
	memcpy(l->key, s->key, keylen + 1);
	l->keylen = keylen;
	l->hash = h;
	l->id = id;
	s->loc_n++;
	return l;
}

/* Changes when another connection commits: then the cache may be stale. */
static long long
data_version(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_DATA_VERSION];
	long long v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	store_stmt_done(s, ST_DATA_VERSION);
	return v;
}

/* (Re)reads every location: O(locations), a few thousand. */
static int
loc_load(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_LOC_ALL];
	int rc;

	store_loc_clear(s);
	store_places_forget(s);
	s->loc_dv = data_version(s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 1);
		const char *p = (const char *)sqlite3_column_text(st, 2);
		const char *a = (const char *)sqlite3_column_text(st, 3);
		const char *slug = (const char *)sqlite3_column_text(st, 4);
		long long id = sqlite3_column_int64(st, 0);
		size_t n = make_key(s, c ? c : "", p ? p : "", a ? a : "");
		if (n == 0 || loc_add(s, n, id, slug ? slug : "") == NULL ||
		    place_set(s, id, sqlite3_column_int64(st, 5),
		    sqlite3_column_int(st, 6)) != 0) {
			store_stmt_done(s, ST_LOC_ALL);
			return -1;
		}
	}
	store_stmt_done(s, ST_LOC_ALL);
	if (rc != SQLITE_DONE)
		return store_fail(s, "reading locations");
	s->loc_stale = 0;
	return 0;
}

/* Called inside a write transaction: reloads the cache when it may not match
 * the database (after a rollback, or another connection's commit). */
int
store_loc_fresh(struct store *s)
{
	if (!s->loc_stale && data_version(s) == s->loc_dv)
		return 0;
	return loc_load(s);
}

static int
slug_taken(struct store *s, const char *slug)
{
	sqlite3_stmt *st = s->st[ST_SLUG_TAKEN];
	int rc;

	store_bind_text(st, 1, slug);
	rc = sqlite3_step(st);
	store_stmt_done(s, ST_SLUG_TAKEN);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, "checking a slug");
}

/* parent/segment; returns its length. */
static size_t
base_slug(const char *parent, const char *name, char out[SLUG_MAX])
{
	char seg[SEGMENT_MAX];

	if (slug_segment(name, seg, sizeof seg) == 0)
		snprintf(seg, sizeof seg, "unnamed");
	return (size_t)snprintf(out, SLUG_MAX, "%s%s%s", parent ? parent : "",
	    parent ? "/" : "", seg);
}

/* parent/segment, made unique: a slug already taken (two names folding to
 * the same letters that are not one place, see folded()) gets the hash of
 * the exact names as a suffix, so the same name always gets the same slug. */
static int
make_slug(struct store *s, const char *parent, const char *name, size_t keylen,
    char out[SLUG_MAX])
{
	size_t n = base_slug(parent, name, out);
	int t;

	if ((t = slug_taken(s, out)) <= 0)
		return t;
	snprintf(out + n, SLUG_MAX - n, "-%08x",
	    (unsigned)fnv1a32(s->key, keylen));
	for (int i = 2; (t = slug_taken(s, out)) == 1; i++)
		snprintf(out + n + 9, SLUG_MAX - n - 9, "-%d", i);
	return t;
}

/* A daily report's name for a place of the lookup table, spelt another way:
 * the place under the same parent whose name folds to the same slug and
 * that the lookup table knows (it has a uid). Some 2020 files say
 * "Do\xc3\xb1a Ana" (New Mexico, US) where the table and the other files say
 * "Dona Ana": one county, one series. The key in s->key (keylen bytes) is
 * then remembered as another name of that place. Returns its id, 0 when
 * there is none, -1. */
static long long
folded(struct store *s, const char *parent_slug, const char *name,
    size_t keylen)
{
	sqlite3_stmt *st = s->st[ST_LOC_FOLDED];
	char slug[SLUG_MAX];
	long long id = 0;
	int rc;

	base_slug(parent_slug, name, slug);
	store_bind_text(st, 1, slug);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 3);
		const char *p = (const char *)sqlite3_column_text(st, 2);
		const char *c = (const char *)sqlite3_column_text(st, 1);

		id = sqlite3_column_int64(st, 0);
		log_info("store: \"%s\" is the lookup table's \"%s\" (%s)", name,
		    a && *a ? a : p && *p ? p : c ? c : "?", slug);
	}
	store_stmt_done(s, ST_LOC_FOLDED);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "matching a place's name");
	if (id > 0 && loc_add(s, keylen, id, slug) == NULL)
		return -1;
	return id;
}

/* The id of the location (country, province, admin2), created with its
 * parents when missing. row (may be NULL) gives a new location's FIPS and
 * Combined_Key until the lookup table says better. fold: a name of a daily
 * report, which may be another spelling of a lookup table place (folded()). */
long long
store_location_id(struct store *s, const char *c, const char *p, const char *a,
    const struct daily_row *row, int fold)
{
	sqlite3_stmt *st;
	struct loc *l;
	const char *level, *name, *parent_slug = NULL;
	long long id, parent = 0;
	char slug[SLUG_MAX];
	size_t n;

	store_rename_apply(s, c, &p, &a);   /* "Boston, MA": migration 0006 */
	if ((n = make_key(s, c, p, a)) == 0)
		return -1;
	if ((l = loc_find(s, n, fnv1a32(s->key, n))) != NULL)
		return l->id;

	if (*a != '\0') {
		level = "county";
		name = a;
		/* A county with no province hangs off its country. */
		parent = store_location_id(s, c, p, "", NULL, fold);
	} else if (*p != '\0') {
		level = "province";
		name = p;
		parent = store_location_id(s, c, "", "", NULL, fold);
	} else {
		level = "country";
		name = c;
	}
	if (parent < 0)
		return -1;
	if (parent > 0) {
		/* The recursion reused s->key; find the parent's slug. */
		n = *a != '\0' ? make_key(s, c, p, "") : make_key(s, c, "", "");
		if (n == 0 || (l = loc_find(s, n, fnv1a32(s->key, n))) == NULL)
			return -1;
		parent_slug = l->slug;
	}
	if ((n = make_key(s, c, p, a)) == 0)
		return -1;
	if (fold && (id = folded(s, parent_slug, name, n)) != 0)
		return id;
	if (make_slug(s, parent_slug, name, n, slug) != 0)
		return -1;

	st = s->st[ST_LOC_INSERT];
	store_bind_text(st, 1, level);
	if (parent > 0)
		sqlite3_bind_int64(st, 2, parent);
	store_bind_text(st, 3, c);
	store_bind_text(st, 4, p);
	store_bind_text(st, 5, a);
	store_bind_text_or_null(st, 6, row ? row->fips : NULL);
	store_bind_text_or_null(st, 7, row ? row->combined_key : NULL);
	store_bind_text(st, 8, slug);
	if (store_exec(s, ST_LOC_INSERT, "adding a location") != 0)
		return -1;
	id = sqlite3_last_insert_rowid(s->db);

	if (place_set(s, id, parent, *a != '\0') != 0)
		return -1;
	for (long long g = store_region_first(s, id); g > 0;
	    g = store_region_next(s, g)) {
		if (g < 0)
			return -1;
		sqlite3_bind_int64(s->st[ST_LOC_REGION], 1, id);
		sqlite3_bind_int64(s->st[ST_LOC_REGION], 2, g);
		if (store_exec(s, ST_LOC_REGION, "adding a location's regions") != 0)
			return -1;
	}
	if ((n = make_key(s, c, p, a)) == 0 || loc_add(s, n, id, slug) == NULL)
		return -1;
	return id;
}

