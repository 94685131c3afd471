/* bench/synth.c: the full-scale benchmark data, a JHU-shaped tree of all
 * 1,143 daily reports (2020-01-22..2023-03-09) built from the 97 real ones.
 *
 * Usage: synth SRC OUT
 *   SRC  a JHU csse_covid_19_data-like folder (csse_covid_19_daily_reports/
 *        and csse_covid_19_time_series/), e.g. /work/shared/data/jhu
 *   OUT  where to write OUT/csse_covid_19_daily_reports/MM-DD-YYYY.csv (every
 *        date) and OUT/csse_covid_19_time_series/time_series_covid19_
 *        {confirmed,deaths}_US.csv (extended to 3/9/23). bench/data.sh copies
 *        the other files (lookup table, global series) beside them.
 *
 * What is real and what is made up:
 * - A date with a real file gets that file byte for byte.
 * - A missing date D gets its header era by the calendar (era 2 from
 *   2020-03-01, 3 from 03-22, 4 from 05-29, 5 from 11-09) and a template: the
 *   nearest real file of that era (the earlier one on a tie). Every era has
 *   real files, so the template always has the date's own columns. The
 *   synthesised file keeps the template's rows (places, in its order), every
 *   text field as the template has it (quoting included), its BOM, line ends
 *   and final newline.
 * - Counts (Confirmed, Deaths, Recovered): P and N are the nearest real files
 *   before and after D, of any era; a place is matched across files by
 *   (Admin2, Province, Country). When both have the figure, D's value lies on
 *   a seeded monotone curve between them: t = (D - P) / (N - P), w(t) = t +
 *   a t(1-t)(1-2t) + b t(1-t) with |a| + |b| <= 0.9 drawn per place and gap
 *   (a wave and a lean; w rises from 0 to 1, so the figure never goes back
 *   between two real files that do not). Otherwise the nearest of P, N and the
 *   template that has the figure is carried to D with a seeded plausible daily
 *   increment (its figure / (its day + 30) x 0.5..1.5 per day; backwards when
 *   that file is after D, never below 0). Three seeded rows per file get a
 *   downward correction: Confirmed below the day before's curve value.
 * - Active = Confirmed - Deaths - Recovered where the template has Active;
 *   Incident_Rate scaled with Confirmed (the population is the template's),
 *   Case_Fatality_Ratio = Deaths / Confirmed x 100, printed as the shortest
 *   text that reads back (like the real files' Python floats). A count the
 *   template leaves empty stays empty (era 1-2: empty means 0, and a non-zero
 *   figure is written).
 * - Last_Update: the template's text with its date part moved by D - template
 *   (same style: 1/23/20, 1/22/2020, 2020-02-02T.., 2020-03-23 ..; the time as
 *   it is); a stale timestamp (older than the template's day before) stays
 *   as it is unless it would be after D.
 * - The US time series: the real files end at 7/27/20; each row gets a column
 *   per later day up to 3/9/23: the county's figure in a real daily report on
 *   a real date, and between real dates the same seeded curve from the
 *   series' last figure to the next real report's (so the series joins its
 *   real part without a step, and agrees with the synthesised reports once
 *   both start from the same real file); a county the next real report lacks
 *   is carried with the increment rule.
 * Deterministic: seeds come from the place, the day and the column (FNV-1a
 * and splitmix64); the arithmetic is + - * / only, so every run writes the
 * same bytes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"

#define NDAYS   1143    /* 2020-01-22 .. 2023-03-09 */
#define MAXF    16
#define NCOUNT  3       /* confirmed, deaths, recovered */

enum { C_CONF, C_DEATHS, C_REC };

/* Where an era's columns are (-1: it has none). */
struct era_cols {
	int admin2, prov, country, lu, count[NCOUNT], active, ir, cfr;
};

static const struct era_cols eras[6] = {
	[1] = { -1, 0, 1, 2, { 3, 4, 5 }, -1, -1, -1 },
	[2] = { -1, 0, 1, 2, { 3, 4, 5 }, -1, -1, -1 },
	[3] = { 1, 2, 3, 4, { 7, 8, 9 }, 10, -1, -1 },
	[4] = { 1, 2, 3, 4, { 7, 8, 9 }, 10, 12, 13 },
	[5] = { 1, 2, 3, 4, { 7, 8, 9 }, 10, 12, 13 },
};

struct row {
	char *line;                   /* the raw text, line end excluded, NUL-ended */
	int nf;
	int fs[MAXF], fe[MAXF];       /* raw field spans in line, quotes included */
	char *key;                    /* "admin2|province|country", unquoted */
	uint64_t hash;
	double v[NCOUNT];
	unsigned char has[NCOUNT];    /* the cell is not empty */
	double ir;
	unsigned char has_ir;
};

struct file {
	int day, era, bom, crlf, final_nl;
	char *header;                 /* raw header line, BOM and line end excluded */
	char *text;                   /* the whole file as read */
	size_t len;
	int nrows;
	struct row *rows;
	int *slots;                   /* open addressing: row index + 1, 0 empty */
	size_t nslots;
};

static long day0;                 /* 2020-01-22 in days since 1970 */

static void
die(const char *what, const char *arg)
{
	fprintf(stderr, "synth: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

/* A path from fmt into buf[PATH_CAP]; a longer one is an error. */
#define PATH_CAP 4096
static void
path_of(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, PATH_CAP, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_CAP)
		die("path too long", fmt);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory", NULL);
	return p;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A seeded fraction in [0, 1). */
static double
unit(uint64_t seed)
{
	return (double)(splitmix(seed) >> 11) / 9007199254740992.0;
}

static int
era_of_day(int day)
{
	long d = day0 + day;
	if (d < date_from_civil(2020, 3, 1))  return 1;
	if (d < date_from_civil(2020, 3, 22)) return 2;
	if (d < date_from_civil(2020, 5, 29)) return 3;
	if (d < date_from_civil(2020, 11, 9)) return 4;
	return 5;
}

static int
era_of_header(char **names, int n)
{
	if (n == 6 && strcmp(names[0], "Province/State") == 0) return 1;
	if (n == 8 && strcmp(names[0], "Province/State") == 0) return 2;
	if (n == 12 && strcmp(names[0], "FIPS") == 0) return 3;
	if (n == 14 && strcmp(names[12], "Incidence_Rate") == 0) return 4;
	if (n == 14 && strcmp(names[12], "Incident_Rate") == 0) return 5;
	return 0;
}

/* Splits line into raw field spans (a quoted field may hold commas). */
static int
split(const char *line, int *fs, int *fe)
{
	int n = 0, i = 0, quoted = 0;
	fs[0] = 0;
	for (;; i++) {
		char c = line[i];
		if (c == '"')
			quoted = !quoted;
		else if ((c == ',' && !quoted) || c == '\0') {
			if (n < MAXF)
				fe[n] = i;
			n++;
			if (c == '\0')
				return n;
			if (n < MAXF)
				fs[n] = i + 1;
		}
	}
}

/* The unquoted, trimmed text of a raw span into out[cap]. */
static void
unquote(const char *line, int s, int e, char *out, size_t cap)
{
	size_t o = 0;
	while (s < e && line[s] == ' ') s++;
	while (e > s && line[e - 1] == ' ') e--;
	if (e - s >= 2 && line[s] == '"' && line[e - 1] == '"') {
		s++, e--;
	}
	for (int i = s; i < e && o + 1 < cap; i++) {
		if (line[i] == '"' && i + 1 < e && line[i + 1] == '"')
			i++;
		out[o++] = line[i];
	}
	out[o] = '\0';
}

static char *
field(const struct row *r, int col, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (col >= 0 && col < r->nf && col < MAXF)
		unquote(r->line, r->fs[col], r->fe[col], buf, cap);
	return buf;
}

static int
number(const struct row *r, int col, double *out)
{
	char buf[64], *end;
	field(r, col, buf, sizeof buf);
	if (!buf[0])
		return 0;
	*out = strtod(buf, &end);
	return end != buf;
}

static const struct row *
lookup(const struct file *f, const char *key, uint64_t h)
{
	if (!f)
		return NULL;
	for (size_t i = h & (f->nslots - 1);; i = (i + 1) & (f->nslots - 1)) {
		int k = f->slots[i];
		if (!k)
			return NULL;
		if (f->rows[k - 1].hash == h && strcmp(f->rows[k - 1].key, key) == 0)
			return &f->rows[k - 1];
	}
}

static void
index_rows(struct file *f)
{
	f->nslots = 16;
	while (f->nslots < 2 * (size_t)f->nrows)
		f->nslots *= 2;
	f->slots = calloc(f->nslots, sizeof *f->slots);
	if (!f->slots)
		die("out of memory", NULL);
	for (int r = 0; r < f->nrows; r++) {
		struct row *row = &f->rows[r];
		if (lookup(f, row->key, row->hash))
			continue;       /* a repeated place: the first one counts */
		size_t i = row->hash & (f->nslots - 1);
		while (f->slots[i])
			i = (i + 1) & (f->nslots - 1);
		f->slots[i] = r + 1;
	}
}

static char *
read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 1 << 20, n = 0, got;
	char *buf = xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap) {
			buf = realloc(buf, 2 * cap + 1);
			if (!buf)
				die("out of memory", NULL);
			cap *= 2;
		}
	}
	if (ferror(fp))
		die("cannot read", path);
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Cuts text into lines in place: returns the count, lines[i] NUL-ended. */
static int
cut_lines(char *text, size_t len, char ***out, int *crlf, int *final_nl)
{
	int n = 0, cap = 1024;
	char **lines = xmalloc(cap * sizeof *lines);
	char *p = text, *end = text + len;
	*crlf = 0;
	*final_nl = len > 0 && text[len - 1] == '\n';
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		if (e > p && e[-1] == '\r') {
			e--;
			*crlf = 1;
		}
		*e = '\0';
		if (n == cap)
			lines = realloc(lines, (cap *= 2) * sizeof *lines);
		if (!lines)
			die("out of memory", NULL);
		lines[n++] = p;
		p = nl ? nl + 1 : end;
	}
	*out = lines;
	return n;
}

static void
make_key(struct row *r, const struct era_cols *ec)
{
	char a[128], p[128], c[128];
	field(r, ec->admin2, a, sizeof a);
	field(r, ec->prov, p, sizeof p);
	field(r, ec->country, c, sizeof c);
	size_t n = strlen(a) + strlen(p) + strlen(c) + 3;
	r->key = xmalloc(n);
	snprintf(r->key, n, "%s|%s|%s", a, p, c);
	r->hash = fnv1a(r->key);
}

static struct file *
load_real(const char *dir, int day)
{
	char path[PATH_CAP];
	int y, m, d;
	date_to_civil(day0 + day, &y, &m, &d);
	path_of(path, "%s/%02d-%02d-%04d.csv", dir, m, d, y);
	struct file *f = calloc(1, sizeof *f);
	if (!f)
		die("out of memory", NULL);
	f->text = read_all(path, &f->len);
	if (!f->text) {
		free(f);
		return NULL;
	}
	/* A copy to cut up; text stays as read, for the verbatim copy. */
	char *work = xmalloc(f->len + 1);
	memcpy(work, f->text, f->len + 1);
	char *start = work;
	size_t len = f->len;
	if (len >= 3 && memcmp(work, "\xEF\xBB\xBF", 3) == 0) {
		f->bom = 1;
		start += 3;
		len -= 3;
	}
	char **lines;
	int n = cut_lines(start, len, &lines, &f->crlf, &f->final_nl);
	if (n < 1)
		die("empty file", path);
	f->day = day;
	f->header = lines[0];
	struct row hdr = { .line = lines[0] };
	hdr.nf = split(hdr.line, hdr.fs, hdr.fe);
	char names[MAXF][64], *np[MAXF];
	for (int i = 0; i < hdr.nf && i < MAXF; i++) {
		field(&hdr, i, names[i], sizeof names[i]);
		np[i] = names[i];
	}
	f->era = hdr.nf <= MAXF ? era_of_header(np, hdr.nf) : 0;
	if (!f->era)
		die("unknown header", path);
	const struct era_cols *ec = &eras[f->era];
	f->rows = xmalloc((size_t)n * sizeof *f->rows);
	for (int i = 1; i < n; i++) {
		if (!lines[i][0])
			continue;
		struct row *r = &f->rows[f->nrows++];
		memset(r, 0, sizeof *r);
		r->line = lines[i];
		r->nf = split(r->line, r->fs, r->fe);
		if (r->nf > MAXF)
			die("too many fields", path);
		make_key(r, ec);
		for (int j = 0; j < NCOUNT; j++)
			r->has[j] = (unsigned char)number(r, ec->count[j], &r->v[j]);
		r->has_ir = ec->ir >= 0 && number(r, ec->ir, &r->ir);
	}
	free(lines);
	index_rows(f);
	return f;
}

/* A place's figure in column j of f, if it has one (eras 1-2: empty is 0). */
static int
figure(const struct file *f, const struct row *r, int j, double *v)
{
	if (!r)
		return 0;
	if (r->has[j]) {
		*v = r->v[j];
		return 1;
	}
	if (f->era <= 2 && eras[f->era].count[j] < r->nf) {
		*v = 0;
		return 1;
	}
	return 0;
}

static uint64_t
seed_of(uint64_t place, int day, int j)
{
	return place ^ ((uint64_t)day << 32) ^ ((uint64_t)(j + 1) * 0x100000001b3ULL);
}

/* The share of the way between two real figures reached at t in [0, 1]: a
 * seeded wave and lean, w(t) = t + a t(1-t)(1-2t) + b t(1-t). |a| + |b| <= 0.9
 * and both shapes' slopes lie in [-1, 1], so w' >= 0.1: w climbs from 0 to 1
 * and a figure between two real ones never turns back. */
static double
warp(double t, uint64_t seed)
{
	double a = 0.9 * unit(seed) - 0.45, b = 0.9 * unit(seed + 1) - 0.45;
	return t + a * t * (1 - t) * (1 - 2 * t) + b * t * (1 - t);
}

/* Carries v (the figure on day from) to day to with the increment rule. */
static double
carry(double v, int from, int to, uint64_t place, int j)
{
	double rate = v / (from + 30) * (0.5 + unit(seed_of(place, from, j + 7)));
	double out = v + rate * (to - from);
	return out < 0 ? 0 : out;
}

/* The figure of place (key, h) in column j on day, or -1 when no file near
 * it has one. prev/next: the real files around day; tpl: the template. */
static double
value_at(const char *key, uint64_t h, int j, int day, const struct file *prev,
         const struct file *next, const struct file *tpl)
{
	double vp = 0, vn = 0, vt = 0;
	int hp = figure(prev, lookup(prev, key, h), j, &vp);
	int hn = figure(next, lookup(next, key, h), j, &vn);
	if (hp && hn) {
		double t = (double)(day - prev->day) / (next->day - prev->day);
		return vp + (vn - vp) * warp(t, seed_of(h, prev->day, j));
	}
	int ht = figure(tpl, lookup(tpl, key, h), j, &vt);
	const struct file *best = NULL;
	double bv = 0;
	if (hp) best = prev, bv = vp;
	if (hn && (!best || next->day - day < day - best->day)) best = next, bv = vn;
	if (ht && (!best || abs(tpl->day - day) < abs(best->day - day))) best = tpl, bv = vt;
	if (!best)
		return -1;
	return carry(bv, best->day, day, h, j);
}

/* The shortest %g text that reads back as x, with no exponent for the
 * integer part and a ".0" when it would look like an integer (as Python
 * prints floats, which the real files were written with). */
static void
put_real(FILE *out, double x)
{
	char buf[64];
	int p, digits = 1;
	for (double t = fabs(x); t >= 10; t /= 10)
		digits++;
	/* %g drops trailing zeros, and any decimal of 15 digits or fewer survives
	 * a trip through a double, so 15 is as short as the loop needs to start */
	for (p = 15; p < 17; p++) {
		snprintf(buf, sizeof buf, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	snprintf(buf, sizeof buf, "%.*g", p > digits ? p : digits, x);
	fputs(buf, out);
	if (!strpbrk(buf, ".eEn"))
		fputs(".0", out);
}

static void
put_span(FILE *out, const struct row *r, int col)
{
	fwrite(r->line + r->fs[col], 1, (size_t)(r->fe[col] - r->fs[col]), out);
}

/* Last_Update: the template's date part moved to the synthesised day in the
 * same style; the time part as it is. */
static void
put_last_update(FILE *out, const struct row *r, int col, const struct file *tpl,
                int day)
{
	char lu[64];
	field(r, col, lu, sizeof lu);
	size_t dlen = strcspn(lu, " T");
	int y, m, d, style, n = 0;
	if (sscanf(lu, "%d/%d/%d%n", &m, &d, &y, &n) == 3 && (size_t)n == dlen)
		style = dlen - (size_t)(strrchr(lu, '/') - lu) - 1 == 2 ? 2 : 4;
	else if (sscanf(lu, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && (size_t)n == dlen)
		style = 0;
	else {
		put_span(out, r, col);
		return;
	}
	if (style == 2)
		y += 2000;
	long lu_day = date_from_civil(y, m, d) - day0;
	long nd = lu_day + (day - tpl->day);
	if (lu_day < tpl->day - 1) {            /* a stale place */
		if (lu_day <= day) {
			put_span(out, r, col);
			return;
		}
		nd = day;
	}
	date_to_civil(day0 + nd, &y, &m, &d);
	if (style == 0)
		fprintf(out, "%04d-%02d-%02d%s", y, m, d, lu + dlen);
	else if (style == 2)
		fprintf(out, "%d/%d/%02d%s", m, d, y % 100, lu + dlen);
	else
		fprintf(out, "%d/%d/%d%s", m, d, y, lu + dlen);
}

static void
put_count(FILE *out, const struct row *r, int col, int era, double v)
{
	int empty = r->fs[col] == r->fe[col];
	if (v < 0 || (empty && (era > 2 || v == 0)))
		return;                 /* an empty cell stays empty */
	fprintf(out, "%.0f", v);
}

static FILE *
create(const char *path)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		die("cannot write", path);
	static char buf[1 << 16];
	setvbuf(fp, buf, _IOFBF, sizeof buf);
	return fp;
}

static void
finish(FILE *fp, const char *path)
{
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0)
		die("cannot write", path);
}

/* Writes the synthesised report for day from tpl; leaves each row's figures
 * in vals. */
static void
synthesise(const char *path, int day, const struct file *tpl,
           const struct file *prev, const struct file *next,
           double (*vals)[NCOUNT])
{
	const struct era_cols *ec = &eras[tpl->era];
	const char *eol = tpl->crlf ? "\r\n" : "\n";
	for (int i = 0; i < tpl->nrows; i++) {
		const struct row *r = &tpl->rows[i];
		for (int j = 0; j < NCOUNT; j++)
			vals[i][j] = value_at(r->key, r->hash, j, day, prev, next, tpl);
	}
	for (int k = 0; k < 3 && tpl->nrows > 0; k++) {
		uint64_t s = splitmix(0xC0FFEEULL ^ ((uint64_t)day << 8) ^ (uint64_t)k);
		int i = (int)(s % (uint64_t)tpl->nrows);
		const struct row *r = &tpl->rows[i];
		double before = value_at(r->key, r->hash, C_CONF, day - 1, prev, next, tpl);
		if (before >= 10) {
			double cut = 1 + (double)(splitmix(s) % (uint64_t)(1 + before / 200));
			vals[i][C_CONF] = before - cut;
		}
	}
	for (int i = 0; i < tpl->nrows; i++)
		for (int j = 0; j < NCOUNT; j++)
			if (vals[i][j] >= 0)
				vals[i][j] = floor(vals[i][j] + 0.5);

	FILE *out = create(path);
	if (tpl->bom)
		fputs("\xEF\xBB\xBF", out);
	fprintf(out, "%s", tpl->header);
	for (int i = 0; i < tpl->nrows; i++) {
		const struct row *r = &tpl->rows[i];
		const double *v = vals[i];
		fputs(eol, out);
		for (int c = 0; c < r->nf; c++) {
			if (c)
				fputc(',', out);
			if (c == ec->lu)
				put_last_update(out, r, c, tpl, day);
			else if (c == ec->count[C_CONF] || c == ec->count[C_DEATHS]
			         || c == ec->count[C_REC])
				put_count(out, r, c, tpl->era,
				          v[c == ec->count[C_CONF] ? C_CONF
				            : c == ec->count[C_DEATHS] ? C_DEATHS : C_REC]);
			else if (c == ec->active && r->fs[c] != r->fe[c] && v[C_CONF] >= 0)
				fprintf(out, "%.0f", v[C_CONF] - (v[C_DEATHS] > 0 ? v[C_DEATHS] : 0)
				        - (v[C_REC] > 0 ? v[C_REC] : 0));
			else if (c == ec->ir && r->has_ir && r->v[C_CONF] > 0 && v[C_CONF] >= 0)
				put_real(out, r->ir * v[C_CONF] / r->v[C_CONF]);
			else if (c == ec->cfr && r->fs[c] != r->fe[c] && v[C_CONF] > 0)
				put_real(out, (v[C_DEATHS] > 0 ? v[C_DEATHS] : 0) * 100.0 / v[C_CONF]);
			else
				put_span(out, r, c);
		}
	}
	if (tpl->final_nl)
		fputs(eol, out);
	finish(out, path);
}

/* One real US time series file, extended day by day. */
struct series {
	const char *name;
	int j;                  /* the count column it carries */
	char *text, **lines;
	int nlines, crlf, final_nl, last_day;
	char **keys;
	uint64_t *hashes;
	int32_t *ext;           /* [row][day - last_day - 1] */
	int *anchor_day;        /* each row's last figure not on a curve: its day */
	double *anchor_val;     /* and the figure */
};

static void
series_load(struct series *s, const char *dir)
{
	char path[PATH_CAP];
	size_t len;
	path_of(path, "%s/%s", dir, s->name);
	s->text = read_all(path, &len);
	if (!s->text)
		die("cannot read", path);
	s->nlines = cut_lines(s->text, len, &s->lines, &s->crlf, &s->final_nl);
	while (s->nlines > 1 && !s->lines[s->nlines - 1][0])
		s->nlines--;
	struct row h = { .line = s->lines[0] };
	h.nf = split(h.line, h.fs, h.fe);
	int first = -1;
	char name[32];
	for (int c = 0; c < h.nf && c < MAXF; c++)
		if (strcmp(field(&h, c, name, sizeof name), "1/22/20") == 0)
			first = c;
	if (first < 0)
		die("no 1/22/20 column", path);
	s->last_day = h.nf - first - 1;
	int ndays = NDAYS - s->last_day - 1;
	s->keys = xmalloc((size_t)s->nlines * sizeof *s->keys);
	s->hashes = xmalloc((size_t)s->nlines * sizeof *s->hashes);
	s->anchor_day = xmalloc((size_t)s->nlines * sizeof *s->anchor_day);
	s->anchor_val = xmalloc((size_t)s->nlines * sizeof *s->anchor_val);
	s->ext = xmalloc((size_t)s->nlines * (size_t)ndays * sizeof *s->ext);
	for (int i = 1; i < s->nlines; i++) {
		struct row r = { .line = s->lines[i] };
		r.nf = split(r.line, r.fs, r.fe);
		static const struct era_cols us = { 5, 6, 7, -1, { -1, -1, -1 }, -1, -1, -1 };
		make_key(&r, &us);
		s->keys[i] = r.key;
		s->hashes[i] = r.hash;
		const char *comma = strrchr(s->lines[i], ',');
		s->anchor_day[i] = s->last_day;
		s->anchor_val[i] = comma ? strtod(comma + 1, NULL) : 0;
	}
}

/* Day day's column of the US series. On a real date: the county's figure in
 * that report, which becomes the anchor. Between: value_at()'s curve from the
 * anchor (the series' own 7/27/20 figure at first) to the next real report,
 * the very curve the daily reports between two real files follow, so the two
 * products agree there and the series has no step where it leaves off. A
 * county the next report lacks is carried day by day from the anchor. */
static void
series_add_day(struct series *s, int day, struct file *const *real)
{
	if (day <= s->last_day)
		return;
	int ndays = NDAYS - s->last_day - 1, col = day - s->last_day - 1;
	const struct file *next = NULL;
	for (int k = day; !next; k++)
		next = real[k];
	for (int i = 1; i < s->nlines; i++) {
		uint64_t h = s->hashes[i];
		double vn, v;
		int on_curve = 0;
		if (!figure(next, lookup(next, s->keys[i], h), s->j, &vn))
			v = carry(s->anchor_val[i], s->anchor_day[i], day, h, s->j);
		else if (next->day == day)
			v = vn;
		else {
			double t = (double)(day - s->anchor_day[i]) / (next->day - s->anchor_day[i]);
			v = s->anchor_val[i] + (vn - s->anchor_val[i])
			    * warp(t, seed_of(h, s->anchor_day[i], s->j));
			on_curve = 1;
		}
		v = floor(v + 0.5);
		if (!on_curve) {
			s->anchor_day[i] = day;
			s->anchor_val[i] = v;
		}
		s->ext[(size_t)i * ndays + col] = (int32_t)v;
	}
}

static void
series_write(const struct series *s, const char *dir)
{
	char path[PATH_CAP];
	path_of(path, "%s/%s", dir, s->name);
	FILE *out = create(path);
	const char *eol = s->crlf ? "\r\n" : "\n";
	int ndays = NDAYS - s->last_day - 1;
	fputs(s->lines[0], out);
	for (int day = s->last_day + 1; day < NDAYS; day++) {
		int y, m, d;
		date_to_civil(day0 + day, &y, &m, &d);
		fprintf(out, ",%d/%d/%02d", m, d, y % 100);
	}
	for (int i = 1; i < s->nlines; i++) {
		fputs(eol, out);
		fputs(s->lines[i], out);
		for (int k = 0; k < ndays; k++)
			fprintf(out, ",%ld", (long)s->ext[(size_t)i * ndays + k]);
	}
	fputs(eol, out);
	finish(out, path);
}

static void
mkdir_p(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("cannot create", path);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: synth SRC OUT\n");
		return 2;
	}
	day0 = date_from_civil(2020, 1, 22);
	char src[PATH_CAP], out[PATH_CAP], path[PATH_CAP];
	path_of(src, "%s/csse_covid_19_daily_reports", argv[1]);
	path_of(out, "%s/csse_covid_19_daily_reports", argv[2]);
	mkdir_p(argv[2]);
	mkdir_p(out);

	static struct file *real[NDAYS];
	int nreal = 0;
	for (int day = 0; day < NDAYS; day++)
		if ((real[day] = load_real(src, day)))
			nreal++;
	if (!real[0] || !real[NDAYS - 1])
		die("the first and last dates must be real", src);

	char tsrc[PATH_CAP], tout[PATH_CAP];
	path_of(tsrc, "%s/csse_covid_19_time_series", argv[1]);
	path_of(tout, "%s/csse_covid_19_time_series", argv[2]);
	mkdir_p(tout);
	struct series series[2] = {
		{ .name = "time_series_covid19_confirmed_US.csv", .j = C_CONF },
		{ .name = "time_series_covid19_deaths_US.csv", .j = C_DEATHS },
	};
	for (int k = 0; k < 2; k++)
		series_load(&series[k], tsrc);

	double (*vals)[NCOUNT] = NULL;
	size_t vcap = 0;
	const struct file *prev = NULL;
	long rows = 0;
	for (int day = 0; day < NDAYS; day++) {
		int y, m, d;
		date_to_civil(day0 + day, &y, &m, &d);
		path_of(path, "%s/%02d-%02d-%04d.csv", out, m, d, y);
		const struct file *f;
		if (real[day]) {
			FILE *fp = create(path);
			fwrite(real[day]->text, 1, real[day]->len, fp);
			finish(fp, path);
			prev = real[day];
			f = real[day];
		} else {
			const struct file *next = NULL, *tpl = NULL;
			for (int k = day + 1; !next; k++)
				next = real[k];
			int era = era_of_day(day);
			for (int k = 1; !tpl; k++) {
				if (day - k >= 0 && real[day - k] && real[day - k]->era == era)
					tpl = real[day - k];
				else if (day + k < NDAYS && real[day + k] && real[day + k]->era == era)
					tpl = real[day + k];
				if (day - k < 0 && day + k >= NDAYS)
					die("no real file of the era", NULL);
			}
			if ((size_t)tpl->nrows > vcap) {
				vcap = (size_t)tpl->nrows * 2;
				vals = realloc(vals, vcap * sizeof *vals);
				if (!vals)
					die("out of memory", NULL);
			}
			synthesise(path, day, tpl, prev, next, vals);
			f = tpl;
		}
		rows += f->nrows;
		for (int k = 0; k < 2; k++)
			series_add_day(&series[k], day, real);
	}
	for (int k = 0; k < 2; k++)
		series_write(&series[k], tout);
	printf("synth: %d dates (%d real, %d synthesised), %ld rows\n",
	       NDAYS, nreal, NDAYS - nreal, rows);
	return 0;
}
