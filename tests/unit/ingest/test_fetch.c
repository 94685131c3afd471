/* test_fetch: fetch_get over file:// (HTTP is covered end to end with nginx
 * and Python's http.server in tests/e2e/ingest_*.sh): body and SHA-256, the
 * mtime as Last-Modified, validators ignored (a file with the old mtime and
 * other bytes is read whole), a missing file, the size cap, an empty body
 * and a refused protocol; a body kept in an unlinked temporary file in
 * $TMPDIR (body_to_file): the same bytes and SHA-256, the cap, nothing left
 * in the folder, a folder that cannot hold it; when a Last-Modified is a
 * strong validator. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/sha256.h"
#include "check.h"
#include "ingest/fetch.h"

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* Entries of a folder besides . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* A body of 300,000 bytes over many of libcurl's pieces: a time series'
 * header and rows. malloc'd. */
static char *
big_body(size_t *len)
{
	size_t n = 300000, i = 0;
	char *b = malloc(n + 1);

	CHECK(b != NULL);
	if (b == NULL)
		return NULL;
	while (i < n) {
		int k = snprintf(b + i, n + 1 - i, "Place %zu,Country,1.0,2.0,%zu\n",
		    i, i * 7);

		i += (size_t)k < n + 1 - i ? (size_t)k : n - i;
	}
	b[n] = '\0';
	*len = n;
	return b;
}

/* The whole of f, read from where it stands, equals want[0..len). */
static int
file_holds(FILE *f, const char *want, size_t len)
{
	char *got = malloc(len + 1);
	size_t n;
	int same;

	if (got == NULL)
		return 0;
	n = fread(got, 1, len + 1, f);
	same = n == len && memcmp(got, want, len) == 0;
	free(got);
	return same;
}

/* body_to_file: the body in an unlinked file of $TMPDIR, not in memory. */
static void
test_body_to_file(const char *dir)
{
	char tmp[128], big[128], url[160], sha[65], link[64], target[256];
	struct fetch_limits lim;
	struct fetch_result r;
	size_t len = 0;
	char *body = big_body(&len);
	ssize_t n;
	FILE *f;

	if (body == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s/tmp", dir);
	snprintf(big, sizeof big, "%s/big.csv", dir);
	snprintf(url, sizeof url, "file://%s", big);
	CHECK((f = fopen(big, "w")) != NULL);
	if (f != NULL) {
		fwrite(body, 1, len, f);
		fclose(f);
	}
	CHECK(mkdir(tmp, 0700) == 0);
	CHECK(setenv("TMPDIR", tmp, 1) == 0);
	fetch_limits_default(&lim);
	CHECK_INT(lim.body_to_file, 0);
	lim.body_to_file = 1;

	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), 0);
	CHECK_STR(r.error, "");
	CHECK(r.body == NULL);
	CHECK(r.file != NULL);
	CHECK_INT(r.len, len);
	sha256_hex(body, len, sha);
	CHECK_STR(r.sha256, sha);   /* hashed piece by piece as it came */
	CHECK(r.file != NULL && file_holds(r.file, body, len));
	/* Unlinked in $TMPDIR: gone from the folder while open. */
	CHECK_INT(entries(tmp), 0);
	if (r.file != NULL) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(r.file));
		n = readlink(link, target, sizeof target - 1);
		CHECK(n > 0);
		target[n > 0 ? n : 0] = '\0';
		CHECK(strncmp(target, tmp, strlen(tmp)) == 0);
		CHECK(strstr(target, "(deleted)") != NULL);
	}
	fetch_result_free(&r);
	CHECK(r.file == NULL);

	/* The cap holds for the file as for memory. */
	lim.max_body = len - 1;
	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), -1);
	CHECK(strstr(r.error, "size cap") != NULL);
	CHECK(r.file == NULL && r.body == NULL);
	fetch_result_free(&r);
	CHECK_INT(entries(tmp), 0);
	lim.max_body = len;
	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), 0);
	CHECK_INT(r.len, len);
	fetch_result_free(&r);

	/* A $TMPDIR that is not there: a failure that names it. */
	CHECK(rmdir(tmp) == 0);
	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), -1);
	CHECK(strstr(r.error, "cannot make a temporary file in") != NULL);
	CHECK(strstr(r.error, tmp) != NULL);
	CHECK(r.file == NULL);
	fetch_result_free(&r);
	CHECK(unsetenv("TMPDIR") == 0);
	unlink(big);
	free(body);
}

static void
set_mtime(const char *path, long t)
{
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };

	CHECK(utimes(path, tv) == 0);
}

int
main(void)
{
	static const char csv[] =
	    "Province/State,Country/Region,Last Update,Confirmed,Deaths,Recovered\n"
	    "Anhui,Mainland China,1/22/2020 17:00,1,,\n";
	static const char other[] =   /* the same size */
	    "Province/State,Country/Region,Last Update,Confirmed,Deaths,Recovered\n"
	    "Anhui,Mainland China,1/22/2020 17:00,7,,\n";
	char dir[] = "/tmp/covid-test-fetch-XXXXXX";
	char path[128], url[160], empty[128], eurl[160], sha[65];
	char lm[64];
	struct fetch_limits lim;
	struct fetch_result r;

	CHECK(fetch_global_init() == 0);
	fetch_limits_default(&lim);
	CHECK(lim.max_body == (size_t)64 << 20);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/01-22-2020.csv", dir);
	snprintf(url, sizeof url, "file://%s", path);
	write_file(path, csv);
	set_mtime(path, 1600000000);   /* Sun, 13 Sep 2020 12:26:40 GMT */

	/* A plain GET: the body, its hash, the mtime as an HTTP date. */
	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), 0);
	CHECK_INT(r.len, strlen(csv));
	CHECK(r.body != NULL && strcmp(r.body, csv) == 0);
	sha256_hex(csv, strlen(csv), sha);
	CHECK_STR(r.sha256, sha);
	CHECK_INT(r.http_status, 0);
	CHECK_INT(r.not_modified, 0);
	CHECK_STR(r.last_modified, "Sun, 13 Sep 2020 12:26:40 GMT");
	CHECK_STR(r.error, "");
	snprintf(lm, sizeof lm, "%s", r.last_modified);
	fetch_result_free(&r);
	CHECK(r.body == NULL);

	/* Validators on a file:// URL: ignored, the file is read whole. Here
	 * other bytes of the same size with the same mtime (cp -p, rsync -t, a
	 * restore, a write within the same second) must come back. */
	write_file(path, other);
	set_mtime(path, 1600000000);
	CHECK_INT(fetch_get(url, &lim, NULL, lm, &r), 0);
	CHECK_INT(r.not_modified, 0);
	CHECK(r.body != NULL && strcmp(r.body, other) == 0);
	sha256_hex(other, strlen(other), sha);
	CHECK_STR(r.sha256, sha);
	CHECK_STR(r.last_modified, lm);
	CHECK_STR(r.date, "");        /* no Date: its mtime is never strong */
	fetch_result_free(&r);
	write_file(path, csv);

	/* An ETag is an HTTP thing; over file:// it must simply not hurt. */
	CHECK_INT(fetch_get(url, &lim, "\"5f5e-a\"", NULL, &r), 0);
	CHECK_INT(r.len, strlen(csv));
	fetch_result_free(&r);

	/* Missing file: not found, said so. */
	snprintf(eurl, sizeof eurl, "file://%s/01-23-2020.csv", dir);
	CHECK_INT(fetch_get(eurl, &lim, NULL, NULL, &r), -1);
	CHECK_INT(r.not_found, 1);
	CHECK(strstr(r.error, "not found") != NULL);
	CHECK(r.body == NULL);
	fetch_result_free(&r);

	/* Over the size cap: fails, and the reason says so. */
	lim.max_body = 10;
	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), -1);
	CHECK(strstr(r.error, "size cap") != NULL);
	CHECK_INT(r.not_found, 0);
	CHECK(r.body == NULL);
	fetch_result_free(&r);
	/* Exactly at the cap is fine. */
	lim.max_body = strlen(csv);
	CHECK_INT(fetch_get(url, &lim, NULL, NULL, &r), 0);
	CHECK_INT(r.len, strlen(csv));
	fetch_result_free(&r);
	fetch_limits_default(&lim);
	test_body_to_file(dir);

	/* An empty body is not a report. */
	snprintf(empty, sizeof empty, "%s/01-24-2020.csv", dir);
	write_file(empty, "");
	snprintf(eurl, sizeof eurl, "file://%s", empty);
	CHECK_INT(fetch_get(eurl, &lim, NULL, NULL, &r), -1);
	CHECK(strstr(r.error, "empty") != NULL);
	fetch_result_free(&r);

	/* Only http, https and file. */
	CHECK_INT(fetch_get("ftp://127.0.0.1/x.csv", &lim, NULL, NULL, &r), -1);
	CHECK(strstr(r.error, "protocol") != NULL);
	fetch_result_free(&r);
	CHECK_INT(fetch_get("dict://127.0.0.1/x", &lim, NULL, NULL, &r), -1);
	CHECK(strstr(r.error, "protocol") != NULL);
	fetch_result_free(&r);

	/* Nothing listens on port 1: a clean failure, not a crash. */
	lim.connect_timeout_s = 2;
	CHECK_INT(fetch_get("http://127.0.0.1:1/x.csv", &lim, NULL, NULL, &r), -1);
	CHECK(r.error[0] != '\0');
	CHECK_INT(r.not_found, 0);
	fetch_result_free(&r);

	/* RFC 9110, 8.8.2.2: strong at 60 seconds before the Date, not at 59;
	 * weak after it, without a Date, or when a date cannot be read. */
	CHECK_INT(fetch_last_modified_strong("Sun, 13 Sep 2020 12:26:40 GMT",
	    "Sun, 13 Sep 2020 12:27:40 GMT"), 1);
	CHECK_INT(fetch_last_modified_strong("Sun, 13 Sep 2020 12:26:41 GMT",
	    "Sun, 13 Sep 2020 12:27:40 GMT"), 0);
	CHECK_INT(fetch_last_modified_strong("Sun, 13 Sep 2020 12:26:40 GMT",
	    "Sun, 13 Sep 2020 12:26:40 GMT"), 0);
	CHECK_INT(fetch_last_modified_strong("Sun, 13 Sep 2020 12:26:40 GMT",
	    "Sat, 12 Sep 2020 12:26:40 GMT"), 0);
	CHECK_INT(fetch_last_modified_strong("Tue, 01 Sep 2020 00:00:00 GMT",
	    "Sun, 13 Sep 2020 12:26:40 GMT"), 1);
	CHECK_INT(fetch_last_modified_strong("Tue, 01 Sep 2020 00:00:00 GMT", ""), 0);
	CHECK_INT(fetch_last_modified_strong("Tue, 01 Sep 2020 00:00:00 GMT", NULL), 0);
	CHECK_INT(fetch_last_modified_strong("", "Sun, 13 Sep 2020 12:26:40 GMT"), 0);
	CHECK_INT(fetch_last_modified_strong(NULL, "Sun, 13 Sep 2020 12:26:40 GMT"), 0);
	CHECK_INT(fetch_last_modified_strong("yesterday-ish",
	    "Sun, 13 Sep 2020 12:26:40 GMT"), 0);

	unlink(path);
	unlink(empty);
	rmdir(dir);
	fetch_global_cleanup();
	return check_exit();
}
