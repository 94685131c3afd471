/* daily_parse: one JHU daily report, any header era, into normalised rows.
 * The body is copied once and split in place by csv.c; a row costs no
 * allocation, and each field reaches its slot through a column map built from
 * the header (O(1) per field). See daily_parse.h for the contract. */
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/numfmt.h"
#include "base/utf8.h"
#include "ingest/daily_parse.h"
#include "ingest/jhu_text.h"
#include "store/place_names.h"

/* Where a column's value goes. F_IGNORE collects columns the era lacks. */
enum field {
	F_IGNORE = 0, F_FIPS, F_ADMIN2, F_PROVINCE, F_COUNTRY, F_LAST_UPDATE,
	F_LAT, F_LON, F_CONFIRMED, F_DEATHS, F_RECOVERED, F_ACTIVE,
	F_COMBINED_KEY, F_INCIDENT, F_CFR, F__MAX
};

struct column { const char *name; enum field f; };

/* Each era's columns, by the names JHU used. A file must have all of its
 * era's columns, in any order; other columns are ignored. */
#define ERA12 \
	{ "Province/State", F_PROVINCE }, { "Country/Region", F_COUNTRY }, \
	{ "Last Update", F_LAST_UPDATE }, { "Confirmed", F_CONFIRMED }, \
	{ "Deaths", F_DEATHS }, { "Recovered", F_RECOVERED }
#define ERA345 \
	{ "FIPS", F_FIPS }, { "Admin2", F_ADMIN2 }, \
	{ "Province_State", F_PROVINCE }, { "Country_Region", F_COUNTRY }, \
	{ "Last_Update", F_LAST_UPDATE }, { "Lat", F_LAT }, { "Long_", F_LON }, \
	{ "Confirmed", F_CONFIRMED }, { "Deaths", F_DEATHS }, \
	{ "Recovered", F_RECOVERED }, { "Active", F_ACTIVE }, \
	{ "Combined_Key", F_COMBINED_KEY }

#define ERA_COLS_MAX 14
static const struct column era_columns[][ERA_COLS_MAX + 1] = {
	[ERA_UNKNOWN]          = { { NULL, F_IGNORE } },
	[ERA_1_PROVINCE_SLASH] = { ERA12, { NULL, F_IGNORE } },
	[ERA_2_LATITUDE]       = { ERA12, { "Latitude", F_LAT },
	                           { "Longitude", F_LON }, { NULL, F_IGNORE } },
	[ERA_3_FIPS]           = { ERA345, { NULL, F_IGNORE } },
	[ERA_4_INCIDENCE]      = { ERA345, { "Incidence_Rate", F_INCIDENT },
	                           { "Case-Fatality_Ratio", F_CFR }, { NULL, F_IGNORE } },
	[ERA_5_INCIDENT]       = { ERA345, { "Incident_Rate", F_INCIDENT },
	                           { "Case_Fatality_Ratio", F_CFR }, { NULL, F_IGNORE } },
};

/* For error messages. */
static const char *const era_names[] = {
	[ERA_UNKNOWN]          = "unknown",
	[ERA_1_PROVINCE_SLASH] = "the Province/State layout of 2020-01-22",
	[ERA_2_LATITUDE]       = "the Latitude/Longitude layout of 2020-03-01",
	[ERA_3_FIPS]           = "the FIPS/Admin2 layout of 2020-03-22",
	[ERA_4_INCIDENCE]      = "the Incidence_Rate layout of 2020-05-29",
	[ERA_5_INCIDENT]       = "the Incident_Rate layout of 2020-11-09",
};

#define MAX_COLUMNS 64

struct daily_parser {
	char          *buf;             /* our copy of the body, split in place */
	struct csv     csv;
	enum daily_era era;
	int            ncols;
	unsigned char  colmap[MAX_COLUMNS];     /* column index -> enum field */
	const char    *colname[F__MAX];        /* the header's name, for errors */
	char          *fields[MAX_COLUMNS + 1];
	size_t         span_start, span_end;
	char           fips[16];
};

/* Trimmed fields that are absent point here; jhu_trim() never writes to it. */
static char empty[1];

/* The era, from the names that tell them apart. */
static enum daily_era
detect_era(char **names, int n)
{
	int i, slash = 0, under = 0, latitude = 0, incidence = 0, incident = 0;

	for (i = 0; i < n; i++) {
		const char *s = names[i];

		slash     |= strcmp(s, "Country/Region") == 0;
		under     |= strcmp(s, "Country_Region") == 0;
		latitude  |= strcmp(s, "Latitude") == 0 || strcmp(s, "Longitude") == 0;
		incidence |= strcmp(s, "Incidence_Rate") == 0 ||
		    strcmp(s, "Case-Fatality_Ratio") == 0;
		incident  |= strcmp(s, "Incident_Rate") == 0 ||
		    strcmp(s, "Case_Fatality_Ratio") == 0;
	}
	if (under)
		return incident ? ERA_5_INCIDENT : incidence ? ERA_4_INCIDENCE :
		    ERA_3_FIPS;
	if (slash)
		return latitude ? ERA_2_LATITUDE : ERA_1_PROVINCE_SLASH;
	return ERA_UNKNOWN;
}

/* Builds the column map. 0, or -1 with the reason in err. */
static int
read_header(struct daily_parser *p, char **names, int n, const char *line,
    char *err, size_t errlen)
{
	const struct column *c;
	char missing[256] = "";
	int i, j;

	for (i = 0; i < n; i++)
		names[i] = jhu_trim(names[i]);
	p->era = detect_era(names, n);
	if (p->era == ERA_UNKNOWN) {
		jhu_seterr(err, errlen, "unknown header (no Country/Region or "
		    "Country_Region column): %s", line);
		return -1;
	}
	p->ncols = n;
	memset(p->colmap, F_IGNORE, sizeof p->colmap);
	for (i = 0; i < F__MAX; i++)
		p->colname[i] = "?";   /* never printed: the era has them all */
	for (c = era_columns[p->era]; c->name != NULL; c++) {
		int at = -1;

		for (j = 0; j < n; j++) {
			if (strcmp(names[j], c->name) != 0)
				continue;
			if (at >= 0) {
				jhu_seterr(err, errlen, "header has column %s twice: %s",
				    c->name, line);
				return -1;
			}
			at = j;
		}
		if (at < 0) {
			size_t m = strlen(missing);

			snprintf(missing + m, sizeof missing - m, "%s%s",
			    m ? ", " : "", c->name);
			continue;
		}
		p->colmap[at] = (unsigned char)c->f;
		p->colname[c->f] = c->name;
	}
	if (missing[0] != '\0') {
		jhu_seterr(err, errlen, "header lacks %s (for %s): %s",
		    missing, era_names[p->era], line);
		return -1;
	}
	return 0;
}

struct daily_parser *
daily_parser_new(const char *buf, size_t len, char *err, size_t errlen)
{
	struct daily_parser *p;
	struct csv_rec rec;
	char line[160];
	size_t i = 0;
	int rc;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && jhu_is_space(buf[i]))
		i++;
	if (i == len) {
		jhu_seterr(err, errlen, "body is empty");
		return NULL;
	}
	if (buf[i] == '<') {
		jhu_seterr(err, errlen, "body is HTML, not CSV");
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		jhu_seterr(err, errlen, "body holds NUL bytes: binary, not CSV");
		return NULL;
	}
	jhu_first_line(buf, len, line, sizeof line);

	if ((p = calloc(1, sizeof *p)) == NULL ||
	    (p->buf = malloc(len + 1)) == NULL) {
		free(p);
		jhu_seterr(err, errlen, "out of memory for a %zu-byte body", len);
		return NULL;
	}
	memcpy(p->buf, buf, len);
	p->buf[len] = '\0';
	csv_init(&p->csv, p->buf, len);

	rc = csv_next(&p->csv, p->fields, MAX_COLUMNS + 1, &rec);
	if (rc < 0)
		jhu_seterr(err, errlen, "header ends inside a quoted field: %s", line);
	else if (rc == 0)
		jhu_seterr(err, errlen, "body is empty");
	else if (rec.nfields > MAX_COLUMNS)
		jhu_seterr(err, errlen, "header has %d columns, more than %d: %s",
		    rec.nfields, MAX_COLUMNS, line);
	else if (read_header(p, p->fields, rec.nfields, line, err, errlen) == 0)
		return p;
	daily_parser_free(p);
	return NULL;
}

enum daily_era
daily_parser_era(const struct daily_parser *p)
{
	return p->era;
}

void
daily_parser_span(const struct daily_parser *p, size_t *start, size_t *end)
{
	*start = p->span_start;
	*end = p->span_end;
}

void
daily_parser_free(struct daily_parser *p)
{
	if (p == NULL)
		return;
	free(p->buf);
	free(p);
}

/* A real column: "", or a finite decimal number (no hex, nan or inf, which
 * strtod would take). 1 with *out set, 0 when empty, -1 when not a number. */
static int
parse_real(char *s, double *out)
{
	char *end;
	const char *q;

	s = jhu_trim(s);
	if (*s == '\0')
		return 0;
	for (q = s; *q != '\0'; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == '-' ||
		    *q == '+' || *q == 'e' || *q == 'E'))
			return -1;
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(*out))
		return -1;
	return 1;
}

/* Fills *row from the record's fields. 1, or -1 with the reason in err. */
static int
fill_row(struct daily_parser *p, const struct csv_rec *rec,
    struct daily_row *row, char *err, size_t errlen)
{
	static const struct { enum field f; unsigned bit; } counts[] = {
		{ F_CONFIRMED, ROW_HAS_CONFIRMED }, { F_DEATHS, ROW_HAS_DEATHS },
		{ F_RECOVERED, ROW_HAS_RECOVERED }, { F_ACTIVE, ROW_HAS_ACTIVE },
	};
	char *v[F__MAX];
	long long *countv[4];
	const char *raw_country;
	char val[48];
	double lat = 0, lon = 0;
	int i, has_lat, has_lon, r;

	if (rec->nfields != p->ncols) {
		jhu_seterr(err, errlen, "line %ld: expected %d fields, got %d",
		    rec->line, p->ncols, rec->nfields);
		return -1;
	}
	for (i = 0; i < F__MAX; i++)
		v[i] = empty;
	for (i = 0; i < p->ncols; i++)
		v[p->colmap[i]] = p->fields[i];

	raw_country = jhu_trim(v[F_COUNTRY]);
	if (*raw_country == '\0') {
		jhu_seterr(err, errlen, "line %ld: %s is empty", rec->line,
		    p->colname[F_COUNTRY]);
		return -1;
	}
	row->country_region = raw_country;
	row->province_state = jhu_trim(v[F_PROVINCE]);
	/* Era 1-2 "France,France" (and "Taiwan,Taiwan") is the country itself. */
	if (p->era <= ERA_2_LATITUDE &&
	    strcmp(row->province_state, raw_country) == 0)
		row->province_state = "";
	place_normalise(&row->country_region, &row->province_state);
	row->admin2 = jhu_trim(v[F_ADMIN2]);
	row->combined_key = jhu_trim(v[F_COMBINED_KEY]);

	if (jhu_fips(jhu_trim(v[F_FIPS]), strcmp(row->country_region, "US") == 0,
	    row->admin2[0] != '\0', p->fips) < 0) {
		jhu_seterr(err, errlen, "line %ld: FIPS is not a FIPS code: \"%s\"",
		    rec->line, jhu_clip(v[F_FIPS], SIZE_MAX, val, sizeof val));
		return -1;
	}
	row->fips = p->fips;

	/* Metadata only: an odd date loses the date, not the row. */
	if (daily_parse_timestamp(v[F_LAST_UPDATE], row->last_update) < 0)
		row->last_update[0] = '\0';

	row->has = 0;
	countv[0] = &row->confirmed;
	countv[1] = &row->deaths;
	countv[2] = &row->recovered;
	countv[3] = &row->active;
	for (i = 0; i < 4; i++) {
		*countv[i] = 0;
		/* "", or a whole number as the daily reports have always
		 * been read: spaces around it, a '+', a ".0" (jhu_text.h). */
		r = jhu_whole(jhu_trim(v[counts[i].f]), JHU_WHOLE_PLUS |
		    JHU_WHOLE_ZERO_FRACTION, countv[i]);
		if (r < 0) {
			jhu_seterr(err, errlen, "line %ld: %s is not a whole number: "
			    "\"%s\"", rec->line, p->colname[counts[i].f],
			    jhu_clip(v[counts[i].f], SIZE_MAX, val, sizeof val));
			return -1;
		}
		if (r > 0)
			row->has |= counts[i].bit;
	}

	row->incident_rate = row->case_fatality_ratio = 0;
	for (i = 0; i < 2; i++) {
		enum field f = i == 0 ? F_INCIDENT : F_CFR;
		double *out = i == 0 ? &row->incident_rate : &row->case_fatality_ratio;
		char *s = jhu_trim(v[f]);

		/* A spreadsheet's "cannot divide by 0" (01-14-2021, India, 0
		 * confirmed): the ratio is undefined, so absent. */
		if (strcmp(s, "#DIV/0!") == 0)
			continue;
		r = parse_real(s, out);
		if (r < 0) {
			jhu_seterr(err, errlen, "line %ld: %s is not a number: \"%s\"",
			    rec->line, p->colname[f], jhu_clip(s, SIZE_MAX, val, sizeof val));
			return -1;
		}
		if (r > 0)
			row->has |= i == 0 ? ROW_HAS_INCIDENT : ROW_HAS_CFR;
	}

	has_lat = parse_real(v[F_LAT], &lat);
	has_lon = parse_real(v[F_LON], &lon);
	if (has_lat < 0 || has_lon < 0) {
		enum field f = has_lat < 0 ? F_LAT : F_LON;

		jhu_seterr(err, errlen, "line %ld: %s is not a number: \"%s\"",
		    rec->line, p->colname[f], jhu_clip(v[f], SIZE_MAX, val, sizeof val));
		return -1;
	}
	if (has_lat != has_lon) {
		jhu_seterr(err, errlen, "line %ld: %s without %s", rec->line,
		    p->colname[has_lat ? F_LAT : F_LON],
		    p->colname[has_lat ? F_LON : F_LAT]);
		return -1;
	}
	row->lat = lat;
	row->lon = lon;
	if (has_lat)
		row->has |= ROW_HAS_LATLONG;
	return 1;
}

int
daily_parser_next(struct daily_parser *p, struct daily_row *row,
    char *err, size_t errlen)
{
	struct csv_rec rec;
	int rc;

	for (;;) {
		rc = csv_next(&p->csv, p->fields, MAX_COLUMNS + 1, &rec);
		if (rc == 0)
			return 0;
		row->line = rec.line;
		p->span_start = rec.start;
		p->span_end = rec.end;
		if (rc < 0) {
			jhu_seterr(err, errlen, "line %ld: body ends inside a quoted "
			    "field (truncated)", rec.line);
			return -2;
		}
		if (!rec.blank)
			break;
	}
	rc = fill_row(p, &rec, row, err, errlen);
	if (rc < 0 && !rec.terminated) {
		/* A malformed last line without a line end: the body was cut. */
		char why[200];

		snprintf(why, sizeof why, "%s", err ? err : "");
		jhu_seterr(err, errlen, "truncated body: its last line has no line "
		    "end and is malformed (%s)", why);
		return -2;
	}
	return rc;
}

/* Reads 1..max digits. */
static int
read_num(const char **s, int max, int *out)
{
	int n = 0, v = 0;

	while (n < max && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	*out = v;
	return n;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Two shapes, each with H:MM or H:MM:SS:
 *   YYYY-MM-DD[T ]HH:MM[:SS]     (ISO, from 2020-02-02)
 *   M/D/YY[YY] H:MM[:SS]         (US style, Jan to early April 2020) */
int
daily_parse_timestamp(const char *text, char out[20])
{
	const char *s = text;
	int y, mo, d, h, mi, sec = 0, n;

	out[0] = '\0';
	while (jhu_is_space(*s))
		s++;
	n = read_num(&s, 4, &y);
	if (n == 4 && *s == '-') {
		s++;
		if (read_num(&s, 2, &mo) != 2 || *s++ != '-' ||
		    read_num(&s, 2, &d) != 2 || (*s != 'T' && *s != ' '))
			return -1;
		s++;
	} else if ((n == 1 || n == 2) && *s == '/') {
		mo = y;
		s++;
		if (read_num(&s, 2, &d) < 1 || *s++ != '/')
			return -1;
		n = read_num(&s, 4, &y);
		if (n == 2)
			y += 2000;
		else if (n != 4)
			return -1;
		if (*s++ != ' ')
			return -1;
	} else
		return -1;
	if (read_num(&s, 2, &h) < 1 || *s++ != ':' ||
	    read_num(&s, 2, &mi) != 2)
		return -1;
	if (*s == ':') {
		s++;
		if (read_num(&s, 2, &sec) != 2)
			return -1;
	}
	while (jhu_is_space(*s))
		s++;
	if (*s != '\0')
		return -1;
	if (y < 1970 || y > 2099 || mo < 1 || mo > 12 ||
	    d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return -1;
	fmt_uint_padded(out, (unsigned)y, 4);
	out[4] = '-';
	fmt_uint_padded(out + 5, (unsigned)mo, 2);
	out[7] = '-';
	fmt_uint_padded(out + 8, (unsigned)d, 2);
	out[10] = 'T';
	fmt_uint_padded(out + 11, (unsigned)h, 2);
	out[13] = ':';
	fmt_uint_padded(out + 14, (unsigned)mi, 2);
	out[16] = ':';
	fmt_uint_padded(out + 17, (unsigned)sec, 2);
	out[19] = '\0';
	return 0;
}
