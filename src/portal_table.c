/* portal_table: the sortable table of places and the number formats every
 * page uses. Sorting is server-side (?sort=metric&order=asc|desc links), so
 * it works without JavaScript; O(n log n) on at most a few hundred rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "page.h"
#include "portal.h"

static struct tmpl *table_tmpl;

enum tkey {
	T_CAPTION, T_COLS, T_COL_LABEL, T_COL_QUERY, T_COL_ARIA, T_COL_ARROW,
	T_COL_CLASS, T_ROWS, T_SLUG, T_NAME, T_ASOF, T_HAS_ASOF,
	T_CONFIRMED, T_DEATHS, T_NEW_CONFIRMED, T_NEW_DEATHS, T_AVG_CONFIRMED,
	T_CONFIRMED_100K, T_DEATHS_100K,
	T__MAX
};
static const char *const tkeys[T__MAX] = {
	"caption", "cols", "col_label", "col_query", "col_aria", "col_arrow",
	"col_class", "rows", "slug", "name", "asof", "has_asof",
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
	return (table_tmpl = page_load("table.html", tkeys, T__MAX)) ? 0 : -1;
}

/*
 * Number formats.
 */

void
out_count(struct tmpl_out *o, long long v)
{
	char buf[32];

	if (v == Q_NONE)
		return;
	fmt_thousands(buf, sizeof buf, v);
	tmpl_text(o, buf);
}

void
out_delta(struct tmpl_out *o, long long v)
{
	char buf[32];

	if (v == Q_NONE)
		return;
	fmt_thousands(buf, sizeof buf, v < 0 ? -v : v);
	/* U+2212 MINUS SIGN: a correction is not a hyphenated number. */
	tmpl_text(o, v > 0 ? "+" : v < 0 ? "\xe2\x88\x92" : "");
	tmpl_text(o, buf);
}

void
out_average(struct tmpl_out *o, double v)
{
	char buf[40];

	if (isnan(v))
		return;
	/* Whole numbers when large; a decimal where it still says something. */
	fmt_decimal(buf, sizeof buf, v, fabs(v) >= 100 ? 0 : 1);
	tmpl_text(o, buf);
}

static double
per_100k(long long v, long long population)
{
	if (v == Q_NONE || population == Q_NONE || population <= 0)
		return NAN;
	return (double)v * 100000.0 / (double)population;
}

void
out_per_100k(struct tmpl_out *o, long long v, long long population)
{
	char buf[40];
	double r = per_100k(v, population);

	if (isnan(r))
		return;
	fmt_decimal(buf, sizeof buf, r, 1);
	tmpl_text(o, buf);
}

const char *
level_label(enum q_level level)
{
	switch (level) {
	case Q_COUNTY:   return "County";
	case Q_PROVINCE: return "Province or state";
	default:         return "Country";
	}
}

void
out_place(struct tmpl_out *o, const struct q_location *l)
{
	tmpl_text(o, l->name);
	if (l->level == Q_COUNTY && *l->province) {
		tmpl_text(o, ", ");
		tmpl_text(o, l->province);
	}
	if (l->level != Q_COUNTRY) {
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
	case SORT_CONFIRMED_100K: return per_100k(f->confirmed, r->loc.population);
	case SORT_DEATHS_100K:    return per_100k(f->deaths, r->loc.population);
	default:                  return NAN;
	}
	return v == Q_NONE ? NAN : (double)v;
}

static const struct q_row *sort_rows;   /* qsort has no context argument */
static int sort_by, sort_desc;

static int
cmp_name(const struct q_row *a, const struct q_row *b)
{
	int c = strcasecmp(a->loc.name, b->loc.name);
	return c ? c : strcmp(a->loc.slug, b->loc.slug);
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct q_row *a = &sort_rows[*(const size_t *)pa];
	const struct q_row *b = &sort_rows[*(const size_t *)pb];
	double x, y;

	if (sort_by == SORT_NAME)
		return sort_desc ? cmp_name(b, a) : cmp_name(a, b);
	x = metric(a, sort_by);
	y = metric(b, sort_by);
	if (isnan(x) || isnan(y)) {
		if (isnan(x) && isnan(y))
			return cmp_name(a, b);
		return isnan(x) ? 1 : -1;   /* none last, either order */
	}
	if (x != y)
		return (x < y) == !sort_desc ? -1 : 1;
	return cmp_name(a, b);
}

int
table_sort(struct arena *a, struct place_table *t, const struct http_req *r)
{
	const struct http_field *fs = http_get(r, K_SORT), *fo = http_get(r, K_ORDER);

	t->sort = fs ? (int)fs->num : t->sort;
	/* Names read A to Z, numbers largest first, unless asked otherwise. */
	t->desc = fo ? fo->num == 1 : t->sort != SORT_NAME;
	if ((t->order = arena_alloc(a, (t->n ? t->n : 1) * sizeof *t->order)) == NULL)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		t->order[i] = i;
	sort_rows = t->rows;
	sort_by = t->sort;
	sort_desc = t->desc;
	qsort(t->order, t->n, sizeof *t->order, cmp_rows);
	sort_rows = NULL;
	return 0;
}

/*
 * Rendering.
 */

struct table_arg {
	struct place_table *t;
	size_t              col, row;
	const char         *newest;   /* the newest date among the rows */
};

static int
table_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct table_arg *a = arg;
	struct place_table *t = a->t;
	/* Only row keys look at a row (a table may have none). */
	const struct q_row *r = key >= T_SLUG && a->row < t->n ?
	    &t->rows[t->order[a->row]] : NULL;
	int current = (int)a->col == t->sort;

	if (key >= T_SLUG && r == NULL)
		return 0;

	switch ((enum tkey)key) {
	case T_CAPTION:
		tmpl_text(o, t->caption);
		break;
	case T_COL_LABEL:
		tmpl_text(o, col_label[a->col]);
		break;
	case T_COL_QUERY: {
		/* The current column flips its order; others start at their
		 * natural order. */
		int desc = current ? !t->desc : a->col != SORT_NAME;
		tmpl_text(o, t->link_base);
		tmpl_text(o, "sort=");
		tmpl_url(o, portal_keys[K_SORT].choices[a->col]);
		tmpl_text(o, desc ? "&order=desc" : "&order=asc");
		break;
	}
	case T_COL_ARIA:
		tmpl_text(o, !current ? "none" : t->desc ? "descending" : "ascending");
		break;
	case T_COL_ARROW:
		if (current)
			tmpl_text(o, t->desc ? " \xe2\x96\xbc" : " \xe2\x96\xb2");
		break;
	case T_COL_CLASS:
		tmpl_text(o, a->col == SORT_NAME ? "name" : "num");
		break;
	case T_SLUG:
		tmpl_path(o, r->loc.slug);
		break;
	case T_NAME:
		tmpl_text(o, r->loc.name);
		break;
	case T_ASOF:
		tmpl_text(o, r->fig.date);
		break;
	case T_CONFIRMED:      out_count(o, r->fig.confirmed); break;
	case T_DEATHS:         out_count(o, r->fig.deaths); break;
	case T_NEW_CONFIRMED:  out_delta(o, r->fig.new_confirmed); break;
	case T_NEW_DEATHS:     out_delta(o, r->fig.new_deaths); break;
	case T_AVG_CONFIRMED:  out_average(o, r->fig.avg_confirmed); break;
	case T_CONFIRMED_100K: out_per_100k(o, r->fig.confirmed, r->loc.population); break;
	case T_DEATHS_100K:    out_per_100k(o, r->fig.deaths, r->loc.population); break;
	default: break;
	}
	return 0;
}

static int
table_section(size_t key, size_t i, void *arg)
{
	struct table_arg *a = arg;
	const struct q_row *r;

	switch ((enum tkey)key) {
	case T_COLS:
		a->col = i;
		return i < SORT__MAX;
	case T_ROWS:
		a->row = i;
		return i < a->t->n;
	case T_HAS_ASOF:
		/* A place whose newest report is older than the others'. */
		r = &a->t->rows[a->t->order[a->row]];
		return i == 0 && strcmp(r->fig.date, a->newest) != 0;
	default:
		return 0;
	}
}

int
table_render(struct tmpl_out *o, struct place_table *t)
{
	struct table_arg a = { t, 0, 0, "" };
	struct tmpl_cbs cbs = { table_var, table_section, &a };

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].fig.date, a.newest) > 0)
			a.newest = t->rows[i].fig.date;
	return tmpl_render_in(o, table_tmpl, &cbs);
}

void
portal_send(struct page_req *pr, const struct page_meta *m,
    const struct tmpl *body, const struct tmpl_cbs *cbs)
{
	struct http_resp h = { 200, NULL, HTTP_CACHE_DATA, 0, NULL };

	if (http_headers(pr->r, pr->out, &h))
		page_render(pr->r, pr->out, m, body, cbs);
}
