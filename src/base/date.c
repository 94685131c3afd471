/* date: civil dates as day numbers (Howard Hinnant's days_from_civil), so no
 * time zone, locale or mktime is involved. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/numfmt.h"

static const char *const mon_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const mon_name[12] = {
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"
};
static const char *const wday_abbr[7] = {
	"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"   /* 1970-01-01 was a Thursday */
};

const char *
date_month_abbr(int m)
{
	return m >= 1 && m <= 12 ? mon_abbr[m - 1] : NULL;
}

static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

long
date_from_civil(int y, int m, int d)
{
	return days_from_civil(y, (unsigned)m, (unsigned)d);
}

void
date_to_civil(long days, int *y, int *m, int *d)
{
	long yy;
	unsigned mm, dd;

	civil_from_days(days, &yy, &mm, &dd);
	*y = (int)yy;
	*m = (int)mm;
	*d = (int)dd;
}

static int
is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(long y, unsigned m)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

int
date_month_days(int y, int m)
{
	return m >= 1 && m <= 12 ? month_days(y, (unsigned)m) : 0;
}

/* n digits at s as a number, or -1. */
static long
digits(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * The formats below are on every page (the footer, the headers), so they
 * are put together by hand (numbers by numfmt's fmt_uint and
 * fmt_uint_padded): snprintf costs about a thousand instructions a call,
 * several times a request. Each builds into a local buffer and ends with
 * out(), which truncates like snprintf.
 */

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* The len bytes at src into buf of size size, NUL-terminated, truncated
 * when they do not fit (as snprintf would). */
static void
out(char *buf, size_t size, const char *src, size_t len)
{
	if (size == 0)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(buf, src, len);
	buf[len] = '\0';
}

long
date_days(const char *ymd)
{
	long y, m, d;

	if (ymd == NULL || strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-')
		return -1;
	y = digits(ymd, 4);
	m = digits(ymd + 5, 2);
	d = digits(ymd + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, (unsigned)m))
		return -1;
	return days_from_civil(y, (unsigned)m, (unsigned)d);
}

void
date_ymd(long days, char buf[11])
{
	long y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		strcpy(buf, "0000-00-00");
		return;
	}
	fmt_uint_padded(buf, (unsigned long)y, 4);
	buf[4] = '-';
	fmt_uint_padded(buf + 5, m, 2);
	buf[7] = '-';
	fmt_uint_padded(buf + 8, d, 2);
	buf[10] = '\0';
}

time_t
date_parse_iso(const char *s)
{
	char ymd[11];
	long days, hh, mm, ss;

	if (s == NULL || strlen(s) < 19 || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (s[19] != '\0' && strcmp(s + 19, "Z") != 0)
		return -1;
	memcpy(ymd, s, 10);
	ymd[10] = '\0';
	if ((days = date_days(ymd)) < 0 ||
	    (hh = digits(s + 11, 2)) < 0 || hh > 23 ||
	    (mm = digits(s + 14, 2)) < 0 || mm > 59 ||
	    (ss = digits(s + 17, 2)) < 0 || ss > 60)
		return -1;
	return (time_t)days * 86400 + hh * 3600 + mm * 60 + ss;
}

void
date_http(time_t t, char *buf, size_t len)
{
	long days = (long)(t / 86400), secs = (long)(t % 86400), y;
	unsigned m, d;
	char tmp[40], *p;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {   /* not a date HTTP can carry; never ours */
		snprintf(buf, len, "%s, %02u %s %04ld %02ld:%02ld:%02ld GMT",
		    wday_abbr[((days % 7) + 7) % 7], d, mon_abbr[m - 1], y,
		    secs / 3600, secs / 60 % 60, secs % 60);
		return;
	}
	/* "Fri, 10 Mar 2023 04:21:03 GMT" */
	p = put_str(tmp, wday_abbr[((days % 7) + 7) % 7]);
	p = put_str(p, ", ");
	fmt_uint_padded(p, d, 2);
	p = put_str(p + 2, " ");
	p = put_str(p, mon_abbr[m - 1]);
	p = put_str(p, " ");
	fmt_uint_padded(p, (unsigned long)y, 4);
	p = put_str(p + 4, " ");
	fmt_uint_padded(p, (unsigned long)(secs / 3600), 2);
	p[2] = ':';
	fmt_uint_padded(p + 3, (unsigned long)(secs / 60 % 60), 2);
	p[5] = ':';
	fmt_uint_padded(p + 6, (unsigned long)(secs % 60), 2);
	p = put_str(p + 8, " GMT");
	out(buf, len, tmp, (size_t)(p - tmp));
}

time_t
date_parse_http(const char *s)
{
	long d, y, hh, mm, ss, days;
	int m;

	/* "Fri, 10 Mar 2023 04:21:03 GMT": 29 characters, fixed positions. */
	if (s == NULL || strlen(s) != 29 || s[3] != ',' || s[4] != ' ' ||
	    s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
	    s[22] != ':' || strcmp(s + 25, " GMT") != 0)
		return -1;
	for (m = 0; m < 12; m++)
		if (strncmp(s + 8, mon_abbr[m], 3) == 0)
			break;
	if (m == 12 || (d = digits(s + 5, 2)) < 1 || (y = digits(s + 12, 4)) < 1900 ||
	    d > month_days(y, (unsigned)m + 1) ||
	    (hh = digits(s + 17, 2)) < 0 || hh > 23 ||
	    (mm = digits(s + 20, 2)) < 0 || mm > 59 ||
	    (ss = digits(s + 23, 2)) < 0 || ss > 60)
		return -1;
	days = days_from_civil(y, (unsigned)m + 1, (unsigned)d);
	return (time_t)days * 86400 + hh * 3600 + mm * 60 + ss;
}

void
date_long(const char *ymd, char *buf, size_t len)
{
	long days = date_days(ymd), y;
	unsigned m, d;
	char tmp[32], *p;

	if (days < 0) {
		out(buf, len, ymd ? ymd : "", ymd ? strlen(ymd) : 0);
		return;
	}
	/* date_days took only years 1900..9999. */
	civil_from_days(days, &y, &m, &d);
	p = tmp + fmt_uint(tmp, d);
	*p++ = ' ';
	p = put_str(p, mon_name[m - 1]);
	*p++ = ' ';
	p += fmt_uint(p, (unsigned long long)y);
	out(buf, len, tmp, (size_t)(p - tmp));
}

void
date_long_time(const char *iso, char *buf, size_t len)
{
	char ymd[11], tmp[48], *p;

	if (date_parse_iso(iso) < 0) {
		out(buf, len, iso ? iso : "", iso ? strlen(iso) : 0);
		return;
	}
	memcpy(ymd, iso, 10);
	ymd[10] = '\0';
	date_long(ymd, tmp, 24);
	/* ", HH:MM UTC" */
	p = put_str(tmp + strlen(tmp), ", ");
	memcpy(p, iso + 11, 5);
	p = put_str(p + 5, " UTC");
	out(buf, len, tmp, (size_t)(p - tmp));
}
