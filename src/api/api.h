/* api: the JSON API's request surface, as data: the parameter table (name,
 * type, limits, description, example) and the route table (path pattern,
 * handler, the parameters it takes, its response schema, an example). The
 * program validates every request with these tables, and the OpenAPI
 * document (api_openapi.c) and the /api page (api_doc.c) are generated from
 * them, so what is accepted and what is documented cannot drift apart. */
#ifndef COVID_API_H
#define COVID_API_H

#include <stddef.h>

#include "base/sink.h"
#include "web/http.h"

/* The parameters, one table for every route (a route says which it takes).
 * Their order is the normalised order of a request (ETags). */
enum api_param_id {
	P_DATE, P_Q, P_LEVEL, P_COUNTRY, P_PROVINCE, P_SORT, P_ORDER,
	P_FROM, P_TO, P_LASTDAYS, P_INTERVAL, P_METRICS, P_LIMIT, P_CURSOR, P__MAX
};
#define PARAM(p) (1u << (p))

/* The figures of a series' point that metrics= chooses from (the members
 * of a Point after its date), NULL-terminated; a value's num is a mask of
 * their indexes. */
extern const char *const api_metrics[];
/* metrics=: a comma-separated list of api_metrics (k->choices), each at
 * most once. */
int api_valid_metrics(struct http_field *f, const struct http_key *k);

/* The limits the document states and a 400 enforces. */
enum {
	API_LIMIT_DEFAULT = 100,     /* places and reports a page */
	API_LIMIT_MAX     = 1000,
	API_CURSOR_MAX    = 10000000,
	API_LASTDAYS_MAX  = 10000,
	API_TEXT_MAX      = 100,     /* bytes of q, country, province */
};

struct api_param {
	const char *name;
	const char *type;          /* the schema type: "string", "integer" */
	const char *format;        /* "date", or NULL */
	const char *description;
	const char *example;       /* a value that works on the sample data */
};

extern const struct api_param api_params[P__MAX];
/* The same parameters as http.c's key table (validators, limits). */
extern const struct http_key api_keys[P__MAX];

/* The response schemas (components/schemas in the document). */
enum api_schema_id {
	S_SUMMARY, S_STATUS, S_RUN, S_PLACE_LIST, S_PLACE_ITEM, S_PLACE,
	S_LINK, S_FIGURES, S_SERIES, S_POINT, S_COUNTRIES, S_COUNTRY,
	S_REPORTS, S_REPORT, S_PROBLEM, S_WORLD_SERIES,
	S_FC_SKILLS, S_FC_SKILL, S_FC_PLACE, S_FC_ROW, S_FC_QUANTILE, S__MAX
};

enum api_ftype { F_STRING, F_DATE, F_INT, F_NUMBER, F_OBJECT, F_ARRAY, F_URI };

/* One member of a response object. Nullable members may be null (unknown:
 * never 0); every member is always present but API_OPTIONAL ones. */
struct api_field {
	const char         *name;
	enum api_ftype      type;
	int                 nullable;
	enum api_schema_id  ref;        /* F_OBJECT, F_ARRAY: of what */
	const char         *example;    /* JSON text of a scalar; NULL: null */
	const char         *description;
};
/* nullable = API_OPTIONAL: may be null, and left out when metrics= does
 * not ask for it. */
#define API_OPTIONAL 2

struct api_schema {
	const char             *name;
	const char             *description;
	const struct api_field *fields;
	size_t                  nfields;
};

extern const struct api_schema api_schemas[S__MAX];

struct api_ctx;   /* the program's state, api_handlers.h */

/* One route. A pattern's "{place}" matches one path segment. */
struct api_route {
	const char          *pattern;
	const char          *id;            /* operationId */
	const char          *summary;
	const char          *description;
	unsigned             params;        /* PARAM() bits it takes */
	enum api_schema_id   schema;        /* its 200 body */
	const char          *example;       /* a working request, for docs */
	void               (*handle)(struct api_ctx *c);
	unsigned             flags;
};
#define API_R_PLACE   1u   /* has {place}: may answer 404 */
#define API_R_JSON    2u   /* a JSON body (else HTML) */
#define API_R_NODATA  4u   /* the document and page: no database needed */

extern const struct api_route api_routes[];
extern const size_t api_nroutes;

/* The route for path, with the {place} segment copied into place (size
 * len; "" when the route has none). NULL when no route matches. */
const struct api_route *api_route_match(const char *path, char *place,
    size_t len);

/* What is wrong with a request, RFC 9457's members. */
struct api_problem {
	int  status;
	char title[64];
	char detail[512];
	char param[64];      /* the parameter concerned, or "" */
};

/* Checks r's query against the route's parameters: a parameter the API
 * does not know, or this route does not take, a value its validator
 * refused, or one given twice, is a 400 that names the parameter and why.
 * Returns 0 when the request may be answered, else -1 with p filled. */
int api_check(const struct api_route *rt, struct http_req *r,
    struct api_problem *p);

/* The request in normal form: the path, then each parameter given, in
 * table order, as name=value (for the ETag: two spellings of one request
 * share it), each value percent-encoded as
 * a URL query value (so the form is a working link, and no two requests
 * share one), into s. */
void api_normal_form(const struct api_route *rt, const struct http_req *r,
    const char *path, struct sink *s);

/* The credit every response carries. */
#define API_SOURCE  "COVID-19 Data Repository by the Center for Systems " \
	"Science and Engineering (CSSE) at Johns Hopkins University"
#define API_SOURCE_URL "https://github.com/CSSEGISandData/COVID-19"
#define API_LICENSE "CC BY 4.0"
#define API_LICENSE_URL "https://creativecommons.org/licenses/by/4.0/"

#endif
