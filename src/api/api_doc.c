/* api_doc: the /api page for people, rendered from the same tables as the
 * OpenAPI document: every endpoint, its parameters and limits, and a
 * working example link each. Every text is escaped (esc_html); no script. */
#include <stdio.h>
#include <string.h>

#include "api/api_handlers.h"
#include "web/escape.h"

static void
limits(struct sink *out, const struct http_key *k)
{
	if (k->valid == http_valid_enum) {
		sink_puts(out, "one of ");
		for (size_t i = 0; k->choices[i] != NULL; i++) {
			sink_puts(out, i ? ", <code>" : "<code>");
			esc_html(out, k->choices[i]);
			sink_puts(out, "</code>");
		}
	} else if (k->valid == http_valid_int)
		sink_printf(out, "a whole number from %lld to %lld", k->min, k->max);
	else if (k->valid == http_valid_date)
		sink_puts(out, "a date, YYYY-MM-DD");
	else if (k->valid == api_valid_metrics) {
		sink_puts(out, "a comma-separated list of ");
		for (size_t i = 0; k->choices[i] != NULL; i++) {
			sink_puts(out, i ? ", <code>" : "<code>");
			esc_html(out, k->choices[i]);
			sink_puts(out, "</code>");
		}
	}
	else
		sink_printf(out, "text, at most %lld bytes", k->max);
}

static void
route(struct sink *out, const struct api_route *rt)
{
	sink_puts(out, "<section>\n<h2><code>GET ");
	esc_html(out, rt->pattern);
	sink_puts(out, "</code></h2>\n<p>");
	esc_html(out, rt->description);
	sink_puts(out, "</p>\n<p>Example: <a href=\"");
	esc_html(out, rt->example);
	sink_puts(out, "\">");
	esc_html(out, rt->example);
	sink_puts(out, "</a></p>\n");
	if (rt->params != 0) {
		sink_puts(out, "<table>\n<thead><tr><th>Parameter</th><th>Accepts</th>"
		    "<th>Meaning</th><th>Example</th></tr></thead>\n<tbody>\n");
		for (size_t k = 0; k < P__MAX; k++) {
			if (!(rt->params & PARAM(k)))
				continue;
			sink_puts(out, "<tr><td><code>");
			esc_html(out, api_params[k].name);
			sink_puts(out, "</code></td><td>");
			limits(out, &api_keys[k]);
			sink_puts(out, "</td><td>");
			esc_html(out, api_params[k].description);
			sink_puts(out, "</td><td><code>");
			esc_html(out, api_params[k].example);
			sink_puts(out, "</code></td></tr>\n");
		}
		sink_puts(out, "</tbody>\n</table>\n");
	}
	if (rt->schema < S__MAX) {
		sink_puts(out, "<p>Answers a <code>");
		esc_html(out, api_schemas[rt->schema].name);
		sink_puts(out, "</code> object (see the <a href=\"/api/openapi.json\">"
		    "document</a>).</p>\n");
	}
	sink_puts(out, "</section>\n");
}

void
api_index_write(struct sink *out)
{
	sink_puts(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>API · COVID-19 data portal</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
	    "<main>\n<h1>The JSON API</h1>\n<p>Every figure the pages show, as "
	    "JSON. The contract is the <a href=\"/api/openapi.json\">OpenAPI 3.1 "
	    "document</a>, made from the same tables as this page and as the "
	    "checks every request goes through: a parameter an endpoint does not "
	    "take is refused (400), never ignored. Errors are RFC 9457 problem "
	    "details (<code>application/problem+json</code>). Unknown figures are "
	    "<code>null</code>, never 0; dates are YYYY-MM-DD. Responses carry an "
	    "ETag (send it back in <code>If-None-Match</code> for a 304) and may "
	    "be read from any origin.</p>\n");
	for (size_t i = 0; i < api_nroutes; i++)
		route(out, &api_routes[i]);
	sink_puts(out, "</main>\n<footer><p>Data: <a href=\"" API_SOURCE_URL "\">");
	esc_html(out, API_SOURCE);
	sink_puts(out, "</a>, licensed <a href=\"" API_LICENSE_URL "\">" API_LICENSE
	    "</a>.</p></footer>\n</body>\n</html>\n");
}

void
api_openapi(struct api_ctx *c)
{
	if (!api_headers(c, 200, "application/json; charset=utf-8", HTTP_CACHE_DATA, 0))
		return;
	if (jw_open(&c->w, c->out, 0) != 0)
		return;
	api_openapi_write(&c->w);
	jw_close(&c->w);
}

void
api_index(struct api_ctx *c)
{
	if (api_headers(c, 200, "text/html; charset=utf-8", HTTP_CACHE_DATA, 0))
		api_index_write(c->out);
}
