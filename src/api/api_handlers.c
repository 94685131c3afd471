/* api_handlers: one function per JSON endpoint (api.h's route table).
 * Every figure comes from the query layer's statement for it (query.h), the
 * one the pages use; only what no page shows has its own (query_api.h).
 * Bodies are written as they are made (web/json_writer.h), never built whole. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_handlers.h"
#include "base/date.h"
#include "base/log.h"

static const char *const level_names[GEO__MAX] = { "country", "province", "county" };

/*
 * Pieces every body shares.
 */

/* Opens the body: headers, the writer, the object and its data version.
 * Returns 0 when the body should follow. */
static int
begin(struct api_ctx *c)
{
	if (!api_headers(c, 200, NULL, HTTP_CACHE_DATA, 0))
		return -1;
	if (jw_open(&c->w, c->out, 0) != 0) {
		log_err("api: out of memory for the writer");
		return -1;
	}
	jw_obj(&c->w);
	jw_kint(&c->w, "data_version", c->app->meta.data_version);
	return 0;
}

static void
end(struct api_ctx *c)
{
	jw_kstr(&c->w, "source", API_SOURCE);
	jw_kstr(&c->w, "license", API_LICENSE_URL);
	jw_end_obj(&c->w);
	if (c->w.failed)
		log_err("api: %s: the writer stopped (a bug)", c->r->path);
	jw_close(&c->w);
}

static const char *
param(struct api_ctx *c, enum api_param_id k)
{
	const struct http_field *f = http_get(c->r, k);
	return f != NULL ? f->val : NULL;
}

static long long
param_num(struct api_ctx *c, enum api_param_id k, long long def)
{
	const struct http_field *f = http_get(c->r, k);
	return f != NULL ? f->num : def;
}

/* A 400 or 404 about one parameter's value, found out after the check. */
static void
refuse(struct api_ctx *c, int status, enum api_param_id k, const char *detail)
{
	struct api_problem p;

	memset(&p, 0, sizeof p);
	p.status = status;
	snprintf(p.title, sizeof p.title, "%s", http_reason(status));
	snprintf(p.detail, sizeof p.detail, "%s", detail);
	if (k < P__MAX)
		snprintf(p.param, sizeof p.param, "%s", api_keys[k].name);
	api_problem(c->r, c->out, &p, 0);
}

static void
server_error(struct api_ctx *c)
{
	api_fail(c->r, c->out, 500, "The database could not be read; the log "
	    "says why. Please try again later.");
}

/* A count held as a double (NAN: unknown) as a JSON integer or null. */
static void
count(struct jw *w, const char *key, double v)
{
	jw_kint(w, key, isfinite(v) ? (long long)v : JW_NONE);
}

static void
links(struct jw *w, const char *slug)
{
	char buf[HTTP_MAX_PATH + 32];

	snprintf(buf, sizeof buf, "/region/%s", slug);
	jw_kstr(w, "url", buf);
	snprintf(buf, sizeof buf, "/api/v1/places/%s", slug);
	jw_kstr(w, "api", buf);
}

static void
figures(struct jw *w, const struct q_figures *f)
{
	jw_obj(w);
	jw_kstr(w, "date", f->date[0] ? f->date : NULL);
	jw_kint(w, "confirmed", f->confirmed);
	jw_kint(w, "deaths", f->deaths);
	jw_kint(w, "new_confirmed", f->new_confirmed);
	jw_kint(w, "new_deaths", f->new_deaths);
	jw_knum(w, "avg_new_confirmed", f->avg_confirmed);
	jw_knum(w, "avg_new_deaths", f->avg_deaths);
	jw_kstr(w, "product", f->source == Q_FROM_SERIES ? "time_series" :
	    "daily_reports");
	jw_end_obj(w);
}

static void
place_link(struct jw *w, const struct q_location *l)
{
	jw_obj(w);
	jw_kstr(w, "slug", l->slug);
	jw_kstr(w, "name", l->name);
	jw_kstr(w, "level", level_names[l->level]);
	links(w, l->slug);
	jw_end_obj(w);
}

static const char *
or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* A PlaceItem: names, identifiers, the newest figures f. */
static int
place_item(struct api_ctx *c, const struct q_location *l, const struct q_figures *f)
{
	struct jw *w = &c->w;
	long long uid;
	char fips[16];

	if (query_api_ids(c->app->qa, l->id, &uid, fips, sizeof fips) != 0)
		return -1;
	jw_obj(w);
	jw_kstr(w, "slug", l->slug);
	jw_kstr(w, "name", l->name);
	jw_kstr(w, "level", level_names[l->level]);
	links(w, l->slug);
	jw_kstr(w, "country", l->country);
	jw_kstr(w, "province", or_null(l->province));
	jw_kstr(w, "county", or_null(l->county));
	jw_kstr(w, "iso3", or_null(l->iso3));
	jw_kint(w, "uid", uid);
	jw_kstr(w, "fips", or_null(fips));
	jw_kint(w, "population", l->population);
	jw_key(w, "latest");
	figures(w, f);
	jw_end_obj(w);
	return 0;
}

/* A place's newest figures: the last row of its history (as its page). */
static int
latest(struct api_ctx *c, const struct q_location *l, struct q_figures *f)
{
	struct q_series s;

	memset(f, 0, sizeof *f);
	f->confirmed = f->deaths = f->new_confirmed = f->new_deaths = Q_NONE;
	f->avg_confirmed = f->avg_deaths = NAN;
	if (query_series(c->app->q, &c->app->arena, l, &s) != 0)
		return -1;
	if (s.n > 0)
		q_series_figures(&s, s.n - 1, f);
	return 0;
}

/*
 * /api/v1/summary
 */

/* The world's history, read once per data version: it sums every
 * country's totals over every date (query.h: "call once per data
 * version"), far more than one request should pay for. The series lives
 * in an arena of its own until the data version moves. */
static struct {
	long long       version;   /* -1: nothing yet */
	struct arena    a;
	struct q_series s;
	char            counted[11];   /* the date ncountries is of, or "" */
	size_t          ncountries;
} world = { .version = -1 };

static int
world_series(struct api_ctx *c, struct q_series *s)
{
	if (world.version != c->app->meta.data_version) {
		world.version = -1;
		arena_reset(&world.a);
		world.counted[0] = '\0';
		if (query_world_series(c->app->q, &world.a, &world.s) != 0)
			return -1;
		world.version = c->app->meta.data_version;
	}
	*s = world.s;
	return 0;
}

void
api_summary(struct api_ctx *c)
{
	struct q_series s;
	struct q_figures f;
	struct q_row *rows;
	size_t n, i;
	const char *date = param(c, P_DATE);
	struct jw *w = &c->w;
	long long recovered;

	if (world_series(c, &s) != 0) {
		server_error(c);
		return;
	}
	if (date == NULL && s.n > 0)
		date = s.dates[s.n - 1];
	for (i = 0; date != NULL && i < s.n && strcmp(s.dates[i], date) != 0; i++)
		;
	if (date == NULL || i == s.n) {
		refuse(c, 404, date != NULL ? P_DATE : P__MAX, date != NULL ?
		    "There are no figures for that date; /api/v1/status gives "
		    "the oldest and newest." : "There is no data yet.");
		return;
	}
	q_series_figures(&s, i, &f);
	/* How many countries have figures on the date: remembered for the
	 * last date asked (the newest, mostly) until the data changes. */
	if (strcmp(world.counted, date) == 0)
		n = world.ncountries;
	else if (query_countries(c->app->q, &c->app->arena, date, &rows, &n) != 0) {
		server_error(c);
		return;
	} else {
		snprintf(world.counted, sizeof world.counted, "%s", date);
		world.ncountries = n;
	}
	if (query_api_world_recovered(c->app->qa, date, &recovered) != 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	jw_kstr(w, "newest_date", or_null(c->app->meta.newest));
	jw_kstr(w, "date", date);
	jw_kint(w, "confirmed", f.confirmed);
	jw_kint(w, "deaths", f.deaths);
	jw_kint(w, "new_confirmed", f.new_confirmed);
	jw_kint(w, "new_deaths", f.new_deaths);
	jw_kint(w, "recovered", recovered);   /* JW_NONE: unknown */
	jw_knum(w, "avg_new_confirmed", f.avg_confirmed);
	jw_knum(w, "avg_new_deaths", f.avg_deaths);
	jw_kint(w, "countries", (long long)n);
	end(c);
}

/*
 * /api/v1/status
 */

static void
run(struct jw *w, int found, const struct qs_run *r)
{
	if (!found) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_kint(w, "id", r->id);
	jw_kstr(w, "status", r->status);
	jw_kstr(w, "started_at", r->started_at);
	jw_kstr(w, "finished_at", or_null(r->finished_at));
	jw_kint(w, "seconds", r->seconds);
	jw_kint(w, "dates_loaded", r->dates_loaded);
	jw_kint(w, "dates_failed", r->dates_failed);
	jw_kint(w, "rows_loaded", r->rows_loaded);
	jw_kstr(w, "message", or_null(r->message));
	jw_end_obj(w);
}

void
api_status(struct api_ctx *c)
{
	struct qs_run last, ok;
	int has_last, has_ok;
	struct jw *w = &c->w;

	if ((has_last = query_status_last_run(c->app->qs, &c->app->arena, &last)) < 0 ||
	    (has_ok = query_status_last_ok(c->app->qs, &c->app->arena, &ok)) < 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	jw_kstr(w, "newest_date", or_null(c->app->meta.newest));
	jw_kstr(w, "oldest_date", or_null(c->app->meta.oldest));
	jw_kstr(w, "refreshed_at", or_null(c->app->meta.refreshed_at));
	jw_key(w, "last_run");
	run(w, has_last, &last);
	jw_key(w, "last_ok_run");
	run(w, has_ok, &ok);
	end(c);
}

/*
 * /api/v1/places
 */

/* Whether l is in country: its name, or its ISO3 code, any case. */
static int
in_country(const struct q_location *l, const char *country)
{
	return strcasecmp(l->country, country) == 0 ||
	    (l->iso3 != NULL && strcasecmp(l->iso3, country) == 0);
}

/* The link to the page after this one: the request's own parameters with
 * the cursor moved on. */
static void
next_link(struct api_ctx *c, long long cursor)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	char num[32];

	api_normal_form(c->route, c->r, c->r->path, &s);
	/* The normal form holds the old cursor, if any: drop it. */
	if (param(c, P_CURSOR) != NULL && b.data != NULL) {
		char *at = strstr(b.data, "&cursor=");
		if (at == NULL)
			at = strstr(b.data, "?cursor=");
		if (at != NULL) {
			*at = '\0';
			b.len = (size_t)(at - b.data);
		}
	}
	snprintf(num, sizeof num, "%ccursor=%lld",
	    b.data != NULL && strchr(b.data, '?') != NULL ? '&' : '?', cursor);
	sink_puts(&s, num);
	jw_kstr(&c->w, "next", s.failed ? NULL : b.data);
	membuf_free(&b);
}

void
api_places(struct api_ctx *c)
{
	const char *text = param(c, P_Q), *country = param(c, P_COUNTRY);
	long long level = param_num(c, P_LEVEL, -1);
	size_t limit = (size_t)param_num(c, P_LIMIT, API_LIMIT_DEFAULT);
	size_t cursor = (size_t)param_num(c, P_CURSOR, 0);
	struct q_location *rows;
	size_t n, total, kept = 0, shown = 0;
	struct jw *w = &c->w;

	/* Every match, ranked as /regions; the filters and the page here. */
	if (query_search(c->app->q, &c->app->arena, text != NULL ? text : "", 0,
	    (size_t)API_CURSOR_MAX, &rows, &n, &total) != 0) {
		server_error(c);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if ((level < 0 || rows[i].level == level) &&
		    (country == NULL || in_country(&rows[i], country)))
			rows[kept++] = rows[i];
	if (begin(c) != 0)
		return;
	jw_kint(w, "total", (long long)kept);
	jw_kint(w, "limit", (long long)limit);
	jw_kint(w, "cursor", (long long)cursor);
	jw_key(w, "places");
	jw_arr(w);
	for (size_t i = cursor; i < kept && shown < limit; i++, shown++) {
		struct q_figures f;
		if (latest(c, &rows[i], &f) != 0 || place_item(c, &rows[i], &f) != 0)
			break;   /* logged; the body ends short of valid JSON */
	}
	jw_end_arr(w);
	if (cursor + shown < kept)
		next_link(c, (long long)(cursor + shown));
	else
		jw_kstr(w, "next", NULL);
	end(c);
}

/*
 * /api/v1/places/{place}
 */

/* The place named by c->place: 1 found, 0 not (answered 404), -1 error
 * (answered 500). */
static int
find_place(struct api_ctx *c, struct q_location *l)
{
	long long id;
	int rc;
	char detail[256];

	rc = query_location(c->app->q, &c->app->arena, c->place, l);
	if (rc == 0 && (rc = query_api_find(c->app->qa, c->place, &id)) == 1)
		rc = query_location_id(c->app->q, &c->app->arena, id, l);
	if (rc < 0)
		server_error(c);
	if (rc == 0) {
		snprintf(detail, sizeof detail, "No place has the slug, ISO3 "
		    "code, UID or FIPS code \xe2\x80\x9c%.64s\xe2\x80\x9d; "
		    "/api/v1/places?q= finds places by name.", c->place);
		api_fail(c->r, c->out, 404, detail);
	}
	return rc;
}

void
api_place(struct api_ctx *c)
{
	struct q_location l, parent;
	struct q_figures f;
	struct q_row *kids;
	size_t nkids;
	int has_parent = 0;
	struct jw *w = &c->w;
	char buf[HTTP_MAX_PATH + 32];

	if (find_place(c, &l) != 1)
		return;
	if ((l.parent_id != 0 && (has_parent = query_location_id(c->app->q,
	    &c->app->arena, l.parent_id, &parent)) < 0) ||
	    latest(c, &l, &f) != 0 ||
	    query_children(c->app->q, &c->app->arena, &l, &kids, &nkids) != 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	jw_key(w, "place");
	if (place_item(c, &l, &f) != 0)
		jw_null(w);
	jw_knum(w, "confirmed_per_100k", q_per_100k(f.confirmed, l.population));
	jw_knum(w, "deaths_per_100k", q_per_100k(f.deaths, l.population));
	jw_key(w, "parent");
	if (has_parent == 1)
		place_link(w, &parent);
	else
		jw_null(w);
	jw_key(w, "children");
	jw_arr(w);
	for (size_t i = 0; i < nkids; i++)
		if (place_item(c, &kids[i].loc, &kids[i].fig) != 0)
			break;
	jw_end_arr(w);
	snprintf(buf, sizeof buf, "/api/v1/places/%s/series", l.slug);
	jw_kstr(w, "series", buf);
	end(c);
}

/*
 * /api/v1/places/{place}/series
 */

enum interval { I_DAY, I_WEEK, I_MONTH };

/* The period a day falls in: itself, its ISO week (1970-01-01 was a
 * Thursday: +3 makes weeks start on Mondays), its month. */
static long
period(long days, enum interval iv)
{
	int y, m, d;

	if (iv == I_DAY)
		return days;
	if (iv == I_WEEK)
		return (days + 3) >= 0 ? (days + 3) / 7 : (days + 3 - 6) / 7;
	date_to_civil(days, &y, &m, &d);
	return (long)y * 12 + m;
}

struct point {
	const char *date;
	double confirmed, deaths, new_confirmed, new_deaths, avg_c, avg_d;
	long long metrics;   /* which of api_metrics to write (bits) */
};

static void
point(struct jw *w, const struct point *p, long long population)
{
	/* In api_metrics' order; the first four are counts. */
	const double v[] = {
		p->confirmed, p->deaths, p->new_confirmed, p->new_deaths,
		p->avg_c, p->avg_d,
		isfinite(p->confirmed) ? q_per_100k((long long)p->confirmed, population) : NAN,
		isfinite(p->deaths) ? q_per_100k((long long)p->deaths, population) : NAN,
	};

	jw_obj(w);
	jw_kstr(w, "date", p->date);
	for (size_t i = 0; i < sizeof v / sizeof v[0] && api_metrics[i] != NULL; i++) {
		if (!(p->metrics & (1LL << i)))
			continue;
		if (i < 4)
			count(w, api_metrics[i], v[i]);
		else
			jw_knum(w, api_metrics[i], v[i]);
	}
	jw_end_obj(w);
}

/* Adds v to a period's sum (NAN + NAN stays unknown; a known value wins). */
static double
add(double sum, double v)
{
	if (!isfinite(v))
		return sum;
	return isfinite(sum) ? sum + v : v;
}

/* Writes s's points in [first, last] by interval: a day's own figures, or
 * a period's last date with its cumulative figures and the sum of its new
 * ones. */
static void
points(struct jw *w, const struct q_series *s, size_t first, size_t last,
    enum interval iv, long long population, long long metrics)
{
	struct point p = { 0 };
	long cur = 0;
	int open = 0;

	p.metrics = metrics;

	for (size_t i = first; i <= last && i < s->n; i++) {
		long per = period(date_days(s->dates[i]), iv);
		if (open && per != cur)
			point(w, &p, population);
		if (!open || per != cur) {
			p.new_confirmed = p.new_deaths = NAN;
			cur = per;
			open = 1;
		}
		p.date = s->dates[i];
		p.confirmed = s->confirmed[i];
		p.deaths = s->deaths[i];
		p.new_confirmed = add(p.new_confirmed, s->new_confirmed[i]);
		p.new_deaths = add(p.new_deaths, s->new_deaths[i]);
		p.avg_c = iv == I_DAY ? s->avg_confirmed[i] : NAN;
		p.avg_d = iv == I_DAY ? s->avg_deaths[i] : NAN;
	}
	if (open)
		point(w, &p, population);
}

/* The part of s in range: from/to, then the last N days of what is left.
 * [*first, *last) */
static void
series_range(struct api_ctx *c, const struct q_series *s, size_t *first,
    size_t *last)
{
	const struct http_field *from = http_get(c->r, P_FROM), *to = http_get(c->r, P_TO);
	long long lastdays = param_num(c, P_LASTDAYS, 0);

	*first = 0;
	*last = s->n;
	while (*first < s->n && from != NULL && date_days(s->dates[*first]) < from->num)
		(*first)++;
	while (*last > *first && to != NULL && date_days(s->dates[*last - 1]) > to->num)
		(*last)--;
	if (lastdays > 0 && *last > *first) {
		long end_day = date_days(s->dates[*last - 1]);
		while (*first < *last && date_days(s->dates[*first]) <= end_day - lastdays)
			(*first)++;
	}
}

/* from after to: a 400 (answered). */
static int
range_refused(struct api_ctx *c)
{
	const struct http_field *from = http_get(c->r, P_FROM), *to = http_get(c->r, P_TO);

	if (from == NULL || to == NULL || from->num <= to->num)
		return 0;
	refuse(c, 400, P_FROM, "The parameter \xe2\x80\x9c" "from\xe2\x80\x9d "
	    "must not be after \xe2\x80\x9cto\xe2\x80\x9d.");
	return 1;
}

/* The rest of a series body: interval, product, points. */
static void
series_body(struct api_ctx *c, const struct q_series *s, long long population)
{
	enum interval iv = (enum interval)param_num(c, P_INTERVAL, I_DAY);
	struct jw *w = &c->w;
	size_t first, last;

	series_range(c, s, &first, &last);
	jw_kstr(w, "interval", api_keys[P_INTERVAL].choices[iv]);
	jw_kstr(w, "product", s->source == Q_FROM_SERIES ? "time_series" : "daily_reports");
	jw_key(w, "points");
	jw_arr(w);
	if (last > first)
		points(w, s, first, last - 1, iv, population,
		    param_num(c, P_METRICS, (1LL << 8) - 1));
	jw_end_arr(w);
}

void
api_series(struct api_ctx *c)
{
	struct q_location l;
	struct q_series s;

	if (range_refused(c) || find_place(c, &l) != 1)
		return;
	if (query_series(c->app->q, &c->app->arena, &l, &s) != 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	jw_key(&c->w, "place");
	place_link(&c->w, &l);
	series_body(c, &s, l.population);
	end(c);
}

void
api_world_series(struct api_ctx *c)
{
	struct q_series s;

	if (range_refused(c))
		return;
	if (world_series(c, &s) != 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	series_body(c, &s, Q_NONE);
	end(c);
}

/*
 * /api/v1/countries
 */

/* The sort for qsort, which takes no context: a worker answers one
 * request at a time. sort_key indexes api_keys[P_SORT].choices. */
static int sort_key, sort_desc;

static double
sort_value(const struct q_row *r)
{
	switch (sort_key) {
	case 1: return r->fig.confirmed == Q_NONE ? NAN : (double)r->fig.confirmed;
	case 2: return r->fig.deaths == Q_NONE ? NAN : (double)r->fig.deaths;
	case 3: return r->fig.new_confirmed == Q_NONE ? NAN : (double)r->fig.new_confirmed;
	case 4: return r->fig.new_deaths == Q_NONE ? NAN : (double)r->fig.new_deaths;
	case 5: return r->fig.avg_confirmed;
	case 6: return q_per_100k(r->fig.confirmed, r->loc.population);
	default: return q_per_100k(r->fig.deaths, r->loc.population);
	}
}

/* By the chosen column; unknown values last either way, then by name. */
static int
by_column(const void *pa, const void *pb)
{
	const struct q_row *a = pa, *b = pb;
	int c = 0;

	if (sort_key != 0) {
		double x = sort_value(a), y = sort_value(b);
		if (isnan(x) || isnan(y))
			c = isnan(x) - isnan(y);
		else if (x != y)
			c = (x < y ? -1 : 1) * (sort_desc ? -1 : 1);
		if (c != 0)
			return c;
	}
	c = strcmp(a->loc.name, b->loc.name);
	return sort_key == 0 && sort_desc ? -c : c;
}

void
api_countries(struct api_ctx *c)
{
	const char *date = param(c, P_DATE);
	struct q_row *rows;
	size_t n;
	struct jw *w = &c->w;

	if (date == NULL)
		date = c->app->meta.newest;
	sort_key = (int)param_num(c, P_SORT, 1);
	sort_desc = (int)param_num(c, P_ORDER, sort_key == 0 ? 0 : 1);
	if (query_countries(c->app->q, &c->app->arena, date, &rows, &n) != 0) {
		server_error(c);
		return;
	}
	qsort(rows, n, sizeof *rows, by_column);
	if (begin(c) != 0)
		return;
	jw_kstr(w, "date", or_null(date));
	jw_kstr(w, "sort", api_keys[P_SORT].choices[sort_key]);
	jw_kstr(w, "order", sort_desc ? "desc" : "asc");
	jw_key(w, "countries");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		const struct q_row *r = &rows[i];
		jw_obj(w);
		jw_kstr(w, "slug", r->loc.slug);
		jw_kstr(w, "name", r->loc.name);
		jw_kstr(w, "level", level_names[r->loc.level]);
		links(w, r->loc.slug);
		jw_kstr(w, "iso3", or_null(r->loc.iso3));
		jw_kint(w, "population", r->loc.population);
		jw_kstr(w, "date", or_null(r->fig.date));
		jw_kint(w, "confirmed", r->fig.confirmed);
		jw_kint(w, "deaths", r->fig.deaths);
		jw_kint(w, "new_confirmed", r->fig.new_confirmed);
		jw_kint(w, "new_deaths", r->fig.new_deaths);
		jw_knum(w, "avg_new_confirmed", r->fig.avg_confirmed);
		jw_knum(w, "confirmed_per_100k", q_per_100k(r->fig.confirmed, r->loc.population));
		jw_knum(w, "deaths_per_100k", q_per_100k(r->fig.deaths, r->loc.population));
		jw_end_obj(w);
	}
	jw_end_arr(w);
	end(c);
}

/*
 * /api/v1/reports
 */

struct report_page {
	struct jw *w;
	size_t     limit, written;
};

static int
report_row(const struct qa_report *r, void *arg)
{
	struct report_page *pg = arg;
	struct jw *w = pg->w;

	/* One row past the page only says that there is a next page. */
	if (pg->written == pg->limit)
		return 1;
	jw_obj(w);
	jw_kstr(w, "date", r->date);
	jw_kstr(w, "country", r->country);
	jw_kstr(w, "province", r->province);
	jw_kstr(w, "county", r->county);
	jw_kstr(w, "fips", r->fips);
	jw_kstr(w, "iso3", r->iso3);
	jw_kint(w, "uid", r->uid);
	jw_kstr(w, "combined_key", r->combined_key);
	jw_knum(w, "lat", r->lat);
	jw_knum(w, "long", r->lon);
	jw_kint(w, "population", r->population);
	jw_kint(w, "confirmed", r->confirmed);
	jw_kint(w, "deaths", r->deaths);
	jw_kint(w, "new_confirmed", r->new_confirmed);
	jw_kint(w, "new_deaths", r->new_deaths);
	jw_kint(w, "recovered", r->recovered);
	jw_kint(w, "active", r->active);
	jw_knum(w, "incident_rate", r->incident_rate);
	jw_knum(w, "case_fatality_ratio", r->case_fatality_ratio);
	jw_kstr(w, "last_update", r->last_update);
	jw_end_obj(w);
	pg->written++;
	return jw_failed(w);
}

void
api_reports(struct api_ctx *c)
{
	const char *date = param(c, P_DATE);
	size_t cursor = (size_t)param_num(c, P_CURSOR, 0), n;
	struct report_page pg = { &c->w, (size_t)param_num(c, P_LIMIT,
	    API_LIMIT_DEFAULT), 0 };
	struct jw *w = &c->w;

	if (date == NULL)
		date = c->app->meta.newest;
	if (begin(c) != 0)
		return;
	jw_kstr(w, "date", or_null(date));
	jw_kint(w, "limit", (long long)pg.limit);
	jw_kint(w, "cursor", (long long)cursor);
	jw_key(w, "reports");
	jw_arr(w);
	/* Streamed from the statement: the headers are out, so a database
	 * error now can only cut the body short (logged), never become a 500. */
	if (query_api_reports(c->app->qa, date, param(c, P_COUNTRY),
	    param(c, P_PROVINCE), (int)param_num(c, P_LEVEL, -1), cursor,
	    pg.limit + 1, report_row, &pg, &n) != 0) {
		jw_close(w);
		return;
	}
	jw_end_arr(w);
	if (n > pg.limit)
		next_link(c, (long long)(cursor + pg.limit));
	else
		jw_kstr(w, "next", NULL);
	end(c);
}

/*
 * The forecasts (issue 15; docs/forecasts.md).
 */

void
api_forecast_skill(struct api_ctx *c)
{
	struct qf_skill *rows;
	size_t n;
	struct jw *w = &c->w;

	if (query_forecast_skill(c->app->qf, &c->app->arena, &rows, &n) != 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	jw_key(w, "skill");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "model", rows[i].model);
		jw_kstr(w, "target", rows[i].target);
		jw_kstr(w, "scope", rows[i].scope);
		jw_kint(w, "horizon_weeks", rows[i].horizon);
		jw_kint(w, "places", rows[i].places);
		jw_kint(w, "forecasts", rows[i].forecasts);
		jw_knum(w, "relative_wis", rows[i].rel_wis);
		jw_knum(w, "relative_wis_pooled", rows[i].rel_wis_pooled);
		jw_knum(w, "beats_baseline", rows[i].beats);
		jw_knum(w, "coverage_50", rows[i].cover50);
		jw_knum(w, "coverage_95", rows[i].cover95);
		jw_knum(w, "mean_wis", rows[i].mean_wis);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	end(c);
}

void
api_place_forecast(struct api_ctx *c)
{
	struct q_location l;
	struct qf_row *rows;
	size_t n;
	struct jw *w = &c->w;

	if (find_place(c, &l) != 1)
		return;
	if (query_forecast_place(c->app->qf, &c->app->arena, l.id, &rows, &n) != 0) {
		server_error(c);
		return;
	}
	if (begin(c) != 0)
		return;
	jw_key(w, "place");
	place_link(w, &l);
	jw_key(w, "forecasts");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "model", rows[i].model);
		jw_kstr(w, "target", rows[i].target);
		jw_kstr(w, "origin_date", rows[i].origin);
		jw_kint(w, "horizon_weeks", rows[i].horizon);
		jw_kstr(w, "target_end_date", rows[i].target_end);
		jw_kstr(w, "history", rows[i].history);
		jw_knum(w, "observed", rows[i].observed);
		jw_knum(w, "wis", rows[i].wis);
		jw_key(w, "quantiles");
		jw_arr(w);
		for (int k = 0; k < QF_NQ; k++) {
			jw_obj(w);
			jw_knum(w, "quantile", qf_levels[k]);
			jw_knum(w, "value", rows[i].q[k]);
			jw_end_obj(w);
		}
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_kstr(w, "skill", "/forecasts#skill");
	end(c);
}
