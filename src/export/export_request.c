/* export_request: parse, check and normalise an export request (see
 * export_request.h). Two steps: export_request_parse needs only the query
 * string; export_request_resolve checks it against the database. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "export/export_request.h"
#include "query/query_export.h"
#include "web/escape.h"
#include "web/http.h"

/* Short names for the keys (export_request.h declares them). */
enum key {
	K_LEVEL = EXPORT_KEY_LEVEL, K_COUNTRY = EXPORT_KEY_COUNTRY,
	K_PROVINCE = EXPORT_KEY_PROVINCE, K_FROM = EXPORT_KEY_FROM,
	K_TO = EXPORT_KEY_TO, K_SHAPE = EXPORT_KEY_SHAPE, K_BOM = EXPORT_KEY_BOM,
	K__MAX = EXPORT_KEY__MAX
};

const char *const export_level_names[GEO__MAX + 1] = { "country", "province",
    "county", NULL };
const char *const export_shape_names[SHAPE__MAX + 1] = { "wide", "long", NULL };
const char *const export_bom_values[3] = { "0", "1", NULL };

static const struct http_key keys[K__MAX] = { EXPORT_REQUEST_KEYS(0) };

const struct http_key *
export_request_keys(size_t *n)
{
	*n = K__MAX;
	return keys;
}

const char *
export_level_name(enum geo_level l)
{
	return export_level_names[l];
}

const char *
export_shape_name(enum export_shape s)
{
	return export_shape_names[s];
}

/* Quotes around names in messages, as http.c writes them. */
#define LQ "\xe2\x80\x9c"
#define RQ "\xe2\x80\x9d"

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
		/* Cut between characters, never inside a UTF-8 sequence. */
		while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
			i--;
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
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

/* The given (non-empty) values of a repeatable key into a list. */
static int
values(const struct http_req *hr, enum key k, char ***list, size_t *n,
    char *err, size_t errlen)
{
	for (const struct http_field *f = hr->field[k]; f != NULL; f = f->next) {
		if (f->vlen == 0)
			continue;
		if (push(list, n, f->val) != 0) {
			say(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

int
export_request_parse(struct export_request *r, enum export_format format,
    struct http_req *hr, char *err, size_t errlen)
{
	const struct http_field *f;
	char b[64];

	memset(r, 0, sizeof *r);
	r->format = format;
	r->level = GEO_COUNTRY;
	r->shape = SHAPE_WIDE;
	/* An empty value is what an untouched form field sends: not given.
	 * (http.h has no "optional" flag, so the validators' verdict on ""
	 * is overruled here; every use below skips empty values.) */
	for (size_t i = 0; i < hr->npairs; i++)
		if (hr->pairs[i].key != HTTP_KEY_NONE && hr->pairs[i].vlen == 0)
			hr->pairs[i].ok = 1;
	/* Malformed, given twice, or not what the key accepts. */
	if (http_check(hr, (1u << K__MAX) - 1) != 0) {
		say(err, errlen, "%s", hr->errbuf);
		return -1;
	}
	/* http_parse keeps undeclared keys apart; here they are an error, so
	 * a misspelt parameter never silently means "everything". */
	for (size_t i = 0; i < hr->npairs; i++)
		if (hr->pairs[i].key == HTTP_KEY_NONE) {
			say(err, errlen, "The parameter " LQ "%s" RQ " is unknown here "
			    "(known: level, country, province, from, to, shape, bom).", quoted(hr->pairs[i].name, b));
			return -1;
		}
	if ((f = http_get(hr, K_LEVEL)) != NULL && f->vlen > 0)
		r->level = (enum geo_level)f->num;
	if ((f = http_get(hr, K_SHAPE)) != NULL && f->vlen > 0)
		r->shape = (enum export_shape)f->num;
	if ((f = http_get(hr, K_BOM)) != NULL && f->vlen > 0)
		r->bom = (int)f->num;
	if ((f = http_get(hr, K_FROM)) != NULL && f->vlen > 0)
		memcpy(r->from, f->val, sizeof r->from);
	if ((f = http_get(hr, K_TO)) != NULL && f->vlen > 0)
		memcpy(r->to, f->val, sizeof r->to);
	if (values(hr, K_COUNTRY, &r->want_country, &r->nwant_country, err, errlen) != 0 ||
	    values(hr, K_PROVINCE, &r->want_province, &r->nwant_province, err, errlen) != 0)
		return -1;
	if (r->format == EXPORT_XLSX)
		r->bom = 0;     /* a BOM is a CSV matter; not part of an XLSX's key */
	return 0;
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
	    r->format == EXPORT_XLSX ? "xlsx" : "csv",
	    export_level_names[r->level], export_shape_names[r->shape], r->from,
	    r->to);
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

	sink_printf(&s, "covid_%s", export_level_names[r->level]);
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
		say(err, errlen, "The database holds no data yet.");
		return 1;
	}
	if (r->from[0] == '\0')
		memcpy(r->from, first, sizeof r->from);
	if (r->to[0] == '\0')
		memcpy(r->to, last, sizeof r->to);
	if (strcmp(r->from, first) < 0 || strcmp(r->from, last) > 0) {
		say(err, errlen, "The date from=%s is outside the data, which runs "
		    "from %s to %s.",
		    r->from, first, last);
		return 1;
	}
	if (strcmp(r->to, first) < 0 || strcmp(r->to, last) > 0) {
		say(err, errlen, "The date to=%s is outside the data, which runs "
		    "from %s to %s.",
		    r->to, first, last);
		return 1;
	}
	if (strcmp(r->from, r->to) > 0) {
		say(err, errlen, "The date from=%s is after to=%s.", r->from, r->to);
		return 1;
	}

	pl = (struct places){ &r->countries, &r->ncountries, 0 };
	for (size_t i = 0; i < r->nwant_country; i++) {
		if ((rc = export_query_country(q, r->want_country[i], add_country, &pl)) < 0)
			return pl.failed ? (log_err("export: out of memory"), -1) : -1;
		if (rc == 0) {
			say(err, errlen, "No country is called " LQ "%s" RQ " (give a "
			    "name as in the data, in any case, or an ISO3 code).",
			    quoted(r->want_country[i], b1));
			return 1;
		}
	}
	if (r->ncountries > 1)
		qsort(r->countries, r->ncountries, sizeof *r->countries, place_cmp);
	r->countries_json = places_json(r->countries, r->ncountries, &failed);

	if (r->nwant_province > 0 && r->level == GEO_COUNTRY) {
		say(err, errlen, "The parameter " LQ "province" RQ " applies to "
		    "level=province or level=county, not level=country.");
		return 1;
	}
	pl = (struct places){ &r->provinces, &r->nprovinces, 0 };
	for (size_t i = 0; i < r->nwant_province && !failed; i++) {
		if ((rc = export_query_province(q, r->want_province[i],
		    r->countries_json, add_province, &pl)) < 0)
			return pl.failed ? (log_err("export: out of memory"), -1) : -1;
		if (rc == 0) {
			say(err, errlen, "No province or state is called " LQ "%s" RQ "%s.",
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
	if (r->level != GEO_COUNTRY) {
		const struct export_place *p = r->nprovinces ? r->provinces : r->countries;
		size_t n = r->nprovinces ? r->nprovinces : r->ncountries;
		for (size_t i = 0; i < n; i++) {
			if ((rc = export_query_level_has(q, r->level, p[i].country,
			    p[i].province)) < 0)
				return -1;
			if (rc == 0) {
				say(err, errlen, "%s%s%s has no %s-level data (ask for "
				    "level=%s).", p[i].province ? p[i].province : "",
				    p[i].province ? ", " : "", p[i].country,
				    export_level_names[r->level],
				    r->level == GEO_COUNTY && !p[i].province ?
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

char *
export_request_identity(const struct export_request *r,
    unsigned long rows_per_sheet)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	sink_printf(&s, "%s\n%s", EXPORT_FORMAT_VERSION, r->canonical);
	if (r->format == EXPORT_XLSX)
		sink_printf(&s, "\nrows_per_sheet=%lu", rows_per_sheet);
	if (s.failed) {
		membuf_free(&b);
		return NULL;
	}
	return b.data;
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
