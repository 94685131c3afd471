/* api_handlers: the program's state and one handler per route; the route
 * table (api_tables.c) names them. */
#ifndef COVID_API_HANDLERS_H
#define COVID_API_HANDLERS_H

#include <sqlite3.h>

#include "api/api.h"
#include "web/json_writer.h"
#include "base/arena.h"
#include "query/query.h"
#include "query/query_api.h"
#include "query/query_forecast.h"
#include "query/query_status.h"

/* What lives as long as the worker. */
struct api_app {
	const char          *db_path;
	sqlite3             *db;
	struct query        *q;
	struct query_status *qs;
	struct query_api    *qa;
	struct query_forecast *qf;
	struct arena         arena;      /* one request's results */
	struct q_meta        meta;       /* read at the start of a request */
};

/* One request. */
struct api_ctx {
	struct api_app          *app;
	struct http_req         *r;
	struct sink             *out;
	const struct api_route  *route;
	const char              *place;   /* the {place} segment, or "" */
	struct jw                w;
};

/* The response headers: http_headers' set plus CORS and the licence Link,
 * for a 200 of type (NULL: JSON). Returns 1 when a body should follow. */
int api_headers(struct api_ctx *c, int status, const char *type,
    enum http_cache cache, unsigned allow);
/* Answers with an RFC 9457 problem (application/problem+json). */
void api_problem(struct http_req *r, struct sink *out,
    const struct api_problem *p, unsigned allow);
/* The same, from a status and a fixed detail. */
void api_fail(struct http_req *r, struct sink *out, int status,
    const char *detail);
/* The problem body alone (for tests and the fuzzer). */
void api_problem_body(struct jw *w, const struct api_problem *p);

void api_summary(struct api_ctx *c);
void api_status(struct api_ctx *c);
void api_places(struct api_ctx *c);
void api_place(struct api_ctx *c);
void api_series(struct api_ctx *c);
void api_world_series(struct api_ctx *c);
void api_countries(struct api_ctx *c);
void api_reports(struct api_ctx *c);
void api_forecast_skill(struct api_ctx *c);
void api_place_forecast(struct api_ctx *c);
void api_openapi(struct api_ctx *c);
void api_index(struct api_ctx *c);

/* The OpenAPI 3.1 document, generated from the tables, into w. */
void api_openapi_write(struct jw *w);
/* The human page, from the same tables, HTML into out. */
void api_index_write(struct sink *out);

#endif
