/* series_parse: one JHU time series file (global or US layout), read a
 * place and a value at a time in memory that does not grow with its dates
 * or, read from a file, with its size.
 *
 * Each record is split in place by csv.c, which NUL-terminates every field
 * and lays them one after the other in the buffer. The parser keeps
 * pointers to the few place columns only; the date cells are then walked
 * from the buffer, one NUL-terminated cell after the next, so a file of
 * 5,000 dates costs what a file of 5 does beyond the buffer. Of the
 * header's dates it keeps the first day and the count.
 *
 * The buffer is a copy of a body in memory, or a file mapped privately:
 * splitting in place then writes to copy-on-write pages and never to the
 * file, and the pages behind the record being read are given back to the
 * kernel as the reading moves on (nothing reads them again), so what is
 * resident is a window of the file and the current record, whatever the
 * file's size. See series_parse.h for the contract. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/date.h"
#include "base/utf8.h"
#include "ingest/jhu_text.h"
#include "ingest/series_parse.h"
#include "store/place_names.h"

/* The place columns of each layout, in the order JHU writes them. */
static const char *const global_columns[] = {
	"Province/State", "Country/Region", "Lat", "Long", NULL
};
static const char *const us_columns[] = {
	"UID", "iso2", "iso3", "code3", "FIPS", "Admin2", "Province_State",
	"Country_Region", "Lat", "Long_", "Combined_Key", NULL
};
#define US_POPULATION "Population"

/* Where each place column is, by layout. */
enum { G_PROVINCE = 0, G_COUNTRY = 1, GLOBAL_META = 4 };
enum {
	U_UID = 0, U_FIPS = 4, U_ADMIN2 = 5, U_PROVINCE = 6, U_COUNTRY = 7,
	U_COMBINED_KEY = 10, U_POPULATION = 11, US_META = 11
};
#define META_MAX 12   /* the US deaths file: 11 columns and Population */

/* A mapped file's pages are given back in steps of at least this much: one
 * madvise() per step rather than per row. */
#define RELEASE_STEP ((size_t)256 << 10)

struct series_parser {
	char              *buf;      /* the body, split in place: our copy, or
	                              * the file mapped privately */
	size_t             len;
	size_t             map_len;  /* the mapping's size; 0 for a copy */
	size_t             released; /* buf[0..released) was given back */
	struct csv         csv;
	enum series_layout layout;
	int                nmeta;    /* place columns before the first date */
	long               first_day, days;
	/* The current place: its place columns and, at fields[nmeta], its
	 * first date cell (the header has at least one date). */
	char              *fields[META_MAX + 1];
	char               fips[16];
	long               line;
	int                terminated;  /* its line had a line end */
	char              *cell;        /* the next date cell, in buf */
	long               next;        /* its column (0-based); -1: no place */
	int                failed;      /* the file is bad: every call says so */
	char               why[256];
};

/* Records that the file is bad (later calls repeat the reason) and says so
 * in err. Returns -1. */
static int
fail(struct series_parser *p, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(struct series_parser *p, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof p->why, fmt, ap);
	va_end(ap);
	p->failed = 1;
	p->next = -1;
	jhu_seterr(err, errlen, "%s", p->why);
	return -1;
}

/* A call after the file was found bad: the same reason again. -1. */
static int
failed_before(const struct series_parser *p, char *err, size_t errlen)
{
	jhu_seterr(err, errlen, "%s", p->why);
	return -1;
}

static int
is_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	int k;

	while (n > 0) {
		if ((k = utf8_decode(u, n, NULL)) == 0)
			return 0;
		u += k;
		n -= (size_t)k;
	}
	return 1;
}

/* "M/D/YY" (month and day of one or two digits, 20YY) as a day number, or
 * -1 when it is not that or not a real day. */
static long
parse_header_date(const char *s)
{
	int part[3] = { 0, 0, 0 }, i, n;

	for (i = 0; i < 3; i++) {
		for (n = 0; *s >= '0' && *s <= '9' && n < 2; s++, n++)
			part[i] = part[i] * 10 + (*s - '0');
		if (n == 0 || (i == 2 && n != 2) || *s != (i < 2 ? '/' : '\0'))
			return -1;
		if (i < 2)
			s++;
	}
	if (part[1] < 1 || part[1] > date_month_days(2000 + part[2], part[0]))
		return -1;
	return date_from_civil(2000 + part[2], part[0], part[1]);
}

/* A day number as the header wrote it (M/D/YY), for error messages. */
static const char *
header_date(long day, char out[16])
{
	int y, m, d;

	date_to_civil(day, &y, &m, &d);
	snprintf(out, 16, "%d/%d/%02d", m, d, ((y % 100) + 100) % 100);
	return out;
}

/* The field after f in a record that csv.c has split in place. */
static char *
next_cell(char *f)
{
	return f + strlen(f) + 1;
}

/* Whether s is name, give or take spaces around it. It writes nothing: s
 * may be a date cell, and trimming one in place would shorten the walk
 * from cell to cell (next_cell). */
static int
is_name(const char *s, const char *name)
{
	size_t n = strlen(name);

	while (jhu_is_space(*s))
		s++;
	if (strncmp(s, name, n) != 0)
		return 0;
	for (s += n; jhu_is_space(*s); s++)
		;
	return *s == '\0';
}

/* Whether names[0..] begin with the layout's columns. */
static int
has_columns(char **names, int n, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++)
		if (i >= n || !is_name(names[i], want[i]))
			return 0;
	return 1;
}

/* The layout, the place columns and the dates of the header record.
 * 0, or -1 with the reason in err. */
static int
read_header(struct series_parser *p, const struct csv_rec *rec,
    const char *line, char *err, size_t errlen)
{
	char *cell, *after, when[16], q[48];
	long day, prev = 0;
	int i, n = rec->nfields < META_MAX + 1 ? rec->nfields : META_MAX + 1;

	if (has_columns(p->fields, n, global_columns)) {
		p->layout = SERIES_GLOBAL;
		p->nmeta = GLOBAL_META;
	} else if (has_columns(p->fields, n, us_columns)) {
		p->layout = SERIES_US;
		p->nmeta = US_META;
		if (n > US_META && is_name(p->fields[US_META], US_POPULATION))
			p->nmeta = US_META + 1;
	} else {
		jhu_seterr(err, errlen, "unknown header (neither the global "
		    "Province/State,Country/Region,Lat,Long,... nor the US "
		    "UID,iso2,...,Combined_Key,... layout): %s", line);
		return -1;
	}
	p->days = rec->nfields - p->nmeta;
	if (p->days < 1) {
		jhu_seterr(err, errlen, "header has no date columns: %s", line);
		return -1;
	}
	/* The dates, walked cell by cell: nothing is kept but the first. The
	 * next cell is found before jhu_trim() shortens this one. */
	for (i = 0, cell = p->fields[p->nmeta]; i < p->days; i++, cell = after) {
		after = i + 1 < p->days ? next_cell(cell) : NULL;
		day = parse_header_date(jhu_trim(cell));
		if (day < 0) {
			jhu_seterr(err, errlen, "header column %d: \"%s\" is not a "
			    "date (M/D/YY)", p->nmeta + i + 1,
			    jhu_clip(cell, SIZE_MAX, q, 44));
			return -1;
		}
		if (i == 0)
			p->first_day = day;
		else if (day != prev + 1) {
			jhu_seterr(err, errlen, "header column %d: %s is not the day "
			    "after %s (the dates must be consecutive)",
			    p->nmeta + i + 1, jhu_clip(cell, SIZE_MAX, q, 44),
			    header_date(prev, when));
			return -1;
		}
		prev = day;
	}
	return 0;
}

/* Gives back the whole pages of a mapped file before buf[pos], which is
 * never read again: private pages, so the kernel drops them (and our
 * copy-on-write changes) and would bring the file's bytes back if asked.
 * Nothing for a copy in memory. */
static void
release_behind(struct series_parser *p, size_t pos)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), upto = pos / page * page;

	if (p->map_len == 0 || upto < p->released + RELEASE_STEP)
		return;
	/* A failure only leaves the pages resident: nothing to report. */
	(void)madvise(p->buf + p->released, upto - p->released, MADV_DONTNEED);
	p->released = upto;
}

/* Whether a mapped body holds a NUL byte, looked for a step at a time with
 * each step given back behind it, so the look costs no resident memory. */
static int
holds_nul(struct series_parser *p)
{
	size_t off, n;

	for (off = 0; off < p->len; off += n) {
		n = p->len - off < RELEASE_STEP ? p->len - off : RELEASE_STEP;
		if (memchr(p->buf + off, '\0', n) != NULL)
			return 1;
		release_behind(p, off + n);
	}
	return 0;
}

/* The checks of a body that is not a time series at all, then the header,
 * of p->buf[0..len). Returns p, or NULL (p freed, the reason in err). */
static struct series_parser *
start(struct series_parser *p, char *err, size_t errlen)
{
	const char *buf = p->buf;
	struct csv_rec rec;
	char line[48];
	size_t i = 0, len = p->len;
	int rc;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && jhu_is_space(buf[i]))
		i++;
	if (i == len)
		jhu_seterr(err, errlen, "body is empty");
	else if (buf[i] == '<')
		jhu_seterr(err, errlen, "body is HTML, not CSV");
	/* Cells are found by their NULs (next_cell): the text may have none. */
	else if (holds_nul(p))
		jhu_seterr(err, errlen, "body holds NUL bytes: binary, not CSV");
	else {
		/* The reading starts over at the top: what it touches from
		 * here is resident again until given back. */
		p->released = 0;
		jhu_first_line(buf, len, line, 44);
		p->next = -1;
		csv_init(&p->csv, p->buf, len);
		rc = csv_next(&p->csv, p->fields, META_MAX + 1, &rec);
		if (rc < 0)
			jhu_seterr(err, errlen, "header ends inside a quoted field "
			    "(truncated): %s", line);
		else if (rc == 0)
			jhu_seterr(err, errlen, "body is empty");
		else if (read_header(p, &rec, line, err, errlen) == 0)
			return p;
	}
	series_parser_free(p);
	return NULL;
}

struct series_parser *
series_parser_new(const char *buf, size_t len, char *err, size_t errlen)
{
	struct series_parser *p;

	if ((p = calloc(1, sizeof *p)) == NULL ||
	    (p->buf = malloc(len + 1)) == NULL) {
		free(p);
		jhu_seterr(err, errlen, "out of memory for a %zu-byte body", len);
		return NULL;
	}
	memcpy(p->buf, buf, len);
	p->buf[len] = '\0';
	p->len = len;
	return start(p, err, errlen);
}

/* fd's first len bytes mapped privately into p->buf, with one more
 * writable byte after them (csv.h): an anonymous mapping of the whole
 * length, the file mapped over it. Past the end of the file, the rest of
 * its last page reads as zeros; when the file ends on a page boundary, the
 * anonymous page after it holds that byte. 0, or -1 with errno set. */
static int
map_file(struct series_parser *p, int fd, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t file_pages = (len + page - 1) / page * page;
	void *base, *over;

	if (len > SIZE_MAX - 2 * page) {
		errno = EFBIG;
		return -1;
	}
	p->map_len = (len + 1 + page - 1) / page * page;
	base = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		p->map_len = 0;
		return -1;
	}
	p->buf = base;
	over = mmap(base, file_pages, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_FIXED, fd, 0);
	return over == MAP_FAILED ? -1 : 0;
}

struct series_parser *
series_parser_open(int fd, size_t len, char *err, size_t errlen)
{
	struct series_parser *p;

	if (len == 0) {
		jhu_seterr(err, errlen, "body is empty");
		return NULL;
	}
	if ((p = calloc(1, sizeof *p)) == NULL) {
		jhu_seterr(err, errlen, "out of memory");
		return NULL;
	}
	if (map_file(p, fd, len) != 0) {
		jhu_seterr(err, errlen, "cannot map the %zu-byte body: %s", len,
		    strerror(errno));
		series_parser_free(p);
		return NULL;
	}
	p->len = len;
	return start(p, err, errlen);
}

enum series_layout
series_parser_layout(const struct series_parser *p)
{
	return p->layout;
}

long
series_parser_first_day(const struct series_parser *p)
{
	return p->first_day;
}

long
series_parser_days(const struct series_parser *p)
{
	return p->days;
}

void
series_parser_free(struct series_parser *p)
{
	if (p == NULL)
		return;
	if (p->map_len != 0)
		munmap(p->buf, p->map_len);
	else
		free(p->buf);
	free(p);
}

/* The US layout's own columns into *pl. 1, or -1 (the file is bad). */
static int
fill_us(struct series_parser *p, struct series_place *pl, char *err,
    size_t errlen)
{
	char q[48];
	const char *s;
	int r;

	s = jhu_trim(p->fields[U_UID]);
	if (jhu_whole(s, JHU_WHOLE_ZERO_FRACTION, &pl->uid) < 0 || pl->uid < 0)
		return fail(p, err, errlen, "line %ld: UID is not a whole "
		    "number: \"%s\"", pl->line, jhu_clip(s, SIZE_MAX, q, 44));
	s = jhu_trim(p->fields[U_FIPS]);
	if (jhu_fips(s, 1, pl->admin2[0] != '\0', p->fips) < 0)
		return fail(p, err, errlen, "line %ld: FIPS is not a FIPS "
		    "code: \"%s\"", pl->line, jhu_clip(s, SIZE_MAX, q, 44));
	pl->fips = p->fips;
	if (p->nmeta > U_POPULATION) {
		s = jhu_trim(p->fields[U_POPULATION]);
		r = jhu_whole(s, JHU_WHOLE_ZERO_FRACTION, &pl->population);
		if (r < 0 || (r > 0 && pl->population < 0))
			return fail(p, err, errlen, "line %ld: Population is "
			    "not a whole number: \"%s\"", pl->line,
			    jhu_clip(s, SIZE_MAX, q, 44));
		if (r == 0)
			pl->population = -1;
	}
	return 1;
}

/* The place columns of the record just read into *pl. 1, or -1. */
static int
fill_place(struct series_parser *p, struct series_place *pl, char *err,
    size_t errlen)
{
	const char *country_col = p->layout == SERIES_US ? "Country_Region" :
	    "Country/Region";
	const char *names[4];
	int i;

	pl->uid = 0;
	pl->population = -1;
	pl->fips = pl->admin2 = pl->combined_key = "";
	if (p->layout == SERIES_US) {
		pl->country_region = jhu_trim(p->fields[U_COUNTRY]);
		pl->province_state = jhu_trim(p->fields[U_PROVINCE]);
		pl->admin2 = jhu_trim(p->fields[U_ADMIN2]);
		pl->combined_key = jhu_trim(p->fields[U_COMBINED_KEY]);
	} else {
		pl->country_region = jhu_trim(p->fields[G_COUNTRY]);
		pl->province_state = jhu_trim(p->fields[G_PROVINCE]);
	}
	if (pl->country_region[0] == '\0')
		return fail(p, err, errlen, "line %ld: %s is empty (a place "
		    "without a country)", pl->line, country_col);
	names[0] = pl->country_region;
	names[1] = pl->province_state;
	names[2] = pl->admin2;
	names[3] = pl->combined_key;
	for (i = 0; i < 4; i++)
		if (!is_utf8(names[i]))
			return fail(p, err, errlen, "line %ld: a place name is "
			    "not UTF-8", pl->line);
	place_normalise(&pl->country_region, &pl->province_state);
	if (p->layout == SERIES_US)
		return fill_us(p, pl, err, errlen);
	return 1;
}

int
series_parser_place(struct series_parser *p, struct series_place *pl,
    char *err, size_t errlen)
{
	struct csv_rec rec;
	int rc;

	if (p->failed)
		return failed_before(p, err, errlen);
	p->next = -1;
	/* The last place's strings are done with (series_parse.h). */
	release_behind(p, p->csv.pos);
	do {
		rc = csv_next(&p->csv, p->fields, META_MAX + 1, &rec);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return fail(p, err, errlen, "line %ld: body ends inside "
			    "a quoted field (truncated)", rec.line);
	} while (rec.blank);

	pl->line = p->line = rec.line;
	p->terminated = rec.terminated;
	if (rec.nfields != p->nmeta + p->days)
		return fail(p, err, errlen, "line %ld: %d cells, the header has "
		    "%ld%s", rec.line, rec.nfields, p->nmeta + p->days,
		    rec.terminated ? "" : " (the last line has no line end: "
		    "truncated body)");
	if (fill_place(p, pl, err, errlen) < 0)
		return -1;
	p->cell = p->fields[p->nmeta];
	p->next = 0;
	return 1;
}

int
series_parser_value(struct series_parser *p, long *day, long long *value,
    int *present, char *err, size_t errlen)
{
	char when[16], q[48];
	const char *s;
	int r;

	if (p->failed)
		return failed_before(p, err, errlen);
	if (p->next < 0 || p->next >= p->days)
		return 0;
	s = p->cell;
	*day = p->first_day + p->next;
	/* A cell as the time series have always been read: digits and
	 * a '-', nothing else, no space around (jhu_text.h). */
	r = jhu_whole(s, JHU_WHOLE_PLAIN, value);
	if (r < 0)
		return fail(p, err, errlen, "line %ld, column %s: not a whole "
		    "number: \"%s\"%s", p->line, header_date(*day, when),
		    jhu_clip(s, SIZE_MAX, q, 44), p->terminated ? "" : " (the last "
		    "line has no line end: truncated body?)");
	*present = r;
	if (r == 0)
		*value = 0;
	/* The row has exactly days cells (series_parser_place counted them):
	 * step past this one only when another follows. */
	if (++p->next < p->days)
		p->cell = next_cell(p->cell);
	return 1;
}
