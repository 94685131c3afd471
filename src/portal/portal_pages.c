/* portal_pages: "/downloads" (the export form; the export program serves
 * the files) and "/about" (sources, licence, how the figures are made). */
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "portal/portal.h"

static struct tmpl *dl_tmpl, *about_tmpl;

enum dlkey {
	DL_LEVELS, DL_LEVEL_VALUE, DL_LEVEL_LABEL, DL_LEVEL_CHECKED,
	DL_COUNTRIES, DL_COUNTRY_VALUE, DL_COUNTRY_NAME, DL_COUNTRY_SELECTED,
	DL_PROVINCE, DL_FROM, DL_TO, DL_MIN, DL_MAX,
	DL_SHAPE_WIDE, DL_SHAPE_LONG, DL_BOM,
	DL__MAX
};
static const char *const dlkeys[DL__MAX] = {
	"levels", "level_value", "level_label", "level_checked",
	"countries", "country_value", "country_name", "country_selected",
	"province", "from", "to", "min", "max",
	"shape_wide", "shape_long", "bom",
};

enum akey {
	A_THROUGH, A_OLDEST, A_VERSION, A_REFRESHED, A_HAS_DATA, A_HAS_REFRESHED,
	A__MAX
};
static const char *const akeys[A__MAX] = {
	"through", "oldest", "version", "refreshed", "has_data", "has_refreshed",
};

int
downloads_init(void)
{
	return (dl_tmpl = page_load("downloads.html", dlkeys, DL__MAX)) ? 0 : -1;
}

int
about_init(void)
{
	return (about_tmpl = page_load("about.html", akeys, A__MAX)) ? 0 : -1;
}

static const char *const level_value[] = { "country", "province", "county" };
static const char *const level_text[] = {
	"Countries", "Provinces and states", "US counties"
};

struct dl_arg {
	struct page_req    *pr;
	struct q_location  *countries;
	size_t              ncountries, i;
	int                 level;
};

static const char *
country_value(const struct q_location *l)
{
	return l->iso3 != NULL && *l->iso3 ? l->iso3 : l->country;
}

/* Whether the request asked for country l (by ISO3 or name, any case). */
static int
country_asked(const struct http_req *r, const struct q_location *l)
{
	for (const struct http_field *f = http_get(r, K_COUNTRY); f; f = f->next)
		if (f->ok && ((l->iso3 && strcasecmp(f->val, l->iso3) == 0) ||
		    strcasecmp(f->val, l->country) == 0))
			return 1;
	return 0;
}

static int
dl_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct dl_arg *a = arg;
	const struct http_req *r = a->pr->r;
	const struct http_field *f;

	switch ((enum dlkey)key) {
	case DL_LEVEL_VALUE:   tmpl_text(o, level_value[a->i]); break;
	case DL_LEVEL_LABEL:   tmpl_text(o, level_text[a->i]); break;
	case DL_COUNTRY_VALUE: tmpl_text(o, country_value(&a->countries[a->i])); break;
	case DL_COUNTRY_NAME:  tmpl_text(o, a->countries[a->i].country); break;
	case DL_PROVINCE:
		if ((f = http_get(r, K_PROVINCE)) != NULL)
			tmpl_text(o, f->val);
		break;
	case DL_FROM:
		tmpl_text(o, (f = http_get(r, K_FROM)) ? f->val : a->pr->p->meta.oldest);
		break;
	case DL_TO:
		tmpl_text(o, (f = http_get(r, K_TO)) ? f->val : a->pr->p->meta.newest);
		break;
	case DL_MIN: tmpl_text(o, a->pr->p->meta.oldest); break;
	case DL_MAX: tmpl_text(o, a->pr->p->meta.newest); break;
	default: break;
	}
	return 0;
}

static int
dl_section(size_t key, size_t i, void *arg)
{
	struct dl_arg *a = arg;
	const struct http_field *f;

	switch ((enum dlkey)key) {
	case DL_LEVELS:
		a->i = i;
		return i < 3;
	case DL_COUNTRIES:
		a->i = i;
		return i < a->ncountries;
	default:
		break;
	}
	if (i > 0)
		return 0;
	switch ((enum dlkey)key) {
	case DL_LEVEL_CHECKED:
		return (int)a->i == a->level;
	case DL_COUNTRY_SELECTED:
		return country_asked(a->pr->r, &a->countries[a->i]);
	case DL_SHAPE_WIDE:
		return (f = http_get(a->pr->r, K_SHAPE)) == NULL || f->num == 0;
	case DL_SHAPE_LONG:
		return (f = http_get(a->pr->r, K_SHAPE)) != NULL && f->num == 1;
	case DL_BOM:
		return (f = http_get(a->pr->r, K_BOM)) != NULL && f->num == 1;
	default:
		return 0;
	}
}

void
downloads_page(struct page_req *pr)
{
	const struct http_field *f = http_get(pr->r, K_LEVEL);
	struct dl_arg a = { pr, NULL, 0, 0, f ? (int)f->num : GEO_COUNTRY };
	struct tmpl_cbs cbs = { dl_var, dl_section, &a };
	struct page_meta m = { "Downloads", "Download COVID-19 cases and deaths as "
	    "CSV or Excel, by country, province or US county.", NAV_DOWNLOADS, NULL };

	if (portal_snapshot(pr) != 0 || query_country_list(pr->p->q, pr->a, &a.countries, &a.ncountries) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	portal_send(pr, &m, dl_tmpl, &cbs);
}

static int
about_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct page_req *pr = arg;
	char buf[64];

	switch ((enum akey)key) {
	case A_THROUGH:
		date_long(pr->p->meta.newest, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case A_OLDEST:
		date_long(pr->p->meta.oldest, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case A_VERSION:
		tmpl_int(o, pr->p->meta.data_version);
		break;
	case A_REFRESHED:
		date_long_time(pr->p->meta.refreshed_at, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	default:
		break;
	}
	return 0;
}

/* A database without reports has no dates to name: the sentence says so. */
static int
about_section(size_t key, size_t i, void *arg)
{
	const struct q_meta *m = &((struct page_req *)arg)->p->meta;

	if (i > 0)
		return 0;
	switch ((enum akey)key) {
	case A_HAS_DATA:      return m->newest[0] != '\0' && m->oldest[0] != '\0';
	case A_HAS_REFRESHED: return m->refreshed_at[0] != '\0';
	default:              return 0;
	}
}

void
about_page(struct page_req *pr)
{
	struct tmpl_cbs cbs = { about_var, about_section, pr };
	struct page_meta m = { "About the data", "Where the figures come from, "
	    "their licence, and how new cases are derived.", NAV_ABOUT, NULL };

	portal_send(pr, &m, about_tmpl, &cbs);
}
