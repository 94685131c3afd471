/* store_series: loading one JHU time series file, a value at a time (store.h). */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "store/store_impl.h"

/*
 * A file is one metric of one product (confirmed_US, deaths_global, ...) for
 * every place and date, so its values go into one column of series. Each
 * value is an upsert that writes only when the stored value differs: a
 * revised file rewrites what JHU revised and nothing else. The totals of the
 * regions above each place are summed in memory while the values stream by
 * (the places of a file come in any order) and written at commit the same
 * way, so the load reads nothing back from the database.
 */

static void
series_reset(struct store *s)
{
	struct series_load *l = &s->series;

	free(l->name);
	store_source_release(&l->src);
	for (size_t i = 0; i < l->totals_n; i++) {
		free(l->totals[i].sum);
		free(l->totals[i].has);
	}
	free(l->totals);
	free(l->seen);
	memset(l, 0, sizeof *l);
}

/* The total of region in this file, created at zero. */
static struct series_total *
total_of(struct store *s, long long region)
{
	struct series_load *l = &s->series;
	struct series_total *t;

	for (size_t i = 0; i < l->totals_n; i++)
		if (l->totals[i].region == region)
			return &l->totals[i];
	if (l->totals_n == l->totals_cap) {
		size_t cap = l->totals_cap ? 2 * l->totals_cap : 64;
		if ((t = realloc(l->totals, cap * sizeof *t)) == NULL)
			goto oom;
		l->totals = t;
		l->totals_cap = cap;
		/* cur points into totals: found again by the caller */
	}
	t = &l->totals[l->totals_n];
	t->region = region;
	t->sum = calloc((size_t)l->days, sizeof *t->sum);
	t->has = calloc((size_t)l->days, 1);
	if (t->sum == NULL || t->has == NULL) {
		free(t->sum);
		free(t->has);
		goto oom;
	}
	l->totals_n++;
	return t;
oom:
	log_err("store: out of memory");
	return NULL;
}

/* The regions place id counts towards in this product: the places above it
 * and itself unless it is a county (location_region), but never a country
 * for the US files (the US is its own row of the global files). */
static int
find_regions(struct store *s, long long id)
{
	struct series_load *l = &s->series;
	long long regions[4];
	size_t n = 0;

	for (long long g = store_region_first(s, id); g > 0;
	    g = store_region_next(s, g)) {
		if (g < 0)
			return -1;
		if (l->product == SERIES_PRODUCT_US && s->places[g].parent == 0)
			continue;
		if (n == sizeof regions / sizeof regions[0]) {
			log_err("store: location %lld is too deep", id);
			return -1;
		}
		regions[n++] = g;
	}
	/* Made first, then pointed at: total_of may move the array. */
	for (size_t i = 0; i < n; i++)
		if (total_of(s, regions[i]) == NULL)
			return -1;
	for (size_t i = 0; i < n; i++)
		l->cur[i] = total_of(s, regions[i]);
	l->cur_n = n;
	return 0;
}

static const enum stmt put_of[] = {
	[SERIES_CONFIRMED] = ST_SERIES_PUT_C,
	[SERIES_DEATHS]    = ST_SERIES_PUT_D,
	[SERIES_RECOVERED] = ST_SERIES_PUT_R,
}, region_put_of[] = {
	[SERIES_CONFIRMED] = ST_SERIES_REGION_C,
	[SERIES_DEATHS]    = ST_SERIES_REGION_D,
	[SERIES_RECOVERED] = ST_SERIES_REGION_R,
};

/* How many places the file's previous version listed (0: none loaded). */
static int
previous_places(struct store *s)
{
	struct source_state have;
	int rc = store_series_source_get(s, s->series.name, s->series.src.url, &have);

	if (rc < 0)
		return -1;
	s->series.prev_places = rc == 1 ? have.places : 0;
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Notes that the file lists place id; a file listing a place twice would
 * count it twice in its regions' totals: refused. */
static int
seen_add(struct series_load *l, long long id)
{
	for (size_t i = 0; i < l->seen_n; i++)
		if (l->seen[i] == id) {
			log_err("store: series %s lists a place twice (location %lld)",
			    l->name, id);
			return -1;
		}
	if (l->seen_n == l->seen_cap) {
		size_t cap = l->seen_cap ? 2 * l->seen_cap : 1024;
		long long *v = realloc(l->seen, cap * sizeof *v);
		if (v == NULL) {
			log_err("store: out of memory");
			return -1;
		}
		l->seen = v;
		l->seen_cap = cap;
	}
	l->seen[l->seen_n++] = id;
	return 0;
}

/* A revised file that no longer lists some places of its previous version:
 * their values of this metric are emptied, so that what is stored (and
 * the region totals, summed from this file alone) is the file. Only then:
 * finding the places a product has scans the series. */
static int
drop_unlisted(struct store *s)
{
	struct series_load *l = &s->series;
	sqlite3_stmt *st = s->st[ST_SERIES_PLACES];
	long long *gone = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (l->prev_places == 0 || (long long)l->seen_n >= l->prev_places)
		return 0;
	qsort(l->seen, l->seen_n, sizeof *l->seen, cmp_id);
	sqlite3_bind_int(st, 1, l->product);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		if (bsearch(&id, l->seen, l->seen_n, sizeof id, cmp_id) != NULL)
			continue;
		if (n == cap) {
			long long *v = realloc(gone, (cap = cap ? 2 * cap : 64) *
			    sizeof *v);
			if (v == NULL) {
				free(gone);
				store_stmt_done(s, ST_SERIES_PLACES);
				log_err("store: out of memory");
				return -1;
			}
			gone = v;
		}
		gone[n++] = id;
	}
	store_stmt_done(s, ST_SERIES_PLACES);
	if (rc != SQLITE_DONE) {
		free(gone);
		return store_fail(s, "listing a series' places");
	}
	for (size_t i = 0; i < n; i++) {
		st = s->st[ST_SERIES_DROP];
		sqlite3_bind_int64(st, 1, gone[i]);
		sqlite3_bind_int(st, 2, l->metric);
		sqlite3_bind_int(st, 3, l->product);
		if (store_exec(s, ST_SERIES_DROP, "emptying a place the file "
		    "no longer lists") != 0) {
			free(gone);
			return -1;
		}
		l->changed += sqlite3_changes(s->db);
	}
	if (n > 0)
		log_warn("store: series %s: %zu place%s of its previous version "
		    "not listed any more: emptied", l->name, n, n == 1 ? "" : "s");
	free(gone);
	return 0;
}

int
store_series_begin(struct store *s, long long run_id,
    const struct fetch_record *f, enum series_product product,
    enum series_metric metric, long first_day, long days)
{
	struct series_load *l = &s->series;

	if (s->in_date || l->on) {
		log_err("store: a file is already being loaded");
		return -1;
	}
	if (f->series == NULL || (product != SERIES_PRODUCT_GLOBAL &&
	    product != SERIES_PRODUCT_US) || (unsigned)metric >
	    SERIES_RECOVERED || days <= 0 || first_day < 0) {
		log_err("store: not a series file");
		return -1;
	}
	if (store_file_begin(s, run_id, f, &l->file_id, &l->src) != 0)
		return -1;
	l->on = 1;
	l->product = product;
	l->metric = metric;
	l->put = put_of[metric];
	l->rput = region_put_of[metric];
	l->first_day = first_day;
	l->days = days;
	if ((l->name = strdup(f->series)) == NULL) {
		log_err("store: out of memory");
		store_series_abort(s);
		return -1;
	}
	if (previous_places(s) != 0) {
		store_series_abort(s);
		return -1;
	}
	return 0;
}

int
store_series_place(struct store *s, const char *country, const char *province,
    const char *admin2, const char *fips, const char *combined_key)
{
	struct daily_row names;
	long long id;

	if (!s->series.on) {
		log_err("store: a series place outside a series file");
		return -1;
	}
	/* A new place's FIPS and Combined_Key, as a daily report's row gives
	 * them; the lookup table says better where it knows the place. */
	memset(&names, 0, sizeof names);
	names.fips = fips ? fips : "";
	names.combined_key = combined_key ? combined_key : "";
	id = store_location_id(s, country, province ? province : "",
	    admin2 ? admin2 : "", &names, 1);
	if (id <= 0 || find_regions(s, id) != 0 || seen_add(&s->series, id) != 0)
		return -1;
	s->series.loc = id;
	return 0;
}

int
store_series_value(struct store *s, long day, int present, long long v)
{
	struct series_load *l = &s->series;
	sqlite3_stmt *st;
	char date[11];

	if (!l->on || l->loc <= 0) {
		log_err("store: a series value without its place");
		return -1;
	}
	if (day < l->first_day || day - l->first_day >= l->days) {
		log_err("store: a series value outside the file's dates");
		return -1;
	}
	date_ymd(day, date);
	st = s->st[l->put];
	sqlite3_bind_int64(st, 1, l->loc);
	store_bind_text(st, 2, date);
	sqlite3_bind_int(st, 3, l->product);
	store_bind_int_if(st, 4, present, v);
	if (store_exec(s, l->put, "storing a series value") != 0)
		return -1;
	l->values++;
	l->changed += sqlite3_changes(s->db);
	if (present) {
		size_t i = (size_t)(day - l->first_day);
		for (size_t k = 0; k < l->cur_n; k++) {
			struct series_total *t = l->cur[k];
			if (__builtin_add_overflow(t->sum[i], v, &t->sum[i])) {
				log_err("store: a series total overflows");
				return -1;
			}
			t->has[i] = 1;
		}
	}
	return 0;
}

/* Every region total of the file, written where it differs. */
static int
totals_put(struct store *s)
{
	struct series_load *l = &s->series;
	sqlite3_stmt *st = s->st[l->rput];
	char date[11];

	for (size_t i = 0; i < l->totals_n; i++) {
		const struct series_total *t = &l->totals[i];
		for (long d = 0; d < l->days; d++) {
			date_ymd(l->first_day + d, date);
			sqlite3_bind_int64(st, 1, t->region);
			store_bind_text(st, 2, date);
			store_bind_int_if(st, 3, t->has[d], t->sum[d]);
			if (store_exec(s, l->rput, "storing a series total") != 0)
				return -1;
			l->changed += sqlite3_changes(s->db);
		}
	}
	return 0;
}

int
store_series_commit(struct store *s, long long *values, long long *changed)
{
	struct series_load *l = &s->series;
	sqlite3_stmt *st;

	if (!l->on) {
		log_err("store: commit outside a series file");
		return -1;
	}
	if (drop_unlisted(s) != 0 || totals_put(s) != 0)
		goto err;
	st = s->st[ST_FILE_FINISH];
	sqlite3_bind_int64(st, 1, l->file_id);
	sqlite3_bind_int64(st, 2, l->values);
	sqlite3_bind_int64(st, 3, 0);
	if (store_exec(s, ST_FILE_FINISH, "recording the file's counts") != 0)
		goto err;
	st = s->st[ST_SERIES_SOURCE_PUT];
	store_bind_text(st, 1, l->name);
	store_bind_text(st, 2, l->src.url);
	store_bind_text_or_null(st, 3, l->src.etag);
	store_bind_text_or_null(st, 4, l->src.last_modified);
	sqlite3_bind_int(st, 5, l->src.last_modified_strong);
	store_bind_text(st, 6, l->src.sha256);
	sqlite3_bind_int64(st, 7, l->file_id);
	sqlite3_bind_int64(st, 8, (long long)l->seen_n);
	if (store_exec(s, ST_SERIES_SOURCE_PUT, "recording the series file") != 0)
		goto err;
	if (l->changed > 0 &&
	    store_exec(s, ST_META_BUMP, "bumping the data version") != 0)
		goto err;
	if (store_step_end(s) != 0) {
		series_reset(s);
		return -1;
	}
	if (values)
		*values = l->values;
	if (changed)
		*changed = l->changed;
	series_reset(s);
	return 0;
err:
	store_series_abort(s);
	return -1;
}

void
store_series_abort(struct store *s)
{
	if (s->series.on)
		store_step_undo(s);
	series_reset(s);
}
