/* api_openapi: the OpenAPI 3.1 document, generated from the route,
 * parameter and schema tables (api.h) the program validates with, so a
 * route or parameter cannot be accepted without being documented, or the
 * reverse. Examples come from the fields' own examples. */
#include <stdio.h>
#include <string.h>

#include "api/api_handlers.h"

/* The statuses a route can answer besides 200; each has its problem. */
static const int errors[] = { 400, 404, 405, 414, 500, 503 };

static void
kstrs(struct jw *w, const char *k1, const char *v1, const char *k2, const char *v2)
{
	jw_kstr(w, k1, v1);
	if (k2 != NULL)
		jw_kstr(w, k2, v2);
}

static void
schema_ref(struct jw *w, enum api_schema_id id)
{
	char ref[96];

	snprintf(ref, sizeof ref, "#/components/schemas/%s", api_schemas[id].name);
	jw_obj(w);
	jw_kstr(w, "$ref", ref);
	jw_end_obj(w);
}

static const char *
json_type(enum api_ftype t)
{
	switch (t) {
	case F_INT:    return "integer";
	case F_NUMBER: return "number";
	case F_OBJECT: return "object";
	case F_ARRAY:  return "array";
	default:       return "string";
	}
}

static void
field_schema(struct jw *w, const struct api_field *f)
{
	if (f->type == F_OBJECT) {
		if (!f->nullable) {
			schema_ref(w, f->ref);
			return;
		}
		jw_obj(w);
		jw_kstr(w, "description", f->description);
		jw_key(w, "oneOf");
		jw_arr(w);
		schema_ref(w, f->ref);
		jw_obj(w);
		jw_kstr(w, "type", "null");
		jw_end_obj(w);
		jw_end_arr(w);
		jw_end_obj(w);
		return;
	}
	jw_obj(w);
	jw_kstr(w, "description", f->description);
	jw_key(w, "type");
	if (f->nullable) {
		jw_arr(w);
		jw_str(w, json_type(f->type));
		jw_str(w, "null");
		jw_end_arr(w);
	} else
		jw_str(w, json_type(f->type));
	if (f->type == F_DATE)
		jw_kstr(w, "format", "date");
	if (f->type == F_URI)
		jw_kstr(w, "format", "uri-reference");
	if (f->type == F_ARRAY) {
		jw_key(w, "items");
		schema_ref(w, f->ref);
	}
	jw_end_obj(w);
}

static void
schema(struct jw *w, const struct api_schema *s)
{
	jw_obj(w);
	jw_kstr(w, "type", "object");
	jw_kstr(w, "description", s->description);
	jw_key(w, "properties");
	jw_obj(w);
	for (size_t i = 0; i < s->nfields; i++) {
		jw_key(w, s->fields[i].name);
		field_schema(w, &s->fields[i]);
	}
	jw_end_obj(w);
	jw_key(w, "required");
	jw_arr(w);
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].nullable != API_OPTIONAL)
			jw_str(w, s->fields[i].name);
	jw_end_arr(w);
	jw_key(w, "additionalProperties");
	jw_bool(w, 0);
	jw_end_obj(w);
}

static void example(struct jw *w, enum api_schema_id id);

static void
field_example(struct jw *w, const struct api_field *f)
{
	switch (f->type) {
	case F_OBJECT:
		example(w, f->ref);
		break;
	case F_ARRAY:
		jw_arr(w);
		example(w, f->ref);
		jw_end_arr(w);
		break;
	case F_INT:
	case F_NUMBER:
		jw_num_text(w, f->example);
		break;
	default:
		if (f->example == NULL)
			jw_null(w);
		else {
			/* A string example is written "text" in the table. */
			size_t n = strlen(f->example);
			jw_strn(w, f->example + 1, n >= 2 ? n - 2 : 0);
		}
	}
}

static void
example(struct jw *w, enum api_schema_id id)
{
	const struct api_schema *s = &api_schemas[id];

	jw_obj(w);
	for (size_t i = 0; i < s->nfields; i++) {
		jw_key(w, s->fields[i].name);
		field_example(w, &s->fields[i]);
	}
	jw_end_obj(w);
}

static void
param_schema(struct jw *w, const struct http_key *k, const struct api_param *p)
{
	jw_obj(w);
	jw_kstr(w, "type", p->type);
	if (p->format != NULL)
		jw_kstr(w, "format", p->format);
	if (k->valid == http_valid_enum) {
		jw_key(w, "enum");
		jw_arr(w);
		for (size_t i = 0; k->choices[i] != NULL; i++)
			jw_str(w, k->choices[i]);
		jw_end_arr(w);
	} else if (k->valid == http_valid_int) {
		jw_kint(w, "minimum", k->min);
		jw_kint(w, "maximum", k->max);
	} else if (k->valid == api_valid_metrics) {
		/* One name, then more after commas. */
		char names[256], pattern[600];
		size_t n = 0;
		for (size_t i = 0; k->choices[i] != NULL && n < sizeof names; i++)
			n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
			    i ? "|" : "", k->choices[i]);
		snprintf(pattern, sizeof pattern, "^(%s)(,(%s))*$", names, names);
		jw_kstr(w, "pattern", pattern);
	} else if (k->valid == http_valid_text)
		/* Bytes in the program, characters in JSON Schema: the
		 * program's limit is the stricter one for non-ASCII text. */
		jw_kint(w, "maxLength", k->max);
	jw_end_obj(w);
}

static void
parameters(struct jw *w, const struct api_route *rt)
{
	jw_key(w, "parameters");
	jw_arr(w);
	if (rt->flags & API_R_PLACE) {
		jw_obj(w);
		kstrs(w, "name", "place", "in", "path");
		jw_key(w, "required");
		jw_bool(w, 1);
		jw_kstr(w, "description", "The place: its slug (as in /region/{slug}), "
		    "a country's ISO 3166-1 alpha-3 code, JHU's UID, or a US county's "
		    "5-digit FIPS code.");
		jw_key(w, "schema");
		jw_obj(w);
		jw_kstr(w, "type", "string");
		jw_end_obj(w);
		jw_kstr(w, "example", "canada");
		jw_end_obj(w);
	}
	for (size_t k = 0; k < P__MAX; k++) {
		if (!(rt->params & PARAM(k)))
			continue;
		jw_obj(w);
		kstrs(w, "name", api_params[k].name, "in", "query");
		jw_key(w, "required");
		jw_bool(w, 0);
		jw_kstr(w, "description", api_params[k].description);
		jw_key(w, "schema");
		param_schema(w, &api_keys[k], &api_params[k]);
		jw_key(w, "example");
		if (strcmp(api_params[k].type, "integer") == 0)
			jw_num_text(w, api_params[k].example);
		else
			jw_str(w, api_params[k].example);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
headers_doc(struct jw *w)
{
	jw_key(w, "headers");
	jw_obj(w);
	jw_key(w, "ETag");
	jw_obj(w);
	jw_kstr(w, "description", "The data version and the normalised request; "
	    "send it back in If-None-Match for a 304.");
	jw_key(w, "schema");
	jw_obj(w);
	jw_kstr(w, "type", "string");
	jw_end_obj(w);
	jw_end_obj(w);
	jw_key(w, "Link");
	jw_obj(w);
	jw_kstr(w, "description", "The data's licence (rel=license, CC BY 4.0) "
	    "and source (rel=via, JHU CSSE).");
	jw_key(w, "schema");
	jw_obj(w);
	jw_kstr(w, "type", "string");
	jw_end_obj(w);
	jw_end_obj(w);
	jw_end_obj(w);
}

static void
ok_response(struct jw *w, const struct api_route *rt)
{
	jw_key(w, "200");
	jw_obj(w);
	jw_kstr(w, "description", rt->summary);
	headers_doc(w);
	jw_key(w, "content");
	jw_obj(w);
	jw_key(w, rt->flags & API_R_JSON ? "application/json" : "text/html");
	jw_obj(w);
	jw_key(w, "schema");
	if (rt->schema < S__MAX)
		schema_ref(w, rt->schema);
	else {
		jw_obj(w);
		jw_kstr(w, "type", rt->flags & API_R_JSON ? "object" : "string");
		jw_end_obj(w);
	}
	if (rt->schema < S__MAX) {
		jw_key(w, "example");
		example(w, rt->schema);
	}
	jw_end_obj(w);
	jw_end_obj(w);
	jw_end_obj(w);
}

static void
problem_example(struct jw *w, int status)
{
	struct api_problem p;

	memset(&p, 0, sizeof p);
	p.status = status;
	snprintf(p.title, sizeof p.title, "%s", http_reason(status));
	switch (status) {
	case 400:
		snprintf(p.detail, sizeof p.detail, "The parameter \xe2\x80\x9climit"
		    "\xe2\x80\x9d must be a whole number from 1 to %d.", API_LIMIT_MAX);
		snprintf(p.param, sizeof p.param, "limit");
		break;
	case 404:
		snprintf(p.detail, sizeof p.detail, "No place has the slug, ISO3 "
		    "code, UID or FIPS code \xe2\x80\x9cnowhere\xe2\x80\x9d.");
		break;
	case 405:
		snprintf(p.detail, sizeof p.detail, "Only GET and HEAD are allowed.");
		break;
	case 414:
		snprintf(p.detail, sizeof p.detail, "The query string is longer "
		    "than %d bytes.", HTTP_MAX_QUERY);
		break;
	default:
		snprintf(p.detail, sizeof p.detail, "The data cannot be read right now.");
	}
	api_problem_body(w, &p);
}

static void
components(struct jw *w)
{
	char name[32];

	jw_key(w, "components");
	jw_obj(w);
	jw_key(w, "schemas");
	jw_obj(w);
	for (size_t i = 0; i < S__MAX; i++) {
		jw_key(w, api_schemas[i].name);
		schema(w, &api_schemas[i]);
	}
	jw_end_obj(w);
	jw_key(w, "responses");
	jw_obj(w);
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		snprintf(name, sizeof name, "Problem%d", errors[i]);
		jw_key(w, name);
		jw_obj(w);
		jw_kstr(w, "description", http_reason(errors[i]));
		jw_key(w, "content");
		jw_obj(w);
		jw_key(w, "application/problem+json");
		jw_obj(w);
		jw_key(w, "schema");
		schema_ref(w, S_PROBLEM);
		jw_key(w, "example");
		problem_example(w, errors[i]);
		jw_end_obj(w);
		jw_end_obj(w);
		jw_end_obj(w);
	}
	jw_end_obj(w);
	jw_end_obj(w);
}

static void
responses(struct jw *w, const struct api_route *rt)
{
	char name[32], ref[64];

	jw_key(w, "responses");
	jw_obj(w);
	ok_response(w, rt);
	jw_key(w, "304");
	jw_obj(w);
	jw_kstr(w, "description", "Not Modified: the ETag sent in If-None-Match "
	    "is still current.");
	jw_end_obj(w);
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		/* Without a place or a date to miss, a data route answers no
		 * 404; without a database the document and page answer. */
		if (errors[i] == 404 && !(rt->flags & API_R_PLACE) &&
		    !(rt->params & PARAM(P_DATE)))
			continue;
		if (errors[i] == 503 && (rt->flags & API_R_NODATA))
			continue;
		snprintf(name, sizeof name, "%d", errors[i]);
		snprintf(ref, sizeof ref, "#/components/responses/Problem%d", errors[i]);
		jw_key(w, name);
		jw_obj(w);
		jw_kstr(w, "$ref", ref);
		jw_end_obj(w);
	}
	jw_end_obj(w);
}

static void
paths(struct jw *w)
{
	jw_key(w, "paths");
	jw_obj(w);
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct api_route *rt = &api_routes[i];
		jw_key(w, rt->pattern);
		jw_obj(w);
		jw_key(w, "get");
		jw_obj(w);
		kstrs(w, "operationId", rt->id, "summary", rt->summary);
		jw_kstr(w, "description", rt->description);
		parameters(w, rt);
		responses(w, rt);
		jw_end_obj(w);
		jw_end_obj(w);
	}
	jw_end_obj(w);
}

void
api_openapi_write(struct jw *w)
{
	jw_obj(w);
	jw_kstr(w, "openapi", "3.1.0");
	jw_key(w, "info");
	jw_obj(w);
	kstrs(w, "title", "COVID-19 data portal API", "version", "1.0.0");
	jw_kstr(w, "description", "Every figure the portal's pages show, as JSON. "
	    "Data: " API_SOURCE " (" API_SOURCE_URL "), licensed " API_LICENSE
	    ": credit it. Errors are RFC 9457 problem details; unknown "
	    "parameters are refused (400), never ignored. Unknown figures are "
	    "null, never 0.");
	jw_key(w, "license");
	jw_obj(w);
	kstrs(w, "name", API_LICENSE, "url", API_LICENSE_URL);
	jw_end_obj(w);
	jw_end_obj(w);
	jw_key(w, "servers");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "url", "/");
	jw_end_obj(w);
	jw_end_arr(w);
	paths(w);
	components(w);
	jw_end_obj(w);
}
