/* test_metrics: the shared metrics file. Route labels; the layout made,
 * kept, replaced or refused; counts from many processes that start at once
 * summed exactly, with no (program, route) twice; the histogram; a full slot
 * table; label escaping. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "web/metrics.h"

static char dir[] = "/tmp/test_metrics.XXXXXX";
static char path[256];

static const char *
label(const char *p, int status)
{
	static char buf[METRICS_ROUTE];

	metrics_route_label(p, status, buf, sizeof buf);
	return buf;
}

/* The exposition of m, NUL-terminated (free it). */
static char *
expose(struct metrics_file *m)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	metrics_expose(m, &s);
	return b.data;
}

/* The value of the sample named exactly series ("name{labels}"), or -1. */
static long long
sample(const char *text, const char *series)
{
	size_t n = strlen(series);

	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		if (strncmp(line, series, n) == 0 && line[n] == ' ')
			return strtoll(line + n + 1, NULL, 10);
		line = nl ? nl + 1 : NULL;
	}
	return -1;
}

/* Whether any sample line occurs twice. */
static int
has_duplicates(const char *text)
{
	char *copy = strdup(text), *save = NULL, *lines[4096];
	size_t n = 0;
	int dup = 0;

	for (char *l = strtok_r(copy, "\n", &save); l && n < 4096;
	    l = strtok_r(NULL, "\n", &save)) {
		char *sp = strrchr(l, ' ');
		if (l[0] == '#' || sp == NULL)
			continue;
		*sp = '\0';   /* the series without its value */
		for (size_t i = 0; i < n; i++)
			if (strcmp(lines[i], l) == 0)
				dup = 1;
		lines[n++] = l;
	}
	free(copy);
	return dup;
}

static void
test_labels(void)
{
	CHECK_STR(label("/", 200), "/");
	CHECK_STR(label("/about", 200), "/about");
	CHECK_STR(label("/region/us/new-york/kings", 200), "/region/");
	CHECK_STR(label("/region/", 304), "/region/");
	CHECK_STR(label("/export.csv", 400), "/export.csv");
	CHECK_STR(label("/no/such/page", 404), "other");
	CHECK_STR(label("/caf\xc3\xa9", 200), "other");
	CHECK_STR(label("/a\"b", 200), "other");
	CHECK_STR(label("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 200), "other");
	CHECK_STR(label("", 200), "other");
}

static void
test_escape(void)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	metrics_label_value(&s, "a\"b\\c\nd");
	CHECK_STR(b.data, "a\\\"b\\\\c\\nd");
	membuf_free(&b);
}

/* The file's size and first bytes as made. */
static void
test_create(void)
{
	struct metrics_file *m = metrics_open(path), *again;
	struct stat st;
	char magic[8] = "";
	int fd;

	CHECK(m != NULL);
	CHECK(stat(path, &st) == 0 && st.st_size > 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read(fd, magic, sizeof magic) == (ssize_t)sizeof magic);
	close(fd);
	CHECK(memcmp(magic, "covidmet", 8) == 0);
	metrics_record(m, "portal", "/", 200, 0.001, 100);
	/* A second open maps the same counters. */
	again = metrics_open(path);
	CHECK(again != NULL);
	{
		char *t = expose(again);
		CHECK_INT(sample(t, "covid_http_requests_total{program=\"portal\","
		    "route=\"/\",status=\"200\"}"), 1);
		free(t);
	}
	metrics_close(again);
	metrics_close(m);
	unlink(path);
}

/* N processes open a file nobody has made yet, all at the same moment, and
 * count K requests each, claiming slots for routes in different orders. */
enum { NPROC = 8, K = 500 };

static void
child(int go, int id)
{
	static const char *const routes[] = { "/", "/about", "/region/", "/status" };
	struct metrics_file *m;
	char c;

	if (read(go, &c, 1) != 0)   /* the parent closes: everyone starts */
		_exit(2);
	if ((m = metrics_open(path)) == NULL)
		_exit(3);
	for (int i = 0; i < K; i++) {
		metrics_record(m, "portal", routes[(i + id) % 4], i % 10 ? 200 : 404,
		    0.002, 10);
		metrics_record(m, "export", "/export.csv", 200, 0.3, 1000);
	}
	metrics_close(m);
	_exit(0);
}

static void
test_processes(void)
{
	int p[2], status, all_ok = 1;
	struct metrics_file *m;
	pid_t pids[NPROC];
	long long total = 0;
	char *t;

	unlink(path);
	CHECK(pipe(p) == 0);
	for (int i = 0; i < NPROC; i++) {
		if ((pids[i] = fork()) == 0) {
			close(p[1]);
			child(p[0], i);
		}
	}
	close(p[0]);
	close(p[1]);
	for (int i = 0; i < NPROC; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			all_ok = 0;
	CHECK(all_ok);
	m = metrics_open(path);
	CHECK(m != NULL);
	if (m == NULL)
		return;
	t = expose(m);
	/* Each child: K portal requests, a tenth of them 404 (route "other"
	 * is the caller's business: here the route is given as it is). */
	for (int r = 0; r < 4; r++) {
		static const char *const routes[] = { "/", "/about", "/region/", "/status" };
		char series[160];
		long long ok, nf;
		snprintf(series, sizeof series, "covid_http_requests_total{program="
		    "\"portal\",route=\"%s\",status=\"200\"}", routes[r]);
		ok = sample(t, series);
		snprintf(series, sizeof series, "covid_http_requests_total{program="
		    "\"portal\",route=\"%s\",status=\"404\"}", routes[r]);
		nf = sample(t, series);
		total += (ok > 0 ? ok : 0) + (nf > 0 ? nf : 0);
	}
	CHECK_INT(total, NPROC * K);
	CHECK_INT(sample(t, "covid_http_requests_total{program=\"export\","
	    "route=\"/export.csv\",status=\"200\"}"), NPROC * K);
	CHECK_INT(sample(t, "covid_http_response_bytes_total{program=\"export\","
	    "route=\"/export.csv\"}"), (long long)NPROC * K * 1000);
	CHECK_INT(sample(t, "covid_export_bytes_total"), (long long)NPROC * K * 1000);
	CHECK_INT(sample(t, "covid_http_request_duration_seconds_count{program="
	    "\"export\",route=\"/export.csv\"}"), NPROC * K);
	/* 0.3 s: above 0.25, within 0.5. */
	CHECK_INT(sample(t, "covid_http_request_duration_seconds_bucket{program="
	    "\"export\",route=\"/export.csv\",le=\"0.25\"}"), 0);
	CHECK_INT(sample(t, "covid_http_request_duration_seconds_bucket{program="
	    "\"export\",route=\"/export.csv\",le=\"0.5\"}"), NPROC * K);
	CHECK(!has_duplicates(t));
	CHECK_INT(sample(t, "covid_metrics_dropped_total"), 0);
	free(t);
	metrics_close(m);
	unlink(path);
}

static void
test_histogram(void)
{
	struct metrics_file *m = metrics_open(path);
	const char *pre = "covid_http_request_duration_seconds_bucket{program="
	    "\"portal\",route=\"/h\",le=";
	char series[200], *t;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	metrics_record(m, "portal", "/h", 200, 0.0001, 0);   /* <= 0.0005 */
	metrics_record(m, "portal", "/h", 200, 0.001, 0);    /* == 0.001: le */
	metrics_record(m, "portal", "/h", 200, 0.7, 0);      /* <= 1 */
	metrics_record(m, "portal", "/h", 200, 500, 0);      /* only +Inf */
	metrics_record(m, "portal", "/h", 999, -1, 0);       /* odd status, clock */
	t = expose(m);
	snprintf(series, sizeof series, "%s\"0.0005\"}", pre);
	CHECK_INT(sample(t, series), 2);   /* 0.0001 and the clamped -1 */
	snprintf(series, sizeof series, "%s\"0.001\"}", pre);
	CHECK_INT(sample(t, series), 3);
	snprintf(series, sizeof series, "%s\"0.5\"}", pre);
	CHECK_INT(sample(t, series), 3);
	snprintf(series, sizeof series, "%s\"1\"}", pre);
	CHECK_INT(sample(t, series), 4);
	snprintf(series, sizeof series, "%s\"120\"}", pre);
	CHECK_INT(sample(t, series), 4);
	snprintf(series, sizeof series, "%s\"+Inf\"}", pre);
	CHECK_INT(sample(t, series), 5);
	CHECK(strstr(t, "covid_http_request_duration_seconds_sum{program=\"portal\","
	    "route=\"/h\"} 500.701100000\n") != NULL);
	CHECK_INT(sample(t, "covid_http_requests_total{program=\"portal\","
	    "route=\"/h\",status=\"other\"}"), 1);
	free(t);
	metrics_close(m);
	unlink(path);
}

/* Every slot taken: a new route counts in "other" when the program has it,
 * else as dropped. */
static void
test_full(void)
{
	struct metrics_file *m = metrics_open(path);
	char route[32], *t;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	metrics_record(m, "portal", "other", 404, 0, 0);
	for (int i = 1; i < METRICS_SLOTS; i++) {
		snprintf(route, sizeof route, "/r%d", i);
		metrics_record(m, "portal", route, 200, 0, 0);
	}
	metrics_record(m, "portal", "/one-too-many", 200, 0, 0);
	metrics_record(m, "export", "/export.csv", 200, 0, 0);
	t = expose(m);
	CHECK_INT(sample(t, "covid_http_requests_total{program=\"portal\","
	    "route=\"other\",status=\"200\"}"), 1);
	CHECK_INT(sample(t, "covid_http_requests_total{program=\"portal\","
	    "route=\"/one-too-many\",status=\"200\"}"), -1);
	CHECK_INT(sample(t, "covid_metrics_dropped_total"), 1);
	CHECK_INT(sample(t, "covid_http_requests_total{program=\"portal\","
	    "route=\"/r63\",status=\"200\"}"), 1);
	free(t);
	metrics_close(m);
	unlink(path);
}

static void
write_file(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");

	CHECK(f != NULL && fwrite(data, 1, len, f) == len);
	if (f)
		fclose(f);
}

/* Another layout of ours is replaced (a new inode); a file that is not ours
 * is refused and left as it was; a sized file without a header (its maker
 * died) is made. */
static void
test_layouts(void)
{
	struct metrics_file *m;
	struct stat before, after;
	char old[64] = "covidmet";
	static char zeros[300000];
	const char *text = "important data, not metrics\n";
	FILE *f;
	char got[64] = "";

	old[8] = 99;   /* version 99 */
	write_file(path, old, sizeof old);
	CHECK(stat(path, &before) == 0);
	m = metrics_open(path);
	CHECK(m != NULL);
	CHECK(stat(path, &after) == 0 && after.st_ino != before.st_ino &&
	    after.st_size > (off_t)sizeof old);
	metrics_close(m);
	unlink(path);

	write_file(path, text, strlen(text));
	CHECK(metrics_open(path) == NULL);
	f = fopen(path, "r");
	CHECK(f != NULL && fgets(got, sizeof got, f) != NULL);
	if (f)
		fclose(f);
	CHECK_STR(got, text);
	unlink(path);

	/* As its maker left it: sized, no header yet. */
	m = metrics_open(path);
	CHECK(m != NULL && stat(path, &after) == 0 &&
	    (size_t)after.st_size <= sizeof zeros);
	metrics_close(m);
	unlink(path);
	write_file(path, zeros, (size_t)after.st_size);
	m = metrics_open(path);
	CHECK(m != NULL);
	if (m != NULL) {
		char *t;
		metrics_record(m, "portal", "/", 200, 0, 0);
		t = expose(m);
		CHECK_INT(sample(t, "covid_http_requests_total{program=\"portal\","
		    "route=\"/\",status=\"200\"}"), 1);
		free(t);
	}
	metrics_close(m);
	unlink(path);

	CHECK(metrics_open("/nonexistent-dir/metrics.shm") == NULL);
}

static void
test_default_path(void)
{
	char buf[256];

	unsetenv("COVID_METRICS_FILE");
	setenv("COVID_DB", "/var/lib/covid-portal/covid.db", 1);
	metrics_default_path(buf, sizeof buf);
	CHECK_STR(buf, "/var/lib/covid-portal/metrics.shm");
	setenv("COVID_DB", "covid.db", 1);
	metrics_default_path(buf, sizeof buf);
	CHECK_STR(buf, "metrics.shm");
	unsetenv("COVID_DB");
	metrics_default_path(buf, sizeof buf);
	CHECK_STR(buf, "var/metrics.shm");
	setenv("COVID_METRICS_FILE", "/run/covid-portal/metrics", 1);
	metrics_default_path(buf, sizeof buf);
	CHECK_STR(buf, "/run/covid-portal/metrics");
	unsetenv("COVID_METRICS_FILE");
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/metrics.shm", dir);
	test_labels();
	test_escape();
	test_create();
	test_processes();
	test_histogram();
	test_full();
	test_layouts();
	test_default_path();
	rmdir(dir);
	return check_exit();
}
