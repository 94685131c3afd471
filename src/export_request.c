/* export_request: parse, check and normalise an export request (see
 * export_request.h). Two steps: export_request_parse needs only the query
 * string; export_request_resolve checks it against the database. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "export_request.h"
#include "log.h"
#include "query_export.h"

/* Every accepted key, declared once. */
enum key { K_LEVEL, K_COUNTRY, K_PROVINCE, K_FROM, K_TO, K_SHAPE, K_BOM, K__MAX };
static const struct {
	const char *name;
	int         repeatable;
} keys[K__MAX] = {
	[K_LEVEL]    = { "level", 0 },
	[K_COUNTRY]  = { "country", 1 },
	[K_PROVINCE] = { "province", 1 },
	[K_FROM]     = { "from", 0 },
	[K_TO]       = { "to", 0 },
	[K_SHAPE]    = { "shape", 0 },
	[K_BOM]      = { "bom", 0 },
};

static const char *const level_names[LEVEL__MAX] = { "country", "province", "county" };
static const char *const shape_names[SHAPE__MAX] = { "wide", "long" };

const char *
export_level_name(enum export_level l)
{
	return level_names[l];
}

const char *
export_shape_name(enum export_shape s)
{
	return shape_names[s];
}

static void __attribute__((format(printf, 3, 4)))
say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A client's value, made fit to quote in a message: at most 60 bytes,
 * control characters as '?'. (The error page escapes it for HTML.) */
static const char *
quoted(const char *s, char buf[64])
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < 60; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (s[i] != '\0') {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

int
export_date_valid(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	if (s[10] != '\0')
		return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 1;
}

static int
push(char ***list, size_t *n, const char *value)
{
	char **p, *copy;

	if ((copy = strdup(value)) == NULL ||
	    (p = realloc(*list, (*n + 1) * sizeof *p)) == NULL) {
		free(copy);
		return -1;
	}
	p[(*n)++] = copy;
	*list = p;
	return 0;
}

/* Applies one decoded key=value. 0, or -1 with the reason in err. */
static int
apply(struct export_request *r, int seen[K__MAX], const char *k, const char *v,
    char *err, size_t errlen)
{
	char b1[64];
	int key;

	for (key = 0; key < K__MAX; key++)
		if (strcmp(k, keys[key].name) == 0)
			break;
	if (key == K__MAX) {
		say(err, errlen, "unknown parameter '%s' (known: level, country, "
		    "province, from, to, shape, bom)", quoted(k, b1));
		return -1;
	}
	if (seen[key]++ && !keys[key].repeatable) {
		say(err, errlen, "parameter '%s' is given more than once", k);
		return -1;
	}
	/* An empty value is a form field left alone: not given. */
	if (v[0] == '\0')
		return 0;
	switch (key) {
	case K_LEVEL:
		for (int i = 0; i < LEVEL__MAX; i++)
			if (strcmp(v, level_names[i]) == 0) {
				r->level = (enum export_level)i;
				return 0;
			}
		say(err, errlen, "level must be country, province or county, not '%s'",
		    quoted(v, b1));
		return -1;
	case K_SHAPE:
		for (int i = 0; i < SHAPE__MAX; i++)
			if (strcmp(v, shape_names[i]) == 0) {
				r->shape = (enum export_shape)i;
				return 0;
			}
		say(err, errlen, "shape must be wide or long, not '%s'", quoted(v, b1));
		return -1;
	case K_BOM:
		if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
			r->bom = v[0] == '1';
			return 0;
		}
		say(err, errlen, "bom must be 0 or 1, not '%s'", quoted(v, b1));
		return -1;
	case K_FROM:
	case K_TO:
		if (!export_date_valid(v)) {
			say(err, errlen, "%s must be a date as YYYY-MM-DD, not '%s'",
			    k, quoted(v, b1));
			return -1;
		}
		memcpy(key == K_FROM ? r->from : r->to, v, 11);
		return 0;
	case K_COUNTRY:
	case K_PROVINCE: {
		char ***list = key == K_COUNTRY ? &r->want_country : &r->want_province;
		size_t *n = key == K_COUNTRY ? &r->nwant_country : &r->nwant_province;
		if (strlen(v) > 200) {
			say(err, errlen, "%s '%s' is too long", k, quoted(v, b1));
			return -1;
		}
		if (*n >= EXPORT_MAX_PLACES) {
			say(err, errlen, "more than %d values of %s", EXPORT_MAX_PLACES, k);
			return -1;
		}
		if (push(list, n, v) != 0) {
			say(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	default:
		return -1;      /* can't happen: every key is handled above */
	}
}

int
export_request_parse(struct export_request *r, enum export_format format,
    const char *query, char *err, size_t errlen)
{
	int seen[K__MAX] = { 0 };
	const char *p = query ? query : "";
	size_t qlen = strlen(p);
	char *k = NULL, *v = NULL;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->format = format;
	r->level = LEVEL_COUNTRY;
	r->shape = SHAPE_WIDE;
	if (qlen > EXPORT_MAX_QUERY) {
		say(err, errlen, "the query string is too long");
		return -1;
	}
	/* A decoded part is never longer than the encoded one. */
	if ((k = malloc(qlen + 1)) == NULL || (v = malloc(qlen + 1)) == NULL) {
		say(err, errlen, "out of memory");
		goto out;
	}
	while (*p != '\0') {
		size_t len = strcspn(p, "&"), klen;
		const char *eq = memchr(p, '=', len);

		if (len == 0) {         /* "a=1&&b=2" or a trailing '&' */
			p++;
			continue;
		}
		klen = eq ? (size_t)(eq - p) : len;
		if (url_decode(k, p, klen) < 0 ||
		    url_decode(v, eq ? eq + 1 : p + len, eq ? len - klen - 1 : 0) < 0) {
			say(err, errlen, "malformed %%-escape in the query string");
			goto out;
		}
		if (apply(r, seen, k, v, err, errlen) != 0)
			goto out;
		p += len;
		if (*p == '&')
			p++;
	}
	if (r->format == EXPORT_XLSX)
		r->bom = 0;     /* a BOM is a CSV matter; not part of an XLSX's key */
	rc = 0;
out:
	free(k);
	free(v);
	return rc;
}

/* ---- Resolution --------------------------------------------------------- */

static int
place_cmp3(const struct export_place *x, const char *country, const char *province)
{
	int c = strcmp(x->country, country);

	if (c != 0)
		return c;
	return strcmp(x->province ? x->province : "", province ? province : "");
}

static int
place_cmp(const void *a, const void *b)
{
	const struct export_place *y = b;

	return place_cmp3(a, y->country, y->province);
}

/* Adds a place unless already there. O(n) per add; n <= a few hundred. */
struct places {
	struct export_place **list;
	size_t              *n;
	int                  failed;
};

static int
add_place(struct places *pl, const char *country, const char *province)
{
	struct export_place *p;

	for (size_t i = 0; i < *pl->n; i++)
		if (place_cmp3(&(*pl->list)[i], country, province) == 0)
			return 0;
	if ((p = realloc(*pl->list, (*pl->n + 1) * sizeof *p)) == NULL)
		goto oom;
	*pl->list = p;
	p += *pl->n;
	p->country = strdup(country);
	p->province = province ? strdup(province) : NULL;
	if (p->country == NULL || (province && p->province == NULL)) {
		free(p->country);
		free(p->province);
		goto oom;
	}
	(*pl->n)++;
	return 0;
oom:
	pl->failed = 1;
	return -1;
}

static int
add_country(void *arg, const char *country)
{
	return add_place(arg, country, NULL);
}

static int
add_province(void *arg, const char *country, const char *province)
{
	return add_place(arg, country, province);
}

/* A JSON string (RFC 8259): quote, backslash and control characters
 * escaped; other bytes (UTF-8) as they are. */
static void
json_string(struct sink *s, const char *str)
{
	sink_write(s, "\"", 1);
	for (; *str != '\0'; str++) {
		unsigned char c = (unsigned char)*str;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			sink_write(s, e, 2);
		} else if (c < 0x20)
			sink_printf(s, "\\u%04x", c);
		else
			sink_write(s, str, 1);
	}
	sink_write(s, "\"", 1);
}

/* ["A","B"] or [["A","a"],["B","b"]]; NULL when the list is empty ("all")
 * or memory ran out (*failed set). */
static char *
places_json(const struct export_place *p, size_t n, int *failed)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	if (n == 0)
		return NULL;
	sink_write(&s, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sink_write(&s, ",", 1);
		if (p[i].province) {
			sink_write(&s, "[", 1);
			json_string(&s, p[i].country);
			sink_write(&s, ",", 1);
			json_string(&s, p[i].province);
			sink_write(&s, "]", 1);
		} else
			json_string(&s, p[i].country);
	}
	sink_write(&s, "]", 1);
	if (s.failed) {
		membuf_free(&b);
		*failed = 1;
		return NULL;
	}
	return b.data;
}

/* The canonical request: format, then every parameter in a fixed order with
 * its normalised value (defaults filled in, names as the data spells them,
 * sorted, unique), URL-escaped. A province is COUNTRY:PROVINCE, each part
 * escaped (esc_url escapes ':'). */
static char *
canonical(const struct export_request *r)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	sink_printf(&s, "%s?level=%s&shape=%s&from=%s&to=%s",
	    r->format == EXPORT_XLSX ? "xlsx" : "csv", level_names[r->level],
	    shape_names[r->shape], r->from, r->to);
	if (r->format == EXPORT_CSV)
		sink_printf(&s, "&bom=%d", r->bom);
	for (size_t i = 0; i < r->ncountries; i++) {
		sink_puts(&s, "&country=");
		esc_url(&s, r->countries[i].country);
	}
	for (size_t i = 0; i < r->nprovinces; i++) {
		sink_puts(&s, "&province=");
		esc_url(&s, r->provinces[i].country);
		sink_puts(&s, ":");
		esc_url(&s, r->provinces[i].province);
	}
	if (s.failed) {
		membuf_free(&b);
		return NULL;
	}
	return b.data;
}

/* covid_<level>[_<place>][_long]_<from>_<to>.<csv|xlsx>, where place is the
 * one country or province asked for, or "selection" for several. Only
 * [A-Za-z0-9._-] survive (esc_header_filename), so it is safe in a header. */
static char *
filename(const struct export_request *r)
{
	struct membuf raw = { 0 }, out = { 0 };
	struct sink s = membuf_sink(&raw), o = membuf_sink(&out);

	sink_printf(&s, "covid_%s", level_names[r->level]);
	if (r->nprovinces == 1)
		sink_printf(&s, "_%s_%s", r->provinces[0].country,
		    r->provinces[0].province);
	else if (r->nprovinces == 0 && r->ncountries == 1)
		sink_printf(&s, "_%s", r->countries[0].country);
	else if (r->nprovinces > 0 || r->ncountries > 0)
		sink_puts(&s, "_selection");
	if (r->shape == SHAPE_LONG)
		sink_puts(&s, "_long");
	sink_printf(&s, "_%s_%s.%s", r->from, r->to,
	    r->format == EXPORT_XLSX ? "xlsx" : "csv");
	if (!s.failed)
		esc_header_filename(&o, raw.data);
	membuf_free(&raw);
	if (s.failed || o.failed) {
		membuf_free(&out);
		return NULL;
	}
	return out.data;
}

int
export_request_resolve(struct export_request *r, struct export_query *q,
    char *err, size_t errlen)
{
	struct places pl;
	char first[11], last[11], b1[64];
	int rc, failed = 0;

	if ((rc = export_query_range(q, first, last)) < 0)
		return -1;
	if (rc == 1) {
		say(err, errlen, "the database holds no data yet");
		return 1;
	}
	if (r->from[0] == '\0')
		memcpy(r->from, first, sizeof r->from);
	if (r->to[0] == '\0')
		memcpy(r->to, last, sizeof r->to);
	if (strcmp(r->from, first) < 0 || strcmp(r->from, last) > 0) {
		say(err, errlen, "from %s is outside the data, which runs from %s to %s",
		    r->from, first, last);
		return 1;
	}
	if (strcmp(r->to, first) < 0 || strcmp(r->to, last) > 0) {
		say(err, errlen, "to %s is outside the data, which runs from %s to %s",
		    r->to, first, last);
		return 1;
	}
	if (strcmp(r->from, r->to) > 0) {
		say(err, errlen, "from %s is after to %s", r->from, r->to);
		return 1;
	}

	pl = (struct places){ &r->countries, &r->ncountries, 0 };
	for (size_t i = 0; i < r->nwant_country; i++) {
		if ((rc = export_query_country(q, r->want_country[i], add_country, &pl)) < 0)
			return pl.failed ? (log_err("export: out of memory"), -1) : -1;
		if (rc == 0) {
			say(err, errlen, "no country is called '%s' (a name as in the "
			    "data, in any case, or an ISO3 code)",
			    quoted(r->want_country[i], b1));
			return 1;
		}
	}
	if (r->ncountries > 1)
		qsort(r->countries, r->ncountries, sizeof *r->countries, place_cmp);
	r->countries_json = places_json(r->countries, r->ncountries, &failed);

	if (r->nwant_province > 0 && r->level == LEVEL_COUNTRY) {
		say(err, errlen, "province applies to level=province or "
		    "level=county, not level=country");
		return 1;
	}
	pl = (struct places){ &r->provinces, &r->nprovinces, 0 };
	for (size_t i = 0; i < r->nwant_province && !failed; i++) {
		if ((rc = export_query_province(q, r->want_province[i],
		    r->countries_json, add_province, &pl)) < 0)
			return pl.failed ? (log_err("export: out of memory"), -1) : -1;
		if (rc == 0) {
			say(err, errlen, "no province or state is called '%s'%s",
			    quoted(r->want_province[i], b1), r->ncountries > 0 ?
			    " in the countries asked for" : "");
			return 1;
		}
	}
	if (r->nprovinces > 1)
		qsort(r->provinces, r->nprovinces, sizeof *r->provinces, place_cmp);
	r->provinces_json = places_json(r->provinces, r->nprovinces, &failed);

	/* A place with nothing at the level asked for would give an empty
	 * file; say why instead. */
	if (r->level != LEVEL_COUNTRY) {
		const struct export_place *p = r->nprovinces ? r->provinces : r->countries;
		size_t n = r->nprovinces ? r->nprovinces : r->ncountries;
		for (size_t i = 0; i < n; i++) {
			if ((rc = export_query_level_has(q, r->level, p[i].country,
			    p[i].province)) < 0)
				return -1;
			if (rc == 0) {
				say(err, errlen, "%s%s%s has no %s-level data (ask for "
				    "level=%s)", p[i].province ? p[i].province : "",
				    p[i].province ? ", " : "", p[i].country,
				    level_names[r->level],
				    r->level == LEVEL_COUNTY && !p[i].province ?
				    "province or level=country" : "country");
				return 1;
			}
		}
	}
	if (failed || (r->canonical = canonical(r)) == NULL ||
	    (r->filename = filename(r)) == NULL) {
		log_err("export: out of memory");
		return -1;
	}
	return 0;
}

void
export_request_free(struct export_request *r)
{
	for (size_t i = 0; i < r->nwant_country; i++)
		free(r->want_country[i]);
	for (size_t i = 0; i < r->nwant_province; i++)
		free(r->want_province[i]);
	for (size_t i = 0; i < r->ncountries; i++)
		free(r->countries[i].country);
	for (size_t i = 0; i < r->nprovinces; i++) {
		free(r->provinces[i].country);
		free(r->provinces[i].province);
	}
	free(r->want_country);
	free(r->want_province);
	free(r->countries);
	free(r->provinces);
	free(r->countries_json);
	free(r->provinces_json);
	free(r->canonical);
	free(r->filename);
	memset(r, 0, sizeof *r);
}
