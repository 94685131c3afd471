/* api_params: matching a path to a route and checking a request's
 * parameters against the tables (api.h). Pure functions of their input:
 * the unit tests and the fuzzer call them as the program does. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "web/escape.h"

/* Whether path matches pattern; returns the number of the pattern's
 * literal characters it matched (the more, the better the match), or -1.
 * A "{...}" in the pattern matches a place's slug, which has one or more
 * segments ("us/new-york/kings"), none of them empty: what is between the
 * literal text before it and the literal text after it, copied into place. */
static int
match(const char *pattern, const char *path, char *place, size_t len)
{
	const char *open = strchr(pattern, '{');
	size_t pre, suf, plen = strlen(path), n;
	const char *suffix;

	if (open == NULL)
		return strcmp(pattern, path) == 0 ? (int)strlen(pattern) : -1;
	pre = (size_t)(open - pattern);
	suffix = strchr(open, '}') + 1;
	suf = strlen(suffix);
	if (plen <= pre + suf || strncmp(path, pattern, pre) != 0 ||
	    strcmp(path + plen - suf, suffix) != 0)
		return -1;
	n = plen - pre - suf;
	if (n >= len)
		return -1;
	memcpy(place, path + pre, n);
	place[n] = '\0';
	if (place[0] == '/' || place[n - 1] == '/' || strstr(place, "//") != NULL)
		return -1;
	return (int)(pre + suf);
}

const struct api_route *
api_route_match(const char *path, char *place, size_t len)
{
	size_t plen = strlen(path);
	char trimmed[HTTP_MAX_PATH];
	const struct api_route *best = NULL;
	int best_score = -1;

	if (len == 0)
		return NULL;
	/* "/api/" is the page too, and a trailing slash names the same thing. */
	if (plen > 1 && plen < sizeof trimmed && path[plen - 1] == '/') {
		memcpy(trimmed, path, plen - 1);
		trimmed[plen - 1] = '\0';
		path = trimmed;
	}
	/* The best match: /api/v1/places/{place}/series rather than a place
	 * whose slug would end in "/series". */
	for (size_t i = 0; i < api_nroutes; i++) {
		char mine[HTTP_MAX_PATH] = "";
		int score = match(api_routes[i].pattern, path, mine,
		    len < sizeof mine ? len : sizeof mine);
		if (score > best_score) {
			best_score = score;
			best = &api_routes[i];
			strcpy(place, mine);
		}
	}
	if (best != NULL)
		return best;
	place[0] = '\0';
	return NULL;
}

int
api_valid_metrics(struct http_field *f, const struct http_key *k)
{
	const char *p = f->val;
	long long mask = 0;

	for (;;) {
		size_t n = strcspn(p, ","), i;
		for (i = 0; k->choices[i] != NULL; i++)
			if (strlen(k->choices[i]) == n && strncmp(p, k->choices[i], n) == 0)
				break;
		if (k->choices[i] == NULL || (mask & (1LL << i)))
			return 0;   /* unknown, empty or twice */
		mask |= 1LL << i;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	f->num = mask;
	return 1;
}

static void
bad_request(struct api_problem *p, const char *param)
{
	p->status = 400;
	snprintf(p->title, sizeof p->title, "Bad Request");
	snprintf(p->param, sizeof p->param, "%s", param != NULL ? param : "");
}

/* "date, sort, order" (or "none"): the parameters rt takes. */
static void
list_params(const struct api_route *rt, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < P__MAX && n < len; k++)
		if (rt->params & PARAM(k))
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? ", " : "", api_params[k].name);
	if (n == 0)
		snprintf(buf, len, "none");
}

int
api_check(const struct api_route *rt, struct http_req *r, struct api_problem *p)
{
	char takes[256];

	memset(p, 0, sizeof *p);
	if (r->bad) {
		bad_request(p, NULL);
		p->status = r->bad_status ? r->bad_status : 400;
		snprintf(p->title, sizeof p->title, "%s", http_reason(p->status));
		snprintf(p->detail, sizeof p->detail, "%s", r->bad_why);
		return -1;
	}
	list_params(rt, takes, sizeof takes);
	/* Never silently ignored: a name the API does not know (a typo), or
	 * one this endpoint does not take. The name goes back as JSON text
	 * (escaped by the writer), cut short. */
	for (size_t i = 0; i < r->npairs; i++) {
		const struct http_field *f = &r->pairs[i];
		if (f->key != HTTP_KEY_NONE && (rt->params & PARAM(f->key)))
			continue;
		bad_request(p, f->name);
		snprintf(p->detail, sizeof p->detail, "The parameter \xe2\x80\x9c%.48s"
		    "\xe2\x80\x9d is not %s; this endpoint takes: %s.", f->name,
		    f->key == HTTP_KEY_NONE ? "one this API knows" :
		    "one this endpoint takes", takes);
		return -1;
	}
	if (http_check(r, rt->params) != 0) {
		/* http_check names the first parameter at fault, in table order. */
		for (size_t k = 0; k < P__MAX; k++)
			if (r->field[k] != NULL && (r->dup & PARAM(k) || !r->field[k]->ok ||
			    (r->field[k]->next != NULL && !r->field[k]->next->ok))) {
				bad_request(p, api_keys[k].name);
				break;
			}
		if (p->status == 0)
			bad_request(p, NULL);
		snprintf(p->detail, sizeof p->detail, "%s", r->errbuf);
		if (strcmp(p->param, "metrics") == 0 && !(r->dup & PARAM(P_METRICS))) {
			size_t n = (size_t)snprintf(p->detail, sizeof p->detail,
			    "The parameter \xe2\x80\x9cmetrics\xe2\x80\x9d must be a "
			    "comma-separated list of, each at most once:");
			for (size_t i = 0; api_metrics[i] != NULL && n < sizeof p->detail; i++)
				n += (size_t)snprintf(p->detail + n, sizeof p->detail - n,
				    "%s %s", i ? "," : "", api_metrics[i]);
			if (n < sizeof p->detail)
				snprintf(p->detail + n, sizeof p->detail - n, ".");
		}
		return -1;
	}
	return 0;
}

void
api_normal_form(const struct api_route *rt, const struct http_req *r,
    const char *path, struct sink *s)
{
	char sep = '?';

	sink_puts(s, path);
	for (size_t k = 0; k < P__MAX; k++) {
		const struct http_field *f = http_get(r, k);
		if (f == NULL || !(rt->params & PARAM(k)))
			continue;
		sink_write(s, &sep, 1);
		sink_puts(s, api_keys[k].name);
		sink_write(s, "=", 1);
		esc_url(s, f->val);
		sep = '&';
	}
}
