/* test_api_params: the API's request checks (src/api/api.h) as the program
 * makes them: route matching, unknown and misplaced parameters, bad values
 * and repeats as 400s naming the parameter, the normal form (ETags), and
 * the OpenAPI document made from the same tables: every route is a path
 * there with exactly the parameters the checks accept, and the reverse. */
#include <string.h>

#include <yajl/yajl_tree.h>

#include "api/api.h"
#include "api/api_handlers.h"
#include "check.h"

static const char *const *env;
static struct http_req r;

static const char *
param(const char *name, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; env[i] != NULL; i += 2)
		if (strcmp(env[i], name) == 0)
			return env[i + 1];
	return NULL;
}

/* Checks path?qs as the program does: 0 or the problem's status. */
static int
check_req(const char *path, const char *qs, struct api_problem *p)
{
	const char *e[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", path,
	    "QUERY_STRING", qs, NULL };
	const struct api_route *rt;
	char place[256];

	env = e;
	http_req_reset(&r);
	http_parse(&r, api_keys, P__MAX, param, NULL);
	if ((rt = api_route_match(r.path, place, sizeof place)) == NULL)
		return 404;
	return api_check(rt, &r, p) == 0 ? 0 : p->status;
}

static const char *
normal(const char *path, const char *qs)
{
	static struct membuf b;
	struct api_problem p;
	struct sink s;
	char place[256];

	CHECK_INT(check_req(path, qs, &p), 0);
	membuf_free(&b);
	memset(&b, 0, sizeof b);
	s = membuf_sink(&b);
	api_normal_form(api_route_match(path, place, sizeof place), &r, path, &s);
	return b.data;
}

/* Whether the document's path for rt lists the parameter name. */
static int
documented(yajl_val doc, const struct api_route *rt, const char *name)
{
	const char *ppath[] = { "paths", rt->pattern, "get", "parameters", NULL };
	yajl_val list = yajl_tree_get(doc, ppath, yajl_t_array);
	const char *npath[] = { "name", NULL };

	for (size_t i = 0; list != NULL && i < list->u.array.len; i++) {
		yajl_val n = yajl_tree_get(list->u.array.values[i], npath, yajl_t_string);
		const char *s = n != NULL ? YAJL_GET_STRING(n) : NULL;
		if (s != NULL && strcmp(s, name) == 0)
			return 1;
	}
	return 0;
}

static void
document_matches_checks(void)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	struct jw w;
	char err[256], qs[128];
	yajl_val doc, paths;
	const char *pp[] = { "paths", NULL };
	int bad = 0;

	CHECK(jw_open(&w, &s, 0) == 0);
	api_openapi_write(&w);
	CHECK(!jw_failed(&w));
	jw_close(&w);
	doc = yajl_tree_parse(b.data, err, sizeof err);
	CHECK(doc != NULL);
	paths = yajl_tree_get(doc, pp, yajl_t_object);
	CHECK(paths != NULL && paths->u.object.len == api_nroutes);
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct api_route *rt = &api_routes[i];
		char path[256];
		const char *brace = strchr(rt->pattern, '{');
		/* A concrete path for the pattern: {place} as "canada". */
		if (brace != NULL)
			snprintf(path, sizeof path, "%.*scanada%s", (int)(brace - rt->pattern),
			    rt->pattern, strchr(brace, '}') + 1);
		else
			snprintf(path, sizeof path, "%s", rt->pattern);
		for (size_t k = 0; k < P__MAX; k++) {
			struct api_problem p;
			snprintf(qs, sizeof qs, "%s=%s", api_params[k].name, api_params[k].example);
			int accepted = check_req(path, qs, &p) == 0;
			if (accepted != documented(doc, rt, api_params[k].name)) {
				printf("#   %s %s: accepted %d, documented %d\n", rt->pattern,
				    api_params[k].name, accepted, !accepted);
				bad++;
			}
		}
	}
	CHECK_INT(bad, 0);
	yajl_tree_free(doc);
	membuf_free(&b);
}

int
main(void)
{
	struct api_problem p;
	char place[64];

	/* Routes. */
	CHECK(api_route_match("/api/v1/summary", place, sizeof place) == &api_routes[0]);
	CHECK(api_route_match("/api/v1/summary/", place, sizeof place) == &api_routes[0]);
	CHECK(api_route_match("/api/v1/places/DEU", place, sizeof place) != NULL);
	CHECK_STR(place, "DEU");
	/* Slugs have segments: a county's is "us/new-york/kings". */
	CHECK(api_route_match("/api/v1/places/us/new-york/kings", place, sizeof place) == &api_routes[3]);
	CHECK_STR(place, "us/new-york/kings");
	CHECK(api_route_match("/api/v1/places/us/new-york/kings/series", place, sizeof place) == &api_routes[4]);
	CHECK_STR(place, "us/new-york/kings");
	CHECK(api_route_match("/api/v1/places/us//kings", place, sizeof place) == NULL);
	CHECK(api_route_match("/api/v1/places/series", place, sizeof place) == &api_routes[3]);
	CHECK_STR(place, "series");
	CHECK(api_route_match("/api/v1/places/36047/series", place, sizeof place) != NULL);
	CHECK_STR(place, "36047");
	CHECK(api_route_match("/api/v1/places//series", place, sizeof place) == NULL);
	CHECK(api_route_match("/api/", place, sizeof place) != NULL);
	CHECK(api_route_match("/api/v2/summary", place, sizeof place) == NULL);
	CHECK(api_route_match("/api/v1/summaryx", place, sizeof place) == NULL);
	{
		char small[4];
		CHECK(api_route_match("/api/v1/places/germany", small, sizeof small) == NULL);
		CHECK(api_route_match("/api/v1/summary", small, 0) == NULL);
	}

	/* Good requests. */
	CHECK_INT(check_req("/api/v1/summary", "", &p), 0);
	CHECK_INT(check_req("/api/v1/summary", "date=2023-03-09", &p), 0);
	CHECK_INT(check_req("/api/v1/places", "q=new&level=county&limit=1000&cursor=0", &p), 0);

	/* Unknown, misplaced, bad, repeated: 400 naming the parameter. */
	CHECK_INT(check_req("/api/v1/summary", "dat=2023-03-09", &p), 400);
	CHECK_STR(p.param, "dat");
	CHECK(strstr(p.detail, "not one this API knows") != NULL);
	CHECK(strstr(p.detail, "takes: date") != NULL);
	CHECK_INT(check_req("/api/v1/status", "limit=5", &p), 400);
	CHECK_STR(p.param, "limit");
	CHECK(strstr(p.detail, "takes: none") != NULL);
	CHECK_INT(check_req("/api/v1/places", "limit=1001", &p), 400);
	CHECK_STR(p.param, "limit");
	CHECK(strstr(p.detail, "from 1 to 1000") != NULL);
	CHECK_INT(check_req("/api/v1/places", "limit=1e3", &p), 400);
	CHECK_INT(check_req("/api/v1/places", "cursor=-1", &p), 400);
	CHECK_STR(p.param, "cursor");
	CHECK_INT(check_req("/api/v1/summary", "date=2023-02-29", &p), 400);
	CHECK_STR(p.param, "date");
	CHECK_INT(check_req("/api/v1/countries", "sort=Deaths", &p), 400);
	CHECK_STR(p.param, "sort");
	CHECK_INT(check_req("/api/v1/places", "q=a&q=b", &p), 400);
	CHECK_STR(p.param, "q");
	CHECK(strstr(p.detail, "more than once") != NULL);
	CHECK_INT(check_req("/api/v1/places", "q=%01", &p), 400);
	CHECK_INT(check_req("/api/v1/places", "q=%ff", &p), 400);
	CHECK_STR(p.param, "q");
	CHECK_INT(check_req("/api/v1/places", "q=%zz", &p), 400);
	CHECK_STR(p.title, "Bad Request");
	/* A long unknown name is cut short in the detail, never overflows. */
	{
		char qs[300];
		memset(qs, 'x', 250);
		strcpy(qs + 250, "=1");
		CHECK_INT(check_req("/api/v1/summary", qs, &p), 400);
		CHECK(strlen(p.param) < sizeof p.param);
		CHECK(strlen(p.detail) < 200);
	}

	/* metrics=: a list of the point's figures, each once. */
	CHECK_INT(check_req("/api/v1/world/series", "metrics=new_confirmed,deaths", &p), 0);
	CHECK_INT(http_get(&r, P_METRICS)->num, (1 << 2) | (1 << 1));
	CHECK_INT(check_req("/api/v1/world/series", "metrics=deaths_per_100k", &p), 0);
	CHECK_INT(http_get(&r, P_METRICS)->num, 1 << 7);
	CHECK_INT(check_req("/api/v1/world/series", "metrics=deaths,deaths", &p), 400);
	CHECK_STR(p.param, "metrics");
	CHECK(strstr(p.detail, "comma-separated list") != NULL);
	CHECK_INT(check_req("/api/v1/world/series", "metrics=deaths,", &p), 400);
	CHECK_INT(check_req("/api/v1/world/series", "metrics=", &p), 400);
	CHECK_INT(check_req("/api/v1/world/series", "metrics=date", &p), 400);
	CHECK_INT(check_req("/api/v1/world/series", "metrics=Deaths", &p), 400);
	CHECK_INT(check_req("/api/v1/places/germany/series", "metrics=deaths&metrics=deaths", &p), 400);
	CHECK(strstr(p.detail, "more than once") != NULL);

	/* The normal form: table order, values encoded, one per request. */
	CHECK_STR(normal("/api/v1/places", "limit=5&q=new"), "/api/v1/places?q=new&limit=5");
	CHECK_STR(normal("/api/v1/places", "q=a%26level%3Dcountry"),
	    "/api/v1/places?q=a%26level%3Dcountry");
	CHECK_STR(normal("/api/v1/places", "q=a&level=country"),
	    "/api/v1/places?q=a&level=country");
	CHECK_STR(normal("/api/v1/places", "q=S%C3%A3o+Paulo"), "/api/v1/places?q=S%C3%A3o%20Paulo");
	CHECK_STR(normal("/api/v1/summary", ""), "/api/v1/summary");

	document_matches_checks();
	return check_exit();
}
