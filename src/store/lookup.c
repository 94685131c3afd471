/* lookup: UID_ISO_FIPS_LookUp_Table.csv rows (see lookup.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "store/lookup.h"

enum col {
	COL_UID, COL_ISO2, COL_ISO3, COL_CODE3, COL_FIPS, COL_ADMIN2,
	COL_PROVINCE, COL_COUNTRY, COL_LAT, COL_LONG, COL_KEY, COL_POPULATION,
	COL__MAX
};

static const char *const col_names[COL__MAX] = {
	"UID", "iso2", "iso3", "code3", "FIPS", "Admin2", "Province_State",
	"Country_Region", "Lat", "Long_", "Combined_Key", "Population",
};

enum { FIELDS_MAX = 32 };

struct lookup_reader {
	char       *buf;
	struct csv  csv;
	int         ncols;              /* fields in the header */
	int         col[COL__MAX];      /* field index of each column */
	char       *f[FIELDS_MAX];
};

/* Trims spaces in place (names like " Azerbaijan" occur in JHU files). */
static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

struct lookup_reader *
lookup_reader_new(const char *buf, size_t len, char *err, size_t errlen)
{
	struct lookup_reader *r = calloc(1, sizeof *r);
	struct csv_rec rec;
	int i, k;

	if (r == NULL || (r->buf = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	memcpy(r->buf, buf, len);
	r->buf[len] = '\0';
	csv_init(&r->csv, r->buf, len);
	if (csv_next(&r->csv, r->f, FIELDS_MAX, &rec) != 1 ||
	    rec.nfields > FIELDS_MAX) {
		snprintf(err, errlen, "not the lookup table: no header line");
		goto err;
	}
	r->ncols = rec.nfields;
	for (k = 0; k < COL__MAX; k++) {
		r->col[k] = -1;
		for (i = 0; i < r->ncols; i++)
			if (strcmp(trim(r->f[i]), col_names[k]) == 0)
				r->col[k] = i;
		if (r->col[k] < 0) {
			snprintf(err, errlen, "not the lookup table: no column %s",
			    col_names[k]);
			goto err;
		}
	}
	return r;
err:
	lookup_reader_free(r);
	return NULL;
}

void
lookup_reader_free(struct lookup_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

/* An integer, also written as a float with nothing after the point
 * ("84000001.0", as some JHU files do). */
static int
parse_int(const char *s, long long *out)
{
	char *end;
	double d;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (end != s && *end == '\0' && errno == 0)
		return 0;
	d = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(d) ||
	    d != floor(d) || fabs(d) > 9e15)
		return -1;
	*out = (long long)d;
	return 0;
}

static int
parse_real(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end == s || *end != '\0' || errno != 0 || !isfinite(*out) ? -1 : 0;
}

/* FIPS as text: "1001" and "1001.0" become "01001" for a US county, "1"
 * becomes "01" for a state. Anything else is kept as JHU wrote it. */
static int
normalise_fips(struct lookup_row *row, const char *f)
{
	size_t n = strspn(f, "0123456789"), width = 0, pad;
	const char *rest = f + n;

	if (*rest == '.')
		rest += 1 + strspn(rest + 1, "0");
	if (n == 0 || *rest != '\0') {
		if (strlen(f) >= sizeof row->fips_buf)
			return -1;
		memcpy(row->fips_buf, f, strlen(f) + 1);
		return 0;
	}
	if (strcmp(row->country_region, "US") == 0)
		width = *row->admin2 != '\0' ? 5 : *row->province_state != '\0' ? 2 : 0;
	pad = width > n ? width - n : 0;
	if (pad + n >= sizeof row->fips_buf)
		return -1;
	memset(row->fips_buf, '0', pad);
	memcpy(row->fips_buf + pad, f, n);
	row->fips_buf[pad + n] = '\0';
	return 0;
}

static int
bad(char *err, size_t errlen, const char *what, const char *value)
{
	snprintf(err, errlen, "%s is not a number: '%.40s'", what, value);
	return -1;
}

int
lookup_reader_next(struct lookup_reader *r, struct lookup_row *row,
    char *err, size_t errlen)
{
	struct csv_rec rec;
	char **f = r->f, *lat, *lon, *v;
	int rc;

	do {
		rc = csv_next(&r->csv, r->f, FIELDS_MAX, &rec);
	} while (rc == 1 && rec.blank);
	if (rc == 0)
		return 0;
	memset(row, 0, sizeof *row);
	row->line = rec.line;
	if (rc < 0) {
		snprintf(err, errlen, "the text ends inside a quoted field");
		return -1;
	}
	if (rec.nfields != r->ncols) {
		snprintf(err, errlen, "%d fields, the header has %d",
		    rec.nfields, r->ncols);
		return -1;
	}
	row->country_region = trim(f[r->col[COL_COUNTRY]]);
	row->province_state = trim(f[r->col[COL_PROVINCE]]);
	row->admin2 = trim(f[r->col[COL_ADMIN2]]);
	row->iso2 = trim(f[r->col[COL_ISO2]]);
	row->iso3 = trim(f[r->col[COL_ISO3]]);
	row->combined_key = trim(f[r->col[COL_KEY]]);
	if (*row->country_region == '\0') {
		snprintf(err, errlen, "no Country_Region");
		return -1;
	}
	if (*(v = trim(f[r->col[COL_UID]])) != '\0') {
		if (parse_int(v, &row->uid) != 0)
			return bad(err, errlen, "UID", v);
		row->has |= LOOKUP_HAS_UID;
	}
	if (*(v = trim(f[r->col[COL_CODE3]])) != '\0') {
		if (parse_int(v, &row->code3) != 0)
			return bad(err, errlen, "code3", v);
		row->has |= LOOKUP_HAS_CODE3;
	}
	if (*(v = trim(f[r->col[COL_POPULATION]])) != '\0') {
		if (parse_int(v, &row->population) != 0)
			return bad(err, errlen, "Population", v);
		row->has |= LOOKUP_HAS_POPULATION;
	}
	lat = trim(f[r->col[COL_LAT]]);
	lon = trim(f[r->col[COL_LONG]]);
	if (*lat != '\0' && *lon != '\0') {
		if (parse_real(lat, &row->lat) != 0)
			return bad(err, errlen, "Lat", lat);
		if (parse_real(lon, &row->lon) != 0)
			return bad(err, errlen, "Long_", lon);
		row->has |= LOOKUP_HAS_LATLONG;
	}
	v = trim(f[r->col[COL_FIPS]]);
	if (normalise_fips(row, v) != 0) {
		snprintf(err, errlen, "bad FIPS '%.40s'", v);
		return -1;
	}
	row->fips = row->fips_buf;
	return 1;
}
