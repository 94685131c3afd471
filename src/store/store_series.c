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
	free(l->url);
	free(l->etag);
	free(l->last_modified);
	free(l->sha256);
	for (size_t i = 0; i < l->totals_n; i++) {
		free(l->totals[i].sum);
		free(l->totals[i].has);
	}
	free(l->totals);
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

static char *
dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
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
	if (store_step_begin(s) != 0)
		return -1;
	if (store_file_insert(s, run_id, f, "loaded", NULL) != 0) {
		store_step_undo(s);
		return -1;
	}
	l->on = 1;
	l->file_id = sqlite3_last_insert_rowid(s->db);
	l->product = product;
	l->put = put_of[metric];
	l->rput = region_put_of[metric];
	l->first_day = first_day;
	l->days = days;
	l->name = strdup(f->series);
	l->url = strdup(f->url ? f->url : "");
	l->etag = dup_or_null(f->etag);
	l->last_modified = dup_or_null(f->last_modified);
	l->last_modified_strong = f->last_modified != NULL &&
	    f->last_modified_strong != 0;
	l->sha256 = strdup(f->sha256 ? f->sha256 : "");
	if (l->name == NULL || l->url == NULL || l->sha256 == NULL ||
	    (f->etag && l->etag == NULL) ||
	    (f->last_modified && l->last_modified == NULL)) {
		log_err("store: out of memory");
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
	if (id <= 0 || find_regions(s, id) != 0)
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
	if (totals_put(s) != 0)
		goto err;
	st = s->st[ST_FILE_FINISH];
	sqlite3_bind_int64(st, 1, l->file_id);
	sqlite3_bind_int64(st, 2, l->values);
	sqlite3_bind_int64(st, 3, 0);
	if (store_exec(s, ST_FILE_FINISH, "recording the file's counts") != 0)
		goto err;
	st = s->st[ST_SERIES_SOURCE_PUT];
	store_bind_text(st, 1, l->name);
	store_bind_text(st, 2, l->url);
	store_bind_text_or_null(st, 3, l->etag);
	store_bind_text_or_null(st, 4, l->last_modified);
	sqlite3_bind_int(st, 5, l->last_modified_strong);
	store_bind_text(st, 6, l->sha256);
	sqlite3_bind_int64(st, 7, l->file_id);
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
