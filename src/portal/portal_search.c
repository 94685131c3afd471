/* portal_search: "/regions?q=...&page=N", finding places by name. Works
 * as a plain form; static/search.js may show the same results as you type
 * (it fetches this page). A scan of ~4,300 names per search (see
 * query_search): cheap enough uncached. */
#include <string.h>

#include "portal/portal.h"

enum { PER_PAGE = 20 };

static struct tmpl *search_tmpl;

enum skey {
	S_Q, S_HAS_Q, S_TOTAL, S_RESULTS, S_SLUG, S_NAME, S_CONTEXT, S_LEVEL,
	S_HAS_RESULTS, S_FIRST, S_LAST, S_PAGE, S_PAGES, S_HAS_PREV, S_HAS_NEXT,
	S_PREV, S_NEXT, S_QURL, S_HAS_PAGES, S_PAST_END, S_HAS_CONTEXT,
	S__MAX
};
static const char *const skeys[S__MAX] = {
	"q", "has_q", "total", "results", "slug", "name", "context", "level",
	"has_results", "first", "last", "page", "pages", "has_prev", "has_next",
	"prev", "next", "qurl", "has_pages", "past_end", "has_context",
};

int
search_init(void)
{
	return (search_tmpl = page_load("search.html", skeys, S__MAX)) ? 0 : -1;
}

struct search_arg {
	const char        *q;
	struct q_location *rows;
	size_t             n, total, page, pages, i;
};

static int
search_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct search_arg *a = arg;
	const struct q_location *l = a->i < a->n ? &a->rows[a->i] : NULL;

	switch ((enum skey)key) {
	case S_Q:     tmpl_text(o, a->q); break;
	case S_QURL:  tmpl_url(o, a->q); break;
	case S_TOTAL: tmpl_int(o, (long long)a->total); break;
	case S_FIRST: tmpl_int(o, (long long)((a->page - 1) * PER_PAGE + 1)); break;
	case S_LAST:  tmpl_int(o, (long long)((a->page - 1) * PER_PAGE + a->n)); break;
	case S_PAGE:  tmpl_int(o, (long long)a->page); break;
	case S_PAGES: tmpl_int(o, (long long)a->pages); break;
	case S_PREV:  tmpl_int(o, (long long)a->page - 1); break;
	case S_NEXT:  tmpl_int(o, (long long)a->page + 1); break;
	case S_SLUG:
		if (l)
			tmpl_path(o, l->slug);
		break;
	case S_NAME:
		if (l)
			tmpl_text(o, l->name);
		break;
	case S_CONTEXT:
		/* What the place is in: "New York, US". */
		if (l && l->level == GEO_COUNTY && *l->province) {
			tmpl_text(o, l->province);
			tmpl_text(o, ", ");
		}
		if (l && l->level != GEO_COUNTRY)
			tmpl_text(o, l->country);
		break;
	case S_LEVEL:
		if (l)
			tmpl_text(o, level_label(l->level));
		break;
	default:
		break;
	}
	return 0;
}

static int
search_section(size_t key, size_t i, void *arg)
{
	struct search_arg *a = arg;

	if (key == S_RESULTS) {
		a->i = i;
		return i < a->n;
	}
	if (i > 0)
		return 0;
	switch ((enum skey)key) {
	case S_HAS_Q:       return a->q != NULL;
	case S_HAS_RESULTS: return a->n > 0;
	case S_HAS_PAGES:   return a->pages > 1;
	case S_HAS_PREV:    return a->page > 1 && a->total > 0;
	case S_HAS_NEXT:    return a->page < a->pages;
	case S_PAST_END:    return a->n == 0 && a->total > 0;
	case S_HAS_CONTEXT: /* a country is in nothing */
		return a->i < a->n && a->rows[a->i].level != GEO_COUNTRY;
	default:            return 0;
	}
}

void
search_page(struct page_req *pr)
{
	const struct http_field *fq = http_get(pr->r, K_Q), *fp = http_get(pr->r, K_PAGE);
	struct search_arg a = { 0 };
	struct tmpl_cbs cbs = { search_var, search_section, &a };
	struct page_meta m = { "Find a region", "Search countries, provinces, "
	    "states and US counties by name.", NAV_REGIONS, NULL };

	a.page = fp ? (size_t)fp->num : 1;
	/* Surrounding spaces are not part of a name; "" is no search. */
	if (fq != NULL) {
		const char *s = fq->val;
		size_t len = fq->vlen;
		while (len > 0 && *s == ' ')
			s++, len--;
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len > 0 && (a.q = arena_strndup(pr->a, s, len)) == NULL) {
			error_page(pr->r, pr->out, 500, NULL, 0);
			return;
		}
	}
	if (a.q != NULL) {
		if (portal_snapshot(pr) != 0 || query_search(pr->p->q, pr->a, a.q, (a.page - 1) * PER_PAGE,
		    PER_PAGE, &a.rows, &a.n, &a.total) != 0) {
			error_page(pr->r, pr->out, 500, NULL, 0);
			return;
		}
		a.pages = (a.total + PER_PAGE - 1) / PER_PAGE;
		m.title = "Search results";
		m.q = a.q;
	}
	portal_send(pr, &m, search_tmpl, &cbs);
}
