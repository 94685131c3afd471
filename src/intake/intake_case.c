/* intake_case: the case fields' table and the body reader (see intake_case.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "base/date.h"
#include "base/utf8.h"
#include "intake/intake_case.h"

const char *const intake_infectedtypes[] = {
	"communitary", "imported", "contact", "healthcare", "unknown", NULL
};
const char *const intake_states[] = {
	"asymptomatic", "symptomatic", "hospitalized", "critical", "recovered",
	"deceased", NULL
};

const struct intake_field intake_fields[IF__MAX] = {
	[IF_NAME]         = { "name", IK_TEXT, 1, 1, INTAKE_MAX_CHARS, NULL },
	[IF_LOCATION]     = { "location", IK_TEXT, 1, 1, INTAKE_MAX_CHARS, NULL },
	[IF_AGE]          = { "age", IK_INT, 1, 0, 120, NULL },
	[IF_INFECTEDTYPE] = { "infectedtype", IK_ENUM, 1, 0, 0, intake_infectedtypes },
	[IF_STATE]        = { "state", IK_ENUM, 1, 0, 0, intake_states },
	[IF_REPORTED_AT]  = { "reported_at", IK_TIME, 0, 0, 0, NULL },
};

size_t
intake_choice_count(const char *const *choices)
{
	size_t n = 0;

	while (choices[n] != NULL)
		n++;
	return n;
}

int
intake_age_band(int age)
{
	return age >= 80 ? 8 : age < 0 ? 0 : age / 10;
}

const char *
intake_age_band_label(int band)
{
	static const char *const labels[INTAKE_AGE_BANDS] = {
		"0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69",
		"70-79", "80+"
	};
	return band >= 0 && band < INTAKE_AGE_BANDS ? labels[band] : "?";
}

/* The parser's state between callbacks. depth 1 is the top value, 2 a
 * record inside an array. */
struct reader {
	struct intake_batch *b;
	struct arena        *a;
	time_t               now;
	int                  depth;
	int                  in_record;
	long                 index;        /* the record being read */
	int                  field;        /* the key just read, or -1 */
	const char          *key_name;     /* for an unknown key's fault */
	unsigned             seen;         /* fields given in this record (bits) */
	struct intake_case   cur;
};

static void
fault(struct reader *r, long index, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
fault(struct reader *r, long index, const char *field, const char *fmt, ...)
{
	struct intake_batch *b = r->b;
	struct intake_error *e;
	va_list ap;

	if (b->nerrors == INTAKE_MAX_ERRORS) {
		b->dropped++;
		return;
	}
	e = &b->errors[b->nerrors++];
	e->index = index;
	e->field = field;
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof e->why, fmt, ap);
	va_end(ap);
}

static const char *
field_name(const struct reader *r)
{
	return r->field >= 0 ? intake_fields[r->field].name : r->key_name;
}

/* What a field of this kind must be, for a fault about its type. */
static const char *
kind_wants(enum intake_kind k)
{
	switch (k) {
	case IK_TEXT: return "a string";
	case IK_INT:  return "a whole number";
	case IK_ENUM: return "a string";
	case IK_TIME: return "an ISO 8601 string";
	}
	return "?";
}

/* A value that is not allowed where it stands. Returns 1 to go on. */
static int
wrong_type(struct reader *r, const char *what)
{
	if (!r->in_record) {
		if (r->depth == 0)
			fault(r, -1, NULL, "the body must be an object or an array "
			    "of objects, not %s", what);
		else
			fault(r, r->index, NULL, "each element of the array must be "
			    "an object, not %s", what);
		return 1;
	}
	if (r->field >= 0)
		fault(r, r->index, field_name(r), "must be %s, not %s",
		    kind_wants(intake_fields[r->field].kind), what);
	return 1;
}

/* Characters of the UTF-8 text s[0..len) (yajl has checked it is UTF-8),
 * or -1 when it holds a control character (yajl turns \u0000 into a NUL). */
static long
text_chars(const unsigned char *s, size_t len)
{
	long n = 0;
	uint32_t cp;

	for (size_t i = 0; i < len; n++) {
		int k = utf8_decode(s + i, len - i, &cp);
		if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return -1;
		i += (size_t)k;
	}
	return n;
}

static int
only_spaces(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ')
			return 0;
	return 1;
}

/* "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM" / "-HH:MM": the UTC time, or
 * -1 when it is not one. */
static time_t
iso_time(const char *s, size_t len)
{
	char utc[21];
	time_t t;
	int sign, hh, mm;

	if ((len != 20 && len != 25) || s[10] != 'T')
		return -1;
	memcpy(utc, s, 19);
	utc[19] = 'Z';
	utc[20] = '\0';
	if ((t = date_parse_iso(utc)) < 0)
		return -1;
	if (len == 20)
		return s[19] == 'Z' ? t : -1;
	if ((s[19] != '+' && s[19] != '-') || s[22] != ':')
		return -1;
	for (int i = 20; i < 25; i++)
		if (i != 22 && (s[i] < '0' || s[i] > '9'))
			return -1;
	hh = (s[20] - '0') * 10 + (s[21] - '0');
	mm = (s[23] - '0') * 10 + (s[24] - '0');
	if (hh > 14 || mm > 59)
		return -1;
	sign = s[19] == '+' ? 1 : -1;
	return t - sign * (hh * 3600 + mm * 60);
}

static void
set_time(struct reader *r, const char *s, size_t len)
{
	time_t t = iso_time(s, len), earliest = date_parse_iso(INTAKE_EARLIEST);
	struct tm tm;

	if (t < 0) {
		fault(r, r->index, "reported_at", "must be an ISO 8601 time such as "
		    "2021-03-04T05:06:07Z or 2021-03-04T07:06:07+02:00");
		return;
	}
	if (t > r->now + INTAKE_CLOCK_SKEW) {
		fault(r, r->index, "reported_at", "is in the future");
		return;
	}
	if (t < earliest) {
		fault(r, r->index, "reported_at", "is before " INTAKE_EARLIEST);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(r->cur.reported_at, sizeof r->cur.reported_at,
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
set_text(struct reader *r, const struct intake_field *f, const char *s,
    size_t len)
{
	long n = text_chars((const unsigned char *)s, len);

	if (n < 0) {
		fault(r, r->index, f->name, "must not hold control characters");
		return;
	}
	if (n < f->min || only_spaces((const unsigned char *)s, len)) {
		fault(r, r->index, f->name, "must not be empty");
		return;
	}
	if (n > f->max) {
		fault(r, r->index, f->name, "must be at most %lld characters, not %ld",
		    f->max, n);
		return;
	}
	*(r->field == IF_NAME ? &r->cur.name : &r->cur.location) =
	    arena_strndup(r->a, s, len);
}

static void
set_choice(struct reader *r, const struct intake_field *f, const char *s,
    size_t len)
{
	char list[120];
	size_t used = 0;

	for (int i = 0; f->choices[i] != NULL; i++)
		if (strlen(f->choices[i]) == len && memcmp(f->choices[i], s, len) == 0) {
			*(r->field == IF_STATE ? &r->cur.state : &r->cur.infectedtype) = i;
			return;
		}
	list[0] = '\0';
	for (int i = 0; f->choices[i] != NULL && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
		    i ? ", " : "", f->choices[i]);
	fault(r, r->index, f->name, "must be one of: %s", list);
}

static int
on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct reader *r = ctx;
	const struct intake_field *f;

	if (!r->in_record)
		return wrong_type(r, "a string");
	if (r->field < 0)
		return 1;
	f = &intake_fields[r->field];
	switch (f->kind) {
	case IK_TEXT: set_text(r, f, (const char *)s, len); break;
	case IK_ENUM: set_choice(r, f, (const char *)s, len); break;
	case IK_TIME: set_time(r, (const char *)s, len); break;
	case IK_INT:  return wrong_type(r, "a string");
	}
	return 1;
}

/* yajl hands numbers over as their text (yajl_number), so 35.0 and 3e1
 * can be told from 35 and no double is ever rounded into an age. */
static int
on_number(void *ctx, const char *s, size_t len)
{
	struct reader *r = ctx;
	const struct intake_field *f;
	long long v = 0;

	if (!r->in_record)
		return wrong_type(r, "a number");
	if (r->field < 0)
		return 1;
	f = &intake_fields[r->field];
	if (f->kind != IK_INT)
		return wrong_type(r, "a number");
	if (memchr(s, '.', len) || memchr(s, 'e', len) || memchr(s, 'E', len)) {
		fault(r, r->index, f->name, "must be a whole number");
		return 1;
	}
	/* The digits, at most 4 of them (a longer one is out of range). */
	for (size_t i = s[0] == '-'; i < len; i++) {
		if (v > 1000)
			break;
		v = v * 10 + (s[i] - '0');
	}
	if (s[0] == '-' && v != 0)
		v = -v;
	if (v < f->min || v > f->max) {
		fault(r, r->index, f->name, "must be %lld to %lld", f->min, f->max);
		return 1;
	}
	r->cur.age = (int)v;
	return 1;
}

static int
on_null(void *ctx)
{
	struct reader *r = ctx;

	if (r->in_record && r->field >= 0 && !intake_fields[r->field].required) {
		fault(r, r->index, field_name(r), "must not be null (leave it out)");
		return 1;
	}
	return wrong_type(r, "null");
}

static int
on_bool(void *ctx, int v)
{
	(void)v;
	return wrong_type(ctx, "true or false");
}

static int
on_key(void *ctx, const unsigned char *s, size_t len)
{
	struct reader *r = ctx;

	r->field = -1;
	r->key_name = NULL;
	for (int i = 0; i < IF__MAX; i++)
		if (strlen(intake_fields[i].name) == len &&
		    memcmp(intake_fields[i].name, s, len) == 0) {
			if (r->seen & (1u << i)) {
				fault(r, r->index, intake_fields[i].name, "is given twice");
				return 1;
			}
			r->seen |= 1u << i;
			r->field = i;
			return 1;
		}
	/* The key is named in the fault only when it is short, plain ASCII:
	 * the answer never echoes arbitrary input. */
	if (len > 0 && len <= 32 && text_chars(s, len) == (long)len) {
		char *k = arena_strndup(r->a, (const char *)s, len);
		r->key_name = k;
		fault(r, r->index, k, "is not a field of a case report");
	} else
		fault(r, r->index, NULL, "has a field that is not one of a case report's");
	return 1;
}

static int
start_record(struct reader *r)
{
	if (r->b->n == INTAKE_MAX_RECORDS) {
		fault(r, -1, NULL, "an array may hold at most %d records",
		    INTAKE_MAX_RECORDS);
		return 0;
	}
	memset(&r->cur, 0, sizeof r->cur);
	r->cur.age = -1;
	r->index = (long)r->b->n;
	r->in_record = 1;
	r->seen = 0;
	r->field = -1;
	return 1;
}

static int
on_start_map(void *ctx)
{
	struct reader *r = ctx;

	r->depth++;
	if (r->depth == 1 || (r->depth == 2 && r->b->is_array))
		return start_record(r);
	/* An object inside a record: refused, and reading stops here (nothing
	 * inside it is a field). */
	if (r->in_record && r->field >= 0)
		wrong_type(r, "an object");
	else
		fault(r, r->in_record ? r->index : -1, NULL,
		    "nested objects and arrays are not allowed");
	return 0;
}

static int
on_end_map(void *ctx)
{
	struct reader *r = ctx;

	r->depth--;
	for (int i = 0; i < IF__MAX; i++)
		if (intake_fields[i].required && !(r->seen & (1u << i)))
			fault(r, r->index, intake_fields[i].name, "is required");
	r->b->cases[r->b->n++] = r->cur;
	r->in_record = 0;
	return 1;
}

static int
on_start_array(void *ctx)
{
	struct reader *r = ctx;

	r->depth++;
	if (r->depth == 1) {
		r->b->is_array = 1;
		return 1;
	}
	if (r->in_record && r->field >= 0)
		wrong_type(r, "an array");
	else
		fault(r, r->in_record ? r->index : -1, NULL,
		    "nested objects and arrays are not allowed");
	return 0;
}

static int
on_end_array(void *ctx)
{
	struct reader *r = ctx;

	r->depth--;
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null, on_bool, NULL, NULL, on_number, on_string,
	on_start_map, on_key, on_end_map, on_start_array, on_end_array
};

/* yajl's own message for a body that is not JSON, first line only. */
static void
syntax_fault(struct reader *r, yajl_handle h, const char *body, size_t len)
{
	unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)body, len);
	char *nl;

	if (msg == NULL) {
		fault(r, -1, NULL, "the body is not valid JSON");
		return;
	}
	if ((nl = strchr((char *)msg, '\n')) != NULL)
		*nl = '\0';
	fault(r, -1, NULL, "the body is not valid JSON (%s, at byte %zu)",
	    (char *)msg, yajl_get_bytes_consumed(h));
	yajl_free_error(h, msg);
}

int
intake_parse(const char *body, size_t len, time_t now, struct arena *a,
    struct intake_batch *b)
{
	struct reader r;
	yajl_handle h;
	yajl_status st;

	memset(b, 0, sizeof *b);
	memset(&r, 0, sizeof r);
	r.b = b;
	r.a = a;
	r.now = now;
	r.field = -1;
	if (len > INTAKE_MAX_BODY) {
		fault(&r, -1, NULL, "the body is larger than %d bytes", INTAKE_MAX_BODY);
		return -1;
	}
	if (len == 0) {
		fault(&r, -1, NULL, "the body is empty");
		return -1;
	}
	b->cases = arena_calloc(a, INTAKE_MAX_RECORDS, sizeof *b->cases);
	if (b->cases == NULL || (h = yajl_alloc(&callbacks, NULL, &r)) == NULL) {
		fault(&r, -1, NULL, "out of memory");
		return -1;
	}
	/* Strict: yajl's defaults already refuse comments, invalid UTF-8,
	 * several values and a value cut short; said here so it stays so. */
	yajl_config(h, yajl_allow_comments, 0);
	yajl_config(h, yajl_dont_validate_strings, 0);
	yajl_config(h, yajl_allow_trailing_garbage, 0);
	yajl_config(h, yajl_allow_multiple_values, 0);
	yajl_config(h, yajl_allow_partial_values, 0);
	st = yajl_parse(h, (const unsigned char *)body, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st == yajl_status_error)
		syntax_fault(&r, h, body, len);
	yajl_free(h);
	if (st == yajl_status_ok && b->n == 0 && b->nerrors == 0)
		fault(&r, -1, NULL, "the array holds no records");
	if (b->nerrors > 0 || st != yajl_status_ok) {
		if (b->nerrors == 0)
			fault(&r, -1, NULL, "the body could not be read");
		b->n = 0;
		return -1;
	}
	return 0;
}
