/* page: the shared layout every HTML page renders into (header, navigation,
 * footer with the attribution and the data version) and the error page.
 * Templates are loaded once at start-up through page_load(), which also
 * folds each template into the build id that ETags carry. */
#ifndef COVID_PAGE_H
#define COVID_PAGE_H

#include "web/http.h"
#include "web/template.h"

/* NAV_LIVE also makes the page update itself: static/live.js follows
 * /live/events, and without script it reloads every few seconds. */
enum page_nav { NAV_NONE, NAV_HOME, NAV_REGIONS, NAV_DOWNLOADS, NAV_ABOUT, NAV_LIVE };

struct page_meta {
	const char    *title;        /* the <title> and <h1> context */
	const char    *description;  /* <meta name=description>, or NULL */
	enum page_nav  nav;          /* the current navigation entry */
	const char    *q;            /* the search box's value, or NULL */
};

/* Loads layout.html and error.html from dir. 0, or -1 after logging. */
int page_init(const char *dir);
void page_cleanup(void);

/* Loads one more template from the same directory (NULL after logging). */
struct tmpl *page_load(const char *file, const char *const *keys, size_t nkeys);

/* Renders the layout with body (rendered through cbs) as its content. The
 * footer takes the data version and dates from r. */
void page_render(struct http_req *r, struct sink *out, const struct page_meta *m,
    const struct tmpl *body, const struct tmpl_cbs *cbs);

/* The body of an error page: title and why are fixed texts from the program.
 * Falls back to a minimal built-in page when no templates are loaded. */
void page_error(struct http_req *r, struct sink *out, int status,
    const char *title, const char *why);

/* Answers with an error page saying why (a fixed text from the program, or
 * NULL for the status's default; never raw input). Status is one of 400,
 * 404, 405, 414, 500, 503; 405 sends Allow from allow. A 400 for a
 * malformed request (r->bad) becomes the status the parser chose for it
 * (414 for a query string over the cap). */
void error_page(struct http_req *r, struct sink *out, int status,
    const char *why, unsigned allow);

#endif
