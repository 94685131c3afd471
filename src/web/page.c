/* page: layout and error page (see page.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/log.h"
#include "web/escape.h"
#include "web/page.h"

static char *tmpl_dir;
static struct tmpl *layout, *errtmpl;
static uint32_t build_hash = FNV1A32_INIT;

enum lkey {
	L_TITLE, L_DESCRIPTION, L_CONTENT, L_Q, L_VERSION, L_THROUGH, L_REFRESHED,
	L_HAS_VERSION, L_HAS_DESCRIPTION, L_HAS_THROUGH, L_HAS_REFRESHED,
	L_NAV_HOME, L_NAV_REGIONS, L_NAV_DOWNLOADS, L_NAV_ABOUT, L_NAV_LIVE,
	L__MAX
};
static const char *const lkeys[L__MAX] = {
	"title", "description", "content", "q", "version", "through", "refreshed",
	"has_version", "has_description", "has_through", "has_refreshed",
	"nav_home", "nav_regions", "nav_downloads", "nav_about", "nav_live",
};

enum ekey { E_STATUS, E_TITLE, E_WHY, E_IS_404, E__MAX };
static const char *const ekeys[E__MAX] = { "status", "title", "why", "is_404" };

/* h carried over a template's hash, its bytes most significant first so
 * the build id is the same on any machine. */
static uint32_t
hash_template(uint32_t h, uint32_t th)
{
	unsigned char b[4] = {
		(unsigned char)(th >> 24), (unsigned char)(th >> 16),
		(unsigned char)(th >> 8), (unsigned char)th,
	};

	return fnv1a32_more(h, b, sizeof b);
}

struct tmpl *
page_load(const char *file, const char *const *keys, size_t nkeys)
{
	struct tmpl *t;

	if (tmpl_dir == NULL) {
		log_err("page: templates loaded before page_init");
		return NULL;
	}
	if ((t = tmpl_load(tmpl_dir, file, keys, nkeys)) == NULL)
		return NULL;
	build_hash = hash_template(build_hash, tmpl_hash(t));
	http_set_build_id(build_hash);
	return t;
}

int
page_init(const char *dir)
{
	page_cleanup();
	if ((tmpl_dir = strdup(dir)) == NULL)
		return -1;
	layout = page_load("layout.html", lkeys, L__MAX);
	errtmpl = page_load("error.html", ekeys, E__MAX);
	if (layout == NULL || errtmpl == NULL) {
		page_cleanup();
		return -1;
	}
	return 0;
}

void
page_cleanup(void)
{
	tmpl_free(layout);
	tmpl_free(errtmpl);
	free(tmpl_dir);
	layout = errtmpl = NULL;
	tmpl_dir = NULL;
}

struct layout_arg {
	struct http_req        *r;
	const struct page_meta *m;
	const struct tmpl      *body;
	const struct tmpl_cbs  *cbs;
};

static int
layout_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct layout_arg *a = arg;
	char buf[64];

	switch ((enum lkey)key) {
	case L_TITLE:
		tmpl_text(o, a->m->title);
		break;
	case L_DESCRIPTION:
		tmpl_text(o, a->m->description);
		break;
	case L_CONTENT:
		return tmpl_render_in(o, a->body, a->cbs);
	case L_Q:
		tmpl_text(o, a->m->q);
		break;
	case L_VERSION:
		tmpl_int(o, a->r->data_version);
		break;
	case L_THROUGH:
		date_long(a->r->newest_date, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case L_REFRESHED:
		date_long_time(a->r->refreshed_at, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	default:
		break;
	}
	return 0;
}

static int
layout_section(size_t key, size_t i, void *arg)
{
	struct layout_arg *a = arg;
	enum page_nav nav = a->m->nav;

	if (i > 0)
		return 0;
	switch ((enum lkey)key) {
	case L_HAS_VERSION:     return a->r->data_version >= 0;
	case L_HAS_DESCRIPTION: return a->m->description != NULL;
	/* A database that holds no report yet has neither date: the footer
	 * says so, or leaves the phrase out. */
	case L_HAS_THROUGH:     return a->r->newest_date[0] != '\0';
	case L_HAS_REFRESHED:   return a->r->refreshed_at[0] != '\0';
	case L_NAV_HOME:        return nav == NAV_HOME;
	case L_NAV_REGIONS:     return nav == NAV_REGIONS;
	case L_NAV_DOWNLOADS:   return nav == NAV_DOWNLOADS;
	case L_NAV_ABOUT:       return nav == NAV_ABOUT;
	case L_NAV_LIVE:        return nav == NAV_LIVE;
	default:                return 0;
	}
}

void
page_render(struct http_req *r, struct sink *out, const struct page_meta *m,
    const struct tmpl *body, const struct tmpl_cbs *cbs)
{
	struct layout_arg a = { r, m, body, cbs };
	struct tmpl_cbs lcbs = { layout_var, layout_section, &a };

	if (tmpl_render(layout, out, &lcbs) != 0 && !out->failed)
		log_err("page: rendering %s stopped early", r->path);
}

struct error_arg {
	int         status;
	const char *title, *why;
};

static int
error_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct error_arg *a = arg;

	switch ((enum ekey)key) {
	case E_STATUS: tmpl_int(o, a->status); break;
	case E_TITLE:  tmpl_text(o, a->title); break;
	case E_WHY:    tmpl_text(o, a->why); break;
	default:       break;
	}
	return 0;
}

static int
error_section(size_t key, size_t i, void *arg)
{
	struct error_arg *a = arg;

	return i == 0 && key == E_IS_404 && a->status == 404;
}

void
page_error(struct http_req *r, struct sink *out, int status, const char *title,
    const char *why)
{
	struct error_arg a = { status, title, why };
	struct tmpl_cbs cbs = { error_var, error_section, &a };
	struct page_meta m = { title, NULL, NAV_NONE, NULL };

	if (layout == NULL || errtmpl == NULL) {
		sink_printf(out, "<!doctype html><meta charset=\"utf-8\">"
		    "<title>%d</title><h1>%d ", status, status);
		esc_html(out, title);
		sink_puts(out, "</h1><p>");
		esc_html(out, why);
		sink_puts(out, "</p>\n");
		return;
	}
	page_render(r, out, &m, errtmpl, &cbs);
}

/* ---- error_page: the one way to say no -------------------------------- */

static const char *
default_why(int status)
{
	switch (status) {
	case 400: return "The request is malformed.";
	case 404: return "There is no page at this address.";
	case 405: return "This address only answers GET and HEAD requests.";
	case 414: return "The address is too long.";
	case 503: return "The database is not available right now. "
	    "Please try again in a minute.";
	default:  return "Something went wrong on our side. It has been logged.";
	}
}

void
error_page(struct http_req *r, struct sink *out, int status, const char *why,
    unsigned allow)
{
	struct http_resp h = { 0 };

	if (r->status != 0) {
		/* Too late to change the status: the page is cut short. */
		log_err("http: %d after status %d was sent for %s", status,
		    r->status, r->path);
		return;
	}
	/* The programs answer every malformed request with a 400; the parser
	 * knows when it is a more precise one. */
	if (status == 400 && r->bad && r->bad_status != 0)
		status = r->bad_status;
	if (status != 400 && status != 404 && status != 405 && status != 414 &&
	    status != 503)
		status = 500;
	h.status = status;
	h.cache = status == 404 ? HTTP_CACHE_SHORT : HTTP_CACHE_NONE;
	h.allow = allow;
	if (why == NULL)
		why = default_why(status);
	if (http_headers(r, out, &h))
		page_error(r, out, status, http_reason(status), why);
}
