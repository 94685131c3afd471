/* portal_table: the sortable table of places and the number formats every
 * page uses. Sorting is server-side (?sort=metric&order=asc|desc links), so
 * it works without JavaScript.
 *
 * A table's rows depend only on the data version, so each row is rendered
 * once per version (templates/table_row.html, escaping as everywhere), and
 * each of the 16 orders is sorted, and its rows joined into one body, once,
 * when first asked for: a request then writes the header it renders and
 * that body, instead of several thousand formatted, escaped pieces (or a
 * write per row). Memory: a body per order used, ~30 kB for the ~200
 * countries.
 *
 * table_row.html leaves out the end tags of th and td, which HTML makes
 * optional (the next cell or the row's end closes them): browsers build the
 * same table, and the dashboard's ~200 rows are 8 kB (a fifth of the page)
 * lighter to send. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/numfmt.h"
#include "portal/portal.h"
#include "web/page.h"

static struct tmpl *table_tmpl, *row_tmpl;

enum tkey {
	T_CLASS, T_CAPTION, T_COLS, T_COL_LABEL, T_COL_QUERY, T_COL_ARIA,
	T_COL_ARROW, T_COL_CLASS, T_ROWS,
	T__MAX
};
static const char *const tkeys[T__MAX] = {
	"class", "caption", "cols", "col_label", "col_query", "col_aria",
	"col_arrow", "col_class", "rows",
};

enum rowkey {
	W_SLUG, W_NAME, W_ASOF, W_HAS_ASOF, W_NO_REPORT,
	W_CONFIRMED, W_DEATHS, W_NEW_CONFIRMED, W_NEW_DEATHS, W_AVG_CONFIRMED,
	W_CONFIRMED_100K, W_DEATHS_100K,
	W__MAX
};
static const char *const wkeys[W__MAX] = {
	"slug", "name", "asof", "has_asof", "no_report",
	"confirmed", "deaths", "new_confirmed", "new_deaths", "avg_confirmed",
	"confirmed_100k", "deaths_100k",
};

/* Column headings, in enum sort_key order (the names are portal_keys'). */
static const char *const col_label[SORT__MAX] = {
	"Name", "Confirmed", "Deaths", "New cases", "New deaths",
	"New cases, 7-day avg.", "Cases per 100k", "Deaths per 100k",
};

int
table_init(void)
{
	table_tmpl = page_load("table.html", tkeys, T__MAX);
	row_tmpl = page_load("table_row.html", wkeys, W__MAX);
	return table_tmpl && row_tmpl ? 0 : -1;
}

/*
 * Number formats: into a buffer (for the cached table cells), or out.
 */

static void
cell_count(char *buf, size_t len, long long v)
{
	if (v == Q_NONE)
		buf[0] = '\0';
	else
		fmt_thousands(buf, len, v);
}

static void
cell_delta(char *buf, size_t len, long long v)
{
	/* U+2212 MINUS SIGN: a correction is not a hyphenated number. */
	const char *sign = v > 0 ? "+" : v < 0 ? "\xe2\x88\x92" : "";
	size_t n = strlen(sign);

	buf[0] = '\0';
	if (v == Q_NONE || len <= n)
		return;
	memcpy(buf, sign, n);
	fmt_thousands(buf + n, len - n, v < 0 ? -v : v);
}

static void
cell_average(char *buf, size_t len, double v)
{
	buf[0] = '\0';
	/* Whole numbers when large; a decimal where it still says something. */
	if (!isnan(v))
		fmt_decimal(buf, len, v, fabs(v) >= 100 ? 0 : 1);
}

static void
cell_per_100k(char *buf, size_t len, long long v, long long population)
{
	double r = q_per_100k(v, population);

	buf[0] = '\0';
	if (!isnan(r))
		fmt_decimal(buf, len, r, 1);
}

void
out_count(struct tmpl_out *o, long long v)
{
	char buf[32];

	cell_count(buf, sizeof buf, v);
	tmpl_text(o, buf);
}

void
out_delta(struct tmpl_out *o, long long v)
{
	char buf[32];

	cell_delta(buf, sizeof buf, v);
	tmpl_text(o, buf);
}

void
out_average(struct tmpl_out *o, double v)
{
	char buf[32];

	cell_average(buf, sizeof buf, v);
	tmpl_text(o, buf);
}

void
out_per_100k(struct tmpl_out *o, long long v, long long population)
{
	char buf[32];

	cell_per_100k(buf, sizeof buf, v, population);
	tmpl_text(o, buf);
}

const char *
level_label(enum geo_level level)
{
	switch (level) {
	case GEO_COUNTY:   return "County";
	case GEO_PROVINCE: return "Province or state";
	default:         return "Country";
	}
}

void
source_note(char *buf, size_t len, const struct q_series *s)
{
	char end[24];

	if (len == 0)
		return;
	if (s->n == 0)
		buf[0] = '\0';
	else if (s->nseries == 0)
		snprintf(buf, len, "Daily history from JHU's daily reports.");
	else if (s->nseries == s->n)
		snprintf(buf, len, "Daily history from JHU's time series.");
	else {
		/* The series ended first (JHU's US files end before the global
		 * ones): the reports after its last day follow it. */
		date_long(s->dates[s->nseries - 1], end, sizeof end);
		snprintf(buf, len, "Daily history from JHU's time series to %s, "
		    "then from the daily reports.", end);
	}
}

void
out_place(struct tmpl_out *o, const struct q_location *l)
{
	tmpl_text(o, l->name);
	if (l->level == GEO_COUNTY && *l->province) {
		tmpl_text(o, ", ");
		tmpl_text(o, l->province);
	}
	if (l->level != GEO_COUNTRY) {
		tmpl_text(o, ", ");
		tmpl_text(o, l->country);
	}
}

/*
 * Sorting.
 */

/* The value a row sorts by; NAN when it has none (sorted last). */
static double
metric(const struct q_row *r, int sort)
{
	const struct q_figures *f = &r->fig;
	long long v;

	switch (sort) {
	case SORT_CONFIRMED:      v = f->confirmed; break;
	case SORT_DEATHS:         v = f->deaths; break;
	case SORT_NEW_CONFIRMED:  v = f->new_confirmed; break;
	case SORT_NEW_DEATHS:     v = f->new_deaths; break;
	case SORT_AVG_CONFIRMED:  return f->avg_confirmed;
	case SORT_CONFIRMED_100K: return q_per_100k(f->confirmed, r->loc.population);
	case SORT_DEATHS_100K:    return q_per_100k(f->deaths, r->loc.population);
	default:                  return NAN;
	}
	return v == Q_NONE ? NAN : (double)v;
}

/* qsort has no context argument: the one sort in progress. */
static const struct q_row *sort_rows;
static const double *sort_keys;
static int sort_by, sort_desc;

static int
cmp_name(size_t a, size_t b)
{
	int c = strcasecmp(sort_rows[a].loc.name, sort_rows[b].loc.name);
	return c ? c : strcmp(sort_rows[a].loc.slug, sort_rows[b].loc.slug);
}

static int
cmp_rows(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	double x, y;

	if (sort_by == SORT_NAME)
		return sort_desc ? cmp_name(b, a) : cmp_name(a, b);
	x = sort_keys[a];
	y = sort_keys[b];
	if (isnan(x) || isnan(y)) {
		if (isnan(x) && isnan(y))
			return cmp_name(a, b);
		return isnan(x) ? 1 : -1;   /* none last, either order */
	}
	if (x != y)
		return (x < y) == !sort_desc ? -1 : 1;
	return cmp_name(a, b);
}

/* The rows in one order, sorted on first use. O(n log n) once per data
 * version and order; NULL when out of memory. */
static const size_t *
table_order(struct table_data *td, int sort, int desc)
{
	size_t *order = td->order[sort][desc];
	double *keys;

	if (order != NULL)
		return order;
	order = arena_alloc(td->a, (td->n ? td->n : 1) * sizeof *order);
	keys = arena_alloc(td->a, (td->n ? td->n : 1) * sizeof *keys);
	if (order == NULL || keys == NULL)
		return NULL;
	for (size_t i = 0; i < td->n; i++) {
		order[i] = i;
		keys[i] = metric(&td->rows[i], sort);
	}
	sort_rows = td->rows;
	sort_keys = keys;
	sort_by = sort;
	sort_desc = desc;
	qsort(order, td->n, sizeof *order, cmp_rows);
	sort_rows = NULL;
	sort_keys = NULL;
	return td->order[sort][desc] = order;
}

int
table_sort(struct place_table *t, const struct http_req *r)
{
	const struct http_field *fs = http_get(r, K_SORT), *fo = http_get(r, K_ORDER);

	struct table_data *td = t->data;
	const size_t *order;
	char *body, *w;
	size_t len = 0;

	t->sort = fs ? (int)fs->num : t->sort;
	/* Names read A to Z, numbers largest first, unless asked otherwise. */
	t->desc = fo ? fo->num == 1 : t->sort != SORT_NAME;
	if (td->body[t->sort][t->desc] == NULL) {
		/* First use of this order in this data version: the rows, joined.
		 * O(total row bytes), once. */
		if ((order = table_order(td, t->sort, t->desc)) == NULL)
			return -1;
		for (size_t i = 0; i < td->n; i++)
			len += td->len[i];
		if ((body = w = arena_alloc(td->a, len + 1)) == NULL)
			return -1;
		for (size_t i = 0; i < td->n; i++) {
			memcpy(w, td->html[order[i]], td->len[order[i]]);
			w += td->len[order[i]];
		}
		*w = '\0';
		td->body[t->sort][t->desc] = body;
		td->body_len[t->sort][t->desc] = len;
	}
	t->body = td->body[t->sort][t->desc];
	t->body_len = td->body_len[t->sort][t->desc];
	return 0;
}

/*
 * Rows, rendered once per data version.
 */

struct row_arg {
	const struct q_row *r;
	const char         *newest;   /* the newest date among the rows */
};

static int
row_var(struct tmpl_out *o, size_t key, void *arg)
{
	const struct q_row *r = ((struct row_arg *)arg)->r;

	switch ((enum rowkey)key) {
	case W_SLUG:           tmpl_path(o, r->loc.slug); break;
	case W_NAME:           tmpl_text(o, r->loc.name); break;
	case W_ASOF:           tmpl_text(o, r->fig.date); break;
	case W_CONFIRMED:      out_count(o, r->fig.confirmed); break;
	case W_DEATHS:         out_count(o, r->fig.deaths); break;
	case W_NEW_CONFIRMED:  out_delta(o, r->fig.new_confirmed); break;
	case W_NEW_DEATHS:     out_delta(o, r->fig.new_deaths); break;
	case W_AVG_CONFIRMED:  out_average(o, r->fig.avg_confirmed); break;
	case W_CONFIRMED_100K: out_per_100k(o, r->fig.confirmed, r->loc.population); break;
	case W_DEATHS_100K:    out_per_100k(o, r->fig.deaths, r->loc.population); break;
	default: break;
	}
	return 0;
}

static int
row_section(size_t key, size_t i, void *arg)
{
	const char *date = ((struct row_arg *)arg)->r->fig.date;

	if (i > 0)
		return 0;
	switch ((enum rowkey)key) {
	case W_HAS_ASOF:
		/* A place whose newest report is older than the others'. */
		return date[0] != '\0' &&
		    strcmp(date, ((struct row_arg *)arg)->newest) != 0;
	case W_NO_REPORT:
		/* A place JHU's lookup table lists that no report mentions (the
		 * US's Federal Bureau of Prisons in the sample): no date to give. */
		return date[0] == '\0';
	default:
		return 0;
	}
}

int
table_prepare(struct arena *a, struct table_data *td, const struct q_row *rows,
    size_t n)
{
	struct membuf b = { 0 };
	struct row_arg ra = { NULL, "" };
	struct tmpl_cbs cbs = { row_var, row_section, &ra };
	int rc = 0;

	memset(td, 0, sizeof *td);
	td->rows = rows;
	td->n = n;
	td->a = a;
	td->html = arena_alloc(a, (n ? n : 1) * sizeof *td->html);
	td->len = arena_alloc(a, (n ? n : 1) * sizeof *td->len);
	if (td->html == NULL || td->len == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].fig.date, ra.newest) > 0)
			ra.newest = rows[i].fig.date;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct sink s = membuf_sink(&b);
		b.len = 0;
		ra.r = &rows[i];
		if (tmpl_render(row_tmpl, &s, &cbs) != 0 ||
		    (td->html[i] = arena_strndup(a, b.data ? b.data : "", b.len)) == NULL)
			rc = -1;
		td->len[i] = b.len;
	}
	membuf_free(&b);
	return rc;
}

/*
 * The table, per request.
 */

struct view_arg {
	const struct table_view *v;
	size_t                   col;
};

static int
view_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct view_arg *a = arg;
	const struct table_view *v = a->v;
	const struct table_col *c = &v->cols[a->col];

	switch ((enum tkey)key) {
	case T_CLASS:     tmpl_text(o, v->class_); break;
	case T_CAPTION:   tmpl_text(o, v->caption); break;
	case T_COL_LABEL: tmpl_text(o, c->label); break;
	case T_COL_QUERY: tmpl_text(o, c->query); break;
	case T_COL_ARIA:
		tmpl_text(o, !c->current ? "none" : c->desc ? "descending" : "ascending");
		break;
	case T_COL_ARROW:
		if (c->current)
			tmpl_text(o, c->desc ? " \xe2\x96\xbc" : " \xe2\x96\xb2");
		break;
	case T_COL_CLASS: tmpl_text(o, c->numeric ? "num" : "name"); break;
	case T_ROWS:
		/* Rendered (and every value escaped) by the table's owner. */
		sink_write(tmpl_raw(o), v->body, v->body_len);
		break;
	default:
		break;
	}
	return 0;
}

static int
view_section(size_t key, size_t i, void *arg)
{
	struct view_arg *a = arg;

	if ((enum tkey)key != T_COLS)
		return 0;
	a->col = i;
	return i < a->v->ncols;
}

int
table_render_view(struct tmpl_out *o, const struct table_view *v)
{
	struct view_arg a = { v, 0 };
	struct tmpl_cbs cbs = { view_var, view_section, &a };

	return tmpl_render_in(o, table_tmpl, &cbs);
}

/* The places' table: a column per sort key. A heading links to its
 * column's order: the current column's flips, the others start at their
 * natural one (names A to Z, numbers largest first). */
int
table_render(struct tmpl_out *o, struct place_table *t)
{
	struct table_col cols[SORT__MAX];
	char query[SORT__MAX][256];
	struct table_view v = { "places", t->caption, cols, SORT__MAX,
	    t->body, t->body_len };

	for (int i = 0; i < SORT__MAX; i++) {
		int current = i == t->sort;
		int desc = current ? !t->desc : i != SORT_NAME;
		/* The sort keys' names are plain words: nothing to URL-escape. */
		snprintf(query[i], sizeof query[i], "%ssort=%s&order=%s",
		    t->link_base, portal_keys[K_SORT].choices[i],
		    desc ? "desc" : "asc");
		cols[i] = (struct table_col){ col_label[i], query[i], current,
		    t->desc, i != SORT_NAME };
	}
	return table_render_view(o, &v);
}

void
portal_send(struct page_req *pr, const struct page_meta *m,
    const struct tmpl *body, const struct tmpl_cbs *cbs)
{
	struct http_resp h = { 200, NULL, HTTP_CACHE_DATA, 0, NULL };

	if (http_headers(pr->r, pr->out, &h))
		page_render(pr->r, pr->out, m, body, cbs);
}
